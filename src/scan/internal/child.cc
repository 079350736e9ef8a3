#include "scan/internal/child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include <fmt/format.h>

namespace steward::scan::internal {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;  // ASan reserves terabytes of address space: no limit on it
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

constexpr uint32_t kMaxFrame = uint32_t{1} << 30;
constexpr int kOutOfMemory = 3;  // the child's exit status when its work ran out of memory

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// The address space this process maps, from /proc/self/statm (0 when it cannot be read).
uint64_t MappedBytes() {
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[64] = {};
  const ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  uint64_t pages = 0;
  for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) pages = pages * 10 + static_cast<uint64_t>(buf[i] - '0');
  return pages * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

bool ChildWriter::Write(char type, std::string_view payload) {
  if (payload.size() > kMaxFrame) return false;
  const auto len = static_cast<uint32_t>(payload.size());
  const char head[5] = {type, static_cast<char>(len & 0xff), static_cast<char>((len >> 8) & 0xff), static_cast<char>((len >> 16) & 0xff),
                        static_cast<char>(len >> 24)};
  return WriteAll(fd_, head, sizeof head) && WriteAll(fd_, payload.data(), payload.size());
}

Result<std::unique_ptr<ChildReader>> ChildReader::Start(const std::function<bool(ChildWriter&)>& work, Limits limits) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return steward::Fail(ErrorCode::kInternal, "cannot make a pipe: " + std::string(std::strerror(errno)));
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return steward::Fail(ErrorCode::kInternal, "cannot start a reader process: " + std::string(std::strerror(errno)));
  }
  if (child == 0) {  // the reader: the work and the pipe, then _exit (no destructors, no atexit)
    ::close(fds[0]);
    ::signal(SIGPIPE, SIG_DFL);  // the parent gone, the reader goes
    if (!kSanitized && limits.memory > 0) {  // on top of what the fork already maps (the parent's threads' arenas and stacks)
      const rlimit limit{MappedBytes() + limits.memory, MappedBytes() + limits.memory};
      ::setrlimit(RLIMIT_AS, &limit);
    }
    ChildWriter writer(fds[1]);
    try {
      _exit(work(writer) ? 0 : 1);
    } catch (const std::bad_alloc&) {
      _exit(kOutOfMemory);
    } catch (...) {
      _exit(1);
    }
  }
  ::close(fds[1]);
  return std::unique_ptr<ChildReader>(new ChildReader(child, fds[0], limits.stall));
}

ChildReader::~ChildReader() {
  ::close(pipe_);
  if (child_ > 0) {
    ::kill(child_, SIGKILL);
    ::waitpid(child_, nullptr, 0);
  }
}

void ChildReader::Fail(const std::string& why) {
  if (child_ > 0) {
    ::kill(child_, SIGKILL);
    ::waitpid(child_, nullptr, 0);
    child_ = -1;
  }
  if (error_.empty()) error_ = "its reader " + why;
}

bool ChildReader::ReadFull(char* dst, size_t n) {
  while (n > 0) {
    pollfd p{pipe_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(stall_.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      Fail(fmt::format("made no progress for {} s and was stopped", stall_.count() / 1000.0));
      return false;
    }
    const ssize_t got = ready < 0 ? -1 : ::read(pipe_, dst, n);
    if (got < 0 && errno == EINTR) continue;
    if (got > 0) {
      dst += got;
      n -= static_cast<size_t>(got);
      continue;
    }
    // The pipe ended before the frame did: the reader died.
    int status = 0;
    const pid_t reaped = child_ > 0 ? ::waitpid(child_, &status, 0) : -1;
    child_ = -1;
    if (reaped > 0 && WIFSIGNALED(status)) {
      const char* name = sigdescr_np(WTERMSIG(status));
      Fail(fmt::format("crashed ({})", name != nullptr ? name : "a signal"));
    } else if (reaped > 0 && WIFEXITED(status) && WEXITSTATUS(status) == kOutOfMemory) {
      Fail("ran out of memory");
    } else if (reaped > 0 && WIFEXITED(status)) {
      Fail(fmt::format("stopped early (exit status {})", WEXITSTATUS(status)));
    } else {
      Fail("stopped early");
    }
    return false;
  }
  return true;
}

bool ChildReader::Read(Frame& frame) {
  if (!error_.empty()) return false;
  unsigned char head[5];
  if (!ReadFull(reinterpret_cast<char*>(head), sizeof head)) return false;
  const uint32_t len = head[1] | (uint32_t{head[2]} << 8) | (uint32_t{head[3]} << 16) | (uint32_t{head[4]} << 24);
  if (len > kMaxFrame) {
    Refuse();
    return false;
  }
  frame.type = static_cast<char>(head[0]);
  frame.payload.resize(len);
  return ReadFull(frame.payload.data(), len);
}

}  // namespace steward::scan::internal
