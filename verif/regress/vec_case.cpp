// The "vector" case kind (vec_case.hpp): parameters, generation, the RTL-vs-golden run, shrinking.
#include "vec_case.hpp"

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
using namespace systole::sim;
namespace {

constexpr std::uint64_t kDramBytes = std::uint64_t{2} << 20;
constexpr std::array<const char*, 8> kKeys = {"n_insn", "drop", "vec", "mm", "dma", "queues", "sync", "tables"};
constexpr std::array<const char*, 3> kValues = {"random", "near1", "corners"};

// The first DRAM byte that differs, and where it is.
std::string dram_mismatch(const VecProgram& prog, const std::vector<std::uint8_t>& rtl,
                          const std::vector<std::uint8_t>& gold) {
  std::size_t first = rtl.size(), n = 0;
  for (std::size_t a = 0; a < rtl.size(); ++a) {
    if (rtl[a] == gold[a]) continue;
    first = std::min(first, a);
    ++n;
  }
  if (n == 0) return {};
  const VecLayout& l = prog.layout;
  const auto addr = static_cast<std::uint32_t>(first);
  std::string where = "outside the dumps";
  if (addr >= l.sb_dump && addr < l.ps_dump) {
    const std::uint32_t off = addr - l.sb_dump;
    where = fmt::format("dump of SBUF partition {} byte 0x{:x}", off / l.sb_bytes, l.sb_base + off % l.sb_bytes);
  } else if (addr >= l.ps_dump && addr < l.ps_dump + (l.ps_dump - l.sb_dump) / l.sb_bytes * l.ps_bytes) {
    const std::uint32_t off = addr - l.ps_dump;
    where = fmt::format("dump of PSUM partition {} byte 0x{:x}", off / l.ps_bytes, l.ps_base + off % l.ps_bytes);
  } else if (addr >= l.rw && addr < l.rw + l.rw_bytes) {
    where = fmt::format("RW+0x{:x}", addr - l.rw);
  }
  return fmt::format("DRAM byte 0x{:x} ({}): RTL 0x{:02x}, golden 0x{:02x} ({} bytes differ)", addr, where, rtl[first],
                     gold[first], n);
}

struct Devices {
  RtlDevice rtl;
  driver::GoldenDevice gold;
};

// One program on both devices; "" when they agree.
std::string run_both(Devices& d, const golden::Config& cfg, const VecProgram& prog, bool* stopped,
                     std::uint64_t* cycles) {
  std::vector<golden::EncodedInstruction> words;
  for (const ProgItem& it : prog.items) words.push_back(golden::encode(it.insn));
  d.rtl.upload(prog.layout.base, prog.image);
  d.gold.upload(prog.layout.base, prog.image);
  driver::RunOptions ro;
  ro.windows = prog.windows;
  driver::RunResult g, r;
  std::optional<driver::DeviceError> ge, re;
  try {
    g = d.gold.run(words, ro);
  } catch (const driver::DeviceError& e) {
    ge = e;
  } catch (const std::exception& e) {
    return fmt::format("the golden model rejected the generated program (a generator bug): {}", e.what());
  }
  if (ge && ge->code() != golden::ErrorCode::kTableError) {
    return fmt::format("the golden model stopped with {} (a generator bug): {}", golden::error_name(ge->code()),
                       ge->what());
  }
  if (!g.races.empty()) {
    return fmt::format(
        "the golden race checker reports {} race(s) in the generated program (a generator bug), first: {}",
        g.races.size(), g.races.front());
  }
  try {
    r = d.rtl.run(words, ro);
  } catch (const driver::DeviceError& e) {
    re = e;
  } catch (const driver::DeviceTimeout& e) {
    return fmt::format("the RTL did not complete: {}", e.what());
  }
  if (stopped) *stopped = ge.has_value();
  if (cycles) *cycles = r.counters.cycles.value_or(0);
  if (ge || re) {
    if (!re) return fmt::format("the RTL completed, golden stopped: {}", ge->what());
    if (!ge) return fmt::format("the RTL stopped with an error, golden completed: {}", re->what());
    if (re->code() != ge->code() || re->index() != ge->index() || re->engine() != ge->engine()) {
      return fmt::format("the stops differ: RTL {} at {} (engine {}), golden {} at {} (engine {})",
                         golden::error_name(re->code()), re->index(), re->engine(), golden::error_name(ge->code()),
                         ge->index(), ge->engine());
    }
    return {};  // the same stop; memory after a stop is undefined
  }
  std::vector<std::string> problems;
  std::vector<std::uint8_t> rd(kDramBytes), gd(kDramBytes);
  d.rtl.download(0, rd);
  d.gold.download(0, gd);
  if (std::string m = dram_mismatch(prog, rd, gd); !m.empty()) problems.push_back(std::move(m));
  if (std::string m = counters_mismatch(cfg, r.counters, g.counters); !m.empty())
    problems.push_back(fmt::format("counters: {}", m));
  return fmt::format("{}", fmt::join(problems, "\n"));
}

class VecKind final : public CaseKind {
 public:
  std::string name() const override { return "vector"; }
  bool supports(const std::string& config) const override { return golden::Config::by_name(config).vector_engine; }

