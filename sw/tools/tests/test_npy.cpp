// The .npy writer and reader: header layout (magic, version 1.0, dict, 64-byte alignment), shapes,
// dtypes and values round-trip; bf16/fp8 widen exactly to float32; malformed files are refused.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "npy.hpp"
#include "systole/golden/numerics.hpp"

using namespace systole;
using golden::DType;
using tools::NpyArray;

namespace {

float f32_at(const NpyArray& a, std::size_t i) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &a.data[i * 4], 4);
  return std::bit_cast<float>(bits);
}

std::string header_of(const std::vector<std::uint8_t>& b) {
  const std::size_t hlen = b[8] | (std::size_t{b[9]} << 8);
  return std::string(b.begin() + 10, b.begin() + 10 + static_cast<std::ptrdiff_t>(hlen));
}

}  // namespace

TEST(Npy, HeaderIsVersionOneAndAligned) {
  driver::Tensor t(DType::kInt32, {3, 5});
  for (std::size_t i = 0; i < t.size(); ++i) t.set_raw(i, static_cast<std::uint32_t>(-7 * static_cast<int>(i)));
  const auto bytes = tools::encode_npy(tools::to_npy(t));
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 6), "\x93NUMPY");
  EXPECT_EQ(bytes[6], 1);
  EXPECT_EQ(bytes[7], 0);
  const std::string h = header_of(bytes);
  EXPECT_EQ((10 + h.size()) % 64, 0u);
  EXPECT_EQ(h.back(), '\n');
  EXPECT_EQ(h.rfind("{'descr': '<i4', 'fortran_order': False, 'shape': (3, 5), }", 0), 0u) << h;
  EXPECT_EQ(bytes.size(), 10 + h.size() + 15 * 4);
}

TEST(Npy, RoundTripsThroughAFileEveryDtype) {
  const auto dir = std::filesystem::temp_directory_path() / ("systole_npy_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::mt19937_64 rng(11);
  for (const DType t : {DType::kInt8, DType::kInt32, DType::kFp32, DType::kBf16, DType::kFp8}) {
    driver::Tensor x(t, {4, 7});
    const std::uint32_t mask = t == DType::kBf16 ? 0xFFFF : golden::dtype_size(t) == 1 ? 0xFF : 0xFFFFFFFF;
    for (std::size_t i = 0; i < x.size(); ++i) x.set_raw(i, static_cast<std::uint32_t>(rng()) & mask);
    const auto path = dir / (std::string(golden::dtype_name(t)) + ".npy");
    tools::write_npy(path, tools::to_npy(x));
    const NpyArray a = tools::read_npy(path);
    EXPECT_EQ(a.shape, (std::vector<std::uint64_t>{4, 7}));
    EXPECT_FALSE(a.fortran_order);
    switch (t) {
      case DType::kInt8:
        EXPECT_EQ(a.descr, "|i1");
        for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(a.data[i], x.raw(i));
        break;
      case DType::kInt32:
      case DType::kFp32:
        EXPECT_EQ(a.descr, t == DType::kInt32 ? "<i4" : "<f4");
        EXPECT_TRUE(std::equal(a.data.begin(), a.data.end(), x.bytes().begin()));
        break;
      case DType::kBf16:  // exact widening: the bf16 bits on top of 16 zero bits, NaN payloads too
        EXPECT_EQ(a.descr, "<f4");
        for (std::size_t i = 0; i < x.size(); ++i) {
          EXPECT_EQ(std::bit_cast<std::uint32_t>(f32_at(a, i)), x.raw(i) << 16) << i;
        }
        break;
      case DType::kFp8:  // by value; NaN stays NaN
        EXPECT_EQ(a.descr, "<f4");
        for (std::size_t i = 0; i < x.size(); ++i) {
          const double v = golden::num::fp8_to_double(static_cast<std::uint8_t>(x.raw(i)));
          if (std::isnan(v)) {
            EXPECT_TRUE(std::isnan(f32_at(a, i))) << i;
          } else {
            EXPECT_EQ(static_cast<double>(f32_at(a, i)), v) << i;
          }
        }
        break;
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(Npy, OneDimensionalShapeHasATrailingComma) {
  NpyArray a{"|i1", false, {3}, {1, 2, 3}};
  const auto bytes = tools::encode_npy(a);
  EXPECT_NE(header_of(bytes).find("'shape': (3,)"), std::string::npos);
  EXPECT_EQ(tools::decode_npy(bytes).shape, (std::vector<std::uint64_t>{3}));
}

TEST(Npy, MalformedFilesAreRefusedWithAReason) {
  NpyArray a{"<f4", false, {2, 2}, std::vector<std::uint8_t>(16, 0)};
  const auto good = tools::encode_npy(a);
  auto expect_error = [](std::vector<std::uint8_t> b, const std::string& what) {
    try {
      tools::decode_npy(b);
      ADD_FAILURE() << "no error for " << what;
    } catch (const tools::NpyError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  auto bad_magic = good;
  bad_magic[1] = 'X';
  expect_error(bad_magic, "bad magic");
  auto v2 = good;
  v2[6] = 2;
  expect_error(v2, "version 2.0");
  auto short_data = good;
  short_data.pop_back();
  expect_error(short_data, "15 data bytes, expected 16");
  EXPECT_THROW(tools::encode_npy(NpyArray{"<f8", false, {1}, std::vector<std::uint8_t>(8)}), tools::NpyError);
  EXPECT_THROW(tools::encode_npy(NpyArray{"<f4", false, {3}, std::vector<std::uint8_t>(8)}), tools::NpyError);
}
