#include "consent/ledger.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <cctype>
#include <mutex>
#include <set>

#include "consent/gpp.h"
#include "core/calendar.h"
#include "notify/outbox.h"

namespace steward::consent {
namespace {

constexpr int64_t kConfirmWindowMs = 60LL * 60 * 1000;  // the second step within an hour
const std::set<std::string, std::less<>> kSources = {"form", "gpc", "api", "import", "request", "admin"};

bool Special(std::string_view purpose) {
  return purpose == kSaleSharing || purpose == kSensitiveLimit || purpose == kProcessing || purpose == kAge;
}

bool IsIncentive(std::string_view purpose) { return purpose.starts_with("incentive:"); }

bool AllowedChoice(std::string_view purpose, std::string_view choice) {
  if (IsIncentive(purpose)) return choice == "opt_in" || choice == "withdrawn" || choice == "refused";
  if (purpose == kSaleSharing || purpose == kSensitiveLimit) return choice == "opt_out" || choice == "opt_in";
  if (purpose == kProcessing) return choice == "restrict" || choice == "unrestrict";
  if (purpose == kAge) return choice == "age";
  return choice == "opt_in" || choice == "opt_out" || choice == "withdrawn" || choice == "object" || choice == "override";
}

std::string DayOf(int64_t ms) { return FormatDate(LocalDate(FromMillis(ms))); }

}  // namespace

ConsentService::ConsentService(store::Store& store, const inventory::Inventory& inventory, const InstanceKey& key,
                               const Clock& clock, OptOutDeadline deadline)
    : store_(store),
      inventory_(inventory),
      key_(key),
      clock_(clock),
      deadline_(std::move(deadline)),
      subject_hasher_(key.Hasher("consent-subject")),
      device_hasher_(key.Hasher("consent-device")) {}

size_t ConsentService::IndexKeyHash::operator()(const IndexKey& k) const {
  size_t h;
  std::memcpy(&h, k.data() + 1, sizeof h);
  return h;
}

ConsentService::IndexKey ConsentService::Compact(std::string_view key) {
  IndexKey out{};
  out[0] = key.empty() ? 0 : static_cast<uint8_t>(key[0]);
  auto nibble = [](char c) -> uint8_t { return c >= 'a' ? static_cast<uint8_t>(c - 'a' + 10) : static_cast<uint8_t>(c - '0'); };
  for (size_t i = 0; i < 15 && 2 + 2 * i + 1 < key.size(); ++i) {
    out[i + 1] = static_cast<uint8_t>(nibble(key[2 + 2 * i]) << 4 | nibble(key[2 + 2 * i + 1]));
  }
  return out;
}

int ConsentService::PurposeIndex(std::string_view id) const {
  for (size_t i = 0; i < inventory_.purposes.size(); ++i) {
    if (inventory_.purposes[i].id == id) return static_cast<int>(i);
  }
  if (IsIncentive(id)) {  // incentives follow the purposes
    for (size_t i = 0; i < inventory_.incentives.size(); ++i) {
      if (inventory_.incentives[i].id == id.substr(10)) return static_cast<int>(inventory_.purposes.size() + i);
    }
  }
  return -1;
}

Result<std::string> ConsentService::SubjectKey(const std::string& type, const std::string& raw) const {
  std::string v;
  for (unsigned char c : raw) {
    if (!std::isspace(c)) v += static_cast<char>(c);
  }
  const std::string field = "identifiers." + type;
  if (type == "email") {
    std::ranges::transform(v, v.begin(), [](unsigned char c) { return std::tolower(c); });
    const size_t at = v.find('@');
    if (v.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= v.size() || v.find('@', at + 1) != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "is not an email address", field);
    }
  } else if (type == "phone") {
    std::string digits;
    for (char c : v) {
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
      else if (c != '+' && c != '-' && c != '(' && c != ')' && c != '.') {
        return Fail(ErrorCode::kInvalidArgument, "is not a phone number", field);
      }
    }
    if (digits.size() < 7 || digits.size() > 15) return Fail(ErrorCode::kInvalidArgument, "is not a phone number", field);
    v = "+" + digits;  // E.164 digits (callers give the country code)
  } else if (type == "account_id") {
    if (v.empty() || v.size() > 128) return Fail(ErrorCode::kInvalidArgument, "must be 1 to 128 characters", field);
  } else {
    return Fail(ErrorCode::kInvalidArgument, "unknown identifier (email, phone or account_id)", field);
  }
  return "s:" + subject_hasher_.Hash(type + ":" + v);
}

