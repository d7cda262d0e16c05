#include "systole/sim/rtl_device.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "systole/driver/backend_registry.hpp"
#include "systole/golden/errors.hpp"
#include "systole/regs/csr_map.hpp"

namespace systole::sim {

namespace r = systole::regs;
using driver::Completion;

namespace {

std::uint32_t field(std::uint32_t v, std::uint32_t mask, unsigned shift) { return (v & mask) >> shift; }

const char* axi_resp_name(std::uint32_t resp) {
  switch (resp) {
    case 2: return "SLVERR";
    case 3: return "DECERR";
    case 1: return "EXOKAY";
    default: return "OKAY";
  }
}

}  // namespace

RtlDevice::RtlDevice(std::string config_name, RtlOptions opts)
    : name_(std::move(config_name)), opts_(std::move(opts)), sim_(make_chip_sim(name_, opts_.sim)) {
  sim_->write_csr(r::irq_enable::kOffset, r::irq_enable::kDoneMask | r::irq_enable::kErrorMask);
}

RtlDevice::~RtlDevice() = default;

void RtlDevice::enable_trace(const std::string& path) { sim_->open_trace(path); }

void RtlDevice::set_trace_window(std::uint64_t begin, std::uint64_t end) {
  if (end != 0 && end <= begin) {
    throw std::invalid_argument(
        fmt::format("trace window {}:{}: expected START < END (cycles from the program's start)", begin, end));
  }
  trace_begin_ = begin;
  trace_end_ = end;
}

void RtlDevice::enable_timeline(const std::string& path) {
  if (path.empty()) throw std::invalid_argument("enable_timeline: empty path: expected a file name such as run.json");
  timeline_path_ = path;
}

golden::Config RtlDevice::read_config() {
  const std::uint32_t array = sim_->read_csr(r::cfg_array::kOffset);
  const std::uint32_t feat = sim_->read_csr(r::cfg_feat::kOffset);
  const std::uint32_t nmax = sim_->read_csr(r::cfg_nmax::kOffset);
  golden::Config c;
  c.name = name_;
  c.partitions = field(array, r::cfg_array::kPMask, r::cfg_array::kPShift);
  c.columns = field(array, r::cfg_array::kCMask, r::cfg_array::kCShift);
  c.sbuf_bytes = sim_->read_csr(r::cfg_sbuf::kOffset);
  c.psum_bytes = sim_->read_csr(r::cfg_psum::kOffset);
  c.int8 = field(feat, r::cfg_feat::kInt8Mask, r::cfg_feat::kInt8Shift) != 0;
  c.bf16 = field(feat, r::cfg_feat::kBf16Mask, r::cfg_feat::kBf16Shift) != 0;
  c.fp8 = field(feat, r::cfg_feat::kFp8E4m3Mask, r::cfg_feat::kFp8E4m3Shift) != 0;
  c.vector_engine = field(feat, r::cfg_feat::kVectorMask, r::cfg_feat::kVectorShift) != 0;
  c.dma_queues = field(feat, r::cfg_feat::kDmaQueuesMask, r::cfg_feat::kDmaQueuesShift);
  c.queue_depth = field(feat, r::cfg_feat::kQueueDepthMask, r::cfg_feat::kQueueDepthShift);
  c.nmax = field(nmax, r::cfg_nmax::kNmaxMask, r::cfg_nmax::kNmaxShift);
  c.axi_data_bits = field(nmax, r::cfg_nmax::kAxiDataBitsMask, r::cfg_nmax::kAxiDataBitsShift);
  const std::uint32_t sems = field(feat, r::cfg_feat::kSemaphoresMask, r::cfg_feat::kSemaphoresShift);

  // The driver and the kernels plan for golden::Config::by_name(name); a chip that reports
  // anything else was built with other parameters.
  const golden::Config want = golden::Config::by_name(name_);
  std::vector<std::string> diff;
  auto cmp = [&](const char* what, std::uint64_t got, std::uint64_t exp) {
    if (got != exp) diff.push_back(fmt::format("{} {} (expected {})", what, got, exp));
  };
  cmp("P", c.partitions, want.partitions);
  cmp("C", c.columns, want.columns);
  cmp("NMAX", c.nmax, want.nmax);
  cmp("SBUF bytes", c.sbuf_bytes, want.sbuf_bytes);
  cmp("PSUM bytes", c.psum_bytes, want.psum_bytes);
  cmp("INT8", c.int8, want.int8);
  cmp("BF16", c.bf16, want.bf16);
  cmp("FP8", c.fp8, want.fp8);
  cmp("VECTOR", c.vector_engine, want.vector_engine);
  cmp("DMA queues", c.dma_queues, want.dma_queues);
  cmp("queue depth", c.queue_depth, want.queue_depth);
  cmp("AXI data bits", c.axi_data_bits, want.axi_data_bits);
  cmp("semaphores", sems, golden::Config::kNumSemaphores);
  if (!diff.empty()) {
    throw std::runtime_error(
        fmt::format("RTL backend: the chip built for configuration '{}' reports a different configuration in its CFG_* "
                    "registers: {}; the driver expects golden::Config::by_name(\"{}\") without the vector engine",
                    name_, fmt::join(diff, ", "), name_));
  }
  return c;
}

void RtlDevice::write_dram(std::uint32_t addr, std::span<const std::uint8_t> bytes) {
  sim_->memory().write(addr, bytes);
}

void RtlDevice::read_dram(std::uint32_t addr, std::span<std::uint8_t> out) { sim_->memory().read(addr, out); }

void RtlDevice::write_windows(const golden::Windows& w) {
  for (unsigned i = 0; i < w.size(); ++i) {
    const golden::Window& x = w[i];
    std::uint32_t ctrl = 0;
    if (x.enable) {
      ctrl = r::win_ctrl::kEnMask | (x.read ? r::win_ctrl::kReadMask : 0u) | (x.write ? r::win_ctrl::kWriteMask : 0u);
    }
    sim_->write_csr(r::win_base::offset(i), x.base);
    sim_->write_csr(r::win_limit::offset(i), x.limit);
    sim_->write_csr(r::win_ctrl::offset(i), ctrl);
  }
}

void RtlDevice::write_semaphore(unsigned i, std::uint32_t value) { sim_->write_csr(r::sem::offset(i), value); }

std::uint32_t RtlDevice::read_semaphore(unsigned i) { return sim_->read_csr(r::sem::offset(i)); }

void RtlDevice::start(std::uint32_t prog_base, std::uint32_t prog_len) {
  sim_->write_csr(r::irq_status::kOffset, r::irq_status::kDoneMask | r::irq_status::kErrorMask);
  sim_->write_csr(r::prog_base::kOffset, prog_base);
  sim_->write_csr(r::prog_len::kOffset, prog_len);
  // (The START write below takes a few host cycles; the window counts from this cycle.)
  const std::uint64_t now = sim_->cycle();
  sim_->set_trace_window(now + trace_begin_, trace_end_ == 0 ? 0 : now + trace_end_);
  if (!timeline_path_.empty()) {
    const golden::Config& cfg = config();
    timeline_ = std::make_unique<TimelineRecorder>(Slots::of(cfg), sim_->cycle(), cfg.axi_data_bits / 8);
    sim_->set_timeline(timeline_.get());
    tl_prog_base_ = prog_base;
    tl_prog_len_ = prog_len;
  }
  sim_->write_csr(r::ctrl::kOffset, r::ctrl::kStartMask);
  last_wait_cycles_ = 0;
}

Completion RtlDevice::finish(std::uint32_t status) {
  if (timeline_) {  // the run's timeline: the program read back for the instructions' names
    sim_->set_timeline(nullptr);
    std::vector<std::uint8_t> bytes(std::size_t{tl_prog_len_} * golden::kInstructionBytes);
    read_dram(tl_prog_base_, bytes);
    std::vector<golden::Instruction> program;
    for (std::size_t i = 0; i < tl_prog_len_; ++i) {
      std::array<std::uint32_t, golden::kInstructionWords> w{};
      std::memcpy(w.data(), bytes.data() + i * golden::kInstructionBytes, golden::kInstructionBytes);
      const golden::Decoded d = golden::decode(w);
      program.push_back(d.insn.value_or(golden::Instruction{}));
    }
    write_timeline(timeline_path_, *timeline_, program,
                   fmt::format("Systole '{}' chip, {} instructions", name_, tl_prog_len_));
    timeline_.reset();
  }
  Completion c;
  if (status & r::status::kErrorMask) {
    c.status = Completion::Status::kError;
    c.code = static_cast<golden::ErrorCode>(sim_->read_csr(r::err_code::kOffset) & 0xFFu);
    c.index = sim_->read_csr(r::err_index::kOffset);
    const std::uint32_t info = sim_->read_csr(r::err_info::kOffset);
    c.engine = static_cast<std::uint8_t>(field(info, r::err_info::kEngineMask, r::err_info::kEngineShift));
    const std::uint32_t resp = field(info, r::err_info::kAxiRespMask, r::err_info::kAxiRespShift);
    if (c.code == golden::ErrorCode::kAxiError || resp != 0) {
      c.detail = fmt::format("the DRAM answered {} to an AXI {} (ERR_INFO 0x{:08X})", axi_resp_name(resp),
                             (info & r::err_info::kAxiWriteMask) ? "write" : "read", info);
    }
  }
  sim_->write_csr(r::irq_status::kOffset, r::irq_status::kDoneMask | r::irq_status::kErrorMask);
  return c;
}

Completion RtlDevice::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::uint64_t start = sim_->cycle();
  const std::uint64_t poll = std::max<std::uint64_t>(1, opts_.status_poll_cycles);
  bool seen_busy = false;
  for (;;) {
    std::uint64_t chunk = poll;
    if (opts_.max_cycles != 0) {
      const std::uint64_t used = sim_->cycle() - start;
      chunk = used >= opts_.max_cycles ? 0 : std::min(chunk, opts_.max_cycles - used);
    }
    const std::uint64_t ran = sim_->run_until_irq(chunk);
    const std::uint32_t status = sim_->read_csr(r::status::kOffset);
    last_wait_cycles_ = sim_->cycle() - start;
    if (status & (r::status::kDoneMask | r::status::kErrorMask)) return finish(status);
    if (ran == 0 && sim_->irq()) sim_->step(chunk);  // an interrupt without DONE/ERROR: do not spin on it
    if (status & r::status::kBusyMask) {
      seen_busy = true;
    } else if (!seen_busy) {
      // Neither running nor finished: START was ignored (the core was busy or stopped on an
      // error), which the base class never lets happen.
      throw std::runtime_error(
          fmt::format("RTL backend: STATUS = 0x{:08X} after START: the program did not start", status));
    }
    Completion t;
    t.status = Completion::Status::kTimeout;
    if (opts_.max_cycles != 0 && sim_->cycle() - start >= opts_.max_cycles) {
      t.detail = fmt::format("cycle limit of {} cycles reached (RtlOptions::max_cycles)", opts_.max_cycles);
      return t;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      t.detail = fmt::format("{} cycles simulated", sim_->cycle() - start);
      return t;
    }
  }
}

