// API tokens and roles. A token is shown once when created; only its keyed hash is stored.
// Roles: admin (everything), operator (works requests), auditor (reads only). Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "core/secrets.h"
#include "store/store.h"

namespace steward::http {

enum class Role { kAdmin, kOperator, kAuditor, kDecision };
std::string_view Name(Role role);
std::optional<Role> ParseRole(std::string_view s);

struct Principal {
  std::string token_id;
  Role role = Role::kAuditor;
  std::string ActorId() const;  // "operator:tok_…"
};

struct CreatedToken {
  std::string id;
  std::string token;  // the secret; never stored
};

class TokenService {
 public:
  TokenService(store::Store& store, const InstanceKey& key, const Clock& clock);
  // Creates a token (audited as token.created by `actor`).
  Result<CreatedToken> Create(Role role, const std::string& label, const std::string& actor);
  // From an Authorization header value: unauthenticated when missing, malformed, unknown or
  // revoked. Valid tokens are remembered for 30 seconds, so the hot decision path does not
  // read the store for each call (a revocation takes effect within that time).
  Result<Principal> Authenticate(std::string_view authorization);

 private:
  store::Store& store_;
  const InstanceKey& key_;
  const Clock& clock_;
  KeyedHasher token_hasher_;
  std::mutex cache_mu_;
  std::unordered_map<std::string, std::pair<Principal, int64_t>> cache_;  // token hash → principal, until
};

// True when `role` may do what `needed` names: "read" (staff: admin, operator, auditor), "write"
// (admin, operator), "admin", or "decide" (the decision API: decision, admin, operator). A
// decision token reads nothing else.
bool Allows(Role role, std::string_view needed);

}  // namespace steward::http
