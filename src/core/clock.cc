#include "core/clock.h"

#include <fmt/format.h>

#include <cstdio>

namespace steward {

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string FormatTimestamp(TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss hms(t - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

Result<TimePoint> ParseTimestamp(std::string_view text) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  char tail[8] = {0};
  const std::string buf(text.substr(0, 40));
  int n = std::sscanf(buf.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%1s", &y, &mo, &d, &h, &mi, &s, &ms, tail);
  if (n != 8) {
    ms = 0;
    n = std::sscanf(buf.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%1s", &y, &mo, &d, &h, &mi, &s, tail);
    if (n != 7) return Fail(ErrorCode::kInvalidArgument, "timestamp must look like 2026-01-31T12:00:00Z");
  }
  if (tail[0] != 'Z') return Fail(ErrorCode::kInvalidArgument, "timestamp must be in UTC and end in Z");
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) {
    return Fail(ErrorCode::kInvalidArgument, "timestamp is not a real date and time");
  }
  return TimePoint(sys_days(ymd).time_since_epoch() + hours(h) + minutes(mi) + seconds(s) + milliseconds(ms));
}

}  // namespace steward
