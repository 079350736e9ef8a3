#include "scan/internal/csv.h"

#include <csv.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace steward::scan::internal {
namespace {

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) return false;
  return true;
}

// The name without a trailing ".gz" (a gzipped export is read through zlib as its text).
std::string_view WithoutGz(std::string_view source) {
  if (EndsWithNoCase(source, ".gz")) source.remove_suffix(3);
  return source;
}

// What a column's name is written with ("E-mail (work)", "Phone #", "Amount ($)", "Name:"): not
// '@', '=', '<' or a backslash, which values hold.
bool LabelByte(unsigned char b) {
  return std::isalnum(b) || b >= 0x80 || (b != 0 && std::strchr(" _-./#()[]%$&'+:?*", b) != nullptr);
}

bool IsNumber(std::string_view v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+'; });
}

}  // namespace

bool IsCsvName(std::string_view source) {
  source = WithoutGz(source);
  return EndsWithNoCase(source, ".csv") || EndsWithNoCase(source, ".tsv");
}

CsvSplitter::CsvSplitter(char delimiter) : delimiter_(delimiter), parser_(new csv_parser) { Init(); }

void CsvSplitter::Init() {
  // Strict: a stray quote makes the line no record rather than a guess. No blanks are trimmed
  // (positions in the line stay exact), and nothing ends a record but the end of the text.
  csv_init(parser_, CSV_STRICT | CSV_STRICT_FINI);  // fails only for a null parser
  csv_set_delim(parser_, static_cast<unsigned char>(delimiter_));
  csv_set_space_func(parser_, [](unsigned char) { return 0; });
  csv_set_term_func(parser_, [](unsigned char) { return 0; });
}

CsvSplitter::~CsvSplitter() {
  csv_free(parser_);
  delete parser_;
}

CsvSplitter::Line CsvSplitter::Split(std::string_view line, std::vector<CsvCell>& cells) {
  cells.clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return Line::kNoRecord;
  if (std::memchr(line.data(), '"', line.size()) == nullptr) {
    for (size_t at = 0;;) {
      const void* next = std::memchr(line.data() + at, delimiter_, line.size() - at);
      const size_t end = next ? static_cast<size_t>(static_cast<const char*>(next) - line.data()) : line.size();
      cells.push_back({at, end, line.substr(at, end - at), false});
      if (next == nullptr) return Line::kRecord;
      at = end + 1;
    }
  }

  struct Gather {
    CsvSplitter* self;
    int records = 0;
  } gather{this};
  unquoted_.clear();
  spans_.clear();
  const auto on_cell = [](void* text, size_t n, void* data) {
    auto* g = static_cast<Gather*>(data);
    g->self->spans_.emplace_back(g->self->unquoted_.size(), n);
    if (n > 0) g->self->unquoted_.append(static_cast<const char*>(text), n);
  };
  const auto on_record = [](int, void* data) { ++static_cast<Gather*>(data)->records; };
  const bool parsed = csv_parse(parser_, line.data(), line.size(), on_cell, on_record, &gather) == line.size();
  const bool finished = csv_fini(parser_, on_cell, on_record, &gather) == 0;  // always: it readies the parser for the next line…
  if (!finished) {  // …unless it fails (a quote left open), which leaves the parser inside the quote
    csv_free(parser_);
    Init();
  }
  if (parsed && !finished) return Line::kOpenQuote;  // strict csv_fini fails only on a quote left open
  if (!parsed || gather.records != 1) return Line::kNoRecord;

  // Where each cell lies: a quoted cell is its text, doubled quotes and the two around it.
  size_t at = 0;
  for (size_t i = 0; i < spans_.size(); ++i) {
    const std::string_view value = std::string_view(unquoted_).substr(spans_[i].first, spans_[i].second);
    const bool quoted = at < line.size() && line[at] == '"';
    const size_t raw = quoted ? value.size() + 2 + static_cast<size_t>(std::count(value.begin(), value.end(), '"')) : value.size();
    const size_t end = at + raw;
    const bool last = i + 1 == spans_.size();
    if (end > line.size() || (last ? end != line.size() : line[end] != delimiter_) || (quoted && line[end - 1] != '"') ||
        (!quoted && line.substr(at, raw) != value)) {
      cells.clear();
      return Line::kNoRecord;
    }
    cells.push_back({at, end, value, quoted});
    at = end + 1;
  }
  return cells.empty() ? Line::kNoRecord : Line::kRecord;
}

std::optional<CsvHeader> ParseCsvHeader(std::string_view source, std::string_view first_line) {
  if (first_line.size() > 64 * 1024) return std::nullopt;  // no header is this long
  if (!first_line.empty() && first_line.back() == '\r') first_line.remove_suffix(1);
  // A UTF-8 byte-order mark, as spreadsheets write one.
  if (first_line.starts_with("\xef\xbb\xbf")) first_line.remove_prefix(3);
  CsvHeader header;
  if (EndsWithNoCase(WithoutGz(source), ".tsv")) {
    header.delimiter = '\t';
  } else {
    size_t most = 0;
    for (char d : {',', ';', '\t', '|'}) {
      const auto n = static_cast<size_t>(std::count(first_line.begin(), first_line.end(), d));
      if (n > most) {
        most = n;
        header.delimiter = d;
      }
    }
  }
  CsvSplitter splitter(header.delimiter);
  std::vector<CsvCell> cells;
  if (splitter.Split(first_line, cells) != CsvSplitter::Line::kRecord) return std::nullopt;
  std::vector<std::string_view> values;
  for (const CsvCell& c : cells) values.push_back(c.value);
  if (!IsHeaderRow(values)) return std::nullopt;
  header.names.assign(values.begin(), values.end());
  return header;
}

bool IsHeaderRow(const std::vector<std::string_view>& cells) {
  if (cells.size() < 2) return false;
  bool letter = false;
  for (const std::string_view v : cells) {
    if (v.size() > 64 || IsNumber(v) || !std::all_of(v.begin(), v.end(), [](char b) { return LabelByte(static_cast<unsigned char>(b)); }))
      return false;
    letter = letter || std::any_of(v.begin(), v.end(), [](char b) { return std::isalpha(static_cast<unsigned char>(b)); });
  }
  return letter;
}

size_t CsvValueOffsetInLine(std::string_view line, const CsvCell& cell, size_t k) {
  if (!cell.quoted) return cell.start + k;
  size_t at = cell.start + 1;
  for (size_t i = 0; i < k && at < line.size(); ++i) at += cell.value[i] == '"' ? 2 : 1;
  return at;
}

}  // namespace steward::scan::internal
