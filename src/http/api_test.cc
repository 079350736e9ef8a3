// The HTTP API over a real socket: routes, roles, rate limits and every bad input the contract
// names, each answered with the right status and {"error":{code,message,field}}.
#include "http/api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "audit/audit.h"
#include "core/embedded.h"
#include "http_client.h"
#include "notice/versions.h"

namespace steward::http {
namespace {

using json = nlohmann::json;
using steward::testing::HttpCall;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(SetProcessTimeZone("America/Los_Angeles"));
    dir_ = std::filesystem::temp_directory_path() / ("steward-api-" + RandomBase32(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::OpenSqliteStore(dir_ / "steward.db"));
    inventory_ = *inventory::LoadInventoryFile(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/inventory.yaml");
    rules_ = *rights::RulesTable::Default();
    requests_ = std::make_unique<rights::RequestService>(*store_, rules_, inventory_, key_, clock_);
    tokens_ = std::make_unique<TokenService>(*store_, key_, clock_);
    sessions_ = std::make_unique<SessionService>(*tokens_, clock_);
    api_ = std::make_unique<Api>(ApiDeps{*requests_, *tokens_, *store_, key_, clock_, limiter_, inventory_, nullptr, nullptr,
                                         std::chrono::hours(24), nullptr, sessions_.get()});
    server_ = std::make_unique<Server>(ServerOptions{.address = "127.0.0.1", .port = 0, .threads = 2, .body_limit = 4096},
                                       [this](const Request& r) { return api_->Handle(r); });
    auto port = server_->Start();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(); });
    admin_ = tokens_->Create(Role::kAdmin, "test admin", "test")->token;
    auditor_ = tokens_->Create(Role::kAuditor, "test auditor", "test")->token;
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
    server_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  json Body(const steward::testing::HttpResult& r) { return json::parse(r.body); }
  void ExpectError(const steward::testing::HttpResult& r, int status, const std::string& code, const json& field) {
    EXPECT_EQ(r.status, status) << r.body;
    auto b = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(b.is_object()) << r.body;
    EXPECT_EQ(b["error"]["code"], code) << r.body;
    EXPECT_EQ(b["error"]["field"], field) << r.body;
    EXPECT_TRUE(b["error"]["message"].is_string());
  }
  std::map<std::string, std::string> Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  int Count() {
    int n = 0;
    (void)store_->Read([&](store::Transaction& tx) -> Status {
      n = static_cast<int>(tx.ListRequests({})->size());
      return Ok();
    });
    return n;
  }
  std::string CodeFor(const std::string& id) {
    std::string code;
    (void)store_->Read([&](store::Transaction& tx) -> Status {
      auto messages = tx.ListMessages(id, "", 20);
      for (const auto& m : *messages) {
        std::smatch match;
        std::string body = *key_.Open(m.body_sealed);
        if (m.kind == "verification_code" && std::regex_search(body, match, std::regex(R"(\b(\d{6})\b)"))) code = match[1];
      }
      return Ok();
    });
    return code;
  }

