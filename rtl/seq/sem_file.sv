/// sem_file: the 32 semaphores of isa.md section 1 (docs/chip.md section 4).
/// Every completing instruction with signal_en presents its semaphore on one source port; the
/// increments of all sources in a cycle are summed per semaphore. An increment that would take a
/// semaphore past 0xFFFFFFFF is an overflow: the semaphore is left at 0xFFFFFFFF and ovf_o names
/// the lowest instruction index among the sources signalling that semaphore (among all
/// overflowing semaphores). The host writes a semaphore while the core is idle; clr_i (soft
/// reset) zeroes them all. sems_o is every value, semaphore i at [32*i +: 32].
module sem_file #(
  parameter int NSrc = 6,
  parameter int SrcBits = (NSrc > 1) ? $clog2(NSrc) : 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               clr_i,
  // Host write.
  input  logic               host_we_i,
  input  logic [4:0]         host_idx_i,
  input  logic [31:0]        host_wdata_i,
  // Signals from completing instructions.
  input  logic [NSrc-1:0]    sig_valid_i,
  input  logic [NSrc*5-1:0]  sig_sem_i,
  input  logic [NSrc*32-1:0] sig_index_i,
  // Overflow (combinational, this cycle's signals).
  output logic               ovf_o,
  output logic [31:0]        ovf_index_o,
  output logic [SrcBits-1:0] ovf_src_o,
  // Values.
  output logic [32*32-1:0]   sems_o
);

  localparam int CntBits = $clog2(NSrc + 1);

  // Per source k: the sum of its semaphore and every increment to that semaphore this cycle
  // (sources naming the same semaphore compute the same sum). Only sources that signal are
  // looked at, and the 32 semaphores are only written in a cycle with a signal or a host write:
  // the Verilated model spends nothing here in the cycles without one (most cycles).
  logic [32*32-1:0]  sem_q;
  logic [NSrc*33-1:0] sum;
  logic [CntBits-1:0] cnt;
  logic               any_sig;

  assign any_sig = |sig_valid_i;

  always_comb begin
    sum         = '0;
    cnt         = '0;
    ovf_o       = 1'b0;
    ovf_index_o = '1;
    ovf_src_o   = '0;
    if (any_sig) begin
      for (int k = 0; k < NSrc; k++) begin
        cnt = '0;
        for (int j = 0; j < NSrc; j++) begin
          if (sig_valid_i[j] && (sig_sem_i[j*5 +: 5] == sig_sem_i[k*5 +: 5])) cnt = cnt + CntBits'(1);
        end
        sum[k*33 +: 33] = {1'b0, sem_q[32*sig_sem_i[k*5 +: 5] +: 32]} + 33'(cnt);
        // The overflow with the lowest instruction index among all overflowing semaphores.
        if (sig_valid_i[k] && sum[k*33 + 32] &&
            (!ovf_o || (sig_index_i[k*32 +: 32] < ovf_index_o))) begin
          ovf_o       = 1'b1;
          ovf_index_o = sig_index_i[k*32 +: 32];
          ovf_src_o   = SrcBits'(k);
        end
      end
    end
  end

  // An overflowing semaphore stays at 0xFFFFFFFF; a host write (core idle) wins.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sem_q <= '0;
    end else if (clr_i) begin
      sem_q <= '0;
    end else begin
      if (any_sig) begin
        for (int k = 0; k < NSrc; k++) begin
          if (sig_valid_i[k]) begin
            sem_q[32*sig_sem_i[k*5 +: 5] +: 32] <= sum[k*33 + 32] ? '1 : sum[k*33 +: 32];
          end
        end
      end
      if (host_we_i) sem_q[host_idx_i*32 +: 32] <= host_wdata_i;
    end
  end

  assign sems_o = sem_q;

endmodule
