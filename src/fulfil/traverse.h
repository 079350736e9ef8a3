// Traversal: from the identity values of a verified request to every row of that person in one
// dataset. It follows the manifest's references (each in its declared direction), batching key
// values into bounded IN lists, and streams every row found to a sink as it arrives, so memory
// grows with the number of distinct key values, never with the rows' contents. Each key value
// is queried once per column, which also makes cycles in the graph harmless.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "connect/connector.h"
#include "fulfil/manifest.h"

namespace steward::fulfil {

// The manifest as a graph over columns, after Bind().
struct Graph {
  struct Edge {
    size_t from_collection, from_column;  // values of this column…
    size_t to_collection, to_column;      // …find rows where this column matches
  };
  const Dataset* dataset = nullptr;
  // Per collection: the columns read (declared fields, then any key or timestamp not declared),
  // the positions of its primary key and of each declared field among them.
  std::vector<std::vector<std::string>> columns;
  std::vector<std::vector<size_t>> key;
  std::vector<std::vector<bool>> numeric;  // column holds numbers in the database
  std::vector<Edge> edges;
  std::vector<bool> reachable;        // from some identity field
  std::vector<bool> pointed_to_only;  // reached only through `to` references: may be shared with others
  std::vector<int> entries;           // identity fields + incoming edges
  size_t ColumnIndex(size_t collection, std::string_view column) const;
};

Graph BuildGraph(const Dataset& dataset, const connect::Schema& schema);
// Collections no identity leads to: reported in plans, never an error.
std::vector<std::string> Unreachable(const Graph& graph);
// Collections in a safe delete order: rows pointing at others come before the rows they point
// at, so foreign keys never block a delete.
std::vector<size_t> DeleteOrder(const Graph& graph);

struct IdentityValue {
  std::string type;   // email, phone, account_id, …
  std::string value;
};

class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual Status OnRow(size_t collection, const connect::Row& row) = 0;
};

// Passes every row to two sinks (e.g. a package being written and a check of the rows).
class TeeSink final : public RowSink {
 public:
  TeeSink(RowSink& first, RowSink* second) : first_(first), second_(second) {}
  Status OnRow(size_t collection, const connect::Row& row) override {
    if (second_) RETURN_IF_ERROR(second_->OnRow(collection, row));
    return first_.OnRow(collection, row);
  }

 private:
  RowSink& first_;
  RowSink* second_;
};

struct TraversalStats {
  int64_t rows = 0;
  int64_t queries = 0;
  std::vector<int64_t> per_collection;
};

Result<TraversalStats> Traverse(const Graph& graph, connect::Connector& connector,
                                const std::vector<IdentityValue>& identity, RowSink& sink);

// A row's primary key as one string (for sets and maps).
std::string KeyString(const Graph& graph, size_t collection, const connect::Row& row);

}  // namespace steward::fulfil
