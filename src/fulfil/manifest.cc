#include "fulfil/manifest.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "core/text.h"
#include "inventory/taxonomy.h"

namespace steward::fulfil {
namespace {

constexpr std::pair<Strategy, std::string_view> kStrategies[] = {
    {Strategy::kKeep, "keep"},         {Strategy::kNullify, "nullify"}, {Strategy::kFixed, "fixed"},
    {Strategy::kRandom, "random"},     {Strategy::kHash, "hash"},       {Strategy::kPseudonym, "pseudonym"},
    {Strategy::kGeneralize, "generalize"}, {Strategy::kRedact, "redact"},
};

const std::set<std::string, std::less<>> kIdentities = {"email", "phone", "account_id", "customer_id",
                                                        "device_id", "user_id", "external_id"};

// n[key] when n is a mapping holding key, else an undefined node (never throws).
YAML::Node Get(const YAML::Node& n, const char* key) {
  if (!n.IsDefined() || !n.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& kv : n) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

// The YAML document, or invalid_argument naming the line that is not YAML.
Result<YAML::Node> LoadYaml(std::string_view text, std::string_view file) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}:{}: {}", file, e.mark.line + 1, e.msg),
                fmt::format("{}:{}", file, e.mark.line + 1));
  }
}

int Line(const YAML::Node& n) { return n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

// Collects every problem of one file; Finish() turns them into one invalid_argument error.
class Problems {
 public:
  explicit Problems(std::string_view file) : file_(file) {}
  void Add(int line, std::string_view path, std::string_view message) {
    lines_.push_back(fmt::format("{}:{}: {}: {}", file_, line, Printable(path, 200), Printable(message, 500)));
    if (first_line_ == 0) first_line_ = line;
  }
  void Add(const YAML::Node& n, std::string_view path, std::string_view message) { Add(Line(n), path, message); }
  bool empty() const { return lines_.empty(); }
  Status Finish() const {
    if (lines_.empty()) return {};
    std::string message;
    for (const auto& l : lines_) message += (message.empty() ? "" : "; ") + l;
    return Fail(ErrorCode::kInvalidArgument, message, fmt::format("{}:{}", file_, first_line_));
  }

 private:
  std::string file_;
  std::vector<std::string> lines_;
  int first_line_ = 0;
};

void CheckKeys(const YAML::Node& map, const std::string& path, std::initializer_list<std::string_view> allowed,
               Problems& problems) {
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      problems.Add(kv.first, path + "." + key, "unknown key");
    }
  }
}

bool Scalar(const YAML::Node& map, const char* key, std::string& out, const std::string& path, Problems& problems) {
  const YAML::Node n = Get(map, key);
  if (!n.IsDefined() || n.IsNull()) return false;
  if (!n.IsScalar()) {
    problems.Add(n, path + "." + key, "must be a single value");
    return false;
  }
  out = n.Scalar();
  return true;
}

std::vector<std::string> ScalarList(const YAML::Node& n, const std::string& path, Problems& problems) {
  std::vector<std::string> out;
  if (!n.IsDefined() || n.IsNull()) return out;
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) {
    problems.Add(n, path, "must be a list");
    return out;
  }
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      problems.Add(item, path, "must be a list of values");
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

// Every key must be a fideslang data category Steward knows (with a hint for a near miss).
void CheckCategories(const YAML::Node& n, const std::vector<std::string>& keys, const std::string& path,
                     Problems& problems) {
  for (const std::string& key : keys) {
    if (inventory::IsFideslangKey(key)) continue;
    const std::string hint = inventory::SuggestFideslangKey(key);
    problems.Add(n, path, fmt::format("unknown data category '{}'{}", key, hint.empty() ? "" : " (did you mean " + hint + "?)"));
  }
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; }) &&
         !std::isdigit(static_cast<unsigned char>(name[0]));
}

std::optional<Strategy> ParseStrategy(std::string_view name) {
  for (const auto& [s, n] : kStrategies) {
    if (n == name) return s;
  }
  return std::nullopt;
}

