#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "connect/testing.h"
#include "fulfil/erase.h"
#include "fulfil/manifest.h"
#include "fulfil/traverse.h"

namespace steward::fulfil {
namespace {

using connect::Row;
using connect::testing::TempDatabase;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kFixtures = std::string(STEWARD_SOURCE_DIR) + "/tests/fixtures/fides/";

class Collect final : public RowSink {
 public:
  Status OnRow(size_t c, const Row& row) override {
    rows[c].push_back(row);
    return {};
  }
  std::map<size_t, std::vector<Row>> rows;
};

// The fideslang example dataset on a real PostgreSQL loaded with its seed.
class FidesFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TempDatabase>("postgres");
    if (!db_->ok()) return;
    conn_ = db_->Connect();
    ASSERT_TRUE(conn_);
    ASSERT_TRUE(conn_->ExecScript(ReadFile(kFixtures + "postgres_sample.sql")));
    auto imported = ImportFideslang(ReadFile(kFixtures + "postgres_example_test_dataset.yml"), "fides.yml");
    ASSERT_TRUE(imported) << imported.error().message;
    dataset_ = std::move(*imported);
    auto schema = conn_->Introspect();
    ASSERT_TRUE(schema);
    schema_ = *schema;
    auto bound = Bind(dataset_, schema_);
    ASSERT_TRUE(bound) << bound.error().message;
    graph_ = BuildGraph(dataset_, schema_);
  }
  size_t Index(std::string_view name) const {
    return static_cast<size_t>(dataset_.FindCollection(name) - dataset_.collections.data());
  }
  std::set<std::string> Keys(const Collect& c, std::string_view collection) {
    std::set<std::string> out;
    auto it = c.rows.find(Index(collection));
    if (it == c.rows.end()) return out;
    for (const Row& r : it->second) out.insert(r[graph_.key[Index(collection)][0]].text);
    return out;
  }
  std::unique_ptr<TempDatabase> db_;
  std::unique_ptr<connect::Connector> conn_;
  Dataset dataset_;
  connect::Schema schema_;
  Graph graph_;
};

TEST_F(FidesFixture, ImportKeepsCategoriesIdentitiesReferencesAndOverrides) {
  STEWARD_REQUIRE_DB(*db_);
  EXPECT_EQ(dataset_.key, "postgres_example_test_dataset");
  const Field* email = dataset_.FindCollection("customer")->FindField("email");
  EXPECT_EQ(email->identity, "email");
  EXPECT_EQ(email->categories, std::vector<std::string>{"user.contact.email"});
  const Field* name = dataset_.FindCollection("employee")->FindField("name");
  EXPECT_EQ(name->erase, Strategy::kFixed);
  EXPECT_EQ(name->erase_value, "testing-test");
  // Primary keys the dataset does not declare come from the database.
  EXPECT_EQ(dataset_.FindCollection("order_item")->primary_key, (std::vector<std::string>{"order_id", "item_no"}));
  // The emitted manifest parses back to the same model.
  Dataset copy = dataset_;
  copy.dsn_env = "X";
  auto reparsed = ParseManifest(EmitManifest(copy), "emitted.yaml");
  ASSERT_TRUE(reparsed) << reparsed.error().message << "\n" << EmitManifest(copy);
  EXPECT_EQ(reparsed->collections.size(), dataset_.collections.size());
  EXPECT_EQ(reparsed->FindCollection("login")->FindField("customer_id")->references.size(), 1u);
  EXPECT_EQ(Unreachable(graph_), (std::vector<std::string>{}));
}

TEST_F(FidesFixture, AccessFindsEveryRowOfThePersonAndNoOneElses) {
  STEWARD_REQUIRE_DB(*db_);
  Collect sink;
  auto stats = Traverse(graph_, *conn_, {{"email", "customer-1@example.com"}}, sink);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(Keys(sink, "customer"), (std::set<std::string>{"1"}));
  EXPECT_EQ(Keys(sink, "login"), (std::set<std::string>{"1", "2", "3", "4", "5", "6"}));
  EXPECT_EQ(Keys(sink, "orders"), (std::set<std::string>{"ord_aaa-aaa", "ord_ccc-ccc", "ord_ddd-ddd"}));
  EXPECT_EQ(Keys(sink, "payment_card"), (std::set<std::string>{"pay_aaa-aaa"}));
  EXPECT_EQ(Keys(sink, "service_request"), (std::set<std::string>{"ser_aaa-aaa"}));
  EXPECT_EQ(Keys(sink, "visit"), (std::set<std::string>{"customer-1@example.com"}));
  EXPECT_EQ(Keys(sink, "address"), (std::set<std::string>{"1", "2"}));
  EXPECT_EQ(sink.rows[Index("order_item")].size(), 4u);
  EXPECT_TRUE(Keys(sink, "employee").empty());
  EXPECT_TRUE(Keys(sink, "report").empty());
  // Customer 2's card and orders are not reached through the shared address.
  EXPECT_FALSE(Keys(sink, "payment_card").contains("pay_bbb-bbb"));
}

