// Dataset manifests: what Steward knows about one of the company's databases. Which tables
// (collections) hold personal data, which fields carry which data categories (fideslang keys),
// which fields identify a person, how tables reference each other, how each field is erased,
// and which rows the law requires the company to keep (legal holds).
//
// Manifests are YAML, parsed strictly: every problem is reported as `file:line: path: message`.
// A fideslang dataset (Fides' format) imports into the same model. Bind() then checks a manifest
// against the live schema, so a table that changed since the manifest was written is caught
// before anything is read or erased.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connect/connector.h"
#include "core/error.h"

namespace steward::fulfil {

enum class Strategy { kKeep, kNullify, kFixed, kRandom, kHash, kPseudonym, kGeneralize, kRedact };
std::string_view StrategyName(Strategy s);

struct Reference {
  std::string collection, field;
  // to: this field's values lead to rows of collection.field (this row points at them);
  // from: rows of collection.field lead to rows whose this field matches (they point at us).
  bool to = true;
  int line = 0;
};

struct Field {
  std::string name;
  std::vector<std::string> categories;  // fideslang keys
  std::string identity;                 // email | phone | account_id | … when it identifies a person
  Strategy erase = Strategy::kKeep;
  bool erase_declared = false;          // false: the default for its categories applies
  std::string erase_value;              // kFixed: the value; kGeneralize: year | zip3
  bool provided = false;                // provided by the person (EU portability)
  std::vector<Reference> references;
  int line = 0;
  bool Personal() const;  // carries a user.* category
};

struct Hold {
  int count = 0;
  std::string unit;    // days | months | years
  std::string from;    // the field the period runs from (empty: held without end)
  std::string reason;  // shown to the consumer
  int line = 0;
};

// A retention rule: rows whose anchor (a timestamp here, or in the row a reference points at)
// is older than the period are deleted, anonymized (the fields' erase strategies) or put on the
// suppression list and deleted; `unless` keeps them while a field of the anchor's row has a
// value (an active account). A legal hold on the collection always wins.
struct RetentionRule {
  enum class Action { kDelete, kAnonymize, kSuppress };
  std::string name;
  int count = 0;
  std::string unit;               // days | months | years
  std::string anchor_collection;  // empty: this collection
  std::string anchor_field;
  std::string via_field;          // set for an anchor elsewhere: this collection's field…
  std::string anchor_key_field;   // …and the anchor collection's field it matches
  std::string unless_field, unless_value;
  Action action = Action::kDelete;
  std::vector<std::string> describes;  // inventory category ids whose notice text this rule gives
  std::string anchor_text;             // the anchor in words ("your account is closed")
  int line = 0;
};
std::string_view ActionName(RetentionRule::Action a);

struct Collection {
  std::string name;
  std::vector<std::string> primary_key;  // empty: taken from the database
  std::string timestamp;                 // for the access look-back
  bool delete_rows = false;              // erase by deleting the row (else fields are masked)
  std::optional<Hold> hold;
  std::vector<RetentionRule> retention;
  std::vector<Field> fields;
  int line = 0;
  const Field* FindField(std::string_view name) const;
  // Rows are deleted when declared so, or when their primary key is itself personal data
  // (an email as key cannot be masked in place).
  bool DeletesRows() const;
};

struct Dataset {
  std::string key, name;
  std::string engine = "sqlite";  // sqlite | postgres
  std::string dsn;                // inline connection (tests, local files)…
  std::string dsn_env;            // …or the environment variable holding it (never logged)
  std::string schema;             // postgres schema
  std::vector<Collection> collections;
  std::string file;
  const Collection* FindCollection(std::string_view name) const;
  // The connection string: dsn, else the environment variable's value.
  Result<std::string> ResolveDsn() const;
};

// Steward's manifest format (see src/fulfil/README.md).
Result<Dataset> ParseManifest(std::string_view yaml_text, std::string_view file);
Result<Dataset> LoadManifest(const std::string& path);
// A fideslang dataset file (`dataset: [{fides_key, collections: [...]}]`); its first dataset.
Result<Dataset> ImportFideslang(std::string_view yaml_text, std::string_view file);
// The manifest as Steward YAML (for import and generate).
std::string EmitManifest(const Dataset& dataset);

// The default strategy for a field that declares none: personal fields are nullified,
// everything else (and primary keys) kept.
Strategy EffectiveStrategy(const Field& field, bool is_primary_key);

// Checks the manifest against the live schema: every collection and field must exist, primary
// keys are filled in from the database, a nullify on a NOT NULL column is refused. Errors name
// the manifest line.
Status Bind(Dataset& dataset, const connect::Schema& schema);

// A draft manifest from a live schema: collections, primary keys, references from foreign keys,
// categories and identities suggested from column names.
Dataset DraftFromSchema(const connect::Schema& schema, std::string_view key, std::string_view engine);

}  // namespace steward::fulfil
