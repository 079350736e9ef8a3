#include "cli/scan_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "audit/audit.h"
#include "cli/instance.h"
#include "connect/connector.h"
#include "core/secrets.h"
#include "fulfil/manifest.h"
#include "inventory/inventory.h"
#include "scan/drift.h"
#include "scan/report.h"
#include "scan/sources.h"

namespace steward::cli {
namespace {

int Fail2(const Error& e) {
  if (e.field.empty()) fmt::print(stderr, "steward: error: {}\n", e.message);
  else fmt::print(stderr, "steward: error: {}: {}\n", e.field, e.message);
  return 2;
}

std::string CacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/steward";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/steward";
  return {};
}

bool LooksLikePostgres(const std::string& t) {
  return t.starts_with("postgres://") || t.starts_with("postgresql://") || t.find("dbname=") != std::string::npos ||
         t.find("host=") != std::string::npos;
}

bool IsSqliteFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  in.read(head, sizeof head);
  return in.gcount() == 16 && std::string_view(head, 16) == std::string_view("SQLite format 3\0", 16);
}

struct Against {
  scan::Declared declared;
  std::optional<fulfil::Dataset> dataset;  // when the file is a dataset manifest
};

Result<Against> LoadAgainst(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read the file", path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Against a;
  bool manifest = text.starts_with("dataset:") || text.find("\ndataset:") != std::string::npos;
  if (manifest) {
    ASSIGN_OR_RETURN(fulfil::Dataset d, fulfil::ParseManifest(text, path));
    a.declared.name = path;
    a.declared.per_field = true;
    for (const auto& c : d.collections)
      for (const auto& f : c.fields) a.declared.fields[{c.name, f.name}] = f.categories;
    a.dataset = std::move(d);
  } else {
    ASSIGN_OR_RETURN(inventory::Inventory inv, inventory::LoadInventoryText(text, path));
    a.declared = scan::DeclaredFromInventory(inv);
  }
  return a;
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A target as it may be stored and shown: a DSN's password replaced ("postgresql://u:***@h/db",
// "password=***").
std::string WithoutPassword(const std::string& target) {
  static const RE2 url(R"((://[^:/@\s]*:)[^@\s]*@)");
  static const RE2 keyword(R"((?i)(password\s*=\s*)('[^']*'|\S+))");
  std::string out = target;
  RE2::GlobalReplace(&out, url, "\\1***@");
  RE2::GlobalReplace(&out, keyword, "\\1***");
  return out;
}

Status RecordScan(Instance* instance, const store::ScanRunRow& row) {
  const std::string detail =
      nlohmann::json{{"targets", nlohmann::json::parse(row.targets)}, {"findings", row.findings}, {"undeclared", row.undeclared}}.dump();
  return instance->store().Write([&](store::Transaction& tx) -> Status {
    RETURN_IF_ERROR(tx.InsertScanRun(row));
    return audit::Append(tx, instance->clock().Now(), {"cli", "scan.recorded", row.id, detail});
  });
}

}  // namespace

