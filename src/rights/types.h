// The vocabulary of consumer requests (DESIGN.md): types, states, denial reasons, verification
// levels and agent authorities, with their wire names. Constant tables; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steward::rights {

enum class RequestType {
  kAccess, kKnowCategories, kPortability, kDelete, kCorrect, kOptOutSaleShare, kLimitSensitive,
  kRestrict, kObject, kWithdrawConsent, kAppeal, kShineTheLight,
};
enum class State { kReceived, kAwaitingVerification, kVerified, kInProgress, kCompleted, kDenied, kCancelled };
enum class DenialReason {
  kUnverifiable, kLimitReached, kExemption, kManifestlyUnfoundedOrExcessive, kNotApplicableInJurisdiction, kOther,
};
enum class VerificationLevel { kNone, kReasonable, kReasonablyHigh };
enum class AgentAuthority { kSignedPermission, kPowerOfAttorney, kParentGuardian };

std::string_view Name(RequestType t);
std::string_view Name(State s);
std::string_view Name(DenialReason r);
std::string_view Name(VerificationLevel v);
std::string_view Name(AgentAuthority a);

std::optional<RequestType> ParseRequestType(std::string_view s);
std::optional<State> ParseState(std::string_view s);
std::optional<DenialReason> ParseDenialReason(std::string_view s);
std::optional<VerificationLevel> ParseVerificationLevel(std::string_view s);
std::optional<AgentAuthority> ParseAgentAuthority(std::string_view s);

// What a consumer would call the request ("a copy of your personal information").
std::string_view PlainWords(RequestType t);
const std::vector<RequestType>& AllRequestTypes();
const std::vector<DenialReason>& AllDenialReasons();

bool IsTerminal(State s);
// The state machine: received → awaiting_verification → verified → in_progress → completed,
// with denied and cancelled reachable from every non-terminal state.
bool CanTransition(State from, State to);

}  // namespace steward::rights
