// The text form of a case's parameters: "k1=v1 k2=v2", keys in order (Params is an ordered map),
// so that the same case always prints the same text and a printed text replays (--set).
#include <fmt/format.h>

#include <stdexcept>

#include "params.hpp"

namespace systole::verif {

std::string params_text(const Params& p) {
  std::string s;
  for (const auto& [k, v] : p) {
    if (!s.empty()) s += ' ';
    s += k;
    s += '=';
    s += v;
  }
  return s;
}

Params parse_params(std::string_view text) {
  Params p;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n') ++end;
    const std::string_view tok = text.substr(i, end - i);
    const std::size_t eq = tok.find('=');
    if (eq == std::string_view::npos) {
      throw std::invalid_argument(fmt::format("parameter '{}': expected key=value", tok));
    }
    if (eq == 0) throw std::invalid_argument(fmt::format("parameter '{}': the key before '=' is empty", tok));
    if (!p.emplace(std::string(tok.substr(0, eq)), std::string(tok.substr(eq + 1))).second) {
      throw std::invalid_argument(fmt::format("parameter '{}' is given twice", tok.substr(0, eq)));
    }
    i = end;
  }
  return p;
}

unsigned parse_number(const std::string& key, const std::string& v, unsigned lo, unsigned hi) {
  std::size_t used = 0;
  unsigned long n = 0;
  try {
    n = std::stoul(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != v.size() || v.empty() || n < lo || n > hi) {
    throw std::invalid_argument(fmt::format("{}={}: expected an integer in {}..{}", key, v, lo, hi));
  }
  return static_cast<unsigned>(n);
}

unsigned param_number(const Params& p, const char* key, unsigned lo, unsigned hi, unsigned dflt) {
  const auto it = p.find(key);
  return it == p.end() ? dflt : parse_number(key, it->second, lo, hi);
}

}  // namespace systole::verif
