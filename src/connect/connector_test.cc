// One suite, run against both engines: the connectors must behave the same.
#include "connect/connector.h"

#include <gtest/gtest.h>

#include "connect/testing.h"

namespace steward::connect {
namespace {

using testing::TempDatabase;

constexpr const char* kSchema = R"sql(
CREATE TABLE people (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, name VARCHAR(40), active BOOLEAN);
CREATE TABLE "order lines" (person_id INTEGER REFERENCES people(id), line_no INTEGER, note TEXT,
                            PRIMARY KEY (person_id, line_no));
INSERT INTO people VALUES (1, 'a@example.com', 'Ann', TRUE), (2, 'b@example.com', 'Bob', FALSE),
                          (3, 'c@example.com', NULL, NULL);
INSERT INTO "order lines" VALUES (1, 1, 'first'), (1, 2, 'second'), (2, 1, 'bob''s');
)sql";

class ConnectorTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TempDatabase>(GetParam());
    if (!db_->ok()) return;
    conn_ = db_->Connect();
    ASSERT_TRUE(conn_);
    ASSERT_TRUE(conn_->ExecScript(kSchema));
  }
  std::vector<Row> FindAll(const std::string& table, const std::vector<std::string>& columns, const std::string& match,
                           std::vector<Cell> values) {
    std::vector<Row> rows;
    auto st = conn_->Find({table, columns, match, std::move(values)}, [&](const Row& r) -> Status {
      rows.push_back(r);
      return {};
    });
    EXPECT_TRUE(st) << (st ? "" : st.error().message);
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a[0].text + a[1].text < b[0].text + b[1].text; });
    return rows;
  }
  std::unique_ptr<TempDatabase> db_;
  std::unique_ptr<Connector> conn_;
};

TEST_P(ConnectorTest, IntrospectsTablesKeysAndForeignKeys) {
  STEWARD_REQUIRE_DB(*db_);
  auto schema = conn_->Introspect();
  ASSERT_TRUE(schema) << schema.error().message;
  const Table* people = schema->FindTable("people");
  ASSERT_NE(people, nullptr);
  EXPECT_EQ(people->primary_key, std::vector<std::string>{"id"});
  ASSERT_NE(people->FindColumn("email"), nullptr);
  EXPECT_FALSE(people->FindColumn("email")->nullable);
  EXPECT_EQ(people->FindColumn("name")->max_length, 40);
  const Table* lines = schema->FindTable("order lines");
  ASSERT_NE(lines, nullptr);
  EXPECT_EQ(lines->primary_key, (std::vector<std::string>{"person_id", "line_no"}));
  ASSERT_EQ(lines->foreign_keys.size(), 1u);
  EXPECT_EQ(lines->foreign_keys[0].columns, std::vector<std::string>{"person_id"});
  EXPECT_EQ(lines->foreign_keys[0].ref_table, "people");
  EXPECT_EQ(lines->foreign_keys[0].ref_columns, std::vector<std::string>{"id"});
}

TEST_P(ConnectorTest, FindsRowsWithTypedValuesAndTextParameters) {
  STEWARD_REQUIRE_DB(*db_);
  // Text parameters compare with integer columns on both engines.
  auto rows = FindAll("people", {"id", "email", "name", "active"}, "id", {Cell::Text("1"), Cell::Text("3")});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], (Cell{Kind::kInt, "1"}));
  EXPECT_EQ(rows[0][1], Cell::Text("a@example.com"));
  EXPECT_TRUE(rows[1][2].null());
  if (GetParam() == "postgres") {
    EXPECT_EQ(rows[0][3], (Cell{Kind::kBool, "true"}));
  }
  auto lines = FindAll("order lines", {"person_id", "line_no", "note"}, "person_id", {{Kind::kInt, "1"}});
  EXPECT_EQ(lines.size(), 2u);
}

