// Bench of rtl/common/stream_fork.sv: a C++ source presents numbered transfers with a random port
// select, C++ sinks apply back-pressure, and a reference model of the fork (one taken flag per
// port) predicts every output.
//
// Per cycle: the driver chooses the inputs (Inputs); eval; check every out_valid_o bit and
// in_ready_o against the reference model and log each port handshake under the number of the
// transfer presented; update the model and the source; tick.
// Source rules (what the fork's users do): a transfer is presented until in_ready_o with the same
// select, except that a clr_i cycle drops it (the source forgets it, as dma_queue does); a new one
// may follow in the next cycle.
// At the end (finish()), from the log alone: every completed transfer went exactly once to each
// port it selected and never to another; a dropped one at most once to a selected port and never
// after its clr_i cycle; every handshake of a port was for the transfer presented in that cycle,
// in the order of the transfers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "systole/sim/sim_controller.hpp"

namespace systole::verif::fork {

// What the driver asks for in one cycle.
struct Inputs {
  bool offer = false;       // present a new transfer if none is presented
  std::uint32_t sel = 0;    // its select (ignored while one is presented: that one keeps its own)
  std::uint32_t ready = 0;  // out_ready_i
  bool clr = false;         // clr_i
};

// What the driver may look at before it chooses: the cycle, and whether a transfer presented in
// an earlier cycle is still presented (then `age` cycles ago it was first); when not, an offer
// made now starts a new one in this cycle.
struct View {
  std::uint64_t cycle = 0;
  bool presenting = false;
  std::uint64_t age = 0;
};

struct Stats {
  std::uint64_t cycles = 0;
  std::uint64_t completed = 0, dropped = 0;  // transfers: upstream handshake / dropped by clr_i
  std::uint64_t none_selected = 0;           // completed transfers that selected no port
  std::uint64_t port_takes = 0;              // port handshakes
  std::uint64_t partial_cycles = 0;          // a transfer waiting with some ports served, some not
  std::uint64_t dropped_partial = 0;         // dropped after some port had taken it
  std::uint64_t clr_with_handshake = 0;      // clr_i in the cycle of the upstream handshake
  std::uint64_t max_wait = 0;                // most cycles a transfer waited for its handshake
};

// The fork as the documentation says it works: which ports have taken the current transfer.
class RefFork {
 public:
  explicit RefFork(unsigned n) : n_(n) {}
  std::uint32_t out_valid(bool valid, std::uint32_t sel) const { return valid ? sel & ~taken_ & mask() : 0; }
  bool in_ready(std::uint32_t sel, std::uint32_t ready) const { return ((taken_ | ~sel | ready) & mask()) == mask(); }
  void step(bool valid, std::uint32_t sel, std::uint32_t ready, bool clr) {
    const std::uint32_t take = out_valid(valid, sel) & ready;
    taken_ = (clr || (valid && in_ready(sel, ready))) ? 0 : taken_ | take;
  }
  std::uint32_t taken() const { return taken_; }

 private:
  std::uint32_t mask() const { return (1u << n_) - 1; }
  unsigned n_;
  std::uint32_t taken_ = 0;
};

// Chooses the inputs of each cycle.
using Driver = std::function<Inputs(const View&)>;

template <class Model, unsigned N>
class Bench {
 public:
  static constexpr std::uint32_t kMask = (1u << N) - 1;

  Bench() : ref_(N), got_(N) {
    Model& m = *sim_;
    m.clr_i = 0;
    m.in_valid_i = 0;
    m.in_sel_i = 0;
    m.out_ready_i = 0;
    sim_.reset();
  }

  // Runs `cycles` cycles driven by `drive`; the first error (empty if none).
  std::string run(std::uint64_t cycles, const Driver& drive) {
    for (std::uint64_t c = 0; c < cycles; ++c) {
      if (std::string e = cycle(drive); !e.empty()) return fmt::format("cycle {}: {}", sim_.cycle(), e);
    }
    return {};
  }

