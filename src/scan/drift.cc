#include "scan/drift.h"

#include <fmt/format.h>

#include <set>

namespace steward::scan {

bool FideslangRelated(std::string_view a, std::string_view b) {
  if (a == b) return true;
  auto ancestor = [](std::string_view parent, std::string_view child) {
    return child.size() > parent.size() && child.starts_with(parent) && child[parent.size()] == '.';
  };
  return ancestor(a, b) || ancestor(b, a);
}

Declared DeclaredFromInventory(const inventory::Inventory& inv) {
  Declared d;
  d.name = inv.file;
  for (const auto& c : inv.categories) d.categories.push_back({c.id, c.fideslang, c.ccpa, c.collected});
  return d;
}

std::vector<DriftItem> CompareWithDeclared(const Engine& engine, const std::vector<Finding>& findings,
                                           const Declared& declared) {
  const auto& detectors = engine.detectors();
  std::vector<DriftItem> undeclared, not_found;
  auto letter = [](inventory::CcpaCategory c) { return std::string(inventory::InfoFor(c).letter); };

  std::set<std::pair<std::string, std::string>> reported;  // (where, detector): one item each
  std::set<std::pair<std::string, std::string>> found_in_field;  // (table.column, fideslang found)
  std::set<std::string> kinds_found;
  for (const Finding& f : findings) {
    const Detector& det = detectors[f.detector];
    kinds_found.insert(det.fideslang);
    // A table's column, a place in a file, or a CSV file's column at the first line found.
    const std::string column = f.field.empty() ? std::string() : f.source + "." + f.field;
    std::string where = f.line == 0 ? column
                        : f.field.empty() ? fmt::format("{}:{}", f.source, f.line)
                                          : fmt::format("{}:{} (column {})", f.source, f.line, f.field);
    if (!column.empty()) found_in_field.emplace(column, det.fideslang);
    bool covered = false;
    std::string not_collected;  // a category the inventory records as not collected
    if (declared.per_field) {
      auto it = declared.fields.find({f.source, f.field});
      // A free-text field (user.content.*) holds what people write — contact details and names
      // included — but sensitive data found there is still reported.
      if (it != declared.fields.end())
        for (const std::string& key : it->second)
          covered = covered || FideslangRelated(key, det.fideslang) ||
                    (FideslangRelated("user.content", key) && det.sensitive.empty());
    } else {
      for (const auto& c : declared.categories) {
        bool related = false;
        for (const std::string& key : c.fideslang) related = related || FideslangRelated(key, det.fideslang);
        if (related && c.collected) covered = true;
        if (related && !c.collected) not_collected = c.id;
      }
      // A CCPA letter the inventory collects nothing of ("Category L: No").
      bool letter_collected = false;
      for (const auto& c : declared.categories) letter_collected = letter_collected || (c.collected && c.ccpa == det.ccpa);
      if (!covered && not_collected.empty() && !letter_collected)
        not_collected = "CCPA category " + letter(det.ccpa);
    }
    // One item per column (a table's or a CSV file's), or per file.
    if (covered || !reported.emplace(!column.empty() ? column : declared.per_field ? where : f.source, det.id).second) continue;
    DriftItem item;
    item.kind = DriftItem::Kind::kUndeclared;
    item.where = where;
    item.detector = det.id;
    item.fideslang = det.fideslang;
    item.ccpa = letter(det.ccpa);
    item.sensitive = !det.sensitive.empty();
    std::string kind = fmt::format("{} ({}, CCPA category {}{})", det.label, det.fideslang, item.ccpa,
                                   item.sensitive ? ", sensitive personal information" : "");
    if (declared.per_field) {
      item.message = declared.fields.contains({f.source, f.field})
                         ? fmt::format("{} found in {}, which {} does not declare as holding it", kind, where, declared.name)
                         : fmt::format("{} found in {}, a column {} does not declare", kind, where, declared.name);
    } else if (!not_collected.empty()) {
      item.message = not_collected.starts_with("CCPA")
                         ? fmt::format("{} found at {}, but {} collects nothing of {}", kind, where, declared.name, not_collected)
                         : fmt::format("{} found at {}, but {} records category '{}' as not collected", kind, where,
                                       declared.name, not_collected);
    } else {
      item.message = fmt::format("{} found at {}, but {} declares no category for it", kind, where, declared.name);
    }
    undeclared.push_back(std::move(item));
  }

  auto detectable = [&](const std::string& key) {
    for (const Detector& d : detectors)
      if (FideslangRelated(d.fideslang, key) && d.fideslang.size() >= key.size()) return true;
    return false;
  };
  if (declared.per_field) {
    std::set<std::string> scanned_tables;
    for (const Finding& f : findings) scanned_tables.insert(f.source);
    for (const auto& [where, keys] : declared.fields) {
      if (!scanned_tables.contains(where.first)) continue;  // nothing of that table was scanned
      for (const std::string& key : keys) {
        if (!key.starts_with("user.") || !detectable(key)) continue;
        bool found = false;
        for (const auto& [field, kind] : found_in_field)
          found = found || (field == where.first + "." + where.second && FideslangRelated(kind, key));
        if (found) continue;
        not_found.push_back({DriftItem::Kind::kNotFound, where.first + "." + where.second, "", key, "", false,
                             fmt::format("{}.{} is declared as {} in {}, but the scan found none there", where.first,
                                         where.second, key, declared.name)});
      }
    }
  } else {
    for (const auto& c : declared.categories) {
      if (!c.collected) continue;
      for (const std::string& key : c.fideslang) {
        if (!detectable(key)) continue;
        bool found = false;
        for (const std::string& kind : kinds_found) found = found || FideslangRelated(kind, key);
        if (found) continue;
        not_found.push_back({DriftItem::Kind::kNotFound, c.id, "", key, letter(c.ccpa), false,
                             fmt::format("category '{}' declares {}, but the scan found none", c.id, key)});
      }
    }
  }
  undeclared.insert(undeclared.end(), not_found.begin(), not_found.end());
  return undeclared;
}

}  // namespace steward::scan
