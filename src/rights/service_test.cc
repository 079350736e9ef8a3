#include "rights/service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "audit/audit.h"
#include "notify/outbox.h"

namespace steward::rights {
namespace {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(SetProcessTimeZone("America/Los_Angeles"));
    dir_ = std::filesystem::temp_directory_path() / ("steward-rights-" + RandomBase32(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::OpenSqliteStore(dir_ / "steward.db"));
    auto inv = inventory::LoadInventoryFile(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/inventory.yaml");
    ASSERT_TRUE(inv) << inv.error().message;
    inventory_ = *inv;
    rules_ = *RulesTable::Default();
    service_ = std::make_unique<RequestService>(*store_, rules_, inventory_, key_, clock_);
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static IntakeInput Delete(const std::string& jurisdiction = "US-CA", const std::string& email = "ada@example.com") {
    IntakeInput in;
    in.type = "delete";
    in.jurisdiction = jurisdiction;
    in.identity = {{"email", email}, {"name", "Ada Lovelace"}};
    return in;
  }
  static IntakeInput Access(const std::string& email = "ada@example.com") {
    IntakeInput in;
    in.type = "access";
    in.jurisdiction = "US-CA";
    in.identity = {{"email", email}, {"name", "Ada Lovelace"}, {"postal_code", "94105"}};
    in.signed_declaration = true;
    return in;
  }

  std::vector<notify::Message> Messages(const std::string& id) {
    std::vector<notify::Message> out;
    EXPECT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(auto rows, tx.ListMessages(id, "", 100));
      for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
        out.push_back({it->request_id, it->kind, it->channel, *key_.Open(it->recipient_sealed), it->subject,
                       *key_.Open(it->body_sealed)});
      }
      return Ok();
    }));
    return out;
  }
  // The newest verification code sent for `id`, read from the outbox as the recipient would.
  std::string CodeFor(const std::string& id) {
    std::string code;
    for (const auto& m : Messages(id)) {
      std::smatch match;
      if (m.kind == "verification_code" && std::regex_search(m.body, match, std::regex(R"(\b(\d{6})\b)"))) code = match[1];
    }
    EXPECT_FALSE(code.empty());
    return code;
  }
  std::string FiledAndVerified(const IntakeInput& in) {
    auto r = service_->File(in);
    EXPECT_TRUE(r) << r.error().message;
    if (r->status == "awaiting_verification") {
      EXPECT_TRUE(service_->Verify(r->id, CodeFor(r->id), std::nullopt));
    }
    return r->id;
  }
  int RequestCount() {
    int n = 0;
    EXPECT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(auto rows, tx.ListRequests({}));
      n = static_cast<int>(rows.size());
      return Ok();
    }));
    return n;
  }
  void ExpectError(const Result<IntakeResult>& r, ErrorCode code, const std::string& field) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_EQ(r.error().field, field) << r.error().message;
  }

  const Actor admin_{"admin:tok_test", "admin"};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  inventory::Inventory inventory_;
  RulesTable rules_;
  InstanceKey key_ = InstanceKey::Generate();
  // 09:00 in California on Tuesday 24 November 2026.
  ManualClock clock_{*ParseTimestamp("2026-11-24T17:00:00Z")};
  std::unique_ptr<RequestService> service_;
};

TEST_F(ServiceTest, CaliforniaDeleteGetsItsDeadlinesAReceiptAndACode) {
  auto r = service_->File(Delete());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->id.starts_with("req_"));
  EXPECT_EQ(r->status, "awaiting_verification");
  EXPECT_EQ(FormatDate(r->due_at), "2027-01-08");
  ASSERT_TRUE(r->confirm_by);
  EXPECT_EQ(FormatDate(*r->confirm_by), "2026-12-10");  // Thanksgiving and the day after skipped
  EXPECT_GE(r->status_token.size(), 32u);
  auto msgs = Messages(r->id);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].kind, "receipt");
  EXPECT_EQ(msgs[0].recipient, "ada@example.com");
  EXPECT_NE(msgs[0].body.find("2027-01-08"), std::string::npos);
  EXPECT_NE(msgs[0].body.find(r->status_token), std::string::npos);
  EXPECT_EQ(msgs[1].kind, "verification_code");
  auto audit = audit::Verify(*store_);
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->intact);
  EXPECT_GE(audit->entries, 2);
}

