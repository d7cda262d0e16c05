// AxiMemory: an AXI4 slave memory for the chip's AXI4 master port (docs/chip.md sections 4, 6, 7),
// with configurable latency, bandwidth, back-pressure, reordering, error injection, a protocol
// checker and statistics. Pure C++: it reads and writes the port through an AxiPort.
//
// Per cycle, with SimController (valid/ready transfer when both are high at the rising edge):
//
//   AxiMemory mem(SYSTOLE_AXI_PORT(*sim, m_axi_, 512), cfg);  // drives its outputs low
//   mem.write(addr, bytes);                                    // preload (host side, any time)
//   sim.reset();  mem.reset();                                 // mem.cycle() == sim.cycle() == 0
//   while (...) {
//     mem.drive();     // 1. slave outputs for this cycle: AWREADY/WREADY/ARREADY, R and B channels
//     ...              //    the bench sets its other inputs
//     sim.eval();      // 2. the master settles (its RREADY may depend on RVALID, etc.)
//     mem.sample();    // 3. after the LAST eval() before the edge: handshakes, checks, state update
//     sim.tick();      // 4. rising edge: the RTL sees exactly the handshakes mem.sample() saw
//   }
//
// drive() depends only on the memory's own state and its random draws, never on the master's
// outputs of the same cycle, so there is no combinational path through the model (it behaves
// like a slave with registered outputs). Nothing may change the port between sample() and tick().
// Call drive() and sample() exactly once each per clock cycle, also in cycles where nothing
// happens (latency, bandwidth and timeouts count calls); reset() after a reset of the RTL.
//
// Behaviour (AXI4, only what the chip uses):
// - INCR bursts of full-width beats (AxSIZE = log2(bus bytes)); the chip sends partial beats
//   with WSTRB, never narrow transfers, so a narrow AxSIZE is a protocol violation. The start
//   address may be unaligned (first beat: lanes below the offset carry nothing).
// - Read data is taken from memory when a beat is first presented. Write beats are stored as
//   they arrive, in W order (= AW order), so overlapping writes land in AW order.
// - W beats may arrive before their AW (AXI allows it): up to `w_before_aw` are buffered.
// - Responses: same ID strictly in order (R bursts of one ID never interleave); different IDs in
//   any order when `reorder`, R beats of different IDs interleaved when `interleave_reads`.
// - Errors: a burst beyond [base, base+size) answers DECERR, one overlapping an error range its
//   response, else SLVERR with probability p_random_error. Every R beat of an erroring read
//   carries the error (and data 0xDEADBEEF words); an erroring write stores no byte.
// - Faults: AxiMemoryConfig::fault commits one deliberate protocol violation of the slave (wrong
//   RLAST, an R or B with a foreign ID, B before the last W beat), for tests of the RTL checkers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "systole/sim/axi_port.hpp"

namespace systole::sim {

enum class AxiResp : std::uint8_t { kOkay = 0, kExOkay = 1, kSlvErr = 2, kDecErr = 3 };
const char* to_string(AxiResp r);

// A protocol rule the checker enforces on the master (see AxiMemory::sample()).
enum class AxiRule : std::uint8_t {
  kBurst4k,          // AR/AW burst crosses a 4 KiB boundary
  kBurstType,        // AxBURST is not INCR
  kBurstSize,        // AxSIZE is not the full bus width
  kBurstLen,         // AxLEN > 255 (only possible if the RTL port is wider than 8 bits)
  kWLast,            // WLAST not on the last beat of its burst (early or missing)
  kWStrobe,          // WSTRB enables a lane below the start address of an unaligned burst
  kValidDropped,     // AR/AW/W valid deasserted before ready
  kPayloadChanged,   // AR/AW/W payload changed while valid && !ready
  kResponseTimeout,  // R beat or B response waited more than response_timeout cycles for RREADY/BREADY
};
const char* to_string(AxiRule r);

struct AxiViolation {
  std::uint64_t cycle = 0;  // AxiMemory::cycle() when detected
  AxiRule rule{};
  std::string message;  // full text: cycle, rule, channel, transaction fields
};

class AxiProtocolError : public std::runtime_error {
 public:
  explicit AxiProtocolError(AxiViolation v) : std::runtime_error(v.message), violation_(std::move(v)) {}
  const AxiViolation& violation() const { return violation_; }

