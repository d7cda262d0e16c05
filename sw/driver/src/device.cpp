// The backend-independent half of Device (see device.hpp).
#include "systole/driver/device.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "systole/golden/disasm.hpp"
#include "systole/golden/machine.hpp"

namespace systole::driver {

using golden::ErrorCode;

namespace {

constexpr std::uint64_t kFirstAddress = 4096;  // address 0 stays invalid

std::optional<std::uint64_t> opt_sub(const std::optional<std::uint64_t>& a, const std::optional<std::uint64_t>& b) {
  if (!a || !b) return std::nullopt;
  return *a - *b;
}
std::optional<std::uint64_t> opt_add(const std::optional<std::uint64_t>& a, const std::optional<std::uint64_t>& b) {
  if (!a || !b) return std::nullopt;
  return *a + *b;
}

// Frees an allocation when it goes out of scope.
class ScopedAlloc {
 public:
  ScopedAlloc(DramAllocator& a, std::uint32_t addr) : a_(a), addr_(addr) {}
  ~ScopedAlloc() { a_.free(addr_); }
  ScopedAlloc(const ScopedAlloc&) = delete;
  ScopedAlloc& operator=(const ScopedAlloc&) = delete;

 private:
  DramAllocator& a_;
  std::uint32_t addr_;
};

}  // namespace

// ---- Counters ----------------------------------------------------------------------------------

Counters operator-(const Counters& a, const Counters& b) {
  Counters d;
  d.cycles = opt_sub(a.cycles, b.cycles);
  d.busy_tensor = opt_sub(a.busy_tensor, b.busy_tensor);
  d.busy_vec = opt_sub(a.busy_vec, b.busy_vec);
  d.busy_dma = opt_sub(a.busy_dma, b.busy_dma);
  d.stall_sem = opt_sub(a.stall_sem, b.stall_sem);
  d.stall_queue = opt_sub(a.stall_queue, b.stall_queue);
  d.stall_dram = opt_sub(a.stall_dram, b.stall_dram);
  d.macs = a.macs - b.macs;
  d.dram_rd_bytes = a.dram_rd_bytes - b.dram_rd_bytes;
  d.dram_wr_bytes = a.dram_wr_bytes - b.dram_wr_bytes;
  d.fetch_bytes = a.fetch_bytes - b.fetch_bytes;
  d.link_tx_bytes = a.link_tx_bytes - b.link_tx_bytes;
  d.link_rx_bytes = a.link_rx_bytes - b.link_rx_bytes;
  d.instructions = a.instructions - b.instructions;
  return d;
}

Counters operator+(const Counters& a, const Counters& b) {
  Counters s;
  s.cycles = opt_add(a.cycles, b.cycles);
  s.busy_tensor = opt_add(a.busy_tensor, b.busy_tensor);
  s.busy_vec = opt_add(a.busy_vec, b.busy_vec);
  s.busy_dma = opt_add(a.busy_dma, b.busy_dma);
  s.stall_sem = opt_add(a.stall_sem, b.stall_sem);
  s.stall_queue = opt_add(a.stall_queue, b.stall_queue);
  s.stall_dram = opt_add(a.stall_dram, b.stall_dram);
  s.macs = a.macs + b.macs;
  s.dram_rd_bytes = a.dram_rd_bytes + b.dram_rd_bytes;
  s.dram_wr_bytes = a.dram_wr_bytes + b.dram_wr_bytes;
  s.fetch_bytes = a.fetch_bytes + b.fetch_bytes;
  s.link_tx_bytes = a.link_tx_bytes + b.link_tx_bytes;
  s.link_rx_bytes = a.link_rx_bytes + b.link_rx_bytes;
  s.instructions = a.instructions + b.instructions;
  return s;
}

std::optional<double> Counters::utilization(const golden::Config& cfg) const {
  if (!cycles || *cycles == 0) return std::nullopt;
  return static_cast<double>(macs) / (static_cast<double>(*cycles) * cfg.partitions * cfg.columns);
}

// ---- DeviceError ---------------------------------------------------------------------------

std::string describe_error(ErrorCode code, std::uint32_t index, std::uint8_t engine, const std::string& instruction,
                           const std::string& detail) {
  return fmt::format("{} (0x{:02X}) at instruction {} on {}: `{}`: {}", golden::error_name(code),
                     static_cast<unsigned>(code), index, golden::engine_name(engine), instruction,
                     detail.empty() ? "no detail reported" : detail);
}

DeviceError::DeviceError(ErrorCode code, std::uint32_t index, std::uint8_t engine, std::string instruction,
                         std::string detail)
    : std::runtime_error(describe_error(code, index, engine, instruction, detail)),
      code_(code),
      index_(index),
      engine_(engine),
      instruction_(std::move(instruction)),
      detail_(std::move(detail)) {}

// ---- Device ------------------------------------------------------------------------------------

Device::Device() = default;
Device::~Device() = default;

void Device::set_trace_window(std::uint64_t begin, std::uint64_t end) {
  throw std::runtime_error(
      fmt::format("cannot limit a trace to cycles {}:{}: the {} backend has no waveforms", begin, end, backend_name()));
}

void Device::enable_timeline(const std::string& path) {
  throw std::runtime_error(fmt::format("cannot write a timeline to '{}': the {} backend has no cycles (the timeline "
                                       "needs the rtl backend)",
                                       path, backend_name()));
}

void Device::enable_trace(const std::string& path) {
  throw std::runtime_error(fmt::format("cannot write a trace to '{}': the {} backend has no waveforms (tracing needs "
                                       "the rtl backend)",
                                       path, backend_name()));
}

void Device::ensure_init() {
  if (config_) return;
  config_ = read_config();
  dram_size_ = std::min<std::uint64_t>(dram_bytes(), std::uint64_t{1} << 32);
  alloc_ = std::make_unique<DramAllocator>(std::min(kFirstAddress, *dram_size_), *dram_size_);
}

const golden::Config& Device::config() {
  ensure_init();
  return *config_;
}

std::uint64_t Device::dram_size() {
  ensure_init();
  return *dram_size_;
}

const DramAllocator& Device::allocator() {
  ensure_init();
  return *alloc_;
}

std::uint32_t Device::alloc(std::uint64_t bytes, std::uint64_t align) {
  ensure_init();
  return alloc_->alloc(bytes, align);
}

void Device::free(std::uint32_t addr) {
  ensure_init();
  alloc_->free(addr);
}

void Device::check_range(std::uint64_t addr, std::uint64_t bytes, const char* what) {
  ensure_init();
  if (addr > *dram_size_ || bytes > *dram_size_ - addr) {
    throw std::out_of_range(fmt::format("{}: bytes 0x{:x}..0x{:x} are beyond the {}-byte device DRAM", what, addr,
                                        addr + bytes, *dram_size_));
  }
}

void Device::upload(std::uint32_t addr, std::span<const std::uint8_t> bytes) {
  check_range(addr, bytes.size(), "upload");
  if (!bytes.empty()) write_dram(addr, bytes);
}

void Device::download(std::uint32_t addr, std::span<std::uint8_t> out) {
  check_range(addr, out.size(), "download");
  if (!out.empty()) read_dram(addr, out);
}

Tensor Device::download(std::uint32_t addr, golden::DType dtype, std::vector<std::uint64_t> shape) {
  Tensor t(dtype, std::move(shape));
  download(addr, t.bytes());
  return t;
}

golden::Windows Device::default_windows() {
  ensure_init();
  if (windows_) return *windows_;
  golden::Windows w{};
  const auto blocks = alloc_->allocations();
  if (!blocks.empty()) {
    const std::uint64_t lo = blocks.front().addr;
    std::uint64_t hi = lo;
    for (const auto& b : blocks) hi = std::max(hi, std::uint64_t{b.addr} + b.bytes);
    w[0] = golden::Window{static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi - 1), true, true, true};
  }
  return w;
}

