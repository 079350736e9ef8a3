#include "http/auth.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "audit/audit.h"

namespace steward::http {

std::string_view Name(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kOperator: return "operator";
    case Role::kAuditor: return "auditor";
    case Role::kDecision: return "decision";
  }
  return "auditor";
}

std::optional<Role> ParseRole(std::string_view s) {
  if (s == "admin") return Role::kAdmin;
  if (s == "operator") return Role::kOperator;
  if (s == "auditor") return Role::kAuditor;
  if (s == "decision") return Role::kDecision;
  return std::nullopt;
}

std::string Principal::ActorId() const { return fmt::format("{}:{}", Name(role), token_id); }

bool Allows(Role role, std::string_view needed) {
  if (needed == "decide") return role == Role::kDecision || role == Role::kAdmin || role == Role::kOperator;
  if (role == Role::kDecision) return false;
  if (needed == "read") return true;
  if (needed == "write") return role == Role::kAdmin || role == Role::kOperator;
  if (needed == "admin") return role == Role::kAdmin;
  return false;
}

TokenService::TokenService(store::Store& store, const InstanceKey& key, const Clock& clock)
    : store_(store), key_(key), clock_(clock), token_hasher_(key.Hasher("api-token")) {}

Result<CreatedToken> TokenService::Create(Role role, const std::string& label, const std::string& actor) {
  if (label.size() > 200) return Fail(ErrorCode::kInvalidArgument, "is longer than 200 characters", "label");
  CreatedToken out{"tok_" + RandomBase32(8), "stw_" + RandomBase32(24)};
  const TimePoint now = clock_.Now();
  RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) -> Status {
    RETURN_IF_ERROR(tx.InsertToken({out.id, key_.KeyedHash("api-token", out.token), std::string(Name(role)), label,
                                    ToMillis(now), 0}));
    return audit::Append(tx, now, {actor, "token.created", out.id,
                                   nlohmann::json{{"role", Name(role)}, {"label", label}}.dump()});
  }));
  return out;
}

Result<Principal> TokenService::Authenticate(std::string_view authorization) {
  constexpr std::string_view kPrefix = "Bearer ";
  if (authorization.substr(0, kPrefix.size()) != kPrefix || authorization.size() > 200) {
    return Fail(ErrorCode::kUnauthenticated, "send Authorization: Bearer <token> (make one with `steward token create`)",
                "authorization");
  }
  const std::string token(authorization.substr(kPrefix.size()));
  const std::string hash = token_hasher_.Hash(token);
  const int64_t now = ToMillis(clock_.Now());
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(hash); it != cache_.end() && it->second.second > now) return it->second.first;
  }
  std::optional<store::TokenRow> row;
  RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(row, tx.FindTokenByHash(hash));
    return Ok();
  }));
  if (!row || row->revoked_at != 0) return Fail(ErrorCode::kUnauthenticated, "the token is not valid", "authorization");
  auto role = ParseRole(row->role);
  if (!role) return Fail(ErrorCode::kInternal, "a stored token has an unknown role");
  Principal principal{row->id, *role};
  std::lock_guard lock(cache_mu_);
  if (cache_.size() > 10000) cache_.clear();
  cache_[hash] = {principal, now + 30'000};
  return principal;
}

}  // namespace steward::http
