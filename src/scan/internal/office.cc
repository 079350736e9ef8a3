#include "scan/internal/office.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <unordered_set>

#include <fmt/format.h>

namespace steward::scan::internal {
namespace {

// Excel's limits: rows and columns of a sheet, and characters of a cell (in UTF-8, up to four
// bytes each; a longer cell is cut, as the scanner cuts a line longer than its buffer anyway).
constexpr uint64_t kMaxRows = 1048576;
constexpr uint32_t kMaxColumns = 16384;
constexpr size_t kMaxCellBytes = 32767 * 4;
// A sheet's text waiting to be read past this, the parser stops until it is: one 64 KiB piece of
// XML can stand for far more text (each short cell naming a long shared string).
constexpr size_t kPendingBytes = 1 << 20;
constexpr int kChunk = 64 * 1024;

std::string_view Local(const char* name) {
  std::string_view n(name);
  const size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// An attribute's number ("s", "numFmtId"), or `otherwise` when it has none.
int IntAttr(const char* text, int otherwise) {
  int n = 0;
  if (text == nullptr) return otherwise;
  const auto [end, ec] = std::from_chars(text, text + std::strlen(text), n);
  return ec == std::errc() ? n : otherwise;
}

const char* Attr(const char** atts, std::string_view local) {
  for (; atts[0] != nullptr; atts += 2)
    if (Local(atts[0]) == local) return atts[1];
  return nullptr;
}

// Appends UTF-8 text up to `limit` bytes in all, not cutting a character.
void AppendCapped(std::string& to, const char* s, size_t n, size_t limit) {
  if (to.size() >= limit) return;
  if (to.size() + n > limit) {
    n = limit - to.size();
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
  }
  to.append(s, n);
}

// One XML part of the archive, parsed by expat as it is read. The handler's callbacks get local
// names (a generator's "x:sheetData" is "sheetData").
class XmlPart {
 public:
  struct Handler {
    virtual ~Handler() = default;
    virtual void Start(std::string_view name, const char** atts) = 0;
    virtual void End(std::string_view name) = 0;
    virtual void Text(const char* s, int n) = 0;
  };

  XmlPart(zip_t* archive, std::string member, Handler& handler) : archive_(archive), member_(std::move(member)), handler_(handler) {}
  ~XmlPart() {
    if (parser_ != nullptr) XML_ParserFree(parser_);
    if (file_ != nullptr) zip_fclose(file_);
  }
  XmlPart(const XmlPart&) = delete;
  XmlPart& operator=(const XmlPart&) = delete;

  Status Open() {
    file_ = zip_fopen(archive_, member_.c_str(), 0);
    if (file_ == nullptr) return Fail(ErrorCode::kInvalidArgument, "cannot read the part (encrypted or unsupported compression)", member_);
    parser_ = XML_ParserCreate(nullptr);
    if (parser_ == nullptr) return Fail(ErrorCode::kInternal, "out of memory", member_);
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(
        parser_, [](void* self, const char* name, const char** atts) { static_cast<XmlPart*>(self)->handler_.Start(Local(name), atts); },
        [](void* self, const char* name) { static_cast<XmlPart*>(self)->handler_.End(Local(name)); });
    XML_SetCharacterDataHandler(parser_, [](void* self, const char* s, int n) { static_cast<XmlPart*>(self)->handler_.Text(s, n); });
    return Ok();
  }

  // Parses the next piece of the part (or goes on with one the handler stopped in). Returns
  // false once the part is parsed to its end.
  Result<bool> Step() {
    if (finished_) return false;
    stopping_ = false;
    XML_Status status;
    if (suspended_) {
      status = XML_ResumeParser(parser_);
    } else {
      void* buf = XML_GetBuffer(parser_, kChunk);
      if (buf == nullptr) return Fail(ErrorCode::kInternal, "out of memory", member_);
      const zip_int64_t got = zip_fread(file_, buf, kChunk);
      if (got < 0) return Fail(ErrorCode::kInvalidArgument, "broken archive member", member_);
      last_ = got == 0;
      status = XML_ParseBuffer(parser_, static_cast<int>(got), last_);
    }
    suspended_ = status == XML_STATUS_SUSPENDED;
    if (status == XML_STATUS_ERROR)
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("not well-formed XML at line {}: {}", XML_GetCurrentLineNumber(parser_), XML_ErrorString(XML_GetErrorCode(parser_))),
                  member_);
    finished_ = last_ && !suspended_;
    return !finished_;
  }
  Status ParseAll() {
    RETURN_IF_ERROR(Open());
    for (;;) {
      ASSIGN_OR_RETURN(bool more, Step());
      if (!more) return Ok();
    }
  }
  // From a handler: stop after this callback; the next Step goes on.
  // (expat may still call a handler or two after a stop; a second stop is not asked for.)
  void Pause() {
    if (!stopping_) XML_StopParser(parser_, XML_TRUE);
    stopping_ = true;
  }
  // From a handler: stop for good; Step fails.
  void Abort() {
    if (!stopping_) XML_StopParser(parser_, XML_FALSE);
    stopping_ = true;
  }

 private:
  zip_t* archive_;
  std::string member_;
  Handler& handler_;
  zip_file_t* file_ = nullptr;
  XML_Parser parser_ = nullptr;
  bool suspended_ = false, last_ = false, finished_ = false, stopping_ = false;
};

bool HasMember(zip_t* archive, const std::string& member) { return zip_name_locate(archive, member.c_str(), 0) >= 0; }

// A relationship's target as a part name: relative to xl/ (the workbook's folder) unless it
// starts with '/'; "." and ".." resolved.
std::string PartName(std::string_view target) {
  std::string path = target.starts_with('/') ? std::string(target.substr(1)) : "xl/" + std::string(target);
  std::vector<std::string_view> parts;
  std::string_view rest = path;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  std::string out;
  for (const std::string_view p : parts) (out.empty() ? out : out += '/') += p;
  return out;
}

}  // namespace

struct Workbook::Parts {
  zip_t* archive = nullptr;
  std::vector<Sheet> sheets;
  bool date1904 = false;
  std::string shared_member, styles_member;
  std::string shared_text;            // the shared strings, one after another
  std::vector<uint64_t> shared_ends;  // where each ends in shared_text
  std::vector<DateFormat> cell_formats;  // by the cell's style index (cellXfs)
};

namespace {

// xl/_rels/workbook.xml.rels: the parts the workbook refers to, by id, and by type.
struct RelsHandler : XmlPart::Handler {
  std::map<std::string, std::string, std::less<>> by_id;
  std::string shared, styles;
  void Start(std::string_view name, const char** atts) override {
    if (name != "Relationship") return;
    const char* id = Attr(atts, "Id");
    const char* target = Attr(atts, "Target");
    const char* type = Attr(atts, "Type");
    const char* mode = Attr(atts, "TargetMode");
    if (id == nullptr || target == nullptr || (mode != nullptr && std::string_view(mode) == "External")) return;
    by_id[id] = PartName(target);
    const std::string_view t = type != nullptr ? std::string_view(type) : std::string_view();
    if (t.ends_with("/sharedStrings")) shared = PartName(target);
    if (t.ends_with("/styles")) styles = PartName(target);
  }
  void End(std::string_view) override {}
  void Text(const char*, int) override {}
};

// xl/workbook.xml: the sheets in tab order, and the date system.
struct WorkbookHandler : XmlPart::Handler {
  struct Entry {
    std::string name, id, sheet_id;
  };
  std::vector<Entry> sheets;
  bool date1904 = false;
  void Start(std::string_view name, const char** atts) override {
    if (name == "workbookPr") {
      const char* d = Attr(atts, "date1904");
      date1904 = d != nullptr && (std::string_view(d) == "1" || std::string_view(d) == "true");
    } else if (name == "sheet") {
      const char* n = Attr(atts, "name");
      const char* id = Attr(atts, "id");  // r:id
      const char* sid = Attr(atts, "sheetId");
      sheets.push_back({n ? n : "", id ? id : "", sid ? sid : ""});
    }
  }
  void End(std::string_view) override {}
  void Text(const char*, int) override {}
};

// The shared strings: each <si>'s text runs, without its phonetic guides (<rPh>).
struct SharedHandler : XmlPart::Handler {
  Workbook::Parts& parts;
  uint64_t limit;
  XmlPart* part = nullptr;  // the part being parsed, to stop it once over the limit
  bool in_si = false, in_t = false, over = false;
  int in_rph = 0;
  size_t si_start = 0;
  SharedHandler(Workbook::Parts& p, uint64_t max) : parts(p), limit(max) {}
  void Start(std::string_view name, const char**) override {
    if (name == "si") {
      in_si = true;
      si_start = parts.shared_text.size();
    } else if (name == "rPh") {
      ++in_rph;
    } else if (name == "t") {
      in_t = in_si && in_rph == 0;
    }
  }
  void End(std::string_view name) override {
    if (name == "si") {
      in_si = false;
      parts.shared_ends.push_back(parts.shared_text.size());
    } else if (name == "rPh") {
      --in_rph;
    } else if (name == "t") {
      in_t = false;
    }
  }
  void Text(const char* s, int n) override {
    if (!in_t || over) return;
    if (parts.shared_text.size() + static_cast<size_t>(n) > limit) {
      over = true;
      part->Abort();  // no need to read the rest
      return;
    }
    AppendCapped(parts.shared_text, s, static_cast<size_t>(n), si_start + kMaxCellBytes);  // a string longer than a cell is cut, as cells are
  }
};

// xl/styles.xml: which cell formats (cellXfs, by index) show dates.
struct StylesHandler : XmlPart::Handler {
  std::map<int, std::string> codes;  // custom number formats
  std::vector<int> xf_formats;
  bool in_cell_xfs = false;
  void Start(std::string_view name, const char** atts) override {
    if (name == "numFmt") {
      const char* id = Attr(atts, "numFmtId");
      const char* code = Attr(atts, "formatCode");
      if (id != nullptr && code != nullptr) codes[IntAttr(id, -1)] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      xf_formats.push_back(IntAttr(Attr(atts, "numFmtId"), 0));
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs = false;
  }
  void Text(const char*, int) override {}
};

}  // namespace

Result<std::unique_ptr<Workbook>> Workbook::Open(zip_t* archive, uint64_t max_shared_bytes) {
  if (!HasMember(archive, "xl/workbook.xml")) return Fail(ErrorCode::kNotFound, "no workbook in the archive");
  auto parts = std::make_unique<Parts>();
  parts->archive = archive;
  RelsHandler rels;
  if (HasMember(archive, "xl/_rels/workbook.xml.rels")) {
    XmlPart part(archive, "xl/_rels/workbook.xml.rels", rels);
    RETURN_IF_ERROR(part.ParseAll());
  }
  WorkbookHandler book;
  {
    XmlPart part(archive, "xl/workbook.xml", book);
    RETURN_IF_ERROR(part.ParseAll());
  }
  parts->date1904 = book.date1904;
  for (const WorkbookHandler::Entry& e : book.sheets) {
    const auto it = rels.by_id.find(e.id);
    // Without the relationships, the name Excel gives a sheet's part.
    std::string member = it != rels.by_id.end() ? it->second : "xl/worksheets/sheet" + e.sheet_id + ".xml";
    if (HasMember(archive, member)) parts->sheets.push_back({e.name, std::move(member)});  // a chart sheet has no cells
  }
  parts->shared_member = !rels.shared.empty() ? rels.shared : "xl/sharedStrings.xml";
  parts->styles_member = !rels.styles.empty() ? rels.styles : "xl/styles.xml";
  if (HasMember(archive, parts->shared_member)) {
    SharedHandler shared(*parts, max_shared_bytes);
    XmlPart part(archive, parts->shared_member, shared);
    shared.part = &part;
    const Status parsed = part.ParseAll();
    if (shared.over)
      return Fail(ErrorCode::kInvalidArgument, fmt::format("the shared strings exceed {} bytes", max_shared_bytes), parts->shared_member);
    RETURN_IF_ERROR(parsed);
  }
  if (HasMember(archive, parts->styles_member)) {
    StylesHandler styles;
    XmlPart part(archive, parts->styles_member, styles);
    RETURN_IF_ERROR(part.ParseAll());
    for (const int id : styles.xf_formats) {
      const auto code = styles.codes.find(id);
      parts->cell_formats.push_back(DateFormatOf(id, code != styles.codes.end() ? std::string_view(code->second) : std::string_view()));
    }
  }
  return std::unique_ptr<Workbook>(new Workbook(std::move(parts)));
}

Workbook::Workbook(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Workbook::~Workbook() = default;

const std::vector<Workbook::Sheet>& Workbook::sheets() const { return parts_->sheets; }

bool Workbook::ReadAsText(std::string_view member) const {
  if (member == parts_->shared_member || member == parts_->styles_member || member.starts_with("xl/theme/")) return false;
  return std::none_of(parts_->sheets.begin(), parts_->sheets.end(), [&](const Sheet& s) { return s.member == member; });
}

namespace {

// A part's text as a reader makes it: what is made and not yet read waits in `pending`, and the
// parser stops (XmlPart::Pause) while more than kPendingBytes wait.
struct PartText : XmlPart::Handler {
  PartText(zip_t* archive, const std::string& member) : xml(archive, member, *this) {}
  XmlPart xml;
  std::string error;
  std::string pending;  // text not yet read
  size_t taken = 0;     // of pending
  bool done = false;

  virtual void AtEnd() = 0;  // the part is parsed to its end
  void PauseWhenFull() {
    if (pending.size() - taken > kPendingBytes) xml.Pause();
  }
  // Parses the next piece of the part.
  void Step() {
    auto more = xml.Step();
    if (!more) {
      error = more.error().message + " (" + more.error().field + ")";
    } else if (!*more) {
      done = true;
      AtEnd();
    }
  }
  // Parses until `want` bytes wait to be read, or the part ends.
  void Fill(size_t want) {
    while (!done && error.empty() && pending.size() - taken < want) Step();
  }
  long Read(char* dst, size_t n) {
    Fill(n);
    return Take(dst, n);
  }
  // Up to n bytes of what waits, into dst: the count, 0 when nothing waits, -1 after an error.
  long Take(char* dst, size_t n) {
    if (std::min(n, pending.size() - taken) == 0) return error.empty() ? 0 : -1;
    return static_cast<long>(TakePending(pending, taken, dst, n, kPendingBytes));
  }
};

}  // namespace

size_t TakePending(std::string& pending, size_t& taken, char* dst, size_t n, size_t compact_after) {
  const size_t avail = std::min(n, pending.size() - taken);
  std::memcpy(dst, pending.data() + taken, avail);
  taken += avail;
  if (taken == pending.size()) {
    pending.clear();
    taken = 0;
  } else if (taken > compact_after) {
    pending.erase(0, taken);
    taken = 0;
  }
  return avail;
}

SheetLines::SheetLines() { header_.delimiter = '\t'; }

void SheetLines::BeginRow(uint64_t row) {
  row_ = row;
  line_.clear();
  row_cells_.clear();
  line_cols_ = 0;
  has_value_ = false;
}

void SheetLines::Cell(uint32_t column, std::string text) {
  if (text.empty()) return;
  for (char& ch : text)
    if (ch == '\t' || ch == '\n' || ch == '\r') ch = ' ';
  line_.append(line_cols_ == 0 ? column - 1 : column - line_cols_, '\t');
  line_cols_ = column;
  has_value_ = true;
  if (!decided_) row_cells_.emplace_back(column, text);
  if (text.find('"') == std::string::npos) {
    line_ += text;
  } else {
    line_ += '"';
    for (const char ch : text) (ch == '"' ? line_ += "\"\"" : line_ += ch);
    line_ += '"';
  }
}

void SheetLines::EndRow(std::string& out) {
  if (!has_value_) return;  // an empty row is an empty line, as a row left out is
  out.append(row_ - written_ - 1, '\n');
  out += line_;
  out += '\n';
  written_ = row_;
  if (!decided_) DecideHeader(false);
}

void SheetLines::Finish() {
  if (decided_) return;
  row_cells_.clear();
  DecideHeader(true);
}

// Decides the header once a row with values is one, or after kHeaderRows without one (or at
// the sheet's end).
void SheetLines::DecideHeader(bool at_end) {
  std::vector<std::string_view> labels;
  for (const auto& [c, text] : row_cells_) labels.push_back(text);
  const bool is_header = labels.size() >= 2 && IsHeaderRow(labels);
  widest_ = std::max(widest_, row_cells_.empty() ? 0 : row_cells_.back().first);
  if (!is_header && ++rows_read_ < kHeaderRows && !at_end) return;
  decided_ = true;
  for (uint32_t c = 1; c <= std::max(width_, widest_); ++c) header_.names.push_back(ColumnLetters(c));
  if (is_header) {
    for (const auto& [c, text] : row_cells_) header_.names[c - 1] = text;
    header_line_ = written_;
  }
  row_cells_.clear();
}

// A sheet's rows as lines of tab-delimited cells.
struct SheetReader::State : PartText {
  const Workbook::Parts& parts;
  const Workbook::Sheet& sheet;

  uint64_t seen = 0;  // the last row read, with a value or not
  bool in_row = false, in_cell = false, in_value = false, in_inline = false, in_text = false;
  int in_rph = 0;
  uint32_t col = 0, last_col = 0;
  std::string type;
  int style = -1;
  std::string value;
  SheetLines lines;

  State(const Workbook::Parts& p, const Workbook::Sheet& s) : PartText(p.archive, s.member), parts(p), sheet(s) {}

  void Start(std::string_view name, const char** atts) override {
    if (name == "dimension") {
      if (const char* ref = Attr(atts, "ref")) {
        std::string_view r(ref);
        r = r.substr(r.find(':') == std::string_view::npos ? 0 : r.find(':') + 1);
        lines.set_width(std::min(ColumnOf(r), kMaxColumns));
      }
    } else if (name == "row") {
      in_row = true;
      const char* r = Attr(atts, "r");
      uint64_t n = 0;
      if (r != nullptr) std::from_chars(r, r + std::strlen(r), n);
      seen = n > seen && n <= kMaxRows ? n : seen + 1;
      lines.BeginRow(seen);
      last_col = 0;
    } else if (name == "c" && in_row) {
      in_cell = true;
      const char* r = Attr(atts, "r");
      const uint32_t c = r != nullptr ? ColumnOf(r) : 0;
      col = c > last_col && c <= kMaxColumns ? c : last_col + 1;
      last_col = col;
      const char* t = Attr(atts, "t");
      type = t != nullptr ? t : "n";
      style = IntAttr(Attr(atts, "s"), -1);
      value.clear();
    } else if (in_cell) {
      if (name == "v") {
        in_value = true;
      } else if (name == "is") {
        in_inline = true;
      } else if (name == "rPh") {
        ++in_rph;
      } else if (name == "t") {
        in_text = in_inline && in_rph == 0;
      }
    }
  }

  void End(std::string_view name) override {
    if (name == "v") {
      in_value = false;
    } else if (name == "t") {
      in_text = false;
    } else if (name == "rPh") {
      --in_rph;
    } else if (name == "is") {
      in_inline = false;
    } else if (name == "c" && in_cell) {
      in_cell = false;
      if (col <= kMaxColumns) lines.Cell(col, CellText());  // a cell past the sheet's last column is none
    } else if (name == "row" && in_row) {
      in_row = false;
      lines.EndRow(pending);
      PauseWhenFull();
    }
  }

  void Text(const char* s, int n) override {
    if (in_value || in_text) AppendCapped(value, s, static_cast<size_t>(n), kMaxCellBytes);
  }

  // The letters of a cell reference ("BC12") as a column number; 0 when it has none.
  static uint32_t ColumnOf(std::string_view ref) {
    uint32_t c = 0;
    for (const char ch : ref) {
      if (ch < 'A' || ch > 'Z') break;
      c = c * 26 + static_cast<uint32_t>(ch - 'A' + 1);
      if (c > kMaxColumns) return kMaxColumns + 1;
    }
    return c;
  }

  std::string CellText() {
    if (type == "s") {
      size_t k = 0;
      const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), k);
      if (ec != std::errc() || k >= parts.shared_ends.size()) return {};
      const uint64_t start = k == 0 ? 0 : parts.shared_ends[k - 1];
      return parts.shared_text.substr(start, parts.shared_ends[k] - start);
    }
    if (type == "b") return value == "1" ? "TRUE" : value == "0" ? "FALSE" : value;
    if (type == "n" && style >= 0 && static_cast<size_t>(style) < parts.cell_formats.size() && parts.cell_formats[style].date) {
      std::string date = SerialDate(value, parts.date1904, parts.cell_formats[style].time);
      if (!date.empty()) return date;
    }
    return std::move(value);  // inlineStr, str (a formula's text), e (an error), d (ISO), n
  }

