// Store: Steward's own state (requests, their events, the audit log, API tokens, the outbox)
// behind one interface, so the embedded SQLite store and a PostgreSQL store are interchangeable.
//
// All access goes through Store::Write or Store::Read, which run a callback inside one
// transaction: Write commits when the callback returns success and rolls back otherwise, so a
// failed operation changes nothing. A Store is safe to use from several threads; transactions
// are serialized. Rows are plain data: the meaning of their fields belongs to the callers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace steward::store {

struct RequestRow {
  std::string id;
  std::string type;
  std::string jurisdiction;
  std::string status;
  std::string channel;
  int64_t received_at = 0;      // unix ms
  std::string received_date;    // business-local civil date
  std::string confirm_by;       // date or empty when the jurisdiction needs no receipt confirmation
  std::string due_at;           // date
  std::string original_due_at;  // date before any extension
  bool extended = false;
  std::string extension_reason;
  std::string subject_key;      // keyed hash of the normalized primary identifier
  std::string identity_sealed;  // sealed JSON of what the requester gave
  std::string agent_sealed;     // sealed JSON of the agent, or empty
  std::string agent_authority;  // signed_permission | power_of_attorney | parent_guardian | empty
  bool agent_confirmed = false;
  std::string verification_level;  // none | reasonable | reasonably_high
  int data_points = 0;
  bool signed_declaration = false;
  std::string code_hash;
  int64_t code_expires_at = 0;
  int code_attempts = 0;
  int codes_sent = 0;
  int64_t verified_at = 0;
  std::string denial_reason;
  std::string denial_detail;
  std::string denial_explanation;
  int64_t responded_at = 0;
  std::string responded_date;
  std::string outcome_note;
  std::string status_token_hash;
  bool lookback_all = false;
  std::string appeal_of;
  int64_t updated_at = 0;
  int64_t version = 0;  // bumped by every update; UpdateRequest refuses a stale row
  int64_t notice_version = 0;  // the privacy policy version in force at receipt (0: none published)
};

struct RequestFilter {
  std::string status;
  std::string type;
  std::string jurisdiction;
  std::string due_before;  // date; rows due strictly before it
  int64_t received_from = 0;  // unix ms, inclusive; 0 = no bound
  int64_t received_until = 0;  // unix ms, exclusive; 0 = no bound
  int limit = 500;
};

struct EventRow {
  std::string request_id;
  int seq = 0;
  int64_t at = 0;
  std::string actor;
  std::string kind;
  std::string from_status;
  std::string to_status;
  std::string reason;
  bool is_public = true;  // shown to the consumer
};

struct AuditRow {
  int64_t seq = 0;
  int64_t at = 0;
  std::string actor;
  std::string action;
  std::string subject;
  std::string detail;
  std::string prev_hash;
  std::string hash;
};

struct AuditHead {
  int64_t seq = 0;         // 0 when the log is empty
  std::string hash;        // the genesis hash when empty
};

struct TokenRow {
  std::string id;
  std::string token_hash;
  std::string role;
  std::string label;
  int64_t created_at = 0;
  int64_t revoked_at = 0;
};

struct MessageRow {
  int64_t id = 0;
  std::string request_id;
  std::string kind;      // receipt | verification_code | extension | outcome | …
  std::string channel;   // email | sms
  std::string recipient_sealed;
  std::string subject;
  std::string body_sealed;  // emptied once delivered
  std::string status;    // pending | sent | failed
  int attempts = 0;
  int64_t next_attempt_at = 0;
  std::string last_error;
  int64_t created_at = 0;
  int64_t sent_at = 0;
};

struct NoticeVersionRow {
  int64_t id = 0;
  std::string kind;    // policy | collection | gdpr | ropa
  std::string format;  // md | html
  std::string content_hash;
  std::string inventory_hash;
  std::string effective_date;
  int64_t published_at = 0;
  std::string published_by;
  std::string content;  // empty in listings
};

