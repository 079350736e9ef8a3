// The embedded SQLite implementation of store::Store: one connection, WAL journal, foreign
// keys on, transactions serialized by a mutex (SQLite allows one writer at a time anyway).
#include <sqlite3.h>

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <mutex>

#include "store/sqlite/migrations.h"
#include "store/store.h"

namespace steward::store {
namespace {

Error SqlError(sqlite3* db, std::string_view what) {
  int code = sqlite3_errcode(db);
  ErrorCode ec = (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL || code == SQLITE_IOERR ||
                  code == SQLITE_CANTOPEN || code == SQLITE_READONLY)
                     ? ErrorCode::kUnavailable
                     : ErrorCode::kInternal;
  return Error{ec, fmt::format("store: {}: {}", what, sqlite3_errmsg(db)), {}};
}

// Prepared statements of one connection, kept for its lifetime, so a statement is compiled once
// rather than on every call. Used only under the store's mutex.
class StmtCache {
 public:
  ~StmtCache() { Clear(); }
  void Clear() {
    for (auto& [_, st] : cache_) sqlite3_finalize(st);
    cache_.clear();
  }
  sqlite3_stmt* Get(sqlite3* db, std::string_view sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr) !=
        SQLITE_OK) {
      return nullptr;
    }
    cache_.emplace(std::string(sql), st);
    return st;
  }

