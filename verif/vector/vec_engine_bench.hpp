// The vector engine's block bench (rtl/vector/vec_engine.sv): the Verilated engine with `default`'s
// lanes, rows and offsets, C++ SBUF and PSUM behind its block requesters granting at random,
// and the golden model on the same memories (test_vec_engine.cpp, test_vec_engine_overlap.cpp).
// Each test draws from its own seed (test_seed.hpp); a failure prints the command that replays it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include SYSTOLE_MODEL_HEADER  // Vvec_engine (CMakeLists.txt: `default`'s P, row and offset)
#include "systole/golden/builder.hpp"
#include "systole/golden/disasm.hpp"
#include "systole/golden/machine.hpp"
#include "systole/golden/race_checker.hpp"
#include "test_seed.hpp"
#include "vec_insn_gen.hpp"
#include "vec_table_gen.hpp"
#include "verilated.h"

namespace systole::verif {

using golden::Space;
inline constexpr unsigned kP = 16, kRB = 32, kRowBits = 13, kPartBits = 4;
// Bits of rsp_o (isa_pkg::eng_rsp_t, from the MSB: ready done idle err err_resp[1:0] err_write
// beat terr).
inline constexpr unsigned kRspReady = 8, kRspDone = 7, kRspBeat = 1, kRspTerr = 0;

class VecEngine : public ::testing::Test {
 protected:
  VecEngine()
      : cfg_(golden::Config::standard()),
        ctx_(std::make_unique<VerilatedContext>()),
        m_(std::make_unique<Vvec_engine>(ctx_.get())),
        g_(static_cast<std::uint32_t>(test_seed())) {
    mem_[0].assign(std::size_t{kP} * cfg_.sbuf_bytes, 0);
    mem_[1].assign(std::size_t{kP} * cfg_.psum_bytes, 0);
    m_->clk_i = 0;
    m_->rst_ni = 0;
    m_->clr_i = 0;
    m_->eval();
    m_->rst_ni = 1;
    m_->eval();
  }
  ~VecEngine() override {
    if (HasFailure()) ADD_FAILURE() << replay_command();
    m_->final();
  }

