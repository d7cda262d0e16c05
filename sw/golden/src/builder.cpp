#include "systole/golden/builder.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace systole::golden {

namespace {
template <std::size_t N>
std::array<Dim, N> fill_dims(std::initializer_list<Dim> dims, const char* what) {
  if (dims.size() > N) throw std::invalid_argument(fmt::format("{}: at most {} dims, got {}", what, N, dims.size()));
  std::array<Dim, N> out;
  out.fill(Dim{1, 0});
  std::size_t i = 0;
  for (const Dim& d : dims) out[i++] = d;
  return out;
}
}  // namespace

Tap tap(Space space, DType dtype, std::uint32_t pstart, std::uint32_t pcount, std::uint32_t offset,
        std::initializer_list<Dim> dims) {
  Tap t;
  t.space = space;
  t.dtype = dtype;
  t.pstart = pstart;
  t.pcount = pcount;
  t.offset = offset;
  t.dims = fill_dims<3>(dims, "tap");
  return t;
}

Cap cap(Space space, DType dtype, std::uint32_t pstart, std::uint32_t offset) {
  return Cap{space, dtype, pstart, offset};
}

Dap dram(DType dtype, std::uint32_t addr, std::initializer_list<Dim> dims) {
  Dap d;
  d.space = Space::kDram;
  d.dtype = dtype;
  d.addr = addr;
  d.dims = fill_dims<4>(dims, "dram");
  return d;
}

Dap onchip(Space space, DType dtype, std::uint32_t pstart, std::uint32_t partitions, std::uint32_t offset,
           std::initializer_list<Dim> dims) {
  Dap d;
  d.space = space;
  d.dtype = dtype;
  d.pstart = pstart;
  d.addr = offset;
  const auto free = fill_dims<3>(dims, "onchip");
  d.dims = {free[0], free[1], free[2], Dim{partitions, 1}};
  return d;
}

Dap onchip_pdim(Space space, DType dtype, std::uint32_t pstart, std::uint32_t offset, std::array<Dim, 4> dims,
                std::uint8_t pdim) {
  if (pdim > 3) throw std::invalid_argument(fmt::format("onchip_pdim: pdim {} outside 0..3", pdim));
  Dap d;
  d.space = space;
  d.dtype = dtype;
  d.pstart = pstart;
  d.addr = offset;
  d.dims = dims;
  d.pdim = pdim;
  return d;
}

Dap remote(Dap d, std::uint32_t chip, std::optional<Sem> rsig) {
  if (chip > 127) throw std::invalid_argument(fmt::format("remote: chip id {} outside 0..127", chip));
  d.remote = true;
  d.chip = static_cast<std::uint8_t>(chip);
  d.rsig_en = rsig.has_value();
  d.rsig_sem = rsig ? rsig->id : 0;
  return d;
}

ProgramBuilder::ProgramBuilder(Config cfg, ChipIdentity chip) : cfg_(std::move(cfg)), chip_(chip) {}

void ProgramBuilder::expect_remote(Sem s, std::uint32_t n) { signal_count_.at(s.id) += n; }

ProgramBuilder::Sem ProgramBuilder::semaphore(const std::string& name) {
  if (names_.size() >= Config::kNumSemaphores) {
    throw std::length_error(fmt::format("semaphore '{}': all {} semaphores are in use", name, Config::kNumSemaphores));
  }
  names_.push_back(name);
  signal_count_.push_back(0);
  return Sem{static_cast<std::uint8_t>(names_.size() - 1)};
}

std::uint32_t ProgramBuilder::add(std::uint8_t eng, Op op, const Deps& d) {
  Instruction insn;
  insn.engine = eng;
  insn.op = std::move(op);
  if (d.wait) {
    insn.sync.wait_en = true;
    insn.sync.wait_sem = d.wait->id;
    insn.sync.wait_value = d.wait_value;
  }
  if (d.signal) {
    insn.sync.signal_en = true;
    insn.sync.signal_sem = d.signal->id;
  }
  return emit(insn);
}

std::uint32_t ProgramBuilder::emit(const Instruction& insn) {
  if (insn.sync.signal_en) {
    if (insn.sync.signal_sem >= signal_count_.size()) {
      throw std::invalid_argument(fmt::format("instruction {} signals semaphore {} which was never allocated",
                                              insns_.size(), insn.sync.signal_sem));
    }
    ++signal_count_[insn.sync.signal_sem];
  }
  insns_.push_back(insn);
  return static_cast<std::uint32_t>(insns_.size() - 1);
}

