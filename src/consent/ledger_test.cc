// Every rule of the consent ledger and the decision API, on a real SQLite store.
#include "consent/ledger.h"

#include "consent/gpp.h"
#include "rights/rules.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

namespace steward::consent {
namespace {

class ConsentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("steward-consent-" + RandomBase32(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::OpenSqliteStore(dir_ / "steward.db"));
    auto inv = inventory::LoadInventoryFile(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/inventory.yaml");
    ASSERT_TRUE(inv) << inv.error().message;
    inventory_ = *inv;
    // Sensitive data in use for this test: precise location, for orders (a 7027(m) use) and analytics.
    for (auto& p : inventory_.purposes) {
      if (p.id == "provide_service") p.sensitive_permitted = true;
    }
    service_ = std::make_unique<ConsentService>(*store_, inventory_, key_, clock_);
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  static Who Email(const std::string& e) { return {.identifiers = {{"email", e}}}; }
  static Who Device(const std::string& d) { return {.device_id = d}; }
  RecordResult Record(RecordInput in) {
    auto r = service_->Record(in);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : RecordResult{};
  }
  Decision Decide(DecisionInput in) {
    auto d = service_->Decide(in);
    EXPECT_TRUE(d) << d.error().message;
    return d ? *d : Decision{};
  }
  void Later(int minutes = 1) { clock_.Set(clock_.Now() + std::chrono::minutes(minutes)); }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  inventory::Inventory inventory_;
  InstanceKey key_ = InstanceKey::Generate();
  ManualClock clock_{*ParseTimestamp("2026-11-24T18:00:00Z")};
  std::unique_ptr<ConsentService> service_;
};

TEST_F(ConsentTest, OptOutOfSaleOrSharingIsEffectiveAtOnce) {
  const DecisionInput ads{.who = Email("ann@example.com"), .purpose = "targeted_advertising"};
  EXPECT_TRUE(Decide(ads).allow);
  EXPECT_EQ(Decide(ads).us_privacy, "1YNN");
  Record({.who = Email("Ann@Example.com "), .purpose = "sale_sharing", .choice = "opt_out", .source = "form"});
  const Decision d = Decide(ads);
  EXPECT_FALSE(d.allow);
  EXPECT_NE(d.reason.find("opted out of the sale or sharing"), std::string::npos);
  EXPECT_EQ(d.us_privacy, "1YYN");
  // A disclosure to a recipient that buys the data counts as a sale whatever the purpose says.
  EXPECT_FALSE(Decide({.who = Email("ann@example.com"), .purpose = "analytics", .recipient = "ad_partners"}).allow);
  // Service providers are not a sale.
  EXPECT_TRUE(Decide({.who = Email("ann@example.com"), .purpose = "provide_service", .recipient = "cloud_hosting"}).allow);
  EXPECT_EQ(Decide({.who = Email("ann@example.com"), .purpose = "analytics", .jurisdiction = "EU"}).us_privacy, "1---");
}

TEST_F(ConsentTest, GpcOnADeviceReachesItsLinkedSubjectAndBack) {
  Record({.who = Device("browser-1234"), .purpose = "sale_sharing", .choice = "opt_out", .source = "gpc"});
  const Decision gpc = Decide({.who = Device("browser-1234"), .purpose = "targeted_advertising"});
  EXPECT_FALSE(gpc.allow);
  // The GPP string says so to ad-tech callers: notices given, opted out of sale and sharing, GPC.
  UsCaFields expected{.sale_opt_out_notice = 0, .sharing_opt_out_notice = 1, .sensitive_data_limit_use_notice = 0,
                      .sale_opt_out = 0, .sharing_opt_out = 1, .mspa_covered_transaction = 2, .gpc = true};
  EXPECT_EQ(gpc.gpp, GppString(expected));
  EXPECT_TRUE(Decide({.who = Email("bo@example.com"), .purpose = "targeted_advertising"}).allow);
  ASSERT_TRUE(service_->Link({.identifiers = {{"email", "bo@example.com"}}, .device_id = "browser-1234"}, "form"));
  const Decision d = Decide({.who = Email("bo@example.com"), .purpose = "targeted_advertising"});
  EXPECT_FALSE(d.allow);
  EXPECT_NE(d.reason.find("Global Privacy Control"), std::string::npos);
  // A subject's opt-out applies to a device linked to it.
  Record({.who = Email("cy@example.com"), .purpose = "sale_sharing", .choice = "opt_out"});
  ASSERT_TRUE(service_->Link({.identifiers = {{"email", "cy@example.com"}}, .device_id = "browser-5678"}, "form"));
  EXPECT_FALSE(Decide({.who = Device("browser-5678"), .purpose = "targeted_advertising"}).allow);
}

TEST_F(ConsentTest, AnEarlierOptInNeverOverridesGpcAndOptingBackInTakesTwoSteps) {
  Record({.who = Email("di@example.com"), .purpose = "sale_sharing", .choice = "opt_in"});
  Later();
  Record({.who = Email("di@example.com"), .purpose = "sale_sharing", .choice = "opt_out", .source = "gpc"});
  EXPECT_FALSE(Decide({.who = Email("di@example.com"), .purpose = "targeted_advertising"}).allow);
  Later();
  // Confirming without a request is refused; a request alone changes nothing.
  auto unrequested = service_->Record({.who = Email("di@example.com"), .purpose = "sale_sharing", .choice = "opt_in", .confirmed = true});
  ASSERT_FALSE(unrequested);
  EXPECT_EQ(unrequested.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Record({.who = Email("di@example.com"), .purpose = "sale_sharing", .choice = "opt_in"}).status, "confirmation_needed");
  EXPECT_FALSE(Decide({.who = Email("di@example.com"), .purpose = "targeted_advertising"}).allow);
  // A confirmation more than an hour later is refused too.
  Later(61);
  EXPECT_FALSE(service_->Record({.who = Email("di@example.com"), .purpose = "sale_sharing", .choice = "opt_in", .confirmed = true}));
  EXPECT_EQ(Record({.who = Email("di@example.com"), .purpose = "sale_sharing", .choice = "opt_in"}).status, "confirmation_needed");
  Later(5);
  EXPECT_EQ(Record({.who = Email("di@example.com"), .purpose = "sale_sharing", .choice = "opt_in", .confirmed = true}).status,
            "recorded");
  EXPECT_TRUE(Decide({.who = Email("di@example.com"), .purpose = "targeted_advertising"}).allow);
}

TEST_F(ConsentTest, LimitingSensitiveDataLeavesOnlyThePermittedUses) {
  Record({.who = Email("ed@example.com"), .purpose = "sensitive_limit", .choice = "opt_out", .source = "form"});
  const DecisionInput analytics{.who = Email("ed@example.com"), .purpose = "analytics", .categories = {"user.location.precise"}};
  EXPECT_FALSE(Decide(analytics).allow);
  EXPECT_TRUE(Decide({.who = Email("ed@example.com"), .purpose = "provide_service", .categories = {"precise_location"}}).allow);
  // Non-sensitive data is not affected.
  EXPECT_TRUE(Decide({.who = Email("ed@example.com"), .purpose = "analytics", .categories = {"contact_identifiers"}}).allow);
  EXPECT_EQ(service_->Decide({.who = Email("ed@example.com"), .purpose = "analytics", .categories = {"user.nonsense"}}).error().field,
            "categories");
}

TEST_F(ConsentTest, MinorsAreNotSoldOrSharedWithoutTheRightOptIn) {
  Record({.who = Email("teen@example.com"), .purpose = "age", .choice = "age", .age = 15});
  Record({.who = Email("kid@example.com"), .purpose = "age", .choice = "age", .age = 12});
  const DecisionInput teen{.who = Email("teen@example.com"), .purpose = "targeted_advertising"};
  const DecisionInput kid{.who = Email("kid@example.com"), .purpose = "targeted_advertising"};
  EXPECT_FALSE(Decide(teen).allow);
  EXPECT_FALSE(Decide(kid).allow);
  Record({.who = Email("teen@example.com"), .purpose = "sale_sharing", .choice = "opt_in"});
  Record({.who = Email("kid@example.com"), .purpose = "sale_sharing", .choice = "opt_in"});
  EXPECT_TRUE(Decide(teen).allow);
  const Decision own = Decide(kid);
  EXPECT_FALSE(own.allow);
  EXPECT_NE(own.reason.find("parent"), std::string::npos);
  Later();
  Record({.who = Email("kid@example.com"), .purpose = "sale_sharing", .choice = "opt_in", .by_parent = true});
  EXPECT_TRUE(Decide(kid).allow);
  // Non-sale uses are unaffected by age.
  EXPECT_TRUE(Decide({.who = Email("kid@example.com"), .purpose = "provide_service"}).allow);
}

TEST_F(ConsentTest, GdprConsentObjectionAndRestriction) {
  const DecisionInput mail_eu{.who = Email("fr@example.fr"), .purpose = "marketing_email", .jurisdiction = "EU"};
  EXPECT_FALSE(Decide(mail_eu).allow);  // consent-based: needs an opt-in
  EXPECT_TRUE(Decide({.who = Email("fr@example.fr"), .purpose = "marketing_email", .jurisdiction = "US-CA"}).allow);
  Record({.who = Email("fr@example.fr"), .purpose = "marketing_email", .choice = "opt_in", .jurisdiction = "EU"});
  EXPECT_TRUE(Decide(mail_eu).allow);
  EXPECT_NE(Decide(mail_eu).basis.find("consent given"), std::string::npos);
  Later();
  Record({.who = Email("fr@example.fr"), .purpose = "marketing_email", .choice = "withdrawn", .jurisdiction = "EU"});
  EXPECT_FALSE(Decide(mail_eu).allow);

  // Objection to direct marketing is absolute: it cannot be overridden.
  Record({.who = Email("de@example.de"), .purpose = "marketing_email", .choice = "opt_in", .jurisdiction = "EU"});
  Later();
  Record({.who = Email("de@example.de"), .purpose = "marketing_email", .choice = "object", .jurisdiction = "EU"});
  EXPECT_FALSE(Decide({.who = Email("de@example.de"), .purpose = "marketing_email", .jurisdiction = "EU"}).allow);
  auto override = service_->Record({.who = Email("de@example.de"), .purpose = "marketing_email", .choice = "override",
                                    .source = "admin", .jurisdiction = "EU", .grounds = "we insist"});
  ASSERT_FALSE(override);
  EXPECT_EQ(override.error().code, ErrorCode::kConflict);

  // Objection to legitimate-interest processing holds until overriding grounds are recorded.
  const DecisionInput analytics{.who = Email("de@example.de"), .purpose = "analytics", .jurisdiction = "EU"};
  EXPECT_TRUE(Decide(analytics).allow);
  Record({.who = Email("de@example.de"), .purpose = "analytics", .choice = "object", .jurisdiction = "EU"});
  EXPECT_FALSE(Decide(analytics).allow);
  EXPECT_FALSE(service_->Record({.who = Email("de@example.de"), .purpose = "analytics", .choice = "override",
                                 .source = "admin", .jurisdiction = "EU"}));  // grounds required
  Record({.who = Email("de@example.de"), .purpose = "analytics", .choice = "override", .source = "admin",
          .jurisdiction = "EU", .grounds = "fraud prevention required by the card schemes"});
  EXPECT_TRUE(Decide(analytics).allow);

  // Restriction: nothing but storage.
  Record({.who = Email("it@example.it"), .purpose = "processing", .choice = "restrict", .jurisdiction = "EU"});
  EXPECT_FALSE(Decide({.who = Email("it@example.it"), .purpose = "provide_service", .jurisdiction = "EU"}).allow);
  EXPECT_TRUE(Decide({.who = Email("it@example.it"), .purpose = "storage", .jurisdiction = "EU"}).allow);
  Record({.who = Email("it@example.it"), .purpose = "processing", .choice = "unrestrict", .jurisdiction = "EU"});
  EXPECT_TRUE(Decide({.who = Email("it@example.it"), .purpose = "provide_service", .jurisdiction = "EU"}).allow);
}

TEST_F(ConsentTest, UnsubscribesAreSuppressedOptOutsReachBuyersAndAreNotAskedAgainForAYear) {
  for (auto& r : inventory_.recipients) {
    if (r.id == "ad_partners") {
      r.notify_url = "https://ads.example/privacy";
      r.notify_secret_env = "ADS_SECRET";
    }
  }
  Record({.who = Email("Hal@Example.com"), .purpose = "marketing_email", .choice = "withdrawn", .source = "form"});
  bool suppressed = false;
  ASSERT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(suppressed, tx.IsSuppressed(SuppressionKey(key_, "email", "hal@example.com")));
    return {};
  }));
  EXPECT_TRUE(suppressed);