TEST_P(ConnectorTest, ValuesAreBoundNeverSpliced) {
  STEWARD_REQUIRE_DB(*db_);
  auto rows = FindAll("people", {"id", "email"}, "email", {Cell::Text("x' OR '1'='1"), Cell::Text("b@example.com")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][1].text, "b@example.com");
  Change change{.op = Change::Op::kUpdate, .table = "people", .key_columns = {"id"}, .keys = {{Cell::Text("2")}},
                .set = {{"name", Cell::Text("Robert'); DROP TABLE people; --")}}};
  ASSERT_TRUE(conn_->Apply({change}));
  rows = FindAll("people", {"id", "name"}, "id", {Cell::Text("2")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][1].text, "Robert'); DROP TABLE people; --");
}

TEST_P(ConnectorTest, ApplyIsAllOrNothing) {
  STEWARD_REQUIRE_DB(*db_);
  Change mask{.op = Change::Op::kUpdate, .table = "people", .key_columns = {"id"},
              .keys = {{Cell::Text("1")}, {Cell::Text("2")}}, .set = {{"name", Cell::Null()}}};
  Change del_lines{.op = Change::Op::kDelete, .table = "order lines", .key_columns = {"person_id", "line_no"},
                   .keys = {{Cell::Text("1"), Cell::Text("1")}, {Cell::Text("1"), Cell::Text("2")}}};
  // Violates NOT NULL: the whole transaction, including the earlier changes, must roll back.
  Change bad{.op = Change::Op::kUpdate, .table = "people", .key_columns = {"id"}, .keys = {{Cell::Text("3")}},
             .set = {{"email", Cell::Null()}}};
  auto applied = conn_->Apply({mask, del_lines, bad});
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kUnavailable);
  auto rows = FindAll("people", {"id", "name"}, "id", {Cell::Text("1"), Cell::Text("2")});
  EXPECT_EQ(rows[0][1].text, "Ann");
  EXPECT_EQ(FindAll("order lines", {"person_id", "line_no"}, "person_id", {Cell::Text("1")}).size(), 2u);

  // Without the bad change it commits, and deletes of children go before their parent.
  Change del_person{.op = Change::Op::kDelete, .table = "people", .key_columns = {"id"}, .keys = {{Cell::Text("1")}}};
  applied = conn_->Apply({mask, del_lines, del_person});
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(*applied, 5);
  EXPECT_TRUE(FindAll("people", {"id", "name"}, "id", {Cell::Text("1")}).empty());
  EXPECT_TRUE(FindAll("people", {"id", "name"}, "id", {Cell::Text("2")})[0][1].null());
}

TEST_P(ConnectorTest, ForeignKeysBlockDeletingAParentFirst) {
  STEWARD_REQUIRE_DB(*db_);
  Change del_person{.op = Change::Op::kDelete, .table = "people", .key_columns = {"id"}, .keys = {{Cell::Text("2")}}};
  EXPECT_FALSE(conn_->Apply({del_person}));
  EXPECT_EQ(FindAll("people", {"id", "name"}, "id", {Cell::Text("2")}).size(), 1u);
}

TEST_P(ConnectorTest, BulkInsertLoadsRowsWithAwkwardText) {
  STEWARD_REQUIRE_DB(*db_);
  ASSERT_TRUE(conn_->BulkInsert("people", {"id", "email", "name"},
                                {{Cell::Text("10"), Cell::Text("tab\there@example.com"), Cell::Text("back\\slash\nline")},
                                 {Cell::Text("11"), Cell::Text("n@example.com"), Cell::Null()}}));
  auto rows = FindAll("people", {"id", "email", "name"}, "id", {Cell::Text("10"), Cell::Text("11")});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1].text, "tab\there@example.com");
  EXPECT_EQ(rows[0][2].text, "back\\slash\nline");
  EXPECT_TRUE(rows[1][2].null());
}

TEST(ConnectorOpen, BadEngineAndUnreachableServerAreClearErrors) {
  auto bad = Open({.engine = "oracle", .dsn = "x"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "engine");
  auto down = Open({.engine = "postgres", .dsn = "host=127.0.0.1 port=1 user=x password=s3cret connect_timeout=2"});
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(down.error().message.find("s3cret"), std::string::npos);
  auto missing_dir = Open({.engine = "sqlite", .dsn = "/nonexistent/dir/x.db"});
  EXPECT_FALSE(missing_dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, ConnectorTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace steward::connect
