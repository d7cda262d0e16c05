// `systole allreduce | allgather | reducescatter | broadcast | alltoall | sendrecv`: one
// collective over N chips, every chip's result compared bit-exactly with the host reference in
// the documented order and with float64 (docs/collectives.md section 6). Without --json an
// nccl-tests style table and the link counters.
#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cli_common.hpp"
#include "cli_kernels.hpp"
#include "systole/collectives/collective.hpp"
#include "systole/driver/multi_device.hpp"

namespace systole::cli {
namespace {

using collectives::Kind;

struct Args {
  std::uint32_t chips = 4;
  std::string topology = "ring";
  std::uint64_t bytes = 1 << 20;
  std::string dtype = "fp32", op = "sum", backend = "golden", config = "default", algorithm = "auto";
  std::uint32_t root = 0, peer = 1, ranks = 1;
  std::optional<double> ber;
  std::uint64_t seed = 1;
  bool json = false, in_place = false, one_direction = false, no_race_check = false;
};

collectives::Spec make_spec(Kind kind, const Args& a) {
  collectives::Spec s;
  s.kind = kind;
  s.chips = a.chips;
  if (a.dtype != "fp32" && a.dtype != "bf16" && a.dtype != "int32") {
    throw UsageError(fmt::format("--dtype {}: expected fp32, bf16 or int32", a.dtype));
  }
  s.dtype = parse_dtype(a.dtype);
  try {
    s.op = collectives::parse_redop(a.op);
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("--op: {}", e.what()));
  }
  // --bytes is nccl-tests' size: the whole buffer of all-gather, reduce-scatter and all-to-all,
  // each chip's buffer otherwise.
  const std::uint64_t size = golden::dtype_size(s.dtype);
  const bool per_chip_parts = kind == Kind::kAllGather || kind == Kind::kReduceScatter || kind == Kind::kAllToAll;
  const std::uint64_t unit = per_chip_parts ? size * a.chips : size;
  if (a.bytes % unit != 0) {
    throw UsageError(fmt::format("--bytes {}: {} needs a multiple of {} ({}{})", a.bytes, kind_name(kind), unit,
                                 per_chip_parts ? "chips x " : "", a.dtype));
  }
  s.count = a.bytes / unit;
  s.root = a.root;
  s.peer = a.peer;
  s.in_place = a.in_place;
  s.both_directions = !a.one_direction;
  try {
    s.algorithm = collectives::parse_algorithm(a.algorithm);
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("--algorithm: {}", e.what()));
  }
  // All-to-all systems reduce directly unless told otherwise (every chip has a link to every other).
  if (kind == Kind::kAllReduce && s.algorithm == collectives::Algorithm::kAuto && a.topology == "all-to-all") {
    s.algorithm = collectives::Algorithm::kDirect;
  }
  return s;
}