struct PackageRow {
  std::string id;
  std::string request_id;
  std::string token_hash;  // keyed hash of the download token (the token itself is never stored)
  std::string file;        // the encrypted file, relative to the packages directory
  int64_t bytes = 0;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t deleted_at = 0;  // 0 while the file exists
};

struct SuppressionRow {
  std::string identifier_hash;  // keyed hash of a normalized identifier
  std::string kind;             // email | phone | account_id
  std::string reason;           // erased | unsubscribed
  std::string request_id;
  int64_t added_at = 0;
};

struct RetentionRunRow {
  std::string id;
  int64_t started_at = 0;
  int64_t finished_at = 0;  // 0 while running (or after a crash)
  bool dry_run = false;
  std::string trigger;      // cli | schedule | api
  std::string status;       // running | done | partial
  std::string report;       // JSON
};

struct RetentionProgressRow {
  std::string run_id, dataset, rule;  // rule: collection.rule
  std::optional<std::string> last_key;  // the last key swept, in key order
  int64_t rows = 0;
  bool done = false;
};

// A recorded `steward scan --record`: what was scanned and what was found (masked), for the admin.
struct ScanRunRow {
  std::string id;           // scan_…
  int64_t started_at = 0, finished_at = 0;
  std::string actor;        // cli
  std::string targets;      // JSON array of what was scanned (DSN passwords removed)
  std::string against;      // the inventory or manifest compared with; empty when none
  int64_t findings = 0;     // findings reported (before grouping)
  int64_t undeclared = 0;   // drift: undeclared findings
  std::string report;       // JSON: grouped findings, problems, drift (scan::ReportWriter::RecordJson)
};

// One entry of the consent ledger.
struct ConsentEventRow {
  int64_t seq = 0;
  std::string subject;       // "s:"+keyed hash of an identifier, or "d:"+keyed hash of a device id
  std::string purpose;       // a purpose id, or sale_sharing | sensitive_limit | processing
  std::string choice;        // opt_in | opt_out | withdrawn | opt_in_requested | object | override | restrict | unrestrict | age | link
  std::string source;        // form | gpc | api | import | request | admin
  std::string jurisdiction;
  int64_t notice_version = 0;
  int64_t at = 0;
  std::string detail;        // age value, the linked key, the overriding grounds …
};

