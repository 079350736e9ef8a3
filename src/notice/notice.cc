#include "notice/notice.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace steward::notice {

using inventory::CcpaCategory;
using inventory::DataCategory;
using inventory::Inventory;
using inventory::Recipient;

Result<Kind> ParseKind(std::string_view s) {
  if (s == "policy") return Kind::kPolicy;
  if (s == "collection") return Kind::kCollection;
  if (s == "gdpr") return Kind::kGdpr;
  if (s == "ropa") return Kind::kRopa;
  if (s == "incentive") return Kind::kIncentive;
  return Fail(ErrorCode::kInvalidArgument, "must be policy, collection, gdpr, ropa or incentive", "kind");
}

Result<Format> ParseFormat(std::string_view s) {
  if (s == "md") return Format::kMarkdown;
  if (s == "html") return Format::kHtml;
  return Fail(ErrorCode::kInvalidArgument, "must be md or html", "format");
}

namespace {

std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

void AddUnique(std::vector<std::string>& list, const std::string& v) {
  if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
}

std::string TypeWords(const std::string& type) {
  if (type == "service_provider") return "service provider";
  if (type == "contractor") return "contractor";
  if (type == "third_party") return "third party";
  if (type == "group_entity") return "company in our group";
  if (type == "government") return "government authority";
  return type;
}

std::string RecipientPhrase(const Inventory& inv, const std::string& id) {
  const Recipient* r = inv.FindRecipient(id);
  return r ? fmt::format("{} ({})", r->name, TypeWords(r->type)) : id;
}

constexpr std::string_view kNotStated = "Not stated";

std::string Retention(const DataCategory& d) {
  if (d.Unstated("retention")) return std::string(kNotStated);
  const auto& r = d.retention;
  if (!r.criterion.empty()) return r.criterion;
  std::string unit = r.unit;
  if (r.count == 1 && !unit.empty()) unit.pop_back();
  return r.after.empty() ? fmt::format("{} {}", r.count, unit) : fmt::format("{} {} after {}", r.count, unit, r.after);
}

std::string Where(const Inventory& inv, int line) { return fmt::format("{}:{}", inv.file, line); }

std::string LetterName(CcpaCategory c) {
  return fmt::format("{}. {}", inventory::InfoFor(c).letter, inventory::InfoFor(c).statutory_name);
}

std::string SensitiveName(std::string_view id) {
  for (const auto& k : inventory::SensitiveKinds()) {
    if (k.id == id) return std::string(k.name);
  }
  return std::string(id);
}

// What every notice needs: a complete organisation and a retention for each collected category.
Status CheckCommon(const Inventory& inv) {
  const auto& c = inv.organization.contact;
  if (c.email.empty() && c.web_form.empty() && c.toll_free_phone.empty() && c.postal_address.empty() &&
      !inv.organization.contact_unstated) {
    return Fail(ErrorCode::kInvalidArgument, "organization.contact: a notice must say how to reach you",
                Where(inv, inv.organization.line));
  }
  for (const auto& d : inv.categories) {
    if (d.collected && !d.retention.declared && !d.Unstated("retention")) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("data_categories.{}.retention: a notice must state how long each category collected is kept "
                              "(Civ. Code 1798.100(a)(3); GDPR 13(2)(a))", d.id),
                  Where(inv, d.line));
    }
  }
  return Ok();
}

// Collected categories grouped by CCPA letter, in A–L order.
std::map<CcpaCategory, std::vector<const DataCategory*>> ByLetter(const Inventory& inv) {
  std::map<CcpaCategory, std::vector<const DataCategory*>> out;
  for (const auto& d : inv.categories) {
    if (d.collected) out[d.ccpa].push_back(&d);
  }
  return out;
}

// One way to write to the business: email, else the web form, else the postal address.
std::string ContactPoint(const Inventory& inv) {
  const auto& c = inv.organization.contact;
  if (!c.email.empty()) return c.email;
  if (!c.web_form.empty()) return c.web_form;
  if (!c.postal_address.empty()) return c.postal_address;
  return "us";
}

