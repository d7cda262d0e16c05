/// link_ctrl: the protocol of a link port (docs/links.md sections 2 to 4 and 9), the state of
/// the C++ reference systole::link::Port and its step() written out: once per cycle, the flit
/// link_rx completed (if any) goes through the RX path (CRC, TRAIN handshake with 32-bit epochs,
/// epoch check, cumulative ACK with its window, NAK once per error episode, sequence check,
/// credits), then the timers (replay timeout, silence, handshake timeout, with the escalation
/// ReplayLimit -> retrain -> RetrainLimit -> down), then, when link_tx can start a flit, the TX
/// choice (TRAIN, TRAIN(done), NAK, go-back-N replay, a new DATA flit round-robin between the
/// VCs, CREDIT, IDLE). Then the user's send (a one-packet TX register per VC, in_ready_o =
/// can_send) and pop (credits to return) are taken. Protocol errors take the port down at once
/// (down_o, reason_o: link_pkg::Err*). reset_i is the C++ reset() (epoch + 1, a fresh session,
/// counters kept: link_counters counts the events this module reports); rst_ni is power-on
/// (epoch 0). The replay buffer is link_tx's.
`include "systole_assert.svh"

module link_ctrl #(
  parameter int unsigned ReplayFlits   = 35,
  parameter int unsigned RxFlits0      = 35,
  parameter int unsigned RxFlits1      = 35,
  parameter int unsigned AckCoalesce   = 32,
  parameter int unsigned ReplayLimit   = 4,
  parameter int unsigned RetrainLimit  = 3,
  parameter int unsigned ReplayTimeout = 1680,
  parameter int unsigned TrainTimeout  = 1680,
  parameter int unsigned TrainInterval = 32,
  parameter int unsigned KeepAlive     = 560,
  parameter int unsigned SilenceLimit  = 1680,
  parameter int unsigned SlotW = (ReplayFlits > 1) ? $clog2(ReplayFlits) : 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  // Management: reset this end (C++ reset()), start a retrain (C++ request_retrain()).
  input  logic             reset_i,
  input  logic             retrain_i,
  // The flit received (link_rx): header and payload bytes 0..9.
  input  logic             rx_flit_i,
  input  logic             rx_crc_ok_i,
  input  logic [63:0]      rx_hdr_i,
  input  logic [79:0]      rx_ctl_i,
  // The RX buffers (link_rx).
  output logic             rx_push_o,
  output logic             rx_push_vc_o,
  output logic             rx_clr_o,
  input  logic [15:0]      rx_count_i,
  // The TX wire (link_tx).
  input  logic             tx_ready_i,
  output logic             tx_start_o,
  output logic [63:0]      tx_hdr_o,
  output logic [1951:0]    tx_payload_o,
  output logic             tx_from_ram_o,
  output logic             tx_store_o,
  output logic [SlotW-1:0] tx_slot_o,
  // The user: send (one bus, in_vc_i says which VC's register) and pop.
  input  logic             in_valid_i,
  output logic [1:0]       in_ready_o,
  input  logic             in_vc_i,
  input  logic [7:0]       in_dst_i,
  input  logic [7:0]       in_len_i,
  input  logic [1951:0]    in_payload_i,
  input  logic             pop_i,
  input  logic             pop_vc_i,
  output logic             pop_ok_o,     // a pop is taken this cycle (not during a flush)
  // Status and LINK_ERROR.
  output logic [1:0]       state_o,
  output logic             confirmed_o,
  output logic             down_o,
  output logic [2:0]       reason_o,
  output logic [31:0]      epoch_o,
  output logic [11:0]      next_seq_o,
  output logic [15:0]      credits_o,    // {VC 1, VC 0}: the peer's RX entries this end may use
  // Counter events of this cycle, for link_counters: {sessions, protocol errors, link downs,
  // timeouts, retrains, replays, CRC errors, flits rx, flits tx}, 2 bits each; payload bytes.
  output logic [17:0]      cnt_ev_o,
  output logic [7:0]       cnt_bytes_tx_o,
  output logic [7:0]       cnt_bytes_rx_o
);

  localparam int unsigned TW = 24;  // the "cycles since" counters, saturating
  localparam logic [TW-1:0] TMax = {TW{1'b1}};

  // ---- state: every register has a _q and a _d ---------------------------------------------------
  logic [1:0]       st_q, st_d;
  logic [31:0]      ep_q, ep_d, peer_ep_q, peer_ep_d;
  logic             ep_fresh_q, ep_fresh_d, peer_known_q, peer_known_d, heard_q, heard_d;
  logic             train_reply_q, train_reply_d, peer_up_q, peer_up_d;
  logic [TW-1:0]    t_train_q, t_train_d, t_ltrain_q, t_ltrain_d, t_timer_q, t_timer_d;
  logic [TW-1:0]    t_credit_q, t_credit_d, t_ack_q, t_ack_d, t_rxv_q, t_rxv_d, t_ltx_q, t_ltx_d;
  logic             timer_run_q, timer_run_d;
  logic [7:0]       replay_num_q, replay_num_d, retrain_num_q, retrain_num_d;
  logic [11:0]      next_seq_q, next_seq_d, acked_q, acked_d, resend_q, resend_d;
  logic [SlotW-1:0] head_q, head_d;
  logic [1:0]       stg_v_q, stg_v_d;
  logic             last_vc_q, last_vc_d;
  logic [7:0]       cred0_q, cred0_d, cred1_q, cred1_d, maxc0_q, maxc0_d, maxc1_q, maxc1_d;
  logic [7:0]       pend0_q, pend0_d, pend1_q, pend1_d;
  logic [11:0]      rx_exp_q, rx_exp_d;
  logic             rx_any_q, rx_any_d, nak_ep_q, nak_ep_d, nak_pend_q, nak_pend_d;
  logic             ack_pend_q, ack_pend_d, ack_force_q, ack_force_d;
  logic [2:0]       reason_q, reason_d;
  logic [1:0]       e_ftx, e_frx, e_crc, e_rep, e_ret, e_tmo, e_down, e_proto, e_sess;
  logic [7:0]       e_btx, e_brx;
  // The staged packets (the C++ TX registers) and the replay entries' headers.
  logic [1951:0]    stg0_pay_q, stg1_pay_q;
  logic [7:0]       stg0_dst_q, stg1_dst_q, stg0_len_q, stg1_len_q;
  logic [34:0]      nhdr;  // a new sequenced flit's {kind, vc, credits0, credits1, len, dst}

  // ---- the received flit (dst is the RX buffer's; TRAIN flag bits 2..7 are ignored) -----------
  /* verilator lint_off UNUSEDSIGNAL */
  link_pkg::hdr_t rh;
  link_pkg::ctl_t rc;
  /* verilator lint_on UNUSEDSIGNAL */
  assign rh = rx_hdr_i;
  assign rc = rx_ctl_i;

  // ---- procedural temporaries ----------------------------------------------------------------------
  logic [11:0] outst, fwd, dseq, ack_arg, nak_ack;
  logic        ack_ok, skip, fr, sent, took;
  logic        vc_k;
  logic [31:0] ediff;
  logic [1:0]  can_send;

  function automatic logic [SlotW-1:0] slot_add(input logic [SlotW-1:0] h, input logic [11:0] n);
    logic [31:0] s;
    s = 32'(h) + 32'(n);
    if (s >= ReplayFlits) s = s - ReplayFlits;
    slot_add = s[SlotW-1:0];
  endfunction

  function automatic logic [TW-1:0] sat_inc(input logic [TW-1:0] t);
    sat_inc = (t == TMax) ? t : t + TW'(1);
  endfunction

  // The C++ Port's helper methods, as macros over the _d variables (undefined at the end).
`define LC_GO_DOWN(r) \
    begin st_d = link_pkg::StDown; e_down = e_down + 2'd1; \
      if ((r) != link_pkg::ErrRetrainLimit) e_proto = e_proto + 2'd1; \
      reason_d = (r); timer_run_d = 1'b0; end
