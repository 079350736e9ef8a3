#include "http/server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <thread>
#include <vector>

namespace steward::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

std::string Request::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

namespace {

Response ErrorResponse(int status, std::string_view code, std::string_view message) {
  Response r;
  r.status = status;
  r.body = fmt::format(R"({{"error":{{"code":"{}","message":"{}","field":null}}}})", code, message);
  return r;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const ServerOptions& options, const Handler& handler)
      : stream_(std::move(socket)), options_(options), handler_(handler) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    client_ip_ = ec ? "" : ep.address().to_string();
  }

  void Start() { asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Read, shared_from_this())); }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(options_.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted) {
      return Close();
    }
    if (ec == bhttp::error::body_limit) {
      return Send(ErrorResponse(413, "payload_too_large",
                                fmt::format("the body is larger than {} bytes", options_.body_limit)),
                  false, 11);
    }
    if (ec) {
      return Send(ErrorResponse(400, "invalid_argument", "the request is not valid HTTP/1.1"), false, 11);
    }
    auto msg = parser_->release();
    Request req;
    req.method = std::string(msg.method_string());
    const std::string target(msg.target());
    const size_t q = target.find('?');
    req.path = PercentDecode(target.substr(0, q), false);
    if (q != std::string::npos) {
      std::string_view qs(target);
      qs.remove_prefix(q + 1);
      while (!qs.empty()) {
        size_t amp = qs.find('&');
        std::string_view pair = qs.substr(0, amp);
        size_t eq = pair.find('=');
        std::string key = PercentDecode(pair.substr(0, eq), true);
        std::string value = eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1), true);
        if (!key.empty()) req.query.emplace(std::move(key), std::move(value));
        if (amp == std::string_view::npos) break;
        qs.remove_prefix(amp + 1);
      }
    }
    for (const auto& field : msg) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      req.headers[name] = std::string(field.value());
    }
    req.body = std::move(msg.body());
    req.client_ip = client_ip_;

    Response res;
    try {
      res = handler_(req);
    } catch (const std::exception& e) {
      spdlog::error("http: handler threw for {} {}: {}", req.method, req.path, e.what());
      res = ErrorResponse(500, "internal", "internal error");
    }
    Send(std::move(res), msg.keep_alive(), msg.version());
  }

  void Send(Response res, bool keep_alive, unsigned version) {
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(res.status), version);
    out->set(bhttp::field::server, "steward");
    out->set(bhttp::field::content_type, res.content_type);
    out->set("X-Content-Type-Options", "nosniff");
    if (res.headers.find("Cache-Control") == res.headers.end()) out->set(bhttp::field::cache_control, "no-store");
    for (const auto& [k, v] : res.headers) out->set(k, v);
    out->body() = std::move(res.body);
    out->keep_alive(keep_alive);
    out->prepare_payload();
    bhttp::async_write(stream_, *out,
                       [self = shared_from_this(), out, keep_alive](beast::error_code ec, size_t) {
                         if (ec || !keep_alive) return self->Close();
                         self->Read();
                       });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  const ServerOptions& options_;
  const Handler& handler_;
  std::string client_ip_;
};

}  // namespace

// One io_context per thread, each run by its own thread: a connection lives on one thread from
// accept to close, so requests never hop between threads (no locks or wake-ups per request).
struct Server::Impl {
  Impl(ServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)) {
    const int n = std::max(1, options.threads);
    for (int i = 0; i < n; ++i) {
      ios.push_back(std::make_unique<asio::io_context>(1));
      guards.push_back(asio::make_work_guard(*ios.back()));
    }
    acceptor.emplace(*ios[0]);
  }

  void Accept() {
    asio::io_context& target = *ios[next++ % ios.size()];
    acceptor->async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), options, handler)->Start();
      Accept();
    });
  }

  ServerOptions options;
  Handler handler;
  std::vector<std::unique_ptr<asio::io_context>> ios;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::optional<tcp::acceptor> acceptor;
  size_t next = 0;  // used on ios[0]'s thread only
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { Stop(); }

Result<uint16_t> Server::Start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, fmt::format("'{}' is not an IP address", impl_->options.address), "listen");
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& a = *impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot listen on {}:{}: {}", impl_->options.address, impl_->options.port, ec.message()),
                "listen");
  }
  impl_->Accept();
  return a.local_endpoint().port();
}

void Server::Run() {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl_->ios.size(); ++i) threads.emplace_back([this, i] { impl_->ios[i]->run(); });
  impl_->ios[0]->run();
  for (auto& t : threads) t.join();
}

void Server::Stop() {
  asio::post(*impl_->ios[0], [this] {
    beast::error_code ec;
    impl_->acceptor->close(ec);
  });
  for (auto& io : impl_->ios) io->stop();
}

}  // namespace steward::http
