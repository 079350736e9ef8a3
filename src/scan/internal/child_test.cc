// The reader process that third-party parsers run in: what it sends arrives in order, and a
// reader that crashes, stalls or runs out of its memory is an error the parent reads, never the
// parent's own crash or hang.
#include "scan/internal/child.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <new>
#include <vector>

namespace steward::scan::internal {
namespace {

using namespace std::chrono_literals;

TEST(ChildReaderTest, FramesArriveInOrderThenTheEnd) {
  auto reader = ChildReader::Start(
      [](ChildWriter& out) { return out.Write('A', "first") && out.Write('B', std::string(1 << 20, 'x')) && out.Write('C', ""); }, {});
  ASSERT_TRUE(reader);
  ChildReader::Frame frame;
  ASSERT_TRUE((*reader)->Read(frame));
  EXPECT_EQ(frame.type, 'A');
  EXPECT_EQ(frame.payload, "first");
  ASSERT_TRUE((*reader)->Read(frame));
  EXPECT_EQ(frame.type, 'B');
  EXPECT_EQ(frame.payload.size(), size_t{1} << 20);
  ASSERT_TRUE((*reader)->Read(frame));
  EXPECT_EQ(frame.type, 'C');
  EXPECT_TRUE(frame.payload.empty());
  EXPECT_FALSE((*reader)->Read(frame));  // done: the pipe ends, the reader exited well
  EXPECT_EQ((*reader)->error(), "its reader stopped early (exit status 0)");
}

TEST(ChildReaderTest, AReaderThatCrashesIsAnErrorNotACrash) {
  auto reader = ChildReader::Start(
      [](ChildWriter& out) {
        out.Write('A', "before");
        std::abort();
        return true;
      },
      {});
  ASSERT_TRUE(reader);
  ChildReader::Frame frame;
  ASSERT_TRUE((*reader)->Read(frame));
  EXPECT_EQ(frame.payload, "before");
  EXPECT_FALSE((*reader)->Read(frame));
  EXPECT_EQ((*reader)->error(), "its reader crashed (Aborted)");
  EXPECT_FALSE((*reader)->Read(frame));  // and stays failed
}

TEST(ChildReaderTest, AReaderThatStallsIsStopped) {
  const auto started = std::chrono::steady_clock::now();
  auto reader = ChildReader::Start(
      [](ChildWriter&) {
        ::sleep(60);
        return true;
      },
      {.stall = 200ms});
  ASSERT_TRUE(reader);
  ChildReader::Frame frame;
  EXPECT_FALSE((*reader)->Read(frame));
  EXPECT_EQ((*reader)->error(), "its reader made no progress for 0.2 s and was stopped");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
}

TEST(ChildReaderTest, AReaderOutOfItsMemoryIsAnError) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "no address-space limit under AddressSanitizer";
#endif
  auto reader = ChildReader::Start(
      [](ChildWriter& out) {
        std::vector<char> big(size_t{4} << 30, 'x');  // past the 1 GiB limit
        return out.Write('A', std::string_view(big.data(), 1));
      },
      {.memory = uint64_t{1} << 30});
  ASSERT_TRUE(reader);
  ChildReader::Frame frame;
  EXPECT_FALSE((*reader)->Read(frame));
  EXPECT_EQ((*reader)->error(), "its reader ran out of memory");
}

TEST(ChildReaderTest, AParentThatStopsReadingEndsTheReader) {
  ChildReader::Frame frame;
  {
    auto reader = ChildReader::Start(
        [](ChildWriter& out) {
          while (out.Write('A', std::string(1 << 16, 'x'))) {
          }
          return false;
        },
        {});
    ASSERT_TRUE(reader);
    ASSERT_TRUE((*reader)->Read(frame));
  }  // destroyed: the child is killed and reaped, nothing is left running
  SUCCEED();
}

}  // namespace
}  // namespace steward::scan::internal
