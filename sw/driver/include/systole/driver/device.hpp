// Device: what the host software drives, whatever executes the programs (the golden model now;
// the Verilator RTL and an FPGA over UART later).
//
// The public half of `Device` is what kernels and tools use: the hardware configuration, DRAM
// allocation, upload/download, protection windows, program submission and counters. It is
// written once, here, on top of a narrow *backend interface* (the protected pure virtual
// functions below) that each backend implements. A new backend implements only those.
//
// ---- Backend interface (for whoever writes the RTL and FPGA backends) --------------------------
// Every function is called from one thread; the base class never calls two at once. Addresses
// are device DRAM byte addresses. The RTL backend maps them onto CSR accesses (docs/csr.md) and
// its AXI memory model as follows:
//
//   read_config()            CFG_ARRAY, CFG_SBUF, CFG_PSUM, CFG_FEAT, CFG_NMAX -> golden::Config
//                            (name = the configuration name the backend was built for;
//                            vector_engine = CFG_FEAT.VECTOR: 0 on tiny).
//                            Called once, lazily, the first time the base class needs it.
//   dram_bytes()             size of the DRAM the device sees (the AXI memory model's size).
//   write_dram / read_dram   raw bytes to/from DRAM (backdoor into the memory model, or AXI
//                            writes through the testbench; over UART: the bridge's memory
//                            commands). Only called while the core is idle. Ranges are inside
//                            [0, dram_bytes()) (the base class checks).
//   write_windows(w)         WIN_BASE/WIN_LIMIT/WIN_CTRL[0..3]; a disabled window is written as
//                            WIN_CTRL = 0. Called while idle, before start().
//   write_semaphore(i, v)    SEM[i] (i < 32), while idle. The base class zeroes all 32 before
//   read_semaphore(i)        every run, because programs count signals from 0.
//   start(base, len)         PROG_BASE = base, PROG_LEN = len, then CTRL.START (with
//                            CTRL.CLEAR_COUNTERS left alone: counters are cumulative and the base
//                            class takes per-run differences). Must not block on completion.
//   wait(timeout)            block until STATUS.DONE or STATUS.ERROR (poll, or the interrupt);
//                            return Completion{kDone} or Completion{kError, ERR_CODE, ERR_INDEX,
//                            ERR_INFO.ENGINE, detail}. `detail` may be empty: the base class
//                            then explains static errors (codes 0x01..0x05) itself by running the
//                            golden checks on the offending instruction; an RTL backend should put
//                            ERR_INFO's AXI_RESP/AXI_WRITE into it for AXI_ERROR. If the timeout
//                            expires first, return Completion{kTimeout} and leave the core as it
//                            is (the base class then calls soft_reset()).
//   read_counters()          the cumulative counters (CYCLES_LO then _HI, ... as csr.md section 7
//                            says); counters the backend does not have are std::nullopt.
//   soft_reset()             CTRL.SOFT_RESET and wait until STATUS.BUSY clears. Called after an
//                            error or a timeout, before the exception reaches the caller, so the
//                            device is usable again.
//   backend_name()           "golden", "rtl", "fpga".
//   enable_trace(path)       optional: waveform dumping (the RTL backend writes FST). The default
//                            implementation throws std::runtime_error.
//
// Nothing else is needed: allocation, program placement, windows policy, semaphore reset,
// counter differences, error decoding and messages all live in the base class.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "systole/driver/allocator.hpp"
#include "systole/driver/tensor.hpp"
#include "systole/golden/builder.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/errors.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/validate.hpp"

namespace systole::driver {

// Performance counters (csr.md section 7). Counters a backend cannot know are std::nullopt
// (the golden model has no notion of cycles). FETCH_BYTES may differ between backends: the RTL
// prefetches up to 3 instructions past the one it decodes (docs/chip.md).
struct Counters {
  std::optional<std::uint64_t> cycles, busy_tensor, busy_vec, busy_dma, stall_sem, stall_queue, stall_dram;
  std::uint64_t macs = 0;
  std::uint64_t dram_rd_bytes = 0;
  std::uint64_t dram_wr_bytes = 0;
  std::uint64_t fetch_bytes = 0;
  // Chip-to-chip (docs/links.md): element bytes sent by remote DMAs and received from other chips.
  std::uint64_t link_tx_bytes = 0, link_rx_bytes = 0;
  std::uint64_t instructions = 0;

