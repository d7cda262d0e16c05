// The golden model's sequencer and scheduler (docs/isa.md section 1 "Execution").
//
// Instructions execute atomically, one engine at a time, in a fixed round-robin order. That is
// one of the legal interleavings of the concurrent hardware; for a race-free program (which the
// race checker verifies) every legal interleaving gives the same memory contents.
#include "systole/golden/machine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <stdexcept>

#include "systole/golden/disasm.hpp"
#include "systole/golden/race_checker.hpp"

namespace systole::golden {

Machine::Machine(Config cfg, std::uint64_t dram_bytes)
    : cfg_(std::move(cfg)),
      dram_(dram_bytes),
      sbuf_(std::size_t{cfg_.partitions} * cfg_.sbuf_bytes),
      psum_(std::size_t{cfg_.partitions} * cfg_.psum_bytes) {}

Machine::~Machine() = default;

void Machine::write_dram(std::uint64_t addr, std::span<const std::uint8_t> bytes) {
  if (addr + bytes.size() > dram_.size()) {
    throw std::out_of_range(fmt::format("write_dram: bytes 0x{:x}..0x{:x} beyond the {}-byte DRAM", addr,
                                        addr + bytes.size(), dram_.size()));
  }
  std::memcpy(dram_.data() + addr, bytes.data(), bytes.size());
}

void Machine::read_dram(std::uint64_t addr, std::span<std::uint8_t> out) const {
  if (addr + out.size() > dram_.size()) {
    throw std::out_of_range(
        fmt::format("read_dram: bytes 0x{:x}..0x{:x} beyond the {}-byte DRAM", addr, addr + out.size(), dram_.size()));
  }
  std::memcpy(out.data(), dram_.data() + addr, out.size());
}

std::span<std::uint8_t> Machine::sbuf_partition(std::uint32_t p) {
  if (p >= cfg_.partitions) throw std::out_of_range(fmt::format("SBUF partition {} >= P = {}", p, cfg_.partitions));
  return {sbuf_.data() + std::size_t{p} * cfg_.sbuf_bytes, cfg_.sbuf_bytes};
}

std::span<std::uint8_t> Machine::psum_partition(std::uint32_t p) {
  if (p >= cfg_.partitions) throw std::out_of_range(fmt::format("PSUM partition {} >= P = {}", p, cfg_.partitions));
  return {psum_.data() + std::size_t{p} * cfg_.psum_bytes, cfg_.psum_bytes};
}

void Machine::soft_reset() {
  sems_.fill(0);
  for (auto& t : tables_) t.reset();
}

std::uint8_t* Machine::locate(Space s, std::uint32_t partition, std::uint64_t byte, std::uint32_t size) {
  switch (s) {
    case Space::kDram:
      if (byte + size > dram_.size()) {
        throw ExecFault{ErrorCode::kAxiError,
                        fmt::format("DRAM access at 0x{:x} is beyond the {}-byte memory (DECERR)", byte, dram_.size())};
      }
      return dram_.data() + byte;
    case Space::kSbuf:
    case Space::kPsum: {
      const std::uint32_t bytes = s == Space::kSbuf ? cfg_.sbuf_bytes : cfg_.psum_bytes;
      if (partition >= cfg_.partitions || byte + size > bytes) {
        // Validation guarantees this never happens; reaching it is a golden-model bug.
        throw std::logic_error(
            fmt::format("internal: unchecked {} access p={} byte={}", space_name(s), partition, byte));
      }
      auto& mem = s == Space::kSbuf ? sbuf_ : psum_;
      return mem.data() + std::size_t{partition} * bytes + byte;
    }
    case Space::kNone: break;
  }
  throw std::logic_error("internal: access to space none");
}

void Machine::record(const Access& a) {
  if (!race_) return;
  Access here = a;
  here.chip = chip_.id;
  race_->on_access(here);
}

const act::Table* Machine::table(std::uint8_t slot) const {
  return slot < tables_.size() && tables_[slot] ? &*tables_[slot] : nullptr;
}

void Machine::load_table(std::uint8_t slot, act::Table t) { tables_.at(slot) = std::move(t); }

std::vector<std::uint8_t> program_bytes(std::span<const EncodedInstruction> program) {
  std::vector<std::uint8_t> bytes(program.size() * kInstructionBytes);
  for (std::size_t i = 0; i < program.size(); ++i) {
    for (std::size_t w = 0; w < kInstructionWords; ++w) {
      const std::uint32_t v = program[i][w];
      for (unsigned b = 0; b < 4; ++b)
        bytes[i * kInstructionBytes + w * 4 + b] = static_cast<std::uint8_t>(v >> (8 * b));
    }
  }
  return bytes;
}

RunResult Machine::run_program(std::span<const EncodedInstruction> program, std::uint32_t prog_base) {
  write_dram(prog_base, program_bytes(program));
  return run(prog_base, static_cast<std::uint32_t>(program.size()));
}

namespace {

// Operand pairs (written, read) that may legally be identical (in place), per instruction.
std::vector<std::pair<std::uint8_t, std::uint8_t>> in_place_pairs(const Instruction& insn) {
  std::vector<std::pair<std::uint8_t, std::uint8_t>> pairs;
  auto same = [](const Tap& a, const Tap& b) {
    return a.space == b.space && a.dtype == b.dtype && a.pstart == b.pstart && a.pcount == b.pcount &&
           a.offset == b.offset && a.dims == b.dims;
  };
  std::visit(
      [&](const auto& op) {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, TensorTensor>) {
          if (same(op.out, op.in0)) pairs.emplace_back(0, 1);
          if (same(op.out, op.in1)) pairs.emplace_back(0, 2);
        } else if constexpr (std::is_same_v<T, TensorScalar> || std::is_same_v<T, Copy> ||
                             std::is_same_v<T, Activate> || std::is_same_v<T, TensorReduce>) {
          // A reduction whose out is identical to its in reduces groups of one element: each
          // element is read before it is written, like a COPY.
          if (same(op.out, op.in)) pairs.emplace_back(0, 1);
        } else if constexpr (std::is_same_v<T, Select>) {
          if (same(op.out, op.in)) pairs.emplace_back(0, 1);
          if (same(op.out, op.mask)) pairs.emplace_back(0, 2);
        } else if constexpr (std::is_same_v<T, Dma>) {
          if (op.dst == op.src) pairs.emplace_back(0, 1);
        }
      },
      insn.op);
  return pairs;
}

}  // namespace

