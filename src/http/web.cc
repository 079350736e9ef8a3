#include "http/web.h"

#include <span>
#include <string>

#include "core/embedded.h"

namespace steward::http {
namespace {

std::string_view ContentType(std::string_view path) {
  if (path.ends_with(".html")) return "text/html; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  if (path.ends_with(".json")) return "application/json";
  if (path.ends_with(".ico")) return "image/x-icon";
  if (path.ends_with(".png")) return "image/png";
  return "application/octet-stream";
}

const embedded::File* Find(std::string_view path) {
  for (const embedded::File& f : embedded::WebFiles())
    if (f.path == path) return &f;
  return nullptr;
}

}  // namespace

void AddPageHeaders(Response& r) {
  r.headers["Content-Security-Policy"] =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.headers["Referrer-Policy"] = "no-referrer";
  r.headers["X-Frame-Options"] = "DENY";
}

std::optional<Response> ServeWebFile(const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  std::string_view path = request.path;
  if (path.empty() || path[0] != '/' || path.find("..") != std::string_view::npos) return std::nullopt;
  std::string name(path.substr(1));
  if (name.empty()) name = "index.html";
  if (name.ends_with("/")) name += "index.html";
  const embedded::File* file = Find(name);
  if (file == nullptr) file = Find(name + ".html");
  if (file == nullptr) file = Find(name + "/index.html");
  if (file == nullptr) return std::nullopt;
  Response r{.status = 200, .content_type = std::string(ContentType(file->path)), .body = std::string(file->bytes)};
  AddPageHeaders(r);
  r.headers["Cache-Control"] = "no-cache";  // revalidate: a new release's pages show at once
  if (request.method == "HEAD") r.body.clear();
  return r;
}

}  // namespace steward::http
