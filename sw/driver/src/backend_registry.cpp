#include "systole/driver/backend_registry.hpp"

#include <map>
#include <stdexcept>

namespace systole::driver {

namespace {

// Function-local so that registration from any translation unit sees a constructed map.
std::map<std::string, BackendFactory, std::less<>>& registry() {
  static std::map<std::string, BackendFactory, std::less<>> r;
  return r;
}

}  // namespace

void register_backend(std::string_view name, BackendFactory factory) {
  if (name == "golden") throw std::invalid_argument("register_backend: 'golden' is built in");
  if (name.empty() || !factory) throw std::invalid_argument("register_backend: empty name or factory");
  registry()[std::string(name)] = std::move(factory);
}

bool backend_available(std::string_view name) { return name == "golden" || registry().contains(name); }

std::vector<std::string> available_backends() {
  std::vector<std::string> out{"golden"};
  for (const auto& [name, f] : registry()) out.push_back(name);
  return out;
}

BackendFactory find_backend(std::string_view name) {
  const auto it = registry().find(name);
  return it == registry().end() ? BackendFactory{} : it->second;
}

}  // namespace systole::driver
