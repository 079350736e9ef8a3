// The reader processes that third-party parsers run in: what a job sends arrives in order, a
// thread's reader serves job after job, and a reader that crashes, stalls or runs out of its
// memory is an error the parent reads, never the parent's own crash or hang, and is replaced.
#include "scan/internal/child.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <new>
#include <vector>

namespace steward::scan::internal {
namespace {

using namespace std::chrono_literals;

TEST(ChildReaderTest, FramesArriveInOrderThenTheEnd) {
  auto reader = ChildReader::Start(
      [](ChildWriter& out, std::string_view request) {
        return out.Write('A', request) && out.Write('B', std::string(1 << 20, 'x')) && out.Write('C', "");
      },
      "first", {});
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
  EXPECT_FALSE((*reader)->Read(frame));  // the job's end
  EXPECT_EQ((*reader)->error(), "its reader sent no more");
}

// One reader serves a thread's jobs one after another; one that dies is replaced for the next; a
// job may have a reader of its own.
TEST(ChildReaderTest, AReaderServesJobAfterJobAndIsReplacedWhenItDies) {
  constexpr ChildWork kPid = [](ChildWriter& out, std::string_view) { return out.Write('P', std::to_string(::getpid())); };
  auto pid_of_job = [&] {
    auto reader = ChildReader::Start(kPid, "", {});
    ChildReader::Frame frame;
    EXPECT_TRUE(reader && (*reader)->Read(frame));
    return frame.payload;
  };
  const std::string first = pid_of_job();
  EXPECT_EQ(pid_of_job(), first);
  EXPECT_NE(first, std::to_string(::getpid()));
  {
    auto crash = ChildReader::Start([](ChildWriter&, std::string_view) -> bool { std::abort(); }, "", {});
    ASSERT_TRUE(crash);
    ChildReader::Frame frame;
    EXPECT_FALSE((*crash)->Read(frame));
  }
  const std::string replaced = pid_of_job();
  EXPECT_NE(replaced, first);
  // A job left with more than a few frames unread ends its reader; one left with its end only
  // does not.
  {
    auto chatty = ChildReader::Start(
        [](ChildWriter& out, std::string_view) {
          for (int k = 0; k < 1000; ++k)
            if (!out.Write('A', "x")) return false;
          return true;
        },
        "", {});
    ASSERT_TRUE(chatty);
  }
  EXPECT_NE(pid_of_job(), replaced);
  const std::string kept = pid_of_job();
  EXPECT_EQ(pid_of_job(), kept);
  // A job that asks for a reader of its own gets one, and the thread's reader stays.
  {
    auto own = ChildReader::Start(kPid, "", {.own = true});
    ChildReader::Frame frame;
    ASSERT_TRUE(own && (*own)->Read(frame));
    EXPECT_NE(frame.payload, kept);
  }
  EXPECT_EQ(pid_of_job(), kept);
}

TEST(ChildReaderTest, AReaderThatCrashesIsAnErrorNotACrash) {
  auto reader = ChildReader::Start(
      [](ChildWriter& out, std::string_view) -> bool {
        out.Write('A', "before");
        std::abort();
      },
      "", {});
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
      [](ChildWriter&, std::string_view) {
        ::sleep(60);
        return true;
      },
      "", {.stall = 200ms});
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
      [](ChildWriter& out, std::string_view) {
        std::vector<char> big(size_t{4} << 30, 'x');  // past the 1 GiB limit
        return out.Write('A', std::string_view(big.data(), 1));
      },
      "", {.memory = uint64_t{1} << 30});
  ASSERT_TRUE(reader);
  ChildReader::Frame frame;
  EXPECT_FALSE((*reader)->Read(frame));
  EXPECT_EQ((*reader)->error(), "its reader ran out of memory");
}

TEST(ChildReaderTest, AParentThatStopsReadingEndsTheReader) {
  ChildReader::Frame frame;
  {
    auto reader = ChildReader::Start(
        [](ChildWriter& out, std::string_view) {
          while (out.Write('A', std::string(1 << 16, 'x'))) {
          }
          return false;
        },
        "", {});
    ASSERT_TRUE(reader);
    ASSERT_TRUE((*reader)->Read(frame));
  }  // destroyed: the child is killed and reaped, nothing is left running
  SUCCEED();
}

}  // namespace
}  // namespace steward::scan::internal
