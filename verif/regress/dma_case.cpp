// The "dma" case kind (dma_case.hpp): parameters, generation, the RTL-vs-golden run, shrinking.
#include "dma_case.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <random>
#include <stdexcept>

#include "case_util.hpp"
#include "dram_knobs.hpp"
#include "systole/driver/golden_device.hpp"
#include "systole/golden/disasm.hpp"
#include "systole/sim/rtl_device.hpp"

namespace systole::verif::regress {
using namespace systole::sim;  // the simulated chip and its models (sim/)
namespace {

constexpr std::uint64_t kDramBytes = std::uint64_t{1} << 20;
constexpr std::array<const char*, 5> kCasts = {"none", "all", "fp32->bf16", "fp32->fp8", "int32->int8"};
constexpr std::array<const char*, 9> kKeys = {"n_insn", "drop", "queues", "max_elems", "casts",
                                              "mix",    "sync", "pdim",   "special"};

golden::Config chip_config(const std::string& name) { return golden::Config::by_name(name); }

DmaProgram make_program(const golden::Config& cfg, std::uint64_t seed, const Params& p, std::uint32_t base) {
  return build_dma_program(cfg, seed, DmaGenParams::from(p, cfg), base);
}

// The first DRAM byte that differs, described with the instruction that last wrote it.
std::string dram_mismatch(const DmaProgram& prog, const std::vector<std::uint8_t>& rtl,
                          const std::vector<std::uint8_t>& gold) {
  std::size_t first = rtl.size(), last = 0, n = 0;
  for (std::size_t a = 0; a < rtl.size(); ++a) {
    if (rtl[a] == gold[a]) continue;
    first = std::min(first, a);
    last = a;
    ++n;
  }
  if (n == 0) return {};
  const auto addr = static_cast<std::uint32_t>(first);
  golden::Space sp{};
  std::uint32_t part = 0;
  std::uint64_t byte = 0;
  const std::string where = prog.describe_dram(addr, &sp, &part, &byte);
  const int w = prog.last_writer(sp, part, byte);
  std::string writer;
  if (w >= 0) {
    const auto& it = prog.items[static_cast<std::size_t>(w)];
    writer = fmt::format("{}last written by instruction {} ({}, {}: {})",
                         sp == golden::Space::kDram ? "" : fmt::format("that {} byte was ", golden::space_name(sp)), w,
                         it.role, golden::engine_name(it.insn.engine), golden::disassemble(it.insn));
  } else if (addr >= prog.layout.base && addr < prog.layout.base + prog.layout.total) {
    writer = fmt::format("no instruction writes it: it must keep its initial value 0x{:02x}",
                         prog.image[addr - prog.layout.base]);
  } else {
    writer = "no instruction writes it";
  }
  return fmt::format("DRAM byte 0x{:x} ({}): RTL 0x{:02x}, golden 0x{:02x} ({} bytes differ in 0x{:x}..0x{:x}); {}",
                     addr, where, rtl[first], gold[first], n, first, last, writer);
}

class DmaKind final : public CaseKind {
 public:
  std::string name() const override { return "dma"; }

  Params generate(const std::string& config, std::uint64_t seed) const override {
    const golden::Config cfg = chip_config(config);
    std::mt19937_64 r(seed ^ 0x646d615f67656e00ull);
    auto pick = [&](unsigned n) { return static_cast<unsigned>(r() % n); };
    DmaGenParams g;
    g.n_insn = 1 + pick(24);
    g.queues = pick(4) == 0 ? 1 + pick(cfg.dma_queues) : cfg.dma_queues;
    g.max_elems = std::array{8u, 32u, 128u, 512u, 1024u}[pick(5)];
    g.casts = kCasts[pick(kCasts.size())];
    const bool focused = pick(3) == 0;  // a third of the cases: only a few space pairs
    for (unsigned& w : g.mix) w = focused ? (pick(3) == 0 ? 1 + pick(9) : 0) : 1 + pick(9);
    if (focused && std::all_of(g.mix.begin(), g.mix.end(), [](unsigned w) { return w == 0; })) g.mix[pick(9)] = 1;
    g.sync = pick(4) == 0 ? 0 : pick(50);
    g.pdim = pick(3) == 0 ? 0 : 10 + pick(60);
    g.special = pick(3) == 0 ? 0 : pick(60);
    Params p;
    g.store(p);
    draw_dram(p, r);
    return p;
  }

  Outcome run(const std::string& config, std::uint64_t seed, const Params& p) const override {
    return run_dma_case(config, seed, p);
  }

