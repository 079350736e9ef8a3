// The example company's own database (Acme): a deterministic generator of customers,
// addresses, accounts, orders, order items, payments, invoices, support tickets whose free text
// carries emails and phone numbers, marketing events and ad-partner shares, on SQLite or
// PostgreSQL. The same seed and count always produce the same rows, so tests and benchmarks can
// name people by number. examples/acme/datasets/shop.yaml is its manifest.
#pragma once

#include <cstdint>
#include <string>

#include "connect/connector.h"
#include "core/error.h"

namespace steward::fulfil {

struct ExampleOptions {
  int64_t customers = 1000;
  uint64_t seed = 1;
  std::string now = "2026-11-01";  // the generator's "today": dates spread over the ten years before
};

struct ExampleStats {
  int64_t rows = 0;
};

// Creates the schema (refusing a database that already has a customers table) and loads it.
Result<ExampleStats> GenerateExample(connect::Connector& connector, const ExampleOptions& options);
// Acme's application logs for the scanner: web access logs, an application log, a gzipped CSV
// export and an HR spreadsheet (exports/staff.xlsx) under `dir`, with personal data planted at
// known lines next to decoys that look like it (order numbers failing Luhn, version strings,
// ISBNs, UUIDs, timestamps, nine-digit employee ids). Writes `dir/planted.tsv`
// ("file<TAB>line<TAB>detector" per planted value, paths relative to dir; a sheet's cells as
// "exports/staff.xlsx!Staff<TAB>row<TAB>detector") so a test can require exactly those findings.
// Deterministic for a seed and line count.
Status GenerateExampleLogs(const std::string& dir, int64_t lines, uint64_t seed = 1);
// The email of customer `i` (1-based) for a given seed.
std::string ExampleEmail(int64_t i);

}  // namespace steward::fulfil
