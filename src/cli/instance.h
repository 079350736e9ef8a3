// Instance: one Steward installation opened from its data dir — configuration, instance key,
// store, inventory, rules and the services over them. The composition root shared by every
// CLI command and by `steward serve`. Not copyable; the services it holds are thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cli/config.h"
#include "core/clock.h"
#include "core/secrets.h"
#include "http/auth.h"
#include "consent/ledger.h"
#include "fulfil/runner.h"
#include "retention/sweeper.h"
#include "inventory/inventory.h"
#include "rights/rules.h"
#include "rights/service.h"
#include "store/store.h"

namespace steward::cli {

// --dir, else $STEWARD_HOME, else ./steward-data.
std::filesystem::path ResolveDataDir(const std::string& flag);

struct InitOptions {
  std::string example;         // "acme" or empty
  std::string inventory_file;  // a file to copy in, when no example
  std::string listen;          // optional override of the default
  int64_t example_customers = 200;  // with the acme example: customers in its shop database
};

// Creates the data dir (mode 0700) with secret.key, steward.yaml, inventory.yaml and the
// store. invalid_argument when the dir already holds a store, or the inventory is invalid
// (nothing is left behind then).
Status InitDataDir(const std::filesystem::path& dir, const InitOptions& options);

class Instance {
 public:
  static Result<std::unique_ptr<Instance>> Open(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  const Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  const InstanceKey& key() const { return *key_; }
  store::Store& store() { return *store_; }
  const inventory::Inventory& inventory() const { return inventory_; }
  rights::RequestService& requests() { return *requests_; }
  http::TokenService& tokens() { return *tokens_; }
  const rights::RulesTable& rules() const { return rules_; }
  fulfil::Runner& runner() { return *runner_; }
  retention::Sweeper& sweeper() { return *sweeper_; }
  // Its index is empty until the first Refresh(): the commands that decide or record load it, so
  // the others do not read the whole ledger at start-up.
  consent::ConsentService& consent() { return *consent_; }
  const std::vector<fulfil::Dataset>& datasets() const { return datasets_; }

 private:
  Instance() = default;
  std::filesystem::path dir_;
  Config config_;
  SystemClock clock_;
  std::optional<InstanceKey> key_;
  std::unique_ptr<store::Store> store_;
  inventory::Inventory inventory_;
  rights::RulesTable rules_;
  std::unique_ptr<rights::RequestService> requests_;
  std::unique_ptr<http::TokenService> tokens_;
  std::vector<fulfil::Dataset> datasets_;
  std::unique_ptr<fulfil::Runner> runner_;
  std::unique_ptr<retention::Sweeper> sweeper_;
  std::unique_ptr<consent::ConsentService> consent_;
};

// A dataset manifest loaded for a data dir: a relative SQLite file is taken relative to the dir.
Result<fulfil::Dataset> LoadDataset(const std::filesystem::path& dir, const std::string& manifest);

}  // namespace steward::cli
