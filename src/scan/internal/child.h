// Third-party parsers of untrusted files (FreeXL for .xls workbooks, poppler for PDFs) run in a
// reader process: a fork, no exec, one kept per scanning thread and given one file (a job) after
// another over a socket; it runs the parser and sends what it reads back in frames. A parser that
// crashes, runs out of the reader's memory limit or makes no progress for a time limit ends the
// reader, not the scan: the scanning thread reads that as an error ("its reader crashed
// (Segmentation fault)"), reports the file, and forks a new reader for the next one. Each reader
// has the parser's global state to itself, so files are read in parallel. The reader touches
// nothing the parent's other threads may hold locked (no engine, no sinks, no logging). (A lock
// of the C library another thread holds at the fork stays held in the reader, glibc's converter
// lock while that thread loads a converter, say: a parser that waits on it stalls, and the time
// limit stops it and reports the file.) A reader serves up to 256 jobs, then a new one is
// forked; a job may ask for a reader of its own (FreeXL's do: it reads through wild pointers
// on broken files). A fork costs about 1 ms here, and more in a
// large process, as pages are copied on write after it: forking once a file, 300 two-page PDFs
// took 2.7 s where poppler in the scanning process took 0.37 s; with a reader kept, 0.19 s.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace steward::scan::internal {

// The reader's end of the socket, for a job's frames.
class ChildWriter {
 public:
  explicit ChildWriter(int fd) : fd_(fd) {}
  // A frame: a type byte (not '.', which ends a job), the payload's length and the payload.
  // False when the scanning thread is gone.
  bool Write(char type, std::string_view payload);

 private:
  int fd_;
};

// A job's work, run in the reader: it gets the job's request and sends its frames. A function
// (not a closure: the reader is a fork of the process, so the function is at the same address in
// it). Returns false when it could not send all it had.
using ChildWork = bool (*)(ChildWriter& out, std::string_view request);

// One job's frames, read by the thread that started it.
class ChildReader {
 public:
  struct Limits {
    std::chrono::milliseconds stall{30'000};  // no frame for this long: the reader is killed
    uint64_t memory = uint64_t{8} << 30;      // the reader's address space beyond what the fork maps (not under the sanitizers)
    // A reader of the job's own, ended after it: for a parser too unsafe to share a reader
    // between files (a wild read in a used reader lands in what earlier files left in its heap,
    // and may read on for ever or return their bytes as this file's).
    bool own = false;
    friend bool operator==(const Limits&, const Limits&) = default;
  };
  // Runs `work` on `request` in this thread's reader (forked now if there is none, or the last
  // one failed, or served its jobs, or has other limits). Errors: internal when no socket or
  // process can be made.
  static Result<std::unique_ptr<ChildReader>> Start(ChildWork work, std::string_view request, Limits limits);
  // Reads what is left of the job (a few frames at most), so the reader takes the next; a job
  // left with more unread ends its reader.
  ~ChildReader();
  ChildReader(const ChildReader&) = delete;
  ChildReader& operator=(const ChildReader&) = delete;

  struct Frame {
    char type = 0;
    std::string payload;
  };
  // The job's next frame; false at its end, or when the reader died or stalled (error() says
  // how: "its reader crashed (Segmentation fault)", "… made no progress for 30 s and was
  // stopped", "… sent no more").
  bool Read(Frame& frame);
  // Ends the reader as having sent what it should not: error() says so.
  void Refuse() { Fail("sent what it should not"); }
  const std::string& error() const { return error_; }

  struct Process;  // this thread's reader

 private:
  explicit ChildReader(Process& process);
  bool ReadFull(char* dst, size_t n);
  void Fail(const std::string& why);

  Process& process_;
  std::unique_ptr<Process> own_;  // a reader of its own, when this thread's had a job already
  bool ended_ = false;            // the job's end was read
  std::string error_;
};

}  // namespace steward::scan::internal
