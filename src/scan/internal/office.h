// Office Open XML documents (zip archives of XML parts), read for the scanner, parsed with expat
// as they are read (a part is never held whole). Not thread-safe: one reader per archive, used by
// one thread.
//
// Spreadsheets (.xlsx, .xlsm) are read as tables. Each sheet is given to the scanner as
// tab-delimited text, one line a row and one cell a column: line k is row k (rows the sheet
// leaves out are empty lines) and cell k of a line is column k (cells the sheet leaves out are
// empty), so the CSV reading gives every finding its row, its column and the header's name for
// it. A cell's text is what matters of what Excel shows: shared and inline strings, numbers as
// written, booleans, and dates from their serial numbers where the cell's format is a date
// ("1987-03-12", so a date of birth reads as one). Tabs, newlines and carriage returns in a cell
// are blanks; a cell with a quote is quoted. The shared strings are held (cells refer to them by
// index), up to a limit.
//
// OpenDocument text documents and presentations (.odt, .odp) are read as their text the same
// way, content.xml's paragraphs; OpenDocument spreadsheets (.ods) as tables, as .xlsx ones.
//
// Word-processing documents and presentations (.docx, .pptx) are read as their text: each text
// part (the body, headers, footers, notes and comments; slides and speaker notes) becomes lines,
// a paragraph a line, a table's row a line with its cells apart by tabs, so that what Word shows
// as one word or sentence is one in the text ("Quionia" and " Vasquez" in two runs are
// "Quionia Vasquez"). Deleted text kept by tracked changes is text too: it is still in the file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "scan/internal/csv.h"

struct zip;

namespace steward::scan::internal {

class Workbook {
 public:
  struct Sheet {
    std::string name;    // as its tab shows it
    std::string member;  // its part in the archive ("xl/worksheets/sheet1.xml")
  };

  // The workbook in `archive` (not owned; it must outlive the Workbook and its SheetReaders):
  // its sheets, shared strings and date formats. Errors: not_found when the archive holds no
  // workbook (no xl/workbook.xml); invalid_argument naming the part that is not well-formed
  // XML, or whose shared strings exceed max_shared_bytes.
  static Result<std::unique_ptr<Workbook>> Open(zip* archive, uint64_t max_shared_bytes = uint64_t{512} << 20);
  ~Workbook();
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;

  const std::vector<Sheet>& sheets() const;
  // Whether a part is read as text, as any archive's members: not the parts the sheets are read
  // from (the sheets, the shared strings), nor the styles and themes (fonts named "Times New
  // Roman" and "Cambria"). The document's properties (its author), comments and the rest are.
  bool ReadAsText(std::string_view member) const;

  struct Parts;  // what Open read

 private:
  explicit Workbook(std::unique_ptr<Parts> parts);
  friend class SheetReader;
  std::unique_ptr<Parts> parts_;
};

class SheetReader {
 public:
  SheetReader(const Workbook& book, size_t sheet);
  ~SheetReader();
  SheetReader(const SheetReader&) = delete;
  SheetReader& operator=(const SheetReader&) = delete;

  // Opens the sheet and reads as far as it takes to tell its header. Errors (their message
  // names the sheet's part):
  // invalid_argument when the part cannot be read or is not well-formed.
  Status Start();
  // The sheet's columns: its header is the first of its first ten rows with values in which
  // two or more cells hold values and those are labels, as a CSV file's header (ParseCsvHeader);
  // rows above it (a title) are read under its names too. An empty header cell, and every column
  // of a sheet without a header, is named by its letter (A, B, …, AA), up to the sheet's width
  // (its declared dimension, or its widest row of those ten).
  const CsvHeader& header() const;
  uint64_t header_line() const;  // the header's row; 0 when the sheet has none

  // Reads up to n bytes of the sheet's text into dst: the count, 0 at its end, -1 when the part
  // turns out broken (error() says where).
  long Read(char* dst, size_t n);
  const std::string& error() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Copies up to n bytes of the text waiting in pending[taken, …) to dst and returns how many; the
// readers that make text ahead of their reader (the parts of a zip, .xls sheets) hand it out so.
// Clears pending once all of it is taken, and drops its taken front once more than
// `compact_after` bytes of it are, so that a long read does not keep what it has passed.
size_t TakePending(std::string& pending, size_t& taken, char* dst, size_t n, size_t compact_after);

// A sheet's rows as the scanner reads them (shared by the .xlsx and .xls readers): a row a line
// of tab-delimited cells, line k row k and cell k column k (rows and cells left out are empty),
// tabs and line breaks in a cell made blanks and a cell with a quote quoted; and the sheet's
// columns, decided from its first rows (SheetReader::header).
class SheetLines {
 public:
  SheetLines();
  void set_width(uint32_t width) { width_ = width; }  // the sheet's declared width
  // A row (rows in increasing order from 1), its cells (columns in increasing order from 1; an
  // empty text is no value), then its end: its line, after an empty line for each row left out
  // since the last one written, is appended to `out` when it has a value.
  void BeginRow(uint64_t row);
  void Cell(uint32_t column, std::string text);
  void EndRow(std::string& out);
  // The sheet ends: its header is decided if it is not yet.
  void Finish();