// One transaction's view of the store. Valid only inside the Write/Read callback.
class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual Status InsertRequest(const RequestRow& row) = 0;
  // Writes `row` if its version still matches the stored one, then bumps row.version;
  // conflict when another writer got there first.
  virtual Status UpdateRequest(RequestRow& row) = 0;
  virtual Result<std::optional<RequestRow>> GetRequest(const std::string& id) = 0;
  virtual Result<std::vector<RequestRow>> ListRequests(const RequestFilter& filter) = 0;
  // Requests of `types` for `subject_key` received at or after `since`, excluding `exclude_id`,
  // not denied as unverifiable or over the limit.
  virtual Result<int> CountCountableRequests(const std::string& subject_key, const std::vector<std::string>& types,
                                             int64_t since, const std::string& exclude_id) = 0;

  // Appends an event with the next seq for its request (row.seq is set).
  virtual Status AppendEvent(EventRow& row) = 0;
  virtual Result<std::vector<EventRow>> ListEvents(const std::string& request_id) = 0;

  virtual Result<AuditHead> GetAuditHead() = 0;
  // Appends row (seq must be head.seq + 1) and moves the head.
  virtual Status AppendAudit(const AuditRow& row) = 0;
  virtual Result<std::vector<AuditRow>> ListAudit(int64_t after_seq, int limit) = 0;

  virtual Status InsertToken(const TokenRow& row) = 0;
  virtual Result<std::optional<TokenRow>> FindTokenByHash(const std::string& token_hash) = 0;
  virtual Result<std::vector<TokenRow>> ListTokens() = 0;

  virtual Result<int64_t> EnqueueMessage(const MessageRow& row) = 0;
  // Pending messages due at `now`, oldest first; each is leased (next_attempt_at = lease_until)
  // so a second worker does not take it too.
  virtual Result<std::vector<MessageRow>> LeaseDueMessages(int64_t now, int64_t lease_until, int limit) = 0;
  virtual Status UpdateMessage(const MessageRow& row) = 0;
  virtual Result<std::vector<MessageRow>> ListMessages(const std::string& request_id, const std::string& status,
                                                       int limit) = 0;

  // Appends a published notice version; returns its id.
  virtual Result<int64_t> InsertNoticeVersion(const NoticeVersionRow& row) = 0;
  // Newest first, without content; kind/format empty = all.
  virtual Result<std::vector<NoticeVersionRow>> ListNoticeVersions(const std::string& kind, const std::string& format) = 0;
  // With content.
  virtual Result<std::optional<NoticeVersionRow>> GetNoticeVersion(int64_t id) = 0;

  virtual Status InsertPackage(const PackageRow& row) = 0;
  virtual Result<std::optional<PackageRow>> FindPackageByTokenHash(const std::string& token_hash) = 0;
  virtual Result<std::vector<PackageRow>> ListPackages(const std::string& request_id) = 0;
  // Packages whose files still exist and expired at or before `now`.
  virtual Result<std::vector<PackageRow>> ListExpiredPackages(int64_t now) = 0;
  virtual Status MarkPackageDeleted(const std::string& id, int64_t at) = 0;

  // Adds the hash unless present (idempotent).
  virtual Status AddSuppression(const SuppressionRow& row) = 0;
  virtual Result<bool> IsSuppressed(const std::string& identifier_hash) = 0;

  virtual Status InsertRetentionRun(const RetentionRunRow& row) = 0;
  virtual Status UpdateRetentionRun(const RetentionRunRow& row) = 0;
  // Newest first.
  virtual Result<std::vector<RetentionRunRow>> ListRetentionRuns(int limit) = 0;
  virtual Status UpsertRetentionProgress(const RetentionProgressRow& row) = 0;
  virtual Result<std::vector<RetentionProgressRow>> ListRetentionProgress(const std::string& run_id) = 0;

  // Appends (row.seq is set).
  virtual Status InsertScanRun(const ScanRunRow& row) = 0;
  // Newest first, without their reports (report left empty).
  virtual Result<std::vector<ScanRunRow>> ListScanRuns(int limit) = 0;
  virtual Result<std::optional<ScanRunRow>> GetScanRun(const std::string& id) = 0;

  virtual Status AppendConsentEvent(ConsentEventRow& row) = 0;
  // Events after `after_seq`, oldest first, at most `limit`.
  virtual Result<std::vector<ConsentEventRow>> ListConsentEvents(int64_t after_seq, int limit) = 0;
  virtual Result<std::vector<ConsentEventRow>> ListConsentEventsFor(const std::string& subject) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs fn in a write transaction; commits on success, rolls back on error.
  virtual Status Write(const std::function<Status(Transaction&)>& fn) = 0;
  // Runs fn in a read transaction (a consistent snapshot); never commits changes.
  virtual Status Read(const std::function<Status(Transaction&)>& fn) = 0;
};

struct SqliteOptions {
  // FULL fsyncs every commit (durable across power loss); NORMAL is durable across crashes of
  // the process only. Steward defaults to FULL: requests are legal records.
  std::string synchronous = "FULL";
  int busy_timeout_ms = 5000;
};

// Opens (creating if needed) the SQLite store at `path` and applies pending migrations.
// unavailable when the file cannot be opened; internal when a migration fails.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::filesystem::path& path, const SqliteOptions& options = {});

// The schema version the code expects.
int SchemaVersion();

}  // namespace steward::store
