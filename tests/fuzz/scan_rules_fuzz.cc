// Fuzz target: custom scanner rule files. A refusal names its file:line and changes nothing;
// an accepted file adds exactly one detector per rule.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scan/internal/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  steward::scan::internal::RuleSet set;
  auto status = steward::scan::internal::AddRulesText(text, "rules.yaml", set);
  if (!status && (status.error().message.empty() || !status.error().field.starts_with("rules.yaml:"))) __builtin_trap();
  if (!status && !set.detectors.empty()) __builtin_trap();
  if (status && set.detectors.size() != set.rules.size()) __builtin_trap();
  return 0;
}
