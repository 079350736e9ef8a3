#include "inventory/inventory.h"

#include "core/secrets.h"
#include "core/text.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace steward::inventory {

bool Inventory::Serves(std::string_view jurisdiction) const {
  return std::find(jurisdictions.begin(), jurisdictions.end(), jurisdiction) != jurisdictions.end();
}

namespace {
template <typename T>
const T* FindById(const std::vector<T>& items, std::string_view id) {
  for (const auto& item : items) {
    if (item.id == id) return &item;
  }
  return nullptr;
}
}  // namespace

bool DataCategory::Unstated(std::string_view fact) const {
  return std::find(unstated.begin(), unstated.end(), fact) != unstated.end();
}

const Source* Inventory::FindSource(std::string_view id) const { return FindById(sources, id); }
const Purpose* Inventory::FindPurpose(std::string_view id) const { return FindById(purposes, id); }
const Recipient* Inventory::FindRecipient(std::string_view id) const { return FindById(recipients, id); }

bool CheckReport::HasErrors() const {
  return std::any_of(problems.begin(), problems.end(),
                     [](const Problem& p) { return p.severity == Problem::Severity::kError; });
}

std::string CheckReport::Format(std::string_view file) const {
  std::string out;
  for (const auto& p : problems) {
    out += fmt::format("{}:{}: {}: {}: {}\n", file, p.line,
                       p.severity == Problem::Severity::kError ? "error" : "warning", p.path, p.message);
  }
  return out;
}

const std::vector<std::string_view>& KnownJurisdictions() {
  static const std::vector<std::string_view> kCodes = {"US-CA", "EU", "UK", "US-VA", "US-CO",
                                                       "US-CT", "US-TX", "US-OR", "US-UT"};
  return kCodes;
}

namespace {

using Severity = Problem::Severity;

bool OneOf(std::string_view v, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), v) != options.end();
}

std::string Join(std::initializer_list<std::string_view> options) {
  std::string out;
  for (auto o : options) {
    if (!out.empty()) out += ", ";
    out += o;
  }
  return out;
}

// Countries whose transfers from the EU need no safeguard: the EEA and the EU's adequacy list.
bool InsideEeaOrAdequate(std::string_view country) {
  static const std::set<std::string_view> kCountries = {
      "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
      "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
      // adequacy decisions (art. 45); the US only for certified organisations, so not listed
      "AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY"};
  return kCountries.contains(country);
}

class Checker {
 public:
  explicit Checker(std::vector<Problem>& problems) : problems_(problems) {}

  static int Line(const YAML::Node& n) { return n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

  // Paths and messages echo the file's own keys and values: keep them printable.
  void Add(Severity s, int line, std::string_view path, std::string_view message) {
    problems_.push_back(Problem{s, line, Printable(path, 200), Printable(message, 2000)});
  }
  void Error(const YAML::Node& n, std::string path, std::string message) {
    Add(Severity::kError, Line(n), std::move(path), std::move(message));
  }
  void Warn(const YAML::Node& n, std::string path, std::string message) {
    Add(Severity::kWarning, Line(n), std::move(path), std::move(message));
  }

  size_t Count() const { return problems_.size(); }
  void MarkLegalFrom(size_t first) {
    for (size_t i = first; i < problems_.size(); ++i) problems_[i].legal = true;
  }
  void Acknowledge(const std::vector<std::string>& paths) {
    for (auto& p : problems_) {
      if (p.legal && p.severity == Severity::kError && std::find(paths.begin(), paths.end(), p.path) != paths.end()) {
        p.severity = Severity::kWarning;
        p.message += " (acknowledged in this inventory)";
      }
    }
  }

  // Reports keys of `map` outside `allowed` (typos would otherwise be silently ignored).
  void CheckKeys(const YAML::Node& map, const std::string& path, std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      if (!OneOf(key, allowed)) {
        Error(kv.first, Sub(path, key), fmt::format("unknown field '{}'; expected one of: {}", key, Join(allowed)));
      }
    }
  }

