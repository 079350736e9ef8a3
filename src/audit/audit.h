// The audit log: an append-only record of every state change, each entry hash-chained to the
// one before it (SHA-256), so an edit, insertion or deletion anywhere is detected by Verify.
//
// Append runs inside the caller's store transaction: the audited change and its entry commit
// or roll back together. Functions are stateless and thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"

namespace steward::audit {

struct Entry {
  std::string actor;    // "admin:tok_…", "consumer", "system", "cli"
  std::string action;   // "request.received", "request.approved", "token.created", …
  std::string subject;  // what it concerns: a request id, a token id
  std::string detail;   // JSON object with the facts (never raw personal data)
};

// Appends `entry` after the current head. Errors are the store's.
Status Append(store::Transaction& tx, TimePoint at, const Entry& entry);

// The hash an entry must carry: SHA-256 over its length-prefixed fields and prev_hash.
std::string HashOf(const store::AuditRow& row);

struct VerifyReport {
  bool intact = true;
  int64_t entries = 0;
  int64_t first_broken_seq = 0;  // 0 when intact
  std::string problem;           // what is wrong with that entry
};

// Walks the whole log in order, recomputing every hash and link and checking the head.
Result<VerifyReport> Verify(store::Store& store);

}  // namespace steward::audit
