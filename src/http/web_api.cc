// The routes behind the web pages: console sign-in (a token for a session cookie and a CSRF
// token), what the privacy center's forms need, a browser's consent choices, the data map,
// resending a failed notification, and the published notices as pages.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "audit/audit.h"
#include "http/api.h"
#include "http/respond.h"
#include "http/web.h"
#include "inventory/taxonomy.h"
#include "notice/notice.h"
#include "rights/json.h"

namespace steward::http {
namespace {

using nlohmann::json;

bool BehindTls(const Request& req) { return req.Header("x-forwarded-proto") == "https"; }

Response NoticePage(int status, std::string body) {
  Response r{.status = status, .content_type = "text/html; charset=utf-8", .body = std::move(body)};
  AddPageHeaders(r);
  // Notices are self-contained documents with their own inline style sheet, and nothing else.
  r.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";
  r.headers["Cache-Control"] = "no-cache";
  return r;
}

}  // namespace

void Api::AddWebRoutes() {
  Add("POST", "/v1/admin/session", "public", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    if (d_.sessions == nullptr) return Fail(ErrorCode::kConflict, "console sign-in is not enabled here", "");
    ASSIGN_OR_RETURN(json body, rights::ParseObject(req.body, false));
    RETURN_IF_ERROR(rights::OnlyKeys(body, {"token"}, ""));
    ASSIGN_OR_RETURN(std::string token, rights::Str(body, "token", ""));
    ASSIGN_OR_RETURN(StaffSession session, d_.sessions->SignIn(token));
    const std::string cookie = std::string(kSessionCookie) + "=" + session.id;
    if (Status audited = d_.store.Write([&](store::Transaction& tx) {
          return audit::Append(tx, d_.clock.Now(), {session.principal.ActorId(), "session.signed_in", session.principal.token_id, "{}"});
        });
        !audited) {
      d_.sessions->SignOut(cookie);  // no session without its audit entry
      return std::unexpected(audited.error());
    }
    Response r = Json(200, {{"role", Name(session.principal.role)}, {"csrf_token", session.csrf}});
    r.headers["Set-Cookie"] = SessionService::Cookie(session.id, BehindTls(req));
    r.headers["Cache-Control"] = "no-store";
    return r;
  });
  Add("GET", "/v1/admin/session", "read", [this](const Request& req, const Params&, const Principal& who) -> Result<Response> {
    json out{{"role", Name(who.role)}, {"csrf_token", nullptr}};
    if (d_.sessions != nullptr && req.Header("authorization").empty()) {
      if (auto session = d_.sessions->Find(req.Header("cookie")); session) out["csrf_token"] = session->csrf;
    }
    Response r = Json(200, out);
    r.headers["Cache-Control"] = "no-store";
    return r;
  });
  Add("DELETE", "/v1/admin/session", "read", [this](const Request& req, const Params&, const Principal& who) -> Result<Response> {
    if (d_.sessions != nullptr) d_.sessions->SignOut(req.Header("cookie"));
    RETURN_IF_ERROR(d_.store.Write([&](store::Transaction& tx) {
      return audit::Append(tx, d_.clock.Now(), {who.ActorId(), "session.signed_out", who.token_id, "{}"});
    }));
    Response r = Json(200, {{"signed_out", true}});
    r.headers["Set-Cookie"] = SessionService::ClearCookie(BehindTls(req));
    return r;
  });

  // What the privacy center needs to draw its forms: who the business is, the jurisdictions it
  // answers, the purposes a consumer can consent to.
  Add("GET", "/v1/center", "public", [this](const Request&, const Params&, const Principal&) -> Result<Response> {
    const auto& org = d_.inventory.organization;
    json purposes = json::array();
    for (const auto& p : d_.inventory.purposes) {
      if (p.legal_basis != "consent") continue;
      purposes.push_back({{"id", p.id}, {"name", p.name}, {"description", p.description}});
    }
    json jurisdictions = json::array();
    for (const std::string& code : d_.requests.rules().Codes()) {
      const rights::JurisdictionRules* j = d_.requests.rules().Find(code);
      json types = json::array();
      for (const auto& [type, rule] : j->types) {
        const auto level = d_.requests.rules().Requirement(rule.verification);
        types.push_back({{"type", rights::Name(type)},
                         {"label", rights::PlainWords(type)},
                         {"data_points", level.data_points},
                         {"signed_declaration", level.signed_declaration}});
      }
      jurisdictions.push_back({{"code", code}, {"name", j->name}, {"types", types}});
    }
    Response r = Json(200, {{"organization", org.name},
                            {"website", org.website},
                            {"honors_gpc", org.honors_gpc},
                            {"jurisdictions", jurisdictions},
                            {"consent_purposes", purposes}});
    r.headers["Cache-Control"] = "no-cache";
    return r;
  });

