#include "rights/service.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <regex>

#include "audit/audit.h"
#include "notify/outbox.h"

namespace steward::rights {

using json = nlohmann::json;

namespace {

constexpr size_t kMaxValue = 256;
constexpr size_t kMaxDetails = 4000;

const std::vector<std::string_view>& IdentityKeys() {
  static const std::vector<std::string_view> kKeys = {"email", "phone", "name", "postal_code", "street_address",
                                                      "account_id", "date_of_birth", "order_number"};
  return kKeys;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

bool HasControl(std::string_view s, bool allow_newlines) {
  return std::any_of(s.begin(), s.end(), [&](unsigned char c) {
    if (allow_newlines && (c == '\n' || c == '\t' || c == '\r')) return false;
    return c < 0x20 || c == 0x7f;
  });
}

Result<std::string> NormalizeEmail(std::string_view raw, const std::string& field) {
  std::string e = Trim(raw);
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
  static const std::regex kEmail(R"(^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$)");
  if (e.size() > 254 || !std::regex_match(e, kEmail)) {
    return Fail(ErrorCode::kInvalidArgument, "is not an email address (like name@example.com)", field);
  }
  return e;
}

Result<std::string> NormalizePhone(std::string_view raw, const std::string& field) {
  std::string p;
  for (char c : Trim(raw)) {
    if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') continue;
    p += c;
  }
  static const std::regex kPhone(R"(^\+?[0-9]{7,15}$)");
  if (!std::regex_match(p, kPhone)) {
    return Fail(ErrorCode::kInvalidArgument, "is not a phone number (7 to 15 digits, optionally starting with +)", field);
  }
  return p;
}

Result<std::string> NormalizeIdentityValue(const std::string& key, std::string_view raw, Date today) {
  const std::string field = "identity." + key;
  if (raw.size() > kMaxValue) return Fail(ErrorCode::kInvalidArgument, fmt::format("is longer than {} characters", kMaxValue), field);
  if (HasControl(raw, false)) return Fail(ErrorCode::kInvalidArgument, "contains control characters", field);
  if (key == "email") return NormalizeEmail(raw, field);
  if (key == "phone") return NormalizePhone(raw, field);
  std::string v = Trim(raw);
  if (v.empty()) return Fail(ErrorCode::kInvalidArgument, "is empty; leave it out instead", field);
  if (key == "date_of_birth") {
    auto d = ParseDate(v);
    if (!d || *d >= today || d->year() < std::chrono::year(1900)) {
      return Fail(ErrorCode::kInvalidArgument, "must be a past date of the form YYYY-MM-DD", field);
    }
  }
  if (key == "postal_code") {
    static const std::regex kPostal(R"(^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$)");
    if (!std::regex_match(v, kPostal)) return Fail(ErrorCode::kInvalidArgument, "is not a postal code", field);
  }
  return v;
}

int64_t StartOfDayMillis(Date d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::sys_days(d).time_since_epoch()).count();
}

int DaysBetween(Date from, Date to) {
  return static_cast<int>((std::chrono::sys_days(to) - std::chrono::sys_days(from)).count());
}

std::string Contact(const json& j) {
  if (j.contains("email") && !j["email"].get<std::string>().empty()) return j["email"].get<std::string>();
  if (j.contains("phone") && !j["phone"].get<std::string>().empty()) return j["phone"].get<std::string>();
  return {};
}

std::string ChannelOf(const std::string& contact) { return contact.find('@') != std::string::npos ? "email" : "sms"; }

std::string DefaultExplanation(DenialReason reason) {
  switch (reason) {
    case DenialReason::kUnverifiable:
      return "We could not verify your identity with the information provided, so we cannot act on this request. "
             "You may make a new request with more identifying information.";
    case DenialReason::kLimitReached:
      return "You have already made the number of requests of this kind that the law requires us to answer in a "
             "12-month period.";
    case DenialReason::kNotApplicableInJurisdiction:
      return "This right is not available under the privacy law that applies to you.";
    default:
      return {};
  }
}

}  // namespace

RequestService::RequestService(store::Store& store, const RulesTable& rules, const inventory::Inventory& inventory,
                               const InstanceKey& key, const Clock& clock, ServiceOptions options)
    : store_(store), rules_(rules), inventory_(inventory), key_(key), clock_(clock), options_(std::move(options)) {}

Result<IntakeResult> RequestService::File(const IntakeInput& in) {
  const TimePoint now = clock_.Now();
  const Date today = LocalDate(now);

  auto type = ParseRequestType(in.type);
  if (!type) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("'{}' is not a request type; use one of access, know_categories, portability, delete, "
                            "correct, opt_out_sale_share, limit_sensitive, restrict, object, withdraw_consent, appeal, "
                            "shine_the_light", in.type),
                "type");
  }
  const JurisdictionRules* j = rules_.Find(in.jurisdiction);
  if (!j) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("'{}' is not a jurisdiction Steward knows; use one of US-CA, EU, UK, US-VA, US-CO, US-CT, "
                            "US-TX, US-OR, US-UT", in.jurisdiction),
                "jurisdiction");
  }
  if (!inventory_.Serves(j->code)) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{} does not take requests under {}; contact {} for help", inventory_.organization.name,
                            j->name, inventory_.organization.contact.email),
                "jurisdiction");
  }
  const TypeRule* rule = j->Find(*type);
  if (!rule) {
    std::string available;
    for (const auto& [t, _] : j->types) available += (available.empty() ? "" : ", ") + std::string(Name(t));
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{} is not a right under {}; available there: {}", in.type, j->name, available), "type");
  }
  static const std::vector<std::string_view> kChannels = {"web", "email", "phone", "mail", "in_person", "api"};
  if (std::find(kChannels.begin(), kChannels.end(), in.channel) == kChannels.end()) {
    return Fail(ErrorCode::kInvalidArgument, "must be one of web, email, phone, mail, in_person, api", "channel");
  }

  // Identity.
  json identity = json::object();
  for (const auto& [k, v] : in.identity) {
    if (std::find(IdentityKeys().begin(), IdentityKeys().end(), k) == IdentityKeys().end()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "is not an identifying field we use; give email, phone, name, postal_code, street_address, "
                  "account_id, date_of_birth or order_number",
                  "identity." + k);
    }
    ASSIGN_OR_RETURN(std::string norm, NormalizeIdentityValue(k, v, today));
    identity[k] = norm;
  }
  if (!identity.contains("email") && !identity.contains("phone")) {
    return Fail(ErrorCode::kInvalidArgument, "give an email address or a phone number so we can reach you about this request",
                "identity.email");
  }
  const int data_points = static_cast<int>(identity.size());
  const LevelRequirement& need = rules_.Requirement(rule->verification);
  if (data_points < need.data_points) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("a {} request under {} needs at least {} pieces of identifying information to verify you "
                            "(you gave {}): add your name, postal code, account id or phone, for example",
                            in.type, j->code, need.data_points, data_points),
                "identity");
  }
  if (need.signed_declaration && !in.signed_declaration) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("a {} request under {} needs your signed declaration, under penalty of perjury, that you "
                            "are the consumer whose information is requested (11 CCR 7062(c))", in.type, j->code),
                "signed_declaration");
  }

  // Agent.
  json agent;
  std::optional<AgentAuthority> authority;
  if (in.agent) {
    const AgentInput& a = *in.agent;
    authority = ParseAgentAuthority(a.authority);
    if (!authority) {
      return Fail(ErrorCode::kInvalidArgument, "must be signed_permission, power_of_attorney or parent_guardian", "agent.authority");
    }
    std::string name = Trim(a.name);
    if (name.empty() || name.size() > kMaxValue || HasControl(name, false)) {
      return Fail(ErrorCode::kInvalidArgument, "the agent's name is required (up to 256 characters)", "agent.name");
    }
    agent = json{{"name", name}, {"authority", a.authority}};
    if (!a.email.empty()) {
      ASSIGN_OR_RETURN(agent["email"], NormalizeEmail(a.email, "agent.email"));
    }
    if (!a.phone.empty()) {
      ASSIGN_OR_RETURN(agent["phone"], NormalizePhone(a.phone, "agent.phone"));
    }
    if (!agent.contains("email") && !agent.contains("phone")) {
      return Fail(ErrorCode::kInvalidArgument, "give the agent's email address or phone number", "agent.email");
    }
    std::string doc = Trim(a.document_ref);
    if (*authority != AgentAuthority::kParentGuardian && doc.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "say where the signed permission or power of attorney can be found (a document reference)",
                  "agent.document_ref");
    }
    if (doc.size() > kMaxValue || HasControl(doc, false)) {
      return Fail(ErrorCode::kInvalidArgument, "is too long or contains control characters", "agent.document_ref");
    }
    agent["document_ref"] = doc;
  }

  if (in.details.size() > kMaxDetails || HasControl(in.details, true)) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("must be plain text of at most {} characters", kMaxDetails), "details");
  }
  if (*type == RequestType::kCorrect && Trim(in.details).empty()) {
    return Fail(ErrorCode::kInvalidArgument, "say which information is wrong and what it should be", "details");
  }
  if (in.lookback_all && !(j->code == "US-CA" && (*type == RequestType::kAccess || *type == RequestType::kKnowCategories ||
                                                 *type == RequestType::kPortability))) {
    return Fail(ErrorCode::kInvalidArgument, "asking for everything since 2022 applies to California access requests only",
                "lookback_all");
  }

  // Identity of the subject for limits and, later, matching: the keyed hash of the first
  // identifier in order of reliability.
  const std::string subject_key =
      identity.contains("email") ? key_.KeyedHash("subject", "email:" + identity["email"].get<std::string>())
                                 : key_.KeyedHash("subject", "phone:" + identity["phone"].get<std::string>());

  IntakeResult result;
  result.id = "req_" + RandomBase32(16);
  result.status_token = RandomBase32(20);
  result.received_at = now;
  const Deadlines deadlines = RulesTable::ComputeDeadlines(*j, *rule, today);
  result.confirm_by = deadlines.confirm_by;
  result.due_at = deadlines.due;
  result.verification = std::string(Name(rule->verification));

  store::RequestRow row;
  row.id = result.id;
  row.type = std::string(Name(*type));
  row.jurisdiction = j->code;
  row.status = std::string(Name(State::kReceived));
  row.channel = in.channel;
  row.received_at = ToMillis(now);
  row.received_date = FormatDate(today);
  row.confirm_by = deadlines.confirm_by ? FormatDate(*deadlines.confirm_by) : "";
  row.due_at = FormatDate(deadlines.due);
  row.original_due_at = row.due_at;
  row.subject_key = subject_key;
  row.identity_sealed = key_.Seal(json{{"identity", identity}, {"details", Trim(in.details)}}.dump());
  row.agent_sealed = agent.is_null() ? "" : key_.Seal(agent.dump());
  row.agent_authority = authority ? std::string(Name(*authority)) : "";
  row.verification_level = result.verification;
  row.data_points = data_points;
  row.signed_declaration = in.signed_declaration;
  row.status_token_hash = key_.KeyedHash("status-token", result.status_token);
  row.lookback_all = in.lookback_all;
  row.updated_at = ToMillis(now);
  row.version = 1;

  const Actor requester{in.agent ? "agent" : "consumer", "consumer"};
  RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) -> Status {
    if (*type == RequestType::kAppeal) {
      if (in.appeal_of.empty()) return Fail(ErrorCode::kInvalidArgument, "name the request you appeal", "appeal_of");
      ASSIGN_OR_RETURN(auto original, tx.GetRequest(in.appeal_of));
      if (!original || !ConstantTimeEqual(original->status_token_hash, key_.KeyedHash("status-token", in.appeal_token))) {
        return Fail(ErrorCode::kInvalidArgument, "no request with this id and status token", "appeal_of");
      }
      if (original->status != "denied" && original->status != "completed") {
        return Fail(ErrorCode::kInvalidArgument, "only a decided (completed or denied) request can be appealed", "appeal_of");
      }
      if (original->jurisdiction != j->code) {
        return Fail(ErrorCode::kInvalidArgument, "the appeal must be made under the same law as the request", "jurisdiction");
      }
      row.appeal_of = original->id;
    }
    // The privacy policy in force when the request arrived (0 when none is published yet).
    ASSIGN_OR_RETURN(auto policies, tx.ListNoticeVersions("policy", ""));
    row.notice_version = policies.empty() ? 0 : policies.front().id;
    RETURN_IF_ERROR(tx.InsertRequest(row));
    RETURN_IF_ERROR(AddEvent(tx, row, requester, "received", fmt::format("via {}", in.channel), true));
    RETURN_IF_ERROR(audit::Append(tx, now, {requester.id, "request.received", row.id,
                                            json{{"type", row.type}, {"jurisdiction", row.jurisdiction},
                                                 {"channel", row.channel}, {"agent", row.agent_authority},
                                                 {"due_at", row.due_at}, {"confirm_by", row.confirm_by}}.dump()}));
    // Receipt confirmation (CA-040): what happens next and when.
    std::string next;
    if (rule->verification == VerificationLevel::kNone) {
      next = "This kind of request needs no identity verification; we will act on it directly.";
    } else if (authority == AgentAuthority::kSignedPermission) {
      next = "We have sent a one-time code to the consumer's own email or phone. The consumer must enter it and confirm "
             "that they authorised the agent before we act.";
    } else {
      next = fmt::format("To protect your information we first verify your identity: we have sent a one-time code "
                         "to your {}. We match the details you gave against our records.",
                         identity.contains("email") ? "email address" : "phone");
    }
    RETURN_IF_ERROR(Notify(
        tx, row, "receipt", fmt::format("We received your privacy request {}", row.id),
        fmt::format("{} received your request for {} on {} (reference {}).\n\n{}\n\nWe will respond by {}.\n\n"
                    "Follow your request: {}/v1/requests/{}?token={}\nKeep this link private: it shows your request.\n",
                    inventory_.organization.name, PlainWords(*type), row.received_date, row.id, next, row.due_at,
                    options_.public_url, row.id, result.status_token),
        true));
    if (rule->verification == VerificationLevel::kNone) {
      RETURN_IF_ERROR(EnterVerified(tx, row, Actor{"system", "system"}));
    } else {
      RETURN_IF_ERROR(Transition(tx, row, State::kAwaitingVerification, Actor{"system", "system"}, "verification_started",
                                 fmt::format("verification level {}", row.verification_level)));
      RETURN_IF_ERROR(SendCode(tx, row));
    }
    result.status = row.status;
    return tx.UpdateRequest(row);
  }));
  return result;
}

