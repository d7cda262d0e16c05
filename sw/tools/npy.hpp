// A small writer and reader for NumPy's .npy format, version 1.0
// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): a magic string, a
// header dict of 'descr', 'fortran_order' and 'shape', padded so the data starts on a 64-byte
// boundary, then the raw little-endian elements.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "systole/driver/tensor.hpp"

namespace systole::tools {

struct NpyArray {
  std::string descr;  // '<f4', '<i4', '|i1'
  bool fortran_order = false;
  std::vector<std::uint64_t> shape;
  std::vector<std::uint8_t> data;  // prod(shape) elements of itemsize(descr) bytes
};

class NpyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bytes of one element of a descr this module knows ('<f4', '<i4', '|i1', '<u2', '|u1'); 0 otherwise.
std::size_t npy_itemsize(const std::string& descr);

std::vector<std::uint8_t> encode_npy(const NpyArray& a);
NpyArray decode_npy(const std::vector<std::uint8_t>& bytes);  // throws NpyError saying what is wrong
void write_npy(const std::filesystem::path& path, const NpyArray& a);
NpyArray read_npy(const std::filesystem::path& path);

// A device tensor as NumPy sees it: int8 -> '|i1', int32 -> '<i4', fp32 -> '<f4' (bits as
// they are), bf16 and fp8 widened exactly to float32 ('<f4'): bf16 by appending 16 zero bits
// (denormals and NaN payloads kept), fp8 by value (NaN -> the float32 canonical NaN).
NpyArray to_npy(const driver::Tensor& t);

}  // namespace systole::tools
