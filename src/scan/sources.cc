#include "scan/sources.h"

#include <fcntl.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/text.h"
#include "scan/internal/csv.h"
#include "scan/internal/names.h"
#include "scan/internal/validate.h"
#include "scan/internal/office.h"
#include "scan/internal/pdf.h"
#include "scan/internal/xls.h"

namespace steward::scan {
namespace {

namespace fs = std::filesystem;

// Newlines in [p, p + n). Sixty-four bytes a step where SSE2 is there (every x86-64): std::count's
// byte loop was a fifth of a scan's time when it ran over every block twice (perf, 2026-11-29),
// and one sixteen-byte compare a step half as fast as this.
size_t CountNewlines(const char* p, size_t n) {
  size_t count = 0, i = 0;
#ifdef __SSE2__
  const __m128i newline = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
  const auto newlines_at = [&](size_t k) {  // -1 in each lane with a newline
    return _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k)), newline);
  };
  const auto add_up = [&](__m128i sums) {
    const __m128i total = _mm_sad_epu8(sums, zero);
    count += static_cast<size_t>(_mm_cvtsi128_si64(total)) + static_cast<size_t>(_mm_extract_epi16(total, 4));
  };
  while (n - i >= 64) {
    __m128i sums = zero;  // per byte lane, up to 4 a step: 63 steps stay below 256
    for (size_t steps = 0; steps < 63 && n - i >= 64; ++steps, i += 64)
      sums = _mm_sub_epi8(sums, _mm_add_epi8(_mm_add_epi8(newlines_at(i), newlines_at(i + 16)),
                                             _mm_add_epi8(newlines_at(i + 32), newlines_at(i + 48))));
    add_up(sums);
  }
  __m128i sums = zero;
  for (; n - i >= 16; i += 16) sums = _mm_sub_epi8(sums, newlines_at(i));  // three steps at most
  add_up(sums);
#endif
  for (; i < n; ++i) count += p[i] == '\n';
  return count;
}

// The words a column's values are scanned after, when its name hints at a detector whose
// rules need context ("dob" → a date is a date of birth).
std::string ContextPhrase(std::string_view detector) {
  static const std::map<std::string_view, std::string_view> kPhrases = {
      {"date_of_birth", "date of birth: "},    {"us_zip", "zip code: "},
      {"phone", "phone: "},                    {"us_ssn", "ssn: "},
      {"national_id", "national id: "},        {"passport", "passport number: "},
      {"drivers_license", "driver's license: "}, {"us_bank_account", "account number: "},
      {"aba_routing", "routing number: "},     {"imei", "imei: "},
      {"credential", "password="},             {"us_street_address", "street address: "},
      {"intl_street_address", "street address: "}};
  auto it = kPhrases.find(detector);
  return it == kPhrases.end() ? std::string() : std::string(it->second);
}

// What a table's columns are scanned with: each column's context phrase (from its name) and
// which detectors its name hints at.
struct TableContext {
  std::vector<std::string> prefix;
  // Weak single matches (a city called Jackson) do not make a column personal unless its name
  // says so.
  std::vector<std::vector<bool>> hinted;  // column → detector
  int name_detector = -1, geo_detector = -1;
  size_t detectors = 0;
};

// A column name as a key ("First Name" → "first_name"): lower case, runs of other bytes '_'.
std::string AsKey(std::string_view column) {
  std::string key;
  for (char b : column) {
    if (std::isalnum(static_cast<unsigned char>(b))) key += static_cast<char>(std::tolower(static_cast<unsigned char>(b)));
    else if (!key.empty() && key.back() != '_') key += '_';
  }
  while (!key.empty() && key.back() == '_') key.pop_back();
  return key;
}

// Whether a column's name hints at a detector: one of its hints is in the name, in lower case or
// as a key ("Account Number" as "account_number", as spreadsheets and exports write names).
bool NameHints(const Detector& d, std::string_view column) {
  const std::string lower = AsciiLower(column), key = AsKey(column);
  for (const std::string& hint : d.column_hints)
    if (lower.find(hint) != std::string::npos || key.find(hint) != std::string::npos) return true;
  return false;
}

// The key a CSV column named for a person is scanned under, which the name rules read
// ("first_name", "surname", "maiden_name" for "MothersMaiden", "employee_name" for a column named
// for a person's role, "Employee", "Patient"), or "" for none. A username or an account's name
// is a handle, not a person's name.
std::string PersonKey(std::string_view column) {
  const std::string key = AsKey(column);
  if (key == "username" || key == "user_name" || key == "account_name" || key == "login_name") return {};
  if (key.ends_with("name")) return key;
  // Roles only people have: a "Customer", "Client" or "Contact" is a firm as often.
  for (const std::string_view role : {"employee", "patient", "applicant", "cardholder", "person"})
    if (key == role) return key + "_name";
  if (key.find("maiden") != std::string::npos) return "maiden_name";
  if (key.find("given") != std::string::npos) return "given_name";
  return {};
}

// A table's context from its column names: each column's phrase and hints. A column named for a
// person ("first_name", "Surname", "Customer Name") or a person's role ("Employee") is scanned as
// the value under its name as a key: an unknown name there is a name.
TableContext ContextForColumns(const Engine& engine, const std::vector<std::string>& columns) {
  const auto& detectors = engine.detectors();
  TableContext context{.prefix = std::vector<std::string>(columns.size()),
                       .hinted = std::vector<std::vector<bool>>(columns.size(), std::vector<bool>(detectors.size())),
                       .name_detector = engine.FindDetector("person_name"),
                       .geo_detector = engine.FindDetector("geolocation"),
                       .detectors = detectors.size()};
  for (size_t c = 0; c < columns.size(); ++c)
    for (size_t d = 0; d < detectors.size(); ++d) {
      context.hinted[c][d] = NameHints(detectors[d], columns[c]);
      if (context.hinted[c][d] && context.prefix[c].empty()) context.prefix[c] = ContextPhrase(detectors[d].id);
    }
  const int name = context.name_detector;
  for (size_t c = 0; c < columns.size() && name >= 0; ++c)
    if (const std::string key = PersonKey(columns[c]); !key.empty() && context.prefix[c].empty()) {
      context.hinted[c][static_cast<size_t>(name)] = true;  // a role's name ("Employee") hints at none of the name rule's
      context.prefix[c] = key + "=";
    }
  return context;
}

// Words in a value (runs of bytes other than ' ', '\t', '\n', '\r'), counting no further than
// `cap`. Sixteen bytes a step: a word starts where a byte that is no space follows one that is
// (or the value's start); the byte loop was the largest part of a table scan's own work.
uint64_t CountWords(std::string_view v, uint64_t cap) {
  const auto* p = reinterpret_cast<const unsigned char*>(v.data());
  const size_t n = v.size();
  auto is_space = [](unsigned char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; };
  uint64_t words = 0;
  bool after_space = true;  // the byte before p[i] is a space, or i is the start
  size_t i = 0;
#ifdef __SSE2__
  const __m128i blank = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  for (; n - i >= 16 && words < cap; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i sp = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, blank), _mm_cmpeq_epi8(x, tab)),
                                    _mm_or_si128(_mm_cmpeq_epi8(x, nl), _mm_cmpeq_epi8(x, cr)));
    const auto spaces = static_cast<uint32_t>(_mm_movemask_epi8(sp));
    const uint32_t before = (spaces << 1 | (after_space ? 1u : 0u)) & 0xffff;  // bit k: byte k-1 is a space
    words += static_cast<uint64_t>(__builtin_popcount(~spaces & before & 0xffff));
    after_space = (spaces >> 15) & 1;
  }
#endif
  for (; i < n && words < cap; ++i) {
    const bool space = is_space(p[i]);
    words += !space && after_space;
    after_space = space;
  }
  return std::min(words, cap);
}