  void AtEnd() override { lines.Finish(); }
};

SheetReader::SheetReader(const Workbook& book, size_t sheet)
    : state_(std::make_unique<State>(*book.parts_, book.parts_->sheets.at(sheet))) {}
SheetReader::~SheetReader() = default;

Status SheetReader::Start() {
  if (auto opened = state_->xml.Open(); !opened)
    return Fail(ErrorCode::kInvalidArgument, opened.error().message + " (" + opened.error().field + ")", opened.error().field);
  while (!state_->lines.header_decided() && !state_->done && state_->error.empty()) state_->Fill(state_->pending.size() - state_->taken + 1);
  if (!state_->error.empty()) return Fail(ErrorCode::kInvalidArgument, state_->error, state_->sheet.member);
  return Ok();
}

const CsvHeader& SheetReader::header() const { return state_->lines.header(); }
uint64_t SheetReader::header_line() const { return state_->lines.header_line(); }
const std::string& SheetReader::error() const { return state_->error; }

long SheetReader::Read(char* dst, size_t n) { return state_->Read(dst, n); }

namespace {

bool IsNumbered(std::string_view member, std::string_view prefix, std::string_view suffix) {
  if (!member.starts_with(prefix) || !member.ends_with(suffix) || member.size() <= prefix.size() + suffix.size()) return false;
  const std::string_view n = member.substr(prefix.size(), member.size() - prefix.size() - suffix.size());
  return std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Which parts hold a document's text: Word's body, headers, footers, notes and comments;
// PowerPoint's slides, speaker notes and comments.
bool IsTextPart(std::string_view member) {
  return member == "word/document.xml" || IsNumbered(member, "word/header", ".xml") || IsNumbered(member, "word/footer", ".xml") ||
         member == "word/footnotes.xml" || member == "word/endnotes.xml" || member == "word/comments.xml" ||
         IsNumbered(member, "ppt/slides/slide", ".xml") || IsNumbered(member, "ppt/notesSlides/notesSlide", ".xml") ||
         (member.starts_with("ppt/comments/") && member.ends_with(".xml") && member.find('/', 13) == std::string_view::npos);
}

}  // namespace

Result<OfficeDocument> OfficeDocument::Open(zip_t* archive) {
  OfficeDocument doc;
  if (HasMember(archive, "content.xml") && HasMember(archive, "META-INF/manifest.xml")) {  // OpenDocument
    doc.odf_ = true;
    doc.parts_.emplace_back("content.xml");
    return doc;
  }
  if (!HasMember(archive, "word/document.xml") && !HasMember(archive, "ppt/presentation.xml"))
    return Fail(ErrorCode::kNotFound, "no document in the archive");
  const zip_int64_t entries = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < entries; ++i) {
    const char* member = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
    if (member != nullptr && IsTextPart(member)) doc.parts_.emplace_back(member);
  }
  return doc;
}

bool OfficeDocument::ReadAsText(std::string_view member) const {
  if (odf_) return member == "meta.xml";
  return member.starts_with("docProps/") || member.starts_with("customXml/") || member.starts_with("word/embeddings/") ||
         member.starts_with("ppt/embeddings/");
}

// A text part's paragraphs as lines: the text of its runs (<w:t>, <a:t>, and <w:delText>, deleted
// text tracked changes keep), a tab as a tab and a line break as a blank within its paragraph;
// in a table (<w:tr>, <a:tr>), a row's cells apart by tabs, the row one line. OpenDocument's
// content.xml the same way: the text inside its paragraphs and headings (<text:p>, <text:h>),
// <text:s c="3"/> as three blanks, table rows and cells (<table:table-row>, <table:table-cell>).
struct TextPartReader::State : PartText {
  const bool odf;
  int in_run = 0, in_text = 0, in_row = 0;
  bool written = false;  // the line being written holds something