std::vector<std::string> Methods(const Inventory& inv) {
  const auto& c = inv.organization.contact;
  std::vector<std::string> m;
  if (!c.web_form.empty()) m.push_back(fmt::format("Online: {}", c.web_form));
  if (!c.toll_free_phone.empty()) m.push_back(fmt::format("By toll-free phone: {}", c.toll_free_phone));
  if (!c.email.empty()) m.push_back(fmt::format("By email: {}", c.email));
  if (!c.postal_address.empty()) m.push_back(fmt::format("By mail: {}", c.postal_address));
  if (m.empty()) m.push_back(std::string(kNotStated));
  return m;
}

Result<Document> BuildPolicy(const RenderInput& in) {
  const Inventory& inv = in.inventory;
  if (!inv.Serves("US-CA")) {
    return Fail(ErrorCode::kInvalidArgument, "jurisdictions: the CCPA policy is for businesses serving US-CA",
                Where(inv, 1));
  }
  RETURN_IF_ERROR(CheckCommon(inv));
  const auto& o = inv.organization;
  Document doc;
  doc.title = fmt::format("Privacy Policy for California Residents — {}", o.name);
  doc.Paragraph(fmt::format("Last updated: {}", FormatDate(in.last_updated)));
  doc.Paragraph(fmt::format(
      "This policy explains what personal information {} collects about California consumers, where it comes from, why "
      "we use it, who receives it, whether we sell or share it, how long we keep it, and the rights the California "
      "Consumer Privacy Act, as amended by the California Privacy Rights Act (CCPA), gives you.", o.name));

  const auto letters = ByLetter(inv);
  doc.Heading(2, "Personal information we collect");
  Table summary{"Categories of personal information collected in the past 12 months (Civ. Code 1798.140(v))",
                {"Category", "Collected", "Examples"}, {}};
  for (const auto& info : inventory::CcpaCategories()) {
    auto it = letters.find(info.category);
    std::vector<std::string> examples;
    // Examples of what is collected; for a category not collected, the examples the inventory
    // gives of what is not (a "No" with its examples, as notices usually print them).
    for (const auto& d : inv.categories) {
      if (d.ccpa != info.category || d.collected != (it != letters.end())) continue;
      if (info.category == CcpaCategory::kL && d.collected) AddUnique(examples, SensitiveName(d.sensitive));
      for (const auto& e : d.examples) AddUnique(examples, e);
      if (d.examples.empty() && info.category != CcpaCategory::kL) AddUnique(examples, d.name);
    }
    const bool unstated = std::find(inv.ccpa_unstated.begin(), inv.ccpa_unstated.end(), info.category) != inv.ccpa_unstated.end();
    summary.rows.push_back({LetterName(info.category), it != letters.end() ? "Yes" : unstated ? std::string(kNotStated) : "No",
                            Join(examples)});
  }
  doc.AddTable(std::move(summary));

  for (const auto& [letter, cats] : letters) {
    doc.Heading(3, LetterName(letter));
    std::vector<std::string> names, sources, purposes, sold, shared, disclosed, retention;
    bool sources_unstated = false, purposes_unstated = false, recipients_unstated = false;
    for (const auto* d : cats) {
      AddUnique(names, d->name);
      sources_unstated = sources_unstated || d->Unstated("sources");
      purposes_unstated = purposes_unstated || d->Unstated("purposes");
      recipients_unstated = recipients_unstated || d->Unstated("recipients");
      for (const auto& s : d->sources) {
        if (const auto* src = inv.FindSource(s)) AddUnique(sources, src->name);
      }
      for (const auto& p : d->purposes) {
        if (const auto* pur = inv.FindPurpose(p)) {
          AddUnique(purposes, pur->business_purpose.empty() ? pur->name : pur->business_purpose);
        }
      }
      for (const auto& r : d->sold_to) AddUnique(sold, RecipientPhrase(inv, r));
      for (const auto& r : d->shared_to) AddUnique(shared, RecipientPhrase(inv, r));
      for (const auto& r : d->disclosed_to) AddUnique(disclosed, RecipientPhrase(inv, r));
      AddUnique(retention, cats.size() > 1 ? fmt::format("{}: {}", d->name, Retention(*d)) : Retention(*d));
    }
    // A fact the notice does not state is said to be unstated, never rendered as "No".
    auto or_unstated = [](bool unstated, const std::vector<std::string>& v, std::string_view sep, std::string_view none) {
      if (!v.empty()) return Join(v, sep);
      return std::string(unstated ? kNotStated : none);
    };
    doc.List({
        fmt::format("What we collect: {}", Join(names)),
        fmt::format("Sources: {}", or_unstated(sources_unstated, sources, "; ", "None")),
        fmt::format("Business or commercial purposes: {}", or_unstated(purposes_unstated, purposes, "; ", "None")),
        !sold.empty() ? fmt::format("Sold: Yes, to {}", Join(sold)) : fmt::format("Sold: {}", recipients_unstated ? kNotStated : "No"),
        !shared.empty() ? fmt::format("Shared for cross-context behavioral advertising: Yes, with {}", Join(shared))
                        : fmt::format("Shared for cross-context behavioral advertising: {}", recipients_unstated ? kNotStated : "No"),
        !disclosed.empty() ? fmt::format("Disclosed for a business purpose to: {}", Join(disclosed))
                           : fmt::format("Disclosed for a business purpose: {}", recipients_unstated ? kNotStated : "No"),
        fmt::format("How long we keep it: {}", Join(retention, "; ")),
    });
  }
  // Categories the inventory records explicitly as not collected.
  std::vector<std::string> not_collected;
  for (const auto& d : inv.categories) {
    if (!d.collected) not_collected.push_back(d.ccpa == CcpaCategory::kL ? SensitiveName(d.sensitive) : d.name);
  }
  if (!not_collected.empty()) doc.Paragraph(fmt::format("We do not collect: {}.", Join(not_collected)));

  doc.Heading(2, "Sensitive personal information");
  auto l = letters.find(CcpaCategory::kL);
  if (l == letters.end()) {
    doc.Paragraph("We do not collect sensitive personal information.");
  } else {
    bool beyond = false;
    std::vector<std::string> kinds;
    for (const auto* d : l->second) {
      AddUnique(kinds, SensitiveName(d->sensitive));
      for (const auto& p : d->purposes) {
        if (const auto* pur = inv.FindPurpose(p); pur && !pur->sensitive_permitted) beyond = true;
      }
    }
    doc.Paragraph(fmt::format("We collect these kinds of sensitive personal information: {}.", Join(kinds, "; ")));
    doc.Paragraph(beyond ? fmt::format("We use some of it for purposes beyond those 11 CCR 7027(m) permits. You may limit "
                                       "our use of it to those purposes: {}", o.limit_url)
                         : "We use it only for the purposes 11 CCR 7027(m) permits, and do not use it to infer "
                           "characteristics about you.");
  }

  doc.Heading(2, "Sale, sharing and disclosure of personal information");
  std::vector<std::string> sold_lines, disclosed_lines;
  for (const auto& [letter, cats] : letters) {
    std::vector<std::string> sold, shared, disclosed;
    for (const auto* d : cats) {
      for (const auto& r : d->sold_to) AddUnique(sold, RecipientPhrase(inv, r));
      for (const auto& r : d->shared_to) AddUnique(shared, RecipientPhrase(inv, r));
      for (const auto& r : d->disclosed_to) AddUnique(disclosed, RecipientPhrase(inv, r));
    }
    if (!sold.empty()) sold_lines.push_back(fmt::format("{}: sold to {}", LetterName(letter), Join(sold)));
    if (!shared.empty()) {
      sold_lines.push_back(fmt::format("{}: shared for cross-context behavioral advertising with {}", LetterName(letter), Join(shared)));
    }
    if (!disclosed.empty()) disclosed_lines.push_back(fmt::format("{}: {}", LetterName(letter), Join(disclosed)));
  }
  const bool recipients_unstated = std::any_of(inv.categories.begin(), inv.categories.end(), [](const DataCategory& d) {
    return d.collected && d.Unstated("recipients");
  });
  doc.Heading(3, "Sold or shared in the past 12 months");
  if (sold_lines.empty() && recipients_unstated) {
    doc.Paragraph("Not stated.");
  } else if (sold_lines.empty()) {
    doc.Paragraph("We have not sold or shared personal information in the past 12 months.");
  } else {
    doc.List(sold_lines);
  }
  doc.Heading(3, "Disclosed for a business purpose in the past 12 months");
  if (disclosed_lines.empty() && recipients_unstated) {
    doc.Paragraph("Not stated.");
  } else if (disclosed_lines.empty()) {
    doc.Paragraph("We have not disclosed personal information for a business purpose in the past 12 months.");
  } else {
    doc.List(disclosed_lines);
  }
  doc.Paragraph(o.sells_or_shares_under_16
                    ? "We sell or share the personal information of consumers under 16 only with their opt-in consent "
                      "(or, under 13, their parent's or guardian's)."
                    : "We do not sell or share the personal information of consumers we know to be under 16 years of age.");

  const rights::JurisdictionRules* ca = in.rules.Find("US-CA");
  doc.Heading(2, "Your rights");
  std::vector<std::string> rights_list;
  auto has = [&](rights::RequestType t) { return ca && ca->Find(t) != nullptr; };
  if (has(rights::RequestType::kKnowCategories) || has(rights::RequestType::kAccess)) {
    rights_list.push_back("Right to know: you may ask what categories of personal information we collected about you, its "
                          "sources, our purposes, the categories of third parties we disclosed it to, and the specific "
                          "pieces of personal information we hold (those collected in the past 12 months, or since "
                          "1 January 2022 if you ask).");
  }
  if (has(rights::RequestType::kPortability)) {
    rights_list.push_back("Right to a portable copy: you may ask for your personal information in a structured, "
                          "machine-readable format.");
  }
  if (has(rights::RequestType::kDelete)) {
    rights_list.push_back("Right to delete: you may ask us to delete the personal information we collected from you, and "
                          "we will tell our service providers, contractors and third parties to do the same.");
  }
  if (has(rights::RequestType::kCorrect)) rights_list.push_back("Right to correct: you may ask us to correct inaccurate personal information.");
  if (has(rights::RequestType::kOptOutSaleShare)) {
    rights_list.push_back("Right to opt out of sale and sharing: you may tell us not to sell your personal information or "
                          "share it for cross-context behavioral advertising.");
  }
  if (has(rights::RequestType::kLimitSensitive)) {
    rights_list.push_back("Right to limit: you may limit our use of your sensitive personal information to the purposes "
                          "the law permits.");
  }
  rights_list.push_back("Right to non-discrimination: we will not deny you goods or services, charge you different prices, "
                        "or give you a different quality of service because you exercised these rights.");
  doc.List(rights_list);

  doc.Heading(2, "How to exercise your rights");
  doc.Paragraph("You, or an agent you authorize, can make a request in any of these ways:");
  doc.List(Methods(inv));
  if (ca) {
    const rights::TypeRule* del = ca->Find(rights::RequestType::kDelete);
    if (del) {
      doc.Paragraph(fmt::format(
          "We confirm receipt of a request to know, delete or correct within {} and answer within {} of receiving it. If "
          "we need more time we will tell you why within that period and may take up to {} more.",
          del->confirm_receipt.ToString(), del->respond.ToString(), del->extension.ToString()));
    }
    const auto& reasonable = in.rules.Requirement(rights::VerificationLevel::kReasonable);
    const auto& high = in.rules.Requirement(rights::VerificationLevel::kReasonablyHigh);
    doc.Paragraph(fmt::format(
        "To protect your information we verify that a request comes from you: we send a one-time code to the email "
        "address or phone number you give, and match {} pieces of information you provide against our records ({} and a "
        "signed declaration under penalty of perjury for a copy of specific pieces of information). Requests to opt out "
        "or to limit need no verification. We use the information you give only to verify you.",
        reasonable.data_points, high.data_points));
  }
  doc.Paragraph("An authorized agent may act for you with your signed permission, in which case we will ask you to "
                "confirm directly that you gave it, or with a power of attorney. A parent or guardian may act for a child.");
  if (!o.opt_out_url.empty()) {
    doc.Paragraph(fmt::format("Do Not Sell or Share My Personal Information: {}", o.opt_out_url));
  }
  if (!o.limit_url.empty()) {
    doc.Paragraph(fmt::format("Limit the Use of My Sensitive Personal Information: {}", o.limit_url));
  }
  if (o.honors_gpc) {
    doc.Paragraph("Opt-out preference signals: if your browser sends the Global Privacy Control signal, we treat it as "
                  "a request to opt out of the sale and sharing of your personal information for that browser and any "
                  "consumer profile we associate with it, and we show you that we honored it.");
  }

  doc.Heading(2, "Request metrics");
  doc.Paragraph(o.metrics_url.empty()
                    ? fmt::format("We publish the number of requests we received and how we answered them; ask us at {}.",
                                  ContactPoint(inv))
                    : fmt::format("The number of requests we received and how we answered them: {}", o.metrics_url));

  doc.Heading(2, "Contact us");
  doc.List(Methods(inv));
  return doc;
}