// A CSV or TSV file read as a table: its header's columns, and the state of reading its lines.
struct CsvTable {
  CsvTable(const Engine& engine, internal::CsvHeader h)
      : header(std::move(h)), context(ContextForColumns(engine, header.names)), splitter(header.delimiter) {
    for (size_t c = 0; c < header.names.size(); ++c) first_of_column.push_back(first_of_name.try_emplace(header.names[c], c).first->second);
    scanned_with_prefix = std::any_of(context.prefix.begin(), context.prefix.end(), [](const std::string& p) { return !p.empty(); });
  }
  // What a column's values found when scanned after its phrase. A cell's findings depend on its
  // column and value alone, and columns repeat values (first names, cities, statuses), so a value
  // seen in an earlier block is not scanned again; a column whose values seldom repeat (SSNs,
  // emails: fewer than a quarter of lookups find the value) stops looking after kTrial lookups.
  // 20,000 rows of a customer export: 2,369M instructions without, 2,217M with.
  struct Cache {
    // kLongest: longer values (notes, addresses) seldom repeat, and 4,096 of them must stay small.
    static constexpr size_t kValues = 4096, kTrial = 4096, kLongest = 256;
    struct Found {
      size_t start = 0, end = 0;  // in the value
      int detector = 0;
      double confidence = 0;
    };
    struct Entry {
      std::vector<Found> found;
      bool ready = false;  // false while the block that first held the value is being scanned
    };
    struct Hash {
      using is_transparent = void;
      size_t operator()(std::string_view v) const { return std::hash<std::string_view>{}(v); }
    };
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries;
    uint64_t lookups = 0, repeats = 0;  // repeats: values found kept (ready or not)
    bool off = false;
  };
  internal::CsvHeader header;
  TableContext context;
  internal::CsvSplitter splitter;
  std::vector<Cache> caches = std::vector<Cache>(header.names.size());  // by column
  std::unordered_map<std::string_view, size_t> first_of_name;  // a column's name → its first column
  std::vector<size_t> first_of_column;  // the same by column: where its name is counted
  // Per column, in the block being read: cells with a value, their words (16 at most each), and
  // names found in them.
  struct Counts {
    uint64_t values = 0, words = 0, names = 0;
  };
  std::vector<Counts> counts = std::vector<Counts>(header.names.size());
  bool scanned_with_prefix = false;  // some column's values are scanned again after a phrase
  bool in_quotes = false;            // the last line ended inside a quoted cell
  uint64_t header_line = 0;          // the header's line, not a record (0: none, or not in this piece)
  // A spreadsheet's sheet: a finding's column is its cell's (C is 3), not its byte in the line,
  // and text outside one cell (across two) is no finding.
  bool cell_columns = false;
};

// Whether a line holds an odd number of quotes (it opens or closes a quoted cell that spans lines).
bool OddQuotes(std::string_view line) {
  return std::memchr(line.data(), '"', line.size()) != nullptr && std::count(line.begin(), line.end(), '"') % 2 == 1;
}

// A CSV record whose quoted cell spans lines is read as one record up to this size.
constexpr size_t kLongestRecord = 64 * 1024;

// Where a block of a CSV file read up to a line end should end, so that a record whose quoted
// cell spans lines is not cut in two (the record would be read as text): at the start of the
// line that opens a quote still open at the block's end, when that line is within
// kLongestRecord of the end and not the block's first; else at the block's end. `in_quotes`:
// the block starts inside a quoted cell. A stray quote (no record) may make it cut sooner than
// it had to; the lines cut off start the next block, so nothing is lost.
size_t CsvBlockEnd(std::string_view block, bool in_quotes) {
  const size_t tail = block.size() > kLongestRecord ? block.size() - kLongestRecord : 0;
  bool open = in_quotes != (std::count(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(tail), '"') % 2 == 1);
  size_t opened = 0;  // the start of the line whose quote is open
  for (const char* q = static_cast<const char*>(std::memchr(block.data() + tail, '"', block.size() - tail)); q != nullptr;
       q = static_cast<const char*>(std::memchr(q + 1, '"', static_cast<size_t>(block.data() + block.size() - q - 1)))) {
    open = !open;
    if (!open) continue;
    const void* nl = memrchr(block.data(), '\n', static_cast<size_t>(q - block.data()));
    opened = nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - block.data()) + 1 : 0;
  }
  return open && opened > tail && opened > 0 ? opened : block.size();
}

// Where byte `at` of a record that starts on line `first` and spans lines lies: its line, and its
// offset in that line.
std::pair<uint64_t, size_t> PlaceInRecord(std::string_view record, size_t at, uint64_t first) {
  const void* nl = at == 0 ? nullptr : memrchr(record.data(), '\n', at);
  if (nl == nullptr) return {first, at};
  const size_t from = static_cast<size_t>(static_cast<const char*>(nl) - record.data()) + 1;
  return {first + CountNewlines(record.data(), from), at - from};
}

// The text up to the first newline (all of it when there is none).
std::string_view FirstLine(std::string_view text) { return text.substr(0, text.find('\n')); }

// Reads up to n bytes into dst: the count, 0 at the end, -1 on error.
using Reader = std::function<long(char* dst, size_t n)>;

// One worker: a session, a reusable buffer, findings of the current source.
class TextScanner {
 public:
  // flush, when given, reports the findings gathered so far once a block leaves many, so a large
  // file's findings are not all held until its end; the scanner then reuses them (Add).
  using Flush = std::function<void(const std::vector<Finding>&)>;
  TextScanner(const Engine& engine, size_t buffer_bytes, Flush flush = nullptr)
      : engine_(engine), session_(engine.NewSession()), buffer_(std::max<size_t>(buffer_bytes, 4096)), flush_(std::move(flush)) {}

  enum class Outcome { kScanned, kBinary, kReadError };

  // Scans a source to its end, appending findings (their lines counted from 1). With sniff, a
  // NUL byte in the first 8 KiB marks the source binary and nothing is reported. With hold,
  // findings are never flushed: the caller wants them all (a piece of a file, see ScanPaths).
  // A source named like a CSV or TSV file whose first line is a header is read as a table (see
  // ScanCsvBlock); a piece of one is given the header its file starts with (piece_header: null
  // for a source read from its start).
  Outcome Scan(const Reader& read, const std::string& source, bool sniff, std::vector<Finding>& out, uint64_t& bytes,
               bool hold = false, const std::optional<internal::CsvHeader>* piece_header = nullptr) {
    csv_.reset();
    return Run(read, source, sniff, internal::IsCsvName(source), out, bytes, hold, piece_header);
  }

  // Scans a spreadsheet's sheet, given as tab-delimited text a row a line (internal/office.h): a
  // table with the columns `header` names and its header on header_line (0: none); findings
  // give their cell's row and column number as line and column.
  Outcome ScanSheet(const Reader& read, const std::string& source, internal::CsvHeader header, uint64_t header_line,
                    std::vector<Finding>& out, uint64_t& bytes) {
    csv_ = std::make_unique<CsvTable>(engine_, std::move(header));
    csv_->header_line = header_line;
    csv_->cell_columns = true;
    return Run(read, source, false, false, out, bytes, false, nullptr);
  }
  uint64_t newlines() const { return newlines_; }  // in the source the last Scan read to its end

 private:
  Outcome Run(const Reader& read, const std::string& source, bool sniff, bool csv_name, std::vector<Finding>& out, uint64_t& bytes,
              bool hold, const std::optional<internal::CsvHeader>* piece_header) {
    size_t filled = 0;
    uint64_t line = 1;
    bool first = true;
    char* buf = buffer_.data();
    const size_t cap = buffer_.size();
    for (;;) {
      long n = read(buf + filled, cap - filled);
      if (n < 0) return Outcome::kReadError;
      bool eof = n == 0;
      filled += static_cast<size_t>(n);
      bytes += static_cast<uint64_t>(n);
      if (!eof && filled < cap) continue;
      if (first && sniff && std::memchr(buf, 0, std::min<size_t>(filled, 8192)) != nullptr) return Outcome::kBinary;
      if (first && csv_name) {
        if (piece_header != nullptr) {
          if (*piece_header) csv_ = std::make_unique<CsvTable>(engine_, **piece_header);
        } else if (auto header = internal::ParseCsvHeader(source, FirstLine(std::string_view(buf, filled)))) {
          csv_ = std::make_unique<CsvTable>(engine_, std::move(*header));
          csv_->header_line = 1;
        }
      }
      first = false;
      size_t cut = filled;
      if (!eof) {
        const void* nl = memrchr(buf, '\n', filled);
        if (nl != nullptr) cut = static_cast<size_t>(static_cast<const char*>(nl) - buf) + 1;  // else: a line longer than the buffer is cut
        if (nl != nullptr && csv_ && !csv_->cell_columns) cut = CsvBlockEnd(std::string_view(buf, cut), csv_->in_quotes);
      }
      std::string_view block(buf, cut);
      line += ScanBlock(block, source, line, out);
      if (flush_ && !hold && out.size() >= 1024) {
        flush_(out);
        for (Finding& f : out) spare_.push_back(std::move(f));
        out.clear();
      }
      std::memmove(buf, buf + cut, filled - cut);
      filled -= cut;
      if (eof && filled == 0) break;
    }
    newlines_ = line - 1;
    return Outcome::kScanned;
  }

  // A new finding at the end of `to`, its members as a new one's: one reported before when there
  // is one, so that its strings' buffers are reused rather than allocated again (a path and a
  // value each, and their frees, were a twentieth of a scan with many findings).
  Finding& Add(std::vector<Finding>& to) {
    if (spare_.empty()) return to.emplace_back();
    Finding fresh;
    fresh.source.swap(spare_.back().source);
    fresh.field.swap(spare_.back().field);
    fresh.value.swap(spare_.back().value);
    fresh.source.clear();
    fresh.field.clear();
    fresh.value.clear();
    spare_.pop_back();
    return to.emplace_back(std::move(fresh));
  }