Status RequestService::AddEvent(store::Transaction& tx, store::RequestRow& row, const Actor& actor,
                                std::string_view kind, const std::string& reason, bool is_public, std::string_view to) {
  store::EventRow e;
  e.request_id = row.id;
  e.at = ToMillis(clock_.Now());
  e.actor = actor.id;
  e.kind = std::string(kind);
  if (!to.empty()) {
    e.from_status = row.status;
    e.to_status = std::string(to);
  }
  e.reason = reason;
  e.is_public = is_public;
  return tx.AppendEvent(e);
}

Status RequestService::Transition(store::Transaction& tx, store::RequestRow& row, State to, const Actor& actor,
                                  std::string_view kind, const std::string& reason, bool is_public) {
  const State from = *ParseState(row.status);
  if (!CanTransition(from, to)) {
    return Fail(ErrorCode::kConflict,
                fmt::format("a request that is {} cannot become {}", row.status, Name(to)), "status");
  }
  RETURN_IF_ERROR(AddEvent(tx, row, actor, kind, reason, is_public, Name(to)));
  RETURN_IF_ERROR(audit::Append(tx, clock_.Now(),
                                {actor.id, fmt::format("request.{}", kind), row.id,
                                 json{{"from", row.status}, {"to", Name(to)}, {"reason", reason}}.dump()}));
  row.status = std::string(Name(to));
  row.updated_at = ToMillis(clock_.Now());
  return Ok();
}