Result<Document> BuildCollection(const RenderInput& in) {
  const Inventory& inv = in.inventory;
  RETURN_IF_ERROR(CheckCommon(inv));
  const auto& o = inv.organization;
  if (o.privacy_policy_url.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "organization.privacy_policy_url: the notice at collection must link to the full privacy policy",
                Where(inv, o.line));
  }
  Document doc;
  doc.title = fmt::format("Notice at Collection — {}", o.name);
  doc.Paragraph(fmt::format("Last updated: {}", FormatDate(in.last_updated)));
  Table t{"What we collect, why, and for how long", {"Category", "Purposes", "Sold or shared", "Kept for"}, {}};
  bool any_sold = false;
  for (const auto& d : inv.categories) {
    if (!d.collected) continue;
    std::vector<std::string> purposes;
    for (const auto& p : d.purposes) {
      if (const auto* pur = inv.FindPurpose(p)) purposes.push_back(pur->name);
    }
    const bool sold = !d.sold_to.empty() || !d.shared_to.empty();
    any_sold = any_sold || sold;
    const std::string name = d.ccpa == CcpaCategory::kL ? fmt::format("{} (sensitive)", d.name) : d.name;
    t.rows.push_back({name, Join(purposes, "; "), sold ? "Yes" : "No", Retention(d)});
  }
  doc.AddTable(std::move(t));
  if (any_sold && !o.opt_out_url.empty()) {
    doc.Paragraph(fmt::format("Do Not Sell or Share My Personal Information: {}", o.opt_out_url));
  }
  if (!o.limit_url.empty()) doc.Paragraph(fmt::format("Limit the Use of My Sensitive Personal Information: {}", o.limit_url));
  doc.Paragraph(fmt::format("Our full privacy policy, with your rights and how to use them: {}", o.privacy_policy_url));
  return doc;
}