 private:
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

// A cached prepared statement with positional binds; reset and unbound on destruction.
class Stmt {
 public:
  Stmt(sqlite3* db, StmtCache& cache, std::string_view sql) : db_(db), stmt_(cache.Get(db, sql)) {}
  ~Stmt() {
    if (stmt_) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Stmt& Bind(const std::string& v) {
    sqlite3_bind_text(stmt_, ++n_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindNullable(const std::string& v) {
    if (v.empty()) {
      sqlite3_bind_null(stmt_, ++n_);
      return *this;
    }
    return Bind(v);
  }
  Stmt& Bind(int64_t v) {
    sqlite3_bind_int64(stmt_, ++n_, v);
    return *this;
  }
  Stmt& Bind(int v) { return Bind(static_cast<int64_t>(v)); }
  Stmt& Bind(bool v) { return Bind(static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& BindNull() {
    sqlite3_bind_null(stmt_, ++n_);
    return *this;
  }

  // SQLITE_ROW → true, SQLITE_DONE → false, else error.
  Result<bool> Step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return std::unexpected(SqlError(db_, "step"));
  }
  Status Run() {
    auto r = Step();
    if (!r) return std::unexpected(r.error());
    return Ok();
  }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int n_ = 0;
};

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Error e{ErrorCode::kInternal, fmt::format("store: {}", err ? err : "exec failed"), {}};
    sqlite3_free(err);
    if (sqlite3_errcode(db) == SQLITE_BUSY) e.code = ErrorCode::kUnavailable;
    return std::unexpected(e);
  }
  return Ok();
}

#define PREPARE(var, sql)                                                      \
  Stmt var(db_, cache_, sql);                                                  \
  if (!var.ok()) return std::unexpected(SqlError(db_, "prepare"))

constexpr const char* kRequestColumns =
    "id, type, jurisdiction, status, channel, received_at, received_date, confirm_by, due_at, original_due_at, "
    "extended, extension_reason, subject_key, identity_sealed, agent_sealed, agent_authority, agent_confirmed, "
    "verification_level, data_points, signed_declaration, code_hash, code_expires_at, code_attempts, codes_sent, "
    "verified_at, denial_reason, denial_detail, denial_explanation, responded_at, responded_date, outcome_note, "
    "status_token_hash, lookback_all, appeal_of, updated_at, version, notice_version";

RequestRow ReadRequest(const Stmt& s) {
  RequestRow r;
  int c = 0;
  r.id = s.Text(c++);
  r.type = s.Text(c++);
  r.jurisdiction = s.Text(c++);
  r.status = s.Text(c++);
  r.channel = s.Text(c++);
  r.received_at = s.Int(c++);
  r.received_date = s.Text(c++);
  r.confirm_by = s.Text(c++);
  r.due_at = s.Text(c++);
  r.original_due_at = s.Text(c++);
  r.extended = s.Int(c++) != 0;
  r.extension_reason = s.Text(c++);
  r.subject_key = s.Text(c++);
  r.identity_sealed = s.Text(c++);
  r.agent_sealed = s.Text(c++);
  r.agent_authority = s.Text(c++);
  r.agent_confirmed = s.Int(c++) != 0;
  r.verification_level = s.Text(c++);
  r.data_points = static_cast<int>(s.Int(c++));
  r.signed_declaration = s.Int(c++) != 0;
  r.code_hash = s.Text(c++);
  r.code_expires_at = s.Int(c++);
  r.code_attempts = static_cast<int>(s.Int(c++));
  r.codes_sent = static_cast<int>(s.Int(c++));
  r.verified_at = s.Int(c++);
  r.denial_reason = s.Text(c++);
  r.denial_detail = s.Text(c++);
  r.denial_explanation = s.Text(c++);
  r.responded_at = s.Int(c++);
  r.responded_date = s.Text(c++);
  r.outcome_note = s.Text(c++);
  r.status_token_hash = s.Text(c++);
  r.lookback_all = s.Int(c++) != 0;
  r.appeal_of = s.Text(c++);
  r.updated_at = s.Int(c++);
  r.version = s.Int(c++);
  r.notice_version = s.Int(c++);
  return r;
}

// Binds every request column after id in kRequestColumns order.
void BindRequestBody(Stmt& s, const RequestRow& r) {
  s.Bind(r.type).Bind(r.jurisdiction).Bind(r.status).Bind(r.channel).Bind(r.received_at).Bind(r.received_date)
      .BindNullable(r.confirm_by).Bind(r.due_at).Bind(r.original_due_at).Bind(r.extended)
      .BindNullable(r.extension_reason).Bind(r.subject_key).Bind(r.identity_sealed).BindNullable(r.agent_sealed)
      .BindNullable(r.agent_authority).Bind(r.agent_confirmed).Bind(r.verification_level).Bind(r.data_points)
      .Bind(r.signed_declaration).BindNullable(r.code_hash).Bind(r.code_expires_at).Bind(r.code_attempts)
      .Bind(r.codes_sent).Bind(r.verified_at).BindNullable(r.denial_reason).BindNullable(r.denial_detail)
      .BindNullable(r.denial_explanation).Bind(r.responded_at).BindNullable(r.responded_date)
      .BindNullable(r.outcome_note).Bind(r.status_token_hash).Bind(r.lookback_all).BindNullable(r.appeal_of)
      .Bind(r.updated_at);
}

MessageRow ReadMessage(const Stmt& s) {
  MessageRow m;
  m.id = s.Int(0);
  m.request_id = s.Text(1);
  m.kind = s.Text(2);
  m.channel = s.Text(3);
  m.recipient_sealed = s.Text(4);
  m.subject = s.Text(5);
  m.body_sealed = s.Text(6);
  m.status = s.Text(7);
  m.attempts = static_cast<int>(s.Int(8));
  m.next_attempt_at = s.Int(9);
  m.last_error = s.Text(10);
  m.created_at = s.Int(11);
  m.sent_at = s.Int(12);
  return m;
}
constexpr const char* kMessageColumns =
    "id, request_id, kind, channel, recipient_sealed, subject, body_sealed, status, attempts, next_attempt_at, "
    "last_error, created_at, sent_at";

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(sqlite3* db, StmtCache& cache) : db_(db), cache_(cache) {}

  Status InsertRequest(const RequestRow& r) override {
    PREPARE(s, fmt::format("INSERT INTO requests ({}) VALUES (?{})", kRequestColumns, Placeholders(36)));
    s.Bind(r.id);
    BindRequestBody(s, r);
    s.Bind(int64_t{1}).Bind(r.notice_version);
    return s.Run();
  }

  Status UpdateRequest(RequestRow& r) override {
    PREPARE(s,
            "UPDATE requests SET type=?, jurisdiction=?, status=?, channel=?, received_at=?, received_date=?, "
            "confirm_by=?, due_at=?, original_due_at=?, extended=?, extension_reason=?, subject_key=?, "
            "identity_sealed=?, agent_sealed=?, agent_authority=?, agent_confirmed=?, verification_level=?, "
            "data_points=?, signed_declaration=?, code_hash=?, code_expires_at=?, code_attempts=?, codes_sent=?, "
            "verified_at=?, denial_reason=?, denial_detail=?, denial_explanation=?, responded_at=?, "
            "responded_date=?, outcome_note=?, status_token_hash=?, lookback_all=?, appeal_of=?, updated_at=?, "
            "version=version+1 WHERE id=? AND version=?");
    BindRequestBody(s, r);
    s.Bind(r.id).Bind(r.version);
    RETURN_IF_ERROR(s.Run());
    if (sqlite3_changes(db_) != 1) {
      return Fail(ErrorCode::kConflict, "the request changed while this action ran; reload it and try again");
    }
    ++r.version;
    return Ok();
  }

  Result<std::optional<RequestRow>> GetRequest(const std::string& id) override {
    PREPARE(s, fmt::format("SELECT {} FROM requests WHERE id=?", kRequestColumns));
    s.Bind(id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<RequestRow>();
    return std::optional<RequestRow>(ReadRequest(s));
  }

  Result<std::vector<RequestRow>> ListRequests(const RequestFilter& f) override {
    std::string sql = fmt::format("SELECT {} FROM requests WHERE 1=1", kRequestColumns);
    if (!f.status.empty()) sql += " AND status=?";
    if (!f.type.empty()) sql += " AND type=?";
    if (!f.jurisdiction.empty()) sql += " AND jurisdiction=?";
    if (!f.due_before.empty()) sql += " AND due_at<?";
    if (f.received_from) sql += " AND received_at>=?";
    if (f.received_until) sql += " AND received_at<?";
    sql += " ORDER BY due_at, received_at LIMIT ?";
    PREPARE(s, sql);
    if (!f.status.empty()) s.Bind(f.status);
    if (!f.type.empty()) s.Bind(f.type);
    if (!f.jurisdiction.empty()) s.Bind(f.jurisdiction);
    if (!f.due_before.empty()) s.Bind(f.due_before);
    if (f.received_from) s.Bind(f.received_from);
    if (f.received_until) s.Bind(f.received_until);
    s.Bind(f.limit);
    std::vector<RequestRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadRequest(s));
    }
    return out;
  }

