/// dap_iter: walks DMA access patterns (docs/isa.md section 3, DAP), one job after another, one
/// chunk per cycle (docs/dma.md section 3), and tells for each chunk how it groups into AXI beats
/// and INCR bursts (docs/chip.md section 6).
///
/// Job: a DAP (isa_pkg::dap_t, already statically checked), a tag carried with its chunks, and
/// job_lmax_i, the most elements a chunk of this job may hold (1: one element per step). The
/// walker is a 4-dim dap_walker (counters and adders only) over one combined address
/// {partition, byte}: on chip, dim pdim = 3 - pdim_sel steps the partition field (stride s_pdim
/// partitions) and the other dims step bytes (s_d * size); in DRAM every dim steps bytes. Every
/// intermediate value of the walker is the address of an actual element, which the static
/// checks keep inside its space, so the two fields never carry into each other.
/// Chunks (with job_lmax_i > 1 and a dim 0 stride of 1): in DRAM a run inside one AXI beat of
/// 2^BeatLg bytes; on chip a run inside one row of 2^RowLg bytes of a partition, or, when dim 0
/// walks partitions, up to job_lmax_i consecutive partitions at one byte address (a column).
/// Any other pattern: one element per chunk.
///
/// Chunk j is presented once chunk j+1 is known (or j is the last of its job), so that its flags
/// can look one chunk ahead:
///   beat_last_o:  chunk j+1 is in another AXI beat (or j is last);
///   burst_last_o: chunk j+1 starts a new burst (or j is last), burst_addr_o/burst_len_o then
///                 give the complete burst that ends with j. A chunk extends the burst when its
///                 beat is the burst's last beat, or the next beat up on the same 4 KiB page with
///                 the burst below MAX_BURST_BEATS beats.
/// The flags are meaningful for DRAM jobs only (on-chip consumers ignore them). An AXI address
/// walker passes a job_lmax_i of all ones: it then sees each beat of a run once.
/// Handshakes: job_valid_i/job_ready_o (a new job loads while the previous one's last chunk
/// waits at the output), elem_valid_o/elem_ready_i. Latency: the first chunk of a job is
/// presented two cycles after its load; then one chunk per cycle.
module dap_iter #(
  parameter int PartBits = 4,
  parameter int BeatLg   = 5,  // log2 of the AXI beat in bytes (2 .. 6)
  parameter int RowLg    = 3,  // log2 of an on-chip row in bytes (3 .. 6)
  parameter int TagBits  = 2,
  parameter int CntBits  = 8   // chunk element counts
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,
  input  logic                           clr_i,
  // Jobs: a DAP and a tag.
  input  logic                           job_valid_i,
  output logic                           job_ready_o,
  input  isa_pkg::dap_t                  job_dap_i,
  input  logic [TagBits-1:0]             job_tag_i,
  input  logic [CntBits-1:0]             job_lmax_i,
  // Elements in iteration order.
  output logic                           elem_valid_o,
  input  logic                           elem_ready_i,
  output logic [PartBits-1:0]            elem_part_o,   // on chip: partition
  output logic [31:0]                    elem_addr_o,   // DRAM address, or byte in the partition
  output logic [CntBits-1:0]             elem_cnt_o,    // elements in the chunk (>= 1)
  output logic                           elem_col_o,    // on chip: the chunk is a column
  output logic [1:0]                     elem_space_o,  // its job's space, size and tag
  output logic [1:0]                     elem_size_lg_o,
  output logic [TagBits-1:0]             elem_tag_o,
  output logic                           elem_last_o,   // the last chunk of its job
  output logic                           beat_last_o,
  output logic                           burst_last_o,
  output logic [31:0]                    burst_addr_o,  // beat-aligned start of the burst
  output logic [3:0]                     burst_len_o    // beats - 1
);

  localparam int AW = 32 + PartBits;
  localparam int BW = 32 - BeatLg;  // beat number width

  // ---- job decode -------------------------------------------------------------------------
  logic            onchip;
  logic [1:0]      lg, pdim;
  logic [4*16-1:0] counts;
  logic [4*AW-1:0] strides;
  logic [AW-1:0]   base;
  assign onchip = job_dap_i.space != isa_pkg::SP_DRAM;
  assign lg     = isa_pkg::dtype_size_lg(job_dap_i.dtype);
  assign pdim   = ~job_dap_i.pdim_sel;  // 3 - pdim_sel
  assign counts = {job_dap_i.n3, job_dap_i.n2, job_dap_i.n1, job_dap_i.n0};
  assign base   = onchip ? {PartBits'(job_dap_i.pstart), job_dap_i.addr}
                         : {{PartBits{1'b0}}, job_dap_i.addr};
  logic unused_reserved;  // reserved fields of d5/d6 (zero after the static checks)
  assign unused_reserved = ^{job_dap_i.rsv5, job_dap_i.rsv6};

  always_comb begin
    logic [23:0] s;
    logic [AW-1:0] sx;
    strides = '0;
    for (int d = 0; d < 4; d++) begin
      s = (d == 0) ? job_dap_i.s0 : (d == 1) ? job_dap_i.s1 : (d == 2) ? job_dap_i.s2 : job_dap_i.s3;
      sx = {{(AW-24){s[23]}}, s};
      if (onchip && 2'(d) == pdim) strides[d*AW +: AW] = sx << 32;
      else                         strides[d*AW +: AW] = sx << lg;
    end
  end

  // How the walker steps: runs or columns when allowed and dim 0 is unit-stride.
  logic [1:0] mode;
  logic [2:0] unit_lg;
  always_comb begin
    mode = dma_pkg::WALK_ELEM;
    if (job_dap_i.s0 == 24'd1 && job_lmax_i > CntBits'(1)) begin
      mode = (onchip && pdim == 2'd0) ? dma_pkg::WALK_COLUMN : dma_pkg::WALK_RUN;
    end
  end
  assign unit_lg = onchip ? 3'(RowLg) : 3'(BeatLg);

  // ---- walker: holds chunk k (w_valid_q) -----------------------------------------------------
  logic              w_valid_q, w_last, load, step, take_w, fire;
  logic [AW-1:0]     w_addr;
  logic [CntBits-1:0] w_cnt;
  logic [1:0]        w_space_q, w_lg_q;
  logic [TagBits-1:0] w_tag_q;
  logic              w_col_q;

  dap_walker #(.AddrBits(AW), .PartLsb(32), .CntBits(CntBits)) u_walker (
    .clk_i, .rst_ni,
    .load_i(load), .base_i(base), .n_i(counts), .s_i(strides),
    .mode_i(mode), .unit_lg_i(unit_lg), .lg_i(lg), .lmax_i(job_lmax_i),
    .step_i(step), .addr_o(w_addr), .cnt_o(w_cnt), .last_o(w_last)
  );

  // ---- stage: chunk j = k - 1, with the burst it belongs to -------------------------------
  logic              s_valid_q, s_last_q;
  logic [AW-1:0]     s_addr_q;
  logic [CntBits-1:0] s_cnt_q;
  logic              s_col_q;
  logic [1:0]        s_space_q, s_lg_q;
  logic [TagBits-1:0] s_tag_q;
  logic [BW-1:0]     b_beat_q, beat_j, beat_k;
  logic [3:0]        b_n_q;
  logic              same, next;

  assign beat_j = s_addr_q[31:BeatLg];
  assign beat_k = w_addr[31:BeatLg];
  assign same   = beat_k == beat_j;
  assign next   = (beat_k == beat_j + BW'(1)) && (w_addr[dma_pkg::PAGE_BYTES_LG-1:BeatLg] != '0) &&
                  (b_n_q != 4'(dma_pkg::MAX_BURST_BEATS - 1));

  assign elem_valid_o   = s_valid_q && (s_last_q || w_valid_q);
  assign elem_part_o    = s_addr_q[32 +: PartBits];
  assign elem_addr_o    = s_addr_q[31:0];
  assign elem_cnt_o     = s_cnt_q;
  assign elem_col_o     = s_col_q;
  assign elem_space_o   = s_space_q;
  assign elem_size_lg_o = s_lg_q;
  assign elem_tag_o     = s_tag_q;
  assign elem_last_o    = s_last_q;
  assign beat_last_o    = s_last_q || !same;
  assign burst_last_o   = s_last_q || !(same || next);
  assign burst_addr_o   = {b_beat_q, {BeatLg{1'b0}}};
  assign burst_len_o    = b_n_q;

  assign fire        = elem_valid_o && elem_ready_i;
  assign take_w      = w_valid_q && (!s_valid_q || fire);
  assign step        = take_w && !w_last;
  assign job_ready_o = !clr_i && (!w_valid_q || (take_w && w_last));
  assign load        = job_valid_i && job_ready_o;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_valid_q <= 1'b0;
      s_valid_q <= 1'b0;
    end else if (clr_i) begin
      w_valid_q <= 1'b0;
      s_valid_q <= 1'b0;
    end else begin
      if (load)                  w_valid_q <= 1'b1;
      else if (take_w && w_last) w_valid_q <= 1'b0;
      if (take_w)    s_valid_q <= 1'b1;
      else if (fire) s_valid_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (load) begin
      w_space_q <= job_dap_i.space;
      w_lg_q    <= lg;
      w_tag_q   <= job_tag_i;
      w_col_q   <= mode == dma_pkg::WALK_COLUMN;
    end
    if (take_w) begin
      s_addr_q  <= w_addr;
      s_cnt_q   <= w_cnt;
      s_col_q   <= w_col_q;
      s_last_q  <= w_last;
      s_space_q <= w_space_q;
      s_lg_q    <= w_lg_q;
      s_tag_q   <= w_tag_q;
      if (!s_valid_q || burst_last_o) begin
        b_beat_q <= beat_k;
        b_n_q    <= '0;
      end else if (beat_last_o) begin
        b_n_q <= b_n_q + 4'd1;
      end
    end
  end

endmodule
