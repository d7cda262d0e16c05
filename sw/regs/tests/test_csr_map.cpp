// Checks the generated host register map (systole/regs/csr_map.hpp) against the properties the
// RTL and the driver rely on, and against the offsets documented in docs/csr.md. The generator
// validates the JSON too; this test guards the C++ side (what the driver actually compiles).
// The suite is named in lower case so that `ctest -R csr` selects it with the generator tests.
#include "systole/regs/csr_map.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace regs = systole::regs;

namespace {

const regs::Register& reg(std::string_view name) {
  const regs::Register* r = regs::find_register(name);
  if (r == nullptr) {
    throw std::runtime_error("register " + std::string(name) + " missing from kRegisters");
  }
  return *r;
}

std::string indexed(std::string_view name, unsigned i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

}  // namespace

// The table is usable at compile time (the driver and RTL benches may static_assert on it).
// (Dereferencing a null result would not be a constant expression, so these also prove the
// lookups succeed.)
static_assert(regs::find_register(0x020u)->name == "CTRL");
static_assert(regs::find_register(0x01Cu) == nullptr);
static_assert(regs::find_register("WATCHDOG")->reset == 0x00100000u);
static_assert(regs::sem::offset(31) == 0x17Cu);

TEST(csrmap, OffsetsUniqueAlignedSortedAndInsideWindow) {
  std::set<std::uint32_t> seen;
  std::uint32_t previous = 0;
  for (const regs::Register& r : regs::kRegisters) {
    SCOPED_TRACE(std::string(r.name));
    EXPECT_EQ(r.offset % 4u, 0u) << "not word aligned";
    EXPECT_LT(r.offset, regs::kWindowBytes);
    EXPECT_TRUE(seen.insert(r.offset).second) << "offset used twice";
    if (&r != &regs::kRegisters.front()) {
      EXPECT_GT(r.offset, previous) << "table not sorted by offset";
    }
    previous = r.offset;
  }
}

TEST(csrmap, NamesUnique) {
  std::set<std::string_view> names;
  for (const regs::Register& r : regs::kRegisters) {
    EXPECT_FALSE(r.name.empty());
    EXPECT_TRUE(names.insert(r.name).second) << r.name << " used twice";
  }
}

TEST(csrmap, KnownRegistersAtDocumentedOffsets) {
  struct Expect {
    std::string_view name;
    std::uint32_t offset;
    regs::Access access;
  };
  // docs/csr.md, register summary.
  const Expect expected[] = {
      {"ID", 0x000, regs::Access::kRo},          {"VERSION", 0x004, regs::Access::kRo},
      {"CFG_ARRAY", 0x008, regs::Access::kRo},   {"CFG_SBUF", 0x00C, regs::Access::kRo},
      {"CFG_PSUM", 0x010, regs::Access::kRo},    {"CFG_FEAT", 0x014, regs::Access::kRo},
      {"CFG_NMAX", 0x018, regs::Access::kRo},    {"CTRL", 0x020, regs::Access::kW1s},
      {"STATUS", 0x024, regs::Access::kRo},      {"PROG_BASE", 0x028, regs::Access::kRw},
      {"PROG_LEN", 0x02C, regs::Access::kRw},    {"IRQ_ENABLE", 0x030, regs::Access::kRw},
      {"IRQ_STATUS", 0x034, regs::Access::kW1c}, {"ERR_CODE", 0x038, regs::Access::kRo},
      {"ERR_INDEX", 0x03C, regs::Access::kRo},   {"ERR_INFO", 0x040, regs::Access::kRo},
      {"WATCHDOG", 0x044, regs::Access::kRw},
  };
  for (const Expect& e : expected) {
    SCOPED_TRACE(std::string(e.name));
    const regs::Register& r = reg(e.name);
    EXPECT_EQ(r.offset, e.offset);
    EXPECT_EQ(r.access, e.access) << regs::access_name(r.access);
  }
  EXPECT_EQ(regs::id::kOffset, 0x000u);
  EXPECT_EQ(regs::ctrl::kOffset, 0x020u);
  EXPECT_EQ(regs::status::kOffset, 0x024u);
  EXPECT_EQ(regs::watchdog::kOffset, 0x044u);
}

TEST(csrmap, ResetValues) {
  EXPECT_EQ(reg("ID").reset, 0x53595354u);  // "SYST"
  EXPECT_EQ(reg("VERSION").reset, 0x00000001u);
  EXPECT_EQ((regs::version::kReset & regs::version::kMajorMask) >> regs::version::kMajorShift, 0u);
  EXPECT_EQ((regs::version::kReset & regs::version::kMinorMask) >> regs::version::kMinorShift, 1u);
  EXPECT_EQ(reg("WATCHDOG").reset, 0x00100000u);
  for (std::string_view name : {"CFG_ARRAY", "CFG_SBUF", "CFG_PSUM", "CFG_FEAT", "CFG_NMAX"}) {
    EXPECT_TRUE(reg(name).reset_per_config) << name;
  }
  // Everything else has a fixed reset value; the windows reset closed.
  for (const regs::Register& r : regs::kRegisters) {
    if (!r.name.starts_with("CFG_")) {
      EXPECT_FALSE(r.reset_per_config) << r.name;
    }
  }
  for (unsigned i = 0; i < regs::win_ctrl::kCount; ++i) {
    EXPECT_EQ(reg(indexed("WIN_CTRL", i)).reset, 0u);
  }
}

TEST(csrmap, FieldPositions) {
  EXPECT_EQ(regs::ctrl::kStartMask, 1u << 0);
  EXPECT_EQ(regs::ctrl::kSoftResetMask, 1u << 1);
  EXPECT_EQ(regs::ctrl::kClearCountersMask, 1u << 2);
  EXPECT_EQ(regs::ctrl::kW1sMask, 0x7u);
  EXPECT_EQ(regs::status::kBusyMask, 1u << 0);
  EXPECT_EQ(regs::status::kDoneMask, 1u << 1);
  EXPECT_EQ(regs::status::kErrorMask, 1u << 2);
  EXPECT_EQ(regs::irq_status::kW1cMask, 0x3u);
  EXPECT_EQ(regs::irq_enable::kRwMask, 0x3u);
  EXPECT_EQ(regs::prog_base::kRwMask, 0xFFFFFFC0u);  // bits [5:0] read-only zero
  EXPECT_EQ(regs::cfg_array::kPMask, 0x0000FFFFu);
  EXPECT_EQ(regs::cfg_array::kCMask, 0xFFFF0000u);
  EXPECT_EQ(regs::cfg_feat::kInt8Mask, 1u << 0);
  EXPECT_EQ(regs::cfg_feat::kBf16Mask, 1u << 1);
  EXPECT_EQ(regs::cfg_feat::kFp8E4m3Mask, 1u << 2);
  EXPECT_EQ(regs::cfg_feat::kVectorMask, 1u << 3);
  EXPECT_EQ(regs::cfg_feat::kDmaQueuesMask, 0x00000F00u);
  EXPECT_EQ(regs::cfg_feat::kQueueDepthMask, 0x00FF0000u);
  EXPECT_EQ(regs::cfg_feat::kSemaphoresMask, 0xFF000000u);
  EXPECT_EQ(regs::cfg_nmax::kNmaxMask, 0x0000FFFFu);
  EXPECT_EQ(regs::cfg_nmax::kAxiDataBitsMask, 0xFFFF0000u);
  EXPECT_EQ(regs::err_info::kEngineMask, 0x0000000Fu);
  EXPECT_EQ(regs::err_info::kAxiRespMask, 0x00000030u);
  EXPECT_EQ(regs::err_info::kAxiWriteMask, 0x00000040u);
  EXPECT_EQ(regs::win_ctrl::kEnMask, 1u << 0);
  EXPECT_EQ(regs::win_ctrl::kReadMask, 1u << 1);
  EXPECT_EQ(regs::win_ctrl::kWriteMask, 1u << 2);
}

TEST(csrmap, FieldsFitDoNotOverlapAndMatchTheRegister) {
  for (const regs::Register& r : regs::kRegisters) {
    SCOPED_TRACE(std::string(r.name));
    std::uint32_t used = 0;
    std::uint32_t composed_reset = 0;
    std::uint32_t rw = 0, w1c = 0, w1s = 0;
    for (const regs::Field& f : r.fields) {
      SCOPED_TRACE(std::string(f.name));
      ASSERT_GE(f.width, 1u);
      ASSERT_LE(f.lsb + f.width, 32u) << "field does not fit in 32 bits";
      EXPECT_EQ(used & f.mask(), 0u) << "fields overlap";
      used |= f.mask();
      if (f.width < 32) {
        EXPECT_LT(f.reset, 1u << f.width) << "reset does not fit the field";
      }
      EXPECT_EQ(f.reset_per_config, r.reset_per_config);
      composed_reset |= f.reset << f.lsb;
      switch (f.access) {
        case regs::Access::kRw: rw |= f.mask(); break;
        case regs::Access::kW1c: w1c |= f.mask(); break;
        case regs::Access::kW1s: w1s |= f.mask(); break;
        case regs::Access::kRo: break;
      }
    }
    if (r.fields.empty()) {
      continue;
    }
    if (!r.reset_per_config) {
      EXPECT_EQ(r.reset, composed_reset) << "register reset differs from its fields";
    }
    EXPECT_EQ(r.rw_mask, rw);
    EXPECT_EQ(r.w1c_mask, w1c);
    EXPECT_EQ(r.w1s_mask, w1s);
    EXPECT_EQ(r.reset & r.w1s_mask, 0u) << "self-clearing bits read 0";
  }
}

TEST(csrmap, ProtectionWindowArrays) {
  ASSERT_EQ(regs::win_base::kCount, 4u);
  for (unsigned i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(reg(indexed("WIN_BASE", i)).offset, 0x050u + 16u * i);
    EXPECT_EQ(reg(indexed("WIN_LIMIT", i)).offset, 0x054u + 16u * i);
    EXPECT_EQ(reg(indexed("WIN_CTRL", i)).offset, 0x058u + 16u * i);
    EXPECT_EQ(regs::win_ctrl::offset(i), 0x058u + 16u * i);
    EXPECT_EQ(reg(indexed("WIN_BASE", i)).access, regs::Access::kRw);
  }
  EXPECT_EQ(regs::find_register(0x05Cu), nullptr);  // hole after WIN_CTRL[0]
}

TEST(csrmap, Semaphores) {
  ASSERT_EQ(regs::sem::kCount, 32u);
  for (unsigned i = 0; i < regs::sem::kCount; ++i) {
    const regs::Register& r = reg(indexed("SEM", i));
    EXPECT_EQ(r.offset, 0x100u + 4u * i);
    EXPECT_EQ(r.access, regs::Access::kRw);
    EXPECT_EQ(r.rw_mask, 0xFFFFFFFFu);
  }
}

TEST(csrmap, CountersAreContiguousLoHiPairs) {
  const std::string_view order[] = {
      "CYCLES",      "BUSY_TENSOR",  "BUSY_VEC",  "BUSY_DMA",    "MACS",       "DRAM_RD_BYTES", "DRAM_WR_BYTES",
      "FETCH_BYTES", "INSTRUCTIONS", "STALL_SEM", "STALL_QUEUE", "STALL_DRAM", "LINK_BYTES",    "RETRANSMITS",
  };
  ASSERT_EQ(regs::kNumCounters, std::size(order));
  ASSERT_EQ(regs::kCounters.size(), regs::kNumCounters);
  EXPECT_EQ(regs::kCounterBaseOffset, 0x200u);
  for (unsigned i = 0; i < regs::kNumCounters; ++i) {
    const regs::Counter& c = regs::kCounters[i];
    SCOPED_TRACE(std::string(c.name));
    EXPECT_EQ(c.name, order[i]);
    EXPECT_EQ(c.index, i);
    EXPECT_EQ(c.lo_offset, 0x200u + regs::kCounterStride * i);
    EXPECT_EQ(c.hi_offset, c.lo_offset + 4u);
    const regs::Register& lo = reg(std::string(c.name) + "_LO");
    const regs::Register& hi = reg(std::string(c.name) + "_HI");
    EXPECT_EQ(lo.offset, c.lo_offset);
    EXPECT_EQ(hi.offset, c.hi_offset);
    EXPECT_EQ(lo.access, regs::Access::kRo);
    EXPECT_EQ(hi.access, regs::Access::kRo);
    EXPECT_EQ(lo.reset, 0u);
    EXPECT_EQ(hi.reset, 0u);
  }
  EXPECT_EQ(regs::cycles::kLoOffset, 0x200u);
  EXPECT_EQ(regs::retransmits::kHiOffset, 0x26Cu);
  EXPECT_EQ(regs::find_register(0x270u), nullptr);
}

TEST(csrmap, WordCount) {
  // 17 single registers + 3 window arrays x 4 + 32 semaphores + 14 counters x 2.
  EXPECT_EQ(regs::kRegisters.size(), 17u + 12u + 32u + 28u);
}
