// Constants shared by the AxiMemory sources (axi_memory.cpp, axi_memory_channels.cpp); not part
// of the model's interface.
#pragma once

#include <cstdint>

namespace systole::sim::axi_memory_detail {

inline constexpr std::uint64_t kPage = 4096;              // backing-store page (and AXI's 4 KiB rule)
inline constexpr std::uint32_t kErrorWord = 0xDEADBEEFu;  // R data of an erroring read

inline std::uint64_t align_down(std::uint64_t a, std::uint64_t n) { return a & ~(n - 1); }

}  // namespace systole::sim::axi_memory_detail
