// Consent, opt-outs and Global Privacy Control: the ledger and the decisions drawn from it.
//
// The ledger (store table consent_events) is append-only: every choice of a subject (keyed hash
// of a normalized email, phone or account id) or a device (keyed hash of its id) is an event
// with its purpose, choice, source, jurisdiction, the privacy policy version in force and time.
// Current state is derived from the events by an in-memory index, so a decision costs no store
// round-trip; Refresh() brings in events other processes appended. Links tie a device to a
// subject: each one's choices then count for the other (CCPA 11 CCR 7025).
//
// Decide() applies, in order: a GDPR restriction (only storage), sale/sharing (minors need an
// opt-in, a parent's under 13; an opt-out — GPC included — stands until a later, confirmed,
// two-step opt-in), the limit on sensitive personal information (only 7027(m) uses), withdrawn or
// refused purposes, GDPR consent (a current opt-in for consent-based purposes) and objections
// (absolute for direct marketing; for legitimate interests until staff record overriding
// grounds). Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/secrets.h"
#include "inventory/inventory.h"
#include "store/store.h"

namespace steward::consent {

// Purposes besides the inventory's own. A financial incentive programme is the purpose
// "incentive:<id>" (choices opt_in, withdrawn, refused).
inline constexpr std::string_view kSaleSharing = "sale_sharing";        // opt_out | opt_in
inline constexpr std::string_view kSensitiveLimit = "sensitive_limit";  // opt_out (limit) | opt_in (lift)
inline constexpr std::string_view kProcessing = "processing";           // restrict | unrestrict (GDPR art. 18)
inline constexpr std::string_view kAge = "age";                          // choice "age" with the age

// Who a choice or decision is about: identifiers and/or a device (browser) id.
struct Who {
  std::map<std::string, std::string> identifiers;  // email | phone | account_id
  std::string device_id;
};

struct RecordInput {
  Who who;
  std::string purpose;
  std::string choice;  // opt_in | opt_out | withdrawn | object | override | restrict | unrestrict | age
  std::string source = "api";  // form | gpc | api | import | request | admin
  std::string jurisdiction = "US-CA";
  bool confirmed = false;  // the second step of opting back in to sale/sharing
  int age = -1;            // with choice "age"
  bool by_parent = false;  // an opt-in given by a parent or guardian (under 13)
  std::string grounds;     // with choice "override": the compelling legitimate grounds
};

struct RecordResult {
  std::string status;  // recorded | confirmation_needed
  std::string message;
  std::string ask_again_after;  // after an opt-out of sale/sharing: no request to opt back in before this date
  std::string processing_due;   // after an opt-out or limit: the date by which every system must honour it
};

// When an opt-out or a limit received on `received` must be fully processed in `jurisdiction`
// (CCPA 7026(f): 15 business days); nullopt when the rules set no window.
using OptOutDeadline = std::function<std::optional<Date>(std::string_view jurisdiction, std::string_view purpose,
                                                         Date received)>;

struct DecisionInput {
  Who who;
  std::string purpose;
  std::vector<std::string> categories;  // inventory category ids or fideslang keys
  std::string recipient;                // an inventory recipient id
  std::string jurisdiction = "US-CA";
};

struct Decision {
  bool allow = false;
  std::string reason;
  std::string basis;
  TimePoint evaluated_at;
  std::string us_privacy;  // the IAB US Privacy string for this subject ("1YNN"; "1---" outside California)
  std::string gpp;         // the IAB GPP string with the US-CA section (California only)
};

class ConsentService {
 public:
  ConsentService(store::Store& store, const inventory::Inventory& inventory, const InstanceKey& key, const Clock& clock,
                 OptOutDeadline deadline = nullptr);

  // Validates and appends the choice for every key of `input.who`; nothing is recorded on error.
  Result<RecordResult> Record(const RecordInput& input);
  // Ties a device to the subject's identifiers (both ways).
  Status Link(const Who& who, const std::string& source);
  Result<Decision> Decide(const DecisionInput& input);
  // Loads events appended since the last refresh (by this or another process).
  Status Refresh();
  // False within 12 months of the person refusing or withdrawing from the financial incentive
  // `incentive` (an inventory incentive id): it may not be offered again before `until`.
  Result<bool> MayOfferIncentive(const Who& who, const std::string& incentive, std::string* until = nullptr);
  // False within 12 months of an opt-out of sale/sharing: the business may not ask to opt back in
  // (11 CCR 7026(k)); the date it may ask again in `until`.
  Result<bool> MayAskToOptIn(const Who& who, std::string* until = nullptr);
  // The subject's events, oldest first, for staff (keys are hashes; no identifier is stored).
  Result<std::vector<store::ConsentEventRow>> History(const Who& who);
  size_t size() const;

  // The keyed hash of a normalized identifier, as the ledger keys it; invalid_argument naming the
  // identifier when malformed.
  Result<std::string> SubjectKey(const std::string& type, const std::string& value) const;
  Result<std::string> DeviceKey(const std::string& device_id) const;

 private:
  // The index keys a subject or device by 16 bytes of its ledger key (its kind and 120 bits of
  // the keyed hash), and keeps a compact state, so a million subjects fit in little memory.
  using IndexKey = std::array<uint8_t, 16>;
  struct IndexKeyHash {
    size_t operator()(const IndexKey& k) const;
  };
  enum class Choice : uint8_t { kNone, kOptIn, kOptOut, kWithdrawn };
  struct PurposeState {
    int64_t at = 0;
    Choice choice = Choice::kNone;
    bool objected = false;
    bool overridden = false;
  };
  struct State {
    int64_t sale_opt_out_at = 0;
    int64_t sale_opt_in_at = 0;
    int64_t opt_in_requested_at = 0;
    int16_t age = -1;
    bool opt_out_by_gpc = false;
    bool sale_opt_in_by_parent = false;
    bool sensitive_limited = false;
    bool restricted = false;
    std::vector<std::pair<uint16_t, PurposeState>> purposes;  // by inventory purpose index
    std::vector<IndexKey> links;
  };
  static IndexKey Compact(std::string_view ledger_key);
  Result<std::vector<std::string>> Keys(const Who& who) const;
  void Apply(const store::ConsentEventRow& e);  // under the write lock
  std::vector<const State*> Related(const std::vector<std::string>& keys) const;  // under a read lock
  int PurposeIndex(std::string_view id) const;

  store::Store& store_;
  const inventory::Inventory& inventory_;
  const InstanceKey& key_;
  const Clock& clock_;
  OptOutDeadline deadline_;
  KeyedHasher subject_hasher_, device_hasher_;
  mutable std::shared_mutex mu_;
  std::unordered_map<IndexKey, State, IndexKeyHash> index_;
  int64_t last_seq_ = 0;
};

}  // namespace steward::consent