  // A scalar string field; reports it when required and missing or when it is not a scalar.
  std::string Str(const YAML::Node& map, const std::string& key, const std::string& path, bool required) {
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) {
      if (required) Error(map, Sub(path, key), "is required");
      return {};
    }
    if (!n.IsScalar()) {
      Error(n, Sub(path, key), "must be a single value (text)");
      return {};
    }
    if (required && n.Scalar().empty()) Error(n, Sub(path, key), "must not be empty");
    return n.Scalar();
  }

  bool Bool(const YAML::Node& map, const std::string& key, const std::string& path, bool fallback) {
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) return fallback;
    if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false")) return n.Scalar() == "true";
    Error(n, Sub(path, key), "must be true or false");
    return fallback;
  }

  std::vector<std::string> StrList(const YAML::Node& map, const std::string& key, const std::string& path) {
    std::vector<std::string> out;
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) return out;
    if (!n.IsSequence()) {
      Error(n, Sub(path, key), "must be a list, e.g. [a, b]");
      return out;
    }
    for (size_t i = 0; i < n.size(); ++i) {
      if (!n[i].IsScalar()) {
        Error(n[i], fmt::format("{}[{}]", Sub(path, key), i), "must be a single value");
        continue;
      }
      out.push_back(n[i].Scalar());
    }
    return out;
  }

  // A list of maps under `key`; calls fn(node, path) for each.
  template <typename Fn>
  void EachItem(const YAML::Node& root, const std::string& key, bool required, Fn fn) {
    const YAML::Node n = root[key];
    if (!n || n.IsNull()) {
      if (required) Error(root, key, "is required");
      return;
    }
    if (!n.IsSequence()) {
      Error(n, key, "must be a list of entries");
      return;
    }
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string path = fmt::format("{}[{}]", key, i);
      if (!n[i].IsMap()) {
        Error(n[i], path, "must be a map of fields");
        continue;
      }
      fn(n[i], path);
    }
  }

  static std::string Sub(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }

 private:
  std::vector<Problem>& problems_;
};

const std::regex& IdPattern() {
  static const std::regex kId("^[a-z][a-z0-9_]{0,62}$");
  return kId;
}

void CheckId(Checker& c, const YAML::Node& item, const std::string& path, const std::string& id,
             std::set<std::string>& seen) {
  if (id.empty()) return;
  if (!std::regex_match(id, IdPattern())) {
    c.Error(item["id"], path + ".id", fmt::format("'{}' must be lowercase letters, digits and _ (e.g. order_history)", id));
  } else if (!seen.insert(id).second) {
    c.Error(item["id"], path + ".id", fmt::format("'{}' is used twice; ids must be unique", id));
  }
}

void CheckRefs(Checker& c, const YAML::Node& item, const std::string& path, const std::string& key,
               const std::vector<std::string>& refs, const std::set<std::string>& known, std::string_view what) {
  for (size_t i = 0; i < refs.size(); ++i) {
    if (!known.contains(refs[i])) {
      c.Error(item[key][i], fmt::format("{}.{}[{}]", path, key, i),
              fmt::format("no {} has id '{}'; declare it under {}s or fix the id", what, refs[i], what));
    }
  }
}

Retention ReadRetention(Checker& c, const YAML::Node& item, const std::string& path, bool collected) {
  Retention r;
  const YAML::Node n = item["retention"];
  const std::string rpath = path + ".retention";
  if (!n || n.IsNull()) {
    if (collected) {
      c.Warn(item, rpath, "no retention period or criterion; the privacy policy must state one for each category collected");
    }
    return r;
  }
  if (!n.IsMap()) {
    c.Error(n, rpath, "must be a map: {years: 6, after: \"the end of the tax year\"} or {criterion: \"…\"}");
    return r;
  }
  c.CheckKeys(n, rpath, {"days", "months", "years", "after", "criterion"});
  r.declared = true;
  r.criterion = c.Str(n, "criterion", rpath, false);
  r.after = c.Str(n, "after", rpath, false);
  int units = 0;
  for (const char* unit : {"days", "months", "years"}) {
    if (!n[unit]) continue;
    ++units;
    r.unit = unit;
    try {
      r.count = n[unit].as<int>();
    } catch (const YAML::Exception&) {
      r.count = -1;
    }
    if (r.count <= 0) c.Error(n[unit], Checker::Sub(rpath, unit), "must be a whole number above 0");
  }
  if (units > 1) c.Error(n, rpath, "give one of days, months or years, not several");
  if (units == 0 && r.criterion.empty()) {
    c.Error(n, rpath, "needs a period (days, months or years) or a criterion");
  }
  return r;
}

