// Excel 97-2003 workbooks (.xls: BIFF records in an OLE compound file), read with FreeXL (Debian
// libfreexl-dev) for the scanner as .xlsx workbooks are (office.h): each sheet as tab-delimited
// text, a row a line and a cell a column, with the header its first rows give (SheetLines).
//
// FreeXL crashes on some broken files (fuzz_scan_xls found a read through a wild pointer within
// seconds), so it runs in a child process (child.h): the sheets come to the scanner through a
// pipe, and a reader that dies, or makes no progress for a time limit, is a broken workbook, not
// a crashed scan. FreeXL reads a whole workbook into memory when it opens it, so the workbook's cells are
// counted first (from its sheets' declared dimensions, without reading them) and one with more
// than a limit is refused. Not thread-safe: one XlsFile per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "scan/internal/child.h"
#include "scan/internal/csv.h"

namespace steward::scan::internal {

// Whether a file's first bytes are an OLE compound file's signature (an .xls workbook, and a
// Word 97 document or an Outlook message too).
bool IsCompoundFile(std::string_view head);

class XlsFile {
 public:
  struct Limits {
    uint64_t max_cells = uint64_t{1} << 24;  // one full BIFF8 sheet, 65,536 x 256
    ChildReader::Limits reader{.own = true};  // the reader process's time and memory; one a workbook (FreeXL reads wild)
  };
  // The workbook in the file at `path`, read by a child process. Errors: not_found when the file
  // is a compound file but no workbook (a Word 97 document); invalid_argument, with what FreeXL
  // says, when it is a workbook that cannot be read (broken, password-protected, more than
  // max_cells cells, or its reader died); internal when no child process can be started.
  static Result<std::unique_ptr<XlsFile>> Open(const std::string& path, Limits limits);
  static Result<std::unique_ptr<XlsFile>> Open(const std::string& path) { return Open(path, Limits{}); }
  // The same for a workbook in memory (an archive's member).
  static Result<std::unique_ptr<XlsFile>> FromData(std::string_view data, Limits limits);
  static Result<std::unique_ptr<XlsFile>> FromData(std::string_view data) { return FromData(data, Limits{}); }

  const std::vector<std::string>& sheets() const { return sheets_; }  // their names, as their tabs show them

  // The next sheet, in order, to be read with Read: its columns (as SheetReader::header) and its
  // header's line (0: none). Errors: invalid_argument when that sheet cannot be read (the next
  // may be), internal when the reader failed (error() says how, "its reader crashed (…)"; no
  // sheet follows).
  struct Sheet {
    CsvHeader header;
    uint64_t header_line = 0;
  };
  Result<Sheet> NextSheet();
  // Reads up to n bytes of the current sheet's text into dst: the count, 0 at its end, -1 when
  // the reader failed (error() says how).
  long Read(char* dst, size_t n);
  const std::string& error() const { return reader_->error(); }

 private:
  explicit XlsFile(std::unique_ptr<ChildReader> reader) : reader_(std::move(reader)) {}
  static Result<std::unique_ptr<XlsFile>> Start(char from, std::string_view what, Limits limits);

  std::unique_ptr<ChildReader> reader_;
  std::vector<std::string> sheets_;
  std::string text_;  // the current sheet's text frame, not yet read
  size_t taken_ = 0;
  bool in_sheet_ = false;
};

}  // namespace steward::scan::internal