Result<std::string> ConsentService::DeviceKey(const std::string& id) const {
  if (id.size() < 8 || id.size() > 128 ||
      !std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; })) {
    return Fail(ErrorCode::kInvalidArgument, "must be 8 to 128 letters, digits, '-', '_' or '.'", "device_id");
  }
  return "d:" + device_hasher_.Hash(id);
}

Result<std::vector<std::string>> ConsentService::Keys(const Who& who) const {
  std::vector<std::string> keys;
  for (const auto& [type, value] : who.identifiers) {
    ASSIGN_OR_RETURN(std::string k, SubjectKey(type, value));
    keys.push_back(std::move(k));
  }
  if (!who.device_id.empty()) {
    ASSIGN_OR_RETURN(std::string k, DeviceKey(who.device_id));
    keys.push_back(std::move(k));
  }
  if (keys.empty()) return Fail(ErrorCode::kInvalidArgument, "give identifiers or a device_id", "identifiers");
  return keys;
}

void ConsentService::Apply(const store::ConsentEventRow& e) {
  last_seq_ = std::max(last_seq_, e.seq);
  const IndexKey key = Compact(e.subject);
  if (e.choice == "link") {
    const IndexKey other = Compact(e.detail);
    State& s = index_[key];
    if (std::find(s.links.begin(), s.links.end(), other) == s.links.end()) s.links.push_back(other);
    State& o = index_[other];
    if (std::find(o.links.begin(), o.links.end(), key) == o.links.end()) o.links.push_back(key);
    return;
  }
  State& s = index_[key];
  if (e.purpose == kSaleSharing) {
    if (e.choice == "opt_out") {
      s.sale_opt_out_at = e.at;
      s.opt_out_by_gpc = e.source == "gpc";
    } else if (e.choice == "opt_in") {
      s.sale_opt_in_at = e.at;
      s.sale_opt_in_by_parent = e.detail == "parent";
    } else if (e.choice == "opt_in_requested") {
      s.opt_in_requested_at = e.at;
    }
  } else if (e.purpose == kSensitiveLimit) {
    s.sensitive_limited = e.choice == "opt_out";
  } else if (e.purpose == kProcessing) {
    s.restricted = e.choice == "restrict";
  } else if (e.purpose == kAge) {
    s.age = static_cast<int16_t>(std::atoi(e.detail.c_str()));
  } else {
    const int index = PurposeIndex(e.purpose);
    if (index < 0) return;  // a purpose the inventory no longer has
    auto it = std::find_if(s.purposes.begin(), s.purposes.end(), [&](const auto& p) { return p.first == index; });
    if (it == s.purposes.end()) it = s.purposes.insert(s.purposes.end(), {static_cast<uint16_t>(index), PurposeState{}});
    PurposeState& p = it->second;
    if (e.choice == "object") {
      p.objected = true;
      p.overridden = false;
    } else if (e.choice == "override") {
      p.overridden = true;
    } else {
      p.choice = e.choice == "opt_in"                             ? Choice::kOptIn
                 : e.choice == "opt_out" || e.choice == "refused" ? Choice::kOptOut
                                                                  : Choice::kWithdrawn;
      p.at = e.at;
    }
  }
}

