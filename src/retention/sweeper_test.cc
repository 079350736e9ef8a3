// The sweeper on the example company, on both engines, with a moved clock and injected faults.
#include "retention/sweeper.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "connect/testing.h"
#include "fulfil/example.h"

namespace steward::retention {
namespace {

using connect::Cell;
using connect::Row;
using connect::testing::TempDatabase;

class SweeperTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TempDatabase>(GetParam());
    if (!db_->ok()) return;
    conn_ = db_->Connect();
    ASSERT_TRUE(conn_);
    ASSERT_TRUE(fulfil::GenerateExample(*conn_, {.customers = 400}));
    dir_ = std::filesystem::temp_directory_path() / ("steward-retention-" + RandomBase32(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::OpenSqliteStore(dir_ / "steward.db"));
    auto manifest = fulfil::LoadManifest(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/datasets/shop.yaml");
    ASSERT_TRUE(manifest) << manifest.error().message;
    dataset_ = *manifest;
    dataset_.engine = GetParam();
    dataset_.dsn = db_->dsn();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  Sweeper Make(fulfil::ConnectorFactory factory = fulfil::DefaultConnectorFactory()) {
    return Sweeper({dataset_}, *store_, key_, clock_, std::move(factory));
  }
  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(conn_->RunSelect(sql, {}, 1, [&](const Row& r) -> Status {
      n = std::stoll(r[0].text);
      return {};
    }));
    return n;
  }
  static const RuleReport& Rule(const SweepReport& r, const std::string& name) {
    for (const auto& x : r.rules) {
      if (x.rule == name) return x;
    }
    static RuleReport none;
    ADD_FAILURE() << "no rule " << name;
    return none;
  }

  std::unique_ptr<TempDatabase> db_;
  std::unique_ptr<connect::Connector> conn_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  fulfil::Dataset dataset_;
  InstanceKey key_ = InstanceKey::Generate();
  ManualClock clock_{*ParseTimestamp("2026-11-24T18:00:00Z")};
};

TEST_P(SweeperTest, DryRunShowsExactlyWhatTheRealRunThenDoes) {
  STEWARD_REQUIRE_DB(*db_);
  const int64_t closed_old = Count("SELECT count(*) FROM customers WHERE closed_at < '2023-11-24'");
  const int64_t invoices_old = Count("SELECT count(*) FROM invoices WHERE issued_at < '2020-11-24'");
  const int64_t invoices_young = Count("SELECT count(*) FROM invoices WHERE issued_at >= '2020-11-24'");
  const int64_t active = Count("SELECT count(*) FROM customers WHERE status = 'active' AND first_name IS NOT NULL");
  ASSERT_GT(closed_old, 0);
  ASSERT_GT(invoices_old, 0);

  Sweeper sweeper = Make();
  auto dry = sweeper.Run({.dry_run = true, .batch = 37});
  ASSERT_TRUE(dry) << dry.error().message;
  EXPECT_EQ(dry->status, "done");
  EXPECT_EQ(Rule(*dry, "closed_accounts").rows, closed_old);
  EXPECT_EQ(Rule(*dry, "tax_records").rows, invoices_old);
  EXPECT_EQ(Rule(*dry, "tax_records").sample_keys.size(), std::min<size_t>(10, static_cast<size_t>(invoices_old)));
  // A dry run changes nothing.
  EXPECT_EQ(Count("SELECT count(*) FROM invoices WHERE issued_at < '2020-11-24'"), invoices_old);

  auto real = sweeper.Run({.batch = 37});
  ASSERT_TRUE(real) << real.error().message;
  ASSERT_EQ(real->rules.size(), dry->rules.size());
  for (size_t i = 0; i < real->rules.size(); ++i) {
    EXPECT_EQ(real->rules[i].rows, dry->rules[i].rows) << real->rules[i].rule;
    EXPECT_TRUE(real->rules[i].error.empty()) << real->rules[i].error;
  }
  // Closed accounts past three years are anonymized; open ones untouched; invoices past six years
  // are gone and younger ones kept.
  EXPECT_EQ(Count("SELECT count(*) FROM customers WHERE closed_at < '2023-11-24' AND first_name IS NOT NULL"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM customers WHERE closed_at < '2023-11-24' AND email LIKE 'anon-%'"), closed_old);
  EXPECT_EQ(Count("SELECT count(*) FROM customers WHERE status = 'active' AND first_name IS NOT NULL"), active);
  EXPECT_EQ(Count("SELECT count(*) FROM invoices WHERE issued_at < '2020-11-24'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM invoices"), invoices_young);
  EXPECT_EQ(Count("SELECT count(*) FROM accounts a JOIN customers c ON c.id = a.customer_id "
                  "WHERE c.status = 'closed' AND c.closed_at < '2026-08-26'"),
            0);
  // Idempotent: nothing is left for a second run.
  auto again = sweeper.Run({});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rows, 0);
  // Both runs are in the history and the audit log.
  auto history = sweeper.History(10);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), 3u);
  bool audited = false;
  ASSERT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.ListAudit(0, 100));
    for (const auto& a : rows) audited = audited || (a.action == "retention.run" && a.subject == real->run_id);
    return {};
  }));
  EXPECT_TRUE(audited);
}