Status RequestService::SendCode(store::Transaction& tx, store::RequestRow& row) {
  const std::string code = RandomDigits(options_.code_digits);
  row.code_hash = key_.KeyedHash("verification-code", row.id + ":" + code);
  row.code_expires_at = ToMillis(clock_.Now()) + std::chrono::duration_cast<std::chrono::milliseconds>(options_.code_ttl).count();
  row.code_attempts = 0;
  ++row.codes_sent;
  // Codes go to the consumer, except where the agent holds a power of attorney or is the
  // parent or guardian: then the agent is the one to verify.
  const bool to_agent = row.agent_authority == "power_of_attorney" || row.agent_authority == "parent_guardian";
  std::string body;
  if (row.agent_authority == "signed_permission") {
    ASSIGN_OR_RETURN(std::string agent_text, key_.Open(row.agent_sealed));
    const json agent = json::parse(agent_text);
    body = fmt::format("{} says you authorised them to ask {} for {} on your behalf (reference {}).\n\n"
                       "If you did, enter this code and confirm that you authorised them: {}\n"
                       "If you did not, enter the code and say so; we will not act on the request.\n"
                       "The code expires in {} minutes.\n",
                       agent["name"].get<std::string>(), inventory_.organization.name,
                       PlainWords(*ParseRequestType(row.type)), row.id, code, options_.code_ttl.count());
  } else {
    body = fmt::format("Your verification code for privacy request {} is: {}\nIt expires in {} minutes. "
                       "If you did not make this request, ignore this message.\n",
                       row.id, code, options_.code_ttl.count());
  }
  RETURN_IF_ERROR(AddEvent(tx, row, Actor{"system", "system"}, "verification_code_sent", "", true));
  return Notify(tx, row, "verification_code", fmt::format("Your verification code for request {}", row.id), body, to_agent);
}

