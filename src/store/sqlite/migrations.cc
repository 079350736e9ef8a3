#include "store/sqlite/migrations.h"

#include <fmt/format.h>

#include <chrono>

namespace steward::store::sqlite {

const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {
      // 1: requests, their events, the audit log, API tokens, the outbox.
      R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES
  ('audit_head_seq', '0'),
  ('audit_head_hash', '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  status TEXT NOT NULL,
  channel TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  received_date TEXT NOT NULL,
  confirm_by TEXT,
  due_at TEXT NOT NULL,
  original_due_at TEXT NOT NULL,
  extended INTEGER NOT NULL DEFAULT 0,
  extension_reason TEXT,
  subject_key TEXT NOT NULL,
  identity_sealed TEXT NOT NULL,
  agent_sealed TEXT,
  agent_authority TEXT,
  agent_confirmed INTEGER NOT NULL DEFAULT 0,
  verification_level TEXT NOT NULL,
  data_points INTEGER NOT NULL,
  signed_declaration INTEGER NOT NULL DEFAULT 0,
  code_hash TEXT,
  code_expires_at INTEGER NOT NULL DEFAULT 0,
  code_attempts INTEGER NOT NULL DEFAULT 0,
  codes_sent INTEGER NOT NULL DEFAULT 0,
  verified_at INTEGER NOT NULL DEFAULT 0,
  denial_reason TEXT,
  denial_detail TEXT,
  denial_explanation TEXT,
  responded_at INTEGER NOT NULL DEFAULT 0,
  responded_date TEXT,
  outcome_note TEXT,
  status_token_hash TEXT NOT NULL,
  lookback_all INTEGER NOT NULL DEFAULT 0,
  appeal_of TEXT REFERENCES requests(id),
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX requests_by_due ON requests (status, due_at);
CREATE INDEX requests_by_subject ON requests (subject_key, type, received_at);
CREATE INDEX requests_by_received ON requests (received_at);

CREATE TABLE request_events (
  request_id TEXT NOT NULL REFERENCES requests(id),
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  reason TEXT,
  is_public INTEGER NOT NULL,
  PRIMARY KEY (request_id, seq)
);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
-- Append-only at the database level too; `steward audit verify` catches what gets past this.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id TEXT REFERENCES requests(id),
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  recipient_sealed TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_sealed TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
)sql",
      // 2: published notice versions; requests record the privacy policy version in force.
      R"sql(
CREATE TABLE notice_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  format TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  inventory_hash TEXT NOT NULL,
  effective_date TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  published_by TEXT NOT NULL,
  content TEXT NOT NULL
);
CREATE INDEX notice_versions_by_kind ON notice_versions (kind, format, id);
ALTER TABLE requests ADD COLUMN notice_version INTEGER NOT NULL DEFAULT 0;
)sql",
      // 3: access packages (encrypted files with expiring download links) and the suppression
      // list of keyed hashes of erased people's identifiers.
      R"sql(
CREATE TABLE packages (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES requests(id),
  token_hash TEXT NOT NULL UNIQUE,
  file TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  deleted_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX packages_by_request ON packages (request_id);
CREATE INDEX packages_by_expiry ON packages (deleted_at, expires_at);
CREATE TABLE suppression (
  identifier_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  request_id TEXT NOT NULL,
  added_at INTEGER NOT NULL
);
)sql",
      // 4: retention sweeps: each run, and its progress per rule so an interrupted run resumes.
      R"sql(
CREATE TABLE retention_runs (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL DEFAULT 0,
  dry_run INTEGER NOT NULL,
  trigger TEXT NOT NULL,
  status TEXT NOT NULL,
  report TEXT NOT NULL DEFAULT ''
);
CREATE INDEX retention_runs_by_start ON retention_runs (started_at);
CREATE TABLE retention_progress (
  run_id TEXT NOT NULL REFERENCES retention_runs(id),
  dataset TEXT NOT NULL,
  rule TEXT NOT NULL,
  last_key TEXT,
  rows INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, dataset, rule)
);
)sql",
      // 5: the consent ledger: append-only choices of subjects and devices (keyed hashes only),
      // and the links between them. Current state is derived from it, never stored.
      R"sql(
CREATE TABLE consent_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  subject TEXT NOT NULL,
  purpose TEXT NOT NULL,
  choice TEXT NOT NULL,
  source TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  notice_version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consent_events_by_subject ON consent_events (subject, seq);
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
  BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
  BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
)sql",
      // 6: recorded scans (steward scan --record): findings grouped and masked, drift, problems.
      R"sql(
CREATE TABLE scan_runs (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  targets TEXT NOT NULL,
  against TEXT NOT NULL DEFAULT '',
  findings INTEGER NOT NULL,
  undeclared INTEGER NOT NULL,
  report TEXT NOT NULL
);
CREATE INDEX scan_runs_by_start ON scan_runs (started_at);
)sql",
  };
  return kMigrations;
}

namespace {
Status Exec(sqlite3* db, const std::string& sql, std::string_view what) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Fail(ErrorCode::kInternal, fmt::format("store migration {}: {}", what, msg));
  }
  return Ok();
}

int CurrentVersion(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  int version = 0;
  if (sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(version),0) FROM schema_migrations", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    version = sqlite3_column_int(st, 0);
  }
  sqlite3_finalize(st);
  return version;
}
}  // namespace

Status ApplyMigrations(sqlite3* db) {
  RETURN_IF_ERROR(Exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)", "bootstrap"));
  const auto& migrations = Migrations();
  int current = CurrentVersion(db);
  if (current > static_cast<int>(migrations.size())) {
    return Fail(ErrorCode::kInternal,
                fmt::format("the store is at schema version {} but this steward knows only {}; upgrade steward", current,
                            migrations.size()));
  }
  for (int v = current + 1; v <= static_cast<int>(migrations.size()); ++v) {
    RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE", "begin"));
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    Status st = Exec(db, std::string(migrations[v - 1]), fmt::format("{}", v));
    if (st) st = Exec(db, fmt::format("INSERT INTO schema_migrations (version, applied_at) VALUES ({}, {})", v, now), "record");
    if (!st) {
      (void)Exec(db, "ROLLBACK", "rollback");
      return st;
    }
    RETURN_IF_ERROR(Exec(db, "COMMIT", "commit"));
  }
  return Ok();
}

}  // namespace steward::store::sqlite
