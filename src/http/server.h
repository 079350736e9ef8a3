// An HTTP/1.1 server on Boost.Beast: keep-alive, a body-size limit, read timeouts, and a
// handler called for each complete request. Handlers run on the server's I/O threads and must
// be thread-safe. Start binds (port 0 picks a free port); Run blocks until Stop.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/error.h"

namespace steward::http {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string path;    // without the query string, percent-decoded
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
  std::string client_ip;

  std::string Header(const std::string& lowercase_name) const;
  std::string Query(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;
};

using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 4;
  size_t body_limit = 64 * 1024;
  std::chrono::seconds read_timeout{30};
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the bound port. unavailable when the address is taken.
  Result<uint16_t> Start();
  // Serves on `threads` threads until Stop; returns when they have all finished.
  void Run();
  // Thread-safe and async-signal-unsafe; call from any thread (not a signal handler).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "%41" → "A", "+" → " " (in query strings); invalid escapes are kept as they are.
std::string PercentDecode(std::string_view s, bool plus_is_space);

}  // namespace steward::http
