#include "inventory/inventory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace steward::inventory {
namespace {

std::string Acme() {
  std::ifstream in(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/inventory.yaml");
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

constexpr const char* kMinimal = R"(organization:
  name: Tiny Shop
  contact: {email: privacy@tiny.example}
jurisdictions: [US-VA]
sources:
  - {id: consumer, name: You, kind: consumer}
purposes:
  - {id: orders, name: Orders}
data_categories:
  - id: contact
    name: Contact
    ccpa: A
    fideslang: [user.contact.email]
    sources: [consumer]
    purposes: [orders]
    retention: {years: 2}
)";

// Replaces the first occurrence of `from` in the minimal inventory.
std::string Minimal(const std::string& from, const std::string& to) {
  std::string s = kMinimal;
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return s.replace(pos, from.size(), to);
}

const Problem* FirstError(const CheckReport& r) {
  for (const auto& p : r.problems) {
    if (p.severity == Problem::Severity::kError) return &p;
  }
  return nullptr;
}

TEST(InventoryTest, TheExampleCompanyIsValid) {
  auto report = CheckInventory(Acme(), "inventory.yaml");
  ASSERT_FALSE(report.HasErrors()) << report.Format("inventory.yaml");
  const Inventory& inv = *report.inventory;
  EXPECT_EQ(inv.organization.name, "Acme Outfitters, Inc.");
  EXPECT_TRUE(inv.Serves("US-CA"));
  EXPECT_TRUE(inv.Serves("EU"));
  EXPECT_FALSE(inv.Serves("UK"));
  EXPECT_EQ(inv.categories.size(), 8u);
  const auto& location = inv.categories.back();
  EXPECT_EQ(location.ccpa, CcpaCategory::kL);
  EXPECT_EQ(location.sensitive, "precise_geolocation");
  EXPECT_FALSE(location.collected);
  EXPECT_EQ(inv.categories[2].retention.count, 6);
  EXPECT_EQ(inv.categories[2].retention.unit, "years");
}

TEST(InventoryTest, MinimalIsValid) {
  auto report = CheckInventory(kMinimal, "m.yaml");
  EXPECT_FALSE(report.HasErrors()) << report.Format("m.yaml");
}

struct BadCase {
  const char* name;
  std::string yaml;
  int line;
  std::string path;
  std::string message_part;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadInventoryTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInventoryTest, IsRefusedAtItsLine) {
  const BadCase& c = GetParam();
  auto report = CheckInventory(c.yaml, "bad.yaml");
  ASSERT_TRUE(report.HasErrors());
  EXPECT_FALSE(report.inventory.has_value());
  const Problem* p = FirstError(report);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->line, c.line) << p->message;
  EXPECT_EQ(p->path, c.path);
  EXPECT_NE(p->message.find(c.message_part), std::string::npos) << p->message;
  auto loaded = LoadInventoryText(c.yaml, "bad.yaml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(loaded.error().field, "bad.yaml:" + std::to_string(c.line));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadInventoryTest,
    ::testing::Values(
        BadCase{"BrokenYaml", "organization: [\n", 2, "(file)", "not valid YAML"},
        BadCase{"NotAMap", "- a\n- b\n", 1, "(file)", "YAML map"},
        BadCase{"UnknownCcpa", Minimal("ccpa: A", "ccpa: M"), 12, "data_categories[0].ccpa", "not a CCPA category"},
        BadCase{"UnknownFideslang", Minimal("user.contact.email]", "user.contact.emial]"), 13,
                "data_categories[0].fideslang[0]", "did you mean user.contact.email"},
        BadCase{"UnknownPurposeRef", Minimal("purposes: [orders]", "purposes: [billing]"), 15,
                "data_categories[0].purposes[0]", "no purpose has id 'billing'"},
        BadCase{"UnknownJurisdiction", Minimal("[US-VA]", "[US-VA, US-NV]"), 4, "jurisdictions[1]", "unknown jurisdiction"},
        BadCase{"MissingName", Minimal("  name: Tiny Shop\n", ""), 2, "organization.name", "is required"},
        BadCase{"NoContact", Minimal("  contact: {email: privacy@tiny.example}\n", ""), 2, "organization.contact", "is required"},
        BadCase{"BadEmail", Minimal("privacy@tiny.example", "privacy"), 3, "organization.contact.email", "not an email"},
        BadCase{"Typo", Minimal("    retention: {years: 2}", "    retension: {years: 2}"), 16, "data_categories[0].retension",
                "unknown field"},
        BadCase{"SensitiveWithoutL", Minimal("ccpa: A", "ccpa: A\n    sensitive: health"), 13, "data_categories[0].sensitive",
                "set ccpa: L"},
        BadCase{"LWithoutKind", Minimal("ccpa: A", "ccpa: L"), 10, "data_categories[0].sensitive", "kind of sensitive"},
        BadCase{"BadRetention", Minimal("{years: 2}", "{years: -1}"), 16, "data_categories[0].retention.years", "above 0"},
        BadCase{"DuplicateId", Minimal("  - {id: consumer, name: You, kind: consumer}",
                                       "  - {id: consumer, name: You, kind: consumer}\n  - {id: consumer, name: Again, kind: device}"),
                7, "sources[1].id", "used twice"},
        BadCase{"GdprNeedsLegalBasis", Minimal("[US-VA]", "[US-VA, EU]"), 8, "purposes[0].legal_basis", "is required"},
        BadCase{"IncentiveWithoutValueEstimate",
                std::string(kMinimal) + "incentives:\n  - {id: club, name: Club, terms: t, categories: [contact], how_to_opt_in: a, "
                                        "how_to_withdraw: b, value_method: m}\n",
                18, "incentives[0].value_estimate", "is required"},
        BadCase{"IncentiveWithUnknownCategory",
                std::string(kMinimal) + "incentives:\n  - {id: club, name: Club, terms: t, categories: [shoes], how_to_opt_in: a, "
                                        "how_to_withdraw: b, value_estimate: v, value_method: m}\n",
                18, "incentives[0].categories[0]", "no data category has id 'shoes'"},
        BadCase{"LegitimateInterestNeedsText", Minimal("{id: orders, name: Orders}", "{id: orders, name: Orders, legal_basis: legitimate_interests}"),
                8, "purposes[0].legitimate_interest", "which interest"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(InventoryTest, WarningsDoNotBlockLoading) {
  auto yaml = Minimal("    retention: {years: 2}\n", "");
  auto report = CheckInventory(yaml, "w.yaml");
  EXPECT_FALSE(report.HasErrors());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].severity, Problem::Severity::kWarning);
  EXPECT_NE(report.Format("w.yaml").find("w.yaml:10: warning: data_categories[0].retention"), std::string::npos);
}

TEST(InventoryTest, EveryProblemIsReportedNotJustTheFirst) {
  auto yaml = Minimal("ccpa: A", "ccpa: Z");
  yaml = yaml.replace(yaml.find("[US-VA]"), 7, "[XX]");
  auto report = CheckInventory(yaml, "b.yaml");
  int errors = 0;
  for (const auto& p : report.problems) errors += p.severity == Problem::Severity::kError;
  EXPECT_EQ(errors, 2);
}

// The consistency checks of the data map as a whole, each pointing at the line to fix.
TEST(ConsistencyTest, CaliforniaNeedsTwoMethodsIncludingTollFree) {
  auto r = CheckInventory(Minimal("[US-VA]", "[US-CA]"), "c.yaml");
  const Problem* p = FirstError(r);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->path, "organization.contact");
  EXPECT_NE(p->message.find("toll-free"), std::string::npos);
  auto online = CheckInventory(Minimal("[US-VA]", "[US-CA]").replace(0, 13, "organization:\n  online_only: true"), "c.yaml");
  EXPECT_FALSE(online.HasErrors()) << online.Format("c.yaml");
  std::string site = Minimal("  name: Tiny Shop\n", "  name: Tiny Shop\n  website: https://tiny.example\n  online_only: true\n");
  EXPECT_FALSE(CheckInventory(site, "c.yaml").HasErrors());  // Virginia has no web-form rule
  site.replace(site.find("[US-VA]"), 7, "[US-CA]");
  const CheckReport site_report = CheckInventory(site, "c.yaml");
  const Problem* web = FirstError(site_report);
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->path, "organization.contact.web_form");
}

TEST(ConsistencyTest, SellingOrSharingNeedsAnOptOutFormAndGpc) {
  std::string yaml = Minimal("    retention: {years: 2}", "    retention: {years: 2}\n    shared_to: [ads]") +
                     "recipients:\n  - {id: ads, name: Ad network, type: third_party, country: US}\n";
  yaml.replace(yaml.find("[US-VA]"), 7, "[US-CA]");
  yaml.replace(yaml.find("  name: Tiny Shop\n"), 18, "  name: Tiny Shop\n  online_only: true\n");
  auto r = CheckInventory(yaml, "s.yaml");
  std::vector<std::string> paths;
  for (const auto& p : r.problems) paths.push_back(p.path);
  EXPECT_THAT(paths, ::testing::IsSupersetOf({"organization.opt_out_url", "organization.honors_gpc"}));
  yaml.replace(yaml.find("  online_only: true\n"), 20,
               "  online_only: true\n  opt_out_url: https://tiny.example/dns\n  honors_gpc: true\n");
  EXPECT_FALSE(CheckInventory(yaml, "s.yaml").HasErrors()) << CheckInventory(yaml, "s.yaml").Format("s.yaml");
}

TEST(ConsistencyTest, SensitiveDataBeyondPermittedUsesNeedsALimitForm) {
  std::string yaml = Minimal("ccpa: A\n    fideslang: [user.contact.email]",
                             "ccpa: L\n    sensitive: precise_geolocation\n    fideslang: [user.location.precise]");
  yaml.replace(yaml.find("[US-VA]"), 7, "[US-CA]");
  yaml.replace(yaml.find("  name: Tiny Shop\n"), 18, "  name: Tiny Shop\n  online_only: true\n");
  auto r = CheckInventory(yaml, "l.yaml");
  const Problem* p = FirstError(r);
  ASSERT_NE(p, nullptr) << r.Format("l.yaml");
  EXPECT_EQ(p->path, "organization.limit_url");
  EXPECT_EQ(p->line, 11);  // the category's line
  yaml.replace(yaml.find("{id: orders, name: Orders}"), 26, "{id: orders, name: Orders, sensitive_permitted: true}");
  EXPECT_FALSE(CheckInventory(yaml, "l.yaml").HasErrors()) << CheckInventory(yaml, "l.yaml").Format("l.yaml");
}

TEST(ConsistencyTest, TransfersOutOfTheEuNeedASafeguardAndRecipientsACategory) {
  std::string yaml = Minimal("{id: orders, name: Orders}", "{id: orders, name: Orders, legal_basis: contract}") +
                     "recipients:\n  - {id: host, name: Hosting, type: service_provider, country: US}\n";
  yaml.replace(yaml.find("[US-VA]"), 7, "[EU]");
  auto r = CheckInventory(yaml, "t.yaml");
  const Problem* p = FirstError(r);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->path, "recipients[0].transfer_safeguard");
  EXPECT_EQ(p->line, 18);
  bool unused_warned = false;
  for (const auto& q : r.problems) unused_warned |= q.path == "recipients.host" && q.severity == Problem::Severity::kWarning;
  EXPECT_TRUE(unused_warned);
}

