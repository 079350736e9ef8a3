#include "rights/rules.h"

#include <gtest/gtest.h>

namespace steward::rights {
namespace {

Date D(const char* s) { return *ParseDate(s); }

class RulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = RulesTable::Default();
    ASSERT_TRUE(t) << t.error().message << " at " << t.error().field;
    table_ = std::move(*t);
  }
  Deadlines For(const char* j, RequestType t, const char* received) {
    const JurisdictionRules* rules = table_.Find(j);
    EXPECT_NE(rules, nullptr) << j;
    const TypeRule* rule = rules->Find(t);
    EXPECT_NE(rule, nullptr) << j << " " << Name(t);
    return RulesTable::ComputeDeadlines(*rules, *rule, D(received));
  }
  RulesTable table_;
};

TEST_F(RulesTest, EveryDesignJurisdictionIsPresent) {
  for (const char* code : {"US-CA", "EU", "UK", "US-VA", "US-CO", "US-CT", "US-TX", "US-OR", "US-UT"}) {
    EXPECT_NE(table_.Find(code), nullptr) << code;
  }
}

TEST_F(RulesTest, CaliforniaDeleteIs45CalendarDaysWithReceiptIn10BusinessDays) {
  // Received Wednesday 25 Nov 2026: Thanksgiving and the day after are California holidays.
  auto d = For("US-CA", RequestType::kDelete, "2026-11-25");
  EXPECT_EQ(d.due, D("2027-01-09"));
  ASSERT_TRUE(d.confirm_by);
  EXPECT_EQ(*d.confirm_by, D("2026-12-11"));
}

TEST_F(RulesTest, CaliforniaReceiptSkipsCesarChavezDayAndWeekends) {
  // Received Friday 27 March 2026; 31 March (Tuesday) is Cesar Chavez Day.
  auto d = For("US-CA", RequestType::kAccess, "2026-03-27");
  ASSERT_TRUE(d.confirm_by);
  // Mon 30 (1), Wed 1 Apr (2), Thu 2 (3), Fri 3 (4), Mon 6..Fri 10 (5-9), Mon 13 (10).
  EXPECT_EQ(*d.confirm_by, D("2026-04-13"));
  EXPECT_EQ(d.due, D("2026-05-11"));
}

TEST_F(RulesTest, CaliforniaOptOutIs15BusinessDaysWithoutReceiptConfirmation) {
  auto d = For("US-CA", RequestType::kOptOutSaleShare, "2026-12-21");
  EXPECT_FALSE(d.confirm_by);
  // Dec 22,23,24 (3), 25 holiday, 28-31 (7), Jan 1 holiday, Jan 4-8 (12), 11,12,13 (15).
  EXPECT_EQ(d.due, D("2027-01-13"));
}

TEST_F(RulesTest, GdprIsOneCalendarMonthClampedToMonthEnd) {
  EXPECT_EQ(For("EU", RequestType::kAccess, "2026-01-31").due, D("2026-02-28"));
  EXPECT_EQ(For("EU", RequestType::kAccess, "2028-01-31").due, D("2028-02-29"));
  EXPECT_EQ(For("EU", RequestType::kDelete, "2026-11-24").due, D("2026-12-24"));
  EXPECT_FALSE(For("EU", RequestType::kDelete, "2026-11-24").confirm_by);
  EXPECT_EQ(For("UK", RequestType::kObject, "2026-03-31").due, D("2026-04-30"));
}

TEST_F(RulesTest, MonthRuleIsConfigurable) {
  auto holidays = ParseHolidayLists("calendars:\n  eu:\n    holidays:\n      - {date: 2026-12-25, name: Christmas}\n", "h");
  ASSERT_TRUE(holidays);
  auto t = RulesTable::Parse(R"(verification_levels: {none: {}, reasonable: {data_points: 2}, reasonably_high: {data_points: 3}}
jurisdictions:
  EU:
    business_days: [eu]
    month_rule: clamp_then_next_business_day
    defaults: {respond: 1 months, extension: 2 months}
    types: {access: {}}
)", "custom.yaml", *holidays);
  ASSERT_TRUE(t) << t.error().message;
  const JurisdictionRules* eu = t->Find("EU");
  // 25 Nov 2026 + 1 month = Friday 25 Dec, a holiday here: moves to Monday 28 Dec.
  EXPECT_EQ(RulesTable::ComputeDeadlines(*eu, *eu->Find(RequestType::kAccess), D("2026-11-25")).due, D("2026-12-28"));
  // 31 Aug 2026 + 1 month = 30 Sep (Wednesday): stays.
  EXPECT_EQ(RulesTable::ComputeDeadlines(*eu, *eu->Find(RequestType::kAccess), D("2026-08-31")).due, D("2026-09-30"));
}

