// bench/fulfil: access and erasure on Acme's example database, beside the same work done by
// raw SQL through the engine's own driver in the same run.
//
//   fulfil_bench access ENGINE DSN CUSTOMERS SAMPLES
//     Generates CUSTOMERS customers (if the database is empty), then for SAMPLES people picked
//     at random: Steward's traversal (manifest, batched IN lists, rows streamed to JSON) beside
//     hand-written queries for the same rows (customer by email, its rows by customer id, order
//     items and payments by order id), read and turned into JSON the same way.
//   fulfil_bench memory ENGINE DSN ROWS
//     Peak memory of building an access package for a person with a few rows, then for one
//     with ROWS rows: it must stay flat, since rows stream to the package's files.
//   fulfil_bench retention ENGINE DSN_A DSN_B CUSTOMERS
//     A retention sweep anonymizing ~10% of the customers, beside raw SQL doing the same updates.
//   fulfil_bench erase ENGINE DSN_A DSN_B CUSTOMERS SUBJECTS
//     Two identical databases. On A, Steward erases SUBJECTS people one by one (plan, apply in
//     one transaction, re-check). On B, raw UPDATE/DELETE statements change exactly the same
//     rows, one transaction per person, with the rows known in advance (planning not timed).
// Prints medians, p99, throughput and the ratios the issue sets targets for.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "connect/connector.h"
#include "fulfil/erase.h"
#include "fulfil/example.h"
#include "fulfil/manifest.h"
#include "fulfil/package.h"
#include "fulfil/traverse.h"
#include "inventory/inventory.h"
#include "retention/sweeper.h"
#include "store/store.h"

#include <sys/resource.h>

#include <filesystem>
#include <fstream>

using namespace steward;
using Steady = std::chrono::steady_clock;

namespace {

double Ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

[[noreturn]] void Die(const std::string& what) {
  fmt::print(stderr, "fulfil_bench: {}\n", what);
  std::exit(2);
}
template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r) Die(fmt::format("{}: {}", what, r.error().message));
  return std::move(*r);
}
void Must(Status s, const char* what) {
  if (!s) Die(fmt::format("{}: {}", what, s.error().message));
}

// The raw reference: one driver, "?"-style SQL rewritten to $n for PostgreSQL.
class Raw {
 public:
  Raw(const std::string& engine, const std::string& dsn) : pg_(engine == "postgres") {
    if (pg_) {
      conn_ = PQconnectdb(dsn.c_str());
      if (PQstatus(conn_) != CONNECTION_OK) Die("raw connect");
    } else if (sqlite3_open(dsn.c_str(), &db_) != SQLITE_OK) {
      Die("raw open");
    }
  }
  ~Raw() {
    if (conn_) PQfinish(conn_);
    if (db_) sqlite3_close(db_);
  }
  // Runs sql with params; calls on_row with each row's values as JSON-ready text.
  size_t Query(const std::string& sql, const std::vector<std::string>& params, nlohmann::json* out) {
    size_t n = 0;
    if (pg_) {
      std::string q;
      int k = 0;
      for (char c : sql) q += c == '?' ? fmt::format("${}", ++k) : std::string(1, c);
      std::vector<const char*> values;
      for (const auto& p : params) values.push_back(p.c_str());
      PGresult* r = PQexecParams(conn_, q.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
      const auto st = PQresultStatus(r);
      if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) Die(PQresultErrorMessage(r));
      for (int i = 0; i < PQntuples(r); ++i, ++n) {
        if (!out) continue;
        nlohmann::json row;
        for (int c = 0; c < PQnfields(r); ++c) {
          row[PQfname(r, c)] = PQgetisnull(r, i, c) ? nlohmann::json(nullptr) : nlohmann::json(PQgetvalue(r, i, c));
        }
        out->push_back(std::move(row));
      }
      PQclear(r);
      return n;
    }
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) Die(sqlite3_errmsg(db_));
    for (size_t i = 0; i < params.size(); ++i) sqlite3_bind_text(s, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      ++n;
      if (!out) continue;
      nlohmann::json row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const auto* t = sqlite3_column_text(s, c);
        row[sqlite3_column_name(s, c)] = t ? nlohmann::json(reinterpret_cast<const char*>(t)) : nlohmann::json(nullptr);
      }
      out->push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) Die(sqlite3_errmsg(db_));
    sqlite3_finalize(s);
    return n;
  }
  void Exec(const char* sql) { Query(sql, {}, nullptr); }

 private:
  bool pg_;
  PGconn* conn_ = nullptr;
  sqlite3* db_ = nullptr;
};

