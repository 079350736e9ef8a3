#include "rights/rules.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/embedded.h"

namespace steward::rights {

std::string Period::ToString() const {
  switch (unit) {
    case Unit::kNone: return "none";
    case Unit::kDays: return fmt::format("{} {}", count, count == 1 ? "day" : "days");
    case Unit::kBusinessDays: return fmt::format("{} business {}", count, count == 1 ? "day" : "days");
    case Unit::kMonths: return fmt::format("{} {}", count, count == 1 ? "month" : "months");
  }
  return "none";
}

const TypeRule* JurisdictionRules::Find(RequestType t) const {
  auto it = types.find(t);
  return it == types.end() ? nullptr : &it->second;
}

namespace {

struct ParseError {
  Error error;
};

std::string Where(std::string_view file, const YAML::Node& n) {
  return fmt::format("{}:{}", file, n.Mark().line + 1);
}

[[noreturn]] void Throw(std::string_view file, const YAML::Node& n, std::string message) {
  throw ParseError{MakeError(ErrorCode::kInvalidArgument, message, Where(file, n))};
}

Period ParsePeriod(std::string_view file, const YAML::Node& n) {
  if (!n.IsScalar()) Throw(file, n, "a period reads like \"45 days\", \"10 business_days\", \"1 months\" or \"none\"");
  const std::string text = n.Scalar();
  if (text == "none") return {};
  int count = 0;
  char unit[32] = {0};
  if (std::sscanf(text.c_str(), "%d %31s", &count, unit) != 2 || count <= 0) {
    Throw(file, n, fmt::format("'{}' is not a period: write \"45 days\", \"10 business_days\" or \"1 months\"", text));
  }
  const std::string u(unit);
  if (u == "days" || u == "day") return {Period::Unit::kDays, count};
  if (u == "business_days" || u == "business_day") return {Period::Unit::kBusinessDays, count};
  if (u == "months" || u == "month") return {Period::Unit::kMonths, count};
  Throw(file, n, fmt::format("unknown unit '{}': use days, business_days or months", u));
}

VerificationLevel ParseLevel(std::string_view file, const YAML::Node& n) {
  auto level = ParseVerificationLevel(n.Scalar());
  if (!level) Throw(file, n, fmt::format("'{}' is not a verification level: none, reasonable, reasonably_high", n.Scalar()));
  return *level;
}

// Applies the keys of `n` on top of `rule`.
void Overlay(std::string_view file, const YAML::Node& n, TypeRule& rule) {
  if (!n.IsMap()) Throw(file, n, "a type's rule is a map, e.g. {verification: none, respond: 15 business_days}");
  for (const auto& kv : n) {
    const std::string key = kv.first.Scalar();
    if (key == "verification") rule.verification = ParseLevel(file, kv.second);
    else if (key == "respond") rule.respond = ParsePeriod(file, kv.second);
    else if (key == "extension") rule.extension = ParsePeriod(file, kv.second);
    else if (key == "confirm_receipt") rule.confirm_receipt = ParsePeriod(file, kv.second);
    else Throw(file, kv.first, fmt::format("unknown field '{}': verification, respond, extension, confirm_receipt", key));
  }
}

}  // namespace

Result<RulesTable> RulesTable::Parse(std::string_view yaml_text, std::string_view file,
                                     const std::map<std::string, HolidayList>& holidays) {
  RulesTable table;
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    const YAML::Node levels = root["verification_levels"];
    if (!levels || !levels.IsMap()) Throw(file, root, "needs a verification_levels map");
    for (const auto& kv : levels) {
      VerificationLevel level = ParseLevel(file, kv.first);
      LevelRequirement req;
      if (kv.second["data_points"]) req.data_points = kv.second["data_points"].as<int>();
      if (kv.second["signed_declaration"]) req.signed_declaration = kv.second["signed_declaration"].as<bool>();
      table.levels_[level] = req;
    }
    const YAML::Node js = root["jurisdictions"];
    if (!js || !js.IsMap()) Throw(file, root, "needs a jurisdictions map");
    for (const auto& kv : js) {
      JurisdictionRules j;
      j.code = kv.first.Scalar();
      const YAML::Node& body = kv.second;
      j.name = body["name"] ? body["name"].as<std::string>() : j.code;
      std::vector<const HolidayList*> lists;
      if (body["business_days"]) {
        for (const auto& name : body["business_days"]) {
          auto it = holidays.find(name.Scalar());
          if (it == holidays.end()) Throw(file, name, fmt::format("no holiday list named '{}'", name.Scalar()));
          lists.push_back(&it->second);
          j.business_day_lists.push_back(name.Scalar());
        }
      }
      j.calendar = BusinessDayCalendar(lists);
      if (body["month_rule"]) {
        auto rule = ParseMonthRule(body["month_rule"].Scalar());
        if (!rule) Throw(file, body["month_rule"], rule.error().message);
        j.month_rule = *rule;
      }
      TypeRule defaults;
      if (body["defaults"]) Overlay(file, body["defaults"], defaults);
      if (body["access_limit"]) {
        const YAML::Node& lim = body["access_limit"];
        j.access_limit.count = lim["count"].as<int>();
        if (lim["months"]) j.access_limit.months = lim["months"].as<int>();
        for (const auto& t : lim["types"]) {
          auto type = ParseRequestType(t.Scalar());
          if (!type) Throw(file, t, fmt::format("'{}' is not a request type", t.Scalar()));
          j.access_limit.types.push_back(*type);
        }
      }
      const YAML::Node types = body["types"];
      if (!types || !types.IsMap()) Throw(file, body, fmt::format("jurisdiction {} needs a types map", j.code));
      for (const auto& tkv : types) {
        auto type = ParseRequestType(tkv.first.Scalar());
        if (!type) Throw(file, tkv.first, fmt::format("'{}' is not a request type", tkv.first.Scalar()));
        TypeRule rule = defaults;
        Overlay(file, tkv.second, rule);
        if (rule.respond.IsNone()) Throw(file, tkv.second, fmt::format("{} {} needs a respond period", j.code, tkv.first.Scalar()));
        j.types[*type] = rule;
      }
      table.jurisdictions_.emplace(j.code, std::move(j));
    }
    for (auto level : {VerificationLevel::kNone, VerificationLevel::kReasonable, VerificationLevel::kReasonablyHigh}) {
      if (!table.levels_.contains(level)) Throw(file, levels, fmt::format("verification level {} is not defined", Name(level)));
    }
  } catch (const ParseError& e) {
    return std::unexpected(e.error);
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("cannot read the rules: {}", e.msg),
                fmt::format("{}:{}", file, e.mark.line + 1));
  }
  return table;
}

