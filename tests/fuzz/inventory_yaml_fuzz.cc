// Fuzz target: inventory YAML. Every problem carries a line and a path; no crash or escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inventory/inventory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto report = steward::inventory::CheckInventory(text, "fuzz.yaml");
  for (const auto& p : report.problems) {
    if (p.path.empty() || p.message.empty()) __builtin_trap();
  }
  if (report.HasErrors() == report.inventory.has_value()) __builtin_trap();
  return 0;
}
