// The HTTP API (DESIGN.md "Stable contract"): routes, authentication and roles, per-client
// rate limits on the public routes, and the JSON error shape {"error":{code,message,field}}.
// A thin face over rights::RequestService and friends. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/auth.h"
#include "http/rate_limit.h"
#include "http/server.h"
#include "http/session.h"
#include "consent/ledger.h"
#include "fulfil/runner.h"
#include "retention/sweeper.h"
#include "rights/service.h"
#include "store/store.h"

namespace steward::http {

struct ApiDeps {
  rights::RequestService& requests;
  TokenService& tokens;
  store::Store& store;
  const InstanceKey& key;
  const Clock& clock;
  RateLimiter& public_limiter;
  const inventory::Inventory& inventory;
  fulfil::Runner* runner = nullptr;  // fulfilment against the datasets; null: by hand only
  retention::Sweeper* sweeper = nullptr;
  std::chrono::hours retention_interval{24};  // 0: no schedule
  consent::ConsentService* consent = nullptr;
  SessionService* sessions = nullptr;  // the admin console's cookie sessions; null: Bearer tokens only
};

class Api {
 public:
  explicit Api(ApiDeps deps);
  Response Handle(const Request& request);
  // The (method, path pattern) of every route, e.g. ("POST", "/v1/requests/{id}/verify").
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  using Params = std::map<std::string, std::string>;
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> parts;
    std::string access;  // public | read | write
    std::function<Result<Response>(const Request&, const Params&, const Principal&)> fn;
  };
  void Add(std::string method, std::string pattern, std::string access,
           std::function<Result<Response>(const Request&, const Params&, const Principal&)> fn);
  void AddRoutes();
  Result<Response> Fulfil(const Request& req, const std::string& id, const rights::Actor& actor);
  void AddConsentRoutes();
  void AddWebRoutes();
  // The staff member behind a request: a Bearer token, or a console session cookie (whose
  // state-changing calls must carry the session's CSRF token).
  Result<Principal> Staff(const Request& req) const;

  ApiDeps d_;
  std::vector<Route> routes_;
};

// The error body for `error`.
Response ErrorToResponse(const Error& error);

}  // namespace steward::http
