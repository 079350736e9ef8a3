// Admin console sessions: a staff token exchanged for a session cookie (HttpOnly, SameSite=Strict,
// Secure behind TLS) and a CSRF token that every state-changing call made with the cookie must
// echo in X-CSRF-Token. Sessions live in memory (a restart signs everyone out) for at most 8
// hours; the token behind a session is re-checked on use, so revoking it ends the session.
// Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/auth.h"

namespace steward::http {

inline constexpr std::string_view kSessionCookie = "steward_session";

struct StaffSession {
  std::string id;    // the cookie value (only a hash of it is kept)
  std::string csrf;  // to echo in X-CSRF-Token
  Principal principal;
};

class SessionService {
 public:
  SessionService(TokenService& tokens, const Clock& clock);
  // Signs in with a staff token (not a decision token). unauthenticated for a bad token.
  Result<StaffSession> SignIn(std::string_view token);
  // The session named by a Cookie header (id left empty). unauthenticated when there is none,
  // it expired, or its token was revoked.
  Result<StaffSession> Find(std::string_view cookie_header);
  void SignOut(std::string_view cookie_header);
  // The Set-Cookie value for a new session, and one that clears it.
  static std::string Cookie(const std::string& id, bool secure);
  static std::string ClearCookie(bool secure);

 private:
  struct Entry {
    std::string token, csrf;
    int64_t expires_at = 0;
  };
  static std::string CookieValue(std::string_view cookie_header);
  TokenService& tokens_;
  const Clock& clock_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> sessions_;  // SHA-256 of the id → entry
};

// Constant-time comparison for secrets.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace steward::http