void ParseErase(const YAML::Node& n, Field& field, const std::string& path, Problems& problems) {
  std::string name;
  if (n.IsScalar()) {
    name = n.Scalar();
  } else if (n.IsMap()) {
    CheckKeys(n, path, {"strategy", "value", "to"}, problems);
    Scalar(n, "strategy", name, path, problems);
    Scalar(n, "value", field.erase_value, path, problems);
    Scalar(n, "to", field.erase_value, path, problems);
  } else {
    problems.Add(n, path, "must be a strategy name or {strategy: …}");
    return;
  }
  const auto strategy = ParseStrategy(name);
  if (!strategy) {
    problems.Add(n, path,
                 fmt::format("unknown strategy '{}' (keep, nullify, fixed, random, hash, pseudonym, generalize, redact)",
                             name));
    return;
  }
  field.erase = *strategy;
  field.erase_declared = true;
  if (*strategy == Strategy::kFixed && !n.IsMap()) problems.Add(n, path, "fixed needs a value: {strategy: fixed, value: …}");
  if (*strategy == Strategy::kGeneralize && field.erase_value != "year" && field.erase_value != "zip3") {
    problems.Add(n, path, "generalize needs to: year or to: zip3");
  }
}

void ParseReferences(const YAML::Node& n, Field& field, const std::string& path, Problems& problems) {
  if (!n.IsDefined() || n.IsNull()) return;
  if (!n.IsSequence()) {
    problems.Add(n, path, "must be a list of {field: collection.field, direction: to|from}");
    return;
  }
  for (const auto& r : n) {
    if (!r.IsMap()) {
      problems.Add(r, path, "must be {field: collection.field, direction: to|from}");
      continue;
    }
    CheckKeys(r, path, {"field", "direction", "dataset"}, problems);
    std::string target, direction = "to";
    Scalar(r, "field", target, path, problems);
    Scalar(r, "direction", direction, path, problems);
    const size_t dot = target.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == target.size()) {
      problems.Add(r, path + ".field", "must be collection.field");
      continue;
    }
    if (direction != "to" && direction != "from") {
      problems.Add(r, path + ".direction", "must be to or from");
      continue;
    }
    field.references.push_back(
        {.collection = target.substr(0, dot), .field = target.substr(dot + 1), .to = direction == "to", .line = Line(r)});
  }
}

void ParseHold(const YAML::Node& n, Collection& c, const std::string& path, Problems& problems) {
  if (!n.IsMap()) {
    problems.Add(n, path, "must be {period: 6 years, from: field, reason: …}");
    return;
  }
  CheckKeys(n, path, {"period", "from", "reason"}, problems);
  Hold hold{.line = Line(n)};
  std::string period;
  Scalar(n, "from", hold.from, path, problems);
  if (!Scalar(n, "reason", hold.reason, path, problems) || hold.reason.empty()) {
    problems.Add(n, path + ".reason", "is required: the consumer is told why the data is kept");
  }
  if (Scalar(n, "period", period, path, problems)) {
    std::istringstream in(period);
    in >> hold.count >> hold.unit;
    if (hold.unit.size() > 1 && hold.unit.back() != 's') hold.unit += 's';
    if (hold.count <= 0 || (hold.unit != "days" && hold.unit != "months" && hold.unit != "years")) {
      problems.Add(Get(n, "period"), path + ".period", "must be 'N days', 'N months' or 'N years'");
    }
  } else if (!hold.from.empty()) {
    problems.Add(n, path + ".period", "is required with from:");
  }
  c.hold = hold;
}

bool ParsePeriod(const std::string& text, int& count, std::string& unit) {
  std::istringstream in(text);
  in >> count >> unit;
  if (unit.size() > 1 && unit.back() != 's') unit += 's';
  return count > 0 && (unit == "days" || unit == "months" || unit == "years");
}

