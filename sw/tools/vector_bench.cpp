// systole-vector-bench: the vector engine's throughput per op on the Verilated chip (make bench,
// docs/performance.md). Each op is one vector instruction of N elements per lane over all P
// lanes, alone in its program; its rate is N / BUSY_VECTOR (the cycles the engine held the
// instruction, from the chip's counter), in elements per lane per cycle, against the engine's
// target of 1 (docs/vector_engine.md section 4). A second table runs sequences of short
// instructions back to back and gives the cycles each costs beyond one per element (section 5a:
// independent ones overlap). --min-rate makes the run fail when an op is below its bound or an
// independent sequence above its overhead bound; the test vector_bench_<cfg> runs it that way.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "systole/driver/activations.hpp"
#include "systole/driver/backend_registry.hpp"
#include "systole/driver/device.hpp"
#include "systole/golden/builder.hpp"
#include "systole/sim/rtl_device.hpp"

namespace {

using namespace systole;
using golden::DType;
using golden::Space;
using golden::Tap;

struct Op {
  std::string name, what;
  std::uint32_t sb, ps;  // bytes each element moves through SBUF port B and the PSUM port (reads + writes)
  std::function<void(golden::ProgramBuilder&)> emit;
  std::uint32_t elements;  // per lane (TABLE_LOAD: words)
};

// The rate the memory ports allow: one row of RB bytes per partition and cycle per memory.
double port_limit(const Op& op, std::uint32_t rb) {
  const std::uint32_t most = std::max(op.sb, op.ps);
  return most <= rb ? 1.0 : static_cast<double>(rb) / most;
}
// The bound an op is held to: 0.93 of the port limit. The streams read their rows ahead (row
// prefetch, docs/vector_engine.md section 4), so a stream losing the port to another stream of
// the same memory costs nothing while the port has room; what remains is the instruction's fixed
// cost (at most 25 cycles, ACTIVATE with acc, against at least 512 elements: 0.953). Without the
// prefetch, two input streams of one memory reach 0.886 on default and a memory over half busy
// about 0.85 on fpga: below the bound.
double bound(const Op& op, std::uint32_t rb) { return 0.93 * port_limit(op, rb); }

Tap t(Space sp, DType dt, std::uint32_t P, std::uint32_t off, std::uint32_t n) {
  return golden::tap(sp, dt, 0, P, off, {{n, 1}});
}

golden::Scalar imm(std::uint32_t bits) { return golden::Scalar{false, bits, {}}; }
golden::Scalar col(std::uint32_t off) {
  return golden::Scalar{true, 0, golden::cap(Space::kSbuf, DType::kFp32, 0, off)};
}

// Per lane of SBUF: operand A at 0, operand B at 4n, the output at 8n (4n bytes each at most),
// the table's words at 12n, the CAPs in the partition's last 64 bytes.
struct Layout {
  std::uint32_t bo, o, tw, cap;
};
Layout layout(const golden::Config& cfg, std::uint32_t n) { return {4 * n, 8 * n, 12 * n, cfg.sbuf_bytes - 64}; }

golden::Activate act(golden::ActFunc f, std::uint8_t slot, std::uint32_t P, std::uint32_t n, const Layout& l) {
  const std::uint32_t o = l.o, cap = l.cap;
  golden::Activate a;
  a.func = f;
  a.table = slot;
  a.scale = imm(0x3F800000u);
  a.bias = imm(0x80000000u);
  a.acc = golden::AccOp::kAdd;
  a.acc_out = golden::cap(Space::kSbuf, DType::kFp32, 0, cap);
  a.out = t(Space::kSbuf, DType::kBf16, P, o, n);
  a.in = t(Space::kPsum, DType::kFp32, P, 0, n);
  return a;
}

std::vector<Op> ops(const golden::Config& cfg, std::uint32_t n, std::uint32_t table_words) {
  const std::uint32_t P = cfg.partitions;
  const Layout l = layout(cfg, n);
  const std::uint32_t bo = l.bo, o = l.o, tw = l.tw, cap = l.cap;
  std::vector<Op> v;
  auto add = [&](std::string name, std::string what, std::uint32_t sb, std::uint32_t ps,
                 std::function<void(golden::ProgramBuilder&)> f, std::uint32_t el = 0) {
    v.push_back({std::move(name), std::move(what), sb, ps, std::move(f), el ? el : n});
  };
  add("copy", "COPY SBUF fp32 -> SBUF bf16", 6, 0,
      [=](auto& b) { b.copy(t(Space::kSbuf, DType::kBf16, P, o, n), t(Space::kSbuf, DType::kFp32, P, 0, n)); });
  add("evacuate", "COPY PSUM fp32 -> SBUF bf16 (matmul result evacuation)", 2, 4,
      [=](auto& b) { b.copy(t(Space::kSbuf, DType::kBf16, P, o, n), t(Space::kPsum, DType::kFp32, P, 0, n)); });
  add("tensor_tensor", "TENSOR_TENSOR ADD PSUM fp32 + SBUF fp32 -> SBUF fp32", 8, 4, [=](auto& b) {
    b.tensor_tensor(golden::AluOp::kAdd, t(Space::kSbuf, DType::kFp32, P, o, n), t(Space::kPsum, DType::kFp32, P, 0, n),
                    t(Space::kSbuf, DType::kFp32, P, 0, n));
  });
  add("tensor_tensor_1mem", "TENSOR_TENSOR MUL SBUF fp32 * SBUF fp32 -> SBUF bf16 (both inputs in one memory)", 10, 0,
      [=](auto& b) {
        b.tensor_tensor(golden::AluOp::kMul, t(Space::kSbuf, DType::kBf16, P, o, n),
                        t(Space::kSbuf, DType::kFp32, P, 0, n), t(Space::kSbuf, DType::kFp32, P, bo, n));
      });
  add("tensor_scalar", "TENSOR_SCALAR MUL CAP, ADD CAP PSUM fp32 -> SBUF bf16", 2, 4, [=](auto& b) {
    golden::TensorScalar ts;
    ts.op0 = golden::AluOp::kMul;
    ts.op1 = golden::AluOp::kAdd;
    ts.s0 = col(cap);
    ts.s1 = col(cap + 4);
    ts.out = t(Space::kSbuf, DType::kBf16, P, o, n);
    ts.in = t(Space::kPsum, DType::kFp32, P, 0, n);
    b.tensor_scalar(ts);
  });
  add("tensor_reduce", "TENSOR_REDUCE ADD PSUM fp32 -> one fp32 per lane", 0, 4, [=](auto& b) {
    b.tensor_reduce(golden::AluOp::kAdd, 1, t(Space::kSbuf, DType::kFp32, P, cap, 1),
                    t(Space::kPsum, DType::kFp32, P, 0, n));
  });
  add("iota", "IOTA int32 -> SBUF", 4, 0, [=](auto& b) { b.iota(t(Space::kSbuf, DType::kInt32, P, o, n), 0, 1, 16); });
  add("select", "SELECT PSUM fp32 by SBUF int8 mask -> SBUF fp32", 5, 4, [=](auto& b) {
    b.select(t(Space::kSbuf, DType::kFp32, P, o, n), t(Space::kPsum, DType::kFp32, P, 0, n),
             t(Space::kSbuf, DType::kInt8, P, bo, n));
  });
  for (auto [name, f] : {std::pair{"exp", golden::ActFunc::kExp}, std::pair{"recip", golden::ActFunc::kRecip},
                         std::pair{"rsqrt", golden::ActFunc::kRsqrt}, std::pair{"sqrt", golden::ActFunc::kSqrt},
                         std::pair{"log", golden::ActFunc::kLog}}) {
    add(fmt::format("activate_{}", name), fmt::format("ACTIVATE {} PSUM fp32 -> SBUF bf16, acc add", name), 2, 4,
        [=](auto& b) { b.activate(act(f, 0, P, n, l)); });
  }
  add(
      "table_load", "TABLE_LOAD gelu_tanh (words per cycle)", 4, 0,
      [=](auto& b) {
        b.table_load(1, golden::tap(Space::kSbuf, DType::kFp32, 0, 1, tw, {{table_words, 1}}));
      },
      table_words);
  add("activate_table", "ACTIVATE TABLE (gelu_tanh) PSUM fp32 -> SBUF bf16, acc add", 2, 4,
      [=](auto& b) { b.activate(act(golden::ActFunc::kTable, 1, P, n, l)); });
  return v;
}

// Back to back: K instructions of m elements per lane, one program. Independent ones read the
// same PSUM bytes and write their own SBUF region (taken ahead, docs/vector_engine.md section
// 5a); dependent ones each read the region the previous one wrote (a read after write: each
// waits for the last one's writes).
// An independent sequence is held to its overhead bound, cycles per instruction beyond one per
// element: about one per instruction (plus about 1.5 per CAP read) and the pipeline's latency
// (at most 21 cycles) once over 16; a dependent one has none (bound 0).
struct Seq {
  std::string name, what;
  double bound;
  std::function<void(golden::ProgramBuilder&, std::uint32_t i)> emit;
};
inline constexpr std::uint32_t kSeqInsns = 16, kSeqElems = 64;

std::vector<Seq> seqs(const golden::Config& cfg) {
  const std::uint32_t P = cfg.partitions, m = kSeqElems;
  // ACTIVATE f with scale 1 and bias -0 (the identity ops), no acc.
  auto plain = [=](golden::ActFunc f, Tap out, Tap in) {
    golden::Activate a;
    a.func = f;
    a.scale = imm(0x3F800000u);
    a.bias = imm(0x80000000u);
    a.out = out;
    a.in = in;
    return a;
  };
  return {
      {"evacuate", "COPY PSUM fp32 -> SBUF bf16", 3.0,
       [=](auto& b, std::uint32_t i) {
         b.copy(t(Space::kSbuf, DType::kBf16, P, 2 * m * i, m), t(Space::kPsum, DType::kFp32, P, 0, m));
       }},
      {"activate_exp", "ACTIVATE EXP PSUM fp32 -> SBUF bf16", 3.0,
       [=](auto& b, std::uint32_t i) {
         b.activate(plain(golden::ActFunc::kExp, t(Space::kSbuf, DType::kBf16, P, 2 * m * i, m),
                          t(Space::kPsum, DType::kFp32, P, 0, m)));
       }},
      {"tensor_scalar_imm", "TENSOR_SCALAR MUL imm, ADD imm PSUM fp32 -> SBUF fp32", 3.0,
       [=](auto& b, std::uint32_t i) {
         golden::TensorScalar ts;
         ts.op0 = golden::AluOp::kMul;
         ts.op1 = golden::AluOp::kAdd;
         ts.s0 = imm(0x40000000u);
         ts.s1 = imm(0x3F800000u);
         ts.out = t(Space::kSbuf, DType::kFp32, P, 4 * m * i, m);
         ts.in = t(Space::kPsum, DType::kFp32, P, 0, m);
         b.tensor_scalar(ts);
       }},
      {"tensor_scalar_caps", "TENSOR_SCALAR MUL CAP, ADD CAP PSUM fp32 -> SBUF fp32", 6.0,
       [=](auto& b, std::uint32_t i) {
         golden::TensorScalar ts;
         ts.op0 = golden::AluOp::kMul;
         ts.op1 = golden::AluOp::kAdd;
         ts.s0 = col(cfg.sbuf_bytes - 64);
         ts.s1 = col(cfg.sbuf_bytes - 60);
         ts.out = t(Space::kSbuf, DType::kFp32, P, 4 * m * i, m);
         ts.in = t(Space::kPsum, DType::kFp32, P, 0, m);
         b.tensor_scalar(ts);
       }},
      {"activate_chain", "ACTIVATE IDENTITY SBUF fp32 -> SBUF fp32, each reading the last one's output", 0.0,
       [=](auto& b, std::uint32_t i) {
         b.activate(plain(golden::ActFunc::kIdentity, t(Space::kSbuf, DType::kFp32, P, 4 * m * (i + 1), m),
                          t(Space::kSbuf, DType::kFp32, P, 4 * m * i, m)));
       }},
  };
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"systole-vector-bench: the vector engine's elements per lane per cycle on the Verilated chip"};
  std::string config = "default";
  std::uint32_t n = 2048;
  bool min_rate = false;
  app.add_option("--config", config, "fpga or default")->check(CLI::IsMember({"fpga", "default"}));
  app.add_option("-n,--elements", n, "elements per lane")->check(CLI::Range(1u, 2048u));
  app.add_flag("--min-rate", min_rate, "exit 1 when an op is below its bound");
  CLI11_PARSE(app, argc, argv);

