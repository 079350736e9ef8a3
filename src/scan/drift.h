// Drift: scan findings compared with what the data map declares — an inventory (categories
// collected, by fideslang key and CCPA letter) or a dataset manifest (each column's categories).
// Pure functions of their inputs.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "inventory/inventory.h"
#include "scan/scan.h"
#include "scan/sources.h"

namespace steward::scan {

struct Declared {
  std::string name;  // the inventory or manifest file, for messages
  // Inventory: categories collected, and those recorded as not collected.
  struct Category {
    std::string id;
    std::vector<std::string> fideslang;
    inventory::CcpaCategory ccpa = inventory::CcpaCategory::kA;
    bool collected = true;
  };
  std::vector<Category> categories;
  // Manifest: (table, column) → fideslang keys. per_field: compare column by column.
  bool per_field = false;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> fields;
};

Declared DeclaredFromInventory(const inventory::Inventory& inv);

struct DriftItem {
  enum class Kind { kUndeclared, kNotFound };
  Kind kind = Kind::kUndeclared;
  std::string where;      // "table.column", "file:line", "file.csv:line (column c)", or the declared field / category
  std::string detector;   // kUndeclared: what was found
  std::string fideslang;  // the key found (kUndeclared) or declared (kNotFound)
  std::string ccpa;       // letter
  bool sensitive = false;
  std::string message;    // one sentence for people
};

// Undeclared: a finding whose kind no declared category (or, per field, the column's
// categories) covers — keys cover each other when one is the other or its parent. Not found:
// a declared category (or column) of a kind the detectors can find, with no finding. Findings
// below min_confidence are ignored. Undeclared items come first.
std::vector<DriftItem> CompareWithDeclared(const Engine& engine, const std::vector<Finding>& findings,
                                           const Declared& declared);

// True when a and b are the same fideslang key or one is the other's ancestor.
bool FideslangRelated(std::string_view a, std::string_view b);

}  // namespace steward::scan