 private:
  AxiViolation violation_;
};

struct AxiErrorRange {
  std::uint64_t begin = 0, end = 0;  // [begin, end): a burst overlapping it answers `resp`
  AxiResp resp = AxiResp::kSlvErr;
};

enum class AxiViolationPolicy : std::uint8_t { kThrow, kRecord };

// A deliberate protocol violation of the slave (axi_memory_faults.cpp), for tests that prove the
// chip's AXI checkers (rtl/axi/axi_checker.sv) fire. Committed once, at its first opportunity at
// or after cycle `from_cycle`; AxiMemory::fault_injected() tells whether that came.
enum class AxiFaultKind : std::uint8_t {
  kNone,
  kRLastEarly,     // RLAST on the second-to-last beat of a burst of ID `id` with 2 or more beats
  kRLastMissing,   // no RLAST on the last beat of a burst of ID `id` (the burst still ends there)
  kRIdUnexpected,  // an R beat carries ID `id` instead of its own (pick one with no read outstanding)
  kBIdUnexpected,  // a B response carries ID `id` instead of its own (pick one with no write outstanding)
  kBEarly,         // B for the oldest burst still waiting for W beats, when its ID has no other B due
};
const char* to_string(AxiFaultKind k);

struct AxiFault {
  AxiFaultKind kind = AxiFaultKind::kNone;
  std::uint64_t from_cycle = 0;  // earliest AxiMemory::cycle() to commit it
  std::uint32_t id = 0;          // the ID the kind names (unused by kBEarly)
};

// Everything is runtime and may be changed between cycles through AxiMemory::config()
// (except base, size, init_byte and seed).
struct AxiMemoryConfig {
  std::uint64_t base = 0;            // first address (multiple of 4 KiB)
  std::uint64_t size = 64ull << 20;  // bytes; pages of 4 KiB are allocated on first write
  std::uint8_t init_byte = 0;        // value of never-written bytes
  std::uint64_t seed = 1;            // std::mt19937_64 for every random choice

  // Latency in cycles: AR handshake in cycle c -> first R beat presented at the earliest in cycle
  // c + read_latency + U{0..read_jitter}; last W beat (or its AW, if later) in cycle c -> B at
  // the earliest in c + write_latency + U{0..write_jitter}. Minimum 1 (registered outputs).
  unsigned read_latency = 8, read_jitter = 0;
  unsigned write_latency = 4, write_jitter = 0;

  // Bandwidth shared by R and W beats, in bytes per cycle (a beat is the full bus width); 0 = one
  // R and one W beat per cycle. Token bucket refilled every cycle, less than one beat of
  // carry-over; when only one of R and W fits, the one refused last time goes first.
  double bytes_per_cycle = 0;

  // Random back-pressure: probability that a ready is low in a cycle, that a new R beat / B
  // response is not presented in a cycle although one is available (a presented one stays).
  double p_awready_low = 0, p_wready_low = 0, p_arready_low = 0;
  double p_rvalid_gap = 0, p_bvalid_gap = 0;

  unsigned max_reads = 32;    // outstanding read bursts (ARREADY low when reached)
  unsigned max_writes = 32;   // outstanding write bursts, AW accepted and B not yet taken
  unsigned w_before_aw = 16;  // W beats accepted before their AW (0: WREADY waits for an AW)

  bool reorder = true;            // responses of different IDs in any order (else AR/AW order)
  bool interleave_reads = false;  // R beats of different IDs interleaved at beat granularity

  std::vector<AxiErrorRange> error_ranges;  // first match wins; out of [base, base+size) is DECERR
  double p_random_error = 0;                // SLVERR on a burst with this probability

  AxiFault fault{};  // none by default