  // Scans one block that starts on line first_line; returns the newlines in it.
  uint64_t ScanBlock(std::string_view block, const std::string& source, uint64_t first_line, std::vector<Finding>& out) {
    if (csv_) return ScanCsvBlock(block, source, first_line, out);
    size_t counted = 0;       // the offset newlines are counted up to
    uint64_t line = first_line;
    size_t line_start = 0;
    session_->Scan(block, [&](const Match& m) {
      if (m.start > counted) {
        const char* from = block.data() + counted;
        const size_t newlines = CountNewlines(from, m.start - counted);
        if (newlines > 0) {
          line += newlines;
          line_start = static_cast<size_t>(static_cast<const char*>(memrchr(from, '\n', m.start - counted)) - block.data()) + 1;
        }
        counted = m.start;
      }
      Finding& f = Add(out);
      f.detector = m.detector;
      f.source = source;
      f.line = line;
      f.column = m.start - line_start + 1;
      f.confidence = m.confidence;
      f.value.assign(block.substr(m.start, m.end - m.start));
    });
    return line - first_line + CountNewlines(block.data() + counted, block.size() - counted);
  }

  // A block of a CSV or TSV file read as a table. Each line is scanned as text, as any file's;
  // then, on a line that is a record of cells (or the lines of one whose quoted cell spans
  // lines):
  // - a finding inside one cell is reported with the cell's column as its field;
  // - a lone weak name (a city called Jackson) counts only in a column named for a person, as in
  //   a database table, and a weak match of another kind not in a column named for one kind
  //   (a national id read as a phone number);
  // - a cell whose column's name gives its values context ("ssn", "date_of_birth", "first_name")
  //   is scanned again on its own after that context ("ssn: 536227000", "first_name=Quionia"),
  //   and what that finds replaces what the line's scan found inside the cell.
  // Positions stay the file's own: line, and the byte column of the match in the line (for a
  // spreadsheet's sheet, the cell's column number).
  uint64_t ScanCsvBlock(std::string_view block, const std::string& source, uint64_t first_line, std::vector<Finding>& out) {
    CsvTable& table = *csv_;
    const std::vector<std::string>& names = table.header.names;
    const int name_detector = table.context.name_detector;
    // A weak match (below 0.7) of a kind the column is not named for: a lone name outside a
    // person's column, or, in a column named for another kind (one scanned again after its
    // phrase), that kind's value misread ("046 149 472" in NationalID is no phone number).
    const auto weak_dropped = [&](const Match& m, size_t column) {
      if (m.confidence >= 0.7) return false;
      if (column >= names.size()) return m.detector == name_detector;
      if (table.context.hinted[column][static_cast<size_t>(m.detector)]) return false;
      return m.detector == name_detector || !table.context.prefix[column].empty();
    };
    auto report = [&](std::vector<Finding>& to, size_t start_in_line, size_t cell, std::string_view value, const Match& m, uint64_t line,
                      std::string_view field) {
      Finding& f = Add(to);
      f.detector = m.detector;
      f.source = source;
      f.field = field;
      f.line = line;
      f.column = (table.cell_columns ? cell : start_in_line) + 1;
      f.cell = table.cell_columns;
      f.confidence = m.confidence;
      f.value.assign(value);
    };

    const size_t first_out = out.size();
    matches_.clear();
    session_->Scan(block, [&](const Match& m) { matches_.push_back(m); });
    again_.clear();
    again_cells_.clear();
    size_t next = 0;  // the first match not yet on a line
    uint64_t line = first_line;
    for (size_t line_start = 0; line_start < block.size();) {
      const char* nl = static_cast<const char*>(std::memchr(block.data() + line_start, '\n', block.size() - line_start));
      size_t line_end = nl ? static_cast<size_t>(nl - block.data()) : block.size();
      std::string_view text = block.substr(line_start, line_end - line_start);
      bool record = false;
      uint64_t spans = 0;  // newlines inside a record whose quoted cell spans lines
      if (line == table.header_line) {
        // the header: labels, no record
      } else if (table.in_quotes) {
        table.in_quotes = !OddQuotes(text);  // a quoted cell's later lines, up to the one that closes it
      } else {
        // A line with an odd number of quotes may open a quoted cell that goes on below, or hold
        // a stray quote (no record, and the next line is one).
        const auto split = table.splitter.Split(text, cells_);
        record = split == internal::CsvSplitter::Line::kRecord;
        table.in_quotes = split == internal::CsvSplitter::Line::kOpenQuote;
        if (table.in_quotes) {
          // The record is then the lines up to the one that closes the cell (the quotes in all
          // of them even), when they are in this block and split as one record; else its lines
          // stay text.
          size_t end = line_end;
          uint64_t newlines = 0;
          bool open = true;
          while (open && end < block.size() && end - line_start < kLongestRecord) {
            const char* next_nl = static_cast<const char*>(std::memchr(block.data() + end + 1, '\n', block.size() - end - 1));
            const size_t next_end = next_nl ? static_cast<size_t>(next_nl - block.data()) : block.size();
            open = open != OddQuotes(block.substr(end + 1, next_end - end - 1));
            end = next_end;
            ++newlines;
          }
          if (!open && table.splitter.Split(block.substr(line_start, end - line_start), cells_) == internal::CsvSplitter::Line::kRecord) {
            record = true;
            table.in_quotes = false;
            spans = newlines;
            line_end = end;
            nl = end < block.size() ? block.data() + end : nullptr;
            text = block.substr(line_start, line_end - line_start);
          }
        }
      }
      // Where byte `at` of the record lies: its line, and its offset in that line.
      const auto place = [&](size_t at, uint64_t first) -> std::pair<uint64_t, size_t> {
        return spans == 0 ? std::pair<uint64_t, size_t>(first, at) : PlaceInRecord(text, at, first);
      };
      size_t last = next;
      while (last < matches_.size() && matches_[last].start < line_end) ++last;
      if (record)
        for (size_t c = 0; c < cells_.size() && c < names.size(); ++c)
          if (!cells_[c].value.empty()) {
            CsvTable::Counts& n = table.counts[table.first_of_column[c]];
            ++n.values;
            n.words += CountWords(cells_[c].value, 16);
          }
      for (; next < last; ++next) {
        const Match& m = matches_[next];
        size_t column = SIZE_MAX;
        if (record) {
          const size_t at = m.start - line_start;
          const auto cell = std::upper_bound(cells_.begin(), cells_.end(), at, [](size_t a, const internal::CsvCell& c) { return a < c.start; });
          if (cell != cells_.begin() && m.end - line_start <= std::prev(cell)->end) column = static_cast<size_t>(std::prev(cell) - cells_.begin());
        }
        if (column != SIZE_MAX && column < names.size() && !table.context.prefix[column].empty()) continue;  // scanned again below
        if (column != SIZE_MAX && weak_dropped(m, column)) continue;
        if (column == SIZE_MAX && table.cell_columns) continue;
        const auto [at_line, at] = place(m.start - line_start, line);
        report(out, at, column, block.substr(m.start, m.end - m.start), m, at_line,
               column < names.size() ? std::string_view(names[column]) : std::string_view());
      }
      if (record && table.scanned_with_prefix) {
        for (size_t c = 0; c < cells_.size() && c < names.size(); ++c) {
          const std::string_view value = cells_[c].value;
          if (table.context.prefix[c].empty() || value.empty()) continue;
          CsvTable::Cache& cache = table.caches[c];
          CsvTable::Cache::Entry* entry = nullptr;  // to be filled by this block's scan
          if (!cache.off && value.size() <= CsvTable::Cache::kLongest) {
            const auto it = cache.entries.find(value);
            ++cache.lookups;
            cache.repeats += it != cache.entries.end();
            if (it != cache.entries.end() && it->second.ready) {
              for (const CsvTable::Cache::Found& f : it->second.found) {
                const auto [at_line, at] = place(internal::CsvValueOffsetInLine(text, cells_[c], f.start), line);
                report(found_cached_, at, c, value.substr(f.start, f.end - f.start), Match{.detector = f.detector, .confidence = f.confidence},
                       at_line, names[c]);
              }
              continue;
            }
            if (it == cache.entries.end() && cache.entries.size() < CsvTable::Cache::kValues) entry = &cache.entries[std::string(value)];
            cache.off = cache.lookups >= CsvTable::Cache::kTrial && cache.repeats * 4 < cache.lookups;
          }
          const size_t at = again_.size();
          again_ += table.context.prefix[c];
          again_cells_.push_back({.at = at, .value_at = again_.size(), .value_size = value.size(), .column = c, .line = line,
                                  .line_start = line_start, .line_size = text.size(), .spans = spans > 0, .cell = cells_[c], .entry = entry});
          again_ += value;
          again_ += '\n';
        }
      }
      line_start = line_end + 1;
      line += spans + (nl != nullptr);  // the last line of a source may have no newline
    }
    if (!again_cells_.empty()) {
      session_->ScanRecords(again_, [&](const Match& m) {
        const auto it = std::upper_bound(again_cells_.begin(), again_cells_.end(), m.start, [](size_t a, const AgainCell& c) { return a < c.at; });
        const AgainCell& c = *std::prev(it);
        const size_t value_end = c.value_at + c.value_size;
        if (m.start < c.value_at || m.start >= value_end || weak_dropped(m, c.column)) return;  // in the phrase
        const size_t end = std::min(m.end, value_end);
        internal::CsvCell cell = c.cell;
        cell.value = std::string_view(again_).substr(c.value_at, c.value_size);
        const std::string_view text = block.substr(c.line_start, c.line_size);
        const size_t in_record = internal::CsvValueOffsetInLine(text, cell, m.start - c.value_at);
        const auto [at_line, at] = c.spans ? PlaceInRecord(text, in_record, c.line) : std::pair<uint64_t, size_t>(c.line, in_record);
        report(found_again_, at, c.column, std::string_view(again_).substr(m.start, end - m.start), m, at_line, names[c.column]);
        if (c.entry != nullptr) c.entry->found.push_back({m.start - c.value_at, end - c.value_at, m.detector, m.confidence});
      });
      for (const AgainCell& c : again_cells_)
        if (c.entry != nullptr) c.entry->ready = true;
    }
    // Names in a column of short values not named for a person (cities, companies, streets):
    // there, a minority of values that read like names ("São Paulo", "Bennett Brothers") are that
    // column's own kind of value, as in a database table (ScanTables); they count only where most
    // of the block's values are names.
    const auto column_of = [&](const Finding& f) { return table.first_of_name.at(f.field); };
    if (name_detector >= 0) {
      for (const std::vector<Finding>* run : {&out, &found_again_, &found_cached_})
        for (size_t i = run == &out ? first_out : 0; i < run->size(); ++i)
          if ((*run)[i].detector == name_detector && !(*run)[i].field.empty()) ++table.counts[column_of((*run)[i])].names;
      const auto dropped = [&](const Finding& f) {
        if (f.detector != name_detector || f.field.empty()) return false;
        const size_t c = column_of(f);
        const CsvTable::Counts& n = table.counts[c];
        return !table.context.hinted[c][static_cast<size_t>(name_detector)] && n.words < 6 * n.values && n.names * 2 < n.values;
      };
      out.erase(std::remove_if(out.begin() + static_cast<long>(first_out), out.end(), dropped), out.end());
      std::erase_if(found_again_, dropped);
      std::erase_if(found_cached_, dropped);
    }
    std::fill(table.counts.begin(), table.counts.end(), CsvTable::Counts{});
    // Each run is in file order: merged, not sorted (a sort moved each finding a dozen times).
    for (std::vector<Finding>* run : {&found_again_, &found_cached_}) {
      if (run->empty()) continue;
      merged_.clear();
      std::merge(std::make_move_iterator(out.begin() + static_cast<long>(first_out)), std::make_move_iterator(out.end()),
                 std::make_move_iterator(run->begin()), std::make_move_iterator(run->end()), std::back_inserter(merged_),
                 [](const Finding& a, const Finding& b) { return std::tie(a.line, a.column) < std::tie(b.line, b.column); });
      run->clear();
      out.resize(first_out);
      std::move(merged_.begin(), merged_.end(), std::back_inserter(out));
    }
    return line - first_line;
  }

