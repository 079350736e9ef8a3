#include "http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>

namespace steward::testing {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = boost::asio::ip::tcp;

struct Connection::Impl {
  boost::asio::io_context io;
  beast::tcp_stream stream{io};
  std::string host;
};

Connection::Connection(const std::string& host, int port) : impl_(std::make_unique<Impl>()) {
  tcp::resolver resolver(impl_->io);
  impl_->stream.connect(resolver.resolve(host, std::to_string(port)));
  impl_->host = host;
}

Connection::~Connection() {
  beast::error_code ec;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

HttpResult Connection::Call(const std::string& method, const std::string& target, const std::string& body,
                            const std::map<std::string, std::string>& headers) {
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, impl_->host);
  if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.keep_alive(true);
  req.prepare_payload();
  bhttp::write(impl_->stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  bhttp::read(impl_->stream, buffer, parser);
  auto res = parser.release();
  HttpResult out{static_cast<int>(res.result_int()), res.body(), {}};
  for (const auto& f : res) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    out.headers[name] = std::string(f.value());
  }
  return out;
}

HttpResult HttpCall(int port, const std::string& method, const std::string& target, const std::string& body,
                    const std::map<std::string, std::string>& headers) {
  Connection c("127.0.0.1", port);
  return c.Call(method, target, body, headers);
}

}  // namespace steward::testing
