#include "http/api.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <spdlog/spdlog.h>

#include "audit/audit.h"
#include "core/embedded.h"
#include "http/respond.h"
#include "notice/versions.h"
#include "http/web.h"
#include "rights/json.h"

namespace steward::http {

using json = nlohmann::json;

namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Result<int> IntParam(const Request& req, const std::string& name, int fallback, int lo, int hi) {
  const std::string v = req.Query(name);
  if (v.empty()) return fallback;
  int out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < lo || out > hi) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("must be a whole number from {} to {}", lo, hi), name);
  }
  return out;
}

// A whole decimal number, or `code` naming `field`.
Result<int64_t> ParseId(std::string_view s, const char* field, ErrorCode code) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return Fail(code, code == ErrorCode::kNotFound ? "no such notice version" : "must be a notice version id", field);
  }
  return v;
}

json ScanRunJson(const store::ScanRunRow& r) {
  return {{"id", r.id},
          {"started_at", FormatTimestamp(FromMillis(r.started_at))},
          {"finished_at", FormatTimestamp(FromMillis(r.finished_at))},
          {"actor", r.actor},
          {"targets", json::parse(r.targets, nullptr, false)},
          {"against", r.against.empty() ? json(nullptr) : json(r.against)},
          {"findings", r.findings},
          {"undeclared", r.undeclared}};
}

}  // namespace

Response ErrorToResponse(const Error& e) {
  if (e.code == ErrorCode::kInternal) spdlog::error("http: internal error: {}", e.message);
  json body{{"error",
             {{"code", ErrorCodeName(e.code)},
              // Internal details stay in the log.
              {"message", e.code == ErrorCode::kInternal ? "internal error; see the server log" : e.message},
              {"field", e.field.empty() ? json(nullptr) : json(e.field)}}}};
  Response r;
  r.status = HttpStatusFor(e.code);
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  if (e.code == ErrorCode::kUnauthenticated) r.headers["WWW-Authenticate"] = "Bearer";
  if (e.code == ErrorCode::kRateLimited) r.headers["Retry-After"] = "60";
  return r;
}

Api::Api(ApiDeps deps) : d_(deps) { AddRoutes(); }

void Api::Add(std::string method, std::string pattern, std::string access,
              std::function<Result<Response>(const Request&, const Params&, const Principal&)> fn) {
  Route r{std::move(method), pattern, Split(pattern), std::move(access), std::move(fn)};
  routes_.push_back(std::move(r));
}

std::vector<std::pair<std::string, std::string>> Api::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : routes_) out.emplace_back(r.method, r.pattern);
  return out;
}

Response Api::Handle(const Request& req) {
  const auto parts = Split(req.path);
  std::vector<std::string> allowed;
  for (const auto& route : routes_) {
    if (route.parts.size() != parts.size()) continue;
    Params params;
    bool match = true;
    for (size_t i = 0; i < parts.size() && match; ++i) {
      const std::string& p = route.parts[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        if (parts[i].empty()) match = false;
        params[p.substr(1, p.size() - 2)] = parts[i];
      } else {
        match = p == parts[i];
      }
    }
    if (!match) continue;
    if (route.method != req.method) {
      allowed.push_back(route.method);
      continue;
    }
    Principal principal;
    if (route.access == "public") {
      if (req.method != "GET" || req.path.starts_with("/v1/requests")) {
        if (!d_.public_limiter.Allow(req.client_ip, ToMillis(d_.clock.Now()))) {
          return ErrorToResponse({ErrorCode::kRateLimited, "too many requests from this address; wait a minute", ""});
        }
      }
    } else {
      auto p = Staff(req);
      if (!p) return ErrorToResponse(p.error());
      if (!Allows(p->role, route.access)) {
        return ErrorToResponse({ErrorCode::kPermissionDenied,
                                fmt::format("the {} role may not do this", Name(p->role)), "authorization"});
      }
      principal = *p;
    }
    auto result = route.fn(req, params, principal);
    if (!result) return ErrorToResponse(result.error());
    return std::move(*result);
  }
  if (!allowed.empty()) {
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    Response r = ErrorToResponse({ErrorCode::kInvalidArgument, fmt::format("use {} on this path", allow), "method"});
    r.status = 405;
    r.headers["Allow"] = allow;
    return r;
  }
  if (!req.path.starts_with("/v1/")) {
    if (auto page = ServeWebFile(req)) return std::move(*page);
  }
  return ErrorToResponse({ErrorCode::kNotFound, "no such route; see /v1/openapi.json", "path"});
}