TEST_F(ServiceTest, EuRequestIsDueInOneCalendarMonthWithoutReceiptDeadline) {
  auto r = service_->File(Delete("EU"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(FormatDate(r->due_at), "2026-12-24");
  EXPECT_FALSE(r->confirm_by);
}

TEST_F(ServiceTest, ReceiptDateIsTheBusinessLocalDay) {
  clock_.Set(*ParseTimestamp("2026-11-25T06:30:00Z"));  // still 24 November in California
  auto r = service_->File(Delete());
  ASSERT_TRUE(r);
  EXPECT_EQ(FormatDate(r->due_at), "2027-01-08");
}

TEST_F(ServiceTest, FullLifecycleToCompletion) {
  auto r = service_->File(Delete());
  ASSERT_TRUE(r);
  auto v = service_->Verify(r->id, CodeFor(r->id), std::nullopt);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->status, "verified");
  EXPECT_TRUE(v->identity.empty());  // consumer view carries no identity
  auto a = service_->Approve(r->id, admin_, "");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->status, "in_progress");
  clock_.Advance(std::chrono::hours(24 * 3));
  auto f = service_->Fulfil(r->id, admin_, "Deleted from the shop database and the help desk.");
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->status, "completed");
  EXPECT_EQ(f->responded_date, "2026-11-27");
  EXPECT_EQ(f->identity.at("email"), "ada@example.com");
  std::vector<std::string> kinds;
  for (const auto& e : f->events) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"received", "verification_started", "verification_code_sent", "verified",
                                              "approved", "completed"}));
  EXPECT_EQ(Messages(r->id).back().kind, "outcome");
  // Terminal: nothing more may happen.
  auto again = service_->Approve(r->id, admin_, "");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(service_->Deny(r->id, admin_, {"other", "", "late"}).error().code, ErrorCode::kConflict);
  EXPECT_EQ(service_->Extend(r->id, admin_, "more time").error().code, ErrorCode::kConflict);
  EXPECT_EQ(service_->Cancel(r->id, admin_, "").error().code, ErrorCode::kConflict);
  EXPECT_TRUE(audit::Verify(*store_)->intact);
}

TEST_F(ServiceTest, UnverifiedRequestsCannotBeApprovedOrFulfilled) {
  auto r = service_->File(Delete());
  ASSERT_TRUE(r);
  EXPECT_EQ(service_->Approve(r->id, admin_, "").error().code, ErrorCode::kConflict);
  EXPECT_EQ(service_->Fulfil(r->id, admin_, "").error().code, ErrorCode::kConflict);
  ASSERT_TRUE(service_->Verify(r->id, CodeFor(r->id), std::nullopt));
  EXPECT_EQ(service_->Fulfil(r->id, admin_, "").error().code, ErrorCode::kConflict);  // approve first
}

TEST_F(ServiceTest, WrongCodesAreCountedAndExhaustTheCode) {
  auto r = service_->File(Delete());
  ASSERT_TRUE(r);
  const std::string good = CodeFor(r->id);
  const std::string bad = good == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) {
    auto v = service_->Verify(r->id, bad, std::nullopt);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().field, "code");
  }
  auto v = service_->Verify(r->id, good, std::nullopt);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("no longer"), std::string::npos);
  ASSERT_TRUE(service_->ResendCode(r->id, r->status_token));
  auto fresh = CodeFor(r->id);
  ASSERT_TRUE(service_->Verify(r->id, fresh, std::nullopt));
  // A used code cannot be used again.
  EXPECT_EQ(service_->Verify(r->id, fresh, std::nullopt).error().code, ErrorCode::kConflict);
}

TEST_F(ServiceTest, CodesExpireAfterTenMinutes) {
  auto r = service_->File(Delete());
  ASSERT_TRUE(r);
  clock_.Advance(std::chrono::minutes(11));
  auto v = service_->Verify(r->id, CodeFor(r->id), std::nullopt);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("expired"), std::string::npos);
}

