#include "rights/types.h"

#include <array>
#include <utility>

namespace steward::rights {
namespace {

template <typename E, size_t N>
std::string_view NameIn(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> ParseIn(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
  for (const auto& [e, name] : table) {
    if (name == s) return e;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<RequestType, std::string_view>, 12> kTypes = {{
    {RequestType::kAccess, "access"},
    {RequestType::kKnowCategories, "know_categories"},
    {RequestType::kPortability, "portability"},
    {RequestType::kDelete, "delete"},
    {RequestType::kCorrect, "correct"},
    {RequestType::kOptOutSaleShare, "opt_out_sale_share"},
    {RequestType::kLimitSensitive, "limit_sensitive"},
    {RequestType::kRestrict, "restrict"},
    {RequestType::kObject, "object"},
    {RequestType::kWithdrawConsent, "withdraw_consent"},
    {RequestType::kAppeal, "appeal"},
    {RequestType::kShineTheLight, "shine_the_light"},
}};

constexpr std::array<std::pair<RequestType, std::string_view>, 12> kPlainWords = {{
    {RequestType::kAccess, "a copy of your personal information"},
    {RequestType::kKnowCategories, "the categories of personal information we hold about you"},
    {RequestType::kPortability, "a portable copy of the personal information you gave us"},
    {RequestType::kDelete, "deletion of your personal information"},
    {RequestType::kCorrect, "correction of your personal information"},
    {RequestType::kOptOutSaleShare, "to opt out of the sale or sharing of your personal information"},
    {RequestType::kLimitSensitive, "to limit the use of your sensitive personal information"},
    {RequestType::kRestrict, "restriction of the processing of your personal data"},
    {RequestType::kObject, "to object to the processing of your personal data"},
    {RequestType::kWithdrawConsent, "to withdraw your consent"},
    {RequestType::kAppeal, "an appeal of our decision on your earlier request"},
    {RequestType::kShineTheLight, "the list of third parties that received your information for their direct marketing"},
}};

constexpr std::array<std::pair<State, std::string_view>, 7> kStates = {{
    {State::kReceived, "received"},
    {State::kAwaitingVerification, "awaiting_verification"},
    {State::kVerified, "verified"},
    {State::kInProgress, "in_progress"},
    {State::kCompleted, "completed"},
    {State::kDenied, "denied"},
    {State::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<DenialReason, std::string_view>, 6> kReasons = {{
    {DenialReason::kUnverifiable, "unverifiable"},
    {DenialReason::kLimitReached, "limit_reached"},
    {DenialReason::kExemption, "exemption"},
    {DenialReason::kManifestlyUnfoundedOrExcessive, "manifestly_unfounded_or_excessive"},
    {DenialReason::kNotApplicableInJurisdiction, "not_applicable_in_jurisdiction"},
    {DenialReason::kOther, "other"},
}};

constexpr std::array<std::pair<VerificationLevel, std::string_view>, 3> kLevels = {{
    {VerificationLevel::kNone, "none"},
    {VerificationLevel::kReasonable, "reasonable"},
    {VerificationLevel::kReasonablyHigh, "reasonably_high"},
}};

constexpr std::array<std::pair<AgentAuthority, std::string_view>, 3> kAuthorities = {{
    {AgentAuthority::kSignedPermission, "signed_permission"},
    {AgentAuthority::kPowerOfAttorney, "power_of_attorney"},
    {AgentAuthority::kParentGuardian, "parent_guardian"},
}};

// Allowed transitions, as data.
constexpr std::array<std::pair<State, State>, 13> kTransitions = {{
    {State::kReceived, State::kAwaitingVerification},
    {State::kReceived, State::kVerified},
    {State::kReceived, State::kDenied},
    {State::kReceived, State::kCancelled},
    {State::kAwaitingVerification, State::kVerified},
    {State::kAwaitingVerification, State::kDenied},
    {State::kAwaitingVerification, State::kCancelled},
    {State::kVerified, State::kInProgress},
    {State::kVerified, State::kDenied},
    {State::kVerified, State::kCancelled},
    {State::kInProgress, State::kCompleted},
    {State::kInProgress, State::kDenied},
    {State::kInProgress, State::kCancelled},
}};

}  // namespace

std::string_view Name(RequestType t) { return NameIn(kTypes, t); }
std::string_view Name(State s) { return NameIn(kStates, s); }
std::string_view Name(DenialReason r) { return NameIn(kReasons, r); }
std::string_view Name(VerificationLevel v) { return NameIn(kLevels, v); }
std::string_view Name(AgentAuthority a) { return NameIn(kAuthorities, a); }
std::optional<RequestType> ParseRequestType(std::string_view s) { return ParseIn(kTypes, s); }
std::optional<State> ParseState(std::string_view s) { return ParseIn(kStates, s); }
std::optional<DenialReason> ParseDenialReason(std::string_view s) { return ParseIn(kReasons, s); }
std::optional<VerificationLevel> ParseVerificationLevel(std::string_view s) { return ParseIn(kLevels, s); }
std::optional<AgentAuthority> ParseAgentAuthority(std::string_view s) { return ParseIn(kAuthorities, s); }
std::string_view PlainWords(RequestType t) { return NameIn(kPlainWords, t); }

const std::vector<RequestType>& AllRequestTypes() {
  static const std::vector<RequestType> kAll = [] {
    std::vector<RequestType> v;
    for (const auto& [t, _] : kTypes) v.push_back(t);
    return v;
  }();
  return kAll;
}

const std::vector<DenialReason>& AllDenialReasons() {
  static const std::vector<DenialReason> kAll = [] {
    std::vector<DenialReason> v;
    for (const auto& [r, _] : kReasons) v.push_back(r);
    return v;
  }();
  return kAll;
}

bool IsTerminal(State s) { return s == State::kCompleted || s == State::kDenied || s == State::kCancelled; }

bool CanTransition(State from, State to) {
  for (const auto& [a, b] : kTransitions) {
    if (a == from && b == to) return true;
  }
  return false;
}

}  // namespace steward::rights
