// Named hardware configurations (docs/isa.md section 1, configs/configs.json).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace systole::golden {

enum class DType : std::uint8_t;

struct Config {
  std::string name;
  std::uint32_t partitions = 16;              // P: array rows
  std::uint32_t columns = 16;                 // C: array columns
  std::uint32_t nmax = 512;                   // max moving free size per MATMUL
  std::uint32_t sbuf_bytes = 65536;           // per partition
  std::uint32_t psum_bytes = 8192;            // per partition
  bool int8 = true, bf16 = true, fp8 = true;  // tensor-engine dtypes
  std::uint32_t dma_queues = 4;
  std::uint32_t queue_depth = 16;
  std::uint32_t axi_data_bits = 256;
  // Whether the vector engine (engine 2) exists (EnableVector in configs/configs.json): fpga,
  // default and large have it; tiny does not yet (docs/chip.md).
  bool vector_engine = true;
  // Chip-to-chip ports (docs/links.md): 0 in every single-chip configuration, where the remote
  // fields of DMA and NOP are reserved (ILLEGAL_INSTRUCTION); a multi-chip system's chips have
  // 2 (ring), 4 (torus) or N-1 (all-to-all). Not in configs/configs.json: the system sets it.
  std::uint32_t link_ports = 0;

  static constexpr std::uint32_t kNumSemaphores = 32;
  static constexpr std::uint32_t kNumTables = 4;

  bool tensor_dtype_enabled(DType t) const;

  static Config tiny();
  static Config fpga();
  static Config standard();  // "default"
  static Config large();
  // By name: "tiny", "fpga", "default", "large". Throws std::invalid_argument otherwise.
  static Config by_name(std::string_view name);
  static std::vector<Config> all();
};

}  // namespace systole::golden
