// Custom detectors from a YAML rules file, and --only/--except filtering.
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/text.h"
#include "inventory/taxonomy.h"
#include "scan/internal/rules.h"
#include "scan/internal/validate.h"

namespace steward::scan::internal {
namespace {

Error At(std::string_view file, const YAML::Node& node, std::string_view message) {
  int line = node.Mark().is_null() ? 0 : node.Mark().line + 1;
  return MakeError(ErrorCode::kInvalidArgument, message, std::string(file) + ":" + std::to_string(line));
}

std::string Scalar(const YAML::Node& node) { return node && node.IsScalar() ? node.as<std::string>() : std::string(); }

Status ParseRule(std::string_view file, const YAML::Node& item, RuleSet& set) {
  static const std::set<std::string> kKeys = {"id", "label", "pattern", "fideslang", "ccpa", "sensitive",
                                              "confidence", "context", "column_hints"};
  if (!item.IsMap()) return std::unexpected(At(file, item, "each rule must be a mapping with id and pattern"));
  for (const auto& kv : item) {
    std::string key = kv.first.as<std::string>();
    if (!kKeys.contains(key)) return std::unexpected(At(file, kv.first, "unknown key '" + key + "' in rule"));
  }
  Detector d;
  d.custom = true;
  d.id = Scalar(item["id"]);
  if (d.id.empty()) return std::unexpected(At(file, item, "rule needs an id"));
  for (char c : d.id)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return std::unexpected(At(file, item["id"], "id must be lowercase letters, digits and _"));
  for (const Detector& existing : set.detectors)
    if (existing.id == d.id) return std::unexpected(At(file, item["id"], "a detector named '" + d.id + "' already exists"));
  std::string pattern = Scalar(item["pattern"]);
  if (pattern.empty()) return std::unexpected(At(file, item, "rule '" + d.id + "' needs a pattern"));
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_never_nl(true);
  options.set_log_errors(false);
  RE2 re(pattern, options);
  if (!re.ok()) return std::unexpected(At(file, item["pattern"], "invalid pattern: " + re.error()));
  if (RE2::FullMatch("", re)) return std::unexpected(At(file, item["pattern"], "pattern matches the empty string"));
  if (re.NumberOfCapturingGroups() > 1)
    return std::unexpected(At(file, item["pattern"], "pattern may have at most one capture group (the value)"));
  d.label = item["label"] ? Scalar(item["label"]) : d.id;
  d.fideslang = Scalar(item["fideslang"]);
  if (d.fideslang.empty() || !inventory::IsFideslangKey(d.fideslang)) {
    std::string hint = inventory::SuggestFideslangKey(d.fideslang);
    return std::unexpected(At(file, item["fideslang"] ? item["fideslang"] : item,
                              "fideslang must be a data category key" + (hint.empty() ? "" : " (did you mean " + hint + "?)")));
  }
  std::string ccpa = item["ccpa"] ? Scalar(item["ccpa"]) : "A";
  auto letter = inventory::ParseCcpaCategory(ccpa);
  if (!letter) return std::unexpected(At(file, item["ccpa"], "ccpa must be a category letter A-L"));
  d.ccpa = *letter;
  d.sensitive = Scalar(item["sensitive"]);
  if (!d.sensitive.empty() && !inventory::IsSensitiveKind(d.sensitive))
    return std::unexpected(At(file, item["sensitive"], "unknown sensitive kind '" + d.sensitive + "'"));
  if ((d.ccpa == inventory::CcpaCategory::kL) != !d.sensitive.empty())
    return std::unexpected(At(file, item, "ccpa L and a sensitive kind go together"));
  double confidence = 0.8;
  if (item["confidence"]) {
    try {
      confidence = item["confidence"].as<double>();
    } catch (const YAML::Exception&) {
      confidence = -1;
    }
    if (!(confidence > 0 && confidence <= 1)) return std::unexpected(At(file, item["confidence"], "confidence must be a number in (0, 1]"));
  }
  std::vector<std::string> context;
  for (const char* list : {"context", "column_hints"}) {
    const YAML::Node node = item[list];
    if (!node) continue;
    if (!node.IsSequence()) return std::unexpected(At(file, node, std::string(list) + " must be a list of words"));
    for (const auto& w : node) {
      std::string word = Scalar(w);
      if (word.empty()) return std::unexpected(At(file, w, std::string(list) + " entries must be words"));
      (std::string_view(list) == "context" ? context : d.column_hints).push_back(AsciiLower(word));
    }
  }
  int index = static_cast<int>(set.detectors.size());
  set.detectors.push_back(std::move(d));
  Rule rule;
  rule.detector = index;
  rule.pattern = pattern;
  rule.confidence = confidence;
  rule.line = item["pattern"].Mark().line + 1;
  if (!context.empty()) {
    rule.validate = [context, confidence](const Candidate& c) -> std::optional<Verdict> {
      if (!ContextBefore(c.text, c.start, context, 64)) return std::nullopt;
      return Verdict{c.value_start, c.value_end, confidence};
    };
  }
  set.rules.push_back(std::move(rule));
  return Ok();
}

}  // namespace

Status AddRulesText(std::string_view yaml, std::string_view name, RuleSet& set) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, "not valid YAML: " + e.msg,
                std::string(name) + ":" + std::to_string(e.mark.line + 1));
  }
  if (!root.IsMap() || !root["rules"] || !root["rules"].IsSequence())
    return Fail(ErrorCode::kInvalidArgument, "a rules file is a mapping with a 'rules' list", std::string(name) + ":1");
  for (const auto& kv : root)
    if (kv.first.as<std::string>() != "rules")
      return std::unexpected(At(name, kv.first, "unknown top-level key '" + kv.first.as<std::string>() + "'"));
  RuleSet copy = set;  // all or nothing
  try {
    for (const auto& item : root["rules"]) RETURN_IF_ERROR(ParseRule(name, item, copy));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, "unexpected YAML: " + e.msg, std::string(name) + ":" + std::to_string(e.mark.line + 1));
  }
  set = std::move(copy);
  return Ok();
}

Status AddRulesFile(const std::string& path, RuleSet& set) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read the rules file", path);
  std::stringstream text;
  text << in.rdbuf();
  return AddRulesText(text.str(), path, set);
}

Status FilterDetectors(const std::vector<std::string>& only, const std::vector<std::string>& except, RuleSet& set) {
  auto known = [&](const std::string& id) {
    for (const Detector& d : set.detectors)
      if (d.id == id) return true;
    return false;
  };
  for (const auto* list : {&only, &except})
    for (const std::string& id : *list)
      if (!known(id)) return Fail(ErrorCode::kInvalidArgument, "unknown detector '" + id + "'", list == &only ? "--only" : "--except");
  std::vector<int> remap(set.detectors.size(), -1);
  RuleSet out;
  for (size_t i = 0; i < set.detectors.size(); ++i) {
    const std::string& id = set.detectors[i].id;
    bool keep = (only.empty() || std::find(only.begin(), only.end(), id) != only.end()) &&
                std::find(except.begin(), except.end(), id) == except.end();
    if (!keep) continue;
    remap[i] = static_cast<int>(out.detectors.size());
    out.detectors.push_back(set.detectors[i]);
  }
  for (Rule& rule : set.rules) {
    if (remap[rule.detector] < 0) continue;
    rule.detector = remap[rule.detector];
    out.rules.push_back(std::move(rule));
  }
  set = std::move(out);
  return Ok();
}

}  // namespace steward::scan::internal
