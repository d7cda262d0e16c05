#include "systole/driver/tensor.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <limits>
#include <stdexcept>

#include "systole/golden/numerics.hpp"

namespace systole::driver {

using golden::DType;
namespace num = golden::num;

Tensor::Tensor(DType dtype, std::vector<std::uint64_t> shape) : dtype_(dtype), shape_(std::move(shape)) {
  std::uint64_t n = 1;
  for (const std::uint64_t d : shape_) {
    if (d != 0 && n > std::numeric_limits<std::uint64_t>::max() / d) throw std::length_error("Tensor: shape overflows");
    n *= d;
  }
  count_ = static_cast<std::size_t>(n);
  bytes_.assign(count_ * golden::dtype_size(dtype_), 0);
}

std::uint32_t Tensor::raw(std::size_t i) const {
  if (i >= count_) throw std::out_of_range(fmt::format("{}: element {} out of range", describe(), i));
  const std::size_t sz = element_bytes();
  std::uint32_t v = 0;
  for (std::size_t b = 0; b < sz; ++b) v |= std::uint32_t{bytes_[i * sz + b]} << (8 * b);
  return v;
}

void Tensor::set_raw(std::size_t i, std::uint32_t bits) {
  if (i >= count_) throw std::out_of_range(fmt::format("{}: element {} out of range", describe(), i));
  const std::size_t sz = element_bytes();
  for (std::size_t b = 0; b < sz; ++b) bytes_[i * sz + b] = static_cast<std::uint8_t>(bits >> (8 * b));
}

double Tensor::value(std::size_t i) const {
  const std::uint32_t r = raw(i);
  switch (dtype_) {
    case DType::kInt8: return static_cast<std::int8_t>(r);
    case DType::kInt32: return static_cast<std::int32_t>(r);
    case DType::kBf16: return num::f32_to_double(num::bf16_to_f32(static_cast<num::bf16_bits>(r)));
    case DType::kFp8: return num::fp8_to_double(static_cast<num::fp8_bits>(r));
    case DType::kFp32: return num::f32_to_double(num::f32_daz(r));
  }
  return 0;
}

std::string Tensor::describe() const {
  return fmt::format("{}[{}]", golden::dtype_name(dtype_), fmt::join(shape_, ", "));
}

Tensor transpose(const Tensor& t) {
  if (t.shape().size() != 2) throw std::invalid_argument(fmt::format("transpose: {} is not 2-D", t.describe()));
  const std::uint64_t rows = t.shape()[0], cols = t.shape()[1];
  Tensor out(t.dtype(), {cols, rows});
  const std::size_t sz = t.element_bytes();
  const auto src = t.bytes();
  const auto dst = out.bytes();
  for (std::uint64_t r = 0; r < rows; ++r) {
    for (std::uint64_t c = 0; c < cols; ++c) {
      for (std::size_t b = 0; b < sz; ++b) dst[(c * rows + r) * sz + b] = src[(r * cols + c) * sz + b];
    }
  }
  return out;
}

}  // namespace systole::driver
