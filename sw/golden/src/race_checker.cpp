#include "systole/golden/race_checker.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "systole/golden/disasm.hpp"

namespace systole::golden {

namespace {
constexpr std::uint8_t kNoWriter = 0xFF;
constexpr std::uint64_t kPageBytes = 4096;

}  // namespace

struct RaceChecker::Shadow {
  std::uint8_t w_engine = kNoWriter;
  std::uint32_t w_epoch = 0;
  std::array<std::uint32_t, kEngines> r_epoch{};
};

struct RaceChecker::Page {
  std::array<Shadow, kPageBytes> bytes{};
};

std::string Race::describe() const {
  const std::string where = space == Space::kDram
                                ? fmt::format("DRAM byte 0x{:x}", byte)
                                : fmt::format("{} partition {} byte 0x{:x}", space_name(space), partition, byte);
  if (kind == Kind::kSelfOverlap) {
    return fmt::format("instruction {} ({}) writes {} which one of its own inputs also reads, and the two "
                       "patterns are not identical: the result depends on element order",
                       second_index, engine_name(second_engine), where);
  }
  if (kind == Kind::kAmbiguousWait) {
    return fmt::format("instruction {} ({}) waits for semaphore {} >= {}, relying on the signal of instruction {} "
                       "({}), but instruction {} ({}) signals the same semaphore without being ordered after it: "
                       "the count can be reached first (give each group of signals its own semaphore, or order them)",
                       wait_index, engine_name(wait_engine), sem, value, first_index, engine_name(first_engine),
                       second_index, engine_name(second_engine));
  }
  if (kind == Kind::kInPlaceRepeat) {
    return fmt::format("instruction {} ({}) works in place and its pattern names {} more than once: the "
                       "result is undefined (docs/isa.md, memory ordering)",
                       second_index, engine_name(second_engine), where);
  }
  return fmt::format("race on {}: instruction {} ({}, {}) and instruction {} ({}, {}) are not ordered by any "
                     "semaphore",
                     where, first_index, engine_name(first_engine), first_write ? "write" : "read", second_index,
                     engine_name(second_engine), second_write ? "write" : "read");
}

RaceChecker::RaceChecker(const Config& cfg, std::size_t max_reports) : cfg_(cfg), max_reports_(max_reports) {}
RaceChecker::~RaceChecker() = default;

void RaceChecker::start_run(const std::array<std::uint32_t, Config::kNumSemaphores>& initial) {
  base_ = initial;
  for (auto& r : released_) r.clear();
  for (auto& s : signals_) s.clear();
  waits_.clear();
  for (auto& c : vc_) c.fill(0);
  for (auto& e : epoch_index_) e.clear();
  pages_.clear();
}

void RaceChecker::begin(std::uint8_t engine, std::uint32_t index) {
  cur_engine_ = engine;
  cur_index_ = index;
  ++vc_[engine][engine];
  epoch_index_[engine].push_back(index);
  cur_accesses_.clear();
}

void RaceChecker::on_wait(std::uint8_t engine, std::uint8_t sem, std::uint32_t value) {
  if (value <= base_[sem]) return;  // satisfied by the value the run started with
  const std::size_t k = value - base_[sem];
  const auto& rel = released_[sem];
  if (k > rel.size()) return;  // cannot happen: the wait was satisfied
  waits_.push_back(Wait{sem, engine, static_cast<std::uint32_t>(k), cur_index_});
  const Clock& c = rel[k - 1];
  for (std::size_t i = 0; i < kEngines; ++i) vc_[engine][i] = std::max(vc_[engine][i], c[i]);
}

void RaceChecker::on_signal(std::uint8_t engine, std::uint8_t sem) {
  Clock c = vc_[engine];
  auto& rel = released_[sem];
  if (!rel.empty()) {
    for (std::size_t i = 0; i < kEngines; ++i) c[i] = std::max(c[i], rel.back()[i]);
  }
  rel.push_back(c);
  signals_[sem].push_back(Signal{engine, vc_[engine][engine], vc_[engine]});
}

void RaceChecker::finish() {
  // Per semaphore: need[k] = the latest own event per engine among the first k signals, and
  // seen[j] = the per-engine minimum of the clocks of signals j.. (what every later signal has
  // seen). A wait for the k-th signal is unambiguous when seen[k] >= need[k] everywhere.
  std::array<std::vector<Clock>, Config::kNumSemaphores> need, seen;
  for (const Wait& w : waits_) {
    const auto& sig = signals_[w.sem];
    if (w.k >= sig.size()) continue;  // every signal of the run counted: no other set exists
    auto& nd = need[w.sem];
    auto& sn = seen[w.sem];
    if (nd.empty()) {
      nd.assign(sig.size() + 1, Clock{});
      for (std::size_t i = 0; i < sig.size(); ++i) {
        nd[i + 1] = nd[i];
        nd[i + 1][sig[i].engine] = std::max(nd[i + 1][sig[i].engine], sig[i].epoch);
      }
      sn.assign(sig.size() + 1, Clock{});
      sn[sig.size()].fill(~std::uint32_t{0});
      for (std::size_t j = sig.size(); j-- > 0;) {
        for (std::size_t e = 0; e < kEngines; ++e) sn[j][e] = std::min(sn[j + 1][e], sig[j].clock[e]);
      }
    }
    std::size_t bad = kEngines;
    for (std::size_t e = 0; e < kEngines && bad == kEngines; ++e)
      if (sn[w.k][e] < nd[w.k][e]) bad = e;
    if (bad == kEngines) continue;
    // Name a later signal that has not seen a signal the wait relies on.
    std::size_t j = w.k;
    while (sig[j].clock[bad] >= nd[w.k][bad]) ++j;
    std::size_t i = 0;
    while (!(sig[i].engine == bad && sig[i].epoch > sig[j].clock[bad])) ++i;
    Race r;
    r.kind = Race::Kind::kAmbiguousWait;
    r.wait_index = w.index;
    r.wait_engine = w.engine;
    r.sem = w.sem;
    r.value = base_[w.sem] + w.k;
    r.first_engine = sig[i].engine;
    r.first_index = epoch_index_[sig[i].engine][sig[i].epoch - 1];
    r.second_engine = sig[j].engine;
    r.second_index = epoch_index_[sig[j].engine][sig[j].epoch - 1];
    report(std::move(r));
  }
}

void RaceChecker::on_access(const Access& a) {
  if (!cur_accesses_.empty()) {
    Access& last = cur_accesses_.back();
    if (last.space == a.space && last.partition == a.partition && last.write == a.write && last.operand == a.operand &&
        last.hi == a.lo) {
      last.hi = a.hi;
      return;
    }
  }
  cur_accesses_.push_back(a);
}

RaceChecker::Shadow& RaceChecker::shadow(Space s, std::uint32_t partition, std::uint64_t byte) {
  const std::uint64_t key =
      (std::uint64_t{static_cast<std::uint8_t>(s)} << 62) | (std::uint64_t{partition} << 40) | (byte / kPageBytes);
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
  }
  // One report per pair of instructions is enough; consecutive bytes of the same conflict are
  // almost always the same pair.
  for (const Race& old : races_) {
    if (old.kind == r.kind && old.first_index == r.first_index && old.second_index == r.second_index &&
        old.first_engine == r.first_engine && old.second_engine == r.second_engine) {
      return;
    }
  }
  races_.push_back(std::move(r));
}