std::string BasisWords(const std::string& basis) {
  if (basis == "consent") return "Your consent (art. 6(1)(a))";
  if (basis == "contract") return "Performing a contract with you (art. 6(1)(b))";
  if (basis == "legal_obligation") return "Our legal obligation (art. 6(1)(c))";
  if (basis == "vital_interests") return "Vital interests (art. 6(1)(d))";
  if (basis == "public_task") return "A task in the public interest (art. 6(1)(e))";
  if (basis == "legitimate_interests") return "Our legitimate interests (art. 6(1)(f))";
  return basis;
}

std::string SafeguardWords(const Recipient& r) {
  if (r.transfer_safeguard == "adequacy") return "Adequacy decision (art. 45)";
  if (r.transfer_safeguard == "scc_2021_914") return "Standard contractual clauses, Decision (EU) 2021/914 (art. 46(2)(c))";
  if (r.transfer_safeguard == "scc") return "Standard contractual clauses (art. 46(2)(c))";
  if (r.transfer_safeguard == "bcr") return "Binding corporate rules (art. 47)";
  if (r.transfer_safeguard == "code_of_conduct") return "Approved code of conduct (art. 46(2)(e))";
  if (r.transfer_safeguard == "certification") return "Approved certification (art. 46(2)(f))";
  if (r.transfer_safeguard == "derogation_art49") return "Derogation for specific situations (art. 49)";
  if (r.country.empty()) return std::string(kNotStated);
  return "Not needed: inside the EU/EEA or covered by an adequacy decision";
}

