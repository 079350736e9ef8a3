// The consent routes of the HTTP API: Global Privacy Control, public opt-outs, the decision API
// for the company's own systems, the suppression check for mailers, and staff views.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "fulfil/runner.h"
#include "http/api.h"
#include "http/respond.h"
#include "rights/json.h"

namespace steward::http {
namespace {

using nlohmann::json;

constexpr size_t kMaxBatch = 1000;

using rights::OnlyKeys;

Result<json> Body(const Request& req) { return rights::ParseObject(req.body, true); }

Result<std::string> Text(const json& j, const char* key, const std::string& path, bool required) {
  ASSIGN_OR_RETURN(std::string v, rights::Str(j, key, path));
  if (required && v.empty()) return Fail(ErrorCode::kInvalidArgument, "is required", path + key);
  return v;
}

Result<consent::Who> ParseWho(const json& j, const std::string& path) {
  consent::Who who;
  ASSIGN_OR_RETURN(who.device_id, Text(j, "device_id", path, false));
  if (j.contains("identifiers")) {
    if (!j["identifiers"].is_object()) return Fail(ErrorCode::kInvalidArgument, "must be an object", path + "identifiers");
    for (const auto& [k, v] : j["identifiers"].items()) {
      if (!v.is_string()) return Fail(ErrorCode::kInvalidArgument, "must be a string", path + "identifiers." + k);
      who.identifiers[k] = v.get<std::string>();
    }
  }
  return who;
}

Result<consent::DecisionInput> ParseDecision(const json& j, const std::string& path) {
  if (!j.is_object()) return Fail(ErrorCode::kInvalidArgument, "must be an object", path.empty() ? "body" : path);
  RETURN_IF_ERROR(OnlyKeys(j, {"identifiers", "device_id", "purpose", "categories", "recipient", "jurisdiction"}, path));
  consent::DecisionInput in;
  ASSIGN_OR_RETURN(in.who, ParseWho(j, path));
  ASSIGN_OR_RETURN(in.purpose, Text(j, "purpose", path, true));
  ASSIGN_OR_RETURN(in.recipient, Text(j, "recipient", path, false));
  ASSIGN_OR_RETURN(std::string jurisdiction, Text(j, "jurisdiction", path, false));
  if (!jurisdiction.empty()) in.jurisdiction = jurisdiction;
  if (j.contains("categories")) {
    if (!j["categories"].is_array()) return Fail(ErrorCode::kInvalidArgument, "must be a list", path + "categories");
    for (const auto& c : j["categories"]) {
      if (!c.is_string()) return Fail(ErrorCode::kInvalidArgument, "must be a list of strings", path + "categories");
      in.categories.push_back(c.get<std::string>());
    }
  }
  return in;
}

json ToJson(const consent::Decision& d) {
  return {{"allow", d.allow},
          {"reason", d.reason},
          {"basis", d.basis.empty() ? json(nullptr) : json(d.basis)},
          {"evaluated_at", FormatTimestamp(d.evaluated_at)},
          {"us_privacy", d.us_privacy},
          {"gpp", d.gpp.empty() ? json(nullptr) : json(d.gpp)}};
}

// Sec-GPC: exactly "1" is a signal; anything else is ignored, as the GPC specification says.
bool GpcSignal(const Request& req) { return req.Header("sec-gpc") == "1"; }

}  // namespace

void Api::AddConsentRoutes() {
  Add("GET", "/.well-known/gpc.json", "public", [this](const Request&, const Params&, const Principal&) -> Result<Response> {
    Response r = Json(200, {{"gpc", d_.inventory.organization.honors_gpc},
                            {"lastUpdate", FormatDate(LocalDate(d_.clock.Now()))}});
    r.headers["Cache-Control"] = "max-age=3600";
    return r;
  });

  // A browser's Global Privacy Control signal: an opt-out of sale/sharing for that browser, and
  // through its links for the person it belongs to.
  Add("POST", "/v1/gpc", "public", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    if (!d_.consent) return Fail(ErrorCode::kConflict, "consent is not configured", "consent");
    ASSIGN_OR_RETURN(json body, Body(req));
    RETURN_IF_ERROR(OnlyKeys(body, {"device_id", "jurisdiction"}, ""));
    ASSIGN_OR_RETURN(std::string device, Text(body, "device_id", "", true));
    ASSIGN_OR_RETURN(std::string jurisdiction, Text(body, "jurisdiction", "", false));
    RETURN_IF_ERROR(d_.consent->DeviceKey(device));
    if (!GpcSignal(req)) {
      return Json(200, {{"gpc_honoured", false}, {"message", "No Global Privacy Control signal was sent; nothing changed."}});
    }
    RETURN_IF_ERROR(d_.consent->Record({.who = {.device_id = device},
                                        .purpose = std::string(consent::kSaleSharing),
                                        .choice = "opt_out",
                                        .source = "gpc",
                                        .jurisdiction = jurisdiction.empty() ? "US-CA" : jurisdiction}));
    return Json(200, {{"gpc_honoured", true},
                      {"message", "Your browser's Global Privacy Control signal was honoured: we do not sell or share "
                                  "your personal information."}});
  });