ScanCommands AddScanCommands(CLI::App& app, ScanArgs& args, std::string& redact_input) {
  ScanCommands cmds;
  auto* scan = app.add_subcommand(
      "scan",
      "Find personal data in files, directories, archives, stdin (-) or databases (a SQLite file or a PostgreSQL DSN).\n"
      "CSV and TSV files with a header, and spreadsheets (.xlsx, .xls, .ods) sheet by sheet, are read as tables: findings name their\n"
      "column (a spreadsheet's findings their cell, Sheet!B2). Word documents and presentations (.docx, .pptx, .odt, .odp)\n"
      "are read as their text, a paragraph a line; PDFs page by page as laid out (letter.pdf!page2).\n"
      "Exit: 0 found, 1 nothing found, 2 error, 3 undeclared personal data with --against");
  scan->add_option("target", args.targets, "Paths, '-', a SQLite file or a PostgreSQL connection string");
  scan->add_option("--format", args.format, "table (values masked), jsonl, csv or sarif");
  scan->add_option("--against", args.against,
                   "An inventory or dataset manifest: report personal data it does not declare (with a manifest and no "
                   "target, its database is scanned)");
  scan->add_option("--only", args.only, "Only these detectors (comma separated)")->delimiter(',');
  scan->add_option("--except", args.except, "Not these detectors (comma separated)")->delimiter(',');
  scan->add_option("--min-confidence", args.min_confidence, "Report findings at least this confident (0-1)")->check(CLI::Range(0.0, 1.0));
  scan->add_flag("--show-data", args.show_data, "Print matched values instead of masking them");
  scan->add_option("--rules", args.rules, "A YAML file of custom detectors");
  scan->add_option("--sample-rows", args.sample_rows, "Databases: rows per table, chosen at random");
  scan->add_flag("--full", args.full, "Databases: every row");
  scan->add_option("--threads", args.threads, "Worker threads for files and tables (default: one per core)");
  scan->add_option("--engine", args.engine, "sqlite or postgres (default: guessed from the target)");
  scan->add_option("--schema", args.schema, "postgres: the schema (default public)");
  scan->add_flag("--re2", args.force_re2, "Use the RE2 matcher instead of Vectorscan");
  scan->add_option("--stdin-name", args.stdin_name,
                   "The name standard input (-) goes by in findings; named .csv or .tsv, it is read as a table with a header "
                   "(psql -c \"COPY users TO STDOUT CSV HEADER\" | steward scan - --stdin-name users.csv)");
  scan->add_flag("--record", args.record,
                 "Keep the result (findings grouped, values masked; drift) in Steward's store, for the admin console");
  cmds.scan = scan;
  auto* redact = app.add_subcommand("redact", "Copy text with personal data replaced by [REDACTED:kind] (stdin by default)");
  redact->add_option("input", redact_input, "A file, or - for standard input");
  redact->add_option("--only", args.only, "Only these detectors")->delimiter(',');
  redact->add_option("--except", args.except, "Not these detectors")->delimiter(',');
  redact->add_option("--min-confidence", args.min_confidence, "Redact findings at least this confident")->check(CLI::Range(0.0, 1.0));
  redact->add_option("--rules", args.rules, "A YAML file of custom detectors");
  cmds.redact = redact;
  return cmds;
}

namespace {
Result<std::shared_ptr<const scan::Engine>> BuildEngine(const ScanArgs& args) {
  return scan::Engine::Build({.matcher = args.force_re2 ? scan::MatcherKind::kRe2 : scan::MatcherKind::kAuto,
                              .only = args.only,
                              .except = args.except,
                              .rules_file = args.rules,
                              .cache_dir = CacheDir()});
}
}  // namespace

