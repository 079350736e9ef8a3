// RequestService: consumer rights requests from intake to answer. It files a request (checking
// type, jurisdiction, identity and agent authority), computes its deadlines from the rules,
// sends one-time verification codes, enforces access limits, and moves the request through
// the state machine on admin actions. Every change is one store transaction that also writes
// the request's event, an audit entry and any notification for the outbox, so nothing is ever
// half-applied.
//
// Consumer-facing calls never reveal whether a person is in the data, and answer "not found"
// alike for a missing request and a wrong status token. Thread-safe: all state is in the store.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/secrets.h"
#include "inventory/inventory.h"
#include "rights/rules.h"
#include "rights/types.h"
#include "store/store.h"

namespace steward::rights {

struct AgentInput {
  std::string name;
  std::string email;
  std::string phone;
  std::string authority;     // signed_permission | power_of_attorney | parent_guardian
  std::string document_ref;  // where the signed permission / power of attorney is kept
};

struct IntakeInput {
  std::string type;
  std::string jurisdiction;
  std::string channel = "web";  // web | email | phone | mail | in_person | api
  // Identifying data points: email, phone, name, postal_code, street_address, account_id,
  // date_of_birth, order_number. At least an email or phone to reach the consumer.
  std::map<std::string, std::string> identity;
  bool signed_declaration = false;  // under penalty of perjury, for reasonably-high verification
  std::optional<AgentInput> agent;
  bool lookback_all = false;  // US-CA access: everything since 2022-01-01, not only 12 months
  std::string details;        // correct: what is wrong and what it should be; otherwise optional
  std::string appeal_of;      // appeal: the decided request's id …
  std::string appeal_token;   // … and its status token, proving the appellant made it
};

struct IntakeResult {
  std::string id;
  std::string status;
  std::string status_token;  // shown once; only its keyed hash is stored
  TimePoint received_at;
  std::optional<Date> confirm_by;
  Date due_at;
  std::string verification;  // the level required
};

struct Actor {
  std::string id;    // "admin:tok_…", "cli", "consumer", "system"
  std::string role;  // admin | operator | auditor | consumer | system
};

struct EventView {
  int seq = 0;
  TimePoint at;
  std::string actor, kind, from_status, to_status, reason;
  bool is_public = true;
};

struct RequestView {
  std::string id, type, jurisdiction, status, channel;
  TimePoint received_at;
  std::string received_date, confirm_by, due_at, original_due_at;
  bool extended = false;
  std::string extension_reason;
  std::string verification_level;
  int data_points = 0;
  bool signed_declaration = false;
  bool verified = false;
  bool awaiting_agent_confirmation = false;
  std::string agent_authority;
  std::map<std::string, std::string> identity;  // admin views only
  std::map<std::string, std::string> agent;     // admin views only
  std::string details;                          // admin views only
  std::string denial_reason, denial_detail, denial_explanation;
  std::string outcome_note;
  std::string responded_date;
  bool lookback_all = false;
  std::string appeal_of;
  int days_left = 0;  // to due_at from today (negative when overdue)
  int64_t notice_version = 0;  // the privacy policy version in force at receipt
  std::vector<EventView> events;
};

struct DenyInput {
  std::string reason;       // a DenialReason name
  std::string exemption;    // with reason exemption: which one (e.g. "CCPA 1798.105(d)(8)")
  std::string explanation;  // sent to the consumer; required for exemption and other
};

struct TypeMetrics {
  std::string type;
  int received = 0;
  int complied = 0;  // complied with in whole or in part
  int denied = 0;
  int pending = 0;
  std::map<std::string, int> denied_by_reason;
  int responded = 0;
  double median_days = 0;
  double mean_days = 0;
};

struct Metrics {
  int year = 0;
  std::vector<TypeMetrics> types;
};

struct ServiceOptions {
  int code_digits = 6;
  std::chrono::minutes code_ttl{10};
  int max_code_attempts = 5;
  int max_codes_sent = 5;
  std::string public_url = "http://127.0.0.1:8080";  // where consumers follow their requests
};

class RequestService {
 public:
  // None of the references is owned; all must outlive the service.
  RequestService(store::Store& store, const RulesTable& rules, const inventory::Inventory& inventory,
                 const InstanceKey& key, const Clock& clock, ServiceOptions options = {});

