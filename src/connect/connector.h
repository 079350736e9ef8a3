// Connector: one interface over the company's own databases (the stores Steward fulfils
// requests against), so traversal, access and erasure never see SQL dialects.
//
// Identifiers (tables, columns) come only from a validated dataset manifest and are always
// quoted; values are always bound parameters, never spliced into SQL. Values travel as text
// with a kind, which both engines convert back on binding (SQLite by column affinity,
// PostgreSQL by inferring each parameter's type from the column it is compared with).
//
// A Connector is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace steward::connect {

enum class Kind { kNull, kInt, kReal, kBool, kText };

struct Cell {
  Kind kind = Kind::kNull;
  std::string text;  // the value's canonical text ("42", "true", "2021-01-06 01:00:00")
  bool null() const { return kind == Kind::kNull; }
  static Cell Null() { return {}; }
  static Cell Text(std::string s) { return {Kind::kText, std::move(s)}; }
  friend bool operator==(const Cell&, const Cell&) = default;
};
using Row = std::vector<Cell>;

struct Column {
  std::string name;
  std::string type;  // the engine's declared type, lowercase
  bool nullable = true;
  int max_length = 0;  // character limit when declared (varchar(n)), else 0
};

struct ForeignKey {
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<std::string> primary_key;
  std::vector<ForeignKey> foreign_keys;
  const Column* FindColumn(std::string_view name) const;
};

struct Schema {
  std::vector<Table> tables;
  const Table* FindTable(std::string_view name) const;
};

// SELECT columns FROM table WHERE match_column IN (values…).
struct Select {
  std::string table;
  std::vector<std::string> columns;
  std::string match_column;
  std::vector<Cell> values;  // at most kMaxBatch; callers split larger sets
};
inline constexpr size_t kMaxBatch = 500;

// One change of an erasure or correction plan. Rows are addressed by their primary key.
struct Change {
  enum class Op { kUpdate, kDelete };
  Op op = Op::kUpdate;
  std::string table;
  std::vector<std::string> key_columns;
  // kDelete: many rows; kUpdate: rows that all receive the same `set` values.
  std::vector<Row> keys;
  std::vector<std::pair<std::string, Cell>> set;
};

// Rows whose retention period has run out: the anchor timestamp (in this table, or in the row
// this table's `via_column` points at) is before `before`, the `unless` condition does not hold,
// any `also_before` bound (a legal hold) has passed, and — for anonymizing — some `pending`
// column still holds data. Rows come in key order after `after_key`, at most `limit`.
struct ExpiredSelect {
  std::string table;
  std::vector<std::string> columns;
  std::string key_column;  // single-column primary key (keyset pagination)
  std::optional<Cell> after_key;
  size_t limit = 1000;
  std::string anchor_table;       // empty: the anchor column is in `table`
  std::string anchor_column;
  std::string via_column;         // with anchor_table: this table's column…
  std::string anchor_key_column;  // …matching this column of anchor_table
  std::string before;             // "YYYY-MM-DD": anchors strictly before that day
  std::string unless_column, unless_value;  // on the anchor's table: kept while column = value
  std::string also_before_column, also_before;  // in `table`
  std::vector<std::string> pending;  // some of these must be non-null
};

// "name" with embedded quotes doubled.
std::string QuoteIdent(std::string_view name);

struct ConnectOptions {
  std::string engine;  // sqlite | postgres
  std::string dsn;     // a file path (sqlite) or a libpq connection string / URI (postgres)
  std::string schema;  // postgres: the schema of the tables (default "public")
  bool read_only = false;
};

class Connector {
 public:
  virtual ~Connector() = default;
  virtual std::string_view engine() const = 0;
  // Tables, columns, primary and foreign keys of the configured schema.
  virtual Result<Schema> Introspect() = 0;
  // Streams every matching row to on_row (cells in `select.columns` order). Stops at and
  // returns the first error on_row returns. Built on RunSelect, like FindExpired.
  virtual Status Find(const Select& select, const std::function<Status(const Row&)>& on_row);
  // Applies every change in one transaction: all or nothing. Returns the rows affected.
  virtual Result<int64_t> Apply(const std::vector<Change>& changes) = 0;
  // Runs a script of SQL statements (schema creation and loading for generators and tests).
  virtual Status ExecScript(std::string_view sql) = 0;
  // Loads rows into `table` (columns in order) in one transaction, fast: for generators.
  virtual Status BulkInsert(const std::string& table, const std::vector<std::string>& columns,
                            const std::vector<Row>& rows) = 0;
  // Streams the expired rows `select` describes (the retention sweeper's query).
  Status FindExpired(const ExpiredSelect& select, const std::function<Status(const Row&)>& on_row);

  // For the query builders above: runs a SELECT written with `?` placeholders (identifiers
  // already quoted), streaming rows of `columns` cells.
  virtual Status RunSelect(const std::string& sql, const std::vector<Cell>& params, size_t columns,
                           const std::function<Status(const Row&)>& on_row) = 0;
  // The table as it is named in SQL (schema-qualified where the engine has schemas).
  virtual std::string TableName(std::string_view table) const;
  // What follows "SELECT <columns> FROM " to read `rows` rows of `table` chosen at random:
  // every row read and `rows` kept ("ORDER BY random() LIMIT"), unless the engine can choose
  // rows without reading them all (PostgreSQL by pages, SQLite by rowids; see there).
  virtual Result<std::string> SampleFrom(std::string_view table, uint64_t rows);
};

Result<std::unique_ptr<Connector>> OpenSqliteConnector(const ConnectOptions& options);
Result<std::unique_ptr<Connector>> OpenPostgresConnector(const ConnectOptions& options);
// Dispatches on options.engine; invalid_argument (field "engine") for an unknown one.
Result<std::unique_ptr<Connector>> Open(const ConnectOptions& options);

}  // namespace steward::connect