  // A cell scanned again after its column's phrase: where its text is in again_, and where the
  // cell is in the block.
  struct AgainCell {
    size_t at = 0, value_at = 0, value_size = 0;  // the phrase's and the value's offsets in again_
    size_t column = 0;
    uint64_t line = 0;
    size_t line_start = 0, line_size = 0;  // the cell's record in the block
    bool spans = false;                     // the record spans lines
    internal::CsvCell cell;                // its value is not kept (it points into the splitter)
    CsvTable::Cache::Entry* entry = nullptr;  // where its findings are kept for the value's next rows
  };

  const Engine& engine_;
  std::unique_ptr<Session> session_;
  std::vector<char> buffer_;
  std::vector<Finding> spare_;  // findings flushed, for Add
  Flush flush_;
  uint64_t newlines_ = 0;
  std::unique_ptr<CsvTable> csv_;  // the source being read is a CSV file with a header
  std::vector<Match> matches_;     // a CSV block's matches
  std::vector<internal::CsvCell> cells_;
  std::string again_;              // cells scanned again, each after its phrase, one a line
  std::vector<AgainCell> again_cells_;
  std::vector<Finding> found_again_, found_cached_, merged_;
};

struct Shared {
  std::mutex mu;
  FindingSink* sink;
  FileScanStats stats;
  void Report(std::vector<Finding>& findings) {
    ReportAll(findings);
    findings.clear();
  }
  void ReportAll(const std::vector<Finding>& findings) {
    // Prepared outside the lock (JSON Lines records were a sixth of a scan with many findings),
    // 256 at a time: a piece of a file reports its findings all at once, and its records made
    // in one string of megabytes were slower than the lock. Each thread keeps its buffer.
    thread_local std::string prepared;
    const std::span<const Finding> all(findings);
    for (size_t at = 0; at < all.size(); at += 256) {
      const auto batch = all.subspan(at, std::min<size_t>(256, all.size() - at));
      prepared.clear();
      sink->Prepare(batch, prepared);
      std::lock_guard lock(mu);
      sink->OnBatch(batch, prepared);
    }
  }
  void Problem(const std::string& source, const std::string& message) {
    std::lock_guard lock(mu);
    ++stats.problems;
    sink->OnProblem(source, message);
  }
};

// The file's first bytes (up to 4; fewer for a short or unreadable file), to tell archives apart.
std::string Head(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char head[4] = {};
  ssize_t n = ::read(fd, head, sizeof head);
  ::close(fd);
  return std::string(head, n > 0 ? static_cast<size_t>(n) : 0);
}

// Whether a stored document is read whole as another archive or a PDF, when it is a member of
// one: archives in archives up to this depth, each member up to this size.
constexpr int kNestedDepth = 2;
constexpr zip_uint64_t kNestedBytes = zip_uint64_t{256} << 20;

void ReportOutcome(TextScanner::Outcome outcome, const std::string& source, Shared& shared) {
  if (outcome == TextScanner::Outcome::kBinary) {
    std::lock_guard lock(shared.mu);
    ++shared.stats.skipped_binary;
  } else if (outcome == TextScanner::Outcome::kReadError) {
    shared.Problem(source, "read error: " + std::string(std::strerror(errno)));
  }
}

// Scans text held in memory as a source read from its start.
TextScanner::Outcome ScanData(TextScanner& scanner, std::string_view data, const std::string& source, bool sniff,
                              std::vector<Finding>& found, uint64_t& bytes) {
  size_t at = 0;
  return scanner.Scan(
      [&](char* dst, size_t n) -> long {
        const size_t got = std::min(n, data.size() - at);
        std::memcpy(dst, data.data() + at, got);
        at += got;
        return static_cast<long>(got);
      },
      source, sniff, found, bytes);
}

// A PDF's pages, each a source of its own ("letter.pdf!page2"). Its reader runs in a child
// process (internal/pdf.h): when it fails, what was found is kept and the rest of the PDF is
// reported.
void ScanPdf(TextScanner& scanner, internal::PdfText& pdf, const std::string& name, Shared& shared, std::vector<Finding>& found,
             uint64_t& bytes) {
  std::string text;
  for (int k = 0; k < pdf.pages(); ++k) {
    const std::string source = name + "!page" + std::to_string(k + 1);
    if (!pdf.NextPage(text)) {
      shared.Report(found);
      shared.Problem(source, pdf.error() + "; skipped the rest of the PDF");
      return;
    }
    ScanData(scanner, text, source, false, found, bytes);
  }
}

// An Excel 97-2003 workbook's sheets, each read as a table ("people.xls!Payroll"). The reader
// runs in a child process (internal/xls.h): when it fails, what was found is kept and the rest
// of the workbook is reported.
void ScanXls(TextScanner& scanner, internal::XlsFile& book, const std::string& name, Shared& shared, std::vector<Finding>& found,
             uint64_t& bytes) {
  for (size_t k = 0; k < book.sheets().size(); ++k) {
    const std::string source = name + "!" + book.sheets()[k];
    auto sheet = book.NextSheet();
    if (!sheet && sheet.error().code != ErrorCode::kInternal) {
      shared.Problem(source, sheet.error().message);
      continue;
    }
    if (sheet) {
      auto outcome = scanner.ScanSheet([&](char* dst, size_t n) { return book.Read(dst, n); }, source, std::move(sheet->header),
                                       sheet->header_line, found, bytes);
      if (outcome != TextScanner::Outcome::kReadError) continue;
    }
    shared.Report(found);
    shared.Problem(source, book.error() + "; skipped the rest of the workbook");
    return;
  }
}

