// The DMA crossbar (rtl/mem/mem_xbar.sv) alone, against a C++ model of the rules its header and
// docs/chip.md section 3 state: which partitions a row, column or block request needs, the
// round-robin order that starts after the first requester granted last time, the bank and
// partition refusals, and what each partition's port receives (address, write enable, byte
// enables and data: a row's, a column element replicated at its bytes, a block's own row).
// Random requests every cycle; every output compared every cycle.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fmt/format.h>
#include <memory>
#include <random>
#include <vector>

#include SYSTOLE_MODEL_HEADER  // Vmem_xbar (CMakeLists.txt: the parameters below)
#include "test_seed.hpp"
#include "verilated.h"

namespace systole::verif {
namespace {

constexpr int kReq = 6, kBlk = 2, kP = 8, kRB = 8, kRowBits = 6, kReqRowBits = 8, kBankRowBits = 5;

struct Req {
  bool en = false, we = false, col = false, blk = false;
  unsigned part = 0, np = 1, row = 0, off = 0, lg = 0;
  std::array<std::uint8_t, kRB> be{}, wdata{};
  std::array<std::array<std::uint8_t, kRB>, kP> blk_be{}, blk_wdata{};  // block requesters only
};

struct Port {
  bool en = false, we = false;
  unsigned addr = 0;
  std::array<std::uint8_t, kRB> be{}, wdata{};
};

// The model: grants and ports for one cycle's requests, given the round-robin pointer.
struct Model {
  unsigned rr = 0;
  std::uint32_t need(const Req& r) const {
    if (!r.en) return 0;
    const std::uint32_t run = (r.col || r.blk) ? ((1u << r.np) - 1) : 1u;
    return (run << r.part) & ((1u << kP) - 1);
  }
  std::uint32_t step(const std::array<Req, kReq>& q, unsigned busy_rd, unsigned busy_wr, std::uint32_t part_busy,
                     std::array<Port, kP>& ports) {
    std::uint32_t taken = 0, gnt = 0;
    int first = -1;
    for (int k = 0; k < kReq; ++k) {
      const int r = static_cast<int>((rr + k) % kReq);
      const Req& x = q[r];
      if (!x.en) continue;
      const unsigned bank = (x.row >> kBankRowBits) & 1;
      const bool port_free = (x.we ? !((busy_wr >> bank) & 1) : !((busy_rd >> bank) & 1)) && (need(x) & part_busy) == 0;
      if (!port_free || (need(x) & taken) != 0) continue;
      gnt |= 1u << r;
      taken |= need(x);
      if (first < 0) first = r;
    }
    if (first >= 0) rr = static_cast<unsigned>((first + 1) % kReq);
    ports = {};
    for (int p = 0; p < kP; ++p) {
      for (int r = 0; r < kReq; ++r) {
        const Req& x = q[r];
        if (!((gnt >> r) & 1) || !((need(x) >> p) & 1)) continue;
        Port& o = ports[p];
        o.en = true;
        o.we = x.we;
        o.addr = x.row & ((1u << kRowBits) - 1);
        if (x.blk) {
          o.be = x.blk_be[p];
          o.wdata = x.blk_wdata[p];
        } else if (x.col) {
          const unsigned size = 1u << x.lg, lane = p - x.part;
          for (unsigned b = 0; b < kRB; ++b) {
            o.wdata[b] = x.wdata[lane * size + b % size];
            o.be[b] = b >= x.off && b < x.off + size;
          }
        } else {
          o.be = x.be;
          o.wdata = x.wdata;
        }
      }
    }
    return gnt;
  }
};

// Bit i of a wide Verilated port.
template <class W>
void put_bits(W& w, unsigned lsb, unsigned width, std::uint64_t v) {
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    const std::uint32_t m = 1u << (b % 32);
    if ((v >> i) & 1) {
      w[b / 32] |= m;
    } else {
      w[b / 32] &= ~m;
    }
  }
}
template <class W>
std::uint64_t get_bits(const W& w, unsigned lsb, unsigned width) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i)
    v |= static_cast<std::uint64_t>((w[(lsb + i) / 32] >> ((lsb + i) % 32)) & 1) << i;
  return v;
}
void put_bits(std::uint64_t& w, unsigned lsb, unsigned width, std::uint64_t v) {
  const std::uint64_t m = (width >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << width) - 1)) << lsb;
  w = (w & ~m) | ((v << lsb) & m);
}
std::uint64_t get_bits(std::uint64_t w, unsigned lsb, unsigned width) {
  return (w >> lsb) & (width >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << width) - 1));
}
// Narrow ports (up to 64 bits) as one-word arrays.
struct Narrow {
  std::array<std::uint32_t, 2> w{};
  std::uint32_t& operator[](std::size_t i) { return w[i]; }
  const std::uint32_t& operator[](std::size_t i) const { return w[i]; }
  std::uint64_t value() const { return w[0] | (static_cast<std::uint64_t>(w[1]) << 32); }
};

