#include "rights/types.h"

#include <gtest/gtest.h>

#include <set>

namespace steward::rights {
namespace {

const std::vector<State> kAllStates = {State::kReceived, State::kAwaitingVerification, State::kVerified,
                                       State::kInProgress, State::kCompleted, State::kDenied, State::kCancelled};

TEST(TypesTest, NamesRoundTrip) {
  for (RequestType t : AllRequestTypes()) EXPECT_EQ(ParseRequestType(Name(t)), t);
  for (State s : kAllStates) EXPECT_EQ(ParseState(Name(s)), s);
  for (DenialReason r : AllDenialReasons()) EXPECT_EQ(ParseDenialReason(Name(r)), r);
  EXPECT_EQ(AllRequestTypes().size(), 12u);
  EXPECT_FALSE(ParseRequestType("erase"));
  EXPECT_EQ(Name(RequestType::kOptOutSaleShare), "opt_out_sale_share");
}

TEST(StateMachineTest, ExactlyTheDesignedTransitionsAreAllowed) {
  const std::set<std::pair<State, State>> allowed = {
      {State::kReceived, State::kAwaitingVerification}, {State::kReceived, State::kVerified},
      {State::kReceived, State::kDenied}, {State::kReceived, State::kCancelled},
      {State::kAwaitingVerification, State::kVerified}, {State::kAwaitingVerification, State::kDenied},
      {State::kAwaitingVerification, State::kCancelled}, {State::kVerified, State::kInProgress},
      {State::kVerified, State::kDenied}, {State::kVerified, State::kCancelled},
      {State::kInProgress, State::kCompleted}, {State::kInProgress, State::kDenied},
      {State::kInProgress, State::kCancelled},
  };
  for (State from : kAllStates) {
    for (State to : kAllStates) {
      EXPECT_EQ(CanTransition(from, to), allowed.contains({from, to})) << Name(from) << " -> " << Name(to);
    }
  }
  for (State s : {State::kCompleted, State::kDenied, State::kCancelled}) EXPECT_TRUE(IsTerminal(s));
}

}  // namespace
}  // namespace steward::rights