  State(zip_t* archive, const std::string& member) : PartText(archive, member), odf(member == "content.xml") {}

  void Start(std::string_view name, const char** atts) override {
    if (odf) {
      if (name == "p" || name == "h") {
        ++in_text;
      } else if (name == "table-row") {
        ++in_row;
      } else if (in_text > 0 && (name == "s" || name == "tab" || name == "line-break")) {
        if (name == "s") Append(std::string(static_cast<size_t>(std::clamp(IntAttr(Attr(atts, "c"), 1), 1, 64)), ' '));
        else Append(name == "tab" ? "\t" : " ");
      }
      return;
    }
    if (name == "r") {
      ++in_run;
    } else if (name == "t" || name == "delText") {
      ++in_text;
    } else if (name == "tr") {
      ++in_row;
    } else if (in_run > 0 && (name == "tab" || name == "br" || name == "cr")) {
      Append(name == "tab" ? "\t" : " ");
    }
  }
  void End(std::string_view name) override {
    if (odf) {
      if (name == "p" || name == "h") {
        in_text = std::max(0, in_text - 1);
        in_row > 0 ? Append(" ") : EndLine();
      } else if ((name == "table-cell" || name == "covered-table-cell") && in_row > 0) {
        Append("\t");
      } else if (name == "table-row" && in_row > 0) {
        if (--in_row == 0) EndLine();
      }
      return;
    }
    if (name == "r") {
      in_run = std::max(0, in_run - 1);
    } else if (name == "t" || name == "delText") {
      in_text = std::max(0, in_text - 1);
    } else if (name == "p") {
      in_row > 0 ? Append(" ") : EndLine();  // a paragraph in a table's cell: the cell goes on
    } else if (name == "tc" && in_row > 0) {
      Append("\t");
    } else if (name == "tr" && in_row > 0) {
      if (--in_row == 0) EndLine();  // a table inside a cell stays in its cell's line
    }
  }
  void Text(const char* s, int n) override {
    if (in_text == 0) return;
    const size_t from = pending.size();
    pending.append(s, static_cast<size_t>(n));
    for (size_t i = from; i < pending.size(); ++i)
      if (pending[i] == '\n' || pending[i] == '\r') pending[i] = ' ';
    written = true;
  }
  void Append(std::string_view text) {
    pending += text;
    written = true;
  }
  void EndLine() {
    pending += '\n';
    written = false;
    PauseWhenFull();
  }
  void AtEnd() override {
    if (written) EndLine();
  }
};

// An OpenDocument spreadsheet's content.xml: its top-level tables, one sheet each, their rows
// as lines. The parse stops at each sheet's end (NextSheet goes on) and while 1 MiB waits.
struct OdsReader::State : PartText {
  explicit State(zip_t* archive) : PartText(archive, "content.xml") {}

