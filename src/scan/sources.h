// Sources: where the scanner reads text — files and directories (plain, gzip, zip members),
// a stream (stdin), and database tables through a connector — and the findings they produce.
//
// File scanning runs `threads` workers, each with its own Session and a reusable 1 MiB buffer
// cut at line ends; text is never loaded whole. A CSV or TSV file with a header is read as a
// table: its findings name their column, and columns named for a kind of data give their values
// that context (see src/scan/README.md); so is each sheet of a spreadsheet (.xlsx, .ods, and
// .xls through FreeXL), whose findings name their cell. Word documents and presentations (.docx, .pptx) are read as their
// text, a paragraph a line; PDFs page by page, as laid out (poppler). Large plain files are shared out in pieces that
// start at line starts. Problems with one file (unreadable, broken
// archive) are reported to the sink and skipped; they never stop the scan.
// Table scanning reads rows on the calling thread and scans each column's values in batches of
// 512, on `threads` - 1 workers as well as the caller; the counts and the example shown per
// column are the same with any number of threads.
// Sinks are called from one thread at a time (the sources serialize their calls).
#pragma once

#include <cstdint>
#include <istream>
#include <span>
#include <string>
#include <vector>

#include "connect/connector.h"
#include "core/error.h"
#include "scan/scan.h"

namespace steward::scan {

struct Finding {
  int detector = 0;
  std::string source;   // file path ("logs/a.gz", "export.zip!users.csv", "-"), a spreadsheet's sheet
                        // ("staff.xlsx!Payroll"), or table name
  std::string field;    // a table's column, or a CSV file's (from its header); empty for other files
  uint64_t line = 0;    // files: 1-based line; 0 for a table's columns
  uint64_t column = 0;  // files: 1-based byte column
  bool cell = false;    // a spreadsheet's cell: line and column are its row and column numbers
  double confidence = 0;
  std::string value;    // the matched text (a column: one sampled example)
  // Columns: rows sampled (non-null) and rows where this detector matched.
  uint64_t sampled = 0, matched = 0;
};

class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void OnFinding(const Finding& finding) = 0;
  // A batch of findings in two steps. Prepare runs on the scanning thread, not serialized with
  // the sink's other calls: what can be made of the batch without the sink's state (JSON Lines
  // records, say), into `prepared`. OnBatch is serialized with them and gets what Prepare made.
  // By default Prepare makes nothing and OnBatch calls OnFinding for each.
  virtual void Prepare(std::span<const Finding> /*batch*/, std::string& /*prepared*/) const {}
  virtual void OnBatch(std::span<const Finding> batch, const std::string& /*prepared*/) {
    for (const Finding& f : batch) OnFinding(f);
  }
  // A source that could not be read in full (it is skipped, the scan goes on).
  virtual void OnProblem(const std::string& source, const std::string& message) = 0;
};

struct FileScanOptions {
  int threads = 0;                  // 0: one per core
  size_t buffer_bytes = 1 << 20;    // per worker; lines longer than this are cut
  bool archives = true;             // look inside .gz and .zip
  // With more than one worker, a plain file larger than this is scanned in pieces of about this
  // size by several workers at once; its findings still come in file order, with their lines.
  uint64_t split_bytes = 32 << 20;
  uint64_t max_files = 0;           // 0: no limit
};

struct FileScanStats {
  uint64_t files = 0, bytes = 0, skipped_binary = 0, problems = 0;
};

// Scans every regular file under `paths` (files or directories, recursively; symlinks are not
// followed). Errors: invalid_argument when a path does not exist.
[[nodiscard]] Result<FileScanStats> ScanPaths(const Engine& engine, const std::vector<std::string>& paths,
                                              const FileScanOptions& options, FindingSink& sink);
// Scans a stream to its end (stdin), reporting lines under the name `source`.
[[nodiscard]] Result<FileScanStats> ScanStream(const Engine& engine, std::istream& in, const std::string& source,
                                               FindingSink& sink);

struct TableScanOptions {
  uint64_t sample_rows = 10000;  // rows per table, chosen at random; 0 with full = every row
  bool full = false;
  int threads = 0;  // 0: one per core (the reading thread, and the others scanning batches of values)
  std::vector<std::string> tables;  // empty: every table in the schema
};

struct TableScanStats {
  uint64_t tables = 0, columns = 0, rows = 0;
};

// Classifies every column of every table: the share of sampled values each detector validates,
// with the column's name as context (a "dob" column of dates is a date of birth; "lat"/"lng"
// columns together are a precise location). One finding per (column, detector) with matches.
[[nodiscard]] Result<TableScanStats> ScanTables(const Engine& engine, connect::Connector& db,
                                                const TableScanOptions& options, FindingSink& sink);

}  // namespace steward::scan
