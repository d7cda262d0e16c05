// All-to-all and send/recv (docs/collectives.md section 4): DRAM to another chip's DRAM in one
// remote DMA per block, the last of which carries the remote signal the receiver's END waits
// for.
#include <optional>

#include "plan_detail.hpp"
#include "systole/golden/builder.hpp"

namespace systole::collectives::detail {

using golden::ProgramBuilder;

namespace {
constexpr std::uint32_t kRow = 4096;  // elements per DAP row of a contiguous copy
}  // namespace

void dram_copy(ProgramBuilder& b, const Spec& s, unsigned queue, std::uint32_t chip, std::uint32_t to,
               std::uint64_t dst, std::uint64_t src, std::uint64_t n, std::optional<golden::Sem> rsig,
               ProgramBuilder::Deps first) {
  const std::uint32_t size = golden::dtype_size(s.dtype);
  const auto rows = static_cast<std::uint32_t>(n / kRow);
  const auto rem = static_cast<std::uint32_t>(n % kRow);
  auto one = [&](std::uint64_t off, std::uint32_t w, std::uint32_t r, bool last) {
    golden::Dap d = golden::dram(s.dtype, static_cast<std::uint32_t>(dst + off * size),
                                 {{w, 1}, {r, static_cast<std::int32_t>(w)}});
    const golden::Dap sd = golden::dram(s.dtype, static_cast<std::uint32_t>(src + off * size),
                                        {{w, 1}, {r, static_cast<std::int32_t>(w)}});
    if (to != chip) d = golden::remote(d, to, last ? rsig : std::nullopt);
    ProgramBuilder::Deps deps = off == 0 ? first : ProgramBuilder::Deps{};
    if (last && to == chip && rsig) deps = deps.and_signal(*rsig);  // a local copy signals here
    b.dma(queue, d, sd, deps);
  };
  if (rows > 0) one(0, kRow, rows, rem == 0);
  if (rem > 0) one(std::uint64_t{rows} * kRow, rem, 1, true);
}

std::vector<std::vector<golden::EncodedInstruction>> direct_programs(const Spec& s, const golden::Config& cfg,
                                                                     const Layout& lay) {
  const std::uint32_t n = s.chips, size = golden::dtype_size(s.dtype);
  std::vector<std::vector<golden::EncodedInstruction>> out;
  for (std::uint32_t i = 0; i < n; ++i) {
    ProgramBuilder b(cfg, golden::ChipIdentity{i, n});
    const auto recv = b.semaphore("received");
    std::uint32_t expected = 0;
    if (s.kind == Kind::kAllToAll) {
      // Block j of chip i's input goes to block i of chip j's output; the peers in the order
      // i+1, i+2, ... so that every link is busy at once, spread over the DMA queues.
      for (std::uint32_t step = 0; step < n && s.count > 0; ++step) {
        const std::uint32_t j = (i + step) % n;
        const std::uint64_t dst = lay.out_addr + std::uint64_t{i} * s.count * size;
        const std::uint64_t src = lay.in_addr + std::uint64_t{j} * s.count * size;
        dram_copy(b, s, step % cfg.dma_queues, i, j, dst, src, s.count, j == i ? std::nullopt : std::optional(recv));
      }
      expected = s.count > 0 ? n - 1 : 0;
    } else if (s.count > 0) {  // send/recv
      if (i == s.root) dram_copy(b, s, 0, i, s.peer, lay.out_addr, lay.in_addr, s.count, recv);
      if (i == s.peer) expected = 1;
    }
    b.end(expected > 0 ? b.wait(recv, expected) : ProgramBuilder::Deps{});
    out.push_back(b.finish());
  }
  return out;
}

}  // namespace systole::collectives::detail
