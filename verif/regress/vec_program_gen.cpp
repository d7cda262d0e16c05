// The random vector program generator (vec_program_gen.hpp): layout, instructions, footprints.
#include "vec_program_gen.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <numeric>
#include <random>
#include <stdexcept>

#include "../numerics/numerics_stimulus.hpp"
#include "../vector/vec_insn_gen.hpp"
#include "../vector/vec_table_gen.hpp"
#include "dma_patterns.hpp"
#include "systole/driver/program_check.hpp"
#include "systole/golden/activation.hpp"
#include "systole/golden/builder.hpp"
#include "systole/golden/disasm.hpp"

namespace systole::verif::regress {

using golden::DType;
using golden::Instruction;
using golden::Space;
using golden::Tap;

namespace {

constexpr std::uint32_t kTableBytes = 4 * (8 + 4 * 64 + 4);  // the largest table image, rounded up
constexpr std::uint32_t kTableImages = 4 + 64;               // the preamble's and one per random insn
constexpr std::uint32_t kRwBytes = 8192;

struct Sizes {
  std::uint32_t sb, ps;
};
Sizes sizes(const golden::Config& c) {
  return {std::min<std::uint32_t>(c.sbuf_bytes, 2048), std::min<std::uint32_t>(c.psum_bytes, 2048)};
}

void spans_of_tap(const Tap& t, std::vector<ByteSpan>& out) {
  if (!t.present()) return;
  const std::int64_t sz = static_cast<std::int64_t>(golden::dtype_size(t.dtype));
  for (std::uint32_t p = t.pstart; p < t.pstart + t.pcount; ++p)
    for (std::uint32_t i2 = 0; i2 < t.dims[2].count; ++i2)
      for (std::uint32_t i1 = 0; i1 < t.dims[1].count; ++i1)
        for (std::uint32_t i0 = 0; i0 < t.dims[0].count; ++i0) {
          const std::int64_t e = std::int64_t{i0} * t.dims[0].stride + std::int64_t{i1} * t.dims[1].stride +
                                 std::int64_t{i2} * t.dims[2].stride;
          const auto lo = static_cast<std::uint64_t>(t.offset + e * sz);
          out.push_back(ByteSpan{t.space, p, lo, lo + static_cast<std::uint64_t>(sz)});
        }
}

void spans_of_cap(const golden::Cap& c, std::uint32_t lanes, std::vector<ByteSpan>& out) {
  if (!c.present()) return;
  const std::uint64_t sz = golden::dtype_size(c.dtype);
  for (std::uint32_t p = c.pstart; p < c.pstart + lanes; ++p)
    out.push_back(ByteSpan{c.space, p, c.offset, c.offset + sz});
}

// Whether a pattern names some byte twice (a zero stride, overlapping elements).
bool names_a_byte_twice(const Tap& t) {
  std::vector<ByteSpan> v;
  spans_of_tap(t, v);
  std::uint64_t total = 0;
  for (const ByteSpan& s : v) total += s.hi - s.lo;
  std::uint64_t merged = 0;
  for (const ByteSpan& s : merge_spans(v)) merged += s.hi - s.lo;
  return merged != total;
}

// One memory operand of a MATMUL or vector instruction: a TAP or a CAP (over `lanes` lanes),
// read (an input, a scalar CAP, MATMUL's accumulated out) or written (out, ACTIVATE's acc CAP).
struct Operand {
  const Tap* tap = nullptr;
  const golden::Cap* cap = nullptr;
  std::uint32_t lanes = 0;
  bool write = false;
  bool input = false;  // an input TAP (it may be the out TAP itself: in place)
};
// Calls f(Operand) for every memory operand of the instruction.
template <class F>
void for_each_operand(const Instruction& insn, F f) {
  std::visit(
      [&](const auto& op) {
        using T = std::decay_t<decltype(op)>;
        auto in = [&](const Tap& t) { f(Operand{&t, nullptr, 0, false, true}); };
        auto scalar = [&](const golden::Scalar& sc, std::uint32_t lanes) {
          if (sc.from_col) f(Operand{nullptr, &sc.col, lanes, false, false});
        };
        if constexpr (std::is_same_v<T, golden::Matmul>) {
          in(op.stationary);
          in(op.moving);
          if (!op.start) f(Operand{&op.out, nullptr, 0, false, false});  // accumulates into out
        } else if constexpr (std::is_same_v<T, golden::TensorTensor>) {
          in(op.in0);
          in(op.in1);
        } else if constexpr (std::is_same_v<T, golden::TensorScalar>) {
          in(op.in);
          scalar(op.s0, op.out.pcount);
          scalar(op.s1, op.out.pcount);
        } else if constexpr (std::is_same_v<T, golden::Select>) {
          in(op.in);
          in(op.mask);
        } else if constexpr (std::is_same_v<T, golden::Activate>) {
          in(op.in);
          scalar(op.scale, op.out.pcount);
          scalar(op.bias, op.out.pcount);
          if (op.acc != golden::AccOp::kNone) f(Operand{nullptr, &op.acc_out, op.out.pcount, true, false});
        } else if constexpr (std::is_same_v<T, golden::TableLoad> || std::is_same_v<T, golden::Copy> ||
                             std::is_same_v<T, golden::TensorReduce>) {
          in(op.in);
        }
        if constexpr (requires { op.out; }) f(Operand{&op.out, nullptr, 0, true, false});
      },
      insn.op);
}

void spans_of(const Operand& o, std::vector<ByteSpan>& out) {
  if (o.tap) spans_of_tap(*o.tap, out);
  else spans_of_cap(*o.cap, o.lanes, out);
}

// The inputs of a vector instruction that are the out TAP itself (in place) are fine when out
// names each byte once (isa.md, "Memory ordering"); any other read that overlaps a write is a
// race inside the instruction, which the generator never emits: a read against out, and every
// read, in place or not, against ACTIVATE's acc CAP (the golden race checker's rule).
bool self_race(const Instruction& insn) {
  std::vector<ByteSpan> reads, in_place_reads, out_writes, other_writes;
  const Tap* out = nullptr;
  for_each_operand(insn, [&](const Operand& o) {
    if (o.write && o.tap) out = o.tap;
  });
  bool in_place = false;
  for_each_operand(insn, [&](const Operand& o) {
    if (o.write) {
      spans_of(o, o.tap ? out_writes : other_writes);
    } else if (o.input && out && *o.tap == *out) {
      in_place = true;
      spans_of(o, in_place_reads);
    } else {
      spans_of(o, reads);
    }
  });
  const auto all_reads = merge_spans([&] {
    std::vector<ByteSpan> v = reads;
    v.insert(v.end(), in_place_reads.begin(), in_place_reads.end());
    return v;
  }());
  return (in_place && names_a_byte_twice(*out)) ||
         overlaps(merge_spans(std::move(reads)), merge_spans(std::move(out_writes))) ||
         overlaps(all_reads, merge_spans(std::move(other_writes)));
}

// Initial 32-bit words by value class.
std::uint32_t initial_word(const std::string& values, std::mt19937_64& r) {
  if (values == "corners" && r() % 4 != 0) return special_word(r);
  if (values == "near1" && r() % 8 != 0) {
    return 0x3F000000u + static_cast<std::uint32_t>(r() & 0x00FFFFFFu) + (r() % 4 == 0 ? 0x80000000u : 0u);
  }
  return static_cast<std::uint32_t>(r());
}

// Whole-region DMAs between DRAM rows and the on-chip region of every partition (int32 words).
golden::Dma region_dma(const golden::Config& cfg, Space sp, std::uint32_t onchip_base, std::uint32_t bytes,
                       std::uint32_t dram_addr, bool to_chip) {
  const golden::Dap chip = golden::onchip(sp, DType::kInt32, 0, cfg.partitions, onchip_base, {{bytes / 4, 1}});
  const golden::Dap dram =
      golden::dram(DType::kInt32, dram_addr, {{bytes / 4, 1}, {cfg.partitions, static_cast<std::int32_t>(bytes / 4)}});
  return to_chip ? golden::Dma{chip, dram} : golden::Dma{dram, chip};
}

// A DMA of table words from DRAM to a TABLE_LOAD's TAP (contiguous fp32 words, one partition).
golden::Dma table_dma(const Tap& t, std::uint32_t dram_addr) {
  const std::uint32_t words = t.dims[0].count;
  return golden::Dma{golden::onchip(Space::kSbuf, DType::kFp32, t.pstart, 1, t.offset, {{words, 1}}),
                     golden::dram(DType::kFp32, dram_addr, {{words, 1}})};
}

struct Gen {
  const golden::Config& cfg;
  const VecLayout& l;
  std::mt19937_64& r;
  std::uint32_t u(std::uint32_t n) { return static_cast<std::uint32_t>(r() % n); }

