// The kernels' shared helpers (kernel_util.hpp).
#include "kernel_util.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <bit>

#include "systole/golden/numerics.hpp"
#include "systole/kernels/gemm_epilogue.hpp"
#include "systole/kernels/kernel_error.hpp"

namespace systole::kernels::detail {

driver::Tensor normal_tensor(std::mt19937_64& rng, golden::DType dtype, std::vector<std::uint64_t> shape, float mean,
                             float sigma) {
  std::normal_distribution<float> n(mean, sigma);
  driver::Tensor t(dtype, std::move(shape));
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto bits = std::bit_cast<golden::num::f32_bits>(n(rng));
    t.set_raw(i, dtype == golden::DType::kBf16 ? golden::num::f32_to_bf16(bits) : bits);
  }
  return t;
}

void check_host_tensor(const char* kernel, const driver::Tensor& t, const char* what, golden::DType dtype,
                       const std::vector<std::uint64_t>& shape) {
  if (t.dtype() != dtype || t.shape() != shape) {
    throw KernelArgumentError(fmt::format("{}: {} is {}: expected {}[{}]", kernel, what, t.describe(),
                                          golden::dtype_name(dtype), fmt::join(shape, ", ")));
  }
}

golden::Deps wait_all(golden::ProgramBuilder& b, std::uint8_t engine, const std::vector<golden::Deps>& waits) {
  for (std::size_t i = 0; i + 1 < waits.size(); ++i) b.nop(engine, waits[i]);
  return waits.empty() ? golden::Deps{} : waits.back();
}

void emit_table_load(golden::ProgramBuilder& b, DmaEmitter& dma, const std::string& activation, std::uint32_t aux,
                     std::uint32_t sbuf_off, golden::Sem loaded) {
  const auto words = static_cast<std::uint32_t>(epilogue_aux_image(activation).size());
  if (words == 0) return;
  LoopDma t;
  t.src = Side{golden::Space::kDram, golden::DType::kFp32, aux, 0, -1};
  t.dst = Side{golden::Space::kSbuf, golden::DType::kFp32, sbuf_off, 0, -1};
  t.dims = {LoopDim{words, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
  dma.emit(t, 0, b.signal(loaded));
  b.table_load(0, golden::tap(golden::Space::kSbuf, golden::DType::kFp32, 0, 1, sbuf_off, {{words, 1}}),
               b.after(loaded));
}

}  // namespace systole::kernels::detail