  Result<int> CountCountableRequests(const std::string& subject_key, const std::vector<std::string>& types,
                                     int64_t since, const std::string& exclude_id) override {
    if (types.empty()) return 0;
    std::string sql =
        "SELECT COUNT(*) FROM requests WHERE subject_key=? AND received_at>=? AND id<>? AND status NOT IN "
        "('received','awaiting_verification','cancelled') AND COALESCE(denial_reason,'') NOT IN "
        "('unverifiable','limit_reached') AND type IN (";
    for (size_t i = 0; i < types.size(); ++i) sql += i ? ",?" : "?";
    sql += ")";
    PREPARE(s, sql);
    s.Bind(subject_key).Bind(since).Bind(exclude_id);
    for (const auto& t : types) s.Bind(t);
    ASSIGN_OR_RETURN(bool row, s.Step());
    return row ? static_cast<int>(s.Int(0)) : 0;
  }

  Status AppendEvent(EventRow& e) override {
    PREPARE(q, "SELECT COALESCE(MAX(seq),0)+1 FROM request_events WHERE request_id=?");
    q.Bind(e.request_id);
    ASSIGN_OR_RETURN(bool has, q.Step());
    e.seq = has ? static_cast<int>(q.Int(0)) : 1;
    PREPARE(s,
            "INSERT INTO request_events (request_id, seq, at, actor, kind, from_status, to_status, reason, "
            "is_public) VALUES (?,?,?,?,?,?,?,?,?)");
    s.Bind(e.request_id).Bind(e.seq).Bind(e.at).Bind(e.actor).Bind(e.kind).BindNullable(e.from_status)
        .BindNullable(e.to_status).BindNullable(e.reason).Bind(e.is_public);
    return s.Run();
  }

  Result<std::vector<EventRow>> ListEvents(const std::string& request_id) override {
    PREPARE(s,
            "SELECT request_id, seq, at, actor, kind, from_status, to_status, reason, is_public FROM "
            "request_events WHERE request_id=? ORDER BY seq");
    s.Bind(request_id);
    std::vector<EventRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(EventRow{s.Text(0), static_cast<int>(s.Int(1)), s.Int(2), s.Text(3), s.Text(4), s.Text(5),
                             s.Text(6), s.Text(7), s.Int(8) != 0});
    }
    return out;
  }

