// Scanner accuracy on labelled data, token by token (presidio-research's method): precision,
// recall and F2 per entity and overall on synth_dataset_v2.json (1,500 sentences), beside
// Presidio's published figures; then column classification of FakeNameGenerator's CSV.
// Usage: accuracy_bench SYNTH_JSON FAKENAME_CSV [MIN_CONFIDENCE]
// ACCURACY_DUMP=ENTITY (e.g. PERSON) lists that entity's missed and false tokens on stderr.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "connect/connector.h"
#include "scan/sources.h"

using namespace steward;

namespace {
// Steward detector → the dataset's entity name.
const std::map<std::string, std::string> kEntityOf = {
    {"email", "EMAIL_ADDRESS"}, {"phone", "PHONE_NUMBER"},      {"credit_card", "CREDIT_CARD"},
    {"iban", "IBAN_CODE"},      {"us_ssn", "US_SSN"},           {"ipv4", "IP_ADDRESS"},
    {"ipv6", "IP_ADDRESS"},     {"person_name", "PERSON"},      {"drivers_license", "US_DRIVER_LICENSE"},
    {"us_street_address", "STREET_ADDRESS"}, {"intl_street_address", "STREET_ADDRESS"}, {"us_zip", "ZIP_CODE"}, {"uk_postcode", "ZIP_CODE"},
    {"date_of_birth", "DATE_TIME"}};
const std::vector<std::string> kClaimed = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE",
                                           "US_SSN", "IP_ADDRESS",    "US_DRIVER_LICENSE"};

struct Counts {
  long tp = 0, fp = 0, fn = 0;
  double P() const { return tp + fp ? double(tp) / double(tp + fp) : 0; }
  double R() const { return tp + fn ? double(tp) / double(tp + fn) : 0; }
  double F2() const { double p = P(), r = R(); return p + r > 0 ? 5 * p * r / (4 * p + r) : 0; }
};

// One CSV record's fields (RFC 4180 quoting: "a, b" and "" inside quotes; records do not span
// lines in this file).
std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char ch = line[i];
    if (quoted && ch == '"' && i + 1 < line.size() && line[i + 1] == '"') fields.back() += '"', ++i;
    else if (ch == '"') quoted = !quoted;
    else if (ch == ',' && !quoted) fields.emplace_back();
    else if (ch != '\r') fields.back() += ch;
  }
  return fields;
}

