// Small helpers shared by the route files of the HTTP API.
#pragma once

#include <nlohmann/json.hpp>

#include "http/server.h"

namespace steward::http {

// A JSON response. Invalid UTF-8 is replaced rather than thrown on: a response is always produced.
inline Response Json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace steward::http
