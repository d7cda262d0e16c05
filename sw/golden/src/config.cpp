#include "systole/golden/config.hpp"

#include <stdexcept>
#include <string>

#include "systole/golden/isa.hpp"

namespace systole::golden {

bool Config::tensor_dtype_enabled(DType t) const {
  switch (t) {
    case DType::kInt8: return int8;
    case DType::kBf16: return bf16;
    case DType::kFp8: return fp8;
    default: return false;
  }
}

Config Config::tiny() {
  Config c;
  c.name = "tiny";
  c.partitions = 4;
  c.columns = 2;
  c.nmax = 64;
  c.sbuf_bytes = 1024;
  c.psum_bytes = 256;
  c.bf16 = false;
  c.fp8 = false;
  c.dma_queues = 2;
  c.queue_depth = 4;
  c.axi_data_bits = 32;
  c.vector_engine = false;  // until the FPGA work sizes one for the UP5K (docs/chip.md)
  return c;
}

Config Config::fpga() {
  Config c;
  c.name = "fpga";
  c.partitions = 8;
  c.columns = 8;
  c.nmax = 256;
  c.sbuf_bytes = 16384;
  c.psum_bytes = 2048;
  c.fp8 = false;
  c.dma_queues = 4;
  c.queue_depth = 16;
  c.axi_data_bits = 64;
  return c;
}

Config Config::standard() {
  Config c;
  c.name = "default";
  return c;
}

Config Config::large() {
  Config c;
  c.name = "large";
  c.partitions = 128;
  c.columns = 128;
  c.nmax = 512;
  c.sbuf_bytes = 196608;
  c.psum_bytes = 16384;
  c.dma_queues = 8;
  c.queue_depth = 32;
  c.axi_data_bits = 512;
  return c;
}

Config Config::by_name(std::string_view name) {
  if (name == "tiny") return tiny();
  if (name == "fpga") return fpga();
  if (name == "default") return standard();
  if (name == "large") return large();
  throw std::invalid_argument("unknown configuration '" + std::string(name) +
                              "': expected tiny, fpga, default or large");
}

std::vector<Config> Config::all() { return {tiny(), fpga(), standard(), large()}; }

}  // namespace systole::golden