  bool header_decided() const { return decided_; }
  const CsvHeader& header() const { return header_; }
  uint64_t header_line() const { return header_line_; }

 private:
  void DecideHeader(bool at_end);

  static constexpr int kHeaderRows = 10;
  uint32_t width_ = 0;
  uint64_t row_ = 0, written_ = 0;  // the row being read; the last row written
  std::string line_;                // its line
  uint32_t line_cols_ = 0;          // cells written to it
  bool has_value_ = false;
  // Until the header is decided: the row's cells with values, the rows with values read, and
  // the widest of them.
  bool decided_ = false;
  std::vector<std::pair<uint32_t, std::string>> row_cells_;
  int rows_read_ = 0;
  uint32_t widest_ = 0;
  CsvHeader header_;
  uint64_t header_line_ = 0;
};

// An OpenDocument spreadsheet's (.ods) sheets, read one after another from its content.xml (one
// part holds them all) as tables in the lines SheetLines writes: the same header rule, findings
// at their cells. A cell's text is its paragraphs joined by blanks (<text:s c="3"/> three blanks),
// as shown: a number as its format shows it ("000123456789", "536-22-7000"; its value when no
// text is shown); but a date is its ISO date ("1987-03-12"; with its time, "1987-03-12
// 10:30:00"), however shown, and a boolean TRUE or FALSE. Cells
// and rows repeated (LibreOffice writes the empty rest of a sheet as one row repeated a million
// times) cost one cell or row however many they stand for, up to a sheet's 16,384 columns and
// 1,048,576 rows.
class OdsReader {
 public:
  explicit OdsReader(zip* archive);  // not owned; it must outlive the reader
  ~OdsReader();
  OdsReader(const OdsReader&) = delete;
  OdsReader& operator=(const OdsReader&) = delete;

  // Whether the archive is an OpenDocument spreadsheet (its mimetype member says so).
  static bool Is(zip* archive);
  // Opens content.xml. Errors: invalid_argument when it cannot be read.
  Status Start();
  // Reads on to the next sheet and as far into it as it takes to tell its header: true, or
  // false when there is none. Errors: invalid_argument when the part turns out broken.
  Result<bool> NextSheet();
  const std::string& sheet_name() const;
  const CsvHeader& header() const;
  uint64_t header_line() const;
  // Reads up to n bytes of the current sheet's text into dst: the count, 0 at its end, -1 when
  // the part turns out broken (error() says where).
  long Read(char* dst, size_t n);
  const std::string& error() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A word-processing document's or a presentation's text parts.
class OfficeDocument {
 public:
  // The text parts in `archive` (not owned; it must outlive the readers of its parts), in the
  // archive's order; an OpenDocument file's (.odt, .odp, .ods: content.xml and a manifest) is
  // its content.xml. Errors: not_found when the archive is no document (it holds neither
  // word/document.xml nor ppt/presentation.xml, nor is an OpenDocument file).
  static Result<OfficeDocument> Open(zip* archive);
  const std::vector<std::string>& text_parts() const { return parts_; }
  // Whether a part other than the text parts is read as any archive's members are: the
  // document's properties (its author: docProps/, OpenDocument's meta.xml), custom XML, and
  // embedded files (a chart's workbook, opened as one) are; styles, themes and font tables
  // (fonts named "Times New Roman" and "Tai Lue"), layouts and masters are not.
  bool ReadAsText(std::string_view member) const;

 private:
  std::vector<std::string> parts_;
  bool odf_ = false;
};

// One text part as lines of text.
class TextPartReader {
 public:
  TextPartReader(zip* archive, const std::string& member);
  ~TextPartReader();
  TextPartReader(const TextPartReader&) = delete;
  TextPartReader& operator=(const TextPartReader&) = delete;
  // Errors: invalid_argument when the part cannot be read.
  Status Start();
  // Reads up to n bytes of the part's text into dst: the count, 0 at its end, -1 when the part
  // turns out broken (error() says where).
  long Read(char* dst, size_t n);
  const std::string& error() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// "A" for 1, "Z" for 26, "AA" for 27: a spreadsheet column's letters.
std::string ColumnLetters(uint32_t column);
// The date (and time, when with_time and there is one) a serial number stands for in a workbook's
// 1900 or 1904 date system: "1987-03-12", "2021-01-06 10:30:00". Empty for a number no date is
// (negative, past 9999, not a number).
std::string SerialDate(std::string_view serial, bool date1904, bool with_time);
// Whether an Excel number format shows a date: a built-in date format's id, or a format code with
// a day or year part outside quoted text and brackets ("yyyy-mm-dd", "[$-409]d-mmm-yy"); whether
// it shows a time of day too.
struct DateFormat {
  bool date = false, time = false;
};
DateFormat DateFormatOf(int id, std::string_view code);

}  // namespace steward::scan::internal