Result<Principal> Api::Staff(const Request& req) const {
  const std::string authorization = req.Header("authorization");
  const std::string cookie = req.Header("cookie");
  if (!authorization.empty() || d_.sessions == nullptr || cookie.find(kSessionCookie) == std::string::npos) {
    return d_.tokens.Authenticate(authorization);
  }
  ASSIGN_OR_RETURN(StaffSession session, d_.sessions->Find(cookie));
  if (req.method != "GET" && req.method != "HEAD" && !SecretsEqual(req.Header("x-csrf-token"), session.csrf)) {
    return Fail(ErrorCode::kPermissionDenied, "this change needs the session's CSRF token; reload the page", "x-csrf-token");
  }
  return session.principal;
}

void Api::AddRoutes() {
  Add("GET", "/healthz", "public", [this](const Request&, const Params&, const Principal&) -> Result<Response> {
    RETURN_IF_ERROR(d_.store.Read([](store::Transaction& tx) -> Status {
      auto head = tx.GetAuditHead();
      if (!head) return std::unexpected(head.error());
      return Ok();
    }));
    return Json(200, {{"status", "ok"}});
  });

  Add("GET", "/v1/openapi.json", "public", [](const Request&, const Params&, const Principal&) -> Result<Response> {
    Response r;
    r.body = std::string(embedded::OpenApiJson());
    r.headers["Cache-Control"] = "public, max-age=300";
    return r;
  });

  // Public intake and the consumer's own view.
  Add("POST", "/v1/requests", "public", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    ASSIGN_OR_RETURN(auto input, rights::ParseIntakeJson(req.body));
    ASSIGN_OR_RETURN(auto result, d_.requests.File(input));
    Response r = Json(201, rights::ToJson(result));
    r.headers["Location"] = "/v1/requests/" + result.id;
    return r;
  });
  Add("GET", "/v1/requests/{id}", "public", [this](const Request& req, const Params& p, const Principal&) -> Result<Response> {
    ASSIGN_OR_RETURN(auto view, d_.requests.ConsumerView(p.at("id"), req.Query("token")));
    return Json(200, rights::ToJson(view, false));
  });
  // An access package, through the unguessable link sent to the consumer. The same answer for
  // an unknown, expired or deleted link.
  Add("GET", "/v1/packages/{token}", "public", [this](const Request&, const Params& p, const Principal&) -> Result<Response> {
    if (!d_.runner) return Fail(ErrorCode::kNotFound, "this download link is unknown or has expired", "token");
    ASSIGN_OR_RETURN(std::string zip, d_.runner->Download(p.at("token")));
    Response r{.status = 200, .content_type = "application/zip", .body = std::move(zip)};
    r.headers["Content-Disposition"] = "attachment; filename=\"personal-information.zip\"";
    r.headers["Cache-Control"] = "no-store";
    return r;
  });
  Add("POST", "/v1/requests/{id}/verify", "public",
      [this](const Request& req, const Params& p, const Principal&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto input, rights::ParseVerifyJson(req.body));
        ASSIGN_OR_RETURN(auto view, d_.requests.Verify(p.at("id"), input.code, input.confirm_agent));
        return Json(200, rights::ToJson(view, false));
      });
  Add("POST", "/v1/requests/{id}/resend-code", "public",
      [this](const Request& req, const Params& p, const Principal&) -> Result<Response> {
        ASSIGN_OR_RETURN(std::string token, rights::ParseTextFieldJson(req.body, "token"));
        RETURN_IF_ERROR(d_.requests.ResendCode(p.at("id"), token));
        return Json(202, {{"status", "code_sent"}});
      });

  // Staff.
  Add("GET", "/v1/admin/requests", "read", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    store::RequestFilter f;
    f.status = req.Query("status");
    if (!f.status.empty() && !rights::ParseState(f.status)) {
      return Fail(ErrorCode::kInvalidArgument, "is not a request status", "status");
    }
    f.type = req.Query("type");
    if (!f.type.empty() && !rights::ParseRequestType(f.type)) {
      return Fail(ErrorCode::kInvalidArgument, "is not a request type", "type");
    }
    f.jurisdiction = req.Query("jurisdiction");
    if (!f.jurisdiction.empty() && !d_.requests.rules().Find(f.jurisdiction)) {
      return Fail(ErrorCode::kInvalidArgument, "is not a jurisdiction", "jurisdiction");
    }
    f.due_before = req.Query("due_before");
    if (!f.due_before.empty() && !ParseDate(f.due_before)) {
      return Fail(ErrorCode::kInvalidArgument, "must be a date of the form YYYY-MM-DD", "due_before");
    }
    ASSIGN_OR_RETURN(f.limit, IntParam(req, "limit", 200, 1, 1000));
    ASSIGN_OR_RETURN(auto views, d_.requests.List(f));
    json items = json::array();
    for (const auto& v : views) items.push_back(rights::ToJson(v, false));
    return Json(200, {{"requests", items}, {"count", items.size()}});
  });
  Add("GET", "/v1/admin/requests/{id}", "read", [this](const Request&, const Params& p, const Principal&) -> Result<Response> {
    ASSIGN_OR_RETURN(auto view, d_.requests.Get(p.at("id")));
    ASSIGN_OR_RETURN(json out, [&]() -> Result<json> {
      json j = rights::ToJson(view, true);
      json messages = json::array();
      RETURN_IF_ERROR(d_.store.Read([&](store::Transaction& tx) -> Status {
        ASSIGN_OR_RETURN(auto rows, tx.ListMessages(view.id, "", 100));
        for (const auto& m : rows) {
          messages.push_back({{"id", m.id}, {"kind", m.kind}, {"channel", m.channel}, {"status", m.status},
                              {"attempts", m.attempts}, {"last_error", m.last_error.empty() ? json(nullptr) : json(m.last_error)}});
        }
        return Ok();
      }));
      j["notifications"] = messages;
      return j;
    }());
    return Json(200, out);
  });
  auto action = [this](std::string name) {
    return [this, name](const Request& req, const Params& p, const Principal& who) -> Result<Response> {
      rights::Actor actor{who.ActorId(), std::string(Name(who.role))};
      Result<rights::RequestView> view = Fail(ErrorCode::kInternal, "unknown action");
      if (name == "deny") {
        ASSIGN_OR_RETURN(auto input, rights::ParseDenyJson(req.body));
        view = d_.requests.Deny(p.at("id"), actor, input);
      } else if (name == "fulfil") {
        return Fulfil(req, p.at("id"), actor);
      } else {
        ASSIGN_OR_RETURN(std::string text, rights::ParseTextFieldJson(req.body, "reason"));
        if (name == "approve") view = d_.requests.Approve(p.at("id"), actor, text);
        if (name == "extend") view = d_.requests.Extend(p.at("id"), actor, text);
        if (name == "cancel") view = d_.requests.Cancel(p.at("id"), actor, text);
      }
      if (!view) return std::unexpected(view.error());
      return Json(200, rights::ToJson(*view, true));
    };
  };
  Add("GET", "/v1/admin/requests/{id}/plan", "read", [this](const Request& req, const Params& p, const Principal&) -> Result<Response> {
    if (!d_.runner || !d_.runner->has_datasets()) {
      return Fail(ErrorCode::kConflict, "no datasets are configured; requests are fulfilled by hand", "datasets");
    }
    fulfil::Corrections corrections;
    if (const std::string set = req.Query("set"); !set.empty()) {
      const size_t eq = set.find('=');
      if (eq == std::string::npos || eq == 0) return Fail(ErrorCode::kInvalidArgument, "must be collection.field=value", "set");
      corrections[set.substr(0, eq)] = set.substr(eq + 1);
    }
    ASSIGN_OR_RETURN(std::string plan, d_.runner->Plan(p.at("id"), corrections));
    return Response{.status = 200, .body = plan};
  });
  for (const char* name : {"approve", "deny", "extend", "fulfil", "cancel"}) {
    Add("POST", fmt::format("/v1/admin/requests/{{id}}/{}", name), "write", action(name));
  }

  Add("GET", "/v1/admin/retention", "read", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    if (!d_.sweeper) return Fail(ErrorCode::kConflict, "retention is not configured", "datasets");
    ASSIGN_OR_RETURN(int limit, IntParam(req, "limit", 20, 1, 200));
    ASSIGN_OR_RETURN(auto runs, d_.sweeper->History(limit));
    json items = json::array();
    for (const auto& r : runs) {
      json report = r.report.empty() ? json(nullptr) : json::parse(r.report, nullptr, false);
      items.push_back({{"id", r.id},
                       {"started_at", FormatTimestamp(FromMillis(r.started_at))},
                       {"finished_at", r.finished_at ? json(FormatTimestamp(FromMillis(r.finished_at))) : json(nullptr)},
                       {"dry_run", r.dry_run},
                       {"trigger", r.trigger},
                       {"status", r.status},
                       {"report", report}});
    }
    json out{{"runs", items}, {"has_rules", d_.sweeper->has_rules()}};
    if (d_.retention_interval.count() > 0 && d_.sweeper->has_rules()) {
      ASSIGN_OR_RETURN(TimePoint next, d_.sweeper->NextDue(d_.retention_interval));
      out["next_due"] = FormatTimestamp(next);
    } else {
      out["next_due"] = nullptr;
    }
    return Json(200, out);
  });
  Add("GET", "/v1/admin/scans", "read", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    ASSIGN_OR_RETURN(int limit, IntParam(req, "limit", 20, 1, 200));
    std::vector<store::ScanRunRow> runs;
    RETURN_IF_ERROR(d_.store.Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(runs, tx.ListScanRuns(limit));
      return {};
    }));
    json items = json::array();
    for (const auto& r : runs) items.push_back(ScanRunJson(r));
    return Json(200, json{{"scans", items}});
  });
  Add("GET", "/v1/admin/scans/{id}", "read", [this](const Request&, const Params& p, const Principal&) -> Result<Response> {
    std::optional<store::ScanRunRow> run;
    RETURN_IF_ERROR(d_.store.Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(run, tx.GetScanRun(p.at("id")));
      return {};
    }));
    if (!run) return Fail(ErrorCode::kNotFound, "no such scan", "id");
    json out = ScanRunJson(*run);
    out["report"] = json::parse(run->report, nullptr, false);
    return Json(200, out);
  });
  Add("POST", "/v1/admin/retention/run", "write", [this](const Request& req, const Params&, const Principal& who) -> Result<Response> {
    if (!d_.sweeper || !d_.sweeper->has_rules()) {
      return Fail(ErrorCode::kConflict, "no retention rules in the configured datasets", "datasets");
    }
    ASSIGN_OR_RETURN(json body, rights::ParseObject(req.body, true));
    RETURN_IF_ERROR(rights::OnlyKeys(body, {"dry_run"}, ""));
    ASSIGN_OR_RETURN(bool dry_run, rights::Bool(body, "dry_run", ""));
    ASSIGN_OR_RETURN(auto report, d_.sweeper->Run({.dry_run = dry_run, .trigger = who.ActorId()}));
    return Json(200, json::parse(retention::ToJson(report)));
  });

  AddConsentRoutes();
  AddWebRoutes();

  Add("GET", "/v1/admin/metrics", "read", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    const int this_year = static_cast<int>(LocalDate(d_.clock.Now()).year());
    ASSIGN_OR_RETURN(int year, IntParam(req, "year", this_year, 2020, 2100));
    ASSIGN_OR_RETURN(auto metrics, d_.requests.ComputeMetrics(year));
    return Json(200, rights::ToJson(metrics));
  });

  Add("GET", "/v1/admin/outbox", "read", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    const std::string status = req.Query("status");
    if (!status.empty() && status != "pending" && status != "sent" && status != "failed") {
      return Fail(ErrorCode::kInvalidArgument, "must be pending, sent or failed", "status");
    }
    ASSIGN_OR_RETURN(int limit, IntParam(req, "limit", 100, 1, 1000));
    json items = json::array();
    RETURN_IF_ERROR(d_.store.Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(auto rows, tx.ListMessages(req.Query("request_id"), status, limit));
      for (const auto& m : rows) {
        items.push_back({{"id", m.id},
                         {"request_id", m.request_id.empty() ? json(nullptr) : json(m.request_id)},
                         {"kind", m.kind},
                         {"channel", m.channel},
                         {"subject", m.subject},
                         {"status", m.status},
                         {"attempts", m.attempts},
                         {"next_attempt_at", FormatTimestamp(FromMillis(m.next_attempt_at))},
                         {"last_error", m.last_error.empty() ? json(nullptr) : json(m.last_error)},
                         {"created_at", FormatTimestamp(FromMillis(m.created_at))}});
      }
      return Ok();
    }));
    return Json(200, {{"messages", items}});
  });

  Add("GET", "/v1/admin/notices", "read", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    const std::string kind = req.Query("kind");
    if (!kind.empty()) RETURN_IF_ERROR(notice::ParseKind(kind));
    json versions = json::array();
    RETURN_IF_ERROR(d_.store.Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(auto rows, tx.ListNoticeVersions(kind, ""));
      for (const auto& v : rows) {
        versions.push_back({{"id", v.id}, {"kind", v.kind}, {"format", v.format}, {"effective_date", v.effective_date},
                            {"published_at", FormatTimestamp(FromMillis(v.published_at))}, {"published_by", v.published_by},
                            {"content_hash", v.content_hash}, {"inventory_hash", v.inventory_hash}});
      }
      return Ok();
    }));
    ASSIGN_OR_RETURN(auto warnings, notice::Warnings(d_.store, d_.inventory, LocalDate(d_.clock.Now())));
    return Json(200, {{"versions", versions}, {"warnings", warnings}});
  });
  Add("GET", "/v1/admin/notices/{id}", "read", [this](const Request&, const Params& p, const Principal&) -> Result<Response> {
    ASSIGN_OR_RETURN(int64_t id, ParseId(p.at("id"), "id", ErrorCode::kNotFound));
    std::optional<store::NoticeVersionRow> v;
    RETURN_IF_ERROR(d_.store.Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(v, tx.GetNoticeVersion(id));
      return Ok();
    }));
    if (!v) return Fail(ErrorCode::kNotFound, "no such notice version", "id");
    return Json(200, {{"id", v->id}, {"kind", v->kind}, {"format", v->format}, {"effective_date", v->effective_date},
                      {"content_hash", v->content_hash}, {"content", v->content}});
  });
  Add("GET", "/v1/admin/notices/{id}/diff", "read", [this](const Request& req, const Params& p, const Principal&) -> Result<Response> {
    ASSIGN_OR_RETURN(int64_t to, ParseId(p.at("id"), "id", ErrorCode::kInvalidArgument));
    ASSIGN_OR_RETURN(int64_t from, ParseId(req.Query("against"), "against", ErrorCode::kInvalidArgument));
    ASSIGN_OR_RETURN(std::string diff, notice::Diff(d_.store, from, to));
    return Json(200, {{"from", from}, {"to", to}, {"diff", diff}});
  });

  Add("GET", "/v1/admin/audit/verify", "read", [this](const Request&, const Params&, const Principal&) -> Result<Response> {
    ASSIGN_OR_RETURN(auto report, audit::Verify(d_.store));
    return Json(200, {{"intact", report.intact},
                      {"entries", report.entries},
                      {"first_broken_seq", report.intact ? json(nullptr) : json(report.first_broken_seq)},
                      {"problem", report.intact ? json(nullptr) : json(report.problem)}});
  });
}

