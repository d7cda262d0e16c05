// The link tests' user and scoreboard (link_harness.hpp).
#include "link_harness.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>

namespace systole::link::test {

std::uint64_t base_seed() {
  static const std::uint64_t seed = [] {
    const char* t = std::getenv("SYSTOLE_SEED");
    return (t != nullptr && *t != '\0') ? std::strtoull(t, nullptr, 0) : std::uint64_t{std::random_device{}()};
  }();
  return seed;
}

std::uint64_t test_seed() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return base_seed() ^ std::hash<std::string>{}(std::string(info->test_suite_name()) + "." + info->name());
}

std::string replay_command() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return fmt::format("replay: SYSTOLE_SEED={} {} --gtest_filter='{}.{}'", base_seed(),
                     ec ? std::string("<test binary>") : exe.string(), info->test_suite_name(), info->name());
}

ChannelConfig clean_channel(unsigned latency, std::uint64_t seed) {
  ChannelConfig c;
  c.latency = latency;
  c.seed = seed;
  return c;
}

bool Harness::excused(unsigned from, const Sent& s) const {
  const Port& tx = link_.port(from);
  const Port& rx = link_.port(1 - from);
  return tx.session() != s.tx_session || rx.session() != s.rx_session || tx.state() == PortState::kDown ||
         rx.state() == PortState::kDown;
}

void Harness::offer(unsigned side) {
  Port& port = link_.port(side);
  std::uniform_real_distribution<double> u(0, 1);
  if (offering && u(rng_) < traffic.offer[side]) {
    const unsigned vc = u(rng_) < traffic.vc1_share ? 1 : 0;
    if (!next_[side][vc]) {
      // Mostly full packets, some short ones and some empty ones; an id in the first bytes.
      const double r = u(rng_);
      const std::size_t len = r < 0.6 ? kPayloadBytes : r < 0.98 ? rng_() % (kPayloadBytes + 1) : 0;
      Packet p;
      p.vc = static_cast<std::uint8_t>(vc);
      p.dst = static_cast<std::uint8_t>(id_);
      p.bytes.resize(len);
      for (auto& b : p.bytes) b = static_cast<std::uint8_t>(rng_());
      for (std::size_t i = 0; i < 4 && i < len; ++i) p.bytes[i] = static_cast<std::uint8_t>(id_ >> (8 * i));
      ++id_;
      next_[side][vc] = std::move(p);
    }
  }
  for (unsigned vc = 0; vc < kVcs; ++vc) {
    if (!next_[side][vc] || !port.can_send(vc)) continue;
    Sent s{*next_[side][vc], link_.cycle(), port.session(), link_.port(1 - side).session()};
    sent_bytes_[side] += s.p.bytes.size();
    ++sent_[side];
    port.send(std::move(*next_[side][vc]));
    next_[side][vc].reset();
    flight_[side][vc].push_back(std::move(s));
  }
}

void Harness::check_delivery(unsigned to, const Packet& p) {
  const unsigned from = 1 - to;
  auto& q = flight_[from][p.vc];
  while (!q.empty() && !(q.front().p == p)) {
    if (!excused(from, q.front())) {
      ADD_FAILURE() << fmt::format(
          "cycle {}: port {} delivered a packet of vc {} ({} bytes, dst {}) but the oldest in flight, sent at cycle {} "
          "({} bytes, dst {}), was neither delivered nor excused by a reset: lost, reordered or corrupted",
          link_.cycle(), to, p.vc, p.bytes.size(), p.dst, q.front().cycle, q.front().p.bytes.size(), q.front().p.dst);
      q.clear();
      return;
    }
    ++lost_[from];
    q.pop_front();
  }
  if (q.empty()) {
    ADD_FAILURE() << fmt::format("cycle {}: port {} delivered a packet of vc {} ({} bytes, dst {}) never sent or "
                                 "already delivered (a duplicate or a corruption)",
                                 link_.cycle(), to, p.vc, p.bytes.size(), p.dst);
    return;
  }
  if (q.front().rx_session != link_.port(to).session())
    ADD_FAILURE() << fmt::format("cycle {}: port {} delivered a packet sent at cycle {}, before its own fresh session "
                                 "(data from before a reset delivered after it)",
                                 link_.cycle(), to, q.front().cycle);
  ++delivered_[from];
  delivered_bytes_[from] += p.bytes.size();
  q.pop_front();
}

void Harness::consume(unsigned side) {
  Port& port = link_.port(side);
  const std::uint64_t now = link_.cycle();
  if (now < stall_until_[side]) return;
  if (traffic.stall[side] > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < traffic.stall[side]) {
    stall_until_[side] = now + 1 + rng_() % traffic.stall_max;
    return;
  }
  for (unsigned vc = 0; vc < kVcs; ++vc) {
    if (std::optional<Packet> p = port.receive(vc)) check_delivery(side, *p);
  }
}

// Packets sent before the receiver's last fresh session can never be delivered: count them lost
// (excused) now, so that they cannot be mistaken for a later packet with the same contents.
void Harness::purge(unsigned from) {
  const std::uint64_t rx_session = link_.port(1 - from).session();
  for (auto& q : flight_[from]) {
    while (!q.empty() && q.front().rx_session != rx_session) {
      ++lost_[from];
      q.pop_front();
    }
  }
}

