// The durable outbox: notifications to consumers (receipt, verification code, extension,
// outcome) are written in the same store transaction as the change that causes them, then
// delivered by an OutboxWorker with retries and exponential backoff. A message is never lost
// because a mail server was down, and never sent for a change that rolled back.
//
// Recipients and bodies are sealed at rest with the instance key; a body is erased once the
// message is delivered. OutboxWorker::RunOnce may be called from one thread at a time per
// worker; several workers (processes) can share a store, since messages are leased.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "core/secrets.h"
#include "store/store.h"

namespace steward::notify {

struct Message {
  std::string request_id;  // may be empty
  std::string kind;        // receipt | verification_code | extension | outcome | agent_confirmation
  std::string channel;     // email | sms | webhook
  std::string recipient;   // address, E.164 number, or (webhook) the endpoint URL
  std::string subject;     // (webhook) the inventory recipient id, whose secret signs the body
  std::string body;
};

// Queues `message` inside `tx`. Errors are the store's.
Status Enqueue(store::Transaction& tx, const InstanceKey& key, const Message& message, TimePoint now);

// Where messages go. Deliver returns unavailable for a failure worth retrying.
class Delivery {
 public:
  virtual ~Delivery() = default;
  virtual Status Deliver(const Message& message) = 0;
};

// Writes each message to the server log (the embedded demo's "mailbox").
std::unique_ptr<Delivery> MakeLogDelivery();

struct SmtpSettings {
  std::string url;   // smtp://host:port or smtps://host:port
  std::string from;  // envelope and header sender
  std::string username;
  std::string password;
  bool require_tls = false;
  long timeout_seconds = 20;
};
// Sends email through an SMTP server with libcurl.
std::unique_ptr<Delivery> MakeSmtpDelivery(const SmtpSettings& settings);

// POSTs a message's body (JSON) to its recipient URL, signed: `X-Steward-Timestamp: T` and
// `X-Steward-Signature: sha256=HEX`, the HMAC-SHA256 of "T.BODY" under the recipient's secret.
// `secret_for(recipient id)` gives the secret (empty: none configured, a permanent failure).
// 2xx is delivered; 408, 429, 5xx and network errors are retried; other statuses fail for good.
std::unique_ptr<Delivery> MakeWebhookDelivery(std::function<std::string(const std::string&)> secret_for,
                                              const Clock& clock, long timeout_seconds = 20);
// The signature a webhook receiver checks (hex HMAC-SHA256 of "timestamp.body").
std::string WebhookSignature(std::string_view secret, std::string_view timestamp, std::string_view body);

struct RetryPolicy {
  int max_attempts = 8;
  std::chrono::milliseconds first_delay{30'000};
  std::chrono::milliseconds max_delay{3'600'000};
  std::chrono::milliseconds lease{120'000};
};

struct RunReport {
  int sent = 0;
  int retrying = 0;
  int failed = 0;  // gave up after max_attempts
};

class OutboxWorker {
 public:
  // `email`, `sms` and `webhook` deliver their channels; none is owned. Without a webhook
  // delivery, webhook messages fail (and are retried).
  OutboxWorker(store::Store& store, const InstanceKey& key, const Clock& clock, Delivery& email, Delivery& sms,
               RetryPolicy policy = {}, Delivery* webhook = nullptr);
  // Delivers every message due now (up to `batch`), recording each outcome.
  Result<RunReport> RunOnce(int batch = 50);

 private:
  store::Store& store_;
  const InstanceKey& key_;
  const Clock& clock_;
  Delivery& email_;
  Delivery& sms_;
  Delivery* webhook_;
  RetryPolicy policy_;
};

}  // namespace steward::notify