Status RequestService::Notify(store::Transaction& tx, const store::RequestRow& row, std::string_view kind,
                              const std::string& subject, const std::string& body, bool to_agent_if_any) {
  std::string recipient;
  if (to_agent_if_any && !row.agent_sealed.empty()) {
    ASSIGN_OR_RETURN(std::string agent_text, key_.Open(row.agent_sealed));
    recipient = Contact(json::parse(agent_text));
  } else {
    ASSIGN_OR_RETURN(std::string identity_text, key_.Open(row.identity_sealed));
    recipient = Contact(json::parse(identity_text)["identity"]);
  }
  if (recipient.empty()) return Fail(ErrorCode::kInternal, "request has no contact to notify");
  return notify::Enqueue(tx, key_, {row.id, std::string(kind), ChannelOf(recipient), recipient, subject, body}, clock_.Now());
}

Status RequestService::EnterVerified(store::Transaction& tx, store::RequestRow& row, const Actor& actor) {
  row.verified_at = ToMillis(clock_.Now());
  RETURN_IF_ERROR(Transition(tx, row, State::kVerified, actor, "verified",
                             row.verification_level == "none" ? "no verification needed for this type"
                                                              : "one-time code confirmed"));
  const JurisdictionRules* j = rules_.Find(row.jurisdiction);
  const auto type = *ParseRequestType(row.type);
  const AccessLimit& limit = j->access_limit;
  if (limit.count > 0 && std::find(limit.types.begin(), limit.types.end(), type) != limit.types.end()) {
    std::vector<std::string> names;
    for (auto t : limit.types) names.emplace_back(Name(t));
    const Date received = *ParseDate(row.received_date);
    const int64_t since = StartOfDayMillis(AddMonthsClamped(received, -limit.months));
    ASSIGN_OR_RETURN(int prior, tx.CountCountableRequests(row.subject_key, names, since, row.id));
    if (prior >= limit.count) {
      return DenyInTx(tx, row, Actor{"system", "system"}, DenialReason::kLimitReached,
                      fmt::format("{} earlier requests in {} months", prior, limit.months),
                      fmt::format("You have already made {} requests of this kind in the last {} months. {} law does "
                                  "not require us to answer more than {} in that period.",
                                  prior, limit.months, j->name, limit.count));
    }
  }
  return Ok();
}

