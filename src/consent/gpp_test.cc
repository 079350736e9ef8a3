// The published test vectors (IABTechLab/iabgpp-es; ../shared/specs/iab/gpp_test_vectors.md).
#include "consent/gpp.h"

#include <gtest/gtest.h>

namespace steward::consent {
namespace {

TEST(Gpp, UsCaDefaultsMatchTheTestVector) { EXPECT_EQ(EncodeUsCa({}), "BAAAAABA.QA"); }

TEST(Gpp, UsCaWithEveryFieldSetMatchesTheTestVector) {
  UsCaFields f;
  f.sale_opt_out_notice = f.sharing_opt_out_notice = f.sensitive_data_limit_use_notice = 1;
  f.sale_opt_out = f.sharing_opt_out = 1;
  f.sensitive_data_processing = {2, 1, 0, 2, 1, 0, 2, 1, 0};
  f.known_child_sensitive_data_consents = {2, 1};
  f.personal_data_consents = 1;
  f.mspa_covered_transaction = 1;
  f.mspa_opt_out_option_mode = 1;
  f.mspa_service_provider_mode = 2;
  f.gpc = true;
  EXPECT_EQ(EncodeUsCa(f), "BVWSSSVY.YA");
}

TEST(Gpp, HeadersMatchTheTestVectors) {
  EXPECT_EQ(EncodeGppHeader({}), "DBAA");
  EXPECT_EQ(EncodeGppHeader({6}), "DBABTA");   // "DBABTA~1YNN": US Privacy v1
  EXPECT_EQ(EncodeGppHeader({2}), "DBABMA");   // TCF EU v2
  EXPECT_EQ(EncodeGppHeader({2, 6}), "DBACNYA");
  EXPECT_EQ(GppString({}), EncodeGppHeader({8}) + "~BAAAAABA.QA");
}

}  // namespace
}  // namespace steward::consent
