/// tensor_tb: test-bench top for verif/tensor: tensor_engine feeding psum_accum.
/// The bench drives the command, stationary and moving streams and psum_accum's hold_i (random
/// output back-pressure), and checks every PSUM write (wr_*) and the final PSUM (dbg_*).
module tensor_tb #(
  parameter int Partitions = 16,
  parameter int Columns    = 16,
  parameter int Nmax       = 512,
  parameter int PsumBytes  = 8192,
  parameter int EnableInt8 = 1,
  parameter int EnableBf16 = 1,
  parameter int EnableFp8  = 1,
  parameter int LaneBits   = (EnableBf16 != 0) ? 16 : 8,
  parameter int AddrBits   = $clog2(PsumBytes / 4),
  parameter int LaneSelBits = (Columns > 1) ? $clog2(Columns) : 1
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,
  input  logic                           cmd_valid_i,
  output logic                           cmd_ready_o,
  input  tensor_pkg::cmd_t               cmd_data_i,
  input  logic                           stat_valid_i,
  output logic                           stat_ready_o,
  input  logic [Partitions*LaneBits-1:0] stat_data_i,
  input  logic                           mov_valid_i,
  output logic                           mov_ready_o,
  input  logic [Partitions*LaneBits-1:0] mov_data_i,
  input  logic                           hold_i,
  output logic                           psum_fire_o,
  output logic                           err_o,
  output logic                           wr_valid_o,
  output logic [AddrBits-1:0]            wr_addr_o,
  output logic [Columns-1:0]             wr_mask_o,
  output logic [Columns*32-1:0]          wr_data_o,
  input  logic [AddrBits-1:0]            dbg_addr_i,
  input  logic [LaneSelBits-1:0]         dbg_lane_i,
  output logic [31:0]                    dbg_data_o
);

  logic                psum_valid, psum_ready, psum_acc, psum_fp;
  logic [Columns*32-1:0] psum_data;
  logic [AddrBits-1:0] psum_addr;
  logic [Columns-1:0]  psum_mask;

  tensor_engine #(
    .Partitions(Partitions),
    .Columns   (Columns),
    .Nmax      (Nmax),
    .PsumBytes (PsumBytes),
    .EnableInt8(EnableInt8),
    .EnableBf16(EnableBf16),
    .EnableFp8 (EnableFp8),
    .LaneBits  (LaneBits),
    .AddrBits  (AddrBits)
  ) u_engine (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .cmd_valid_i (cmd_valid_i),
    .cmd_ready_o (cmd_ready_o),
    .cmd_data_i  (cmd_data_i),
    .stat_valid_i(stat_valid_i),
    .stat_ready_o(stat_ready_o),
    .stat_data_i (stat_data_i),
    .mov_valid_i (mov_valid_i),
    .mov_ready_o (mov_ready_o),
    .mov_data_i  (mov_data_i),
    .psum_valid_o(psum_valid),
    .psum_ready_i(psum_ready),
    .psum_data_o (psum_data),
    .psum_addr_o (psum_addr),
    .psum_mask_o (psum_mask),
    .psum_acc_o  (psum_acc),
    .psum_fp_o   (psum_fp),
    .err_o       (err_o)
  );

  psum_accum #(
    .Columns    (Columns),
    .PsumBytes  (PsumBytes),
    .EnableBf16 (EnableBf16),
    .EnableFp8  (EnableFp8),
    .AddrBits   (AddrBits),
    .LaneSelBits(LaneSelBits)
  ) u_psum (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .in_valid_i(psum_valid),
    .in_ready_o(psum_ready),
    .in_data_i (psum_data),
    .in_addr_i (psum_addr),
    .in_mask_i (psum_mask),
    .in_acc_i  (psum_acc),
    .in_fp_i   (psum_fp),
    .hold_i    (hold_i),
    .wr_valid_o(wr_valid_o),
    .wr_addr_o (wr_addr_o),
    .wr_mask_o (wr_mask_o),
    .wr_data_o (wr_data_o),
    .dbg_addr_i(dbg_addr_i),
    .dbg_lane_i(dbg_lane_i),
    .dbg_data_o(dbg_data_o)
  );

  assign psum_fire_o = psum_valid && psum_ready;

endmodule
