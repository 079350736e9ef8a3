// Fuzz target: a CSV file read as a table (the input is the file; its first line may be a header).
// Every finding lies inside its line; where the value holds no quote, the line holds the value at
// the finding's column (a cell's doubled quotes are the only bytes a value drops); findings come
// in file order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "scan/scan.h"
#include "scan/sources.h"
#include "scan_engine.h"

namespace {
class Check : public steward::scan::FindingSink {
 public:
  explicit Check(std::vector<std::string_view> lines) : lines_(std::move(lines)) {}
  void OnFinding(const steward::scan::Finding& f) override {
    if (f.line == 0 || f.line > lines_.size() || f.column == 0 || f.value.empty()) __builtin_trap();
    const std::string_view line = lines_[f.line - 1];
    if (f.column - 1 + f.value.size() > line.size()) __builtin_trap();
    if (f.value.find('"') == std::string::npos && line.substr(f.column - 1, f.value.size()) != f.value) __builtin_trap();
    if (std::tie(f.line, f.column) < std::tie(last_line_, last_column_)) __builtin_trap();
    last_line_ = f.line;
    last_column_ = f.column;
  }
  void OnProblem(const std::string&, const std::string&) override {}

 private:
  std::vector<std::string_view> lines_;
  uint64_t last_line_ = 0, last_column_ = 0;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  for (size_t at = 0; at <= text.size();) {
    const size_t nl = text.find('\n', at);
    lines.push_back(std::string_view(text).substr(at, (nl == std::string::npos ? text.size() : nl) - at));
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  Check check(std::move(lines));
  std::istringstream in(text);
  if (!steward::scan::ScanStream(FuzzEngine(), in, "fuzz.csv", check)) __builtin_trap();
  return 0;
}
