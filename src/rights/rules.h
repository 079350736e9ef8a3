// Jurisdiction rules: for each jurisdiction and request type, whether the type applies, the
// verification level, the response window, the one extension, the receipt-confirmation window;
// plus access limits, business-day calendars and the month rule. Loaded from YAML
// (data/jurisdictions.yaml, compiled in; an operator's copy may replace it). Immutable once
// loaded; safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/error.h"
#include "rights/types.h"

namespace steward::rights {

struct Period {
  enum class Unit { kNone, kDays, kBusinessDays, kMonths };
  Unit unit = Unit::kNone;
  int count = 0;
  bool IsNone() const { return unit == Unit::kNone; }
  std::string ToString() const;  // "45 days", "10 business days", "1 month", "none"
};

struct TypeRule {
  VerificationLevel verification = VerificationLevel::kReasonable;
  Period respond;
  Period extension;
  Period confirm_receipt;
};

struct AccessLimit {
  int count = 0;   // 0 = no limit
  int months = 12;
  std::vector<RequestType> types;
};

struct LevelRequirement {
  int data_points = 0;
  bool signed_declaration = false;
};

struct JurisdictionRules {
  std::string code;
  std::string name;
  std::vector<std::string> business_day_lists;
  MonthRule month_rule = MonthRule::kClampToMonthEnd;
  BusinessDayCalendar calendar;
  AccessLimit access_limit;
  std::map<RequestType, TypeRule> types;

  const TypeRule* Find(RequestType t) const;
};

struct Deadlines {
  std::optional<Date> confirm_by;
  Date due;
};

class RulesTable {
 public:
  // Parses a rules file; `holidays` supplies the lists named by business_days. Errors name the
  // file:line.
  static Result<RulesTable> Parse(std::string_view yaml_text, std::string_view file_name,
                                  const std::map<std::string, HolidayList>& holidays);
  // The compiled-in data/jurisdictions.yaml with the compiled-in holidays.
  static Result<RulesTable> Default();

  const JurisdictionRules* Find(std::string_view code) const;
  const LevelRequirement& Requirement(VerificationLevel level) const;
  std::vector<std::string> Codes() const;

  // The deadlines of a request of `rule` received on `received` in jurisdiction `j`.
  static Deadlines ComputeDeadlines(const JurisdictionRules& j, const TypeRule& rule, Date received);
  // `from` moved forward by `period` under j's calendar and month rule.
  static Date Apply(const JurisdictionRules& j, Date from, const Period& period);

 private:
  std::map<std::string, JurisdictionRules, std::less<>> jurisdictions_;
  std::map<VerificationLevel, LevelRequirement> levels_;
};

}  // namespace steward::rights
