#include "notice/notice.h"

#include <gtest/gtest.h>

namespace steward::notice {
namespace {

class NoticeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto inv = inventory::LoadInventoryFile(std::string(STEWARD_SOURCE_DIR) + "/examples/acme/inventory.yaml");
    ASSERT_TRUE(inv) << inv.error().message << " " << inv.error().field;
    inventory_ = *inv;
    rules_ = *rights::RulesTable::Default();
  }
  std::string Md(Kind kind) {
    auto r = Render(kind, Format::kMarkdown, {inventory_, rules_, *ParseDate("2026-11-24")});
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : "";
  }
  static void ExpectContains(const std::string& text, const std::vector<std::string>& parts) {
    for (const auto& p : parts) EXPECT_NE(text.find(p), std::string::npos) << "missing: " << p;
  }
  inventory::Inventory inventory_;
  rights::RulesTable rules_;
};

TEST_F(NoticeTest, PolicyAnswersEveryCcpaCategoryYesOrNo) {
  const std::string md = Md(Kind::kPolicy);
  ExpectContains(md, {
      "| A. Identifiers | Yes | name, email address, phone number, postal address, account id, username, IP address, cookie identifiers |",
      "| B. Personal information categories listed in the California Customer Records statute (Cal. Civ. Code § 1798.80(e)) | Yes |",
      "| C. Protected classification characteristics under California or federal law | No |  |",
      "| D. Commercial information | Yes |",
      "| E. Biometric information | No |",
      "| F. Internet or other similar network activity | Yes |",
      "| G. Geolocation data | No |",
      "| K. Inferences drawn from other personal information | Yes |",
      "| L. Sensitive personal information | No |",
      "We do not collect: Precise geolocation.",
      "We do not collect sensitive personal information.",
  });
}

TEST_F(NoticeTest, PolicyStatesSourcesPurposesRecipientsSalesAndRetentionPerCategory) {
  const std::string md = Md(Kind::kPolicy);
  ExpectContains(md, {
      "### F. Internet or other similar network activity",
      "- Sources: Your browser or device, automatically; Advertising partners",
      "- Sold: No",
      "- Shared for cross-context behavioral advertising: Yes, with Advertising networks (third party)",
      "- Disclosed for a business purpose to: Payment processor (service provider), Tax authorities (government authority)",
      "- How long we keep it: 6 years after the end of the tax year of the purchase",
      "- How long we keep it: 13 months",
      "- How long we keep it: Name and contact details: 3 years after your account is closed; Account and online identifiers: while your account is open, then 90 days",
      "- Business or commercial purposes: Undertaking activities to verify or maintain the quality of the service and to improve it; Cross-context behavioral advertising",
  });
}

TEST_F(NoticeTest, PolicyKeepsSoldOrSharedApartFromBusinessPurposeDisclosures) {
  const std::string md = Md(Kind::kPolicy);
  const size_t sold = md.find("### Sold or shared in the past 12 months");
  const size_t disclosed = md.find("### Disclosed for a business purpose in the past 12 months");
  ASSERT_NE(sold, std::string::npos);
  ASSERT_NE(disclosed, std::string::npos);
  const std::string sold_part = md.substr(sold, disclosed - sold);
  EXPECT_NE(sold_part.find("A. Identifiers: shared for cross-context behavioral advertising with Advertising networks (third party)"),
            std::string::npos);
  EXPECT_EQ(sold_part.find("service provider"), std::string::npos);
  ExpectContains(md, {"We do not sell or share the personal information of consumers we know to be under 16 years of age."});
}

TEST_F(NoticeTest, PolicyExplainsRightsMethodsDeadlinesVerificationAgentsAndGpc) {
  const std::string md = Md(Kind::kPolicy);
  ExpectContains(md, {
      "Right to know", "Right to delete", "Right to correct", "Right to opt out of sale and sharing", "Right to limit",
      "Right to non-discrimination",
      "- Online: https://acme.example/privacy/requests", "- By toll-free phone: +1-800-555-0142",
      "- By email: privacy@acme.example",
      "within 10 business days and answer within 45 days", "up to 45 days more",
      "match 2 pieces of information", "(3 and a signed declaration",
      "signed permission", "power of attorney",
      "Do Not Sell or Share My Personal Information: https://acme.example/privacy/do-not-sell-or-share",
      "Global Privacy Control", "https://acme.example/privacy/metrics", "Last updated: 2026-11-24",
  });
}