RunResult Device::run(const golden::ProgramBuilder& program, const RunOptions& opts) {
  const auto words = program.finish();
  return run(words, opts);
}

RunResult Device::run(std::span<const golden::EncodedInstruction> program, const RunOptions& opts) {
  Launch l = launch(program, opts);
  const Completion c = wait(opts.timeout);
  return complete(l, c, opts);
}

Device::Launch Device::launch(std::span<const golden::EncodedInstruction> program, const RunOptions& opts) {
  ensure_init();
  if (program.empty()) throw std::invalid_argument("run: the program is empty (expected at least an END)");
  if (program.size() > std::numeric_limits<std::uint32_t>::max() / golden::kInstructionBytes) {
    throw std::invalid_argument(fmt::format("run: {} instructions do not fit in the address space", program.size()));
  }
  Launch l;
  l.windows = opts.windows ? *opts.windows : default_windows();
  l.program = program;
  // Place the program: instruction i at base + 64*i, little-endian words.
  l.len = static_cast<std::uint32_t>(program.size());
  const std::vector<std::uint8_t> bytes = golden::program_bytes(program);
  l.base = alloc_->alloc(bytes.size(), golden::kInstructionBytes);
  try {
    write_dram(l.base, bytes);
    write_windows(l.windows);
    for (unsigned i = 0; i < golden::Config::kNumSemaphores; ++i) write_semaphore(i, 0);
    l.before = read_counters();
    start(l.base, l.len);
  } catch (...) {
    alloc_->free(l.base);
    throw;
  }
  return l;
}

RunResult Device::complete(Launch& l, const Completion& c, const RunOptions& opts) {
  const ScopedAlloc guard(*alloc_, l.base);
  const Counters after = read_counters();
  if (c.status == Completion::Status::kTimeout) {
    soft_reset();
    throw DeviceTimeout(fmt::format("{} backend: the program of {} instructions did not finish within {} ms{}",
                                    backend_name(), l.len, opts.timeout.count(),
                                    c.detail.empty() ? "" : ": " + c.detail));
  }
  if (c.status == Completion::Status::kError) {
    std::string text = "(not an instruction of the program: index is past its end)";
    std::string detail = c.detail;
    if (c.index < l.program.size()) {
      const golden::Decoded d = golden::decode(l.program[c.index]);
      if (d.insn) {
        text = fmt::format("{}: {}", golden::engine_name(d.insn->engine), golden::disassemble(*d.insn));
        if (detail.empty()) {
          if (const golden::Fault f = golden::validate(*d.insn, *config_, l.windows, chip_identity())) {
            detail = f.detail;
          }
        }
      } else {
        text = fmt::format("<illegal: {}>", d.fault.detail);
        if (detail.empty()) detail = d.fault.detail;
      }
    }
    soft_reset();
    throw DeviceError(c.code, c.index, c.engine, std::move(text), std::move(detail));
  }
  RunResult r;
  r.counters = after - l.before;
  r.program_base = l.base;
  r.program_length = l.len;
  r.races = take_races();
  return r;
}

}  // namespace systole::driver
