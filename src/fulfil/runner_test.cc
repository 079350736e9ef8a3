// End to end on the example company, on both engines: a verified request is carried out
// against a real database, through the request service, as `steward request fulfil` does.
#include "fulfil/runner.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <zip.h>

#include <fstream>
#include <mutex>
#include <thread>
#include <regex>
#include <sstream>

#include "connect/testing.h"
#include "fulfil/example.h"
#include "http/server.h"
#include "notify/outbox.h"
#include "rights/rules.h"

namespace steward::fulfil {
namespace {

using connect::Cell;
using connect::Row;
using connect::testing::TempDatabase;
using nlohmann::json;

std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> out;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* z = src ? zip_open_from_source(src, ZIP_RDONLY, &error) : nullptr;
  if (!z) {
    ADD_FAILURE() << "not a zip";
    return out;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st);
    std::string content(st.size, '\0');
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    zip_fread(f, content.data(), st.size);
    zip_fclose(f);
    out[st.name] = content;
  }
  zip_close(z);
  return out;
}

class RunnerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TempDatabase>(GetParam());
    if (!db_->ok()) return;
    conn_ = db_->Connect();
    ASSERT_TRUE(conn_);
    auto generated = GenerateExample(*conn_, {.customers = 300});
    ASSERT_TRUE(generated) << generated.error().message;
    dir_ = std::filesystem::temp_directory_path() / ("steward-runner-" + RandomBase32(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::OpenSqliteStore(dir_ / "steward.db"));
    inventory_ = *inventory::LoadInventoryFile(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/inventory.yaml");
    rules_ = *rights::RulesTable::Default();
    requests_ = std::make_unique<rights::RequestService>(*store_, rules_, inventory_, key_, clock_);
    auto manifest = LoadManifest(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/datasets/shop.yaml");
    ASSERT_TRUE(manifest) << manifest.error().message;
    dataset_ = *manifest;
    dataset_.engine = GetParam();
    dataset_.dsn = db_->dsn();
    MakeRunner(DefaultConnectorFactory());
  }
  void TearDown() override {
    runner_.reset();
    requests_.reset();
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  void MakeRunner(ConnectorFactory factory) {
    runner_ = std::make_unique<Runner>(std::vector<Dataset>{dataset_}, *requests_, *store_, inventory_, key_, clock_,
                                       RunnerOptions{.packages_dir = dir_ / "packages"}, std::move(factory));
  }

  // Files, verifies and approves a request with the data points the records hold for `email`
  // (or the given wrong ones).
  std::string Approved(const std::string& type, const std::string& email, std::string name = "",
                       std::string postal_code = "") {
    const auto customer = Rows("customers", {"id", "first_name", "last_name"}, "email", email);
    if (name.empty() && !customer.empty()) name = customer[0][1].text + " " + customer[0][2].text;
    if (postal_code.empty() && !customer.empty()) {
      postal_code = Rows("addresses", {"zip"}, "customer_id", customer[0][0].text).at(0).at(0).text;
    }
    rights::IntakeInput in{.type = type, .jurisdiction = "US-CA"};
    in.identity = {{"email", email}, {"name", name}, {"postal_code", postal_code}};
    in.signed_declaration = true;
    if (type == "correct") in.details = "My last name is misspelled";
    auto r = requests_->File(in);
    EXPECT_TRUE(r) << r.error().message;
    std::string code;
    EXPECT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(auto rows, tx.ListMessages(r->id, "", 100));
      for (const auto& m : rows) {
        std::smatch match;
        const std::string body = *key_.Open(m.body_sealed);
        if (m.kind == "verification_code" && std::regex_search(body, match, std::regex(R"(\b(\d{6})\b)"))) code = match[1];
      }
      return {};
    }));
    EXPECT_TRUE(requests_->Verify(r->id, code, std::nullopt));
    EXPECT_TRUE(requests_->Approve(r->id, admin_, ""));
    return r->id;
  }

  std::vector<Row> Rows(const std::string& table, const std::vector<std::string>& columns, const std::string& match,
                        const std::string& value) {
    std::vector<Row> out;
    EXPECT_TRUE(conn_->Find({table, columns, match, {Cell::Text(value)}}, [&](const Row& r) -> Status {
      out.push_back(r);
      return {};
    }));
    return out;
  }

  std::unique_ptr<TempDatabase> db_;
  std::unique_ptr<connect::Connector> conn_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  inventory::Inventory inventory_;
  rights::RulesTable rules_;
  InstanceKey key_ = InstanceKey::Generate();
  ManualClock clock_{*ParseTimestamp("2026-11-24T18:00:00Z")};
  std::unique_ptr<rights::RequestService> requests_;
  Dataset dataset_;
  std::unique_ptr<Runner> runner_;
  rights::Actor admin_{"admin:test", "admin"};
};