// An OpenDocument spreadsheet's sheets, each read as a table ("people.ods!Customers").
void ScanOds(TextScanner& scanner, zip_t* archive, const std::string& name, Shared& shared, std::vector<Finding>& found, uint64_t& bytes) {
  internal::OdsReader ods(archive);
  if (auto started = ods.Start(); !started) {
    shared.Problem(name + "!content.xml", started.error().message);
    return;
  }
  for (;;) {
    auto next = ods.NextSheet();
    if (!next) {
      shared.Report(found);
      shared.Problem(name + "!content.xml", next.error().message + "; skipped the rest of the spreadsheet");
      return;
    }
    if (!*next) return;
    const std::string source = name + "!" + ods.sheet_name();
    auto outcome = scanner.ScanSheet([&](char* dst, size_t n) { return ods.Read(dst, n); }, source, ods.header(), ods.header_line(), found,
                                     bytes);
    if (outcome == TextScanner::Outcome::kReadError) {
      shared.Report(found);
      shared.Problem(source, ods.error() + "; skipped the rest of the spreadsheet");
      return;
    }
  }
}

// An open zip archive (closed by the caller): a workbook's sheets as tables, a document's text
// parts as text, and its members; a member that is itself an archive (an export's workbook, a
// zip in a zip) or a PDF is read whole and scanned as one, `depth` levels down at most.
void ScanZip(TextScanner& scanner, zip_t* archive, const std::string& name, int depth, Shared& shared, std::vector<Finding>& found,
             uint64_t& bytes) {
  // A spreadsheet's sheets are read as tables; its other parts (the author in its properties,
  // comments) as text, as any archive's members.
  std::unique_ptr<internal::Workbook> book;
  if (auto opened = internal::Workbook::Open(archive)) {
    book = std::move(*opened);
  } else if (opened.error().code != ErrorCode::kNotFound) {
    shared.Problem(name + "!" + opened.error().field, opened.error().message + "; the workbook's parts were read as text");
  }
  for (size_t k = 0; book && k < book->sheets().size(); ++k) {
    const std::string source = name + "!" + book->sheets()[k].name;
    internal::SheetReader sheet(*book, k);
    if (auto started = sheet.Start(); !started) {
      shared.Problem(source, started.error().message);
      continue;
    }
    auto outcome = scanner.ScanSheet([&](char* dst, size_t n) { return sheet.Read(dst, n); }, source, sheet.header(), sheet.header_line(),
                                     found, bytes);
    if (outcome == TextScanner::Outcome::kReadError) {
      shared.Report(found);
      shared.Problem(source, sheet.error() + "; skipped the rest of the sheet");
    }
  }
  // A document's or a presentation's text parts are read as their text, a paragraph a line;
  // of its other parts only the properties (the author), custom XML and embedded files.
  // An OpenDocument spreadsheet's sheets, in its content.xml, are read as tables too.
  std::optional<internal::OfficeDocument> document;
  if (!book)
    if (auto opened = internal::OfficeDocument::Open(archive)) document = std::move(*opened);
  const bool ods = document && internal::OdsReader::Is(archive);
  if (ods) ScanOds(scanner, archive, name, shared, found, bytes);
  for (size_t k = 0; document && !ods && k < document->text_parts().size(); ++k) {
    const std::string source = name + "!" + document->text_parts()[k];
    internal::TextPartReader part(archive, document->text_parts()[k]);
    if (auto started = part.Start(); !started) {
      shared.Problem(source, started.error().message);
      continue;
    }
    auto outcome = scanner.Scan([&](char* dst, size_t n) { return part.Read(dst, n); }, source, false, found, bytes);
    if (outcome == TextScanner::Outcome::kReadError) {
      shared.Report(found);
      shared.Problem(source, part.error() + "; skipped the rest of the part");
    }
  }
  zip_int64_t entries = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < entries; ++i) {
    const char* member = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
    std::string source = name + "!" + (member ? member : "?");
    if (member && std::string_view(member).ends_with("/")) continue;
    if (member && book && !book->ReadAsText(member)) continue;
    if (member && document && !document->ReadAsText(member)) continue;
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    if (file == nullptr) {
      shared.Problem(source, "cannot read the archive member (encrypted or unsupported compression)");
      continue;
    }
    // Its first bytes tell an archive or a PDF, read whole (up to kNestedBytes) and scanned as one.
    char head[4];
    const zip_int64_t got = zip_fread(file, head, sizeof head);
    const std::string_view first(head, got > 0 ? static_cast<size_t>(got) : 0);
    zip_stat_t stat;
    const bool sized = zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE) != 0;
    if ((first == "PK\x03\x04" || first == "%PDF" || internal::IsCompoundFile(first)) && depth < kNestedDepth && sized &&
        stat.size <= kNestedBytes) {
      std::string whole(first);
      whole.resize(stat.size);
      const zip_int64_t rest = stat.size > 4 ? zip_fread(file, whole.data() + 4, stat.size - 4) : 0;
      zip_fclose(file);
      if (rest < 0 || static_cast<zip_uint64_t>(rest) + 4 != stat.size) {
        shared.Problem(source, "broken archive member");
        continue;
      }
      if (internal::IsCompoundFile(first)) {  // an .xls workbook; another compound file is read as any member
        if (auto book = internal::XlsFile::FromData(whole)) {
          ScanXls(scanner, **book, source, shared, found, bytes);
        } else if (book.error().code == ErrorCode::kNotFound) {
          ReportOutcome(ScanData(scanner, whole, source, true, found, bytes), source, shared);
        } else {
          shared.Problem(source, book.error().message);
        }
        continue;
      }
      if (first == "%PDF") {
        auto pdf = internal::PdfText::FromData(whole);
        if (!pdf) {
          shared.Problem(source, pdf.error().message);
          continue;
        }
        ScanPdf(scanner, **pdf, source, shared, found, bytes);
        continue;
      }
      zip_error_t error;
      zip_error_init(&error);
      zip_source_t* data = zip_source_buffer_create(whole.data(), whole.size(), 0, &error);
      zip_t* inner = data != nullptr ? zip_open_from_source(data, ZIP_RDONLY, &error) : nullptr;
      zip_error_fini(&error);
      if (inner == nullptr) {
        if (data != nullptr) zip_source_free(data);
        shared.Problem(source, "not a readable zip archive");
        continue;
      }
      ScanZip(scanner, inner, source, depth + 1, shared, found, bytes);
      zip_close(inner);  // frees its source; `whole` is freed after
      continue;
    }
    size_t replay = 0;  // the first bytes, read already, go to the scanner first
    auto outcome = scanner.Scan(
        [&](char* dst, size_t n) -> long {
          if (replay < first.size()) {
            const size_t k = std::min(n, first.size() - replay);
            std::memcpy(dst, first.data() + replay, k);
            replay += k;
            return static_cast<long>(k);
          }
          return static_cast<long>(zip_fread(file, dst, n));
        },
        source, true, found, bytes);
    zip_fclose(file);
    if (got < 0 || outcome == TextScanner::Outcome::kReadError) {
      shared.Report(found);
      shared.Problem(source, "broken archive member; skipped the rest of it");
      continue;
    }
    ReportOutcome(outcome, source, shared);
  }
}

void ScanFile(TextScanner& scanner, const fs::path& path, const FileScanOptions& options, Shared& shared) {
  std::vector<Finding> found;
  uint64_t bytes = 0;
  const std::string name = path.string();
  const std::string head = Head(path);
  // An Excel 97-2003 workbook: its sheets as tables. Another compound file (a Word 97 document)
  // is read as any file.
  std::unique_ptr<internal::XlsFile> xls;
  if (internal::IsCompoundFile(head)) {
    auto opened = internal::XlsFile::Open(name);
    if (!opened && opened.error().code != ErrorCode::kNotFound) {
      shared.Problem(name, opened.error().message);
      return;
    }
    if (opened) xls = std::move(*opened);
  }
  if (xls) {
    ScanXls(scanner, *xls, name, shared, found, bytes);
  } else if (head.starts_with("%PDF")) {
    // A PDF: its pages' text, each page a source of its own ("letter.pdf!page2").
    auto pdf = internal::PdfText::Open(name);
    if (!pdf) {
      shared.Problem(name, pdf.error().message);
      return;
    }
    ScanPdf(scanner, **pdf, name, shared, found, bytes);
  } else if (options.archives && head.starts_with("\x1f\x8b")) {
    gzFile gz = gzopen(name.c_str(), "rb");
    if (gz == nullptr) {
      shared.Problem(name, "cannot open: " + std::string(std::strerror(errno)));
      return;
    }
    gzbuffer(gz, 256 * 1024);
    bool broken = false;
    auto outcome = scanner.Scan(
        [&](char* dst, size_t n) -> long {
          int got = gzread(gz, dst, static_cast<unsigned>(std::min<size_t>(n, 1 << 30)));
          if (got < 0) broken = true;
          return got;
        },
        name, true, found, bytes);
    gzclose(gz);
    if (broken) {
      shared.Report(found);
      shared.Problem(name, "broken gzip data; the rest of the file was skipped");
    } else {
      ReportOutcome(outcome, name, shared);
    }
  } else if (options.archives && head.starts_with("PK\x03\x04")) {
    int err = 0;
    zip_t* archive = zip_open(name.c_str(), ZIP_RDONLY, &err);
    if (archive == nullptr) {
      shared.Problem(name, "not a readable zip archive");
      return;
    }
    ScanZip(scanner, archive, name, 0, shared, found, bytes);
    zip_close(archive);
  } else {
    int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      shared.Problem(name, "cannot open: " + std::string(std::strerror(errno)));
      return;
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    auto outcome = scanner.Scan([&](char* dst, size_t n) -> long { return static_cast<long>(::read(fd, dst, n)); }, name,
                                true, found, bytes);
    ::close(fd);
    ReportOutcome(outcome, name, shared);
  }
  shared.Report(found);
  std::lock_guard lock(shared.mu);
  ++shared.stats.files;
  shared.stats.bytes += bytes;
}