  static constexpr const char* kDelete =
      R"({"type":"delete","jurisdiction":"US-CA","identity":{"email":"ada@example.com","name":"Ada Lovelace"}})";

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  inventory::Inventory inventory_;
  rights::RulesTable rules_;
  InstanceKey key_ = InstanceKey::Generate();
  ManualClock clock_{*ParseTimestamp("2026-11-24T17:00:00Z")};
  RateLimiter limiter_{30, 8};
  std::unique_ptr<rights::RequestService> requests_;
  std::unique_ptr<TokenService> tokens_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string admin_, auditor_;
};

TEST_F(ApiTest, PagesAreServedWithAStrictContentSecurityPolicy) {
  auto home = HttpCall(port_, "GET", "/");
  ASSERT_EQ(home.status, 200);
  EXPECT_EQ(home.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_NE(home.body.find("<main"), std::string::npos);
  EXPECT_NE(home.headers["content-security-policy"].find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(home.headers["x-frame-options"], "DENY");
  EXPECT_EQ(HttpCall(port_, "GET", "/request").status, 200);
  EXPECT_EQ(HttpCall(port_, "GET", "/admin").status, 200);
  EXPECT_EQ(HttpCall(port_, "GET", "/admin/").status, 200);
  EXPECT_EQ(HttpCall(port_, "GET", "/app.js").headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(HttpCall(port_, "GET", "/../secret.key").status, 404);
  ExpectError(HttpCall(port_, "GET", "/no-such-page"), 404, "not_found", "path");
  EXPECT_EQ(HttpCall(port_, "POST", "/request").status, 404);
  // No page refers to another origin: no CDN, font or tracker sees the visitors.
  for (const char* page : {"/", "/request", "/status", "/do-not-sell", "/limit", "/consent", "/admin", "/admin/request",
                           "/admin/metrics", "/admin/datamap", "/admin/notices"}) {
    auto r = HttpCall(port_, "GET", page);
    ASSERT_EQ(r.status, 200) << page;
    EXPECT_EQ(r.body.find("http"), std::string::npos) << page;
  }
}

TEST_F(ApiTest, ConsoleSessionsUseAnHttpOnlyCookieAndACsrfToken) {
  ExpectError(HttpCall(port_, "POST", "/v1/admin/session", R"({"token":"stw_wrong"})"), 401, "unauthenticated", "token");
  ExpectError(HttpCall(port_, "POST", "/v1/admin/session", R"({"token":""})"), 400, "invalid_argument", "token");
  auto decider = tokens_->Create(Role::kDecision, "ads", "test")->token;
  ExpectError(HttpCall(port_, "POST", "/v1/admin/session", json{{"token", decider}}.dump()), 403, "permission_denied", "token");

  auto signed_in = HttpCall(port_, "POST", "/v1/admin/session", json{{"token", auditor_}}.dump());
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string set_cookie = signed_in.headers["set-cookie"];
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);  // plain HTTP here
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf = Body(signed_in)["csrf_token"];
  EXPECT_EQ(Body(signed_in)["role"], "auditor");
  // Behind a TLS-terminating proxy the cookie is Secure.
  auto tls = HttpCall(port_, "POST", "/v1/admin/session", json{{"token", admin_}}.dump(), {{"X-Forwarded-Proto", "https"}});
  EXPECT_NE(tls.headers["set-cookie"].find("; Secure"), std::string::npos);

  EXPECT_EQ(HttpCall(port_, "GET", "/v1/admin/requests", "", {{"Cookie", cookie}}).status, 200);
  auto session = HttpCall(port_, "GET", "/v1/admin/session", "", {{"Cookie", "theme=dark; " + cookie}});
  EXPECT_EQ(Body(session)["csrf_token"], csrf);
  // A state change with the cookie alone (a forged cross-site form) is refused before anything runs.
  ExpectError(HttpCall(port_, "POST", "/v1/admin/retention/run", "{}", {{"Cookie", cookie}}), 403, "permission_denied",
              "x-csrf-token");
  ExpectError(HttpCall(port_, "POST", "/v1/admin/retention/run", "{}", {{"Cookie", cookie}, {"X-CSRF-Token", "forged"}}), 403,
              "permission_denied", "x-csrf-token");
  // With the token, the role still decides: an auditor may not change anything.
  ExpectError(HttpCall(port_, "POST", "/v1/admin/retention/run", "{}", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}), 403,
              "permission_denied", "authorization");
  // Signing out ends the session.
  auto out = HttpCall(port_, "DELETE", "/v1/admin/session", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_NE(out.headers["set-cookie"].find("Max-Age=0"), std::string::npos);
  ExpectError(HttpCall(port_, "GET", "/v1/admin/requests", "", {{"Cookie", cookie}}), 401, "unauthenticated", "authorization");
  ExpectError(HttpCall(port_, "GET", "/v1/admin/requests", "", {{"Cookie", "steward_session=made-up"}}), 401, "unauthenticated",
              "authorization");
}

TEST_F(ApiTest, AFailedNotificationCanBeSentAgainAndOnlyThat) {
  auto filed = HttpCall(port_, "POST", "/v1/requests", kDelete);
  ASSERT_EQ(filed.status, 201) << filed.body;
  const std::string id = Body(filed)["id"];
  store::MessageRow message;
  ASSERT_TRUE(store_->Write([&](store::Transaction& tx) -> Status {
    auto rows = tx.ListMessages(id, "", 10);
    EXPECT_TRUE(rows && !rows->empty());
    message = rows->front();
    message.status = "failed";
    message.last_error = "550 mailbox unavailable";
    return tx.UpdateMessage(message);
  }));
  const std::string path = "/v1/admin/requests/" + id + "/notifications/" + std::to_string(message.id) + "/resend";
  ExpectError(HttpCall(port_, "POST", path, "{}", Bearer(auditor_)), 403, "permission_denied", "authorization");
  ASSERT_EQ(HttpCall(port_, "POST", path, "{}", Bearer(admin_)).status, 202);
  (void)store_->Read([&](store::Transaction& tx) -> Status {
    EXPECT_EQ(tx.ListMessages(id, "", 10)->front().status, "pending");
    return Ok();
  });
  ExpectError(HttpCall(port_, "POST", path, "{}", Bearer(admin_)), 409, "conflict", "message");  // not failed now
  ExpectError(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/notifications/999999/resend", "{}", Bearer(admin_)), 404,
              "not_found", "message");
  ExpectError(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/notifications/abc/resend", "{}", Bearer(admin_)), 404,
              "not_found", "message");
}

TEST_F(ApiTest, OpenApiDocumentDescribesExactlyTheRoutes) {
  json doc = json::parse(embedded::OpenApiJson());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::set<std::pair<std::string, std::string>> documented, routed;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, _] : ops.items()) {
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(), ::toupper);
      documented.emplace(m, path);
    }
  }
  for (const auto& r : api_->Routes()) routed.insert(r);
  EXPECT_EQ(documented, routed);
  auto served = HttpCall(port_, "GET", "/v1/openapi.json");
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(json::parse(served.body), doc);
}