TEST_F(FidesFixture, EraseMasksDeletesKeepsSharedRowsAndRecheckFindsNothing) {
  STEWARD_REQUIRE_DB(*db_);
  const InstanceKey key = InstanceKey::Generate();
  const std::vector<IdentityValue> who = {{"email", "customer-1@example.com"}};
  auto plan = PlanErasure(graph_, *conn_, who, key, *ParseDate("2026-11-24"));
  ASSERT_TRUE(plan) << plan.error().message;
  // Addresses 1 and 2 are also customer 2's: kept, with the reason.
  ASSERT_FALSE(plan->held.empty());
  EXPECT_EQ(plan->held[0].collection, "address");
  EXPECT_EQ(plan->held[0].rows, 2);
  EXPECT_NE(plan->held[0].reason.find("other people"), std::string::npos);
  auto applied = ApplyPlan(*conn_, *plan);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_GT(*applied, 0);

  auto residual = Recheck(graph_, *conn_, who, *plan);
  ASSERT_TRUE(residual) << residual.error().message;
  EXPECT_TRUE(residual->empty()) << (*residual)[0].collection << " " << (*residual)[0].key << " " << (*residual)[0].field;
  // The customer row (its key is personal) is gone; its logins and card are masked.
  Collect after;
  ASSERT_TRUE(Traverse(graph_, *conn_, who, after));
  EXPECT_TRUE(Keys(after, "customer").empty());
  std::vector<Row> cards;
  ASSERT_TRUE(conn_->Find({"payment_card", {"id", "ccn", "customer_id", "name"}, "id", {connect::Cell::Text("pay_aaa-aaa")}},
                          [&](const Row& r) -> Status {
                            cards.push_back(r);
                            return {};
                          }));
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_TRUE(cards[0][1].null());
  EXPECT_TRUE(cards[0][2].null());
  // Customer 2 is untouched.
  Collect other;
  ASSERT_TRUE(Traverse(graph_, *conn_, {{"email", "customer-2@example.com"}}, other));
  EXPECT_EQ(Keys(other, "customer"), (std::set<std::string>{"2"}));
  EXPECT_EQ(Keys(other, "payment_card"), (std::set<std::string>{"pay_bbb-bbb"}));
  // Rerunning is idempotent: nothing left to change.
  auto again = PlanErasure(graph_, *conn_, who, key, *ParseDate("2026-11-24"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rows_changed(), 0);
}

TEST_F(FidesFixture, ChangedTableIsCaughtAtBindWithTheManifestLine) {
  STEWARD_REQUIRE_DB(*db_);
  ASSERT_TRUE(conn_->ExecScript("ALTER TABLE public.customer DROP COLUMN name"));
  auto schema = conn_->Introspect();
  ASSERT_TRUE(schema);
  auto fresh = ImportFideslang(ReadFile(kFixtures + "postgres_example_test_dataset.yml"), "fides.yml");
  ASSERT_TRUE(fresh);
  auto bound = Bind(*fresh, *schema);
  ASSERT_FALSE(bound);
  EXPECT_NE(bound.error().message.find("fides.yml:43: collections.customer.fields.name: the table has no such column"),
            std::string::npos)
      << bound.error().message;
}

// redact: free text keeps its words; the personal data in it (found by the scanner) and the
// person's own identifiers go. Other people's rows are untouched; Recheck finds nothing left.
class RedactErasure : public ::testing::TestWithParam<std::string> {};

TEST_P(RedactErasure, MasksPersonalDataInsideFreeTextOnly) {
  TempDatabase db(GetParam());
  STEWARD_REQUIRE_DB(db);
  auto conn = db.Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->ExecScript(
      "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, login TEXT);"
      "CREATE TABLE tickets (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), body TEXT, priority INTEGER);"
      "INSERT INTO customers VALUES (1, 'ana@mail-acme.net', 'ana_k77'), (2, 'bo@mail-acme.net', 'bo_z');"
      "INSERT INTO tickets VALUES (10, 1, 'Call me on +1 415 555 0132 or write to ana@mail-acme.net; login ANA_K77. SSN 536-22-8726.', 2),"
      " (11, 1, 'Thanks, all good now.', 1), (12, 2, 'My card 4111 1111 1111 1111 was charged twice', 3);"));
  const std::string manifest = R"(dataset: helpdesk
connection: {engine: sqlite, dsn: unused.db}
collections:
  - name: customers
    erase: mask
    fields:
      - {name: id, categories: [user.unique_id], erase: keep}
      - {name: email, categories: [user.contact.email], identity: email, erase: pseudonym}
      - {name: login, categories: [user.account.username], erase: keep}
  - name: tickets
    fields:
      - {name: id, categories: [system.operations], erase: keep}
      - name: customer_id
        categories: [user.unique_id]
        erase: keep
        references: [{field: customers.id, direction: from}]
      - {name: body, categories: [user.content.public], erase: redact}
      - {name: priority, categories: [system.operations], erase: redact}
)";
  auto parsed = ParseManifest(manifest, "helpdesk.yaml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  Dataset dataset = std::move(*parsed);
  auto schema = conn->Introspect();
  ASSERT_TRUE(schema);
  ASSERT_TRUE(Bind(dataset, *schema));
  Graph graph = BuildGraph(dataset, *schema);
  const InstanceKey key = InstanceKey::Generate();
  const std::vector<IdentityValue> who = {{"email", "ana@mail-acme.net"}, {"account_id", "ana_k77"}};
  auto plan = PlanErasure(graph, *conn, who, key, *ParseDate("2026-11-24"));
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_TRUE(ApplyPlan(*conn, *plan));

  std::map<std::string, std::string> body;
  ASSERT_TRUE(conn->RunSelect("SELECT id, body, priority FROM tickets ORDER BY id", {}, 3, [&](const Row& r) -> Status {
    body[r[0].text] = r[1].text;
    EXPECT_FALSE(r[2].null());  // a number is never redacted
    return {};
  }));
  EXPECT_EQ(body["10"],
            "Call me on [REDACTED:phone] or write to [REDACTED:email]; login [REDACTED:identity]. SSN [REDACTED:us_ssn].");
  EXPECT_EQ(body["11"], "Thanks, all good now.");
  EXPECT_EQ(body["12"], "My card 4111 1111 1111 1111 was charged twice");  // someone else's ticket
  auto residual = Recheck(graph, *conn, who, *plan);
  ASSERT_TRUE(residual);
  EXPECT_TRUE(residual->empty());
  auto again = PlanErasure(graph, *conn, who, key, *ParseDate("2026-11-24"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rows_changed(), 0);  // redaction is idempotent
}

INSTANTIATE_TEST_SUITE_P(Engines, RedactErasure, ::testing::Values("sqlite", "postgres"));

TEST(RedactFreeText, IdentityValuesNeverEatIntoEarlierMasksAndTwiceIsOnce) {
  const std::string once = RedactFreeText("mail red@mail-acme.net, user red, Red Cross", {"red", "ed"});
  EXPECT_EQ(once, "mail [REDACTED:email], user [REDACTED:identity], [REDACTED:identity] Cross");
  EXPECT_EQ(RedactFreeText(once, {"red", "ed"}), once);
  EXPECT_EQ(RedactFreeText("nothing personal here", {"zzz"}), "nothing personal here");
}

TEST(Manifest, ReportsEveryProblemWithItsLine) {
  auto parsed = ParseManifest(R"(dataset: shop
connection: {engine: sqlite, dsn: shop.db}
collections:
  - name: customers
    fields:
      - name: email
        categories: [user.contact.emial]
        identity: email
      - name: card
        erase: shred
  - name: orders
    fields:
      - name: customer_id
        references: [{field: customer.id, direction: from}]
)",
                              "shop.yaml");
  ASSERT_FALSE(parsed);
  const std::string& m = parsed.error().message;
  EXPECT_NE(m.find("shop.yaml:7: collections.customers.fields.email.categories: unknown data category 'user.contact.emial'"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("shop.yaml:10: collections.customers.fields.card.erase: unknown strategy 'shred'"), std::string::npos) << m;
}

TEST(Manifest, FideslangImportRefusesUnknownCategoriesAndCollectionsWithoutFields) {
  // Found by the dataset_manifest fuzzer: both imported, then failed as Steward manifests.
  auto imported = ImportFideslang(R"(dataset:
  - fides_key: shop
    collections:
      - name: customer
        fields:
          - name: email
            data_categories: [user.contact.emial]
            fides_meta: {identity: email}
      - name: visit
        field: []
)",
                                  "shop.yml");
  ASSERT_FALSE(imported);
  const std::string& m = imported.error().message;
  EXPECT_NE(m.find("shop.yml:7: collections.customer.fields.email.data_categories: unknown data category "
                   "'user.contact.emial' (did you mean user.contact.email?)"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("shop.yml:9: collections.visit.fields: is required: a list of fields"), std::string::npos) << m;
}

TEST(Manifest, ReferenceToAnUnknownCollectionIsAnError) {
  auto parsed = ParseManifest(R"(dataset: shop
connection: {engine: sqlite, dsn: shop.db}
collections:
  - name: customers
    fields:
      - name: id
      - name: email
        identity: email
        categories: [user.contact.email]
  - name: orders
    fields:
      - name: customer_id
        references: [{field: customer.id, direction: from}]
)",
                              "shop.yaml");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("shop.yaml:13: collections.orders.fields.customer_id.references: unknown collection 'customer'"),
            std::string::npos)
      << parsed.error().message;
}

}  // namespace
}  // namespace steward::fulfil