TEST_F(ServiceTest, ResendNeedsTheStatusTokenAndIsLimited) {
  auto r = service_->File(Delete());
  ASSERT_TRUE(r);
  EXPECT_EQ(service_->ResendCode(r->id, "wrong").error().code, ErrorCode::kNotFound);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(service_->ResendCode(r->id, r->status_token));
  EXPECT_EQ(service_->ResendCode(r->id, r->status_token).error().code, ErrorCode::kRateLimited);
}

TEST_F(ServiceTest, BadIntakeIsRefusedNamingTheFieldAndStoresNothing) {
  auto with = [](IntakeInput in, auto change) {
    change(in);
    return in;
  };
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.type = "erase"; })), ErrorCode::kInvalidArgument, "type");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.jurisdiction = "US-NV"; })), ErrorCode::kInvalidArgument, "jurisdiction");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.jurisdiction = "UK"; })), ErrorCode::kInvalidArgument, "jurisdiction");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.type = "restrict"; })), ErrorCode::kInvalidArgument, "type");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.identity.erase("email"); in.identity["account_id"] = "A1"; })),
              ErrorCode::kInvalidArgument, "identity.email");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.identity["email"] = "not-an-email"; })),
              ErrorCode::kInvalidArgument, "identity.email");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.identity["phone"] = "12"; })), ErrorCode::kInvalidArgument, "identity.phone");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.identity["ssn"] = "123-45-6789"; })), ErrorCode::kInvalidArgument, "identity.ssn");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.identity["date_of_birth"] = "2030-01-01"; })),
              ErrorCode::kInvalidArgument, "identity.date_of_birth");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.identity["name"] = "Ada\x01"; })), ErrorCode::kInvalidArgument, "identity.name");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.identity.erase("name"); })), ErrorCode::kInvalidArgument, "identity");
  ExpectError(service_->File(with(Access(), [](auto& in) { in.identity.erase("postal_code"); })), ErrorCode::kInvalidArgument, "identity");
  ExpectError(service_->File(with(Access(), [](auto& in) { in.signed_declaration = false; })), ErrorCode::kInvalidArgument, "signed_declaration");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.type = "correct"; })), ErrorCode::kInvalidArgument, "details");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.channel = "pigeon"; })), ErrorCode::kInvalidArgument, "channel");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.lookback_all = true; })), ErrorCode::kInvalidArgument, "lookback_all");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.agent = AgentInput{"", "a@agent.example", "", "signed_permission", "doc"}; })),
              ErrorCode::kInvalidArgument, "agent.name");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.agent = AgentInput{"Agent", "a@agent.example", "", "friend", "doc"}; })),
              ErrorCode::kInvalidArgument, "agent.authority");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.agent = AgentInput{"Agent", "a@agent.example", "", "signed_permission", ""}; })),
              ErrorCode::kInvalidArgument, "agent.document_ref");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.agent = AgentInput{"Agent", "", "", "power_of_attorney", "doc"}; })),
              ErrorCode::kInvalidArgument, "agent.email");
  ExpectError(service_->File(with(Delete(), [](auto& in) { in.type = "appeal"; in.jurisdiction = "US-VA"; })),
              ErrorCode::kInvalidArgument, "appeal_of");
  EXPECT_EQ(RequestCount(), 0);
  EXPECT_EQ(audit::Verify(*store_)->entries, 0);
}

TEST_F(ServiceTest, OptOutNeedsNoVerificationAndIsDueIn15BusinessDays) {
  IntakeInput in;
  in.type = "opt_out_sale_share";
  in.jurisdiction = "US-CA";
  in.identity = {{"email", "ada@example.com"}};
  auto r = service_->File(in);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, "verified");
  EXPECT_EQ(r->verification, "none");
  EXPECT_FALSE(r->confirm_by);
  // 15 California business days: 26 and 27 November are state holidays.
  EXPECT_EQ(FormatDate(r->due_at), "2026-12-17");
  for (const auto& m : Messages(r->id)) EXPECT_NE(m.kind, "verification_code");
}