TEST_F(ApiTest, HealthzAnswers) {
  auto r = HttpCall(port_, "GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Body(r)["status"], "ok");
  EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
}

TEST_F(ApiTest, FileVerifyApproveFulfilOverTheSocket) {
  auto filed = HttpCall(port_, "POST", "/v1/requests", kDelete);
  ASSERT_EQ(filed.status, 201) << filed.body;
  json f = Body(filed);
  EXPECT_EQ(f["status"], "awaiting_verification");
  EXPECT_EQ(f["due_at"], "2027-01-08");
  EXPECT_EQ(f["confirm_by"], "2026-12-10");
  const std::string id = f["id"], token = f["status_token"];
  EXPECT_EQ(filed.headers["location"], "/v1/requests/" + id);

  auto view = HttpCall(port_, "GET", "/v1/requests/" + id + "?token=" + token);
  ASSERT_EQ(view.status, 200);
  EXPECT_FALSE(Body(view).contains("identity"));

  auto verified = HttpCall(port_, "POST", "/v1/requests/" + id + "/verify", json{{"code", CodeFor(id)}}.dump());
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(Body(verified)["status"], "verified");

  auto listed = HttpCall(port_, "GET", "/v1/admin/requests?status=verified", "", Bearer(auditor_));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(Body(listed)["count"], 1);

  auto approved = HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/approve", "", Bearer(admin_));
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Body(approved)["status"], "in_progress");
  auto done = HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/fulfil", R"({"note":"erased"})", Bearer(admin_));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Body(done)["status"], "completed");

  auto detail = HttpCall(port_, "GET", "/v1/admin/requests/" + id, "", Bearer(auditor_));
  ASSERT_EQ(detail.status, 200);
  EXPECT_EQ(Body(detail)["identity"]["email"], "ada@example.com");
  EXPECT_GE(Body(detail)["notifications"].size(), 3u);
  auto audit = HttpCall(port_, "GET", "/v1/admin/audit/verify", "", Bearer(auditor_));
  EXPECT_EQ(Body(audit)["intact"], true);
  auto metrics = HttpCall(port_, "GET", "/v1/admin/metrics?year=2026", "", Bearer(auditor_));
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(Body(metrics)["types"][0]["complied_in_whole_or_part"], 1);
}

