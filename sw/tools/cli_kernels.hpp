// The `systole` subcommands: each registers itself on the app and returns the function that runs
// it when it was the one parsed (-1 otherwise), returning the exit status (cli_common.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

namespace systole::cli {

std::function<int()> add_gemm_command(CLI::App& app);
// softmax, layernorm, rmsnorm.
std::vector<std::function<int()>> add_rowwise_commands(CLI::App& app);
std::function<int()> add_attention_command(CLI::App& app);
std::function<int()> add_mlp_command(CLI::App& app);
std::function<int()> add_conv2d_command(CLI::App& app);
std::function<int()> add_encoder_command(CLI::App& app);
// allreduce, allgather, reducescatter, broadcast, alltoall, sendrecv.
std::vector<std::function<int()>> add_collective_commands(CLI::App& app);

}  // namespace systole::cli
