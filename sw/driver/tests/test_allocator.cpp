// DramAllocator: first fit, alignment, coalescing on free, clear errors.
#include <gtest/gtest.h>

#include <string>

#include "systole/driver/allocator.hpp"

using systole::driver::DramAllocator;
using systole::driver::OutOfDeviceMemory;

TEST(DramAllocator, AlignsAndDoesNotOverlap) {
  DramAllocator a(0x1000, 0x10000);
  const auto x = a.alloc(10, 64);
  const auto y = a.alloc(100, 256);
  const auto z = a.alloc(1, 1);
  EXPECT_EQ(x, 0x1000u);
  EXPECT_EQ(y % 256, 0u);
  EXPECT_GE(y, x + 10);
  EXPECT_GE(z, x + 10);  // first fit: the gap before y is used
  EXPECT_LT(z, y);
  EXPECT_EQ(a.bytes_in_use(), 111u);
  EXPECT_EQ(a.size_of(y), 100u);
  EXPECT_TRUE(a.is_allocated(z));
}

TEST(DramAllocator, FreeCoalescesSoTheWholeRangeIsUsableAgain) {
  DramAllocator a(0x1000, 0x9000);
  const auto x = a.alloc(0x2000), y = a.alloc(0x2000), z = a.alloc(0x2000);
  a.free(y);
  a.free(x);
  a.free(z);
  EXPECT_EQ(a.bytes_free(), 0x8000u);
  EXPECT_EQ(a.largest_free_block(), 0x8000u);
  EXPECT_EQ(a.alloc(0x8000), 0x1000u);
}

TEST(DramAllocator, OutOfMemorySaysHowMuchIsFree) {
  DramAllocator a(0x1000, 0x3000);
  a.alloc(0x1000);
  try {
    a.alloc(0x1800);
    FAIL() << "expected OutOfDeviceMemory";
  } catch (const OutOfDeviceMemory& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("requested 6144 bytes"), std::string::npos) << m;
    EXPECT_NE(m.find("4096 of 8192 bytes are free"), std::string::npos) << m;
    EXPECT_NE(m.find("largest free block is 4096 bytes"), std::string::npos) << m;
  }
}

TEST(DramAllocator, BadRequestsAreRefused) {
  DramAllocator a(0x1000, 0x3000);
  EXPECT_THROW(a.alloc(0), std::invalid_argument);
  EXPECT_THROW(a.alloc(8, 3), std::invalid_argument);
  const auto x = a.alloc(8);
  a.free(x);
  EXPECT_THROW(a.free(x), std::invalid_argument);       // double free
  EXPECT_THROW(a.free(0x1234), std::invalid_argument);  // never allocated
  EXPECT_THROW(DramAllocator(0, (std::uint64_t{1} << 32) + 1), std::invalid_argument);
}

TEST(DramAllocator, UsesTheTopOfThe32BitSpace) {
  DramAllocator a(0x1000, std::uint64_t{1} << 32);
  const auto x = a.alloc((std::uint64_t{1} << 32) - 0x1000);
  EXPECT_EQ(x, 0x1000u);
  EXPECT_THROW(a.alloc(1), OutOfDeviceMemory);
}
