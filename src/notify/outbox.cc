#include "notify/outbox.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace steward::notify {

Status Enqueue(store::Transaction& tx, const InstanceKey& key, const Message& m, TimePoint now) {
  store::MessageRow row;
  row.request_id = m.request_id;
  row.kind = m.kind;
  row.channel = m.channel;
  row.recipient_sealed = key.Seal(m.recipient);
  row.subject = m.subject;
  row.body_sealed = key.Seal(m.body);
  row.status = "pending";
  row.next_attempt_at = ToMillis(now);
  row.created_at = ToMillis(now);
  auto id = tx.EnqueueMessage(row);
  if (!id) return std::unexpected(id.error());
  return Ok();
}

namespace {

class LogDelivery final : public Delivery {
 public:
  Status Deliver(const Message& m) override {
    spdlog::info("outbox: {} to {} [{}] {}\n{}", m.channel, m.recipient, m.kind, m.subject, m.body);
    return Ok();
  }
};

class SmtpDelivery final : public Delivery {
 public:
  explicit SmtpDelivery(SmtpSettings s) : s_(std::move(s)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Status Deliver(const Message& m) override {
    if (m.channel != "email") return Fail(ErrorCode::kInvalidArgument, "SMTP delivers email only");
    // Header injection: recipient and subject come from our own templates and a validated
    // address, but refuse line breaks anyway.
    if (m.recipient.find_first_of("\r\n<>") != std::string::npos || m.subject.find_first_of("\r\n") != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "recipient or subject contains a line break");
    }
    const std::string payload = fmt::format(
        "From: {}\r\nTo: {}\r\nSubject: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
        s_.from, m.recipient, m.subject, Crlf(m.body));
    CURL* curl = curl_easy_init();
    if (!curl) return Fail(ErrorCode::kUnavailable, "cannot start libcurl");
    Reader reader{payload, 0};
    curl_slist* rcpt = curl_slist_append(nullptr, fmt::format("<{}>", m.recipient).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, s_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, fmt::format("<{}>", s_.from).c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &SmtpDelivery::Read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, s_.timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, s_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    if (!s_.username.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, s_.username.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, s_.password.c_str());
    }
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) return Fail(ErrorCode::kUnavailable, fmt::format("SMTP: {}", curl_easy_strerror(rc)));
    return Ok();
  }

 private:
  struct Reader {
    const std::string& data;
    size_t offset;
  };
  static size_t Read(char* buf, size_t size, size_t n, void* user) {
    auto* r = static_cast<Reader*>(user);
    size_t len = std::min(size * n, r->data.size() - r->offset);
    std::memcpy(buf, r->data.data() + r->offset, len);
    r->offset += len;
    return len;
  }
  // Normalizes line ends to CRLF. libcurl itself doubles a leading dot (RFC 5321 4.5.2).
  static std::string Crlf(const std::string& body) {
    std::string out;
    for (char c : body) {
      if (c == '\r') continue;
      if (c == '\n') out += '\r';
      out += c;
    }
    return out;
  }
  SmtpSettings s_;
};

class WebhookDelivery final : public Delivery {
 public:
  WebhookDelivery(std::function<std::string(const std::string&)> secret_for, const Clock& clock, long timeout)
      : secret_for_(std::move(secret_for)), clock_(clock), timeout_(timeout) {}

