// The personal-data scanner's engine: detectors compiled once into a matcher, and a per-thread
// Session that scans text and pushes validated matches to a callback.
//
// Pipeline: a source (files, tables, stdin) hands text to Session::Scan; the matcher (Vectorscan,
// or RE2 when Vectorscan is unavailable or STEWARD_FORCE_RE2 is set) reports candidates; each
// detector's validator (Luhn, mod-97, area rules, context words …) accepts or rejects them; the
// caller's sink receives what survives. No pattern matches across a newline, so text may be cut
// into chunks at line ends without losing or changing matches.
//
// An Engine is immutable once built and shared between threads; a Session is one thread's
// scratch space and must not be shared.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "inventory/taxonomy.h"

namespace steward::scan {

struct Detector {
  std::string id;         // "us_ssn"
  std::string label;      // "US Social Security number"
  std::string fideslang;  // "user.government_id.national_identification_number"
  inventory::CcpaCategory ccpa = inventory::CcpaCategory::kA;
  std::string sensitive;  // an inventory SensitiveKinds() id, or empty
  // Column-name fragments that suggest this kind of data ("ssn", "social_security").
  std::vector<std::string> column_hints;
  bool custom = false;    // from a rules file rather than built in
};

// One validated match inside the text passed to Session::Scan (byte offsets, end exclusive).
struct Match {
  int detector = 0;  // index into Engine::detectors()
  size_t start = 0, end = 0;
  double confidence = 0;  // 0..1
};

enum class MatcherKind { kAuto, kVectorscan, kRe2 };

struct EngineOptions {
  MatcherKind matcher = MatcherKind::kAuto;  // kAuto: Vectorscan unless forced to RE2 at build time
  std::vector<std::string> only;    // detector ids to keep (empty: all)
  std::vector<std::string> except;  // detector ids to drop
  std::string rules_file;           // custom rules (YAML), added to the built-in ones
  std::string cache_dir;            // where compiled Vectorscan databases are kept; empty: none
  // Inert literals added to Vectorscan's literal database, which decide the literal matcher it
  // uses (engine.cc): -1 times a few counts and keeps the fastest, when the database is cached,
  // else none. For tests and benchmarks; the matches are the same whatever the count.
  int matcher_pads = -1;
};

class Session;

class Engine {
 public:
  // Compiles the built-in detectors (filtered by only/except) and any custom rules. Errors:
  // invalid_argument naming the rules file line or the unknown detector id in only/except.
  [[nodiscard]] static Result<std::shared_ptr<const Engine>> Build(const EngineOptions& options);
  virtual ~Engine() = default;

  virtual const std::vector<Detector>& detectors() const = 0;
  virtual MatcherKind matcher() const = 0;  // the matcher actually used
  // A fresh per-thread session. Never fails once the engine is built.
  virtual std::unique_ptr<Session> NewSession() const = 0;
  int FindDetector(std::string_view id) const;  // -1 when absent
};

class Session {
 public:
  virtual ~Session() = default;
  // Scans `text` and calls on_match for each validated match, in order of start offset. Any
  // bytes are accepted (invalid UTF-8, NULs). Overlapping matches of different detectors are
  // all reported; the caller decides (Redact masks their union).
  virtual void Scan(std::string_view text, const std::function<void(const Match&)>& on_match) = 0;
  // The same for text whose lines are records of their own (a table column's values, one per
  // line): what is found on one line says nothing of another (no dialogue's speakers are followed
  // from line to line), so each line's matches depend on that line alone.
  virtual void ScanRecords(std::string_view text, const std::function<void(const Match&)>& on_match) = 0;
};

}  // namespace steward::scan
