#include "cli/instance.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "audit/audit.h"
#include "connect/connector.h"
#include "core/embedded.h"
#include "fulfil/example.h"

namespace steward::cli {

namespace fs = std::filesystem;

fs::path ResolveDataDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* home = std::getenv("STEWARD_HOME"); home && *home) return home;
  return "steward-data";
}

namespace {
Status WriteFile(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Fail(ErrorCode::kUnavailable, "cannot write the file", path.string());
  return Ok();
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read the file", path.string());
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}
}  // namespace

Status InitDataDir(const fs::path& dir, const InitOptions& options) {
  std::error_code ec;
  if (fs::exists(dir / "steward.db", ec)) {
    return Fail(ErrorCode::kInvalidArgument, "this data dir already holds a Steward store; nothing was changed", dir.string());
  }
  std::string inventory_text;
  std::string inventory_name;
  if (options.example == "acme") {
    inventory_text = std::string(embedded::AcmeInventoryYaml());
    inventory_name = "examples/acme/inventory.yaml";
  } else if (!options.example.empty()) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("no example named '{}'; the example is acme", options.example), "example");
  } else if (!options.inventory_file.empty()) {
    ASSIGN_OR_RETURN(inventory_text, ReadFile(options.inventory_file));
    inventory_name = options.inventory_file;
  } else {
    return Fail(ErrorCode::kInvalidArgument, "give --example acme or --inventory FILE (your data map)", "inventory");
  }
  // Validate before creating anything.
  RETURN_IF_ERROR(inventory::LoadInventoryText(inventory_text, inventory_name));

  const bool existed = fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, fmt::format("cannot create the data dir: {}", ec.message()), dir.string());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  auto cleanup = [&](Status st) -> Status {
    if (!st) {
      for (const char* f : {"secret.key", "steward.yaml", "inventory.yaml", "steward.db", "steward.db-wal", "steward.db-shm",
                            "acme-shop.db", "datasets/shop.yaml", "datasets"}) {
        fs::remove(dir / f, ec);
      }
      if (!existed) fs::remove(dir, ec);
    }
    return st;
  };
  Config config;
  if (!options.listen.empty()) {
    config.listen = options.listen;
    config.public_url = "http://" + options.listen;
  }
  auto key = InstanceKey::LoadOrCreate(dir / "secret.key", true);
  if (!key) return cleanup(std::unexpected(key.error()));
  if (auto st = WriteFile(dir / "inventory.yaml", inventory_text); !st) return cleanup(st);
  if (options.example == "acme") {
    // The example company's own database, and its manifest, so fulfilment works out of the box.
    fs::create_directories(dir / "datasets", ec);
    if (auto st = WriteFile(dir / "datasets" / "shop.yaml", std::string(embedded::AcmeShopManifestYaml())); !st) {
      return cleanup(st);
    }
    auto shop = connect::Open({.engine = "sqlite", .dsn = (dir / "acme-shop.db").string()});
    if (!shop) return cleanup(std::unexpected(shop.error()));
    auto generated = fulfil::GenerateExample(**shop, {.customers = options.example_customers});
    if (!generated) return cleanup(std::unexpected(generated.error()));
    config.datasets = {"datasets/shop.yaml"};
  }
  if (auto st = WriteFile(dir / "steward.yaml", DefaultConfigText(config)); !st) return cleanup(st);
  auto store = store::OpenSqliteStore(dir / "steward.db");
  if (!store) return cleanup(std::unexpected(store.error()));
  SystemClock clock;
  return cleanup((*store)->Write([&](store::Transaction& tx) {
    return audit::Append(tx, clock.Now(), {"cli", "instance.initialized", dir.filename().string(),
                                           fmt::format(R"({{"inventory":"{}"}})", options.example.empty() ? "file" : options.example)});
  }));
}