  std::vector<Params> shrink(const std::string& config, const Params& p) const override {
    const golden::Config cfg = chip_config(config);
    const DmaGenParams g = DmaGenParams::from(p, cfg);
    std::vector<Params> out;
    auto variant = [&](auto change) {
      DmaGenParams h = g;
      change(h);
      Params q = p;
      h.store(q);
      if (q != p) out.push_back(std::move(q));
    };
    auto keep_below = [](DmaGenParams& h) { std::erase_if(h.drop, [&](unsigned i) { return i >= h.n_insn; }); };
    if (g.n_insn > 1) {
      variant([&](DmaGenParams& h) {
        h.n_insn = g.n_insn / 2;
        keep_below(h);
      });
      variant([&](DmaGenParams& h) {
        h.n_insn = g.n_insn - 1;
        keep_below(h);
      });
    }
    for (unsigned i = 0; i < g.n_insn; ++i) {
      if (std::find(g.drop.begin(), g.drop.end(), i) != g.drop.end()) continue;
      variant([&](DmaGenParams& h) {
        h.drop.push_back(i);
        std::sort(h.drop.begin(), h.drop.end());
      });
    }
    if (g.max_elems > 1) variant([&](DmaGenParams& h) { h.max_elems = g.max_elems / 2; });
    if (g.queues > 1) variant([&](DmaGenParams& h) { h.queues = g.queues - 1; });
    variant([](DmaGenParams& h) { h.casts = "none"; });
    variant([](DmaGenParams& h) { h.sync = 0; });
    variant([](DmaGenParams& h) { h.pdim = 0; });
    variant([](DmaGenParams& h) { h.special = 0; });
    for (Params& q : shrink_dram(p)) out.push_back(std::move(q));
    return out;
  }