std::vector<const ConsentService::State*> ConsentService::Related(const std::vector<std::string>& keys) const {
  std::vector<IndexKey> all;
  for (const auto& k : keys) all.push_back(Compact(k));
  const size_t direct = all.size();
  for (size_t i = 0; i < direct; ++i) {
    if (auto it = index_.find(all[i]); it != index_.end()) all.insert(all.end(), it->second.links.begin(), it->second.links.end());
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::vector<const State*> out;
  for (const auto& k : all) {
    if (auto it = index_.find(k); it != index_.end()) out.push_back(&it->second);
  }
  return out;
}

Status ConsentService::Refresh() {
  for (;;) {
    int64_t after;
    {
      std::shared_lock lock(mu_);
      after = last_seq_;
    }
    std::vector<store::ConsentEventRow> rows;
    RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(rows, tx.ListConsentEvents(after, 10000));
      return {};
    }));
    if (rows.empty()) return {};
    std::unique_lock lock(mu_);
    for (const auto& e : rows) {
      if (e.seq > last_seq_) Apply(e);
    }
  }
}

size_t ConsentService::size() const {
  std::shared_lock lock(mu_);
  return index_.size();
}

Result<RecordResult> ConsentService::Record(const RecordInput& in) {
  ASSIGN_OR_RETURN(std::vector<std::string> keys, Keys(in.who));
  const bool special = Special(in.purpose);
  if (IsIncentive(in.purpose)) {
    if (PurposeIndex(in.purpose) < 0) {
      return Fail(ErrorCode::kInvalidArgument, "is not a financial incentive of this business (see the inventory)", "purpose");
    }
  } else if (!special && !inventory_.FindPurpose(in.purpose)) {
    return Fail(ErrorCode::kInvalidArgument,
                "is not a purpose of this business (see the inventory) nor sale_sharing, sensitive_limit, processing or age",
                "purpose");
  }
  if (!AllowedChoice(in.purpose, in.choice)) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("is not a choice for {}", in.purpose), "choice");
  }
  if (!kSources.contains(in.source)) {
    return Fail(ErrorCode::kInvalidArgument, "must be form, gpc, api, import, request or admin", "source");
  }
  const auto& known = inventory::KnownJurisdictions();
  if (std::find(known.begin(), known.end(), in.jurisdiction) == known.end()) {
    return Fail(ErrorCode::kInvalidArgument, "is not a known jurisdiction", "jurisdiction");
  }
  if (in.choice == "age" && (in.age < 0 || in.age > 130)) return Fail(ErrorCode::kInvalidArgument, "must be 0 to 130", "age");
  if (in.choice == "override" && in.grounds.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "record the compelling legitimate grounds that override the objection", "grounds");
  }
  if (in.choice == "override") {
    const auto* p = inventory_.FindPurpose(in.purpose);
    if (p->direct_marketing) {
      return Fail(ErrorCode::kConflict, "an objection to direct marketing cannot be overridden (GDPR art. 21(3))", "choice");
    }
  }
  const int64_t now = ToMillis(clock_.Now());
  std::string choice = in.choice;
  RecordResult result{.status = "recorded"};
  if (in.purpose == kSaleSharing && in.choice == "opt_in") {
    // Opting back in after an opt-out takes two steps: a request, then a confirmation.
    std::shared_lock lock(mu_);
    int64_t opted_out = 0, requested = 0;
    for (const State* s : Related(keys)) {
      opted_out = std::max(opted_out, s->sale_opt_out_at);
      requested = std::max(requested, s->opt_in_requested_at);
    }
    if (opted_out > 0 && !in.confirmed) {
      choice = "opt_in_requested";
      result = {.status = "confirmation_needed",
                .message = "Confirm that you want us to sell or share your personal information again (step 2 of 2)."};
    } else if (opted_out > 0 && (requested <= opted_out || now - requested > kConfirmWindowMs)) {
      return Fail(ErrorCode::kConflict, "confirm an opt-in request made in the last hour (opting back in takes two steps)",
                  "confirmed");
    }
  }
  std::string due;
  if (deadline_ && (in.purpose == kSaleSharing || in.purpose == kSensitiveLimit) && in.choice == "opt_out") {
    if (auto d = deadline_(in.jurisdiction, in.purpose, LocalDate(FromMillis(now)))) due = FormatDate(*d);
  }
  int64_t notice_version = 0;
  RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto versions, tx.ListNoticeVersions("policy", ""));
    if (!versions.empty()) notice_version = versions.front().id;
    for (const std::string& k : keys) {
      store::ConsentEventRow e{.subject = k, .purpose = in.purpose, .choice = choice, .source = in.source,
                               .jurisdiction = in.jurisdiction, .notice_version = notice_version, .at = now};
      if (in.choice == "age") e.detail = std::to_string(in.age);
      if (in.by_parent) e.detail = "parent";
      if (in.choice == "override") e.detail = in.grounds;
      if (!due.empty()) e.detail = "processing due " + due;
      RETURN_IF_ERROR(tx.AppendConsentEvent(e));
    }
    const inventory::Purpose* p = special || IsIncentive(in.purpose) ? nullptr : inventory_.FindPurpose(in.purpose);
    // An unsubscribed address stays suppressed: mailers check the list before sending.
    if (p && p->direct_marketing && (in.choice == "withdrawn" || in.choice == "opt_out" || in.choice == "object")) {
      for (const auto& [type, value] : in.who.identifiers) {
        RETURN_IF_ERROR(tx.AddSuppression({.identifier_hash = SuppressionKey(key_, type, value),
                                           .kind = type,
                                           .reason = "unsubscribed",
                                           .request_id = "",
                                           .added_at = now}));
      }
    }
    // Third parties that buy or receive the data for cross-context advertising are told of an
    // identifiable person's opt-out (a signed webhook through the outbox, with retries).
    if (in.purpose == kSaleSharing && in.choice == "opt_out" && !in.who.identifiers.empty()) {
      std::set<std::string> recipients;
      for (const auto& cat : inventory_.categories) {
        recipients.insert(cat.sold_to.begin(), cat.sold_to.end());
        recipients.insert(cat.shared_to.begin(), cat.shared_to.end());
      }
      nlohmann::json payload{{"event", "opt_out_of_sale_sharing"},
                             {"business", inventory_.organization.name},
                             {"jurisdiction", in.jurisdiction},
                             {"identifiers", in.who.identifiers},
                             {"source", in.source}};
      for (const std::string& rid : recipients) {
        const inventory::Recipient* r = inventory_.FindRecipient(rid);
        if (!r || r->notify_url.empty()) continue;
        payload["recipient"] = rid;
        RETURN_IF_ERROR(notify::Enqueue(tx, key_,
                                        {.kind = "opt_out_notice", .channel = "webhook", .recipient = r->notify_url,
                                         .subject = rid, .body = payload.dump()},
                                        FromMillis(now)));
      }
    }
    return {};
  }));
  if (in.purpose == kSaleSharing && in.choice == "opt_out") {
    result.ask_again_after = FormatDate(AddMonthsClamped(LocalDate(FromMillis(now)), 12));
  }
  result.processing_due = due;
  RETURN_IF_ERROR(Refresh());
  return result;
}

