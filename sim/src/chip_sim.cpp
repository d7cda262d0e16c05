#include "systole/sim/chip_sim.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace systole::sim {

namespace {

const char* resp_name(std::uint8_t r) {
  switch (r) {
    case 0: return "OKAY";
    case 1: return "EXOKAY";
    case 2: return "SLVERR";
    default: return "DECERR";
  }
}

}  // namespace

std::uint32_t ChipSim::read_csr(std::uint32_t offset) {
  const AxilReadResult r = read_csr_resp(offset);
  if (r.resp != kAxiOkay) {
    throw std::runtime_error(
        fmt::format("{} chip: CSR read of 0x{:03X} answered {}", config_name(), offset, resp_name(r.resp)));
  }
  return r.data;
}

void ChipSim::write_csr(std::uint32_t offset, std::uint32_t value) {
  const std::uint8_t resp = write_csr_resp(offset, value, 0xF);
  if (resp != kAxiOkay) {
    throw std::runtime_error(fmt::format("{} chip: CSR write of 0x{:08X} to 0x{:03X} answered {}", config_name(), value,
                                         offset, resp_name(resp)));
  }
}

}  // namespace systole::sim
