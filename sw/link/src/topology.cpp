#include "systole/link/topology.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

namespace systole::link {
namespace {

// One step along a ring of n: the direction (+1 east/north, -1 west/south) the shorter way from
// `from` to `to` (+1 on a tie), or 0 when there.
int ring_direction(std::uint32_t from, std::uint32_t to, std::uint32_t n) {
  if (from == to) return 0;
  const std::uint32_t east = (to + n - from) % n;
  return east <= n - east ? 1 : -1;
}

// Whether a step from `from` in direction `dir` crosses a ring's dateline.
bool crosses_dateline(std::uint32_t from, int dir, std::uint32_t n) {
  return (dir > 0 && from == n - 1) || (dir < 0 && from == 0);
}

}  // namespace

Topology Topology::ring(std::uint32_t chips) {
  if (chips < 2 || chips > 128) throw std::invalid_argument(fmt::format("ring of {} chips: expected 2..128", chips));
  Topology t;
  t.kind_ = TopologyKind::kRing;
  t.chips_ = chips;
  return t;
}

Topology Topology::all_to_all(std::uint32_t chips) {
  if (chips < 2 || chips > 17) {
    throw std::invalid_argument(fmt::format("all-to-all of {} chips: expected 2..17 (at most 16 ports a chip)", chips));
  }
  Topology t;
  t.kind_ = TopologyKind::kAllToAll;
  t.chips_ = chips;
  return t;
}

Topology Topology::torus(std::uint32_t x, std::uint32_t y) {
  if (x < 2 || y < 2 || x > 16 || y > 16) {
    throw std::invalid_argument(fmt::format("torus {} x {}: expected 2..16 chips a side", x, y));
  }
  Topology t;
  t.kind_ = TopologyKind::kTorus;
  t.chips_ = x * y;
  t.x_ = x;
  t.y_ = y;
  return t;
}

Topology Topology::by_name(const std::string& name, std::uint32_t chips) {
  if (name == "ring") return ring(chips);
  if (name == "all-to-all") return all_to_all(chips);
  if (name == "torus") {
    std::uint32_t x = 0;
    for (std::uint32_t d = 2; d * d <= chips; ++d) {
      if (chips % d == 0) x = d;
    }
    if (x == 0) {
      throw std::invalid_argument(fmt::format("torus of {} chips: expected a product of two sides >= 2", chips));
    }
    return torus(x, chips / x);
  }
  throw std::invalid_argument(fmt::format("topology '{}': expected ring, all-to-all or torus", name));
}

std::uint32_t Topology::ports() const {
  switch (kind_) {
    case TopologyKind::kRing: return 2;
    case TopologyKind::kTorus: return 4;
    case TopologyKind::kAllToAll: return chips_ - 1;
  }
  return 0;
}

std::string Topology::describe() const {
  switch (kind_) {
    case TopologyKind::kRing: return fmt::format("ring of {}", chips_);
    case TopologyKind::kTorus: return fmt::format("{} x {} torus", x_, y_);
    case TopologyKind::kAllToAll: return fmt::format("all-to-all of {}", chips_);
  }
  return "?";
}

Topology::End Topology::peer(std::uint32_t chip, std::uint32_t port) const {
  if (chip >= chips_ || port >= ports()) {
    throw std::out_of_range(fmt::format("{}: no port {} on chip {}", describe(), port, chip));
  }
  switch (kind_) {
    case TopologyKind::kRing: return {port == 1 ? (chip + 1) % chips_ : (chip + chips_ - 1) % chips_, 1 - port};
    case TopologyKind::kAllToAll: {
      const std::uint32_t other = port < chip ? port : port + 1;
      return {other, chip < other ? chip : chip - 1};
    }
    case TopologyKind::kTorus: {
      const std::uint32_t x = chip % x_, y = chip / x_;
      switch (port) {
        case 0: return {y * x_ + (x + x_ - 1) % x_, 1};
        case 1: return {y * x_ + (x + 1) % x_, 0};
        case 2: return {((y + y_ - 1) % y_) * x_ + x, 3};
        default: return {((y + 1) % y_) * x_ + x, 2};
      }
    }
  }
  return {0, 0};
}

std::vector<Hop> Topology::path(std::uint32_t src, std::uint32_t dst) const {
  if (src >= chips_ || dst >= chips_) {
    throw std::out_of_range(fmt::format("{}: a path from chip {} to chip {}", describe(), src, dst));
  }
  std::vector<Hop> hops;
  if (kind_ == TopologyKind::kAllToAll) {
    if (src != dst) hops.push_back(Hop{src, dst < src ? dst : dst - 1, 0});
    return hops;
  }
  // A ring is a torus of one dimension: walk X, then Y.
  const std::uint32_t nx = kind_ == TopologyKind::kRing ? chips_ : x_;
  const std::uint32_t ny = kind_ == TopologyKind::kRing ? 1 : y_;
  std::uint32_t x = src % nx, y = src / nx;
  const std::uint32_t tx = dst % nx, ty = dst / nx;
  std::uint8_t vc = 0;
  for (int dir; (dir = ring_direction(x, tx, nx)) != 0;) {
    hops.push_back(Hop{y * nx + x, dir > 0 ? 1u : 0u, vc});
    if (crosses_dateline(x, dir, nx)) vc = 1;
    x = (x + nx + static_cast<std::uint32_t>(dir)) % nx;
  }
  vc = 0;  // a new dimension starts on VC 0
  for (int dir; ny > 1 && (dir = ring_direction(y, ty, ny)) != 0;) {
    hops.push_back(Hop{y * nx + x, dir > 0 ? 3u : 2u, vc});
    if (crosses_dateline(y, dir, ny)) vc = 1;
    y = (y + ny + static_cast<std::uint32_t>(dir)) % ny;
  }
  return hops;
}

std::vector<std::uint32_t> Topology::table(std::uint32_t chip) const {
  std::vector<std::uint32_t> t(chips_, ports());
  for (std::uint32_t d = 0; d < chips_; ++d) {
    if (d != chip) t[d] = path(chip, d).front().port;
  }
  return t;
}

DeadlockCheck check_deadlock_free(const Topology& t, bool datelines) {
  // Channel (chip, port, vc) -> index; dependencies between consecutive hops of every path.
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint8_t>, std::size_t> index;
  std::vector<Hop> channel;
  std::vector<std::set<std::size_t>> next;
  auto id = [&](const Hop& h) {
    const auto key = std::tuple(h.chip, h.port, datelines ? h.vc : std::uint8_t{0});
    const auto [it, fresh] = index.emplace(key, channel.size());
    if (fresh) {
      channel.push_back(Hop{h.chip, h.port, std::get<2>(key)});
      next.emplace_back();
    }
    return it->second;
  };
  DeadlockCheck r;
  for (std::uint32_t s = 0; s < t.chips(); ++s) {
    for (std::uint32_t d = 0; d < t.chips(); ++d) {
      const std::vector<Hop> p = t.path(s, d);
      for (std::size_t i = 0; i + 1 < p.size(); ++i) {
        const std::size_t a = id(p[i]), b = id(p[i + 1]);
        if (next[a].insert(b).second) ++r.dependencies;
      }
      if (!p.empty()) id(p.back());
    }
  }
  r.channels = channel.size();
  // Depth-first search for a back edge.
  std::vector<int> state(channel.size(), 0);  // 0 new, 1 on the stack, 2 done
  std::vector<std::size_t> stack;
  std::function<bool(std::size_t)> visit = [&](std::size_t v) {
    state[v] = 1;
    stack.push_back(v);
    for (std::size_t w : next[v]) {
      if (state[w] == 1) {
        for (auto it = std::find(stack.begin(), stack.end(), w); it != stack.end(); ++it)
          r.cycle.push_back(channel[*it]);
        return true;
      }
      if (state[w] == 0 && visit(w)) return true;
    }
    stack.pop_back();
    state[v] = 2;
    return false;
  };
  for (std::size_t v = 0; v < channel.size() && r.acyclic; ++v) {
    if (state[v] == 0 && visit(v)) r.acyclic = false;
  }
  return r;
}

}  // namespace systole::link
