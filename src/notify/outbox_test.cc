#include "notify/outbox.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <cstring>

#include <fmt/format.h>

namespace steward::notify {
namespace {

// A minimal SMTP peer on loopback that accepts one message per connection and keeps its DATA.
class SmtpSink {
 public:
  SmtpSink() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 4);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~SmtpSink() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::string data() const { return data_; }
  std::string rcpt() const { return rcpt_; }

 private:
  void Serve() {
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    auto say = [&](const char* s) { (void)!::write(c, s, std::strlen(s)); };
    say("220 sink ESMTP\r\n");
    std::string buf;
    bool in_data = false;
    char chunk[4096];
    while (true) {
      ssize_t n = ::read(c, chunk, sizeof chunk);
      if (n <= 0) break;
      buf.append(chunk, n);
      size_t pos;
      if (in_data) {
        if ((pos = buf.find("\r\n.\r\n")) == std::string::npos) continue;
        data_ = buf.substr(0, pos);
        buf.erase(0, pos + 5);
        in_data = false;
        say("250 queued\r\n");
      }
      while ((pos = buf.find("\r\n")) != std::string::npos && !in_data) {
        std::string line = buf.substr(0, pos);
        buf.erase(0, pos + 2);
        if (line.rfind("EHLO", 0) == 0 || line.rfind("HELO", 0) == 0) say("250 sink\r\n");
        else if (line.rfind("MAIL FROM", 0) == 0) say("250 ok\r\n");
        else if (line.rfind("RCPT TO", 0) == 0) { rcpt_ = line; say("250 ok\r\n"); }
        else if (line == "DATA") { say("354 go on\r\n"); in_data = true; }
        else if (line == "QUIT") { say("221 bye\r\n"); ::close(c); return; }
        else say("502 no\r\n");
      }
      if (in_data && (pos = buf.find("\r\n.\r\n")) != std::string::npos) {
        data_ = buf.substr(0, pos);
        buf.erase(0, pos + 5);
        in_data = false;
        say("250 queued\r\n");
      }
    }
    ::close(c);
  }
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string data_, rcpt_;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("steward-outbox-" + RandomBase32(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::OpenSqliteStore(dir_ / "steward.db"));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Queue(const Message& m) {
    ASSERT_TRUE(store_->Write([&](store::Transaction& tx) { return Enqueue(tx, key_, m, clock_.Now()); }));
  }
  store::MessageRow Only() {
    std::vector<store::MessageRow> rows;
    EXPECT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(rows, tx.ListMessages("", "", 10));
      return Ok();
    }));
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? store::MessageRow{} : rows[0];
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  InstanceKey key_ = InstanceKey::Generate();
  ManualClock clock_{*ParseTimestamp("2026-11-24T10:00:00Z")};
  std::unique_ptr<Delivery> log_ = MakeLogDelivery();
};

TEST_F(OutboxTest, DeliversThroughARealSmtpConversationAndErasesTheBody) {
  SmtpSink sink;
  auto smtp = MakeSmtpDelivery({.url = fmt::format("smtp://127.0.0.1:{}", sink.port()), .from = "privacy@acme.example"});
  Queue({"", "verification_code", "email", "ada@example.com", "Your code", "Your code is 123456.\n.hidden line"});
  EXPECT_EQ(Only().recipient_sealed.find("ada"), std::string::npos);  // sealed at rest
  OutboxWorker worker(*store_, key_, clock_, *smtp, *log_);
  auto report = worker.RunOnce();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->sent, 1);
  EXPECT_NE(sink.rcpt().find("ada@example.com"), std::string::npos);
  EXPECT_NE(sink.data().find("Subject: Your code"), std::string::npos);
  EXPECT_NE(sink.data().find("Your code is 123456."), std::string::npos);
  EXPECT_NE(sink.data().find("\r\n..hidden line"), std::string::npos);  // dot-stuffed
  auto row = Only();
  EXPECT_EQ(row.status, "sent");
  EXPECT_TRUE(row.body_sealed.empty());
  EXPECT_EQ(row.attempts, 1);
}

TEST_F(OutboxTest, AnUnreachableServerIsRetriedWithBackoffThenGivenUp) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  auto smtp = MakeSmtpDelivery({.url = "smtp://127.0.0.1:1", .from = "privacy@acme.example", .timeout_seconds = 5});
  Queue({"", "receipt", "email", "ada@example.com", "Received", "We received your request."});
  RetryPolicy policy{.max_attempts = 3, .first_delay = std::chrono::seconds(30)};
  OutboxWorker worker(*store_, key_, clock_, *smtp, *log_, policy);

  auto r1 = worker.RunOnce();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->retrying, 1);
  auto row = Only();
  EXPECT_EQ(row.status, "pending");
  EXPECT_EQ(row.next_attempt_at, ToMillis(clock_.Now()) + 30'000);
  EXPECT_FALSE(row.last_error.empty());

  EXPECT_EQ(worker.RunOnce()->retrying, 0);  // not due yet
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_EQ(worker.RunOnce()->retrying, 1);
  EXPECT_EQ(Only().next_attempt_at, ToMillis(clock_.Now()) + 60'000);  // doubled
  clock_.Advance(std::chrono::seconds(60));
  auto r3 = worker.RunOnce();
  EXPECT_EQ(r3->failed, 1);
  row = Only();
  EXPECT_EQ(row.status, "failed");
  EXPECT_EQ(row.attempts, 3);
  EXPECT_TRUE(row.body_sealed.empty());
}

TEST_F(OutboxTest, SmsGoesToItsOwnChannel) {
  Queue({"", "verification_code", "sms", "+14155550100", "Code", "123456"});
  auto smtp = MakeSmtpDelivery({.url = "smtp://127.0.0.1:1", .from = "x@y.z"});
  OutboxWorker worker(*store_, key_, clock_, *smtp, *log_);
  EXPECT_EQ(worker.RunOnce()->sent, 1);
}

TEST_F(OutboxTest, LineBreaksInHeadersAreRefusedForGood) {
  SmtpSink sink;
  auto smtp = MakeSmtpDelivery({.url = fmt::format("smtp://127.0.0.1:{}", sink.port()), .from = "a@b.c"});
  Queue({"", "receipt", "email", "ada@example.com\r\nBcc: eve@evil.example", "Hi", "x"});
  OutboxWorker worker(*store_, key_, clock_, *smtp, *log_);
  EXPECT_EQ(worker.RunOnce()->failed, 1);
  // Let the sink's accept return.
  auto ok = MakeSmtpDelivery({.url = fmt::format("smtp://127.0.0.1:{}", sink.port()), .from = "a@b.c"});
  (void)ok->Deliver({"", "k", "email", "x@y.z", "s", "b"});
}

}  // namespace
}  // namespace steward::notify
