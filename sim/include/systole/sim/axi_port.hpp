// AxiPort: the signals of one AXI4 interface as pointers into a Verilated model (or into plain
// C++ variables of the same types), for any data width from 32 to 512 bits.
//
// Verilator maps a port to CData (<= 8 bits), SData (<= 16), IData (<= 32), QData (<= 64) or
// VlWide<N> (N 32-bit words, above 64 bits). PortRef points to a scalar port of any of the four
// integer types; DataRef points to a data port of any type (IData, QData, VlWide<N>). Byte lane j
// of a data port is bits [8j+7:8j], i.e. byte j of its little-endian storage.
//
// Binding, with the RTL convention master outputs `<prefix><sig>_o`, master inputs `<prefix><sig>_i`:
//
//   AxiPort port = SYSTOLE_AXI_PORT(*sim, m_axi_, 512);   // &(*sim).m_axi_awvalid_o, ...
//   port.validate();                                       // AxiMemory does this too
#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace systole::sim {

static_assert(std::endian::native == std::endian::little, "AxiPort maps byte lanes to little-endian storage");

// Pointer to a scalar port: CData, SData, IData or QData (any unsigned integer type but bool).
class PortRef {
 public:
  PortRef() = default;
  template <class T>
  requires(std::is_unsigned_v<T> && !std::is_same_v<T, bool> && sizeof(T) <= 8) PortRef(T* p)
      : ptr_(p), bytes_(sizeof(T)) {}  // implicit: `.awvalid = &model.m_axi_awvalid_o`

  std::uint64_t get() const {
    switch (bytes_) {
      case 1: return *static_cast<const std::uint8_t*>(ptr_);
      case 2: return *static_cast<const std::uint16_t*>(ptr_);
      case 4: return *static_cast<const std::uint32_t*>(ptr_);
      default: return *static_cast<const std::uint64_t*>(ptr_);
    }
  }
  // Stores the low bits() bits of v.
  void set(std::uint64_t v) const {
    switch (bytes_) {
      case 1: *static_cast<std::uint8_t*>(ptr_) = static_cast<std::uint8_t>(v); break;
      case 2: *static_cast<std::uint16_t*>(ptr_) = static_cast<std::uint16_t>(v); break;
      case 4: *static_cast<std::uint32_t*>(ptr_) = static_cast<std::uint32_t>(v); break;
      default: *static_cast<std::uint64_t*>(ptr_) = v; break;
    }
  }
  bool bound() const { return ptr_ != nullptr; }
  unsigned bits() const { return bytes_ * 8; }  // storage bits (8, 16, 32 or 64)

 private:
  void* ptr_ = nullptr;
  unsigned bytes_ = 0;
};

// Pointer to a data port: IData, QData, VlWide<N> (anything with `std::uint32_t* data()`), or a
// plain std::uint32_t[N].
class DataRef {
 public:
  DataRef() = default;
  template <class T>
  requires(std::is_same_v<T, std::uint32_t> || std::is_same_v<T, std::uint64_t>) DataRef(T* p)
      : ptr_(p), bytes_(sizeof(T)) {}
  template <class W>
  requires requires(W& w) {
    { w.data() } -> std::same_as<std::uint32_t*>;
  }
  DataRef(W* w) : ptr_(w->data()), bytes_(sizeof(W)) {}
  template <std::size_t N>
  DataRef(std::uint32_t (*a)[N]) : ptr_(*a), bytes_(4 * N) {}

  // Byte lanes [0, n) to / from the port (n <= bytes()).
  void get(std::uint8_t* lanes, std::size_t n) const { std::memcpy(lanes, ptr_, n); }
  void set(const std::uint8_t* lanes, std::size_t n) const { std::memcpy(ptr_, lanes, n); }
  // 32-bit words [0, n) (word i = bits [32i+31:32i]).
  void get_words(std::uint32_t* words, std::size_t n) const { std::memcpy(words, ptr_, 4 * n); }
  void set_words(const std::uint32_t* words, std::size_t n) const { std::memcpy(ptr_, words, 4 * n); }

  bool bound() const { return ptr_ != nullptr; }
  unsigned bits() const { return static_cast<unsigned>(bytes_ * 8); }  // storage bits

 private:
  void* ptr_ = nullptr;
  std::size_t bytes_ = 0;
};

// One AXI4 interface seen from the slave: master outputs (valid, payloads, rready, bready) are
// read, slave outputs (awready, wready, arready, B and R channels) are written. The member order
// is the one SYSTOLE_AXI_PORT uses.
struct AxiPort {
  PortRef awvalid, awready, awid, awaddr, awlen, awsize, awburst;  // write address
  PortRef wvalid, wready;                                          // write data
  DataRef wdata;
  PortRef wstrb, wlast;
  PortRef bvalid, bready, bid, bresp;                              // write response
  PortRef arvalid, arready, arid, araddr, arlen, arsize, arburst;  // read address
  PortRef rvalid, rready, rid;                                     // read data
  DataRef rdata;
  PortRef rresp, rlast;
  unsigned data_bits = 0;  // 32, 64, 128, 256 or 512

