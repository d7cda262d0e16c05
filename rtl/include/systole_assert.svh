// systole_assert.svh: assertion macros for Systole RTL.
//
// Concurrent assertions, sampled on `clk_i` and disabled while `rst_ni` is low, so a module
// using them needs signals with those names (docs/conventions.md section 2).
//
//   `ASSERT(name, prop)              prop holds on every clock edge out of reset
//   `ASSERT_STABLE(name, hold, sig)  whenever hold is true, sig keeps its value next cycle
//                                    (handshake: `ASSERT_STABLE(x_stable, x_valid && !x_ready, x_data));
//                                    a change is reported one edge late (see below)
//   `ASSERT_KNOWN(name, sig)         sig has no X/Z bits (meaningful in 4-state simulators)
//
// Use them at module scope, after the signals they name are declared. The macro supplies the
// trailing semicolon: write `ASSERT(foo, a |-> b) with none after it.
// Only forms both Verilator 5.006 and yosys 0.23 accept (docs/conventions.md section 2): `assert property` at
// module level (never inside always_ff), implication with `|->`/`|=>`, no `##n` delays.
// They are checked in Verilator builds only with --assert.
//
// ASSERT_STABLE does not use $stable: Verilator 5.006 copies every signal an assertion names into
// a sampled shadow at each clock edge, and for wide payloads (256-bit DMA beats, tensor rows) those
// copies were about 8% of a busy GEMM's simulation time. Instead the macro snapshots sig only on
// a cycle where hold is true and compares it on the next edge in a clocked block; the assertion
// itself names one bit. It declares name_held_q, name_moved_q and name_snap_q in the caller's
// scope, so name must be unique there (it already is, being the assertion's label).
//
// They compile to nothing when SYNTHESIS is defined (yosys defines it) and under iverilog 11,
// which has no concurrent assertions.
//
// Why the lint metacomments: `disable iff (!rst_ni)` is a synchronous use of the asynchronous
// reset, which Verilator -Wall reports as SYNCASYNCNET on every module that uses a macro.
// The pairing is intended (the assertion only samples, it holds no state), so the warning is
// waived for the assertion itself; lint_save/lint_restore leave the caller's settings alone.

`ifndef SYSTOLE_ASSERT_SVH
`define SYSTOLE_ASSERT_SVH

`ifdef SYNTHESIS
  `define SYSTOLE_ASSERT_OFF
`endif
`ifdef __ICARUS__
  `define SYSTOLE_ASSERT_OFF
`endif

`ifndef SYSTOLE_ASSERT_OFF

`define ASSERT(name, prop) \
  /* verilator lint_save */ /* verilator lint_off SYNCASYNCNET */ \
  name : assert property (@(posedge clk_i) disable iff (!rst_ni) (prop)) \
    else $error("assertion %s failed", `"name`"); \
  /* verilator lint_restore */

`define ASSERT_STABLE(name, hold, sig) \
  logic name``_held_q, name``_moved_q; \
  logic [$bits(sig)-1:0] name``_snap_q; \
  always_ff @(posedge clk_i or negedge rst_ni) begin \
    if (!rst_ni) begin \
      name``_held_q  <= 1'b0; \
      name``_moved_q <= 1'b0; \
    end else begin \
      name``_held_q  <= (hold); \
      name``_moved_q <= 1'b0; \
      if (name``_held_q) name``_moved_q <= (sig) != name``_snap_q; \
    end \
  end \
  always_ff @(posedge clk_i) begin \
    if (hold) name``_snap_q <= (sig); \
  end \
  /* verilator lint_save */ /* verilator lint_off SYNCASYNCNET */ \
  name : assert property (@(posedge clk_i) disable iff (!rst_ni) !name``_moved_q) \
    else $error("assertion %s failed: signal changed while held", `"name`"); \
  /* verilator lint_restore */

`define ASSERT_KNOWN(name, sig) \
  /* verilator lint_save */ /* verilator lint_off SYNCASYNCNET */ \
  name : assert property (@(posedge clk_i) disable iff (!rst_ni) !$isunknown(sig)) \
    else $error("assertion %s failed: X/Z bits", `"name`"); \
  /* verilator lint_restore */

`else  // SYSTOLE_ASSERT_OFF

`define ASSERT(name, prop)
`define ASSERT_STABLE(name, hold, sig)
`define ASSERT_KNOWN(name, sig)

`endif  // SYSTOLE_ASSERT_OFF

`endif  // SYSTOLE_ASSERT_SVH