Status RequestService::DenyInTx(store::Transaction& tx, store::RequestRow& row, const Actor& actor, DenialReason reason,
                                const std::string& detail, const std::string& explanation) {
  RETURN_IF_ERROR(Transition(tx, row, State::kDenied, actor, "denied", std::string(Name(reason))));
  const TimePoint now = clock_.Now();
  row.denial_reason = std::string(Name(reason));
  row.denial_detail = detail;
  row.denial_explanation = explanation;
  row.responded_at = ToMillis(now);
  row.responded_date = FormatDate(LocalDate(now));
  row.code_hash.clear();
  const JurisdictionRules* j = rules_.Find(row.jurisdiction);
  std::string rights;
  if (j->Find(RequestType::kAppeal)) {
    rights = fmt::format("\n\nYou may appeal this decision: file an appeal naming request {} with the status link we "
                         "sent you. We will decide within {}.",
                         row.id, j->Find(RequestType::kAppeal)->respond.ToString());
  } else if (j->code == "EU" || j->code == "UK") {
    rights = "\n\nYou have the right to lodge a complaint with a supervisory authority and to seek a judicial remedy "
             "(GDPR art. 12(4)).";
  }
  return Notify(tx, row, "outcome", fmt::format("Our decision on your privacy request {}", row.id),
                fmt::format("We cannot fulfil your request {} for {}.\n\nWhy: {}{}\n{}", row.id,
                            PlainWords(*ParseRequestType(row.type)), explanation,
                            detail.empty() || reason != DenialReason::kExemption ? "" : fmt::format(" ({})", detail),
                            rights),
                true);
}

Result<store::RequestRow> RequestService::Load(store::Transaction& tx, const std::string& id) {
  ASSIGN_OR_RETURN(auto row, tx.GetRequest(id));
  if (!row) return Fail(ErrorCode::kNotFound, "no such request", "id");
  return *row;
}

Result<RequestView> RequestService::Verify(const std::string& id, const std::string& code,
                                           std::optional<bool> confirm_agent) {
  if (code.empty() || code.size() > 32) return Fail(ErrorCode::kInvalidArgument, "enter the code we sent you", "code");
  enum class Outcome { kOk, kWrong, kExpired, kExhausted } outcome = Outcome::kOk;
  RequestView view;
  RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::RequestRow row, Load(tx, id));
    if (row.status != "awaiting_verification") {
      return Fail(ErrorCode::kConflict, "this request is not waiting for a verification code", "status");
    }
    const int64_t now = ToMillis(clock_.Now());
    if (row.code_hash.empty() || row.code_attempts >= options_.max_code_attempts) {
      outcome = Outcome::kExhausted;
      return Ok();
    }
    if (now > row.code_expires_at) {
      outcome = Outcome::kExpired;
      return Ok();
    }
    if (!ConstantTimeEqual(row.code_hash, key_.KeyedHash("verification-code", row.id + ":" + code))) {
      ++row.code_attempts;
      outcome = Outcome::kWrong;
      RETURN_IF_ERROR(AddEvent(tx, row, Actor{"consumer", "consumer"}, "verification_failed",
                               fmt::format("attempt {} of {}", row.code_attempts, options_.max_code_attempts), false));
      RETURN_IF_ERROR(audit::Append(tx, clock_.Now(), {"consumer", "request.verification_failed", row.id,
                                                       json{{"attempt", row.code_attempts}}.dump()}));
      return tx.UpdateRequest(row);
    }
    const bool needs_confirmation = row.agent_authority == "signed_permission";
    if (needs_confirmation && !confirm_agent.has_value()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "say whether you authorised the agent who made this request (confirm_agent: true or false)",
                  "confirm_agent");
    }
    row.code_hash.clear();
    const Actor consumer{"consumer", "consumer"};
    if (needs_confirmation) {
      if (!*confirm_agent) {
        RETURN_IF_ERROR(AddEvent(tx, row, consumer, "agent_refused", "the consumer did not authorise the agent", true));
        RETURN_IF_ERROR(DenyInTx(tx, row, consumer, DenialReason::kOther, "agent_not_authorised",
                                 "The consumer told us they did not authorise the agent to make this request."));
        ASSIGN_OR_RETURN(view, ToView(tx, row, false));
        return tx.UpdateRequest(row);
      }
      row.agent_confirmed = true;
      RETURN_IF_ERROR(AddEvent(tx, row, consumer, "agent_confirmed", "the consumer confirmed the agent's authority", true));
      RETURN_IF_ERROR(audit::Append(tx, clock_.Now(), {"consumer", "request.agent_confirmed", row.id, "{}"}));
    }
    RETURN_IF_ERROR(EnterVerified(tx, row, consumer));
    RETURN_IF_ERROR(tx.UpdateRequest(row));
    ASSIGN_OR_RETURN(view, ToView(tx, row, false));
    return Ok();
  }));
  switch (outcome) {
    case Outcome::kOk: return view;
    case Outcome::kWrong: return Fail(ErrorCode::kInvalidArgument, "that code is not correct", "code");
    case Outcome::kExpired: return Fail(ErrorCode::kInvalidArgument, "that code has expired; ask for a new one", "code");
    case Outcome::kExhausted:
      return Fail(ErrorCode::kInvalidArgument, "this code can no longer be used; ask for a new one", "code");
  }
  return view;
}

