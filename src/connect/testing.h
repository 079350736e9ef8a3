// Test helpers: one connector per engine on a fresh, empty database. PostgreSQL databases are
// created in the server `scripts/with-postgres` started (STEWARD_TEST_PG_DSN) and dropped after.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "connect/connector.h"
#include "core/secrets.h"

namespace steward::connect::testing {

// Skips the test when no server was started, unless STEWARD_REQUIRE_PG says one must be there.
inline const char* PgAdminDsn() {
  const char* dsn = std::getenv("STEWARD_TEST_PG_DSN");
  return dsn && *dsn ? dsn : nullptr;
}

class TempDatabase {
 public:
  // engine: sqlite | postgres. ok() is false (and the test is marked) when unavailable.
  explicit TempDatabase(const std::string& engine) : engine_(engine) {
    if (engine == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / ("steward-db-" + RandomBase32(8));
      std::filesystem::create_directories(dir_);
      dsn_ = (dir_ / "company.db").string();
      return;
    }
    const char* admin = PgAdminDsn();
    if (!admin) return;
    admin_dsn_ = admin;
    name_ = "steward_t_" + RandomBase32(8);
    auto admin_conn = Open({.engine = "postgres", .dsn = admin_dsn_});
    if (!admin_conn || !(*admin_conn)->ExecScript("CREATE DATABASE " + name_)) return;
    dsn_ = admin_dsn_;
    const size_t pos = dsn_.find("dbname=");
    dsn_ = (pos == std::string::npos ? dsn_ + " " : dsn_.substr(0, pos)) + "dbname=" + name_;
  }
  ~TempDatabase() {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!name_.empty() && !admin_dsn_.empty()) {
      if (auto admin = Open({.engine = "postgres", .dsn = admin_dsn_})) {
        (void)(*admin)->ExecScript("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      }
    }
  }
  bool ok() const { return !dsn_.empty(); }
  const std::string& dsn() const { return dsn_; }
  const std::string& engine() const { return engine_; }
  std::unique_ptr<Connector> Connect() const {
    auto c = Open({.engine = engine_, .dsn = dsn_});
    EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
    return c ? std::move(*c) : nullptr;
  }

 private:
  std::string engine_, dsn_, admin_dsn_, name_;
  std::filesystem::path dir_;
};

// Injects a fault into an otherwise real connector: from the `fail_from`-th Apply on, a change the
// database refuses (a NULL into customers.email, NOT NULL in the example company) follows the real
// ones, so the database itself rolls the whole transaction back.
class FailingApplyConnector final : public Connector {
 public:
  FailingApplyConnector(std::unique_ptr<Connector> real, int fail_from) : real_(std::move(real)), fail_from_(fail_from) {}
  std::string_view engine() const override { return real_->engine(); }
  Result<Schema> Introspect() override { return real_->Introspect(); }
  Result<int64_t> Apply(const std::vector<Change>& changes) override {
    if (++calls_ < fail_from_) return real_->Apply(changes);
    auto poisoned = changes;
    poisoned.push_back({.op = Change::Op::kUpdate, .table = "customers", .key_columns = {"id"},
                        .keys = {{Cell::Text("1")}}, .set = {{"email", Cell::Null()}}});
    return real_->Apply(poisoned);
  }
  Status ExecScript(std::string_view sql) override { return real_->ExecScript(sql); }
  Status BulkInsert(const std::string& t, const std::vector<std::string>& c, const std::vector<Row>& r) override {
    return real_->BulkInsert(t, c, r);
  }
  Status RunSelect(const std::string& sql, const std::vector<Cell>& params, size_t columns,
                   const std::function<Status(const Row&)>& on_row) override {
    return real_->RunSelect(sql, params, columns, on_row);
  }
  std::string TableName(std::string_view table) const override { return real_->TableName(table); }

 private:
  std::unique_ptr<Connector> real_;
  int fail_from_;
  int calls_ = 0;
};

// In a test body: skip (or fail, under `make test`) when PostgreSQL is not available.
#define STEWARD_REQUIRE_DB(db)                                                              \
  do {                                                                                      \
    if (!(db).ok()) {                                                                       \
      if (std::getenv("STEWARD_REQUIRE_PG")) FAIL() << "PostgreSQL test server unavailable"; \
      GTEST_SKIP() << "no PostgreSQL server (run under scripts/with-postgres)";             \
    }                                                                                       \
  } while (0)

}  // namespace steward::connect::testing