// What the law requires of the data map as a whole (issue: "consistency checks"): each problem
// points at the line to fix.
void CheckConsistency(const YAML::Node& root, const Inventory& inv, Checker& c) {
  const Organization& o = inv.organization;
  const YAML::Node org = root["organization"] ? root["organization"] : root;
  if (inv.Serves("US-CA")) {
    // CA-030: two or more methods, one a toll-free number unless exclusively online (then an
    // email address suffices); one through the website when there is one.
    const ContactMethods& m = o.contact;
    const int methods = !m.web_form.empty() + !m.email.empty() + !m.toll_free_phone.empty() + !m.postal_address.empty();
    if (o.online_only) {
      if (m.email.empty()) {
        c.Error(org, "organization.contact.email", "a business operating only online must take requests by email (Civ. Code 1798.130(a)(1)(A))");
      }
    } else if ((methods < 2 || m.toll_free_phone.empty()) && !o.contact_unstated) {
      c.Error(org, "organization.contact",
              "California needs two or more request methods including a toll-free number (Civ. Code 1798.130(a)(1); 11 CCR 7020); "
              "add toll_free_phone, or set online_only if you operate only online");
    }
    if (!o.website.empty() && m.web_form.empty() && !o.contact_unstated) {
      c.Error(org, "organization.contact.web_form", "with a website, one request method must be through it: add web_form (11 CCR 7020(a))");
    }
  }
  bool sells_or_shares = false;
  for (const auto& d : inv.categories) {
    if (!d.collected) continue;
    if (!d.sold_to.empty() || !d.shared_to.empty()) sells_or_shares = true;
    if (d.ccpa == CcpaCategory::kL && inv.Serves("US-CA") && o.limit_url.empty()) {
      for (const auto& pid : d.purposes) {
        const Purpose* p = inv.FindPurpose(pid);
        if (p && !p->sensitive_permitted) {
          c.Add(Severity::kError, d.line, "organization.limit_url",
                fmt::format("sensitive data '{}' is used for '{}', beyond the uses 11 CCR 7027(m) permits: give the "
                            "\"Limit the Use of My Sensitive Personal Information\" form as organization.limit_url, "
                            "or mark the purpose sensitive_permitted if it is one of those uses", d.id, pid));
          break;
        }
      }
    }
  }
  if (sells_or_shares && inv.Serves("US-CA")) {
    if (o.opt_out_url.empty()) {
      c.Error(org, "organization.opt_out_url",
              "personal information is sold or shared: give the \"Do Not Sell or Share My Personal Information\" form (Civ. Code 1798.135)");
    }
    if (!o.honors_gpc) {
      c.Error(org, "organization.honors_gpc",
              "personal information is sold or shared: opt-out preference signals such as GPC must be honoured (11 CCR 7025); set honors_gpc: true");
    }
  }
  for (const auto& r : inv.recipients) {
    bool receives = false;
    for (const auto& d : inv.categories) {
      for (const auto* list : {&d.sold_to, &d.shared_to, &d.disclosed_to}) {
        receives = receives || std::find(list->begin(), list->end(), r.id) != list->end();
      }
    }
    if (!receives) {
      c.Add(Severity::kWarning, r.line, "recipients." + r.id,
            "no data category is sold, shared or disclosed to this recipient; list it in a category or remove it");
    }
  }
}

