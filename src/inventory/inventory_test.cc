#include "inventory/inventory.h"

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
jurisdictions: [US-CA]
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
        BadCase{"UnknownJurisdiction", Minimal("[US-CA]", "[US-CA, US-NV]"), 4, "jurisdictions[1]", "unknown jurisdiction"},
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
        BadCase{"GdprNeedsLegalBasis", Minimal("[US-CA]", "[US-CA, EU]"), 8, "purposes[0].legal_basis", "is required"},
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
  yaml = yaml.replace(yaml.find("[US-CA]"), 7, "[XX]");
  auto report = CheckInventory(yaml, "b.yaml");
  int errors = 0;
  for (const auto& p : report.problems) errors += p.severity == Problem::Severity::kError;
  EXPECT_EQ(errors, 2);
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