  Result<AuditHead> GetAuditHead() override {
    PREPARE(s,
            "SELECT (SELECT value FROM meta WHERE key='audit_head_seq'), "
            "(SELECT value FROM meta WHERE key='audit_head_hash')");
    ASSIGN_OR_RETURN(bool row, s.Step());
    const std::string seq = row ? s.Text(0) : "";
    const std::string hash = row ? s.Text(1) : "";
    if (seq.empty() || hash.empty()) return Fail(ErrorCode::kInternal, "store: the audit head is missing from meta");
    AuditHead head;
    auto [end, ec] = std::from_chars(seq.data(), seq.data() + seq.size(), head.seq);
    if (ec != std::errc() || end != seq.data() + seq.size()) {
      return Fail(ErrorCode::kInternal, "store: the audit head sequence in meta is not a number");
    }
    head.hash = hash;
    return head;
  }

  Status AppendAudit(const AuditRow& a) override {
    PREPARE(s, "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)");
    s.Bind(a.seq).Bind(a.at).Bind(a.actor).Bind(a.action).Bind(a.subject).Bind(a.detail).Bind(a.prev_hash).Bind(a.hash);
    RETURN_IF_ERROR(s.Run());
    PREPARE(u1, "UPDATE meta SET value=? WHERE key='audit_head_seq'");
    u1.Bind(std::to_string(a.seq));
    RETURN_IF_ERROR(u1.Run());
    PREPARE(u2, "UPDATE meta SET value=? WHERE key='audit_head_hash'");
    u2.Bind(a.hash);
    return u2.Run();
  }

