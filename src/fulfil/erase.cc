#include "fulfil/erase.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/text.h"
#include "scan/report.h"
#include "scan/scan.h"

namespace steward::fulfil {
namespace {

using connect::Cell;
using connect::Kind;
using connect::Row;

// Every row of the person, per collection, kept for planning.
class CollectingSink final : public RowSink {
 public:
  explicit CollectingSink(size_t n) : rows(n) {}
  Status OnRow(size_t collection, const Row& row) override {
    rows[collection].push_back(row);
    return {};
  }
  std::vector<std::vector<Row>> rows;
};

constexpr size_t kSampleKeys = 20;

std::string DisplayKey(const Graph& g, size_t c, const Row& row) {
  std::string out;
  for (size_t k : g.key[c]) {
    if (!out.empty()) out += ",";
    out += row[k].text;
  }
  return out;
}

Cell NumberFromHash(const std::string& hex) {
  uint64_t v = 0;
  std::from_chars(hex.data(), hex.data() + 12, v, 16);
  return {Kind::kInt, std::to_string(v % 2147483647ULL)};
}

bool LooksLikeDate(std::string_view v) {
  return v.size() >= 10 && std::isdigit(static_cast<unsigned char>(v[0])) && v[4] == '-' && v[7] == '-';
}

}  // namespace

std::string RedactFreeText(std::string_view text, const std::vector<std::string>& identity) {
  const scan::Engine& engine = scan::RedactionEngine();
  auto session = engine.NewSession();
  std::string out = scan::Redact(*session, engine, text);
  // The person's own identifiers, wherever they are (a username the detectors cannot know).
  // Earlier masks are left alone ("red" must not eat into "[REDACTED:…]"), so redacting twice
  // changes nothing.
  for (const std::string& value : identity) {
    if (value.size() < 3) continue;  // "1", "AB": would mask ordinary text
    const std::string needle = AsciiLower(value);
    const std::string lower = AsciiLower(out);
    std::string masked;
    size_t pos = 0, copied = 0;
    while ((pos = lower.find(needle, pos)) != std::string::npos) {
      const size_t open = lower.rfind("[redacted:", pos);
      const size_t close = open == std::string::npos ? std::string::npos : lower.find(']', open);
      if (open != std::string::npos && close != std::string::npos && close >= pos) {
        pos = close + 1;  // inside an earlier mask
        continue;
      }
      masked.append(out, copied, pos - copied);
      masked += "[REDACTED:identity]";
      pos += needle.size();
      copied = pos;
    }
    if (copied == 0) continue;
    masked.append(out, copied, std::string::npos);
    out = std::move(masked);
  }
  return out;
}

Cell ErasedValue(const Field& f, Strategy s, const Cell& value, bool numeric, const InstanceKey& key,
                 const std::vector<std::string>& identity) {
  switch (s) {
    case Strategy::kKeep: return value;
    case Strategy::kRedact:
      if (numeric || value.null()) return value;
      return Cell::Text(RedactFreeText(value.text, identity));
    case Strategy::kNullify: return Cell::Null();
    case Strategy::kFixed: return Cell::Text(f.erase_value);
    case Strategy::kRandom:
      return numeric ? Cell{Kind::kInt, std::to_string(1 + std::stoll(RandomDigits(9)))} : Cell::Text(RandomBase32(10));
    case Strategy::kHash: {
      const std::string h = key.KeyedHash("erasure-hash", value.text);
      return numeric ? NumberFromHash(h) : Cell::Text(h.substr(0, 32));
    }
    case Strategy::kPseudonym: {
      const std::string h = key.KeyedHash("erasure-pseudonym", value.text);
      if (numeric) return NumberFromHash(h);
      const bool email = std::any_of(f.categories.begin(), f.categories.end(),
                                     [](const std::string& c) { return c.starts_with("user.contact.email"); });
      return Cell::Text(email ? "anon-" + h.substr(0, 12) + "@anonymized.invalid" : "anon-" + h.substr(0, 12));
    }
    case Strategy::kGeneralize: {
      if (f.erase_value == "year") {
        if (LooksLikeDate(value.text)) {
          return Cell::Text(value.text.substr(0, 4) + "-01-01" + (value.text.size() > 10 ? " 00:00:00" : ""));
        }
        return value;
      }
      std::string zip = value.text.substr(0, std::min<size_t>(3, value.text.size()));
      return Cell::Text(zip + "00");
    }
  }
  return value;
}

namespace {

// Parses the start of a date or timestamp value.
std::optional<Date> DateOf(const Cell& c) {
  if (c.null() || !LooksLikeDate(c.text)) return std::nullopt;
  auto d = ParseDate(c.text.substr(0, 10));
  if (!d) return std::nullopt;
  return *d;
}

Date AddPeriod(Date d, int count, const std::string& unit) {
  if (unit == "days") return AddDays(d, count);
  if (unit == "months") return AddMonthsClamped(d, count);
  return AddMonthsClamped(d, count * 12);
}

size_t IndexOf(const Dataset& d, const Collection* c) { return static_cast<size_t>(c - d.collections.data()); }

struct RowState {
  enum { kFree, kHeld } state = kFree;
  std::string reason;
  bool pinned = false;  // a held row points at it: mask instead of delete
};

}  // namespace

int64_t ErasurePlan::rows_changed() const {
  int64_t n = 0;
  for (const auto& c : collections) n += c.deleted + c.masked;
  return n;
}

Result<ErasurePlan> PlanErasure(const Graph& g, connect::Connector& connector,
                                const std::vector<IdentityValue>& identity, const InstanceKey& key, Date today,
                                RowSink* observer) {
  const Dataset& d = *g.dataset;
  const size_t n = d.collections.size();
  CollectingSink sink(n);
  TeeSink tee(sink, observer);
  RETURN_IF_ERROR(Traverse(g, connector, identity, tee));
  std::vector<std::string> identity_values;  // masked inside free text by the redact strategy
  for (const IdentityValue& v : identity) identity_values.push_back(v.value);

  std::vector<std::set<std::string>> found(n);
  for (size_t c = 0; c < n; ++c) {
    for (const Row& r : sink.rows[c]) found[c].insert(KeyString(g, c, r));
  }
  std::vector<std::vector<RowState>> state(n);
  for (size_t c = 0; c < n; ++c) state[c].resize(sink.rows[c].size());

  // Legal holds.
  for (size_t c = 0; c < n; ++c) {
    const Collection& col = d.collections[c];
    if (!col.hold) continue;
    for (size_t i = 0; i < sink.rows[c].size(); ++i) {
      RowState& st = state[c][i];
      if (col.hold->from.empty()) {
        st = {RowState::kHeld, col.hold->reason};
        continue;
      }
      const auto start = DateOf(sink.rows[c][i][g.ColumnIndex(c, col.hold->from)]);
      if (!start) {
        st = {RowState::kHeld, col.hold->reason + " (its date is unknown, so it is kept)"};
        continue;
      }
      const Date until = AddPeriod(*start, col.hold->count, col.hold->unit);
      if (std::chrono::sys_days(until) > std::chrono::sys_days(today)) {
        st = {RowState::kHeld, fmt::format("{} (kept until {})", col.hold->reason, FormatDate(until))};
      }
    }
  }

  // Rows reached only because the person's rows point at them (an address, a product) may
  // belong to other people too: keep any that rows outside this person's set also point at.
  for (size_t p = 0; p < n; ++p) {
    if (!g.pointed_to_only[p] || sink.rows[p].empty()) continue;
    for (size_t c = 0; c < n; ++c) {
      for (const Field& f : d.collections[c].fields) {
        for (const Reference& r : f.references) {
          if (r.collection != d.collections[p].name) continue;
          const size_t target_col = g.ColumnIndex(p, r.field);
          std::vector<Cell> values;
          std::set<std::string> distinct;
          for (const Row& row : sink.rows[p]) {
            if (!row[target_col].null() && distinct.insert(row[target_col].text).second) values.push_back(row[target_col]);
          }
          std::set<std::string> shared_values;
          const size_t via = g.ColumnIndex(c, f.name);
          for (size_t b = 0; b < values.size(); b += connect::kMaxBatch) {
            connect::Select s{.table = d.collections[c].name, .columns = g.columns[c], .match_column = f.name};
            s.values.assign(values.begin() + static_cast<long>(b),
                            values.begin() + static_cast<long>(std::min(values.size(), b + connect::kMaxBatch)));
            RETURN_IF_ERROR(connector.Find(s, [&](const Row& other) -> Status {
              if (!found[c].contains(KeyString(g, c, other))) shared_values.insert(other[via].text);
              return {};
            }));
          }
          for (size_t i = 0; i < sink.rows[p].size(); ++i) {
            if (state[p][i].state == RowState::kFree && shared_values.contains(sink.rows[p][i][target_col].text)) {
              state[p][i] = {RowState::kHeld, "also part of other people's records, so it is kept"};
            }
          }
        }
      }
    }
  }

  // A row that stays (held, in a collection that is masked, or itself kept) keeps the rows its
  // remaining references point at: those are masked instead of deleted, so no foreign key is
  // left dangling. Repeated until nothing changes, as kept rows can pin further rows.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t c = 0; c < n; ++c) {
      const Collection& col = d.collections[c];
      for (const Field& f : col.fields) {
        const bool pk = std::find(col.primary_key.begin(), col.primary_key.end(), f.name) != col.primary_key.end();
        const bool reference_survives = EffectiveStrategy(f, pk) == Strategy::kKeep;
        for (const Reference& r : f.references) {
          const size_t t = IndexOf(d, d.FindCollection(r.collection));
          if (!d.collections[t].DeletesRows()) continue;
          const size_t from = g.ColumnIndex(c, f.name), to = g.ColumnIndex(t, r.field);
          std::set<std::string> kept_values;
          for (size_t i = 0; i < sink.rows[c].size(); ++i) {
            const bool held = state[c][i].state == RowState::kHeld;
            const bool stays = held || !col.DeletesRows() || state[c][i].pinned;
            if (stays && (held || reference_survives) && !sink.rows[c][i][from].null()) {
              kept_values.insert(sink.rows[c][i][from].text);
            }
          }
          for (size_t i = 0; i < sink.rows[t].size(); ++i) {
            if (!state[t][i].pinned && kept_values.contains(sink.rows[t][i][to].text)) {
              state[t][i].pinned = true;
              changed = true;
            }
          }
        }
      }
    }
  }

  ErasurePlan plan;
  plan.dataset = d.key;
  plan.unreachable = Unreachable(g);
  plan.expected.resize(n);
  plan.held_keys.resize(n);
  plan.deleted_keys.resize(n);
  plan.collections.resize(n);
  std::vector<connect::Change> deletes(n);
  for (size_t c = 0; c < n; ++c) {
    const Collection& col = d.collections[c];
    CollectionPlan& cp = plan.collections[c];
    cp.collection = col.name;
    cp.found = static_cast<int64_t>(sink.rows[c].size());
    for (const Field& f : col.fields) {
      const bool pk = std::find(col.primary_key.begin(), col.primary_key.end(), f.name) != col.primary_key.end();
      const Strategy s = EffectiveStrategy(f, pk);
      if (s != Strategy::kKeep) cp.fields.push_back(fmt::format("{}: {}", f.name, StrategyName(s)));
    }
    if (col.DeletesRows()) cp.fields.insert(cp.fields.begin(), "row: delete");
    deletes[c] = {.op = connect::Change::Op::kDelete, .table = col.name, .key_columns = col.primary_key};
    // Masking changes, grouped by identical SET clauses so constant strategies run in batches.
    std::map<std::string, size_t> group_of;
    std::map<std::string, HeldRows> held_by_reason;
    for (size_t i = 0; i < sink.rows[c].size(); ++i) {
      const Row& row = sink.rows[c][i];
      const std::string ks = KeyString(g, c, row);
      Row key_cells;
      for (size_t k : g.key[c]) key_cells.push_back(row[k]);
      if (state[c][i].state == RowState::kHeld) {
        ++cp.held;
        plan.held_keys[c].insert(ks);
        HeldRows& h = held_by_reason[state[c][i].reason];
        h.collection = col.name;
        h.reason = state[c][i].reason;
        ++h.rows;
        if (h.keys.size() < kSampleKeys) h.keys.push_back(DisplayKey(g, c, row));
        continue;
      }
      if (col.DeletesRows() && !state[c][i].pinned) {
        ++cp.deleted;
        plan.deleted_keys[c].insert(ks);
        deletes[c].keys.push_back(std::move(key_cells));
        continue;
      }
      std::vector<std::pair<std::string, Cell>> set;
      std::vector<std::pair<size_t, Cell>> expect;
      bool per_row = false;
      for (const Field& f : col.fields) {
        const bool pk = std::find(col.primary_key.begin(), col.primary_key.end(), f.name) != col.primary_key.end();
        const Strategy s = EffectiveStrategy(f, pk);
        const size_t idx = g.ColumnIndex(c, f.name);
        if (s == Strategy::kKeep || row[idx].null()) continue;
        Cell v = ErasedValue(f, s, row[idx], g.numeric[c][idx], key, identity_values);
        if (v == row[idx]) continue;
        per_row = per_row || (s != Strategy::kNullify && s != Strategy::kFixed);
        expect.emplace_back(idx, v);
        set.emplace_back(f.name, std::move(v));
      }
      if (set.empty()) {
        ++cp.unchanged;
        plan.expected[c][ks] = {};  // kept as it is (nothing personal left to mask)
        continue;
      }
      ++cp.masked;
      plan.expected[c][ks] = expect;
      std::string signature;
      for (const auto& [column, v] : set) signature += column + '\x1f' + (v.null() ? "\x01" : v.text) + '\x1e';
      if (!per_row) {
        auto [it, inserted] = group_of.try_emplace(signature, plan.changes.size());
        if (!inserted) {
          plan.changes[it->second].keys.push_back(std::move(key_cells));
          continue;
        }
      }
      plan.changes.push_back({.op = connect::Change::Op::kUpdate,
                              .table = col.name,
                              .key_columns = col.primary_key,
                              .keys = {std::move(key_cells)},
                              .set = std::move(set)});
    }
    for (auto& [reason, h] : held_by_reason) plan.held.push_back(std::move(h));
  }
  for (size_t c : DeleteOrder(g)) {
    if (!deletes[c].keys.empty()) plan.changes.push_back(std::move(deletes[c]));
  }
  return plan;
}

