// The RTL link port's bench (link_bench.hpp).
#include "link_bench.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "Vlink_port.h"
#include "Vlink_port_l32.h"
#include "systole/link/flit.hpp"

namespace systole::link::rtltest {

namespace {

constexpr unsigned kBeats = 16, kBeatBytes = 16;

class CppEnd final : public End {
 public:
  CppEnd(const Params& p, int id) : port_(p, id) {}
  std::optional<WireFlit> cycle(std::uint64_t, const std::optional<WireFlit>& in, UserIo& io) override {
    if (in) port_.deliver(*in);
    std::optional<WireFlit> out = port_.step();
    for (unsigned vc = 0; vc < kVcs; ++vc) {
      auto& o = (*io.offer)[vc];
      if (o && port_.can_send(vc)) {
        port_.send(*o);
        io.accepted.push_back(vc);
      }
    }
    if (!io.stalled) {
      for (unsigned vc = 0; vc < kVcs; ++vc) {
        if (std::optional<Packet> p = port_.receive(vc)) io.popped.push_back(std::move(*p));
      }
    }
    return out;
  }
  void reset() override { port_.reset(); }
  void request_retrain() override { port_.request_retrain(); }
  std::uint64_t session() const override { return port_.session(); }
  bool down() const override { return port_.state() == PortState::kDown; }
  int reason() const override { return port_.error() ? static_cast<int>(port_.error()->reason) : -1; }
  bool up_confirmed() const override { return port_.confirmed(); }
  unsigned credits(unsigned vc) const override { return port_.credits(vc); }
  std::uint64_t crc_errors() const override { return port_.counters().crc_errors; }
  std::uint64_t flits_tx() const override { return port_.counters().flits_tx; }
  std::uint64_t rx_held() const override { return port_.rx_count(0) + port_.rx_count(1); }
  RtlCounters counters() const override {
    ADD_FAILURE() << "RTL counters asked of a C++ end";
    return {};
  }
  std::string describe() const override {
    const Counters& c = port_.counters();
    return fmt::format(
        "C++ {}: flits tx {} rx {} crc {} replays {} timeouts {} retrains {} sessions {}{}", to_string(port_.state()),
        c.flits_tx, c.flits_rx, c.crc_errors, c.replays, c.timeouts, c.retrains, c.sessions,
        port_.error() ? fmt::format(" error: {} ({})", to_string(port_.error()->reason), port_.error()->detail) : "");
  }

 private:
  Port port_;
};

// Format conformance of a flit the RTL sent: CRC, field ranges, unused fields zero.
void check_rtl_flit(const WireFlit& w, std::uint64_t now, unsigned rx_flits) {
  const Unpacked u = unpack(w);
  ASSERT_TRUE(u.crc_ok) << "cycle " << now << ": the RTL sent a flit with a bad CRC";
  const Flit& f = u.flit;
  const std::string what = fmt::format("cycle {}: RTL flit {}", now, describe(f));
  auto payload_zero_from = [&](std::size_t from) {
    for (std::size_t i = from; i < kPayloadBytes; ++i) {
      if (f.payload[i] != 0) {
        ADD_FAILURE() << what << ": payload byte " << i << " is " << int{f.payload[i]} << ", expected 0";
        return;
      }
    }
  };
  switch (f.kind) {
    case FlitKind::kData:
      EXPECT_LE(f.len, kPayloadBytes) << what;
      payload_zero_from(f.len);
      break;
    case FlitKind::kCredit:
      EXPECT_TRUE(f.vc == 0 && f.len == 0 && f.dst == 0) << what;
      payload_zero_from(0);
      break;
    case FlitKind::kIdle:
      EXPECT_TRUE(f.vc == 0 && f.seq == 0 && f.credits[0] == 0 && f.credits[1] == 0 && f.len == 0 && f.dst == 0)
          << what;
      payload_zero_from(0);
      break;
    case FlitKind::kControl:
      EXPECT_TRUE(f.vc == 0 && f.ack == 0 && f.len == 0 && f.dst == 0) << what;
      if (f.payload[0] == static_cast<std::uint8_t>(ControlOp::kNak)) {
        EXPECT_TRUE(!f.ack_valid && f.credits[0] == 0 && f.credits[1] == 0) << what;
        payload_zero_from(1);
      } else {
        EXPECT_EQ(f.payload[0], static_cast<std::uint8_t>(ControlOp::kTrain)) << what;
        EXPECT_LE(f.payload[1], 3) << what;
        EXPECT_EQ(payload_u32(f, kTrainEpochAt) % kEpochMod, f.epoch) << what;
        EXPECT_TRUE(f.credits[0] == rx_flits && f.credits[1] == rx_flits) << what;
        if (!f.ack_valid) {
          EXPECT_EQ(payload_u32(f, kTrainEchoAt), 0u) << what;
        }
        payload_zero_from(10);
      }
      break;
  }
}

template <class M>
class RtlEnd final : public End {
 public:
  RtlEnd(int id, unsigned rx_flits) : id_(id), rx_flits_(rx_flits) {
    is_rtl = true;
    m_.clk_i = 0;
    m_.rst_ni = 1;
    m_.eval();
    m_.rst_ni = 0;  // a falling edge: the asynchronous power-on reset
    m_.eval();
    m_.rst_ni = 1;
    m_.eval();
  }