  // A repeated row or cell with a value is written again up to this many bytes; the rest it
  // stands for (the same values again) are counted, not written.
  static constexpr size_t kRepeatBytes = 16 << 20, kCellRepeatBytes = 1 << 20;

  int table_depth = 0, sheets = 0;
  bool in_sheet = false;       // inside a top-level table
  bool sheet_started = false;  // a sheet began that NextSheet has not yet taken
  bool sheet_ended = false;    // the current sheet's end was read
  std::string name;
  SheetLines lines;
  uint64_t row = 0;  // the sheet's rows so far, repeats counted
  uint64_t row_repeat = 1;
  bool in_row = false;
  std::vector<std::pair<uint32_t, std::string>> cells;  // the row's cells with values
  uint64_t col = 0;
  bool in_cell = false, typed = false;
  uint64_t col_repeat = 1;
  std::string value;   // a typed cell's value, from its attributes; else its text
  std::string number;  // a number's value, for a number cell without text
  int in_p = 0, paragraphs = 0;

  static uint64_t Repeat(const char** atts, std::string_view attr, uint64_t most) {
    const char* text = Attr(atts, attr);
    uint64_t n = 1;
    if (text != nullptr) std::from_chars(text, text + std::strlen(text), n);
    return std::clamp<uint64_t>(n, 1, most);
  }