void Harness::step() {
  link_.step();
  purge(0);
  purge(1);
  for (unsigned side = 0; side < 2; ++side) {
    offer(side);
    consume(side);
    const Port& p = link_.port(side);
    if (p.outstanding() > p.params().replay_flits)
      ADD_FAILURE() << fmt::format("port {}: {} flits outstanding, ReplayFlits {}", side, p.outstanding(),
                                   p.params().replay_flits);
    for (unsigned vc = 0; vc < kVcs; ++vc) {
      if (p.rx_count(vc) > p.params().rx_flits[vc])
        ADD_FAILURE() << fmt::format("port {} vc {}: {} packets in an RX buffer of {}", side, vc, p.rx_count(vc),
                                     p.params().rx_flits[vc]);
      if (p.credits(vc) > link_.port(1 - side).params().rx_flits[vc])
        ADD_FAILURE() << fmt::format("port {} vc {}: {} credits for a peer buffer of {}", side, vc, p.credits(vc),
                                     link_.port(1 - side).params().rx_flits[vc]);
    }
  }
}

void Harness::run(std::uint64_t cycles) {
  for (std::uint64_t i = 0; i < cycles && !::testing::Test::HasFatalFailure(); ++i) step();
}

std::uint64_t Harness::in_flight() const {
  std::uint64_t n = 0;
  for (const auto& side : flight_)
    for (const auto& q : side) n += q.size();
  return n;
}

bool Harness::drain(std::uint64_t max_cycles) {
  offering = false;
  auto settled = [&] {
    for (unsigned from = 0; from < 2; ++from) {
      for (const auto& q : flight_[from]) {
        for (const Sent& s : q) {
          if (!excused(from, s)) return false;
        }
      }
    }
    // Nothing unexcused in flight; the ports' queued packets wait for the user.
    return link_.port(0).rx_count(0) + link_.port(0).rx_count(1) + link_.port(1).rx_count(0) +
               link_.port(1).rx_count(1) ==
           0;
  };
  traffic.stall = {0, 0};
  stall_until_ = {0, 0};
  return run_until(*this, max_cycles, settled);
}

void Harness::finish() {
  if (std::getenv("SYSTOLE_LINK_VERBOSE") != nullptr) std::printf("%s\n", summary().c_str());
  for (unsigned from = 0; from < 2; ++from) {
    for (auto& q : flight_[from]) {
      for (const Sent& s : q) {
        if (!excused(from, s)) {
          ADD_FAILURE() << fmt::format("port {}'s packet sent at cycle {} ({} bytes) never delivered, with no reset "
                                       "or link down to excuse it; {}",
                                       from, s.cycle, s.p.bytes.size(), summary());
          break;
        }
        ++lost_[from];
      }
      q.clear();
    }
  }
  check_crc_accounting();
}

void Harness::check_crc_accounting() const {
  for (unsigned from = 0; from < 2; ++from) {
    const ChannelCounters& c = link_.channel(from).counters();
    EXPECT_EQ(link_.port(1 - from).counters().crc_errors, c.detectable_out)
        << "port " << 1 - from << " counted other CRC errors than the corrupted flits its channel delivered";
    EXPECT_EQ(c.undetectable_out, 0u) << "a corrupted flit passed the CRC";
  }
}

void Harness::check_credits_settle(std::uint64_t cycles) {
  offering = false;
  traffic.stall = {0, 0};
  for (unsigned side = 0; side < 2; ++side) link_.channel(side).set_faults(FaultConfig{});
  run(cycles);
  for (unsigned side = 0; side < 2; ++side) {
    const Port& p = link_.port(side);
    ASSERT_EQ(p.state(), PortState::kUp) << summary();
    for (unsigned vc = 0; vc < kVcs; ++vc) {
      EXPECT_EQ(p.credits(vc), link_.port(1 - side).params().rx_flits[vc])
          << "port " << side << " vc " << vc << ": credits out of sync after settling; " << summary();
    }
  }
}

std::string Harness::summary() const {
  std::string s = fmt::format("cycle {}", link_.cycle());
  for (unsigned side = 0; side < 2; ++side) {
    const Port& p = link_.port(side);
    const Counters& c = p.counters();
    const ChannelCounters& ch = link_.channel(side).counters();
    s += fmt::format(
        "\n  port {} {}: sent {} delivered {} lost {} | flits tx {} rx {} crc {} replays {} timeouts {} retrains {} "
        "joins {} naks {} dup {} ooo {} epoch drops {} stale {} sessions {} | channel out: corrupted {} forged {} "
        "faults:",
        side, to_string(p.state()), sent_[side], delivered_[side], lost_[side], c.flits_tx, c.flits_rx, c.crc_errors,
        c.replays, c.timeouts, c.retrains, c.retrain_joins, c.naks_sent, c.duplicates, c.out_of_order, c.epoch_drops,
        c.stale_control, c.sessions, ch.corrupted_out, ch.forged_out);
    for (std::size_t k = 0; k < kFaultKinds; ++k) {
      if (ch.faults[k] != 0) s += fmt::format(" {} {}", to_string(static_cast<FaultKind>(k)), ch.faults[k]);
    }
    if (p.error())
      s += fmt::format("\n  port {} error: {} ({})", side, to_string(p.error()->reason), p.error()->detail);
  }
  return s;
}

}  // namespace systole::link::test