  Result<std::vector<AuditRow>> ListAudit(int64_t after_seq, int limit) override {
    PREPARE(s, "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log WHERE seq>? ORDER BY seq LIMIT ?");
    s.Bind(after_seq).Bind(limit);
    std::vector<AuditRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(AuditRow{s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6), s.Text(7)});
    }
    return out;
  }

  Status InsertToken(const TokenRow& t) override {
    PREPARE(s, "INSERT INTO api_tokens (id, token_hash, role, label, created_at, revoked_at) VALUES (?,?,?,?,?,?)");
    s.Bind(t.id).Bind(t.token_hash).Bind(t.role).Bind(t.label).Bind(t.created_at).Bind(t.revoked_at);
    return s.Run();
  }

  Result<std::optional<TokenRow>> FindTokenByHash(const std::string& token_hash) override {
    PREPARE(s, "SELECT id, token_hash, role, label, created_at, revoked_at FROM api_tokens WHERE token_hash=?");
    s.Bind(token_hash);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<TokenRow>();
    return std::optional<TokenRow>(TokenRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5)});
  }

  Result<std::vector<TokenRow>> ListTokens() override {
    PREPARE(s, "SELECT id, '', role, label, created_at, revoked_at FROM api_tokens ORDER BY created_at");
    std::vector<TokenRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(TokenRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5)});
    }
    return out;
  }

  Result<int64_t> EnqueueMessage(const MessageRow& m) override {
    PREPARE(s,
            "INSERT INTO outbox (request_id, kind, channel, recipient_sealed, subject, body_sealed, status, attempts, "
            "next_attempt_at, last_error, created_at, sent_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    s.BindNullable(m.request_id).Bind(m.kind).Bind(m.channel).Bind(m.recipient_sealed).Bind(m.subject)
        .Bind(m.body_sealed).Bind(m.status).Bind(m.attempts).Bind(m.next_attempt_at).BindNullable(m.last_error)
        .Bind(m.created_at).Bind(m.sent_at);
    RETURN_IF_ERROR(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Result<std::vector<MessageRow>> LeaseDueMessages(int64_t now, int64_t lease_until, int limit) override {
    std::vector<MessageRow> out;
    {
      PREPARE(s, fmt::format("SELECT {} FROM outbox WHERE status='pending' AND next_attempt_at<=? ORDER BY "
                             "next_attempt_at, id LIMIT ?", kMessageColumns));
      s.Bind(now).Bind(limit);
      while (true) {
        ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        out.push_back(ReadMessage(s));
      }
    }
    for (auto& m : out) {
      PREPARE(u, "UPDATE outbox SET next_attempt_at=? WHERE id=?");
      u.Bind(lease_until).Bind(m.id);
      RETURN_IF_ERROR(u.Run());
      m.next_attempt_at = lease_until;
    }
    return out;
  }

  Status UpdateMessage(const MessageRow& m) override {
    PREPARE(s,
            "UPDATE outbox SET body_sealed=?, status=?, attempts=?, next_attempt_at=?, last_error=?, sent_at=? "
            "WHERE id=?");
    s.Bind(m.body_sealed).Bind(m.status).Bind(m.attempts).Bind(m.next_attempt_at).BindNullable(m.last_error)
        .Bind(m.sent_at).Bind(m.id);
    return s.Run();
  }

  Result<int64_t> InsertNoticeVersion(const NoticeVersionRow& n) override {
    PREPARE(s,
            "INSERT INTO notice_versions (kind, format, content_hash, inventory_hash, effective_date, published_at, "
            "published_by, content) VALUES (?,?,?,?,?,?,?,?)");
    s.Bind(n.kind).Bind(n.format).Bind(n.content_hash).Bind(n.inventory_hash).Bind(n.effective_date).Bind(n.published_at)
        .Bind(n.published_by).Bind(n.content);
    RETURN_IF_ERROR(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Result<std::vector<NoticeVersionRow>> ListNoticeVersions(const std::string& kind, const std::string& format) override {
    PREPARE(s,
            "SELECT id, kind, format, content_hash, inventory_hash, effective_date, published_at, published_by FROM "
            "notice_versions WHERE (?='' OR kind=?) AND (?='' OR format=?) ORDER BY id DESC");
    s.Bind(kind).Bind(kind).Bind(format).Bind(format);
    std::vector<NoticeVersionRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(NoticeVersionRow{s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6), s.Text(7), ""});
    }
    return out;
  }

  Result<std::optional<NoticeVersionRow>> GetNoticeVersion(int64_t id) override {
    PREPARE(s,
            "SELECT id, kind, format, content_hash, inventory_hash, effective_date, published_at, published_by, content "
            "FROM notice_versions WHERE id=?");
    s.Bind(id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<NoticeVersionRow>();
    return std::optional<NoticeVersionRow>(
        NoticeVersionRow{s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6), s.Text(7), s.Text(8)});
  }

  static constexpr const char* kPackageColumns =
      "id, request_id, token_hash, file, bytes, created_at, expires_at, deleted_at";
  static PackageRow ReadPackage(Stmt& s) {
    return PackageRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5), s.Int(6), s.Int(7)};
  }

  Status InsertPackage(const PackageRow& p) override {
    PREPARE(s, "INSERT INTO packages (id, request_id, token_hash, file, bytes, created_at, expires_at, deleted_at) "
               "VALUES (?,?,?,?,?,?,?,?)");
    s.Bind(p.id).Bind(p.request_id).Bind(p.token_hash).Bind(p.file).Bind(p.bytes).Bind(p.created_at)
        .Bind(p.expires_at).Bind(p.deleted_at);
    return s.Run();
  }

  Result<std::optional<PackageRow>> FindPackageByTokenHash(const std::string& token_hash) override {
    PREPARE(s, fmt::format("SELECT {} FROM packages WHERE token_hash=?", kPackageColumns));
    s.Bind(token_hash);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<PackageRow>();
    return std::optional<PackageRow>(ReadPackage(s));
  }

  Result<std::vector<PackageRow>> ListPackages(const std::string& request_id) override {
    PREPARE(s, fmt::format("SELECT {} FROM packages WHERE request_id=? ORDER BY created_at", kPackageColumns));
    s.Bind(request_id);
    std::vector<PackageRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadPackage(s));
    }
    return out;
  }

  Result<std::vector<PackageRow>> ListExpiredPackages(int64_t now) override {
    PREPARE(s, fmt::format("SELECT {} FROM packages WHERE deleted_at=0 AND expires_at<=? ORDER BY expires_at",
                           kPackageColumns));
    s.Bind(now);
    std::vector<PackageRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadPackage(s));
    }
    return out;
  }

  Status MarkPackageDeleted(const std::string& id, int64_t at) override {
    PREPARE(s, "UPDATE packages SET deleted_at=? WHERE id=?");
    s.Bind(at).Bind(id);
    return s.Run();
  }

  Status AddSuppression(const SuppressionRow& r) override {
    PREPARE(s, "INSERT OR IGNORE INTO suppression (identifier_hash, kind, reason, request_id, added_at) "
               "VALUES (?,?,?,?,?)");
    s.Bind(r.identifier_hash).Bind(r.kind).Bind(r.reason).Bind(r.request_id).Bind(r.added_at);
    return s.Run();
  }

  Result<bool> IsSuppressed(const std::string& identifier_hash) override {
    PREPARE(s, "SELECT 1 FROM suppression WHERE identifier_hash=?");
    s.Bind(identifier_hash);
    return s.Step();
  }

  Status InsertRetentionRun(const RetentionRunRow& r) override {
    PREPARE(s, "INSERT INTO retention_runs (id, started_at, finished_at, dry_run, trigger, status, report) "
               "VALUES (?,?,?,?,?,?,?)");
    s.Bind(r.id).Bind(r.started_at).Bind(r.finished_at).Bind(static_cast<int64_t>(r.dry_run)).Bind(r.trigger)
        .Bind(r.status).Bind(r.report);
    return s.Run();
  }

  Status UpdateRetentionRun(const RetentionRunRow& r) override {
    PREPARE(s, "UPDATE retention_runs SET finished_at=?, status=?, report=? WHERE id=?");
    s.Bind(r.finished_at).Bind(r.status).Bind(r.report).Bind(r.id);
    return s.Run();
  }

  Result<std::vector<RetentionRunRow>> ListRetentionRuns(int limit) override {
    PREPARE(s, "SELECT id, started_at, finished_at, dry_run, trigger, status, report FROM retention_runs "
               "ORDER BY started_at DESC, rowid DESC LIMIT ?");
    s.Bind(static_cast<int64_t>(limit));
    std::vector<RetentionRunRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back({s.Text(0), s.Int(1), s.Int(2), s.Int(3) != 0, s.Text(4), s.Text(5), s.Text(6)});
    }
    return out;
  }

  Status UpsertRetentionProgress(const RetentionProgressRow& r) override {
    PREPARE(s, "INSERT INTO retention_progress (run_id, dataset, rule, last_key, rows, done) VALUES (?,?,?,?,?,?) "
               "ON CONFLICT (run_id, dataset, rule) DO UPDATE SET last_key=excluded.last_key, rows=excluded.rows, "
               "done=excluded.done");
    s.Bind(r.run_id).Bind(r.dataset).Bind(r.rule);
    if (r.last_key) s.Bind(*r.last_key); else s.BindNull();
    s.Bind(r.rows).Bind(static_cast<int64_t>(r.done));
    return s.Run();
  }

  Result<std::vector<RetentionProgressRow>> ListRetentionProgress(const std::string& run_id) override {
    PREPARE(s, "SELECT run_id, dataset, rule, last_key, rows, done FROM retention_progress WHERE run_id=?");
    s.Bind(run_id);
    std::vector<RetentionProgressRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      RetentionProgressRow p{s.Text(0), s.Text(1), s.Text(2), std::nullopt, s.Int(4), s.Int(5) != 0};
      if (!s.IsNull(3)) p.last_key = s.Text(3);
      out.push_back(std::move(p));
    }
    return out;
  }

  Status InsertScanRun(const ScanRunRow& r) override {
    PREPARE(s, "INSERT INTO scan_runs (id, started_at, finished_at, actor, targets, against, findings, undeclared, report) "
               "VALUES (?,?,?,?,?,?,?,?,?)");
    s.Bind(r.id).Bind(r.started_at).Bind(r.finished_at).Bind(r.actor).Bind(r.targets).Bind(r.against).Bind(r.findings)
        .Bind(r.undeclared).Bind(r.report);
    return s.Run();
  }

  Result<std::vector<ScanRunRow>> ListScanRuns(int limit) override {
    PREPARE(s, "SELECT id, started_at, finished_at, actor, targets, against, findings, undeclared FROM scan_runs "
               "ORDER BY started_at DESC, rowid DESC LIMIT ?");
    s.Bind(static_cast<int64_t>(limit));
    std::vector<ScanRunRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back({s.Text(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6), s.Int(7), ""});
    }
    return out;
  }

  Result<std::optional<ScanRunRow>> GetScanRun(const std::string& id) override {
    PREPARE(s, "SELECT id, started_at, finished_at, actor, targets, against, findings, undeclared, report FROM scan_runs WHERE id=?");
    s.Bind(id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<ScanRunRow>{};
    return std::optional<ScanRunRow>{ScanRunRow{s.Text(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6), s.Int(7), s.Text(8)}};
  }

  Status AppendConsentEvent(ConsentEventRow& r) override {
    PREPARE(s, "INSERT INTO consent_events (subject, purpose, choice, source, jurisdiction, notice_version, at, detail) "
               "VALUES (?,?,?,?,?,?,?,?)");
    s.Bind(r.subject).Bind(r.purpose).Bind(r.choice).Bind(r.source).Bind(r.jurisdiction).Bind(r.notice_version)
        .Bind(r.at).Bind(r.detail);
    RETURN_IF_ERROR(s.Run());
    r.seq = sqlite3_last_insert_rowid(db_);
    return Ok();
  }

  static ConsentEventRow ReadConsent(Stmt& s) {
    return {s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6), s.Int(7), s.Text(8)};
  }

  Result<std::vector<ConsentEventRow>> ListConsentEvents(int64_t after_seq, int limit) override {
    PREPARE(s, "SELECT seq, subject, purpose, choice, source, jurisdiction, notice_version, at, detail "
               "FROM consent_events WHERE seq > ? ORDER BY seq LIMIT ?");
    s.Bind(after_seq).Bind(static_cast<int64_t>(limit));
    std::vector<ConsentEventRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadConsent(s));
    }
    return out;
  }

  Result<std::vector<ConsentEventRow>> ListConsentEventsFor(const std::string& subject) override {
    PREPARE(s, "SELECT seq, subject, purpose, choice, source, jurisdiction, notice_version, at, detail "
               "FROM consent_events WHERE subject = ? ORDER BY seq");
    s.Bind(subject);
    std::vector<ConsentEventRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadConsent(s));
    }
    return out;
  }

  Result<std::vector<MessageRow>> ListMessages(const std::string& request_id, const std::string& status,
                                               int limit) override {
    std::string sql = fmt::format("SELECT {} FROM outbox WHERE 1=1", kMessageColumns);
    if (!request_id.empty()) sql += " AND request_id=?";
    if (!status.empty()) sql += " AND status=?";
    sql += " ORDER BY id DESC LIMIT ?";
    PREPARE(s, sql);
    if (!request_id.empty()) s.Bind(request_id);
    if (!status.empty()) s.Bind(status);
    s.Bind(limit);
    std::vector<MessageRow> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadMessage(s));
    }
    return out;
  }

 private:
  static std::string Placeholders(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += ",?";
    return out;
  }
  sqlite3* db_;
  StmtCache& cache_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override {
    cache_.Clear();
    sqlite3_close_v2(db_);
  }

  Status Write(const std::function<Status(Transaction&)>& fn) override { return Run(fn, "BEGIN IMMEDIATE", true); }
  Status Read(const std::function<Status(Transaction&)>& fn) override { return Run(fn, "BEGIN", false); }

 private:
  Status Run(const std::function<Status(Transaction&)>& fn, const char* begin, bool commit) {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(Exec(db_, begin));
    SqliteTransaction tx(db_, cache_);
    Status st = fn(tx);
    if (!st || !commit) {
      (void)Exec(db_, "ROLLBACK");
      return st;
    }
    Status c = Exec(db_, "COMMIT");
    if (!c) {
      (void)Exec(db_, "ROLLBACK");
      return c;
    }
    return Ok();
  }

  std::mutex mu_;
  sqlite3* db_;
  StmtCache cache_;
};

}  // namespace

int SchemaVersion() { return static_cast<int>(sqlite::Migrations().size()); }

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::filesystem::path& path, const SqliteOptions& options) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Fail(ErrorCode::kUnavailable, fmt::format("cannot open the store: {}", msg), path.string());
  }
  auto store = std::make_unique<SqliteStore>(db);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  if (options.synchronous != "FULL" && options.synchronous != "NORMAL") {
    return Fail(ErrorCode::kInvalidArgument, "synchronous must be FULL or NORMAL", "store.synchronous");
  }
  RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(Exec(db, fmt::format("PRAGMA synchronous={}", options.synchronous).c_str()));
  RETURN_IF_ERROR(Exec(db, "PRAGMA foreign_keys=ON"));
  RETURN_IF_ERROR(sqlite::ApplyMigrations(db));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace steward::store
