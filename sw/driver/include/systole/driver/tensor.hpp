// Host-side tensors: a dtype, a shape and the elements packed as the device stores them
// (little-endian, element size of the dtype, row-major over the shape).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "systole/golden/isa.hpp"

namespace systole::driver {

class Tensor {
 public:
  Tensor() = default;
  // Zero-filled.
  Tensor(golden::DType dtype, std::vector<std::uint64_t> shape);

  golden::DType dtype() const { return dtype_; }
  const std::vector<std::uint64_t>& shape() const { return shape_; }
  std::size_t size() const { return count_; }  // elements
  std::size_t element_bytes() const { return golden::dtype_size(dtype_); }
  std::span<std::uint8_t> bytes() { return bytes_; }
  std::span<const std::uint8_t> bytes() const { return bytes_; }

  // Element i (row-major linear index) as its raw bit pattern, zero-extended.
  std::uint32_t raw(std::size_t i) const;
  void set_raw(std::size_t i, std::uint32_t bits);
  // Element i as a double: exact for every dtype; bf16 and fp32 denormals are read as zero
  // (the architecture's DAZ, numerics.md section 4), NaN stays NaN.
  double value(std::size_t i) const;

  // 2-D helpers: element (r, c) of a [rows, cols] tensor.
  std::uint32_t raw(std::uint64_t r, std::uint64_t c) const {
    return raw(static_cast<std::size_t>(r * shape_.at(1) + c));
  }
  void set_raw(std::uint64_t r, std::uint64_t c, std::uint32_t bits) {
    set_raw(static_cast<std::size_t>(r * shape_.at(1) + c), bits);
  }

  bool operator==(const Tensor&) const = default;

  // "bf16[3, 4]"
  std::string describe() const;

 private:
  golden::DType dtype_ = golden::DType::kInt8;
  std::vector<std::uint64_t> shape_;
  std::size_t count_ = 0;
  std::vector<std::uint8_t> bytes_;
};

// The transpose of a 2-D tensor (a column-major copy of a matrix is the transpose's row-major bytes).
Tensor transpose(const Tensor& t);

}  // namespace systole::driver
