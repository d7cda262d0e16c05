// ProgramBuilder: assembles Systole programs from C++ with symbolic semaphores.
//
//   ProgramBuilder b(Config::standard());
//   auto loaded = b.semaphore("loaded");
//   b.dma(0, onchip(Space::kSbuf, DType::kBf16, 0, K, 0, {{N, 1}}),
//            dram(DType::kBf16, a_addr, {{N, 1}, {K, N}}), b.signal(loaded));
//   b.matmul(out, stat, mov, true, b.after(loaded));
//   b.end();
//   auto words = b.finish();
//
// `after(s)` waits for every signal of `s` issued so far in program order, so kernel writers
// never count by hand.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/validate.hpp"

namespace systole::golden {

// ---- operand helpers --------------------------------------------------------------------------
// dims are given innermost first as {count, stride}; missing dims are {1, 0}.
Tap tap(Space space, DType dtype, std::uint32_t pstart, std::uint32_t pcount, std::uint32_t offset,
        std::initializer_list<Dim> dims);
Cap cap(Space space, DType dtype, std::uint32_t pstart, std::uint32_t offset);
Dap dram(DType dtype, std::uint32_t addr, std::initializer_list<Dim> dims);
// On-chip DAP: `partitions` consecutive partitions from pstart (dim 3), free dims as given.
Dap onchip(Space space, DType dtype, std::uint32_t pstart, std::uint32_t partitions, std::uint32_t offset,
           std::initializer_list<Dim> dims);
// On-chip DAP whose dim `pdim` walks partitions: all four dims innermost first, dims[pdim] is
// {partition count, partition stride}. Used for transposing loads: with pdim 0 consecutive
// elements go to consecutive partitions, so a contiguous DRAM row spreads across partitions.
Dap onchip_pdim(Space space, DType dtype, std::uint32_t pstart, std::uint32_t offset, std::array<Dim, 4> dims,
                std::uint8_t pdim);

// A symbolic semaphore handle from ProgramBuilder::semaphore().
struct Sem {
  std::uint8_t id = 0;
};

// The destination pattern `d` on another chip (docs/links.md section 5); with `rsig`, the
// semaphore of that chip incremented after the last element lands. In an SPMD program every
// chip allocates its semaphores in the same order, so a Sem names the same id on every chip.
Dap remote(Dap d, std::uint32_t chip, std::optional<Sem> rsig = std::nullopt);
// What an instruction waits for and signals.
struct Deps {
  std::optional<Sem> wait;
  std::uint32_t wait_value = 0;
  std::optional<Sem> signal;
  // Combine: `b.after(x).and_signal(y)`.
  Deps and_signal(Sem s) const {
    Deps d = *this;
    d.signal = s;
    return d;
  }
};

class ProgramBuilder {
 public:
  using Sem = golden::Sem;
  using Deps = golden::Deps;

  // `chip`: where the program runs in a multi-chip system (checked by finish()).
  explicit ProgramBuilder(Config cfg, ChipIdentity chip = {});

  // Allocates the next free semaphore id. Throws std::length_error past 32.
  Sem semaphore(const std::string& name);
  const std::string& name_of(Sem s) const { return names_.at(s.id); }
  // Signals of `s` emitted so far.
  std::uint32_t signals(Sem s) const { return signal_count_.at(s.id); }

  Deps signal(Sem s) const { return Deps{std::nullopt, 0, s}; }
  Deps wait(Sem s, std::uint32_t value) const { return Deps{s, value, std::nullopt}; }
  Deps after(Sem s) const { return Deps{s, signals(s), std::nullopt}; }
  // Counts `n` increments of `s` that other chips send to this one (remote DMAs and NOPs), so
  // that a later after(s) waits for them too.
  void expect_remote(Sem s, std::uint32_t n);

  std::uint32_t nop(std::uint8_t engine, Deps d = {});
  std::uint32_t end(Deps d = {});
  std::uint32_t matmul(const Tap& out, const Tap& stationary, const Tap& moving, bool start, Deps d = {});
  std::uint32_t tensor_tensor(AluOp op, const Tap& out, const Tap& in0, const Tap& in1, Deps d = {});
  std::uint32_t tensor_scalar(const TensorScalar& ts, Deps d = {});
  std::uint32_t tensor_reduce(AluOp op, std::uint8_t nred, const Tap& out, const Tap& in, Deps d = {});
  std::uint32_t copy(const Tap& out, const Tap& in, Deps d = {});
  std::uint32_t iota(const Tap& out, std::int32_t base, std::int32_t step, std::int32_t pstep, Deps d = {});
  std::uint32_t select(const Tap& out, const Tap& in, const Tap& mask, Deps d = {});
  std::uint32_t activate(const Activate& a, Deps d = {});
  std::uint32_t table_load(std::uint8_t slot, const Tap& in, Deps d = {});
  std::uint32_t dma(unsigned queue, const Dap& dst, const Dap& src, Deps d = {});
  // Increments `sem` on chip `chip` from DMA queue `queue`, after every earlier write of that
  // queue to that chip.
  std::uint32_t remote_nop(unsigned queue, std::uint32_t chip, Sem sem, Deps d = {});

  // Adds any instruction as given (its sync fields are kept). Returns its index.
  std::uint32_t emit(const Instruction& insn);

  const std::vector<Instruction>& instructions() const { return insns_; }
  std::size_t size() const { return insns_.size(); }

  // Encodes the program. Every instruction is checked against the configuration first
  // (windows: everything allowed, since protection is the host's business); the first failure
  // throws std::invalid_argument naming the instruction index, the code and the reason.
  std::vector<EncodedInstruction> finish() const;

 private:
  std::uint32_t add(std::uint8_t engine, Op op, const Deps& d);

  Config cfg_;
  ChipIdentity chip_;
  std::vector<Instruction> insns_;
  std::vector<std::string> names_;
  std::vector<std::uint32_t> signal_count_;
};

}  // namespace systole::golden
