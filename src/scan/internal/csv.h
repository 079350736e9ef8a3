// CSV and TSV files read as tables: which files are, their header, and one line's cells with
// where each lies in the line. A line is split on its own, so a file can be cut at any line
// start; a line that opens a quoted cell it does not close says so, and the caller may split it
// again with the lines up to the one that closes the cell (one record). Lines without a quote
// are split at the delimiter; lines with one go through libcsv, in strict mode. Not
// thread-safe: one CsvSplitter per thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct csv_parser;

namespace steward::scan::internal {

// A source named like a CSV or TSV file: "users.csv", "export.zip!a/b.TSV", "c.csv.gz".
bool IsCsvName(std::string_view source);

struct CsvCell {
  size_t start = 0, end = 0;  // the cell's bytes in the line, its quotes included
  std::string_view value;     // its text, quotes taken off and "" made "; valid until the next Split
  bool quoted = false;
};

class CsvSplitter {
 public:
  explicit CsvSplitter(char delimiter);
  ~CsvSplitter();
  CsvSplitter(const CsvSplitter&) = delete;
  CsvSplitter& operator=(const CsvSplitter&) = delete;

  enum class Line {
    kRecord,     // cells holds the line's cells
    kOpenQuote,  // a well-formed line up to a quoted cell it does not close (it goes on below)
    kNoRecord,   // a quote inside an unquoted cell, text after a closing quote, an empty line
  };
  // Splits one line (without its newline; a trailing '\r' is left out), or the lines of a record
  // whose quoted cell spans lines; cells is empty unless the text is a record.
  Line Split(std::string_view line, std::vector<CsvCell>& cells);
  char delimiter() const { return delimiter_; }

 private:
  void Init();  // readies parser_ for a line

  char delimiter_;
  csv_parser* parser_;
  std::string unquoted_;  // the quoted line's cell texts, one after another
  std::vector<std::pair<size_t, size_t>> spans_;  // each cell's text in unquoted_
};

struct CsvHeader {
  char delimiter = ',';
  std::vector<std::string> names;  // the columns, in order
};

// The header a CSV or TSV file's first line gives (source: its name, for the delimiter — a tab
// for .tsv; for .csv whichever of , ; tab | the line holds most, as spreadsheets write all four).
// A header is two or more cells, each a label of at most 64 bytes (letters, digits, blanks and
// _-./#()[]%$&'+:?*), at least one with a letter and none a number. Otherwise none: the file is
// text.
std::optional<CsvHeader> ParseCsvHeader(std::string_view source, std::string_view first_line);

// Whether a row's cells are a header's: two or more, each a label (ParseCsvHeader says which).
bool IsHeaderRow(const std::vector<std::string_view>& cells);

// Where byte k of a cell's value lies in the line: after the opening quote, and one further on
// for each "" before it.
size_t CsvValueOffsetInLine(std::string_view line, const CsvCell& cell, size_t k);

}  // namespace steward::scan::internal