void Machine::join_system(ChipIdentity id, std::vector<Machine*> peers) {
  if (id.count == 0 || id.id >= id.count || peers.size() != id.count || peers[id.id] != this) {
    throw std::invalid_argument(fmt::format("join_system: chip {} of {} with {} peers (peers[id] must be this chip)",
                                            id.id, id.count, peers.size()));
  }
  chip_ = id;
  peers_ = std::move(peers);
}

Machine& Machine::peer(std::uint32_t chip) {
  if (chip >= peers_.size() || chip == chip_.id) {
    // Validation checked the chip id against the system; reaching this is a golden-model bug.
    throw std::logic_error(fmt::format("internal: chip {} has no peer {}", chip_.id, chip));
  }
  return *peers_[chip];
}

void Machine::remote_signal(std::uint32_t from_chip, std::uint8_t engine, std::uint8_t sem) {
  ++counters_.remote_signals_rx;
  if (state_ == State::kError) return;
  std::uint32_t& s = sems_.at(sem);
  if (s == std::numeric_limits<std::uint32_t>::max()) {
    fail(ErrorCode::kSemOverflow, kRemoteErrorIndex, engine::kSeq,
         fmt::format("a remote increment from chip {} ({}) would take semaphore {} past 0xFFFFFFFF", from_chip,
                     engine_name(engine), sem));
    return;
  }
  ++s;
  if (race_) race_->on_signal(from_chip, engine, chip_.id, sem);
}