Result<RulesTable> RulesTable::Default() {
  ASSIGN_OR_RETURN(auto holidays, ParseHolidayLists(embedded::HolidaysYaml(), "data/holidays.yaml"));
  return Parse(embedded::JurisdictionsYaml(), "data/jurisdictions.yaml", holidays);
}

const JurisdictionRules* RulesTable::Find(std::string_view code) const {
  auto it = jurisdictions_.find(code);
  return it == jurisdictions_.end() ? nullptr : &it->second;
}

const LevelRequirement& RulesTable::Requirement(VerificationLevel level) const { return levels_.at(level); }

std::vector<std::string> RulesTable::Codes() const {
  std::vector<std::string> out;
  for (const auto& [code, _] : jurisdictions_) out.push_back(code);
  return out;
}

Date RulesTable::Apply(const JurisdictionRules& j, Date from, const Period& period) {
  switch (period.unit) {
    case Period::Unit::kNone: return from;
    case Period::Unit::kDays: return AddDays(from, period.count);
    case Period::Unit::kBusinessDays: return j.calendar.AddBusinessDays(from, period.count);
    case Period::Unit::kMonths: {
      Date d = AddMonthsClamped(from, period.count);
      return j.month_rule == MonthRule::kClampThenNextBusinessDay ? j.calendar.OnOrNextBusinessDay(d) : d;
    }
  }
  return from;
}

Deadlines RulesTable::ComputeDeadlines(const JurisdictionRules& j, const TypeRule& rule, Date received) {
  Deadlines d{std::nullopt, Apply(j, received, rule.respond)};
  if (!rule.confirm_receipt.IsNone()) d.confirm_by = Apply(j, received, rule.confirm_receipt);
  return d;
}

}  // namespace steward::rights
