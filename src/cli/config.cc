#include "cli/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace steward::cli {
namespace {

struct BadValue {
  Error error;
};

[[noreturn]] void Bad(std::string_view file, const YAML::Node& n, const std::string& key, const std::string& message) {
  throw BadValue{MakeError(ErrorCode::kInvalidArgument, fmt::format("{}: {}", key, message),
                           fmt::format("{}:{}", file, n.Mark().line + 1))};
}

std::string Text(std::string_view file, const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) Bad(file, n, key, "must be a single value");
  return n.Scalar();
}

int Int(std::string_view file, const YAML::Node& n, const std::string& key, int lo, int hi) {
  try {
    int v = n.as<int>();
    if (v < lo || v > hi) Bad(file, n, key, fmt::format("must be from {} to {}", lo, hi));
    return v;
  } catch (const YAML::Exception&) {
    Bad(file, n, key, "must be a whole number");
  }
}

double Number(std::string_view file, const YAML::Node& n, const std::string& key) {
  try {
    double v = n.as<double>();
    if (v < 0) Bad(file, n, key, "must not be negative");
    return v;
  } catch (const YAML::Exception&) {
    Bad(file, n, key, "must be a number");
  }
}

bool Bool(std::string_view file, const YAML::Node& n, const std::string& key) {
  try {
    return n.as<bool>();
  } catch (const YAML::Exception&) {
    Bad(file, n, key, "must be true or false");
  }
}

template <typename Fn>
void EachKey(std::string_view file, const YAML::Node& map, const std::string& prefix, Fn fn) {
  if (!map.IsMap()) Bad(file, map, prefix, "must be a map");
  for (const auto& kv : map) fn(prefix.empty() ? kv.first.Scalar() : prefix + "." + kv.first.Scalar(), kv.second, kv.first);
}

}  // namespace

Result<Config> ParseConfig(std::string_view yaml_text, std::string_view file) {
  Config c;
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (root.IsNull()) return c;
    auto unknown = [&](const YAML::Node& key_node, const std::string& key) {
      Bad(file, key_node, key, "unknown setting; see the comments `steward init` writes for the known ones");
    };
    EachKey(file, root, "", [&](const std::string& key, const YAML::Node& v, const YAML::Node& k) {
      if (key == "listen") c.listen = Text(file, v, key);
      else if (key == "public_url") c.public_url = Text(file, v, key);
      else if (key == "business_timezone") c.business_timezone = Text(file, v, key);
      else if (key == "inventory") c.inventory = Text(file, v, key);
      else if (key == "rules_file") c.rules_file = Text(file, v, key);
      else if (key == "store") {
        EachKey(file, v, key, [&](const std::string& k2, const YAML::Node& v2, const YAML::Node& kn) {
          if (k2 == "store.synchronous") {
            c.store_synchronous = Text(file, v2, k2);
            if (c.store_synchronous != "FULL" && c.store_synchronous != "NORMAL") Bad(file, v2, k2, "must be FULL or NORMAL");
          } else unknown(kn, k2);
        });
      } else if (key == "http") {
        EachKey(file, v, key, [&](const std::string& k2, const YAML::Node& v2, const YAML::Node& kn) {
          if (k2 == "http.threads") c.http_threads = Int(file, v2, k2, 1, 64);
          else if (k2 == "http.body_limit_bytes") c.body_limit_bytes = Int(file, v2, k2, 1024, 16 * 1024 * 1024);
          else if (k2 == "http.intake_per_minute") c.intake_per_minute = Number(file, v2, k2);
          else if (k2 == "http.intake_burst") c.intake_burst = Number(file, v2, k2);
          else unknown(kn, k2);
        });
      } else if (key == "notifications") {
        EachKey(file, v, key, [&](const std::string& k2, const YAML::Node& v2, const YAML::Node& kn) {
          if (k2 == "notifications.delivery") {
            c.delivery = Text(file, v2, k2);
            if (c.delivery != "log" && c.delivery != "smtp") Bad(file, v2, k2, "must be log or smtp");
          } else if (k2 == "notifications.smtp") {
            EachKey(file, v2, k2, [&](const std::string& k3, const YAML::Node& v3, const YAML::Node& kn3) {
              if (k3 == "notifications.smtp.url") c.smtp_url = Text(file, v3, k3);
              else if (k3 == "notifications.smtp.from") c.smtp_from = Text(file, v3, k3);
              else if (k3 == "notifications.smtp.username") c.smtp_username = Text(file, v3, k3);
              else if (k3 == "notifications.smtp.password_env") c.smtp_password_env = Text(file, v3, k3);
              else if (k3 == "notifications.smtp.require_tls") c.smtp_require_tls = Bool(file, v3, k3);
              else unknown(kn3, k3);
            });
          } else unknown(kn, k2);
        });
      } else if (key == "verification") {
        EachKey(file, v, key, [&](const std::string& k2, const YAML::Node& v2, const YAML::Node& kn) {
          if (k2 == "verification.code_digits") c.code_digits = Int(file, v2, k2, 6, 10);
          else if (k2 == "verification.code_ttl_minutes") c.code_ttl_minutes = Int(file, v2, k2, 1, 60);
          else if (k2 == "verification.max_attempts") c.max_code_attempts = Int(file, v2, k2, 1, 10);
          else unknown(kn, k2);
        });
      } else if (key == "retention") {
        EachKey(file, v, key, [&](const std::string& k2, const YAML::Node& v2, const YAML::Node& kn) {
          if (k2 == "retention.interval_hours") c.retention_interval_hours = Int(file, v2, k2, 0, 24 * 31);
          else unknown(kn, k2);
        });
      } else if (key == "fulfilment") {
        EachKey(file, v, key, [&](const std::string& k2, const YAML::Node& v2, const YAML::Node& kn) {
          if (k2 == "fulfilment.datasets") {
            if (v2.IsNull()) return;
            if (!v2.IsSequence()) Bad(file, v2, k2, "must be a list of manifest files");
            for (const auto& item : v2) c.datasets.push_back(Text(file, item, k2));
          } else if (k2 == "fulfilment.package_ttl_days") {
            c.package_ttl_days = Int(file, v2, k2, 1, 45);
          } else unknown(kn, k2);
        });
      } else {
        unknown(k, key);
      }
    });
  } catch (const BadValue& b) {
    return std::unexpected(b.error);
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("not valid YAML: {}", e.msg), fmt::format("{}:{}", file, e.mark.line + 1));
  }
  if (c.listen.find(':') == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "listen must be ADDRESS:PORT, e.g. 127.0.0.1:8080", std::string(file));
  }
  return c;
}