  std::uint32_t part_bytes(int mem) const { return mem == 0 ? cfg_.sbuf_bytes : cfg_.psum_bytes; }
  std::uint8_t* row_ptr(int mem, unsigned p, unsigned row) {
    return &mem_[mem][std::size_t{p} * part_bytes(mem) + std::size_t{row} * kRB];
  }
  static std::uint64_t field(const std::uint32_t* w, unsigned lsb, unsigned width) {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < width; ++i)
      v |= static_cast<std::uint64_t>((w[(lsb + i) / 32] >> ((lsb + i) % 32)) & 1) << i;
    return v;
  }
  // Random contents: random bytes, fp32 values near 1 (so arithmetic gives ordinary results), or
  // the corner values of numerics.md (every dtype's zeros, infinities, NaNs, denormals, extremes).
  void randomize() {
    static constexpr std::uint32_t kF32[] = {0x00000000u, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u,
                                             0xFFC00001u, 0x7F800001u, 0x00000001u, 0x807FFFFFu, 0x00800000u,
                                             0x7F7FFFFFu, 0xFF7FFFFFu, 0x3F800000u, 0xBF800000u, 0x7FFFFFFFu,
                                             0x80000001u, 0x43E00000u, 0xC3E00001u, 0x4F000000u, 0xCF000000u};
    static constexpr std::uint16_t kBf16[] = {0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0xFFC1, 0x0001,
                                              0x8001, 0x7F7F, 0xFF7F, 0x3F80, 0x0080, 0x7FFF, 0x8080};
    static constexpr std::uint8_t kByte[] = {0x00, 0x80, 0x7F, 0xFF, 0x7E, 0xFE, 0x01, 0x81, 0x08, 0x88, 0x38};
    for (auto& m : mem_) {
      const unsigned mode = g_() % 3;
      for (std::size_t i = 0; i < m.size(); i += 4) {
        std::uint32_t v = static_cast<std::uint32_t>(g_());
        if (mode == 1 && g_() % 4 != 0) v = 0x3F000000u + (v & 0x00FFFFFFu) + ((v >> 31) << 31);
        if (mode == 2 && g_() % 4 != 0) {
          switch (g_() % 3) {
            case 0: v = kF32[g_() % std::size(kF32)]; break;
            case 1: v = kBf16[g_() % std::size(kBf16)] | (std::uint32_t{kBf16[g_() % std::size(kBf16)]} << 16); break;
            default:
              v = 0;
              for (int b = 0; b < 4; ++b) v |= std::uint32_t{kByte[g_() % std::size(kByte)]} << (8 * b);
          }
        }
        for (int b = 0; b < 4; ++b) m[i + b] = static_cast<std::uint8_t>(v >> (8 * b));
      }
    }
  }
  // TABLE_LOAD's words at its TAP (after randomize()): a table whose size fits the TAP (a driver
  // table when one does, else a random one), sometimes spoiled (reserved header bits, nseg 0 or
  // 65, the wrong nseg, word 7 not 0).
  void prepare(const golden::Instruction& insn) {
    const auto* tl = std::get_if<golden::TableLoad>(&insn.op);
    if (tl == nullptr) return;
    const std::uint32_t words = tl->in.dims[0].count;
    stim::Rng r(g_());
    std::vector<std::uint32_t> w(words);
    for (auto& v : w) v = r.u32();
    if (words >= 12 && (words - 8) % 4 == 0) {
      golden::act::Table t = vec::random_table(r);
      for (const auto& named : named_)
        if (named.nseg == (words - 8) / 4 && r.coin()) t = named;
      t.nseg = (words - 8) / 4;
      t.coef.resize(t.nseg, t.coef.front());
      w = t.to_words();
      switch (r.below(24)) {
        case 0: w[0] |= 1u << (16 + r.below(16)); break;
        case 1: w[0] = (w[0] & ~0xFFu) | (r.coin() ? 0u : 65u); break;
        case 2: w[0] = (w[0] & ~0xFFu) | ((t.nseg % 64) + 1); break;
        case 3: w[7] = r.u32() | 1u; break;
        default: break;
      }
    }
    for (std::uint32_t j = 0; j < words; ++j)
      std::memcpy(&mem_[0][std::size_t{tl->in.pstart} * cfg_.sbuf_bytes + tl->in.offset + 4 * j], &w[j], 4);
  }
  // Runs one encoded instruction on the engine; returns the cycles from its acceptance to done,
  // -2 for TABLE_ERROR.
  // With `busy`, a memory refuses a quarter of the cycles and picks among its requesters at
  // random; otherwise it grants one requester every cycle, in rotation.
  int run_rtl(const golden::EncodedInstruction& enc, bool busy = true) { return run_rtl_seq({enc}, busy); }
  // Offers the instructions one after the other, each until the engine takes it (it may take
  // the next while the last drains: docs/vector_engine.md section 5a); returns the cycles from
  // the first take to the last done, -2 on TABLE_ERROR, -1 if they never all complete.
  int run_rtl_seq(const std::vector<golden::EncodedInstruction>& seq, bool busy = true) {
    std::size_t next = 0, dones = 0;
    auto offer = [&] {
      m_->req_i[16] = next < seq.size() ? 1 : 0;  // valid
      if (next < seq.size())
        for (unsigned w = 0; w < 16; ++w) m_->req_i[w] = seq[next][w];
    };
    offer();
    bool taken = false;
    int granted_rd[2] = {-1, -1};  // per memory: the read requester granted last cycle
    unsigned granted_row[2] = {0, 0}, granted_part[2] = {0, 0}, granted_np[2] = {0, 0};
    int start = -1;
    for (int cyc = 0; cyc < 100000; ++cyc) {
      // Rows of last cycle's read grants; garbage elsewhere.
      for (int mem = 0; mem < 2; ++mem) {
        auto& rows = mem == 0 ? m_->sb_rows_i : m_->ps_rows_i;
        for (unsigned p = 0; p < kP; ++p) {
          const bool in = granted_rd[mem] >= 0 && p >= granted_part[mem] && p < granted_part[mem] + granted_np[mem];
          for (unsigned w = 0; w < kRB / 4; ++w) {
            std::uint32_t v = static_cast<std::uint32_t>(g_());
            if (in) std::memcpy(&v, row_ptr(mem, p, granted_row[mem]) + 4 * w, 4);
            rows[p * (kRB / 4) + w] = v;
          }
        }
      }
      m_->blk_gnt_i = 0;
      m_->eval();
      const std::uint32_t rsp = m_->rsp_o;
      const bool take = next < seq.size() && ((rsp >> kRspReady) & 1);
      if (!taken && take) {
        taken = true;
        start = cyc;
      }
      // Grants: at most one requester per memory and cycle, at random.
      unsigned gnt = 0;
      for (int mem = 0; mem < 2; ++mem) {
        std::vector<int> asking;
        for (int k = 0; k < 3; ++k)
          if ((m_->blk_req_o >> (mem * 3 + k)) & 1) asking.push_back(k);
        granted_rd[mem] = -1;
        if (asking.empty() || (busy && g_() % 4 == 0)) continue;
        const int k = asking[busy ? g_() % asking.size() : rotate_++ % asking.size()];
        gnt |= 1u << (mem * 3 + k);
        const unsigned r = mem * 3 + k;
        const unsigned row = static_cast<unsigned>(field(m_->blk_row_o.data(), r * kRowBits, kRowBits));
        const unsigned part = static_cast<unsigned>((m_->blk_part_o >> (r * kPartBits)) & 0xF);
        const unsigned np = static_cast<unsigned>((m_->blk_np_o >> (r * 8)) & 0xFF);
        EXPECT_LT(std::size_t{row} * kRB, part_bytes(mem)) << "row out of the memory";
        EXPECT_LE(part + np, kP);
        if (k < 2) {
          granted_rd[mem] = k;
          granted_row[mem] = row;
          granted_part[mem] = part;
          granted_np[mem] = np;
        } else {  // the writer's block, with its byte enables
          for (unsigned p = part; p < part + np; ++p) {
            for (unsigned b = 0; b < kRB; ++b) {
              const unsigned bit = p * kRB + b;
              if ((m_->wr_be_o[bit / 32] >> (bit % 32)) & 1)
                row_ptr(mem, p, row)[b] = static_cast<std::uint8_t>(field(m_->wr_data_o.data(), bit * 8, 8));
            }
          }
        }
      }
      m_->blk_gnt_i = static_cast<std::uint8_t>(gnt);
      m_->eval();
      const bool done = (m_->rsp_o >> kRspDone) & 1;  // with the last write's grant
      const bool terr = (m_->rsp_o >> kRspTerr) & 1;
      const bool beat = (m_->rsp_o >> kRspBeat) & 1;
      m_->clk_i = 1;
      m_->eval();
      m_->clk_i = 0;
      if (take) {
        early_takes_ += next > dones;  // taken while an earlier one has not completed
        ahead_takes_ += beat;          // taken while an earlier one's elements fire: ahead
        ++next;                        // offered until the edge that takes it
      }
      offer();
      m_->eval();
      if (done && ++dones == seq.size()) return cyc - start;
      if (terr) return -2;
    }
    ADD_FAILURE() << "the engine never completed the instructions (" << dones << " of " << seq.size() << " done)";
    return -1;
  }
  // The soft reset: clr_i for a cycle.
  void soft_reset() {
    m_->req_i[16] = 0;
    m_->clr_i = 1;
    m_->eval();
    m_->clk_i = 1;
    m_->eval();
    m_->clk_i = 0;
    m_->clr_i = 0;
    m_->eval();
  }
  // The golden model's result of `seq` (program order on VEC) on the current memories: kNone,
  // kTableError, or nullopt when an instruction is illegal or the run is not race-free.
  std::optional<golden::ErrorCode> run_golden_seq(const std::vector<golden::Instruction>& seq, golden::Machine& gm) {
    for (unsigned p = 0; p < kP; ++p) {
      std::memcpy(gm.sbuf_partition(p).data(), &mem_[0][std::size_t{p} * cfg_.sbuf_bytes], cfg_.sbuf_bytes);
      std::memcpy(gm.psum_partition(p).data(), &mem_[1][std::size_t{p} * cfg_.psum_bytes], cfg_.psum_bytes);
    }
    golden::RaceChecker rc(cfg_);
    gm.set_race_checker(&rc);
    golden::ProgramBuilder b(cfg_);
    for (const auto& insn : seq) b.emit(insn);
    b.end();
    std::vector<golden::EncodedInstruction> prog;
    try {
      prog = b.finish();  // the static checks (throws for an illegal instruction)
    } catch (const std::invalid_argument& e) {
      if (explain_) fmt::print("illegal: {}\n", e.what());
      gm.set_race_checker(nullptr);
      return std::nullopt;
    }
    const auto r = gm.run_program(prog, 0x1000);
    gm.set_race_checker(nullptr);
    if (r.code == golden::ErrorCode::kTableError) return r.code;
    if (r.done && r.code == golden::ErrorCode::kNone && rc.clean()) return r.code;
    return std::nullopt;
  }
  std::optional<golden::ErrorCode> run_golden(const golden::Instruction& insn, golden::Machine& gm) {
    return run_golden_seq({insn}, gm);
  }
  ::testing::AssertionResult same(golden::Machine& gm) {
    for (unsigned p = 0; p < kP; ++p) {
      for (int mem = 0; mem < 2; ++mem) {
        const auto want = mem == 0 ? gm.sbuf_partition(p) : gm.psum_partition(p);
        const std::uint8_t* got = &mem_[mem][std::size_t{p} * part_bytes(mem)];
        for (std::size_t i = 0; i < want.size(); ++i) {
          if (got[i] != want[i]) {
            std::string ctx;
            for (std::size_t k = i >= 16 ? i - 16 : 0; k < std::min(want.size(), i + 16); ++k)
              ctx += fmt::format(" {:02x}/{:02x}", got[k], want[k]);
            return ::testing::AssertionFailure()
                   << fmt::format("{} partition {} byte {}: RTL 0x{:02x}, golden 0x{:02x}; around it (RTL/golden):{}",
                                  mem == 0 ? "SBUF" : "PSUM", p, i, got[i], want[i], ctx);
          }
        }
      }
    }
    return ::testing::AssertionSuccess();
  }

  golden::Config cfg_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vvec_engine> m_;
  std::mt19937 g_;
  std::array<std::vector<std::uint8_t>, 2> mem_;
  unsigned rotate_ = 0;
  int early_takes_ = 0;  // instructions taken while an earlier one was still draining
  int ahead_takes_ = 0;  // of them, taken in a cycle an element fired (taken ahead, section 5a)
  bool explain_ = false;
  std::vector<golden::act::Table> named_ = vec::driver_tables();
};

}  // namespace systole::verif
