#include "dram_knobs.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace systole::verif {
namespace {

// Probabilities are kept in thousandths so that the text form round-trips exactly.
double permille(const std::string& key, const std::string& v) {
  const unsigned long n = std::stoul(v);
  if (n > 950) throw std::invalid_argument(fmt::format("{}={}: expected a probability in thousandths, 0..950", key, v));
  return static_cast<double>(n) / 1000.0;
}

unsigned number(const std::string& key, const std::string& v, unsigned lo, unsigned hi) {
  return parse_number(key, v, lo, hi);
}

unsigned get(const Params& p, const char* key, unsigned dflt) {
  const auto it = p.find(key);
  return it == p.end() ? dflt : number(key, it->second, 0, 1'000'000);
}

}  // namespace

void draw_dram(Params& p, std::mt19937_64& rng) {
  auto pick = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
  // The stall class first (none 3/16, latency 1/4, back-pressure 5/16, reordering 1/4), then
  // knobs that make stall_class() give it back: drawing every knob independently left the
  // "latency" class (long latency, no back-pressure, in order) at about 0.5% of the cases.
  const unsigned c = pick(16);
  const bool calm = c < 3, latency_only = c >= 3 && c < 7, reorder = c >= 12;
  // Half the time a channel has no back-pressure at all; otherwise up to 50% of cycles.
  auto prob = [&] { return calm || latency_only || pick(2) ? 0u : pick(501); };
  p["dram_rl"] = std::to_string(calm ? 1 + pick(8) : latency_only ? 9 + pick(92) : 1 + pick(100));
  p["dram_rj"] = std::to_string(calm || pick(3) == 0 ? 0 : pick(30));
  p["dram_wl"] = std::to_string(calm ? 1 + pick(8) : 1 + pick(60));
  p["dram_wj"] = std::to_string(calm || pick(3) == 0 ? 0 : pick(20));
  p["dram_par"] = std::to_string(prob());
  p["dram_paw"] = std::to_string(prob());
  p["dram_pw"] = std::to_string(prob());
  p["dram_pr"] = std::to_string(prob());
  p["dram_pb"] = std::to_string(prob());
  // bytes/cycle, 0 = unlimited; the back-pressure class always has one of these six knobs set
  const bool need_bp = c >= 7 && c < 12;
  const bool any_p =
      p["dram_par"] != "0" || p["dram_paw"] != "0" || p["dram_pw"] != "0" || p["dram_pr"] != "0" || p["dram_pb"] != "0";
  p["dram_bpc"] = std::to_string((need_bp && !any_p) || (!calm && !latency_only && pick(3) == 0) ? 1 + pick(64) : 0);
  // to_string, not a const char*: GCC 12 -O2 gives a false -Wrestrict on string = "1" here.
  p["dram_reorder"] = std::to_string(reorder ? 1 : 0);
  p["dram_interleave"] = std::to_string(reorder && pick(2) ? 1 : 0);
}

void apply_dram(const Params& p, sim::AxiMemoryConfig& m) {
  for (const auto& [k, v] : p) {
    if (k.rfind("dram_", 0) != 0) continue;
    if (k == "dram_rl") m.read_latency = number(k, v, 1, 100000);
    else if (k == "dram_rj") m.read_jitter = number(k, v, 0, 100000);
    else if (k == "dram_wl") m.write_latency = number(k, v, 1, 100000);
    else if (k == "dram_wj") m.write_jitter = number(k, v, 0, 100000);
    else if (k == "dram_par") m.p_arready_low = permille(k, v);
    else if (k == "dram_paw") m.p_awready_low = permille(k, v);
    else if (k == "dram_pw") m.p_wready_low = permille(k, v);
    else if (k == "dram_pr") m.p_rvalid_gap = permille(k, v);
    else if (k == "dram_pb") m.p_bvalid_gap = permille(k, v);
    else if (k == "dram_bpc") m.bytes_per_cycle = number(k, v, 0, 4096);
    else if (k == "dram_reorder") m.reorder = number(k, v, 0, 1) != 0;
    else if (k == "dram_interleave") m.interleave_reads = number(k, v, 0, 1) != 0;
    else throw std::invalid_argument(fmt::format("{}: unknown DRAM parameter", k));
  }
}

std::string stall_class(const Params& p) {
  if (get(p, "dram_reorder", 0) || get(p, "dram_interleave", 0)) return "reorder";
  for (const char* k : {"dram_par", "dram_paw", "dram_pw", "dram_pr", "dram_pb", "dram_bpc"}) {
    if (get(p, k, 0) != 0) return "backpressure";
  }
  if (get(p, "dram_rl", 1) > 8 || get(p, "dram_wl", 1) > 8 || get(p, "dram_rj", 0) || get(p, "dram_wj", 0)) {
    return "latency";
  }
  return "none";
}

std::string randomize_dram(sim::AxiMemoryConfig& m, std::mt19937_64& rng) {
  Params p;
  draw_dram(p, rng);
  apply_dram(p, m);
  return "DRAM (" + stall_class(p) + "): " + params_text(p);
}

std::vector<Params> shrink_dram(const Params& p) {
  std::vector<Params> out;
  auto variant = [&](std::initializer_list<std::pair<const char*, const char*>> kv) {
    Params q = p;
    bool changed = false;
    for (const auto& [k, v] : kv) {
      auto it = q.find(k);
      if (it != q.end() && it->second != v) {
        it->second = v;
        changed = true;
      }
    }
    if (changed) out.push_back(std::move(q));
  };
  variant({{"dram_reorder", "0"}, {"dram_interleave", "0"}});
  variant({{"dram_interleave", "0"}});
  variant(
      {{"dram_par", "0"}, {"dram_paw", "0"}, {"dram_pw", "0"}, {"dram_pr", "0"}, {"dram_pb", "0"}, {"dram_bpc", "0"}});
  variant({{"dram_rj", "0"}, {"dram_wj", "0"}});
  variant({{"dram_rl", "1"}, {"dram_wl", "1"}});
  return out;
}

}  // namespace systole::verif