// A plain file larger than FileScanOptions::split_bytes, scanned by several workers at once in
// pieces that start and end at line starts. Each piece's findings are held until the pieces
// before it are reported, then go out in file order with their line numbers made absolute.
struct SplitFile {
  std::string name;
  uint64_t size = 0;
  std::vector<uint64_t> starts;  // piece k is [starts[k], starts[k + 1])
  struct Piece {
    bool done = false;
    std::vector<Finding> found;
    uint64_t newlines = 0;
  };
  std::mutex mu;
  std::vector<Piece> pieces;
  std::optional<internal::CsvHeader> csv_header;  // a CSV file's header, for the pieces after the first
  size_t next = 0;            // the first piece not yet reported
  uint64_t lines_before = 0;  // newlines in the pieces reported
  bool failed = false;        // a read error was reported for the file
};

// The offset of the first line that starts at or after `offset` (the file's size when none does):
// offset itself when the byte before it is a newline.
uint64_t LineStartAtOrAfter(int fd, uint64_t offset, uint64_t size) {
  if (offset == 0) return 0;
  char buf[4096];
  for (uint64_t at = offset - 1; at < size;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(at));
    if (n <= 0) return size;
    if (const void* nl = std::memchr(buf, '\n', static_cast<size_t>(n))) return at + static_cast<uint64_t>(static_cast<const char*>(nl) - buf) + 1;
    at += static_cast<uint64_t>(n);
  }
  return size;
}

// The starts of a CSV file's pieces: for each multiple of split_bytes, the first line start at or
// after it that is not inside a quoted cell (by the quotes' parity from the file's start), so
// that a record whose quoted cell spans lines stays in one piece; when there is none within
// kLongestRecord (a quote never closed, a stray one), the first line start, as for any file.
// Reads the file once. Its first start is 0; `size` is not among them.
std::vector<uint64_t> CsvPieceStarts(int fd, uint64_t size, uint64_t split_bytes) {
  std::vector<uint64_t> starts = {0};
  uint64_t target = split_bytes;
  uint64_t fallback = UINT64_MAX;  // the first line start at or after target, quoted or not
  bool quoted = false;
  std::vector<char> buf(size_t{1} << 20);
  auto choose = [&](uint64_t at) {
    if (at < size && at > starts.back()) starts.push_back(at);
    fallback = UINT64_MAX;
    while (target <= at) target += split_bytes;
  };
  for (uint64_t pos = 0; pos < size && target < size;) {
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(pos));
    if (n <= 0) break;
    for (ssize_t i = 0; i < n && target < size; ++i) {
      if (buf[static_cast<size_t>(i)] == '"') {
        quoted = !quoted;
      } else if (buf[static_cast<size_t>(i)] == '\n' && pos + static_cast<uint64_t>(i) + 1 >= target) {
        const uint64_t line = pos + static_cast<uint64_t>(i) + 1;
        if (fallback == UINT64_MAX) fallback = line;
        if (!quoted) {
          choose(line);
        } else if (line - fallback > kLongestRecord) {
          choose(fallback);
        }
      }
    }
    pos += static_cast<uint64_t>(n);
  }
  if (fallback != UINT64_MAX) choose(fallback);
  return starts;
}

// Plans the pieces of a plain file larger than split_bytes: null for a file scanned whole (small,
// an archive, a PDF, a compound file such as an .xls workbook, unreadable), no pieces for a
// binary one (counted as skipped, as ScanFile would).
std::shared_ptr<SplitFile> PlanSplit(const fs::path& path, const FileScanOptions& options, Shared& shared) {
  std::error_code ec;
  const uint64_t size = fs::file_size(path, ec);
  if (ec || options.split_bytes == 0 || size <= options.split_bytes) return nullptr;
  const std::string head = Head(path);
  if (head.starts_with("%PDF") || internal::IsCompoundFile(head) ||
      (options.archives && (head.starts_with("\x1f\x8b") || head.starts_with("PK\x03\x04"))))
    return nullptr;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;  // ScanFile reports it
  auto split = std::make_shared<SplitFile>();
  char sniff[8192];
  ssize_t got = ::pread(fd, sniff, sizeof sniff, 0);
  if (got > 0 && std::memchr(sniff, 0, static_cast<size_t>(got)) != nullptr) {
    ::close(fd);
    std::lock_guard lock(shared.mu);
    ++shared.stats.skipped_binary;
    ++shared.stats.files;
    return split;  // no pieces: nothing to scan
  }
  split->name = path.string();
  split->size = size;
  if (const std::string_view head_text(sniff, got > 0 ? static_cast<size_t>(got) : 0);
      internal::IsCsvName(split->name) && head_text.find('\n') != std::string_view::npos)
    split->csv_header = internal::ParseCsvHeader(split->name, FirstLine(head_text));
  if (split->csv_header) {
    split->starts = CsvPieceStarts(fd, size, options.split_bytes);  // a record stays in one piece
  } else {
    for (uint64_t at = 0; at < size; at += options.split_bytes) split->starts.push_back(LineStartAtOrAfter(fd, at, size));
  }
  split->starts.push_back(size);
  ::close(fd);
  split->pieces.resize(split->starts.size() - 1);
  return split;
}

// Scans piece k of a split file and reports every piece that is now next in line.
void ScanPiece(TextScanner& scanner, SplitFile& file, size_t k, Shared& shared) {
  const uint64_t from = file.starts[k], to = file.starts[k + 1];
  std::vector<Finding> found;
  uint64_t bytes = 0;
  std::string error;  // why the piece could not be read in full
  int fd = ::open(file.name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
  } else {
    uint64_t at = from;
    auto outcome = scanner.Scan(
        [&](char* dst, size_t n) -> long {
          const size_t want = static_cast<size_t>(std::min<uint64_t>(n, to - at));
          if (want == 0) return 0;
          ssize_t got = ::pread(fd, dst, want, static_cast<off_t>(at));
          if (got > 0) at += static_cast<uint64_t>(got);
          return got;
        },
        file.name, false, found, bytes, true, k == 0 ? nullptr : &file.csv_header);
    if (outcome == TextScanner::Outcome::kReadError) error = std::strerror(errno);
    ::close(fd);
  }
  std::lock_guard lock(file.mu);
  SplitFile::Piece& piece = file.pieces[k];
  piece.done = true;
  piece.found = std::move(found);
  piece.newlines = error.empty() ? scanner.newlines() : 0;
  if (!error.empty() && !file.failed) {
    file.failed = true;
    shared.Problem(file.name, "read error: " + error);
  }
  while (file.next < file.pieces.size() && file.pieces[file.next].done) {
    SplitFile::Piece& ready = file.pieces[file.next];
    for (Finding& f : ready.found) f.line += file.lines_before;
    shared.Report(ready.found);
    ready.found.shrink_to_fit();
    file.lines_before += ready.newlines;
    ++file.next;
  }
  std::lock_guard stats_lock(shared.mu);
  shared.stats.bytes += bytes;
  if (k == 0) ++shared.stats.files;
}

}  // namespace