class MemXbar : public ::testing::Test {
 protected:
  MemXbar() : ctx_(std::make_unique<VerilatedContext>()), m_(std::make_unique<Vmem_xbar>(ctx_.get())) {
    m_->clk_i = 0;
    m_->rst_ni = 0;
    m_->eval();
    m_->rst_ni = 1;
    m_->eval();
  }
  ~MemXbar() override {
    if (HasFailure()) ADD_FAILURE() << replay_command();
    m_->final();
  }
  void drive(const std::array<Req, kReq>& q, unsigned busy_rd, unsigned busy_wr, std::uint32_t part_busy) {
    Narrow en, we, col, part, np, row, off, lg, blk;
    for (int r = 0; r < kReq; ++r) {
      const Req& x = q[r];
      put_bits(en, r, 1, x.en);
      put_bits(we, r, 1, x.we);
      put_bits(col, r, 1, x.col);
      put_bits(part, r * 3, 3, x.part);
      put_bits(np, r * 8, 8, x.np);
      put_bits(row, r * kReqRowBits, kReqRowBits, x.row);
      put_bits(off, r * 3, 3, x.off);
      put_bits(lg, r * 2, 2, x.lg);
      for (int b = 0; b < kRB; ++b) {
        put_bits(m_->req_be_i, r * kRB + b, 1, x.be[b]);
        put_bits(m_->req_wdata_i, (r * kRB + b) * 8, 8, x.wdata[b]);
      }
      if (r >= kReq - kBlk) {
        const int k = r - (kReq - kBlk);
        put_bits(blk, k, 1, x.blk);
        for (int p = 0; p < kP; ++p) {
          for (int b = 0; b < kRB; ++b) {
            put_bits(m_->blk_be_i, (k * kP + p) * kRB + b, 1, x.blk_be[p][b]);
            put_bits(m_->blk_wdata_i, ((k * kP + p) * kRB + b) * 8, 8, x.blk_wdata[p][b]);
          }
        }
      }
    }
    m_->req_en_i = static_cast<std::uint8_t>(en.value());
    m_->req_we_i = static_cast<std::uint8_t>(we.value());
    m_->req_col_i = static_cast<std::uint8_t>(col.value());
    m_->req_part_i = static_cast<std::uint32_t>(part.value());
    m_->req_np_i = np.value();
    m_->req_row_i = row.value();
    m_->req_off_i = static_cast<std::uint32_t>(off.value());
    m_->req_lg_i = static_cast<std::uint16_t>(lg.value());
    m_->blk_i = static_cast<std::uint8_t>(blk.value());
    m_->busy_rd_i = static_cast<std::uint8_t>(busy_rd);
    m_->busy_wr_i = static_cast<std::uint8_t>(busy_wr);
    m_->part_busy_i = static_cast<std::uint8_t>(part_busy);
    m_->eval();
  }
  void tick() {
    m_->clk_i = 1;
    m_->eval();
    m_->clk_i = 0;
    m_->eval();
  }
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vmem_xbar> m_;
};

