#include "scan/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <mutex>
#include <span>
#include <tuple>

#include "core/text.h"
#include "scan/internal/office.h"

namespace steward::scan {
namespace {

using nlohmann::json;

std::string CsvCell(std::string_view s) {
  std::string out(s);
  // A cell that starts like a formula is neutralised for spreadsheet users.
  if (!out.empty() && std::string_view("=+-@\t\r").find(out[0]) != std::string_view::npos) out.insert(out.begin(), '\'');
  if (out.find_first_of(",\"\n\r") == std::string::npos) return out;
  std::string quoted = "\"";
  for (char c : out) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

// A spreadsheet cell's reference, "D2".
std::string CellName(const Finding& f) { return internal::ColumnLetters(static_cast<uint32_t>(std::min<uint64_t>(f.column, 16384))) + std::to_string(f.line); }

// A table's column ("customers.ssn"), or a place in a file, with the column of a CSV file's
// cell ("users.csv:3:12 (ssn)"), or a spreadsheet's cell ("staff.xlsx!Payroll!B2 (SSN)").
std::string Where(const Finding& f) {
  if (f.line == 0) return f.source + "." + f.field;
  if (f.cell) {
    const std::string cell = CellName(f);  // a column without a header is named by its letters: not twice
    return f.field.empty() || cell.starts_with(f.field + std::to_string(f.line)) ? fmt::format("{}!{}", f.source, cell)
                                                                              : fmt::format("{}!{} ({})", f.source, cell, f.field);
  }
  if (!f.field.empty()) return fmt::format("{}:{}:{} ({})", f.source, f.line, f.column, f.field);
  return fmt::format("{}:{}:{}", f.source, f.line, f.column);
}

}  // namespace

Result<Format> ParseFormat(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "jsonl") return Format::kJsonl;
  if (name == "csv") return Format::kCsv;
  if (name == "sarif") return Format::kSarif;
  return Fail(ErrorCode::kInvalidArgument, "format must be table, jsonl, csv or sarif", "--format");
}

namespace {
// Masks a value where it lies, byte for byte (Mask, before Printable).
void MaskInPlace(std::span<char> out) {
  const std::string_view value(out.data(), out.size());
  if (const size_t at = value.find('@'); at != std::string_view::npos) {
    for (size_t i = 1; i < at; ++i) out[i] = '*';
    const size_t dot = value.rfind('.');
    for (size_t i = at + 2; i < dot && dot != std::string_view::npos; ++i) out[i] = '*';
    return;
  }
  // Letters and digits (ASCII, as std::isalnum takes them in the C locale) and bytes beyond
  // ASCII are masked, except the first of them and, in a value of over eight bytes, its last four.
  const size_t keep_from = out.size() > 8 ? out.size() - 4 : out.size();
  bool seen = false;
  for (size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (!(static_cast<unsigned char>(c - '0') < 10 || static_cast<unsigned char>((c | 0x20) - 'a') < 26 || c >= 0x80)) continue;
    if (!(i >= keep_from || (!seen && out.size() > 3))) out[i] = '*';
    seen = true;
  }
}

// Printable ASCII without '"' or '\\': written into JSON as it is (what nlohmann writes for it
// too), and left as it is by Printable.
bool PlainJson(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
}
}  // namespace

std::string Mask(std::string_view value) {
  std::string out(value);
  MaskInPlace(out);
  return Printable(out, 200);
}

struct ReportWriter::Impl {
  const Engine& engine;
  ReportOptions options;
  std::ostream& out;
  std::ostream& err;
  std::vector<Finding> findings;
  size_t reported = 0;  // findings at or above min_confidence, kept or not
  std::vector<std::pair<std::string, std::string>> problems;

  std::string Value(const Finding& f) const { return options.show_data ? Printable(f.value, 200) : Mask(f.value); }

  // s as a JSON string: printable ASCII without '"' or '\\' is written as it is (what nlohmann
  // writes for it too); anything else goes through nlohmann. Most values are masked ASCII, and a
  // json::dump per value (a serializer with its buffers each time) was most of a record's cost.
  static void AppendJsonString(std::string& out, std::string_view s) {
    if (PlainJson(s)) {
      out += '"';
      out += s;
      out += '"';
    } else {
      out += json(std::string(s)).dump();
    }
  }