bool Machine::accept_remote_dram(std::uint32_t from_chip, std::uint64_t lo, std::uint64_t hi) {
  bool allowed = false;
  for (const Window& w : windows_) allowed = allowed || (w.enable && w.write && lo >= w.base && hi <= w.limit);
  if (allowed && hi < dram_.size()) return true;
  if (state_ != State::kError) {
    if (!allowed) {
      fail(ErrorCode::kProtection, kRemoteErrorIndex, engine::kSeq,
           fmt::format("a remote write from chip {} to DRAM bytes 0x{:x}..0x{:x} is not inside an enabled window "
                       "with write permission on chip {}: dropped",
                       from_chip, lo, hi, chip_.id));
    } else {
      fail(ErrorCode::kAxiError, kRemoteErrorIndex, engine::kSeq,
           fmt::format("a remote write from chip {} to DRAM bytes 0x{:x}..0x{:x} is beyond chip {}'s {}-byte memory "
                       "(DECERR): dropped",
                       from_chip, lo, hi, chip_.id, dram_.size()));
    }
  }
  return false;
}

void Machine::fail(ErrorCode code, std::uint32_t index, std::uint8_t eng, std::string detail) {
  result_.code = code;
  result_.index = index;
  result_.engine = eng;
  result_.detail = std::move(detail);
  result_.counters = counters_;
  state_ = State::kError;
}

// Increment a semaphore; returns false on overflow.
bool Machine::signal(const Queued& q, std::uint8_t eng) {
  if (!q.insn.sync.signal_en) return true;
  std::uint32_t& s = sems_[q.insn.sync.signal_sem];
  if (s == std::numeric_limits<std::uint32_t>::max()) return false;
  ++s;
  if (race_) race_->on_signal(chip_.id, eng, chip_.id, q.insn.sync.signal_sem);
  return true;
}

void Machine::retire(std::uint8_t eng) {
  ++counters_.instructions;
  ++counters_.per_engine[eng];
}

RunResult Machine::run(std::uint32_t prog_base, std::uint32_t prog_len) {
  if (race_) race_->reset();
  start(prog_base, prog_len);
  while (state_ == State::kRunning) {
    if (!step()) watchdog();
  }
  if (state_ == State::kDone && race_) race_->finish();
  return result_;
}

void Machine::start(std::uint32_t prog_base, std::uint32_t prog_len) {
  counters_ = {};
  result_ = {};
  prog_base_ = prog_base;
  prog_len_ = prog_len;
  for (auto& q : queues_) q.clear();
  fetched_.reset();
  seq_pending_.reset();
  next_ = 0;
  ended_ = false;
  engines_ = {engine::kTensor, engine::kVec};
  for (std::uint32_t q = 0; q < cfg_.dma_queues; ++q) engines_.push_back(engine::dma(q));
  state_ = State::kRunning;
  if (race_) race_->start_run(chip_.id, sems_);
}

bool Machine::step() {
  if (state_ != State::kRunning) return false;
  const bool seq = step_sequencer();
  if (state_ != State::kRunning) return true;
  const bool eng = step_engines();
  return seq || eng;
}

// Fetch, decode, check, dispatch in program order, as far as it goes this round.
bool Machine::step_sequencer() {
  bool progress = false;
  for (;;) {
    if (seq_pending_) {
      const Queued& q = *seq_pending_;
      const Sync& s = q.insn.sync;
      if (s.wait_en && sems_[s.wait_sem] < s.wait_value) break;
      if (q.insn.opcode() == Opcode::kEnd) {
        for (auto e : engines_) {
          if (!queues_[e].empty()) return progress;
        }
        retire(engine::kSeq);
        result_.done = true;
        result_.counters = counters_;
        state_ = State::kDone;
        return true;
      }
      if (race_) {
        race_->begin(chip_.id, engine::kSeq, q.index);
        if (s.wait_en) race_->on_wait(s.wait_sem, s.wait_value);
        race_->end({});
      }
      if (!signal(q, engine::kSeq)) {
        fail(ErrorCode::kSemOverflow, q.index, engine::kSeq,
             fmt::format("semaphore {} would pass 0xFFFFFFFF", s.signal_sem));
        return true;
      }
      retire(engine::kSeq);
      seq_pending_.reset();
      progress = true;
      continue;
    }
    if (ended_) break;
    if (!fetched_) {
      if (next_ >= prog_len_) {
        fail(ErrorCode::kProgramBounds, prog_len_, engine::kSeq,
             fmt::format("fetch reached PROG_LEN = {} without END", prog_len_));
        return true;
      }
      const std::uint64_t addr = std::uint64_t{prog_base_} + std::uint64_t{next_} * kInstructionBytes;
      if (addr + kInstructionBytes > dram_.size()) {
        fail(ErrorCode::kAxiError, next_, engine::kSeq,
             fmt::format("instruction fetch at 0x{:x} is beyond the {}-byte DRAM (DECERR)", addr, dram_.size()));
        return true;
      }
      EncodedInstruction words{};
      for (std::size_t w = 0; w < kInstructionWords; ++w) {
        std::memcpy(&words[w], dram_.data() + addr + 4 * w, 4);  // little-endian host
      }
      counters_.fetch_bytes += kInstructionBytes;
      Decoded d = decode(words);
      if (d.fault) {
        fail(d.fault.code, next_, engine::kSeq, d.fault.detail);
        return true;
      }
      if (Fault f = validate(*d.insn, cfg_, windows_, chip_)) {
        fail(f.code, next_, engine::kSeq, f.detail);
        return true;
      }
      fetched_ = Queued{next_, std::move(*d.insn)};
    }
    const std::uint8_t e = fetched_->insn.engine;
    if (e == engine::kSeq) {
      ended_ = fetched_->insn.opcode() == Opcode::kEnd;
      seq_pending_ = std::move(fetched_);
      fetched_.reset();
      ++next_;
      progress = true;
      continue;
    }
    if (queues_[e].size() >= cfg_.queue_depth) break;  // in-order dispatch waits for room
    queues_[e].push_back(std::move(*fetched_));
    fetched_.reset();
    ++next_;
    progress = true;
  }
  return progress;
}