  // Opt-outs need no account and no verification: sale/sharing, the sensitive-data limit, or
  // withdrawing a consent, as easily as it was given.
  Add("POST", "/v1/opt-out", "public", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    if (!d_.consent) return Fail(ErrorCode::kConflict, "consent is not configured", "consent");
    ASSIGN_OR_RETURN(json body, Body(req));
    RETURN_IF_ERROR(OnlyKeys(body, {"identifiers", "device_id", "purpose", "jurisdiction"}, ""));
    ASSIGN_OR_RETURN(consent::Who who, ParseWho(body, ""));
    ASSIGN_OR_RETURN(std::string purpose, Text(body, "purpose", "", true));
    ASSIGN_OR_RETURN(std::string jurisdiction, Text(body, "jurisdiction", "", false));
    const bool special = purpose == consent::kSaleSharing || purpose == consent::kSensitiveLimit;
    ASSIGN_OR_RETURN(auto recorded, d_.consent->Record({.who = who,
                                                        .purpose = purpose,
                                                        .choice = special ? "opt_out" : "withdrawn",
                                                        .source = "form",
                                                        .jurisdiction = jurisdiction.empty() ? "US-CA" : jurisdiction}));
    json out{{"recorded", true}};
    if (!recorded.ask_again_after.empty()) out["ask_again_after"] = recorded.ask_again_after;
    if (!recorded.processing_due.empty()) out["processing_due"] = recorded.processing_due;
    if (GpcSignal(req) && !who.device_id.empty()) {
      RETURN_IF_ERROR(d_.consent->Record({.who = {.device_id = who.device_id},
                                          .purpose = std::string(consent::kSaleSharing),
                                          .choice = "opt_out",
                                          .source = "gpc",
                                          .jurisdiction = jurisdiction.empty() ? "US-CA" : jurisdiction}));
      out["gpc_honoured"] = true;
    }
    return Json(200, out);
  });

  Add("POST", "/v1/decisions", "decide", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    if (!d_.consent) return Fail(ErrorCode::kConflict, "consent is not configured", "consent");
    ASSIGN_OR_RETURN(json body, Body(req));
    if (body.contains("requests")) {
      RETURN_IF_ERROR(OnlyKeys(body, {"requests"}, ""));
      if (!body["requests"].is_array()) return Fail(ErrorCode::kInvalidArgument, "must be a list", "requests");
      if (body["requests"].size() > kMaxBatch) {
        return Fail(ErrorCode::kInvalidArgument, fmt::format("at most {} decisions per batch", kMaxBatch), "requests");
      }
      // Every request is checked before any is answered: a bad one fails the batch, naming it.
      std::vector<consent::DecisionInput> inputs;
      for (size_t i = 0; i < body["requests"].size(); ++i) {
        ASSIGN_OR_RETURN(auto in, ParseDecision(body["requests"][i], fmt::format("requests[{}].", i)));
        inputs.push_back(std::move(in));
      }
      json out = json::array();
      for (size_t i = 0; i < inputs.size(); ++i) {
        auto d = d_.consent->Decide(inputs[i]);
        if (!d) return Fail(d.error().code, d.error().message, fmt::format("requests[{}].{}", i, d.error().field));
        out.push_back(ToJson(*d));
      }
      return Json(200, {{"decisions", out}});
    }
    ASSIGN_OR_RETURN(auto in, ParseDecision(body, ""));
    ASSIGN_OR_RETURN(auto d, d_.consent->Decide(in));
    return Json(200, ToJson(d));
  });

  Add("GET", "/v1/suppression/check", "decide", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    std::string type, value;
    for (const char* t : {"email", "phone", "account_id"}) {
      if (!req.Query(t).empty()) {
        if (!type.empty()) return Fail(ErrorCode::kInvalidArgument, "give one identifier", t);
        type = t;
        value = req.Query(t);
      }
    }
    if (type.empty()) return Fail(ErrorCode::kInvalidArgument, "give email, phone or account_id", "email");
    bool suppressed = false;
    RETURN_IF_ERROR(d_.store.Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(suppressed, tx.IsSuppressed(fulfil::SuppressionHash(d_.key, type, value)));
      return {};
    }));
    return Json(200, {{"suppressed", suppressed}});
  });

  Add("POST", "/v1/admin/consent", "write", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    if (!d_.consent) return Fail(ErrorCode::kConflict, "consent is not configured", "consent");
    ASSIGN_OR_RETURN(json body, Body(req));
    RETURN_IF_ERROR(OnlyKeys(body, {"identifiers", "device_id", "purpose", "choice", "source", "jurisdiction", "confirmed",
                                    "age", "by_parent", "grounds", "link"},
                             ""));
    ASSIGN_OR_RETURN(consent::Who who, ParseWho(body, ""));
    ASSIGN_OR_RETURN(bool link, rights::Bool(body, "link", ""));
    if (link) {
      RETURN_IF_ERROR(d_.consent->Link(who, "admin"));
      return Json(200, {{"linked", true}});
    }
    consent::RecordInput in{.who = who};
    ASSIGN_OR_RETURN(in.purpose, Text(body, "purpose", "", true));
    ASSIGN_OR_RETURN(in.choice, Text(body, "choice", "", true));
    ASSIGN_OR_RETURN(std::string source, Text(body, "source", "", false));
    in.source = source.empty() ? "admin" : source;
    ASSIGN_OR_RETURN(std::string jurisdiction, Text(body, "jurisdiction", "", false));
    if (!jurisdiction.empty()) in.jurisdiction = jurisdiction;
    ASSIGN_OR_RETURN(in.grounds, Text(body, "grounds", "", false));
    ASSIGN_OR_RETURN(in.confirmed, rights::Bool(body, "confirmed", ""));
    ASSIGN_OR_RETURN(in.by_parent, rights::Bool(body, "by_parent", ""));
    if (body.contains("age")) {
      if (!body["age"].is_number_integer()) return Fail(ErrorCode::kInvalidArgument, "must be a whole number", "age");
      in.age = body["age"].get<int>();
    }
    ASSIGN_OR_RETURN(auto result, d_.consent->Record(in));
    return Json(200, {{"status", result.status}, {"message", result.message}});
  });

  Add("GET", "/v1/admin/consent", "read", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    if (!d_.consent) return Fail(ErrorCode::kConflict, "consent is not configured", "consent");
    consent::Who who;
    for (const char* t : {"email", "phone", "account_id"}) {
      if (!req.Query(t).empty()) who.identifiers[t] = req.Query(t);
    }
    who.device_id = req.Query("device_id");
    ASSIGN_OR_RETURN(auto events, d_.consent->History(who));
    json items = json::array();
    for (const auto& e : events) {
      items.push_back({{"seq", e.seq},
                       {"purpose", e.purpose},
                       {"choice", e.choice},
                       {"source", e.source},
                       {"jurisdiction", e.jurisdiction},
                       {"notice_version", e.notice_version},
                       {"at", FormatTimestamp(FromMillis(e.at))},
                       {"detail", e.choice == "link" ? json("(a linked key)") : json(e.detail)}});
    }
    std::string until;
    ASSIGN_OR_RETURN(bool may_ask, d_.consent->MayAskToOptIn(who, &until));
    return Json(200, {{"events", items},
                      {"may_ask_to_opt_in", may_ask},
                      {"ask_again_after", until.empty() ? json(nullptr) : json(until)}});
  });
}

}  // namespace steward::http