Status CheckGdpr(const Inventory& inv) {
  if (!inv.Serves("EU") && !inv.Serves("UK")) {
    return Fail(ErrorCode::kInvalidArgument, "jurisdictions: GDPR information is for businesses serving EU or UK", Where(inv, 1));
  }
  RETURN_IF_ERROR(CheckCommon(inv));
  for (const auto& p : inv.purposes) {
    if (p.legal_basis == "contract" && p.provision.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("purposes.{}.provision: say whether providing the data is a statutory or contractual "
                              "requirement and what happens if it is not provided (GDPR 13(2)(e))", p.id),
                  Where(inv, p.line));
    }
  }
  return Ok();
}

Result<Document> BuildGdpr(const RenderInput& in) {
  const Inventory& inv = in.inventory;
  RETURN_IF_ERROR(CheckGdpr(inv));
  const auto& o = inv.organization;
  Document doc;
  doc.title = fmt::format("How {} uses your personal data (GDPR articles 13 and 14)", o.name);
  doc.Paragraph(fmt::format("Last updated: {}", FormatDate(in.last_updated)));
  doc.Heading(2, "Who is responsible");
  std::vector<std::string> controller{fmt::format("Controller: {}", o.name)};
  if (!o.contact.postal_address.empty()) controller.push_back(fmt::format("Address: {}", o.contact.postal_address));
  if (!o.contact.email.empty()) controller.push_back(fmt::format("Email: {}", o.contact.email));
  if (!o.contact.web_form.empty()) controller.push_back(fmt::format("Contact form: {}", o.contact.web_form));
  if (!o.dpo_email.empty()) controller.push_back(fmt::format("Data protection officer: {}", o.dpo_email));
  doc.List(controller);

  doc.Heading(2, "Why we use your data, and on what legal basis");
  Table purposes{"Purposes and legal bases", {"Purpose", "What we do", "Legal basis", "Legitimate interest"}, {}};
  for (const auto& p : inv.purposes) {
    purposes.rows.push_back({p.name, p.description, BasisWords(p.legal_basis),
                             p.legal_basis == "legitimate_interests" ? p.legitimate_interest : "—"});
  }
  doc.AddTable(std::move(purposes));

  doc.Heading(2, "The data we process and where it comes from");
  Table data{"Categories of personal data and their sources", {"Category", "Examples", "Source", "Kept for"}, {}};
  for (const auto& d : inv.categories) {
    if (!d.collected) continue;
    std::vector<std::string> sources;
    for (const auto& s : d.sources) {
      if (const auto* src = inv.FindSource(s)) {
        sources.push_back(src->kind == "public" ? fmt::format("{} (publicly available)", src->name) : src->name);
      }
    }
    data.rows.push_back({d.name, Join(d.examples), d.Unstated("sources") ? std::string(kNotStated) : Join(sources, "; "),
                         Retention(d)});
  }
  doc.AddTable(std::move(data));

  doc.Heading(2, "Who receives it");
  Table recipients{"Recipients and transfers outside the EU/EEA", {"Recipient", "Type", "Country", "Transfer safeguard"}, {}};
  for (const auto& r : inv.recipients) {
    recipients.rows.push_back({r.name, TypeWords(r.type), r.country.empty() ? std::string(kNotStated) : r.country, SafeguardWords(r)});
  }
  if (recipients.rows.empty()) {
    doc.Paragraph("We do not disclose your personal data to anyone else.");
  } else {
    doc.AddTable(std::move(recipients));
    doc.Paragraph(fmt::format("You can ask for a copy of the safeguards for a transfer through {}.", ContactPoint(inv)));
  }

  doc.Heading(2, "Must you give us your data?");
  std::vector<std::string> provision;
  for (const auto& p : inv.purposes) {
    std::string text = p.provision;
    if (text.empty() && p.legal_basis == "consent") text = "Optional: you may refuse or withdraw consent at any time.";
    if (text.empty() && p.legal_basis == "legitimate_interests") text = "Not required; you may object to this use.";
    if (text.empty()) text = std::string(kNotStated);
    provision.push_back(fmt::format("{}: {}", p.name, text));
  }
  doc.List(provision);

  doc.Heading(2, "Automated decisions");
  doc.Paragraph(o.automated_decisions.empty() ? std::string(kNotStated) : o.automated_decisions);

  doc.Heading(2, "Your rights");
  std::vector<std::string> rights_list = {
      "Access: a copy of your personal data and information about how we use it (art. 15).",
      "Rectification of inaccurate or incomplete data (art. 16).",
      "Erasure (art. 17).",
      "Restriction of processing (art. 18).",
      "Portability of the data you gave us, in a structured, machine-readable format (art. 20).",
      "Objection to processing based on legitimate interests, and at any time to direct marketing (art. 21).",
  };
  bool consent = std::any_of(inv.purposes.begin(), inv.purposes.end(), [](const auto& p) { return p.legal_basis == "consent"; });
  if (consent) {
    rights_list.push_back("Withdrawal of consent at any time, without affecting processing before it (art. 7(3)).");
  }
  rights_list.push_back(o.supervisory_authority.empty()
                            ? "A complaint to a data protection supervisory authority (art. 77)."
                            : fmt::format("A complaint to a data protection supervisory authority, such as {} (art. 77).",
                                          o.supervisory_authority));
  doc.List(rights_list);
  doc.Paragraph("We answer within one month of receiving your request; if a request is complex we may extend this by two "
                "further months and will tell you why within the first month. To exercise a right:");
  doc.List(Methods(inv));
  return doc;
}