std::uint64_t RtlDevice::read_counter(std::uint32_t lo_offset) {
  const std::uint64_t lo = sim_->read_csr(lo_offset);  // captures HI
  const std::uint64_t hi = sim_->read_csr(lo_offset + 4);
  return (hi << 32) | lo;
}

driver::Counters RtlDevice::read_counters() {
  driver::Counters c;
  c.cycles = read_counter(r::cycles::kLoOffset);
  c.busy_tensor = read_counter(r::busy_tensor::kLoOffset);
  c.busy_vec = read_counter(r::busy_vec::kLoOffset);
  c.busy_dma = read_counter(r::busy_dma::kLoOffset);
  c.macs = read_counter(r::macs::kLoOffset);
  c.dram_rd_bytes = read_counter(r::dram_rd_bytes::kLoOffset);
  c.dram_wr_bytes = read_counter(r::dram_wr_bytes::kLoOffset);
  c.fetch_bytes = read_counter(r::fetch_bytes::kLoOffset);
  c.instructions = read_counter(r::instructions::kLoOffset);
  c.stall_sem = read_counter(r::stall_sem::kLoOffset);
  c.stall_queue = read_counter(r::stall_queue::kLoOffset);
  c.stall_dram = read_counter(r::stall_dram::kLoOffset);
  return c;
}

