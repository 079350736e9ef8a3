// JSON mapping of requests, shared by the HTTP API and the CLI so both speak the same shapes.
// Parsers take untrusted text and return invalid_argument naming the offending field; they
// never throw. Stateless and thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "rights/service.h"

namespace steward::rights {

// A public intake body: {type, jurisdiction, identity{…}, signed_declaration, agent{…},
// lookback_all, details, appeal_of, appeal_token, channel}.
Result<IntakeInput> ParseIntakeJson(std::string_view body);

struct VerifyInput {
  std::string code;
  std::optional<bool> confirm_agent;
};
Result<VerifyInput> ParseVerifyJson(std::string_view body);
Result<DenyInput> ParseDenyJson(std::string_view body);
// An optional {"<field>": "…"} body (approve, extend, fulfil, cancel); an empty body is "".
Result<std::string> ParseTextFieldJson(std::string_view body, std::string_view field);

nlohmann::json ToJson(const IntakeResult& r);
// admin adds identity, agent, details and event actors.
nlohmann::json ToJson(const RequestView& v, bool admin);
nlohmann::json ToJson(const Metrics& m);

}  // namespace steward::rights
