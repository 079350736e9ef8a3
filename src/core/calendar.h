// Dates, calendar arithmetic and business-day calendars for statutory deadlines.
//
// A `Date` is a civil day (no time zone). Deadlines are days: "within 45 calendar days" means
// the 45th day after the day of receipt; "10 business days" counts the business days after the
// day of receipt. A BusinessDayCalendar treats Saturdays, Sundays and its holiday lists as
// non-business days. Calendars are immutable after construction and safe to share.
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"

namespace steward {

using Date = std::chrono::year_month_day;

// "2026-01-31".
std::string FormatDate(Date d);
// Accepts "YYYY-MM-DD" naming a real day; invalid_argument otherwise.
Result<Date> ParseDate(std::string_view text);

Date AddDays(Date d, int days);

// How "N months after D" lands when the next months lack D's day number.
enum class MonthRule {
  kClampToMonthEnd,  // 31 Jan + 1 month = 28/29 Feb
  kClampThenNextBusinessDay,  // as above, then a weekend or holiday moves to the next business day
                              // (EU Regulation 1182/71 art. 3(4))
};
Result<MonthRule> ParseMonthRule(std::string_view text);

// Same day number `months` later, clamped to that month's last day.
Date AddMonthsClamped(Date d, int months);

// A named list of public holidays.
struct HolidayList {
  std::string name;
  std::string description;
  std::map<std::chrono::sys_days, std::string> days;  // day → holiday name
  std::chrono::year first_year{0};
  std::chrono::year last_year{0};
};

// Parses the holiday data file (see data/holidays.yaml). Errors name the line.
Result<std::map<std::string, HolidayList>> ParseHolidayLists(std::string_view yaml_text,
                                                              std::string_view file_name);

class BusinessDayCalendar {
 public:
  BusinessDayCalendar() = default;
  // Weekends plus every day on the given lists.
  explicit BusinessDayCalendar(const std::vector<const HolidayList*>& lists);

  bool IsBusinessDay(Date d) const;
  // The `n`th business day after `d` (d itself never counts). n >= 0.
  Date AddBusinessDays(Date d, int n) const;
  // `d` if it is a business day, else the next one.
  Date OnOrNextBusinessDay(Date d) const;
  // The holiday's name, or empty.
  std::string HolidayName(Date d) const;

 private:
  std::map<std::chrono::sys_days, std::string> holidays_;
};

// Makes `LocalDate` use this IANA zone ("America/Los_Angeles", "UTC"). Call once at start-up,
// before any thread starts; invalid_argument when the zone is unknown.
Status SetProcessTimeZone(std::string_view zone);
// The civil date of `t` in the process time zone.
Date LocalDate(TimePoint t);

}  // namespace steward