Result<FileScanStats> ScanPaths(const Engine& engine, const std::vector<std::string>& paths,
                                const FileScanOptions& options, FindingSink& sink) {
  Shared shared{.sink = &sink};
  std::vector<fs::path> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    fs::file_status status = fs::symlink_status(p, ec);
    if (ec || !fs::exists(status)) return Fail(ErrorCode::kInvalidArgument, "no such file or directory", p);
    if (fs::is_regular_file(status)) {
      files.emplace_back(p);
      continue;
    }
    if (!fs::is_directory(status)) continue;
    fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      shared.Problem(p, "cannot list: " + ec.message());
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        shared.Problem(it->path().string(), "cannot list: " + ec.message());
        ec.clear();
        continue;
      }
      std::error_code sec;
      if (it->is_symlink(sec)) continue;
      if (it->is_regular_file(sec)) files.push_back(it->path());
      if (options.max_files && files.size() >= options.max_files) break;
    }
  }
  std::sort(files.begin(), files.end());
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // The work: whole files, and with more than one worker, the pieces of large plain files.
  struct Work {
    size_t file;
    std::shared_ptr<SplitFile> split;  // null: the whole file
    size_t piece = 0;
  };
  std::vector<Work> work_items;
  for (size_t i = 0; i < files.size(); ++i) {
    std::shared_ptr<SplitFile> split = threads > 1 ? PlanSplit(files[i], options, shared) : nullptr;
    if (!split) {
      work_items.push_back({i, nullptr});
      continue;
    }
    for (size_t k = 0; k < split->pieces.size(); ++k) work_items.push_back({i, split, k});
  }
  threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(work_items.size(), 1)));
  std::atomic<size_t> next{0};
  auto work = [&] {
    TextScanner scanner(engine, options.buffer_bytes, [&shared](const std::vector<Finding>& found) { shared.ReportAll(found); });
    for (size_t i = next++; i < work_items.size(); i = next++) {
      if (work_items[i].split) {
        ScanPiece(scanner, *work_items[i].split, work_items[i].piece, shared);
      } else {
        ScanFile(scanner, files[work_items[i].file], options, shared);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return shared.stats;
}

Result<FileScanStats> ScanStream(const Engine& engine, std::istream& in, const std::string& source, FindingSink& sink) {
  Shared shared{.sink = &sink};
  TextScanner scanner(engine, 1 << 20, [&shared](const std::vector<Finding>& found) { shared.ReportAll(found); });
  std::vector<Finding> found;
  FileScanStats stats;
  auto outcome = scanner.Scan(
      [&](char* dst, size_t n) -> long {
        in.read(dst, static_cast<std::streamsize>(n));
        if (in.bad()) return -1;
        return static_cast<long>(in.gcount());
      },
      source, false, found, stats.bytes);
  shared.ReportAll(found);
  if (outcome == TextScanner::Outcome::kReadError) {
    ++stats.problems;
    sink.OnProblem(source, "read error");
  }
  stats.files = 1;
  return stats;
}

// ---- tables ---------------------------------------------------------------------------------

namespace {

// The first of some values of a column: of its earliest batch, the first row's (the same with any
// number of workers).
struct FirstValue {
  uint64_t batch = UINT64_MAX;
  std::string value;
  void Offer(uint64_t from_batch, std::string_view v) {
    if (from_batch < batch) {
      batch = from_batch;
      value = v;
    }
  }
};

// One detector's matches in one column.
struct DetectorTally {
  uint64_t rows = 0;
  double best = 0;
  FirstValue example;  // the example shown: the first match of the earliest batch
};

struct ColumnTally {
  uint64_t sampled = 0;
  std::vector<DetectorTally> matched;  // by detector; rows == 0: none
  uint64_t name_tokens = 0;  // values that are all known first names or surnames
  uint64_t coordinates = 0;  // values that look like a coordinate with >= 4 decimals
  uint64_t words = 0;        // whitespace-separated words over the sampled values (16 at most each)
  // The example shown when the column is a name or a coordinate by these whole-value checks alone
  // (a bare surname or latitude matches no rule).
  FirstValue name_token, coordinate;

  void Add(const ColumnTally& other) {
    sampled += other.sampled;
    name_tokens += other.name_tokens;
    coordinates += other.coordinates;
    words += other.words;
    name_token.Offer(other.name_token.batch, other.name_token.value);
    coordinate.Offer(other.coordinate.batch, other.coordinate.value);
    if (matched.size() < other.matched.size()) matched.resize(other.matched.size());
    for (size_t d = 0; d < other.matched.size(); ++d) {
      const DetectorTally& from = other.matched[d];
      DetectorTally& to = matched[d];
      to.rows += from.rows;
      to.best = std::max(to.best, from.best);
      to.example.Offer(from.example.batch, from.example.value);
    }
  }
};

// A column of free text (notes, messages) rather than one short value per row (a city, a
// company): on average six words or more.
bool FreeText(const ColumnTally& t) { return t.sampled > 0 && t.words >= 6 * t.sampled; }

// A single word of letters (apostrophes and hyphens inside: "O'Brien", "Smith-Jones"), the
// shape of a bare first name or surname in a column.
bool LooksLikeWord(std::string_view v) {
  if (v.size() < 2 || v.size() > 40 || !std::isalpha(static_cast<unsigned char>(v[0]))) return false;
  return std::all_of(v.begin(), v.end(), [](char ch) {
    auto u = static_cast<unsigned char>(ch);
    return std::isalpha(u) || ch == '\'' || ch == '-' || u >= 0x80;
  });
}

bool IsCoordinate(std::string_view v, double limit) {
  size_t dot = v.find('.');
  if (dot == std::string_view::npos || v.size() - dot - 1 < 4) return false;
  char* end = nullptr;
  std::string s(v);
  double d = std::strtod(s.c_str(), &end);
  return end && *end == 0 && d >= -limit && d <= limit && d != 0;
}

// Up to kRows values of one column, one line each: the column's context phrase, then the value
// (newlines made spaces, at most 1 MiB); handed over sooner once kBytes are in, so that queued
// batches of long texts stay small.
struct ColumnBatch {
  static constexpr size_t kRows = 512, kBytes = size_t{4} << 20;
  size_t column = 0;
  uint64_t seq = 0;  // the column's batches in row order
  std::string text;
  std::vector<size_t> starts;  // where each line starts
};

// A session and the tallying of batches with it; one per thread.
class BatchScanner {
 public:
  BatchScanner(const Engine& engine, const TableContext& context)
      : session_(engine.NewSession()), context_(context), seen_row_for_(context.detectors) {}

  // Rows of equal value scan alike (a line's matches depend on the line alone), and columns
  // repeat values (statuses, cities, first names): each distinct value of the batch is scanned
  // once and counted as often as it occurs. The first row with a value comes first, so the
  // example is the one a scan of every row would show.
  void Scan(const ColumnBatch& batch, ColumnTally& t) {
    // Columns of unique values (emails, ids) gain nothing from Distinct and pay a hash-map node
    // per value: after a batch of almost only distinct values, the column's next 15 batches here
    // are scanned as they come.
    if (skip_distinct_.size() <= batch.column) skip_distinct_.resize(batch.column + 1);
    bool repeats = false;
    if (skip_distinct_[batch.column] > 0) {
      --skip_distinct_[batch.column];
    } else {
      Distinct(batch);
      repeats = distinct_.size() < batch.starts.size();
      if (distinct_.size() * 8 > batch.starts.size() * 7) skip_distinct_[batch.column] = 15;
    }
    const std::string& text = repeats ? distinct_text_ : batch.text;
    const std::vector<size_t>& starts = repeats ? distinct_starts_ : batch.starts;
    const size_t prefix = context_.prefix[batch.column].size();
    const std::vector<bool>& hinted = context_.hinted[batch.column];
    if (t.matched.size() < context_.detectors) t.matched.resize(context_.detectors);
    auto rows_of = [&](size_t line) -> uint64_t { return repeats ? counts_[line] : 1; };
    // Whole-value checks the line scanner cannot make: a bare surname, a lone coordinate.
    const auto& names = internal::NameLists::Get();
    for (size_t i = 0; i < starts.size(); ++i) {
      size_t from = starts[i] + prefix, to = (i + 1 < starts.size() ? starts[i + 1] : text.size()) - 1;
      std::string_view v(text.data() + from, to - from);
      const uint64_t rows = rows_of(i);
      t.sampled += rows;
      if (context_.name_detector >= 0 && LooksLikeWord(v) && (names.IsSurname(v) || names.IsFirstName(v))) {
        t.name_tokens += rows;
        t.name_token.Offer(batch.seq, v);
      }
      if (context_.geo_detector >= 0 && v.size() < 32 && IsCoordinate(v, 180)) {
        t.coordinates += rows;
        t.coordinate.Offer(batch.seq, v);
      }
      t.words += CountWords(v, 16) * rows;
    }
    std::fill(seen_row_for_.begin(), seen_row_for_.end(), SIZE_MAX);
    session_->ScanRecords(text, [&](const Match& m) {
      size_t row = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), m.start) - starts.begin()) - 1;
      if (m.start < starts[row] + prefix) return;  // inside the context phrase
      if (seen_row_for_[m.detector] == row) return;
      if (m.detector == context_.name_detector && m.confidence < 0.7 && !hinted[m.detector]) return;
      seen_row_for_[m.detector] = row;
      DetectorTally& d = t.matched[m.detector];
      d.rows += rows_of(row);
      d.best = std::max(d.best, m.confidence);
      d.example.Offer(batch.seq, std::string_view(text).substr(m.start, m.end - m.start));
    });
  }

 private:
  // The batch's distinct lines in the order they first come (distinct_text_, distinct_starts_),
  // with how many rows have each (counts_).
  void Distinct(const ColumnBatch& batch) {
    distinct_.clear();
    distinct_text_.clear();
    distinct_starts_.clear();
    counts_.clear();
    const std::string& text = batch.text;
    for (size_t i = 0; i < batch.starts.size(); ++i) {
      const size_t from = batch.starts[i], to = i + 1 < batch.starts.size() ? batch.starts[i + 1] : text.size();
      const std::string_view line(text.data() + from, to - from);
      auto [it, added] = distinct_.try_emplace(line, counts_.size());
      if (added) {
        distinct_starts_.push_back(distinct_text_.size());
        distinct_text_.append(line);
        counts_.push_back(1);
      } else {
        ++counts_[it->second];
      }
    }
  }

  std::unique_ptr<Session> session_;
  const TableContext& context_;
  std::vector<size_t> seen_row_for_;  // by detector: the last row counted in this batch
  std::unordered_map<std::string_view, size_t> distinct_;  // a line of the batch -> its index in counts_
  std::string distinct_text_;
  std::vector<size_t> distinct_starts_;
  std::vector<uint64_t> counts_;
  std::vector<int> skip_distinct_;  // by column: batches still to scan without Distinct
};

