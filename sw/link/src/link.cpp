// Two ports and two channels stepped together (link.hpp).
#include "systole/link/link.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace systole::link {

Link::Link(const Params& p0, const Params& p1, const ChannelConfig& c01, const ChannelConfig& c10) {
  if (c01.flit_beats != p0.flit_beats || c10.flit_beats != p1.flit_beats || p0.flit_beats != p1.flit_beats)
    throw std::invalid_argument(
        fmt::format("link: flit_beats of ports {}/{} and channels {}/{} differ, expected one value", p0.flit_beats,
                    p1.flit_beats, c01.flit_beats, c10.flit_beats));
  ports_.emplace_back(p0, 0);
  ports_.emplace_back(p1, 1);
  channels_.emplace_back(c01);
  channels_.emplace_back(c10);
}

void Link::step() {
  for (unsigned side = 0; side < 2; ++side) {
    if (std::optional<WireFlit> w = channels_[1 - side].pop(cycle_)) ports_[side].deliver(*w);
  }
  for (unsigned side = 0; side < 2; ++side) {
    if (std::optional<WireFlit> w = ports_[side].step()) channels_[side].push(cycle_, *w);
  }
  ++cycle_;
}

void Link::reset(unsigned side) {
  channels_.at(side).truncate(cycle_);
  ports_.at(side).reset();
}

}  // namespace systole::link
