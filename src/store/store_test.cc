// The Store contract. Every Store implementation must pass this suite (add its factory below).
#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "core/secrets.h"

namespace steward::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("steward-store-" + RandomBase32(8));
    std::filesystem::create_directories(dir_);
    auto s = OpenSqliteStore(dir_ / "steward.db");
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static RequestRow Row(const std::string& id) {
    RequestRow r;
    r.id = id;
    r.type = "delete";
    r.jurisdiction = "US-CA";
    r.status = "received";
    r.channel = "web";
    r.received_at = 1000;
    r.received_date = "2026-11-24";
    r.confirm_by = "2026-12-09";
    r.due_at = "2027-01-08";
    r.original_due_at = "2027-01-08";
    r.subject_key = "subj";
    r.identity_sealed = "sealed";
    r.verification_level = "reasonable";
    r.data_points = 2;
    r.status_token_hash = "h";
    r.updated_at = 1000;
    return r;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, RequestRoundTripsAndStaleUpdatesConflict) {
  ASSERT_TRUE(store_->Write([](Transaction& tx) { return tx.InsertRequest(Row("r1")); }));
  RequestRow loaded;
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto r, tx.GetRequest("r1"));
    if (!r) return Fail(ErrorCode::kNotFound, "missing");
    loaded = *r;
    return Ok();
  }));
  EXPECT_EQ(loaded.type, "delete");
  EXPECT_EQ(loaded.confirm_by, "2026-12-09");
  EXPECT_EQ(loaded.version, 1);
  EXPECT_TRUE(loaded.agent_sealed.empty());

  RequestRow stale = loaded;
  loaded.status = "awaiting_verification";
  ASSERT_TRUE(store_->Write([&](Transaction& tx) { return tx.UpdateRequest(loaded); }));
  EXPECT_EQ(loaded.version, 2);
  stale.status = "cancelled";
  auto st = store_->Write([&](Transaction& tx) { return tx.UpdateRequest(stale); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
}

TEST_F(StoreTest, FailedWriteChangesNothing) {
  auto st = store_->Write([](Transaction& tx) -> Status {
    RETURN_IF_ERROR(tx.InsertRequest(Row("r1")));
    return Fail(ErrorCode::kInvalidArgument, "changed my mind");
  });
  ASSERT_FALSE(st);
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto r, tx.GetRequest("r1"));
    EXPECT_FALSE(r.has_value());
    return Ok();
  }));
}

TEST_F(StoreTest, DuplicateIdIsAnError) {
  ASSERT_TRUE(store_->Write([](Transaction& tx) { return tx.InsertRequest(Row("r1")); }));
  EXPECT_FALSE(store_->Write([](Transaction& tx) { return tx.InsertRequest(Row("r1")); }));
}

TEST_F(StoreTest, ListFiltersAndOrdersByDueDate) {
  ASSERT_TRUE(store_->Write([](Transaction& tx) -> Status {
    auto a = Row("a");
    a.due_at = "2027-02-01";
    auto b = Row("b");
    b.due_at = "2027-01-01";
    b.type = "access";
    auto c = Row("c");
    c.status = "completed";
    c.due_at = "2027-03-01";
    RETURN_IF_ERROR(tx.InsertRequest(a));
    RETURN_IF_ERROR(tx.InsertRequest(b));
    return tx.InsertRequest(c);
  }));
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto all, tx.ListRequests({}));
    EXPECT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, "b");
    ASSIGN_OR_RETURN(auto received, tx.ListRequests({.status = "received"}));
    EXPECT_EQ(received.size(), 2u);
    ASSIGN_OR_RETURN(auto access, tx.ListRequests({.type = "access"}));
    EXPECT_EQ(access.size(), 1u);
    ASSIGN_OR_RETURN(auto soon, tx.ListRequests({.due_before = "2027-01-15"}));
    EXPECT_EQ(soon.size(), 1u);
    return Ok();
  }));
}

TEST_F(StoreTest, CountableRequestsSkipUnverifiedAndLimitDenials) {
  ASSERT_TRUE(store_->Write([](Transaction& tx) -> Status {
    auto a = Row("a");
    a.type = "access";
    a.status = "completed";
    auto b = Row("b");
    b.type = "access";
    b.status = "denied";
    b.denial_reason = "limit_reached";
    auto c = Row("c");
    c.type = "access";
    c.status = "awaiting_verification";
    auto d = Row("d");
    d.type = "portability";
    d.status = "in_progress";
    d.received_at = 5;
    RETURN_IF_ERROR(tx.InsertRequest(a));
    RETURN_IF_ERROR(tx.InsertRequest(b));
    RETURN_IF_ERROR(tx.InsertRequest(c));
    return tx.InsertRequest(d);
  }));
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(int n, tx.CountCountableRequests("subj", {"access", "portability"}, 0, "x"));
    EXPECT_EQ(n, 2);
    ASSIGN_OR_RETURN(int m, tx.CountCountableRequests("subj", {"access", "portability"}, 500, "x"));
    EXPECT_EQ(m, 1);
    ASSIGN_OR_RETURN(int k, tx.CountCountableRequests("subj", {"access"}, 0, "a"));
    EXPECT_EQ(k, 0);
    return Ok();
  }));
}