  Params generate(const std::string& config, std::uint64_t seed) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    std::mt19937_64 r(seed ^ 0x7665635f67656e00ull);
    auto pick = [&](unsigned n) { return static_cast<unsigned>(r() % n); };
    VecGenParams g;
    g.n_insn = 1 + pick(32);
    g.vec = 1 + pick(9);
    g.mm = pick(3) == 0 ? 0 : pick(4);
    g.dma = pick(3) == 0 ? 0 : pick(4);
    g.queues = pick(4) == 0 ? 1 + pick(cfg.dma_queues) : cfg.dma_queues;
    g.sync = pick(4) == 0 ? 0 : pick(50);
    g.tables = pick(10) != 0;
    g.values = kValues[pick(3)];
    Params p;
    g.store(p);
    draw_dram(p, r);
    return p;
  }

  Outcome run(const std::string& config, std::uint64_t seed, const Params& p) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    const VecGenParams gp = VecGenParams::from(p, cfg);  // bad parameters throw before the chip is built
    RtlOptions o;
    o.sim.dram_bytes = kDramBytes;
    apply_dram(p, o.sim.axi);
    o.sim.axi.seed = seed ^ 0x61786900ull;
    o.sim.axi.on_violation = AxiViolationPolicy::kRecord;
    o.max_cycles = 20'000'000;
    Devices d{RtlDevice(config, o), driver::GoldenDevice(cfg, kDramBytes, true)};
    const std::uint32_t ws = vec_workspace_bytes(cfg);
    const std::uint32_t base = d.rtl.alloc(ws, 4096);
    if (d.gold.alloc(ws, 4096) != base) throw std::logic_error("vector case: the two devices allocated differently");
    const VecProgram prog = build_vec_program(cfg, seed, gp, base);

    Outcome out;
    bool stopped = false;
    out.message = run_both(d, cfg, prog, &stopped, &out.cycles);
    if (out.message.empty() && stopped) {
      // After the error stop (and the driver's soft reset, which clears the tables) a correct
      // program runs and must match.
      VecGenParams after;
      after.n_insn = 6;
      after.queues = gp.queues;
      after.legal_only = true;
      const VecProgram again = build_vec_program(cfg, seed ^ 0x6166746572ull, after, base);
      if (std::string m = run_both(d, cfg, again, nullptr, nullptr); !m.empty())
        out.message = fmt::format("after the soft reset: {}", m);
    }
    if (const auto& v = d.rtl.sim().memory().violations(); !v.empty()) {
      out.message += fmt::format("{}{} AXI protocol violation(s), first: {}", out.message.empty() ? "" : "\n", v.size(),
                                 v.front().message);
    }
    out.pass = out.message.empty();
    return out;
  }

  std::vector<Params> shrink(const std::string& config, const Params& p) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    const VecGenParams g = VecGenParams::from(p, cfg);
    std::vector<Params> out;
    auto variant = [&](auto change) {
      VecGenParams h = g;
      change(h);
      Params q = p;
      h.store(q);
      if (q != p) out.push_back(std::move(q));
    };
    auto keep_below = [](VecGenParams& h) { std::erase_if(h.drop, [&](unsigned i) { return i >= h.n_insn; }); };
    if (g.n_insn > 1) {
      variant([&](VecGenParams& h) {
        h.n_insn = g.n_insn / 2;
        keep_below(h);
      });
      variant([&](VecGenParams& h) {
        h.n_insn = g.n_insn - 1;
        keep_below(h);
      });
    }
    for (unsigned i = 0; i < g.n_insn; ++i) {
      if (std::find(g.drop.begin(), g.drop.end(), i) != g.drop.end()) continue;
      variant([&](VecGenParams& h) {
        h.drop.push_back(i);
        std::sort(h.drop.begin(), h.drop.end());
      });
    }
    if (g.queues > 1) variant([&](VecGenParams& h) { h.queues = g.queues - 1; });
    if (g.vec > 0 && (g.mm > 0 || g.dma > 0)) {
      variant([](VecGenParams& h) { h.mm = 0, h.dma = 0; });
    }
    variant([](VecGenParams& h) { h.sync = 0; });
    variant([](VecGenParams& h) { h.values = "random"; });
    for (Params& q : shrink_dram(p)) out.push_back(std::move(q));
    return out;
  }

  CoverageKey coverage(const std::string& config, const Params& p) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    CoverageKey k;
    k.dtype = "mixed";
    k.shape_class = "vector";
    k.values = VecGenParams::from(p, cfg).values;
    k.stall = stall_class(p);
    return k;
  }

  std::vector<std::string> bins(const std::string& config, std::uint64_t seed, const Params& p) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    // The program the case runs (the devices allocate the workspace first, at 4 KiB; the bins do
    // not depend on the base anyway).
    return build_vec_program(cfg, seed, VecGenParams::from(p, cfg), 4096).bins;
  }
};

}  // namespace