TEST_F(ServiceTest, AgentWithSignedPermissionNeedsTheConsumersOwnConfirmation) {
  IntakeInput in = Delete();
  in.agent = AgentInput{"Privacy Helpers LLC", "desk@helpers.example", "", "signed_permission", "permission-2026-118.pdf"};
  auto r = service_->File(in);
  ASSERT_TRUE(r) << r.error().message;
  auto msgs = Messages(r->id);
  EXPECT_EQ(msgs[0].recipient, "desk@helpers.example");  // the receipt goes to the agent who filed
  EXPECT_EQ(msgs[1].recipient, "ada@example.com");       // the code goes to the consumer
  EXPECT_NE(msgs[1].body.find("Privacy Helpers LLC"), std::string::npos);
  auto pending = service_->ConsumerView(r->id, r->status_token);
  ASSERT_TRUE(pending);
  EXPECT_TRUE(pending->awaiting_agent_confirmation);

  const std::string code = CodeFor(r->id);
  auto missing = service_->Verify(r->id, code, std::nullopt);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "confirm_agent");
  auto v = service_->Verify(r->id, code, true);  // the code was not used up by the incomplete answer
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->status, "verified");
  EXPECT_FALSE(v->awaiting_agent_confirmation);
}

TEST_F(ServiceTest, ConsumerWhoDidNotAuthoriseTheAgentEndsTheRequest) {
  IntakeInput in = Delete();
  in.agent = AgentInput{"Unknown Agent", "x@agent.example", "", "signed_permission", "doc-1"};
  auto r = service_->File(in);
  ASSERT_TRUE(r);
  auto v = service_->Verify(r->id, CodeFor(r->id), false);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->status, "denied");
  EXPECT_EQ(v->denial_reason, "other");
  EXPECT_NE(v->denial_explanation.find("did not authorise"), std::string::npos);
}

TEST_F(ServiceTest, PowerOfAttorneyAndParentVerifyThemselves) {
  for (const char* authority : {"power_of_attorney", "parent_guardian"}) {
    IntakeInput in = Delete("US-CA", std::string("kid-") + authority + "@example.com");
    in.agent = AgentInput{"Grace Hopper", "grace@example.com", "", authority, "poa-17"};
    auto r = service_->File(in);
    ASSERT_TRUE(r) << r.error().message;
    auto msgs = Messages(r->id);
    EXPECT_EQ(msgs[1].kind, "verification_code");
    EXPECT_EQ(msgs[1].recipient, "grace@example.com");
    auto v = service_->Verify(r->id, CodeFor(r->id), std::nullopt);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->status, "verified");
    EXPECT_FALSE(v->awaiting_agent_confirmation);
  }
}

TEST_F(ServiceTest, ThirdAccessRequestIn12MonthsIsDeniedAsOverTheLimit) {
  FiledAndVerified(Access());
  clock_.Advance(std::chrono::hours(24 * 30));
  FiledAndVerified(Access("ADA@example.com"));  // same person, other capitalisation
  clock_.Advance(std::chrono::hours(24 * 30));
  auto third = service_->File(Access());
  ASSERT_TRUE(third);
  auto v = service_->Verify(third->id, CodeFor(third->id), std::nullopt);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->status, "denied");
  EXPECT_EQ(v->denial_reason, "limit_reached");
  EXPECT_NE(v->denial_explanation.find("2 requests"), std::string::npos);
  // Someone else is not limited; nor is the same person a year later.
  EXPECT_EQ(service_->Get(FiledAndVerified(Access("grace@example.com")))->status, "verified");
  clock_.Advance(std::chrono::hours(24 * 366));
  EXPECT_EQ(service_->Get(FiledAndVerified(Access()))->status, "verified");
}

