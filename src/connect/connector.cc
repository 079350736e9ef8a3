#include "connect/connector.h"

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

Result<std::unique_ptr<Connector>> Open(const ConnectOptions& options) {
  if (options.engine == "sqlite") return OpenSqliteConnector(options);
  if (options.engine == "postgres") return OpenPostgresConnector(options);
  return Fail(ErrorCode::kInvalidArgument, "must be sqlite or postgres", "engine");
}

}  // namespace steward::connect
