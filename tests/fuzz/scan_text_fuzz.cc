// Fuzz target: the scanner on arbitrary bytes. Both matchers must report the same matches,
// every span must lie inside the input, and redaction must never lose a line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "scan/report.h"
#include "scan/scan.h"

namespace {
const steward::scan::Engine& Get(steward::scan::MatcherKind kind) {
  static std::shared_ptr<const steward::scan::Engine> engines[3];
  auto& e = engines[static_cast<int>(kind)];
  if (!e) {
    const char* tmp = std::getenv("TMPDIR");
    auto built = steward::scan::Engine::Build({.matcher = kind, .cache_dir = std::string(tmp ? tmp : "/tmp") + "/steward-scan-cache"});
    if (!built) __builtin_trap();
    e = *built;
  }
  return *e;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::tuple<int, size_t, size_t, double>> found[2];
  int i = 0;
  for (auto kind : {steward::scan::MatcherKind::kVectorscan, steward::scan::MatcherKind::kRe2}) {
    const auto& engine = Get(kind);
    engine.NewSession()->Scan(text, [&](const steward::scan::Match& m) {
      if (m.start >= m.end || m.end > size || m.detector < 0 ||
          static_cast<size_t>(m.detector) >= engine.detectors().size())
        __builtin_trap();
      found[i].emplace_back(m.detector, m.start, m.end, m.confidence);
    });
    ++i;
  }
  if (found[0] != found[1]) __builtin_trap();
  const auto& engine = Get(steward::scan::MatcherKind::kRe2);
  auto session = engine.NewSession();
  std::string redacted = steward::scan::Redact(*session, engine, text);
  size_t lines_in = 0, lines_out = 0;
  for (char c : text) lines_in += c == '\n';
  for (char c : redacted) lines_out += c == '\n';
  if (lines_in != lines_out) __builtin_trap();
  return 0;
}