void RtlDevice::soft_reset() {
  sim_->write_csr(r::ctrl::kOffset, r::ctrl::kSoftResetMask);
  const std::uint64_t start = sim_->cycle();
  for (;;) {
    const std::uint32_t status = sim_->read_csr(r::status::kOffset);
    if ((status & r::status::kBusyMask) == 0) return;
    if (sim_->cycle() - start > opts_.soft_reset_cycles) {
      throw std::runtime_error(
          fmt::format("RTL backend: STATUS.BUSY still set {} cycles after CTRL.SOFT_RESET", sim_->cycle() - start));
    }
    sim_->step(64);
  }
}

void register_rtl_backend() {
  driver::register_backend("rtl", [](std::string_view cfg, const driver::DeviceOptions& o) {
    RtlOptions opts;
    opts.sim.dram_bytes = o.dram_bytes;
    if (o.dram_latency) {
      opts.sim.axi.read_latency = *o.dram_latency;
      opts.sim.axi.write_latency = *o.dram_latency;
    }
    if (o.dram_bytes_per_cycle) opts.sim.axi.bytes_per_cycle = *o.dram_bytes_per_cycle;
    return std::unique_ptr<driver::Device>(std::make_unique<RtlDevice>(std::string(cfg), opts));
  });
}

}  // namespace systole::sim
