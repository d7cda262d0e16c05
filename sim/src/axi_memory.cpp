// AxiMemory: construction, the backing store, host access and reset (axi_memory.hpp). The AXI
// channels (protocol checks, accepting requests, responses, the per-cycle drive/sample) are in
// axi_memory_channels.cpp, the injected faults in axi_memory_faults.cpp.
#include "systole/sim/axi_memory.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "axi_memory_detail.hpp"

namespace systole::sim {

using namespace axi_memory_detail;

const char* to_string(AxiResp r) {
  switch (r) {
    case AxiResp::kOkay: return "OKAY";
    case AxiResp::kExOkay: return "EXOKAY";
    case AxiResp::kSlvErr: return "SLVERR";
    case AxiResp::kDecErr: return "DECERR";
  }
  return "?";
}

const char* to_string(AxiRule r) {
  switch (r) {
    case AxiRule::kBurst4k: return "burst-4k";
    case AxiRule::kBurstType: return "burst-type";
    case AxiRule::kBurstSize: return "burst-size";
    case AxiRule::kBurstLen: return "burst-len";
    case AxiRule::kWLast: return "wlast";
    case AxiRule::kWStrobe: return "wstrb";
    case AxiRule::kValidDropped: return "valid-dropped";
    case AxiRule::kPayloadChanged: return "payload-changed";
    case AxiRule::kResponseTimeout: return "response-timeout";
  }
  return "?";
}

AxiMemory::AxiMemory(const AxiPort& port, AxiMemoryConfig cfg)
    : port_(port), cfg_(std::move(cfg)), beat_bytes_(port.beat_bytes()), rng_(cfg_.seed) {
  port_.validate();
  auto bad = [](const std::string& what) { throw std::invalid_argument("AxiMemoryConfig: " + what); };
  if (cfg_.size == 0) bad("size is 0");
  if (cfg_.base % kPage != 0) bad(fmt::format("base {:#x} is not a multiple of 4 KiB", cfg_.base));
  if (cfg_.base + cfg_.size < cfg_.base) bad("base + size overflows");
  if (cfg_.max_reads == 0 || cfg_.max_writes == 0) bad("max_reads and max_writes must be at least 1");
  if (cfg_.bytes_per_cycle < 0) bad("bytes_per_cycle is negative");
  for (const double p : {cfg_.p_awready_low, cfg_.p_wready_low, cfg_.p_arready_low, cfg_.p_rvalid_gap,
                         cfg_.p_bvalid_gap, cfg_.p_random_error}) {
    if (!(p >= 0.0 && p <= 1.0)) bad("a probability is outside [0, 1]");
  }
  for (const auto& r : cfg_.error_ranges) {
    if (r.end <= r.begin) bad(fmt::format("error range [{:#x}, {:#x}) is empty", r.begin, r.end));
  }
  pages_.resize((cfg_.size + kPage - 1) / kPage);
  reset();
}

// ---------------------------------------------------------------------------------------------
// Random helpers

bool AxiMemory::chance(double p) {
  if (p <= 0.0) return false;
  if (p >= 1.0) return true;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p;
}

unsigned AxiMemory::jitter(unsigned max) {
  return max == 0 ? 0u : std::uniform_int_distribution<unsigned>(0, max)(rng_);
}

// ---------------------------------------------------------------------------------------------
// Memory pages

const std::uint8_t* AxiMemory::page_for_read(std::uint64_t addr) const {
  return pages_[(addr - cfg_.base) / kPage].get();
}

std::uint8_t* AxiMemory::page_for_write(std::uint64_t addr) {
  auto& p = pages_[(addr - cfg_.base) / kPage];
  if (!p) {
    p = std::make_unique_for_overwrite<std::uint8_t[]>(kPage);
    std::memset(p.get(), cfg_.init_byte, kPage);
  }
  return p.get();
}

void AxiMemory::check_host_range(std::uint64_t addr, std::uint64_t n) const {
  if (addr < cfg_.base || addr + n < addr || addr + n > cfg_.base + cfg_.size) {
    throw std::out_of_range(fmt::format("AxiMemory: host access [{:#x}, +{}) outside [{:#x}, {:#x})", addr, n,
                                        cfg_.base, cfg_.base + cfg_.size));
  }
}

void AxiMemory::write(std::uint64_t addr, std::span<const std::uint8_t> bytes) {
  check_host_range(addr, bytes.size());
  std::size_t done = 0;
  while (done < bytes.size()) {
    const std::uint64_t a = addr + done;
    const std::size_t off = (a - cfg_.base) % kPage;
    const std::size_t n = std::min<std::size_t>(kPage - off, bytes.size() - done);
    std::memcpy(page_for_write(a) + off, bytes.data() + done, n);
    done += n;
  }
}

void AxiMemory::read(std::uint64_t addr, std::span<std::uint8_t> out) const {
  check_host_range(addr, out.size());
  std::size_t done = 0;
  while (done < out.size()) {
    const std::uint64_t a = addr + done;
    const std::size_t off = (a - cfg_.base) % kPage;
    const std::size_t n = std::min<std::size_t>(kPage - off, out.size() - done);
    const std::uint8_t* p = page_for_read(a);
    if (p != nullptr) {
      std::memcpy(out.data() + done, p + off, n);
    } else {
      std::memset(out.data() + done, cfg_.init_byte, n);
    }
    done += n;
  }
}

std::vector<std::uint8_t> AxiMemory::read(std::uint64_t addr, std::size_t n) const {
  std::vector<std::uint8_t> v(n);
  read(addr, std::span(v));
  return v;
}

void AxiMemory::fill(std::uint64_t addr, std::uint64_t n, std::uint8_t value) {
  check_host_range(addr, n);
  std::uint64_t done = 0;
  while (done < n) {
    const std::uint64_t a = addr + done;
    const std::size_t off = (a - cfg_.base) % kPage;
    const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(kPage - off, n - done));
    std::memset(page_for_write(a) + off, value, k);
    done += k;
  }
}

// ---------------------------------------------------------------------------------------------
// Reset and state

void AxiMemory::reset() {
  reads_.clear();
  outstanding_reads_ = 0;
  r_cur_.reset();
  r_wait_ = 0;
  aw_wait_.clear();
  w_early_.clear();
  writes_.clear();
  writes_done_ = 0;
  b_cur_.reset();
  b_wait_ = 0;
  ar_ready_ = aw_ready_ = w_ready_ = false;
  w_bw_refused_ = r_bw_refused_ = w_first_ = false;
  ar_prev_ = {};
  aw_prev_ = {};
  w_prev_ = {};
  credit_ = 0;
  cycle_ = 0;
  write_outputs();
}

bool AxiMemory::idle() const {
  return outstanding_reads_ == 0 && outstanding_writes() == 0 && w_early_.empty() && !r_cur_ && !b_cur_;
}

std::uint64_t AxiMemory::burst_end(const Burst& t) const {
  return align_down(t.addr, beat_bytes_) + (std::uint64_t{t.len} + 1) * beat_bytes_;
}

AxiResp AxiMemory::classify(std::uint64_t begin, std::uint64_t end) {
  if (begin < cfg_.base || end > cfg_.base + cfg_.size || end < begin) return AxiResp::kDecErr;
  for (const auto& r : cfg_.error_ranges) {
    if (begin < r.end && r.begin < end) return r.resp;
  }
  return chance(cfg_.p_random_error) ? AxiResp::kSlvErr : AxiResp::kOkay;
}

}  // namespace systole::sim