TEST_F(NoticeTest, HtmlIsAccessibleEscapedAndDeterministic) {
  inventory_.organization.name = "Acme <Outfitters> & Co";
  RenderInput in{inventory_, rules_, *ParseDate("2026-11-24")};
  auto html = Render(Kind::kPolicy, Format::kHtml, in);
  ASSERT_TRUE(html);
  ExpectContains(*html, {"<html lang=\"en\">", "<caption>", "<th scope=\"col\">Category</th>",
                         "<th scope=\"row\">A. Identifiers</th>", "Acme &lt;Outfitters&gt; &amp; Co",
                         "<a href=\"https://acme.example/privacy/requests\">"});
  EXPECT_EQ(html->find("<Outfitters>"), std::string::npos);
  EXPECT_EQ(*html, *Render(Kind::kPolicy, Format::kHtml, in));
}

TEST_F(NoticeTest, NoticeAtCollectionLinksThePolicyAndOptOut) {
  ExpectContains(Md(Kind::kCollection), {
      "| Browsing and interaction with the shop and our ads | Improving the shop; Cross-context behavioural advertising | Yes | 13 months |",
      "Do Not Sell or Share My Personal Information: https://acme.example/privacy/do-not-sell-or-share",
      "Our full privacy policy, with your rights and how to use them: https://acme.example/privacy",
  });
}

TEST_F(NoticeTest, GdprInformationHasBasesInterestsTransfersRightsAndProvision) {
  ExpectContains(Md(Kind::kGdpr), {
      "Controller: Acme Outfitters, Inc.", "Data protection officer: dpo@acme.example",
      "| Improving the shop | Measuring how the shop is used to fix and improve it. | Our legitimate interests (art. 6(1)(f)) | Understanding which pages fail or confuse customers, in aggregate |",
      "| Payment processor | service provider | US | Standard contractual clauses, Decision (EU) 2021/914 (art. 46(2)(c)) |",
      "| Cloud hosting provider | service provider | DE | Not needed",
      "Providing and fulfilling orders: Required to enter into the contract",
      "Marketing email: Optional",
      "Withdrawal of consent at any time",
      "such as Data Protection Commission (Ireland) (art. 77)",
      "## Automated decisions\n\nWe make no decisions about you based solely on automated processing",
      "| Browsing and interaction with the shop and our ads | pages viewed, searches, ads clicked | Your browser or device, automatically; Advertising partners | 13 months |",
  });
}

TEST_F(NoticeTest, RecordOfProcessingListsEveryActivity) {
  const std::string md = Md(Kind::kRopa);
  ExpectContains(md, {
      "Categories of data subjects: customers, website and app visitors, newsletter subscribers",
      "| Tax and accounting records | Our legal obligation (art. 6(1)(c)) |",
      "Tax authorities (US): Derogation for specific situations (art. 49)",
      "## Security measures (art. 32(1))", "Encryption in transit and at rest",
  });
  EXPECT_EQ(std::count(md.begin(), md.end(), '\n') > 10, true);
}

TEST_F(NoticeTest, FinancialIncentiveNoticeStatesEveryElement) {
  ExpectContains(Md(Kind::kIncentive), {
      "# Notice of Financial Incentive — Acme Outfitters, Inc.", "## Acme Trail Club",
      "- Material terms: Members get 10% off every order",
      "- Personal information involved: Name and contact details (A. Identifiers); Orders and purchase history (D. Commercial information)",
      "- How to opt in: Join in your account settings", "- How to withdraw, at any time: Leave at any time",
      "- Our good-faith estimate of the value of your data: About $14 per member per year.",
      "- How we calculated it: The average yearly discount",
  });
  inventory_.incentives.clear();
  auto none = Render(Kind::kIncentive, Format::kMarkdown, {inventory_, rules_, *ParseDate("2026-11-24")});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("incentives"), std::string::npos);
}