  const RecordResult r = Record({.who = Email("ivy@example.com"), .purpose = "sale_sharing", .choice = "opt_out"});
  EXPECT_EQ(r.ask_again_after, "2027-11-24");
  std::vector<store::MessageRow> notices;
  ASSERT_TRUE(store_->Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(notices, tx.ListMessages("", "", 100));
    return {};
  }));
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].kind, "opt_out_notice");
  EXPECT_EQ(notices[0].channel, "webhook");
  EXPECT_EQ(notices[0].subject, "ad_partners");
  EXPECT_NE(key_.Open(notices[0].body_sealed)->find("ivy@example.com"), std::string::npos);

  std::string until;
  EXPECT_FALSE(*service_->MayAskToOptIn(Email("ivy@example.com"), &until));
  EXPECT_EQ(until, "2027-11-24");
  clock_.Set(*ParseTimestamp("2027-11-25T18:00:00Z"));
  EXPECT_TRUE(*service_->MayAskToOptIn(Email("ivy@example.com")));
  EXPECT_TRUE(*service_->MayAskToOptIn(Email("never@example.com")));
}

TEST_F(ConsentTest, FinancialIncentivesNeedAPriorOptInAndARefusalIsRespectedForAYear) {
  const DecisionInput club{.who = Email("jo@example.com"), .purpose = "incentive:trail_club"};
  EXPECT_FALSE(Decide(club).allow);
  EXPECT_TRUE(*service_->MayOfferIncentive(Email("jo@example.com"), "trail_club"));
  Record({.who = Email("jo@example.com"), .purpose = "incentive:trail_club", .choice = "opt_in", .source = "form"});
  EXPECT_TRUE(Decide(club).allow);
  Later();
  Record({.who = Email("jo@example.com"), .purpose = "incentive:trail_club", .choice = "withdrawn", .source = "form"});
  EXPECT_FALSE(Decide(club).allow);
  Record({.who = Email("kim@example.com"), .purpose = "incentive:trail_club", .choice = "refused", .source = "form"});
  std::string until;
  EXPECT_FALSE(*service_->MayOfferIncentive(Email("kim@example.com"), "trail_club", &until));
  EXPECT_EQ(until, "2027-11-24");
  EXPECT_EQ(service_->Record({.who = Email("kim@example.com"), .purpose = "incentive:nope", .choice = "opt_in"}).error().field,
            "purpose");
}

