// Erasure and correction plans. A plan is computed from one traversal: for every row of the
// person, what happens to it (deleted, fields masked with their strategies, or kept under a
// legal hold or because other people's records share it, with the reason). Deletes run children
// first, so foreign keys never block them. A plan is applied in one transaction per dataset; a
// failure rolls that dataset back. After applying, Recheck() traverses again and lists anything
// erasable that remains.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "connect/connector.h"
#include "core/calendar.h"
#include "core/secrets.h"
#include "fulfil/traverse.h"

namespace steward::fulfil {

struct HeldRows {
  std::string collection;
  std::string reason;
  int64_t rows = 0;
  std::vector<std::string> keys;  // a sample of primary keys
};

struct CollectionPlan {
  std::string collection;
  int64_t found = 0, deleted = 0, masked = 0, held = 0, unchanged = 0;
  std::vector<std::string> fields;  // "email: nullify", …
};

struct ErasurePlan {
  std::string dataset;
  std::vector<CollectionPlan> collections;
  std::vector<HeldRows> held;
  std::vector<std::string> unreachable;
  std::vector<connect::Change> changes;  // in the order they must run
  // Per collection, per key: the values the masked fields must hold afterwards (for Recheck).
  std::vector<std::map<std::string, std::vector<std::pair<size_t, connect::Cell>>>> expected;
  std::vector<std::set<std::string>> held_keys;     // rows kept, by collection and key
  std::vector<std::set<std::string>> deleted_keys;  // rows deleted, by collection and key
  struct Corrected {
    std::string field;  // collection.field
    std::string before, after;
  };
  std::vector<Corrected> corrected;  // corrections only: every value replaced
  int64_t rows_changed() const;
};

// Corrections: field (collection.field) → new value, applied to every row of the person.
using Corrections = std::map<std::string, std::string>;

// The value `value` of `field` takes under strategy `s` (numeric: the column holds numbers).
// Deterministic except for random. redact keeps the text and replaces the personal data the
// scanner finds in it, and every occurrence of the person's own identity values (`identity`,
// case-insensitive), with "[REDACTED:<kind>]".
connect::Cell ErasedValue(const Field& field, Strategy s, const connect::Cell& value, bool numeric, const InstanceKey& key,
                          const std::vector<std::string>& identity = {});

// Free text with personal data and the given identity values masked (the redact strategy).
std::string RedactFreeText(std::string_view text, const std::vector<std::string>& identity);

// `observer`, when given, also sees every row the planning traversal finds.
Result<ErasurePlan> PlanErasure(const Graph& graph, connect::Connector& connector,
                                const std::vector<IdentityValue>& identity, const InstanceKey& key, Date today,
                                RowSink* observer = nullptr);
Result<ErasurePlan> PlanCorrection(const Graph& graph, connect::Connector& connector,
                                   const std::vector<IdentityValue>& identity, const Corrections& corrections,
                                   RowSink* observer = nullptr);

// Applies the plan in one transaction; returns rows affected.
Result<int64_t> ApplyPlan(connect::Connector& connector, const ErasurePlan& plan);

struct Residual {
  std::string collection;
  std::string key;
  std::string field;  // empty: the whole row should be gone
};
// Traverses again: rows that should have been deleted and were not, masked fields that do not
// hold their erased value, and rows found that the plan did not know. Held rows are not residual.
Result<std::vector<Residual>> Recheck(const Graph& graph, connect::Connector& connector,
                                      const std::vector<IdentityValue>& identity, const ErasurePlan& plan);

}  // namespace steward::fulfil
