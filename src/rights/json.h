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

// Building blocks for parsing request bodies, shared by every route that takes JSON.
// A JSON object from `body` ("body" named on error); an empty body is {} when allowed.
Result<nlohmann::json> ParseObject(std::string_view body, bool allow_empty);
// An optional string member: "" when absent or null; invalid_argument (path + key) otherwise.
Result<std::string> Str(const nlohmann::json& obj, const char* key, const std::string& path);
// An optional boolean member: false when absent or null.
Result<bool> Bool(const nlohmann::json& obj, const char* key, const std::string& path);
// invalid_argument naming the first member outside `allowed` (prefixed with `path`).
Status OnlyKeys(const nlohmann::json& obj, std::initializer_list<std::string_view> allowed, const std::string& path);

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
