#include "core/calendar.h"

#include <gtest/gtest.h>

#include "core/embedded.h"

namespace steward {
namespace {

Date D(const char* s) { return *ParseDate(s); }

TEST(DateTest, ParsesAndFormatsRealDaysOnly) {
  EXPECT_EQ(FormatDate(D("2026-02-28")), "2026-02-28");
  EXPECT_FALSE(ParseDate("2026-02-29"));
  EXPECT_FALSE(ParseDate("2026-2-28"));
  EXPECT_FALSE(ParseDate("2026-13-01"));
  EXPECT_FALSE(ParseDate("20260101xx"));
  EXPECT_TRUE(ParseDate("2028-02-29"));
}

TEST(DateTest, CalendarDaysCrossMonthsAndYears) {
  EXPECT_EQ(AddDays(D("2026-11-24"), 45), D("2027-01-08"));
  EXPECT_EQ(AddDays(D("2026-12-31"), 1), D("2027-01-01"));
}

TEST(DateTest, MonthsKeepTheDayNumberAndClampToMonthEnd) {
  EXPECT_EQ(AddMonthsClamped(D("2026-03-15"), 1), D("2026-04-15"));
  EXPECT_EQ(AddMonthsClamped(D("2026-01-31"), 1), D("2026-02-28"));
  EXPECT_EQ(AddMonthsClamped(D("2028-01-31"), 1), D("2028-02-29"));
  EXPECT_EQ(AddMonthsClamped(D("2026-03-31"), 1), D("2026-04-30"));
  EXPECT_EQ(AddMonthsClamped(D("2026-12-31"), 2), D("2027-02-28"));
  EXPECT_EQ(AddMonthsClamped(D("2026-11-30"), 3), D("2027-02-28"));
}

TEST(DateTest, MonthRuleNamesParse) {
  EXPECT_EQ(*ParseMonthRule("clamp_to_month_end"), MonthRule::kClampToMonthEnd);
  EXPECT_EQ(*ParseMonthRule("clamp_then_next_business_day"), MonthRule::kClampThenNextBusinessDay);
  EXPECT_FALSE(ParseMonthRule("30_days"));
}

class ShippedCalendarsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lists = ParseHolidayLists(embedded::HolidaysYaml(), "holidays.yaml");
    ASSERT_TRUE(lists) << lists.error().message;
    lists_ = *lists;
  }
  std::map<std::string, HolidayList> lists_;
};

TEST_F(ShippedCalendarsTest, CoverFederalAndCaliforniaFor2024Through2030) {
  ASSERT_TRUE(lists_.contains("us-federal"));
  ASSERT_TRUE(lists_.contains("us-ca"));
  for (const auto& name : {"us-federal", "us-ca"}) {
    EXPECT_EQ(lists_[name].first_year, std::chrono::year(2024));
    EXPECT_EQ(lists_[name].last_year, std::chrono::year(2030));
  }
  EXPECT_EQ(lists_["us-federal"].days.size(), 7u * 11u);
  EXPECT_EQ(lists_["us-ca"].days.size(), 7u * 13u);
}

TEST_F(ShippedCalendarsTest, KnownHolidaysFallOnTheirObservedDays) {
  BusinessDayCalendar federal({&lists_["us-federal"]});
  BusinessDayCalendar ca({&lists_["us-ca"]});
  // 4 July 2026 is a Saturday: federal offices observe Friday 3 July; California does not move it.
  EXPECT_FALSE(federal.IsBusinessDay(D("2026-07-03")));
  EXPECT_TRUE(ca.IsBusinessDay(D("2026-07-03")));
  EXPECT_EQ(federal.HolidayName(D("2026-11-26")), "Thanksgiving Day");
  EXPECT_TRUE(federal.IsBusinessDay(D("2026-11-27")));
  EXPECT_FALSE(ca.IsBusinessDay(D("2026-11-27")));  // Day after Thanksgiving
  EXPECT_FALSE(ca.IsBusinessDay(D("2025-03-31")));  // Cesar Chavez Day (a Monday)
  EXPECT_FALSE(federal.IsBusinessDay(D("2027-12-24")));  // Christmas 2027 is a Saturday
  EXPECT_FALSE(federal.IsBusinessDay(D("2024-01-15")));  // MLK day, 3rd Monday
  EXPECT_FALSE(federal.IsBusinessDay(D("2026-05-25")));  // last Monday of May
}

TEST_F(ShippedCalendarsTest, BusinessDaysSkipWeekendsAndHolidays) {
  BusinessDayCalendar federal({&lists_["us-federal"]});
  BusinessDayCalendar ca({&lists_["us-ca"]});
  // Received Wednesday 25 Nov 2026; 10 business days.
  EXPECT_EQ(federal.AddBusinessDays(D("2026-11-25"), 10), D("2026-12-10"));
  EXPECT_EQ(ca.AddBusinessDays(D("2026-11-25"), 10), D("2026-12-11"));
  // Received on a Saturday: counting starts Monday.
  EXPECT_EQ(federal.AddBusinessDays(D("2026-11-21"), 1), D("2026-11-23"));
  EXPECT_EQ(federal.AddBusinessDays(D("2026-11-21"), 0), D("2026-11-21"));
  EXPECT_EQ(ca.OnOrNextBusinessDay(D("2026-11-26")), D("2026-11-30"));
  BusinessDayCalendar weekends_only;
  EXPECT_EQ(weekends_only.AddBusinessDays(D("2026-11-25"), 10), D("2026-12-09"));
}

TEST(HolidayParseTest, ErrorsNameTheLine) {
  auto r = ParseHolidayLists("calendars:\n  x:\n    holidays:\n      - {date: 2026-02-30, name: bad}\n", "h.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "h.yaml:4");
  auto r2 = ParseHolidayLists("calendars: [", "h.yaml");
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, ErrorCode::kInvalidArgument);
  auto r3 = ParseHolidayLists("other: 1\n", "h.yaml");
  ASSERT_FALSE(r3);
}

TEST(TimeZoneTest, LocalDateFollowsTheBusinessZone) {
  auto t = *ParseTimestamp("2026-11-25T06:30:00Z");
  ASSERT_TRUE(SetProcessTimeZone("America/Los_Angeles"));
  EXPECT_EQ(LocalDate(t), D("2026-11-24"));
  ASSERT_TRUE(SetProcessTimeZone("UTC"));
  EXPECT_EQ(LocalDate(t), D("2026-11-25"));
  EXPECT_FALSE(SetProcessTimeZone("Mars/Olympus"));
  EXPECT_FALSE(SetProcessTimeZone("../etc/passwd"));
}

TEST(TimestampTest, RoundTripsAndRejectsNonUtc) {
  auto t = ParseTimestamp("2026-11-24T02:20:48.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatTimestamp(*t), "2026-11-24T02:20:48.123Z");
  EXPECT_TRUE(ParseTimestamp("2026-11-24T02:20:48Z"));
  EXPECT_FALSE(ParseTimestamp("2026-11-24T02:20:48+01:00"));
  EXPECT_FALSE(ParseTimestamp("2026-02-30T02:20:48Z"));
}

}  // namespace
}  // namespace steward