Result<bool> ConsentService::MayOfferIncentive(const Who& who, const std::string& incentive, std::string* until) {
  ASSIGN_OR_RETURN(std::vector<std::string> keys, Keys(who));
  const int index = PurposeIndex("incentive:" + incentive);
  if (index < 0) return Fail(ErrorCode::kInvalidArgument, "is not a financial incentive of this business", "incentive");
  int64_t declined = 0, joined = 0;
  {
    std::shared_lock lock(mu_);
    for (const State* s : Related(keys)) {
      for (const auto& [i, ps] : s->purposes) {
        if (i != index) continue;
        if (ps.choice == Choice::kOptIn) joined = std::max(joined, ps.at);
        else declined = std::max(declined, ps.at);
      }
    }
  }
  if (declined == 0 || joined > declined) return true;
  const Date after = AddMonthsClamped(LocalDate(FromMillis(declined)), 12);
  if (until) *until = FormatDate(after);
  return std::chrono::sys_days(LocalDate(clock_.Now())) >= std::chrono::sys_days(after);
}

Result<bool> ConsentService::MayAskToOptIn(const Who& who, std::string* until) {
  ASSIGN_OR_RETURN(std::vector<std::string> keys, Keys(who));
  int64_t opted_out = 0, opted_in = 0;
  {
    std::shared_lock lock(mu_);
    for (const State* s : Related(keys)) {
      opted_out = std::max(opted_out, s->sale_opt_out_at);
      opted_in = std::max(opted_in, s->sale_opt_in_at);
    }
  }
  if (opted_out == 0 || opted_in > opted_out) return true;
  const Date after = AddMonthsClamped(LocalDate(FromMillis(opted_out)), 12);
  if (until) *until = FormatDate(after);
  return std::chrono::sys_days(LocalDate(clock_.Now())) >= std::chrono::sys_days(after);
}