  std::optional<WireFlit> cycle(std::uint64_t now, const std::optional<WireFlit>& in, UserIo& io) override {
    if (in) {
      pending_.push_back({now + kBeats, !crc_ok(*in)});  // processed the cycle after its last beat
      for (unsigned b = 0; b < kBeats; ++b) {
        Beat beat{b == 0, {}};
        for (unsigned w = 0; w < 4; ++w) {
          for (unsigned k = 0; k < 4; ++k) beat.w[w] |= std::uint32_t{(*in)[b * kBeatBytes + 4 * w + k]} << (8 * k);
        }
        rx_.push_back(beat);
      }
    }
    m_.rx_valid_i = 0;
    m_.rx_sof_i = 0;
    if (!rx_.empty()) {
      const Beat b = rx_.front();
      rx_.pop_front();
      m_.rx_valid_i = 1;
      m_.rx_sof_i = b.sof;
      for (unsigned w = 0; w < 4; ++w) m_.rx_beat_i[w] = b.w[w];
    }
    m_.reset_i = reset_pending_;
    reset_pending_ = false;
    m_.retrain_i = retrain_pending_;
    retrain_pending_ = false;
    // The user: one packet offered per cycle (alternating VCs), one popped.
    int chosen = -1;
    for (unsigned k = 0; k < kVcs && chosen < 0; ++k) {
      const unsigned vc = (send_pref_ + k) % kVcs;
      if ((*io.offer)[vc]) chosen = static_cast<int>(vc);
    }
    m_.in_valid_i = chosen >= 0;
    if (chosen >= 0) {
      const Packet& p = *(*io.offer)[static_cast<unsigned>(chosen)];
      m_.in_vc_i = p.vc;
      m_.in_dst_i = p.dst;
      m_.in_len_i = static_cast<std::uint8_t>(p.bytes.size());
      for (unsigned w = 0; w < kPayloadBytes / 4; ++w) {
        std::uint32_t v = 0;
        for (unsigned k = 0; k < 4; ++k)
          v |= (4 * w + k < p.bytes.size() ? std::uint32_t{p.bytes[4 * w + k]} : 0) << (8 * k);
        m_.in_payload_i[w] = v;
      }
    }
    m_.out_ready_i = 0;
    m_.out_vc_i = pop_pref_;
    m_.eval();
    if (!io.stalled) {
      for (unsigned k = 0; k < kVcs; ++k) {
        const unsigned vc = (pop_pref_ + k) % kVcs;
        if (((m_.out_valid_o >> vc) & 1) == 0) continue;
        m_.out_vc_i = vc;
        m_.eval();
        Packet p;
        p.vc = static_cast<std::uint8_t>(vc);
        p.dst = m_.out_dst_o;
        p.bytes.resize(m_.out_len_o);
        for (std::size_t i = 0; i < p.bytes.size(); ++i)
          p.bytes[i] = static_cast<std::uint8_t>(m_.out_payload_o[i / 4] >> (8 * (i % 4)));
        io.popped.push_back(std::move(p));
        m_.out_ready_i = 1;
        m_.eval();
        pop_pref_ = vc ^ 1;
        break;
      }
    }
    if (chosen >= 0 && ((m_.in_ready_o >> chosen) & 1) != 0) {
      io.accepted.push_back(static_cast<unsigned>(chosen));
      send_pref_ = static_cast<unsigned>(chosen) ^ 1;
    }
    // The TX wire: collect the beats of each flit; a flit cut by a reset arrives padded with zeros.
    std::optional<WireFlit> out;
    if (collecting_ && (!m_.tx_valid_o || m_.tx_sof_o)) {
      out = tx_;
      collecting_ = false;
    }
    if (m_.tx_valid_o) {
      if (m_.tx_sof_o) {
        collecting_ = true;
        nbeats_ = 0;
        tx_.fill(0);
      }
      if (collecting_) {
        for (unsigned w = 0; w < 4; ++w) {
          for (unsigned k = 0; k < 4; ++k)
            tx_[nbeats_ * kBeatBytes + 4 * w + k] = static_cast<std::uint8_t>(m_.tx_beat_o[w] >> (8 * k));
        }
        if (++nbeats_ == kBeats) {
          collecting_ = false;
          check_rtl_flit(tx_, now, rx_flits_);
          out = tx_;
        }
      }
    }
    m_.clk_i = 1;
    m_.eval();
    m_.clk_i = 0;
    m_.eval();
    while (!pending_.empty() && pending_.front().first <= now) pending_.pop_front();
    return out;
  }
  std::uint64_t bad_crc_pending() const override {
    std::uint64_t n = 0;
    for (const auto& p : pending_) n += p.second ? 1 : 0;
    return n;
  }
  void reset() override { reset_pending_ = true; }
  void request_retrain() override { retrain_pending_ = true; }
  std::uint64_t session() const override { return m_.cnt_sessions_o; }
  bool down() const override { return m_.down_o != 0; }
  int reason() const override { return m_.down_o ? m_.reason_o : -1; }
  bool up_confirmed() const override { return m_.confirmed_o != 0; }
  unsigned credits(unsigned vc) const override { return (m_.credits_o >> (8 * vc)) & 0xFF; }
  std::uint64_t crc_errors() const override { return m_.cnt_crc_errors_o; }
  std::uint64_t flits_tx() const override { return m_.cnt_flits_tx_o; }
  std::uint64_t rx_held() const override { return (m_.out_count_o & 0xFF) + (m_.out_count_o >> 8); }
  std::string describe() const override {
    static const char* const kStates[] = {"TRAIN", "UP", "DOWN", "?"};
    return fmt::format(
        "RTL {}: flits tx {} rx {} crc {} replays {} timeouts {} retrains {} downs {} protocol errors {} sessions {} "
        "epoch {}{}",
        kStates[m_.state_o & 3], m_.cnt_flits_tx_o, m_.cnt_flits_rx_o, m_.cnt_crc_errors_o, m_.cnt_replays_o,
        m_.cnt_timeouts_o, m_.cnt_retrains_o, m_.cnt_link_downs_o, m_.cnt_protocol_errors_o, m_.cnt_sessions_o,
        m_.epoch_o,
        m_.down_o ? fmt::format(" error: reason {}", to_string(static_cast<LinkErrorReason>(m_.reason_o))) : "");
  }
  RtlCounters counters() const override {
    return {m_.cnt_flits_tx_o,   m_.cnt_flits_rx_o,
            m_.cnt_bytes_tx_o,   m_.cnt_bytes_rx_o,
            m_.cnt_crc_errors_o, m_.cnt_replays_o,
            m_.cnt_retrains_o,   m_.cnt_timeouts_o,
            m_.cnt_link_downs_o, m_.cnt_protocol_errors_o,
            m_.cnt_sessions_o,   m_.epoch_o,
            m_.down_o != 0,      m_.down_o ? int{m_.reason_o} : -1};
  }