VecGenParams VecGenParams::from(const Params& p, const golden::Config& cfg) {
  for (const auto& [k, v] : p) {
    if (k.rfind("dram_", 0) == 0 || k == "values") continue;
    if (std::find(kKeys.begin(), kKeys.end(), k) == kKeys.end()) {
      throw std::invalid_argument(
          fmt::format("{}={}: not a parameter of the vector case kind (expected n_insn, drop, vec, mm, dma, queues, "
                      "sync, tables, values or dram_*)",
                      k, v));
    }
  }
  VecGenParams g;
  g.n_insn = param_number(p, "n_insn", 1, 64, g.n_insn);
  g.vec = param_number(p, "vec", 0, 9, g.vec);
  g.mm = param_number(p, "mm", 0, 9, g.mm);
  g.dma = param_number(p, "dma", 0, 9, g.dma);
  if (g.vec + g.mm + g.dma == 0) throw std::invalid_argument("vec=0 mm=0 dma=0: at least one weight must be above 0");
  g.queues = param_number(p, "queues", 1, cfg.dma_queues, std::min(g.queues, cfg.dma_queues));
  g.sync = param_number(p, "sync", 0, 100, g.sync);
  g.tables = param_number(p, "tables", 0, 1, g.tables ? 1 : 0) != 0;
  if (auto it = p.find("values"); it != p.end()) {
    if (std::find(kValues.begin(), kValues.end(), it->second) == kValues.end()) {
      throw std::invalid_argument(fmt::format("values={}: expected random, near1 or corners", it->second));
    }
    g.values = it->second;
  }
  g.drop = param_drop(p, g.n_insn);
  return g;
}

void VecGenParams::store(Params& p) const {
  p["n_insn"] = std::to_string(n_insn);
  p["vec"] = std::to_string(vec);
  p["mm"] = std::to_string(mm);
  p["dma"] = std::to_string(dma);
  p["queues"] = std::to_string(queues);
  p["sync"] = std::to_string(sync);
  p["tables"] = std::to_string(tables ? 1 : 0);
  p["values"] = values;
  if (drop.empty()) {
    p.erase("drop");
  } else {
    p["drop"] = drop_text(drop);
  }
}

std::string describe_vec_case(const std::string& config, std::uint64_t seed, const Params& p) {
  const golden::Config cfg = golden::Config::by_name(config);
  const VecProgram prog = build_vec_program(cfg, seed, VecGenParams::from(p, cfg), 4096);
  std::string s = fmt::format("{} instructions ({} vector, {} MATMUL, {} DMA)", prog.items.size(), prog.vector_insns,
                              prog.matmuls, prog.dmas);
  for (std::size_t i = 0; i < prog.items.size(); ++i) {
    const ProgItem& it = prog.items[i];
    s += fmt::format("\n  {:3} {:6} {:<16} {}", i, golden::engine_name(it.insn.engine), it.role,
                     golden::disassemble(it.insn));
  }
  return s;
}

const CaseKind& vec_kind() {
  static const VecKind kind;
  return kind;
}

}  // namespace systole::verif::regress