int RunScan(const ScanArgs& args) {
  auto format = scan::ParseFormat(args.format);
  if (!format) return Fail2(format.error());
  std::optional<Against> against;
  if (!args.against.empty()) {
    auto a = LoadAgainst(args.against);
    if (!a) return Fail2(a.error());
    against = std::move(*a);
  }
  std::vector<std::string> targets = args.targets;
  std::string engine_name = args.engine, schema = args.schema;
  if (targets.empty() && against && against->dataset) {
    auto dsn = against->dataset->ResolveDsn();
    if (!dsn) return Fail2(dsn.error());
    targets.push_back(*dsn);
    if (engine_name.empty()) engine_name = against->dataset->engine;
    if (schema.empty()) schema = against->dataset->schema;
  }
  if (targets.empty()) return Fail2(MakeError(ErrorCode::kInvalidArgument, "name what to scan (a path, -, or a database)", "target"));
  if (!args.stdin_name.empty() && std::find(targets.begin(), targets.end(), "-") == targets.end())
    return Fail2(MakeError(ErrorCode::kInvalidArgument, "--stdin-name names standard input: add - to the targets", "stdin-name"));
  const int64_t started = NowMillis();
  std::unique_ptr<Instance> instance;  // --record: opened first, so a wrong data dir fails before a long scan
  if (args.record) {
    auto opened = Instance::Open(args.data_dir);
    if (!opened) return Fail2(opened.error());
    instance = std::move(*opened);
  }
  auto engine = BuildEngine(args);
  if (!engine) return Fail2(engine.error());

  scan::ReportWriter report(**engine,
                            {.format = *format,
                             .min_confidence = args.min_confidence,
                             .show_data = args.show_data,
                             .keep_findings = against.has_value() || args.record},
                            std::cout, std::cerr);
  std::vector<std::string> paths;
  for (const std::string& target : targets) {
    std::string engine_for = engine_name;
    if (engine_for.empty()) {
      if (LooksLikePostgres(target)) engine_for = "postgres";
      else if (target != "-" && IsSqliteFile(target)) engine_for = "sqlite";
    }
    if (target == "-") {
      auto stats = scan::ScanStream(**engine, std::cin, args.stdin_name.empty() ? "-" : args.stdin_name, report);
      if (!stats) return Fail2(stats.error());
    } else if (!engine_for.empty()) {
      auto db = connect::Open({.engine = engine_for, .dsn = target, .schema = schema, .read_only = true});
      if (!db) return Fail2(db.error());
      auto stats =
          scan::ScanTables(**engine, **db, {.sample_rows = args.sample_rows, .full = args.full, .threads = args.threads}, report);
      if (!stats) return Fail2(stats.error());
    } else {
      paths.push_back(target);
    }
  }
  if (!paths.empty()) {
    auto stats = scan::ScanPaths(**engine, paths, {.threads = args.threads}, report);
    if (!stats) return Fail2(stats.error());
    if (stats->skipped_binary > 0 && *format == scan::Format::kTable)
      fmt::print(stderr, "steward scan: skipped {} binary file(s)\n", stats->skipped_binary);
  }
  size_t reported = report.Finish();
  std::vector<scan::DriftItem> drift;
  size_t undeclared = 0;
  if (against) {
    drift = scan::CompareWithDeclared(**engine, report.findings(), against->declared);
    for (const auto& item : drift) {
      bool bad = item.kind == scan::DriftItem::Kind::kUndeclared;
      undeclared += bad ? 1 : 0;
      fmt::print(stderr, "{}: {}\n", bad ? "undeclared" : "not found", item.message);
    }
    fmt::print(stderr, "steward scan: {} undeclared finding(s) against {}\n", undeclared, args.against);
  }
  if (args.record) {
    nlohmann::json shown = nlohmann::json::array();
    for (const std::string& t : targets) shown.push_back(WithoutPassword(t));
    store::ScanRunRow row{.id = "scan_" + RandomBase32(10),
                          .started_at = started,
                          .finished_at = NowMillis(),
                          .actor = "cli",
                          .targets = shown.dump(),
                          .against = args.against,
                          .findings = static_cast<int64_t>(reported),
                          .undeclared = static_cast<int64_t>(undeclared),
                          .report = report.RecordJson(drift)};
    if (Status st = RecordScan(instance.get(), row); !st) return Fail2(st.error());
    fmt::print(stderr, "steward scan: recorded as {}\n", row.id);
  }
  if (undeclared > 0) return 3;
  return reported > 0 ? 0 : 1;
}

int RunRedact(const ScanArgs& args, const std::string& input) {
  auto engine = BuildEngine(args);
  if (!engine) return Fail2(engine.error());
  std::ifstream file;
  std::istream* in = &std::cin;
  if (!input.empty() && input != "-") {
    file.open(input, std::ios::binary);
    if (!file) return Fail2(MakeError(ErrorCode::kInvalidArgument, "cannot read the file", input));
    in = &file;
  }
  auto session = (*engine)->NewSession();
  // Line-preserving: whole lines are redacted in blocks of about 1 MiB.
  std::string block, line;
  auto flush = [&] {
    std::cout << scan::Redact(*session, **engine, block, args.min_confidence);
    block.clear();
  };
  while (std::getline(*in, line)) {
    block += line;
    if (!in->eof()) block += '\n';
    if (block.size() >= (1 << 20)) flush();
  }
  flush();
  std::cout.flush();
  if (in->bad()) return Fail2(MakeError(ErrorCode::kInvalidArgument, "read error", input.empty() ? "-" : input));
  return 0;
}

}  // namespace steward::cli
