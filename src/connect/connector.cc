#include "connect/connector.h"

#include <fmt/format.h>

namespace steward::connect {

const Column* Table::FindColumn(std::string_view column) const {
  for (const Column& c : columns) {
    if (c.name == column) return &c;
  }
  return nullptr;
}

const Table* Schema::FindTable(std::string_view table) const {
  for (const Table& t : tables) {
    if (t.name == table) return &t;
  }
  return nullptr;
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string Connector::TableName(std::string_view table) const { return QuoteIdent(table); }

Result<std::string> Connector::SampleFrom(std::string_view table, uint64_t rows) {
  return fmt::format("{} ORDER BY random() LIMIT {}", TableName(table), rows);
}

Status Connector::Find(const Select& s, const std::function<Status(const Row&)>& on_row) {
  if (s.values.empty()) return {};
  std::string sql = "SELECT ";
  for (size_t i = 0; i < s.columns.size(); ++i) sql += (i ? ", " : "") + QuoteIdent(s.columns[i]);
  sql += " FROM " + TableName(s.table) + " WHERE " + QuoteIdent(s.match_column) + " IN (";
  for (size_t i = 0; i < s.values.size(); ++i) sql += i ? ",?" : "?";
  sql += ")";
  return RunSelect(sql, s.values, s.columns.size(), on_row);
}

Status Connector::FindExpired(const ExpiredSelect& s, const std::function<Status(const Row&)>& on_row) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < s.columns.size(); ++i) sql += (i ? ", t." : "t.") + QuoteIdent(s.columns[i]);
  sql += " FROM " + TableName(s.table) + " t WHERE ";
  std::vector<Cell> params;
  // The anchor's row: this one (alias t), or the row `via_column` points at (alias a).
  const std::string at = s.anchor_table.empty() ? "t." : "a.";
  std::string anchor_condition = at + QuoteIdent(s.anchor_column) + " < ?";
  params.push_back(Cell::Text(s.before));
  if (!s.unless_column.empty()) {
    const std::string unless = at + QuoteIdent(s.unless_column);
    anchor_condition += " AND (" + unless + " IS NULL OR " + unless + " <> ?)";
    params.push_back(Cell::Text(s.unless_value));
  }
  if (s.anchor_table.empty()) {
    sql += anchor_condition;
  } else {
    sql += "t." + QuoteIdent(s.via_column) + " IN (SELECT a." + QuoteIdent(s.anchor_key_column) + " FROM " +
           TableName(s.anchor_table) + " a WHERE " + anchor_condition + ")";
  }
  if (!s.also_before_column.empty()) {
    sql += " AND t." + QuoteIdent(s.also_before_column) + " < ?";
    params.push_back(Cell::Text(s.also_before));
  }
  if (!s.pending.empty()) {
    sql += " AND (";
    for (size_t i = 0; i < s.pending.size(); ++i) sql += (i ? " OR t." : "t.") + QuoteIdent(s.pending[i]) + " IS NOT NULL";
    sql += ")";
  }
  if (s.after_key) {
    sql += " AND t." + QuoteIdent(s.key_column) + " > ?";
    params.push_back(*s.after_key);
  }
  sql += " ORDER BY t." + QuoteIdent(s.key_column) + " LIMIT " + std::to_string(s.limit);
  return RunSelect(sql, params, s.columns.size(), on_row);
}

Result<std::unique_ptr<Connector>> Open(const ConnectOptions& options) {
  if (options.engine == "sqlite") return OpenSqliteConnector(options);
  if (options.engine == "postgres") return OpenPostgresConnector(options);
  return Fail(ErrorCode::kInvalidArgument, "must be sqlite or postgres", "engine");
}

}  // namespace steward::connect