  AxiViolationPolicy on_violation = AxiViolationPolicy::kThrow;
  std::uint64_t response_timeout = 0;  // ResponseTimeout after this many cycles of RVALID && !RREADY
                                       // (or BVALID && !BREADY); 0 = never
};

struct AxiIdStats {
  std::uint64_t reads = 0, writes = 0;              // bursts accepted
  std::uint64_t read_beats = 0, write_beats = 0;    // data beats transferred
  std::uint64_t read_errors = 0, write_errors = 0;  // bursts answered with SLVERR/DECERR
};

struct AxiStats {
  std::uint64_t cycles = 0;                         // sample() calls
  std::uint64_t read_bursts = 0, write_bursts = 0;  // AR / AW handshakes
  std::uint64_t read_beats = 0, write_beats = 0;    // R / W handshakes
  std::uint64_t read_bytes = 0;                     // R beats x bus bytes
  std::uint64_t written_bytes = 0;                  // strobed bytes stored (erroring writes store none)
  std::uint64_t read_errors = 0, write_errors = 0;  // bursts answered with an error
  std::uint64_t max_outstanding_reads = 0, max_outstanding_writes = 0;
  std::uint64_t r_stall_cycles = 0, b_stall_cycles = 0;  // RVALID && !RREADY, BVALID && !BREADY
  std::uint64_t reordered_reads = 0;                     // read bursts started while an older one (other ID) waited
  std::map<std::uint32_t, AxiIdStats> per_id;
};

class AxiMemory {
 public:
  // Validates the port and the configuration (std::invalid_argument).
  AxiMemory(const AxiPort& port, AxiMemoryConfig cfg);
  AxiMemory(const AxiMemory&) = delete;
  AxiMemory& operator=(const AxiMemory&) = delete;

  // ---- per cycle (see the header comment for the order) ----
  void drive();   // before eval(): sets every slave output for this cycle
  void sample();  // after the last eval(), before tick(): handshakes, checks, state; ++cycle()
  // Drops every transaction in flight, drives all slave outputs low and restarts cycle() at 0.
  // Memory contents, statistics and recorded violations are kept. For a reset in mid-run, call
  // it before sim.reset() (valids low during reset) and after (cycle() aligned with sim.cycle()).
  void reset();
  bool idle() const;  // nothing accepted and unanswered, no W beat buffered, nothing presented

  // ---- host access (absolute addresses; std::out_of_range outside [base, base+size)) ----
  void write(std::uint64_t addr, std::span<const std::uint8_t> bytes);
  void read(std::uint64_t addr, std::span<std::uint8_t> out) const;
  std::vector<std::uint8_t> read(std::uint64_t addr, std::size_t n) const;
  void fill(std::uint64_t addr, std::uint64_t n, std::uint8_t value);
  template <class T>
  requires std::is_trivially_copyable_v<T>
  void store(std::uint64_t addr, const T& v) {
    write(addr, std::span(reinterpret_cast<const std::uint8_t*>(&v), sizeof(T)));
  }
  template <class T>
  requires std::is_trivially_copyable_v<T> T load(std::uint64_t addr)
  const {
    T v;
    read(addr, std::span(reinterpret_cast<std::uint8_t*>(&v), sizeof(T)));
    return v;
  }

  // ---- status ----
  std::uint64_t cycle() const { return cycle_; }
  const AxiStats& stats() const { return stats_; }
  void clear_stats() { stats_ = {}; }
  const std::vector<AxiViolation>& violations() const { return violations_; }
  AxiMemoryConfig& config() { return cfg_; }
  const AxiMemoryConfig& config() const { return cfg_; }
  const AxiPort& port() const { return port_; }
  std::uint64_t outstanding_reads() const { return outstanding_reads_; }
  std::uint64_t outstanding_writes() const { return aw_wait_.size() + writes_done_; }
  bool fault_injected() const { return fault_done_; }  // the configured AxiFault was committed

