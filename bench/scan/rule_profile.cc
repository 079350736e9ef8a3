// Per-rule Vectorscan cost: compiles each built-in rule alone and scans a file with it, printing
// MB/s and raw hits, then the whole set together. Finds the patterns that slow the database down.
// Usage: scan_rule_profile FILE [PATTERN...]; scan_rule_profile --patterns [--except DETECTOR] prints
// the built-in patterns one per line (bench/scan gives them to ripgrep). TOGETHER_ONLY=1 times only
// the given patterns' database, not each pattern alone (for instruction counts under callgrind).
// --gate FILE times the gate; --engine FILE the whole engine (no name rules) on FILE in 1 MiB
// blocks, tuned and with each fixed count of inert literals (engine.cc).
#include <hs/hs.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "scan/internal/gate.h"
#include "scan/internal/rules.h"
#include "scan/scan.h"

namespace {

struct Result {
  double seconds = 0;
  unsigned long long hits = 0;
  bool ok = false;
};

int Count(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  ++*static_cast<unsigned long long*>(ctx);
  return 0;
}

Result Run(const std::vector<const char*>& patterns, const std::string& text) {
  Result r;
  static const unsigned extra = std::getenv("HS_EXTRA_FLAGS") ? static_cast<unsigned>(std::atoi(std::getenv("HS_EXTRA_FLAGS"))) : 0;
  std::vector<unsigned> flags(patterns.size(), extra), ids(patterns.size());
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<unsigned>(i);
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(patterns.data(), flags.data(), ids.data(), static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK,
                       nullptr, &db, &error) != HS_SUCCESS) {
    std::fprintf(stderr, "compile: %s\n", error->message);
    hs_free_compile_error(error);
    return r;
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  // The best of five scans: this machine's timings are noisy.
  for (int k = 0; k < 5; ++k) {
    r.hits = 0;
    auto start = std::chrono::steady_clock::now();
    hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch, Count, &r.hits);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.seconds = k == 0 ? seconds : std::min(r.seconds, seconds);
  }
  r.ok = true;
  hs_free_scratch(scratch);
  hs_free_database(db);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: scan_rule_profile FILE [PATTERN...] | --patterns [--except DETECTOR] | --gate FILE | --engine FILE\n");
    return 2;
  }
  if (std::string(argv[1]) == "--expressions") {  // the Vectorscan expressions of one database, one per line
    bool class_led = argc > 2 && std::string(argv[2]) == "class";
    auto set = steward::scan::internal::BuiltinRules();
    for (const auto& rule : set.rules) {
      if (rule.class_led != class_led || (argc > 3 && set.detectors[rule.detector].id == argv[3])) continue;
      if (rule.prefilter.empty()) std::printf("%s\n", rule.pattern.c_str());
      for (const auto& p : rule.prefilter) std::printf("%s\n", p.c_str());
    }
    return 0;
  }
  if (std::string(argv[1]) == "--patterns") {  // the built-in patterns, for ripgrep -f
    std::string except = argc > 3 && std::string(argv[2]) == "--except" ? argv[3] : "";
    auto set = steward::scan::internal::BuiltinRules();
    for (const auto& rule : set.rules)
      if (set.detectors[rule.detector].id != except) std::printf("%s\n", rule.pattern.c_str());
    return 0;
  }
  if (std::string(argv[1]) == "--engine" && argc > 2) {  // the whole engine, without the name rules, by inert literal count
    std::ifstream ein(argv[2], std::ios::binary);
    std::stringstream ess;
    ess << ein.rdbuf();
    const std::string text = ess.str();
    const char* tmp = std::getenv("TMPDIR");
    const std::string cache = std::string(tmp ? tmp : "/tmp") + "/steward-scan-cache";
    for (int pads : {-1, 0, 32, 96, 160}) {
      auto engine = steward::scan::Engine::Build({.except = {"person_name"}, .cache_dir = cache, .matcher_pads = pads});
      if (!engine) return 1;
      auto session = (*engine)->NewSession();
      double best = 1e9;
      size_t found = 0;
      for (int run = 0; run < 5; ++run) {
        found = 0;
        const auto t0 = std::chrono::steady_clock::now();
        for (size_t at = 0; at < text.size();) {  // 1 MiB blocks cut at a line's end, as the file scanner reads
          size_t end = std::min(text.size(), at + (size_t{1} << 20));
          if (end < text.size()) end = text.rfind('\n', end - 1) + 1;
          session->Scan(std::string_view(text).substr(at, end - at), [&found](const steward::scan::Match&) { ++found; });
          at = end;
        }
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      }
      std::printf("engine, %s: %.0f MB/s, %zu matches\n", pads < 0 ? "tuned" : (std::to_string(pads) + " inert literals").c_str(),
                  text.size() / best / 1e6, found);
    }
    return 0;
  }
  if (std::string(argv[1]) == "--gate" && argc > 2) {  // lines and bytes the gate passes per shape, and its MB/s
    std::ifstream gin(argv[2], std::ios::binary);
    std::stringstream gss;
    gss << gin.rdbuf();
    const std::string text = gss.str();
    auto set = steward::scan::internal::BuiltinRules();
    uint32_t wanted = 0, all = 0;
    for (const auto& rule : set.rules) {
      all |= rule.shape;
      if (set.detectors[rule.detector].id != "person_name") wanted |= rule.shape;
    }
    std::vector<steward::scan::internal::LineRange> lines;
    // The best of five runs, with the name shapes first (GATE_NAMES_ONLY=1 times only that, for
    // callgrind), then without.
    auto best_rate = [&](uint32_t shapes) {
      double best = 1e9;
      for (int run = 0; run < 5; ++run) {
        lines.clear();
        const auto t0 = std::chrono::steady_clock::now();
        steward::scan::internal::GateLines(text, shapes, lines);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      }
      return text.size() / best / 1e6;
    };
    double rate = best_rate(all);
    std::printf("gate (with names): %.0f MB/s, %zu lines\n", rate, lines.size());
    if (std::getenv("GATE_NAMES_ONLY") != nullptr) return 0;
    rate = best_rate(wanted);
    std::printf("gate (no names): %.0f MB/s, %zu lines\n", rate, lines.size());
    for (int bit = 0; bit < 32; ++bit) {
      size_t count = 0, bytes = 0;
      for (const auto& l : lines)
        if (l.shapes & (1u << bit)) ++count, bytes += l.to - l.from;
      if (count) std::printf("  shape bit %2d: %8zu lines, %10zu bytes\n", bit, count, bytes);
    }
    return 0;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  double mb = static_cast<double>(text.size()) / 1048576.0;
  if (argc > 2) {  // patterns given on the command line: profile those instead
    std::vector<const char*> given(argv + 2, argv + argc);
    const bool together_only = std::getenv("TOGETHER_ONLY") != nullptr;  // only the database of all of them
    for (const char* p : given) {
      if (together_only) break;
      Result r = Run({p}, text);
      std::printf("%8.0f MB/s %10llu hits  %.70s\n", r.ok ? mb / r.seconds : 0.0, r.hits, p);
    }
    Result r = Run(given, text);
    std::printf("together %8.0f MB/s %llu hits\n", mb / r.seconds, r.hits);
    return 0;
  }
  auto set = steward::scan::internal::BuiltinRules();
  std::vector<const char*> all;
  for (size_t i = 0; i < set.rules.size(); ++i) {
    const auto& rule = set.rules[i];
    std::vector<const char*> mine;
    if (rule.prefilter.empty()) mine.push_back(rule.pattern.c_str());
    for (const auto& p : rule.prefilter) mine.push_back(p.c_str());
    all.insert(all.end(), mine.begin(), mine.end());
    Result r = Run(mine, text);
    std::printf("%3zu %-18s %8.0f MB/s %10llu hits  %.60s\n", i, set.detectors[rule.detector].id.c_str(),
                r.ok ? mb / r.seconds : 0.0, r.hits, rule.pattern.c_str());
  }
  for (size_t d = 0; d < set.detectors.size(); ++d) {  // each detector's rules together
    std::vector<const char*> mine;
    for (const auto& rule : set.rules) {
      if (rule.detector != static_cast<int>(d)) continue;
      if (rule.prefilter.empty()) mine.push_back(rule.pattern.c_str());
      for (const auto& p : rule.prefilter) mine.push_back(p.c_str());
    }
    std::vector<const char*> others;
    for (const auto& rule : set.rules) {
      if (rule.detector == static_cast<int>(d)) continue;
      if (rule.prefilter.empty()) others.push_back(rule.pattern.c_str());
      for (const auto& p : rule.prefilter) others.push_back(p.c_str());
    }
    Result r = Run(mine, text), rest = Run(others, text);
    std::printf("detector %-18s %8.0f MB/s %10llu hits; all others %6.0f MB/s\n", set.detectors[d].id.c_str(),
                r.ok ? mb / r.seconds : 0.0, r.hits, rest.ok ? mb / rest.seconds : 0.0);
  }
  Result r = Run(all, text);
  std::printf("all %8.0f MB/s %llu hits\n", mb / r.seconds, r.hits);
  for (int kind : {0, 1, 2}) {  // the two databases the engine builds; the first without names
    const bool class_led = kind == 2;
    std::vector<const char*> group;
    for (const auto& rule : set.rules) {
      if (rule.class_led != class_led) continue;
      if (kind == 1 && set.detectors[rule.detector].id == "person_name") continue;
      if (rule.prefilter.empty()) group.push_back(rule.pattern.c_str());
      for (const auto& p : rule.prefilter) group.push_back(p.c_str());
    }
    Result g = Run(group, text);
    std::printf("%s database %8.0f MB/s %llu hits\n", kind == 2 ? "class-led" : kind == 1 ? "literal (no names)" : "literal",
                mb / g.seconds, g.hits);
  }
  return 0;
}