  void Start(std::string_view tag, const char** atts) override {
    if (tag == "table") {
      if (++table_depth > 1) return;
      if (sheet_ended) {  // expat went on past the stop at the last sheet's end: never seen, not guessed at
        error = "content.xml: a sheet began before the last one was read";
        xml.Abort();
        return;
      }
      const char* n = Attr(atts, "name");
      name = n != nullptr && *n != '\0' ? n : fmt::format("Sheet{}", sheets + 1);
      ++sheets;
      lines = SheetLines();
      row = 0;
      in_sheet = sheet_started = true;
      return;
    }
    if (!in_sheet || table_depth > 1) {
      if (in_cell) CellMarkup(tag, atts);  // a table inside a cell: its text is the cell's
      return;
    }
    if (tag == "table-row") {
      in_row = true;
      row_repeat = Repeat(atts, "number-rows-repeated", kMaxRows);
      cells.clear();
      col = 0;
    } else if ((tag == "table-cell" || tag == "covered-table-cell") && in_row) {
      in_cell = true;
      col_repeat = Repeat(atts, "number-columns-repeated", kMaxColumns);
      value.clear();
      paragraphs = 0;
      const char* type = Attr(atts, "value-type");
      const std::string_view t = type != nullptr ? type : "";
      // A number is read as shown ("000123456789", "536-22-7000" in an SSN's format), or its
      // value when no text is shown; a date and a boolean by their values.
      const char* shown_else = t == "float" || t == "percentage" || t == "currency" ? Attr(atts, "value") : nullptr;
      number = shown_else != nullptr ? shown_else : "";
      const char* v = t == "date" ? Attr(atts, "date-value") : t == "boolean" ? Attr(atts, "boolean-value") : nullptr;
      typed = v != nullptr;
      if (!typed) return;
      value = v;
      if (t == "boolean") value = value == "true" ? "TRUE" : value == "false" ? "FALSE" : value;
      if (t == "date") {  // "1987-03-12T00:00:00.000Z" is the date alone; a time of day after a blank
        if (const size_t at = value.find('T'); at != std::string::npos) {
          const std::string time = value.substr(at + 1, value.find_first_of(".Z+-", at + 1) - at - 1);
          value.resize(at);
          if (!time.empty() && time != "00:00:00") value += " " + time;
        }
      }
    } else if (in_cell) {
      CellMarkup(tag, atts);
    }
  }