  // Files a request. invalid_argument naming the field for bad input (nothing is stored).
  Result<IntakeResult> File(const IntakeInput& input);
  // Checks a one-time code. `confirm_agent` answers, for an agent with signed permission,
  // whether the consumer authorised the agent. not_found for an unknown id; invalid_argument
  // (field "code") for a wrong or expired code; conflict when not awaiting verification.
  Result<RequestView> Verify(const std::string& id, const std::string& code, std::optional<bool> confirm_agent);
  // Sends a fresh code (the status token proves the caller filed the request).
  Status ResendCode(const std::string& id, const std::string& status_token);
  // The consumer's view. not_found for an unknown id and for a wrong token alike.
  Result<RequestView> ConsumerView(const std::string& id, const std::string& status_token);

  Result<RequestView> Get(const std::string& id);
  Result<std::vector<RequestView>> List(const store::RequestFilter& filter);

  // State changes by staff; conflict (409) when the state machine forbids the change.
  Result<RequestView> Approve(const std::string& id, const Actor& actor, const std::string& reason);
  Result<RequestView> Deny(const std::string& id, const Actor& actor, const DenyInput& input);
  Result<RequestView> Extend(const std::string& id, const Actor& actor, const std::string& reason);
  Result<RequestView> Fulfil(const std::string& id, const Actor& actor, const std::string& note);
  // Completes a request after automated fulfilment: `note` is recorded and sent; `private_text`
  // is added to the consumer's message only (a download link), never stored in the request;
  // `also` runs in the same transaction (suppression entries, package records).
  Result<RequestView> FulfilWith(const std::string& id, const Actor& actor, const std::string& note,
                                 const std::string& private_text,
                                 const std::function<Status(store::Transaction&)>& also);
  // Appends a timeline event and its audit entry without changing the state (fulfilment
  // progress and failures). conflict unless the request is in progress.
  Status RecordEvent(const std::string& id, const Actor& actor, std::string_view kind, const std::string& reason,
                     bool is_public);
  Result<RequestView> Cancel(const std::string& id, const Actor& actor, const std::string& reason);

  // The CCPA §7102 figures for requests received in `year`.
  Result<Metrics> ComputeMetrics(int year);

  // The state a newly filed request reaches and its deadlines, for a given receipt date.
  const RulesTable& rules() const { return rules_; }

 private:
  Result<store::RequestRow> Load(store::Transaction& tx, const std::string& id);
  // Loads request `id`, applies fn, stores the row and returns the admin view, in one transaction.
  Result<RequestView> Mutate(const std::string& id,
                             const std::function<Status(store::Transaction&, store::RequestRow&)>& fn);
  Status Transition(store::Transaction& tx, store::RequestRow& row, State to, const Actor& actor,
                    std::string_view kind, const std::string& reason, bool is_public = true);
  // Appends an event to the request's timeline; `to` is set for state transitions.
  Status AddEvent(store::Transaction& tx, store::RequestRow& row, const Actor& actor, std::string_view kind,
                  const std::string& reason, bool is_public, std::string_view to = {});
  Status EnterVerified(store::Transaction& tx, store::RequestRow& row, const Actor& actor);
  Status DenyInTx(store::Transaction& tx, store::RequestRow& row, const Actor& actor, DenialReason reason,
                  const std::string& detail, const std::string& explanation);
  Status SendCode(store::Transaction& tx, store::RequestRow& row);
  Status Notify(store::Transaction& tx, const store::RequestRow& row, std::string_view kind, const std::string& subject,
                const std::string& body, bool to_agent_if_any);
  Result<RequestView> ToView(store::Transaction& tx, const store::RequestRow& row, bool admin);

  store::Store& store_;
  const RulesTable& rules_;
  const inventory::Inventory& inventory_;
  const InstanceKey& key_;
  const Clock& clock_;
  ServiceOptions options_;
};

}  // namespace steward::rights