TEST_P(SweeperTest, InvoicesAreDestroyedOnceSixYearsPass) {
  STEWARD_REQUIRE_DB(*db_);
  const int64_t young = Count("SELECT count(*) FROM invoices WHERE issued_at >= '2025-01-01'");
  ASSERT_GT(young, 0);
  Sweeper sweeper = Make();
  ASSERT_TRUE(sweeper.Run({}));
  EXPECT_EQ(Count("SELECT count(*) FROM invoices WHERE issued_at >= '2025-01-01'"), young);
  clock_.Set(*ParseTimestamp("2032-11-02T12:00:00Z"));  // six years after the generator's today
  auto later = sweeper.Run({});
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_EQ(Count("SELECT count(*) FROM invoices WHERE issued_at < '2026-11-02'"), 0);
}

TEST_P(SweeperTest, AFailedBatchIsRolledBackAndTheNextRunFinishes) {
  STEWARD_REQUIRE_DB(*db_);
  const int64_t expired = Count("SELECT count(*) FROM invoices WHERE issued_at < '2020-11-24'");
  ASSERT_GT(expired, 10);
  // Only the tax_records rule's store fails, on its second batch of five.
  for (auto& c : dataset_.collections) {
    if (c.name != "invoices") c.retention.clear();
  }
  Sweeper failing = Make([](const fulfil::Dataset& d) -> Result<std::unique_ptr<connect::Connector>> {
    ASSIGN_OR_RETURN(auto real, fulfil::DefaultConnectorFactory()(d));
    return std::unique_ptr<connect::Connector>(std::make_unique<connect::testing::FailingApplyConnector>(std::move(real), 2));
  });
  auto run = failing.Run({.batch = 5});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->status, "partial");
  EXPECT_EQ(Rule(*run, "tax_records").rows, 5);
  EXPECT_NE(Rule(*run, "tax_records").error.find("rolled back"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM invoices WHERE issued_at < '2020-11-24'"), expired - 5);

  // A store that is down: reported, nothing else changes.
  Sweeper down = Make([](const fulfil::Dataset&) -> Result<std::unique_ptr<connect::Connector>> {
    return Fail(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: connection refused", "dsn");
  });
  auto offline = down.Run({});
  ASSERT_TRUE(offline);
  EXPECT_EQ(offline->status, "partial");
  ASSERT_EQ(offline->store_errors.size(), 1u);
  EXPECT_NE(offline->store_errors[0].find("connection refused"), std::string::npos);

  auto healthy = Make().Run({.batch = 5});
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, "done");
  EXPECT_EQ(Count("SELECT count(*) FROM invoices WHERE issued_at < '2020-11-24'"), 0);
}

TEST_P(SweeperTest, AnInterruptedRunResumesAfterItsLastBatch) {
  STEWARD_REQUIRE_DB(*db_);
  // A run that stopped (the process died) after sweeping invoices up to key 20.
  ASSERT_TRUE(store_->Write([&](store::Transaction& tx) -> Status {
    RETURN_IF_ERROR(tx.InsertRetentionRun({.id = "ret_crashed", .started_at = 1, .trigger = "schedule", .status = "running"}));
    return tx.UpsertRetentionProgress(
        {.run_id = "ret_crashed", .dataset = "acme_shop", .rule = "invoices.tax_records", .last_key = "20", .rows = 3});
  }));
  const int64_t before_20 = Count("SELECT count(*) FROM invoices WHERE issued_at < '2020-11-24' AND id <= 20");
  auto run = Make().Run({});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_TRUE(run->resumed);
  EXPECT_EQ(run->run_id, "ret_crashed");
  EXPECT_EQ(run->status, "done");
  // Rows up to the saved key were the crashed run's to do; it resumed after them.
  EXPECT_EQ(Count("SELECT count(*) FROM invoices WHERE issued_at < '2020-11-24' AND id <= 20"), before_20);
  EXPECT_EQ(Count("SELECT count(*) FROM invoices WHERE issued_at < '2020-11-24' AND id > 20"), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, SweeperTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST(RetentionManifest, RulesAreCheckedWithTheirLines) {
  auto parsed = fulfil::ParseManifest(R"(dataset: shop
connection: {engine: sqlite, dsn: shop.db}
collections:
  - name: customers
    retention:
      - rule: gone
        period: 2 years
        after: closed_on
        action: delete
    fields:
      - name: email
        identity: email
        categories: [user.contact.email]
  - name: invoices
    hold: {period: 6 years, from: issued_at, reason: tax}
    retention:
      - rule: early
        period: 1 years
        after: issued_at
        action: shred
    fields:
      - name: issued_at
)",
                                      "shop.yaml");
  ASSERT_FALSE(parsed);
  const std::string& m = parsed.error().message;
  EXPECT_NE(m.find("shop.yaml:20: collections.invoices.retention.early.action: must be delete, anonymize or suppress"),
            std::string::npos)
      << m;
  auto fixed = fulfil::ParseManifest(R"(dataset: shop
connection: {engine: sqlite, dsn: shop.db}
collections:
  - name: customers
    retention:
      - rule: gone
        period: 2 years
        after: closed_on
        action: delete
    fields:
      - name: email
        identity: email
        categories: [user.contact.email]
  - name: invoices
    hold: {period: 6 years, from: issued_at, reason: tax}
    retention:
      - rule: early
        period: 1 years
        after: issued_at
    fields:
      - name: issued_at
)",
                                     "shop.yaml");
  ASSERT_FALSE(fixed);
  EXPECT_NE(fixed.error().message.find("shop.yaml:6: collections.customers.retention.gone.after: collection 'customers' "
                                       "declares no field 'closed_on'"),
            std::string::npos)
      << fixed.error().message;
  EXPECT_NE(fixed.error().message.find("shop.yaml:17: collections.invoices.retention.early.period: is shorter than the "
                                       "legal hold (6 years)"),
            std::string::npos)
      << fixed.error().message;
}

TEST(RetentionNotice, RulesGiveTheNoticeItsRetentionText) {
  auto inv = inventory::LoadInventoryFile(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/inventory.yaml");
  ASSERT_TRUE(inv);
  auto manifest = fulfil::LoadManifest(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/datasets/shop.yaml");
  ASSERT_TRUE(manifest);
  ASSERT_TRUE(ApplyRetentionToInventory({*manifest}, *inv));
  for (const auto& c : inv->categories) {
    if (c.id == "customer_records") {
      EXPECT_EQ(c.retention.count, 6);
      EXPECT_EQ(c.retention.unit, "years");
      EXPECT_EQ(c.retention.after, "the invoice is issued");
    }
    if (c.id == "account_identifiers") {
      EXPECT_EQ(c.retention.count, 90);
      EXPECT_EQ(c.retention.unit, "days");
      EXPECT_TRUE(c.retention.criterion.empty());
    }
  }
  manifest->collections[0].retention[0].describes = {"no_such_category"};
  auto bad = ApplyRetentionToInventory({*manifest}, *inv);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("the inventory has no data category 'no_such_category'"), std::string::npos);
}

}  // namespace
}  // namespace steward::retention