void Machine::execute(const Queued& q, std::uint8_t e) {
  std::visit(
      [&](const auto& op) {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, Matmul>) {
          exec_matmul(*this, op);
        } else if constexpr (std::is_same_v<T, Dma>) {
          exec_dma(*this, op);
        } else if constexpr (std::is_same_v<T, Nop>) {
          // Waits and signals only; a remote NOP increments a semaphore of another chip, after
          // every earlier write of its queue there (they have all landed: ideal links).
          if (op.remote) {
            ++counters_.remote_signals_tx;
            peer(op.chip).remote_signal(chip_.id, e, op.sem);
          }
        } else {
          exec_vector(*this, q.insn);
        }
      },
      q.insn.op);
}

// Each engine runs the head of its queue when its wait is satisfied.
bool Machine::step_engines() {
  bool progress = false;
  for (const std::uint8_t e : engines_) {
    if (queues_[e].empty()) continue;
    Queued& q = queues_[e].front();
    const Sync& s = q.insn.sync;
    if (s.wait_en && sems_[s.wait_sem] < s.wait_value) continue;
    current_engine_ = e;
    current_index_ = q.index;
    if (race_) {
      race_->begin(chip_.id, e, q.index);
      if (s.wait_en) race_->on_wait(s.wait_sem, s.wait_value);
    }
    try {
      execute(q, e);
    } catch (const ExecFault& f) {
      fail(f.code, q.index, e, f.detail);
      return true;
    }
    if (race_) race_->end(in_place_pairs(q.insn));
    if (!signal(q, e)) {
      fail(ErrorCode::kSemOverflow, q.index, e, fmt::format("semaphore {} would pass 0xFFFFFFFF", s.signal_sem));
      return true;
    }
    retire(e);
    queues_[e].pop_front();
    progress = true;
  }
  return progress;
}

void Machine::watchdog() {
  if (state_ != State::kRunning) return;
  // Deadlock: the hardware's watchdog would fire. Report the oldest waiting instruction.
  std::uint32_t lowest = std::numeric_limits<std::uint32_t>::max();
  std::uint8_t eng = engine::kSeq;
  for (const std::uint8_t e : engines_) {
    if (!queues_[e].empty() && queues_[e].front().index < lowest) {
      lowest = queues_[e].front().index;
      eng = e;
    }
  }
  for (const auto* q : {&seq_pending_, &fetched_}) {
    if (*q && (*q)->index < lowest) {
      lowest = (*q)->index;
      eng = engine::kSeq;
    }
  }
  fail(ErrorCode::kWatchdog, lowest, eng,
       fmt::format("no engine can make progress: instruction {} waits forever", lowest));
}

}  // namespace systole::golden