Status RequestService::ResendCode(const std::string& id, const std::string& token) {
  return store_.Write([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.GetRequest(id));
    if (!row || !ConstantTimeEqual(row->status_token_hash, key_.KeyedHash("status-token", token))) {
      return Fail(ErrorCode::kNotFound, "no such request", "id");
    }
    if (row->status != "awaiting_verification") {
      return Fail(ErrorCode::kConflict, "this request is not waiting for a verification code", "status");
    }
    if (row->codes_sent >= options_.max_codes_sent) {
      return Fail(ErrorCode::kRateLimited, "too many codes were sent for this request; contact us to continue", "id");
    }
    RETURN_IF_ERROR(SendCode(tx, *row));
    return tx.UpdateRequest(*row);
  });
}

Result<RequestView> RequestService::ConsumerView(const std::string& id, const std::string& token) {
  RequestView view;
  RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, tx.GetRequest(id));
    // The same answer for an unknown id and a wrong token: nothing to enumerate.
    if (!row || token.empty() || !ConstantTimeEqual(row->status_token_hash, key_.KeyedHash("status-token", token))) {
      return Fail(ErrorCode::kNotFound, "no request with this id and token", "id");
    }
    ASSIGN_OR_RETURN(view, ToView(tx, *row, false));
    return Ok();
  }));
  return view;
}

Result<RequestView> RequestService::Get(const std::string& id) {
  RequestView view;
  RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::RequestRow row, Load(tx, id));
    ASSIGN_OR_RETURN(view, ToView(tx, row, true));
    return Ok();
  }));
  return view;
}

Result<std::vector<RequestView>> RequestService::List(const store::RequestFilter& filter) {
  std::vector<RequestView> out;
  RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.ListRequests(filter));
    for (const auto& row : rows) {
      ASSIGN_OR_RETURN(RequestView v, ToView(tx, row, false));
      v.events.clear();
      out.push_back(std::move(v));
    }
    return Ok();
  }));
  return out;
}

Result<RequestView> RequestService::Mutate(const std::string& id,
                                           const std::function<Status(store::Transaction&, store::RequestRow&)>& fn) {
  RequestView view;
  RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::RequestRow row, Load(tx, id));
    RETURN_IF_ERROR(fn(tx, row));
    RETURN_IF_ERROR(tx.UpdateRequest(row));
    ASSIGN_OR_RETURN(view, ToView(tx, row, true));
    return Ok();
  }));
  return view;
}

Result<RequestView> RequestService::Approve(const std::string& id, const Actor& actor, const std::string& reason) {
  return Mutate(id, [&](store::Transaction& tx, store::RequestRow& row) -> Status {
    if (row.status == "awaiting_verification" || row.status == "received") {
      return Fail(ErrorCode::kConflict, "the requester has not been verified yet; a request is approved only after verification", "status");
    }
    return Transition(tx, row, State::kInProgress, actor, "approved", reason.empty() ? "approved for fulfilment" : reason);
  });
}

Result<RequestView> RequestService::Deny(const std::string& id, const Actor& actor, const DenyInput& in) {
  auto reason = ParseDenialReason(in.reason);
  if (!reason) {
    return Fail(ErrorCode::kInvalidArgument,
                "must be one of unverifiable, limit_reached, exemption, manifestly_unfounded_or_excessive, "
                "not_applicable_in_jurisdiction, other",
                "reason");
  }
  const std::string explanation = Trim(in.explanation);
  const std::string exemption = Trim(in.exemption);
  if (*reason == DenialReason::kExemption && exemption.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "name the exemption that applies (e.g. CCPA 1798.105(d)(8), GDPR 17(3)(b))", "exemption");
  }
  if ((*reason == DenialReason::kExemption || *reason == DenialReason::kOther ||
       *reason == DenialReason::kManifestlyUnfoundedOrExcessive) && explanation.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "explain the decision to the consumer; the law requires the reasons", "explanation");
  }
  if (explanation.size() > kMaxDetails || exemption.size() > kMaxValue) {
    return Fail(ErrorCode::kInvalidArgument, "is too long", explanation.size() > kMaxDetails ? "explanation" : "exemption");
  }
  std::string text = DefaultExplanation(*reason);
  if (!explanation.empty()) text = text.empty() ? explanation : text + " " + explanation;
  return Mutate(id, [&](store::Transaction& tx, store::RequestRow& row) {
    return DenyInTx(tx, row, actor, *reason, exemption, text);
  });
}

