// A small blocking HTTP/1.1 client over a real socket, for tests: one connection per call, or
// a kept-alive Connection for several.
#pragma once

#include <map>
#include <memory>
#include <string>

namespace steward::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lowercase names
};

class Connection {
 public:
  Connection(const std::string& host, int port);
  ~Connection();
  HttpResult Call(const std::string& method, const std::string& target, const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

HttpResult HttpCall(int port, const std::string& method, const std::string& target, const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {});

}  // namespace steward::testing
