// Fuzz target: a workbook's sheet (the input up to its first NUL byte is the sheet's XML, the rest
// its shared strings), read as the scanner reads spreadsheets. The sheet's text is lines of
// tab-delimited cells, each line a record (or empty), none wider than a sheet can be; the header
// is on a line the text has. Scanned whole (ScanPaths on the archive), every sheet finding names
// a cell: a row of the text, a column from 1 to 16,384. The same parts as a Word document's are
// read as its text, and as an OpenDocument file's content: every finding at a line and column;
// and as an OpenDocument spreadsheet's content, read as tables.
#include <unistd.h>
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "scan/internal/csv.h"
#include "scan/internal/office.h"
#include "scan/scan.h"
#include "scan/sources.h"
#include "scan_engine.h"
#include "sheet_text.h"

namespace {
const std::string kWorkbook = R"(<workbook><sheets><sheet name="S" sheetId="1"/></sheets></workbook>)";
const std::string kStyles = R"(<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/></cellXfs></styleSheet>)";

// Every finding of an OpenDocument spreadsheet at a cell of a sheet.
class OdsCheck : public steward::scan::FindingSink {
 public:
  void OnFinding(const steward::scan::Finding& f) override {
    if (f.line == 0 || f.line > 1048576 || f.column == 0 || f.value.empty()) __builtin_trap();
    if (f.source.ends_with("!META-INF/manifest.xml")) return;  // read as text
    if (f.column > 16384) __builtin_trap();
  }
  void OnProblem(const std::string&, const std::string&) override {}
};

class Check : public steward::scan::FindingSink {
 public:
  explicit Check(uint64_t lines) : lines_(lines) {}
  void OnFinding(const steward::scan::Finding& f) override {
    if ((f.source.find("!word/") != std::string::npos || f.source.ends_with("!content.xml")) && (f.line == 0 || f.column == 0 || f.value.empty()))
      __builtin_trap();
    if (!f.source.ends_with("!S")) return;  // another part, read as text
    if (f.line == 0 || f.line > lines_ || f.column == 0 || f.column > 16384 || f.value.empty()) __builtin_trap();
  }
  void OnProblem(const std::string&, const std::string&) override {}

 private:
  uint64_t lines_;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string sheet = input.substr(0, nul);
  const std::string strings = nul == std::string::npos ? std::string() : input.substr(nul + 1);
  const char* tmp = std::getenv("TMPDIR");
  const std::string path = std::string(tmp ? tmp : "/tmp") + "/fuzz-xlsx-" + std::to_string(::getpid()) + ".xlsx";
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (z == nullptr) __builtin_trap();
  zip_file_add(z, "xl/workbook.xml", zip_source_buffer(z, kWorkbook.data(), kWorkbook.size(), 0), 0);
  zip_file_add(z, "xl/styles.xml", zip_source_buffer(z, kStyles.data(), kStyles.size(), 0), 0);
  zip_file_add(z, "xl/worksheets/sheet1.xml", zip_source_buffer(z, sheet.data(), sheet.size(), 0), 0);
  if (nul != std::string::npos) zip_file_add(z, "xl/sharedStrings.xml", zip_source_buffer(z, strings.data(), strings.size(), 0), 0);
  if (zip_close(z) != 0) __builtin_trap();

  uint64_t lines = 0;
  z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (z == nullptr) __builtin_trap();
  if (auto book = steward::scan::internal::Workbook::Open(z)) {
    if ((*book)->sheets().size() != 1) __builtin_trap();
    steward::scan::internal::SheetReader reader(**book, 0);
    if (reader.Start()) {
      std::string text;
      char buf[4096];
      for (long n; (n = reader.Read(buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
      lines = SheetRecords(text, 16384);
      if (reader.header_line() > lines) __builtin_trap();
    }
  }
  zip_close(z);
  Check check(lines);
  if (!steward::scan::ScanPaths(FuzzEngine(), {path}, {.threads = 1}, check)) __builtin_trap();

  // The same parts as a word-processing document's body and comments, read as text.
  z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (z == nullptr) __builtin_trap();
  zip_file_add(z, "word/document.xml", zip_source_buffer(z, sheet.data(), sheet.size(), 0), 0);
  if (nul != std::string::npos) zip_file_add(z, "word/comments.xml", zip_source_buffer(z, strings.data(), strings.size(), 0), 0);
  if (zip_close(z) != 0) __builtin_trap();
  if (!steward::scan::ScanPaths(FuzzEngine(), {path}, {.threads = 1}, check)) __builtin_trap();

  // And as an OpenDocument file's content.
  z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (z == nullptr) __builtin_trap();
  zip_file_add(z, "META-INF/manifest.xml", zip_source_buffer(z, "<manifest/>", 11, 0), 0);
  zip_file_add(z, "content.xml", zip_source_buffer(z, sheet.data(), sheet.size(), 0), 0);
  if (zip_close(z) != 0) __builtin_trap();
  if (!steward::scan::ScanPaths(FuzzEngine(), {path}, {.threads = 1}, check)) __builtin_trap();

  // And as an OpenDocument spreadsheet's: each sheet's text is records no wider than 16,384
  // cells, its header on a line it has, no more than a sheet's 1,048,576 rows; every finding at
  // a cell.
  static const std::string kOdsType = "application/vnd.oasis.opendocument.spreadsheet";
  z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (z == nullptr) __builtin_trap();
  zip_file_add(z, "mimetype", zip_source_buffer(z, kOdsType.data(), kOdsType.size(), 0), 0);
  zip_file_add(z, "META-INF/manifest.xml", zip_source_buffer(z, "<manifest/>", 11, 0), 0);
  zip_file_add(z, "content.xml", zip_source_buffer(z, sheet.data(), sheet.size(), 0), 0);
  if (zip_close(z) != 0) __builtin_trap();
  z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (z == nullptr || !steward::scan::internal::OdsReader::Is(z)) __builtin_trap();
  {
    steward::scan::internal::OdsReader ods(z);
    if (!ods.Start()) __builtin_trap();
    for (auto next = ods.NextSheet(); next && *next; next = ods.NextSheet()) {
      std::string text;
      char buf[4096];
      for (long n; (n = ods.Read(buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
      const uint64_t rows = SheetRecords(text, 16384);
      if (ods.header_line() > rows || rows > 1048576) __builtin_trap();
    }
  }
  zip_close(z);
  OdsCheck ods_check;
  if (!steward::scan::ScanPaths(FuzzEngine(), {path}, {.threads = 1}, ods_check)) __builtin_trap();
  std::remove(path.c_str());
  return 0;
}