TEST_F(NoticeTest, IncompleteInventoriesAreRefusedNamingFieldAndLine) {
  RenderInput in{inventory_, rules_, *ParseDate("2026-11-24")};
  auto& browsing = inventory_.categories[4];
  browsing.retention = {};
  auto r = Render(Kind::kPolicy, Format::kMarkdown, in);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("data_categories.browsing_activity.retention"), std::string::npos);
  EXPECT_EQ(r.error().field, inventory_.file + ":" + std::to_string(browsing.line));
  browsing.retention.declared = true;
  browsing.retention.count = 13;
  browsing.retention.unit = "months";

  inventory_.organization.privacy_policy_url.clear();
  EXPECT_NE(Render(Kind::kCollection, Format::kHtml, in).error().message.find("privacy_policy_url"), std::string::npos);
  inventory_.purposes[0].provision.clear();
  EXPECT_NE(Render(Kind::kGdpr, Format::kMarkdown, in).error().message.find("purposes.provide_service.provision"),
            std::string::npos);
  inventory_.jurisdictions = {"US-VA"};
  EXPECT_NE(Render(Kind::kPolicy, Format::kMarkdown, in).error().message.find("US-CA"), std::string::npos);
  EXPECT_FALSE(Render(Kind::kRopa, Format::kMarkdown, in));
  EXPECT_FALSE(ParseKind("brochure"));
  EXPECT_EQ(ParseFormat("pdf").error().field, "format");
}

// The seed companies' own notices, expressed as inventories (examples/seeds/): the rendered
// policy reproduces every row and statement each notice makes, and says "Not stated" where it
// is silent.
class SeedTest : public NoticeTest {
 protected:
  std::string Policy(const std::string& seed) {
    auto inv = inventory::LoadInventoryFile(std::string(STEWARD_SOURCE_DIR) + "/examples/seeds/" + seed + ".yaml");
    EXPECT_TRUE(inv) << inv.error().message << " at " << inv.error().field;
    if (!inv) return "";
    auto md = Render(Kind::kPolicy, Format::kMarkdown, {*inv, rules_, *ParseDate("2026-11-24")});
    EXPECT_TRUE(md) << md.error().message;
    return md ? *md : "";
  }
};

TEST_F(SeedTest, SakonTableRowsSourcesPurposesSaleAndContact) {
  const std::string md = Policy("sakon");
  ExpectContains(md, {
      "| A. Identifiers | Yes | Name, postal address, Internet Protocol address and email address |",
      "| B. Personal information categories listed in the California Customer Records statute (Cal. Civ. Code § 1798.80(e)) | Yes | Name, signature, address and telephone number |",
      "| C. Protected classification characteristics under California or federal law | No | Age (40 years or older), race,",
      "| D. Commercial information | Yes | Records of products or services purchased, obtained, or considered |",
      "| E. Biometric information | No |",
      "| F. Internet or other similar network activity | Yes | Browsing history, search history,",
      "| G. Geolocation data | Yes | Physical location or movements |",
      "| H. Sensory data | No | Audio, electronic, visual, thermal, olfactory, or similar information |",
      "| I. Professional or employment-related information | No | Current or past job history or performance evaluations |",
      "| J. Non-public education information (per the Family Educational Rights and Privacy Act) | No |",
      "| K. Inferences drawn from other personal information | No | Profile reflecting",
      "| L. Sensitive personal information | Not stated |",
      "Telecommunications carriers (invoices and billing information)",
      "Our business customers, about their employees and end users",
      "Processing invoices and billing information received from telecommunications carriers on behalf of our customers",
      "Reporting back to our customers on the information we received and processed",
      "- Sold: No",
      "Disclosed for a business purpose to: Our business customers, to whom we report back (third party)",
      "We have not sold or shared personal information in the past 12 months.",
      "We do not sell or share the personal information of consumers we know to be under 16 years of age.",
      "- How long we keep it: Not stated",
      "- By toll-free phone: 1-800-601-1641", "- By email: notices@sakon.com", "300 Baker Avenue, Suite 280, Concord",
      "within 10 business days and answer within 45 days",
  });
}