Inventory Build(const YAML::Node& root, std::string_view file_name, Checker& c) {
  Inventory inv;
  inv.file = std::string(file_name);
  c.CheckKeys(root, "", {"version", "organization", "jurisdictions", "sources", "purposes", "recipients", "data_categories",
                         "records", "ccpa_unstated", "acknowledged", "incentives"});

  // organization
  const YAML::Node org = root["organization"];
  if (!org || !org.IsMap()) {
    c.Error(org ? org : root, "organization", "is required: a map with name and contact methods");
  } else {
    Organization& o = inv.organization;
    o.line = Checker::Line(org);
    c.CheckKeys(org, "organization", {"name", "website", "online_only", "contact", "dpo_email", "privacy_policy_url",
                                      "opt_out_url", "limit_url", "honors_gpc", "metrics_url",
                                      "sells_or_shares_under_16", "supervisory_authority", "contact_unstated",
                                      "automated_decisions"});
    o.name = c.Str(org, "name", "organization", true);
    o.website = c.Str(org, "website", "organization", false);
    o.online_only = c.Bool(org, "online_only", "organization", false);
    o.dpo_email = c.Str(org, "dpo_email", "organization", false);
    o.honors_gpc = c.Bool(org, "honors_gpc", "organization", false);
    o.sells_or_shares_under_16 = c.Bool(org, "sells_or_shares_under_16", "organization", false);
    o.supervisory_authority = c.Str(org, "supervisory_authority", "organization", false);
    o.contact_unstated = c.Bool(org, "contact_unstated", "organization", false);
    o.automated_decisions = c.Str(org, "automated_decisions", "organization", false);
    for (auto [key, field] : {std::pair{"website", &o.website}, {"privacy_policy_url", &o.privacy_policy_url},
                              {"opt_out_url", &o.opt_out_url}, {"limit_url", &o.limit_url}, {"metrics_url", &o.metrics_url}}) {
      if (key != std::string_view("website")) *field = c.Str(org, key, "organization", false);
      if (!field->empty() && field->rfind("https://", 0) != 0 && field->rfind("http://", 0) != 0) {
        c.Error(org[key], std::string("organization.") + key, "must be a URL starting with https://");
      }
    }
    const YAML::Node contact = org["contact"];
    if (o.contact_unstated && !contact) {
      c.Warn(org, "organization.contact", "the notice names no way to submit requests (marked contact_unstated); the law requires them");
    } else if (!contact || !contact.IsMap()) {
      c.Error(contact ? contact : org, "organization.contact",
              "is required: the ways consumers submit requests (web_form, email, toll_free_phone, postal_address)");
    } else {
      c.CheckKeys(contact, "organization.contact", {"web_form", "email", "toll_free_phone", "postal_address"});
      o.contact.web_form = c.Str(contact, "web_form", "organization.contact", false);
      o.contact.email = c.Str(contact, "email", "organization.contact", false);
      o.contact.toll_free_phone = c.Str(contact, "toll_free_phone", "organization.contact", false);
      o.contact.postal_address = c.Str(contact, "postal_address", "organization.contact", false);
      if (!o.contact.email.empty() && o.contact.email.find('@') == std::string::npos) {
        c.Error(contact["email"], "organization.contact.email", "is not an email address");
      }
      if (!o.contact.web_form.empty() && o.contact.web_form.rfind("https://", 0) != 0 &&
          o.contact.web_form.rfind("http://", 0) != 0) {
        c.Error(contact["web_form"], "organization.contact.web_form", "must be a URL starting with https://");
      }
      if (o.contact.web_form.empty() && o.contact.email.empty() && o.contact.toll_free_phone.empty() &&
          o.contact.postal_address.empty() && !o.contact_unstated) {
        c.Error(contact, "organization.contact", "needs at least one method for consumers to submit requests");
      }
    }
    if (!o.dpo_email.empty() && o.dpo_email.find('@') == std::string::npos) {
      c.Error(org["dpo_email"], "organization.dpo_email", "is not an email address");
    }
  }

  // jurisdictions
  inv.jurisdictions = c.StrList(root, "jurisdictions", "");
  if (!root["jurisdictions"]) c.Error(root, "jurisdictions", "is required: the jurisdictions whose consumers you serve, e.g. [US-CA, EU]");
  {
    std::set<std::string> seen;
    const auto& known = KnownJurisdictions();
    for (size_t i = 0; i < inv.jurisdictions.size(); ++i) {
      const auto& j = inv.jurisdictions[i];
      if (std::find(known.begin(), known.end(), j) == known.end()) {
        c.Error(root["jurisdictions"][i], fmt::format("jurisdictions[{}]", i),
                fmt::format("unknown jurisdiction '{}'; Steward knows US-CA, EU, UK, US-VA, US-CO, US-CT, US-TX, US-OR, US-UT", j));
      } else if (!seen.insert(j).second) {
        c.Error(root["jurisdictions"][i], fmt::format("jurisdictions[{}]", i), fmt::format("'{}' is listed twice", j));
      }
    }
  }
  const bool gdpr = inv.Serves("EU") || inv.Serves("UK");

  std::set<std::string> source_ids, purpose_ids, recipient_ids, category_ids;
  std::map<std::string, std::string> recipient_types;

  c.EachItem(root, "sources", true, [&](const YAML::Node& n, const std::string& path) {
    c.CheckKeys(n, path, {"id", "name", "kind"});
    Source s{c.Str(n, "id", path, true), c.Str(n, "name", path, true), c.Str(n, "kind", path, true), Checker::Line(n)};
    CheckId(c, n, path, s.id, source_ids);
    if (!s.kind.empty() && !OneOf(s.kind, {"consumer", "device", "service_provider", "third_party", "public", "affiliate"})) {
      c.Error(n["kind"], path + ".kind", "must be one of: consumer, device, service_provider, third_party, public, affiliate");
    }
    inv.sources.push_back(std::move(s));
  });

  c.EachItem(root, "purposes", true, [&](const YAML::Node& n, const std::string& path) {
    c.CheckKeys(n, path, {"id", "name", "description", "business_purpose", "legal_basis", "legitimate_interest",
                          "sensitive_permitted", "provision", "sale_or_share", "direct_marketing"});
    Purpose p;
    p.line = Checker::Line(n);
    p.id = c.Str(n, "id", path, true);
    p.name = c.Str(n, "name", path, true);
    p.description = c.Str(n, "description", path, false);
    p.business_purpose = c.Str(n, "business_purpose", path, false);
    p.legal_basis = c.Str(n, "legal_basis", path, gdpr);
    p.legitimate_interest = c.Str(n, "legitimate_interest", path, false);
    p.sensitive_permitted = c.Bool(n, "sensitive_permitted", path, false);
    p.provision = c.Str(n, "provision", path, false);
    p.sale_or_share = c.Bool(n, "sale_or_share", path, false);
    p.direct_marketing = c.Bool(n, "direct_marketing", path, false);
    CheckId(c, n, path, p.id, purpose_ids);
    if (!p.legal_basis.empty() && !OneOf(p.legal_basis, {"consent", "contract", "legal_obligation", "vital_interests",
                                                          "public_task", "legitimate_interests"})) {
      c.Error(n["legal_basis"], path + ".legal_basis",
              "must be one of: consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests (GDPR art. 6(1))");
    }
    if (p.legal_basis == "legitimate_interests" && p.legitimate_interest.empty()) {
      c.Error(n, path + ".legitimate_interest", "is required with legal_basis legitimate_interests: say which interest (art. 13(1)(d))");
    }
    inv.purposes.push_back(std::move(p));
  });

  c.EachItem(root, "recipients", false, [&](const YAML::Node& n, const std::string& path) {
    c.CheckKeys(n, path, {"id", "name", "type", "country", "transfer_safeguard", "notify_url", "notify_secret_env"});
    Recipient r;
    r.line = Checker::Line(n);
    r.id = c.Str(n, "id", path, true);
    r.name = c.Str(n, "name", path, true);
    r.type = c.Str(n, "type", path, true);
    r.notify_url = c.Str(n, "notify_url", path, false);
    r.notify_secret_env = c.Str(n, "notify_secret_env", path, false);
    if (!r.notify_url.empty() && !r.notify_url.starts_with("https://") && !r.notify_url.starts_with("http://")) {
      c.Error(n["notify_url"], path + ".notify_url", "must be an http(s) URL");
    }
    if (!r.notify_url.empty() && r.notify_secret_env.empty()) {
      c.Error(n, path + ".notify_secret_env", "is required with notify_url: the environment variable holding the signing secret");
    }
    r.country = c.Str(n, "country", path, false);
    if (r.country.empty() && gdpr) {
      c.Warn(n, path + ".country", "the recipient's country is not given, so transfers out of the EU/EEA cannot be checked");
    }
    r.transfer_safeguard = c.Str(n, "transfer_safeguard", path, false);
    CheckId(c, n, path, r.id, recipient_ids);
    if (!r.type.empty() && !OneOf(r.type, {"service_provider", "contractor", "third_party", "group_entity", "government"})) {
      c.Error(n["type"], path + ".type", "must be one of: service_provider, contractor, third_party, group_entity, government");
    }
    if (!r.country.empty() && !std::regex_match(r.country, std::regex("^[A-Z]{2}$"))) {
      c.Error(n["country"], path + ".country", "must be an ISO 3166-1 two-letter code such as US or DE");
    }
    if (!r.transfer_safeguard.empty() &&
        !OneOf(r.transfer_safeguard, {"adequacy", "scc_2021_914", "scc", "bcr", "code_of_conduct", "certification", "derogation_art49"})) {
      c.Error(n["transfer_safeguard"], path + ".transfer_safeguard",
              "must be one of: adequacy, scc_2021_914, scc (clauses of an unnamed decision), bcr, code_of_conduct, certification, "
              "derogation_art49");
    }
    if (gdpr && !r.country.empty() && !InsideEeaOrAdequate(r.country) && r.transfer_safeguard.empty()) {
      c.Error(n, path + ".transfer_safeguard",
              fmt::format("a transfer to {} leaves the EU/EEA without an adequacy decision; name its safeguard (GDPR art. 46)", r.country));
    }
    recipient_types[r.id] = r.type;
    inv.recipients.push_back(std::move(r));
  });

  c.EachItem(root, "data_categories", true, [&](const YAML::Node& n, const std::string& path) {
    c.CheckKeys(n, path, {"id", "name", "ccpa", "sensitive", "fideslang", "examples", "sources", "purposes",
                          "sold_to", "shared_to", "disclosed_to", "collected", "retention", "unstated"});
    DataCategory d;
    d.line = Checker::Line(n);
    d.id = c.Str(n, "id", path, true);
    d.name = c.Str(n, "name", path, true);
    CheckId(c, n, path, d.id, category_ids);
    const std::string ccpa = c.Str(n, "ccpa", path, true);
    if (auto cat = ParseCcpaCategory(ccpa)) {
      d.ccpa = *cat;
    } else if (!ccpa.empty()) {
      c.Error(n["ccpa"], path + ".ccpa", fmt::format("'{}' is not a CCPA category; use a letter A to L", ccpa));
    }
    d.sensitive = c.Str(n, "sensitive", path, false);
    if (d.ccpa == CcpaCategory::kL && d.sensitive.empty() && ccpa == "L") {
      c.Error(n, path + ".sensitive", "category L needs the kind of sensitive data (e.g. government_id, precise_geolocation)");
    }
    if (!d.sensitive.empty()) {
      if (!IsSensitiveKind(d.sensitive)) {
        c.Error(n["sensitive"], path + ".sensitive", fmt::format("'{}' is not a kind of sensitive personal information (Civ. Code 1798.140(ae))", d.sensitive));
      } else if (ccpa != "L") {
        c.Error(n["sensitive"], path + ".sensitive", "sensitive data belongs to CCPA category L; set ccpa: L");
      }
    }
    d.fideslang = c.StrList(n, "fideslang", path);
    if (d.fideslang.empty()) c.Error(n, path + ".fideslang", "needs at least one fideslang data category key, e.g. [user.contact.email]");
    for (size_t i = 0; i < d.fideslang.size(); ++i) {
      if (!IsFideslangKey(d.fideslang[i])) {
        std::string hint = SuggestFideslangKey(d.fideslang[i]);
        c.Error(n["fideslang"][i], fmt::format("{}.fideslang[{}]", path, i),
                fmt::format("'{}' is not a fideslang data category{}", d.fideslang[i],
                            hint.empty() ? "" : fmt::format("; did you mean {}?", hint)));
      }
    }
    d.examples = c.StrList(n, "examples", path);
    d.collected = c.Bool(n, "collected", path, true);
    d.unstated = c.StrList(n, "unstated", path);
    for (size_t i = 0; i < d.unstated.size(); ++i) {
      if (!OneOf(d.unstated[i], {"sources", "purposes", "recipients", "retention"})) {
        c.Error(n["unstated"][i], fmt::format("{}.unstated[{}]", path, i), "must be sources, purposes, recipients or retention");
      } else {
        c.Warn(n["unstated"][i], fmt::format("{}.unstated[{}]", path, i),
               fmt::format("the notice does not state the {} of this category; a complete notice must", d.unstated[i]));
      }
    }
    d.sources = c.StrList(n, "sources", path);
    d.purposes = c.StrList(n, "purposes", path);
    d.sold_to = c.StrList(n, "sold_to", path);
    d.shared_to = c.StrList(n, "shared_to", path);
    d.disclosed_to = c.StrList(n, "disclosed_to", path);
    CheckRefs(c, n, path, "sources", d.sources, source_ids, "source");
    CheckRefs(c, n, path, "purposes", d.purposes, purpose_ids, "purpose");
    CheckRefs(c, n, path, "sold_to", d.sold_to, recipient_ids, "recipient");
    CheckRefs(c, n, path, "shared_to", d.shared_to, recipient_ids, "recipient");
    CheckRefs(c, n, path, "disclosed_to", d.disclosed_to, recipient_ids, "recipient");
    if (d.collected && d.sources.empty() && !d.Unstated("sources")) {
      c.Error(n, path + ".sources", "a collected category needs at least one source (or mark it unstated: [sources])");
    }
    if (d.collected && d.purposes.empty() && !d.Unstated("purposes")) {
      c.Error(n, path + ".purposes", "a collected category needs at least one purpose (or mark it unstated: [purposes])");
    }
    for (const auto* list : {&d.sold_to, &d.shared_to}) {
      for (const auto& r : *list) {
        auto it = recipient_types.find(r);
        if (it != recipient_types.end() && (it->second == "service_provider" || it->second == "contractor")) {
          c.Warn(n, path, fmt::format("'{}' is a {}: data given to it for a business purpose is not sold or shared; "
                                      "list it under disclosed_to", r, it->second));
        }
      }
    }
    d.retention = ReadRetention(c, n, path, d.collected && !d.Unstated("retention"));
    inv.categories.push_back(std::move(d));
  });

  if (const YAML::Node rec = root["records"]; rec && !rec.IsNull()) {
    if (!rec.IsMap()) {
      c.Error(rec, "records", "must be a map with data_subjects and security_measures");
    } else {
      c.CheckKeys(rec, "records", {"data_subjects", "security_measures"});
      inv.records.data_subjects = c.StrList(rec, "data_subjects", "records");
      inv.records.security_measures = c.Str(rec, "security_measures", "records", false);
    }
  }
  c.EachItem(root, "incentives", false, [&](const YAML::Node& n, const std::string& path) {
    c.CheckKeys(n, path, {"id", "name", "terms", "categories", "how_to_opt_in", "how_to_withdraw", "value_estimate",
                          "value_method"});
    Incentive in;
    in.line = Checker::Line(n);
    in.id = c.Str(n, "id", path, true);
    in.name = c.Str(n, "name", path, true);
    in.terms = c.Str(n, "terms", path, true);
    in.how_to_opt_in = c.Str(n, "how_to_opt_in", path, true);
    in.how_to_withdraw = c.Str(n, "how_to_withdraw", path, true);
    in.value_estimate = c.Str(n, "value_estimate", path, true);
    in.value_method = c.Str(n, "value_method", path, true);
    in.categories = c.StrList(n, "categories", path);
    if (in.categories.empty()) c.Error(n, path + ".categories", "name the data categories the programme involves (11 CCR 7016(b)(2))");
    CheckRefs(c, n, path, "categories", in.categories, category_ids, "data category");
    inv.incentives.push_back(std::move(in));
  });
  for (size_t i = 0; root["ccpa_unstated"] && i < root["ccpa_unstated"].size(); ++i) {
    const YAML::Node item = root["ccpa_unstated"][i];
    auto letter = item.IsScalar() ? ParseCcpaCategory(item.Scalar()) : std::nullopt;
    if (!letter) {
      c.Error(item, fmt::format("ccpa_unstated[{}]", i), "must be a CCPA category letter A to L");
      continue;
    }
    inv.ccpa_unstated.push_back(*letter);
    c.Warn(item, fmt::format("ccpa_unstated[{}]", i),
           fmt::format("the notice neither affirms nor denies collecting category {}; a complete notice answers for each", item.Scalar()));
  }
  const size_t before = c.Count();
  CheckConsistency(root, inv, c);
  c.MarkLegalFrom(before);
  // A legal finding the business has acknowledged (known gap, remediation pending) stays
  // visible as a warning; structural errors cannot be acknowledged.
  const std::vector<std::string> acknowledged = c.StrList(root, "acknowledged", "");
  c.Acknowledge(acknowledged);
  return inv;
}

}  // namespace

