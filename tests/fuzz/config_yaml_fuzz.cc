// Fuzz target: steward.yaml and a jurisdiction rules file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/config.h"
#include "core/calendar.h"
#include "rights/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = steward::cli::ParseConfig(text, "steward.yaml");
  if (!config && config.error().field.empty()) __builtin_trap();
  static const std::map<std::string, steward::HolidayList> kNoHolidays;
  (void)steward::rights::RulesTable::Parse(text, "rules.yaml", kNoHolidays);
  (void)steward::ParseHolidayLists(text, "holidays.yaml");
  return 0;
}