  // One JSON Lines record and its newline, appended to `line` (kept between records, so its
  // capacity is reused): building a json object per finding (a std::map of a dozen members) was
  // a fifth of a JSON Lines scan (perf, 2026-11-29), and a string per record most of what was
  // left of malloc's share. Members in the order nlohmann sorts them, strings and confidences
  // written by nlohmann, counts by std::to_chars (the same digits), so the record is the object
  // nlohmann would write (sources_test checks it). The members a detector fixes are joined once
  // per detector into the pieces between the members that vary.
  // Thread-safe (Prepare): the pieces it joins are made with the writer, and `source` keeps the
  // last source written by the caller's records.
  struct SourceJson {
    std::string source, json;  // a source, and as JSON with the "value" key after it
  };
  void AppendJsonLine(const Finding& f, std::string& line, SourceJson& last) const {
    const auto number = [&line](uint64_t n) {
      char buf[24];
      line.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, n).ptr - buf));
    };
    const DetectorJson& d = detector_json[static_cast<size_t>(f.detector)];
    const bool table = f.line == 0;  // a table's column: counts in place of a line
    line += d.head;
    if (f.cell) {
      line += R"(,"cell":)";
      AppendJsonString(line, CellName(f));
    }
    if (!table) {
      line += R"(,"column":)";
      number(f.column);
    }
    // Confidences are shown to two decimals: their JSON texts are made once each.
    const long hundredths = std::lround(std::clamp(f.confidence, 0.0, 1.0) * 100);
    line += confidence_json[static_cast<size_t>(hundredths)];
    line += d.middle;
    if (!f.field.empty()) {
      line += R"(,"field":)";
      AppendJsonString(line, f.field);
    }
    line += d.label;
    if (table) {
      line += R"(,"matched":)";
      number(f.matched);
      line += R"(,"sampled":)";
      number(f.sampled);
    } else {
      line += R"(,"line":)";
      number(f.line);
    }
    line += d.sensitive;
    if (f.source != last.source || last.json.empty()) {  // a file's findings come together: escape its name once
      last.source = f.source;
      last.json = json(Printable(f.source, 1000)).dump() + R"(,"value":)";
    }
    line += last.json;
    if (!options.show_data && !f.value.empty() && f.value.size() <= 200 && PlainJson(f.value)) {
      // Masked where it is written: the masked value of plain text is plain, and short text is
      // all Printable keeps.
      line += '"';
      const size_t at = line.size();
      line += f.value;
      MaskInPlace(std::span<char>(line.data() + at, f.value.size()));
      line += "\"}\n";
    } else {
      AppendJsonString(line, Value(f));
      line += "}\n";
    }
  }

  // JSON Lines records waiting to be written: out is written 64 KiB at a time, not a record at a
  // time (the stream's write, with its locks and a syscall per few records, was a twentieth of
  // a scan with many findings).
  void Flush() {
    if (line.empty()) return;
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    line.clear();
  }
  struct DetectorJson {
    // The record's pieces a detector fixes: up to its "ccpa", "detector" and "fideslang",
    // "label", "sensitive" and the "source" key.
    std::string head, middle, label, sensitive;
  };
  std::vector<DetectorJson> detector_json;  // per detector
  std::array<std::string, 101> confidence_json;  // per hundredth, with its key
  std::string line;  // JSON Lines records not yet written (Flush)
  SourceJson last;   // of OnFinding's records

  void MakePieces() {
    for (const Detector& d : engine.detectors()) {
      const std::string ccpa = json(std::string(inventory::InfoFor(d.ccpa).letter)).dump(), id = json(d.id).dump(),
                        fideslang = json(d.fideslang).dump(), label = json(d.label).dump(),
                        sensitive = d.sensitive.empty() ? "null" : json(d.sensitive).dump();
      detector_json.push_back({.head = "{\"ccpa\":" + ccpa,
                               .middle = ",\"detector\":" + id + ",\"fideslang\":" + fideslang,
                               .label = ",\"label\":" + label,
                               .sensitive = ",\"sensitive\":" + sensitive + ",\"source\":"});
    }
    for (size_t h = 0; h < confidence_json.size(); ++h)
      confidence_json[h] = R"(,"confidence":)" + json(static_cast<double>(h) / 100).dump();
  }
};

ReportWriter::ReportWriter(const Engine& engine, const ReportOptions& options, std::ostream& out, std::ostream& err)
    : impl_(new Impl{engine, options, out, err}) {
  if (options.format == Format::kJsonl) impl_->MakePieces();
}
ReportWriter::~ReportWriter() { impl_->Flush(); }

const std::vector<Finding>& ReportWriter::findings() const { return impl_->findings; }

void ReportWriter::OnFinding(const Finding& finding) {
  if (finding.confidence < impl_->options.min_confidence) return;
  ++impl_->reported;
  const bool jsonl = impl_->options.format == Format::kJsonl;
  if (!jsonl || impl_->options.keep_findings) impl_->findings.push_back(finding);
  if (jsonl) {
    impl_->AppendJsonLine(finding, impl_->line, impl_->last);
    if (impl_->line.size() >= 64 * 1024) impl_->Flush();
  }
}