TEST_F(StoreTest, EventsAreNumberedPerRequest) {
  ASSERT_TRUE(store_->Write([](Transaction& tx) -> Status {
    RETURN_IF_ERROR(tx.InsertRequest(Row("r1")));
    EventRow e{.request_id = "r1", .at = 1, .actor = "system", .kind = "received"};
    RETURN_IF_ERROR(tx.AppendEvent(e));
    EXPECT_EQ(e.seq, 1);
    EventRow f{.request_id = "r1", .at = 2, .actor = "system", .kind = "code_sent", .is_public = false};
    RETURN_IF_ERROR(tx.AppendEvent(f));
    EXPECT_EQ(f.seq, 2);
    ASSIGN_OR_RETURN(auto events, tx.ListEvents("r1"));
    EXPECT_EQ(events.size(), 2u);
    EXPECT_FALSE(events[1].is_public);
    return Ok();
  }));
  // An event for a request that does not exist violates the foreign key.
  EXPECT_FALSE(store_->Write([](Transaction& tx) {
    EventRow e{.request_id = "nope", .at = 1, .actor = "system", .kind = "received"};
    return tx.AppendEvent(e);
  }));
}

TEST_F(StoreTest, AuditLogAppendsMoveTheHeadAndRefuseEdits) {
  ASSERT_TRUE(store_->Write([](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto head, tx.GetAuditHead());
    EXPECT_EQ(head.seq, 0);
    EXPECT_EQ(head.hash, std::string(64, '0'));
    RETURN_IF_ERROR(tx.AppendAudit({1, 5, "admin", "x", "y", "{}", head.hash, "abc"}));
    ASSIGN_OR_RETURN(auto head2, tx.GetAuditHead());
    EXPECT_EQ(head2.seq, 1);
    EXPECT_EQ(head2.hash, "abc");
    return Ok();
  }));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "steward.db").c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET actor='mallory'", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST_F(StoreTest, TokensAreFoundByHashOnly) {
  ASSERT_TRUE(store_->Write([](Transaction& tx) { return tx.InsertToken({"t1", "hash1", "admin", "ops", 1, 0}); }));
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto t, tx.FindTokenByHash("hash1"));
    EXPECT_TRUE(t.has_value());
    EXPECT_EQ(t->role, "admin");
    ASSIGN_OR_RETURN(auto none, tx.FindTokenByHash("hash2"));
    EXPECT_FALSE(none.has_value());
    ASSIGN_OR_RETURN(auto all, tx.ListTokens());
    EXPECT_EQ(all.size(), 1u);
    EXPECT_TRUE(all[0].token_hash.empty());  // listing never returns the hash
    return Ok();
  }));
}

TEST_F(StoreTest, OutboxLeasesDueMessagesOnce) {
  ASSERT_TRUE(store_->Write([](Transaction& tx) -> Status {
    MessageRow m{.kind = "receipt", .channel = "email", .recipient_sealed = "r", .subject = "s", .body_sealed = "b",
                 .status = "pending", .next_attempt_at = 100, .created_at = 1};
    ASSIGN_OR_RETURN(auto id1, tx.EnqueueMessage(m));
    m.next_attempt_at = 10'000;
    ASSIGN_OR_RETURN(auto id2, tx.EnqueueMessage(m));
    EXPECT_LT(id1, id2);
    return Ok();
  }));
  std::vector<MessageRow> leased;
  ASSERT_TRUE(store_->Write([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(leased, tx.LeaseDueMessages(200, 60'200, 10));
    return Ok();
  }));
  ASSERT_EQ(leased.size(), 1u);
  ASSERT_TRUE(store_->Write([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto again, tx.LeaseDueMessages(300, 60'300, 10));
    EXPECT_TRUE(again.empty());  // leased to the first worker
    leased[0].status = "sent";
    leased[0].body_sealed = "";
    return tx.UpdateMessage(leased[0]);
  }));
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto sent, tx.ListMessages("", "sent", 10));
    EXPECT_EQ(sent.size(), 1u);
    return Ok();
  }));
}

TEST_F(StoreTest, ScanRunsListNewestFirstWithoutTheirReports) {
  ASSERT_TRUE(store_->Write([](Transaction& tx) -> Status {
    RETURN_IF_ERROR(tx.InsertScanRun({"scan_a", 1000, 2000, "cli", R"(["logs/"])", "", 4, 0, R"({"findings":[]})"}));
    return tx.InsertScanRun({"scan_b", 3000, 3500, "cli", R"(["shop.db"])", "inventory.yaml", 2, 1, R"({"drift":[1]})"});
  }));
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    auto runs = tx.ListScanRuns(10);
    EXPECT_TRUE(runs);
    EXPECT_EQ(runs->size(), 2u);
    EXPECT_EQ((*runs)[0].id, "scan_b");
    EXPECT_EQ((*runs)[0].undeclared, 1);
    EXPECT_EQ((*runs)[0].against, "inventory.yaml");
    EXPECT_TRUE((*runs)[0].report.empty());
    auto one = tx.GetScanRun("scan_b");
    EXPECT_TRUE(one && *one);
    EXPECT_EQ((**one).report, R"({"drift":[1]})");
    auto none = tx.GetScanRun("scan_zzz");
    EXPECT_TRUE(none && !*none);
    return {};
  }));
  // Ids are unique: a second run with the same id is refused and changes nothing.
  EXPECT_FALSE(store_->Write([](Transaction& tx) { return tx.InsertScanRun({"scan_a", 1, 2, "cli", "[]", "", 0, 0, "{}"}); }));
}

TEST_F(StoreTest, ReopeningAppliesNoMigrationTwice) {
  store_.reset();
  auto again = OpenSqliteStore(dir_ / "steward.db");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_GE(SchemaVersion(), 1);
}

TEST(StoreOpenTest, UnopenablePathIsUnavailable) {
  auto s = OpenSqliteStore("/nonexistent-dir/x/steward.db");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace steward::store
