// Shared by the AxiMemory unit tests: seeds and replay, the Bench (AxiMemory + FakeMaster on one
// set of signals, with a reference copy of the memory), random bursts and the width fixture.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "axi_fake_master.hpp"
#include "systole/sim/axi_memory.hpp"
#include "test_seed.hpp"

namespace systole::verif::test {
using namespace systole::sim;  // the simulated chip and its models (sim/)

using Rng = std::mt19937_64;

constexpr std::uint64_t kBase = 0x4000'0000;
constexpr std::uint64_t kSize = 1u << 20;

// Typed tests repeat their names across widths: the seed mixes in the suite name too.
inline std::uint64_t test_seed() { return verif::test_seed(true); }

// ---------------------------------------------------------------------------------------------
// Bench: AxiMemory + FakeMaster on one set of signals, with a reference copy of the memory.

template <unsigned Bits>
struct Bench {
  static constexpr unsigned B = Bits / 8;
  AxiSignals<Bits> sig;
  AxiMemory mem;
  FakeMaster<Bits> m;
  std::vector<std::uint8_t> ref;  // expected contents of [cfg.base, cfg.base + cfg.size)
  std::uint64_t base;

  Bench(AxiMemoryConfig cfg, MasterKnobs k, std::uint64_t seed)
      : mem(SYSTOLE_AXI_PORT(sig, m_axi_, Bits), with_seed(cfg, seed)),
        m(SYSTOLE_AXI_PORT(sig, m_axi_, Bits), k, seed ^ 0x9E3779B97F4A7C15ull),
        ref(cfg.size, cfg.init_byte),
        base(cfg.base) {}
  static AxiMemoryConfig with_seed(AxiMemoryConfig c, std::uint64_t seed) {
    c.seed = seed;
    return c;
  }

  void step() {
    mem.drive();
    m.drive();
    mem.sample();
    m.sample();
  }
  // Steps until the master has nothing left and the memory is idle.
  ::testing::AssertionResult run(std::uint64_t max_cycles = 400000) {
    for (std::uint64_t i = 0; i < max_cycles; ++i) {
      if (m.done() && mem.idle()) return ::testing::AssertionSuccess();
      step();
    }
    return ::testing::AssertionFailure() << "timeout after " << max_cycles << " cycles";
  }
  void expect_clean() const {
    for (const auto& f : m.failures()) ADD_FAILURE() << "fake master: " << f;
    for (const auto& v : mem.violations()) ADD_FAILURE() << v.message;
  }
  void randomize(Rng& rng) {
    for (auto& b : ref) b = static_cast<std::uint8_t>(rng());
    mem.write(base, ref);
  }
  void expect_memory_matches_ref() const {
    const auto got = mem.read(base, ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) {
      if (got[i] != ref[i]) {
        ADD_FAILURE() << fmt::format("memory at {:#x}: {:#04x}, reference {:#04x}", base + i, got[i], ref[i]);
        return;
      }
    }
  }
  // A read whose expected data is the reference now (the caller keeps the range unwritten meanwhile).
  ReadReq read_req(std::uint32_t id, std::uint64_t addr, unsigned len, AxiResp expect = AxiResp::kOkay) const {
    ReadReq r{.id = id, .addr = addr, .len = len, .expect = expect};
    if (expect == AxiResp::kOkay) {
      const std::uint64_t a = addr & ~std::uint64_t{B - 1};
      r.data.assign(ref.begin() + static_cast<std::ptrdiff_t>(a - base),
                    ref.begin() + static_cast<std::ptrdiff_t>(a - base + std::uint64_t{len + 1} * B));
    }
    return r;
  }
  // A write of random data; `strobe_mode` 0 full, 1 random, 2 mixed. Lanes below an unaligned
  // start are never strobed.
  WriteReq random_write(Rng& rng, std::uint32_t id, std::uint64_t addr, unsigned len, int strobe_mode = 2,
                        AxiResp expect = AxiResp::kOkay) const {
    WriteReq w{.id = id, .addr = addr, .len = len, .expect = expect};
    w.data.resize(std::size_t{len + 1} * B);
    for (auto& b : w.data) b = static_cast<std::uint8_t>(rng());
    const std::uint64_t mask = B == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << B) - 1;
    for (unsigned k = 0; k <= len; ++k) {
      const bool full = strobe_mode == 0 || (strobe_mode == 2 && rng() % 2 == 0);
      std::uint64_t s = full ? mask : (rng() & mask);
      if (k == 0) s &= mask << (addr % B);
      w.strb.push_back(s);
    }
    return w;
  }
  void apply(const WriteReq& w) {
    const std::uint64_t a = (w.addr & ~std::uint64_t{B - 1}) - base;
    for (unsigned k = 0; k <= w.len; ++k) {
      for (unsigned j = 0; j < B; ++j) {
        if ((w.strb[k] >> j) & 1u) ref[a + std::size_t{k} * B + j] = w.data[std::size_t{k} * B + j];
      }
    }
  }
};

// A burst of random length inside one 4 KiB page of [lo, hi), sometimes unaligned.
template <unsigned B>
std::pair<std::uint64_t, unsigned> random_burst(Rng& rng, std::uint64_t lo, std::uint64_t hi, double p_unaligned,
                                                unsigned max_len = 255) {
  const unsigned page_beats = 4096 / B;
  const unsigned cap = std::min({max_len, 255u, page_beats - 1});
  unsigned len;
  switch (rng() % 5) {
    case 0: len = 0; break;
    case 1: len = static_cast<unsigned>(rng() % 4); break;
    case 2: len = std::min(cap, 15u); break;
    case 3: len = static_cast<unsigned>(rng() % (std::min(cap, 15u) + 1)); break;
    default: len = static_cast<unsigned>(rng() % (cap + 1)); break;
  }
  const std::uint64_t pages = (hi - lo) / 4096;
  const std::uint64_t page = lo + (rng() % pages) * 4096;
  const std::uint64_t slot = rng() % (page_beats - len);
  std::uint64_t addr = page + slot * B;
  if (std::uniform_real_distribution<double>(0, 1)(rng) < p_unaligned) addr += rng() % B;
  return {addr, len};
}

inline AxiMemoryConfig base_cfg() {
  AxiMemoryConfig c;
  c.base = kBase;
  c.size = kSize;
  c.read_latency = 3;
  c.write_latency = 2;
  return c;
}

// Fixture of the width-parameterized suites (each test file names its own suite after it).
template <class W>
class AxiWidthTest : public ::testing::Test {
 protected:
  static constexpr unsigned Bits = W::value;
  static constexpr unsigned B = Bits / 8;
  void TearDown() override {
    if (HasFailure()) ADD_FAILURE() << replay_command();
  }
};
using Widths = ::testing::Types<std::integral_constant<unsigned, 32>, std::integral_constant<unsigned, 64>,
                                std::integral_constant<unsigned, 128>, std::integral_constant<unsigned, 256>,
                                std::integral_constant<unsigned, 512>>;
struct WidthName {
  template <class T>
  static std::string GetName(int) {
    return fmt::format("w{}", T::value);  // not "w" + to_string: GCC 12 -Wrestrict false positive
  }
};

}  // namespace systole::verif::test