TEST_F(ServiceTest, UnverifiedAndLimitDenialsDoNotCountTowardTheLimit) {
  auto first = service_->File(Access());
  ASSERT_TRUE(first);
  ASSERT_TRUE(service_->Deny(first->id, admin_, {"unverifiable", "", ""}));
  FiledAndVerified(Access());
  FiledAndVerified(Access());
  auto third = service_->Get(FiledAndVerified(Access()));
  EXPECT_EQ(third->denial_reason, "limit_reached");
  EXPECT_EQ(service_->Get(FiledAndVerified(Access()))->denial_reason, "limit_reached");
}

TEST_F(ServiceTest, OneExtensionWithAReasonBeforeTheOriginalDueDate) {
  auto r = service_->File(Delete());
  ASSERT_TRUE(r);
  EXPECT_EQ(service_->Extend(r->id, admin_, " ").error().field, "reason");
  auto e = service_->Extend(r->id, admin_, "Your records are spread across three archived systems.");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_TRUE(e->extended);
  EXPECT_EQ(e->due_at, "2027-02-22");  // 90 days after receipt
  EXPECT_EQ(e->original_due_at, "2027-01-08");
  EXPECT_EQ(Messages(r->id).back().kind, "extension");
  EXPECT_NE(Messages(r->id).back().body.find("three archived systems"), std::string::npos);
  auto twice = service_->Extend(r->id, admin_, "again");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);

  auto late = service_->File(Delete("US-CA", "late@example.com"));
  ASSERT_TRUE(late);
  clock_.Advance(std::chrono::hours(24 * 46));
  EXPECT_EQ(service_->Extend(late->id, admin_, "too late").error().code, ErrorCode::kConflict);
}

TEST_F(ServiceTest, GdprExtensionIsTwoMoreMonthsFromReceipt) {
  clock_.Set(*ParseTimestamp("2026-01-31T12:00:00Z"));
  auto r = service_->File(Delete("EU"));
  ASSERT_TRUE(r);
  EXPECT_EQ(FormatDate(r->due_at), "2026-02-28");
  auto e = service_->Extend(r->id, admin_, "Complex request");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->due_at, "2026-04-30");
}

TEST_F(ServiceTest, OptOutsCannotBeExtended) {
  IntakeInput in;
  in.type = "opt_out_sale_share";
  in.jurisdiction = "US-CA";
  in.identity = {{"email", "ada@example.com"}};
  auto r = service_->File(in);
  ASSERT_TRUE(r);
  EXPECT_EQ(service_->Extend(r->id, admin_, "busy").error().code, ErrorCode::kConflict);
}

TEST_F(ServiceTest, DenialsNeedTheirReasonsAndReachTheConsumer) {
  auto r = service_->File(Delete());
  ASSERT_TRUE(r);
  EXPECT_EQ(service_->Deny(r->id, admin_, {"because", "", ""}).error().field, "reason");
  EXPECT_EQ(service_->Deny(r->id, admin_, {"exemption", "", "tax"}).error().field, "exemption");
  EXPECT_EQ(service_->Deny(r->id, admin_, {"exemption", "CCPA 1798.105(d)(8)", ""}).error().field, "explanation");
  EXPECT_EQ(service_->Deny(r->id, admin_, {"other", "", ""}).error().field, "explanation");
  auto d = service_->Deny(r->id, admin_, {"exemption", "CCPA 1798.105(d)(8)", "We must keep invoices for six years under tax law."});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->status, "denied");
  auto view = service_->ConsumerView(r->id, r->status_token);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->denial_explanation, "We must keep invoices for six years under tax law.");
  auto outcome = Messages(r->id).back();
  EXPECT_EQ(outcome.kind, "outcome");
  EXPECT_NE(outcome.body.find("six years"), std::string::npos);
  EXPECT_NE(outcome.body.find("1798.105(d)(8)"), std::string::npos);
}

TEST_F(ServiceTest, GdprDenialTellsOfTheRightToComplain) {
  auto r = service_->File(Delete("EU"));
  ASSERT_TRUE(service_->Deny(r->id, admin_, {"unverifiable", "", ""}));
  EXPECT_NE(Messages(r->id).back().body.find("supervisory authority"), std::string::npos);
}