void ParseRetention(const YAML::Node& n, Collection& c, const std::string& path, Problems& problems) {
  if (!n.IsSequence()) {
    problems.Add(n, path, "must be a list of rules {rule, period, after, action}");
    return;
  }
  for (const auto& rn : n) {
    RetentionRule r{.line = Line(rn)};
    if (!rn.IsMap()) {
      problems.Add(rn, path, "each rule must be a mapping");
      continue;
    }
    CheckKeys(rn, path, {"rule", "period", "after", "unless", "action", "describes", "anchor_text"}, problems);
    Scalar(rn, "rule", r.name, path, problems);
    const std::string rpath = path + "." + r.name;
    if (!ValidName(r.name)) problems.Add(rn, rpath, "needs rule: a name of letters, digits and _");
    std::string period, after, action = "delete";
    if (!Scalar(rn, "period", period, rpath, problems) || !ParsePeriod(period, r.count, r.unit)) {
      problems.Add(rn, rpath + ".period", "is required: 'N days', 'N months' or 'N years'");
    }
    if (!Scalar(rn, "after", after, rpath, problems) || after.empty()) {
      problems.Add(rn, rpath + ".after", "is required: a timestamp field, or collection.field through a reference");
    } else if (const size_t dot = after.find('.'); dot != std::string::npos) {
      r.anchor_collection = after.substr(0, dot);
      r.anchor_field = after.substr(dot + 1);
    } else {
      r.anchor_field = after;
    }
    if (const YAML::Node u = Get(rn, "unless"); u.IsDefined()) {
      if (!u.IsMap()) {
        problems.Add(u, rpath + ".unless", "must be {field: …, equals: …}");
      } else {
        CheckKeys(u, rpath + ".unless", {"field", "equals"}, problems);
        Scalar(u, "field", r.unless_field, rpath + ".unless", problems);
        Scalar(u, "equals", r.unless_value, rpath + ".unless", problems);
        if (r.unless_field.empty()) problems.Add(u, rpath + ".unless.field", "is required");
      }
    }
    Scalar(rn, "action", action, rpath, problems);
    if (action == "delete") r.action = RetentionRule::Action::kDelete;
    else if (action == "anonymize") r.action = RetentionRule::Action::kAnonymize;
    else if (action == "suppress") r.action = RetentionRule::Action::kSuppress;
    else problems.Add(Get(rn, "action"), rpath + ".action", "must be delete, anonymize or suppress");
    r.describes = ScalarList(Get(rn, "describes"), rpath + ".describes", problems);
    Scalar(rn, "anchor_text", r.anchor_text, rpath, problems);
    c.retention.push_back(std::move(r));
  }
}

int ApproxDays(int count, const std::string& unit) {
  return unit == "years" ? count * 366 : unit == "months" ? count * 31 : count;
}

// Checks what spans collections: references resolve, holds and timestamps name fields.
void CheckGraph(const Dataset& d, Problems& problems) {
  std::set<std::string> names;
  bool any_identity = false;
  for (const Collection& c : d.collections) {
    if (!names.insert(c.name).second) problems.Add(c.line, "collections." + c.name, "is declared twice");
    std::set<std::string> fields;
    for (const Field& f : c.fields) {
      const std::string path = fmt::format("collections.{}.fields.{}", c.name, f.name);
      if (!fields.insert(f.name).second) problems.Add(f.line, path, "is declared twice");
      if (!f.identity.empty()) any_identity = true;
      for (const Reference& r : f.references) {
        const Collection* target = d.FindCollection(r.collection);
        if (!target) {
          problems.Add(r.line, path + ".references", fmt::format("unknown collection '{}'", r.collection));
        } else if (!target->FindField(r.field)) {
          problems.Add(r.line, path + ".references",
                       fmt::format("collection '{}' declares no field '{}'", r.collection, r.field));
        }
      }
    }
    if (!c.timestamp.empty() && !c.FindField(c.timestamp)) {
      problems.Add(c.line, "collections." + c.name + ".timestamp", "names an undeclared field '" + c.timestamp + "'");
    }
    if (c.hold && !c.hold->from.empty() && !c.FindField(c.hold->from)) {
      problems.Add(c.hold->line, "collections." + c.name + ".hold.from", "names an undeclared field '" + c.hold->from + "'");
    }
    for (const RetentionRule& r : c.retention) {
      const std::string rpath = "collections." + c.name + ".retention." + r.name;
      const Collection* anchor = r.anchor_collection.empty() ? &c : d.FindCollection(r.anchor_collection);
      if (!anchor) {
        problems.Add(r.line, rpath + ".after", "unknown collection '" + r.anchor_collection + "'");
        continue;
      }
      if (!anchor->FindField(r.anchor_field)) {
        problems.Add(r.line, rpath + ".after", fmt::format("collection '{}' declares no field '{}'", anchor->name, r.anchor_field));
      }
      if (!r.unless_field.empty() && !anchor->FindField(r.unless_field)) {
        problems.Add(r.line, rpath + ".unless", fmt::format("collection '{}' declares no field '{}'", anchor->name, r.unless_field));
      }
      if (anchor != &c) {
        bool linked = false;
        for (const Field& f : c.fields) {
          for (const Reference& ref : f.references) linked = linked || ref.collection == anchor->name;
        }
        if (!linked) {
          problems.Add(r.line, rpath + ".after",
                       fmt::format("collection '{}' has no reference to '{}', so the anchor cannot be reached", c.name,
                                   anchor->name));
        }
      }
      if (c.hold && c.hold->count > 0 && (c.hold->from == r.anchor_field && anchor == &c) &&
          ApproxDays(r.count, r.unit) < ApproxDays(c.hold->count, c.hold->unit)) {
        problems.Add(r.line, rpath + ".period",
                     fmt::format("is shorter than the legal hold ({} {}): rows would be erased before the legal minimum",
                                 c.hold->count, c.hold->unit));
      }
      if (r.action == RetentionRule::Action::kAnonymize &&
          std::none_of(c.fields.begin(), c.fields.end(), [&](const Field& f) {
            return EffectiveStrategy(f, std::find(c.primary_key.begin(), c.primary_key.end(), f.name) != c.primary_key.end()) ==
                   Strategy::kNullify;
          })) {
        problems.Add(r.line, rpath + ".action", "anonymize needs at least one field erased by nullify, so done rows are recognised");
      }
    }
  }
  if (!any_identity && !d.collections.empty()) {
    problems.Add(d.collections.front().line, "collections", "no field is marked identity: no person can be found");
  }
}

