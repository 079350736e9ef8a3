#include "scan/internal/child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include <fmt/format.h>

// Under a sanitizer, its death callback (libFuzzer's, which writes the parent's input as a crash)
// is cleared in the reader: a parser's fault there is the parent's to report.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

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
constexpr int kOutOfMemory = 3;        // the reader's exit status when a job ran out of memory
constexpr uint32_t kJobsPerReader = 256;
constexpr char kEnd = '.';             // the frame that ends a job
// What is left of a job when its reader is let go: read to the end up to this, else the reader
// is ended.
constexpr int kDrainFrames = 16;
constexpr size_t kDrainBytes = size_t{4} << 20;
constexpr size_t kKeptRequestBytes = size_t{1} << 20;

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool ReadAll(int fd, char* p, size_t n) {
  while (n > 0) {
    const ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool WriteFrame(int fd, char type, std::string_view payload) {
  if (payload.size() > kMaxFrame) return false;
  const auto len = static_cast<uint32_t>(payload.size());
  const char head[5] = {type, static_cast<char>(len & 0xff), static_cast<char>((len >> 8) & 0xff), static_cast<char>((len >> 16) & 0xff),
                        static_cast<char>(len >> 24)};
  return WriteAll(fd, head, sizeof head) && WriteAll(fd, payload.data(), payload.size());
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

// The reader: jobs off the socket, one after another, until the socket ends. A job is the work's
// address (8 bytes), the request's length (4 bytes, little-endian) and the request.
[[noreturn]] void Serve(int sock) {
  ChildWriter out(sock);
  std::string request;
  for (;;) {
    unsigned char head[12];
    if (!ReadAll(sock, reinterpret_cast<char*>(head), sizeof head)) _exit(0);
    ChildWork work = nullptr;
    std::memcpy(&work, head, sizeof work);
    const uint32_t len = head[8] | (uint32_t{head[9]} << 8) | (uint32_t{head[10]} << 16) | (uint32_t{head[11]} << 24);
    bool ok = false;
    try {
      request.assign(len, '\0');
      if (!ReadAll(sock, request.data(), len)) _exit(0);
      ok = work(out, request);
    } catch (const std::bad_alloc&) {
      _exit(kOutOfMemory);
    } catch (...) {
      _exit(1);
    }
    if (!ok || !WriteFrame(sock, kEnd, {})) _exit(1);
    if (request.capacity() > kKeptRequestBytes) std::string().swap(request);  // an archive member's bytes: not kept between jobs
  }
}

}  // namespace

bool ChildWriter::Write(char type, std::string_view payload) { return type != kEnd && WriteFrame(fd_, type, payload); }

struct ChildReader::Process {
  pid_t pid = -1;
  int sock = -1;
  uint32_t jobs = 0;
  Limits limits;
  bool busy = false;  // a ChildReader reads its job

  ~Process() { Stop(); }

  Status Spawn(Limits with) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
      return steward::Fail(ErrorCode::kInternal, "cannot make a socket: " + std::string(std::strerror(errno)));
    const pid_t child = ::fork();
    if (child < 0) {
      ::close(sv[0]);
      ::close(sv[1]);
      return steward::Fail(ErrorCode::kInternal, "cannot start a reader process: " + std::string(std::strerror(errno)));
    }
    if (child == 0) {  // the reader: only jobs and the socket, then _exit (no destructors, no atexit)
      ::close(sv[0]);
      // A fault ends the reader, as a signal its parent reads: not the parent's handlers (a
      // sanitizer's report, a fuzzer's crash file for the parent's input).
      for (const int sig : {SIGPIPE, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP}) ::signal(sig, SIG_DFL);
      if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(nullptr);
      if (!kSanitized && with.memory > 0) {  // on top of what the fork already maps (the parent's threads' arenas and stacks)
        const uint64_t most = MappedBytes() + with.memory;
        const rlimit limit{most, most};
        ::setrlimit(RLIMIT_AS, &limit);
      }
      Serve(sv[1]);
    }
    ::close(sv[1]);
    pid = child;
    sock = sv[0];
    jobs = 0;
    limits = with;
    return Ok();
  }

  // Ends the reader, if there is one, and reaps it.
  void Stop() {
    if (sock >= 0) ::close(sock);
    sock = -1;
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    pid = -1;
  }

  bool Give(ChildWork work, std::string_view request) {
    if (request.size() > kMaxFrame) return false;
    char head[12];
    std::memcpy(head, &work, sizeof work);
    const auto len = static_cast<uint32_t>(request.size());
    for (int b = 0; b < 4; ++b) head[8 + b] = static_cast<char>((len >> (8 * b)) & 0xff);
    return WriteAll(sock, head, sizeof head) && WriteAll(sock, request.data(), request.size());
  }
};

namespace {
thread_local ChildReader::Process t_reader;  // this thread's reader, kept between jobs
}  // namespace

Result<std::unique_ptr<ChildReader>> ChildReader::Start(ChildWork work, std::string_view request, Limits limits) {
  if (request.size() > kMaxFrame) return steward::Fail(ErrorCode::kInvalidArgument, "a job too large for a reader");
  Process* process = &t_reader;
  std::unique_ptr<Process> own;  // a job started while this thread's reader has one: a reader of its own
  if (process->busy || limits.own) {
    own = std::make_unique<Process>();
    process = own.get();
  }
  if (process->pid > 0 && (process->limits != limits || process->jobs >= kJobsPerReader)) process->Stop();
  for (int attempt = 0;; ++attempt) {
    if (process->pid <= 0) RETURN_IF_ERROR(process->Spawn(limits));
    if (process->Give(work, request)) break;
    process->Stop();  // it ended between jobs: a new one
    if (attempt == 1) return steward::Fail(ErrorCode::kInternal, "cannot give a reader process its job");
  }
  ++process->jobs;
  process->busy = true;
  std::unique_ptr<ChildReader> reader(new ChildReader(*process));
  reader->own_ = std::move(own);
  return reader;
}

ChildReader::ChildReader(Process& process) : process_(process) {}

ChildReader::~ChildReader() {
  if (!ended_ && error_.empty()) {
    Frame frame;
    size_t bytes = 0;
    for (int k = 0; k < kDrainFrames && bytes <= kDrainBytes && Read(frame); ++k) bytes += frame.payload.size();
    if (!ended_) process_.Stop();
  }
  process_.busy = false;
}

void ChildReader::Fail(const std::string& why) {
  process_.Stop();
  if (error_.empty()) error_ = "its reader " + why;
}

bool ChildReader::ReadFull(char* dst, size_t n) {
  while (n > 0) {
    pollfd p{process_.sock, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(process_.limits.stall.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      Fail(fmt::format("made no progress for {} s and was stopped", process_.limits.stall.count() / 1000.0));
      return false;
    }
    const ssize_t got = ready < 0 ? -1 : ::read(process_.sock, dst, n);
    if (got < 0 && errno == EINTR) continue;
    if (got > 0) {
      dst += got;
      n -= static_cast<size_t>(got);
      continue;
    }
    // The socket ended before the frame did: the reader died.
    int status = 0;
    const pid_t reaped = process_.pid > 0 ? ::waitpid(process_.pid, &status, 0) : -1;
    process_.pid = -1;
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
  if (!error_.empty() || ended_) return false;
  unsigned char head[5];
  if (!ReadFull(reinterpret_cast<char*>(head), sizeof head)) return false;
  const uint32_t len = head[1] | (uint32_t{head[2]} << 8) | (uint32_t{head[3]} << 16) | (uint32_t{head[4]} << 24);
  if (len > kMaxFrame) {
    Refuse();
    return false;
  }
  frame.type = static_cast<char>(head[0]);
  frame.payload.resize(len);
  if (!ReadFull(frame.payload.data(), len)) return false;
  if (frame.type != kEnd) return true;
  ended_ = true;  // the job is done; the reader waits for the next
  error_ = "its reader sent no more";
  return false;
}

}  // namespace steward::scan::internal
