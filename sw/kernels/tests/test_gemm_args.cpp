// GEMM argument validation: every refused argument gives a GemmArgumentError whose message names
// what was wrong and what was expected.
#include <gtest/gtest.h>

#include <string>

#include "gemm_test_util.hpp"

using namespace systole;
using namespace systole::kernels;
using namespace systole::kernels::testing;
using golden::DType;

namespace {

GemmSpec valid() {
  GemmSpec s;
  s.M = 10;
  s.K = 20;
  s.N = 30;
  s.in = DType::kBf16;
  s.out = DType::kFp32;
  s.a = {0x1000, Layout::kRowMajor};  // 400 bytes
  s.b = {0x2000, Layout::kColMajor};  // 1200 bytes
  s.c = {0x3000, Layout::kRowMajor};  // 1200 bytes
  return s;
}

// Expects validate_gemm to refuse `s` with a message containing every fragment.
void expect_refused(const golden::Config& cfg, const GemmSpec& s, std::initializer_list<std::string> fragments,
                    GemmOptions o = {}) {
  try {
    validate_gemm(cfg, s, o);
    ADD_FAILURE() << "accepted, expected: " << *fragments.begin();
  } catch (const GemmArgumentError& e) {
    for (const auto& f : fragments) EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
  }
  EXPECT_THROW(build_gemm(cfg, s, o), GemmArgumentError);
}

}  // namespace

TEST(GemmArgs, ValidSpecPasses) { EXPECT_NO_THROW(validate_gemm(golden::Config::standard(), valid())); }

TEST(GemmArgs, ZeroSizes) {
  for (int d = 0; d < 3; ++d) {
    GemmSpec s = valid();
    (d == 0 ? s.M : d == 1 ? s.K : s.N) = 0;
    const std::string name = d == 0 ? "M = 0" : d == 1 ? "K = 0" : "N = 0";
    expect_refused(golden::Config::standard(), s, {name, "every dimension must be at least 1"});
  }
}

TEST(GemmArgs, InputDtypeNotAGemmInput) {
  GemmSpec s = valid();
  s.in = DType::kFp32;
  expect_refused(golden::Config::standard(), s, {"input dtype fp32 is not a GEMM input", "expected int8, bf16 or fp8"});
}

TEST(GemmArgs, InputDtypeNotOnTheConfiguration) {
  GemmSpec s = valid();
  expect_refused(golden::Config::tiny(), s,
                 {"bf16", "not supported by the tensor engine of configuration 'tiny'", "it supports int8"});
  s.in = DType::kFp8;
  expect_refused(golden::Config::fpga(), s, {"fp8", "'fpga'", "it supports int8, bf16"});
}

TEST(GemmArgs, OutputDtypeNotAllowedForTheInput) {
  GemmSpec s = valid();
  s.in = DType::kInt8;
  s.out = DType::kFp32;
  expect_refused(golden::Config::standard(), s,
                 {"output dtype fp32 is not available for int8 inputs", "expected int32"});
  s.out = DType::kInt8;
  expect_refused(golden::Config::standard(), s, {"output dtype int8", "expected int32"});
  s.in = DType::kBf16;
  s.out = DType::kInt32;
  expect_refused(golden::Config::standard(), s,
                 {"output dtype int32 is not available for bf16 inputs", "expected fp32 or bf16"});
  s.in = DType::kFp8;
  s.out = DType::kFp8;
  expect_refused(golden::Config::standard(), s, {"output dtype fp8", "expected fp32 or bf16"});
}

TEST(GemmArgs, OperandsMustFitInDram) {
  GemmSpec s = valid();
  GemmOptions o;
  o.dram_bytes = 0x3000 + 1000;  // C needs 1200 bytes from 0x3000
  expect_refused(golden::Config::standard(), s,
                 {"C (10 x 30 fp32, row)", "1200 bytes", "do not fit in the 13288-byte DRAM"}, o);
  s.b.addr = 0xFFFFFF00u;  // beyond the 32-bit address space
  expect_refused(golden::Config::standard(), s, {"B (20 x 30 bf16, col)", "do not fit in the 4294967296-byte DRAM"});
}

TEST(GemmArgs, OperandsMustNotOverlap) {
  GemmSpec s = valid();
  s.c.addr = 0x1000 + 396;  // inside A (400 bytes)
  expect_refused(golden::Config::standard(), s, {"A [0x1000, 0x1190) and C [0x118c", "overlap", "must be disjoint"});
  s = valid();
  s.b.addr = 0x3000 - 2;
  expect_refused(golden::Config::standard(), s, {"B [0x2ffe", "and C [0x3000", "overlap"});
}

TEST(GemmArgs, OperandsMustBeAlignedToTheirElements) {
  GemmSpec s = valid();
  s.b.addr = 0x2001;
  expect_refused(golden::Config::standard(), s,
                 {"B (20 x 30 bf16, col) at 0x2001 is not aligned to its 2-byte elements"});
  s = valid();
  s.c.addr = 0x3002;
  expect_refused(golden::Config::standard(), s, {"C", "not aligned to its 4-byte elements"});
}

TEST(GemmArgs, HostTensorsMustChain) {
  auto dev = golden_device(golden::Config::standard());
  std::mt19937_64 rng(1);
  const auto a = random_matrix(rng, DType::kBf16, 4, 5);
  const auto b = random_matrix(rng, DType::kBf16, 6, 3);
  const auto b8 = random_matrix(rng, DType::kInt8, 5, 3);
  const auto a3 = driver::Tensor(DType::kBf16, {2, 2, 2});
  auto refused = [&](auto&& f, const std::string& what) {
    try {
      f();
      ADD_FAILURE() << "accepted, expected: " << what;
    } catch (const GemmArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  refused([&] { gemm(*dev, a, b, DType::kFp32); },
          "A is bf16[4, 5] and B is bf16[6, 3]: A's columns must equal B's rows");
  refused([&] { gemm(*dev, a, b8, DType::kFp32); }, "A is bf16 but B is int8");
  refused([&] { gemm(*dev, a3, b, DType::kFp32); }, "must be 2-D");
  // Nothing leaked: every refused call left the allocator empty.
  EXPECT_EQ(dev->allocator().bytes_in_use(), 0u);
}

TEST(GemmArgs, TooBigForTheDeviceIsOutOfMemory) {
  auto dev = golden_device(golden::Config::tiny(), 1u << 20);
  std::mt19937_64 rng(1);
  const auto a = random_matrix(rng, DType::kInt8, 1024, 1024);  // 1 MiB: A alone fills the device
  const auto b = random_matrix(rng, DType::kInt8, 1024, 1);
  try {
    gemm(*dev, a, b, DType::kInt32);
    ADD_FAILURE() << "expected OutOfDeviceMemory";
  } catch (const driver::OutOfDeviceMemory& e) {
    EXPECT_NE(std::string(e.what()).find("out of device DRAM: requested 1048576 bytes"), std::string::npos) << e.what();
  }
  EXPECT_EQ(dev->allocator().bytes_in_use(), 0u);
}