Status ConsentService::Link(const Who& who, const std::string& source) {
  if (who.device_id.empty() || who.identifiers.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "a link needs a device_id and identifiers", "device_id");
  }
  ASSIGN_OR_RETURN(std::string device, DeviceKey(who.device_id));
  std::vector<std::string> subjects;
  for (const auto& [type, value] : who.identifiers) {
    ASSIGN_OR_RETURN(std::string k, SubjectKey(type, value));
    subjects.push_back(std::move(k));
  }
  const int64_t now = ToMillis(clock_.Now());
  RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) -> Status {
    for (const auto& s : subjects) {
      store::ConsentEventRow e{.subject = device, .purpose = "link", .choice = "link", .source = source,
                               .jurisdiction = "", .at = now, .detail = s};
      RETURN_IF_ERROR(tx.AppendConsentEvent(e));
    }
    return {};
  }));
  return Refresh();
}

Result<std::vector<store::ConsentEventRow>> ConsentService::History(const Who& who) {
  ASSIGN_OR_RETURN(std::vector<std::string> keys, Keys(who));
  std::vector<store::ConsentEventRow> out;
  RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> Status {
    for (const auto& k : keys) {
      ASSIGN_OR_RETURN(auto rows, tx.ListConsentEventsFor(k));
      out.insert(out.end(), rows.begin(), rows.end());
    }
    return {};
  }));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  return out;
}

