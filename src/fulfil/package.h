// Access packages. While traversal streams a person's rows, a PackageWriter writes each
// collection to its own JSON and CSV file in a private scratch directory; Finish() adds a
// manifest (every category found, with its CCPA label, sources, purposes, recipients, sale and
// sharing, and retention, from the inventory) and a plain HTML summary, zips them (libzip) and
// seals the zip at rest. The scratch files are removed whatever happens.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/secrets.h"
#include "fulfil/traverse.h"
#include "inventory/inventory.h"

namespace steward::fulfil {

struct PackageOptions {
  std::string request_id;
  std::string request_type;  // access | portability | know_categories
  std::optional<Date> since;  // the look-back: rows with a timestamp before it are left out
  bool provided_only = false;  // EU portability: only fields the person provided
  Date today;
};

// A category found in the person's data, described from the inventory.
struct FoundCategory {
  std::string id, name, ccpa_letter, ccpa_name, sensitive;
  std::vector<std::string> sources, purposes, disclosed_to, sold_to, shared_to;
  std::string retention;
  std::set<std::string> fields;  // dataset.collection.field where it was found
};

struct PackageSummary {
  int64_t rows = 0;
  std::map<std::string, int64_t> rows_per_collection;  // dataset.collection
  std::vector<FoundCategory> categories;
  std::vector<std::string> unmapped_categories;  // fideslang keys the inventory does not describe
  std::vector<std::string> unreachable;         // dataset.collection no identity leads to
};

class PackageWriter {
 public:
  // scratch: a fresh private directory (created, and removed by the destructor).
  static Result<std::unique_ptr<PackageWriter>> Create(const std::filesystem::path& scratch,
                                                       const inventory::Inventory& inventory, PackageOptions options);
  ~PackageWriter();

  // The sink for one dataset's traversal.
  RowSink& ForDataset(const Graph& graph);
  void AddUnreachable(const std::string& dataset, const std::vector<std::string>& collections);

  // Writes the zip and seals it to `sealed_out` (unless only the summary is wanted: know_categories).
  Result<PackageSummary> Finish(const InstanceKey& key, const std::filesystem::path& sealed_out);
  PackageSummary Summary() const;

 private:
  class Impl;
  explicit PackageWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The inventory categories a fideslang key belongs to (most specific match first); empty when
// the inventory does not describe it.
std::vector<const inventory::DataCategory*> CategoriesFor(const inventory::Inventory& inventory,
                                                           std::string_view fideslang_key);

}  // namespace steward::fulfil
