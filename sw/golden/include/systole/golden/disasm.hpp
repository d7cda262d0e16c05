// Disassembler: one line of text per instruction, stable (tests pin its output).
#pragma once

#include <span>
#include <string>

#include "systole/golden/isa.hpp"

namespace systole::golden {

std::string engine_name(std::uint8_t engine);
std::string format_tap(const Tap& t);
std::string format_cap(const Cap& c);
std::string format_dap(const Dap& d);

// "MATMUL start out=... stat=... mov=... wait s2>=3 signal s5" (no index, no engine).
std::string disassemble(const Instruction& insn);

// A whole program: "  index  ENGINE  text" per line; words that do not decode are shown as
// "<illegal: reason>".
std::string disassemble(std::span<const EncodedInstruction> program);

}  // namespace systole::golden
