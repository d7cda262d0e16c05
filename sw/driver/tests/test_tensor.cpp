// Host tensors: packing, values (DAZ for bf16/fp32), transpose.
#include <gtest/gtest.h>

#include <cmath>

#include "systole/driver/tensor.hpp"

using systole::driver::Tensor;
using systole::golden::DType;

TEST(Tensor, PacksLittleEndianAndReadsValues) {
  Tensor t(DType::kBf16, {2, 3});
  EXPECT_EQ(t.size(), 6u);
  EXPECT_EQ(t.bytes().size(), 12u);
  t.set_raw(1, 0, 0x3FC0);  // 1.5
  EXPECT_EQ(t.bytes()[6], 0xC0);
  EXPECT_EQ(t.bytes()[7], 0x3F);
  EXPECT_EQ(t.value(3), 1.5);
  t.set_raw(4, 0x0001);  // a bf16 denormal reads as zero (DAZ)
  EXPECT_EQ(t.value(4), 0.0);
  t.set_raw(5, 0x7FC0);
  EXPECT_TRUE(std::isnan(t.value(5)));
  EXPECT_EQ(t.describe(), "bf16[2, 3]");
  EXPECT_THROW(t.raw(6), std::out_of_range);
}

TEST(Tensor, IntegerAndFp8Values) {
  Tensor i8(DType::kInt8, {2});
  i8.set_raw(0, 0x80);
  EXPECT_EQ(i8.value(0), -128.0);
  Tensor i32(DType::kInt32, {1});
  i32.set_raw(0, 0xFFFFFFFF);
  EXPECT_EQ(i32.value(0), -1.0);
  Tensor f8(DType::kFp8, {2});
  f8.set_raw(0, 0x7E);
  f8.set_raw(1, 0x01);
  EXPECT_EQ(f8.value(0), 448.0);
  EXPECT_EQ(f8.value(1), std::ldexp(1.0, -9));  // fp8 subnormals are honoured
}

TEST(Tensor, TransposeIsTheColumnMajorImage) {
  Tensor t(DType::kInt32, {2, 3});
  for (std::uint32_t i = 0; i < 6; ++i) t.set_raw(i, i);
  const Tensor u = systole::driver::transpose(t);
  EXPECT_EQ(u.shape(), (std::vector<std::uint64_t>{3, 2}));
  EXPECT_EQ(u.raw(0, 1), 3u);  // t(1, 0)
  EXPECT_EQ(u.raw(2, 0), 2u);  // t(0, 2)
  EXPECT_EQ(systole::driver::transpose(u), t);
  EXPECT_THROW(systole::driver::transpose(Tensor(DType::kInt8, {2, 2, 2})), std::invalid_argument);
}
