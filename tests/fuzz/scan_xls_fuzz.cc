// Fuzz target: an Excel 97-2003 workbook (the input is the file's bytes), read as the scanner
// reads one: through FreeXL, sheet by sheet, as tables. Each sheet's text is lines of
// tab-delimited cells, each line a record (or empty), none wider than a sheet's 16,384 columns
// (BIFF8 has 256, but a broken file declares up to 65,535); the header is on a line the text
// has. Scanned whole (ScanPaths on the file), every finding in a sheet names a cell: a row of
// its text, a column from 1 to 16,384; a file that is no workbook is
// read as any file. A file FreeXL cannot read is reported, never a crash. FreeXL itself is Debian's build, not instrumented: this finds what
// crashes or hangs it (in the reader's child process, where a crash is a reported problem) and
// what the reader does with what it returns.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scan/internal/xls.h"
#include "scan/scan.h"
#include "scan/sources.h"
#include "scan_engine.h"
#include "sheet_text.h"

namespace {
class Check : public steward::scan::FindingSink {
 public:
  explicit Check(const std::map<std::string, uint64_t>& lines) : lines_(lines) {}
  void OnFinding(const steward::scan::Finding& f) override {
    if (f.line == 0 || f.column == 0 || f.value.empty()) __builtin_trap();
    const size_t bang = f.source.rfind('!');
    if (bang == std::string::npos) return;  // no workbook: the file read as any file
    const auto sheet = lines_.find(f.source.substr(bang + 1));
    if (sheet != lines_.end() && f.line > sheet->second) __builtin_trap();
    if (f.column > 16384) __builtin_trap();
  }
  void OnProblem(const std::string&, const std::string&) override {}

 private:
  const std::map<std::string, uint64_t>& lines_;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* tmp = std::getenv("TMPDIR");
  const std::string path = std::string(tmp ? tmp : "/tmp") + "/fuzz-xls-" + std::to_string(::getpid()) + ".xls";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) __builtin_trap();
  }
  std::map<std::string, uint64_t> lines;  // each sheet's lines, by name (the last of a repeated name)
  if (auto book = steward::scan::internal::XlsFile::Open(path)) {
    for (size_t k = 0; k < (*book)->sheets().size(); ++k) {
      auto sheet = (*book)->NextSheet();
      if (!sheet && sheet.error().code == steward::ErrorCode::kInternal) break;  // the reader died
      if (!sheet) continue;
      std::string text;
      char buf[4096];
      long n;
      while ((n = (*book)->Read(buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
      if (n < 0) break;
      const uint64_t count = SheetRecords(text, 16384);
      if (sheet->header_line > count) __builtin_trap();
      lines[(*book)->sheets()[k]] = std::max(lines[(*book)->sheets()[k]], count);
    }
  }
  Check check(lines);
  if (!steward::scan::ScanPaths(FuzzEngine(), {path}, {.threads = 1}, check)) __builtin_trap();
  std::remove(path.c_str());
  return 0;
}
