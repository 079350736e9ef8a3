// `steward scan` and `steward redact`: the scanner's command-line face.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace steward::cli {

struct ScanArgs {
  std::vector<std::string> targets;  // paths, "-", a SQLite file, or a PostgreSQL DSN
  std::string format = "table";
  std::string against;
  std::vector<std::string> only, except;
  double min_confidence = 0.5;
  bool show_data = false;
  std::string rules;
  uint64_t sample_rows = 10000;
  bool full = false;
  int threads = 0;
  std::string engine;  // sqlite | postgres; empty: guessed from the target
  std::string schema;
  bool force_re2 = false;
  bool record = false;    // keep the result in the instance's store (data_dir) for the admin
  std::string stdin_name;  // what '-' is called in findings; a .csv/.tsv name reads it as a table
  std::string data_dir;
};

// Adds the two subcommands to app; returns them so main can tell which one ran.
struct ScanCommands {
  CLI::App* scan = nullptr;
  CLI::App* redact = nullptr;
};
ScanCommands AddScanCommands(CLI::App& app, ScanArgs& args, std::string& redact_input);

// Exit codes: 0 personal data found (and, with --against, all of it declared), 1 nothing found,
// 2 error, 3 undeclared personal data (drift) found with --against.
int RunScan(const ScanArgs& args);
int RunRedact(const ScanArgs& args, const std::string& input);

}  // namespace steward::cli
