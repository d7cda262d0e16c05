// The vector engine's element arithmetic (rtl/vector/vec_pkg.sv, through vec_elem_tb.sv) against
// the golden model: the read conversion of every dtype into fp32 / int32, the write conversion
// back, and the ALU of TENSOR_TENSOR / TENSOR_SCALAR, on random operands weighted to the corners
// of docs/numerics.md and on every bf16, fp8 and int8 pattern. The reference is the golden
// executor's own element functions (systole/golden/element.hpp).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <fmt/format.h>

#include SYSTOLE_MODEL_HEADER  // Vvec_elem_tb (CMakeLists.txt)
#include "../numerics/numerics_harness.hpp"
#include "../numerics/numerics_stimulus.hpp"
#include "systole/golden/element.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/numerics.hpp"
#include "verilated.h"

namespace systole::verif {
namespace {

using golden::AluOp;
using golden::DType;
using namespace harness;

// ---- reference: the golden executor's own element functions (element.hpp) ------------------
std::uint32_t ref_read_f32(DType t, std::uint32_t raw) { return golden::elem::to_f32(t, raw); }
std::uint32_t ref_write_f32(DType t, std::uint32_t v) { return golden::elem::from_f32(t, v); }
std::uint32_t ref_read_int(DType t, std::uint32_t raw) {
  return static_cast<std::uint32_t>(golden::elem::to_int(t, raw));
}
std::uint32_t ref_write_int(DType t, std::uint32_t v) {
  return golden::elem::from_int(t, static_cast<std::int32_t>(v));
}
std::uint32_t ref_alu_f32(AluOp op, std::uint32_t a, std::uint32_t b) { return golden::elem::alu_f32(op, a, b); }
std::uint32_t ref_alu_int(AluOp op, std::uint32_t a, std::uint32_t b) {
  return static_cast<std::uint32_t>(
      golden::elem::alu_int(op, static_cast<std::int32_t>(a), static_cast<std::int32_t>(b)));
}

// ---- the model ---------------------------------------------------------------------------------
using Rtl = CombModel<SYSTOLE_MODEL>;

Rtl& rtl() {
  static Rtl model;
  [[maybe_unused]] static const bool enabled = (model.top().en_i = 1, true);
  return model;
}

// Operands: x = dtype or op code, y = first value, z = second value.
std::uint32_t rtl_read(const Operands& o, bool integer) {
  rtl().top().rd_dt_i = static_cast<std::uint8_t>(o.x);
  rtl().top().rd_raw_i = o.y;
  auto& m = rtl().eval();
  return integer ? m.rd_int_o : m.rd_f32_o;
}
std::uint32_t rtl_write(const Operands& o, bool integer) {
  rtl().top().wr_dt_i = static_cast<std::uint8_t>(o.x);
  rtl().top().wr_v_i = o.y;
  auto& m = rtl().eval();
  return integer ? m.wr_int_o : m.wr_f32_o;
}
std::uint32_t rtl_alu(const Operands& o, bool integer) {
  rtl().top().alu_op_i = static_cast<std::uint8_t>(o.x);
  rtl().top().alu_a_i = o.y;
  rtl().top().alu_b_i = o.z;
  auto& m = rtl().eval();
  return integer ? m.alu_int_o : m.alu_f32_o;
}

const Unit kReadF32{"read_f32",
                    2,
                    {"dtype", "raw", ""},
                    {1, 8, 0},
                    8,
                    [](const Operands& o) { return ref_read_f32(static_cast<DType>(o.x), o.y); },
                    [](const Operands& o) { return rtl_read(o, false); },
                    21};
const Unit kReadInt{"read_int",
                    2,
                    {"dtype", "raw", ""},
                    {1, 8, 0},
                    8,
                    [](const Operands& o) { return ref_read_int(static_cast<DType>(o.x), o.y); },
                    [](const Operands& o) { return rtl_read(o, true); },
                    22};
const Unit kWriteF32{"write_f32",
                     2,
                     {"dtype", "v", ""},
                     {1, 8, 0},
                     8,
                     [](const Operands& o) { return ref_write_f32(static_cast<DType>(o.x), o.y); },
                     [](const Operands& o) { return rtl_write(o, false); },
                     23};
const Unit kWriteInt{"write_int",
                     2,
                     {"dtype", "v", ""},
                     {1, 8, 0},
                     8,
                     [](const Operands& o) { return ref_write_int(static_cast<DType>(o.x), o.y); },
                     [](const Operands& o) { return rtl_write(o, true); },
                     24};
const Unit kAluF32{"alu_f32",
                   3,
                   {"op", "a", "b"},
                   {1, 8, 8},
                   8,
                   [](const Operands& o) { return ref_alu_f32(static_cast<AluOp>(o.x), o.y, o.z); },
                   [](const Operands& o) { return rtl_alu(o, false); },
                   25};
const Unit kAluInt{"alu_int",
                   3,
                   {"op", "a", "b"},
                   {1, 8, 8},
                   8,
                   [](const Operands& o) { return ref_alu_int(static_cast<AluOp>(o.x), o.y, o.z); },
                   [](const Operands& o) { return rtl_alu(o, true); },
                   26};

constexpr std::array<std::uint32_t, 5> kDtypes = {1, 2, 3, 4, 5};  // int8 bf16 fp8 fp32 int32
constexpr std::array<std::uint32_t, 12> kFloatOps = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15};
constexpr std::array<std::uint32_t, 4> kIntOps = {11, 12, 13, 15};

// A stored element of dtype dt: any pattern of its width, or an fp32 / int32 corner.
std::uint32_t element(Rng& r, std::uint32_t dt) {
  switch (dt) {
    case 1:
    case 3: return r.u32() & 0xFFu;
    case 2: return r.coin() ? (r.u32() & 0xFFFFu) : (stim::f32_any(r) >> 16);
    case 4: return stim::f32_any(r);
    default: return r.coin() ? r.u32() : (r.u32() >> r.below(32)) ^ (r.coin() ? 0xFFFFFFFFu : 0u);
  }
}
// A value to write: fp32 values around every dtype's range and rounding points.
std::uint32_t to_write(Rng& r) {
  if (r.coin()) return stim::f32_any(r);
  return stim::f32_make(r.below(2), 118 + r.below(40), stim::frac23(r));  // 2^-9 .. 2^31
}

TEST(VecElemRandom, ReadsAndWrites) {
  run_random(kReadF32, [](Rng& r) {
    const std::uint32_t dt = r.pick(kDtypes);
    return Operands{dt, element(r, dt), 0};
  });
  run_random(kReadInt, [](Rng& r) {
    const std::uint32_t dt = r.coin() ? 1u : 5u;
    return Operands{dt, element(r, dt), 0};
  });
  run_random(kWriteF32, [](Rng& r) { return Operands{r.pick(kDtypes), to_write(r), 0}; });
  run_random(kWriteInt, [](Rng& r) {
    return Operands{r.coin() ? 1u : 5u, (r.u32() >> r.below(32)) ^ (r.coin() ? 0xFFFFFFFFu : 0u), 0};
  });
}

TEST(VecElemRandom, Alu) {
  run_random(kAluF32, [](Rng& r) {
    const Operands p = stim::add_pair(r);
    return Operands{r.pick(kFloatOps), p.x, r.coin() ? p.y : stim::f32_any(r)};
  });
  run_random(kAluInt, [](Rng& r) { return Operands{r.pick(kIntOps), r.u32(), r.u32()}; });
}

TEST(VecElemSweep, EveryNarrowPattern) {
  Checker rf(kReadF32, 0), ri(kReadInt, 0);
  for (std::uint32_t x = 0; x < 0x10000u; ++x) ASSERT_TRUE(rf.check({2, x, 0}));
  for (std::uint32_t x = 0; x < 0x100u; ++x) {
    ASSERT_TRUE(rf.check({1, x, 0}));
    ASSERT_TRUE(rf.check({3, x, 0}));
    ASSERT_TRUE(ri.check({1, x, 0}));
  }
  Checker wf(kWriteF32, 0), alu(kAluF32, 0);
  for (const std::uint32_t v : stim::kF32Specials) {
    for (const std::uint32_t dt : kDtypes) ASSERT_TRUE(wf.check({dt, v, 0}));
    for (const std::uint32_t b : stim::kF32Specials) {
      for (const std::uint32_t op : kFloatOps) ASSERT_TRUE(alu.check({op, v, b}));
    }
  }
}

// Disabled lanes give 0; an undefined dtype reads and writes 0.
TEST(VecElemCases, DisabledAndUndefined) {
  auto& t = rtl().top();
  t.rd_dt_i = 4;
  t.rd_raw_i = 0x3F800000u;
  t.wr_dt_i = 2;
  t.wr_v_i = 0x3F800000u;
  t.alu_op_i = 0;
  t.alu_a_i = 0x3F800000u;
  t.alu_b_i = 0x3F800000u;
  t.en_i = 0;
  auto& m = rtl().eval();
  EXPECT_EQ(m.rd_f32_o, 0u);
  EXPECT_EQ(m.wr_f32_o, 0u);
  EXPECT_EQ(m.alu_f32_o, 0u);
  t.en_i = 1;
  auto& m2 = rtl().eval();
  EXPECT_EQ(m2.rd_f32_o, 0x3F800000u);
  EXPECT_EQ(m2.wr_f32_o, 0x3F80u);
  EXPECT_EQ(m2.alu_f32_o, 0x40000000u);
  t.rd_dt_i = 0;
  t.wr_dt_i = 7;
  auto& m3 = rtl().eval();
  EXPECT_EQ(m3.rd_f32_o, 0u);
  EXPECT_EQ(m3.wr_f32_o, 0u);
}

}  // namespace
}  // namespace systole::verif