TEST_F(SeedTest, ClientaryListedCategoriesInterestBasedAdsAndSilences) {
  const std::string md = Policy("clientary");
  ExpectContains(md, {
      "| A. Identifiers | Yes | first and last names, email addresses, phone numbers, avatars, company name,",
      "IP address, unique device identifiers, Clientary internally assigned user identifiers",
      "| B. Personal information categories listed in the California Customer Records statute (Cal. Civ. Code § 1798.80(e)) | Yes | credit card information, billing and mailing address",
      "| C. Protected classification characteristics under California or federal law | Not stated |",
      "| D. Commercial information | Yes | records of your transactions with us and services considered |",
      "| E. Biometric information | Not stated |",
      "| F. Internet or other similar network activity | Yes | the website you visited before browsing",
      "| G. Geolocation data | Yes | the approximate location associated with your IP address |",
      "| H. Sensory data | Yes | photos you choose to submit in our services |",
      "| I. Professional or employment-related information | Yes | job title, organizational affiliation |",
      "| J. Non-public education information (per the Family Educational Rights and Privacy Act) | Not stated |",
      "| K. Inferences drawn from other personal information | Yes | a profile reflecting your preferences, characteristics, and behavior |",
      "| L. Sensitive personal information | Not stated |",
      "- Shared for cross-context behavioral advertising: Yes, with Advertising services (third party)",
      "F. Internet or other similar network activity: shared for cross-context behavioral advertising with Advertising services (third party)",
      "Advertising services that tailor online ads to your interests",
      "- Sources: Cookies and similar technologies on our sites and services",
      "- Sources: Not stated", "- Business or commercial purposes: Not stated", "- Sold: Not stated",
      "- How long we keep it: Not stated",
  });
  // No request method is stated: the policy says so instead of inventing one.
  const size_t how = md.find("## How to exercise your rights");
  ASSERT_NE(how, std::string::npos);
  EXPECT_NE(md.find("- Not stated", how), std::string::npos);
}

TEST_F(SeedTest, Net2PhoneTablesDisclosuresSalesRetentionAndRights) {
  const std::string md = Policy("net2phone");
  ExpectContains(md, {
      // The A-L table with the "specific data sets" collected.
      "| A. Identifiers | Yes | A real name, postal address, unique personal identifier, online identifier, Internet Protocol address, email address, account name |",
      "| B. Personal information categories listed in the California Customer Records statute (Cal. Civ. Code § 1798.80(e)) | Yes | A name, address, telephone number, education, employment, employment history, bank account number, credit card number (only the last 4 digits and expiry date; the payment processor stores the full details), any other financial information |",
      "| C. Protected classification characteristics under California or federal law | No |",
      "| D. Commercial information | Yes | Records of products or services purchased and used or considered and other purchasing or consuming histories or tendencies |",
      "| E. Biometric information | No |",
      "| F. Internet or other similar network activity | Yes | Information on a consumer's interaction with our Website or advertisement |",
      "| G. Geolocation data | Yes | Approximate location extracted from IP address, address (where provided by you) |",
      "| H. Sensory data | Yes | Consumers and prospects calls with our sales or customer support team, call transcripts |",
      "| I. Professional or employment-related information | Yes |",
      "| J. Non-public education information (per the Family Educational Rights and Privacy Act) | No |",
      "| K. Inferences drawn from other personal information | No |",
      "| L. Sensitive personal information | No | Government-issued identifying numbers, financial account details,",
      // The sale/share table: A, D, F, G to ad networks.
      "- A. Identifiers: sold to Ad-network and advertising partners (third party)",
      "- D. Commercial information: shared for cross-context behavioral advertising with Ad-network and advertising partners (third party)",
      "- F. Internet or other similar network activity: sold to Ad-network and advertising partners (third party)",
      "- G. Geolocation data: shared for cross-context behavioral advertising with Ad-network and advertising partners (third party)",
      // The disclosure table: e.g. category I goes to cloud, operating systems, government, support and the group only.
      "- I. Professional or employment-related information: Cloud computing and storage service providers (storage, hosting) (service provider), Operating systems (operating the Website and services; verifying you) (service provider), Government entities/Law enforcement (government authority), Customer support providers (service provider), N2P Group (company in our group)",
      "Data analysis providers (service provider)", "Security service providers (service provider)",
      // Sources, purposes, retention.
      "Marketing tools we use (business emails of prospects)",
      "To detect, investigate and report fraud, abuse or illegal use of our Website and services or Customer accounts",
      "To respond to law enforcement requests and as required by applicable law, court order, or governmental regulations",
      "as long as your account is active and a reasonable period thereafter",
      "until you unsubscribe, then on our suppression list for the applicable statutory limitation period",
      "a minimum of six years under tax law, then destroyed",
      "- How long we keep it: 6 years after the transaction, under tax law, then destroyed",
      // Minors, methods, opt-out, limit and GPC.
      "only with their opt-in consent (or, under 13, their parent's or guardian's)",
      "- Online: https://www.idt.net/ccpa-do-not-sell", "- By toll-free phone: +1 866-978-8260",
      "Do Not Sell or Share My Personal Information: https://www.idt.net/ccpa-do-not-sell",
      "Limit the Use of My Sensitive Personal Information: https://www.idt.net/ccpa-do-not-sell",
      "Global Privacy Control", "We do not collect sensitive personal information.",
  });
}

