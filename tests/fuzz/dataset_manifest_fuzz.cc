// Fuzz target: dataset manifests and fideslang imports. Every refusal names its file:line and
// says what is wrong; an accepted manifest emits YAML that parses again; no crash or escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fulfil/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto manifest = steward::fulfil::ParseManifest(text, "fuzz.yaml");
  if (!manifest && (manifest.error().message.empty() || manifest.error().field.empty())) __builtin_trap();
  auto imported = steward::fulfil::ImportFideslang(text, "fuzz.yml");
  if (!imported && (imported.error().message.empty() || imported.error().field.empty())) __builtin_trap();
  if (imported) {
    imported->dsn_env.assign(1, 'X');  // an emitted manifest needs a connection
    if (!steward::fulfil::ParseManifest(steward::fulfil::EmitManifest(*imported), "emitted.yaml")) __builtin_trap();
  }
  return 0;
}