TEST_F(ConsentTest, OptOutsCarryTheirProcessingDeadline) {
  const auto rules = *rights::RulesTable::Default();
  ConsentService with_rules(*store_, inventory_, key_, clock_,
                            [&](std::string_view jurisdiction, std::string_view, Date received) -> std::optional<Date> {
                              const auto* j = rules.Find(jurisdiction);
                              const auto* t = j ? j->Find(rights::RequestType::kOptOutSaleShare) : nullptr;
                              if (!t || t->respond.IsNone()) return std::nullopt;
                              return rights::RulesTable::ComputeDeadlines(*j, *t, received).due;
                            });
  auto r = with_rules.Record({.who = Email("lu@example.com"), .purpose = "sale_sharing", .choice = "opt_out"});
  ASSERT_TRUE(r);
  // 15 California business days after Tuesday 24 November 2026 (Thanksgiving and the day after
  // are holidays): Thursday 17 December.
  EXPECT_EQ(r->processing_due, "2026-12-17");
  EXPECT_EQ((*with_rules.History(Email("lu@example.com")))[0].detail, "processing due 2026-12-17");
}

TEST_F(ConsentTest, BadInputIsRefusedAndNothingIsRecorded) {
  auto field_of = [&](RecordInput in) {
    auto r = service_->Record(in);
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().field;
  };
  EXPECT_EQ(field_of({.who = Email("x@example.com"), .purpose = "telepathy", .choice = "opt_in"}), "purpose");
  EXPECT_EQ(field_of({.who = Email("not-an-email"), .purpose = "analytics", .choice = "opt_out"}), "identifiers.email");
  EXPECT_EQ(field_of({.who = {.identifiers = {{"phone", "12"}}}, .purpose = "analytics", .choice = "opt_out"}),
            "identifiers.phone");
  EXPECT_EQ(field_of({.who = Device("short"), .purpose = "sale_sharing", .choice = "opt_out"}), "device_id");
  EXPECT_EQ(field_of({.who = Email("x@example.com"), .purpose = "sale_sharing", .choice = "object"}), "choice");
  EXPECT_EQ(field_of({.who = Email("x@example.com"), .purpose = "analytics", .choice = "opt_out", .jurisdiction = "XX"}),
            "jurisdiction");
  EXPECT_EQ(field_of({.who = {}, .purpose = "analytics", .choice = "opt_out"}), "identifiers");
  EXPECT_EQ(service_->Decide({.who = Email("x@example.com"), .purpose = "telepathy"}).error().field, "purpose");
  EXPECT_EQ(service_->Decide({.who = Email("x@example.com"), .purpose = "analytics", .recipient = "nobody"}).error().field,
            "recipient");
  EXPECT_EQ(service_->size(), 0u);
  auto history = service_->History(Email("x@example.com"));
  ASSERT_TRUE(history);
  EXPECT_TRUE(history->empty());
}