  // The end-to-end checks from the log (see the header); the first error.
  std::string finish() const {
    std::vector<std::size_t> next(N, 0);  // per port, the next handshake to account for
    for (const Transfer& t : log_) {
      for (unsigned p = 0; p < N; ++p) {
        const bool sel = (t.sel >> p) & 1u;
        unsigned count = 0;
        while (next[p] < got_[p].size() && got_[p][next[p]].id == t.id) {
          const Take& k = got_[p][next[p]++];
          ++count;
          if (k.cycle < t.start || k.cycle > t.end) {
            return fmt::format("port {} took transfer {} in cycle {}, outside its cycles {}..{}{}", p, t.id, k.cycle,
                               t.start, t.end, t.state == State::kDropped ? " (dropped by clr_i at the end)" : "");
          }
        }
        if (!sel && count != 0) return fmt::format("port {} took transfer {}, which did not select it", p, t.id);
        if (t.state == State::kCompleted && sel && count != 1) {
          return fmt::format("port {} took completed transfer {} {} times, expected once", p, t.id, count);
        }
        if (count > 1) return fmt::format("port {} took transfer {} {} times", p, t.id, count);
      }
    }
    for (unsigned p = 0; p < N; ++p) {
      if (next[p] != got_[p].size()) {
        return fmt::format("port {}: handshake {} (transfer {}, cycle {}) out of order or for no transfer", p, next[p],
                           got_[p][next[p]].id, got_[p][next[p]].cycle);
      }
    }
    return {};
  }

  const Stats& stats() const { return stats_; }

 private:
  enum class State { kPresented, kCompleted, kDropped };
  struct Transfer {
    std::uint64_t id;
    std::uint32_t sel;
    std::uint64_t start, end;  // first and last cycle presented
    State state;
  };
  struct Take {
    std::uint64_t id, cycle;
  };

  std::string cycle(const Driver& drive) {
    Model& m = *sim_;
    const std::uint64_t now = sim_.cycle();
    View v{.cycle = now, .presenting = cur_.has_value(), .age = cur_ ? now - log_[*cur_].start : 0};
    const Inputs in = drive(v);
    if (!cur_ && in.offer) {
      log_.push_back({next_id_++, in.sel & kMask, now, now, State::kPresented});
      cur_ = log_.size() - 1;
    }
    const bool valid = cur_.has_value();
    const std::uint32_t sel = valid ? log_[*cur_].sel : in.sel & kMask;  // don't care while not valid
    const std::uint32_t ready = in.ready & kMask;
    m.in_valid_i = valid;
    m.in_sel_i = sel;
    m.out_ready_i = ready;
    m.clr_i = in.clr;
    sim_.eval();

    const std::uint32_t want_valid = ref_.out_valid(valid, sel);
    const bool want_ready = ref_.in_ready(sel, ready);
    const std::uint32_t out_valid = m.out_valid_o & kMask;
    if (out_valid != want_valid) {
      return fmt::format("out_valid_o {:#0{}b}, expected {:#0{}b} (in_valid_i {}, in_sel_i {:#0{}b}, taken {:#0{}b})",
                         out_valid, N + 2, want_valid, N + 2, valid, sel, N + 2, ref_.taken(), N + 2);
    }
    if (static_cast<bool>(m.in_ready_o) != want_ready) {
      return fmt::format("in_ready_o {}, expected {} (in_sel_i {:#0{}b}, out_ready_i {:#0{}b}, taken {:#0{}b})",
                         static_cast<bool>(m.in_ready_o), want_ready, sel, N + 2, ready, N + 2, ref_.taken(), N + 2);
    }

    const std::uint32_t take = out_valid & ready;
    for (unsigned p = 0; p < N; ++p) {
      if ((take >> p) & 1u) {
        got_[p].push_back({log_[*cur_].id, now});
        ++stats_.port_takes;
      }
    }
    const bool handshake = valid && m.in_ready_o;
    if (valid) {
      Transfer& t = log_[*cur_];
      t.end = now;
      if (handshake) {
        t.state = State::kCompleted;
        ++stats_.completed;
        if (t.sel == 0) ++stats_.none_selected;
        if (in.clr) ++stats_.clr_with_handshake;
        stats_.max_wait = std::max(stats_.max_wait, now - t.start);
        cur_.reset();
      } else if (in.clr) {
        t.state = State::kDropped;
        ++stats_.dropped;
        if ((ref_.taken() | take) != 0) ++stats_.dropped_partial;
        cur_.reset();
      } else if ((ref_.taken() | take) != 0) {
        ++stats_.partial_cycles;
      }
    }
    ref_.step(valid, sel, ready, in.clr);
    sim_.tick();
    ++stats_.cycles;
    return {};
  }

  systole::sim::SimController<Model> sim_;
  RefFork ref_;
  std::vector<Transfer> log_;
  std::vector<std::vector<Take>> got_;  // per port: the transfers it took, in order
  std::optional<std::size_t> cur_;      // the transfer presented (index into log_)
  std::uint64_t next_id_ = 0;
  Stats stats_;
};

}  // namespace systole::verif::fork