class JsonSink final : public fulfil::RowSink {
 public:
  explicit JsonSink(const fulfil::Graph& g) : g_(g) {}
  Status OnRow(size_t c, const connect::Row& row) override {
    nlohmann::json obj;
    for (size_t i = 0; i < row.size(); ++i) obj[g_.columns[c][i]] = row[i].null() ? nlohmann::json(nullptr) : nlohmann::json(row[i].text);
    bytes += obj.dump().size();
    ++rows;
    return {};
  }
  size_t rows = 0, bytes = 0;

 private:
  const fulfil::Graph& g_;
};

fulfil::Dataset LoadShop(const std::string& engine, const std::string& dsn, connect::Connector& conn,
                         connect::Schema& schema) {
  auto d = Must(fulfil::LoadManifest(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/datasets/shop.yaml"), "manifest");
  d.engine = engine;
  d.dsn = dsn;
  schema = Must(conn.Introspect(), "introspect");
  Must(fulfil::Bind(d, schema), "bind");
  return d;
}

void EnsureGenerated(connect::Connector& conn, int64_t customers) {
  auto schema = Must(conn.Introspect(), "introspect");
  if (schema.FindTable("customers")) return;
  const auto t0 = Steady::now();
  auto stats = Must(fulfil::GenerateExample(conn, {.customers = customers}), "generate");
  fmt::print("generated {} customers, {} rows in {:.1f} s\n", customers, stats.rows, Ms(Steady::now() - t0) / 1000);
}

int Access(const std::string& engine, const std::string& dsn, int64_t customers, int samples) {
  auto conn = Must(connect::Open({.engine = engine, .dsn = dsn}), "open");
  EnsureGenerated(*conn, customers);
  if (engine == "sqlite") Must(conn->ExecScript("ANALYZE"), "analyze");
  connect::Schema schema;
  fulfil::Dataset d = LoadShop(engine, dsn, *conn, schema);
  const fulfil::Graph g = fulfil::BuildGraph(d, schema);
  Raw raw(engine, dsn);
  std::mt19937_64 rng(42);
  std::vector<double> steward_ms, raw_ms;
  size_t steward_rows = 0, raw_rows = 0;
  for (int i = 0; i < samples; ++i) {
    const int64_t who = std::uniform_int_distribution<int64_t>(1, customers)(rng);
    const std::string email = fulfil::ExampleEmail(who);
    // Alternate which goes first, so neither always meets a cold cache.
    for (int turn = 0; turn < 2; ++turn) {
      if ((turn == 0) == (i % 2 == 0)) {
        JsonSink sink(g);
        const auto t0 = Steady::now();
        Must(fulfil::Traverse(g, *conn, {{"email", email}}, sink), "traverse");
        steward_ms.push_back(Ms(Steady::now() - t0));
        steward_rows += sink.rows;
      } else {
        const auto t0 = Steady::now();
        nlohmann::json out = nlohmann::json::array();
        raw.Query("SELECT * FROM customers WHERE email = ?", {email}, &out);
        size_t n = out.size();
        if (!out.empty()) {
          const std::string id = out[0]["id"];
          for (const char* t : {"addresses", "accounts", "orders", "invoices", "support_tickets", "marketing_events", "ad_shares"}) {
            n += raw.Query(fmt::format("SELECT * FROM {} WHERE customer_id = ?", t), {id}, &out);
          }
          n += raw.Query("SELECT * FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE customer_id = ?)", {id}, &out);
          n += raw.Query("SELECT * FROM payments WHERE order_id IN (SELECT id FROM orders WHERE customer_id = ?)", {id}, &out);
        }
        size_t bytes = 0;
        for (const auto& r : out) bytes += r.dump().size();
        raw_ms.push_back(Ms(Steady::now() - t0));
        raw_rows += n + (bytes == 0 ? 0 : 0);
      }
    }
  }
  const double sm = Percentile(steward_ms, 0.5), rm = Percentile(raw_ms, 0.5);
  fmt::print("access {} customers={} samples={}\n", engine, customers, samples);
  fmt::print("  steward: median {:.3f} ms  p99 {:.3f} ms  rows {}\n", sm, Percentile(steward_ms, 0.99), steward_rows);
  fmt::print("  raw SQL: median {:.3f} ms  p99 {:.3f} ms  rows {}\n", rm, Percentile(raw_ms, 0.99), raw_rows);
  fmt::print("  ratio steward/raw (median): {:.2f}x  (target <= 2x)\n", sm / rm);
  if (steward_rows != raw_rows) fmt::print("  WARNING: row counts differ\n");
  return 0;
}

int Erase(const std::string& engine, const std::string& dsn_a, const std::string& dsn_b, int64_t customers, int subjects) {
  auto a = Must(connect::Open({.engine = engine, .dsn = dsn_a}), "open A");
  auto b = Must(connect::Open({.engine = engine, .dsn = dsn_b}), "open B");
  EnsureGenerated(*a, customers);
  EnsureGenerated(*b, customers);
  connect::Schema schema_a, schema_b;
  fulfil::Dataset da = LoadShop(engine, dsn_a, *a, schema_a);
  fulfil::Dataset db = LoadShop(engine, dsn_b, *b, schema_b);
  const fulfil::Graph ga = fulfil::BuildGraph(da, schema_a), gb = fulfil::BuildGraph(db, schema_b);
  const InstanceKey key = InstanceKey::Generate();
  const Date today = *ParseDate("2026-11-24");
  std::vector<int64_t> people;
  for (int64_t i = 1; i <= customers && static_cast<int>(people.size()) < subjects; i += std::max<int64_t>(1, customers / subjects)) {
    people.push_back(i);
  }
  // Raw: the rows each person's erasure changes, known in advance (not timed).
  std::vector<fulfil::ErasurePlan> plans;
  for (int64_t who : people) {
    plans.push_back(Must(fulfil::PlanErasure(gb, *b, {{"email", fulfil::ExampleEmail(who)}}, key, today), "plan B"));
  }
  Raw raw(engine, dsn_b);
  const auto r0 = Steady::now();
  int64_t raw_changed = 0;
  for (const auto& plan : plans) {
    raw.Exec("BEGIN");
    for (const auto& change : plan.changes) {
      for (const auto& k : change.keys) {
        std::string sql;
        std::vector<std::string> params;
        if (change.op == connect::Change::Op::kDelete) {
          sql = fmt::format("DELETE FROM {} WHERE ", change.table);
        } else {
          sql = fmt::format("UPDATE {} SET ", change.table);
          for (size_t i = 0; i < change.set.size(); ++i) {
            sql += fmt::format("{}{} = ?", i ? ", " : "", change.set[i].first);
            params.push_back(change.set[i].second.text);  // NULLs: set below
          }
          // NULL values cannot travel as text here: inline them.
          for (size_t i = 0; i < change.set.size(); ++i) {
            if (change.set[i].second.null()) {
              const std::string placeholder = fmt::format("{} = ?", change.set[i].first);
              sql.replace(sql.find(placeholder), placeholder.size(), change.set[i].first + " = NULL");
            }
          }
          std::vector<std::string> kept;
          for (size_t i = 0; i < change.set.size(); ++i) {
            if (!change.set[i].second.null()) kept.push_back(params[i]);
          }
          params = kept;
          sql += " WHERE ";
        }
        for (size_t i = 0; i < change.key_columns.size(); ++i) {
          sql += fmt::format("{}{} = ?", i ? " AND " : "", change.key_columns[i]);
          params.push_back(k[i].text);
        }
        raw.Query(sql, params, nullptr);
        ++raw_changed;
      }
    }
    raw.Exec("COMMIT");
  }
  const double raw_s = Ms(Steady::now() - r0) / 1000;

  const auto s0 = Steady::now();
  int64_t changed = 0;
  for (int64_t who : people) {
    const std::vector<fulfil::IdentityValue> id = {{"email", fulfil::ExampleEmail(who)}};
    auto plan = Must(fulfil::PlanErasure(ga, *a, id, key, today), "plan A");
    changed += Must(fulfil::ApplyPlan(*a, plan), "apply A");
    auto residual = Must(fulfil::Recheck(ga, *a, id, plan), "recheck A");
    if (!residual.empty()) Die("residual data after erasure");
  }
  const double steward_s = Ms(Steady::now() - s0) / 1000;
  const double n = static_cast<double>(people.size());
  fmt::print("erase {} customers={} subjects={}\n", engine, customers, people.size());
  fmt::print("  steward (plan + apply + re-check): {:.1f} subjects/s ({} rows changed, {:.2f} s)\n", n / steward_s, changed, steward_s);
  fmt::print("  raw UPDATE/DELETE of the same rows: {:.1f} subjects/s ({} statements, {:.2f} s)\n", n / raw_s, raw_changed, raw_s);
  fmt::print("  ratio steward/raw (throughput): {:.0f}%  (target >= 50%)\n", 100.0 * raw_s / steward_s);
  return 0;
}

// The peak resident set since the last ResetPeak (Linux: VmHWM, reset through clear_refs).
long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  }
  return -1;
}
void ResetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }
long CurrentRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