void ReportWriter::Prepare(std::span<const Finding> batch, std::string& prepared) const {
  if (impl_->options.format != Format::kJsonl) return;
  Impl::SourceJson last;
  for (const Finding& f : batch)
    if (f.confidence >= impl_->options.min_confidence) impl_->AppendJsonLine(f, prepared, last);
}

void ReportWriter::OnBatch(std::span<const Finding> batch, const std::string& prepared) {
  Impl& m = *impl_;
  if (m.options.format != Format::kJsonl) {
    FindingSink::OnBatch(batch, prepared);
    return;
  }
  for (const Finding& f : batch) {
    if (f.confidence < m.options.min_confidence) continue;
    ++m.reported;
    if (m.options.keep_findings) m.findings.push_back(f);
  }
  if (prepared.size() >= 64 * 1024) {  // written as it is, not copied first
    m.Flush();
    m.out.write(prepared.data(), static_cast<std::streamsize>(prepared.size()));
    return;
  }
  m.line += prepared;
  if (m.line.size() >= 64 * 1024) m.Flush();
}

std::string ReportWriter::RecordJson(const std::vector<DriftItem>& drift) const {
  const Impl& m = *impl_;
  struct Group {
    const Finding* first = nullptr;
    uint64_t count = 0;
    double confidence = 0;
    json lines = json::array();
  };
  std::map<std::tuple<std::string, std::string, int>, Group> groups;
  for (const Finding& f : m.findings) {
    Group& g = groups[{f.source, f.field, f.detector}];
    if (g.first == nullptr) g.first = &f;
    ++g.count;
    g.confidence = std::max(g.confidence, f.confidence);
    if (f.line > 0 && g.lines.size() < 5) g.lines.push_back(f.line);
  }
  json found = json::array();
  for (const auto& [key, g] : groups) {
    const Detector& d = m.engine.detectors()[g.first->detector];
    json j = {{"detector", d.id},
              {"label", d.label},
              {"fideslang", d.fideslang},
              {"ccpa", std::string(inventory::InfoFor(d.ccpa).letter)},
              {"sensitive", d.sensitive.empty() ? json(nullptr) : json(d.sensitive)},
              {"source", Printable(g.first->source, 1000)},
              {"confidence", std::round(g.confidence * 100) / 100},
              {"count", g.count},
              {"example", Mask(g.first->value)}};
    if (!g.first->field.empty()) j["field"] = g.first->field;
    if (g.first->line == 0) {
      j["sampled"] = g.first->sampled;
      j["matched"] = g.first->matched;
    } else {
      j["lines"] = g.lines;
    }
    found.push_back(std::move(j));
  }
  json problems = json::array();
  for (const auto& [source, message] : m.problems) problems.push_back({{"source", Printable(source, 1000)}, {"message", message}});
  json drifted = json::array();
  for (const DriftItem& item : drift) {
    drifted.push_back({{"kind", item.kind == DriftItem::Kind::kUndeclared ? "undeclared" : "not_found"},
                       {"where", item.where},
                       {"detector", item.detector},
                       {"fideslang", item.fideslang},
                       {"ccpa", item.ccpa},
                       {"sensitive", item.sensitive},
                       {"message", item.message}});
  }
  return json{{"findings", std::move(found)}, {"problems", std::move(problems)}, {"drift", std::move(drifted)}}.dump();
}

void ReportWriter::OnProblem(const std::string& source, const std::string& message) {
  impl_->problems.emplace_back(source, message);
  impl_->err << "steward scan: " << Printable(source, 300) << ": " << message << " (skipped)\n";
}