Result<std::unique_ptr<Instance>> Instance::Open(const fs::path& dir) {
  std::unique_ptr<Instance> inst(new Instance());
  inst->dir_ = dir;
  std::error_code ec;
  if (!fs::exists(dir / "steward.db", ec)) {
    return Fail(ErrorCode::kNotFound,
                fmt::format("no Steward data dir at {}: run `steward init --example acme` (or pass --dir / set STEWARD_HOME)",
                            dir.string()),
                "dir");
  }
  ASSIGN_OR_RETURN(inst->config_, LoadConfig(dir / "steward.yaml"));
  RETURN_IF_ERROR(SetProcessTimeZone(inst->config_.business_timezone));
  ASSIGN_OR_RETURN(auto key, InstanceKey::LoadOrCreate(dir / "secret.key", false));
  inst->key_.emplace(key);
  store::SqliteOptions sqlite;
  sqlite.synchronous = inst->config_.store_synchronous;
  ASSIGN_OR_RETURN(inst->store_, store::OpenSqliteStore(dir / "steward.db", sqlite));
  ASSIGN_OR_RETURN(inst->inventory_, inventory::LoadInventoryFile(dir / inst->config_.inventory));
  if (inst->config_.rules_file.empty()) {
    ASSIGN_OR_RETURN(inst->rules_, rights::RulesTable::Default());
  } else {
    ASSIGN_OR_RETURN(auto holidays, ParseHolidayLists(embedded::HolidaysYaml(), "data/holidays.yaml"));
    const fs::path rules_path = dir / inst->config_.rules_file;
    ASSIGN_OR_RETURN(std::string text, ReadFile(rules_path));
    ASSIGN_OR_RETURN(inst->rules_, rights::RulesTable::Parse(text, rules_path.string(), holidays));
  }
  rights::ServiceOptions options;
  options.code_digits = inst->config_.code_digits;
  options.code_ttl = std::chrono::minutes(inst->config_.code_ttl_minutes);
  options.max_code_attempts = inst->config_.max_code_attempts;
  options.public_url = inst->config_.public_url;
  inst->requests_ = std::make_unique<rights::RequestService>(*inst->store_, inst->rules_, inst->inventory_, *inst->key_,
                                                             inst->clock_, options);
  inst->tokens_ = std::make_unique<http::TokenService>(*inst->store_, *inst->key_, inst->clock_);
  for (const std::string& manifest : inst->config_.datasets) {
    ASSIGN_OR_RETURN(fulfil::Dataset d, LoadDataset(dir, manifest));
    inst->datasets_.push_back(std::move(d));
  }
  // The notice states the retention the rules enforce.
  RETURN_IF_ERROR(retention::ApplyRetentionToInventory(inst->datasets_, inst->inventory_));
  // Opt-outs and limits are due within the jurisdiction's window for those request types.
  const rights::RulesTable* rules = &inst->rules_;
  auto deadline = [rules](std::string_view jurisdiction, std::string_view purpose, Date received) -> std::optional<Date> {
    const rights::JurisdictionRules* j = rules->Find(jurisdiction);
    if (!j) return std::nullopt;
    const rights::TypeRule* t =
        j->Find(purpose == "sale_sharing" ? rights::RequestType::kOptOutSaleShare : rights::RequestType::kLimitSensitive);
    if (!t || t->respond.IsNone()) return std::nullopt;
    return rights::RulesTable::ComputeDeadlines(*j, *t, received).due;
  };
  inst->consent_ = std::make_unique<consent::ConsentService>(*inst->store_, inst->inventory_, *inst->key_, inst->clock_,
                                                             deadline);
  inst->sweeper_ = std::make_unique<retention::Sweeper>(inst->datasets_, *inst->store_, *inst->key_, inst->clock_);
  fulfil::RunnerOptions runner_options{.packages_dir = dir / "packages",
                                       .package_ttl = std::chrono::hours(24 * inst->config_.package_ttl_days),
                                       .public_url = inst->config_.public_url};
  inst->runner_ = std::make_unique<fulfil::Runner>(inst->datasets_, *inst->requests_, *inst->store_, inst->inventory_,
                                                   *inst->key_, inst->clock_, runner_options);
  return inst;
}

Result<fulfil::Dataset> LoadDataset(const fs::path& dir, const std::string& manifest) {
  const fs::path path = fs::path(manifest).is_absolute() ? fs::path(manifest) : dir / manifest;
  ASSIGN_OR_RETURN(fulfil::Dataset d, fulfil::LoadManifest(path.string()));
  if (d.engine == "sqlite" && !d.dsn.empty() && fs::path(d.dsn).is_relative()) d.dsn = (dir / d.dsn).string();
  return d;
}

}  // namespace steward::cli
