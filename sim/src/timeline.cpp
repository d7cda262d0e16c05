#include "systole/sim/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "systole/golden/config.hpp"
#include "systole/golden/disasm.hpp"

namespace systole::sim {

Slots Slots::of(const golden::Config& cfg) { return {cfg.dma_queues, cfg.vector_engine}; }

std::uint8_t Slots::engine(unsigned track) const {
  if (track == 0) return golden::engine::kTensor;
  if (track <= dma_queues) return static_cast<std::uint8_t>(golden::engine::kDma0 + track - 1);
  return track < count() ? golden::engine::kVec : golden::engine::kSeq;
}

std::string Slots::name(unsigned track) const {
  if (track == 0) return "TENSOR";
  if (track <= dma_queues) return fmt::format("DMA{}", track - 1);
  return track < count() ? "VEC" : "SEQ";
}

TimelineRecorder::TimelineRecorder(Slots slots, std::uint64_t origin, unsigned bus_bytes, std::uint64_t window)
    : slots_(slots),
      bus_bytes_(bus_bytes),
      origin_(origin),
      window_(std::max<std::uint64_t>(1, window)),
      last_(origin),
      win_start_(origin),
      issued_(slots.count() + 1),
      retired_n_(slots.count() + 1, 0),
      wait_since_(slots.count() + 1, 0) {}

void TimelineRecorder::sample(std::uint64_t cycle, std::uint32_t bits, std::uint64_t read_beats,
                              std::uint64_t write_beats) {
  last_ = cycle;
  const std::uint64_t t = cycle - origin_;
  if (!have_beats_) {
    have_beats_ = true;
    win_r0_ = read_beats;
    win_w0_ = write_beats;
  }
  if (cycle - win_start_ >= window_) {
    const double n = static_cast<double>(cycle - win_start_);
    bw_.push_back({win_start_ - origin_, static_cast<double>((read_beats - win_r0_) * bus_bytes_) / n,
                   static_cast<double>((write_beats - win_w0_) * bus_bytes_) / n});
    win_start_ = cycle;
    win_r0_ = read_beats;
    win_w0_ = write_beats;
  }
  const unsigned n = slots_.count();
  auto bit = [&](unsigned i) { return ((bits >> i) & 1u) != 0; };
  for (unsigned s = 0; s <= n; ++s) {
    const bool issue = s < n ? bit(s) : bit(3 * n);  // SEQ: its instructions issue as they retire
    const bool retire = s < n ? bit(n + s) : bit(3 * n);
    const bool wait = s < n ? bit(2 * n + s) : bit(3 * n + 1);
    if (issue) issued_[s].push_back(t);
    if (retire && !issued_[s].empty()) {
      done_.push_back({s, issued_[s].front(), t + 1, retired_n_[s]++, false});
      issued_[s].pop_front();
    }
    if (wait && wait_since_[s] == 0) wait_since_[s] = t + 1;
    if (!wait && wait_since_[s] != 0) {
      done_.push_back({s, wait_since_[s] - 1, t, 0, true});
      wait_since_[s] = 0;
    }
  }
}

std::vector<TimelineRecorder::Span> TimelineRecorder::spans() const {
  std::vector<Span> v = done_;
  const std::uint64_t end = last_ - origin_ + 1;
  for (unsigned s = 0; s <= slots_.count(); ++s) {
    std::uint32_t k = retired_n_[s];
    for (const std::uint64_t b : issued_[s]) v.push_back({s, b, std::max(end, b + 1), k++, false});
    if (wait_since_[s] != 0) v.push_back({s, wait_since_[s] - 1, end, 0, true});
  }
  return v;
}

namespace {

std::string json_escape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      o += ' ';
    } else {
      o += c;
    }
  }
  return o;
}

}  // namespace

void write_timeline(const std::string& path, const TimelineRecorder& rec, std::span<const golden::Instruction> program,
                    const std::string& title) {
  write_timeline(path, rec.slots(), rec.spans(), rec.bandwidth(), program, title);
}

std::vector<TimelineRecorder::Span> estimate_spans(Slots slots, std::span<const golden::Instruction> program,
                                                   std::span<const driver::ProgramEstimate::InsnTime> times) {
  const unsigned n = slots.count();
  std::vector<TimelineRecorder::Span> spans;
  std::vector<std::uint32_t> ordinal(n + 1, 0);
  for (std::size_t i = 0; i < program.size() && i < times.size(); ++i) {
    unsigned track = n + 1;
    for (unsigned t = 0; t <= n; ++t) {
      if (program[i].engine == slots.engine(t)) track = t;
    }
    if (track > n) continue;  // an engine without a track (not in this chip)
    const auto& tm = times[i];
    spans.push_back({track, tm.start, std::max(tm.done, tm.start + 1), ordinal[track]++, false});
  }
  return spans;
}