Result<Document> BuildRopa(const RenderInput& in) {
  const Inventory& inv = in.inventory;
  RETURN_IF_ERROR(CheckGdpr(inv));
  if (inv.records.data_subjects.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "records.data_subjects: the record must name the categories of data subjects (art. 30(1)(c))",
                Where(inv, 1));
  }
  const auto& o = inv.organization;
  Document doc;
  doc.title = fmt::format("Record of Processing Activities — {}", o.name);
  doc.Paragraph(fmt::format("GDPR article 30(1). As of {}.", FormatDate(in.last_updated)));
  std::vector<std::string> controller{fmt::format("Controller: {}", o.name)};
  if (!o.contact.postal_address.empty()) controller.push_back(fmt::format("Address: {}", o.contact.postal_address));
  if (!o.contact.email.empty()) controller.push_back(fmt::format("Contact: {}", o.contact.email));
  if (!o.dpo_email.empty()) controller.push_back(fmt::format("Data protection officer: {}", o.dpo_email));
  controller.push_back(fmt::format("Categories of data subjects: {}", Join(inv.records.data_subjects)));
  doc.List(controller);
  Table t{"Processing activities",
          {"Activity", "Legal basis", "Categories of personal data", "Recipients", "Transfers to third countries",
           "Erasure time limits"},
          {}};
  for (const auto& p : inv.purposes) {
    std::vector<std::string> cats, recipients, transfers, erasure;
    for (const auto& d : inv.categories) {
      if (!d.collected || std::find(d.purposes.begin(), d.purposes.end(), p.id) == d.purposes.end()) continue;
      AddUnique(cats, d.name);
      AddUnique(erasure, fmt::format("{}: {}", d.name, Retention(d)));
      for (const auto* list : {&d.sold_to, &d.shared_to, &d.disclosed_to}) {
        for (const auto& rid : *list) {
          const Recipient* r = inv.FindRecipient(rid);
          if (!r) continue;
          AddUnique(recipients, RecipientPhrase(inv, rid));
          if (!r->transfer_safeguard.empty()) {
            AddUnique(transfers, fmt::format("{} ({}): {}", r->name, r->country, SafeguardWords(*r)));
          }
        }
      }
    }
    t.rows.push_back({p.name, BasisWords(p.legal_basis), Join(cats), recipients.empty() ? "None" : Join(recipients),
                      transfers.empty() ? "None" : Join(transfers, "; "), Join(erasure, "; ")});
  }
  doc.AddTable(std::move(t));
  doc.Heading(2, "Security measures (art. 32(1))");
  doc.Paragraph(inv.records.security_measures.empty() ? "Not described." : inv.records.security_measures);
  return doc;
}