  unsigned beat_bytes() const { return data_bits / 8; }
  unsigned size_log2() const { return static_cast<unsigned>(std::countr_zero(beat_bytes())); }  // full-width AxSIZE
  std::uint64_t strobe_mask() const {
    return data_bits >= 512 ? ~std::uint64_t{0} : (std::uint64_t{1} << beat_bytes()) - 1;
  }

  // Width-independent accessors: byte lanes (beat_bytes() of them), 32-bit words (data_bits/32)
  // and the strobe as one uint64 (bit j = lane j).
  void get_wdata(std::uint8_t* lanes) const { wdata.get(lanes, beat_bytes()); }
  void set_wdata(const std::uint8_t* lanes) const { wdata.set(lanes, beat_bytes()); }
  void get_rdata(std::uint8_t* lanes) const { rdata.get(lanes, beat_bytes()); }
  void set_rdata(const std::uint8_t* lanes) const { rdata.set(lanes, beat_bytes()); }
  void get_wdata_words(std::uint32_t* words) const { wdata.get_words(words, data_bits / 32); }
  void set_wdata_words(const std::uint32_t* words) const { wdata.set_words(words, data_bits / 32); }
  void get_rdata_words(std::uint32_t* words) const { rdata.get_words(words, data_bits / 32); }
  void set_rdata_words(const std::uint32_t* words) const { rdata.set_words(words, data_bits / 32); }
  std::uint64_t get_wstrb() const { return wstrb.get() & strobe_mask(); }

  // Throws std::invalid_argument unless every signal is bound and the data and strobe ports
  // are wide enough for data_bits (a power of two in 32..512).
  void validate() const {
    auto fail = [](const std::string& what) { throw std::invalid_argument("AxiPort: " + what); };
    if (data_bits < 32 || data_bits > 512 || !std::has_single_bit(data_bits)) {
      fail("data_bits " + std::to_string(data_bits) + " is not a power of two in 32..512");
    }
    const PortRef* scalars[] = {&awvalid, &awready, &awid,   &awaddr,  &awlen,  &awsize, &awburst, &wvalid,  &wready,
                                &wstrb,   &wlast,   &bvalid, &bready,  &bid,    &bresp,  &arvalid, &arready, &arid,
                                &araddr,  &arlen,   &arsize, &arburst, &rvalid, &rready, &rid,     &rresp,   &rlast};
    for (const PortRef* p : scalars) {
      if (!p->bound()) fail("a signal is not bound (null pointer)");
    }
    if (!wdata.bound() || !rdata.bound()) fail("wdata or rdata is not bound");
    if (wdata.bits() < data_bits || rdata.bits() < data_bits) {
      fail("wdata/rdata storage (" + std::to_string(wdata.bits()) + "/" + std::to_string(rdata.bits()) +
           " bits) is narrower than data_bits " + std::to_string(data_bits));
    }
    if (wstrb.bits() < beat_bytes()) {
      fail("wstrb storage (" + std::to_string(wstrb.bits()) + " bits) is narrower than " +
           std::to_string(beat_bytes()) + " lanes");
    }
  }
};

}  // namespace systole::sim

// AxiPort bound to the members `<prefix><sig>_o` (master outputs) and `<prefix><sig>_i` (master
// inputs) of `model`, e.g. SYSTOLE_AXI_PORT(*sim, m_axi_, 512) -> &(*sim).m_axi_awvalid_o, ...
// clang-format off
#define SYSTOLE_AXI_PORT(model, prefix, bits)                                                      \
  ::systole::sim::AxiPort {                                                                      \
    .awvalid = &(model).prefix##awvalid_o, .awready = &(model).prefix##awready_i,                  \
    .awid = &(model).prefix##awid_o, .awaddr = &(model).prefix##awaddr_o,                          \
    .awlen = &(model).prefix##awlen_o, .awsize = &(model).prefix##awsize_o,                        \
    .awburst = &(model).prefix##awburst_o,                                                         \
    .wvalid = &(model).prefix##wvalid_o, .wready = &(model).prefix##wready_i,                      \
    .wdata = &(model).prefix##wdata_o, .wstrb = &(model).prefix##wstrb_o,                          \
    .wlast = &(model).prefix##wlast_o,                                                             \
    .bvalid = &(model).prefix##bvalid_i, .bready = &(model).prefix##bready_o,                      \
    .bid = &(model).prefix##bid_i, .bresp = &(model).prefix##bresp_i,                              \
    .arvalid = &(model).prefix##arvalid_o, .arready = &(model).prefix##arready_i,                  \
    .arid = &(model).prefix##arid_o, .araddr = &(model).prefix##araddr_o,                          \
    .arlen = &(model).prefix##arlen_o, .arsize = &(model).prefix##arsize_o,                        \
    .arburst = &(model).prefix##arburst_o,                                                         \
    .rvalid = &(model).prefix##rvalid_i, .rready = &(model).prefix##rready_o,                      \
    .rid = &(model).prefix##rid_i, .rdata = &(model).prefix##rdata_i,                              \
    .rresp = &(model).prefix##rresp_i, .rlast = &(model).prefix##rlast_i,                         \
    .data_bits = (bits) }
// clang-format on