TEST_F(RulesTest, StatesUse45DaysAndAppealWindows) {
  EXPECT_EQ(For("US-VA", RequestType::kAccess, "2026-11-24").due, D("2027-01-08"));
  EXPECT_EQ(For("US-VA", RequestType::kAppeal, "2026-11-24").due, D("2027-01-23"));
  EXPECT_EQ(For("US-OR", RequestType::kAppeal, "2026-11-24").due, D("2027-01-08"));
  EXPECT_EQ(For("US-CO", RequestType::kOptOutSaleShare, "2026-11-24").due, D("2026-12-16"));
  EXPECT_EQ(table_.Find("US-UT")->Find(RequestType::kAppeal), nullptr);
  EXPECT_EQ(table_.Find("US-UT")->Find(RequestType::kCorrect), nullptr);
  EXPECT_EQ(table_.Find("US-CA")->Find(RequestType::kRestrict), nullptr);
}

TEST_F(RulesTest, VerificationLevelsFollowTheRegulations) {
  const auto* ca = table_.Find("US-CA");
  EXPECT_EQ(ca->Find(RequestType::kAccess)->verification, VerificationLevel::kReasonablyHigh);
  EXPECT_EQ(ca->Find(RequestType::kKnowCategories)->verification, VerificationLevel::kReasonable);
  EXPECT_EQ(ca->Find(RequestType::kDelete)->verification, VerificationLevel::kReasonable);
  EXPECT_EQ(ca->Find(RequestType::kOptOutSaleShare)->verification, VerificationLevel::kNone);
  EXPECT_EQ(ca->Find(RequestType::kLimitSensitive)->verification, VerificationLevel::kNone);
  EXPECT_EQ(table_.Requirement(VerificationLevel::kReasonablyHigh).data_points, 3);
  EXPECT_TRUE(table_.Requirement(VerificationLevel::kReasonablyHigh).signed_declaration);
  EXPECT_EQ(table_.Requirement(VerificationLevel::kReasonable).data_points, 2);
  EXPECT_EQ(ca->access_limit.count, 2);
}

TEST_F(RulesTest, ExtensionsAreOneEachAsTheLawSays) {
  EXPECT_EQ(table_.Find("US-CA")->Find(RequestType::kDelete)->extension.ToString(), "45 days");
  EXPECT_EQ(table_.Find("EU")->Find(RequestType::kAccess)->extension.ToString(), "2 months");
  EXPECT_TRUE(table_.Find("US-CA")->Find(RequestType::kOptOutSaleShare)->extension.IsNone());
}

TEST(RulesParseTest, BadRulesNameTheLine) {
  std::map<std::string, HolidayList> none;
  auto r = RulesTable::Parse("verification_levels: {none: {}, reasonable: {}, reasonably_high: {}}\njurisdictions:\n"
                             "  X:\n    defaults: {respond: 45 weeks}\n    types: {access: {}}\n", "r.yaml", none);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "r.yaml:4");
  auto r2 = RulesTable::Parse("verification_levels: {none: {}, reasonable: {}, reasonably_high: {}}\njurisdictions:\n"
                              "  X:\n    business_days: [mars]\n    types: {access: {respond: 1 days}}\n", "r.yaml", none);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.error().message.find("mars"), std::string::npos);
  auto r3 = RulesTable::Parse("verification_levels: {none: {}, reasonable: {}, reasonably_high: {}}\njurisdictions:\n"
                              "  X:\n    types: {teleport: {respond: 1 days}}\n", "r.yaml", none);
  ASSERT_FALSE(r3);
  EXPECT_EQ(r3.error().field, "r.yaml:4");
}

}  // namespace
}  // namespace steward::rights
