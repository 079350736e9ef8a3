#include "cli/config.h"

#include <gtest/gtest.h>

namespace steward::cli {
namespace {

TEST(ConfigTest, DefaultTextParsesBackToTheDefaults) {
  Config c;
  c.listen = "127.0.0.1:9999";
  auto parsed = ParseConfig(DefaultConfigText(c), "steward.yaml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->listen, "127.0.0.1:9999");
  EXPECT_EQ(parsed->delivery, "log");
  EXPECT_EQ(parsed->code_ttl_minutes, 10);
}

TEST(ConfigTest, UnknownKeysAndBadValuesNameTheLine) {
  auto typo = ParseConfig("listen: 127.0.0.1:1\nlisten_port: 8\n", "s.yaml");
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().field, "s.yaml:2");
  auto nested = ParseConfig("http:\n  threads: many\n", "s.yaml");
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().field, "s.yaml:2");
  EXPECT_NE(nested.error().message.find("http.threads"), std::string::npos);
  auto delivery = ParseConfig("notifications:\n  delivery: pigeon\n", "s.yaml");
  ASSERT_FALSE(delivery);
  auto sync = ParseConfig("store:\n  synchronous: OFF\n", "s.yaml");
  ASSERT_FALSE(sync);
  EXPECT_FALSE(ParseConfig("listen: 8080\n", "s.yaml"));
  EXPECT_FALSE(ParseConfig("http: [\n", "s.yaml"));
}

}  // namespace
}  // namespace steward::cli
