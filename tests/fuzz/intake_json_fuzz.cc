// Fuzz target: the public intake body (POST /v1/requests), then the verify and deny bodies.
// Whatever the bytes, parsing returns a value or an invalid_argument naming a field; never a
// crash, never an exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rights/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto intake = steward::rights::ParseIntakeJson(text);
  if (!intake && intake.error().field.empty()) __builtin_trap();
  auto verify = steward::rights::ParseVerifyJson(text);
  if (!verify && verify.error().field.empty()) __builtin_trap();
  auto deny = steward::rights::ParseDenyJson(text);
  if (!deny && deny.error().field.empty()) __builtin_trap();
  (void)steward::rights::ParseTextFieldJson(text, "reason");
  return 0;
}
