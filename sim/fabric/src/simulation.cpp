#include <fmt/format.h>

#include <stdexcept>

#include "systole/fabric/fabric.hpp"

namespace systole::fabric {

std::uint32_t owner(std::uint32_t node, std::uint32_t nodes, std::uint32_t ranks) {
  return static_cast<std::uint32_t>(std::uint64_t{node} * ranks / nodes);
}

Simulation::Simulation(std::uint32_t nodes, std::vector<Wire> wires, std::uint32_t lookahead, Transport& t)
    : count_(nodes), wires_(std::move(wires)), lookahead_(lookahead), t_(t), nodes_(nodes), out_wire_(nodes) {
  if (nodes == 0) throw std::invalid_argument("fabric: no nodes");
  if (lookahead == 0) throw std::invalid_argument("fabric: the lookahead must be at least 1 cycle");
  if (t.ranks() > nodes) {
    throw std::invalid_argument(
        fmt::format("fabric: {} processes for {} nodes (at most one per node)", t.ranks(), nodes));
  }
  channels_.resize(wires_.size());
  for (std::size_t w = 0; w < wires_.size(); ++w) {
    const Wire& x = wires_[w];
    if (x.from.node >= nodes || x.to.node >= nodes) {
      throw std::invalid_argument(
          fmt::format("fabric: wire {} joins node {} to node {} of {}", w, x.from.node, x.to.node, nodes));
    }
    if (x.channel.latency < lookahead) {
      throw std::invalid_argument(fmt::format("fabric: wire {} has latency {} below the lookahead {} (a flit could "
                                              "arrive inside the window it was sent in)",
                                              w, x.channel.latency, lookahead));
    }
    auto& ports = out_wire_[x.from.node];
    if (ports.size() <= x.from.port) ports.resize(x.from.port + 1, -1);
    if (ports[x.from.port] >= 0) {
      throw std::invalid_argument(fmt::format("fabric: node {} port {} drives two wires", x.from.node, x.from.port));
    }
    ports[x.from.port] = static_cast<std::int32_t>(w);
    if (local(x.to.node)) channels_[w] = std::make_unique<link::Channel>(x.channel);
  }
}

bool Simulation::local(std::uint32_t id) const { return owner(id, count_, t_.ranks()) == t_.rank(); }

void Simulation::set_node(std::uint32_t id, std::unique_ptr<Node> n) {
  if (!local(id)) throw std::invalid_argument(fmt::format("fabric: node {} belongs to another process", id));
  nodes_.at(id) = std::move(n);
}

Simulation::Result Simulation::run(std::uint64_t max_cycles) {
  for (std::uint32_t i = 0; i < count_; ++i) {
    if (local(i) && !nodes_[i]) throw std::logic_error(fmt::format("fabric: node {} was never set", i));
  }
  Result r;
  std::vector<std::pair<std::uint32_t, link::WireFlit>> sent;
  std::vector<std::vector<Token>> out(t_.ranks());
  for (std::uint64_t window = 0;; window += lookahead_) {
    for (std::uint64_t c = window; c < window + lookahead_; ++c) {
      // Arrivals first, then every node's cycle (the order of link::Link::step).
      for (std::size_t w = 0; w < wires_.size(); ++w) {
        if (!channels_[w]) continue;
        if (std::optional<link::WireFlit> f = channels_[w]->pop(c)) {
          nodes_[wires_[w].to.node]->deliver(c, wires_[w].to.port, *f);
        }
      }
      for (std::uint32_t i = 0; i < count_; ++i) {
        if (!nodes_[i]) continue;
        sent.clear();
        nodes_[i]->step(c, sent);
        for (const auto& [port, flit] : sent) {
          const std::int32_t w = port < out_wire_[i].size() ? out_wire_[i][port] : -1;
          if (w < 0) throw std::logic_error(fmt::format("fabric: node {} sent on port {}, which has no wire", i, port));
          if (channels_[w]) {
            channels_[w]->push(c, flit);
          } else {
            out[owner(wires_[w].to.node, count_, t_.ranks())].push_back(Token{static_cast<std::uint32_t>(w), c, flit});
            ++r.tokens_sent;
          }
        }
      }
    }
    ++r.windows;
    // Window end: the flits for other processes go out, theirs come in (in rank, then send order).
    for (const Token& tok : t_.exchange(out)) channels_.at(tok.wire)->push(tok.cycle, tok.flit);
    for (auto& o : out) o.clear();
    bool done = true;
    for (const auto& n : nodes_) done = done && (!n || n->done());
    const std::uint64_t end = window + lookahead_;
    if (t_.all(done)) {
      r.cycles = end;
      r.finished = true;
      return r;
    }
    if (end >= max_cycles) {
      r.cycles = end;
      return r;
    }
  }
}

}  // namespace systole::fabric