Result<Document> BuildIncentive(const RenderInput& in) {
  const Inventory& inv = in.inventory;
  if (inv.incentives.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "incentives: the inventory declares no financial incentive programme", Where(inv, 1));
  }
  RETURN_IF_ERROR(CheckCommon(inv));
  Document doc;
  doc.title = fmt::format("Notice of Financial Incentive — {}", inv.organization.name);
  doc.Paragraph(fmt::format("Last updated: {}", FormatDate(in.last_updated)));
  doc.Paragraph("We offer the programmes below in exchange for personal information. Joining is your choice: you opt in "
                "first, may withdraw at any time, and we will not discriminate against you if you do not join.");
  for (const auto& p : inv.incentives) {
    doc.Heading(2, p.name);
    std::vector<std::string> cats;
    for (const auto& id : p.categories) {
      for (const auto& d : inv.categories) {
        if (d.id == id) cats.push_back(fmt::format("{} ({})", d.name, LetterName(d.ccpa)));
      }
    }
    doc.List({
        fmt::format("Material terms: {}", p.terms),
        fmt::format("Personal information involved: {}", Join(cats, "; ")),
        fmt::format("How to opt in: {}", p.how_to_opt_in),
        fmt::format("How to withdraw, at any time: {}", p.how_to_withdraw),
        fmt::format("Our good-faith estimate of the value of your data: {}", p.value_estimate),
        fmt::format("How we calculated it: {}", p.value_method),
    });
  }
  return doc;
}

}  // namespace

Result<Document> Build(Kind kind, const RenderInput& input) {
  switch (kind) {
    case Kind::kPolicy: return BuildPolicy(input);
    case Kind::kCollection: return BuildCollection(input);
    case Kind::kGdpr: return BuildGdpr(input);
    case Kind::kRopa: return BuildRopa(input);
    case Kind::kIncentive: return BuildIncentive(input);
  }
  return Fail(ErrorCode::kInternal, "unknown notice kind");
}

Result<std::string> Render(Kind kind, Format format, const RenderInput& input) {
  ASSIGN_OR_RETURN(Document doc, Build(kind, input));
  return format == Format::kHtml ? RenderHtml(doc) : RenderMarkdown(doc);
}

}  // namespace steward::notice