Result<RequestView> RequestService::Extend(const std::string& id, const Actor& actor, const std::string& raw_reason) {
  const std::string reason = Trim(raw_reason);
  if (reason.empty() || reason.size() > kMaxDetails) {
    return Fail(ErrorCode::kInvalidArgument, "give the reason for the extension; it is sent to the consumer", "reason");
  }
  return Mutate(id, [&](store::Transaction& tx, store::RequestRow& row) -> Status {
    if (IsTerminal(*ParseState(row.status))) {
      return Fail(ErrorCode::kConflict, fmt::format("a request that is {} cannot be extended", row.status), "status");
    }
    if (row.extended) return Fail(ErrorCode::kConflict, "this request was already extended once; the law allows one extension", "status");
    const JurisdictionRules* j = rules_.Find(row.jurisdiction);
    const TypeRule* rule = j->Find(*ParseRequestType(row.type));
    if (rule->extension.IsNone()) {
      return Fail(ErrorCode::kConflict, fmt::format("{} allows no extension for {} requests", j->name, row.type), "status");
    }
    const Date today = LocalDate(clock_.Now());
    const Date due = *ParseDate(row.due_at);
    if (today > due) {
      return Fail(ErrorCode::kConflict,
                  fmt::format("the extension notice had to be sent by the original due date {}", row.due_at), "status");
    }
    // The extended deadline counts from receipt: 45 + 45 days, or 1 + 2 months (not 2 months
    // after a clamped month end).
    const Date received = *ParseDate(row.received_date);
    Date new_due;
    if (rule->respond.unit == rule->extension.unit) {
      new_due = RulesTable::Apply(*j, received, Period{rule->respond.unit, rule->respond.count + rule->extension.count});
    } else {
      new_due = RulesTable::Apply(*j, due, rule->extension);
    }
    row.extended = true;
    row.extension_reason = reason;
    row.due_at = FormatDate(new_due);
    row.updated_at = ToMillis(clock_.Now());
    RETURN_IF_ERROR(AddEvent(tx, row, actor, "extended", reason, true));
    RETURN_IF_ERROR(audit::Append(tx, clock_.Now(), {actor.id, "request.extended", row.id,
                                                     json{{"from_due", row.original_due_at}, {"to_due", row.due_at},
                                                          {"reason", reason}}.dump()}));
    return Notify(tx, row, "extension", fmt::format("We need more time for your privacy request {}", row.id),
                  fmt::format("We need more time to respond to your request {} for {}.\n\nWhy: {}\n\nWe will now respond "
                              "by {}.\n",
                              row.id, PlainWords(*ParseRequestType(row.type)), reason, row.due_at),
                  true);
  });
}

Result<RequestView> RequestService::Fulfil(const std::string& id, const Actor& actor, const std::string& raw_note) {
  return FulfilWith(id, actor, raw_note, "", nullptr);
}

Result<RequestView> RequestService::FulfilWith(const std::string& id, const Actor& actor, const std::string& raw_note,
                                               const std::string& private_text,
                                               const std::function<Status(store::Transaction&)>& also) {
  const std::string note = Trim(raw_note);
  if (note.size() > kMaxDetails) return Fail(ErrorCode::kInvalidArgument, "is too long", "note");
  return Mutate(id, [&](store::Transaction& tx, store::RequestRow& row) -> Status {
    if (row.status == "verified") {
      return Fail(ErrorCode::kConflict, "approve the request before fulfilling it", "status");
    }
    RETURN_IF_ERROR(Transition(tx, row, State::kCompleted, actor, "completed", note.empty() ? "fulfilled" : note));
    if (also) RETURN_IF_ERROR(also(tx));
    const TimePoint now = clock_.Now();
    row.outcome_note = note;
    row.responded_at = ToMillis(now);
    row.responded_date = FormatDate(LocalDate(now));
    return Notify(tx, row, "outcome", fmt::format("Your privacy request {} is complete", row.id),
                  fmt::format("We have completed your request {} for {}.{}{}\n\n{} keeps a record of this request as "
                              "the law requires.\n",
                              row.id, PlainWords(*ParseRequestType(row.type)), note.empty() ? "" : "\n\n" + note,
                              private_text.empty() ? "" : "\n\n" + private_text, inventory_.organization.name),
                  true);
  });
}

Status RequestService::RecordEvent(const std::string& id, const Actor& actor, std::string_view kind,
                                   const std::string& reason, bool is_public) {
  return store_.Write([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::RequestRow row, Load(tx, id));
    if (row.status != "in_progress") {
      return Fail(ErrorCode::kConflict, fmt::format("a request that is {} is not being fulfilled", row.status), "status");
    }
    RETURN_IF_ERROR(AddEvent(tx, row, actor, kind, reason, is_public));
    return audit::Append(tx, clock_.Now(),
                         {actor.id, fmt::format("request.{}", kind), row.id, json{{"reason", reason}}.dump()});
  });
}

