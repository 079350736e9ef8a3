#include "notice/versions.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "audit/audit.h"
#include "rights/service.h"

namespace steward::notice {
namespace {

class VersionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(SetProcessTimeZone("UTC"));
    dir_ = std::filesystem::temp_directory_path() / ("steward-notice-" + RandomBase32(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::OpenSqliteStore(dir_ / "steward.db"));
    inventory_ = *inventory::LoadInventoryFile(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/inventory.yaml");
    rules_ = *rights::RulesTable::Default();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Result<PublishResult> PublishPolicy(const char* date) {
    return Publish(*store_, clock_, Kind::kPolicy, Format::kMarkdown, {inventory_, rules_, *ParseDate(date)}, "cli");
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  inventory::Inventory inventory_;
  rights::RulesTable rules_;
  ManualClock clock_{*ParseTimestamp("2026-11-24T12:00:00Z")};
};

TEST_F(VersionsTest, PublishingStoresOnceAndAudits) {
  auto first = PublishPolicy("2026-11-24");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first->unchanged);
  auto again = PublishPolicy("2026-11-24");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->unchanged);
  EXPECT_EQ(again->id, first->id);
  auto changed = PublishPolicy("2026-12-01");  // a new effective date changes the text
  ASSERT_TRUE(changed);
  EXPECT_GT(changed->id, first->id);
  auto audit = audit::Verify(*store_);
  EXPECT_EQ(audit->entries, 2);
}

TEST_F(VersionsTest, WarningsForNoneStaleAndOld) {
  auto none = Warnings(*store_, inventory_, *ParseDate("2026-11-24"));
  ASSERT_EQ(none->size(), 1u);
  EXPECT_NE((*none)[0].find("No privacy policy"), std::string::npos);
  ASSERT_TRUE(PublishPolicy("2026-11-24"));
  EXPECT_TRUE(Warnings(*store_, inventory_, *ParseDate("2026-12-01"))->empty());
  auto old = Warnings(*store_, inventory_, *ParseDate("2027-11-25"));
  ASSERT_EQ(old->size(), 1u);
  EXPECT_NE((*old)[0].find("more than 12 months"), std::string::npos);
  inventory_.source_hash = "changed";
  auto stale = Warnings(*store_, inventory_, *ParseDate("2026-12-01"));
  ASSERT_EQ(stale->size(), 1u);
  EXPECT_NE((*stale)[0].find("policy/md (version 1)"), std::string::npos);
}

TEST_F(VersionsTest, DiffShowsWhatChanged) {
  auto v1 = PublishPolicy("2026-11-24");
  inventory_.organization.metrics_url = "https://acme.example/privacy/metrics-2026";
  auto v2 = PublishPolicy("2026-11-24");
  auto diff = Diff(*store_, v1->id, v2->id);
  ASSERT_TRUE(diff) << diff.error().message;
  EXPECT_NE(diff->find("- The number of requests we received and how we answered them: https://acme.example/privacy/metrics\n"),
            std::string::npos);
  EXPECT_NE(diff->find("+ The number of requests we received and how we answered them: https://acme.example/privacy/metrics-2026\n"),
            std::string::npos);
  EXPECT_NE(diff->find("  ## Request metrics\n"), std::string::npos);
  EXPECT_EQ(Diff(*store_, v1->id, 99).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(DiffLines("a\nb\nc\n", "a\nc\nd\n"), "  a\n- b\n  c\n+ d\n");
}

TEST_F(VersionsTest, RequestsRecordThePolicyInForce) {
  ManualClock clock(*ParseTimestamp("2026-11-24T12:00:00Z"));
  InstanceKey key = InstanceKey::Generate();
  rights::RequestService requests(*store_, rules_, inventory_, key, clock);
  rights::IntakeInput in;
  in.type = "opt_out_sale_share";
  in.jurisdiction = "US-CA";
  in.identity = {{"email", "ada@example.com"}};
  auto before = requests.File(in);
  ASSERT_TRUE(before);
  EXPECT_EQ(requests.Get(before->id)->notice_version, 0);
  auto v = PublishPolicy("2026-11-24");
  auto after = requests.File(in);
  ASSERT_TRUE(after);
  EXPECT_EQ(requests.Get(after->id)->notice_version, v->id);
}

}  // namespace
}  // namespace steward::notice
