#include "audit/audit.h"

#include <fmt/format.h>

#include "core/secrets.h"

namespace steward::audit {

std::string HashOf(const store::AuditRow& row) {
  std::string buf;
  auto add = [&](std::string_view field) {
    buf += std::to_string(field.size());
    buf += ':';
    buf += field;
    buf += ';';
  };
  add(std::to_string(row.seq));
  add(std::to_string(row.at));
  add(row.actor);
  add(row.action);
  add(row.subject);
  add(row.detail);
  add(row.prev_hash);
  return Sha256Hex(buf);
}

Status Append(store::Transaction& tx, TimePoint at, const Entry& entry) {
  ASSIGN_OR_RETURN(store::AuditHead head, tx.GetAuditHead());
  store::AuditRow row{head.seq + 1, ToMillis(at), entry.actor, entry.action, entry.subject,
                      entry.detail.empty() ? "{}" : entry.detail, head.hash, ""};
  row.hash = HashOf(row);
  return tx.AppendAudit(row);
}

Result<VerifyReport> Verify(store::Store& store) {
  VerifyReport report;
  RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::AuditHead head, tx.GetAuditHead());
    std::string prev(64, '0');
    int64_t expected_seq = 1;
    auto broken = [&](int64_t seq, std::string problem) {
      report.intact = false;
      report.first_broken_seq = seq;
      report.problem = std::move(problem);
    };
    while (report.intact) {
      ASSIGN_OR_RETURN(auto batch, tx.ListAudit(expected_seq - 1, 1000));
      if (batch.empty()) break;
      for (const auto& row : batch) {
        if (row.seq != expected_seq) {
          broken(expected_seq, fmt::format("entry {} is missing (next present is {})", expected_seq, row.seq));
          break;
        }
        if (row.prev_hash != prev) {
          broken(row.seq, "its link to the previous entry does not match (an entry before it was changed or removed)");
          break;
        }
        if (HashOf(row) != row.hash) {
          broken(row.seq, "its contents do not match its hash (the entry was edited)");
          break;
        }
        prev = row.hash;
        ++expected_seq;
        ++report.entries;
      }
    }
    if (report.intact && (head.seq != report.entries || head.hash != prev)) {
      broken(report.entries + 1, fmt::format("the log ends at entry {} but the recorded head is entry {} "
                                             "(entries were removed from the end)", report.entries, head.seq));
    }
    return Ok();
  }));
  return report;
}

}  // namespace steward::audit
