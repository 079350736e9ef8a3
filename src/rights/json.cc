#include "rights/json.h"

#include <fmt/format.h>

namespace steward::rights {

using json = nlohmann::json;

Result<json> ParseObject(std::string_view body, bool allow_empty) {
  if (allow_empty && body.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object();
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Fail(ErrorCode::kInvalidArgument, "the body is not valid JSON", "body");
  if (!j.is_object()) return Fail(ErrorCode::kInvalidArgument, "the body must be a JSON object", "body");
  return j;
}

// Reads an optional string member; invalid_argument when present but not a string.
Result<std::string> Str(const json& obj, const char* key, const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Fail(ErrorCode::kInvalidArgument, "must be a string", path + key);
  return it->get<std::string>();
}

Result<bool> Bool(const json& obj, const char* key, const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return false;
  if (!it->is_boolean()) return Fail(ErrorCode::kInvalidArgument, "must be true or false", path + key);
  return it->get<bool>();
}

Status OnlyKeys(const json& obj, std::initializer_list<std::string_view> allowed, const std::string& path) {
  for (const auto& [k, _] : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Fail(ErrorCode::kInvalidArgument, fmt::format("unknown field; expected one of: {}", list),
                  path + (k.empty() ? "\"\"" : k));
    }
  }
  return Ok();
}

Result<IntakeInput> ParseIntakeJson(std::string_view body) {
  ASSIGN_OR_RETURN(json j, ParseObject(body, false));
  RETURN_IF_ERROR(OnlyKeys(j, {"type", "jurisdiction", "channel", "identity", "signed_declaration", "agent",
                               "lookback_all", "details", "appeal_of", "appeal_token"}, ""));
  IntakeInput in;
  ASSIGN_OR_RETURN(in.type, Str(j, "type", ""));
  if (in.type.empty()) return Fail(ErrorCode::kInvalidArgument, "is required", "type");
  ASSIGN_OR_RETURN(in.jurisdiction, Str(j, "jurisdiction", ""));
  if (in.jurisdiction.empty()) return Fail(ErrorCode::kInvalidArgument, "is required", "jurisdiction");
  ASSIGN_OR_RETURN(std::string channel, Str(j, "channel", ""));
  if (!channel.empty()) in.channel = channel;
  auto identity = j.find("identity");
  if (identity == j.end() || !identity->is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "is required: an object such as {\"email\": \"…\", \"name\": \"…\"}", "identity");
  }
  for (const auto& [k, v] : identity->items()) {
    if (!v.is_string()) return Fail(ErrorCode::kInvalidArgument, "must be a string", "identity." + k);
    in.identity[k] = v.get<std::string>();
  }
  ASSIGN_OR_RETURN(in.signed_declaration, Bool(j, "signed_declaration", ""));
  ASSIGN_OR_RETURN(in.lookback_all, Bool(j, "lookback_all", ""));
  ASSIGN_OR_RETURN(in.details, Str(j, "details", ""));
  ASSIGN_OR_RETURN(in.appeal_of, Str(j, "appeal_of", ""));
  ASSIGN_OR_RETURN(in.appeal_token, Str(j, "appeal_token", ""));
  if (auto agent = j.find("agent"); agent != j.end() && !agent->is_null()) {
    if (!agent->is_object()) return Fail(ErrorCode::kInvalidArgument, "must be an object", "agent");
    RETURN_IF_ERROR(OnlyKeys(*agent, {"name", "email", "phone", "authority", "document_ref"}, "agent."));
    AgentInput a;
    ASSIGN_OR_RETURN(a.name, Str(*agent, "name", "agent."));
    ASSIGN_OR_RETURN(a.email, Str(*agent, "email", "agent."));
    ASSIGN_OR_RETURN(a.phone, Str(*agent, "phone", "agent."));
    ASSIGN_OR_RETURN(a.authority, Str(*agent, "authority", "agent."));
    ASSIGN_OR_RETURN(a.document_ref, Str(*agent, "document_ref", "agent."));
    in.agent = a;
  }
  return in;
}

Result<VerifyInput> ParseVerifyJson(std::string_view body) {
  ASSIGN_OR_RETURN(json j, ParseObject(body, false));
  RETURN_IF_ERROR(OnlyKeys(j, {"code", "confirm_agent"}, ""));
  VerifyInput in;
  ASSIGN_OR_RETURN(in.code, Str(j, "code", ""));
  if (in.code.empty()) return Fail(ErrorCode::kInvalidArgument, "is required", "code");
  if (auto it = j.find("confirm_agent"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) return Fail(ErrorCode::kInvalidArgument, "must be true or false", "confirm_agent");
    in.confirm_agent = it->get<bool>();
  }
  return in;
}