  // A MATMUL over the regions: K x M stationary, K x N moving, M x N out (start or accumulate).
  std::optional<golden::Matmul> matmul(vec::InsnGen& ig) {
    std::vector<DType> dts;
    for (DType t : {DType::kInt8, DType::kBf16, DType::kFp8})
      if (cfg.tensor_dtype_enabled(t)) dts.push_back(t);
    const DType dt = dts[u(static_cast<std::uint32_t>(dts.size()))];
    const std::uint32_t k = 1 + u(cfg.partitions), m = 1 + u(cfg.columns), n = 1 + u(std::min(cfg.nmax, 48u));
    golden::Matmul mm;
    mm.start = u(3) != 0;
    mm.stationary = ig.place(Space::kSbuf, dt, k, {m, 1, 1});
    mm.moving = ig.place(Space::kSbuf, dt, k, {n, 1, 1});
    mm.moving.pstart = mm.stationary.pstart;
    mm.out = ig.place(Space::kPsum, dt == DType::kInt8 ? DType::kInt32 : DType::kFp32, m, {n, 1, 1});
    return mm;
  }

  // A DMA between the DRAM RW region and the on-chip regions (or on chip), a copy or a cast.
  golden::Dma dma() {
    const Space spaces[] = {Space::kDram, Space::kSbuf, Space::kPsum};
    const Space src = spaces[u(3)], dst = spaces[u(3)];
    DType st = std::array{DType::kInt8, DType::kBf16, DType::kFp32, DType::kInt32}[u(4)], dt = st;
    if (dst != Space::kPsum && u(3) == 0) {
      st = DType::kFp32;
      dt = u(2) ? DType::kBf16 : DType::kFp8;
    }
    if (src == Space::kPsum) st = u(2) ? DType::kFp32 : DType::kInt32, dt = dst == Space::kPsum ? st : dt;
    if (dst == Space::kPsum) dt = st = (st == DType::kInt32 ? DType::kInt32 : DType::kFp32);
    const std::uint32_t np = 1 + u(cfg.partitions), pstart = u(cfg.partitions - np + 1);
    const std::uint32_t n = 1 + u(64);
    auto side = [&](Space sp, DType t) {
      const std::uint32_t sz = static_cast<std::uint32_t>(golden::dtype_size(t));
      if (sp == Space::kDram) {
        const std::uint32_t bytes = n * np * sz;
        const std::uint32_t at = l.rw + sz * u((l.rw_bytes - bytes) / sz + 1);
        return golden::dram(t, at, {{n, 1}, {np, static_cast<std::int32_t>(n)}});
      }
      const std::uint32_t base = sp == Space::kSbuf ? l.sb_base : l.ps_base;
      const std::uint32_t len = sp == Space::kSbuf ? l.sb_bytes : l.ps_bytes;
      return golden::onchip(sp, t, pstart, np, base + sz * u((len - n * sz) / sz + 1), {{n, 1}});
    };
    return golden::Dma{side(dst, dt), side(src, st)};
  }
};

}  // namespace

std::uint32_t vec_workspace_bytes(const golden::Config& cfg) {
  const Sizes s = sizes(cfg);
  return 2 * cfg.partitions * (s.sb + s.ps) + kRwBytes + kTableImages * kTableBytes + 4 * 256;
}

std::vector<Instruction> VecProgram::instructions() const {
  std::vector<Instruction> v;
  for (const ProgItem& i : items) v.push_back(i.insn);
  return v;
}

Footprint insn_footprint(const Instruction& insn) {
  std::vector<ByteSpan> reads, writes;
  for_each_operand(insn, [&](const Operand& o) { spans_of(o, o.write ? writes : reads); });
  return Footprint{merge_spans(std::move(reads)), merge_spans(std::move(writes))};
}

std::string vec_bin(const Instruction& insn) {
  const golden::Opcode o = insn.opcode();
  std::string dt = "fp32", fn = "-";
  std::visit(
      [&](const auto& op) {
        if constexpr (requires { op.out; }) dt = std::string(golden::dtype_name(op.out.dtype));
        if constexpr (std::is_same_v<std::decay_t<decltype(op)>, golden::Activate>) fn = golden::act_name(op.func);
      },
      insn.op);
  return fmt::format("{}/{}/{}", golden::opcode_name(o), dt, fn);
}

std::vector<std::string> vec_bin_grid() {
  std::vector<std::string> g;
  const DType dts[] = {DType::kInt8, DType::kBf16, DType::kFp8, DType::kFp32, DType::kInt32};
  const golden::Opcode ops[] = {golden::Opcode::kCopy,         golden::Opcode::kTensorTensor,
                                golden::Opcode::kTensorScalar, golden::Opcode::kTensorReduce,
                                golden::Opcode::kIota,         golden::Opcode::kSelect};
  for (golden::Opcode o : ops)
    for (DType d : dts) g.push_back(fmt::format("{}/{}/-", golden::opcode_name(o), golden::dtype_name(d)));
  for (int f = 0; f < 8; ++f)
    for (DType d : dts)
      g.push_back(
          fmt::format("ACTIVATE/{}/{}", golden::dtype_name(d), golden::act_name(static_cast<golden::ActFunc>(f))));
  g.push_back("TABLE_LOAD/fp32/-");
  return g;
}

VecProgram build_vec_program(const golden::Config& cfg, std::uint64_t seed, const VecGenParams& gp,
                             std::uint32_t base) {
  if (!cfg.vector_engine)
    throw std::invalid_argument(fmt::format("the vector case needs a vector engine; '{}' has none", cfg.name));
  std::mt19937_64 lr(seed ^ 0x7665635f6c61796full);  // layout, data, streams, tables
  VecProgram prog;
  VecLayout& l = prog.layout;
  const Sizes s = sizes(cfg);
  const std::uint32_t P = cfg.partitions;
  l.base = base;
  l.fill = base + 256;
  l.rw = l.fill + P * (s.sb + s.ps) + 256;
  l.rw_bytes = kRwBytes;
  l.dump = l.rw + kRwBytes + 256;
  l.tables = l.dump + P * (s.sb + s.ps) + 256;
  l.total = l.tables + kTableImages * kTableBytes - base;
  l.sb_bytes = s.sb;
  l.ps_bytes = s.ps;
  l.sb_base = 32 * static_cast<std::uint32_t>(lr() % ((cfg.sbuf_bytes - s.sb) / 32 + 1));
  l.ps_base = 32 * static_cast<std::uint32_t>(lr() % ((cfg.psum_bytes - s.ps) / 32 + 1));
  l.sb_dump = l.dump;
  l.ps_dump = l.dump + P * s.sb;
  prog.windows[0] = golden::Window{base, base + l.total - 1, true, true, true};

  prog.image.assign(l.total, 0);
  for (std::uint32_t a = l.fill; a + 4 <= l.fill + P * (s.sb + s.ps); a += 4) {
    const std::uint32_t w = initial_word(gp.values, lr);
    for (int k = 0; k < 4; ++k) prog.image[a - base + k] = static_cast<std::uint8_t>(w >> (8 * k));
  }
  for (std::uint32_t a = l.rw; a + 4 <= l.rw + kRwBytes; a += 4) {
    const auto w = static_cast<std::uint32_t>(lr());
    for (int k = 0; k < 4; ++k) prog.image[a - base + k] = static_cast<std::uint8_t>(w >> (8 * k));
  }
  std::uint32_t next_table = 0;
  stim::Rng tr(lr());
  auto put_table = [&](std::uint32_t nseg) {  // a random legal table of nseg segments in TABLES
    golden::act::Table t = vec::random_table(tr);
    t.nseg = nseg;
    t.coef.resize(nseg, t.coef.empty() ? std::array<std::uint32_t, 4>{} : t.coef.front());
    const std::vector<std::uint32_t> words = t.to_words();
    const std::uint32_t at = l.tables + kTableBytes * next_table++;
    for (std::size_t i = 0; i < words.size(); ++i)
      for (int k = 0; k < 4; ++k) prog.image[at - base + 4 * i + k] = static_cast<std::uint8_t>(words[i] >> (8 * k));
    return at;
  };

  // Streams: DMA queues 0..nq-1 (a random queue each), the tensor engine, the vector engine.
  const unsigned nq = gp.queues, kTe = nq, kVe = nq + 1;
  std::vector<unsigned> qmap(cfg.dma_queues);
  std::iota(qmap.begin(), qmap.end(), 0u);
  std::shuffle(qmap.begin(), qmap.end(), lr);
  std::vector<std::uint8_t> sems(golden::Config::kNumSemaphores);
  std::iota(sems.begin(), sems.end(), std::uint8_t{0});
  std::shuffle(sems.begin(), sems.end(), lr);
  std::vector<std::uint8_t> engines;
  for (unsigned q = 0; q < nq; ++q) engines.push_back(golden::engine::dma(qmap[q]));
  engines.push_back(golden::engine::kTensor);
  engines.push_back(golden::engine::kVec);
  sems.resize(engines.size());

  std::vector<ProgItem> works;
  std::vector<unsigned> stream;
  auto add = [&](golden::Op op, unsigned st, std::string role) {
    ProgItem w;
    w.insn.op = std::move(op);
    w.role = std::move(role);
    w.fp = std::holds_alternative<golden::Dma>(w.insn.op) ? dma_footprint(std::get<golden::Dma>(w.insn.op))
                                                          : insn_footprint(w.insn);
    works.push_back(std::move(w));
    stream.push_back(st);
  };
  add(region_dma(cfg, Space::kSbuf, l.sb_base, s.sb, l.fill, true), 0, "fill SBUF");
  add(region_dma(cfg, Space::kPsum, l.ps_base, s.ps, l.fill + P * s.sb, true), 1 % nq, "fill PSUM");
  if (gp.tables) {
    for (std::uint8_t slot = 0; slot < golden::Config::kNumTables; ++slot) {
      const std::uint32_t nseg = slot == 0 ? 64 : 1 + static_cast<std::uint32_t>(lr() % 64);
      const Tap t = golden::tap(Space::kSbuf, DType::kFp32, slot % P, 1, l.sb_base,
                                {{static_cast<std::uint32_t>(golden::act::Table::words_for(nseg)), 1}});
      add(table_dma(t, put_table(nseg)), slot % nq, fmt::format("table {} words", slot));
      add(golden::TableLoad{slot, t}, kVe, fmt::format("table {}", slot));
    }
  }

  const unsigned total_w = gp.vec + gp.mm + gp.dma;
  for (unsigned i = 0; i < gp.n_insn; ++i) {
    if (std::find(gp.drop.begin(), gp.drop.end(), i) != gp.drop.end()) continue;
    std::mt19937_64 r(seed ^ (0xD1B54A32D192ED03ull * (i + 1)));
    std::mt19937 r32(static_cast<std::uint32_t>(r()));
    vec::InsnGen ig{cfg, r32, l.sb_base, l.sb_bytes, l.ps_base, l.ps_bytes};
    Gen gen{cfg, l, r};
    const unsigned pick = static_cast<unsigned>(r() % total_w);
    const std::string role = fmt::format("random {}", i);
    if (pick < gp.vec) {
      for (int attempt = 0;; ++attempt) {
        Instruction insn = ig.next();
        insn.engine = golden::engine::kVec;
        if (!golden::decode(golden::encode(insn)).insn || golden::validate(insn, cfg, prog.windows) ||
            self_race(insn)) {
          if (attempt > 200) throw std::logic_error("vector generator: no legal instruction in 200 draws");
          continue;
        }
        if (const auto* tl = std::get_if<golden::TableLoad>(&insn.op)) {
          const std::uint32_t words = tl->in.dims[0].count;
          if (words >= 12 && (words - 8) % 4 == 0 && (words - 8) / 4 <= 64) {  // a size a table has
            add(table_dma(tl->in, put_table((words - 8) / 4)), static_cast<unsigned>(r() % nq), role + " words");
          } else if (gp.legal_only) {
            continue;
          }
        }
        prog.bins.push_back(vec_bin(insn));
        ++prog.vector_insns;
        add(insn.op, kVe, role);
        break;
      }
    } else if (pick < gp.vec + gp.mm) {
      for (int attempt = 0;; ++attempt) {
        Instruction insn;
        insn.engine = golden::engine::kTensor;
        insn.op = *gen.matmul(ig);
        if (golden::validate(insn, cfg, prog.windows)) {
          if (attempt > 200) throw std::logic_error("vector generator: no legal MATMUL in 200 draws");
          continue;
        }
        ++prog.matmuls;
        add(insn.op, kTe, role);
        break;
      }
    } else {
      for (int attempt = 0;; ++attempt) {
        const golden::Dma d = gen.dma();
        const Footprint fp = dma_footprint(d);
        Instruction insn;
        insn.engine = golden::engine::kDma0;
        insn.op = d;
        if (golden::validate(insn, cfg, prog.windows) || overlaps(fp.reads, fp.writes)) {
          if (attempt > 200) throw std::logic_error("vector generator: no legal DMA in 200 draws");
          continue;
        }
        ++prog.dmas;
        add(d, static_cast<unsigned>(r() % nq), role);
        break;
      }
    }
  }
  add(region_dma(cfg, Space::kSbuf, l.sb_base, s.sb, l.sb_dump, false), 0, "dump SBUF");
  add(region_dma(cfg, Space::kPsum, l.ps_base, s.ps, l.ps_dump, false), nq - 1, "dump PSUM");

  std::mt19937_64 sr(seed ^ 0x73796e635f766563ull);
  prog.items = schedule_streams(works, stream, engines, sems, gp.sync, sr, prog.sync);
  end_and_check(prog.items, cfg, prog.windows, "vector generator");
  return prog;
}

}  // namespace systole::verif::regress
