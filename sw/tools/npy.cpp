#include "npy.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>

#include "systole/golden/numerics.hpp"

namespace systole::tools {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;

std::string shape_tuple(const std::vector<std::uint64_t>& shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return fmt::format("({})", fmt::join(shape, ", "));
}

std::uint64_t element_count(const std::vector<std::uint64_t>& shape) {
  std::uint64_t n = 1;
  for (const auto d : shape) n *= d;
  return n;
}

// The text after `key': ` in the header dict, up to (not including) the next top-level comma
// or closing brace.
std::string dict_value(const std::string& h, const std::string& key) {
  const std::string k = "'" + key + "'";
  const auto p = h.find(k);
  if (p == std::string::npos) throw NpyError(fmt::format("npy: header has no '{}' key: {}", key, h));
  auto q = h.find(':', p + k.size());
  if (q == std::string::npos) throw NpyError(fmt::format("npy: no ':' after '{}' in the header", key));
  ++q;
  while (q < h.size() && h[q] == ' ') ++q;
  int depth = 0;
  std::size_t e = q;
  for (; e < h.size(); ++e) {
    const char c = h[e];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && (c == ',' || c == '}')) break;
  }
  return h.substr(q, e - q);
}

}  // namespace

std::size_t npy_itemsize(const std::string& descr) {
  if (descr == "<f4" || descr == "<i4") return 4;
  if (descr == "<u2") return 2;
  if (descr == "|i1" || descr == "|u1") return 1;
  return 0;
}

std::vector<std::uint8_t> encode_npy(const NpyArray& a) {
  const std::size_t isz = npy_itemsize(a.descr);
  if (isz == 0) throw NpyError(fmt::format("npy: unsupported descr '{}'", a.descr));
  if (a.data.size() != element_count(a.shape) * isz) {
    throw NpyError(
        fmt::format("npy: {} data bytes for shape {} of '{}'", a.data.size(), shape_tuple(a.shape), a.descr));
  }
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}", a.descr,
                                   a.fortran_order ? "True" : "False", shape_tuple(a.shape));
  // magic (6) + version (2) + header length (2) + header + '\n', a multiple of 64.
  const std::size_t unpadded = kMagicLen + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  if (header.size() > 0xFFFF) throw NpyError("npy: header longer than 65535 bytes (version 1.0 limit)");
  std::vector<std::uint8_t> out(kMagic, kMagic + kMagicLen);
  out.push_back(1);  // major version
  out.push_back(0);  // minor version
  out.push_back(static_cast<std::uint8_t>(header.size() & 0xFF));
  out.push_back(static_cast<std::uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), a.data.begin(), a.data.end());
  return out;
}

NpyArray decode_npy(const std::vector<std::uint8_t>& b) {
  if (b.size() < 10 || std::memcmp(b.data(), kMagic, kMagicLen) != 0)
    throw NpyError("npy: not a .npy file (bad magic)");
  if (b[6] != 1 || b[7] != 0)
    throw NpyError(fmt::format("npy: version {}.{} is not supported (expected 1.0)", b[6], b[7]));
  const std::size_t hlen = b[8] | (std::size_t{b[9]} << 8);
  if (10 + hlen > b.size()) throw NpyError("npy: header runs past the end of the file");
  if ((10 + hlen) % 64 != 0) throw NpyError(fmt::format("npy: data starts at byte {}, not 64-byte aligned", 10 + hlen));
  const std::string h(b.begin() + 10, b.begin() + 10 + static_cast<std::ptrdiff_t>(hlen));
  if (h.empty() || h.back() != '\n') throw NpyError("npy: header does not end with a newline");
  NpyArray a;
  std::string descr = dict_value(h, "descr");
  if (descr.size() < 2 || descr.front() != '\'' || descr.back() != '\'') throw NpyError("npy: descr is not a string");
  a.descr = descr.substr(1, descr.size() - 2);
  const std::size_t isz = npy_itemsize(a.descr);
  if (isz == 0) throw NpyError(fmt::format("npy: unsupported descr '{}'", a.descr));
  const std::string fo = dict_value(h, "fortran_order");
  if (fo != "True" && fo != "False") throw NpyError(fmt::format("npy: fortran_order is '{}'", fo));
  a.fortran_order = fo == "True";
  const std::string shape = dict_value(h, "shape");
  if (shape.size() < 2 || shape.front() != '(' || shape.back() != ')') throw NpyError("npy: shape is not a tuple");
  std::string inner = shape.substr(1, shape.size() - 2);
  std::size_t pos = 0;
  while (pos < inner.size()) {
    while (pos < inner.size() && (inner[pos] == ' ' || inner[pos] == ',')) ++pos;
    if (pos >= inner.size()) break;
    std::size_t used = 0;
    try {
      a.shape.push_back(std::stoull(inner.substr(pos), &used));
    } catch (const std::exception&) {
      throw NpyError(fmt::format("npy: bad shape {}", shape));
    }
    pos += used;
  }
  const std::uint64_t bytes = element_count(a.shape) * isz;
  if (b.size() - 10 - hlen != bytes) {
    throw NpyError(fmt::format("npy: {} data bytes, expected {} for shape {} of '{}'", b.size() - 10 - hlen, bytes,
                               shape, a.descr));
  }
  a.data.assign(b.begin() + 10 + static_cast<std::ptrdiff_t>(hlen), b.end());
  return a;
}

void write_npy(const std::filesystem::path& path, const NpyArray& a) {
  const auto bytes = encode_npy(a);
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw NpyError(fmt::format("npy: cannot write {}", path.string()));
}

NpyArray read_npy(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw NpyError(fmt::format("npy: cannot open {}", path.string()));
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return decode_npy(bytes);
}

NpyArray to_npy(const driver::Tensor& t) {
  using golden::DType;
  NpyArray a;
  a.shape = t.shape();
  switch (t.dtype()) {
    case DType::kInt8: a.descr = "|i1"; break;
    case DType::kInt32: a.descr = "<i4"; break;
    default: a.descr = "<f4"; break;
  }
  if (t.dtype() == DType::kInt8 || t.dtype() == DType::kInt32 || t.dtype() == DType::kFp32) {
    a.data.assign(t.bytes().begin(), t.bytes().end());
    return a;
  }
  a.data.resize(t.size() * 4);
  for (std::size_t i = 0; i < t.size(); ++i) {
    std::uint32_t bits;
    if (t.dtype() == DType::kBf16) {
      bits = t.raw(i) << 16;
    } else {
      const double v = golden::num::fp8_to_double(static_cast<golden::num::fp8_bits>(t.raw(i)));
      bits = std::bit_cast<std::uint32_t>(static_cast<float>(v));  // exact: every fp8 value is a float
    }
    for (unsigned b = 0; b < 4; ++b) a.data[i * 4 + b] = static_cast<std::uint8_t>(bits >> (8 * b));
  }
  return a;
}

}  // namespace systole::tools