int run(Kind kind, const Args& a) {
  if (a.topology != "ring" && a.topology != "all-to-all" && a.topology != "torus") {
    throw UsageError(fmt::format("--topology {}: expected ring, all-to-all or torus", a.topology));
  }
  if (a.backend != "golden" && a.backend != "rtl") {
    throw UsageError(fmt::format("--backend {}: expected golden or rtl", a.backend));
  }
  if (a.ber && a.backend == "golden") {
    throw UsageError("--ber needs --backend rtl: the golden system's links are ideal");
  }
  if (a.ranks > 1) {
    throw driver::BackendUnavailable("MPI ranks are not built yet (issue 16 in progress): use --ranks 1");
  }
  const golden::Config cfg = golden::Config::by_name(a.config);
  const collectives::Spec s = make_spec(kind, a);
  driver::DeviceOptions o;
  o.race_check = !a.no_race_check;
  try {
    o.dram_bytes = collectives::dram_bytes_needed(s, cfg);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto dev = driver::make_multi_device(a.backend, a.config, s.chips, o);
  const collectives::Buffers in = collectives::random_inputs(s, a.seed);
  const collectives::RunOutcome g = collectives::run(*dev, s, in);
  const collectives::Plan& p = g.plan;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const collectives::Buffers want = collectives::reference(s, in, 0xA5);
  const std::uint32_t size = golden::dtype_size(s.dtype);
  std::uint64_t wrong = 0;
  std::int64_t first_chip = -1, first_elem = -1;
  for (std::uint32_t c = 0; c < s.chips; ++c) {
    for (std::size_t e = 0; e < want[c].size() / size; ++e) {
      if (std::memcmp(want[c].data() + e * size, g.outputs[c].data() + e * size, size) == 0) continue;
      if (wrong++ == 0) {
        first_chip = c;
        first_elem = static_cast<std::int64_t>(e);
      }
    }
  }
  const collectives::Accuracy acc = collectives::check_accuracy(s, in, g.outputs);
  const bool match = wrong == 0 && acc.violations == 0 && g.races.empty();
  const std::string redop =
      kind == Kind::kAllReduce || kind == Kind::kReduceScatter ? std::string(collectives::redop_name(s.op)) : "none";
  const int root = kind == Kind::kBroadcast || kind == Kind::kSendRecv ? static_cast<int>(s.root) : -1;
  if (a.json) {
    nlohmann::json j;
    j["collective"] = collectives::kind_name(kind);
    j["chips"] = s.chips;
    j["topology"] = a.topology;
    j["algorithm"] = kind == Kind::kAllToAll || kind == Kind::kSendRecv
                         ? std::string("direct")
                         : std::string(collectives::algorithm_name(collectives::resolved_algorithm(s)));
    j["bytes"] = a.bytes;
    j["count"] = s.count;
    j["dtype"] = a.dtype;
    j["op"] = redop;
    j["root"] = root;
    j["in_place"] = s.in_place;
    j["backend"] = a.backend;
    j["config"] = cfg.name;
    j["ranks"] = a.ranks;
    j["seed"] = a.seed;
    j["status"] = match ? "match" : "mismatch";
    j["bit_exact"] = wrong == 0;
    j["wrong_elements"] = wrong;
    j["first_mismatch"] =
        wrong == 0 ? nlohmann::json(nullptr) : nlohmann::json{{"chip", first_chip}, {"element", first_elem}};
    j["within_bound"] = acc.violations == 0;
    j["max_abs_error"] = acc.max_abs_error;
    j["races"] = a.no_race_check ? nlohmann::json(nullptr) : nlohmann::json(g.races);
    j["link_tx_bytes"] = g.link_tx_bytes;
    j["cycles"] = nullptr;  // the golden system has no notion of time
    j["algbw_bytes_per_cycle"] = nullptr;
    j["busbw_bytes_per_cycle"] = nullptr;
    j["seconds"] = seconds;
    fmt::print("{}\n", j.dump(2));
  } else {
    fmt::print("# {} on {} chips, {} topology, {} algorithm, backend {}, configuration {} (tile {} x {}, {} slots)\n",
               collectives::kind_name(kind), s.chips, a.topology,
               kind == Kind::kAllToAll || kind == Kind::kSendRecv
                   ? std::string_view("direct")
                   : collectives::algorithm_name(collectives::resolved_algorithm(s)),
               a.backend, cfg.name, cfg.partitions, p.tile_width, p.slots);
    fmt::print("#{:>12} {:>12} {:>7} {:>6} {:>5} {:>10} {:>8} {:>8} {:>7}\n", "size", "count", "type", "redop", "root",
               "time", "algbw", "busbw", "#wrong");
    fmt::print("#{:>12} {:>12} {:>7} {:>6} {:>5} {:>10} {:>8} {:>8} {:>7}\n", "(B)", "(elements)", "", "", "",
               "(cycles)", "(B/cyc)", "(B/cyc)", "");
    fmt::print(" {:>12} {:>12} {:>7} {:>6} {:>5} {:>10} {:>8} {:>8} {:>7}\n", a.bytes, s.count, a.dtype, redop, root,
               "n/a", "n/a", "n/a", wrong);
    fmt::print("links: {} bytes sent in all ({} per chip by the algorithm)\n", g.link_tx_bytes,
               collectives::link_bytes_per_chip(s));
    fmt::print("float64 check: max error {:.3g} (bound {:.3g}), {} over\n", acc.max_abs_error, acc.max_allowed,
               acc.violations);
    fmt::print("races: {}\n", a.no_race_check ? "not checked" : g.races.empty() ? "none" : g.races.front());
    fmt::print("status: {}\n", match ? "match" : "mismatch");
  }
  return match ? kExitMatch : kExitMismatch;
}

}  // namespace

std::vector<std::function<int()>> add_collective_commands(CLI::App& app) {
  std::vector<std::function<int()>> out;
  for (Kind kind :
       {Kind::kAllReduce, Kind::kAllGather, Kind::kReduceScatter, Kind::kBroadcast, Kind::kAllToAll, Kind::kSendRecv}) {
    const std::string name(collectives::kind_name(kind));
    auto args = std::make_shared<Args>();
    CLI::App* sub = app.add_subcommand(name, fmt::format("{} over N chips, checked against the host reference", name));
    sub->add_option("--chips", args->chips, "number of chips (1..128)")->check(CLI::Range(1, 128));
    sub->add_option("--topology", args->topology, "ring, all-to-all or torus");
    sub->add_option("--bytes", args->bytes, "nccl-tests size in bytes");
    sub->add_option("--dtype", args->dtype, "fp32, bf16 or int32");
    sub->add_option("--op", args->op, "sum, max or min (reductions)");
    sub->add_option("--root", args->root, "broadcast root, send/recv sender");
    sub->add_option("--algorithm", args->algorithm,
                    "all-reduce: auto, ring, direct or recursive-doubling (auto: direct on all-to-all, "
                    "recursive doubling for <= 4 KiB on 2^k chips, else ring)");
    sub->add_option("--peer", args->peer, "send/recv receiver");
    sub->add_option("--backend", args->backend, "golden (rtl: not built yet)");
    sub->add_option("--ranks", args->ranks, "MPI ranks (not built yet: 1)");
    sub->add_option("--ber", args->ber, "bit-error rate per bit on every link (rtl)");
    sub->add_option("--config", args->config, "hardware configuration of every chip");
    sub->add_option("--seed", args->seed, "seed of the inputs");
    sub->add_flag("--in-place", args->in_place, "output where the input is");
    sub->add_flag("--one-direction", args->one_direction, "ring collectives: use one ring direction only");
    sub->add_flag("--json", args->json, "print one JSON object");
    sub->add_flag("--no-race-check", args->no_race_check,
                  "golden: no race checker across the chips (it shadows every byte touched: ~70x the buffers)");
    out.push_back([sub, kind, args]() { return sub->parsed() ? run(kind, *args) : -1; });
  }
  return out;
}

}  // namespace systole::cli
