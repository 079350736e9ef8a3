#include "http/session.h"

#include <sodium.h>

#include "core/secrets.h"

namespace steward::http {
namespace {
constexpr int64_t kSessionMillis = 8LL * 3600 * 1000;
constexpr size_t kMaxSessions = 10000;
}  // namespace

bool SecretsEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

SessionService::SessionService(TokenService& tokens, const Clock& clock) : tokens_(tokens), clock_(clock) {}

Result<StaffSession> SessionService::SignIn(std::string_view token) {
  if (token.empty() || token.size() > 200) return Fail(ErrorCode::kInvalidArgument, "paste a staff token", "token");
  auto principal = tokens_.Authenticate("Bearer " + std::string(token));
  if (!principal) return Fail(ErrorCode::kUnauthenticated, "the token is not valid", "token");
  if (principal->role == Role::kDecision)
    return Fail(ErrorCode::kPermissionDenied, "a decision token cannot sign in to the console", "token");
  StaffSession s{RandomBase32(32), RandomBase32(24), *principal};
  const int64_t now = ToMillis(clock_.Now());
  std::lock_guard lock(mu_);
  if (sessions_.size() >= kMaxSessions) {
    std::erase_if(sessions_, [now](const auto& kv) { return kv.second.expires_at <= now; });
    if (sessions_.size() >= kMaxSessions) return Fail(ErrorCode::kUnavailable, "too many open sessions; try later", "");
  }
  sessions_[Sha256Hex(s.id)] = {std::string(token), s.csrf, now + kSessionMillis};
  return s;
}

std::string SessionService::CookieValue(std::string_view header) {
  const std::string name = std::string(kSessionCookie) + "=";
  size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(pos, end - pos);
    if (pair.starts_with(name)) return std::string(pair.substr(name.size()));
    pos = end;
  }
  return {};
}

Result<StaffSession> SessionService::Find(std::string_view cookie_header) {
  const std::string id = CookieValue(cookie_header);
  if (id.empty() || id.size() > 100) return Fail(ErrorCode::kUnauthenticated, "sign in first", "authorization");
  const std::string key = Sha256Hex(id);
  Entry entry;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(key);
    if (it == sessions_.end() || it->second.expires_at <= ToMillis(clock_.Now())) {
      if (it != sessions_.end()) sessions_.erase(it);
      return Fail(ErrorCode::kUnauthenticated, "your session has ended; sign in again", "authorization");
    }
    entry = it->second;
  }
  auto principal = tokens_.Authenticate("Bearer " + entry.token);
  if (!principal) {
    std::lock_guard lock(mu_);
    sessions_.erase(key);
    return Fail(ErrorCode::kUnauthenticated, "your token was revoked; sign in again", "authorization");
  }
  return StaffSession{"", entry.csrf, *principal};
}

void SessionService::SignOut(std::string_view cookie_header) {
  const std::string id = CookieValue(cookie_header);
  if (id.empty()) return;
  std::lock_guard lock(mu_);
  sessions_.erase(Sha256Hex(id));
}

std::string SessionService::Cookie(const std::string& id, bool secure) {
  return std::string(kSessionCookie) + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800" +
         (secure ? "; Secure" : "");
}

std::string SessionService::ClearCookie(bool secure) {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secure ? "; Secure" : "");
}

}  // namespace steward::http
