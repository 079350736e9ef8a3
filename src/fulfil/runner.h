// Runner: carries out an approved request against the company's datasets, end to end.
//   access, portability, know_categories: traverse every dataset, build the package (sealed at
//     rest, downloadable through an unguessable link until it expires), complete the request;
//   delete: plan every dataset (legal holds and shared rows kept with their reasons), apply each
//     plan in one transaction per dataset, re-check that nothing erasable remains, put keyed hashes
//     of the identifiers on the suppression list, complete the request;
//   correct: update the given fields on every row of the person, before/after hashed in the log.
// Any failure leaves the request in progress with the error on its timeline; nothing is
// half-applied within a dataset, and rerunning is idempotent.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connect/connector.h"
#include "core/clock.h"
#include "core/secrets.h"
#include "fulfil/erase.h"
#include "fulfil/manifest.h"
#include "inventory/inventory.h"
#include "rights/service.h"
#include "store/store.h"

namespace steward::fulfil {

using ConnectorFactory = std::function<Result<std::unique_ptr<connect::Connector>>(const Dataset&)>;
// The keyed hash under which an identifier is kept on the suppression list (emails lowercased).
std::string SuppressionHash(const InstanceKey& key, std::string_view type, std::string_view value);

// Resolves the dataset's DSN (inline or from its environment variable) and opens it.
ConnectorFactory DefaultConnectorFactory();

struct RunnerOptions {
  std::filesystem::path packages_dir;        // sealed packages live here
  std::chrono::hours package_ttl{24 * 7};    // how long the download link works
  std::string public_url = "http://127.0.0.1:8080";
};

struct RunResult {
  rights::RequestView request;
  std::string summary;               // what was done, in words (also the outcome note)
  std::string download_url;          // access: the link (shown once)
};

class Runner {
 public:
  Runner(std::vector<Dataset> datasets, rights::RequestService& requests, store::Store& store,
         const inventory::Inventory& inventory, const InstanceKey& key, const Clock& clock, RunnerOptions options,
         ConnectorFactory factory = DefaultConnectorFactory());

  bool has_datasets() const { return !datasets_.empty(); }
  const std::vector<Dataset>& datasets() const { return datasets_; }
  // True for the request types the runner carries out; others are fulfilled by hand.
  static bool Handles(std::string_view type);

  // Dry run: what fulfilment would do, as JSON text (erasure: every collection's rows, fields,
  // strategies and held rows with reasons; access: rows per collection and categories).
  Result<std::string> Plan(const std::string& request_id, const Corrections& corrections = {});
  Result<RunResult> Run(const std::string& request_id, const rights::Actor& actor,
                        const Corrections& corrections = {});

  // The package behind a download token, decrypted; not_found when unknown, expired or deleted.
  Result<std::string> Download(const std::string& token);
  // Deletes packages past their expiry; returns how many.
  Result<int> PurgeExpired();

  // Checks every dataset against its live database (connect, introspect, bind).
  Status CheckDatasets();

 private:
  struct Bound {
    Dataset dataset;
    connect::Schema schema;
    std::unique_ptr<connect::Connector> connector;
    Graph graph;
  };
  Result<std::vector<std::unique_ptr<Bound>>> BindAll();
  Result<std::vector<IdentityValue>> IdentityOf(const rights::RequestView& view);

  std::vector<Dataset> datasets_;
  rights::RequestService& requests_;
  store::Store& store_;
  const inventory::Inventory& inventory_;
  const InstanceKey& key_;
  const Clock& clock_;
  RunnerOptions options_;
  ConnectorFactory factory_;
};

}  // namespace steward::fulfil
