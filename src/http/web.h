// The web pages: the privacy center at / and the admin console at /admin, from the files under
// web/ compiled into the binary (no files needed at run time, no third-party origins). Pages
// are served with a strict Content-Security-Policy: scripts and styles from this origin only.
#pragma once

#include <optional>

#include "http/server.h"

namespace steward::http {

// The page or asset for a GET/HEAD of `request.path` ("/" → index.html, "/admin" →
// admin/index.html, "/request" → request.html, "/app.js" → app.js), or nullopt.
std::optional<Response> ServeWebFile(const Request& request);

// Headers every page carries (CSP, no sniffing, no referrer, no framing).
void AddPageHeaders(Response& response);

}  // namespace steward::http
