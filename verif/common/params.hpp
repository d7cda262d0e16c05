// A random case's parameters as key=value pairs (the regression's cases, the DRAM knobs): one
// ordered map, so that the text form of a parameter set is canonical and replays exactly.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace systole::verif {

// Ordered, so that the text form is canonical.
using Params = std::map<std::string, std::string>;

// "k1=v1 k2=v2" (keys in order) and back; parse_params throws std::invalid_argument with the
// offending token when a token has no '=' or an empty key, or a key twice.
std::string params_text(const Params& p);
Params parse_params(std::string_view text);

// The integer `v` of key `key` in lo..hi; std::invalid_argument ("key=v: expected an integer in
// lo..hi") otherwise.
unsigned parse_number(const std::string& key, const std::string& v, unsigned lo, unsigned hi);
// Key `key` of p by parse_number, or dflt when p has no such key.
unsigned param_number(const Params& p, const char* key, unsigned lo, unsigned hi, unsigned dflt);

}  // namespace systole::verif
