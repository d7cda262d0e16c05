// systole: the command-line front end (docs/software.md section 3, docs/kernels.md section 1).
//
//   systole gemm | softmax | layernorm | rmsnorm | attention | mlp | conv2d | encoder-layer
//           [kernel flags] [--backend golden|rtl]
//           [--config tiny|fpga|default|large] [--seed S] [--save DIR] [--json]
//           [--trace FILE.fst [--trace-window START:END]] [--timeline FILE.json] [--no-race-check]
//           [--dram-latency CYCLES] [--dram-bytes-per-cycle B]
//
// Every subcommand generates its operands from the seed, runs its kernel on the backend, compares
// the result bit-exactly with the golden reference and with float64 within the documented bound,
// and prints a summary (or one JSON object). Exit status: 0 match, 1 mismatch, 2 bad arguments
// (what was wrong, what was expected), 3 the device or backend failed. `--backend rtl` runs the
// Verilated chip of --config (this binary links systole_rtl and registers it). The subcommands
// live in cli_gemm.cpp, cli_rowwise.cpp, cli_attention.cpp, cli_mlp.cpp, cli_conv2d.cpp and
// cli_encoder.cpp, their shared options in cli_common.cpp. The collectives (allreduce, allgather,
// reducescatter, broadcast, alltoall, sendrecv; cli_collectives.cpp) run N chips.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli_common.hpp"
#include "cli_kernels.hpp"
#include "systole/kernels/kernel_error.hpp"
#include "systole/sim/rtl_backend.hpp"  // sim/: the Verilated chip as the driver's "rtl" backend

using namespace systole;

int main(int argc, char** argv) {
  CLI::App app{"systole: run Systole kernels on a backend and check them against the golden model"};
  app.require_subcommand(1);
  std::vector<std::function<int()>> commands = cli::add_rowwise_commands(app);
  commands.insert(commands.begin(), cli::add_gemm_command(app));
  commands.push_back(cli::add_attention_command(app));
  commands.push_back(cli::add_mlp_command(app));
  commands.push_back(cli::add_conv2d_command(app));
  commands.push_back(cli::add_encoder_command(app));
  for (auto& c : cli::add_collective_commands(app)) commands.push_back(std::move(c));

  systole::sim::register_rtl_backend();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return cli::kExitUsage;
  }
  try {
    for (const auto& run : commands) {
      if (const int status = run(); status >= 0) return status;
    }
  } catch (const cli::UsageError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return cli::kExitUsage;
  } catch (const kernels::KernelArgumentError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return cli::kExitUsage;
  } catch (const driver::OutOfDeviceMemory& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return cli::kExitUsage;
  } catch (const driver::BackendUnavailable& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return cli::kExitDevice;
  } catch (const driver::DeviceError& e) {
    fmt::print(stderr, "error: the device stopped: {}\n", e.what());
    return cli::kExitDevice;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return cli::kExitDevice;
  }
  return cli::kExitMatch;
}