// A random legal request: rows anywhere; columns and blocks inside the partitions; blocks only
// from the last kBlk requesters.
Req random_req(std::mt19937& g, int r) {
  auto u = [&](unsigned n) { return static_cast<unsigned>(g() % n); };
  Req x;
  x.en = u(3) != 0;
  x.we = u(2) != 0;
  const unsigned kind = u(r >= kReq - kBlk ? 3 : 2);  // 0 row, 1 column, 2 block
  x.col = kind == 1;
  x.blk = kind == 2;
  x.part = u(kP);
  x.lg = u(3);
  // A column packs its np elements in one row; a row's np is ignored.
  const unsigned max_np = x.col ? std::min<unsigned>(kP - x.part, kRB >> x.lg) : x.blk ? kP - x.part : kP;
  x.np = 1 + u(max_np);
  x.row = u(1u << kReqRowBits);
  x.off = u(kRB >> x.lg) << x.lg;
  for (int b = 0; b < kRB; ++b) {
    x.be[b] = u(2);
    x.wdata[b] = static_cast<std::uint8_t>(g());
  }
  for (int p = 0; p < kP; ++p) {
    for (int b = 0; b < kRB; ++b) {
      x.blk_be[p][b] = u(2);
      x.blk_wdata[p][b] = static_cast<std::uint8_t>(g());
    }
  }
  return x;
}

TEST_F(MemXbar, RandomRequestsMatchTheModel) {
  std::mt19937 g(static_cast<std::uint32_t>(test_seed()));
  Model model;
  int mismatches = 0;
  std::array<unsigned, 3> granted_kind{};
  for (int cyc = 0; cyc < 200000 && mismatches < 10; ++cyc) {
    std::array<Req, kReq> q;
    for (int r = 0; r < kReq; ++r) q[r] = random_req(g, r);
    // Busy banks and refused partitions now and then.
    const unsigned busy_rd = g() % 4 == 0 ? g() % 4 : 0, busy_wr = g() % 4 == 0 ? g() % 4 : 0;
    const std::uint32_t part_busy = g() % 8 == 0 ? (g() & 0xFF) : 0;
    drive(q, busy_rd, busy_wr, part_busy);
    std::array<Port, kP> want;
    const std::uint32_t gnt = model.step(q, busy_rd, busy_wr, part_busy, want);
    const std::uint32_t got_gnt = m_->req_gnt_o;
    bool ok = got_gnt == gnt;
    for (int p = 0; p < kP && ok; ++p) {
      const Port& w = want[p];
      ok = ((m_->mem_en_o >> p) & 1) == w.en;
      if (!ok || !w.en) continue;
      ok = ((m_->mem_we_o >> p) & 1) == w.we && get_bits(m_->mem_addr_o, p * kRowBits, kRowBits) == w.addr;
      for (int b = 0; b < kRB && ok; ++b) {
        ok = get_bits(m_->mem_be_o, p * kRB + b, 1) == w.be[b] &&
             (!w.be[b] || get_bits(m_->mem_wdata_o, (p * kRB + b) * 8, 8) == w.wdata[b]);
      }
    }
    if (!ok) {
      ++mismatches;
      ADD_FAILURE() << fmt::format("cycle {}: grants 0x{:02x}, model 0x{:02x} (rr {})", cyc, got_gnt, gnt, model.rr);
    }
    for (int r = 0; r < kReq; ++r) {
      if ((gnt >> r) & 1) ++granted_kind[q[r].blk ? 2 : q[r].col ? 1 : 0];
    }
    tick();
  }
  EXPECT_EQ(mismatches, 0);
  // The stimulus reached every kind of request.
  EXPECT_GT(granted_kind[0], 10000u);
  EXPECT_GT(granted_kind[1], 10000u);
  EXPECT_GT(granted_kind[2], 5000u);
}

}  // namespace
}  // namespace systole::verif