// For rules anchored in another collection: the reference that leads there.
void ResolveRetentionAnchors(Dataset& d) {
  for (Collection& c : d.collections) {
    for (RetentionRule& r : c.retention) {
      if (r.anchor_collection.empty()) continue;
      for (const Field& f : c.fields) {
        for (const Reference& ref : f.references) {
          if (ref.collection == r.anchor_collection && r.via_field.empty()) {
            r.via_field = f.name;
            r.anchor_key_field = ref.field;
          }
        }
      }
    }
  }
}

}  // namespace

std::string_view ActionName(RetentionRule::Action a) {
  switch (a) {
    case RetentionRule::Action::kDelete: return "delete";
    case RetentionRule::Action::kAnonymize: return "anonymize";
    case RetentionRule::Action::kSuppress: return "suppress";
  }
  return "delete";
}

std::string_view StrategyName(Strategy s) {
  for (const auto& [strategy, name] : kStrategies) {
    if (strategy == s) return name;
  }
  return "keep";
}

bool Field::Personal() const {
  return std::any_of(categories.begin(), categories.end(),
                     [](const std::string& c) { return c == "user" || c.starts_with("user."); });
}

const Field* Collection::FindField(std::string_view field) const {
  for (const Field& f : fields) {
    if (f.name == field) return &f;
  }
  return nullptr;
}

bool Collection::DeletesRows() const {
  if (delete_rows) return true;
  for (const std::string& k : primary_key) {
    const Field* f = FindField(k);
    if (f && f->Personal() && !(f->erase_declared && f->erase == Strategy::kKeep)) return true;
  }
  return false;
}

const Collection* Dataset::FindCollection(std::string_view collection) const {
  for (const Collection& c : collections) {
    if (c.name == collection) return &c;
  }
  return nullptr;
}

Result<std::string> Dataset::ResolveDsn() const {
  if (!dsn.empty()) return dsn;
  if (!dsn_env.empty()) {
    if (const char* value = std::getenv(dsn_env.c_str()); value && *value) return std::string(value);
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("dataset {}: environment variable {} is not set", key, dsn_env), "connection.dsn_env");
  }
  return Fail(ErrorCode::kInvalidArgument, fmt::format("dataset {}: no connection (dsn or dsn_env)", key), "connection");
}

Strategy EffectiveStrategy(const Field& field, bool is_primary_key) {
  if (is_primary_key) return Strategy::kKeep;
  if (field.erase_declared) return field.erase;
  return field.Personal() ? Strategy::kNullify : Strategy::kKeep;
}

