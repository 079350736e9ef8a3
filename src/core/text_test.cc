#include "core/text.h"

#include <gtest/gtest.h>

namespace steward {
namespace {

TEST(PrintableTest, KeepsValidTextAndEscapesTheRest) {
  EXPECT_EQ(Printable("retention"), "retention");
  EXPECT_EQ(Printable("Müller 東京"), "Müller 東京");
  EXPECT_EQ(Printable("rete\xff\xfez"), "rete\\xff\\xfez");
  EXPECT_EQ(Printable("a\nb\x01"), "a\\x0ab\\x01");
  EXPECT_EQ(Printable(""), "\"\"");
  EXPECT_EQ(Printable("\xc0\xaf"), "\\xc0\\xaf");          // overlong
  EXPECT_EQ(Printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(Printable("\xe2\x82"), "\\xe2\\x82");          // truncated sequence
  EXPECT_EQ(Printable(std::string(200, 'a'), 10), "aaaaaaaaaa…");
}

}  // namespace
}  // namespace steward

namespace steward {
namespace {
TEST(AsciiLower, LowersAsciiOnly) { EXPECT_EQ(AsciiLower("DOB: José ÉTÉ"), "dob: josé ÉtÉ"); }
}  // namespace
}  // namespace steward