 private:
  struct Beat {
    bool sof;
    std::array<std::uint32_t, 4> w;
  };
  int id_;
  unsigned rx_flits_;
  M m_;
  std::deque<Beat> rx_;
  std::deque<std::pair<std::uint64_t, bool>> pending_;  // flits delivered: {processed in, bad CRC}
  WireFlit tx_{};
  bool collecting_ = false;
  unsigned nbeats_ = 0;
  bool reset_pending_ = false, retrain_pending_ = false;
  unsigned send_pref_ = 0, pop_pref_ = 0;
};

}  // namespace

Params model_params(RtlModel m) { return m == RtlModel::kLatency32 ? Params::for_latency(32) : Params{}; }

std::unique_ptr<End> make_cpp_end(const Params& p, int id) { return std::make_unique<CppEnd>(p, id); }
std::unique_ptr<End> make_rtl_end(int id, RtlModel m) {
  const unsigned rx = model_params(m).rx_flits[0];
  if (m == RtlModel::kLatency32) return std::make_unique<RtlEnd<Vlink_port_l32>>(id, rx);
  return std::make_unique<RtlEnd<Vlink_port>>(id, rx);
}
RtlCounters rtl_counters(End* e) { return e->counters(); }

// ---- the bench ---------------------------------------------------------------------------------

Bench::Bench(std::array<bool, 2> rtl, unsigned latency, std::uint64_t seed, RtlModel model)
    : params_(model_params(model)), rng_(seed) {
  for (unsigned s = 0; s < 2; ++s)
    ends_[s] = rtl[s] ? make_rtl_end(static_cast<int>(s), model) : make_cpp_end(params_, static_cast<int>(s));
  for (unsigned from = 0; from < 2; ++from) {
    ChannelConfig c;
    // An RTL end adds 16 cycles on its RX side (beats after the channel) and 16 on its TX side.
    c.latency = latency - 16 * (unsigned{rtl[from]} + unsigned{rtl[1 - from]});
    c.seed = seed * 2 + from + 1;
    channels_[from] = std::make_unique<Channel>(c);
  }
}

Bench::~Bench() = default;

bool Bench::excused(unsigned from, const Sent& s) const {
  const End& tx = *ends_[from];
  const End& rx = *ends_[1 - from];
  return tx.session() != s.tx_session || rx.session() != s.rx_session || tx.down() || rx.down();
}

void Bench::new_offers(unsigned side) {
  std::uniform_real_distribution<double> u(0, 1);
  if (!offering || u(rng_) >= traffic.offer[side]) return;
  const unsigned vc = u(rng_) < traffic.vc1_share ? 1 : 0;
  if (next_[side][vc]) return;
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

void Bench::check_delivery(unsigned to, const Packet& p) {
  const unsigned from = 1 - to;
  auto& q = flight_[from][p.vc];
  while (!q.empty() && !(q.front().p == p)) {
    if (!excused(from, q.front())) {
      ADD_FAILURE() << fmt::format(
          "cycle {}: end {} delivered a packet of vc {} ({} bytes, dst {}) but the oldest in flight, sent at cycle {} "
          "({} bytes, dst {}), was neither delivered nor excused: lost, reordered or corrupted",
          now_, to, p.vc, p.bytes.size(), p.dst, q.front().cycle, q.front().p.bytes.size(), q.front().p.dst);
      q.clear();
      return;
    }
    ++lost_[from];
    q.pop_front();
  }
  if (q.empty()) {
    ADD_FAILURE() << fmt::format("cycle {}: end {} delivered a packet of vc {} ({} bytes, dst {}) never sent or "
                                 "already delivered",
                                 now_, to, p.vc, p.bytes.size(), p.dst);
    return;
  }
  if (q.front().rx_session != ends_[to]->session())
    ADD_FAILURE() << fmt::format("cycle {}: end {} delivered a packet sent at cycle {}, before its own fresh session",
                                 now_, to, q.front().cycle);
  ++delivered_[from];
  delivered_bytes_[from] += p.bytes.size();
  q.pop_front();
}

void Bench::step() {
  std::array<UserIo, 2> io;
  for (unsigned side = 0; side < 2; ++side) {
    new_offers(side);
    std::optional<WireFlit> in = channels_[1 - side]->pop(now_);
    if (in && !crc_ok(*in)) ++bad_crc_[side];
    io[side].offer = &next_[side];
    if (now_ < stall_until_[side]) {
      io[side].stalled = true;
    } else if (traffic.stall[side] > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < traffic.stall[side]) {
      stall_until_[side] = now_ + 1 + rng_() % traffic.stall_max;
      io[side].stalled = true;
    }
    if (std::optional<WireFlit> out = ends_[side]->cycle(now_, in, io[side])) channels_[side]->push(now_, *out);
  }
  for (unsigned side = 0; side < 2; ++side) {
    for (unsigned vc : io[side].accepted) {
      Sent s{*next_[side][vc], now_, ends_[side]->session(), ends_[1 - side]->session()};
      sent_bytes_[side] += s.p.bytes.size();
      ++sent_[side];
      next_[side][vc].reset();
      flight_[side][vc].push_back(std::move(s));
    }
  }
  for (unsigned side = 0; side < 2; ++side) {
    for (const Packet& p : io[side].popped) check_delivery(side, p);
  }
  // Packets sent before the receiver's last fresh session can never be delivered.
  for (unsigned from = 0; from < 2; ++from) {
    for (auto& q : flight_[from]) {
      while (!q.empty() && q.front().rx_session != ends_[1 - from]->session()) {
        ++lost_[from];
        q.pop_front();
      }
    }
  }
  ++now_;
}

void Bench::run(std::uint64_t cycles) {
  for (std::uint64_t i = 0; i < cycles && !::testing::Test::HasFailure(); ++i) step();
}

bool Bench::run_until_up(std::uint64_t limit) {
  for (std::uint64_t i = 0; i < limit; ++i) {
    if (ends_[0]->up_confirmed() && ends_[1]->up_confirmed()) return true;
    step();
  }
  return ends_[0]->up_confirmed() && ends_[1]->up_confirmed();
}

bool Bench::drain(std::uint64_t max_cycles) {
  offering = false;
  traffic.stall = {0, 0};
  stall_until_ = {0, 0};
  for (auto& n : next_) n = {};
  auto settled = [&] {
    for (unsigned from = 0; from < 2; ++from) {
      for (const auto& q : flight_[from]) {
        for (const Sent& s : q) {
          if (!excused(from, s)) return false;
        }
      }
    }
    return ends_[0]->rx_held() + ends_[1]->rx_held() == 0;
  };
  for (std::uint64_t i = 0; i < max_cycles && !::testing::Test::HasFailure(); ++i) {
    if (settled()) return true;
    step();
  }
  return settled();
}

void Bench::finish() {
  if (std::getenv("SYSTOLE_LINK_VERBOSE") != nullptr) std::printf("%s\n", summary().c_str());
  for (unsigned from = 0; from < 2; ++from) {
    for (auto& q : flight_[from]) {
      for (const Sent& s : q) {
        if (!excused(from, s)) {
          ADD_FAILURE() << fmt::format("end {}'s packet sent at cycle {} ({} bytes) never delivered, unexcused; {}",
                                       from, s.cycle, s.p.bytes.size(), summary());
          break;
        }
        ++lost_[from];
      }
      q.clear();
    }
  }
  for (unsigned to = 0; to < 2; ++to) {
    EXPECT_EQ(ends_[to]->crc_errors() + ends_[to]->bad_crc_pending(), bad_crc_[to])
        << "end " << to << " counted other CRC errors than the flits with a bad CRC delivered to it; " << summary();
    EXPECT_EQ(channels_[1 - to]->counters().undetectable_out, 0u) << "a corrupted flit passed the CRC";
  }
}

void Bench::check_credits_settle(std::uint64_t cycles) {
  offering = false;
  traffic.stall = {0, 0};
  for (auto& c : channels_) c->set_faults(FaultConfig{});
  run(cycles);
  for (unsigned side = 0; side < 2; ++side) {
    ASSERT_TRUE(ends_[side]->up_confirmed()) << "end " << side << " not up after settling; " << summary();
    for (unsigned vc = 0; vc < kVcs; ++vc)
      EXPECT_EQ(ends_[side]->credits(vc), params_.rx_flits[vc])
          << "end " << side << " vc " << vc << ": credits out of sync; " << summary();
  }
}

void Bench::reset(unsigned side) {
  if (!ends_[side]->is_rtl) channels_[side]->truncate(now_);  // the RTL end's cut flit is padded by its collector
  ends_[side]->reset();
}

std::string Bench::summary() const {
  std::string s = fmt::format("cycle {}", now_);
  for (unsigned side = 0; side < 2; ++side) {
    const ChannelCounters& ch = channels_[side]->counters();
    s += fmt::format("\n  end {} sent {} delivered {} lost {} | {} | channel out: flits {} corrupted {} faults:", side,
                     sent_[side], delivered_[side], lost_[side], ends_[side]->describe(), ch.flits_out,
                     ch.corrupted_out);
    for (std::size_t k = 0; k < kFaultKinds; ++k) {
      if (ch.faults[k] != 0) s += fmt::format(" {} {}", to_string(static_cast<FaultKind>(k)), ch.faults[k]);
    }
  }
  return s;
}

}  // namespace systole::link::rtltest