Result<DenyInput> ParseDenyJson(std::string_view body) {
  ASSIGN_OR_RETURN(json j, ParseObject(body, false));
  RETURN_IF_ERROR(OnlyKeys(j, {"reason", "exemption", "explanation"}, ""));
  DenyInput in;
  ASSIGN_OR_RETURN(in.reason, Str(j, "reason", ""));
  if (in.reason.empty()) return Fail(ErrorCode::kInvalidArgument, "is required", "reason");
  ASSIGN_OR_RETURN(in.exemption, Str(j, "exemption", ""));
  ASSIGN_OR_RETURN(in.explanation, Str(j, "explanation", ""));
  return in;
}

Result<std::string> ParseTextFieldJson(std::string_view body, std::string_view field) {
  ASSIGN_OR_RETURN(json j, ParseObject(body, true));
  const std::string key(field);
  RETURN_IF_ERROR(OnlyKeys(j, {field}, ""));
  return Str(j, key.c_str(), "");
}

json ToJson(const IntakeResult& r) {
  return json{{"id", r.id},
              {"status", r.status},
              {"received_at", FormatTimestamp(r.received_at)},
              {"confirm_by", r.confirm_by ? json(FormatDate(*r.confirm_by)) : json(nullptr)},
              {"due_at", FormatDate(r.due_at)},
              {"verification", r.verification},
              {"status_token", r.status_token}};
}

json ToJson(const RequestView& v, bool admin) {
  auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json j{{"id", v.id},
         {"type", v.type},
         {"jurisdiction", v.jurisdiction},
         {"status", v.status},
         {"received_at", FormatTimestamp(v.received_at)},
         {"confirm_by", opt(v.confirm_by)},
         {"due_at", v.due_at},
         {"days_left", v.days_left},
         {"extended", v.extended},
         {"extension_reason", opt(v.extension_reason)},
         {"verification", {{"level", v.verification_level}, {"verified", v.verified}}},
         {"awaiting_agent_confirmation", v.awaiting_agent_confirmation},
         {"lookback_all", v.lookback_all},
         {"appeal_of", opt(v.appeal_of)}};
  if (v.status == "denied") {
    j["outcome"] = {{"result", "denied"}, {"reason", v.denial_reason}, {"exemption", opt(v.denial_detail)},
                    {"explanation", v.denial_explanation}, {"responded_on", v.responded_date}};
  } else if (v.status == "completed") {
    j["outcome"] = {{"result", "completed"}, {"note", opt(v.outcome_note)}, {"responded_on", v.responded_date}};
  }
  if (admin) {
    j["channel"] = v.channel;
    j["original_due_at"] = v.original_due_at;
    j["received_date"] = v.received_date;
    j["verification"]["data_points"] = v.data_points;
    j["verification"]["signed_declaration"] = v.signed_declaration;
    j["identity"] = v.identity;
    j["details"] = opt(v.details);
    j["agent"] = v.agent.empty() ? json(nullptr) : json(v.agent);
    j["notice_version"] = v.notice_version == 0 ? json(nullptr) : json(v.notice_version);
  }
  json events = json::array();
  for (const auto& e : v.events) {
    json ev{{"seq", e.seq}, {"at", FormatTimestamp(e.at)}, {"kind", e.kind}};
    if (!e.from_status.empty()) ev["from"] = e.from_status;
    if (!e.to_status.empty()) ev["to"] = e.to_status;
    if (!e.reason.empty()) ev["reason"] = e.reason;
    if (admin) {
      ev["actor"] = e.actor;
      ev["public"] = e.is_public;
    }
    events.push_back(std::move(ev));
  }
  j["events"] = std::move(events);
  return j;
}

json ToJson(const Metrics& m) {
  json types = json::array();
  for (const auto& t : m.types) {
    types.push_back({{"type", t.type},
                     {"received", t.received},
                     {"complied_in_whole_or_part", t.complied},
                     {"denied", t.denied},
                     {"denied_by_reason", t.denied_by_reason},
                     {"pending", t.pending},
                     {"responded", t.responded},
                     {"median_days_to_respond", t.median_days},
                     {"mean_days_to_respond", t.mean_days}});
  }
  return json{{"year", m.year}, {"types", types}};
}

}  // namespace steward::rights