Result<Config> LoadConfig(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kNotFound, "no steward.yaml in the data dir: run `steward init` first", path.string());
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseConfig(buf.str(), path.string());
}

std::string DefaultConfigText(const Config& c) {
  return fmt::format(R"(# Steward configuration for this data dir. Unknown keys are errors.
listen: "{}"                  # ADDRESS:PORT for `steward serve`
public_url: "{}"   # where consumers reach this server (used in links we send)
business_timezone: "{}"  # the day a request is received, for deadlines
inventory: "{}"        # the data map, relative to this directory
rules_file: ""                # empty: built-in jurisdiction rules (data/jurisdictions.yaml)
store:
  synchronous: {}               # FULL: every commit survives power loss; NORMAL: survives crashes
http:
  threads: {}
  body_limit_bytes: {}
  intake_per_minute: {}         # public requests per client address (0 disables the limit)
  intake_burst: {}
notifications:
  delivery: {}                  # log (messages go to the server log) or smtp
  smtp:
    url: "{}"
    from: "{}"
    username: ""
    password_env: "{}"   # the environment variable holding the SMTP password
    require_tls: false
verification:
  code_digits: {}
  code_ttl_minutes: {}
  max_attempts: {}
fulfilment:
  datasets: [{}]   # dataset manifests (relative to this directory) Steward fulfils requests against
  package_ttl_days: {}           # how long an access package's download link works
retention:
  interval_hours: {}             # how often `steward serve` runs the retention sweep (0: never)
)",
                     c.listen, c.public_url, c.business_timezone, c.inventory, c.store_synchronous, c.http_threads,
                     c.body_limit_bytes, c.intake_per_minute, c.intake_burst, c.delivery, c.smtp_url, c.smtp_from,
                     c.smtp_password_env, c.code_digits, c.code_ttl_minutes, c.max_code_attempts,
                     [&] {
                       std::string out;
                       for (const auto& d : c.datasets) out += (out.empty() ? "\"" : ", \"") + d + "\"";
                       return out;
                     }(),
                     c.package_ttl_days, c.retention_interval_hours);
}

}  // namespace steward::cli