TEST_F(ConsentTest, TheLedgerIsAppendOnlyRecordsTheNoticeAndIsSharedAcrossProcesses) {
  ASSERT_TRUE(store_->Write([&](store::Transaction& tx) -> Status {
    RETURN_IF_ERROR(tx.InsertNoticeVersion({.kind = "policy", .format = "md", .content_hash = "h", .inventory_hash = "i",
                                            .effective_date = "2026-11-01", .published_at = 1, .published_by = "test",
                                            .content = "x"}));
    return Status{};
  }));
  Record({.who = Email("gi@example.com"), .purpose = "sale_sharing", .choice = "opt_out"});
  auto history = service_->History(Email("gi@example.com"));
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_GT((*history)[0].notice_version, 0);
  EXPECT_EQ((*history)[0].subject.find("gi@"), std::string::npos);  // only a keyed hash

  // Another process on the same store sees the choice after its refresh.
  ConsentService other(*store_, inventory_, key_, clock_);
  ASSERT_TRUE(other.Refresh());
  EXPECT_FALSE(other.Decide({.who = Email("gi@example.com"), .purpose = "targeted_advertising"})->allow);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "steward.db").c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_NE(sqlite3_exec(db, "UPDATE consent_events SET choice = 'opt_in'", nullptr, nullptr, &err), SQLITE_OK);
  sqlite3_free(err);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM consent_events", nullptr, nullptr, &err), SQLITE_OK);
  sqlite3_free(err);
  sqlite3_close(db);
}

}  // namespace
}  // namespace steward::consent