  // A browser's own consent choices (keyed by the random device id it keeps), to show them.
  Add("GET", "/v1/consent", "public", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    if (!d_.consent) return Fail(ErrorCode::kConflict, "consent is not configured", "consent");
    const std::string device = req.Query("device_id");
    if (device.empty()) return Fail(ErrorCode::kInvalidArgument, "is required", "device_id");
    RETURN_IF_ERROR(d_.consent->DeviceKey(device));
    std::string jurisdiction = req.Query("jurisdiction");
    if (jurisdiction.empty()) jurisdiction = "US-CA";
    json choices = json::array();
    for (const auto& p : d_.inventory.purposes) {
      if (p.legal_basis != "consent") continue;
      ASSIGN_OR_RETURN(auto decision, d_.consent->Decide({.who = {.device_id = device}, .purpose = p.id, .jurisdiction = jurisdiction}));
      choices.push_back({{"purpose", p.id}, {"allowed", decision.allow}, {"reason", decision.reason}});
    }
    Response r = Json(200, {{"choices", choices}});
    r.headers["Cache-Control"] = "no-store";
    return r;
  });
  // Giving or withdrawing consent for a consent-based purpose, from this browser.
  Add("POST", "/v1/consent", "public", [this](const Request& req, const Params&, const Principal&) -> Result<Response> {
    if (!d_.consent) return Fail(ErrorCode::kConflict, "consent is not configured", "consent");
    ASSIGN_OR_RETURN(json body, rights::ParseObject(req.body, false));
    RETURN_IF_ERROR(rights::OnlyKeys(body, {"device_id", "purpose", "choice", "jurisdiction"}, ""));
    ASSIGN_OR_RETURN(std::string device, rights::Str(body, "device_id", ""));
    if (device.empty()) return Fail(ErrorCode::kInvalidArgument, "is required", "device_id");
    ASSIGN_OR_RETURN(std::string purpose, rights::Str(body, "purpose", ""));
    const inventory::Purpose* p = d_.inventory.FindPurpose(purpose);
    if (p == nullptr || p->legal_basis != "consent")
      return Fail(ErrorCode::kInvalidArgument, "is not a purpose you can consent to here", "purpose");
    ASSIGN_OR_RETURN(std::string choice, rights::Str(body, "choice", ""));
    if (choice != "opt_in" && choice != "withdrawn") return Fail(ErrorCode::kInvalidArgument, "must be opt_in or withdrawn", "choice");
    ASSIGN_OR_RETURN(std::string jurisdiction, rights::Str(body, "jurisdiction", ""));
    ASSIGN_OR_RETURN(auto recorded, d_.consent->Record({.who = {.device_id = device},
                                                        .purpose = purpose,
                                                        .choice = choice,
                                                        .source = "form",
                                                        .jurisdiction = jurisdiction.empty() ? "US-CA" : jurisdiction}));
    return Json(200, {{"recorded", recorded.status == "recorded"}, {"status", recorded.status}, {"message", recorded.message}});
  });

  // The data map for the console: each category with where it is stored (dataset fields whose
  // fideslang keys cover it), why it is used, who receives it and how long it is kept.
  Add("GET", "/v1/admin/datamap", "read", [this](const Request&, const Params&, const Principal&) -> Result<Response> {
    const auto& inv = d_.inventory;
    auto purpose_name = [&](const std::string& id) {
      for (const auto& p : inv.purposes)
        if (p.id == id) return p.name;
      return id;
    };
    auto recipient_name = [&](const std::string& id) {
      for (const auto& r : inv.recipients)
        if (r.id == id) return r.name;
      return id;
    };
    auto related = [](const std::string& a, const std::string& b) {
      return a == b || a.starts_with(b + ".") || b.starts_with(a + ".");
    };
    json categories = json::array();
    for (const auto& c : inv.categories) {
      json fields = json::array();
      if (d_.runner) {
        for (const auto& d : d_.runner->datasets())
          for (const auto& col : d.collections)
            for (const auto& f : col.fields) {
              bool covers = false;
              for (const auto& key : f.categories)
                for (const auto& mine : c.fideslang) covers = covers || related(key, mine);
              if (covers) fields.push_back({{"dataset", d.key}, {"collection", col.name}, {"field", f.name}, {"keys", f.categories}});
            }
      }
      json purposes = json::array(), recipients = json::array();
      for (const auto& p : c.purposes) purposes.push_back(purpose_name(p));
      for (const auto& [how, list] : {std::pair{"sold", &c.sold_to}, std::pair{"shared", &c.shared_to}, std::pair{"disclosed", &c.disclosed_to}})
        for (const auto& r : *list) recipients.push_back({{"name", recipient_name(r)}, {"how", how}});
      std::string retention = c.retention.criterion;
      if (c.retention.count > 0)
        retention = std::to_string(c.retention.count) + " " + c.retention.unit + (c.retention.after.empty() ? "" : " after " + c.retention.after);
      categories.push_back({{"id", c.id},
                            {"name", c.name},
                            {"ccpa", std::string(inventory::InfoFor(c.ccpa).letter)},
                            {"sensitive", c.sensitive.empty() ? json(nullptr) : json(c.sensitive)},
                            {"collected", c.collected},
                            {"fideslang", c.fideslang},
                            {"fields", fields},
                            {"purposes", purposes},
                            {"recipients", recipients},
                            {"retention", retention}});
    }
    return Json(200, {{"organization", inv.organization.name}, {"categories", categories}});
  });

  // Retrying a notification that failed (its text is still sealed in the outbox; a delivered
  // one's text is no longer kept, so it cannot be sent again).
  Add("POST", "/v1/admin/requests/{id}/notifications/{message}/resend", "write",
      [this](const Request&, const Params& p, const Principal& who) -> Result<Response> {
        int64_t message_id = 0;
        const std::string& text = p.at("message");
        if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
          return Fail(ErrorCode::kNotFound, "no such notification", "message");
        message_id = std::stoll(text);
        RETURN_IF_ERROR(d_.store.Write([&](store::Transaction& tx) -> Status {
          ASSIGN_OR_RETURN(auto messages, tx.ListMessages(p.at("id"), "", 1000));
          auto it = std::find_if(messages.begin(), messages.end(), [&](const auto& m) { return m.id == message_id; });
          if (it == messages.end()) return Fail(ErrorCode::kNotFound, "no such notification for this request", "message");
          if (it->status != "failed" || it->body_sealed.empty())
            return Fail(ErrorCode::kConflict, "only a failed notification can be sent again (a delivered one's text is not kept)", "message");
          it->status = "pending";
          it->next_attempt_at = ToMillis(d_.clock.Now());
          RETURN_IF_ERROR(tx.UpdateMessage(*it));
          return audit::Append(tx, d_.clock.Now(), {who.ActorId(), "notification.resent", p.at("id"),
                                                    json{{"message", message_id}, {"kind", it->kind}}.dump()});
        }));
        return Json(202, {{"status", "pending"}});
      });

  // The newest published notice of a kind, as its HTML document.
  Add("GET", "/privacy/{kind}", "public", [this](const Request&, const Params& p, const Principal&) -> Result<Response> {
    const std::string& kind = p.at("kind");
    if (kind != "policy" && kind != "collection" && kind != "gdpr" && kind != "incentive")
      return NoticePage(404, "<!doctype html><title>Not found</title><p>There is no such notice.</p>");
    std::optional<store::NoticeVersionRow> newest;  // listed without content: read it whole
    RETURN_IF_ERROR(d_.store.Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(auto versions, tx.ListNoticeVersions(kind, "html"));
      if (versions.empty()) return {};
      const auto it = std::max_element(versions.begin(), versions.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
      ASSIGN_OR_RETURN(newest, tx.GetNoticeVersion(it->id));
      return {};
    }));
    if (!newest)
      return NoticePage(404, "<!doctype html><title>Not published</title><p>This notice has not been published yet.</p>");
    return NoticePage(200, std::move(newest->content));
  });
}

}  // namespace steward::http
