// The semaphore scheduler of the random programs (sync_schedule.hpp).
#include "sync_schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "systole/driver/program_check.hpp"
#include "systole/golden/disasm.hpp"

namespace systole::verif::regress {
namespace {

bool before(const ByteSpan& a, const ByteSpan& b) {
  return std::tuple(a.space, a.partition, a.lo) < std::tuple(b.space, b.partition, b.lo);
}

}  // namespace

std::vector<ByteSpan> merge_spans(std::vector<ByteSpan> v) {
  std::sort(v.begin(), v.end(), before);
  std::vector<ByteSpan> merged;
  for (const ByteSpan& x : v) {
    if (!merged.empty() && merged.back().space == x.space && merged.back().partition == x.partition &&
        x.lo <= merged.back().hi) {
      merged.back().hi = std::max(merged.back().hi, x.hi);
    } else {
      merged.push_back(x);
    }
  }
  return merged;
}

bool overlaps(const std::vector<ByteSpan>& a, const std::vector<ByteSpan>& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const ByteSpan &x = a[i], &y = b[j];
    if (x.space == y.space && x.partition == y.partition && x.lo < y.hi && y.lo < x.hi) return true;
    // Advance whichever ends first in (space, partition, hi) order.
    if (std::tuple(x.space, x.partition, x.hi) < std::tuple(y.space, y.partition, y.hi)) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

bool conflict(const Footprint& a, const Footprint& b) {
  return overlaps(a.writes, b.reads) || overlaps(a.writes, b.writes) || overlaps(a.reads, b.writes);
}

std::vector<ProgItem> schedule_streams(const std::vector<ProgItem>& works, const std::vector<unsigned>& stream,
                                       const std::vector<std::uint8_t>& engines, const std::vector<std::uint8_t>& sems,
                                       unsigned sync, std::mt19937_64& sr, SyncStats& stats) {
  const std::size_t ns = engines.size();
  if (stream.size() != works.size() || sems.size() != ns) {
    throw std::invalid_argument("schedule_streams: one stream per work and one semaphore per stream expected");
  }
  // Per work: its position among its stream's (1-based), the completions of every stream known
  // to precede it, whether it must signal.
  std::vector<unsigned> pos(works.size(), 0);
  std::vector<std::vector<std::uint32_t>> clock(works.size());
  std::vector<bool> signal(works.size(), false);
  struct Out {
    golden::Instruction insn;
    std::string role;
    int work = -1;       // the work this instruction is
    int wait_work = -1;  // the work whose count it waits for
  };
  std::vector<Out> outs;
  std::vector<std::vector<std::uint32_t>> cur(
      ns, std::vector<std::uint32_t>(ns, 0));  // cur[q][k]: k's works before q's next
  std::vector<std::vector<int>> by_stream(ns);
  for (int wi = 0; wi < static_cast<int>(works.size()); ++wi) {
    const unsigned q = stream[wi];
    if (q >= ns) throw std::invalid_argument("schedule_streams: a work names a stream that does not exist");
    std::vector<int> waits;  // works to wait for, in order; the last one on the instruction itself
    auto wait_for = [&](int j) {
      signal[j] = true;
      waits.push_back(j);
      for (std::size_t k = 0; k < ns; ++k) cur[q][k] = std::max(cur[q][k], clock[j][k]);
    };
    for (;;) {
      std::vector<int> need;  // per stream, the latest conflicting work not yet ordered before wi
      for (std::size_t k = 0; k < ns; ++k) {
        if (k == q) continue;
        for (auto it = by_stream[k].rbegin(); it != by_stream[k].rend(); ++it) {
          if (pos[*it] <= cur[q][k]) break;
          if (conflict(works[*it].fp, works[wi].fp)) {
            need.push_back(*it);
            break;
          }
        }
      }
      if (need.empty()) break;
      int j = need[sr() % need.size()];
      // Sometimes wait for more than needed: a later work of that stream (still before wi).
      const auto& other = by_stream[stream[j]];
      if (sr() % 4 == 0) j = other[pos[j] - 1 + sr() % (other.size() - pos[j] + 1)];
      wait_for(j);
      ++stats.sync_waits;
    }
    if (sr() % 100 < sync) {  // an extra wait nothing needs
      std::vector<int> cand;
      for (std::size_t k = 0; k < ns; ++k) {
        if (k != q && !by_stream[k].empty() && pos[by_stream[k].back()] > cur[q][k])
          cand.push_back(by_stream[k].back());
      }
      if (!cand.empty()) {
        const int j = cand[sr() % cand.size()];
        const unsigned k = stream[j];
        wait_for(by_stream[k][cur[q][k] + sr() % (pos[j] - cur[q][k])]);
        ++stats.extra_waits;
      }
    }
    if (sr() % 100 < 5 && wi > 0) {  // a dispatch barrier on SEQ (orders nothing in memory)
      Out o;
      o.insn.engine = golden::engine::kSeq;
      o.role = "barrier NOP";
      o.wait_work = static_cast<int>(sr() % wi);
      signal[o.wait_work] = true;
      outs.push_back(o);
      ++stats.nops;
    }
    const std::uint8_t engine = engines[q];
    for (std::size_t k = 0; k + 1 < waits.size(); ++k) {
      Out o;
      o.insn.engine = engine;
      o.role = "sync NOP";
      o.wait_work = waits[k];
      outs.push_back(o);
      ++stats.nops;
    }
    Out o;
    o.insn = works[wi].insn;
    o.insn.engine = engine;
    o.role = works[wi].role;
    o.work = wi;
    o.wait_work = waits.empty() ? -1 : waits.back();
    outs.push_back(o);
    by_stream[q].push_back(wi);
    pos[wi] = static_cast<unsigned>(by_stream[q].size());
    cur[q][q] = pos[wi];
    clock[wi] = cur[q];
    if (sr() % 100 < 15) signal[wi] = true;  // a signal nobody waits for
  }

  // Signal counts are known only now (a later work may have asked an earlier one to signal).
  std::vector<std::uint32_t> count(works.size());
  for (std::size_t k = 0; k < ns; ++k) {
    std::uint32_t c = 0;
    for (int j : by_stream[k]) count[j] = c += signal[j];
  }
  std::vector<ProgItem> items;
  for (Out& o : outs) {
    if (o.wait_work >= 0) {
      o.insn.sync.wait_en = true;
      o.insn.sync.wait_sem = sems[stream[o.wait_work]];
      o.insn.sync.wait_value = count[o.wait_work];
    }
    if (o.work >= 0 && signal[o.work]) {
      o.insn.sync.signal_en = true;
      o.insn.sync.signal_sem = sems[stream[o.work]];
    }
    ProgItem it;
    it.insn = o.insn;
    it.role = o.role;
    if (o.work >= 0) it.fp = works[o.work].fp;
    items.push_back(std::move(it));
  }
  return items;
}

void end_and_check(std::vector<ProgItem>& items, const golden::Config& cfg, const golden::Windows& windows,
                   const char* who) {
  ProgItem end;
  end.insn.op = golden::End{};
  end.role = "END";
  items.push_back(end);
  std::vector<golden::Instruction> insns;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (const golden::Fault f = golden::validate(items[i].insn, cfg, windows)) {
      throw std::logic_error(fmt::format("{}: instruction {} ({}: {}) fails the static checks: {} {}", who, i,
                                         items[i].role, golden::disassemble(items[i].insn), golden::error_name(f.code),
                                         f.detail));
    }
    insns.push_back(items[i].insn);
  }
  const auto v = driver::dispatch_order_violations(insns);
  if (!v.empty()) throw std::logic_error(fmt::format("{}: {}", who, v.front().describe()));
}

}  // namespace systole::verif::regress
