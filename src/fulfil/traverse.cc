#include "fulfil/traverse.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <set>
#include <unordered_set>

namespace steward::fulfil {
namespace {

bool IsNumericType(const std::string& type) {
  return type.find("int") != std::string::npos || type.find("serial") != std::string::npos ||
         type.find("numeric") != std::string::npos || type.find("decimal") != std::string::npos ||
         type.find("real") != std::string::npos || type.find("double") != std::string::npos ||
         type.find("float") != std::string::npos;
}

bool LooksNumeric(std::string_view v) {
  if (v.empty() || v.size() > 19) return false;
  size_t i = v[0] == '-' ? 1 : 0;
  return i < v.size() && std::all_of(v.begin() + static_cast<long>(i), v.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string Lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

size_t Graph::ColumnIndex(size_t collection, std::string_view column) const {
  const auto& cols = columns[collection];
  return static_cast<size_t>(std::find(cols.begin(), cols.end(), column) - cols.begin());
}

Graph BuildGraph(const Dataset& dataset, const connect::Schema& schema) {
  Graph g;
  g.dataset = &dataset;
  const size_t n = dataset.collections.size();
  g.columns.resize(n);
  g.key.resize(n);
  g.numeric.resize(n);
  g.entries.assign(n, 0);
  std::vector<bool> entered_other_than_to(n, false);
  for (size_t c = 0; c < n; ++c) {
    const Collection& col = dataset.collections[c];
    for (const Field& f : col.fields) g.columns[c].push_back(f.name);
    auto ensure = [&](const std::string& name) {
      if (!name.empty() && std::find(g.columns[c].begin(), g.columns[c].end(), name) == g.columns[c].end()) {
        g.columns[c].push_back(name);
      }
    };
    for (const std::string& k : col.primary_key) ensure(k);
    ensure(col.timestamp);
    if (col.hold) ensure(col.hold->from);
    for (const std::string& k : col.primary_key) g.key[c].push_back(g.ColumnIndex(c, k));
    const connect::Table* table = schema.FindTable(col.name);
    for (const std::string& name : g.columns[c]) {
      const connect::Column* column = table ? table->FindColumn(name) : nullptr;
      g.numeric[c].push_back(column && IsNumericType(column->type));
    }
    for (const Field& f : col.fields) {
      if (!f.identity.empty()) {
        ++g.entries[c];
        entered_other_than_to[c] = true;
      }
    }
  }
  for (size_t c = 0; c < n; ++c) {
    for (const Field& f : dataset.collections[c].fields) {
      for (const Reference& r : f.references) {
        const Collection* target = dataset.FindCollection(r.collection);
        const size_t t = static_cast<size_t>(target - dataset.collections.data());
        const size_t here = g.ColumnIndex(c, f.name), there = g.ColumnIndex(t, r.field);
        if (r.to) {
          g.edges.push_back({c, here, t, there});
          ++g.entries[t];
        } else {
          g.edges.push_back({t, there, c, here});
          ++g.entries[c];
          entered_other_than_to[c] = true;
        }
      }
    }
  }
  g.reachable.assign(n, false);
  std::deque<size_t> queue;
  for (size_t c = 0; c < n; ++c) {
    for (const Field& f : dataset.collections[c].fields) {
      if (!f.identity.empty() && !g.reachable[c]) {
        g.reachable[c] = true;
        queue.push_back(c);
      }
    }
  }
  while (!queue.empty()) {
    const size_t c = queue.front();
    queue.pop_front();
    for (const auto& e : g.edges) {
      if (e.from_collection == c && !g.reachable[e.to_collection]) {
        g.reachable[e.to_collection] = true;
        queue.push_back(e.to_collection);
      }
    }
  }
  g.pointed_to_only.resize(n);
  for (size_t c = 0; c < n; ++c) g.pointed_to_only[c] = g.reachable[c] && !entered_other_than_to[c];
  return g;
}

std::vector<std::string> Unreachable(const Graph& g) {
  std::vector<std::string> out;
  for (size_t c = 0; c < g.reachable.size(); ++c) {
    if (!g.reachable[c]) out.push_back(g.dataset->collections[c].name);
  }
  return out;
}

std::vector<size_t> DeleteOrder(const Graph& g) {
  // Collection c "points at" t when one of c's fields references t (whatever the traversal
  // direction): c's rows must go first. Kahn's algorithm; members of a cycle keep manifest order.
  const size_t n = g.columns.size();
  std::vector<std::set<size_t>> must_precede(n);  // t -> {c pointing at t}
  for (size_t c = 0; c < n; ++c) {
    for (const Field& f : g.dataset->collections[c].fields) {
      for (const Reference& r : f.references) {
        const size_t t = static_cast<size_t>(g.dataset->FindCollection(r.collection) - g.dataset->collections.data());
        if (t != c) must_precede[t].insert(c);
      }
    }
  }
  std::vector<size_t> order;
  std::vector<bool> done(n, false);
  while (order.size() < n) {
    bool progressed = false;
    for (size_t t = 0; t < n; ++t) {
      if (done[t]) continue;
      if (std::all_of(must_precede[t].begin(), must_precede[t].end(), [&](size_t c) { return done[c]; })) {
        done[t] = true;
        order.push_back(t);
        progressed = true;
      }
    }
    if (!progressed) {  // a cycle: take the first remaining
      for (size_t t = 0; t < n; ++t) {
        if (!done[t]) {
          done[t] = true;
          order.push_back(t);
          break;
        }
      }
    }
  }
  return order;
}

std::string KeyString(const Graph& g, size_t collection, const connect::Row& row) {
  std::string out;
  for (size_t k : g.key[collection]) {
    out += row[k].text;
    out += '\x1f';
  }
  return out;
}

Result<TraversalStats> Traverse(const Graph& g, connect::Connector& connector,
                                const std::vector<IdentityValue>& identity, RowSink& sink) {
  const size_t n = g.columns.size();
  TraversalStats stats;
  stats.per_collection.assign(n, 0);
  // Pending values per (collection, column), and every value ever queued there.
  std::map<std::pair<size_t, size_t>, std::vector<connect::Cell>> pending;
  std::map<std::pair<size_t, size_t>, std::unordered_set<std::string>> seen_values;
  std::vector<std::unordered_set<std::string>> seen_rows(n);  // only where a row has several ways in
  auto queue_value = [&](size_t c, size_t column, const connect::Cell& v) {
    if (v.null()) return;
    if (g.numeric[c][column] && v.kind == connect::Kind::kText && !LooksNumeric(v.text)) return;
    if (seen_values[{c, column}].insert(v.text).second) pending[{c, column}].push_back(v);
  };
  for (size_t c = 0; c < n; ++c) {
    const Collection& col = g.dataset->collections[c];
    for (const Field& f : col.fields) {
      if (f.identity.empty()) continue;
      for (const IdentityValue& id : identity) {
        if (id.type != f.identity || id.value.empty()) continue;
        queue_value(c, g.ColumnIndex(c, f.name), connect::Cell::Text(id.value));
        if (id.type == "email") queue_value(c, g.ColumnIndex(c, f.name), connect::Cell::Text(Lower(id.value)));
      }
    }
  }
  while (!pending.empty()) {
    auto it = pending.begin();
    const auto [c, column] = it->first;
    std::vector<connect::Cell> values = std::move(it->second);
    pending.erase(it);
    for (size_t begin = 0; begin < values.size(); begin += connect::kMaxBatch) {
      connect::Select select{.table = g.dataset->collections[c].name,
                             .columns = g.columns[c],
                             .match_column = g.columns[c][column]};
      select.values.assign(values.begin() + static_cast<long>(begin),
                           values.begin() + static_cast<long>(std::min(values.size(), begin + connect::kMaxBatch)));
      ++stats.queries;
      RETURN_IF_ERROR(connector.Find(select, [&](const connect::Row& row) -> Status {
        if (g.entries[c] > 1 && !seen_rows[c].insert(KeyString(g, c, row)).second) return {};
        ++stats.rows;
        ++stats.per_collection[c];
        for (const Graph::Edge& e : g.edges) {
          if (e.from_collection == c) queue_value(e.to_collection, e.to_column, row[e.from_column]);
        }
        return sink.OnRow(c, row);
      }));
    }
  }
  return stats;
}

}  // namespace steward::fulfil
