// steward.yaml: the configuration of one Steward installation (its data dir). Parsed strictly:
// an unknown key or a bad value is an error naming its line, so a typo never silently falls
// back to a default.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"

namespace steward::cli {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string public_url = "http://127.0.0.1:8080";
  std::string business_timezone = "America/Los_Angeles";
  std::string inventory = "inventory.yaml";  // relative to the data dir
  std::string rules_file;                    // empty: the built-in rules
  std::string store_synchronous = "FULL";
  int http_threads = 4;
  int body_limit_bytes = 64 * 1024;
  double intake_per_minute = 30;
  double intake_burst = 10;
  std::string delivery = "log";  // log | smtp
  std::string smtp_url = "smtp://localhost:25";
  std::string smtp_from = "privacy@example.com";
  std::string smtp_username;
  std::string smtp_password_env = "STEWARD_SMTP_PASSWORD";
  bool smtp_require_tls = false;
  int code_digits = 6;
  int code_ttl_minutes = 10;
  int max_code_attempts = 5;
  // fulfilment: dataset manifests (relative to the data dir) and access-package links
  std::vector<std::string> datasets;
  int package_ttl_days = 7;
  // retention: how often `steward serve` sweeps (0: never; `steward retention run` by hand)
  int retention_interval_hours = 24;
};

Result<Config> ParseConfig(std::string_view yaml_text, std::string_view file_name);
Result<Config> LoadConfig(const std::filesystem::path& path);
// The text `steward init` writes, with comments, for the given values.
std::string DefaultConfigText(const Config& config);

}  // namespace steward::cli
