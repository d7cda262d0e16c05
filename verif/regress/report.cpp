// results.json (write, read, merge), JUnit XML, the escaping both XML and HTML reports need, and
// the per-(kind, config) tallies. The HTML page is in report_html.cpp.
#include "report.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace systole::verif::regress {
namespace {

// Appends s with `special` escaping ASCII characters and "\xHH" for bytes that XML 1.0 / HTML
// cannot carry (C0 controls but tab/newline/CR, DEL, broken or overlong UTF-8, surrogates,
// U+FFFE/U+FFFF). Reports must stay well-formed whatever a failing case printed.
template <class Special>
std::string escape(std::string_view s, Special special) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  auto hex = [&](unsigned char b) { out += fmt::format("\\x{:02x}", b); };
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
        hex(b);
      } else if (!special(out, static_cast<char>(b))) {
        out += static_cast<char>(b);
      }
      ++i;
      continue;
    }
    // A multi-byte UTF-8 sequence: copy it whole when valid, else escape the lead byte.
    const std::size_t len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
    std::uint32_t cp = len == 4 ? b & 0x07u : len == 3 ? b & 0x0fu : b & 0x1fu;
    bool ok = len != 0 && b <= 0xf4 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      ok = (c & 0xc0) == 0x80;
      cp = (cp << 6) | (c & 0x3fu);
    }
    ok = ok && !(len == 3 && cp < 0x800) && !(len == 4 && (cp < 0x10000 || cp > 0x10ffff)) &&
         !(cp >= 0xd800 && cp <= 0xdfff) && cp != 0xfffe && cp != 0xffff;
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      hex(b);
      ++i;
    }
  }
  return out;
}

// Writes text to path through a temporary file and a rename.
void write_file(const std::filesystem::path& path, const std::string& text) {
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) {
      throw std::runtime_error(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
    }
    f << text;
    f.flush();
    if (!f) throw std::runtime_error(fmt::format("cannot write {}: write failed", tmp.string()));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    throw std::runtime_error(fmt::format("cannot rename {} to {}: {}", tmp.string(), path.string(), ec.message()));
}

// The content of a case that must agree when a shard was run twice: all but host timing.
nlohmann::json content(const CaseRecord& c) {
  nlohmann::json j = c;
  j.erase("wall_seconds");
  return j;
}

std::string case_body(const CaseRecord& c) {
  std::string b = fmt::format("{}\nparams: {}\nreplay: {}\n", c.message, c.params, c.replay);
  if (!c.minimized_replay.empty()) {
    b += fmt::format("minimized params: {}\nminimized replay: {}\n", c.minimized_params, c.minimized_replay);
  }
  return b;
}

}  // namespace

std::string xml_escape(std::string_view s) {
  return escape(s, [](std::string& out, char c) {
    switch (c) {
      case '&': out += "&amp;"; return true;
      case '<': out += "&lt;"; return true;
      case '>': out += "&gt;"; return true;
      case '"': out += "&quot;"; return true;
      case '\'': out += "&apos;"; return true;
      // In attribute values a literal tab/newline/CR would be normalized to a space.
      case '\t': out += "&#9;"; return true;
      case '\n': out += "&#10;"; return true;
      case '\r': out += "&#13;"; return true;
      default: return false;
    }
  });
}

std::string html_escape(std::string_view s) {
  return escape(s, [](std::string& out, char c) {
    switch (c) {
      case '&': out += "&amp;"; return true;
      case '<': out += "&lt;"; return true;
      case '>': out += "&gt;"; return true;
      case '"': out += "&quot;"; return true;
      case '\'': out += "&#39;"; return true;
      default: return false;
    }
  });
}

void Tally::add(const CaseRecord& c) {
  ++cases;
  if (c.status == "pass") ++pass;
  else if (c.status == "fail") ++fail;
  else ++error;
  cycles += c.cycles;
  wall_seconds += c.wall_seconds;
  if (c.macs > 0) {
    util_min = util_cases ? std::min(util_min, c.utilization) : c.utilization;
    util_max = util_cases ? std::max(util_max, c.utilization) : c.utilization;
    util_sum += c.utilization;
    ++util_cases;
  }
}

std::vector<Group> groups(const Results& r) {
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by;
  for (std::size_t i = 0; i < r.cases.size(); ++i) by[{r.cases[i].kind, r.cases[i].config}].push_back(i);
  std::vector<Group> out;
  auto take = [&](const std::string& kind, const std::string& config) {
    auto it = by.find({kind, config});
    if (it == by.end()) return;
    Group g{kind, config, std::move(it->second), {}};
    for (auto i : g.cases) g.tally.add(r.cases[i]);
    out.push_back(std::move(g));
    by.erase(it);
  };
  for (const auto& k : r.meta.kinds)
    for (const auto& c : r.meta.configs) take(k, c);
  while (!by.empty()) {
    auto key = by.begin()->first;
    take(key.first, key.second);
  }
  return out;
}