Result<ErasurePlan> PlanCorrection(const Graph& g, connect::Connector& connector,
                                   const std::vector<IdentityValue>& identity, const Corrections& corrections,
                                   RowSink* observer) {
  const Dataset& d = *g.dataset;
  const size_t n = d.collections.size();
  std::vector<std::pair<size_t, std::pair<std::string, Cell>>> wanted;
  for (const auto& [target, value] : corrections) {
    const size_t dot = target.find('.');
    const Collection* col = dot == std::string::npos ? nullptr : d.FindCollection(target.substr(0, dot));
    const Field* f = col ? col->FindField(target.substr(dot + 1)) : nullptr;
    if (!f) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("dataset {} has no field {}", d.key, target), "corrections");
    }
    if (std::find(col->primary_key.begin(), col->primary_key.end(), f->name) != col->primary_key.end() ||
        !f->references.empty()) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{} is a key and cannot be corrected", target), "corrections");
    }
    if (!f->Personal()) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{} is not personal information", target), "corrections");
    }
    if (value.size() > 1000) return Fail(ErrorCode::kInvalidArgument, "is too long", "corrections." + target);
    wanted.push_back({IndexOf(d, col), {f->name, Cell::Text(value)}});
  }
  CollectingSink sink(n);
  TeeSink tee(sink, observer);
  RETURN_IF_ERROR(Traverse(g, connector, identity, tee));
  ErasurePlan plan;
  plan.dataset = d.key;
  plan.expected.resize(n);
  plan.held_keys.resize(n);
  plan.deleted_keys.resize(n);
  for (size_t c = 0; c < n; ++c) {
    connect::Change change{.op = connect::Change::Op::kUpdate, .table = d.collections[c].name,
                           .key_columns = d.collections[c].primary_key};
    for (const auto& [wc, set] : wanted) {
      if (wc == c) change.set.push_back(set);
    }
    if (change.set.empty()) continue;
    CollectionPlan cp{.collection = d.collections[c].name, .found = static_cast<int64_t>(sink.rows[c].size())};
    for (const auto& [column, v] : change.set) cp.fields.push_back(column + ": corrected");
    for (const Row& row : sink.rows[c]) {
      Row key_cells;
      for (size_t k : g.key[c]) key_cells.push_back(row[k]);
      change.keys.push_back(std::move(key_cells));
      for (const auto& [column, v] : change.set) {
        plan.corrected.push_back({d.collections[c].name + "." + column, row[g.ColumnIndex(c, column)].text, v.text});
      }
    }
    cp.masked = static_cast<int64_t>(change.keys.size());
    if (!change.keys.empty()) plan.changes.push_back(std::move(change));
    plan.collections.push_back(std::move(cp));
  }
  return plan;
}