  sim::register_rtl_backend();
  auto dev = driver::make_device("rtl", config, driver::device_options(4u << 20, false));
  const golden::Config& cfg = dev->config();
  const std::uint32_t most = std::min(cfg.psum_bytes / 4, (cfg.sbuf_bytes - 64 - 1200) / 12);
  if (n > most) {
    n = most;
    fmt::print("(n reduced to {} elements per lane: the operands must fit PSUM and SBUF)\n", n);
  }
  const std::uint32_t tw = layout(cfg, n).tw;
  // The table's words in SBUF (partition 0, tw): TABLE_LOAD reads them; its rate is its own row.
  const std::vector<std::uint32_t> words = driver::activation("gelu_tanh").table->to_words();
  const std::uint32_t dram = dev->alloc(4096);
  dev->upload(dram, std::span<const std::uint32_t>(words));
  {
    golden::ProgramBuilder b(cfg);
    const auto w = static_cast<std::uint32_t>(words.size());
    b.dma(0, golden::onchip(Space::kSbuf, DType::kFp32, 0, 1, tw, {{w, 1}}),
          golden::dram(DType::kFp32, dram, {{w, 1}}));
    b.end();
    dev->run(b);
  }
  fmt::print("Vector engine throughput on '{}' ({} lanes, {} elements per lane; one instruction per program;\n"
             "rate = elements / BUSY_VECTOR cycles, target 1 element per lane per cycle)\n\n",
             config, cfg.partitions, n);
  const std::uint32_t rb = std::max<std::uint32_t>(cfg.axi_data_bits / 8, 8);  // the memories' row (docs/dma.md)
  fmt::print("| op | instruction | elements/lane | BUSY_VECTOR cycles | program cycles | elements/lane/cycle | port "
             "limit | bound |\n");
  fmt::print("|---|---|---:|---:|---:|---:|---:|---:|\n");
  bool ok = true;
  for (const Op& op : ops(cfg, n, static_cast<std::uint32_t>(words.size()))) {
    golden::ProgramBuilder b(cfg);
    op.emit(b);
    b.end();
    const driver::RunResult r = dev->run(b);
    const std::uint64_t busy = r.counters.busy_vec.value_or(0);
    const double rate = busy ? static_cast<double>(op.elements) / static_cast<double>(busy) : 0.0;
    const double lo = bound(op, rb);
    const bool pass = rate >= lo;
    ok = ok && pass;
    fmt::print("| {} | {} | {} | {} | {} | {:.3f} | {:.3f} | {:.2f}{} |\n", op.name, op.what, op.elements, busy,
               r.counters.cycles.value_or(0), rate, port_limit(op, rb), lo, pass ? "" : " BELOW");
  }
  fmt::print("\nBack to back: {} instructions of {} elements per lane in one program; overhead = (BUSY_VECTOR - "
             "elements) / instructions\n\n",
             kSeqInsns, kSeqElems);
  fmt::print("| sequence | instruction | BUSY_VECTOR cycles | overhead per instruction | bound |\n");
  fmt::print("|---|---|---:|---:|---:|\n");
  for (const Seq& sq : seqs(cfg)) {
    golden::ProgramBuilder b(cfg);
    for (std::uint32_t i = 0; i < kSeqInsns; ++i) sq.emit(b, i);
    b.end();
    const driver::RunResult r = dev->run(b);
    const std::uint64_t busy = r.counters.busy_vec.value_or(0);
    const double over = (static_cast<double>(busy) - kSeqInsns * kSeqElems) / kSeqInsns;
    const bool pass = sq.bound == 0.0 || (busy > 0 && over <= sq.bound);
    ok = ok && pass;
    fmt::print("| {} x{} | {} | {} | {:.2f} | {}{} |\n", sq.name, kSeqInsns, sq.what, busy, over,
               sq.bound == 0.0 ? std::string("-") : fmt::format("{:.1f}", sq.bound), pass ? "" : " ABOVE");
  }
  if (min_rate && !ok) {
    fmt::print("\nvector bench: an op is below its bound, or a sequence above its overhead bound\n");
    return 1;
  }
  return 0;
}
