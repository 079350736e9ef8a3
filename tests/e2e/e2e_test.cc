// End to end: the real `steward` binary, a real data dir, real HTTP over a socket.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "http_client.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using steward::testing::HttpCall;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

// Starts `steward args…` with stdout/stderr to files (stdin from `in`); returns its pid.
pid_t Spawn(const std::vector<std::string>& args, const fs::path& out, const fs::path& err, const fs::path& in = "/dev/null") {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  std::vector<char*> argv;
  std::string bin = STEWARD_BINARY;
  argv.push_back(bin.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

class E2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("steward-e2e-" + std::to_string(rd()));
    fs::create_directories(dir_);
    data_ = dir_ / "data";
  }
  void TearDown() override {
    StopServer();
    fs::remove_all(dir_);
  }

  RunResult Run(std::vector<std::string> args, const fs::path& in = "/dev/null") {
    args.insert(args.begin(), {"--dir", data_.string()});
    const fs::path out = dir_ / "run.out", err = dir_ / "run.err";
    pid_t pid = Spawn(args, out, err, in);
    EXPECT_GT(pid, 0);
    int status = 0;
    waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
  }

  void StartServer() {
    server_pid_ = Spawn({"--dir", data_.string(), "serve", "--listen", "127.0.0.1:0"}, dir_ / "serve.out", dir_ / "serve.err");
    ASSERT_GT(server_pid_, 0);
    const std::regex url(R"(http://127\.0\.0\.1:(\d+)/healthz)");
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::smatch m;
      const std::string out = Slurp(dir_ / "serve.out");
      if (std::regex_search(out, m, url)) port_ = std::stoi(m[1]);
      else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_NE(port_, 0) << Slurp(dir_ / "serve.err");
  }
  void StopServer() {
    if (server_pid_ <= 0) return;
    kill(server_pid_, SIGTERM);
    int status = 0;
    waitpid(server_pid_, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "serve did not stop cleanly";
    server_pid_ = -1;
  }
  // The code the outbox delivered to the server log for `id`.
  std::string CodeFromLog(const std::string& id) {
    const std::regex re("code for privacy request " + id + R"( is: (\d{6}))");
    for (int i = 0; i < 100; ++i) {
      std::smatch m;
      const std::string log = Slurp(dir_ / "serve.out");
      if (std::regex_search(log, m, re)) return m[1];
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no code in the log for " << id;
    return "";
  }
  std::map<std::string, std::string> Bearer(const std::string& t) { return {{"Authorization", "Bearer " + t}}; }
  std::string Token(const std::string& role) {
    auto r = Run({"token", "create", "--role", role, "--label", "e2e"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }

  fs::path dir_, data_;
  pid_t server_pid_ = -1;
  int port_ = 0;
};

TEST_F(E2eTest, NewcomerFilesVerifiesApprovesAndTheAuditLogCatchesAnEdit) {
  ASSERT_EQ(Run({"init", "--example", "acme"}).exit_code, 0);
  EXPECT_EQ(fs::status(data_ / "secret.key").permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  const std::string admin = Token("admin");
  const std::string auditor = Token("auditor");
  ASSERT_TRUE(admin.starts_with("stw_"));
  StartServer();

  auto filed = HttpCall(port_, "POST", "/v1/requests",
                        R"({"type":"delete","jurisdiction":"US-CA","identity":{"email":"ada@example.com","name":"Ada Lovelace"}})");
  ASSERT_EQ(filed.status, 201) << filed.body;
  json f = json::parse(filed.body);
  const std::string id = f["id"];
  // Deadlines follow from the California receipt date: 45 calendar days; receipt in 10 business days.
  const std::string received = f["received_at"];
  ASSERT_FALSE(f["confirm_by"].is_null());
  auto eu = HttpCall(port_, "POST", "/v1/requests",
                     R"({"type":"access","jurisdiction":"EU","identity":{"email":"jean@example.fr","name":"Jean Dupont"}})");
  ASSERT_EQ(eu.status, 201) << eu.body;
  EXPECT_TRUE(json::parse(eu.body)["confirm_by"].is_null());

  auto verified = HttpCall(port_, "POST", "/v1/requests/" + id + "/verify", json{{"code", CodeFromLog(id)}}.dump());
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(json::parse(verified.body)["status"], "verified");

  auto forbidden = HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/approve", "", Bearer(auditor));
  EXPECT_EQ(forbidden.status, 403);
  auto approved = HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/approve", "", Bearer(admin));
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(json::parse(approved.body)["status"], "in_progress");
  auto status = HttpCall(port_, "GET", "/v1/requests/" + id + "?token=" + f["status_token"].get<std::string>());
  EXPECT_EQ(json::parse(status.body)["status"], "in_progress");
  StopServer();

  auto shown = Run({"request", "show", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  json s = json::parse(shown.out);
  EXPECT_EQ(s["identity"]["email"], "ada@example.com");
  EXPECT_EQ(s["received_date"].get<std::string>().size(), 10u);
  EXPECT_FALSE(received.empty());

  auto ok = Run({"audit", "verify"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("intact"), std::string::npos);

  // One byte of one audit entry changed by someone with the database file.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data_ / "steward.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_log_no_update;"
                         "UPDATE audit_log SET actor = 'x' || substr(actor, 2) WHERE seq = 3;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);
  auto broken = Run({"audit", "verify"});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("BROKEN at entry 3"), std::string::npos) << broken.err;
}

TEST_F(E2eTest, CliRefusesBadInputWithExitCode2) {
  auto no_dir = Run({"request", "list"});
  EXPECT_EQ(no_dir.exit_code, 2);
  EXPECT_NE(no_dir.err.find("steward init"), std::string::npos);
  EXPECT_EQ(Run({"init"}).exit_code, 2);
  EXPECT_FALSE(fs::exists(data_ / "steward.db"));

  const fs::path bad = dir_ / "bad.yaml";
  std::ofstream(bad) << "organization:\n  name: X\n  online_only: true\n  contact: {email: x@y.z}\njurisdictions: [US-CA]\nsources: []\n"
                        "purposes: []\ndata_categories:\n  - {id: c, name: C, ccpa: Q, fideslang: [user.name]}\n";
  auto check = Run({"inventory", "check", bad.string()});
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.out.find(bad.string() + ":9: error: data_categories[0].ccpa"), std::string::npos) << check.out;
  auto init_bad = Run({"init", "--inventory", bad.string()});
  EXPECT_EQ(init_bad.exit_code, 2);
  EXPECT_NE(init_bad.err.find("bad.yaml:9"), std::string::npos) << init_bad.err;
  EXPECT_FALSE(fs::exists(data_));  // nothing left behind

  ASSERT_EQ(Run({"init", "--example", "acme"}).exit_code, 0);
  EXPECT_EQ(Run({"init", "--example", "acme"}).exit_code, 2);  // never over an existing store
  EXPECT_EQ(Run({"request", "list"}).exit_code, 1);              // nothing found
  EXPECT_EQ(Run({"request", "show", "req_nope"}).exit_code, 2);
  EXPECT_EQ(Run({"token", "create", "--role", "root"}).exit_code, 2);
  auto missing_arg = Run({"request", "file", "--jurisdiction", "US-CA", "--email", "a@b.co"});
  EXPECT_EQ(missing_arg.exit_code, 2);
  EXPECT_NE(missing_arg.err.find("type"), std::string::npos);
  auto ok = Run({"inventory", "check", (fs::path(STEWARD_SOURCE_DIR) / "examples/acme/inventory.yaml").string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
}

TEST_F(E2eTest, PhoneIntakeThroughTheCliFollowsTheSameRules) {
  ASSERT_EQ(Run({"init", "--example", "acme"}).exit_code, 0);
  auto filed = Run({"request", "file", "--type", "opt_out_sale_share", "--jurisdiction", "US-CA", "--phone",
                    "+1 415 555 0100"});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  json f = json::parse(filed.out);
  EXPECT_EQ(f["status"], "verified");
  const std::string id = f["id"];
  EXPECT_EQ(Run({"request", "approve", id}).exit_code, 0);
  auto done = Run({"request", "fulfil", id, "--note", "Opted out in the ad platform"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(json::parse(done.out)["status"], "completed");
  auto again = Run({"request", "approve", id});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("cannot become"), std::string::npos);
  auto metrics = Run({"metrics", "--json"});
  ASSERT_EQ(metrics.exit_code, 0) << metrics.err;
  EXPECT_EQ(json::parse(metrics.out)["types"][0]["complied_in_whole_or_part"], 1);
  EXPECT_EQ(Run({"outbox", "list", "--status", "pending"}).exit_code, 0);  // nothing delivered: no server ran
}

TEST_F(E2eTest, NoticesRenderFromTheDataDirAndRefuseIncompleteInventories) {
  ASSERT_EQ(Run({"init", "--example", "acme"}).exit_code, 0);
  const fs::path out = dir_ / "policy.html";
  auto ok = Run({"notice", "render", "--kind", "policy", "--format", "html", "--date", "2026-11-24", "--out", out.string()});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(Slurp(out).find("<th scope=\"row\">A. Identifiers</th>"), std::string::npos);

  // An inventory whose collected category states no retention: refused, naming the line; nothing written.
  std::string inv = Slurp(fs::path(STEWARD_SOURCE_DIR) / "examples/acme/inventory.yaml");
  const std::string cut = "    retention: {months: 13}\n";
  inv.erase(inv.find(cut), cut.size());
  const fs::path bad = dir_ / "no-retention.yaml";
  std::ofstream(bad) << inv;
  const fs::path out2 = dir_ / "never.md";
  auto refused = Run({"notice", "render", "--inventory", bad.string(), "--out", out2.string()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("data_categories.browsing_activity.retention"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("no-retention.yaml:"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(out2));
  EXPECT_FALSE(fs::exists(out2.string() + ".tmp"));
}

TEST_F(E2eTest, ServeRefusesATakenPort) {
  ASSERT_EQ(Run({"init", "--example", "acme"}).exit_code, 0);
  StartServer();
  auto second = Run({"serve", "--listen", "127.0.0.1:" + std::to_string(port_)});
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find("cannot listen"), std::string::npos) << second.err;
}

}  // namespace

namespace {

TEST_F(E2eTest, ApprovedAccessAndDeleteRequestsAreCarriedOutAgainstTheExampleDatabase) {
  ASSERT_EQ(Run({"init", "--example", "acme", "--customers", "40"}).exit_code, 0);
  const std::string admin = Token("admin");
  StartServer();
  // Customer 5 of the deterministic example company, with the postal code its records hold.
  const std::string email = "jennifer.smith5@example.com";
  std::string zip;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((data_ / "acme-shop.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);  // the server's first retention sweep may be writing
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT zip FROM addresses WHERE customer_id = 5 ORDER BY id LIMIT 1", -1, &st, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    zip = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  auto file = [&](const std::string& type) {
    auto filed = HttpCall(port_, "POST", "/v1/requests",
                          json{{"type", type}, {"jurisdiction", "US-CA"}, {"signed_declaration", true},
                               {"identity", {{"email", email}, {"name", "Jennifer Smith"}, {"postal_code", zip}}}}
                              .dump());
    EXPECT_EQ(filed.status, 201) << filed.body;
    const std::string id = json::parse(filed.body)["id"];
    EXPECT_EQ(HttpCall(port_, "POST", "/v1/requests/" + id + "/verify", json{{"code", CodeFromLog(id)}}.dump()).status, 200);
    EXPECT_EQ(HttpCall(port_, "POST", "/v1/admin/requests/" + id + "/approve", "", Bearer(admin)).status, 200);
    return id;
  };

  const std::string access = file("access");
  auto done = HttpCall(port_, "POST", "/v1/admin/requests/" + access + "/fulfil", "{}", Bearer(admin));
  ASSERT_EQ(done.status, 200) << done.body;
  const json d = json::parse(done.body);
  EXPECT_EQ(d["status"], "completed");
  const std::string url = d["fulfilment"]["download_url"];
  const std::string path = url.substr(url.find("/v1/packages/"));
  auto package = HttpCall(port_, "GET", path);
  ASSERT_EQ(package.status, 200);
  EXPECT_EQ(package.headers["content-type"], "application/zip");
  EXPECT_EQ(package.body.substr(0, 2), "PK");
  EXPECT_NE(package.body.find("acme_shop/customers.json"), std::string::npos);
  EXPECT_EQ(HttpCall(port_, "GET", "/v1/packages/not-a-real-token").status, 404);
  // Packages are sealed at rest: the customer's email is nowhere in the packages directory.
  for (const auto& entry : fs::directory_iterator(data_ / "packages")) {
    EXPECT_EQ(Slurp(entry.path()).find(email), std::string::npos);
  }

  const std::string erase = file("delete");
  auto plan = HttpCall(port_, "GET", "/v1/admin/requests/" + erase + "/plan", "", Bearer(admin));
  ASSERT_EQ(plan.status, 200) << plan.body;
  EXPECT_NE(plan.body.find("\"customers\""), std::string::npos);
  auto erased = HttpCall(port_, "POST", "/v1/admin/requests/" + erase + "/fulfil", "{}", Bearer(admin));
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_EQ(json::parse(erased.body)["status"], "completed");
  StopServer();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data_ / "acme-shop.db").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM customers WHERE email = ?", -1, &st, nullptr), SQLITE_OK);
  sqlite3_bind_text(st, 1, email.c_str(), -1, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

// A CSV export piped in (psql's COPY … CSV HEADER): named .csv with --stdin-name, standard input
// is read as a table, so a column of bare SSNs is found by its header, at its line and column;
// unnamed, it is text, and the bare numbers are not. --stdin-name without '-' is refused.
TEST_F(E2eTest, StandardInputNamedAsACsvFileIsReadAsATable) {
  const fs::path export_csv = dir_ / "export.csv";
  std::ofstream(export_csv) << "name,ssn,notes\nQuionia Vasquez,536227001,prefers email\nEnrico Bianchi,536227002,\n";
  auto named = Run({"scan", "-", "--stdin-name", "users.csv", "--format", "jsonl", "--only", "us_ssn"}, export_csv);
  EXPECT_EQ(named.exit_code, 0) << named.err;
  std::vector<json> found;
  std::istringstream lines(named.out);
  for (std::string line; std::getline(lines, line);) found.push_back(json::parse(line));
  ASSERT_EQ(found.size(), 2u) << named.out;
  EXPECT_EQ(found[0]["source"], "users.csv");
  EXPECT_EQ(found[0]["line"], 2);
  EXPECT_EQ(found[0]["column"], 17);
  EXPECT_EQ(found[0]["field"], "ssn");
  auto unnamed = Run({"scan", "-", "--format", "jsonl", "--only", "us_ssn"}, export_csv);
  EXPECT_EQ(unnamed.exit_code, 1) << unnamed.out;  // nothing found
  auto misplaced = Run({"scan", export_csv.string(), "--stdin-name", "users.csv"});
  EXPECT_EQ(misplaced.exit_code, 2);
  EXPECT_NE(misplaced.err.find("--stdin-name names standard input"), std::string::npos) << misplaced.err;
}

// A PDF's pages through poppler, which the binary loads from libsteward-pdf.so beside it only
// when it first reads one: the letter's SSN at its page, line and column.
TEST_F(E2eTest, ScansAPdfThroughItsModule) {
  auto run = Run({"scan", (fs::path(STEWARD_SOURCE_DIR) / "tests/fixtures/pdf/letter.pdf").string(), "--format", "jsonl", "--only", "us_ssn"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const json found = json::parse(run.out.substr(0, run.out.find('\n')));
  EXPECT_NE(found["source"].get<std::string>().find("letter.pdf!page2"), std::string::npos) << run.out;
  EXPECT_EQ(found["line"], 5);
  EXPECT_EQ(found["column"], 19);
}

TEST_F(E2eTest, RecordedScansOfTheExampleDatabaseAndLogsReachTheAdminMasked) {
  ASSERT_EQ(Run({"init", "--example", "acme", "--customers", "30"}).exit_code, 0);
  const fs::path logs = dir_ / "logs";
  ASSERT_EQ(Run({"example", "generate", "--logs", logs.string(), "--log-lines", "400"}).exit_code, 0);
  const std::string db = (data_ / "acme-shop.db").string();
  // The shop database against its own manifest: everything declared (exit 0), recorded.
  auto checked = Run({"scan", db, "--against", (data_ / "datasets" / "shop.yaml").string(), "--record"});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_NE(checked.err.find("recorded as scan_"), std::string::npos) << checked.err;
  auto logged = Run({"scan", logs.string(), "--record", "--format", "jsonl"});
  EXPECT_EQ(logged.exit_code, 0) << logged.err;
  // A data dir that does not exist: refused before scanning, nothing recorded anywhere.
  auto nowhere = Run({"--dir", (dir_ / "missing").string(), "scan", logs.string(), "--record"});
  EXPECT_EQ(nowhere.exit_code, 2);

  const std::string auditor = Token("auditor");
  StartServer();
  auto list = HttpCall(port_, "GET", "/v1/admin/scans", "", Bearer(auditor));
  ASSERT_EQ(list.status, 200) << list.body;
  const json scans = json::parse(list.body)["scans"];
  ASSERT_EQ(scans.size(), 2u);
  EXPECT_EQ(scans[0]["targets"][0], logs.string());  // newest first
  EXPECT_TRUE(scans[1]["against"].is_string());
  EXPECT_EQ(scans[1]["undeclared"], 0);
  auto one = HttpCall(port_, "GET", "/v1/admin/scans/" + scans[0]["id"].get<std::string>(), "", Bearer(auditor));
  ASSERT_EQ(one.status, 200) << one.body;
  const json report = json::parse(one.body)["report"];
  std::set<std::string> kinds;
  for (const json& f : report["findings"]) {
    kinds.insert(f["detector"].get<std::string>());
    EXPECT_GT(f["count"].get<int>(), 0);
    EXPECT_NE(f["example"].get<std::string>().find('*'), std::string::npos) << f.dump();  // masked, always
  }
  for (const char* kind : {"email", "phone", "us_ssn", "credit_card", "ipv4"}) EXPECT_TRUE(kinds.contains(kind)) << kind;
  // The CSV export's bare dates of birth, found by its header: kept with their column and lines.
  const bool csv_column = std::any_of(report["findings"].begin(), report["findings"].end(), [](const json& f) {
    return f["source"].get<std::string>().ends_with("exports/customers.csv.gz") && f["detector"] == "date_of_birth" &&
           f.value("field", "") == "date_of_birth" && !f["lines"].empty() && !f.contains("sampled");
  });
  EXPECT_TRUE(csv_column) << report["findings"].dump();
  // No raw value of the logs is stored: none of the values found appears in the stored report.
  auto raw = Run({"scan", logs.string(), "--format", "jsonl", "--show-data"});
  std::istringstream found(raw.out);
  std::string line;
  int checked_values = 0;
  while (std::getline(found, line)) {
    const std::string value = json::parse(line)["value"];
    if (value.size() < 6) continue;
    ++checked_values;
    EXPECT_EQ(one.body.find(value), std::string::npos) << value;
  }
  EXPECT_GT(checked_values, 10);
  EXPECT_EQ(HttpCall(port_, "GET", "/v1/admin/scans/scan_nope", "", Bearer(auditor)).status, 404);
  EXPECT_EQ(HttpCall(port_, "GET", "/v1/admin/scans").status, 401);
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

}  // namespace

namespace {

TEST_F(E2eTest, GpcIsHonouredAndTheDecisionApiDeniesSaleForTheBrowserAndItsPerson) {
  ASSERT_EQ(Run({"init", "--example", "acme", "--customers", "10"}).exit_code, 0);
  const std::string admin = Token("admin");
  const std::string decider = Token("decision");
  const std::string auditor = Token("auditor");
  StartServer();
  const std::string ads = R"({"device_id":"browser-e2e-1","purpose":"targeted_advertising"})";
  auto before = HttpCall(port_, "POST", "/v1/decisions", ads, Bearer(decider));
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(json::parse(before.body)["allow"].get<bool>());

  // Header values other than exactly "1" are ignored.
  auto ignored = HttpCall(port_, "POST", "/v1/gpc", R"({"device_id":"browser-e2e-1"})", {{"Sec-GPC", "true"}});
  ASSERT_EQ(ignored.status, 200);
  EXPECT_FALSE(json::parse(ignored.body)["gpc_honoured"].get<bool>());
  auto gpc = HttpCall(port_, "POST", "/v1/gpc", R"({"device_id":"browser-e2e-1"})", {{"Sec-GPC", "1"}});
  ASSERT_EQ(gpc.status, 200) << gpc.body;
  const json g = json::parse(gpc.body);
  EXPECT_TRUE(g["gpc_honoured"].get<bool>());
  EXPECT_NE(g["message"].get<std::string>().find("honoured"), std::string::npos);

  auto after = HttpCall(port_, "POST", "/v1/decisions", ads, Bearer(decider));
  const json a = json::parse(after.body);
  EXPECT_FALSE(a["allow"].get<bool>());
  EXPECT_NE(a["reason"].get<std::string>().find("Global Privacy Control"), std::string::npos);
  EXPECT_EQ(a["us_privacy"], "1YYN");

  // Linked to a person: their sale/sharing is denied too, at once, in a batch.
  auto link = HttpCall(port_, "POST", "/v1/admin/consent",
                       R"({"link":true,"device_id":"browser-e2e-1","identifiers":{"email":"pat@example.com"}})", Bearer(admin));
  ASSERT_EQ(link.status, 200) << link.body;
  auto batch = HttpCall(port_, "POST", "/v1/decisions",
                        R"({"requests":[{"identifiers":{"email":"pat@example.com"},"purpose":"targeted_advertising"},
                                        {"identifiers":{"email":"pat@example.com"},"purpose":"provide_service"}]})",
                        Bearer(decider));
  ASSERT_EQ(batch.status, 200) << batch.body;
  const json b = json::parse(batch.body);
  EXPECT_FALSE(b["decisions"][0]["allow"].get<bool>());
  EXPECT_TRUE(b["decisions"][1]["allow"].get<bool>());

  // Roles: the decision token reads nothing else; an auditor cannot decide.
  EXPECT_EQ(HttpCall(port_, "GET", "/v1/admin/requests", "", Bearer(decider)).status, 403);
  EXPECT_EQ(HttpCall(port_, "POST", "/v1/decisions", ads, Bearer(auditor)).status, 403);
  // Bad input names the field and records nothing.
  auto bad = HttpCall(port_, "POST", "/v1/decisions", R"({"device_id":"browser-e2e-1","purpose":"telepathy"})", Bearer(decider));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["field"], "purpose");
  auto wellknown = HttpCall(port_, "GET", "/.well-known/gpc.json");
  ASSERT_EQ(wellknown.status, 200);
  EXPECT_TRUE(json::parse(wellknown.body)["gpc"].get<bool>());
  auto history = HttpCall(port_, "GET", "/v1/admin/consent?device_id=browser-e2e-1", "", Bearer(auditor));
  ASSERT_EQ(history.status, 200);
  EXPECT_EQ(json::parse(history.body)["events"][0]["source"], "gpc");

  // Opt-outs need no account: sale/sharing carries its deadline and the year of not asking again;
  // an unsubscribe lands on the suppression list mailers check.
  auto opt_out = HttpCall(port_, "POST", "/v1/opt-out",
                          R"({"identifiers":{"email":"quinn@example.com"},"purpose":"sale_sharing"})");
  ASSERT_EQ(opt_out.status, 200) << opt_out.body;
  const json o = json::parse(opt_out.body);
  EXPECT_FALSE(o["processing_due"].get<std::string>().empty());
  EXPECT_FALSE(o["ask_again_after"].get<std::string>().empty());
  EXPECT_EQ(HttpCall(port_, "GET", "/v1/suppression/check?email=quinn@example.com", "", Bearer(decider)).body,
            R"({"suppressed":false})");
  ASSERT_EQ(HttpCall(port_, "POST", "/v1/opt-out",
                     R"({"identifiers":{"email":"Quinn@Example.com"},"purpose":"marketing_email"})")
                .status,
            200);
  EXPECT_EQ(HttpCall(port_, "GET", "/v1/suppression/check?email=quinn@example.com", "", Bearer(decider)).body,
            R"({"suppressed":true})");
  EXPECT_EQ(HttpCall(port_, "POST", "/v1/opt-out", R"({"identifiers":{"email":"x@y.z"},"purpose":"telepathy"})").status, 400);
  StopServer();
}

}  // namespace
