// The simulation fabric refuses what would break its synchronization or its wiring.
#include <gtest/gtest.h>

#include "systole/fabric/fabric.hpp"

using namespace systole;
using namespace systole::fabric;

namespace {

Wire wire(std::uint32_t from, std::uint32_t fport, std::uint32_t to, std::uint32_t tport, unsigned latency) {
  Wire w;
  w.from = {from, fport};
  w.to = {to, tport};
  w.channel.latency = latency;
  return w;
}

}  // namespace

TEST(Fabric, BadWiringAndLookaheadAreRefused) {
  LocalTransport t;
  EXPECT_THROW(Simulation(2, {wire(0, 0, 1, 0, 32)}, 64, t), std::invalid_argument);  // latency < lookahead
  EXPECT_THROW(Simulation(2, {wire(0, 0, 2, 0, 32)}, 16, t), std::invalid_argument);  // no node 2
  EXPECT_THROW(Simulation(2, {wire(0, 0, 1, 0, 32), wire(0, 0, 1, 1, 32)}, 16, t),
               std::invalid_argument);                           // port 0 drives two wires
  EXPECT_THROW(Simulation(2, {}, 0, t), std::invalid_argument);  // no lookahead
  Simulation ok(2, {wire(0, 0, 1, 0, 32)}, 32, t);
  EXPECT_THROW(ok.run(100), std::logic_error);  // nodes never set
}

TEST(Fabric, BlocksOfNodesPerProcess) {
  EXPECT_EQ(owner(0, 5, 2), 0u);
  EXPECT_EQ(owner(2, 5, 2), 0u);
  EXPECT_EQ(owner(3, 5, 2), 1u);
  EXPECT_EQ(owner(4, 5, 2), 1u);
  EXPECT_EQ(owner(4, 5, 1), 0u);
}