  // Per-run difference of two cumulative snapshots (modulo 2^64, like the hardware counters);
  // an optional counter is present in the result only when present in both.
  friend Counters operator-(const Counters& after, const Counters& before);
  friend Counters operator+(const Counters& a, const Counters& b);
  // Useful MACs per cycle over the array's peak (P x C per cycle); nullopt without cycles.
  std::optional<double> utilization(const golden::Config& cfg) const;
};

// An architectural error stop reported by the device (docs/isa.md section 5).
class DeviceError : public std::runtime_error {
 public:
  DeviceError(golden::ErrorCode code, std::uint32_t index, std::uint8_t engine, std::string instruction,
              std::string detail);
  golden::ErrorCode code() const { return code_; }
  std::uint32_t index() const { return index_; }   // ERR_INDEX
  std::uint8_t engine() const { return engine_; }  // ERR_INFO.ENGINE
  // The disassembled offending instruction (golden disassembler), or a note when the index is
  // not an instruction of the program (PROGRAM_BOUNDS).
  const std::string& instruction() const { return instruction_; }
  const std::string& detail() const { return detail_; }

 private:
  golden::ErrorCode code_;
  std::uint32_t index_;
  std::uint8_t engine_;
  std::string instruction_, detail_;
};

// The host gave up waiting (only real hardware or a simulator can time out).
class DeviceTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// make_device() was asked for a backend that is not available in this build.
class BackendUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  // Protection windows for this run. Without them the device uses the windows given to
  // set_windows(); without those, one read/write window spanning every live allocation made
  // with alloc() (the program's own allocation excluded: instruction fetch is not checked
  // against the windows).
  std::optional<golden::Windows> windows;
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
};

struct RunResult {
  Counters counters;                 // this run only
  std::uint32_t program_base = 0;    // where the program was placed
  std::uint32_t program_length = 0;  // instructions
  std::vector<std::string> races;    // race reports (golden backend with its race checker on)
};

// What wait() reports (backend interface).
struct Completion {
  enum class Status : std::uint8_t { kDone, kError, kTimeout };
  Status status = Status::kDone;
  golden::ErrorCode code = golden::ErrorCode::kNone;
  std::uint32_t index = 0;
  std::uint8_t engine = 0;
  std::string detail;
};

class Device {
 public:
  virtual ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  // ---- what the device is --------------------------------------------------------------------
  const golden::Config& config();
  std::uint64_t dram_size();
  virtual std::string backend_name() const = 0;

  // ---- DRAM allocation (addresses from 4 KiB up to the end of DRAM) -------------------------
  std::uint32_t alloc(std::uint64_t bytes, std::uint64_t align = 64);
  void free(std::uint32_t addr);
  const DramAllocator& allocator();