  // Markup inside a cell: paragraphs (joined by a blank), spaces, tabs and line breaks.
  void CellMarkup(std::string_view tag, const char** atts) {
    if (tag == "p" || tag == "h") {
      ++in_p;
      if (!typed && paragraphs++ > 0) value += ' ';
    } else if (in_p > 0 && !typed && (tag == "s" || tag == "tab" || tag == "line-break")) {
      value.append(tag == "s" ? static_cast<size_t>(std::clamp(IntAttr(Attr(atts, "c"), 1), 1, 64)) : 1, ' ');
    }
  }

  void End(std::string_view tag) override {
    if (tag == "table") {
      if (--table_depth > 0 || !in_sheet) return;
      in_sheet = false;
      lines.Finish();
      sheet_ended = true;
      xml.Pause();
    } else if ((tag == "p" || tag == "h") && in_p > 0) {
      --in_p;
    } else if (table_depth == 1 && (tag == "table-cell" || tag == "covered-table-cell") && in_cell) {
      in_cell = false;
      if (value.empty()) value = std::move(number);
      uint64_t repeat = col_repeat;
      if (!value.empty()) {
        repeat = std::min<uint64_t>(repeat, std::max<size_t>(1, kCellRepeatBytes / value.size()));
        for (uint64_t k = 0; k < repeat && col < kMaxColumns; ++k) cells.emplace_back(static_cast<uint32_t>(++col), value);
      }
      col = std::min<uint64_t>(kMaxColumns, col + col_repeat - (value.empty() ? 0 : repeat));
    } else if (table_depth == 1 && tag == "table-row" && in_row) {
      in_row = false;
      if (cells.empty()) {
        row = std::min<uint64_t>(kMaxRows, row + row_repeat);
        return;
      }
      size_t bytes = 0;
      for (const auto& [c, text] : cells) bytes += text.size() + 1;
      const uint64_t written = std::min<uint64_t>(row_repeat, std::max<size_t>(1, kRepeatBytes / bytes));
      for (uint64_t k = 0; k < written && row < kMaxRows; ++k) {
        lines.BeginRow(++row);
        for (const auto& [c, text] : cells) lines.Cell(c, text);
        lines.EndRow(pending);
      }
      row = std::min<uint64_t>(kMaxRows, row + row_repeat - written);
      PauseWhenFull();
    }
  }