TEST_P(RunnerTest, AccessPackageHoldsExactlyThePersonsRowsAndExpires) {
  STEWARD_REQUIRE_DB(*db_);
  const std::string id = Approved("access", ExampleEmail(7));
  auto run = runner_->Run(id, admin_);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->request.status, "completed");
  const std::string token = run->download_url.substr(run->download_url.rfind('/') + 1);
  auto bytes = runner_->Download(token);
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto files = Unzip(*bytes);
  ASSERT_TRUE(files.contains("manifest.json"));
  ASSERT_TRUE(files.contains("summary.html"));
  ASSERT_TRUE(files.contains("acme_shop/customers.json"));
  ASSERT_TRUE(files.contains("acme_shop/customers.csv"));
  // The customer row, field for field, as the database holds it.
  const auto customers = json::parse(files["acme_shop/customers.json"]);
  ASSERT_EQ(customers.size(), 1u);
  const auto db_row = Rows("customers", {"id", "email", "phone", "first_name", "last_name"}, "id", "7");
  ASSERT_EQ(db_row.size(), 1u);
  EXPECT_EQ(customers[0]["id"], 7);
  EXPECT_EQ(customers[0]["email"], db_row[0][1].text);
  EXPECT_EQ(customers[0]["phone"], db_row[0][2].text);
  EXPECT_EQ(customers[0]["last_name"], db_row[0][4].text);
  // California look-back: orders of the last 12 months only.
  size_t recent = 0;
  for (const Row& o : Rows("orders", {"id", "placed_at"}, "customer_id", "7")) {
    if (o[1].text.substr(0, 10) >= "2025-11-24") ++recent;
  }
  const size_t in_package =
      files.contains("acme_shop/orders.json") ? json::parse(files["acme_shop/orders.json"]).size() : 0;
  EXPECT_EQ(in_package, recent);
  const auto manifest = json::parse(files["manifest.json"]);
  bool contact = false;
  for (const auto& c : manifest["categories"]) contact = contact || c["ccpa_category"] == "A";
  EXPECT_TRUE(contact) << manifest.dump(2);
  EXPECT_NE(run->summary.find("categories of personal information"), std::string::npos);
  // Nobody else's rows.
  for (const auto& [name, content] : files) {
    EXPECT_EQ(content.find(ExampleEmail(8)), std::string::npos) << name;
  }
  // The link stops working after 7 days and the file is then deleted.
  EXPECT_FALSE(runner_->Download("wrong-token"));
  clock_.Set(clock_.Now() + std::chrono::days(8));
  EXPECT_EQ(runner_->Download(token).error().code, ErrorCode::kNotFound);
  auto purged = runner_->PurgeExpired();
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "packages"));
}

