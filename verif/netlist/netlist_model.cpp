// The lock-step chip of the netlist check (docs/verification.md, "Netlist vs RTL"): ChipSim on the
// Verilated chip_lockstep wrapper (chip_lockstep.sv: the RTL chip_top and its yosys netlist side by
// side, every output compared on every clock edge).
//
// How it replaces the ordinary model: ChipSim's make_chip_sim() turns a configuration name into the
// factory make_chip_sim_<cfg>, which the library systole_chip_<cfg> normally defines. This file
// defines that factory (NETLIST_FACTORY) for the netlist's configuration in the netlist check's own
// executable. The linker takes an executable's own definition before looking into static libraries,
// so the library's member is never pulled in (had anything else in it been needed, the link would
// fail on a duplicate symbol, not pick one silently). Everything that builds a chip by name, the
// driver's RtlDevice and with it the regression's GEMM and DMA cases, then runs the lock-step chip.
//
// A mismatch: the wrapper calls chip_lockstep_mismatch() (DPI) on every edge where an output group
// differs. LockstepSim, a ChipSim around the real one, checks after every call that clocks the chip
// and throws NetlistMismatch once, naming the first differing cycle and groups; the exception leaves
// from between two evaluations, never from inside the model. The regression reports it as the
// case's failure (GEMM: "the RTL run failed: ...") or error (DMA), with the replay command.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include NETLIST_MODEL_HEADER
#include NETLIST_DPI_HEADER  // the prototypes of the DPI imports defined below
#include "chip_sim_impl.hpp"

namespace systole::verif::netlist {

using namespace systole::sim;

class NetlistMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the DPI calls recorded since the lock-step chip was built.
struct MismatchLog {
  std::uint64_t edges = 0;  // clock edges with a difference
  std::uint64_t first_cycle = 0, last_cycle = 0;
  std::uint32_t first_groups = 0, all_groups = 0;
};

namespace {

// The output groups, in the order of chip_lockstep.sv's mismatch vector.
constexpr const char* kGroupNames[] = {
    "axil_aw (s_axil_awready_o)",
    "axil_w (s_axil_wready_o)",
    "axil_b (s_axil_bvalid_o, s_axil_bresp_o)",
    "axil_ar (s_axil_arready_o)",
    "axil_r (s_axil_rvalid_o, s_axil_rdata_o, s_axil_rresp_o)",
    "axi_aw (m_axi_aw{valid,id,addr,len,size,burst}_o)",
    "axi_w (m_axi_w{valid,data,strb,last}_o)",
    "axi_b (m_axi_bready_o)",
    "axi_ar (m_axi_ar{valid,id,addr,len,size,burst}_o)",
    "axi_r (m_axi_rready_o)",
    "irq (irq_o)",
};
constexpr unsigned kGroups = sizeof(kGroupNames) / sizeof(kGroupNames[0]);

MismatchLog g_log;  // of the lock-step chip alive now (one at a time)

std::string describe_mismatch(const MismatchLog& log);

// The chip as ChipSim, checked after every call that clocks it.
class LockstepSim final : public ChipSim {
 public:
  explicit LockstepSim(const ChipSimOptions& opts) {
    g_log = {};
    inner_ = std::make_unique<ChipSimImpl<NETLIST_MODEL>>(NETLIST_CFG, NETLIST_AXI_BITS, opts);
    check();  // the reset of the constructor is compared too
  }
  // One line per chip into the case's log (what a replay shows).
  ~LockstepSim() override {
    std::fprintf(stderr, "netlist lock-step (%s): %llu cycles compared since the last reset, %llu differed\n",
                 NETLIST_CFG, static_cast<unsigned long long>(inner_->cycle()),
                 static_cast<unsigned long long>(g_log.edges));
  }

  const std::string& config_name() const override { return inner_->config_name(); }
  AxilReadResult read_csr_resp(std::uint32_t offset) override {
    const AxilReadResult r = inner_->read_csr_resp(offset);
    check();
    return r;
  }
  std::uint8_t write_csr_resp(std::uint32_t offset, std::uint32_t value, std::uint8_t strb) override {
    const std::uint8_t r = inner_->write_csr_resp(offset, value, strb);
    check();
    return r;
  }
  const AxilMasterOptions& axil_options() const override { return inner_->axil_options(); }
  void set_axil_options(const AxilMasterOptions& o) override { inner_->set_axil_options(o); }
  void step(std::uint64_t cycles) override {
    inner_->step(cycles);
    check();
  }
  std::uint64_t run_until_irq(std::uint64_t max_cycles) override {
    const std::uint64_t n = inner_->run_until_irq(max_cycles);
    check();
    return n;
  }
  bool irq() override { return inner_->irq(); }
  std::uint64_t cycle() const override { return inner_->cycle(); }
  void reset() override {
    inner_->reset();
    check();
  }
  AxiMemory& memory() override { return inner_->memory(); }
  bool trace_supported() const override { return inner_->trace_supported(); }
  void open_trace(const std::string& path) override { inner_->open_trace(path); }
  void close_trace() override { inner_->close_trace(); }
  void set_timeline(TimelineRecorder* rec) override { inner_->set_timeline(rec); }
  void set_trace_window(std::uint64_t begin, std::uint64_t end) override { inner_->set_trace_window(begin, end); }

 private:
  void check() {
    if (g_log.edges == 0 || reported_) return;
    reported_ = true;
    throw NetlistMismatch(describe_mismatch(g_log));
  }

  std::unique_ptr<ChipSim> inner_;
  bool reported_ = false;
};

std::string describe_mismatch(const MismatchLog& log) {
  auto names = [](std::uint32_t groups) {
    std::vector<std::string> n;
    for (unsigned g = 0; g < kGroups; ++g) {
      if ((groups >> g) & 1u) n.emplace_back(kGroupNames[g]);
    }
    return fmt::format("{}", fmt::join(n, ", "));
  };
  return fmt::format(
      "netlist lock-step: the yosys netlist of chip_top ({}) and the RTL differ at cycle {} after reset in "
      "{}; {} mismatching cycle(s) up to cycle {} (groups seen: {})",
      NETLIST_CFG, log.first_cycle, names(log.first_groups), log.edges, log.last_cycle, names(log.all_groups));
}

}  // namespace
}  // namespace systole::verif::netlist

// The DPI imports of chip_lockstep.sv. The fault of the self-check: SYSTOLE_NETLIST_FAULT set and
// not "0" (read when a model is built).
svBit chip_lockstep_fault() {
  const char* f = std::getenv("SYSTOLE_NETLIST_FAULT");
  return f != nullptr && *f != '\0' && std::string_view(f) != "0";
}

// One call per clock edge where an output group differs.
void chip_lockstep_mismatch(unsigned long long cycle, unsigned int groups) {
  auto& log = systole::verif::netlist::g_log;
  if (log.edges == 0) {
    log.first_cycle = cycle;
    log.first_groups = groups;
  }
  log.last_cycle = cycle;
  log.all_groups |= groups;
  ++log.edges;
}

namespace systole::sim {

std::unique_ptr<ChipSim> NETLIST_FACTORY(const ChipSimOptions& opts);

std::unique_ptr<ChipSim> NETLIST_FACTORY(const ChipSimOptions& opts) {
  return std::make_unique<verif::netlist::LockstepSim>(opts);
}

}  // namespace systole::sim