CheckReport CheckInventory(std::string_view yaml_text, std::string_view file_name) {
  CheckReport report;
  Checker c(report.problems);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    c.Add(Severity::kError, e.mark.line + 1, "(file)", fmt::format("not valid YAML: {}", e.msg));
    return report;
  }
  if (!root.IsMap()) {
    c.Add(Severity::kError, 1, "(file)", "an inventory is a YAML map with organization, jurisdictions, sources, purposes, recipients and data_categories");
    return report;
  }
  Inventory inv;
  try {
    inv = Build(root, file_name, c);
  } catch (const YAML::Exception& e) {
    c.Add(Severity::kError, e.mark.line + 1, "(file)", fmt::format("cannot read this value: {}", e.msg));
  }
  std::stable_sort(report.problems.begin(), report.problems.end(),
                   [](const Problem& a, const Problem& b) { return a.line < b.line; });
  if (!report.HasErrors()) {
    inv.source_hash = Sha256Hex(yaml_text);
    report.inventory = std::move(inv);
  }
  return report;
}

Result<Inventory> LoadInventoryText(std::string_view yaml_text, std::string_view file_name) {
  CheckReport report = CheckInventory(yaml_text, file_name);
  if (report.inventory) return std::move(*report.inventory);
  for (const auto& p : report.problems) {
    if (p.severity == Severity::kError) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {}", p.path, p.message), fmt::format("{}:{}", file_name, p.line));
    }
  }
  return Fail(ErrorCode::kInternal, "inventory has errors but none was reported");
}

Result<Inventory> LoadInventoryFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kUnavailable, "cannot read the inventory file", path.string());
  std::stringstream buf;
  buf << in.rdbuf();
  return LoadInventoryText(buf.str(), path.string());
}

}  // namespace steward::inventory