  // ---- data -----------------------------------------------------------------------------------
  void upload(std::uint32_t addr, std::span<const std::uint8_t> bytes);
  void download(std::uint32_t addr, std::span<std::uint8_t> out);
  template <class T>
  requires std::is_trivially_copyable_v<T>
  void upload(std::uint32_t addr, std::span<const T> values) {
    upload(addr,
           std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(values.data()), values.size_bytes()));
  }
  template <class T>
  requires std::is_trivially_copyable_v<T> std::vector<T> download(std::uint32_t addr, std::size_t count) {
    std::vector<T> out(count);
    download(addr, std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(out.data()), count * sizeof(T)));
    return out;
  }
  void upload(std::uint32_t addr, const Tensor& t) { upload(addr, t.bytes()); }
  Tensor download(std::uint32_t addr, golden::DType dtype, std::vector<std::uint64_t> shape);

  // ---- protection -------------------------------------------------------------------------
  void set_windows(const golden::Windows& w) { windows_ = w; }
  void clear_windows() { windows_.reset(); }  // back to the automatic window
  // The windows the next run uses when RunOptions gives none.
  golden::Windows default_windows();

  // ---- execution -----------------------------------------------------------------------------
  // Places the program in DRAM (its own allocation, freed afterwards), programs the windows,
  // zeroes the semaphores, starts the core, waits and returns this run's counters. An error stop
  // throws DeviceError (after a soft reset); a timeout throws DeviceTimeout.
  RunResult run(std::span<const golden::EncodedInstruction> program, const RunOptions& opts = {});
  // Same, with the instructions as values (encoded and checked by the builder first).
  RunResult run(const golden::ProgramBuilder& program, const RunOptions& opts = {});

  // Cumulative counters since the device was created (or the hardware's last counter clear).
  Counters counters() { return read_counters(); }

  // Waveform trace of later runs (RTL backend only; others throw std::runtime_error).
  virtual void enable_trace(const std::string& path);
  // Limits the trace to cycles [begin, end) of each later run, counted from its START (as the
  // CYCLES counter); end 0: to the end. RTL backend only, like enable_trace().
  virtual void set_trace_window(std::uint64_t begin, std::uint64_t end);
  // Timeline of later runs, a Chrome/Perfetto trace-event file rewritten after each run (RTL
  // backend only: sim/timeline.hpp; others throw std::runtime_error).
  virtual void enable_timeline(const std::string& path);

 protected:
  Device();
  friend class MultiDevice;  // runs every chip's program at once: launch(), wait(), complete()

  // Device::run in three steps: place the program, set windows and semaphores, start; wait for
  // the completion (the backend's wait()); take the counters and turn an error into a
  // DeviceError (after a soft reset). The program's DRAM is freed by complete(); the caller's
  // program must outlive complete() (it explains an error from its words).
  struct Launch {
    std::uint32_t base = 0, len = 0;
    golden::Windows windows{};
    Counters before;
    std::span<const golden::EncodedInstruction> program;
  };
  Launch launch(std::span<const golden::EncodedInstruction> program, const RunOptions& opts);
  RunResult complete(Launch& l, const Completion& c, const RunOptions& opts);
  // Where this chip sits in a multi-chip system (the remote operations' static checks).
  virtual golden::ChipIdentity chip_identity() const { return {}; }

  // ---- backend interface: see the comment at the top of this file -------------------------
  virtual golden::Config read_config() = 0;
  virtual std::uint64_t dram_bytes() = 0;
  virtual void write_dram(std::uint32_t addr, std::span<const std::uint8_t> bytes) = 0;
  virtual void read_dram(std::uint32_t addr, std::span<std::uint8_t> out) = 0;
  virtual void write_windows(const golden::Windows& w) = 0;
  virtual void write_semaphore(unsigned i, std::uint32_t value) = 0;
  virtual std::uint32_t read_semaphore(unsigned i) = 0;
  virtual void start(std::uint32_t prog_base, std::uint32_t prog_len) = 0;
  virtual Completion wait(std::chrono::milliseconds timeout) = 0;
  virtual Counters read_counters() = 0;
  virtual void soft_reset() = 0;
  // Optional: race reports of the last run (golden backend). Default: none.
  virtual std::vector<std::string> take_races() { return {}; }

 private:
  void ensure_init();
  void check_range(std::uint64_t addr, std::uint64_t bytes, const char* what);

  std::optional<golden::Config> config_;
  std::optional<std::uint64_t> dram_size_;
  std::unique_ptr<DramAllocator> alloc_;
  std::optional<golden::Windows> windows_;
};

// Formats an error stop as DeviceError::what() does:
// "WATCHDOG (0x0a) at instruction 12 (DMA1: DMA dst=... src=... wait s2>=3): detail".
std::string describe_error(golden::ErrorCode code, std::uint32_t index, std::uint8_t engine,
                           const std::string& instruction, const std::string& detail);

// ---- factory ------------------------------------------------------------------------------
struct DeviceOptions {
  std::uint64_t dram_bytes = std::uint64_t{64} << 20;  // golden, rtl: the modelled DRAM's size
  bool race_check = true;                              // golden: attach the race checker
  // rtl: the DRAM's read and write latency in cycles and its bandwidth in bytes per cycle (R and
  // W together; 0 = unlimited); unset = the simulated memory's defaults.
  std::optional<unsigned> dram_latency;
  std::optional<double> dram_bytes_per_cycle;
};

// DeviceOptions with the two common fields set (the others at their defaults).
inline DeviceOptions device_options(std::uint64_t dram_bytes, bool race_check) {
  DeviceOptions o;
  o.dram_bytes = dram_bytes;
  o.race_check = race_check;
  return o;
}

// backend: "golden" (the golden model, with the named configuration as the RTL chip has it), or a backend registered in this binary (backend_registry.hpp): "rtl" (the Verilated
// chip of sim/: systole::sim::register_rtl_backend()), "fpga" (not written yet). "rtl" or
// "fpga" without a registration: BackendUnavailable saying what to link. config_name: tiny,
// fpga, default, large (a backend without a model of that configuration: BackendUnavailable
// naming the ones it has). Unknown names: std::invalid_argument.
std::unique_ptr<Device> make_device(std::string_view backend, std::string_view config_name,
                                    const DeviceOptions& opts = {});

}  // namespace systole::driver