 private:
  static constexpr std::size_t kMaxBeat = 64;
  using Lanes = std::array<std::uint8_t, kMaxBeat>;
  struct Burst {            // one accepted AR or AW
    std::uint64_t seq = 0;  // acceptance order (shared by reads and writes)
    std::uint32_t id = 0;
    std::uint64_t addr = 0;
    unsigned len = 0;         // AxLEN (beats - 1)
    unsigned beat = 0;        // next beat
    std::uint64_t ready = 0;  // first cycle its response may be presented
    AxiResp resp = AxiResp::kOkay;
  };
  struct WBeat {
    Lanes data{};
    std::uint64_t strb = 0;
    bool last = false;
  };
  struct AddrSnap {  // AR/AW payload, for the stability check
    bool pending = false;
    std::uint64_t id = 0, addr = 0, len = 0, size = 0, burst = 0;
    bool operator==(const AddrSnap&) const = default;
  };
  struct WSnap {
    bool pending = false;
    WBeat beat;
  };
  // The response being presented. id/last are the model's bookkeeping; bus_id/bus_last what is
  // driven, which an AxiFault may make differ.
  struct RCur {  // the R beat being presented
    std::uint64_t seq = 0;
    std::uint32_t id = 0, bus_id = 0;
    Lanes data{};
    AxiResp resp = AxiResp::kOkay;
    bool last = false, bus_last = false;
  };
  struct BCur {
    std::uint64_t seq = 0;
    std::uint32_t id = 0, bus_id = 0;
    AxiResp resp = AxiResp::kOkay;
    bool early = false;  // AxiFaultKind::kBEarly: answers no completed burst, pops nothing
  };

  bool chance(double p);
  unsigned jitter(unsigned max);
  AxiResp classify(std::uint64_t begin, std::uint64_t end);
  void violation(AxiRule rule, const std::string& detail);
  bool check_burst(const char* ch, const AddrSnap& a);
  void check_stable(const char* ch, AddrSnap& prev, const AddrSnap& now, bool ready);
  AddrSnap read_ar() const;
  AddrSnap read_aw() const;
  void accept_ar(const AddrSnap& a);
  void accept_aw(const AddrSnap& a);
  void accept_w(const WBeat& w);
  void apply_w(Burst& t, const WBeat& w);
  Burst* pick_read();  // the burst whose beat would be presented next, if any
  void present_read(Burst* t);
  bool start_b();
  void write_outputs();
  std::uint64_t burst_end(const Burst& t) const;  // one past the last byte of the burst
  const std::uint8_t* page_for_read(std::uint64_t addr) const;
  std::uint8_t* page_for_write(std::uint64_t addr);
  void check_host_range(std::uint64_t addr, std::uint64_t n) const;
  // Fault injection (axi_memory_faults.cpp); fault_armed(k): fault k may be committed now.
  bool fault_armed(AxiFaultKind k) const;
  void fault_on_r(const Burst& t, RCur& r);  // may change a beat being presented
  void fault_on_b(BCur& b);                  // may change a B being presented
  bool fault_early_b();                      // may present a B before the burst's last W beat

  AxiPort port_;
  AxiMemoryConfig cfg_;
  unsigned beat_bytes_;
  std::mt19937_64 rng_;
  std::vector<std::unique_ptr<std::uint8_t[]>> pages_;

  std::uint64_t cycle_ = 0;
  std::uint64_t seq_ = 0;
  double credit_ = 0;  // bandwidth token bucket (bytes)

  // Reads: per-ID FIFOs of accepted bursts (front = the only one of that ID that may send data).
  std::map<std::uint32_t, std::deque<Burst>> reads_;
  std::uint64_t outstanding_reads_ = 0;
  std::optional<RCur> r_cur_;
  std::uint64_t r_wait_ = 0;
  // Writes: AWs waiting for data (AW order), W beats that came before their AW, per-ID FIFOs of
  // bursts with all data, waiting for B.
  std::deque<Burst> aw_wait_;
  std::deque<WBeat> w_early_;
  std::map<std::uint32_t, std::deque<Burst>> writes_;
  std::uint64_t writes_done_ = 0;  // bursts in writes_
  std::optional<BCur> b_cur_;
  std::uint64_t b_wait_ = 0;
  bool fault_done_ = false;

  // Slave outputs decided in drive().
  bool ar_ready_ = false, aw_ready_ = false, w_ready_ = false;
  bool w_bw_refused_ = false;    // WREADY low this cycle for bandwidth only
  bool r_bw_refused_ = false;    // an R beat was due this cycle but had no bandwidth
  bool w_first_ = false;         // W before R in the bandwidth arbitration
  std::vector<Burst*> cand_;     // scratch for response selection
  bool pick_reordered_ = false;  // pick_read() chose a burst while an older one (other ID) waited
  // Previous cycle's master payloads (valid && !ready) for the stability checks.
  AddrSnap ar_prev_, aw_prev_;
  WSnap w_prev_;

  AxiStats stats_;
  std::vector<AxiViolation> violations_;
};

}  // namespace systole::sim
