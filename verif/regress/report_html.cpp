// The static HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched)
// so that it can be archived as a CI artifact and opened anywhere. Failures come first, each with
// the command that replays it; then utilization histograms, functional coverage and every case.
#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "coverage.hpp"
#include "report.hpp"

namespace systole::verif::regress {
namespace {

constexpr std::size_t kMaxFailures = 200;   // failures shown in full
constexpr std::size_t kMaxUnhit = 100;      // unhit coverage bins listed
constexpr std::size_t kMaxCaseRows = 5000;  // rows of the all-cases table

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#1a7f37}.fail,.error{color:#c0162b;font-weight:bold}
.totals span{margin-right:1.5em;font-size:1.2em}
pre{background:#f6f6f6;padding:4px 6px;white-space:pre-wrap;word-break:break-all;margin:2px 0}
.failure{border-left:4px solid #c0162b;padding-left:8px;margin:1em 0}
.cov td{text-align:center;font-family:monospace}.cov .full{background:#d8f5dc}.cov .part{background:#fff4c2}
.cov .empty{background:#fbd5d5}.cov .na{background:#eee;color:#999}.z{color:#c0162b;font-weight:bold}
.na .z{color:#999;font-weight:normal}.note{color:#666}svg{margin:4px 12px 4px 0}
)";

std::string h(std::string_view s) { return html_escape(s); }

std::string pct(double u) { return fmt::format("{:.1f}%", 100.0 * u); }

std::string util_cells(const Tally& t) {
  if (t.util_cases == 0) return "<td class=n>&mdash;</td><td class=n>&mdash;</td><td class=n>&mdash;</td>";
  return fmt::format("<td class=n>{}</td><td class=n>{}</td><td class=n>{}</td>", pct(t.util_mean()), pct(t.util_min),
                     pct(t.util_max));
}

void header(std::ostringstream& o, const Results& r, const Tally& all) {
  const auto& m = r.meta;
  o << "<h1>Systole random regression</h1>\n<table>\n";
  auto row = [&](std::string_view k, const std::string& v) {
    o << "<tr><th>" << k << "</th><td>" << v << "</td></tr>\n";
  };
  row("started", h(m.started));
  row("host", h(m.host));
  row("command", "<code>" + h(m.command) + "</code>");
  row("base seed", fmt::format("{}", m.base_seed));
  row("shard", h(m.shard.empty() ? "unsharded" : m.shard));
  row("configs / kinds", h(fmt::format("{} / {}", fmt::join(m.configs, ","), fmt::join(m.kinds, ","))));
  row("wall time", fmt::format("{:.1f} s", m.wall_seconds));
  row("jobs", fmt::format("{}", m.jobs));
  o << "</table>\n";
  o << fmt::format("<p class=totals><span>{} cases</span><span class=pass>{} pass</span><span class={}>{} fail</span>"
                   "<span class={}>{} error</span></p>\n",
                   all.cases, all.pass, all.fail ? "fail" : "pass", all.fail, all.error ? "error" : "pass", all.error);
}

void group_table(std::ostringstream& o, const std::vector<Group>& gs, const Tally& all) {
  o << "<h2>By kind and configuration</h2>\n<table>\n<tr><th>kind</th><th>config</th><th>cases</th><th>pass</th>"
       "<th>fail</th><th>error</th><th>total cycles</th><th>mean util</th><th>min util</th><th>max util</th></tr>\n";
  auto row = [&](const std::string& kind, const std::string& cfg, const Tally& t) {
    o << fmt::format("<tr><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td>"
                     "<td class=n>{}</td><td class=n>{}</td>{}</tr>\n",
                     h(kind), h(cfg), t.cases, t.pass, t.fail, t.error, t.cycles, util_cells(t));
  };
  for (const auto& g : gs) row(g.kind, g.config, g.tally);
  row("all", "", all);
  o << "</table>\n<p class=note>Utilization = MACs / (P &times; C &times; cycles) over the cases that did MACs.</p>\n";
}

void failures(std::ostringstream& o, const Results& r, std::uint64_t count) {
  o << fmt::format("<h2 id=failures>Failures ({})</h2>\n", count);
  if (count == 0) {
    o << "<p class=pass>None.</p>\n";
    return;
  }
  std::size_t shown = 0;
  for (const auto& c : r.cases) {
    if (c.status == "pass") continue;
    if (shown++ == kMaxFailures) {
      o << fmt::format(
          "<p class=note>Only the first {} failures are shown; junit.xml and results.json have all {}.</p>\n",
          kMaxFailures, count);
      break;
    }
    o << fmt::format("<div class=failure><h3><span class={}>{}</span> {} {} seed {} (case {})</h3>\n", h(c.status),
                     h(c.status), h(c.kind), h(c.config), c.seed, c.index);
    o << "<pre>" << h(c.message) << "</pre>\n";
    o << "<p>params: <code>" << h(c.params) << "</code></p>\n<p>replay:</p><pre>" << h(c.replay) << "</pre>\n";
    if (!c.minimized_replay.empty()) {
      o << "<p>minimized: <code>" << h(c.minimized_params) << "</code></p>\n<p>minimized replay:</p><pre>"
        << h(c.minimized_replay) << "</pre>\n";
    } else {
      o << "<p class=note>not minimized</p>\n";
    }
    o << "</div>\n";
  }
}

// An inline SVG bar chart of ten buckets with the count above each bar.
std::string histogram_svg(const std::array<std::uint64_t, 10>& b) {
  constexpr int kBar = 34, kGap = 6, kH = 120, kTop = 16, kBottom = 18;
  const auto max = std::max<std::uint64_t>(1, *std::max_element(b.begin(), b.end()));
  const int w = 10 * (kBar + kGap) + kGap;
  std::string s =
      fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\" font-size=\"11\" "
                  "font-family=\"sans-serif\"><line x1=\"0\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/>",
                  w, kTop + kH + kBottom, kTop + kH, w, kTop + kH);
  for (int i = 0; i < 10; ++i) {
    const int bh = static_cast<int>(std::lround(static_cast<double>(b[i]) * kH / static_cast<double>(max)));
    const int x = kGap + i * (kBar + kGap);
    s += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#3b7dd8\"><title>{}-{}%: {}</title></rect>", x,
        kTop + kH - bh, kBar, bh, i * 10, i * 10 + 10, b[i]);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"count\">{}</text>", x + kBar / 2,
                     kTop + kH - bh - 3, b[i]);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{}%</text>", x + kBar / 2,
                     kTop + kH + 13, i * 10);
  }
  return s + "</svg>";
}

void histograms(std::ostringstream& o, const Results& r) {
  o << "<h2>Utilization (GEMM cases)</h2>\n";
  std::vector<std::string> configs = r.meta.configs;
  for (const auto& c : r.cases)
    if (c.kind == "gemm" && std::find(configs.begin(), configs.end(), c.config) == configs.end())
      configs.push_back(c.config);
  bool any = false;
  for (const auto& cfg : configs) {
    const auto hist = utilization_histogram(r, cfg);
    std::uint64_t n = 0, no_cycles = 0;
    for (auto v : hist) n += v;
    for (const auto& c : r.cases) no_cycles += c.kind == "gemm" && c.config == cfg && c.cycles == 0;
    if (n == 0 && no_cycles == 0) continue;
    any = true;
    o << fmt::format("<div><h3>{}: {} GEMM cases</h3>{}", h(cfg), n, histogram_svg(hist));
    if (no_cycles) o << fmt::format("<p class=note>{} cases without cycles (errors) are not counted.</p>", no_cycles);
    o << "</div>\n";
  }
  if (!any) o << "<p class=note>No GEMM cases.</p>\n";
}

void gemm_coverage(std::ostringstream& o, const Coverage& cov) {
  o << "<h2>Functional coverage: GEMM</h2>\n";
  o << fmt::format(
      "<p><b>{} of {} reachable bins hit ({:.1f}%)</b> over {} GEMM cases. Reachable dtypes (enabled "
      "on the tensor engine of a configuration of the run): {}.</p>\n",
      cov.reachable_hit, cov.reachable_bins, cov.reachable_percent(), cov.gemm_cases,
      h(cov.reachable_dtypes.empty() ? std::string("none") : fmt::format("{}", fmt::join(cov.reachable_dtypes, ", "))));
  if (cov.gemm_off_grid) {
    o << fmt::format("<p class=fail>{} GEMM cases have coverage attributes outside the documented values.</p>\n",
                     cov.gemm_off_grid);
  }
  o << fmt::format("<p class=note>Each cell: hits with stall {} (a red 0 is a hole; grey rows are dtypes no "
                   "configuration of the run has).</p>\n",
                   fmt::join(kStalls, " &middot; "));
  o << "<table class=cov>\n<tr><th rowspan=2>dtype</th><th rowspan=2>shape</th>";
  for (bool a : kAccumulate)
    o << fmt::format("<th colspan={}>{}</th>", std::size(kValueClasses), a ? "accumulate" : "no accumulate");
  o << "</tr>\n<tr>";
  for (bool a : kAccumulate) {
    (void)a;
    for (auto v : kValueClasses) o << "<th>" << v << "</th>";
  }
  o << "</tr>\n";
  for (auto d : kGemmDtypes) {
    for (auto s : kShapeClasses) {
      o << "<tr><th>" << d << "</th><th>" << s << "</th>";
      for (bool a : kAccumulate) {
        for (auto v : kValueClasses) {
          std::string cell;
          int hit = 0;
          bool reach = true;
          for (auto st : kStalls) {
            const GemmBin b{std::string(d), std::string(s), a, std::string(v), std::string(st)};
            const auto n = cov.gemm.at(b);
            reach = cov.reachable(b);
            hit += n > 0;
            cell += n ? fmt::format("{} ", n) : std::string("<span class=z>0</span> ");
          }
          const char* cls = !reach                                        ? "na"
                            : hit == static_cast<int>(std::size(kStalls)) ? "full"
                            : hit                                         ? "part"
                                                                          : "empty";
          o << "<td class=" << cls << ">" << cell << "</td>";
        }
      }
      o << "</tr>\n";
    }
  }
  o << "</table>\n";
  if (!cov.unhit.empty()) {
    o << fmt::format("<details open><summary>{} reachable bins not hit{}</summary><ul>\n", cov.unhit.size(),
                     cov.unhit.size() > kMaxUnhit ? fmt::format(" (first {} listed)", kMaxUnhit) : "");
    for (std::size_t i = 0; i < cov.unhit.size() && i < kMaxUnhit; ++i)
      o << "<li><code>" << h(bin_name(cov.unhit[i])) << "</code></li>\n";
    o << "</ul></details>\n";
  }
}

void dma_coverage(std::ostringstream& o, const Coverage& cov) {
  o << fmt::format("<h2>Functional coverage: DMA</h2>\n<p>{} DMA cases.</p>\n", cov.dma_cases);
  if (cov.dma_off_grid)
    o << fmt::format("<p class=fail>{} DMA cases have an undocumented stall value.</p>\n", cov.dma_off_grid);
  o << "<table class=cov>\n<tr><th>cast</th>";
  for (auto st : kStalls) o << "<th>" << st << "</th>";
  o << "</tr>\n";
  for (const auto& cast : cov.dma_casts) {
    o << "<tr><th>" << h(cast) << "</th>";
    for (auto st : kStalls) {
      const auto n = cov.dma.at({cast, std::string(st)});
      o << (n ? fmt::format("<td class=full>{}</td>", n) : std::string("<td class=empty><span class=z>0</span></td>"));
    }
    o << "</tr>\n";
  }
  o << "</table>\n";
}

// A grid of string bins (vector instructions, kernel calls) with their hits (coverage.hpp).
void grid_coverage(std::ostringstream& o, const char* title, const std::string& intro, const char* axes,
                   const std::map<std::string, std::uint64_t>& bins, const char* unit) {
  o << fmt::format("<h2>Functional coverage: {}</h2>\n<p>{}</p>\n", title, intro);
  o << fmt::format("<table class=cov>\n<tr><th>{}</th><th>{}</th></tr>\n", axes, unit);
  for (const auto& [bin, n] : bins) {
    o << "<tr><th>" << h(bin) << "</th>"
      << (n ? fmt::format("<td class=full>{}</td>", n) : std::string("<td class=empty><span class=z>0</span></td>"))
      << "</tr>\n";
  }
  o << "</table>\n";
}

void vec_coverage(std::ostringstream& o, const Coverage& cov) {
  if (cov.vec_cases == 0) return;
  grid_coverage(o, "vector",
                fmt::format("{} vector programs; {} of {} bins hit.", cov.vec_cases,
                            cov.vec_grid_bins - cov.vec_unhit.size(), cov.vec_grid_bins),
                "opcode/dtype/function", cov.vec, "instructions");
}

void kernel_coverage(std::ostringstream& o, const Coverage& cov) {
  if (cov.kernel_cases == 0) return;
  grid_coverage(o, "kernels",
                fmt::format("{} kernel calls; {} of {} bins hit.", cov.kernel_cases,
                            cov.kernel_grid_bins - cov.kernel_unhit.size(), cov.kernel_grid_bins),
                "kernel/shape class/dtypes", cov.kernel, "calls");
}

void link_coverage(std::ostringstream& o, const Coverage& cov) {
  if (cov.link_cases == 0) return;
  grid_coverage(o, "collectives",
                fmt::format("{} collectives; {} of {} bins hit.", cov.link_cases,
                            cov.link_grid_bins - cov.link_unhit.size(), cov.link_grid_bins),
                "collective/dtype/size class", cov.link, "cases");
}

void all_cases(std::ostringstream& o, const Results& r) {
  o << fmt::format("<h2>All cases ({})</h2>\n", r.cases.size());
  if (r.cases.size() > kMaxCaseRows) {
    o << fmt::format("<p class=note>The first {} of {} cases are listed; results.json has all of them.</p>\n",
                     kMaxCaseRows, r.cases.size());
  }
  o << "<table>\n<tr><th>index</th><th>kind</th><th>config</th><th>seed</th><th>status</th><th>cycles</th>"
       "<th>util</th><th>params</th></tr>\n";
  for (std::size_t i = 0; i < r.cases.size() && i < kMaxCaseRows; ++i) {
    const auto& c = r.cases[i];
    o << fmt::format("<tr><td class=n>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td class={}>{}</td>"
                     "<td class=n>{}</td><td class=n>{}</td><td><code>{}</code></td></tr>\n",
                     c.index, h(c.kind), h(c.config), c.seed, h(c.status), h(c.status), c.cycles,
                     c.macs ? pct(c.utilization) : "&mdash;", h(c.params));
  }
  o << "</table>\n";
}

}  // namespace

std::array<std::uint64_t, 10> utilization_histogram(const Results& r, const std::string& config) {
  std::array<std::uint64_t, 10> b{};
  for (const auto& c : r.cases) {
    if (c.kind != "gemm" || c.config != config || c.cycles == 0) continue;
    const double u = std::clamp(c.utilization, 0.0, 1.0);
    ++b[std::min<std::size_t>(9, static_cast<std::size_t>(u * 10.0))];
  }
  return b;
}

std::string html_report(const Results& r) {
  Tally all;
  for (const auto& c : r.cases) all.add(c);
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  o << fmt::format("<title>Systole regression: {} cases, {} failed</title>\n", all.cases, all.fail + all.error);
  o << "<style>" << kStyle << "</style>\n</head>\n<body>\n";
  header(o, r, all);
  group_table(o, groups(r), all);
  failures(o, r, all.fail + all.error);
  histograms(o, r);
  try {
    const auto cov = functional_coverage(r);
    gemm_coverage(o, cov);
    dma_coverage(o, cov);
    vec_coverage(o, cov);
    kernel_coverage(o, cov);
    link_coverage(o, cov);
  } catch (const std::exception& e) {
    // The rest of the report is still worth having.
    o << "<h2>Functional coverage</h2>\n<p class=fail>Not computed: " << h(e.what()) << "</p>\n";
  }
  all_cases(o, r);
  o << "</body>\n</html>\n";
  return o.str();
}

}  // namespace systole::verif::regress