  void Text(const char* s, int n) override {
    if (in_cell && in_p > 0 && !typed) AppendCapped(value, s, static_cast<size_t>(n), kMaxCellBytes);
  }

  void AtEnd() override {
    if (!in_sheet) return;
    in_sheet = false;
    lines.Finish();
    sheet_ended = true;
  }
};

OdsReader::OdsReader(zip_t* archive) : state_(std::make_unique<State>(archive)) {}
OdsReader::~OdsReader() = default;

bool OdsReader::Is(zip_t* archive) {
  zip_file_t* file = zip_fopen(archive, "mimetype", 0);
  if (file == nullptr) return false;
  char buf[64];
  const zip_int64_t got = zip_fread(file, buf, sizeof buf);
  zip_fclose(file);
  const std::string_view type(buf, got > 0 ? static_cast<size_t>(got) : 0);
  return type.starts_with("application/vnd.oasis.opendocument.spreadsheet") && HasMember(archive, "content.xml");
}

Status OdsReader::Start() {
  if (auto opened = state_->xml.Open(); !opened)
    return Fail(ErrorCode::kInvalidArgument, opened.error().message + " (" + opened.error().field + ")", opened.error().field);
  return Ok();
}

Result<bool> OdsReader::NextSheet() {
  State& s = *state_;
  while (s.in_sheet && !s.sheet_ended && !s.done && s.error.empty()) {  // the last sheet's rest, unread
    s.Step();
    s.pending.clear();
    s.taken = 0;
  }
  s.pending.clear();
  s.taken = 0;
  s.sheet_ended = false;
  while (!s.sheet_started && !s.done && s.error.empty()) s.Step();
  while (s.sheet_started && !s.lines.header_decided() && !s.sheet_ended && !s.done && s.error.empty()) s.Step();
  if (!s.error.empty()) return Fail(ErrorCode::kInvalidArgument, s.error, "content.xml");
  if (!s.sheet_started) return false;
  s.sheet_started = false;
  return true;
}

const std::string& OdsReader::sheet_name() const { return state_->name; }
const CsvHeader& OdsReader::header() const { return state_->lines.header(); }
uint64_t OdsReader::header_line() const { return state_->lines.header_line(); }
const std::string& OdsReader::error() const { return state_->error; }

long OdsReader::Read(char* dst, size_t n) {
  State& s = *state_;
  while (!s.sheet_ended && !s.done && s.error.empty() && s.pending.size() - s.taken < n) s.Step();
  return s.Take(dst, n);
}

TextPartReader::TextPartReader(zip_t* archive, const std::string& member) : state_(std::make_unique<State>(archive, member)) {}
TextPartReader::~TextPartReader() = default;

Status TextPartReader::Start() { return state_->xml.Open(); }
const std::string& TextPartReader::error() const { return state_->error; }

long TextPartReader::Read(char* dst, size_t n) { return state_->Read(dst, n); }

std::string ColumnLetters(uint32_t column) {
  std::string letters;
  for (; column > 0; column = (column - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (column - 1) % 26));
  return letters;
}

std::string SerialDate(std::string_view serial, bool date1904, bool with_time) {
  double v = 0;
  const auto [p, ec] = std::from_chars(serial.data(), serial.data() + serial.size(), v);
  if (ec != std::errc() || p != serial.data() + serial.size() || !(v >= 1 && v < 2958466)) return {};
  using namespace std::chrono;
  const auto whole = static_cast<int>(std::floor(v));
  // 1900 system: day 1 is 1900-01-01, and Excel counts a 29 February 1900 that was not, so from
  // day 61 (1 March) the days run from 30 December 1899. 1904 system: day 0 is 1904-01-01.
  sys_days base = date1904 ? sys_days(year(1904) / January / 1) : whole < 61 ? sys_days(year(1899) / December / 31) : sys_days(year(1899) / December / 30);
  const year_month_day ymd(base + days(whole));
  std::string out = fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  const auto seconds = static_cast<long>(std::lround((v - whole) * 86400));
  if (with_time && seconds > 0 && seconds < 86400) out += fmt::format(" {:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  return out;
}

DateFormat DateFormatOf(int id, std::string_view code) {
  // Built-in formats: 14-17 dates, 22 a date and time, 27-36 and 50-58 East Asian dates.
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return {true, false};
  if (id == 22) return {true, true};
  if (code.empty()) return {};
  DateFormat f;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(code[i])));
    if (c == '"') {
      const size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '[') {
      const size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is shown as it is (or is padding)
    } else if (c == 'y' || c == 'd') {
      f.date = true;
    } else if (c == 'h' || c == 's') {
      f.time = true;
    }
  }
  if (!f.date) f.time = false;
  return f;
}

}  // namespace steward::scan::internal