size_t ReportWriter::Finish() {
  Impl& m = *impl_;
  m.Flush();
  std::vector<Finding> sorted;  // JSON Lines went out as found; the other formats are sorted
  if (m.options.format != Format::kJsonl) {
    sorted = m.findings;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.source, a.line, a.column, a.field) < std::tie(b.source, b.line, b.column, b.field);
    });
  }
  const auto& detectors = m.engine.detectors();
  switch (m.options.format) {
    case Format::kJsonl:
      break;
    case Format::kTable: {
      size_t where_width = 8;
      size_t kind_width = 18;  // the longest detector id found, custom ones included
      for (const Finding& f : sorted) {
        where_width = std::min<size_t>(60, std::max(where_width, Where(f).size()));
        kind_width = std::min<size_t>(40, std::max(kind_width, detectors[f.detector].id.size()));
      }
      if (!sorted.empty())
        m.out << fmt::format("{:<{}}  {:<{}} {:<4} {:>5}  {}\n", "LOCATION", where_width, "KIND", kind_width, "CCPA", "CONF", "VALUE");
      for (const Finding& f : sorted) {
        const Detector& d = detectors[f.detector];
        std::string ccpa = std::string(inventory::InfoFor(d.ccpa).letter) + (d.sensitive.empty() ? "" : "*");
        std::string value = m.Value(f);
        if (f.line == 0) value += fmt::format("  ({}/{} sampled values)", f.matched, f.sampled);
        m.out << fmt::format("{:<{}}  {:<{}} {:<4} {:>5.2f}  {}\n", Printable(Where(f), 300), where_width, d.id, kind_width, ccpa,
                             f.confidence, value);
      }
      if (!sorted.empty()) m.out << sorted.size() << " finding(s); * marks sensitive personal information (CCPA category L)\n";
      break;
    }
    case Format::kCsv: {
      m.out << "source,field,line,column,detector,fideslang,ccpa,sensitive,confidence,value,sampled,matched\n";
      for (const Finding& f : sorted) {
        const Detector& d = detectors[f.detector];
        m.out << CsvCell(f.source) << ',' << CsvCell(f.field) << ',' << f.line << ',' << f.column << ',' << d.id << ','
              << d.fideslang << ',' << inventory::InfoFor(d.ccpa).letter << ',' << d.sensitive << ','
              << fmt::format("{:.2f}", f.confidence) << ',' << CsvCell(m.Value(f)) << ',' << f.sampled << ',' << f.matched
              << '\n';
      }
      break;
    }
    case Format::kSarif: {
      json rules = json::array();
      for (const Detector& d : detectors) {
        rules.push_back({{"id", d.id},
                         {"name", d.label},
                         {"shortDescription", {{"text", d.label}}},
                         {"properties",
                          {{"fideslang", d.fideslang},
                           {"ccpa_category", std::string(inventory::InfoFor(d.ccpa).letter)},
                           {"sensitive", d.sensitive},
                           {"tags", {"privacy", "personal-data"}}}}});
      }
      json results = json::array();
      for (const Finding& f : sorted) {
        const Detector& d = detectors[f.detector];
        std::string message = fmt::format("{} ({}CCPA category {}) found{}", d.label, d.sensitive.empty() ? "" : "sensitive, ",
                                          inventory::InfoFor(d.ccpa).letter,
                                          f.line > 0 ? (f.field.empty() ? "" : fmt::format(" in column {}", f.field))
                                                     : fmt::format(" in {} of {} sampled values", f.matched, f.sampled));
        json location;
        if (f.line > 0) {
          location = {{"physicalLocation",
                       {{"artifactLocation", {{"uri", Printable(f.source, 1000)}}},
                        {"region", {{"startLine", f.line}, {"startColumn", f.column}}}}}};
        } else {
          location = {{"logicalLocations", json::array({{{"fullyQualifiedName", f.source + "." + f.field}, {"kind", "member"}}})}};
        }
        results.push_back({{"ruleId", d.id},
                           {"level", d.sensitive.empty() ? "warning" : "error"},
                           {"message", {{"text", message}}},
                           {"locations", {location}},
                           {"properties", {{"confidence", std::round(f.confidence * 100) / 100}}}});
      }
      json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                    {"version", "2.1.0"},
                    {"runs",
                     {{{"tool", {{"driver", {{"name", "steward"}, {"informationUri", "https://github.com/steward-privacy/steward"}, {"rules", rules}}}}},
                       {"results", results}}}}};
      m.out << sarif.dump(2) << '\n';
      break;
    }
  }
  return m.reported;
}

std::string Redact(Session& session, const Engine& engine, std::string_view text, double min_confidence) {
  std::vector<Match> spans;
  session.Scan(text, [&](const Match& m) {
    if (m.confidence >= min_confidence) spans.push_back(m);
  });
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (size_t i = 0; i < spans.size(); ++i) {
    size_t start = std::max(spans[i].start, pos);
    size_t end = spans[i].end;
    std::string label = engine.detectors()[spans[i].detector].id;
    if (end <= pos) continue;
    out.append(text.substr(pos, start - pos));
    out += "[REDACTED:";
    out += label;
    out += ']';
    // A finding across lines (a number wrapped after its area code) keeps its line breaks, so
    // the text after it stays on its line.
    for (size_t k = start; k < end; ++k) {
      if (text[k] != '\n') continue;
      if (k > start && text[k - 1] == '\r') out += '\r';
      out += '\n';
    }
    pos = end;
  }
  out.append(text.substr(pos));
  return out;
}

const Engine& RedactionEngine() {
  static std::shared_ptr<const Engine> engine = [] {
    auto built = Engine::Build({.matcher = MatcherKind::kRe2});
    if (!built) std::abort();  // built-in rules always compile (scan_test)
    return *built;
  }();
  return *engine;
}

}  // namespace steward::scan