  CoverageKey coverage(const std::string& config, const Params& p) const override {
    const DmaGenParams g = DmaGenParams::from(p, chip_config(config));
    CoverageKey k;
    k.dtype = g.casts == "all" ? "mixed" : g.casts;
    k.shape_class = "dma";
    k.values = "random";
    k.stall = stall_class(p);
    k.accumulate = false;
    return k;
  }
};

}  // namespace

DmaGenParams DmaGenParams::from(const Params& p, const golden::Config& cfg) {
  for (const auto& [k, v] : p) {
    if (k.rfind("dram_", 0) == 0) continue;
    if (std::find(kKeys.begin(), kKeys.end(), k) == kKeys.end()) {
      throw std::invalid_argument(fmt::format(
          "{}={}: not a parameter of the dma case kind (expected n_insn, drop, queues, max_elems, casts, mix, sync, "
          "pdim, special or dram_*)",
          k, v));
    }
  }
  DmaGenParams g;
  g.n_insn = param_number(p, "n_insn", 1, 64, g.n_insn);
  g.queues = param_number(p, "queues", 1, cfg.dma_queues, std::min(g.queues, cfg.dma_queues));
  g.max_elems = param_number(p, "max_elems", 1, 4096, g.max_elems);
  g.sync = param_number(p, "sync", 0, 100, g.sync);
  g.pdim = param_number(p, "pdim", 0, 100, g.pdim);
  g.special = param_number(p, "special", 0, 100, g.special);
  if (auto it = p.find("casts"); it != p.end()) {
    if (std::find(kCasts.begin(), kCasts.end(), it->second) == kCasts.end()) {
      throw std::invalid_argument(
          fmt::format("casts={}: expected none, all, fp32->bf16, fp32->fp8 or int32->int8", it->second));
    }
    g.casts = it->second;
  }
  if (auto it = p.find("mix"); it != p.end()) {
    const std::string& m = it->second;
    const bool digits = m.size() == 9 && std::all_of(m.begin(), m.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || m == "000000000") {
      throw std::invalid_argument(fmt::format(
          "mix={}: expected 9 digits 0..9, not all 0 (weights of DRAM->DRAM, DRAM->SBUF, DRAM->PSUM, SBUF->DRAM, "
          "SBUF->SBUF, SBUF->PSUM, PSUM->DRAM, PSUM->SBUF, PSUM->PSUM)",
          m));
    }
    for (std::size_t i = 0; i < 9; ++i) g.mix[i] = static_cast<unsigned>(m[i] - '0');
  }
  g.drop = param_drop(p, g.n_insn);
  return g;
}

void DmaGenParams::store(Params& p) const {
  p["n_insn"] = std::to_string(n_insn);
  p["queues"] = std::to_string(queues);
  p["max_elems"] = std::to_string(max_elems);
  p["casts"] = casts;
  std::string m;
  for (unsigned w : mix) m += static_cast<char>('0' + w);
  p["mix"] = m;
  p["sync"] = std::to_string(sync);
  p["pdim"] = std::to_string(pdim);
  p["special"] = std::to_string(special);
  if (drop.empty()) {
    p.erase("drop");
  } else {
    p["drop"] = drop_text(drop);
  }
}

Outcome run_dma_case(const std::string& config, std::uint64_t seed, const Params& p, const DmaRunHooks& hooks) {
  const golden::Config cfg = chip_config(config);
  RtlOptions o;
  o.sim.dram_bytes = kDramBytes;
  apply_dram(p, o.sim.axi);
  o.sim.axi.seed = seed ^ 0x61786900ull;
  o.sim.axi.on_violation = AxiViolationPolicy::kRecord;  // reported in the outcome, not thrown
  o.max_cycles = 20'000'000;
  const DmaGenParams gp = DmaGenParams::from(p, cfg);  // bad parameters throw before the chip is built

  RtlDevice rtl(config, o);
  driver::GoldenDevice gold(cfg, kDramBytes, true);
  const std::uint32_t ws = dma_workspace_bytes(cfg);
  const std::uint32_t base = rtl.alloc(ws, 4096);
  if (gold.alloc(ws, 4096) != base) throw std::logic_error("dma case: the two devices allocated differently");
  const DmaProgram prog = build_dma_program(cfg, seed, gp, base);
  std::vector<golden::EncodedInstruction> words;
  for (const DmaItem& it : prog.items) words.push_back(golden::encode(it.insn));
  rtl.upload(base, prog.image);
  gold.upload(base, prog.image);
  driver::RunOptions ro;
  ro.windows = prog.windows;

  Outcome out;
  driver::RunResult g, r;
  try {
    g = gold.run(words, ro);
  } catch (const std::exception& e) {
    out.message = fmt::format("the golden model rejected the generated program (a generator bug): {}", e.what());
    return out;
  }
  if (!g.races.empty()) {
    out.message = fmt::format("the golden race checker reports {} race(s) in the generated program (a generator "
                              "bug), first: {}",
                              g.races.size(), g.races.front());
    return out;
  }
  try {
    r = rtl.run(words, ro);
  } catch (const driver::DeviceError& e) {
    out.message = fmt::format("the RTL stopped with an error, golden completed: {}", e.what());
  } catch (const driver::DeviceTimeout& e) {
    out.message = fmt::format("the RTL did not complete: {}", e.what());
  }
  out.cycles = r.counters.cycles.value_or(0);
  if (hooks.after_rtl) hooks.after_rtl(rtl, prog);
  if (!out.message.empty()) return out;

  std::vector<std::uint8_t> rd(kDramBytes), gd(kDramBytes);
  rtl.download(0, rd);
  gold.download(0, gd);
  std::vector<std::string> problems;
  if (std::string m = dram_mismatch(prog, rd, gd); !m.empty()) problems.push_back(std::move(m));
  if (std::string m = counters_mismatch(cfg, r.counters, g.counters); !m.empty()) problems.push_back("counters: " + m);
  if (const auto& v = rtl.sim().memory().violations(); !v.empty()) {
    problems.push_back(fmt::format("{} AXI protocol violation(s), first: {}", v.size(), v.front().message));
  }
  out.message = fmt::format("{}", fmt::join(problems, "\n"));
  out.pass = problems.empty();
  return out;
}

std::string describe_dma_case(const std::string& config, std::uint64_t seed, const Params& p) {
  const golden::Config cfg = chip_config(config);
  // The same base the devices allocate (the allocator starts at 4 KiB, and the workspace is the
  // first allocation).
  const DmaProgram prog = make_program(cfg, seed, p, 4096);
  std::string s = fmt::format("{} instructions; windows:", prog.items.size());
  for (const auto& w : prog.windows) {
    s += fmt::format(" [0x{:x}..0x{:x} {}{}]", w.base, w.limit, w.read ? "r" : "", w.write ? "w" : "");
  }
  for (std::size_t i = 0; i < prog.items.size(); ++i) {
    const DmaItem& it = prog.items[i];
    s += fmt::format("\n  {:3} {:5} {:<12} {}", i, golden::engine_name(it.insn.engine), it.role,
                     golden::disassemble(it.insn));
  }
  return s;
}

const CaseKind& dma_kind() {
  static const DmaKind kind;
  return kind;
}

}  // namespace systole::verif::regress
