// Third-party parsers of untrusted files (FreeXL for .xls workbooks, poppler for PDFs) run in a
// child process: fork, no exec; the child runs the parser and writes what it reads down a pipe
// in frames, then _exits. A parser that crashes, runs out of its memory limit or makes no
// progress for a time limit ends the child, not the scan: the parent reads that as an error
// ("its reader crashed (Segmentation fault)") and reports the file. The child touches nothing
// the parent's other threads may hold locked (no engine, no sinks, no logging), and each child
// has the parser's global state to itself, so files are read in parallel. (A lock of the C
// library another thread holds at the fork stays held in the child, glibc's converter lock
// while that thread loads a converter, say: a parser that waits on it stalls, and the time
// limit stops it and reports the file.) A fork costs about 1 ms on this machine, and a reader
// some more (its pages copied on write): 300 two-page PDFs took 2.5 s where poppler in the
// scanning process took 0.34 s; on PDFs of tens of pages the two are within 20%.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace steward::scan::internal {

// The child's end of the pipe.
class ChildWriter {
 public:
  explicit ChildWriter(int fd) : fd_(fd) {}
  // A frame: a type byte, the payload's length and the payload. False when the parent is gone.
  bool Write(char type, std::string_view payload);

 private:
  int fd_;
};

class ChildReader {
 public:
  struct Limits {
    std::chrono::milliseconds stall{30'000};  // no frame for this long: the child is killed
    uint64_t memory = uint64_t{8} << 30;      // the child's address space beyond what the fork maps (not under the sanitizers)
  };
  // Starts `work` in a child process; its return value is its exit status (true: 0). Errors:
  // internal when no pipe or process can be made.
  static Result<std::unique_ptr<ChildReader>> Start(const std::function<bool(ChildWriter&)>& work, Limits limits);
  ~ChildReader();  // kills the child if it still runs, and reaps it
  ChildReader(const ChildReader&) = delete;
  ChildReader& operator=(const ChildReader&) = delete;

  struct Frame {
    char type = 0;
    std::string payload;
  };
  // The next frame; false when the child died or stalled (error() says how: "its reader
  // crashed (Segmentation fault)", "… made no progress for 30 s and was stopped").
  bool Read(Frame& frame);
  // Ends the child as having sent what it should not: error() says so.
  void Refuse() { Fail("sent what it should not"); }
  const std::string& error() const { return error_; }

 private:
  ChildReader(pid_t child, int pipe, std::chrono::milliseconds stall) : child_(child), pipe_(pipe), stall_(stall) {}
  bool ReadFull(char* dst, size_t n);
  void Fail(const std::string& why);

  pid_t child_;
  int pipe_;
  std::chrono::milliseconds stall_;
  std::string error_;
};

}  // namespace steward::scan::internal
