// IAB Global Privacy Platform strings for ad-tech callers: the GPP header and the US-CA section
// (California Privacy Technical Specification, section id 8) with its GPC sub-section, encoded
// as the Consent String Specification says (fixed-width integers, Fibonacci-coded section ids,
// zero bits to a whole byte, then base64url without padding).
#pragma once

#include <array>
#include <string>
#include <vector>

namespace steward::consent {

struct UsCaFields {
  int version = 1;
  int sale_opt_out_notice = 0;          // 0 n/a, 1 notice given, 2 not given
  int sharing_opt_out_notice = 0;
  int sensitive_data_limit_use_notice = 0;
  int sale_opt_out = 0;                 // 0 n/a, 1 opted out, 2 did not opt out
  int sharing_opt_out = 0;
  std::array<int, 9> sensitive_data_processing{};  // per activity: 0 n/a, 1 opted out, 2 did not
  std::array<int, 2> known_child_sensitive_data_consents{};  // sell, share: 0 n/a, 1 no consent, 2 consent
  int personal_data_consents = 0;
  int mspa_covered_transaction = 1;     // 1 yes, 2 no
  int mspa_opt_out_option_mode = 0;
  int mspa_service_provider_mode = 0;
  bool gpc = false;
};

// The US-CA section with its GPC sub-section: "BAAAAABA.QA" for the defaults.
std::string EncodeUsCa(const UsCaFields& fields);
// The GPP header for the given section ids ("DBABTA" for US Privacy v1, id 6).
std::string EncodeGppHeader(const std::vector<int>& section_ids);
// A whole GPP string carrying only the US-CA section.
std::string GppString(const UsCaFields& fields);

}  // namespace steward::consent