TEST_P(RunnerTest, DeleteErasesEverythingButHeldInvoicesAndSuppressesTheEmail) {
  STEWARD_REQUIRE_DB(*db_);
  // Find a customer with an invoice younger than six years and one with none at all.
  std::string held_customer;
  for (int i = 1; i <= 300 && held_customer.empty(); ++i) {
    for (const Row& inv : Rows("invoices", {"id", "issued_at"}, "customer_id", std::to_string(i))) {
      if (inv[1].text.substr(0, 10) > "2021-01-01") held_customer = std::to_string(i);
    }
  }
  ASSERT_FALSE(held_customer.empty());
  const std::string email = Rows("customers", {"email"}, "id", held_customer).at(0).at(0).text;
  const size_t neighbour_orders = Rows("orders", {"id"}, "customer_id", "301").size() +
                                  Rows("orders", {"id"}, "customer_id", std::to_string(std::stoi(held_customer) + 1)).size();

  const std::string id = Approved("delete", email);
  auto plan = runner_->Plan(id);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_NE(plan->find("Tax law"), std::string::npos) << *plan;
  auto run = runner_->Run(id, admin_);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->request.status, "completed");
  EXPECT_NE(run->summary.find("Tax law requires us to keep invoices for six years"), std::string::npos) << run->summary;

  // Held invoices stay; the customer row they point at is kept but de-identified.
  EXPECT_FALSE(Rows("invoices", {"id"}, "customer_id", held_customer).empty());
  const auto customer = Rows("customers", {"email", "first_name", "phone", "birth_date"}, "id", held_customer);
  ASSERT_EQ(customer.size(), 1u);
  EXPECT_NE(customer[0][0].text, email);
  EXPECT_TRUE(customer[0][1].null());
  EXPECT_TRUE(customer[0][2].null());
  EXPECT_EQ(customer[0][3].text.substr(4, 6), "-01-01");
  EXPECT_TRUE(Rows("accounts", {"id"}, "customer_id", held_customer).empty());
  EXPECT_TRUE(Rows("marketing_events", {"id"}, "customer_id", held_customer).empty());
  EXPECT_TRUE(Rows("ad_shares", {"id"}, "customer_id", held_customer).empty());
  for (const Row& t : Rows("support_tickets", {"id", "body"}, "customer_id", held_customer)) EXPECT_TRUE(t[1].null());
  EXPECT_TRUE(Rows("customers", {"id"}, "email", email).empty());
  // Others untouched.
  EXPECT_EQ(Rows("orders", {"id"}, "customer_id", "301").size() +
                Rows("orders", {"id"}, "customer_id", std::to_string(std::stoi(held_customer) + 1)).size(),
            neighbour_orders);
  bool suppressed = false;
  ASSERT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(suppressed, tx.IsSuppressed(key_.KeyedHash("suppression", "email:" + email)));
    return {};
  }));
  EXPECT_TRUE(suppressed);
}

TEST_P(RunnerTest, RecipientsOfTheErasedDataGetASignedWebhook) {
  STEWARD_REQUIRE_DB(*db_);
  // A service provider's endpoint: a real HTTP server on a loopback port.
  std::mutex mu;
  std::vector<http::Request> received;
  http::Server hook({.address = "127.0.0.1", .port = 0, .threads = 1}, [&](const http::Request& r) {
    std::lock_guard lock(mu);
    received.push_back(r);
    return http::Response{.status = 204};
  });
  auto port = hook.Start();
  ASSERT_TRUE(port);
  std::thread serving([&] { hook.Run(); });
  for (auto& r : inventory_.recipients) {
    if (r.id == "ad_partners") {
      r.notify_url = fmt::format("http://127.0.0.1:{}/privacy-hook", *port);
      r.notify_secret_env = "ADNET_SECRET";
    }
  }
  const std::string email = ExampleEmail(40);
  const std::string id = Approved("delete", email);
  auto run = runner_->Run(id, admin_);
  ASSERT_TRUE(run) << run.error().message;

  auto webhook = notify::MakeWebhookDelivery([](const std::string& rid) { return rid == "ad_partners" ? "s3cret" : ""; },
                                             clock_);
  auto log = notify::MakeLogDelivery();
  notify::OutboxWorker worker(*store_, key_, clock_, *log, *log, {}, webhook.get());
  auto report = worker.RunOnce();
  ASSERT_TRUE(report) << report.error().message;
  hook.Stop();
  serving.join();
  ASSERT_EQ(received.size(), 1u);
  const http::Request& got = received[0];
  EXPECT_EQ(got.path, "/privacy-hook");
  EXPECT_EQ(got.Header("x-steward-signature"),
            "sha256=" + notify::WebhookSignature("s3cret", got.Header("x-steward-timestamp"), got.body));
  const json body = json::parse(got.body);
  EXPECT_EQ(body["event"], "deletion_request");
  EXPECT_EQ(body["request_id"], id);
  EXPECT_EQ(body["identifiers"]["email"], email);
  // The notice's status is on the request; recipients without an endpoint are listed for staff.
  bool sent = false, listed = false;
  ASSERT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.ListMessages(id, "", 100));
    for (const auto& m : rows) sent = sent || (m.kind == "processor_notice" && m.status == "sent");
    ASSIGN_OR_RETURN(auto audit, tx.ListAudit(0, 1000));
    for (const auto& a : audit) {
      if (a.action == "request.fulfilment_report" && a.subject == id) {
        const json detail = json::parse(a.detail);
        listed = detail["recipients_notified"] == json::array({"ad_partners"}) &&
                 !detail["recipients_to_notify_by_hand"].empty();
      }
    }
    return {};
  }));
  EXPECT_TRUE(sent);
  EXPECT_TRUE(listed);
}