Result<Dataset> ParseManifest(std::string_view yaml_text, std::string_view file) {
  Problems problems(file);
  ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(yaml_text, file));
  if (!root.IsMap()) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}:1: a manifest must be a mapping", file), file);
  if (Get(root, "dataset").IsSequence()) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}:1: this is a fideslang dataset; import it with `steward datasets import`", file), file);
  }
  Dataset d;
  d.file = std::string(file);
  CheckKeys(root, "", {"dataset", "name", "connection", "collections"}, problems);
  if (!Scalar(root, "dataset", d.key, "", problems) || !ValidName(d.key)) {
    problems.Add(Get(root, "dataset").IsDefined() ? Line(Get(root, "dataset")) : 1, "dataset",
                 "is required: a name of letters, digits and _");
  }
  Scalar(root, "name", d.name, "", problems);
  if (const YAML::Node conn = Get(root, "connection"); conn.IsMap()) {
    CheckKeys(conn, "connection", {"engine", "dsn", "dsn_env", "schema"}, problems);
    Scalar(conn, "engine", d.engine, "connection", problems);
    Scalar(conn, "dsn", d.dsn, "connection", problems);
    Scalar(conn, "dsn_env", d.dsn_env, "connection", problems);
    Scalar(conn, "schema", d.schema, "connection", problems);
    if (d.engine != "sqlite" && d.engine != "postgres") problems.Add(Get(conn, "engine"), "connection.engine", "must be sqlite or postgres");
    if (d.dsn.empty() == d.dsn_env.empty()) problems.Add(conn, "connection", "needs exactly one of dsn and dsn_env");
  } else {
    problems.Add(root.IsDefined() ? Line(root) : 1, "connection", "is required: {engine, dsn_env}");
  }
  const YAML::Node cols = Get(root, "collections");
  if (!cols.IsSequence()) {
    problems.Add(1, "collections", "is required: a list of collections");
    RETURN_IF_ERROR(problems.Finish());
  }
  for (const auto& cn : cols) {
    Collection c{.line = Line(cn)};
    if (!cn.IsMap()) {
      problems.Add(cn, "collections", "each collection must be a mapping");
      continue;
    }
    Scalar(cn, "name", c.name, "collections", problems);
    const std::string path = "collections." + c.name;
    if (!ValidName(c.name)) problems.Add(cn, path, "needs a name of letters, digits and _");
    CheckKeys(cn, path, {"name", "primary_key", "timestamp", "erase", "hold", "retention", "fields", "description"},
              problems);
    c.primary_key = ScalarList(Get(cn, "primary_key"), path + ".primary_key", problems);
    Scalar(cn, "timestamp", c.timestamp, path, problems);
    std::string erase = "mask";
    Scalar(cn, "erase", erase, path, problems);
    if (erase != "mask" && erase != "delete") problems.Add(Get(cn, "erase"), path + ".erase", "must be mask or delete");
    c.delete_rows = erase == "delete";
    if (Get(cn, "hold").IsDefined()) ParseHold(Get(cn, "hold"), c, path + ".hold", problems);
    if (Get(cn, "retention").IsDefined()) ParseRetention(Get(cn, "retention"), c, path + ".retention", problems);
    const YAML::Node fields = Get(cn, "fields");
    if (!fields.IsSequence() || fields.size() == 0) {
      problems.Add(cn, path + ".fields", "is required: a list of fields");
      continue;
    }
    for (const auto& fn : fields) {
      Field f{.line = Line(fn)};
      if (!fn.IsMap()) {
        problems.Add(fn, path + ".fields", "each field must be a mapping");
        continue;
      }
      Scalar(fn, "name", f.name, path, problems);
      const std::string fpath = path + ".fields." + f.name;
      if (!ValidName(f.name)) problems.Add(fn, fpath, "needs a name of letters, digits and _");
      CheckKeys(fn, fpath, {"name", "categories", "identity", "erase", "provided", "references", "description"}, problems);
      f.categories = ScalarList(Get(fn, "categories"), fpath + ".categories", problems);
      CheckCategories(Get(fn, "categories"), f.categories, fpath + ".categories", problems);
      if (Scalar(fn, "identity", f.identity, fpath, problems) && !kIdentities.contains(f.identity)) {
        problems.Add(Get(fn, "identity"), fpath + ".identity",
                     "must be one of email, phone, account_id, customer_id, device_id, user_id, external_id");
      }
      if (Get(fn, "erase").IsDefined()) ParseErase(Get(fn, "erase"), f, fpath + ".erase", problems);
      std::string provided;
      if (Scalar(fn, "provided", provided, fpath, problems)) {
        if (provided != "true" && provided != "false") problems.Add(Get(fn, "provided"), fpath + ".provided", "must be true or false");
        f.provided = provided == "true";
      }
      ParseReferences(Get(fn, "references"), f, fpath + ".references", problems);
      c.fields.push_back(std::move(f));
    }
    d.collections.push_back(std::move(c));
  }
  if (problems.empty()) CheckGraph(d, problems);
  RETURN_IF_ERROR(problems.Finish());
  ResolveRetentionAnchors(d);
  return d;
}

Result<Dataset> LoadManifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read the manifest", path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseManifest(text.str(), path);
}

