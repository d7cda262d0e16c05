// The random DMA program generator (dma_program_gen.hpp): layout, patterns, semaphores.
#include "dma_program_gen.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>

#include "dma_patterns.hpp"
#include "systole/driver/program_check.hpp"
#include "systole/golden/disasm.hpp"

namespace systole::verif::regress {

using golden::Dap;
using golden::Dim;
using golden::Dma;
using golden::DType;
using golden::Instruction;
using golden::Space;

namespace {

constexpr std::uint32_t kGuard = 256;  // known-pattern bytes around the workspace, in no window
constexpr std::uint32_t kSlack = 64;   // each region starts up to this far (4-byte steps) after the last

std::uint8_t pattern_byte(std::uint64_t addr) { return static_cast<std::uint8_t>(0xA5 ^ (addr * 0x3B) ^ (addr >> 8)); }

struct Sizes {
  std::uint32_t sb, ps, ro, rw, wo, dump;
};
Sizes sizes(const golden::Config& c) {
  Sizes s;
  s.sb = std::min<std::uint32_t>(c.sbuf_bytes, 1024);
  s.ps = std::min<std::uint32_t>(c.psum_bytes, 512);
  s.ro = std::max<std::uint32_t>({8192, c.partitions * s.sb, c.partitions * s.ps});
  s.rw = 16384;
  s.wo = 8192;
  s.dump = c.partitions * (s.sb + s.ps);
  return s;
}

DmaLayout make_layout(const golden::Config& cfg, std::uint32_t base, std::mt19937_64& r) {
  const Sizes s = sizes(cfg);
  DmaLayout l;
  l.base = base;
  std::uint32_t at = base + kGuard;
  auto place = [&](std::uint32_t bytes) {
    const std::uint32_t start = at + 4 * static_cast<std::uint32_t>(r() % (kSlack / 4));
    at += kSlack + bytes;
    return start;
  };
  l.ro = place(l.ro_bytes = s.ro);
  l.rw = place(l.rw_bytes = s.rw);
  l.wo = place(l.wo_bytes = s.wo);
  l.dump = place(l.dump_bytes = s.dump);
  l.total = at + kGuard - base;
  l.sb_bytes = s.sb;
  l.ps_bytes = s.ps;
  l.sb_base = 8 * static_cast<std::uint32_t>(r() % ((cfg.sbuf_bytes - s.sb) / 8 + 1));
  l.ps_base = 4 * static_cast<std::uint32_t>(r() % ((cfg.psum_bytes - s.ps) / 4 + 1));
  l.sb_dump = l.dump;
  l.ps_dump = l.dump + cfg.partitions * s.sb;
  return l;
}

// Whole-region DMAs between DRAM rows and the on-chip region of every partition (int32 words).
Dma region_copy(const golden::Config& cfg, Space sp, std::uint32_t onchip_base, std::uint32_t bytes,
                std::uint32_t dram_addr, bool to_chip) {
  Dap chip;
  chip.space = sp;
  chip.dtype = DType::kInt32;
  chip.addr = onchip_base;
  chip.dims = {Dim{bytes / 4, 1}, Dim{1, 0}, Dim{1, 0}, Dim{cfg.partitions, 1}};
  Dap dram;
  dram.space = Space::kDram;
  dram.dtype = DType::kInt32;
  dram.addr = dram_addr;
  dram.dims = {Dim{bytes / 4, 1}, Dim{1, 0}, Dim{1, 0}, Dim{cfg.partitions, static_cast<std::int32_t>(bytes / 4)}};
  return to_chip ? Dma{chip, dram} : Dma{dram, chip};
}

}  // namespace

std::uint32_t dma_workspace_bytes(const golden::Config& cfg) {
  const Sizes s = sizes(cfg);
  return 2 * kGuard + 4 * kSlack + s.ro + s.rw + s.wo + s.dump;
}

std::vector<Instruction> DmaProgram::instructions() const {
  std::vector<Instruction> v;
  v.reserve(items.size());
  for (const DmaItem& i : items) v.push_back(i.insn);
  return v;
}

int DmaProgram::last_writer(Space s, std::uint32_t partition, std::uint64_t byte) const {
  for (int i = static_cast<int>(items.size()) - 1; i >= 0; --i) {
    for (const ByteSpan& w : items[i].fp.writes) {
      if (w.space == s && w.partition == partition && byte >= w.lo && byte < w.hi) return i;
    }
  }
  return -1;
}

std::string DmaProgram::describe_dram(std::uint32_t addr, Space* onchip, std::uint32_t* partition,
                                      std::uint64_t* byte) const {
  const DmaLayout& l = layout;
  auto in = [&](std::uint32_t b, std::uint32_t n) { return addr >= b && addr < b + n; };
  auto set = [&](Space s, std::uint32_t p, std::uint64_t b) {
    if (onchip) *onchip = s;
    if (partition) *partition = p;
    if (byte) *byte = b;
  };
  if (addr >= l.sb_dump && addr < l.ps_dump) {
    const std::uint32_t off = addr - l.sb_dump, p = off / l.sb_bytes, b = l.sb_base + off % l.sb_bytes;
    set(Space::kSbuf, p, b);
    return fmt::format("dump of SBUF partition {} byte 0x{:x}", p, b);
  }
  if (addr >= l.ps_dump && addr < l.dump + l.dump_bytes) {
    const std::uint32_t off = addr - l.ps_dump, p = off / l.ps_bytes, b = l.ps_base + off % l.ps_bytes;
    set(Space::kPsum, p, b);
    return fmt::format("dump of PSUM partition {} byte 0x{:x}", p, b);
  }
  set(Space::kDram, 0, addr);
  if (in(l.ro, l.ro_bytes)) return fmt::format("RO+0x{:x}", addr - l.ro);
  if (in(l.rw, l.rw_bytes)) return fmt::format("RW+0x{:x}", addr - l.rw);
  if (in(l.wo, l.wo_bytes)) return fmt::format("WO+0x{:x}", addr - l.wo);
  if (in(l.base, l.total)) return "workspace padding (no window)";
  return "outside the workspace";
}

DmaProgram build_dma_program(const golden::Config& cfg, std::uint64_t seed, const DmaGenParams& gp,
                             std::uint32_t base) {
  if (cfg.dma_queues > 8) throw std::invalid_argument("build_dma_program: more than 8 DMA queues");
  std::mt19937_64 lr(seed ^ 0x6c61796f7574ull);  // layout, windows, queues, semaphores, data
  DmaProgram prog;
  DmaLayout& l = prog.layout;
  l = make_layout(cfg, base, lr);

  // Windows in a random slot order, each exactly its region.
  std::array<golden::Window, 4> wins = {golden::Window{l.rw, l.rw + l.rw_bytes - 1, true, true, true},
                                        golden::Window{l.ro, l.ro + l.ro_bytes - 1, true, true, false},
                                        golden::Window{l.wo, l.wo + l.wo_bytes - 1, true, false, true},
                                        golden::Window{l.dump, l.dump + l.dump_bytes - 1, true, false, true}};
  std::shuffle(wins.begin(), wins.end(), lr);
  std::copy(wins.begin(), wins.end(), prog.windows.begin());

  std::array<unsigned, 8> qmap{};
  std::iota(qmap.begin(), qmap.begin() + cfg.dma_queues, 0u);
  std::shuffle(qmap.begin(), qmap.begin() + cfg.dma_queues, lr);
  std::array<std::uint8_t, golden::Config::kNumSemaphores> sems{};
  std::iota(sems.begin(), sems.end(), std::uint8_t{0});
  std::shuffle(sems.begin(), sems.end(), lr);

  // Initial data: random words (some special) in RO and RW, a known pattern elsewhere.
  prog.image.resize(l.total);
  for (std::uint32_t i = 0; i < l.total; ++i) prog.image[i] = pattern_byte(base + i);
  for (auto [start, bytes] : {std::pair{l.ro, l.ro_bytes}, std::pair{l.rw, l.rw_bytes}}) {
    for (std::uint32_t a = start; a + 4 <= start + bytes; a += 4) {
      const std::uint32_t w = lr() % 100 < gp.special ? special_word(lr) : static_cast<std::uint32_t>(lr());
      for (int k = 0; k < 4; ++k) prog.image[a - base + k] = static_cast<std::uint8_t>(w >> (8 * k));
    }
  }

  // ---- the DMAs, in program order, each on a logical queue -----------------------------------
  const unsigned nq = gp.queues;
  std::vector<ProgItem> works;
  std::vector<unsigned> stream;
  auto add_work = [&](Dma d, unsigned q, std::string role) {
    ProgItem w;
    w.fp = dma_footprint(d);
    w.insn.op = d;
    w.role = std::move(role);
    works.push_back(std::move(w));
    stream.push_back(q);
  };
  add_work(region_copy(cfg, Space::kSbuf, l.sb_base, l.sb_bytes, l.ro, true), 0, "fill SBUF");
  add_work(region_copy(cfg, Space::kPsum, l.ps_base, l.ps_bytes, l.ro, true), 1 % nq, "fill PSUM");
  const PatternSpace ps{cfg, l};
  for (unsigned i = 0; i < gp.n_insn; ++i) {
    if (std::find(gp.drop.begin(), gp.drop.end(), i) != gp.drop.end()) continue;
    std::mt19937_64 r(seed ^ (0x9E3779B97F4A7C15ull * (i + 1)));
    const Dma d = random_dma(ps, gp, r);
    const unsigned q = static_cast<unsigned>(r() % nq);
    add_work(d, q, fmt::format("random {}", i));
    ++prog.random_dmas;
    ++prog.pairs[pair_index(d)];
    prog.casts += d.src.dtype != d.dst.dtype;
    for (const Dap* p : {&d.src, &d.dst}) prog.pdim_patterns += p->space != Space::kDram && p->pdim != 3;
  }
  add_work(region_copy(cfg, Space::kSbuf, l.sb_base, l.sb_bytes, l.sb_dump, false), 0, "dump SBUF");
  add_work(region_copy(cfg, Space::kPsum, l.ps_base, l.ps_bytes, l.ps_dump, false), nq - 1, "dump PSUM");

  // ---- semaphores: wait for every earlier conflicting DMA of another queue ---------------------
  std::mt19937_64 sr(seed ^ 0x73656d6170686f72ull);
  std::vector<std::uint8_t> engines(nq), stream_sems(nq);
  for (unsigned q = 0; q < nq; ++q) {
    engines[q] = golden::engine::dma(qmap[q]);
    stream_sems[q] = sems[q];
  }
  SyncStats st;
  prog.items = schedule_streams(works, stream, engines, stream_sems, gp.sync, sr, st);
  prog.sync_waits = st.sync_waits;
  prog.extra_waits = st.extra_waits;
  prog.nops = st.nops;
  end_and_check(prog.items, cfg, prog.windows, "dma generator");
  return prog;
}

}  // namespace systole::verif::regress
