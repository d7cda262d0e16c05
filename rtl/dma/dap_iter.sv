/// dap_iter: walks the elements of DMA access patterns (docs/isa.md section 3, DAP), one job
/// after another, one element per cycle, and tells for each element how it groups into AXI
/// beats and INCR bursts (docs/chip.md section 6).
///
/// Job: a DAP (isa_pkg::dap_t, already statically checked), plus a tag carried with its elements.
/// The walker is a 4-dim dap_walker (counters and adders only) over one combined address
/// {partition, byte}: on chip, dim pdim = 3 - pdim_sel steps the partition field (stride s_pdim
/// partitions) and the other dims step bytes (s_d * size); in DRAM every dim steps bytes. Every
/// intermediate value of the walker is the address of an actual element, which the static
/// checks keep inside its space, so the two fields never carry into each other.
///
/// Element j is presented once element j+1 is known (or j is the last of its job), so that its
/// flags can look one element ahead:
///   beat_last_o:  element j+1 is in another AXI beat (or j is last);
///   burst_last_o: element j+1 starts a new burst (or j is last), burst_addr_o/burst_len_o then
///                 give the complete burst that ends with j. An element extends the burst when
///                 its beat is the burst's last beat, or the next beat up on the same 4 KiB page
///                 with the burst below MAX_BURST_BEATS beats.
/// The flags are meaningful for DRAM jobs only (on-chip consumers ignore them).
/// With Skip (the AR/AW address walkers), a DRAM dim 0 of consecutive elements is walked a beat
/// per step (dap_walker): the elements left out share a beat with the ones presented, so the
/// beats and bursts come out the same, up to one beat per cycle instead of one element.
/// Handshakes: job_valid_i/job_ready_o (a new job loads while the previous one's last element
/// waits at the output), elem_valid_o/elem_ready_i. Latency: the first element of a job is
/// presented two cycles after its load; then one element per cycle.
module dap_iter #(
  parameter int PartBits = 4,
  parameter int BeatLg   = 5,  // log2 of the AXI beat in bytes (2 .. 6)
  parameter int TagBits  = 2,
  parameter int Skip     = 0   // 1: address side, DRAM dim 0 runs walked a beat per step
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,
  input  logic                           clr_i,
  // Jobs: a DAP and a tag.
  input  logic                           job_valid_i,
  output logic                           job_ready_o,
  input  isa_pkg::dap_t                  job_dap_i,
  input  logic [TagBits-1:0]             job_tag_i,
  // Elements in iteration order.
  output logic                           elem_valid_o,
  input  logic                           elem_ready_i,
  output logic [PartBits-1:0]            elem_part_o,   // on chip: partition
  output logic [31:0]                    elem_addr_o,   // DRAM address, or byte in the partition
  output logic [1:0]                     elem_space_o,  // its job's space, size and tag
  output logic [1:0]                     elem_size_lg_o,
  output logic [TagBits-1:0]             elem_tag_o,
  output logic                           elem_last_o,   // the last element of its job
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

  // ---- walker: holds element k (w_valid_q) ---------------------------------------------------
  logic              w_valid_q, w_last, load, step, take_w, fire;
  logic [AW-1:0]     w_addr;
  logic [1:0]        w_space_q, w_lg_q;
  logic [TagBits-1:0] w_tag_q;

  dap_walker #(.AddrBits(AW), .BeatLg(BeatLg)) u_walker (
    .clk_i, .rst_ni,
    .load_i(load), .base_i(base), .n_i(counts), .s_i(strides),
    .skip_i(Skip != 0 && !onchip && job_dap_i.s0 == 24'd1), .lg_i(lg),
    .step_i(step), .addr_o(w_addr), .last_o(w_last)
  );

  // ---- stage: element j = k - 1, with the burst it belongs to -----------------------------
  logic              s_valid_q, s_last_q;
  logic [AW-1:0]     s_addr_q;
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
    end
    if (take_w) begin
      s_addr_q  <= w_addr;
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
