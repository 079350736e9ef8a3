// Reports of scan findings — table (values masked), JSON Lines, CSV, SARIF 2.1.0 — and
// redaction of text with the same engine. A ReportWriter is a FindingSink; JSON Lines stream as
// findings arrive, the other formats are written, sorted, by Finish. Not thread-safe (sources
// serialize their calls to sinks).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "core/error.h"
#include "scan/drift.h"
#include "scan/scan.h"
#include "scan/sources.h"

namespace steward::scan {

enum class Format { kTable, kJsonl, kCsv, kSarif };
[[nodiscard]] Result<Format> ParseFormat(std::string_view name);  // invalid_argument, field "--format"

// "j***@a***.com", "***-**-9847", "41**********0933": enough to recognise, not to use.
std::string Mask(std::string_view value);

struct ReportOptions {
  Format format = Format::kTable;
  double min_confidence = 0.5;
  bool show_data = false;  // print values as found instead of masked
  // JSON Lines only (the other formats keep every finding to sort them): keep the findings for
  // findings() and RecordJson. Without it a JSON Lines scan holds none, whatever its size.
  bool keep_findings = true;
};

class ReportWriter : public FindingSink {
 public:
  ReportWriter(const Engine& engine, const ReportOptions& options, std::ostream& out, std::ostream& err);
  ~ReportWriter() override;
  void OnFinding(const Finding& finding) override;
  // JSON Lines: the batch's records are made by Prepare, on the scanning threads.
  void Prepare(std::span<const Finding> batch, std::string& prepared) const override;
  void OnBatch(std::span<const Finding> batch, const std::string& prepared) override;
  void OnProblem(const std::string& source, const std::string& message) override;
  // Writes what was buffered. Returns the number of findings reported (after min_confidence).
  size_t Finish();
  const std::vector<Finding>& findings() const;  // reported ones, in arrival order (see keep_findings)
  // What a recorded scan keeps (a JSON object; values always masked): the findings grouped by
  // source, field and kind ({count, best confidence, first lines, one masked example}), the
  // problems, and the drift items.
  std::string RecordJson(const std::vector<DriftItem>& drift) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Text with every finding replaced by "[REDACTED:<detector>]" (overlaps merged). Lines keep
// their number. min_confidence as in reports.
std::string Redact(Session& session, const Engine& engine, std::string_view text, double min_confidence = 0.5);

// A process-wide engine for redacting stored values during erasure (built-in detectors, the RE2
// matcher: no compile cache needed). Built on first use; thread-safe.
const Engine& RedactionEngine();

}  // namespace steward::scan
