#include "systole/golden/race_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "systole/golden/disasm.hpp"

namespace systole::golden {

namespace {
constexpr std::uint16_t kNoWriter = 0xFFFF;
constexpr std::uint64_t kPageBytes = 4096;

}  // namespace

// Readers are always engines of the chip that owns the byte (links only write), so the read
// epochs are kept per local engine; the writer may be any chip's engine.
struct RaceChecker::Shadow {
  std::uint16_t w_agent = kNoWriter;
  std::uint32_t w_epoch = 0;
  std::array<std::uint32_t, kEngines> r_epoch{};
};

struct RaceChecker::Page {
  std::array<Shadow, kPageBytes> bytes{};
};

std::string Race::describe() const {
  const std::string on = multichip ? fmt::format("chip {} ", chip) : std::string();
  const std::string where = space == Space::kDram
                                ? fmt::format("{}DRAM byte 0x{:x}", on, byte)
                                : fmt::format("{}{} partition {} byte 0x{:x}", on, space_name(space), partition, byte);
  // "instruction 3 (DMA0)", with the chip in a multi-chip system: "chip 1 instruction 3 (DMA0)".
  auto insn = [&](std::uint32_t c, std::uint32_t index, std::uint8_t eng, std::string_view what = {}) {
    const std::string prefix = multichip ? fmt::format("chip {} ", c) : std::string();
    return what.empty() ? fmt::format("{}instruction {} ({})", prefix, index, engine_name(eng))
                        : fmt::format("{}instruction {} ({}, {})", prefix, index, engine_name(eng), what);
  };
  if (kind == Kind::kSelfOverlap) {
    return fmt::format("{} writes {} which one of its own inputs also reads, and the two patterns are not "
                       "identical: the result depends on element order",
                       insn(second_chip, second_index, second_engine), where);
  }
  if (kind == Kind::kAmbiguousWait) {
    return fmt::format("{} waits for semaphore {} >= {}, relying on the signal of {}, but {} signals the same "
                       "semaphore without being ordered after it: the count can be reached first (give each group "
                       "of signals its own semaphore, or order them)",
                       insn(wait_chip, wait_index, wait_engine), sem, value,
                       insn(first_chip, first_index, first_engine), insn(second_chip, second_index, second_engine));
  }
  if (kind == Kind::kInPlaceRepeat) {
    return fmt::format("{} works in place and its pattern names {} more than once: the result is undefined "
                       "(docs/isa.md, memory ordering)",
                       insn(second_chip, second_index, second_engine), where);
  }
  return fmt::format("race on {}: {} and {} are not ordered by any semaphore", where,
                     insn(first_chip, first_index, first_engine, first_write ? "write" : "read"),
                     insn(second_chip, second_index, second_engine, second_write ? "write" : "read"));
}

RaceChecker::RaceChecker(const Config& cfg, std::size_t max_reports, std::uint32_t chips)
    : cfg_(cfg), max_reports_(max_reports), chips_(chips), agents_(std::size_t{chips} * kEngines) {
  if (chips == 0 || agents_ >= kNoWriter) {
    throw std::invalid_argument(fmt::format("RaceChecker: {} chips (1..{})", chips, kNoWriter / kEngines - 1));
  }
  reset();
}
RaceChecker::~RaceChecker() = default;

void RaceChecker::reset() {
  const std::size_t sems = std::size_t{chips_} * Config::kNumSemaphores;
  base_.assign(sems, 0);
  released_.assign(sems, {});
  signals_.assign(sems, {});
  waits_.clear();
  vc_.assign(agents_, Clock(agents_, 0));
  epoch_index_.assign(agents_, {});
  pages_.clear();
  cur_accesses_.clear();
}

void RaceChecker::start_run(std::uint32_t chip, const std::array<std::uint32_t, Config::kNumSemaphores>& initial) {
  if (chip >= chips_) throw std::invalid_argument(fmt::format("RaceChecker: chip {} of {}", chip, chips_));
  std::copy(initial.begin(), initial.end(), base_.begin() + static_cast<std::ptrdiff_t>(sem_id(chip, 0)));
}

void RaceChecker::begin(std::uint32_t chip, std::uint8_t engine, std::uint32_t index) {
  cur_agent_ = static_cast<Agent>(chip * kEngines + engine);
  cur_index_ = index;
  ++vc_[cur_agent_][cur_agent_];
  epoch_index_[cur_agent_].push_back(index);
  cur_accesses_.clear();
}

void RaceChecker::name(Agent a, std::uint32_t epoch, std::uint32_t& chip, std::uint8_t& engine,
                       std::uint32_t& index) const {
  chip = a / kEngines;
  engine = static_cast<std::uint8_t>(a % kEngines);
  index = epoch_index_[a][epoch - 1];
}

void RaceChecker::on_wait(std::uint8_t sem, std::uint32_t value) {
  const std::size_t g = sem_id(cur_agent_ / kEngines, sem);
  if (value <= base_[g]) return;  // satisfied by the value the run started with
  const std::size_t k = value - base_[g];
  const auto& rel = released_[g];
  if (k > rel.size()) return;  // cannot happen: the wait was satisfied
  waits_.push_back(Wait{g, cur_agent_, static_cast<std::uint32_t>(k), cur_index_});
  const Clock& c = rel[k - 1];
  Clock& mine = vc_[cur_agent_];
  for (std::size_t i = 0; i < agents_; ++i) mine[i] = std::max(mine[i], c[i]);
}

void RaceChecker::on_signal(std::uint32_t from, std::uint8_t engine, std::uint32_t to, std::uint8_t sem) {
  const Agent a = static_cast<Agent>(from * kEngines + engine);
  const std::size_t g = sem_id(to, sem);
  Clock c = vc_[a];
  auto& rel = released_[g];
  if (!rel.empty()) {
    for (std::size_t i = 0; i < agents_; ++i) c[i] = std::max(c[i], rel.back()[i]);
  }
  rel.push_back(std::move(c));
  signals_[g].push_back(Signal{a, vc_[a][a], vc_[a]});
}

void RaceChecker::finish() {
  // Per semaphore: need[k] = the latest own event per agent among the first k signals, and
  // seen[j] = the per-agent minimum of the clocks of signals j.. (what every later signal has
  // seen). A wait for the k-th signal is unambiguous when seen[k] >= need[k] everywhere.
  std::vector<std::vector<Clock>> need(signals_.size()), seen(signals_.size());
  for (const Wait& w : waits_) {
    const auto& sig = signals_[w.sem];
    if (w.k >= sig.size()) continue;  // every signal of the run counted: no other set exists
    auto& nd = need[w.sem];
    auto& sn = seen[w.sem];
    if (nd.empty()) {
      nd.assign(sig.size() + 1, Clock(agents_, 0));
      for (std::size_t i = 0; i < sig.size(); ++i) {
        nd[i + 1] = nd[i];
        nd[i + 1][sig[i].agent] = std::max(nd[i + 1][sig[i].agent], sig[i].epoch);
      }
      sn.assign(sig.size() + 1, Clock(agents_, ~std::uint32_t{0}));
      for (std::size_t j = sig.size(); j-- > 0;) {
        for (std::size_t e = 0; e < agents_; ++e) sn[j][e] = std::min(sn[j + 1][e], sig[j].clock[e]);
      }
    }
    std::size_t bad = agents_;
    for (std::size_t e = 0; e < agents_ && bad == agents_; ++e)
      if (sn[w.k][e] < nd[w.k][e]) bad = e;
    if (bad == agents_) continue;
    // Name a later signal that has not seen a signal the wait relies on.
    std::size_t j = w.k;
    while (sig[j].clock[bad] >= nd[w.k][bad]) ++j;
    std::size_t i = 0;
    while (!(sig[i].agent == bad && sig[i].epoch > sig[j].clock[bad])) ++i;
    Race r;
    r.kind = Race::Kind::kAmbiguousWait;
    r.multichip = chips_ > 1;
    r.wait_chip = w.agent / kEngines;
    r.wait_engine = static_cast<std::uint8_t>(w.agent % kEngines);
    r.wait_index = w.index;
    r.chip = r.wait_chip;
    r.sem = static_cast<std::uint8_t>(w.sem % Config::kNumSemaphores);
    r.value = base_[w.sem] + w.k;
    name(sig[i].agent, sig[i].epoch, r.first_chip, r.first_engine, r.first_index);
    name(sig[j].agent, sig[j].epoch, r.second_chip, r.second_engine, r.second_index);
    report(std::move(r));
  }
}

void RaceChecker::on_access(const Access& a) {
  if (!cur_accesses_.empty()) {
    Access& last = cur_accesses_.back();
    if (last.space == a.space && last.chip == a.chip && last.partition == a.partition && last.write == a.write &&
        last.operand == a.operand && last.hi == a.lo) {
      last.hi = a.hi;
      return;
    }
  }
  cur_accesses_.push_back(a);
}

RaceChecker::Shadow& RaceChecker::shadow(const Access& a, std::uint64_t byte) {
  // space (2 bits) | chip (10) | partition (16) | page (36: 2^48 bytes)
  const std::uint64_t key = (std::uint64_t{static_cast<std::uint8_t>(a.space)} << 62) | (std::uint64_t{a.chip} << 52) |
                            (std::uint64_t{a.partition} << 36) | (byte / kPageBytes);
  auto& page = pages_[key];
  if (!page) page = std::make_unique<Page>();
  return page->bytes[byte % kPageBytes];
}

void RaceChecker::report(Race r) {
  if (races_.size() >= max_reports_) return;
  // Report the pair in program order, whatever order the golden model happened to run them
  // (an ambiguous wait's pair has roles: relied on, then the one that may come first).
  if (r.kind != Race::Kind::kAmbiguousWait && r.first_index > r.second_index) {
    std::swap(r.first_index, r.second_index);
    std::swap(r.first_engine, r.second_engine);
    std::swap(r.first_write, r.second_write);
    std::swap(r.first_chip, r.second_chip);
  }
  // One report per pair of instructions is enough; consecutive bytes of the same conflict are
  // almost always the same pair.
  for (const Race& old : races_) {
    if (old.kind == r.kind && old.first_index == r.first_index && old.second_index == r.second_index &&
        old.first_engine == r.first_engine && old.second_engine == r.second_engine && old.first_chip == r.first_chip &&
        old.second_chip == r.second_chip) {
      return;
    }
  }
  races_.push_back(std::move(r));
}

void RaceChecker::check_byte(const Access& a, std::uint64_t byte) {
  const Agent me = cur_agent_;
  const Clock& vc = vc_[me];
  const std::size_t local0 = std::size_t{a.chip} * kEngines;  // agent of engine 0 of the byte's chip
  Shadow& sh = shadow(a, byte);
  auto race = [&](Agent other, std::uint32_t epoch, bool other_write) {
    Race r;
    r.multichip = chips_ > 1;
    r.chip = a.chip;
    r.space = a.space;
    r.partition = a.partition;
    r.byte = byte;
    name(other, epoch, r.first_chip, r.first_engine, r.first_index);
    r.first_write = other_write;
    r.second_chip = me / kEngines;
    r.second_engine = static_cast<std::uint8_t>(me % kEngines);
    r.second_index = cur_index_;
    r.second_write = a.write;
    report(std::move(r));
  };
  if (sh.w_agent != kNoWriter && sh.w_agent != me && sh.w_epoch > vc[sh.w_agent]) {
    race(sh.w_agent, sh.w_epoch, true);
  }
  if (a.write) {
    for (std::size_t r = 0; r < kEngines; ++r) {
      const auto reader = static_cast<Agent>(local0 + r);
      if (reader != me && sh.r_epoch[r] > vc[reader]) race(reader, sh.r_epoch[r], false);
    }
    sh.w_agent = me;
    sh.w_epoch = vc[me];
    sh.r_epoch.fill(0);
  } else {
    if (me < local0 || me >= local0 + kEngines) {
      throw std::logic_error(fmt::format("internal: chip {} reads chip {}'s memory", me / kEngines, a.chip));
    }
    sh.r_epoch[me - local0] = vc[me];
  }
}

void RaceChecker::end(std::span<const std::pair<std::uint8_t, std::uint8_t>> in_place) {
  // Self-overlap: each written operand against each read operand, unless declared identical.
  // Reads are merged per operand into sorted disjoint intervals, so each write is one search.
  struct Interval {
    int space;
    std::uint32_t chip, partition;
    std::uint64_t lo, hi;
    bool same_place(const Interval& o) const { return space == o.space && chip == o.chip && partition == o.partition; }
  };
  auto before = [](const Interval& x, const Interval& y) {
    return std::tie(x.space, x.chip, x.partition, x.lo) < std::tie(y.space, y.chip, y.partition, y.lo);
  };
  const std::uint32_t my_chip = cur_agent_ / kEngines;
  const auto my_engine = static_cast<std::uint8_t>(cur_agent_ % kEngines);
  std::vector<Access> reads, writes;
  for (const Access& a : cur_accesses_) (a.write ? writes : reads).push_back(a);
  std::array<std::vector<Interval>, 8> by_operand;
  for (const Access& a : reads) {
    by_operand.at(a.operand).push_back(Interval{static_cast<int>(a.space), a.chip, a.partition, a.lo, a.hi});
  }
  for (auto& v : by_operand) {
    std::sort(v.begin(), v.end(), before);
    std::vector<Interval> merged;
    for (const Interval& i : v) {
      if (!merged.empty() && merged.back().same_place(i) && i.lo <= merged.back().hi) {
        merged.back().hi = std::max(merged.back().hi, i.hi);
      } else {
        merged.push_back(i);
      }
    }
    v = std::move(merged);
  }
  for (const Access& w : writes) {
    for (std::uint8_t op = 0; op < by_operand.size(); ++op) {
      if (op == w.operand) continue;
      if (std::find(in_place.begin(), in_place.end(), std::pair(w.operand, op)) != in_place.end()) continue;
      const auto& v = by_operand[op];
      const Interval probe{static_cast<int>(w.space), w.chip, w.partition, w.lo, w.hi};
      // The first interval starting after w.lo, and the one before it, are the only candidates.
      auto it = std::upper_bound(v.begin(), v.end(), probe, before);
      for (auto c : {it, it == v.begin() ? v.end() : std::prev(it)}) {
        if (c == v.end() || !c->same_place(probe)) continue;
        if (c->lo >= w.hi || w.lo >= c->hi) continue;
        Race race;
        race.kind = Race::Kind::kSelfOverlap;
        race.multichip = chips_ > 1;
        race.chip = w.chip;
        race.first_chip = race.second_chip = my_chip;
        race.space = w.space;
        race.partition = w.partition;
        race.byte = std::max(w.lo, c->lo);
        race.first_index = race.second_index = cur_index_;
        race.first_engine = race.second_engine = my_engine;
        race.second_write = true;
        report(std::move(race));
      }
    }
  }
  // In place: the written operand of an identical pair must name each byte once.
  std::array<bool, 8> in_place_out{};
  for (const auto& [w_op, r_op] : in_place) in_place_out.at(w_op) = true;
  for (std::uint8_t op = 0; op < in_place_out.size(); ++op) {
    if (!in_place_out[op]) continue;
    std::vector<Interval> v;
    for (const Access& w : writes) {
      if (w.operand == op) v.push_back(Interval{static_cast<int>(w.space), w.chip, w.partition, w.lo, w.hi});
    }
    std::sort(v.begin(), v.end(), before);
    for (std::size_t i = 1; i < v.size(); ++i) {
      const Interval& a = v[i - 1];
      const Interval& b = v[i];
      if (!a.same_place(b) || b.lo >= a.hi) continue;
      Race race;
      race.kind = Race::Kind::kInPlaceRepeat;
      race.multichip = chips_ > 1;
      race.chip = b.chip;
      race.first_chip = race.second_chip = my_chip;
      race.space = static_cast<Space>(b.space);
      race.partition = b.partition;
      race.byte = b.lo;
      race.first_index = race.second_index = cur_index_;
      race.first_engine = race.second_engine = my_engine;
      race.first_write = race.second_write = true;
      report(std::move(race));
      break;  // one report per operand
    }
  }
  // Cross-engine checks: reads first, then writes (an instruction reads its inputs before it
  // writes its outputs).
  for (const Access& a : reads) {
    for (std::uint64_t b = a.lo; b < a.hi; ++b) check_byte(a, b);
  }
  for (const Access& a : writes) {
    for (std::uint64_t b = a.lo; b < a.hi; ++b) check_byte(a, b);
  }
  cur_accesses_.clear();
}

}  // namespace systole::golden
