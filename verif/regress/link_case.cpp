// The "link" case kind (link_case.hpp): parameters, generation, the run on the multi-chip
// golden system against the host reference, shrinking, coverage.
#include "link_case.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <stdexcept>

#include "systole/driver/multi_device.hpp"

namespace systole::verif::regress {
namespace {

using collectives::Kind;
using collectives::Spec;

const std::vector<std::string> kCollectives = {"allreduce", "reducescatter", "allgather",
                                               "broadcast", "alltoall",      "sendrecv"};
const std::vector<std::string> kDtypes = {"fp32", "bf16", "int32"};

golden::DType dtype_of(const std::string& s) {
  if (s == "fp32") return golden::DType::kFp32;
  if (s == "bf16") return golden::DType::kBf16;
  if (s == "int32") return golden::DType::kInt32;
  throw std::invalid_argument(fmt::format("dtype={}: expected fp32, bf16 or int32", s));
}

bool reduces(Kind k) { return k == Kind::kAllReduce || k == Kind::kReduceScatter; }

std::string get(const Params& p, const std::string& key) {
  const auto it = p.find(key);
  if (it == p.end()) throw std::invalid_argument(fmt::format("missing key '{}'", key));
  return it->second;
}

class LinkKind final : public CaseKind {
 public:
  std::string name() const override { return "link"; }

  Params generate(const std::string& config, std::uint64_t seed) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    std::mt19937_64 rng(seed);
    Params p;
    // tiny has no vector engine: no reductions there.
    std::vector<std::string> kinds = kCollectives;
    if (!cfg.vector_engine) kinds = {"allgather", "broadcast", "alltoall", "sendrecv"};
    const std::string coll = kinds[rng() % kinds.size()];
    const Kind k = collectives::parse_kind(coll);
    const std::uint32_t chips = k == Kind::kSendRecv ? 2 + rng() % 15 : 1 + rng() % 16;
    p["collective"] = coll;
    p["chips"] = std::to_string(chips);
    p["dtype"] = kDtypes[rng() % kDtypes.size()];
    const std::uint64_t tile = std::uint64_t{cfg.partitions} * 512;
    const unsigned cls = rng() % 8;
    std::uint64_t count = cls == 0   ? 0
                          : cls == 1 ? rng() % (chips + 1)
                          : cls <= 4 ? 1 + rng() % tile
                                     : 1 + rng() % (4 * tile * chips);
    // The per-chip parts of reduce-scatter, all-gather and all-to-all multiply by N.
    if (k == Kind::kReduceScatter || k == Kind::kAllGather || k == Kind::kAllToAll) count = count / chips;
    // At most 1 MiB of input per chip: the race checker shadows every byte a chip touches
    // (about 70 bytes each), and 16 chips of it must fit a regression job.
    const std::uint64_t per_chip_parts = k == Kind::kReduceScatter || k == Kind::kAllToAll ? chips : 1;
    count = std::min<std::uint64_t>(count, (1u << 20) / 4 / per_chip_parts);
    p["count"] = std::to_string(count);
    // (std::string(): GCC 12's -Wrestrict misfires on a literal assigned to a map value.)
    p["op"] = reduces(k) ? std::vector<std::string>{"sum", "max", "min"}[rng() % 3] : std::string("none");
    p["in_place"] = std::string(k != Kind::kAllToAll && rng() % 3 == 0 ? "1" : "0");
    p["dirs"] = std::string(rng() % 4 == 0 ? "one" : "both");
    // All-reduce: any algorithm (recursive doubling only on a power of two chips).
    std::vector<std::string> algos = {"auto", "ring", "direct"};
    if (k == Kind::kAllReduce && (chips & (chips - 1)) == 0) algos.push_back("recursive-doubling");
    p["algorithm"] = k == Kind::kAllReduce ? algos[rng() % algos.size()] : std::string("auto");
    const std::uint32_t root = rng() % chips;
    p["root"] = std::to_string(root);
    p["peer"] = std::to_string(chips > 1 ? (root + 1 + rng() % (chips - 1)) % chips : 0);
    return p;
  }

