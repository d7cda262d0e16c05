// systole_assert.svh: assertion macros for Systole RTL.
//
// Concurrent assertions, sampled on `clk_i` and disabled while `rst_ni` is low, so a module
// using them needs signals with those names (docs/conventions.md section 2).
//
//   `ASSERT(name, prop)              prop holds on every clock edge out of reset
//   `ASSERT_STABLE(name, hold, sig)  whenever hold is true, sig keeps its value next cycle
//                                    (handshake: `ASSERT_STABLE(x_stable, x_valid && !x_ready, x_data))
//   `ASSERT_KNOWN(name, sig)         sig has no X/Z bits (meaningful in 4-state simulators)
//
// Use them at module scope, after the signals they name are declared. The macro supplies the
// trailing semicolon: write `ASSERT(foo, a |-> b) with none after it.
// Only forms both Verilator 5.006 and yosys 0.23 accept (docs/conventions.md section 2): `assert property` at
// module level (never inside always_ff), implication with `|->`/`|=>`, no `##n` delays.
// They are checked in Verilator builds only with --assert.
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
  /* verilator lint_save */ /* verilator lint_off SYNCASYNCNET */ \
  name : assert property (@(posedge clk_i) disable iff (!rst_ni) (hold) |=> $stable(sig)) \
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