std::string results_json(const Results& r) {
  // replace: a message with broken UTF-8 must not make the whole record unwritable.
  return nlohmann::json(r).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Results read_results(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    throw std::runtime_error(fmt::format("cannot read results file {}: {}", path.string(), std::strerror(errno)));
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(f);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(fmt::format("{} is not valid JSON ({}); expected a results.json written by "
                                         "systole-regress (a shard killed mid-write leaves none)",
                                         path.string(), e.what()));
  }
  if (!j.is_object() || !j.contains("meta") || !j.contains("cases") || !j["cases"].is_array()) {
    throw std::runtime_error(fmt::format("{}: expected an object {{\"meta\": {{...}}, \"cases\": [...]}}, got {}",
                                         path.string(), j.type_name()));
  }
  Results r;
  try {
    r = j.get<Results>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(fmt::format("{}: a field has the wrong type: {}", path.string(), e.what()));
  }
  for (std::size_t i = 0; i < r.cases.size(); ++i) {
    const auto& c = r.cases[i];
    if (c.status != "pass" && c.status != "fail" && c.status != "error") {
      throw std::runtime_error(fmt::format("{}: case {} (index {}) has status '{}', expected pass, fail or error",
                                           path.string(), i, c.index, c.status));
    }
  }
  return r;
}

Results merge_results(const std::vector<Results>& parts) {
  if (parts.empty()) throw std::runtime_error("merge: no results to merge");
  const auto& first = parts.front().meta;
  Results out;
  out.meta = first;
  std::map<std::uint64_t, std::pair<std::size_t, const CaseRecord*>> by_index;  // index -> (part, case)
  std::set<std::string> hosts;
  out.meta.jobs = 0;
  out.meta.wall_seconds = 0;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const auto& m = parts[p].meta;
    if (m.base_seed != first.base_seed) {
      throw std::runtime_error(fmt::format("merge: part {} has base seed {}, part 0 has {}: the shards of one "
                                           "run must share one --seed",
                                           p, m.base_seed, first.base_seed));
    }
    if (m.configs != first.configs || m.kinds != first.kinds) {
      throw std::runtime_error(fmt::format(
          "merge: part {} ran configs [{}] kinds [{}], part 0 ran configs [{}] kinds [{}]: the shards of one run "
          "must run the same lists",
          p, fmt::join(m.configs, ","), fmt::join(m.kinds, ","), fmt::join(first.configs, ","),
          fmt::join(first.kinds, ",")));
    }
    if (!m.started.empty() && (out.meta.started.empty() || m.started < out.meta.started)) out.meta.started = m.started;
    if (!m.host.empty()) hosts.insert(m.host);
    out.meta.jobs += m.jobs;
    out.meta.wall_seconds = std::max(out.meta.wall_seconds, m.wall_seconds);
    for (const auto& c : parts[p].cases) {
      auto [it, fresh] = by_index.try_emplace(c.index, p, &c);
      if (!fresh && content(*it->second.second) != content(c)) {
        throw std::runtime_error(fmt::format(
            "merge: case index {} appears in part {} (seed {}, {}, {}) and part {} (seed {}, {}, {}) with different "
            "content: the parts are not shards of one run",
            c.index, it->second.first, it->second.second->seed, it->second.second->params, it->second.second->status, p,
            c.seed, c.params, c.status));
      }
    }
  }
  out.meta.host = fmt::format("{}", fmt::join(hosts, ","));
  out.meta.shard = fmt::format("merged:{}", parts.size());
  out.cases.reserve(by_index.size());
  for (const auto& [index, pc] : by_index) out.cases.push_back(*pc.second);
  return out;
}

std::string junit_xml(const Results& r) {
  const auto gs = groups(r);
  Tally all;
  for (const auto& c : r.cases) all.add(c);
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x << fmt::format("<testsuites name=\"systole-regress\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                   all.cases, all.fail, all.error, r.meta.wall_seconds);
  for (const auto& g : gs) {
    x << fmt::format(
        "  <testsuite name=\"regress.{}.{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{:.3f}\" "
        "timestamp=\"{}\" hostname=\"{}\">\n",
        xml_escape(g.kind), xml_escape(g.config), g.tally.cases, g.tally.fail, g.tally.error, g.tally.wall_seconds,
        xml_escape(r.meta.started), xml_escape(r.meta.host));
    x << "    <properties>\n";
    auto prop = [&](std::string_view name, std::string_view value) {
      x << fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, xml_escape(value));
    };
    prop("base_seed", fmt::format("{}", r.meta.base_seed));
    prop("shard", r.meta.shard.empty() ? "unsharded" : r.meta.shard);
    prop("command", r.meta.command);
    x << "    </properties>\n";
    for (auto i : g.cases) {
      const auto& c = r.cases[i];
      x << fmt::format("    <testcase classname=\"regress.{}.{}\" name=\"seed_{}\" time=\"{:.3f}\"", xml_escape(c.kind),
                       xml_escape(c.config), c.seed, c.wall_seconds);
      if (c.status == "pass") {
        x << "/>\n";
        continue;
      }
      const char* tag = c.status == "fail" ? "failure" : "error";
      x << fmt::format(">\n      <{} message=\"{}\" type=\"{}\">{}</{}>\n    </testcase>\n", tag, xml_escape(c.message),
                       c.status == "fail" ? "mismatch" : "error", xml_escape(case_body(c)), tag);
    }
    x << "  </testsuite>\n";
  }
  x << "</testsuites>\n";
  return x.str();
}

void write_reports(const std::filesystem::path& dir, const Results& r) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create report directory {}: {}", dir.string(), ec.message()));
  write_file(dir / "results.json", results_json(r));
  write_file(dir / "junit.xml", junit_xml(r));
  write_file(dir / "report.html", html_report(r));
}

}  // namespace systole::verif::regress