Result<Dataset> ImportFideslang(std::string_view yaml_text, std::string_view file) {
  Problems problems(file);
  ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(yaml_text, file));
  const YAML::Node list = Get(root, "dataset");
  if (!list.IsSequence() || list.size() == 0 || !list[0].IsMap()) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}:1: not a fideslang dataset (dataset: [ … ])", file), file);
  }
  const YAML::Node ds = list[0];
  Dataset d;
  d.file = std::string(file);
  d.engine = "postgres";
  Scalar(ds, "fides_key", d.key, "dataset", problems);
  Scalar(ds, "name", d.name, "dataset", problems);
  if (!ValidName(d.key)) problems.Add(ds, "dataset.fides_key", "is required: a name of letters, digits and _");
  d.dsn_env = "STEWARD_DSN_" + d.key;
  std::transform(d.dsn_env.begin(), d.dsn_env.end(), d.dsn_env.begin(), [](unsigned char c) { return std::toupper(c); });
  for (const auto& cn : Get(ds, "collections")) {
    Collection c{.line = Line(cn)};
    Scalar(cn, "name", c.name, "collections", problems);
    if (!ValidName(c.name)) problems.Add(cn, "collections." + c.name, "needs a name of letters, digits and _");
    if (!Get(cn, "fields").IsSequence() || Get(cn, "fields").size() == 0) {
      problems.Add(cn, "collections." + c.name + ".fields", "is required: a list of fields");
    }
    for (const auto& fn : Get(cn, "fields")) {
      Field f{.line = Line(fn)};
      const std::string path = fmt::format("collections.{}.fields", c.name);
      Scalar(fn, "name", f.name, path, problems);
      if (!ValidName(f.name)) problems.Add(fn, path + "." + f.name, "needs a name of letters, digits and _");
      if (Get(fn, "fields").IsDefined()) {
        problems.Add(fn, path + "." + f.name, "nested fields (documents) are not supported by SQL connectors");
      }
      f.categories = ScalarList(Get(fn, "data_categories"), path + "." + f.name + ".data_categories", problems);
      CheckCategories(Get(fn, "data_categories"), f.categories, path + "." + f.name + ".data_categories", problems);
      if (const YAML::Node meta = Get(fn, "fides_meta"); meta.IsMap()) {
        Scalar(meta, "identity", f.identity, path, problems);
        if (!f.identity.empty() && !kIdentities.contains(f.identity)) f.identity = "external_id";
        std::string pk;
        if (Scalar(meta, "primary_key", pk, path, problems) && (pk == "true" || pk == "True")) c.primary_key.push_back(f.name);
        for (const auto& r : Get(meta, "references")) {
          std::string target, direction = "to";
          Scalar(r, "field", target, path, problems);
          Scalar(r, "direction", direction, path, problems);
          const size_t dot = target.find('.');
          if (dot == std::string::npos) {
            problems.Add(r, path + "." + f.name + ".references", "must be collection.field");
            continue;
          }
          f.references.push_back({.collection = target.substr(0, dot),
                                  .field = target.substr(dot + 1),
                                  .to = direction != "from",
                                  .line = Line(r)});
        }
        if (const YAML::Node m = Get(meta, "masking_strategy_override"); m.IsMap()) {
          std::string strategy;
          Scalar(m, "strategy", strategy, path, problems);
          if (strategy == "string_rewrite") {
            f.erase = Strategy::kFixed;
            f.erase_declared = true;
            Scalar(Get(m, "configuration"), "rewrite_value", f.erase_value, path, problems);
            std::string suffix;
            if (Get(Get(m, "configuration"), "format_preservation").IsMap()) {
              Scalar(Get(Get(m, "configuration"), "format_preservation"), "suffix", suffix, path, problems);
            }
            f.erase_value += suffix;
          } else if (strategy == "null_rewrite") {
            f.erase = Strategy::kNullify;
            f.erase_declared = true;
          } else if (strategy == "hash") {
            f.erase = Strategy::kHash;
            f.erase_declared = true;
          } else if (strategy == "random_string_rewrite") {
            f.erase = Strategy::kRandom;
            f.erase_declared = true;
          } else {
            problems.Add(m, path + "." + f.name + ".masking_strategy_override",
                         fmt::format("unsupported masking strategy '{}'", strategy));
          }
        }
      }
      c.fields.push_back(std::move(f));
    }
    d.collections.push_back(std::move(c));
  }
  if (problems.empty()) CheckGraph(d, problems);
  RETURN_IF_ERROR(problems.Finish());
  return d;
}