Result<Response> Api::Fulfil(const Request& req, const std::string& id, const rights::Actor& actor) {
  ASSIGN_OR_RETURN(json body, rights::ParseObject(req.body, true));
  RETURN_IF_ERROR(rights::OnlyKeys(body, {"note", "manual", "corrections"}, ""));
  ASSIGN_OR_RETURN(std::string note, rights::Str(body, "note", ""));
  ASSIGN_OR_RETURN(bool manual, rights::Bool(body, "manual", ""));
  fulfil::Corrections corrections;
  if (body.contains("corrections")) {
    if (!body["corrections"].is_object()) {
      return Fail(ErrorCode::kInvalidArgument, "must be an object of collection.field: value", "corrections");
    }
    for (const auto& [k, v] : body["corrections"].items()) {
      if (!v.is_string()) return Fail(ErrorCode::kInvalidArgument, "must be a string", "corrections." + k);
      corrections[k] = v.get<std::string>();
    }
  }
  ASSIGN_OR_RETURN(auto view, d_.requests.Get(id));
  if (manual || !d_.runner || !d_.runner->has_datasets() || !fulfil::Runner::Handles(view.type)) {
    ASSIGN_OR_RETURN(auto done, d_.requests.Fulfil(id, actor, note));
    return Json(200, rights::ToJson(done, true));
  }
  ASSIGN_OR_RETURN(auto run, d_.runner->Run(id, actor, corrections));
  json out = rights::ToJson(run.request, true);
  out["fulfilment"] = {{"summary", run.summary}};
  if (!run.download_url.empty()) out["fulfilment"]["download_url"] = run.download_url;
  return Json(200, out);
}

}  // namespace steward::http