// Peak memory of building one access package, for a person with few rows and then for one with
// ROWS marketing events: the rows stream to files, so the peak must not grow with them.
int Memory(const std::string& engine, const std::string& dsn, int64_t rows) {
  auto conn = Must(connect::Open({.engine = engine, .dsn = dsn}), "open");
  EnsureGenerated(*conn, 100);
  auto inv = Must(inventory::LoadInventoryFile(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/inventory.yaml"), "inventory");
  connect::Schema schema;
  fulfil::Dataset d = LoadShop(engine, dsn, *conn, schema);
  const fulfil::Graph g = fulfil::BuildGraph(d, schema);
  const InstanceKey key = InstanceKey::Generate();
  const auto scratch = std::filesystem::temp_directory_path() / ("steward-bench-mem-" + RandomBase32(6));
  auto package = [&](int64_t who) {
    auto writer = Must(fulfil::PackageWriter::Create(scratch / "tmp", inv,
                                                     {.request_id = "bench", .request_type = "access",
                                                      .today = *ParseDate("2026-11-24")}),
                       "package");
    const auto t0 = Steady::now();
    Must(fulfil::Traverse(g, *conn, {{"email", fulfil::ExampleEmail(who)}}, writer->ForDataset(g)), "traverse");
    auto summary = Must(writer->Finish(key, scratch / "package.sealed"), "finish");
    return std::pair{summary.rows, Ms(Steady::now() - t0)};
  };
  ResetPeak();
  const long base = CurrentRssKb();
  auto [small_rows, small_ms] = package(2);
  const long after_small = PeakRssKb();
  // Customer 1 gets ROWS marketing events.
  std::vector<connect::Row> batch;
  for (int64_t i = 0; i < rows; ++i) {
    batch.push_back({{connect::Kind::kInt, std::to_string(10'000'000 + i)}, {connect::Kind::kInt, "1"},
                     connect::Cell::Text(i % 2 ? "open" : "click"), connect::Cell::Text("bench"),
                     connect::Cell::Text("2026-11-01 10:00:00")});
    if (batch.size() == 50'000 || i + 1 == rows) {
      Must(conn->BulkInsert("marketing_events", {"id", "customer_id", "kind", "campaign", "at"}, batch), "load");
      batch.clear();
    }
  }
  ResetPeak();
  const long before_big = CurrentRssKb();
  auto [big_rows, big_ms] = package(1);
  const long after_big = PeakRssKb();
  std::filesystem::remove_all(scratch);
  fmt::print("memory {} (peak resident set, KiB)\n", engine);
  fmt::print("  person with {} rows: package in {:.0f} ms, peak {} KiB above the {} KiB before it\n", small_rows,
             small_ms, after_small - base, base);
  fmt::print("  person with {} rows: package in {:.0f} ms, peak {} KiB above the {} KiB before it\n", big_rows, big_ms,
             after_big - before_big, before_big);
  return 0;
}

// A retention sweep that anonymizes about 10% of CUSTOMERS customers (closed accounts past their
// period), beside raw SQL making the same updates on an identical copy, in batches of 1000 rows
// with one transaction each.
int Retention(const std::string& engine, const std::string& dsn_a, const std::string& dsn_b, int64_t customers) {
  auto a = Must(connect::Open({.engine = engine, .dsn = dsn_a}), "open A");
  auto b = Must(connect::Open({.engine = engine, .dsn = dsn_b}), "open B");
  EnsureGenerated(*a, customers);
  EnsureGenerated(*b, customers);
  connect::Schema schema;
  fulfil::Dataset d = LoadShop(engine, dsn_a, *a, schema);
  // Only the closed-accounts rule, with the period that expires closest to 10% of customers.
  fulfil::RetentionRule rule;
  for (auto& c : d.collections) {
    for (auto& r : c.retention) {
      if (r.name == "closed_accounts") rule = r;
    }
    c.retention.clear();
  }
  const Date today = *ParseDate("2026-11-24");
  int best_months = 12;
  int64_t best = -1;
  for (int months = 1; months <= 60; ++months) {
    const std::string cutoff = FormatDate(AddMonthsClamped(today, -months));
    int64_t n = 0;
    Must(a->RunSelect("SELECT count(*) FROM " + a->TableName("customers") + " WHERE closed_at < ?", {connect::Cell::Text(cutoff)}, 1,
                      [&](const connect::Row& r) -> Status {
                        n = std::stoll(r[0].text);
                        return {};
                      }),
         "count");
    if (best < 0 || std::llabs(n - customers / 10) < std::llabs(best - customers / 10)) {
      best = n;
      best_months = months;
    }
  }
  rule.count = best_months;
  rule.unit = "months";
  for (auto& c : d.collections) {
    if (c.name == "customers") c.retention = {rule};
  }
  const std::string cutoff = FormatDate(AddMonthsClamped(today, -best_months));
  const auto dir = std::filesystem::temp_directory_path() / ("steward-bench-ret-" + RandomBase32(6));
  std::filesystem::create_directories(dir);
  auto store = Must(store::OpenSqliteStore(dir / "steward.db"), "store");
  const InstanceKey key = InstanceKey::Generate();
  ManualClock clock(*ParseTimestamp("2026-11-24T20:00:00Z"));

  // Raw: the same keyset walk and the same new values, written by hand.
  Raw raw(engine, dsn_b);
  const auto r0 = Steady::now();
  int64_t raw_rows = 0;
  std::string last = "0";
  for (;;) {
    nlohmann::json rows = nlohmann::json::array();
    raw.Query("SELECT id, email, birth_date FROM customers WHERE closed_at < ? AND (phone IS NOT NULL OR first_name IS NOT "
              "NULL OR last_name IS NOT NULL) AND id > ? ORDER BY id LIMIT 1000",
              {cutoff, last}, &rows);
    if (rows.empty()) break;
    raw.Exec("BEGIN");
    for (const auto& row : rows) {
      const std::string email = row["email"];
      const std::string birth = row["birth_date"].is_null() ? "" : row["birth_date"].get<std::string>();
      const std::string pseudonym = "anon-" + key.KeyedHash("erasure-pseudonym", email).substr(0, 12) + "@anonymized.invalid";
      raw.Query("UPDATE customers SET email = ?, phone = NULL, first_name = NULL, last_name = NULL, birth_date = ? WHERE id = ?",
                {pseudonym, birth.substr(0, 4) + "-01-01", row["id"].get<std::string>()}, nullptr);
    }
    raw.Exec("COMMIT");
    raw_rows += static_cast<int64_t>(rows.size());
    last = rows.back()["id"].get<std::string>();
  }
  const double raw_s = Ms(Steady::now() - r0) / 1000;

  retention::Sweeper sweeper({d}, *store, key, clock);
  const auto s0 = Steady::now();
  auto report = Must(sweeper.Run({.batch = 1000}), "sweep");
  const double steward_s = Ms(Steady::now() - s0) / 1000;
  std::filesystem::remove_all(dir);
  fmt::print("retention {} customers={} rule: anonymize accounts closed more than {} months ago\n", engine, customers,
             best_months);
  fmt::print("  steward sweep: {} rows in {:.2f} s = {:.0f} rows/s ({})\n", report.rows, steward_s,
             static_cast<double>(report.rows) / steward_s, report.status);
  fmt::print("  raw SQL:       {} rows in {:.2f} s = {:.0f} rows/s\n", raw_rows, raw_s, static_cast<double>(raw_rows) / raw_s);
  fmt::print("  ratio steward/raw (throughput): {:.0f}%  (target >= 50%)\n", 100.0 * raw_s / steward_s);
  if (report.rows != raw_rows) fmt::print("  WARNING: row counts differ\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 5 && args[0] == "access") return Access(args[1], args[2], std::stoll(args[3]), std::stoi(args[4]));
  if (args.size() == 5 && args[0] == "retention") return Retention(args[1], args[2], args[3], std::stoll(args[4]));
  if (args.size() == 4 && args[0] == "memory") return Memory(args[1], args[2], std::stoll(args[3]));
  if (args.size() == 6 && args[0] == "erase") {
    return Erase(args[1], args[2], args[3], std::stoll(args[4]), std::stoi(args[5]));
  }
  fmt::print(stderr, "usage: fulfil_bench access ENGINE DSN CUSTOMERS SAMPLES\n"
                     "       fulfil_bench erase ENGINE DSN_A DSN_B CUSTOMERS SUBJECTS\n"
                     "       fulfil_bench memory ENGINE DSN ROWS\n"
                     "       fulfil_bench retention ENGINE DSN_A DSN_B CUSTOMERS\n");
  return 2;
}
