// Topologies and routing: every link joins two ports that name each other, every path reaches
// its destination the shortest way in dimension order, the tables are the paths' first hops,
// and with datelines the channel dependency graph is acyclic (without, a ring of 3 or more has
// a cycle: the check can fail).
#include <gtest/gtest.h>

#include "systole/link/topology.hpp"

using namespace systole::link;

namespace {

std::vector<Topology> all_topologies() {
  std::vector<Topology> t;
  for (std::uint32_t n = 2; n <= 16; ++n) t.push_back(Topology::ring(n));
  for (std::uint32_t n : {2u, 3u, 4u, 8u, 16u, 17u}) t.push_back(Topology::all_to_all(n));
  for (auto [x, y] : {std::pair{2u, 2u}, {2u, 3u}, {3u, 3u}, {4u, 4u}, {4u, 2u}, {5u, 3u}})
    t.push_back(Topology::torus(x, y));
  return t;
}

}  // namespace

TEST(Topology, LinksAreSymmetric) {
  for (const Topology& t : all_topologies()) {
    for (std::uint32_t c = 0; c < t.chips(); ++c) {
      for (std::uint32_t p = 0; p < t.ports(); ++p) {
        const auto e = t.peer(c, p);
        EXPECT_NE(e.chip, c) << t.describe();
        const auto back = t.peer(e.chip, e.port);
        EXPECT_EQ(back.chip, c) << t.describe() << " chip " << c << " port " << p;
        EXPECT_EQ(back.port, p) << t.describe();
      }
    }
  }
}

TEST(Topology, PathsReachTheirDestinationTheShortestWay) {
  for (const Topology& t : all_topologies()) {
    for (std::uint32_t s = 0; s < t.chips(); ++s) {
      const std::vector<std::uint32_t> table = t.table(s);
      for (std::uint32_t d = 0; d < t.chips(); ++d) {
        const std::vector<Hop> p = t.path(s, d);
        std::uint32_t at = s;
        for (const Hop& h : p) {
          ASSERT_EQ(h.chip, at) << t.describe();
          at = t.peer(at, h.port).chip;
        }
        EXPECT_EQ(at, d) << t.describe() << " " << s << " -> " << d;
        if (s == d) {
          EXPECT_TRUE(p.empty());
          EXPECT_EQ(table[d], t.ports());
          continue;
        }
        EXPECT_EQ(table[d], p.front().port);
        const auto ring_distance = [](std::uint32_t a, std::uint32_t b, std::uint32_t n) {
          const std::uint32_t e = (b + n - a) % n;
          return std::min(e, n - e);
        };
        std::size_t shortest = 1;
        if (t.kind() == TopologyKind::kRing) shortest = ring_distance(s, d, t.chips());
        if (t.kind() == TopologyKind::kTorus) {
          const std::uint32_t nx = t.side_x(), ny = t.side_y();
          shortest = ring_distance(s % nx, d % nx, nx) + ring_distance(s / nx, d / nx, ny);
        }
        EXPECT_EQ(p.size(), shortest) << t.describe() << " " << s << " -> " << d;
      }
    }
  }
  // A 4 x 4 torus: the farthest chip is 2 + 2 hops away, X first.
  const Topology t = Topology::torus(4, 4);
  const std::vector<Hop> p = t.path(0, 10);  // (0,0) -> (2,2)
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].port, 1u);
  EXPECT_EQ(p[1].port, 1u);
  EXPECT_EQ(p[2].port, 3u);
  EXPECT_EQ(p[3].port, 3u);
}

TEST(Topology, DatelinesMakeRoutingDeadlockFree) {
  for (const Topology& t : all_topologies()) {
    const DeadlockCheck c = check_deadlock_free(t);
    EXPECT_TRUE(c.acyclic) << t.describe() << ": a cycle of " << c.cycle.size() << " channels";
  }
  // Without them a ring of 5 deadlocks: the check finds the cycle around it.
  const DeadlockCheck bad = check_deadlock_free(Topology::ring(5), false);
  EXPECT_FALSE(bad.acyclic);
  EXPECT_GE(bad.cycle.size(), 5u);
  EXPECT_FALSE(check_deadlock_free(Topology::torus(4, 4), false).acyclic);
  EXPECT_TRUE(check_deadlock_free(Topology::all_to_all(8), false).acyclic);  // one hop: nothing to wait on
}

TEST(Topology, BadShapesAreRefused) {
  EXPECT_THROW(Topology::ring(1), std::invalid_argument);
  EXPECT_THROW(Topology::all_to_all(18), std::invalid_argument);
  EXPECT_THROW(Topology::torus(1, 4), std::invalid_argument);
  EXPECT_THROW(Topology::by_name("torus", 7), std::invalid_argument);  // prime
  EXPECT_THROW(Topology::by_name("mesh", 4), std::invalid_argument);
  EXPECT_EQ(Topology::by_name("torus", 12).describe(), "3 x 4 torus");
  EXPECT_EQ(Topology::by_name("torus", 16).describe(), "4 x 4 torus");
}