TEST_P(RunnerTest, AFailingDatabaseLeavesTheRequestOpenAndNothingHalfApplied) {
  STEWARD_REQUIRE_DB(*db_);
  const std::string email = ExampleEmail(12);
  const std::string id = Approved("delete", email);
  const auto before = Rows("accounts", {"id"}, "customer_id", "12").size();
  ASSERT_EQ(before, 1u);
  MakeRunner([&](const Dataset& d) -> Result<std::unique_ptr<connect::Connector>> {
    ASSIGN_OR_RETURN(auto real, DefaultConnectorFactory()(d));
    return std::unique_ptr<connect::Connector>(std::make_unique<connect::testing::FailingApplyConnector>(std::move(real), 1));
  });
  auto run = runner_->Run(id, admin_);
  ASSERT_FALSE(run);
  auto view = requests_->Get(id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->status, "in_progress");
  EXPECT_EQ(view->events.back().kind, "fulfilment_failed");
  EXPECT_NE(view->events.back().reason.find("rolled back"), std::string::npos) << view->events.back().reason;
  EXPECT_EQ(Rows("accounts", {"id"}, "customer_id", "12").size(), before);
  EXPECT_EQ(Rows("customers", {"id"}, "email", email).size(), 1u);

  // A database that is down: the same, with the connection error on the timeline.
  MakeRunner([](const Dataset&) -> Result<std::unique_ptr<connect::Connector>> {
    return Fail(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: connection refused", "dsn");
  });
  EXPECT_FALSE(runner_->Run(id, admin_));
  EXPECT_NE(requests_->Get(id)->events.back().reason.find("connection refused"), std::string::npos);

  // Fixed: rerunning completes it.
  MakeRunner(DefaultConnectorFactory());
  auto again = runner_->Run(id, admin_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(Rows("accounts", {"id"}, "customer_id", "12").empty());
}

TEST_P(RunnerTest, CorrectionUpdatesTheFieldAndLogsHashesNotValues) {
  STEWARD_REQUIRE_DB(*db_);
  const std::string id = Approved("correct", ExampleEmail(20));
  EXPECT_EQ(runner_->Run(id, admin_, {{"customers.shoe_size", "9"}}).error().field, "corrections");
  EXPECT_EQ(requests_->Get(id)->status, "in_progress");
  auto run = runner_->Run(id, admin_, {{"customers.last_name", "Roe-Corrected"}});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(Rows("customers", {"last_name"}, "id", "20")[0][0].text, "Roe-Corrected");
  bool logged = false;
  ASSERT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.ListAudit(0, 1000));
    for (const auto& a : rows) {
      if (a.action == "request.fulfilment_report" && a.subject == id) {
        logged = a.detail.find("customers.last_name") != std::string::npos &&
                 a.detail.find("Roe-Corrected") == std::string::npos;
      }
    }
    return {};
  }));
  EXPECT_TRUE(logged);
}

TEST_P(RunnerTest, DataPointsThatDoNotMatchTheRecordsStopFulfilment) {
  STEWARD_REQUIRE_DB(*db_);
  // Someone who controls the mailbox but does not know the account holder's name or address.
  const std::string id = Approved("access", ExampleEmail(30), "Mallory Mallet", "00000");
  auto run = runner_->Run(id, admin_);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, ErrorCode::kConflict);
  EXPECT_EQ(run.error().field, "verification");
  auto view = requests_->Get(id);
  EXPECT_EQ(view->status, "in_progress");
  EXPECT_EQ(view->events.back().kind, "data_points_matched");
  EXPECT_FALSE(view->events.back().is_public);
  EXPECT_TRUE(!std::filesystem::exists(dir_ / "packages") || std::filesystem::is_empty(dir_ / "packages"));
}

INSTANTIATE_TEST_SUITE_P(Engines, RunnerTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace steward::fulfil
