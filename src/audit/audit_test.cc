#include "audit/audit.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fmt/format.h>

#include <filesystem>

#include "core/secrets.h"

namespace steward::audit {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("steward-audit-" + RandomBase32(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::OpenSqliteStore(dir_ / "steward.db"));
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(store_->Write([&](store::Transaction& tx) {
        return Append(tx, FromMillis(1000 + i), {"admin:t1", "request.approved", fmt::format("req_{}", i), "{\"n\":1}"});
      }));
    }
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Tampers as someone with the database file would: triggers dropped, row changed.
  void Tamper(const std::string& sql) {
    store_.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "steward.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;", nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    store_ = std::move(*store::OpenSqliteStore(dir_ / "steward.db"));
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(AuditTest, IntactLogVerifies) {
  auto r = Verify(*store_);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->intact);
  EXPECT_EQ(r->entries, 5);
}

TEST_F(AuditTest, OneChangedByteIsFoundAtItsEntry) {
  Tamper("UPDATE audit_log SET subject='req_9' WHERE seq=3");
  auto r = Verify(*store_);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->intact);
  EXPECT_EQ(r->first_broken_seq, 3);
}

TEST_F(AuditTest, RecomputedHashStillBreaksTheNextLink) {
  store::AuditRow forged{2, 1001, "admin:t1", "request.denied", "req_1", "{\"n\":1}", "", ""};
  std::string prev;
  ASSERT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.ListAudit(0, 1));
    prev = rows[0].hash;
    return Ok();
  }));
  forged.prev_hash = prev;
  forged.hash = HashOf(forged);
  Tamper(fmt::format("UPDATE audit_log SET action='request.denied', hash='{}' WHERE seq=2", forged.hash));
  auto r = Verify(*store_);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->intact);
  EXPECT_EQ(r->first_broken_seq, 3);
}

TEST_F(AuditTest, DeletedMiddleEntryIsFound) {
  Tamper("DELETE FROM audit_log WHERE seq=2");
  auto r = Verify(*store_);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->intact);
  EXPECT_EQ(r->first_broken_seq, 2);
}

TEST_F(AuditTest, DeletedTailIsFoundAgainstTheHead) {
  Tamper("DELETE FROM audit_log WHERE seq=5");
  auto r = Verify(*store_);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->intact);
  EXPECT_EQ(r->first_broken_seq, 5);
}

}  // namespace
}  // namespace steward::audit
