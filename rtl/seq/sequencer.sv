/// sequencer: runs a program (docs/chip.md section 4, docs/isa.md section 1).
/// fetch -> decode_check -> dispatch in program order into one insn_queue per engine (slot 0 =
/// the tensor engine, slot 1+q = DMA queue q, with EnableVector slot 1+DmaQueues = the vector
/// engine). NOP and END on SEQ run here: they hold back
/// dispatch until their semaphore wait is satisfied; END then waits until every queue is empty
/// (every instruction completed) and no fetch is outstanding, and ends the program (DONE). The
/// semaphores live in sem_file; an engine's issue point is offered to the engine only when its
/// wait is satisfied.
///
/// Errors: the first error (static, found by decode_check; AXI error on a fetch or reported by a
/// DMA queue; TABLE_ERROR reported by the vector engine; semaphore overflow; PROG_LEN reached without END; watchdog) is latched with code,
/// index and ERR_INFO; in the same cycle the lowest index wins. The core then *quiesces*:
/// nothing more is fetched, dispatched or issued, stop_o tells the DMA queues to finish what is
/// on the bus, and when the fetch unit and every engine are idle a one-cycle clr_o flushes
/// everything; BUSY clears and ERROR is set. Soft reset takes the same path and then clears the
/// error state and the semaphores, with no DONE or ERROR event.
/// Instruction fields and codes are read through the views and constants of isa_pkg.
`include "systole_assert.svh"

module sequencer #(
  parameter int Partitions  = 16,
  parameter int Columns     = 16,
  parameter int Nmax        = 512,
  parameter int SbufBytes   = 65536,
  parameter int PsumBytes   = 8192,
  parameter int EnableInt8  = 1,
  parameter int EnableBf16  = 1,
  parameter int EnableFp8   = 1,
  parameter int DmaQueues   = 4,
  parameter int QueueDepth  = 16,
  parameter int AxiDataBits = 256,
  // Instructions fetched ahead: 8 where the bus is wide enough for the DMA queues to saturate the
  // DRAM (a fetch then waits behind their bursts, so more must be in flight), else 4. The
  // software mirrors it: driver::fetch_slots.
  parameter int FetchSlots  = (AxiDataBits >= 256) ? 8 : 4,
  // The vector engine (engine VEC): its slot, and decode_check accepts vector instructions.
  parameter int EnableVector = 0,
  parameter int NEng        = 1 + DmaQueues + ((EnableVector != 0) ? 1 : 0)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // Host (csr_regs).
  input  logic                   start_i,
  input  logic                   soft_reset_i,
  input  logic [31:0]            prog_base_i,
  input  logic [31:0]            prog_len_i,
  input  logic [31:0]            watchdog_i,
  input  logic [127:0]           win_base_i,
  input  logic [127:0]           win_limit_i,
  input  logic [11:0]            win_ctrl_i,
  input  logic                   sem_we_i,
  input  logic [4:0]             sem_idx_i,
  input  logic [31:0]            sem_wdata_i,
  input  logic [4:0]             sem_rd_idx_i,
  output logic [31:0]            sem_rd_data_o,
  output logic                   busy_o,
  output logic                   done_o,
  output logic                   error_o,
  output logic [7:0]             err_code_o,
  output logic [31:0]            err_index_o,
  output logic [31:0]            err_info_o,
  output logic                   done_event_o,
  output logic                   error_event_o,
  // Instruction fetch: AXI read channels (ID 0 at the arbiter).
  output logic                   ar_valid_o,
  input  logic                   ar_ready_i,
  output logic [31:0]            ar_addr_o,
  output logic [7:0]             ar_len_o,
  input  logic                   r_valid_i,
  output logic                   r_ready_o,
  input  logic [AxiDataBits-1:0] r_data_i,
  input  logic [1:0]             r_resp_i,
  input  logic                   r_last_i,
  // Engines (isa_pkg engine issue interface): slot 0 = the tensor engine, slot 1+q = DMA
  // queue q, slot 1+DmaQueues the vector engine (EnableVector); slot e's eng_req_t at [e*ENG_REQ_BITS +: ENG_REQ_BITS], its eng_rsp_t likewise.
  output logic [NEng*isa_pkg::ENG_REQ_BITS-1:0] eng_req_o,
  input  logic [NEng*isa_pkg::ENG_RSP_BITS-1:0] eng_rsp_i,
  output logic                   stop_o,
  output logic                   clr_o,
  // Counter events.
  output logic [15:0]            fetch_bytes_o,
  output logic [3:0]             retired_o,
  output logic [3:0]             stall_sem_o,
  output logic                   stall_queue_o,
  // Timeline events for the simulator (sim/: --timeline; no hardware reads them): per slot e,
  // bit e an instruction issued to the engine (or a NOP fired), bit NEng+e one retired, bit
  // 2*NEng+e the issue point waits on its semaphore; bit 3*NEng a SEQ instruction retired,
  // 3*NEng+1 SEQ's head waits on its semaphore.
  output logic [3*NEng+1:0]      tl_events_o
);

  localparam int NSrc = NEng + 1;  // semaphore signal sources: engines and SEQ
  localparam int SrcBits = $clog2(NSrc);
  localparam int IB = isa_pkg::INSN_BITS;
  localparam int HB = isa_pkg::HDR_BITS;
  localparam int RQB = isa_pkg::ENG_REQ_BITS;
  localparam int RSB = isa_pkg::ENG_RSP_BITS;

  // Engine id of a slot.
  function automatic logic [3:0] slot_engine(input int s);
    slot_engine = (s == 0) ? isa_pkg::ENG_TENSOR :
                  (s <= DmaQueues) ? isa_pkg::ENG_DMA0 + 4'(s - 1) : isa_pkg::ENG_VEC;
  endfunction

  // ---- run state -----------------------------------------------------------------------------
  logic run_q, quiesce_q, flush_q, sr_q, done_q, error_q, ended_q;
  logic lat_q;                       // an error is latched (code/index/info valid)
  logic [7:0]  err_code_q;
  logic [31:0] err_index_q, err_info_q;
  logic [31:0] len_q, wd_cnt_q;

  // ---- fetch ---------------------------------------------------------------------------------
  logic           f_valid, f_err, f_pop, f_idle, f_fetched;
  isa_pkg::insn_t f_insn;  // the instruction at the head of fetch
  logic [1:0]     f_resp;
  logic [31:0]    f_index;

  fetch #(.AxiDataBits(AxiDataBits), .Slots(FetchSlots)) u_fetch (
    .clk_i, .rst_ni, .clr_i(clr_o), .stop_i(stop_o),
    .start_i, .prog_base_i, .prog_len_i,
    .ar_valid_o, .ar_ready_i, .ar_addr_o, .ar_len_o,
    .r_valid_i, .r_ready_o, .r_data_i, .r_resp_i, .r_last_i,
    .head_valid_o(f_valid), .head_words_o(f_insn), .head_err_o(f_err), .head_resp_o(f_resp),
    .head_index_o(f_index), .pop_i(f_pop), .idle_o(f_idle), .fetched_o(f_fetched)
  );

  // ---- decode and static checks --------------------------------------------------------------
  logic       dc_in_valid, dc_in_ready, dc_out_valid, dc_out_ready, dc_started_q;
  logic [7:0] dc_code;
  logic [3:0] dc_engine;
  logic       seqp_q;               // a NOP/END on SEQ is pending
  logic       seqp_end_q;
  // Its w0 and w1; only the semaphore fields are read.
  /* verilator lint_off UNUSEDSIGNAL */
  isa_pkg::head_t seqp_head_q;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [31:0] seqp_index_q;

  // A new check starts only in the running state, with nothing pending on SEQ and no END seen,
  // on a fetched instruction without fetch error; a check once started is carried to its end
  // (decode_check reads the words in place until in_ready).
  assign dc_in_valid = dc_started_q ||
                       (run_q && !seqp_q && !ended_q && f_valid && !f_err && !dc_out_valid);

  decode_check #(
    .Partitions(Partitions), .Columns(Columns), .Nmax(Nmax), .SbufBytes(SbufBytes),
    .PsumBytes(PsumBytes), .EnableInt8(EnableInt8), .EnableBf16(EnableBf16),
    .EnableFp8(EnableFp8), .DmaQueues(DmaQueues), .HasVector(EnableVector)
  ) u_check (
    .clk_i, .rst_ni,
    .in_valid_i(dc_in_valid), .in_ready_o(dc_in_ready), .in_words_i(f_insn),
    .win_base_i, .win_limit_i, .win_ctrl_i,
    .out_valid_o(dc_out_valid), .out_ready_i(dc_out_ready),
    .out_code_o(dc_code), .out_engine_o(dc_engine)
  );

  // ---- engine slots --------------------------------------------------------------------------
  // Each slot's response, one slot after the other through one view signal (as `iss` below).
  logic [NEng-1:0]   eng_valid, eng_ready, eng_done, eng_idle, eng_err, eng_err_write, eng_beat,
                     eng_terr;
  logic [NEng*2-1:0] eng_err_resp;
  isa_pkg::eng_rsp_t rsp;
  always_comb begin
    for (int e = 0; e < NEng; e++) begin
      rsp                    = eng_rsp_i[e*RSB +: RSB];
      eng_ready[e]           = rsp.ready;
      eng_done[e]            = rsp.done;
      eng_idle[e]            = rsp.idle;
      eng_err[e]             = rsp.err;
      eng_err_resp[e*2 +: 2] = rsp.err_resp;
      eng_err_write[e]       = rsp.err_write;
      eng_beat[e]            = rsp.beat;
      eng_terr[e]            = rsp.terr;
    end
  end

  // ---- queues --------------------------------------------------------------------------------
  logic [NEng-1:0]        q_push, q_full, q_empty, q_iss_valid, q_ret, q_quiet, q_nop, nop_fire;
  logic [NEng*IB-1:0]     q_iss_words;  // slot e's issue point at [e*IB +: IB]
  logic [NEng*HB-1:0]     q_ret_hdr;    // slot e's retire point: its header at [e*HB +: HB]
  logic [NEng*32-1:0]     q_ret_index;
  logic [NEng-1:0]        q_sem_ok;
  logic [32*32-1:0]       sems;

  for (genvar e = 0; e < NEng; e++) begin : gen_q
    insn_queue #(.Depth(QueueDepth)) u_q (
      .clk_i, .rst_ni, .clr_i(clr_o),
      .push_i(q_push[e]), .push_words_i(f_insn), .push_index_i(f_index),
      .full_o(q_full[e]), .empty_o(q_empty[e]),
      .iss_valid_o(q_iss_valid[e]), .iss_words_o(q_iss_words[e*IB +: IB]),
      .iss_take_i((eng_valid[e] && eng_ready[e]) || nop_fire[e]),
      .none_issued_o(q_quiet[e]),
      .ret_i(q_ret[e]), .ret_hdr_o(q_ret_hdr[e*HB +: HB]), .ret_index_o(q_ret_index[e*32 +: 32])
    );
    // A NOP in an engine's queue runs here, not in the engine: once its wait holds and every
    // earlier instruction of the engine has completed, it is issued and retired in one cycle
    // (it signals then, like any instruction, after the engine's earlier work is visible).
    assign nop_fire[e]    = run_q && q_iss_valid[e] && q_sem_ok[e] && q_nop[e] && q_quiet[e];
    assign eng_valid[e]   = run_q && q_iss_valid[e] && q_sem_ok[e] && !q_nop[e];
    assign q_ret[e]       = (eng_done[e] || nop_fire[e]) && !clr_o;
    // Slot e's eng_req_t {valid, insn}: the words at its issue point, as they are. Assigned
    // per slot (a wide write in an always_comb loop trips a Verilator 5.006 code-gen bug).
    assign eng_req_o[e*RQB +: RQB] = {eng_valid[e], q_iss_words[e*IB +: IB]};
  end

  // The issue point of each slot seen as an instruction, one slot after the other through one
  // view signal (yosys 0.23 builds undefined members for a struct declared in a generate block):
  // its semaphore wait (decode_check refused ids >= 32) and whether it is a NOP.
  // Only w0 and w1 are read (the head).
  isa_pkg::head_t iss;
  always_comb begin
    for (int e = 0; e < NEng; e++) begin
      iss         = q_iss_words[e*IB +: isa_pkg::HEAD_BITS];
      q_sem_ok[e] = !iss.hdr.wait_en ||
                    (sems[iss.hdr.wait_sem[4:0]*32 +: 32] >= iss.wait_value);
      q_nop[e]    = (iss.hdr.opcode == isa_pkg::OP_NOP);
    end
  end

  // ---- dispatch ------------------------------------------------------------------------------
  logic        dc_ok, to_seq, disp, disp_blocked;
  logic [NEng-1:0] target;
  logic        seqp_sem_ok, seqp_retire, end_done, all_empty;

  assign dc_ok  = dc_out_valid && (dc_code == isa_pkg::ERR_NONE) && run_q;
  assign to_seq = (dc_engine == isa_pkg::ENG_SEQ);
  always_comb begin
    for (int e = 0; e < NEng; e++) target[e] = (dc_engine == slot_engine(e));
  end
  assign disp_blocked = dc_ok && !to_seq && ((target & q_full) != '0);
  assign disp         = dc_ok && !disp_blocked;
  assign q_push       = disp && !to_seq ? target : '0;
  assign f_pop        = disp;
  // Results are taken when dispatched, when they are an error, and thrown away while quiescing.
  assign dc_out_ready = disp || (dc_out_valid && (dc_code != isa_pkg::ERR_NONE)) || !run_q;

  assign seqp_sem_ok = !seqp_head_q.hdr.wait_en ||
                       (sems[seqp_head_q.hdr.wait_sem[4:0]*32 +: 32] >= seqp_head_q.wait_value);
  assign all_empty   = (q_empty == '1);
  assign seqp_retire = run_q && seqp_q && seqp_sem_ok && !seqp_end_q;
  assign end_done    = run_q && seqp_q && seqp_sem_ok && seqp_end_q && all_empty && f_idle;

  // ---- semaphores ----------------------------------------------------------------------------
  logic [NSrc-1:0]    sig_valid;
  logic [NSrc*5-1:0]  sig_sem;
  logic [NSrc*32-1:0] sig_index;
  logic               ovf;
  logic [31:0]        ovf_index;
  logic [SrcBits-1:0] ovf_src;
  // The header at each slot's retire point, one slot after the other (as `iss` above); only its
  // signal fields are read.
  isa_pkg::hdr_t      ret_hdr;
  logic               unused_ret_hdr;
  assign unused_ret_hdr = ^ret_hdr;

  always_comb begin
    for (int e = 0; e < NEng; e++) begin
      ret_hdr               = q_ret_hdr[e*HB +: HB];
      sig_valid[e]          = q_ret[e] && ret_hdr.signal_en;
      sig_sem[e*5 +: 5]     = ret_hdr.signal_sem[4:0];
      sig_index[e*32 +: 32] = q_ret_index[e*32 +: 32];
    end
    sig_valid[NEng]          = seqp_retire && seqp_head_q.hdr.signal_en;
    sig_sem[NEng*5 +: 5]     = seqp_head_q.hdr.signal_sem[4:0];
    sig_index[NEng*32 +: 32] = seqp_index_q;
  end

  sem_file #(.NSrc(NSrc)) u_sems (
    .clk_i, .rst_ni, .clr_i(clr_o && sr_q),
    .host_we_i(sem_we_i), .host_idx_i(sem_idx_i), .host_wdata_i(sem_wdata_i),
    .sig_valid_i(sig_valid), .sig_sem_i(sig_sem), .sig_index_i(sig_index),
    .ovf_o(ovf), .ovf_index_o(ovf_index), .ovf_src_o(ovf_src),
    .sems_o(sems)
  );
  assign sem_rd_data_o = sems[sem_rd_idx_i*32 +: 32];

  // The engine of the overflowing source.
  logic [3:0] ovf_engine;
  always_comb begin
    ovf_engine = isa_pkg::ENG_SEQ;
    for (int e = 0; e < NEng; e++) begin
      if (ovf_src == SrcBits'(e)) ovf_engine = slot_engine(e);
    end
  end

  // ---- errors --------------------------------------------------------------------------------
  // Candidates this cycle; the lowest index wins.
  logic        err_now;
  logic [7:0]  err_code;
  logic [31:0] err_index, err_info;
  logic        wd_fire, progress;
  logic [31:0] wd_index;
  logic [3:0]  wd_engine;

  assign progress = disp || (q_ret != '0) || seqp_retire || end_done || (eng_beat != '0);
  assign wd_fire  = run_q && (watchdog_i != 32'd0) && !progress && (wd_cnt_q + 32'd1 >= watchdog_i);

  // The lowest index among the instructions waiting: queue entries, the SEQ pending one and the
  // one at decode (or, with nothing fetched, the next to fetch).
  always_comb begin
    wd_index  = f_index;
    wd_engine = isa_pkg::ENG_SEQ;
    if (seqp_q && seqp_index_q < wd_index) begin
      wd_index = seqp_index_q;
    end
    for (int e = 0; e < NEng; e++) begin
      if (!q_empty[e] && q_ret_index[e*32 +: 32] < wd_index) begin
        wd_index  = q_ret_index[e*32 +: 32];
        wd_engine = slot_engine(e);
      end
    end
  end

  always_comb begin
    err_now   = 1'b0;
    err_code  = '0;
    err_index = '1;
    err_info  = '0;
    if (run_q) begin
      if (dc_out_valid && dc_code != isa_pkg::ERR_NONE) begin
        err_now   = 1'b1;
        err_code  = dc_code;
        err_index = f_index;
        err_info  = {28'd0, isa_pkg::ENG_SEQ};
      end
      if (f_valid && f_err && !seqp_q && !ended_q && !dc_out_valid && !dc_started_q &&
          (!err_now || f_index < err_index)) begin
        err_now   = 1'b1;
        err_code  = isa_pkg::ERR_AXI;
        err_index = f_index;
        err_info  = {25'd0, 1'b0, f_resp, isa_pkg::ENG_SEQ};
      end
      if (!ended_q && !seqp_q && (f_index == len_q) && (!err_now || len_q < err_index)) begin
        err_now   = 1'b1;
        err_code  = isa_pkg::ERR_BOUNDS;
        err_index = len_q;
        err_info  = {28'd0, isa_pkg::ENG_SEQ};
      end
      for (int e = 0; e < NEng; e++) begin
        if (eng_err[e] && (!err_now || q_ret_index[e*32 +: 32] < err_index)) begin
          err_now   = 1'b1;
          err_code  = isa_pkg::ERR_AXI;
          err_index = q_ret_index[e*32 +: 32];
          err_info  = {25'd0, eng_err_write[e], eng_err_resp[e*2 +: 2], slot_engine(e)};
        end
        if (eng_terr[e] && (!err_now || q_ret_index[e*32 +: 32] < err_index)) begin
          err_now   = 1'b1;
          err_code  = isa_pkg::ERR_TABLE;
          err_index = q_ret_index[e*32 +: 32];
          err_info  = {28'd0, slot_engine(e)};
        end
      end
      if (ovf && (!err_now || ovf_index < err_index)) begin
        err_now   = 1'b1;
        err_code  = isa_pkg::ERR_SEM_OVF;
        err_index = ovf_index;
        err_info  = {28'd0, ovf_engine};
      end
      if (wd_fire && !err_now) begin
        err_now   = 1'b1;
        err_code  = isa_pkg::ERR_WATCHDOG;
        err_index = wd_index;
        err_info  = {28'd0, wd_engine};
      end
    end
  end

  // ---- control -------------------------------------------------------------------------------
  logic all_idle;
  assign all_idle = f_idle && (eng_idle == '1) && !dc_started_q;
  assign stop_o   = quiesce_q;
  assign clr_o    = flush_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_q        <= 1'b0;
      quiesce_q    <= 1'b0;
      flush_q      <= 1'b0;
      sr_q         <= 1'b0;
      done_q       <= 1'b0;
      error_q      <= 1'b0;
      ended_q      <= 1'b0;
      lat_q        <= 1'b0;
      err_code_q   <= '0;
      err_index_q  <= '0;
      err_info_q   <= '0;
      len_q        <= '0;
      wd_cnt_q     <= '0;
      dc_started_q <= 1'b0;
      seqp_q       <= 1'b0;
      seqp_end_q   <= 1'b0;
      seqp_head_q  <= '0;
      seqp_index_q <= '0;
      done_event_o  <= 1'b0;
      error_event_o <= 1'b0;
    end else begin
      done_event_o  <= 1'b0;
      error_event_o <= 1'b0;
      flush_q       <= 1'b0;
      dc_started_q  <= dc_in_valid && !dc_in_ready;

      if (start_i) begin
        run_q    <= 1'b1;
        done_q   <= 1'b0;
        ended_q  <= 1'b0;
        len_q    <= prog_len_i;
        wd_cnt_q <= '0;
      end

      if (run_q) wd_cnt_q <= progress ? 32'd0 : wd_cnt_q + 32'd1;

      // SEQ pending instruction.
      if (disp && to_seq) begin
        seqp_q       <= 1'b1;
        seqp_end_q   <= (f_insn.head.hdr.opcode == isa_pkg::OP_END);
        seqp_head_q  <= f_insn.head;
        seqp_index_q <= f_index;
        if (f_insn.head.hdr.opcode == isa_pkg::OP_END) ended_q <= 1'b1;
      end
      if (seqp_retire) seqp_q <= 1'b0;

      if (end_done) begin
        seqp_q       <= 1'b0;
        run_q        <= 1'b0;
        done_q       <= 1'b1;
        done_event_o <= !soft_reset_i;
      end

      // First error: latch, stop running, quiesce.
      if (err_now && !lat_q && !end_done) begin
        lat_q       <= 1'b1;
        err_code_q  <= err_code;
        err_index_q <= err_index;
        err_info_q  <= err_info;
        run_q       <= 1'b0;
        quiesce_q   <= 1'b1;
      end

      // Quiesce finished: flush (one cycle), then idle.
      if (quiesce_q && all_idle && !flush_q && !soft_reset_i) begin
        flush_q   <= 1'b1;
      end
      if (flush_q) begin
        quiesce_q <= 1'b0;
        seqp_q    <= 1'b0;
        ended_q   <= 1'b0;
        wd_cnt_q  <= '0;
        if (sr_q) begin
          sr_q        <= 1'b0;
          lat_q       <= 1'b0;
          error_q     <= 1'b0;
          done_q      <= 1'b0;
          err_code_q  <= '0;
          err_index_q <= '0;
          err_info_q  <= '0;
        end else begin
          error_q       <= 1'b1;
          error_event_o <= !soft_reset_i;
        end
      end

      // Soft reset: quiesce (again, if it comes during a flush), then clear (sr_q).
      if (soft_reset_i) begin
        sr_q      <= 1'b1;
        run_q     <= 1'b0;
        quiesce_q <= 1'b1;
      end
    end
  end

  assign busy_o      = run_q || quiesce_q;
  assign done_o      = done_q;
  assign error_o     = error_q;
  assign err_code_o  = error_q ? err_code_q : 8'd0;
  assign err_index_o = error_q ? err_index_q : 32'd0;
  assign err_info_o  = error_q ? err_info_q : 32'd0;

  // ---- counter events ------------------------------------------------------------------------
  always_comb begin
    retired_o   = 4'(seqp_retire) + 4'(end_done);
    stall_sem_o = (seqp_q && !seqp_sem_ok && run_q) ? 4'd1 : 4'd0;
    for (int e = 0; e < NEng; e++) begin
      retired_o   = retired_o + 4'(q_ret[e]);
      stall_sem_o = stall_sem_o + 4'(run_q && q_iss_valid[e] && !q_sem_ok[e]);
    end
  end
  assign fetch_bytes_o = f_fetched ? 16'(isa_pkg::INSN_BYTES) : 16'd0;
  assign stall_queue_o = disp_blocked;
  assign tl_events_o   = {seqp_q && !seqp_sem_ok && run_q, seqp_retire || end_done,
                          run_q ? q_iss_valid & ~q_sem_ok : {NEng{1'b0}}, q_ret,
                          (eng_valid & eng_ready) | nop_fire};

  // ---- assertions ---------------------------------------------------------------------------
  `ASSERT(done_only_issued, eng_done != '0 |-> ((eng_done & q_quiet) == '0))
  `ASSERT(start_when_idle, start_i |-> !busy_o)

endmodule
