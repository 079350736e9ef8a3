// Excel 97-2003 workbooks (.xls: BIFF records in an OLE compound file), read with FreeXL (Debian
// libfreexl-dev) for the scanner as .xlsx workbooks are (office.h): each sheet as tab-delimited
// text, a row a line and a cell a column, with the header its first rows give (SheetLines).
// FreeXL reads the whole workbook into memory when it opens it, so a workbook's cells are
// counted first (from its sheets' declared dimensions, without reading them) and one with more
// than a limit is refused. Not thread-safe: one workbook and its readers per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "scan/internal/office.h"

namespace steward::scan::internal {

// Whether a file's first bytes are an OLE compound file's signature (an .xls workbook, and a
// Word 97 document or an Outlook message too).
bool IsCompoundFile(std::string_view head);

class XlsWorkbook {
 public:
  // The workbook in the file at `path`. Errors: not_found when the file is a compound file but
  // no workbook (a Word 97 document); invalid_argument, with what FreeXL says, when it is a
  // workbook that cannot be read (broken, password-protected, or more than max_cells cells).
  static Result<std::unique_ptr<XlsWorkbook>> Open(const std::string& path, uint64_t max_cells = uint64_t{1} << 24);
  ~XlsWorkbook();
  XlsWorkbook(const XlsWorkbook&) = delete;
  XlsWorkbook& operator=(const XlsWorkbook&) = delete;

  const std::vector<std::string>& sheets() const { return sheets_; }  // their names, as their tabs show them

 private:
  explicit XlsWorkbook(const void* handle) : handle_(handle) {}
  friend class XlsSheetReader;
  const void* handle_;
  std::vector<std::string> sheets_;
};

// One sheet's text, a row at a time as it is read. FreeXL has one sheet selected at a time, so
// one reader of a workbook at a time.
class XlsSheetReader {
 public:
  XlsSheetReader(const XlsWorkbook& book, size_t sheet) : book_(book), sheet_(sheet) {}
  // Selects the sheet and reads as far as it takes to tell its header. Errors: invalid_argument
  // when FreeXL cannot select it.
  Status Start();
  const CsvHeader& header() const { return lines_.header(); }  // as SheetReader::header
  uint64_t header_line() const { return lines_.header_line(); }
  // Reads up to n bytes of the sheet's text into dst: the count, 0 at its end.
  long Read(char* dst, size_t n);

 private:
  void NextRow();  // appends the next row's line to pending_

  const XlsWorkbook& book_;
  size_t sheet_;
  uint32_t rows_ = 0, next_ = 0;
  uint16_t columns_ = 0;
  SheetLines lines_;
  std::string pending_;
  size_t taken_ = 0;
};

}  // namespace steward::scan::internal
