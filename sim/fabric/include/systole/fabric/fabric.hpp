// The multi-chip simulation fabric (docs/links.md section 6): nodes (chips, or in tests traffic
// generators on link ports) stepped cycle by cycle, joined by wires (one direction of a link,
// a systole::link::Channel with its latency and faults), spread over one or more processes.
//
// Conservative, token-based synchronization (the scheme FireSim and SST use): every wire's
// latency is at least the lookahead L, so a flit sent in cycles [W, W+L) cannot arrive before
// W+L. Each process simulates its nodes for L cycles, then ships the flits its nodes sent on
// wires to other processes as tokens (wire, cycle, flit) and takes theirs; a wire's Channel
// lives in the process of its receiving node and sees the same pushes in the same order
// whatever the number of processes, so results and cycle counts are identical.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "systole/link/channel.hpp"
#include "systole/link/flit.hpp"

namespace systole::fabric {

struct Endpoint {
  std::uint32_t node = 0, port = 0;
};

// One direction of a link.
struct Wire {
  Endpoint from, to;
  link::ChannelConfig channel;  // latency (>= the lookahead), faults, seed
};

class Node {
 public:
  virtual ~Node() = default;
  // A flit arriving on `port` in `cycle` (before step(cycle)).
  virtual void deliver(std::uint64_t cycle, std::uint32_t port, const link::WireFlit& f) = 0;
  // One cycle: appends the flits this node starts sending in it, as (port, flit).
  virtual void step(std::uint64_t cycle, std::vector<std::pair<std::uint32_t, link::WireFlit>>& out) = 0;
  // Whether the node has finished its work (the simulation ends when every node has).
  virtual bool done() const = 0;
};

// A flit on a wire between processes.
struct Token {
  std::uint32_t wire = 0;
  std::uint64_t cycle = 0;  // when it was sent
  link::WireFlit flit{};
};

// How processes talk: one process (Local) or MPI ranks (mpi_transport.hpp).
class Transport {
 public:
  virtual ~Transport() = default;
  virtual std::uint32_t rank() const = 0;
  virtual std::uint32_t ranks() const = 0;
  // Sends out[r] to rank r and returns what every rank sent to this one (out[rank()] ignored),
  // in rank order. Collective: every rank calls it once per window.
  virtual std::vector<Token> exchange(const std::vector<std::vector<Token>>& out) = 0;
  // Collective logical AND of `flag`, and maximum of `value`, over all ranks.
  virtual bool all(bool flag) = 0;
  virtual std::uint64_t max(std::uint64_t value) = 0;
};

class LocalTransport final : public Transport {
 public:
  std::uint32_t rank() const override { return 0; }
  std::uint32_t ranks() const override { return 1; }
  std::vector<Token> exchange(const std::vector<std::vector<Token>>&) override { return {}; }
  bool all(bool flag) override { return flag; }
  std::uint64_t max(std::uint64_t value) override { return value; }
};

// The process that simulates node `node` of `nodes` over `ranks` processes: contiguous blocks.
std::uint32_t owner(std::uint32_t node, std::uint32_t nodes, std::uint32_t ranks);

class Simulation {
 public:
  // `nodes` nodes in all, joined by `wires`; `lookahead` cycles per window (1..min latency).
  // Throws std::invalid_argument for a wire with a bad endpoint or a latency below the lookahead.
  Simulation(std::uint32_t nodes, std::vector<Wire> wires, std::uint32_t lookahead, Transport& t);
  // Node `id` (only those owner() gives this process).
  void set_node(std::uint32_t id, std::unique_ptr<Node> n);
  bool local(std::uint32_t id) const;
  Node* node(std::uint32_t id) { return nodes_.at(id).get(); }

  struct Result {
    std::uint64_t cycles = 0;                    // the window end at which every node was done (the same everywhere)
    bool finished = false;                       // false: max_cycles reached first
    std::uint64_t tokens_sent = 0, windows = 0;  // this process's
  };
  Result run(std::uint64_t max_cycles);
  const link::Channel& channel(std::uint32_t wire) const { return *channels_.at(wire); }  // local wires only

 private:
  std::uint32_t count_;
  std::vector<Wire> wires_;
  std::uint32_t lookahead_;
  Transport& t_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::unique_ptr<link::Channel>> channels_;  // of wires into this process's nodes
  std::vector<std::vector<std::int32_t>> out_wire_;       // [node][port] -> wire index, -1 none
};

}  // namespace systole::fabric