void write_timeline(const std::string& path, Slots slots, std::vector<TimelineRecorder::Span> spans,
                    const std::vector<TimelineRecorder::Bandwidth>& bandwidth,
                    std::span<const golden::Instruction> program, const std::string& title) {
  const unsigned n = slots.count();
  // The instructions of each track in program order (their index in the program).
  std::vector<std::vector<std::size_t>> order(n + 1);
  for (std::size_t i = 0; i < program.size(); ++i) {
    for (unsigned t = 0; t <= n; ++t) {
      if (program[i].engine == slots.engine(t)) order[t].push_back(i);
    }
  }
  std::sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) {
    return a.track != b.track ? a.track < b.track : a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "w"), &std::fclose);
  if (!f) throw std::runtime_error(fmt::format("cannot write the timeline '{}'", path));
  std::FILE* out = f.get();
  fmt::print(out, "{{\"displayTimeUnit\":\"ms\",\"otherData\":{{\"title\":\"{}\",\"time_unit\":\"1 us = 1 cycle\"}},",
             json_escape(title));
  fmt::print(out, "\"traceEvents\":[\n");
  fmt::print(out, "{{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{{\"name\":\"{}\"}}}}",
             json_escape(title));
  // Lanes: a track's overlapping instructions (a DMA queue keeps several in flight) go to the
  // first sub-track free at their start, so that spans on one thread id never overlap.
  std::vector<std::vector<std::uint64_t>> lane_end(n + 1);
  std::vector<unsigned> lanes_used(n + 1, 0);
  for (const auto& s : spans) {
    unsigned lane = 0;
    std::string name, args;
    if (s.wait) {
      lane = 15;  // the waits' own sub-track
      name = "semaphore wait";
    } else {
      auto& ends = lane_end[s.track];
      while (lane < ends.size() && ends[lane] > s.begin) ++lane;
      if (lane == ends.size()) ends.push_back(0);
      ends[lane] = s.end;
      if (lane >= 15) lane = 14;  // (deeper overlaps share the last lane)
      const bool known = s.ordinal < order[s.track].size();
      const std::size_t idx = known ? order[s.track][s.ordinal] : 0;
      name = known ? golden::disassemble(program[idx]) : fmt::format("instruction {} of the track", s.ordinal);
      args = known ? fmt::format(",\"args\":{{\"index\":{}}}", idx) : std::string();
    }
    if (!s.wait) lanes_used[s.track] = std::max(lanes_used[s.track], lane + 1);
    fmt::print(out, ",\n{{\"ph\":\"X\",\"pid\":1,\"tid\":{},\"ts\":{},\"dur\":{},\"name\":\"{}\",\"cat\":\"{}\"{}}}",
               s.track * 16 + lane, s.begin, s.end - s.begin, json_escape(name), s.wait ? "wait" : "insn", args);
  }
  for (unsigned t = 0; t <= n; ++t) {
    for (unsigned l = 0; l < 16; ++l) {
      if (l < lanes_used[t] || l == 15) {
        const std::string nm = l == 15  ? slots.name(t) + " waits"
                               : l == 0 ? slots.name(t)
                                        : fmt::format("{} #{}", slots.name(t), l);
        fmt::print(
            out,
            ",\n{{\"ph\":\"M\",\"pid\":1,\"tid\":{},\"name\":\"thread_name\",\"args\":{{\"name\":\"{}\"}}}}"
            ",\n{{\"ph\":\"M\",\"pid\":1,\"tid\":{},\"name\":\"thread_sort_index\",\"args\":{{\"sort_index\":{}}}}}",
            t * 16 + l, nm, t * 16 + l, t * 16 + l);
      }
    }
  }
  for (const auto& b : bandwidth) {
    fmt::print(out,
               ",\n{{\"ph\":\"C\",\"pid\":1,\"ts\":{},\"name\":\"DRAM bytes/cycle\",\"args\":{{\"read\":{:.3f},"
               "\"write\":{:.3f}}}}}",
               b.begin, b.read, b.write);
  }
  fmt::print(out, "\n]}}\n");
  if (std::fflush(out) != 0) throw std::runtime_error(fmt::format("cannot write the timeline '{}'", path));
}

}  // namespace systole::sim