TEST(ConsistencyTest, OnlyLegalFindingsCanBeAcknowledged) {
  std::string ca = Minimal("[US-VA]", "[US-CA]");
  auto refused = CheckInventory(ca, "a.yaml");
  ASSERT_TRUE(refused.HasErrors());
  auto acknowledged = CheckInventory(ca + "acknowledged: [organization.contact]\n", "a.yaml");
  EXPECT_FALSE(acknowledged.HasErrors()) << acknowledged.Format("a.yaml");
  EXPECT_NE(acknowledged.Format("a.yaml").find("(acknowledged in this inventory)"), std::string::npos);
  // A structural error stays an error whatever the inventory says.
  auto structural = CheckInventory(Minimal("ccpa: A", "ccpa: Q") + "acknowledged: [data_categories[0].ccpa]\n", "a.yaml");
  EXPECT_TRUE(structural.HasErrors());
}

TEST(ConsistencyTest, UnstatedFactsAreWarningsNotInventions) {
  auto r = CheckInventory(Minimal("    sources: [consumer]\n    purposes: [orders]\n    retention: {years: 2}\n",
                                  "    unstated: [sources, purposes, retention]\n"),
                          "u.yaml");
  EXPECT_FALSE(r.HasErrors()) << r.Format("u.yaml");
  EXPECT_EQ(r.problems.size(), 3u);
  ASSERT_TRUE(r.inventory);
  EXPECT_TRUE(r.inventory->categories[0].Unstated("retention"));
  EXPECT_TRUE(CheckInventory(Minimal("    retention: {years: 2}\n", "    unstated: [shoe_size]\n"), "u.yaml").HasErrors());
  auto letters = CheckInventory(std::string(kMinimal) + "ccpa_unstated: [L, Z]\n", "u.yaml");
  EXPECT_TRUE(letters.HasErrors());
}

TEST(TaxonomyTest, CategoriesAndKinds) {
  EXPECT_EQ(CcpaCategories().size(), 12u);
  EXPECT_EQ(InfoFor(CcpaCategory::kG).statutory_name, "Geolocation data");
  EXPECT_TRUE(IsSensitiveKind("precise_geolocation"));
  EXPECT_FALSE(IsSensitiveKind("shoe_size"));
  EXPECT_TRUE(IsFideslangKey("user.contact.address.postal_code"));
  EXPECT_FALSE(IsFideslangKey("user.contact.shoe"));
}

}  // namespace
}  // namespace steward::inventory
