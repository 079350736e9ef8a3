// The SQLite connector: a company database in one SQLite file.
#include <sqlite3.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "connect/connector.h"

namespace steward::connect {
namespace {

class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }
  sqlite3_stmt** out() { return &stmt_; }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string Lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

int MaxLengthOf(const std::string& type) {
  const size_t open = type.find('(');
  if (open == std::string::npos) return 0;
  return std::atoi(type.c_str() + open + 1);
}

class SqliteConnector final : public Connector {
 public:
  explicit SqliteConnector(sqlite3* db) : db_(db) {}
  ~SqliteConnector() override { sqlite3_close_v2(db_); }

  std::string_view engine() const override { return "sqlite"; }

  Result<Schema> Introspect() override {
    Schema schema;
    std::vector<std::string> names;
    RETURN_IF_ERROR(Query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                          {}, [&](sqlite3_stmt* s) {
                            names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
                          }));
    for (const std::string& name : names) {
      Table table;
      table.name = name;
      std::vector<std::pair<int, std::string>> pk;
      RETURN_IF_ERROR(Query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1)", {name}, [&](sqlite3_stmt* s) {
        Column c;
        c.name = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        const unsigned char* type = sqlite3_column_text(s, 1);
        c.type = Lower(type ? reinterpret_cast<const char*>(type) : "");
        c.nullable = sqlite3_column_int(s, 2) == 0;
        c.max_length = MaxLengthOf(c.type);
        if (const int position = sqlite3_column_int(s, 3); position > 0) pk.emplace_back(position, c.name);
        table.columns.push_back(std::move(c));
      }));
      std::ranges::sort(pk);
      for (auto& [position, column] : pk) table.primary_key.push_back(column);
      int current_id = -1;
      RETURN_IF_ERROR(Query("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
                            {name}, [&](sqlite3_stmt* s) {
                              const int id = sqlite3_column_int(s, 0);
                              if (id != current_id) {
                                table.foreign_keys.push_back({});
                                table.foreign_keys.back().ref_table =
                                    reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
                                current_id = id;
                              }
                              ForeignKey& fk = table.foreign_keys.back();
                              fk.columns.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 2)));
                              const unsigned char* to = sqlite3_column_text(s, 3);
                              fk.ref_columns.emplace_back(to ? reinterpret_cast<const char*>(to) : "");
                            }));
      // A foreign key naming no columns refers to the parent's primary key; filled in below.
      schema.tables.push_back(std::move(table));
    }
    for (Table& t : schema.tables) {
      for (ForeignKey& fk : t.foreign_keys) {
        const Table* parent = schema.FindTable(fk.ref_table);
        for (size_t i = 0; i < fk.ref_columns.size(); ++i) {
          if (fk.ref_columns[i].empty() && parent && i < parent->primary_key.size()) {
            fk.ref_columns[i] = parent->primary_key[i];
          }
        }
      }
    }
    return schema;
  }

  Result<int64_t> Apply(const std::vector<Change>& changes) override {
    RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    int64_t affected = 0;
    for (const Change& change : changes) {
      auto applied = ApplyOne(change);
      if (!applied) {
        (void)Exec("ROLLBACK");
        return std::unexpected(applied.error());
      }
      affected += *applied;
    }
    if (auto committed = Exec("COMMIT"); !committed) {
      (void)Exec("ROLLBACK");
      return std::unexpected(committed.error());
    }
    return affected;
  }

  Status ExecScript(std::string_view sql) override { return Exec(std::string(sql)); }

  Status BulkInsert(const std::string& table, const std::vector<std::string>& columns,
                    const std::vector<Row>& rows) override {
    std::string sql = "INSERT INTO " + QuoteIdent(table) + " (";
    for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + QuoteIdent(columns[i]);
    sql += ") VALUES (";
    for (size_t i = 0; i < columns.size(); ++i) sql += i ? ",?" : "?";
    sql += ")";
    RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Stmt stmt;
    Status status = Prepare(sql, stmt);
    for (size_t r = 0; status && r < rows.size(); ++r) {
      sqlite3_reset(stmt.get());
      for (size_t i = 0; i < columns.size(); ++i) Bind(stmt.get(), static_cast<int>(i + 1), rows[r][i]);
      if (sqlite3_step(stmt.get()) != SQLITE_DONE) status = DbError("inserting into " + table);
    }
    if (!status) {
      (void)Exec("ROLLBACK");
      return status;
    }
    return Exec("COMMIT");
  }

 public:
  // A table of more than ten times `rows` rows is sampled by rowid: rowids drawn at random
  // between its least and greatest (about twice `rows` found, by the share of rowids in use) are
  // looked up, a b-tree search each, and `rows` of the rows found kept at random, so every row is
  // as likely to be read as any other. ORDER BY random() alone reads and sorts the whole table,
  // and so would count(*): the share of rowids in use is estimated from 1,000 draws instead, so
  // the sample costs the same on a table of any size. A table whose rowids are too sparse (fewer
  // than one draw in twenty finds a row, or the draws would outnumber a quarter of its rows), or
  // that has no rowid to draw (WITHOUT ROWID, a view, a column named rowid), is read whole.
  Result<std::string> SampleFrom(std::string_view table, uint64_t rows) override {
    const std::string name = QuoteIdent(table);
    bool ok = rows > 0, shadowed = false;
    int64_t least = 0, greatest = 0, hits = 0;
    auto one = [&](const std::string& sql, int64_t& out) {
      bool found = false;
      ok = ok && Query(sql, {}, [&](sqlite3_stmt* s) {
                   found = sqlite3_column_type(s, 0) == SQLITE_INTEGER;
                   out = sqlite3_column_int64(s, 0);
                 }).has_value() && found;
    };
    ok = ok && Query("SELECT 1 FROM pragma_table_info(?1) WHERE lower(name) = 'rowid'", {std::string(table)},
                     [&](sqlite3_stmt*) { shadowed = true; }).has_value() && !shadowed;
    one("SELECT min(rowid) FROM " + name, least);
    one("SELECT max(rowid) FROM " + name, greatest);
    // long double: spans of rowids can pass 2^63.
    const long double span = ok ? static_cast<long double>(greatest) - static_cast<long double>(least) + 1 : 0;
    ok = ok && span <= 9e18L && span >= 10.0L * static_cast<long double>(rows);
    const std::string draw = fmt::format("{} + abs(random() % {})", least, static_cast<int64_t>(span));
    auto draws_of = [&](uint64_t n) {
      return fmt::format("(WITH RECURSIVE draw(k, id) AS (SELECT 1, {} UNION ALL SELECT k + 1, {} FROM draw WHERE k < {}) "
                         "SELECT id FROM draw)",
                         draw, draw, n);
    };
    constexpr int64_t kProbes = 1000;
    one("SELECT count(*) FROM " + name + " WHERE rowid IN " + draws_of(kProbes), hits);
    const long double share = static_cast<long double>(hits) / kProbes;  // of rowids in use
    const long double count = share * span, draws = share > 0 ? 2.0L * static_cast<long double>(rows) / share : 0;
    if (!ok || hits < kProbes / 20 || count < 10.0L * static_cast<long double>(rows) || draws > count / 4)
      return Connector::SampleFrom(table, rows);
    return fmt::format("{} WHERE rowid IN {} ORDER BY random() LIMIT {}", name, draws_of(static_cast<uint64_t>(draws) + 1), rows);
  }

  Status RunSelect(const std::string& sql, const std::vector<Cell>& params, size_t columns,
                   const std::function<Status(const Row&)>& on_row) override {
    Stmt stmt;
    RETURN_IF_ERROR(Prepare(sql, stmt));
    for (size_t i = 0; i < params.size(); ++i) Bind(stmt.get(), static_cast<int>(i + 1), params[i]);
    Row row(columns);
    for (;;) {
      const int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) return {};
      if (rc != SQLITE_ROW) return DbError("reading rows");
      for (size_t i = 0; i < row.size(); ++i) row[i] = Read(stmt.get(), static_cast<int>(i));
      RETURN_IF_ERROR(on_row(row));
    }
  }

 private:
  Result<int64_t> ApplyOne(const Change& change) {
    std::string where;
    for (size_t i = 0; i < change.key_columns.size(); ++i) {
      where += fmt::format("{}{} = ?", i ? " AND " : "", QuoteIdent(change.key_columns[i]));
    }
    std::string sql;
    if (change.op == Change::Op::kDelete) {
      sql = fmt::format("DELETE FROM {} WHERE {}", QuoteIdent(change.table), where);
    } else {
      std::string set;
      for (size_t i = 0; i < change.set.size(); ++i) {
        set += fmt::format("{}{} = ?", i ? ", " : "", QuoteIdent(change.set[i].first));
      }
      sql = fmt::format("UPDATE {} SET {} WHERE {}", QuoteIdent(change.table), set, where);
    }
    Stmt stmt;
    RETURN_IF_ERROR(Prepare(sql, stmt));
    int64_t affected = 0;
    for (const Row& key : change.keys) {
      sqlite3_reset(stmt.get());
      int n = 1;
      if (change.op == Change::Op::kUpdate) {
        for (const auto& [column, value] : change.set) Bind(stmt.get(), n++, value);
      }
      for (const Cell& k : key) Bind(stmt.get(), n++, k);
      if (sqlite3_step(stmt.get()) != SQLITE_DONE) {
        return std::unexpected(DbError(fmt::format("changing {}", change.table)).error());
      }
      affected += sqlite3_changes(db_);
    }
    return affected;
  }

  static void Bind(sqlite3_stmt* s, int index, const Cell& cell) {
    switch (cell.kind) {
      case Kind::kNull: sqlite3_bind_null(s, index); break;
      case Kind::kInt: sqlite3_bind_int64(s, index, std::stoll(cell.text)); break;
      case Kind::kReal: sqlite3_bind_double(s, index, std::stod(cell.text)); break;
      case Kind::kBool: sqlite3_bind_int(s, index, cell.text == "true" ? 1 : 0); break;
      case Kind::kText:
        sqlite3_bind_text(s, index, cell.text.data(), static_cast<int>(cell.text.size()), SQLITE_TRANSIENT);
        break;
    }
  }

  static Cell Read(sqlite3_stmt* s, int i) {
    switch (sqlite3_column_type(s, i)) {
      case SQLITE_NULL: return Cell::Null();
      case SQLITE_INTEGER: return {Kind::kInt, std::to_string(sqlite3_column_int64(s, i))};
      case SQLITE_FLOAT: return {Kind::kReal, fmt::format("{}", sqlite3_column_double(s, i))};
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        return {Kind::kText, std::string(text, static_cast<size_t>(sqlite3_column_bytes(s, i)))};
      }
    }
  }

  Status Prepare(const std::string& sql, Stmt& stmt) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), stmt.out(), nullptr) != SQLITE_OK) {
      return DbError("preparing a statement");
    }
    return {};
  }

  Status Exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string text = message ? message : "unknown error";
      sqlite3_free(message);
      return Fail(ErrorCode::kUnavailable, "sqlite: " + text);
    }
    return {};
  }

  Status Query(const std::string& sql, const std::vector<std::string>& params,
               const std::function<void(sqlite3_stmt*)>& on_row) {
    Stmt stmt;
    RETURN_IF_ERROR(Prepare(sql, stmt));
    for (size_t i = 0; i < params.size(); ++i) {
      sqlite3_bind_text(stmt.get(), static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    for (;;) {
      const int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) return {};
      if (rc != SQLITE_ROW) return DbError("reading the schema");
      on_row(stmt.get());
    }
  }

  Status DbError(const std::string& what) const {
    return Fail(ErrorCode::kUnavailable, fmt::format("sqlite: {}: {}", what, sqlite3_errmsg(db_)));
  }

  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<Connector>> OpenSqliteConnector(const ConnectOptions& options) {
  sqlite3* db = nullptr;
  const int flags = (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(options.dsn.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Fail(ErrorCode::kUnavailable, "cannot open the SQLite database: " + message, "dsn");
  }
  sqlite3_busy_timeout(db, 5000);
  auto connector = std::make_unique<SqliteConnector>(db);
  RETURN_IF_ERROR(connector->ExecScript("PRAGMA foreign_keys = ON"));
  return std::unique_ptr<Connector>(std::move(connector));
}

}  // namespace steward::connect