// Scans one table's batches on worker threads while the caller reads rows. Workers start with
// the first batch handed over (a table of fewer rows than a batch per column starts none); when
// every worker is busy and the queue is full, the caller scans the batch itself rather than wait.
class TableWorkers {
 public:
  TableWorkers(const Engine& engine, const TableContext& context, size_t ncols, int workers)
      : engine_(engine), context_(context), ncols_(ncols), workers_(std::max(workers, 0)) {}
  ~TableWorkers() { Stop(); }

  void Submit(ColumnBatch&& batch, BatchScanner& own, std::vector<ColumnTally>& own_tally) {
    if (workers_ > 0) {
      std::unique_lock lock(mu_);
      if (pool_.empty()) Start();
      // Eight batches a worker: a column's batches cost unlike amounts (a column of repeated
      // values, one of emails), and with two the reader, scanning a batch itself, left the
      // workers idle a third of a 1M-row scan (1.69 s -> 1.20 s on two cores).
      if (queue_.size() < 8 * static_cast<size_t>(workers_)) {
        queue_.push_back(std::move(batch));
        ready_.notify_one();
        return;
      }
    }
    own.Scan(batch, own_tally[batch.column]);
  }

  // Waits for the workers and adds what they tallied to `tally`.
  void Finish(std::vector<ColumnTally>& tally) {
    Stop();
    for (const auto& theirs : tallies_)
      for (size_t c = 0; c < ncols_; ++c) tally[c].Add(theirs[c]);
    tallies_.clear();
  }

 private:
  void Start() {  // under mu_
    tallies_.assign(static_cast<size_t>(workers_), std::vector<ColumnTally>(ncols_));
    for (int w = 0; w < workers_; ++w) pool_.emplace_back([this, w] { Work(tallies_[static_cast<size_t>(w)]); });
  }

  void Work(std::vector<ColumnTally>& tally) {
    BatchScanner scanner(engine_, context_);
    for (;;) {
      std::unique_lock lock(mu_);
      ready_.wait(lock, [this] { return closed_ || !queue_.empty(); });
      if (queue_.empty()) return;
      ColumnBatch batch = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      scanner.Scan(batch, tally[batch.column]);
    }
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    ready_.notify_all();
    for (auto& t : pool_) t.join();
    pool_.clear();
  }

  const Engine& engine_;
  const TableContext& context_;
  const size_t ncols_;
  const int workers_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<ColumnBatch> queue_;
  bool closed_ = false;
  std::vector<std::thread> pool_;
  std::vector<std::vector<ColumnTally>> tallies_;  // per worker, by column
};

}  // namespace

Result<TableScanStats> ScanTables(const Engine& engine, connect::Connector& db, const TableScanOptions& options,
                                  FindingSink& sink) {
  ASSIGN_OR_RETURN(connect::Schema schema, db.Introspect());
  for (const std::string& t : options.tables)
    if (!schema.FindTable(t)) return Fail(ErrorCode::kInvalidArgument, "no such table", t);
  TableScanStats stats;
  const auto& detectors = engine.detectors();
  const int name_detector = engine.FindDetector("person_name");
  const int geo_detector = engine.FindDetector("geolocation");
  const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  for (const connect::Table& table : schema.tables) {
    if (!options.tables.empty() && std::find(options.tables.begin(), options.tables.end(), table.name) == options.tables.end())
      continue;
    ++stats.tables;
    const size_t ncols = table.columns.size();
    std::string sql = "SELECT ";
    for (size_t i = 0; i < ncols; ++i) {
      if (i) sql += ", ";
      sql += connect::QuoteIdent(table.columns[i].name);
    }
    sql += " FROM ";
    if (options.full) {
      sql += db.TableName(table.name);
    } else {
      Result<std::string> sample = db.SampleFrom(table.name, options.sample_rows ? options.sample_rows : 10000);
      if (!sample) {
        sink.OnProblem(table.name, sample.error().message);
        continue;
      }
      sql += *sample;
    }

    std::vector<std::string> names;
    for (const auto& column : table.columns) names.push_back(column.name);
    const TableContext context = ContextForColumns(engine, names);
    std::vector<ColumnTally> tally(ncols);
    BatchScanner own(engine, context);
    TableWorkers workers(engine, context, ncols, threads - 1);
    std::vector<ColumnBatch> batch(ncols);
    for (size_t c = 0; c < ncols; ++c) batch[c].column = c;
    auto hand_over = [&](size_t c) {
      if (batch[c].starts.empty()) return;
      ColumnBatch next{.column = c, .seq = batch[c].seq + 1, .text = {}, .starts = {}};
      next.text.reserve(batch[c].text.capacity());
      next.starts.reserve(ColumnBatch::kRows);
      workers.Submit(std::exchange(batch[c], std::move(next)), own, tally);
    };

    Status status = db.RunSelect(sql, {}, ncols, [&](const connect::Row& row) -> Status {
      ++stats.rows;
      for (size_t c = 0; c < ncols; ++c) {
        const connect::Cell& cell = row[c];
        if (cell.null() || cell.text.empty()) continue;
        ColumnBatch& b = batch[c];
        b.starts.push_back(b.text.size());
        b.text += context.prefix[c];
        size_t at = b.text.size();
        b.text.append(std::string_view(cell.text).substr(0, 1 << 20));
        std::replace(b.text.begin() + static_cast<long>(at), b.text.end(), '\n', ' ');
        b.text.push_back('\n');
        if (b.starts.size() >= ColumnBatch::kRows || b.text.size() >= ColumnBatch::kBytes) hand_over(c);
      }
      return Ok();
    });
    if (status)
      for (size_t c = 0; c < ncols; ++c) hand_over(c);
    workers.Finish(tally);
    if (!status) {
      sink.OnProblem(table.name, status.error().message);
      continue;
    }

    // lat/lng pairs: two coordinate columns named like latitude and longitude.
    int lat = -1, lng = -1;
    for (size_t c = 0; c < ncols; ++c) {
      std::string n = AsciiLower(table.columns[c].name);
      bool mostly = tally[c].sampled > 0 && tally[c].coordinates * 2 >= tally[c].sampled;
      if (!mostly) continue;
      if (n == "lat" || n.find("latitude") != std::string::npos || n.ends_with("_lat")) lat = static_cast<int>(c);
      if (n == "lng" || n == "lon" || n == "long" || n.find("longitude") != std::string::npos || n.ends_with("_lng") ||
          n.ends_with("_lon"))
        lng = static_cast<int>(c);
    }

    for (size_t c = 0; c < ncols; ++c) {
      ++stats.columns;
      ColumnTally& t = tally[c];
      if (t.sampled == 0) continue;
      t.matched.resize(detectors.size());
      if (name_detector >= 0 && context.hinted[c][name_detector] && t.name_tokens * 2 >= t.sampled) {
        DetectorTally& d = t.matched[name_detector];
        d.rows = std::max(d.rows, t.name_tokens);
        d.best = std::max(d.best, 0.9);
        if (d.example.value.empty()) d.example.value = t.name_token.value;
      }
      if (geo_detector >= 0 && lat >= 0 && lng >= 0 && (static_cast<int>(c) == lat || static_cast<int>(c) == lng)) {
        DetectorTally& d = t.matched[geo_detector];
        d.rows = std::max(d.rows, t.coordinates);
        d.best = 0.9;
        if (d.example.value.empty()) d.example.value = t.coordinate.value;
      }
      for (size_t det = 0; det < t.matched.size(); ++det) {
        const auto& [count, best, example] = t.matched[det];
        if (count == 0) continue;
        double share = static_cast<double>(count) / static_cast<double>(t.sampled);
        // A name is a weak signal: in a column of short values (cities, companies, job titles)
        // a minority that read like names ("Jackson", "Edwards' Cafe") is that column's own kind
        // of value. Names count there only when most values are names or the column's name says
        // so; in free text a few names are people mentioned in it.
        if (static_cast<int>(det) == name_detector && share < 0.5 && !context.hinted[c][det] && !FreeText(t)) continue;
        // Most values validating makes the column this kind; a few is personal data inside
        // free text, still reported, with the share.
        double confidence = share >= 0.5 ? std::max(best, 0.9) : share >= 0.1 ? best * 0.9 : best * 0.75;
        if (context.hinted[c][det]) confidence = std::min(0.99, confidence + 0.05);
        Finding f;
        f.detector = static_cast<int>(det);
        f.source = table.name;
        f.field = table.columns[c].name;
        f.confidence = confidence;
        f.value = example.value;
        f.sampled = t.sampled;
        f.matched = count;
        sink.OnFinding(f);
      }
    }
  }
  return stats;
}

}  // namespace steward::scan