void RaceChecker::check_byte(const Access& a, std::uint64_t byte) {
  const std::uint8_t e = cur_engine_;
  const Clock& vc = vc_[e];
  Shadow& sh = shadow(a.space, a.partition, byte);
  auto race = [&](std::uint8_t other, std::uint32_t epoch, bool other_write) {
    Race r;
    r.space = a.space;
    r.partition = a.partition;
    r.byte = byte;
    r.first_engine = other;
    r.first_index = epoch_index_[other][epoch - 1];
    r.first_write = other_write;
    r.second_engine = e;
    r.second_index = cur_index_;
    r.second_write = a.write;
    report(std::move(r));
  };
  if (sh.w_engine != kNoWriter && sh.w_engine != e && sh.w_epoch > vc[sh.w_engine]) {
    race(sh.w_engine, sh.w_epoch, true);
  }
  if (a.write) {
    for (std::uint8_t r = 0; r < kEngines; ++r) {
      if (r != e && sh.r_epoch[r] > vc[r]) race(r, sh.r_epoch[r], false);
    }
    sh.w_engine = e;
    sh.w_epoch = vc[e];
    sh.r_epoch.fill(0);
  } else {
    sh.r_epoch[e] = vc[e];
  }
}

void RaceChecker::end(std::span<const std::pair<std::uint8_t, std::uint8_t>> in_place) {
  // Self-overlap: each written operand against each read operand, unless declared identical.
  // Reads are merged per operand into sorted disjoint intervals, so each write is one search.
  struct Interval {
    int space;
    std::uint32_t partition;
    std::uint64_t lo, hi;
  };
  auto before = [](const Interval& x, const Interval& y) {
    return std::tie(x.space, x.partition, x.lo) < std::tie(y.space, y.partition, y.lo);
  };
  std::vector<Access> reads, writes;
  for (const Access& a : cur_accesses_) (a.write ? writes : reads).push_back(a);
  std::array<std::vector<Interval>, 8> by_operand;
  for (const Access& a : reads) {
    by_operand.at(a.operand).push_back(Interval{static_cast<int>(a.space), a.partition, a.lo, a.hi});
  }
  for (auto& v : by_operand) {
    std::sort(v.begin(), v.end(), before);
    std::vector<Interval> merged;
    for (const Interval& i : v) {
      if (!merged.empty() && merged.back().space == i.space && merged.back().partition == i.partition &&
          i.lo <= merged.back().hi) {
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
      const Interval probe{static_cast<int>(w.space), w.partition, w.lo, w.hi};
      // The first interval starting after w.lo, and the one before it, are the only candidates.
      auto it = std::upper_bound(v.begin(), v.end(), probe, before);
      for (auto c : {it, it == v.begin() ? v.end() : std::prev(it)}) {
        if (c == v.end() || c->space != probe.space || c->partition != probe.partition) continue;
        if (c->lo >= w.hi || w.lo >= c->hi) continue;
        Race race;
        race.kind = Race::Kind::kSelfOverlap;
        race.space = w.space;
        race.partition = w.partition;
        race.byte = std::max(w.lo, c->lo);
        race.first_index = race.second_index = cur_index_;
        race.first_engine = race.second_engine = cur_engine_;
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
      if (w.operand == op) v.push_back(Interval{static_cast<int>(w.space), w.partition, w.lo, w.hi});
    }
    std::sort(v.begin(), v.end(), before);
    for (std::size_t i = 1; i < v.size(); ++i) {
      const Interval& a = v[i - 1];
      const Interval& b = v[i];
      if (a.space != b.space || a.partition != b.partition || b.lo >= a.hi) continue;
      Race race;
      race.kind = Race::Kind::kInPlaceRepeat;
      race.space = static_cast<Space>(b.space);
      race.partition = b.partition;
      race.byte = b.lo;
      race.first_index = race.second_index = cur_index_;
      race.first_engine = race.second_engine = cur_engine_;
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
