// The inventory: the data map every other part of Steward reads — who the business is, where
// it operates, which categories of personal data it collects, from where, for what, who
// receives them, whether they are sold or shared, and how long they are kept.
//
// CheckInventory parses and validates a YAML inventory and reports every problem with its
// file:line; LoadInventory returns the model only when there is no error. The model is plain
// immutable data once loaded.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "inventory/taxonomy.h"

namespace steward::inventory {

struct ContactMethods {
  std::string web_form;         // URL of the request form
  std::string email;
  std::string toll_free_phone;
  std::string postal_address;
};

struct Organization {
  std::string name;
  std::string website;
  bool online_only = false;  // operates exclusively online with a direct relationship (CA-030)
  ContactMethods contact;
  std::string dpo_email;     // GDPR data protection officer, optional
  std::string privacy_policy_url;  // where the full policy is published
  std::string opt_out_url;   // "Do Not Sell or Share My Personal Information"
  std::string limit_url;     // "Limit the Use of My Sensitive Personal Information"
  bool honors_gpc = false;   // processes opt-out preference signals (11 CCR 7025)
  std::string metrics_url;   // where the yearly request metrics are published (7102)
  bool sells_or_shares_under_16 = false;  // with actual knowledge, consumers under 16
  std::string supervisory_authority;      // GDPR lead authority, optional
  bool contact_unstated = false;          // the notice names no request method (a known gap)
  std::string automated_decisions;        // GDPR 13(2)(f): whether solely automated decisions are made, and how
  int line = 0;
};

// Art. 30 record facts that belong to no single category.
struct Records {
  std::vector<std::string> data_subjects;  // "customers", "website visitors"
  std::string security_measures;           // art. 32(1) in general terms
};

struct Source {
  std::string id, name, kind;  // kind: consumer | device | service_provider | third_party | public | affiliate
  int line = 0;
};

struct Purpose {
  std::string id, name, description;
  std::string business_purpose;     // CCPA business or commercial purpose, in words
  std::string legal_basis;          // GDPR art. 6: consent | contract | legal_obligation | vital_interests | public_task | legitimate_interests
  std::string legitimate_interest;  // required with legitimate_interests
  bool sensitive_permitted = false;  // one of the uses 11 CCR 7027(m) permits for sensitive data
  std::string provision;             // GDPR 13(2)(e): required or not, and the consequence
  bool sale_or_share = false;        // using data for it sells or shares it (CCPA), i.e. targeted advertising
  bool direct_marketing = false;     // GDPR art. 21(2): an objection is absolute
  int line = 0;
};

struct Recipient {
  std::string id, name;
  std::string type;     // service_provider | contractor | third_party | group_entity | government
  std::string country;  // ISO 3166-1 alpha-2, or empty when not known
  std::string transfer_safeguard;  // adequacy | scc_2021_914 | scc | bcr | code_of_conduct | certification | derogation_art49
  // Where Steward tells this recipient about deletions and corrections (a signed webhook), and
  // the environment variable holding the signing secret. Empty: staff notify it by other means.
  std::string notify_url;
  std::string notify_secret_env;
  int line = 0;
};

struct Retention {
  bool declared = false;
  int count = 0;
  std::string unit;       // days | months | years
  std::string after;      // the anchor in words ("account closure")
  std::string criterion;  // instead of a period: "while the account is active"
};

struct DataCategory {
  std::string id, name;
  CcpaCategory ccpa = CcpaCategory::kA;
  std::string sensitive;  // a SensitiveKinds() id; set exactly when ccpa is L
  std::vector<std::string> fideslang;
  std::vector<std::string> examples;
  std::vector<std::string> sources, purposes;
  std::vector<std::string> sold_to, shared_to, disclosed_to;  // recipient ids
  bool collected = true;  // false records "not collected" explicitly
  Retention retention;
  // Facts the business's own notice does not state: sources, purposes, recipients, retention.
  // Recorded as unknown (rendered "Not stated", warned about) instead of being invented.
  std::vector<std::string> unstated;
  bool Unstated(std::string_view fact) const;
  int line = 0;
};

// A financial incentive programme (11 CCR 7016): what a Notice of Financial Incentive states.
struct Incentive {
  std::string id, name;
  std::string terms;           // material terms, in words
  std::vector<std::string> categories;  // data category ids involved
  std::string how_to_opt_in;
  std::string how_to_withdraw;
  std::string value_estimate;  // good-faith estimate of the value of the consumer's data
  std::string value_method;    // how it was calculated
  int line = 0;
};

struct Inventory {
  std::string file;
  std::string source_hash;  // SHA-256 of the YAML text it was loaded from
  Organization organization;
  std::vector<std::string> jurisdictions;
  std::vector<Source> sources;
  std::vector<Purpose> purposes;
  std::vector<Recipient> recipients;
  std::vector<DataCategory> categories;
  std::vector<CcpaCategory> ccpa_unstated;  // letters the notice neither affirms nor denies
  std::vector<Incentive> incentives;
  Records records;

  bool Serves(std::string_view jurisdiction) const;
  const Source* FindSource(std::string_view id) const;
  const Purpose* FindPurpose(std::string_view id) const;
  const Recipient* FindRecipient(std::string_view id) const;
};

struct Problem {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  int line = 0;
  std::string path;     // "data_categories[2].ccpa"
  std::string message;  // what is wrong and what to do
  bool legal = false;   // a legal-completeness finding (may be acknowledged), not a structural error
};

struct CheckReport {
  std::vector<Problem> problems;
  std::optional<Inventory> inventory;  // present when there is no error
  bool HasErrors() const;
  // "FILE:LINE: error: PATH: MESSAGE" lines, one per problem.
  std::string Format(std::string_view file) const;
};

// The jurisdiction codes Steward knows (US-CA, EU, UK, US-VA, US-CO, US-CT, US-TX, US-OR, US-UT).
const std::vector<std::string_view>& KnownJurisdictions();

CheckReport CheckInventory(std::string_view yaml_text, std::string_view file_name);
// invalid_argument naming the first error's file:line when the inventory has errors;
// unavailable when the file cannot be read.
Result<Inventory> LoadInventoryFile(const std::filesystem::path& path);
Result<Inventory> LoadInventoryText(std::string_view yaml_text, std::string_view file_name);

}  // namespace steward::inventory