TEST_F(ApiTest, BadIntakeGetsA400NamingTheFieldAndStoresNothing) {
  ExpectError(HttpCall(port_, "POST", "/v1/requests", "{\"type\": \"delete\","), 400, "invalid_argument", "body");
  ExpectError(HttpCall(port_, "POST", "/v1/requests", R"({"type":"teleport","jurisdiction":"US-CA","identity":{"email":"a@b.co"}})"),
              400, "invalid_argument", "type");
  ExpectError(HttpCall(port_, "POST", "/v1/requests", R"({"type":"restrict","jurisdiction":"US-CA","identity":{"email":"a@b.co","name":"A"}})"),
              400, "invalid_argument", "type");
  ExpectError(HttpCall(port_, "POST", "/v1/requests", R"({"type":"delete","jurisdiction":"US-CA","identity":{"name":"A","postal_code":"94105"}})"),
              400, "invalid_argument", "identity.email");
  ExpectError(HttpCall(port_, "POST", "/v1/requests", R"({"type":"delete","jurisdiction":"US-CA","identity":{"email":"nope","name":"A"}})"),
              400, "invalid_argument", "identity.email");
  EXPECT_EQ(Count(), 0);
}

TEST_F(ApiTest, OversizedBodyIs413AndStoresNothing) {
  std::string big = std::string(R"({"type":"delete","jurisdiction":"US-CA","details":")") + std::string(8000, 'x') +
                    R"(","identity":{"email":"a@b.co","name":"A"}})";
  ExpectError(HttpCall(port_, "POST", "/v1/requests", big), 413, "payload_too_large", nullptr);
  EXPECT_EQ(Count(), 0);
}