Result<Decision> ConsentService::Decide(const DecisionInput& in) {
  ASSIGN_OR_RETURN(std::vector<std::string> keys, Keys(in.who));
  const inventory::Purpose* purpose = nullptr;
  inventory::Purpose incentive_purpose;  // a financial incentive: consent-based everywhere
  if (IsIncentive(in.purpose)) {
    if (PurposeIndex(in.purpose) < 0) {
      return Fail(ErrorCode::kInvalidArgument, "is not a financial incentive of this business (see the inventory)", "purpose");
    }
    incentive_purpose.id = in.purpose;
    incentive_purpose.name = "the financial incentive " + in.purpose.substr(10);
    incentive_purpose.legal_basis = "consent";
    purpose = &incentive_purpose;
  } else if (in.purpose != "storage") {
    purpose = inventory_.FindPurpose(in.purpose);
    if (!purpose) return Fail(ErrorCode::kInvalidArgument, "is not a purpose of this business (see the inventory)", "purpose");
  }
  const auto& known = inventory::KnownJurisdictions();
  if (std::find(known.begin(), known.end(), in.jurisdiction) == known.end()) {
    return Fail(ErrorCode::kInvalidArgument, "is not a known jurisdiction", "jurisdiction");
  }
  const inventory::Recipient* recipient = nullptr;
  if (!in.recipient.empty()) {
    recipient = inventory_.FindRecipient(in.recipient);
    if (!recipient) return Fail(ErrorCode::kInvalidArgument, "is not a recipient in the inventory", "recipient");
  }
  // The categories asked about, as inventory categories.
  std::vector<const inventory::DataCategory*> categories;
  for (const std::string& c : in.categories) {
    bool found = false;
    for (const auto& cat : inventory_.categories) {
      const bool by_key = std::any_of(cat.fideslang.begin(), cat.fideslang.end(), [&](const std::string& f) {
        return c == f || (c.size() > f.size() && c.starts_with(f) && c[f.size()] == '.');
      });
      if (cat.id == c || by_key) {
        categories.push_back(&cat);
        found = true;
      }
    }
    if (!found) return Fail(ErrorCode::kInvalidArgument, fmt::format("'{}' is not a category in the inventory", c), "categories");
  }
  bool sale_or_share = purpose && purpose->sale_or_share;
  if (recipient) {
    for (const auto& cat : inventory_.categories) {
      const bool asked = categories.empty() || std::find(categories.begin(), categories.end(), &cat) != categories.end();
      const auto in_list = [&](const std::vector<std::string>& l) { return std::find(l.begin(), l.end(), recipient->id) != l.end(); };
      if (asked && (in_list(cat.sold_to) || in_list(cat.shared_to))) sale_or_share = true;
    }
  }
  const bool sensitive = std::any_of(categories.begin(), categories.end(), [](const auto* c) { return !c->sensitive.empty(); });
  const bool gdpr = in.jurisdiction == "EU" || in.jurisdiction == "UK";

  Decision d{.evaluated_at = clock_.Now()};
  const int purpose_index = purpose ? PurposeIndex(purpose->id) : -1;
  std::shared_lock lock(mu_);
  const auto states = Related(keys);
  int64_t opted_out = 0, opted_in = 0;
  bool opt_out_by_gpc = false;
  bool by_parent = false, limited = false, restricted = false;
  int age = -1;
  PurposeState p;
  for (const State* s : states) {
    if (s->sale_opt_out_at > opted_out) {
      opted_out = s->sale_opt_out_at;
      opt_out_by_gpc = s->opt_out_by_gpc;
    }
    if (s->sale_opt_in_at > opted_in) {
      opted_in = s->sale_opt_in_at;
      by_parent = s->sale_opt_in_by_parent;
    }
    limited = limited || s->sensitive_limited;
    restricted = restricted || s->restricted;
    if (s->age >= 0 && (age < 0 || s->age < age)) age = s->age;
    if (purpose) {
      for (const auto& [index, ps] : s->purposes) {
        if (index != purpose_index) continue;
        if (ps.at >= p.at && ps.choice != Choice::kNone) {
          p.choice = ps.choice;
          p.at = ps.at;
        }
        p.objected = p.objected || ps.objected;
        p.overridden = p.overridden || ps.overridden;
      }
    }
  }
  const bool sale_opted_out = opted_out > opted_in;
  d.us_privacy = in.jurisdiction != "US-CA"
                     ? "1---"
                     : fmt::format("1{}{}N", inventory_.organization.opt_out_url.empty() ? 'N' : 'Y', sale_opted_out ? 'Y' : 'N');
  if (in.jurisdiction == "US-CA") {
    // What this business does (from the inventory) and this person's choices, for ad-tech callers.
    bool sells = false, shares = false, sensitive_use = false;
    for (const auto& cat : inventory_.categories) {
      sells = sells || !cat.sold_to.empty();
      shares = shares || !cat.shared_to.empty();
      sensitive_use = sensitive_use || (cat.collected && !cat.sensitive.empty());
    }
    const auto& org = inventory_.organization;
    UsCaFields f;
    f.sale_opt_out_notice = sells ? (org.opt_out_url.empty() ? 2 : 1) : 0;
    f.sharing_opt_out_notice = shares ? (org.opt_out_url.empty() ? 2 : 1) : 0;
    f.sensitive_data_limit_use_notice = sensitive_use ? (org.limit_url.empty() ? 2 : 1) : 0;
    f.sale_opt_out = f.sale_opt_out_notice == 1 ? (sale_opted_out ? 1 : 2) : 0;
    f.sharing_opt_out = f.sharing_opt_out_notice == 1 ? (sale_opted_out ? 1 : 2) : 0;
    if (f.sensitive_data_limit_use_notice == 1) f.sensitive_data_processing.fill(limited ? 1 : 2);
    if (age >= 0 && age < 16) f.known_child_sensitive_data_consents.fill(opted_in > 0 && !sale_opted_out ? 2 : 1);
    f.mspa_covered_transaction = 2;
    f.gpc = sale_opted_out && opt_out_by_gpc;
    d.gpp = GppString(f);
  }
  auto deny = [&](std::string reason) {
    d.allow = false;
    d.reason = std::move(reason);
    return d;
  };
  if (restricted && in.purpose != "storage") return deny("processing is restricted (GDPR art. 18): only storage is allowed");
  if (!purpose) {
    d.allow = true;
    d.reason = "storage";
    d.basis = "storage is allowed under every choice";
    return d;
  }
  if (sale_or_share) {
    if (age >= 0 && age < 16) {
      if (opted_in == 0 || sale_opted_out) {
        return deny(age < 13 ? "under 13: selling or sharing needs a parent's opt-in"
                             : "under 16: selling or sharing needs the consumer's own opt-in");
      }
      if (age < 13 && !by_parent) return deny("under 13: selling or sharing needs a parent's opt-in, not the child's");
    }
    if (sale_opted_out) {
      return deny(fmt::format("opted out of the sale or sharing of personal information{} on {}",
                              opt_out_by_gpc ? " by a Global Privacy Control signal" : "", DayOf(opted_out)));
    }
  }
  if (sensitive && limited && !purpose->sensitive_permitted) {
    return deny("the consumer limited the use of sensitive personal information to the uses 11 CCR 7027(m) permits");
  }
  if (p.choice == Choice::kWithdrawn || p.choice == Choice::kOptOut) {
    return deny(fmt::format("{} on {} for {}", p.choice == Choice::kWithdrawn ? "consent withdrawn" : "opted out",
                            DayOf(p.at), purpose->name));
  }
  if (p.objected && purpose->direct_marketing) return deny("objection to direct marketing (GDPR art. 21(3)): absolute");
  if (p.objected && purpose->legal_basis == "legitimate_interests" && !p.overridden) {
    return deny("objection to processing based on legitimate interests (GDPR art. 21(1)); no overriding grounds recorded");
  }
  if (gdpr && purpose->legal_basis == "consent" && p.choice != Choice::kOptIn) {
    return deny("no consent on record (GDPR art. 6(1)(a))");
  }
  if (IsIncentive(in.purpose) && p.choice != Choice::kOptIn) {
    return deny("a financial incentive needs the consumer's prior opt-in (11 CCR 7016)");
  }
  d.allow = true;
  if (sale_or_share && age >= 0 && age < 16) {
    d.basis = fmt::format("opt-in on {}{}", DayOf(opted_in), by_parent ? " by a parent" : "");
  } else if (p.choice == Choice::kOptIn) {
    d.basis = fmt::format("consent given on {}", DayOf(p.at));
  } else if (sale_or_share) {
    d.basis = "no opt-out of sale or sharing on record";
  } else {
    d.basis = gdpr ? "legal basis: " + purpose->legal_basis : "no opt-out on record";
  }
  d.reason = "allowed";
  return d;
}

}  // namespace steward::consent