TEST_F(ServiceTest, ConsumerViewDoesNotTellAWrongTokenFromAMissingRequest) {
  auto r = service_->File(Delete());
  ASSERT_TRUE(r);
  auto wrong = service_->ConsumerView(r->id, "x");
  auto missing = service_->ConsumerView("req_nothere", r->status_token);
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(missing);
  EXPECT_EQ(wrong.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(wrong.error().message, missing.error().message);
  auto ok = service_->ConsumerView(r->id, r->status_token);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->identity.empty());
  for (const auto& e : ok->events) EXPECT_TRUE(e.is_public);
  EXPECT_EQ(service_->Get(r->id)->identity.at("name"), "Ada Lovelace");
}

TEST_F(ServiceTest, AppealsNeedTheDecidedRequestAndItsToken) {
  auto r = service_->File(Delete("US-VA"));
  ASSERT_TRUE(r);
  ASSERT_TRUE(service_->Deny(r->id, admin_, {"unverifiable", "", ""}));
  EXPECT_NE(Messages(r->id).back().body.find("appeal"), std::string::npos);
  IntakeInput appeal = Delete("US-VA");
  appeal.type = "appeal";
  appeal.appeal_of = r->id;
  appeal.appeal_token = "wrong";
  ExpectError(service_->File(appeal), ErrorCode::kInvalidArgument, "appeal_of");
  appeal.appeal_token = r->status_token;
  auto a = service_->File(appeal);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->status, "verified");
  EXPECT_EQ(FormatDate(a->due_at), "2027-01-23");
  EXPECT_EQ(service_->Get(a->id)->appeal_of, r->id);
}

TEST_F(ServiceTest, CancelledRequestsStopAcceptingCodes) {
  auto r = service_->File(Delete());
  ASSERT_TRUE(r);
  ASSERT_TRUE(service_->Cancel(r->id, admin_, "The consumer withdrew it by phone."));
  EXPECT_EQ(service_->Verify(r->id, CodeFor(r->id), std::nullopt).error().code, ErrorCode::kConflict);
}

TEST_F(ServiceTest, MetricsCountPerTypeWithDaysToRespond) {
  clock_.Set(*ParseTimestamp("2026-03-02T17:00:00Z"));
  auto a = FiledAndVerified(Delete());
  auto b = FiledAndVerified(Delete("US-CA", "b@example.com"));
  auto c = service_->File(Delete("US-CA", "c@example.com"));
  auto d = FiledAndVerified(Access());
  ASSERT_TRUE(service_->Approve(a, admin_, ""));
  clock_.Advance(std::chrono::hours(24 * 10));
  ASSERT_TRUE(service_->Fulfil(a, admin_, ""));
  clock_.Advance(std::chrono::hours(24 * 10));
  ASSERT_TRUE(service_->Deny(b, admin_, {"exemption", "CCPA 1798.105(d)(8)", "Legal obligation."}));
  ASSERT_TRUE(service_->Deny(c->id, admin_, {"unverifiable", "", ""}));
  auto m = service_->ComputeMetrics(2026);
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->types.size(), 2u);
  const TypeMetrics& del = m->types[1].type == "delete" ? m->types[1] : m->types[0];
  EXPECT_EQ(del.received, 3);
  EXPECT_EQ(del.complied, 1);
  EXPECT_EQ(del.denied, 2);
  EXPECT_EQ(del.denied_by_reason.at("exemption"), 1);
  EXPECT_EQ(del.denied_by_reason.at("unverifiable"), 1);
  EXPECT_EQ(del.responded, 3);
  EXPECT_DOUBLE_EQ(del.median_days, 20);
  EXPECT_DOUBLE_EQ(del.mean_days, 50.0 / 3.0);
  const TypeMetrics& acc = m->types[0].type == "access" ? m->types[0] : m->types[1];
  EXPECT_EQ(acc.pending, 1);
  EXPECT_EQ(service_->ComputeMetrics(2025)->types.size(), 0u);
  EXPECT_EQ(service_->ComputeMetrics(1999).error().field, "year");
  (void)d;
}

}  // namespace
}  // namespace steward::rights