TEST_F(ApiTest, AdminRoutesNeedAValidTokenAndTheRightRole) {
  auto filed = Body(HttpCall(port_, "POST", "/v1/requests", kDelete));
  const std::string id = filed["id"];
  ExpectError(HttpCall(port_, "GET", "/v1/admin/requests"), 401, "unauthenticated", "authorization");
  ExpectError(HttpCall(port_, "GET", "/v1/admin/requests", "", Bearer("stw_forged")), 401, "unauthenticated", "authorization");
  ExpectError(HttpCall(port_, "GET", "/v1/admin/requests", "", {{"Authorization", admin_}}), 401, "unauthenticated", "authorization");
  ExpectError(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/deny", R"({"reason":"unverifiable"})", Bearer(auditor_)),
              403, "permission_denied", "authorization");
  EXPECT_EQ(Body(HttpCall(port_, "GET", "/v1/admin/requests/" + id, "", Bearer(admin_)))["status"], "awaiting_verification");
  auto op = tokens_->Create(Role::kOperator, "ops", "test")->token;
  EXPECT_EQ(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/deny", R"({"reason":"unverifiable"})", Bearer(op)).status, 200);
}

TEST_F(ApiTest, InvalidTransitionsAre409) {
  auto filed = Body(HttpCall(port_, "POST", "/v1/requests", kDelete));
  const std::string id = filed["id"];
  ExpectError(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/approve", "", Bearer(admin_)), 409, "conflict", "status");
  ASSERT_EQ(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/deny", R"({"reason":"unverifiable"})", Bearer(admin_)).status, 200);
  ExpectError(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/approve", "", Bearer(admin_)), 409, "conflict", "status");
  ExpectError(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/verify", "{}", Bearer(admin_)), 404, "not_found", "path");
  ExpectError(HttpCall(port_, "POST", "/v1/admin/requests/req_missing/approve", "", Bearer(admin_)), 404, "not_found", "id");
  ExpectError(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/deny", R"({"reason":"because"})", Bearer(admin_)),
              400, "invalid_argument", "reason");
  ExpectError(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/extend", R"({"why":"x"})", Bearer(admin_)),
              400, "invalid_argument", "why");
}

TEST_F(ApiTest, ConsumerRoutesDoNotRevealWhatExists) {
  auto filed = Body(HttpCall(port_, "POST", "/v1/requests", kDelete));
  const std::string id = filed["id"];
  auto wrong = HttpCall(port_, "GET", "/v1/requests/" + id + "?token=nope");
  auto missing = HttpCall(port_, "GET", "/v1/requests/req_doesnotexist?token=nope");
  EXPECT_EQ(wrong.status, 404);
  EXPECT_EQ(wrong.body, missing.body);
  ExpectError(HttpCall(port_, "POST", "/v1/requests/" + id + "/verify", R"({"code":"000000x"})"), 400, "invalid_argument", "code");
}

TEST_F(ApiTest, QueryFiltersAreValidated) {
  ExpectError(HttpCall(port_, "GET", "/v1/admin/requests?status=lost", "", Bearer(admin_)), 400, "invalid_argument", "status");
  ExpectError(HttpCall(port_, "GET", "/v1/admin/requests?due_before=tomorrow", "", Bearer(admin_)), 400, "invalid_argument", "due_before");
  ExpectError(HttpCall(port_, "GET", "/v1/admin/requests?limit=0", "", Bearer(admin_)), 400, "invalid_argument", "limit");
  ExpectError(HttpCall(port_, "GET", "/v1/admin/metrics?year=20x6", "", Bearer(admin_)), 400, "invalid_argument", "year");
}

TEST_F(ApiTest, UnknownRoutesAndMethods) {
  ExpectError(HttpCall(port_, "GET", "/v1/nothing"), 404, "not_found", "path");
  auto r = HttpCall(port_, "DELETE", "/v1/requests");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "POST");
}

TEST_F(ApiTest, PublicIntakeIsRateLimitedPerClient) {
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    auto r = HttpCall(port_, "POST", "/v1/requests", "{}");
    if (r.status == 429) {
      ++limited;
      EXPECT_EQ(r.headers["retry-after"], "60");
    }
  }
  EXPECT_EQ(limited, 4);  // a burst of 8
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_EQ(HttpCall(port_, "POST", "/v1/requests", "{}").status, 400);
  EXPECT_EQ(HttpCall(port_, "GET", "/healthz").status, 200);  // never limited
}

TEST_F(ApiTest, KeepAliveServesManyRequestsOnOneConnection) {
  steward::testing::Connection c("127.0.0.1", port_);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(c.Call("GET", "/healthz").status, 200);
}

TEST_F(ApiTest, NoticeVersionsWithWarningsAndDiffs) {
  auto none = Body(HttpCall(port_, "GET", "/v1/admin/notices", "", Bearer(auditor_)));
  EXPECT_EQ(none["versions"].size(), 0u);
  EXPECT_EQ(none["warnings"].size(), 1u);
  auto v1 = notice::Publish(*store_, clock_, notice::Kind::kPolicy, notice::Format::kMarkdown,
                            {inventory_, rules_, *ParseDate("2026-11-24")}, "test");
  auto v2 = notice::Publish(*store_, clock_, notice::Kind::kPolicy, notice::Format::kMarkdown,
                            {inventory_, rules_, *ParseDate("2026-12-01")}, "test");
  ASSERT_TRUE(v1 && v2);
  auto list = Body(HttpCall(port_, "GET", "/v1/admin/notices?kind=policy", "", Bearer(auditor_)));
  ASSERT_EQ(list["versions"].size(), 2u);
  EXPECT_EQ(list["versions"][0]["id"], v2->id);
  EXPECT_EQ(list["warnings"].size(), 0u);
  auto one = Body(HttpCall(port_, "GET", fmt::format("/v1/admin/notices/{}", v1->id), "", Bearer(auditor_)));
  EXPECT_NE(one["content"].get<std::string>().find("Last updated: 2026-11-24"), std::string::npos);
  auto diff = Body(HttpCall(port_, "GET", fmt::format("/v1/admin/notices/{}/diff?against={}", v2->id, v1->id), "", Bearer(auditor_)));
  EXPECT_NE(diff["diff"].get<std::string>().find("+ Last updated: 2026-12-01"), std::string::npos);
  ExpectError(HttpCall(port_, "GET", "/v1/admin/notices/1/diff?against=x", "", Bearer(auditor_)), 400, "invalid_argument", "against");
  ExpectError(HttpCall(port_, "GET", "/v1/admin/notices/77", "", Bearer(auditor_)), 404, "not_found", "id");
  ExpectError(HttpCall(port_, "GET", "/v1/admin/notices?kind=brochure", "", Bearer(auditor_)), 400, "invalid_argument", "kind");
  ExpectError(HttpCall(port_, "GET", "/v1/admin/notices"), 401, "unauthenticated", "authorization");
}

TEST(PercentDecodeTest, Decodes) {
  EXPECT_EQ(PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(PercentDecode("a%2", false), "a%2");
  EXPECT_EQ(PercentDecode("%zz", false), "%zz");
}

}  // namespace
}  // namespace steward::http