`define LC_START_TRAIN(f) \
    begin st_d = link_pkg::StTrain; ep_d = ep_d + 32'd1; ep_fresh_d = (f); heard_d = 1'b0; \
      t_train_d = '0; train_reply_d = 1'b1; timer_run_d = 1'b0; nak_pend_d = 1'b0; \
      nak_ep_d = 1'b0; ack_pend_d = 1'b0; ack_force_d = 1'b0; end
`define LC_FLUSH \
    begin e_sess = e_sess + 2'd1; next_seq_d = '0; acked_d = 12'hFFF; head_d = '0; \
      resend_d = '0; timer_run_d = 1'b0; replay_num_d = '0; stg_v_d = '0; rx_clr_o = 1'b1; \
      rx_push_o = 1'b0; cred0_d = '0; cred1_d = '0; maxc0_d = '0; maxc1_d = '0; pend0_d = '0; \
      pend1_d = '0; rx_exp_d = '0; rx_any_d = 1'b0; ep_fresh_d = 1'b1; end
`define LC_START_RETRAIN \
    begin if (32'(retrain_num_d) >= RetrainLimit) `LC_GO_DOWN(link_pkg::ErrRetrainLimit) \
      else begin retrain_num_d = retrain_num_d + 8'd1; e_ret = e_ret + 2'd1; \
        fr = st_d == link_pkg::StTrain && ep_fresh_d; `LC_START_TRAIN(fr) end end
`define LC_TRIGGER_REPLAY \
    begin if (32'(replay_num_d) >= ReplayLimit) begin replay_num_d = '0; `LC_START_RETRAIN end \
      else begin replay_num_d = replay_num_d + 8'd1; e_rep = e_rep + 2'd1; resend_d = '0; \
        timer_run_d = 1'b0; end end
  // A cumulative ACK of ack_arg (the window of section 2); ack_ok low when the port went down.
`define LC_ON_ACK(r) \
    begin ack_ok = 1'b1; outst = next_seq_d - acked_d - 12'd1; fwd = ack_arg - acked_d; \
      if (fwd != 12'd0) begin \
        if (fwd <= outst) begin head_d = slot_add(head_d, fwd); \
          resend_d = resend_d > fwd ? resend_d - fwd : 12'd0; acked_d = ack_arg; \
          replay_num_d = '0; retrain_num_d = '0; timer_run_d = outst != fwd; t_timer_d = '0; end \
        else if (!fwd[11]) begin `LC_GO_DOWN(r) ack_ok = 1'b0; end \
      end end
`define LC_NOTE_ACK(force) \
    begin if (!ack_pend_d) t_ack_d = '0; ack_pend_d = 1'b1; ack_force_d = ack_force_d || (force); end

  always_comb begin
    st_d = st_q; ep_d = ep_q; peer_ep_d = peer_ep_q; ep_fresh_d = ep_fresh_q;
    peer_known_d = peer_known_q; heard_d = heard_q; train_reply_d = train_reply_q;
    peer_up_d = peer_up_q; t_train_d = t_train_q; t_ltrain_d = t_ltrain_q; t_timer_d = t_timer_q;
    t_credit_d = t_credit_q; t_ack_d = t_ack_q; t_rxv_d = t_rxv_q; t_ltx_d = t_ltx_q;
    timer_run_d = timer_run_q; replay_num_d = replay_num_q; retrain_num_d = retrain_num_q;
    next_seq_d = next_seq_q; acked_d = acked_q; resend_d = resend_q; head_d = head_q;
    stg_v_d = stg_v_q; last_vc_d = last_vc_q; cred0_d = cred0_q; cred1_d = cred1_q;
    maxc0_d = maxc0_q; maxc1_d = maxc1_q; pend0_d = pend0_q; pend1_d = pend1_q;
    rx_exp_d = rx_exp_q; rx_any_d = rx_any_q; nak_ep_d = nak_ep_q; nak_pend_d = nak_pend_q;
    ack_pend_d = ack_pend_q; ack_force_d = ack_force_q; reason_d = reason_q;
    e_ftx = '0; e_frx = '0; e_crc = '0; e_rep = '0; e_ret = '0; e_tmo = '0; e_down = '0;
    e_proto = '0; e_sess = '0; e_btx = '0; e_brx = '0;
    rx_push_o = 1'b0; rx_push_vc_o = rh.vc; rx_clr_o = 1'b0;
    tx_start_o = 1'b0; tx_hdr_o = '0; tx_payload_o = '0; tx_from_ram_o = 1'b0; tx_store_o = 1'b0;
    tx_slot_o = '0; nhdr = '0;
    outst = '0; fwd = '0; dseq = '0; ack_arg = '0; nak_ack = '0; ack_ok = 1'b1; skip = 1'b0;
    fr = 1'b0; sent = 1'b0; took = 1'b0; vc_k = 1'b0; ediff = '0; can_send = '0; pop_ok_o = 1'b0;

    // ---- management (between cycles in the C++ model) ----
    if (reset_i) begin
      peer_known_d = 1'b0;
      retrain_num_d = '0;
      `LC_START_TRAIN(1'b1)
      `LC_FLUSH
    end else if (retrain_i && st_d == link_pkg::StUp) begin
      e_ret = e_ret + 2'd1;
      `LC_START_TRAIN(1'b0)
    end

    // ---- the RX path (port_rx.cpp on_rx); a flit in the cycle of a reset_i comes after it ----
    if (rx_flit_i) begin
      e_frx = e_frx + 2'd1;
      if (!rx_crc_ok_i) begin
        e_crc = e_crc + 2'd1;
        if (st_d == link_pkg::StUp && !nak_ep_d) begin
          nak_ep_d = 1'b1;
          nak_pend_d = 1'b1;
        end
      end else if (st_d != link_pkg::StDown) begin
        if (rh.kind == link_pkg::KindControl && rc.op == link_pkg::OpTrain) begin
          // ---- on_train ----
          ediff = rc.epoch - peer_ep_d;
          if (rc.epoch[3:0] != rh.epoch) begin
            `LC_GO_DOWN(link_pkg::ErrBadFlit)
          end else begin
            if (st_d == link_pkg::StUp) begin
              if (ediff == 32'd0) begin
                if (rc.flags[1]) peer_up_d = 1'b1;
                else train_reply_d = 1'b1;
                skip = 1'b1;
              end else if (ediff[31]) begin
                skip = 1'b1;  // an old TRAIN
              end else begin
                `LC_START_TRAIN(rc.flags[0])  // join the peer's handshake
                if (rc.flags[0]) `LC_FLUSH
              end
            end
            if (!skip) begin
              if (peer_known_d && ediff != 32'd0 && ediff[31]) begin
                skip = 1'b1;  // stale
              end else begin
                if (!heard_d || ediff != 32'd0) train_reply_d = 1'b1;
                peer_ep_d = rc.epoch;
                peer_known_d = 1'b1;
                heard_d = 1'b1;
                if (rc.flags[0] && !ep_fresh_d) begin
                  `LC_FLUSH
                  train_reply_d = 1'b1;
                end
                if (rh.ack_valid && rc.echo == ep_d) begin
                  // ---- complete_handshake ----
                  ack_ok = 1'b1;
                  if (ep_fresh_d) begin
                    if (rh.credits0 == 8'd0 || rh.credits0 > 8'd127 || rh.credits1 == 8'd0 || rh.credits1 > 8'd127) begin
                      `LC_GO_DOWN(link_pkg::ErrBadFlit)
                      ack_ok = 1'b0;
                    end else begin
                      maxc0_d = rh.credits0; cred0_d = rh.credits0; maxc1_d = rh.credits1; cred1_d = rh.credits1;
                    end
                  end else begin
                    ack_arg = rh.seq - 12'd1;
                    outst = next_seq_d - acked_d - 12'd1;
                    if (ack_arg - acked_d > outst) begin
                      `LC_GO_DOWN(link_pkg::ErrBadResume)
                      ack_ok = 1'b0;
                    end else begin
                      `LC_ON_ACK(link_pkg::ErrBadResume)
                      resend_d = '0;
                    end
                  end
                  if (ack_ok) begin
                    if (next_seq_d - acked_d - 12'd1 == 12'd0) retrain_num_d = '0;
                    st_d = link_pkg::StUp;
                    train_reply_d = 1'b1;
                    peer_up_d = rc.flags[1];
                    t_rxv_d = '0;
                    t_ltx_d = '0;
                  end
                end
              end
            end
          end
        end else if (st_d != link_pkg::StUp || rh.epoch != peer_ep_d[3:0]) begin
          // dropped: before the handshake, or of another session
        end else begin
          t_rxv_d = '0;
          peer_up_d = 1'b1;
          unique case (rh.kind)
            link_pkg::KindControl: begin
              if (rc.op != link_pkg::OpNak) begin
                `LC_GO_DOWN(link_pkg::ErrBadFlit)
              end else begin
                // ---- on_nak: NAK(e) is ACK(e - 1), then a replay ----
                nak_ack = rh.seq - 12'd1;
                if (!(nak_ack - acked_d >= 12'd2048)) begin
                  ack_arg = nak_ack;
                  `LC_ON_ACK(link_pkg::ErrNakNotOutstanding)
                  if (ack_ok && next_seq_d - acked_d - 12'd1 != 12'd0 && resend_d != 12'd0)
                    `LC_TRIGGER_REPLAY
                end
              end
            end
            link_pkg::KindIdle: begin
              if (rh.credits0 != 8'd0 || rh.credits1 != 8'd0) begin
                `LC_GO_DOWN(link_pkg::ErrBadFlit)
              end else if (rh.ack_valid) begin
                ack_arg = rh.ack;
                `LC_ON_ACK(link_pkg::ErrAckNotOutstanding)
              end
            end
            default: begin  // DATA, CREDIT
              if (rh.ack_valid) begin
                ack_arg = rh.ack;
                `LC_ON_ACK(link_pkg::ErrAckNotOutstanding)
              end
              if (ack_ok) begin
                // ---- on_sequenced ----
                dseq = rh.seq - rx_exp_d;
                if (dseq != 12'd0) begin
                  if (!dseq[11]) begin
                    if (!nak_ep_d) begin
                      nak_ep_d = 1'b1;
                      nak_pend_d = 1'b1;
                    end
                  end else begin
                    `LC_NOTE_ACK(1'b1)  // a duplicate: ACK again at once
                  end
                end else if (rh.kind == link_pkg::KindData && rh.len > 8'd244) begin
                  `LC_GO_DOWN(link_pkg::ErrBadFlit)
                end else if (rh.kind == link_pkg::KindData &&
                             (rh.vc ? 32'(rx_count_i[15:8]) >= RxFlits1
                                   : 32'(rx_count_i[7:0]) >= RxFlits0)) begin
                  `LC_GO_DOWN(link_pkg::ErrRxOverflow)
                end else if (rh.credits0 > maxc0_d - cred0_d || rh.credits1 > maxc1_d - cred1_d) begin
                  `LC_GO_DOWN(link_pkg::ErrCreditOverflow)
                end else begin
                  cred0_d = cred0_d + rh.credits0;
                  cred1_d = cred1_d + rh.credits1;
                  if (rh.kind == link_pkg::KindData) begin
                    rx_push_o = 1'b1;
                    e_brx = rh.len;
                  end
                  rx_exp_d = rx_exp_d + 12'd1;
                  rx_any_d = 1'b1;
                  nak_ep_d = 1'b0;
                  nak_pend_d = 1'b0;
                  `LC_NOTE_ACK(1'b0)
                end
              end
            end
          endcase
        end
      end
    end

    // ---- the timers, after the RX path (port.cpp step) ----
    if (st_d == link_pkg::StUp && timer_run_d && 32'(t_timer_d) >= ReplayTimeout) begin
      e_tmo = e_tmo + 2'd1;
      `LC_TRIGGER_REPLAY
    end
    if (st_d == link_pkg::StUp && 32'(t_rxv_d) >= SilenceLimit) `LC_START_RETRAIN
    if (st_d == link_pkg::StTrain && 32'(t_train_d) >= TrainTimeout) `LC_START_RETRAIN

    // ---- the TX choice (port_tx.cpp choose_flit) ----
    outst = next_seq_d - acked_d - 12'd1;
    if (st_d != link_pkg::StDown && tx_ready_i && !reset_i) begin
      if (st_d == link_pkg::StTrain || train_reply_d) begin
        if (st_d != link_pkg::StTrain || train_reply_d || 32'(t_ltrain_d) >= TrainInterval) begin
          sent = 1'b1;
          if (st_d == link_pkg::StTrain) t_ltrain_d = '0;
          tx_hdr_o = link_pkg::hdr(link_pkg::KindControl, 1'b0, rx_exp_d, heard_d, 12'd0,
                                   8'(RxFlits0), 8'(RxFlits1), ep_d[3:0], 8'd0, 8'd0);
          tx_payload_o[79:0] = {heard_d ? peer_ep_d : 32'd0, ep_d,
                                6'd0, st_d != link_pkg::StTrain, ep_fresh_d, link_pkg::OpTrain};
          train_reply_d = 1'b0;
        end
      end else if (peer_up_d) begin
        if (nak_pend_d) begin
          sent = 1'b1;
          nak_pend_d = 1'b0;
          tx_hdr_o = link_pkg::hdr(link_pkg::KindControl, 1'b0, rx_exp_d, 1'b0, 12'd0, 8'd0, 8'd0,
                                   ep_d[3:0], 8'd0, 8'd0);
          tx_payload_o[7:0] = link_pkg::OpNak;
        end else if (resend_d < outst) begin
          // go-back-N: the next unacknowledged flit again, with the ACK of now
          sent = 1'b1;
          tx_slot_o = slot_add(head_d, resend_d);
          tx_from_ram_o = 1'b1;  // kind, vc, credits, len and dst: link_tx keeps them
          tx_hdr_o = link_pkg::hdr(2'd0, 1'b0, acked_d + 12'd1 + resend_d, rx_any_d,
                                   rx_any_d ? rx_exp_d - 12'd1 : 12'd0, 8'd0, 8'd0, ep_d[3:0],
                                   8'd0, 8'd0);
          resend_d = resend_d + 12'd1;
          ack_pend_d = 1'b0;
          ack_force_d = 1'b0;
          if (!timer_run_d) begin
            timer_run_d = 1'b1;
            t_timer_d = '0;
          end
        end else begin
          // a new packet, round-robin between the VCs
          for (int k = 0; k < 2; k++) begin
            vc_k = last_vc_q ^ (k == 0);
            if (!took && stg_v_d[vc_k] && (vc_k ? cred1_d : cred0_d) != 8'd0 &&
                32'(outst) < ReplayFlits) begin
              took = 1'b1;
              last_vc_d = vc_k;
            end
          end
          if (took || ((pend0_d != 8'd0 || pend1_d != 8'd0) && 32'(t_credit_d) >= AckCoalesce &&
                       32'(outst) < ReplayFlits)) begin
            // DATA, or CREDIT: sequenced, into the replay buffer
            sent = 1'b1;
            tx_store_o = 1'b1;
            tx_slot_o = slot_add(head_d, outst);
            if (took) begin
              nhdr = {link_pkg::KindData, last_vc_d, pend0_d, pend1_d,
                         last_vc_d ? stg1_len_q : stg0_len_q, last_vc_d ? stg1_dst_q : stg0_dst_q};
              tx_payload_o = last_vc_d ? stg1_pay_q : stg0_pay_q;
              stg_v_d[last_vc_d] = 1'b0;
              if (last_vc_d) cred1_d = cred1_d - 8'd1;
              else cred0_d = cred0_d - 8'd1;
              e_btx = nhdr[15:8];
            end else begin
              nhdr = {link_pkg::KindCredit, 1'b0, pend0_d, pend1_d, 8'd0, 8'd0};
            end
            tx_hdr_o = link_pkg::hdr(nhdr[34:33], nhdr[32], next_seq_d, rx_any_d,
                                     rx_any_d ? rx_exp_d - 12'd1 : 12'd0, nhdr[31:24],
                                     nhdr[23:16], ep_d[3:0], nhdr[15:8], nhdr[7:0]);
            pend0_d = '0;
            pend1_d = '0;
            next_seq_d = next_seq_d + 12'd1;
            resend_d = outst + 12'd1;
            ack_pend_d = 1'b0;
            ack_force_d = 1'b0;
            if (!timer_run_d) begin
              timer_run_d = 1'b1;
              t_timer_d = '0;
            end
          end else if ((ack_pend_d && (ack_force_d || 32'(t_ack_d) >= AckCoalesce)) ||
                       32'(t_ltx_d) >= KeepAlive) begin
            sent = 1'b1;
            tx_hdr_o = link_pkg::hdr(link_pkg::KindIdle, 1'b0, 12'd0, rx_any_d,
                                     rx_any_d ? rx_exp_d - 12'd1 : 12'd0, 8'd0, 8'd0, ep_d[3:0],
                                     8'd0, 8'd0);
            ack_pend_d = 1'b0;
            ack_force_d = 1'b0;
          end
        end
      end
    end
    if (sent) begin
      tx_start_o = 1'b1;
      e_ftx = e_ftx + 2'd1;
      t_ltx_d = '0;
    end

    // ---- the user, after the step ----
    if (pop_i && !rx_clr_o) begin
      pop_ok_o = 1'b1;
      if (pend0_d == 8'd0 && pend1_d == 8'd0) t_credit_d = '0;
      if (pop_vc_i) pend1_d = pend1_d + 8'd1;
      else pend0_d = pend0_d + 8'd1;
    end
    for (int v = 0; v < 2; v++) begin
      can_send[v] = st_d == link_pkg::StUp && peer_up_d && !stg_v_d[v];
    end
    if (in_valid_i && can_send[in_vc_i]) stg_v_d[in_vc_i] = 1'b1;

    // ---- time passes ----
    t_train_d = sat_inc(t_train_d);
    t_ltrain_d = sat_inc(t_ltrain_d);
    t_timer_d = sat_inc(t_timer_d);
    t_credit_d = sat_inc(t_credit_d);
    t_ack_d = sat_inc(t_ack_d);
    t_rxv_d = sat_inc(t_rxv_d);
    t_ltx_d = sat_inc(t_ltx_d);
  end

`undef LC_GO_DOWN
`undef LC_START_TRAIN
`undef LC_FLUSH
`undef LC_START_RETRAIN
`undef LC_TRIGGER_REPLAY
`undef LC_ON_ACK
`undef LC_NOTE_ACK

  assign in_ready_o            = can_send;
  assign state_o               = st_q;
  assign confirmed_o           = st_q == link_pkg::StUp && peer_up_q;
  assign down_o                = st_q == link_pkg::StDown;
  assign reason_o              = reason_q;
  assign epoch_o               = ep_q;
  assign next_seq_o            = next_seq_q;
  assign credits_o             = {cred1_q, cred0_q};
  assign cnt_ev_o       = {e_sess, e_proto, e_down, e_tmo, e_ret, e_rep, e_crc, e_frx, e_ftx};
  assign cnt_bytes_tx_o = e_btx;
  assign cnt_bytes_rx_o = e_brx;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      // Power-on: epoch 0, a fresh handshake starts at once (the C++ constructor).
      st_q <= link_pkg::StTrain; ep_q <= '0; peer_ep_q <= '0; ep_fresh_q <= 1'b1;
      peer_known_q <= 1'b0; heard_q <= 1'b0; train_reply_q <= 1'b1; peer_up_q <= 1'b0;
      t_train_q <= '0; t_ltrain_q <= '0; t_timer_q <= '0; t_credit_q <= '0; t_ack_q <= '0;
      t_rxv_q <= '0; t_ltx_q <= '0; timer_run_q <= 1'b0; replay_num_q <= '0;
      retrain_num_q <= '0; next_seq_q <= '0; acked_q <= 12'hFFF; resend_q <= '0; head_q <= '0;
      stg_v_q <= '0; last_vc_q <= 1'b1; cred0_q <= '0; cred1_q <= '0; maxc0_q <= '0;
      maxc1_q <= '0; pend0_q <= '0; pend1_q <= '0; rx_exp_q <= '0; rx_any_q <= 1'b0;
      nak_ep_q <= 1'b0; nak_pend_q <= 1'b0; ack_pend_q <= 1'b0; ack_force_q <= 1'b0;
      reason_q <= '0;
      stg0_pay_q <= '0; stg1_pay_q <= '0; stg0_dst_q <= '0; stg1_dst_q <= '0;
      stg0_len_q <= '0; stg1_len_q <= '0;
    end else begin
      st_q <= st_d; ep_q <= ep_d; peer_ep_q <= peer_ep_d; ep_fresh_q <= ep_fresh_d;
      peer_known_q <= peer_known_d; heard_q <= heard_d; train_reply_q <= train_reply_d;
      peer_up_q <= peer_up_d; t_train_q <= t_train_d; t_ltrain_q <= t_ltrain_d;
      t_timer_q <= t_timer_d; t_credit_q <= t_credit_d; t_ack_q <= t_ack_d; t_rxv_q <= t_rxv_d;
      t_ltx_q <= t_ltx_d; timer_run_q <= timer_run_d; replay_num_q <= replay_num_d;
      retrain_num_q <= retrain_num_d; next_seq_q <= next_seq_d; acked_q <= acked_d;
      resend_q <= resend_d; head_q <= head_d; stg_v_q <= stg_v_d; last_vc_q <= last_vc_d;
      cred0_q <= cred0_d; cred1_q <= cred1_d; maxc0_q <= maxc0_d; maxc1_q <= maxc1_d;
      pend0_q <= pend0_d; pend1_q <= pend1_d; rx_exp_q <= rx_exp_d; rx_any_q <= rx_any_d;
      nak_ep_q <= nak_ep_d; nak_pend_q <= nak_pend_d; ack_pend_q <= ack_pend_d;
      ack_force_q <= ack_force_d; reason_q <= reason_d;
      if (in_valid_i && can_send[0] && !in_vc_i) begin
        stg0_pay_q <= in_payload_i; stg0_dst_q <= in_dst_i; stg0_len_q <= in_len_i;
      end
      if (in_valid_i && can_send[1] && in_vc_i) begin
        stg1_pay_q <= in_payload_i; stg1_dst_q <= in_dst_i; stg1_len_q <= in_len_i;
      end
    end
  end

`ifndef SYNTHESIS
  `ASSERT(send_len_le_244, in_valid_i |-> in_len_i <= 8'd244)
`endif

endmodule