class Null : public scan::FindingSink {
 public:
  std::vector<scan::Finding> findings;
  void OnFinding(const scan::Finding& f) override { findings.push_back(f); }
  void OnProblem(const std::string&, const std::string&) override {}
};
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: accuracy_bench SYNTH_JSON FAKENAME_CSV [MIN_CONFIDENCE]\n");
    return 2;
  }
  double min_conf = argc > 3 ? std::stod(argv[3]) : 0.5;
  // ACCURACY_DUMP=PERSON prints that entity's missed and false tokens, with their sentence, to stderr.
  const char* dump = std::getenv("ACCURACY_DUMP");
  auto engine = *scan::Engine::Build({.cache_dir = "/tmp/steward-scan-cache"});
  auto session = engine->NewSession();
  std::ifstream in(argv[1]);
  auto data = nlohmann::json::parse(in);
  std::map<std::string, Counts> per;
  for (const auto& item : data) {
    std::string text = item["full_text"];
    std::vector<std::string> gold(text.size()), pred(text.size());
    for (const auto& span : item["spans"])
      for (size_t i = span["start_position"]; i < span["end_position"] && i < text.size(); ++i) gold[i] = span["entity_type"];
    session->Scan(text, [&](const scan::Match& m) {
      if (m.confidence < min_conf) return;
      auto it = kEntityOf.find(engine->detectors()[m.detector].id);
      if (it == kEntityOf.end()) return;
      for (size_t i = m.start; i < m.end; ++i) pred[i] = it->second;
    });
    // Tokens: maximal runs of non-space bytes; a token's label is that of its first labelled byte.
    for (size_t i = 0; i < text.size();) {
      if (std::isspace(static_cast<unsigned char>(text[i]))) { ++i; continue; }
      size_t j = i;
      std::string g, p;
      while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) {
        if (g.empty()) g = gold[j];
        if (p.empty()) p = pred[j];
        ++j;
      }
      if (!g.empty() && g == p) ++per[g].tp;
      else {
        if (dump && (g == dump || p == dump))
          fmt::print(stderr, "{} {:<28} in: {}\n", g == dump ? "missed" : "false ", text.substr(i, j - i), text);
        if (!g.empty()) ++per[g].fn;
        if (!p.empty()) ++per[p].fp;
      }
      i = j;
    }
  }
  fmt::print("bench/accuracy: synth_dataset_v2.json, {} sentences, token level, min confidence {}\n", data.size(), min_conf);
  fmt::print("  {:<18} {:>9} {:>7} {:>7}   {}\n", "entity", "precision", "recall", "F2", "tokens tp/fp/fn");
  Counts claimed, all;
  for (const auto& [entity, c] : per) {
    fmt::print("  {:<18} {:>9.3f} {:>7.3f} {:>7.3f}   {}/{}/{}{}\n", entity, c.P(), c.R(), c.F2(), c.tp, c.fp, c.fn,
               std::find(kClaimed.begin(), kClaimed.end(), entity) == kClaimed.end() ? "  (not claimed)" : "");
    all.tp += c.tp, all.fp += c.fp, all.fn += c.fn;
    if (std::find(kClaimed.begin(), kClaimed.end(), entity) != kClaimed.end()) claimed.tp += c.tp, claimed.fp += c.fp, claimed.fn += c.fn;
  }
  fmt::print("  overall, claimed entities  P {:.3f} R {:.3f} F2 {:.3f}   (Presidio published: P 0.685 R 0.603 F2 0.618; ratio {:.2f}x)\n",
             claimed.P(), claimed.R(), claimed.F2(), claimed.F2() / 0.618);
  fmt::print("  overall, every label       P {:.3f} R {:.3f} F2 {:.3f}   (includes GPE/ORGANIZATION/TITLE/NRP/AGE Steward does not detect)\n",
             all.P(), all.R(), all.F2());

  // Column classification: FakeNameGenerator's identities in a SQLite table.
  std::ifstream csv(argv[2]);
  std::string header;
  std::getline(csv, header);
  if (header.rfind("\xEF\xBB\xBF", 0) == 0) header.erase(0, 3);
  std::vector<std::string> columns = SplitCsv(header);
  std::string db_path = "/tmp/steward-accuracy-fng.db";
  std::filesystem::remove(db_path);
  auto db = *connect::Open({.engine = "sqlite", .dsn = db_path});
  std::string ddl = "CREATE TABLE people (";
  for (size_t i = 0; i < columns.size(); ++i) ddl += (i ? ", " : "") + connect::QuoteIdent(columns[i]) + " TEXT";
  (void)db->ExecScript(ddl + ");");
  std::vector<connect::Row> rows;
  for (std::string line; std::getline(csv, line);) {
    connect::Row row;
    for (std::string& cell : SplitCsv(line)) row.push_back(connect::Cell::Text(std::move(cell)));
    row.resize(columns.size());
    rows.push_back(std::move(row));
  }
  (void)db->BulkInsert("people", columns, rows);
  Null sink;
  (void)scan::ScanTables(*engine, *db, {.full = true}, sink);
  std::map<std::string, std::vector<std::string>> found;
  for (const auto& f : sink.findings)
    if (f.confidence >= min_conf)
      found[f.field].push_back(fmt::format("{} ({}/{}, {:.2f})", engine->detectors()[f.detector].id, f.matched, f.sampled, f.confidence));
  fmt::print("column classification, FakeNameGenerator.com_3000.csv ({} rows):\n", rows.size());
  for (const std::string& c : columns) {
    std::string kinds;
    for (const auto& k : found[c]) kinds += (kinds.empty() ? "" : ", ") + k;
    fmt::print("  {:<22} {}\n", c, kinds.empty() ? "-" : kinds);
  }
  return 0;
}
