// The retention sweeper: carries out the retention rules of the dataset manifests. For each rule
// it finds the expired rows in key order, in batches, and applies the action — delete,
// anonymize (the fields' erase strategies) or suppress (identifiers' keyed hashes onto the
// suppression list, then delete) — one transaction per batch, so a batch is either fully applied
// or untouched. Progress is saved after every batch: a run cut short resumes where it stopped,
// and rows already done are never matched again (deleted, or their nullified fields are empty).
// A legal hold on a collection always wins over its rules. A dry run walks exactly the rows a
// real run would change, counting them and sampling keys. Every real run's counts per rule and
// store go to the audit log.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/secrets.h"
#include "fulfil/manifest.h"
#include "fulfil/runner.h"
#include "inventory/inventory.h"
#include "store/store.h"

namespace steward::retention {

struct SweepOptions {
  bool dry_run = false;
  std::string trigger = "cli";  // cli | schedule | api
  size_t batch = 1000;
  size_t sample = 10;
};

struct RuleReport {
  std::string dataset, collection, rule, action;
  std::string cutoff;   // rows anchored before this day expire
  int64_t rows = 0;     // changed (or, in a dry run, that would change)
  std::vector<std::string> sample_keys;
  std::string error;    // empty when the rule completed
};

struct SweepReport {
  std::string run_id;
  bool dry_run = false;
  bool resumed = false;
  std::string status;  // done | partial
  std::vector<RuleReport> rules;
  std::vector<std::string> store_errors;  // datasets that could not be reached (retried next run)
  int64_t rows = 0;
};

class Sweeper {
 public:
  Sweeper(std::vector<fulfil::Dataset> datasets, store::Store& store, const InstanceKey& key, const Clock& clock,
          fulfil::ConnectorFactory factory = fulfil::DefaultConnectorFactory());

  bool has_rules() const;
  // Waits for a sweep already running in this process, then runs.
  Result<SweepReport> Run(const SweepOptions& options);
  // Recent runs, newest first.
  Result<std::vector<store::RetentionRunRow>> History(int limit);
  // When the schedule runs next: the last real run's start plus the interval (now when none ran).
  Result<TimePoint> NextDue(std::chrono::hours interval);

 private:
  std::vector<fulfil::Dataset> datasets_;
  store::Store& store_;
  const InstanceKey& key_;
  const Clock& clock_;
  fulfil::ConnectorFactory factory_;
  // One sweep at a time in this process (the schedule and a staff request may coincide).
  std::shared_ptr<std::mutex> running_ = std::make_shared<std::mutex>();
};

std::string ToJson(const SweepReport& report);

// The notice's retention text from the rules: each rule's `describes` categories get its period
// and anchor. invalid_argument (naming the manifest line) for an unknown category, or two rules
// giving one category different periods.
Status ApplyRetentionToInventory(const std::vector<fulfil::Dataset>& datasets, inventory::Inventory& inventory);

}  // namespace steward::retention
