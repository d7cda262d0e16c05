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
  if (race_) race_->on_access(a);
}

const act::Table* Machine::table(std::uint8_t slot) const {
  return slot < tables_.size() && tables_[slot] ? &*tables_[slot] : nullptr;
}

void Machine::load_table(std::uint8_t slot, act::Table t) { tables_.at(slot) = std::move(t); }

RunResult Machine::run_program(std::span<const EncodedInstruction> program, std::uint32_t prog_base) {
  std::vector<std::uint8_t> bytes(program.size() * kInstructionBytes);
  for (std::size_t i = 0; i < program.size(); ++i) {
    for (std::size_t w = 0; w < kInstructionWords; ++w) {
      const std::uint32_t v = program[i][w];
      for (unsigned b = 0; b < 4; ++b)
        bytes[i * kInstructionBytes + w * 4 + b] = static_cast<std::uint8_t>(v >> (8 * b));
    }
  }
  write_dram(prog_base, bytes);
  return run(prog_base, static_cast<std::uint32_t>(program.size()));
}

namespace {

struct Queued {
  std::uint32_t index;
  Instruction insn;
};

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

RunResult Machine::run(std::uint32_t prog_base, std::uint32_t prog_len) {
  counters_ = {};
  RunResult result;
  std::array<std::deque<Queued>, engine::kCount> queues;
  std::optional<Queued> fetched;      // decoded, waiting for room in its queue
  std::optional<Queued> seq_pending;  // NOP on SEQ or END, waiting for its condition
  std::uint32_t next = 0;
  bool ended = false;

  std::vector<std::uint8_t> engines{engine::kTensor, engine::kVec};
  for (std::uint32_t q = 0; q < cfg_.dma_queues; ++q) engines.push_back(engine::dma(q));

  if (race_) race_->start_run(sems_);

  auto fail = [&](ErrorCode code, std::uint32_t index, std::uint8_t eng, std::string detail) {
    result.code = code;
    result.index = index;
    result.engine = eng;
    result.detail = std::move(detail);
    result.counters = counters_;
    return result;
  };
  auto sem_ok = [&](const Sync& s) { return !s.wait_en || sems_[s.wait_sem] >= s.wait_value; };
  // Increment a semaphore; returns false on overflow.
  auto signal = [&](const Queued& q, std::uint8_t eng) {
    if (!q.insn.sync.signal_en) return true;
    std::uint32_t& s = sems_[q.insn.sync.signal_sem];
    if (s == std::numeric_limits<std::uint32_t>::max()) return false;
    ++s;
    if (race_) race_->on_signal(eng, q.insn.sync.signal_sem);
    return true;
  };
  auto retire = [&](std::uint8_t eng) {
    ++counters_.instructions;
    ++counters_.per_engine[eng];
  };

  for (;;) {
    bool progress = false;

    // ---- sequencer: fetch, decode, check, dispatch in program order -------------------------
    for (;;) {
      if (seq_pending) {
        const Queued& q = *seq_pending;
        if (!sem_ok(q.insn.sync)) break;
        if (q.insn.opcode() == Opcode::kEnd) {
          bool idle = true;
          for (auto e : engines) idle = idle && queues[e].empty();
          if (!idle) break;
          retire(engine::kSeq);
          if (race_) race_->finish();
          result.done = true;
          result.counters = counters_;
          return result;
        }
        if (race_) {
          race_->begin(engine::kSeq, q.index);
          if (q.insn.sync.wait_en) race_->on_wait(engine::kSeq, q.insn.sync.wait_sem, q.insn.sync.wait_value);
          race_->end({});
        }
        if (!signal(q, engine::kSeq)) {
          return fail(ErrorCode::kSemOverflow, q.index, engine::kSeq,
                      fmt::format("semaphore {} would pass 0xFFFFFFFF", q.insn.sync.signal_sem));
        }
        retire(engine::kSeq);
        seq_pending.reset();
        progress = true;
        continue;
      }
      if (ended) break;
      if (!fetched) {
        if (next >= prog_len) {
          return fail(ErrorCode::kProgramBounds, prog_len, engine::kSeq,
                      fmt::format("fetch reached PROG_LEN = {} without END", prog_len));
        }
        const std::uint64_t addr = std::uint64_t{prog_base} + std::uint64_t{next} * kInstructionBytes;
        if (addr + kInstructionBytes > dram_.size()) {
          return fail(
              ErrorCode::kAxiError, next, engine::kSeq,
              fmt::format("instruction fetch at 0x{:x} is beyond the {}-byte DRAM (DECERR)", addr, dram_.size()));
        }
        EncodedInstruction words{};
        for (std::size_t w = 0; w < kInstructionWords; ++w) {
          std::memcpy(&words[w], dram_.data() + addr + 4 * w, 4);  // little-endian host
        }
        counters_.fetch_bytes += kInstructionBytes;
        Decoded d = decode(words);
        if (d.fault) return fail(d.fault.code, next, engine::kSeq, d.fault.detail);
        if (Fault f = validate(*d.insn, cfg_, windows_)) return fail(f.code, next, engine::kSeq, f.detail);
        fetched = Queued{next, std::move(*d.insn)};
      }
      const std::uint8_t e = fetched->insn.engine;
      if (e == engine::kSeq) {
        ended = fetched->insn.opcode() == Opcode::kEnd;
        seq_pending = std::move(fetched);
        fetched.reset();
        ++next;
        progress = true;
        continue;
      }
      if (queues[e].size() >= cfg_.queue_depth) break;  // in-order dispatch waits for room
      queues[e].push_back(std::move(*fetched));
      fetched.reset();
      ++next;
      progress = true;
    }

    // ---- engines: each runs the head of its queue when its wait is satisfied ----------------
    for (const std::uint8_t e : engines) {
      if (queues[e].empty()) continue;
      Queued& q = queues[e].front();
      if (!sem_ok(q.insn.sync)) continue;
      current_engine_ = e;
      current_index_ = q.index;
      if (race_) {
        race_->begin(e, q.index);
        if (q.insn.sync.wait_en) race_->on_wait(e, q.insn.sync.wait_sem, q.insn.sync.wait_value);
      }
      try {
        std::visit(
            [&](const auto& op) {
              using T = std::decay_t<decltype(op)>;
              if constexpr (std::is_same_v<T, Matmul>) {
                exec_matmul(*this, op);
              } else if constexpr (std::is_same_v<T, Dma>) {
                exec_dma(*this, op);
              } else if constexpr (std::is_same_v<T, Nop>) {
                // waits and signals only
              } else {
                exec_vector(*this, q.insn);
              }
            },
            q.insn.op);
      } catch (const ExecFault& f) {
        return fail(f.code, q.index, e, f.detail);
      }
      if (race_) race_->end(in_place_pairs(q.insn));
      if (!signal(q, e)) {
        return fail(ErrorCode::kSemOverflow, q.index, e,
                    fmt::format("semaphore {} would pass 0xFFFFFFFF", q.insn.sync.signal_sem));
      }
      retire(e);
      queues[e].pop_front();
      progress = true;
    }

    if (!progress) {
      // Deadlock: the hardware's watchdog would fire. Report the oldest waiting instruction.
      std::uint32_t lowest = std::numeric_limits<std::uint32_t>::max();
      std::uint8_t eng = engine::kSeq;
      for (const std::uint8_t e : engines) {
        if (!queues[e].empty() && queues[e].front().index < lowest) {
          lowest = queues[e].front().index;
          eng = e;
        }
      }
      for (const auto* q : {&seq_pending, &fetched}) {
        if (*q && (*q)->index < lowest) {
          lowest = (*q)->index;
          eng = engine::kSeq;
        }
      }
      return fail(ErrorCode::kWatchdog, lowest, eng,
                  fmt::format("no engine can make progress: instruction {} waits forever", lowest));
    }
  }
}

}  // namespace systole::golden
