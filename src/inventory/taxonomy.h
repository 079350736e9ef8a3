// The taxonomy the data map speaks: CCPA categories A–L (Civ. Code 1798.140(v)(1)), the kinds
// of sensitive personal information (1798.140(ae)), and fideslang data-category keys.
// Constant tables; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steward::inventory {

enum class CcpaCategory { kA, kB, kC, kD, kE, kF, kG, kH, kI, kJ, kK, kL };

struct CcpaCategoryInfo {
  CcpaCategory category;
  std::string_view letter;        // "A"
  std::string_view statutory_name;
};

const std::vector<CcpaCategoryInfo>& CcpaCategories();
std::optional<CcpaCategory> ParseCcpaCategory(std::string_view letter);
const CcpaCategoryInfo& InfoFor(CcpaCategory category);

struct SensitiveKindInfo {
  std::string_view id;    // "government_id"
  std::string_view name;  // as 1798.140(ae) describes it
};
const std::vector<SensitiveKindInfo>& SensitiveKinds();
bool IsSensitiveKind(std::string_view id);

// True for a fideslang data-category key ("user.contact.email") or one of its known parents.
bool IsFideslangKey(std::string_view key);
// The closest known key, for "did you mean" hints; empty when nothing is close.
std::string SuggestFideslangKey(std::string_view key);

}  // namespace steward::inventory
