#include "core/calendar.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace steward {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::weekday;

std::string FormatDate(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

Result<Date> ParseDate(std::string_view text) {
  auto bad = [&] { return Fail(ErrorCode::kInvalidArgument, fmt::format("'{}' is not a date of the form YYYY-MM-DD", text)); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (size_t k = 0; k < lens[i]; ++k) {
      char c = text[starts[i] + k];
      if (c < '0' || c > '9') return bad();
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  Date d{std::chrono::year(parts[0]), std::chrono::month(static_cast<unsigned>(parts[1])),
         std::chrono::day(static_cast<unsigned>(parts[2]))};
  if (!d.ok()) return bad();
  return d;
}

Date AddDays(Date d, int n) { return Date(sys_days(d) + days(n)); }

Result<MonthRule> ParseMonthRule(std::string_view text) {
  if (text == "clamp_to_month_end") return MonthRule::kClampToMonthEnd;
  if (text == "clamp_then_next_business_day") return MonthRule::kClampThenNextBusinessDay;
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("unknown month rule '{}': use clamp_to_month_end or clamp_then_next_business_day", text));
}

Date AddMonthsClamped(Date d, int months) {
  using namespace std::chrono;
  const year_month ym = year_month(d.year(), d.month()) + std::chrono::months(months);
  const day last = year_month_day_last(ym.year(), month_day_last(ym.month())).day();
  return Date(ym.year(), ym.month(), d.day() > last ? last : d.day());
}

Result<std::map<std::string, HolidayList>> ParseHolidayLists(std::string_view yaml_text,
                                                              std::string_view file_name) {
  std::map<std::string, HolidayList> out;
  auto where = [&](const YAML::Node& n) { return fmt::format("{}:{}", file_name, n.Mark().line + 1); };
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    YAML::Node cals = root["calendars"];
    if (!cals || !cals.IsMap()) {
      return Fail(ErrorCode::kInvalidArgument, "expected a 'calendars' map at the top", std::string(file_name));
    }
    for (const auto& kv : cals) {
      HolidayList list;
      list.name = kv.first.as<std::string>();
      const YAML::Node& body = kv.second;
      if (body["description"]) list.description = body["description"].as<std::string>();
      const YAML::Node& holidays = body["holidays"];
      if (!holidays || !holidays.IsSequence()) {
        return Fail(ErrorCode::kInvalidArgument, fmt::format("calendar '{}' needs a 'holidays' list", list.name), where(body));
      }
      bool first = true;
      for (const auto& h : holidays) {
        if (!h.IsMap() || !h["date"] || !h["name"]) {
          return Fail(ErrorCode::kInvalidArgument, "each holiday needs 'date' and 'name'", where(h));
        }
        auto date = ParseDate(h["date"].as<std::string>());
        if (!date) return Fail(ErrorCode::kInvalidArgument, date.error().message, where(h["date"]));
        list.days[sys_days(*date)] = h["name"].as<std::string>();
        if (first || date->year() < list.first_year) list.first_year = date->year();
        if (first || date->year() > list.last_year) list.last_year = date->year();
        first = false;
      }
      out.emplace(list.name, std::move(list));
    }
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("not valid YAML: {}", e.msg),
                fmt::format("{}:{}", file_name, e.mark.line + 1));
  }
  return out;
}

BusinessDayCalendar::BusinessDayCalendar(const std::vector<const HolidayList*>& lists) {
  for (const HolidayList* list : lists) {
    for (const auto& [day, name] : list->days) holidays_.emplace(day, name);
  }
}

bool BusinessDayCalendar::IsBusinessDay(Date d) const {
  const weekday wd{sys_days(d)};
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return false;
  return !holidays_.contains(sys_days(d));
}

Date BusinessDayCalendar::AddBusinessDays(Date d, int n) const {
  sys_days day = sys_days(d);
  while (n > 0) {
    day += days(1);
    if (IsBusinessDay(Date(day))) --n;
  }
  return Date(day);
}

Date BusinessDayCalendar::OnOrNextBusinessDay(Date d) const {
  sys_days day = sys_days(d);
  while (!IsBusinessDay(Date(day))) day += days(1);
  return Date(day);
}

std::string BusinessDayCalendar::HolidayName(Date d) const {
  auto it = holidays_.find(sys_days(d));
  return it == holidays_.end() ? std::string() : it->second;
}

Status SetProcessTimeZone(std::string_view zone) {
  const std::string name(zone);
  if (name.empty() || name.find("..") != std::string::npos ||
      (name != "UTC" && !std::filesystem::exists("/usr/share/zoneinfo/" + name))) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("unknown time zone '{}': use an IANA name such as America/Los_Angeles", name),
                "business_timezone");
  }
  ::setenv("TZ", (":" + name).c_str(), 1);
  ::tzset();
  return Ok();
}

Date LocalDate(TimePoint t) {
  const std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  ::localtime_r(&secs, &tm);
  return Date{std::chrono::year(tm.tm_year + 1900), std::chrono::month(static_cast<unsigned>(tm.tm_mon + 1)),
              std::chrono::day(static_cast<unsigned>(tm.tm_mday))};
}

}  // namespace steward
