/// fetch: instruction fetch of the sequencer (docs/chip.md section 4).
/// Reads instruction i of the running program from PROG_BASE + 64*i with one AXI INCR burst of
/// 64 bytes (isa_pkg::INSN_BITS / AxiDataBits beats), up to Slots bursts outstanding, into a
/// buffer of Slots instructions. It fetches ahead of the consumer but never at or beyond PROG_LEN,
/// and stops issuing after it has received an instruction whose opcode is END (seen in the first
/// beat). R is always ready: a burst is only issued when its slot is reserved. An SLVERR/DECERR
/// on any beat marks the instruction (head_err_o, head_resp_o); the consumer reports it when it
/// decodes it.
/// start_i begins a program at index 0; stop_i stops issuing (outstanding bursts still land);
/// clr_i drops everything. idle_o: no burst outstanding.
`include "systole_assert.svh"

module fetch #(
  parameter int AxiDataBits = 256,
  parameter int Slots       = 4
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   clr_i,
  input  logic                   stop_i,
  // Start a program (one-cycle pulse); base 64-byte aligned.
  input  logic                   start_i,
  input  logic [31:0]            prog_base_i,
  input  logic [31:0]            prog_len_i,
  // AXI4 read channels (no ID: the arbiter gives fetch ID 0).
  output logic                   ar_valid_o,
  input  logic                   ar_ready_i,
  output logic [31:0]            ar_addr_o,
  output logic [7:0]             ar_len_o,
  input  logic                   r_valid_i,
  output logic                   r_ready_o,
  input  logic [AxiDataBits-1:0] r_data_i,
  input  logic [1:0]             r_resp_i,
  input  logic                   r_last_i,
  // The next instruction in program order.
  output logic                   head_valid_o,
  output logic [isa_pkg::INSN_BITS-1:0] head_words_o,
  output logic                   head_err_o,
  output logic [1:0]             head_resp_o,
  output logic [31:0]            head_index_o,
  input  logic                   pop_i,
  // Status.
  output logic                   idle_o,
  output logic                   fetched_o   // an instruction's last beat arrived (64 bytes)
);

  localparam int IB    = isa_pkg::INSN_BITS;
  localparam int Beats = (IB + AxiDataBits - 1) / AxiDataBits;
  localparam int BB    = (Beats > 1) ? $clog2(Beats) : 1;
  localparam int SB    = (Slots > 1) ? $clog2(Slots) : 1;
  localparam int CB    = $clog2(Slots + 1);
  if (AxiDataBits > IB) begin : gen_width_check
    $error("fetch: AxiDataBits above 512 (one instruction) is not supported");
  end

  // Slots are used in order: issue_q (next burst), fill_q (slot receiving R beats), head_q.
  logic [SB-1:0]          issue_q, fill_q, head_q;
  logic [CB-1:0]          reserved_q;   // slots issued and not popped
  logic [CB-1:0]          ready_q;      // slots complete and not popped
  logic [BB-1:0]          beat_q;
  logic [31:0]            next_q, head_idx_q, len_q, base_q;
  logic                   run_q, end_seen_q;
  logic [Slots*IB-1:0]    data_q;
  logic [Slots-1:0]       err_q;
  logic [Slots*2-1:0]     resp_q;

  logic ar_fire, r_fire, r_done, pop;

  // Once raised, AR stays valid until accepted (AXI), even when stop_i comes meanwhile.
  logic ar_hold_q;
  assign ar_valid_o = ar_hold_q || (run_q && !stop_i && !end_seen_q && (next_q < len_q) &&
                                    (reserved_q != CB'(Slots)));
  assign ar_addr_o  = base_q + {next_q[25:0], 6'b0};  // 64-byte instructions
  assign ar_len_o   = 8'(Beats - 1);
  assign r_ready_o  = 1'b1;
  assign ar_fire    = ar_valid_o && ar_ready_i;
  assign r_fire     = r_valid_i;
  assign r_done     = r_fire && (beat_q == BB'(Beats - 1));
  assign pop        = pop_i && head_valid_o;

  assign head_valid_o = (ready_q != '0);
  assign head_words_o = data_q[head_q*IB +: IB];
  assign head_err_o   = err_q[head_q];
  assign head_resp_o  = resp_q[head_q*2 +: 2];
  assign head_index_o = head_idx_q;
  assign idle_o       = (reserved_q == ready_q) && !ar_valid_o;
  assign fetched_o    = r_done;

  // The beat in its place in the instruction (AxiDataBits <= 512, checked above), seen as one:
  // beat 0 holds the header.
  isa_pkg::insn_t      beat_data;
  logic [IB-1:0]       beat_mask;
  always_comb begin
    beat_data = '0;
    beat_mask = '0;
    for (int b = 0; b < Beats; b++) begin
      if (BB'(b) == beat_q) begin
        beat_data[b*AxiDataBits +: AxiDataBits] = r_data_i;
        beat_mask[b*AxiDataBits +: AxiDataBits] = '1;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      issue_q    <= '0;
      fill_q     <= '0;
      head_q     <= '0;
      reserved_q <= '0;
      ready_q    <= '0;
      beat_q     <= '0;
      next_q     <= '0;
      head_idx_q <= '0;
      len_q      <= '0;
      base_q     <= '0;
      run_q      <= 1'b0;
      end_seen_q <= 1'b0;
      err_q      <= '0;
      resp_q     <= '0;
      ar_hold_q  <= 1'b0;
    end else if (clr_i) begin
      issue_q    <= '0;
      fill_q     <= '0;
      head_q     <= '0;
      reserved_q <= '0;
      ready_q    <= '0;
      beat_q     <= '0;
      next_q     <= '0;
      head_idx_q <= '0;
      run_q      <= 1'b0;
      end_seen_q <= 1'b0;
      err_q      <= '0;
      ar_hold_q  <= 1'b0;
    end else begin
      ar_hold_q <= ar_valid_o && !ar_ready_i;
      // START comes only while idle (nothing outstanding): every pointer restarts.
      if (start_i) begin
        issue_q    <= '0;
        fill_q     <= '0;
        head_q     <= '0;
        beat_q     <= '0;
        base_q     <= prog_base_i;
        len_q      <= prog_len_i;
        next_q     <= '0;
        head_idx_q <= '0;
        run_q      <= 1'b1;
        end_seen_q <= 1'b0;
      end
      if (ar_fire) begin
        issue_q <= (issue_q == SB'(Slots - 1)) ? '0 : issue_q + SB'(1);
        next_q  <= next_q + 32'd1;
      end
      if (start_i) begin
        reserved_q <= '0;
        ready_q    <= '0;
      end else begin
        reserved_q <= reserved_q + CB'(ar_fire) - CB'(pop);
        ready_q    <= ready_q + CB'(r_done) - CB'(pop);
      end
      if (r_fire) begin
        beat_q <= r_done ? '0 : beat_q + BB'(1);
        if (beat_q == '0) begin
          err_q[fill_q]            <= (r_resp_i[1] == 1'b1);
          resp_q[fill_q*2 +: 2]    <= r_resp_i;
          if (beat_data.head.hdr.opcode == isa_pkg::OP_END) end_seen_q <= 1'b1;
        end else if (r_resp_i[1] && !err_q[fill_q]) begin
          err_q[fill_q]         <= 1'b1;
          resp_q[fill_q*2 +: 2] <= r_resp_i;
        end
        if (r_done) fill_q <= (fill_q == SB'(Slots - 1)) ? '0 : fill_q + SB'(1);
      end
      if (pop) begin
        head_q     <= (head_q == SB'(Slots - 1)) ? '0 : head_q + SB'(1);
        head_idx_q <= head_idx_q + 32'd1;
      end
    end
  end

  // Instruction storage: no reset needed (valid bits above guard it).
  always_ff @(posedge clk_i) begin
    if (r_fire) begin
      data_q[fill_q*IB +: IB] <= (data_q[fill_q*IB +: IB] & ~beat_mask) | beat_data;
    end
  end

  // ---- assertions ---------------------------------------------------------------------------
  `ASSERT(r_expected, r_valid_i |-> (reserved_q != ready_q))
  `ASSERT(r_last_right, r_valid_i |-> (r_last_i == (beat_q == BB'(Beats - 1))))
  `ASSERT(ar_stable, ar_valid_o && !ar_ready_i && !clr_i |=> ar_valid_o && $stable(ar_addr_o))
  `ASSERT(pop_when_valid, pop_i |-> head_valid_o)
  // The instruction buffer as a queue: a burst is issued only into a free slot, and no more
  // instructions complete than were issued.
  `ASSERT(no_issue_when_full, ar_fire |-> 32'(reserved_q) < Slots)
  `ASSERT(slots_consistent, ready_q <= reserved_q)

endmodule