Result<int64_t> ApplyPlan(connect::Connector& connector, const ErasurePlan& plan) {
  if (plan.changes.empty()) return 0;
  return connector.Apply(plan.changes);
}

Result<std::vector<Residual>> Recheck(const Graph& g, connect::Connector& connector,
                                      const std::vector<IdentityValue>& identity, const ErasurePlan& plan) {
  const Dataset& d = *g.dataset;
  class Checker final : public RowSink {
   public:
    Checker(const Graph& g, const ErasurePlan& plan, const std::vector<IdentityValue>& identity) : g_(g), plan_(plan) {
      for (const IdentityValue& v : identity) identity_.push_back(v.value);
    }
    Status OnRow(size_t c, const Row& row) override {
      const Collection& col = g_.dataset->collections[c];
      const std::string ks = KeyString(g_, c, row);
      if (plan_.held_keys[c].contains(ks)) return {};
      const std::string shown = DisplayKey(g_, c, row);
      if (plan_.deleted_keys[c].contains(ks)) {
        out.push_back({col.name, shown, ""});
        return {};
      }
      if (auto it = plan_.expected[c].find(ks); it != plan_.expected[c].end()) {
        for (const auto& [idx, v] : it->second) {
          if (!(row[idx] == v) && !(row[idx].text == v.text && row[idx].null() == v.null())) {
            out.push_back({col.name, shown, g_.columns[c][idx]});
          }
        }
        return {};
      }
      // A row the plan did not know: residual if anything erasable is still in it.
      if (col.DeletesRows()) {
        out.push_back({col.name, shown, ""});
        return {};
      }
      for (const Field& f : col.fields) {
        const bool pk = std::find(col.primary_key.begin(), col.primary_key.end(), f.name) != col.primary_key.end();
        const Strategy s = EffectiveStrategy(f, pk);
        const Cell& value = row[g_.ColumnIndex(c, f.name)];
        if (value.null()) continue;
        if (s == Strategy::kNullify ||
            (s == Strategy::kRedact && !g_.numeric[c][g_.ColumnIndex(c, f.name)] && RedactFreeText(value.text, identity_) != value.text)) {
          out.push_back({col.name, shown, f.name});
        }
      }
      return {};
    }
    std::vector<Residual> out;

   private:
    const Graph& g_;
    const ErasurePlan& plan_;
    std::vector<std::string> identity_;
  } checker(g, plan, identity);
  (void)d;
  RETURN_IF_ERROR(Traverse(g, connector, identity, checker));
  return checker.out;
}

}  // namespace steward::fulfil
