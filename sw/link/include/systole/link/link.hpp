// Two link ports joined by two channels and stepped together, cycle by cycle (docs/links.md
// section 6): what the fault tests drive, and what the multi-chip simulation will put between
// two chips' ports.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "systole/link/channel.hpp"
#include "systole/link/port.hpp"

namespace systole::link {

class Link {
 public:
  // Port 0 (id 0) sends through channel 0 to port 1 (id 1), which sends back through channel 1.
  Link(const Params& p0, const Params& p1, const ChannelConfig& c01, const ChannelConfig& c10);

  Port& port(unsigned side) { return ports_.at(side); }
  const Port& port(unsigned side) const { return ports_.at(side); }
  Channel& channel(unsigned from_side) { return channels_.at(from_side); }
  const Channel& channel(unsigned from_side) const { return channels_.at(from_side); }
  std::uint64_t cycle() const { return cycle_; }

  // One cycle: each channel delivers to its port, each port steps, each port's flit enters its
  // channel.
  void step();
  // Resets port `side` between cycles; its flit still on the wire is cut off (Channel::truncate).
  void reset(unsigned side);

 private:
  std::vector<Port> ports_;
  std::vector<Channel> channels_;
  std::uint64_t cycle_ = 0;
};

}  // namespace systole::link