std::string EmitManifest(const Dataset& d) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "dataset" << YAML::Value << d.key;
  if (!d.name.empty()) out << YAML::Key << "name" << YAML::Value << d.name;
  out << YAML::Key << "connection" << YAML::Value << YAML::BeginMap << YAML::Key << "engine" << YAML::Value << d.engine;
  if (!d.dsn_env.empty()) {
    out << YAML::Key << "dsn_env" << YAML::Value << d.dsn_env;
  } else {
    out << YAML::Key << "dsn" << YAML::Value << d.dsn;
  }
  if (!d.schema.empty()) out << YAML::Key << "schema" << YAML::Value << d.schema;
  out << YAML::EndMap << YAML::Key << "collections" << YAML::Value << YAML::BeginSeq;
  for (const Collection& c : d.collections) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << c.name;
    if (!c.primary_key.empty()) out << YAML::Key << "primary_key" << YAML::Value << YAML::Flow << c.primary_key;
    if (!c.timestamp.empty()) out << YAML::Key << "timestamp" << YAML::Value << c.timestamp;
    if (c.delete_rows) out << YAML::Key << "erase" << YAML::Value << "delete";
    if (c.hold) {
      out << YAML::Key << "hold" << YAML::Value << YAML::BeginMap;
      if (c.hold->count) out << YAML::Key << "period" << YAML::Value << fmt::format("{} {}", c.hold->count, c.hold->unit);
      if (!c.hold->from.empty()) out << YAML::Key << "from" << YAML::Value << c.hold->from;
      out << YAML::Key << "reason" << YAML::Value << c.hold->reason << YAML::EndMap;
    }
    out << YAML::Key << "fields" << YAML::Value << YAML::BeginSeq;
    for (const Field& f : c.fields) {
      out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << f.name;
      if (!f.categories.empty()) out << YAML::Key << "categories" << YAML::Value << YAML::Flow << f.categories;
      if (!f.identity.empty()) out << YAML::Key << "identity" << YAML::Value << f.identity;
      if (f.erase_declared) {
        if (f.erase == Strategy::kFixed) {
          out << YAML::Key << "erase" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "strategy"
              << YAML::Value << "fixed" << YAML::Key << "value" << YAML::Value << f.erase_value << YAML::EndMap;
        } else if (f.erase == Strategy::kGeneralize) {
          out << YAML::Key << "erase" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "strategy"
              << YAML::Value << "generalize" << YAML::Key << "to" << YAML::Value << f.erase_value << YAML::EndMap;
        } else {
          out << YAML::Key << "erase" << YAML::Value << std::string(StrategyName(f.erase));
        }
      }
      if (f.provided) out << YAML::Key << "provided" << YAML::Value << true;
      if (!f.references.empty()) {
        out << YAML::Key << "references" << YAML::Value << YAML::BeginSeq;
        for (const Reference& r : f.references) {
          out << YAML::Flow << YAML::BeginMap << YAML::Key << "field" << YAML::Value << r.collection + "." + r.field
              << YAML::Key << "direction" << YAML::Value << (r.to ? "to" : "from") << YAML::EndMap;
        }
        out << YAML::EndSeq;
      }
      out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

Status Bind(Dataset& d, const connect::Schema& schema) {
  Problems problems(d.file);
  for (Collection& c : d.collections) {
    const std::string path = "collections." + c.name;
    const connect::Table* table = schema.FindTable(c.name);
    if (!table) {
      problems.Add(c.line, path, "the database has no such table (changed since the manifest was written?)");
      continue;
    }
    if (c.primary_key.empty()) {
      if (table->primary_key.empty()) {
        problems.Add(c.line, path, "the table has no primary key; declare primary_key: so rows can be addressed");
        continue;
      }
      c.primary_key = table->primary_key;
    }
    for (const Field& f : c.fields) {
      const connect::Column* column = table->FindColumn(f.name);
      if (!column) {
        problems.Add(f.line, path + ".fields." + f.name, "the table has no such column (changed since the manifest was written?)");
        continue;
      }
      const bool pk = std::find(c.primary_key.begin(), c.primary_key.end(), f.name) != c.primary_key.end();
      // Deleted rows are never masked, unless rows kept under a hold point at them.
      const bool maskable = !c.DeletesRows() || std::any_of(d.collections.begin(), d.collections.end(), [&](const Collection& o) {
        return std::any_of(o.fields.begin(), o.fields.end(), [&](const Field& of) {
          return std::any_of(of.references.begin(), of.references.end(),
                             [&](const Reference& r) { return r.collection == c.name; });
        });
      });
      if (maskable && !column->nullable && EffectiveStrategy(f, pk) == Strategy::kNullify) {
        problems.Add(f.line, path + ".fields." + f.name,
                     c.DeletesRows()
                         ? "is NOT NULL in the database and cannot be nullified when a row is kept because held records "
                           "point at it; choose another erase strategy (keep, for a reference)"
                         : "is NOT NULL in the database and cannot be nullified; choose another erase strategy");
      }
    }
    for (const std::string& k : c.primary_key) {
      if (!table->FindColumn(k)) problems.Add(c.line, path + ".primary_key", "the table has no column '" + k + "'");
    }
    if (!c.retention.empty() && c.primary_key.size() != 1) {
      problems.Add(c.retention.front().line, path + ".retention",
                   "retention sweeps need a single-column primary key (rows are swept in key order)");
    }
  }
  return problems.Finish();
}

Dataset DraftFromSchema(const connect::Schema& schema, std::string_view key, std::string_view engine) {
  struct Hint {
    std::string_view contains;
    std::string_view category;
    std::string_view identity;
  };
  static const Hint kHints[] = {
      {"email", "user.contact.email", "email"},        {"phone", "user.contact.phone_number", "phone"},
      {"first_name", "user.name", ""},                  {"last_name", "user.name", ""},
      {"surname", "user.name", ""},                     {"full_name", "user.name", ""},
      {"street", "user.contact.address.street", ""},    {"city", "user.contact.address.city", ""},
      {"zip", "user.contact.address.postal_code", ""},  {"postal", "user.contact.address.postal_code", ""},
      {"state", "user.contact.address.state", ""},      {"country", "user.contact.address.country", ""},
      {"birth", "user.demographic.date_of_birth", ""}, {"dob", "user.demographic.date_of_birth", ""},
      {"ssn", "user.government_id", ""},                {"passport", "user.government_id", ""},
      {"card", "user.financial", ""},                   {"iban", "user.financial.bank_account", ""},
      {"ip_addr", "user.device.ip_address", ""},        {"latitude", "user.location", ""},
      {"longitude", "user.location", ""},               {"body", "user.content", ""},
      {"note", "user.content", ""},                     {"message", "user.content", ""},
  };
  Dataset d;
  d.key = std::string(key);
  d.engine = std::string(engine);
  d.dsn_env = "STEWARD_DSN_" + d.key;
  std::transform(d.dsn_env.begin(), d.dsn_env.end(), d.dsn_env.begin(), [](unsigned char c) { return std::toupper(c); });
  for (const connect::Table& t : schema.tables) {
    Collection c{.name = t.name, .primary_key = t.primary_key};
    for (const connect::Column& col : t.columns) {
      Field f{.name = col.name};
      for (const Hint& h : kHints) {
        if (col.name.find(h.contains) != std::string::npos) {
          f.categories = {std::string(h.category)};
          f.identity = std::string(h.identity);
          break;
        }
      }
      if (f.name == "name") f.categories = {"user.name"};
      if (c.timestamp.empty() && (col.type.find("timestamp") != std::string::npos || col.type == "datetime" ||
                                  col.name == "created_at" || col.name == "created")) {
        c.timestamp = col.name;
      }
      for (const connect::ForeignKey& fk : t.foreign_keys) {
        if (fk.columns.size() == 1 && fk.columns[0] == col.name) {
          // The row holding the foreign key belongs to the row it points at: reach it from there.
          f.references.push_back({.collection = fk.ref_table, .field = fk.ref_columns[0], .to = false});
        }
      }
      if (f.categories.empty()) f.categories = {"system.operations"};
      c.fields.push_back(std::move(f));
    }
    d.collections.push_back(std::move(c));
  }
  // A foreign key into a table that identifies people (customers) is followed from the person to
  // the rows that point at them; one into anything else (addresses, products) is followed from
  // the row to what it points at.
  for (Collection& c : d.collections) {
    for (Field& f : c.fields) {
      for (Reference& r : f.references) {
        const Collection* parent = d.FindCollection(r.collection);
        const bool person = parent && std::any_of(parent->fields.begin(), parent->fields.end(),
                                                  [](const Field& pf) { return !pf.identity.empty(); });
        r.to = !person;
      }
    }
  }
  return d;
}

}  // namespace steward::fulfil
