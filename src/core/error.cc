#include "core/error.h"

#include "core/text.h"

namespace steward {
namespace {

struct CodeRow {
  ErrorCode code;
  std::string_view name;
  int http_status;
};

// The one table from error codes to names and HTTP statuses.
constexpr CodeRow kCodeTable[] = {
    {ErrorCode::kInvalidArgument, "invalid_argument", 400},
    {ErrorCode::kUnauthenticated, "unauthenticated", 401},
    {ErrorCode::kPermissionDenied, "permission_denied", 403},
    {ErrorCode::kNotFound, "not_found", 404},
    {ErrorCode::kConflict, "conflict", 409},
    {ErrorCode::kPayloadTooLarge, "payload_too_large", 413},
    {ErrorCode::kRateLimited, "rate_limited", 429},
    {ErrorCode::kUnavailable, "unavailable", 503},
    {ErrorCode::kInternal, "internal", 500},
};

const CodeRow& RowFor(ErrorCode code) {
  for (const auto& row : kCodeTable) {
    if (row.code == code) return row;
  }
  return kCodeTable[sizeof(kCodeTable) / sizeof(kCodeTable[0]) - 1];
}

}  // namespace

Error MakeError(ErrorCode code, std::string_view message, std::string_view field) {
  return Error{code, Printable(message, 4000), field.empty() ? std::string() : Printable(field, 200)};
}

std::string_view ErrorCodeName(ErrorCode code) { return RowFor(code).name; }
int HttpStatusFor(ErrorCode code) { return RowFor(code).http_status; }
int ExitCodeFor(ErrorCode) { return 2; }

}  // namespace steward