  Status Deliver(const Message& m) override {
    if (m.channel != "webhook") return Fail(ErrorCode::kInvalidArgument, "webhook delivery sends webhooks only");
    if (!m.recipient.starts_with("https://") && !m.recipient.starts_with("http://")) {
      return Fail(ErrorCode::kInvalidArgument, "the webhook URL must be http(s)");
    }
    const std::string secret = secret_for_(m.subject);
    if (secret.empty()) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("no signing secret configured for recipient {}", m.subject));
    }
    const std::string timestamp = std::to_string(ToMillis(clock_.Now()) / 1000);
    CURL* curl = curl_easy_init();
    if (!curl) return Fail(ErrorCode::kUnavailable, "cannot start libcurl");
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, ("X-Steward-Timestamp: " + timestamp).c_str());
    headers = curl_slist_append(headers,
                                ("X-Steward-Signature: sha256=" + WebhookSignature(secret, timestamp, m.body)).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, m.recipient.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, m.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(m.body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t n, void*) { return size * n; });
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) return Fail(ErrorCode::kUnavailable, fmt::format("webhook: {}", curl_easy_strerror(rc)));
    if (status >= 200 && status < 300) return Ok();
    const bool retry = status == 408 || status == 429 || status >= 500;
    return Fail(retry ? ErrorCode::kUnavailable : ErrorCode::kInvalidArgument,
                fmt::format("webhook: the endpoint answered HTTP {}", status));
  }

 private:
  std::function<std::string(const std::string&)> secret_for_;
  const Clock& clock_;
  long timeout_;
};

}  // namespace

std::string WebhookSignature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  return HmacSha256Hex(secret, std::string(timestamp) + "." + std::string(body));
}

std::unique_ptr<Delivery> MakeWebhookDelivery(std::function<std::string(const std::string&)> secret_for,
                                              const Clock& clock, long timeout_seconds) {
  return std::make_unique<WebhookDelivery>(std::move(secret_for), clock, timeout_seconds);
}

std::unique_ptr<Delivery> MakeLogDelivery() { return std::make_unique<LogDelivery>(); }
std::unique_ptr<Delivery> MakeSmtpDelivery(const SmtpSettings& settings) {
  return std::make_unique<SmtpDelivery>(settings);
}

OutboxWorker::OutboxWorker(store::Store& store, const InstanceKey& key, const Clock& clock, Delivery& email,
                           Delivery& sms, RetryPolicy policy, Delivery* webhook)
    : store_(store), key_(key), clock_(clock), email_(email), sms_(sms), webhook_(webhook), policy_(policy) {}

Result<RunReport> OutboxWorker::RunOnce(int batch) {
  const int64_t now = ToMillis(clock_.Now());
  std::vector<store::MessageRow> due;
  RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(due, tx.LeaseDueMessages(now, now + policy_.lease.count(), batch));
    return Ok();
  }));
  RunReport report;
  for (auto& row : due) {
    Message m{row.request_id, row.kind, row.channel, "", row.subject, ""};
    Status st = Ok();
    auto recipient = key_.Open(row.recipient_sealed);
    auto body = key_.Open(row.body_sealed);
    if (!recipient || !body) {
      st = Fail(ErrorCode::kInternal, "the message cannot be unsealed with this instance key");
    } else {
      m.recipient = *recipient;
      m.body = *body;
      if (row.channel == "webhook") {
        st = webhook_ ? webhook_->Deliver(m) : Fail(ErrorCode::kUnavailable, "no webhook delivery is running");
      } else {
        st = (row.channel == "sms" ? sms_ : email_).Deliver(m);
      }
    }
    const int64_t done_at = ToMillis(clock_.Now());
    ++row.attempts;
    if (st) {
      row.status = "sent";
      row.sent_at = done_at;
      row.body_sealed.clear();  // delivered: keep the record, not the content
      row.last_error.clear();
      ++report.sent;
    } else {
      row.last_error = st.error().message;
      const bool permanent = st.error().code != ErrorCode::kUnavailable;
      if (permanent || row.attempts >= policy_.max_attempts) {
        row.status = "failed";
        row.body_sealed.clear();
        ++report.failed;
        spdlog::error("outbox: message {} ({}) failed for good after {} attempts: {}", row.id, row.kind,
                      row.attempts, row.last_error);
      } else {
        int64_t delay = policy_.first_delay.count() << std::min(row.attempts - 1, 20);
        row.next_attempt_at = done_at + std::min<int64_t>(delay, policy_.max_delay.count());
        ++report.retrying;
        spdlog::warn("outbox: message {} ({}) attempt {} failed, retrying: {}", row.id, row.kind, row.attempts,
                     row.last_error);
      }
    }
    RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) { return tx.UpdateMessage(row); }));
  }
  return report;
}

}  // namespace steward::notify
