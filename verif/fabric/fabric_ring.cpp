// fabric_ring: N nodes on a bidirectional ring of C++ link ports (sw/link) over the simulation
// fabric (sim/fabric), in one process or over MPI ranks. Every node sends `packets` packets to
// each neighbour and receives theirs; each node's reception log is hashed with the cycle of every
// packet, and rank 0 prints one line per node and the cycle count. compare_ranks.sh runs it with
// 1, 2 and 3 processes: the outputs must be identical (results and cycle counts).
//
//   fabric_ring --nodes N --packets K [--latency L] [--lookahead W] [--ber X] [--drop P] [--seed S]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cstring>

#include "systole/fabric/mpi_transport.hpp"
#include "systole/link/port.hpp"

namespace {

using namespace systole;

std::uint64_t fnv(std::uint64_t h, const void* p, std::size_t n) {
  const auto* b = static_cast<const std::uint8_t*>(p);
  for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 0x100000001B3ull;
  return h;
}

class RingNode final : public fabric::Node {
 public:
  RingNode(std::uint32_t id, std::uint32_t packets, const link::Params& p)
      : id_(id), packets_(packets), ports_{link::Port(p, 0), link::Port(p, 1)} {}

  void deliver(std::uint64_t, std::uint32_t port, const link::WireFlit& f) override { ports_[port].deliver(f); }

  void step(std::uint64_t cycle, std::vector<std::pair<std::uint32_t, link::WireFlit>>& out) override {
    for (std::uint32_t q = 0; q < 2; ++q) {
      link::Port& port = ports_[q];
      if (std::optional<link::WireFlit> w = port.step()) out.emplace_back(q, *w);
      // Packet k to the neighbour on this port: its bytes from (node, port, k).
      while (sent_[q] < packets_ && port.can_send(sent_[q] % 2)) {
        link::Packet pk;
        pk.vc = static_cast<std::uint8_t>(sent_[q] % 2);
        pk.bytes.resize(1 + (id_ * 7 + sent_[q] * 13 + q) % 244);
        for (std::size_t b = 0; b < pk.bytes.size(); ++b)
          pk.bytes[b] = static_cast<std::uint8_t>(id_ + q + sent_[q] + b);
        port.send(std::move(pk));
        ++sent_[q];
      }
      for (std::uint8_t vc = 0; vc < 2; ++vc) {
        while (std::optional<link::Packet> pk = port.receive(vc)) {
          ++received_[q];
          digest_ = fnv(digest_, &cycle, sizeof cycle);
          digest_ = fnv(digest_, &q, sizeof q);
          digest_ = fnv(digest_, pk->bytes.data(), pk->bytes.size());
        }
      }
      if (port.error()) failed_ = true;
    }
    if (!done_cycle_ && done()) done_cycle_ = cycle;
  }

  bool done() const override {
    if (failed_) return true;
    for (std::uint32_t q = 0; q < 2; ++q) {
      if (sent_[q] < packets_ || received_[q] < packets_ || ports_[q].outstanding() > 0) return false;
    }
    return true;
  }

  std::string report() const {
    const auto& c0 = ports_[0].counters();
    const auto& c1 = ports_[1].counters();
    return fmt::format("node {} received {}+{} digest {:016x} done at {} crc errors {}+{} replays {}+{}{}", id_,
                       received_[0], received_[1], digest_, done_cycle_.value_or(0), c0.crc_errors, c1.crc_errors,
                       c0.replays, c1.replays, failed_ ? " LINK_ERROR" : "");
  }

 private:
  std::uint32_t id_, packets_;
  std::array<link::Port, 2> ports_;
  std::array<std::uint32_t, 2> sent_{}, received_{};
  std::uint64_t digest_ = 0xCBF29CE484222325ull;
  std::optional<std::uint64_t> done_cycle_;
  bool failed_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  fabric::MpiTransport mpi(&argc, &argv);
  CLI::App app{"fabric_ring: link ports on a ring over the simulation fabric, 1 or more MPI ranks"};
  std::uint32_t nodes = 4, packets = 200, latency = 64, lookahead = 0;
  double ber = 0, drop = 0;
  std::uint64_t seed = 1;
  app.add_option("--nodes", nodes, "nodes on the ring")->check(CLI::Range(2, 64));
  app.add_option("--packets", packets, "packets each node sends to each neighbour");
  app.add_option("--latency", latency, "wire latency in cycles (>= 16)")->check(CLI::Range(16, 256));
  app.add_option("--lookahead", lookahead, "cycles per synchronization window (default: the latency)");
  app.add_option("--ber", ber, "bit-error rate per bit on every wire");
  app.add_option("--drop", drop, "flit drop rate on every wire");
  app.add_option("--seed", seed, "seed of the wires' faults");
  CLI11_PARSE(app, argc, argv);
  if (lookahead == 0) lookahead = latency;

  // Node i's port 1 drives node i+1's port 0, its port 0 drives node i-1's port 1.
  std::vector<fabric::Wire> wires;
  for (std::uint32_t i = 0; i < nodes; ++i) {
    for (std::uint32_t q = 0; q < 2; ++q) {
      fabric::Wire w;
      w.from = {i, q};
      w.to = {q == 1 ? (i + 1) % nodes : (i + nodes - 1) % nodes, 1 - q};
      w.channel.latency = latency;
      w.channel.faults.bit_error_rate = ber;
      w.channel.faults.drop_rate = drop;
      w.channel.seed = seed * 1000 + i * 2 + q;
      wires.push_back(w);
    }
  }
  fabric::Simulation sim(nodes, wires, lookahead, mpi);
  const link::Params params = link::Params::for_latency(latency);
  for (std::uint32_t i = 0; i < nodes; ++i) {
    if (sim.local(i)) sim.set_node(i, std::make_unique<RingNode>(i, packets, params));
  }
  const fabric::Simulation::Result r = sim.run(50'000'000);
  std::string mine;
  for (std::uint32_t i = 0; i < nodes; ++i) {
    if (sim.local(i)) mine += static_cast<RingNode*>(sim.node(i))->report() + "\n";
  }
  const auto all = mpi.gather(std::vector<std::uint8_t>(mine.begin(), mine.end()));
  if (mpi.rank() == 0) {
    for (const auto& part : all) fmt::print("{}", std::string(part.begin(), part.end()));
    fmt::print("cycles {} finished {}\n", r.cycles, r.finished ? "yes" : "no");
  }
  return r.finished ? 0 : 1;
}
