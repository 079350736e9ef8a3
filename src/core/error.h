// Error and Result: how every fallible Steward function reports failure.
//
// `Result<T>` is `std::expected<T, Error>`. An `Error` carries a machine code, a message a
// person can act on, and the field, path or file:line it concerns. One table maps codes to
// HTTP statuses and one to CLI exit codes, so the two faces never disagree.
// Values are plain data and safe to copy between threads.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace steward {

enum class ErrorCode {
  kInvalidArgument,     // the caller's input is wrong; fix it and retry
  kUnauthenticated,     // no or unknown credentials
  kPermissionDenied,    // credentials fine, role not allowed
  kNotFound,            // no such thing (or not visible to this caller)
  kConflict,            // the thing's current state forbids the change
  kPayloadTooLarge,     // body over the configured limit
  kRateLimited,         // too many requests from this client
  kUnavailable,         // a dependency is down; retry later
  kInternal,            // a bug or an unexpected failure
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;  // the input field, file:line or path concerned; may be empty
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = Result<void>;

// Builds an Error. Message and field often echo untrusted input, so both are made printable
// (invalid UTF-8 and control bytes escaped, length bounded): safe for terminals and JSON.
Error MakeError(ErrorCode code, std::string_view message, std::string_view field = {});

inline std::unexpected<Error> Fail(ErrorCode code, std::string_view message, std::string_view field = {}) {
  return std::unexpected(MakeError(code, message, field));
}
inline Status Ok() { return {}; }

// "invalid_argument", "not_found", … — the `code` in HTTP error bodies.
std::string_view ErrorCodeName(ErrorCode code);
// The HTTP status for an error code (400, 401, 403, 404, 409, 413, 429, 503, 500).
int HttpStatusFor(ErrorCode code);
// The CLI exit code for an error (always 2: 0 is ok/found and 1 is "nothing found").
int ExitCodeFor(ErrorCode code);

}  // namespace steward

#define STEWARD_CONCAT_INNER(a, b) a##b
#define STEWARD_CONCAT(a, b) STEWARD_CONCAT_INNER(a, b)

// Returns the error of a Status/Result expression from the enclosing function.
#define RETURN_IF_ERROR(expr)                                     \
  do {                                                            \
    auto&& steward_status_ = (expr);                              \
    if (!steward_status_) return std::unexpected(steward_status_.error()); \
  } while (0)

// Declares `lhs` from a Result expression, or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(STEWARD_CONCAT(steward_r_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)          \
  auto tmp = (expr);                                   \
  if (!tmp) return std::unexpected(std::move(tmp.error())); \
  lhs = std::move(*tmp)