  Outcome run(const std::string& config, std::uint64_t seed, const Params& p) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    const Spec s = parse_link_case(cfg, p);
    driver::DeviceOptions o;
    o.dram_bytes = collectives::dram_bytes_needed(s, cfg);
    Outcome out;
    try {
      auto dev = driver::make_multi_device("golden", config, s.chips, o);
      const collectives::Buffers in = collectives::random_inputs(s, seed ^ 0x6c696e6bULL);
      const collectives::RunOutcome r = collectives::run(*dev, s, in);
      if (!r.races.empty()) {
        out.message = "race across chips: " + r.races.front();
        return out;
      }
      const collectives::Buffers want = collectives::reference(s, in, 0xA5);
      const std::uint32_t size = golden::dtype_size(s.dtype);
      for (std::uint32_t c = 0; c < s.chips; ++c) {
        for (std::size_t e = 0; e < want[c].size() / size; ++e) {
          if (std::memcmp(want[c].data() + e * size, r.outputs[c].data() + e * size, size) != 0) {
            out.message = fmt::format("chip {} element {} differs from the reference", c, e);
            return out;
          }
        }
      }
      const collectives::Accuracy a = collectives::check_accuracy(s, in, r.outputs);
      if (a.violations > 0) {
        out.message = fmt::format("{} elements outside the float64 bound (max error {:.3g}, bound {:.3g})",
                                  a.violations, a.max_abs_error, a.max_allowed);
        return out;
      }
    } catch (const driver::MultiDeviceError& e) {
      out.message = fmt::format("the system stopped: {}", e.what());
      return out;
    }
    out.pass = true;
    return out;
  }

  std::vector<Params> shrink(const std::string& config, const Params& p) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    const Spec s = parse_link_case(cfg, p);
    std::vector<Params> out;
    auto with = [&](const std::string& k, const std::string& v) {
      Params q = p;
      q[k] = v;
      try {
        parse_link_case(cfg, q);
        if (q != p) out.push_back(std::move(q));
      } catch (const std::invalid_argument&) {
      }
    };
    if (s.count > 1) with("count", std::to_string(s.count / 2));
    if (s.count > 1) with("count", "1");
    const std::uint32_t min_chips = s.kind == Kind::kSendRecv ? 2 : 1;
    if (s.chips > min_chips) {
      with("chips", std::to_string(std::max(min_chips, s.chips / 2)));
      with("chips", std::to_string(s.chips - 1));
    }
    with("dirs", "one");
    with("in_place", "0");
    with("root", "0");
    with("algorithm", "auto");
    if (s.dtype != golden::DType::kFp32) with("dtype", "fp32");
    return out;
  }

  CoverageKey coverage(const std::string& config, const Params& p) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    const Spec s = parse_link_case(cfg, p);
    CoverageKey k;
    k.dtype = get(p, "dtype");
    k.shape_class = link_size_class(cfg, s);
    k.values = get(p, "op");
    k.stall = std::string("none");
    return k;
  }

  std::vector<std::string> bins(const std::string& config, std::uint64_t, const Params& p) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    const Spec s = parse_link_case(cfg, p);
    return {fmt::format("{}/{}/{}", get(p, "collective"), get(p, "dtype"), link_size_class(cfg, s))};
  }
};

}  // namespace

Spec parse_link_case(const golden::Config& cfg, const Params& p) {
  Spec s;
  s.kind = collectives::parse_kind(get(p, "collective"));
  s.chips = parse_number("chips", get(p, "chips"), 1, 16);
  s.count = parse_number("count", get(p, "count"), 0, 1u << 20);
  s.dtype = dtype_of(get(p, "dtype"));
  const std::string op = get(p, "op");
  if (reduces(s.kind)) {
    s.op = collectives::parse_redop(op);
  } else if (op != "none") {
    throw std::invalid_argument(fmt::format("op={}: expected none for {}", op, get(p, "collective")));
  }
  s.in_place = parse_number("in_place", get(p, "in_place"), 0, 1) != 0;
  const std::string dirs = get(p, "dirs");
  if (dirs != "both" && dirs != "one") throw std::invalid_argument(fmt::format("dirs={}: expected both or one", dirs));
  s.both_directions = dirs == "both";
  s.algorithm = collectives::parse_algorithm(p.count("algorithm") ? get(p, "algorithm") : std::string("auto"));
  s.root = parse_number("root", get(p, "root"), 0, 15);
  s.peer = parse_number("peer", get(p, "peer"), 0, 15);
  collectives::validate(s, cfg);  // std::invalid_argument with the reason
  return s;
}

std::string link_size_class(const golden::Config& cfg, const Spec& s) {
  if (s.count == 0) return "empty";
  if (s.count < s.chips) return "tiny";
  return s.count <= std::uint64_t{cfg.partitions} * 512 ? "small" : "multi_tile";
}

std::vector<std::string> link_bin_grid() {
  std::vector<std::string> g;
  for (const auto& c : kCollectives) {
    for (const auto& d : kDtypes) {
      for (const char* cls : {"empty", "tiny", "small", "multi_tile"}) g.push_back(fmt::format("{}/{}/{}", c, d, cls));
    }
  }
  return g;
}

const CaseKind& link_kind() {
  static const LinkKind kind;
  return kind;
}

}  // namespace systole::verif::regress
