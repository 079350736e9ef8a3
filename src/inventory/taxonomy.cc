#include "inventory/taxonomy.h"

#include <algorithm>
#include <array>

namespace steward::inventory {

const std::vector<CcpaCategoryInfo>& CcpaCategories() {
  static const std::vector<CcpaCategoryInfo> kTable = {
      {CcpaCategory::kA, "A", "Identifiers"},
      {CcpaCategory::kB, "B", "Personal information categories listed in the California Customer Records statute (Cal. Civ. Code § 1798.80(e))"},
      {CcpaCategory::kC, "C", "Protected classification characteristics under California or federal law"},
      {CcpaCategory::kD, "D", "Commercial information"},
      {CcpaCategory::kE, "E", "Biometric information"},
      {CcpaCategory::kF, "F", "Internet or other similar network activity"},
      {CcpaCategory::kG, "G", "Geolocation data"},
      {CcpaCategory::kH, "H", "Sensory data"},
      {CcpaCategory::kI, "I", "Professional or employment-related information"},
      {CcpaCategory::kJ, "J", "Non-public education information (per the Family Educational Rights and Privacy Act)"},
      {CcpaCategory::kK, "K", "Inferences drawn from other personal information"},
      {CcpaCategory::kL, "L", "Sensitive personal information"},
  };
  return kTable;
}

std::optional<CcpaCategory> ParseCcpaCategory(std::string_view letter) {
  for (const auto& row : CcpaCategories()) {
    if (row.letter == letter) return row.category;
  }
  return std::nullopt;
}

const CcpaCategoryInfo& InfoFor(CcpaCategory category) { return CcpaCategories()[static_cast<size_t>(category)]; }

const std::vector<SensitiveKindInfo>& SensitiveKinds() {
  static const std::vector<SensitiveKindInfo> kTable = {
      {"government_id", "Social security, driver's license, state identification card, or passport number"},
      {"account_credentials", "Account log-in, financial account, debit card, or credit card number in combination with any required security or access code, password, or credentials allowing access to an account"},
      {"precise_geolocation", "Precise geolocation"},
      {"racial_ethnic_origin", "Racial or ethnic origin"},
      {"citizenship_immigration", "Citizenship or immigration status"},
      {"religious_beliefs", "Religious or philosophical beliefs"},
      {"union_membership", "Union membership"},
      {"communications_contents", "Contents of mail, email, and text messages unless the business is the intended recipient"},
      {"genetic_data", "Genetic data"},
      {"neural_data", "Neural data"},
      {"biometric_identification", "Biometric information processed for the purpose of uniquely identifying a consumer"},
      {"health", "Personal information collected and analyzed concerning a consumer's health"},
      {"sex_life_orientation", "Personal information collected and analyzed concerning a consumer's sex life or sexual orientation"},
  };
  return kTable;
}

bool IsSensitiveKind(std::string_view id) {
  const auto& kinds = SensitiveKinds();
  return std::any_of(kinds.begin(), kinds.end(), [&](const auto& k) { return k.id == id; });
}

namespace {
// fideslang data categories (the user.*, system.* and employee.* trees) that Steward knows.
constexpr std::array<std::string_view, 114> kFideslangKeys = {
    "user", "user.account", "user.account.settings", "user.account.username",
    "user.authorization", "user.authorization.biometric", "user.authorization.credentials",
    "user.authorization.password", "user.behavior", "user.behavior.browsing_history",
    "user.behavior.media_consumption", "user.behavior.purchase_history", "user.behavior.search_history",
    "user.biometric", "user.biometric.fingerprint", "user.biometric.retinal", "user.biometric.voice",
    "user.biometric.health", "user.childrens", "user.contact", "user.contact.address",
    "user.contact.address.city", "user.contact.address.country", "user.contact.address.postal_code",
    "user.contact.address.state", "user.contact.address.street", "user.contact.email",
    "user.contact.fax_number", "user.contact.organization", "user.contact.phone_number", "user.contact.url",
    "user.content", "user.content.private", "user.content.public", "user.content.self_image",
    "user.criminal_history", "user.demographic", "user.demographic.age_range", "user.demographic.date_of_birth",
    "user.demographic.gender", "user.demographic.language", "user.demographic.marital_status",
    "user.demographic.political_opinion", "user.demographic.profile", "user.demographic.race_ethnicity",
    "user.demographic.religious_belief", "user.demographic.sexual_orientation", "user.device",
    "user.device.cookie", "user.device.cookie_id", "user.device.device_id", "user.device.ip_address",
    "user.device.telemetry", "user.financial", "user.financial.account_number", "user.financial.bank_account",
    "user.financial.credit_card", "user.government_id", "user.government_id.birth_certificate",
    "user.government_id.drivers_license_number", "user.government_id.immigration",
    "user.government_id.national_identification_number", "user.government_id.passport_number",
    "user.government_id.vehicle_registration", "user.health_and_medical", "user.health_and_medical.genetic",
    "user.health_and_medical.insurance_beneficiary_id", "user.health_and_medical.record_id",
    "user.location", "user.location.imprecise", "user.location.precise", "user.name", "user.name.first",
    "user.name.last", "user.payment", "user.privacy_preferences", "user.sensor", "user.social",
    "user.telemetry", "user.unique_id", "user.unique_id.pseudonymous", "user.user_sensor",
    "user.workplace", "user.job_title", "user.education", "user.employment",
    "user.employment.compensation", "user.employment.history", "user.financial.income",
    "user.demographic.citizenship", "user.demographic.union_membership",
    "user.content.communications", "user.biometric.neural",
    "system", "system.authentication", "system.operations",
    "employee", "employee.id", "employee.contact", "employee.contact.email", "employee.contact.phone_number",
    "employee.contact.address", "employee.name", "employee.financial", "employee.government_id",
    "employee.health_and_medical", "employee.workplace", "employee.job_title", "employee.demographic",
    "employee.authorization", "employee.device", "employee.behavior", "employee.location", "employee.employment",
};

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

bool IsFideslangKey(std::string_view key) {
  return std::find(kFideslangKeys.begin(), kFideslangKeys.end(), key) != kFideslangKeys.end();
}

std::string SuggestFideslangKey(std::string_view key) {
  std::string_view best;
  size_t best_d = 4;
  for (auto k : kFideslangKeys) {
    size_t d = EditDistance(key, k);
    if (d < best_d) {
      best_d = d;
      best = k;
    }
  }
  return std::string(best);
}

}  // namespace steward::inventory
