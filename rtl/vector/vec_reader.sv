/// vec_reader: reads one TAP operand of a vector instruction (docs/vector_engine.md section 4) for
/// all lanes at once: element j of lane l is at partition pstart + l, byte offset addr(j) of
/// the pattern (pattern_walker over three dims, byte strides). The partitions are read together
/// by a block request to the memory's crossbar (the same row in partitions pstart ..
/// pstart + pcount - 1); successive elements in the same row reuse the rows read for the
/// previous one, so a contiguous operand asks for the port once per RowBytes / size elements.
/// Row prefetch: a second walker (vec_run_walker) goes through the pattern's rows ahead of the
/// elements and asks for each one as soon as one of RowSlots row buffers is free, so a request
/// that loses the port to another requester costs nothing while the elements of the rows
/// already read last. Rows are never reused across jobs. rd_req_o asks for the block this
/// cycle (of PSUM when rd_psum_i, else of SBUF), rd_gnt_i grants it, and the next cycle the
/// memory's rows (all partitions, absolute slots) are in sb_rows_i, or in ps_rows_i in the bank
/// of the row asked for (PsBanks banks, the bank number at bit PsBankLsb of the row): the
/// reader selects them only in the cycle they arrive, so an idle reader costs the Verilated
/// model nothing.
/// Beats: lane l's element (its size's bits, zero-extended to 32), and at_end per dim (the
/// element ends a group of dims 0..d when at_end[d:0] are all set; the last element has all
/// three). Lanes l >= pcount carry no element (don't care).
/// Throughput: one element per cycle while the element's row has been granted (this cycle or
/// before); the next job starts in the cycle after the previous job's last element is issued.
/// Latency: grant to beat, 2 cycles.
/// Requires Partitions a power of two (the lanes rotate modulo P) and pstart + pcount <= P.
`include "systole_assert.svh"

module vec_reader #(
  parameter int Partitions = 16,
  parameter int RowBytes   = 32,
  parameter int OffBits    = 18,  // a byte offset inside a partition
  parameter int Depth      = 4,   // beats buffered (>= 3 for one element per cycle)
  parameter int RowSlots   = 3,   // rows buffered: the one in use and those read ahead (>= 2)
  parameter int PsBanks    = 1,   // PSUM banks: ps_rows_i holds every bank's last read row
  parameter int PsBankLsb  = 0,   // the bank number's first bit in a PSUM row address
  parameter int RowBits    = OffBits - $clog2(RowBytes),
  parameter int PartBits   = (Partitions > 1) ? $clog2(Partitions) : 1
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  // Drops the job and every beat (error stop, soft reset).
  input  logic                            clr_i,
  // Jobs: the TAP (byte offset, counts, strides scaled to bytes) and its lanes.
  input  logic                            job_valid_i,
  output logic                            job_ready_o,
  input  logic [PartBits-1:0]             job_pstart_i,
  input  logic [7:0]                      job_np_i,
  input  logic [1:0]                      job_lg_i,     // log2 of the element's bytes
  input  logic [OffBits-1:0]              job_base_i,
  input  logic [3*12-1:0]                 job_n_i,
  input  logic [3*OffBits-1:0]            job_s_i,
  // Block reads.
  output logic                            rd_req_o,
  output logic [RowBits-1:0]              rd_row_o,
  output logic [PartBits-1:0]             rd_part_o,
  output logic [7:0]                      rd_np_o,
  input  logic                            rd_psum_i,  // the job's operand is in PSUM
  input  logic                            rd_gnt_i,
  input  logic [Partitions*RowBytes*8-1:0] sb_rows_i,
  // Partition p's bank b at row slot p*PsBanks + b.
  input  logic [Partitions*PsBanks*RowBytes*8-1:0] ps_rows_i,
  // Element beats.
  output logic                            out_valid_o,
  input  logic                            out_ready_i,
  output logic [Partitions*32-1:0]        out_data_o,
  output logic [2:0]                      out_at_end_o
);

  localparam int P   = Partitions;
  localparam int RB  = RowBytes;
  localparam int OB  = $clog2(RB);  // byte inside a row
  localparam int CB  = $clog2(Depth + 1);
  localparam int W   = P * 32 + 3;

  localparam int RW  = P * RB * 8;  // one block of rows
  localparam int SB  = $clog2(RowSlots);
  localparam int SC  = $clog2(RowSlots + 1);
  localparam int BB  = (PsBanks > 1) ? $clog2(PsBanks) : 1;
  localparam int PR  = RB * 8;  // one partition's row

  if ((P & (P - 1)) != 0 || RB < 4 || (RB & (RB - 1)) != 0 || RowSlots < 2) begin : gen_param_check
    $error("vec_reader: Partitions and RowBytes (>= 4) must be powers of two, RowSlots >= 2");
  end

  logic                active_q, have_row_q;
  logic [RowBits-1:0]  row_q;
  logic [PartBits-1:0] pstart_q;
  logic [7:0]          np_q;
  logic [1:0]          lg_q;
  logic [OffBits-1:0]  addr;
  logic [2:0]          at_end;
  logic                last, reuse, avail, room, issue, load;
  logic [CB-1:0]       count;
  logic                fifo_in_ready;  // always high: `room` reserves the slot before issue

  // Row slots, a ring: `used_q` slots hold rows granted and not yet left by the elements; `hd_q`
  // is the one the current element reads (have_row_q) or the next element will, `wr_q` the
  // next one granted. A row is captured the cycle after its grant (cap_q).
  logic [SB-1:0]       hd_q, wr_q, hd_nx;
  logic [SC-1:0]       used_q;
  logic                cap_q, f_active_q, f_first_q, f_need, f_last, f_step, gnt, rel_row, rel_end;
  logic [SB-1:0]       cap_slot_q;
  logic                cap_psum_q;   // the row arriving comes from PSUM, bank cap_bank_q
  logic [BB-1:0]       cap_bank_q;
  logic [RowBits-1:0]  f_row, f_row_q;
  logic [RowSlots*RW-1:0] slots_q;

  // Stage 1: the element issued (its row arriving this cycle, or in a slot); stage 2: its lanes.
  logic                s1_valid_q, s2_valid_q;
  logic [SB-1:0]       s1_slot_q;
  logic [OB-1:0]       s1_off_q;
  logic [2:0]          s1_end_q, s2_end_q;
  logic [1:0]          s1_lg_q;      // the element's job: the next job may be loaded already
  logic [PartBits-1:0] s1_pstart_q;
  logic [P*32-1:0]     s2_data_q;

  pattern_walker #(
    .Dims     (3),
    .CountBits(12),
    .AddrBits (OffBits)
  ) u_walk (
    .clk_i,
    .rst_ni,
    .load_i  (load),
    .base_i  (job_base_i),
    .n_i     (job_n_i),
    .s_i     (job_s_i),
    .step_i  (issue),
    .addr_o  (addr),
    .last_o  (last),
    .at_end_o(at_end)
  );

  vec_run_walker #(
    .RowBytes (RB),
    .CountBits(12),
    .OffBits  (OffBits)
  ) u_runs (
    .clk_i,
    .rst_ni,
    .load_i(load),
    .lg_i  (job_lg_i),
    .base_i(job_base_i),
    .n_i   (job_n_i),
    .s_i   (job_s_i),
    .step_i(f_step),
    .row_o (f_row),
    .last_o(f_last)
  );

  // Fetch side: a run whose row differs from the previous run's asks for it while a slot is free.
  assign f_need      = f_first_q || f_row != f_row_q;
  assign rd_req_o    = f_active_q && f_need && 32'(used_q) < RowSlots && !clr_i;
  assign rd_row_o    = f_row;
  assign rd_part_o   = pstart_q;
  assign rd_np_o     = np_q;
  assign gnt         = rd_req_o && rd_gnt_i;
  assign f_step      = f_active_q && (!f_need || gnt) && !clr_i;

  // Element side: an element in a new row takes the next slot once its row is granted.
  assign room        = 32'(count) + 32'(s1_valid_q) + 32'(s2_valid_q) < Depth;
  assign reuse       = have_row_q && (row_q == addr[OffBits-1:OB]);
  assign avail       = 32'(used_q) + 32'(gnt) >= (have_row_q ? 32'd2 : 32'd1);
  assign issue       = active_q && room && (reuse || avail) && !clr_i;
  assign job_ready_o = (!active_q || (issue && last)) && !clr_i;
  assign load        = job_valid_i && job_ready_o;
  // Slots left: the old row when an element moves to a new one, the job's last row with its
  // last element.
  assign rel_row     = issue && !reuse && have_row_q;
  assign rel_end     = issue && last;
  function automatic logic [SB-1:0] inc_f(logic [SB-1:0] x);
    inc_f = (32'(x) == RowSlots - 1) ? '0 : x + SB'(1);
  endfunction
  assign hd_nx       = rel_row ? inc_f(hd_q) : hd_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q   <= 1'b0;
      have_row_q <= 1'b0;
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
    end else if (clr_i) begin
      active_q   <= 1'b0;
      have_row_q <= 1'b0;
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
      f_active_q <= 1'b0;
      cap_q      <= 1'b0;
      used_q     <= '0;
      hd_q       <= '0;
      wr_q       <= '0;
    end else begin
      s1_valid_q <= issue;
      s2_valid_q <= s1_valid_q;
      cap_q      <= gnt;
      if (gnt) wr_q <= inc_f(wr_q);
      used_q <= used_q + SC'(gnt) - SC'(rel_row) - SC'(rel_end);
      hd_q   <= rel_end ? inc_f(hd_nx) : hd_nx;
      // A new job never reuses the previous job's rows (other partitions, and an engine may
      // have written them since): its last element gives its row back.
      if (rel_end) have_row_q <= 1'b0;
      else if (issue && !reuse) have_row_q <= 1'b1;
      if (f_step && f_last) f_active_q <= 1'b0;
      if (load) begin
        active_q   <= 1'b1;
        f_active_q <= 1'b1;
      end else if (rel_end) begin
        active_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (load) begin
      pstart_q <= job_pstart_i;
      np_q     <= job_np_i;
      lg_q     <= job_lg_i;
    end
    if (gnt) begin
      f_first_q  <= 1'b0;
      f_row_q    <= f_row;
      cap_slot_q <= wr_q;
      cap_psum_q <= rd_psum_i;
      cap_bank_q <= (PsBanks > 1) ? BB'(f_row[PsBankLsb +: BB]) : '0;
    end
    // A job loads when the last element of the previous one issues, possibly with that
    // element's row granted in the same cycle: the new job still fetches its first row.
    if (load) f_first_q <= 1'b1;
    if (issue) begin
      s1_off_q    <= addr[OB-1:0];
      s1_slot_q   <= hd_nx;
      s1_end_q    <= at_end;
      s1_lg_q     <= lg_q;
      s1_pstart_q <= pstart_q;
      if (!reuse) row_q <= addr[OffBits-1:OB];
    end
    // A row is in the memory's rows the cycle after its grant only: kept in its slot (a loop
    // over the partitions and banks with constant selects).
    if (cap_q) begin
      logic [RW-1:0] arr;
      for (int p = 0; p < P; p++) begin
        arr[p*PR +: PR] = sb_rows_i[p*PR +: PR];
        for (int b = 0; b < PsBanks; b++) begin
          if (cap_psum_q && BB'(b) == cap_bank_q) arr[p*PR +: PR] = ps_rows_i[(p*PsBanks + b)*PR +: PR];
        end
      end
      for (int r = 0; r < RowSlots; r++) begin
        if (SB'(r) == cap_slot_q) slots_q[r*RW +: RW] <= arr;
      end
    end
    // The element of every partition at the row offset, rotated so lane l has partition
    // pstart + l; computed only when an element is in stage 1 (simulation speed).
    if (s1_valid_q) begin
      logic [RW-1:0]   rows;
      logic [P*32-1:0] elems;
      logic [31:0]     mask, word;
      // The rows arriving this cycle (as the capture above takes them), or the slot that holds them.
      if (cap_q && cap_slot_q == s1_slot_q) begin
        for (int p = 0; p < P; p++) begin
          rows[p*PR +: PR] = sb_rows_i[p*PR +: PR];
          for (int b = 0; b < PsBanks; b++) begin
            if (cap_psum_q && BB'(b) == cap_bank_q) rows[p*PR +: PR] = ps_rows_i[(p*PsBanks + b)*PR +: PR];
          end
        end
      end else begin
        rows = slots_q[0 +: RW];
        for (int r = 1; r < RowSlots; r++) begin
          if (SB'(r) == s1_slot_q) rows = slots_q[r*RW +: RW];
        end
      end
      mask = s1_lg_q == 2'd0 ? 32'h0000_00FF : (s1_lg_q == 2'd1 ? 32'h0000_FFFF : 32'hFFFF_FFFF);
      // An element is aligned to its size: it lies in the 32-bit word at off / 4 (a select
      // among the row's words, not a shift of the whole row).
      for (int p = 0; p < P; p++) begin
        word = '0;
        for (int w = 0; w < RB / 4; w++) begin
          if (32'(w) == 32'(s1_off_q[OB-1:2])) word = rows[p*RB*8 + w*32 +: 32];
        end
        elems[p*32 +: 32] = (word >> {s1_off_q[1:0], 3'b000}) & mask;
      end
      for (int l = 0; l < P; l++) begin
        s2_data_q[l*32 +: 32] <= elems[32'(PartBits'(32'(s1_pstart_q) + 32'(l)))*32 +: 32];
      end
      s2_end_q <= s1_end_q;
    end
  end

  fifo #(
    .Width(W),
    .Depth(Depth)
  ) u_out (
    .clk_i,
    .rst_ni,
    .clr_i,
    .in_valid_i (s2_valid_q),
    .in_ready_o (fifo_in_ready),
    .in_data_i  ({s2_end_q, s2_data_q}),
    .out_valid_o,
    .out_ready_i,
    .out_data_o ({out_at_end_o, out_data_o}),
    .count_o    (count)
  );

  `ASSERT_KNOWN(job_valid_known, job_valid_i)
  `ASSERT_STABLE(job_stable, job_valid_i && !job_ready_o && !clr_i,
                 {job_pstart_i, job_np_i, job_lg_i, job_base_i, job_n_i, job_s_i})
  `ASSERT(job_lanes_in_range, job_valid_i |-> job_np_i != 8'd0 && 32'(job_pstart_i) + 32'(job_np_i) <= P)
  `ASSERT(fifo_never_full_on_push, s2_valid_q |-> fifo_in_ready)
  `ASSERT(slots_in_range, 32'(used_q) <= RowSlots)
  // The fetch walker and the element walker agree on the rows: an element that enters a new row
  // finds that row in its slot (the rows' numbers are kept for this check only).
  logic [RowSlots*RowBits-1:0] slot_row_q;
  logic [RowBits-1:0]          hd_row;
  always_ff @(posedge clk_i) begin
    if (gnt) slot_row_q[wr_q*RowBits +: RowBits] <= f_row;
  end
  assign hd_row = slot_row_q[hd_nx*RowBits +: RowBits];
  `ASSERT(rows_in_order, issue && !reuse && !gnt |-> hd_row == addr[OffBits-1:OB])
  `ASSERT(rows_in_order_gnt, issue && !reuse && gnt && 32'(used_q) == (have_row_q ? 1 : 0) |->
                             f_row == addr[OffBits-1:OB])

endmodule
