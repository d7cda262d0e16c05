// Topologies of a multi-chip system and their routing (docs/links.md section 5): which port of
// which chip each link joins, the output port and virtual channel of a packet at every hop, and
// a check that the routing cannot deadlock (its channel dependency graph is acyclic).
//
//   ring (N >= 2):      port 0 west (chip - 1), port 1 east (chip + 1); the shorter way round,
//                       east on a tie.
//   torus (X x Y):      chip = y X + x; ports 0 west, 1 east (x -+ 1), 2 south, 3 north (y -+ 1);
//                       dimension order: X first, then Y, each the shorter way (east/north on a
//                       tie). A dimension of 2 has two links between the same pair, like a ring of 2.
//   all-to-all (N):     port p of chip i links to chip p (p < i) or p + 1; every route one hop.
//
// Virtual channels break the rings' cycles with a dateline: a packet starts on VC 0 and moves to
// VC 1 when it crosses the link from the last chip of a ring (or torus dimension) to the first
// (east) or from the first to the last (west); it starts a dimension again on VC 0. The RTL's
// routing tables are this table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace systole::link {

enum class TopologyKind : std::uint8_t { kRing, kAllToAll, kTorus };

struct Hop {
  std::uint32_t chip = 0;  // where the packet is
  std::uint32_t port = 0;  // the port it leaves by
  std::uint8_t vc = 0;     // on this virtual channel
  bool operator==(const Hop&) const = default;
};

class Topology {
 public:
  // Throws std::invalid_argument naming what is wrong (ring 2..128 chips, torus 2..16 a side,
  // all-to-all 2..17 chips: 16 ports at most).
  static Topology ring(std::uint32_t chips);
  static Topology all_to_all(std::uint32_t chips);
  static Topology torus(std::uint32_t x, std::uint32_t y);
  // "ring", "all-to-all", "torus" with `chips` (a torus as square as the count allows: the
  // largest divisor x <= sqrt(chips), x >= 2).
  static Topology by_name(const std::string& name, std::uint32_t chips);

  TopologyKind kind() const { return kind_; }
  std::uint32_t chips() const { return chips_; }
  std::uint32_t ports() const;                 // per chip
  std::uint32_t side_x() const { return x_; }  // a torus's sides (0 otherwise)
  std::uint32_t side_y() const { return y_; }
  std::string describe() const;

  // The chip and port at the other end of `port` of `chip`.
  struct End {
    std::uint32_t chip, port;
  };
  End peer(std::uint32_t chip, std::uint32_t port) const;
  // The hops from `src` to `dst` (empty when src == dst).
  std::vector<Hop> path(std::uint32_t src, std::uint32_t dst) const;
  // The routing table of `chip`: output port per destination chip (the chip itself: ports()).
  std::vector<std::uint32_t> table(std::uint32_t chip) const;

 private:
  TopologyKind kind_ = TopologyKind::kRing;
  std::uint32_t chips_ = 0, x_ = 0, y_ = 0;
};

// Whether routing every chip to every other chip can deadlock: the channels are (chip, port, VC),
// and a path's consecutive channels are dependencies; a cycle among them is a possible deadlock.
// `datelines = false` puts every packet on VC 0 (to show what the datelines are for).
struct DeadlockCheck {
  bool acyclic = true;
  std::vector<Hop> cycle;  // a cycle of channels, if any
  std::size_t channels = 0, dependencies = 0;
};
DeadlockCheck check_deadlock_free(const Topology& t, bool datelines = true);

}  // namespace systole::link