TEST_F(SeedTest, SoracomGdprInformationReproducesItsStatements) {
  auto inv = inventory::LoadInventoryFile(std::string(STEWARD_SOURCE_DIR) + "/examples/seeds/soracom.yaml");
  ASSERT_TRUE(inv) << inv.error().message << " at " << inv.error().field;
  auto md = Render(Kind::kGdpr, Format::kMarkdown, {*inv, rules_, *ParseDate("2020-04-30")});
  ASSERT_TRUE(md) << md.error().message;
  ExpectContains(*md, {
      "Last updated: 2020-04-30", "- Controller: SORACOM CORPORATION, LTD.", "- Contact form: https://www.soracom.io/contact",
      // Every purpose of section 4 with the article the notice gives and the interest it names.
      "| Providing you our services | Providing and maintaining the services we have agreed with you, calculating charges, billing and invoicing you. | Performing a contract with you (art. 6(1)(b)) | — |",
      "| Providing services to our customers | Providing our services to a customer other than you, e.g. a business that you represent. | Our legitimate interests (art. 6(1)(f)) | To be able to provide our services to our customers |",
      "| Our legal obligation (art. 6(1)(c)) |",
      "| To be able to identify you and to respond to your inquiry |", "| To be able to identify you and contact you |",
      "| To be able to improve our current products and services or to develop new ones |",
      "| Tailored marketing | Customized offers and advertising based on your interests and use of our Digital Channels, if you have consented. | Your consent (art. 6(1)(a)) | — |",
      "| To be able to buy or sell assets or businesses |", "| To be able to prevent, limit, and investigate abuse |",
      // Section 2/3: data and sources; section 7: retention.
      "| Identity and contact information | name, title, company name, job role, expertise, postal address, telephone number, IP address, email address |",
      "Public databases (publicly available); Joint marketing partners; Social media platforms; Other third parties",
      "| Traffic Data | origin, destination, route, time, date, size, duration or type of underlying service of a communication | Your use of our products and services |",
      "| Cookie information | browser information, time of visit, referring site |",
      "deleted when no longer relevant to them",
      // Sections 12 and 13: recipients and the transfer to Japan under model clauses.
      "| Our data processors (operating our websites, hosting our data) | service provider | Not stated | Not stated |",
      "| Authorised governmental entities, supervisory agencies, fiscal entities | government authority |",
      "| Soracom Inc. (our affiliate operating the websites and services, Tokyo) | company in our group | JP | Standard contractual clauses (art. 46(2)(c)) |",
      "through https://www.soracom.io/contact.",
      // Section 15: consequences of not providing data.
      "- Providing you our services: Without your personal data you cannot open a Soracom account or use Soracom's services; without a shipping address we cannot fulfil your order; without payment information your use of the services will be limited.",
      // Section 9: rights and the ICO.
      "Erasure (art. 17).", "Restriction of processing (art. 18).", "Portability", "Objection",
      "Withdrawal of consent at any time",
      "the Information Commissioner's Office (ICO), Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF",
  });
  EXPECT_EQ(md->find("writing to ."), std::string::npos);
  EXPECT_NE(md->find("## Automated decisions\n\nNot stated"), std::string::npos);  // Soracom's notice is silent
}

}  // namespace
}  // namespace steward::notice