std::uint32_t ProgramBuilder::nop(std::uint8_t eng, Deps d) { return add(eng, Nop{}, d); }
std::uint32_t ProgramBuilder::end(Deps d) {
  if (d.signal) throw std::invalid_argument("END cannot signal a semaphore");
  return add(engine::kSeq, End{}, d);
}
std::uint32_t ProgramBuilder::matmul(const Tap& out, const Tap& stationary, const Tap& moving, bool start, Deps d) {
  return add(engine::kTensor, Matmul{out, stationary, moving, start}, d);
}
std::uint32_t ProgramBuilder::tensor_tensor(AluOp op, const Tap& out, const Tap& in0, const Tap& in1, Deps d) {
  return add(engine::kVec, TensorTensor{op, out, in0, in1}, d);
}
std::uint32_t ProgramBuilder::tensor_scalar(const TensorScalar& ts, Deps d) { return add(engine::kVec, ts, d); }
std::uint32_t ProgramBuilder::tensor_reduce(AluOp op, std::uint8_t nred, const Tap& out, const Tap& in, Deps d) {
  return add(engine::kVec, TensorReduce{op, nred, out, in}, d);
}
std::uint32_t ProgramBuilder::copy(const Tap& out, const Tap& in, Deps d) {
  return add(engine::kVec, Copy{out, in}, d);
}
std::uint32_t ProgramBuilder::iota(const Tap& out, std::int32_t base, std::int32_t step, std::int32_t pstep, Deps d) {
  return add(engine::kVec, Iota{out, base, step, pstep}, d);
}
std::uint32_t ProgramBuilder::select(const Tap& out, const Tap& in, const Tap& mask, Deps d) {
  return add(engine::kVec, Select{out, in, mask}, d);
}
std::uint32_t ProgramBuilder::activate(const Activate& a, Deps d) { return add(engine::kVec, a, d); }
std::uint32_t ProgramBuilder::table_load(std::uint8_t slot, const Tap& in, Deps d) {
  return add(engine::kVec, TableLoad{slot, in}, d);
}
std::uint32_t ProgramBuilder::dma(unsigned queue, const Dap& dst, const Dap& src, Deps d) {
  if (queue >= cfg_.dma_queues) {
    throw std::invalid_argument(
        fmt::format("DMA queue {} does not exist in '{}' (queues 0..{})", queue, cfg_.name, cfg_.dma_queues - 1));
  }
  return add(engine::dma(queue), Dma{dst, src}, d);
}

std::uint32_t ProgramBuilder::remote_nop(unsigned queue, std::uint32_t chip, Sem sem, Deps d) {
  if (queue >= cfg_.dma_queues) {
    throw std::invalid_argument(
        fmt::format("DMA queue {} does not exist in '{}' (queues 0..{})", queue, cfg_.name, cfg_.dma_queues - 1));
  }
  if (chip > 127) throw std::invalid_argument(fmt::format("remote_nop: chip id {} outside 0..127", chip));
  return add(engine::dma(queue), Nop{true, static_cast<std::uint8_t>(chip), sem.id}, d);
}

std::vector<EncodedInstruction> ProgramBuilder::finish() const {
  Windows all{};
  all[0] = Window{0, 0xFFFFFFFFu, true, true, true};
  std::vector<EncodedInstruction> out;
  out.reserve(insns_.size());
  for (std::size_t i = 0; i < insns_.size(); ++i) {
    EncodedInstruction w;
    try {
      w = encode(insns_[i]);
    } catch (const EncodeError& e) {
      throw std::invalid_argument(fmt::format("instruction {} ({}): {}", i, opcode_name(insns_[i].opcode()), e.what()));
    }
    const Decoded d = decode(w);
    Fault f = d.fault ? d.fault : validate(*d.insn, cfg_, all, chip_);
    if (f) {
      throw std::invalid_argument(
          fmt::format("instruction {} ({}): {}: {}", i, opcode_name(insns_[i].opcode()), error_name(f.code), f.detail));
    }
    out.push_back(w);
  }
  return out;
}

}  // namespace systole::golden
