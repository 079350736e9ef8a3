// The PostgreSQL connector, on libpq. Parameters are sent as untyped text, so the server infers
// each one's type from the column it meets; rows are streamed in single-row mode, so a person
// with a million rows never sits in memory at once.
#include <libpq-fe.h>

#include <fmt/format.h>

#include <memory>

#include "connect/connector.h"

namespace steward::connect {
namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// Type OIDs from pg_type.
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700, kFloat8Oid = 701,
              kNumericOid = 1700, kOidOid = 26;

Kind KindOf(Oid type) {
  switch (type) {
    case kBoolOid: return Kind::kBool;
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: return Kind::kInt;
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: return Kind::kReal;
    default: return Kind::kText;
  }
}

std::string FirstLine(const char* message) {
  std::string text = message ? message : "unknown error";
  if (const size_t nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
  return text;
}

class Params {
 public:
  void Add(const Cell& cell) {
    if (cell.null()) {
      values_.emplace_back();
      nulls_.push_back(true);
    } else if (cell.kind == Kind::kBool) {
      values_.push_back(cell.text == "true" ? "t" : "f");
      nulls_.push_back(false);
    } else {
      values_.push_back(cell.text);
      nulls_.push_back(false);
    }
  }
  int size() const { return static_cast<int>(values_.size()); }
  const char* const* data() {
    pointers_.clear();
    for (size_t i = 0; i < values_.size(); ++i) pointers_.push_back(nulls_[i] ? nullptr : values_[i].c_str());
    return pointers_.data();
  }

 private:
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  std::vector<const char*> pointers_;
};

class PostgresConnector final : public Connector {
 public:
  PostgresConnector(PGconn* conn, std::string schema) : conn_(conn), schema_(std::move(schema)) {}
  ~PostgresConnector() override { PQfinish(conn_); }

  std::string_view engine() const override { return "postgres"; }

  Result<Schema> Introspect() override {
    Schema schema;
    ASSIGN_OR_RETURN(PgResult columns,
                     Exec("SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                          "CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod > 4 THEN a.atttypmod - 4 ELSE 0 END "
                          "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "JOIN pg_attribute a ON a.attrelid = c.oid "
                          "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
                          "ORDER BY c.relname, a.attnum",
                          {schema_}));
    for (int r = 0; r < PQntuples(columns.get()); ++r) {
      const std::string table = PQgetvalue(columns.get(), r, 0);
      if (schema.tables.empty() || schema.tables.back().name != table) schema.tables.push_back({.name = table});
      schema.tables.back().columns.push_back({.name = PQgetvalue(columns.get(), r, 1),
                                              .type = PQgetvalue(columns.get(), r, 2),
                                              .nullable = PQgetvalue(columns.get(), r, 3)[0] != 't',
                                              .max_length = std::atoi(PQgetvalue(columns.get(), r, 4))});
    }
    // Primary and foreign keys, column by column in key order.
    ASSIGN_OR_RETURN(PgResult keys,
                     Exec("SELECT c.relname, k.contype, k.conname, a.attname, rc.relname, ra.attname "
                          "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
                          "JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, i) "
                          "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.attnum "
                          "LEFT JOIN pg_class rc ON rc.oid = k.confrelid "
                          "LEFT JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[u.i] "
                          "WHERE n.nspname = $1 AND k.contype IN ('p', 'f') ORDER BY c.relname, k.conname, u.i",
                          {schema_}));
    std::string last_constraint;
    for (int r = 0; r < PQntuples(keys.get()); ++r) {
      Table* table = nullptr;
      for (Table& t : schema.tables) {
        if (t.name == PQgetvalue(keys.get(), r, 0)) table = &t;
      }
      if (!table) continue;
      const std::string constraint = std::string(PQgetvalue(keys.get(), r, 0)) + "." + PQgetvalue(keys.get(), r, 2);
      if (PQgetvalue(keys.get(), r, 1)[0] == 'p') {
        table->primary_key.emplace_back(PQgetvalue(keys.get(), r, 3));
      } else {
        if (constraint != last_constraint) table->foreign_keys.push_back({.ref_table = PQgetvalue(keys.get(), r, 4)});
        table->foreign_keys.back().columns.emplace_back(PQgetvalue(keys.get(), r, 3));
        table->foreign_keys.back().ref_columns.emplace_back(PQgetvalue(keys.get(), r, 5));
      }
      last_constraint = constraint;
    }
    return schema;
  }

  Result<int64_t> Apply(const std::vector<Change>& changes) override {
    RETURN_IF_ERROR(Exec("BEGIN", {}));
    int64_t affected = 0;
    for (const Change& change : changes) {
      auto applied = ApplyOne(change);
      if (!applied) {
        (void)Exec("ROLLBACK", {});
        return std::unexpected(applied.error());
      }
      affected += *applied;
    }
    if (auto committed = Exec("COMMIT", {}); !committed) {
      (void)Exec("ROLLBACK", {});
      return std::unexpected(committed.error());
    }
    return affected;
  }

  Status ExecScript(std::string_view sql) override {
    PgResult result(PQexec(conn_, std::string(sql).c_str()));
    const ExecStatusType st = PQresultStatus(result.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      return Fail(ErrorCode::kUnavailable, "postgres: " + FirstLine(PQresultErrorMessage(result.get())));
    }
    return {};
  }

  Status BulkInsert(const std::string& table, const std::vector<std::string>& columns,
                    const std::vector<Row>& rows) override {
    std::string sql = "COPY " + Qualified(table) + " (";
    for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + QuoteIdent(columns[i]);
    sql += ") FROM STDIN";
    {
      PgResult start(PQexec(conn_, sql.c_str()));
      if (PQresultStatus(start.get()) != PGRES_COPY_IN) {
        return Fail(ErrorCode::kUnavailable, "postgres: " + FirstLine(PQresultErrorMessage(start.get())));
      }
    }
    std::string buffer;
    bool ok = true;
    for (const Row& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) buffer += '\t';
        if (row[i].null()) {
          buffer += "\\N";
          continue;
        }
        for (char c : row[i].text) {
          switch (c) {
            case '\\': buffer += "\\\\"; break;
            case '\t': buffer += "\\t"; break;
            case '\n': buffer += "\\n"; break;
            case '\r': buffer += "\\r"; break;
            default: buffer += c;
          }
        }
      }
      buffer += '\n';
      if (buffer.size() > (1 << 20)) {
        ok = ok && PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) == 1;
        buffer.clear();
      }
    }
    if (!buffer.empty()) ok = ok && PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) == 1;
    ok = PQputCopyEnd(conn_, ok ? nullptr : "client error") == 1 && ok;
    Status status;
    while (PGresult* raw = PQgetResult(conn_)) {
      PgResult result(raw);
      if (PQresultStatus(raw) != PGRES_COMMAND_OK && status) {
        status = Fail(ErrorCode::kUnavailable,
                      fmt::format("postgres: loading {}: {}", table, FirstLine(PQresultErrorMessage(raw))));
      }
    }
    if (!ok && status) status = DbError("loading " + table);
    return status;
  }

 public:
  std::string TableName(std::string_view table) const override { return Qualified(std::string(table)); }

  // A table the planner's statistics say holds more than ten times `rows` is sampled by pages
  // first (TABLESAMPLE SYSTEM, about four times the rows wanted), and `rows` of those kept at
  // random: ORDER BY random() alone reads the whole table, minutes for a large one. Pages are
  // sampled whole, so rows stored together come together; for classifying columns that is
  // enough. Stale statistics only change how many pages are read: a table that has shrunk
  // since its last ANALYZE may give fewer rows than asked, and the findings say how many.
  Result<std::string> SampleFrom(std::string_view table, uint64_t rows) override {
    ASSIGN_OR_RETURN(PgResult stats, Exec("SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                          "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r'",
                                          {schema_, std::string(table)}));
    const double tuples = PQntuples(stats.get()) == 1 ? std::atof(PQgetvalue(stats.get(), 0, 0)) : 0;
    if (rows == 0 || tuples < 10.0 * static_cast<double>(rows)) return Connector::SampleFrom(table, rows);
    return fmt::format("{} TABLESAMPLE SYSTEM ({:.6f}) ORDER BY random() LIMIT {}", Qualified(std::string(table)),
                       std::min(100.0, 400.0 * static_cast<double>(rows) / tuples), rows);
  }

  Status RunSelect(const std::string& sql, const std::vector<Cell>& params, size_t columns,
                   const std::function<Status(const Row&)>& on_row) override {
    std::string numbered;
    int n = 0;
    for (char c : sql) numbered += c == '?' ? fmt::format("${}", ++n) : std::string(1, c);
    Params p;
    for (const Cell& c : params) p.Add(c);
    if (!PQsendQueryParams(conn_, numbered.c_str(), p.size(), nullptr, p.data(), nullptr, nullptr, 0)) {
      return DbError("reading rows");
    }
    PQsetSingleRowMode(conn_);
    Status status;
    Row row(columns);
    while (PGresult* raw = PQgetResult(conn_)) {
      PgResult result(raw);
      const ExecStatusType st = PQresultStatus(raw);
      if (st == PGRES_SINGLE_TUPLE && status) {
        for (int c = 0; c < static_cast<int>(row.size()); ++c) row[c] = Read(raw, 0, c);
        status = on_row(row);
      } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && status) {
        status = Fail(ErrorCode::kUnavailable, "postgres: reading rows: " + FirstLine(PQresultErrorMessage(raw)));
      }
    }
    return status;
  }

 private:
  std::string Qualified(const std::string& table) const { return QuoteIdent(schema_) + "." + QuoteIdent(table); }

  Result<int64_t> ApplyOne(const Change& change) {
    const std::string table = Qualified(change.table);
    int64_t affected = 0;
    // Rows addressed by a one-column key are changed in batches: key IN ($…).
    const bool batched = change.key_columns.size() == 1;
    const size_t step = batched ? kMaxBatch : 1;
    for (size_t begin = 0; begin < change.keys.size(); begin += step) {
      const size_t end = std::min(change.keys.size(), begin + step);
      Params params;
      std::string sql;
      if (change.op == Change::Op::kDelete) {
        sql = "DELETE FROM " + table;
      } else {
        sql = "UPDATE " + table + " SET ";
        for (size_t i = 0; i < change.set.size(); ++i) {
          params.Add(change.set[i].second);
          sql += fmt::format("{}{} = ${}", i ? ", " : "", QuoteIdent(change.set[i].first), params.size());
        }
      }
      sql += " WHERE ";
      if (batched) {
        sql += QuoteIdent(change.key_columns[0]) + " IN (";
        for (size_t k = begin; k < end; ++k) {
          params.Add(change.keys[k][0]);
          sql += fmt::format("{}${}", k == begin ? "" : ",", params.size());
        }
        sql += ")";
      } else {
        for (size_t i = 0; i < change.key_columns.size(); ++i) {
          params.Add(change.keys[begin][i]);
          sql += fmt::format("{}{} = ${}", i ? " AND " : "", QuoteIdent(change.key_columns[i]), params.size());
        }
      }
      PgResult result(PQexecParams(conn_, sql.c_str(), params.size(), nullptr, params.data(), nullptr, nullptr, 0));
      if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        return Fail(ErrorCode::kUnavailable,
                    fmt::format("postgres: changing {}: {}", change.table, FirstLine(PQresultErrorMessage(result.get()))));
      }
      affected += std::atoll(PQcmdTuples(result.get()));
    }
    return affected;
  }

  Result<PgResult> Exec(const std::string& sql, const std::vector<std::string>& values) {
    Params params;
    for (const std::string& v : values) params.Add(Cell::Text(v));
    PgResult result(PQexecParams(conn_, sql.c_str(), params.size(), nullptr, params.data(), nullptr, nullptr, 0));
    const ExecStatusType st = PQresultStatus(result.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      return Fail(ErrorCode::kUnavailable, "postgres: " + FirstLine(PQresultErrorMessage(result.get())));
    }
    return result;
  }

  static Cell Read(PGresult* result, int row, int column) {
    if (PQgetisnull(result, row, column)) return Cell::Null();
    const Kind kind = KindOf(PQftype(result, column));
    std::string text(PQgetvalue(result, row, column), static_cast<size_t>(PQgetlength(result, row, column)));
    if (kind == Kind::kBool) text = text == "t" ? "true" : "false";
    return {kind, std::move(text)};
  }

  Status DbError(const std::string& what) const {
    return Fail(ErrorCode::kUnavailable, fmt::format("postgres: {}: {}", what, FirstLine(PQerrorMessage(conn_))));
  }

  PGconn* conn_;
  std::string schema_;
};

}  // namespace

Result<std::unique_ptr<Connector>> OpenPostgresConnector(const ConnectOptions& options) {
  // The DSN may carry a password: it is never echoed, only the server's first error line is.
  PGconn* conn = PQconnectdb(options.dsn.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = FirstLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Fail(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: " + message, "dsn");
  }
  auto connector = std::make_unique<PostgresConnector>(conn, options.schema.empty() ? "public" : options.schema);
  if (options.read_only) {
    RETURN_IF_ERROR(connector->ExecScript("SET default_transaction_read_only = on"));
  }
  return std::unique_ptr<Connector>(std::move(connector));
}

}  // namespace steward::connect