Result<RequestView> RequestService::Cancel(const std::string& id, const Actor& actor, const std::string& reason) {
  const std::string why = Trim(reason);
  if (why.size() > kMaxDetails) return Fail(ErrorCode::kInvalidArgument, "is too long", "reason");
  return Mutate(id, [&](store::Transaction& tx, store::RequestRow& row) {
    row.code_hash.clear();
    return Transition(tx, row, State::kCancelled, actor, "cancelled", why.empty() ? "withdrawn" : why);
  });
}

Result<RequestView> RequestService::ToView(store::Transaction& tx, const store::RequestRow& row, bool admin) {
  RequestView v;
  v.id = row.id;
  v.type = row.type;
  v.jurisdiction = row.jurisdiction;
  v.status = row.status;
  v.channel = row.channel;
  v.received_at = FromMillis(row.received_at);
  v.received_date = row.received_date;
  v.confirm_by = row.confirm_by;
  v.due_at = row.due_at;
  v.original_due_at = row.original_due_at;
  v.extended = row.extended;
  v.extension_reason = row.extension_reason;
  v.verification_level = row.verification_level;
  v.data_points = row.data_points;
  v.signed_declaration = row.signed_declaration;
  v.verified = row.verified_at != 0;
  v.agent_authority = row.agent_authority;
  v.awaiting_agent_confirmation = row.agent_authority == "signed_permission" && !row.agent_confirmed &&
                                  !IsTerminal(*ParseState(row.status));
  v.denial_reason = row.denial_reason;
  v.denial_detail = row.denial_detail;
  v.denial_explanation = row.denial_explanation;
  v.outcome_note = row.outcome_note;
  v.responded_date = row.responded_date;
  v.lookback_all = row.lookback_all;
  v.appeal_of = row.appeal_of;
  v.days_left = DaysBetween(LocalDate(clock_.Now()), *ParseDate(row.due_at));
  v.notice_version = row.notice_version;
  if (admin) {
    ASSIGN_OR_RETURN(std::string identity_text, key_.Open(row.identity_sealed));
    const json identity = json::parse(identity_text);
    const json& fields = identity["identity"];
    for (const auto& [k, val] : fields.items()) v.identity[k] = val.get<std::string>();
    v.details = identity.value("details", "");
    if (!row.agent_sealed.empty()) {
      ASSIGN_OR_RETURN(std::string agent_text, key_.Open(row.agent_sealed));
      const json agent = json::parse(agent_text);
      for (const auto& [k, val] : agent.items()) v.agent[k] = val.get<std::string>();
    }
  }
  ASSIGN_OR_RETURN(auto events, tx.ListEvents(row.id));
  for (const auto& e : events) {
    if (!admin && !e.is_public) continue;
    v.events.push_back(EventView{e.seq, FromMillis(e.at), admin ? e.actor : "", e.kind, e.from_status, e.to_status,
                                 e.reason, e.is_public});
  }
  return v;
}

Result<Metrics> RequestService::ComputeMetrics(int year) {
  if (year < 2020 || year > 2100) return Fail(ErrorCode::kInvalidArgument, "must be a year such as 2026", "year");
  Metrics m;
  m.year = year;
  std::map<std::string, std::vector<int>> days;
  std::map<std::string, TypeMetrics> by_type;
  RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> Status {
    const Date first{std::chrono::year(year), std::chrono::January, std::chrono::day(1)};
    store::RequestFilter f;
    // A day of margin each side for the business time zone; received_date decides.
    f.received_from = StartOfDayMillis(AddDays(first, -1));
    f.received_until = StartOfDayMillis(AddDays(Date{std::chrono::year(year + 1), std::chrono::January, std::chrono::day(1)}, 1));
    f.limit = 1'000'000'000;
    ASSIGN_OR_RETURN(auto rows, tx.ListRequests(f));
    for (const auto& r : rows) {
      if (r.received_date.compare(0, 4, std::to_string(year)) != 0) continue;
      TypeMetrics& t = by_type[r.type];
      t.type = r.type;
      ++t.received;
      if (r.status == "completed") ++t.complied;
      else if (r.status == "denied") {
        ++t.denied;
        ++t.denied_by_reason[r.denial_reason];
      } else if (r.status != "cancelled") ++t.pending;
      if (!r.responded_date.empty()) {
        days[r.type].push_back(DaysBetween(*ParseDate(r.received_date), *ParseDate(r.responded_date)));
      }
    }
    return Ok();
  }));
  for (auto& [type, t] : by_type) {
    auto& d = days[type];
    t.responded = static_cast<int>(d.size());
    if (!d.empty()) {
      std::sort(d.begin(), d.end());
      t.median_days = d.size() % 2 ? d[d.size() / 2] : (d[d.size() / 2 - 1] + d[d.size() / 2]) / 2.0;
      double sum = 0;
      for (int x : d) sum += x;
      t.mean_days = sum / static_cast<double>(d.size());
    }
    m.types.push_back(t);
  }
  return m;
}

}  // namespace steward::rights
