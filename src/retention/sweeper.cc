#include "retention/sweeper.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "audit/audit.h"
#include "core/calendar.h"
#include "fulfil/erase.h"
#include "fulfil/traverse.h"

namespace steward::retention {
namespace {

using connect::Cell;
using connect::Row;
using nlohmann::json;
using fulfil::RetentionRule;

Date Minus(Date d, int count, const std::string& unit) {
  if (unit == "days") return AddDays(d, -count);
  if (unit == "months") return AddMonthsClamped(d, -count);
  return AddMonthsClamped(d, -12 * count);
}

bool IsKey(const fulfil::Collection& c, const std::string& field) {
  return std::find(c.primary_key.begin(), c.primary_key.end(), field) != c.primary_key.end();
}

}  // namespace

std::string ToJson(const SweepReport& r) {
  json j{{"run_id", r.run_id},     {"dry_run", r.dry_run}, {"resumed", r.resumed},
         {"status", r.status},     {"rows", r.rows},       {"store_errors", r.store_errors},
         {"rules", json::array()}};
  for (const auto& rule : r.rules) {
    json x{{"dataset", rule.dataset}, {"collection", rule.collection}, {"rule", rule.rule}, {"action", rule.action},
           {"cutoff", rule.cutoff},   {"rows", rule.rows}};
    if (r.dry_run) x["sample_keys"] = rule.sample_keys;
    if (!rule.error.empty()) x["error"] = rule.error;
    j["rules"].push_back(std::move(x));
  }
  return j.dump();
}

Sweeper::Sweeper(std::vector<fulfil::Dataset> datasets, store::Store& store, const InstanceKey& key, const Clock& clock,
                 fulfil::ConnectorFactory factory)
    : datasets_(std::move(datasets)), store_(store), key_(key), clock_(clock), factory_(std::move(factory)) {}

bool Sweeper::has_rules() const {
  for (const auto& d : datasets_) {
    for (const auto& c : d.collections) {
      if (!c.retention.empty()) return true;
    }
  }
  return false;
}

Result<std::vector<store::RetentionRunRow>> Sweeper::History(int limit) {
  std::vector<store::RetentionRunRow> runs;
  RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(runs, tx.ListRetentionRuns(limit));
    return {};
  }));
  return runs;
}

Result<TimePoint> Sweeper::NextDue(std::chrono::hours interval) {
  ASSIGN_OR_RETURN(auto runs, History(50));
  for (const auto& r : runs) {
    if (!r.dry_run) return FromMillis(r.started_at) + interval;
  }
  return clock_.Now();
}

Result<SweepReport> Sweeper::Run(const SweepOptions& options) {
  std::lock_guard one_at_a_time(*running_);
  SweepReport report;
  report.dry_run = options.dry_run;
  const TimePoint now = clock_.Now();
  const Date today = LocalDate(now);
  std::map<std::string, store::RetentionProgressRow> progress;  // dataset/collection.rule
  RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) -> Status {
    if (!options.dry_run) {
      ASSIGN_OR_RETURN(auto runs, tx.ListRetentionRuns(20));
      for (const auto& r : runs) {
        if (r.dry_run) continue;
        if (r.status == "running") {  // the last real run stopped before finishing: resume it
          report.run_id = r.id;
          report.resumed = true;
          ASSIGN_OR_RETURN(auto rows, tx.ListRetentionProgress(r.id));
          for (auto& p : rows) progress[p.dataset + "/" + p.rule] = std::move(p);
        }
        break;
      }
    }
    if (report.run_id.empty()) {
      report.run_id = "ret_" + RandomBase32(10);
      RETURN_IF_ERROR(tx.InsertRetentionRun({.id = report.run_id,
                                             .started_at = ToMillis(now),
                                             .dry_run = options.dry_run,
                                             .trigger = options.trigger,
                                             .status = "running"}));
    }
    return {};
  }));

  for (const fulfil::Dataset& original : datasets_) {
    if (std::none_of(original.collections.begin(), original.collections.end(),
                     [](const fulfil::Collection& c) { return !c.retention.empty(); })) {
      continue;
    }
    auto conn = factory_(original);
    if (!conn) {
      report.store_errors.push_back(fmt::format("{}: {} (retried at the next run)", original.key, conn.error().message));
      continue;
    }
    auto schema = (*conn)->Introspect();
    fulfil::Dataset d = original;
    if (!schema) {
      report.store_errors.push_back(fmt::format("{}: {} (retried at the next run)", d.key, schema.error().message));
      continue;
    }
    if (auto bound = fulfil::Bind(d, *schema); !bound) {
      report.store_errors.push_back(fmt::format("{}: {}", d.key, bound.error().message));
      continue;
    }
    const fulfil::Graph g = fulfil::BuildGraph(d, *schema);
    for (size_t ci = 0; ci < d.collections.size(); ++ci) {
      const fulfil::Collection& col = d.collections[ci];
      for (const RetentionRule& r : col.retention) {
        RuleReport rep{.dataset = d.key, .collection = col.name, .rule = r.name, .action = std::string(fulfil::ActionName(r.action))};
        const std::string rule_id = col.name + "." + r.name;
        store::RetentionProgressRow prog{.run_id = report.run_id, .dataset = d.key, .rule = rule_id};
        if (auto it = progress.find(d.key + "/" + rule_id); it != progress.end()) prog = it->second;
        const Date cutoff = Minus(today, r.count, r.unit);
        rep.cutoff = FormatDate(cutoff);
        rep.rows = prog.rows;
        if (prog.done) {
          report.rows += rep.rows;
          report.rules.push_back(std::move(rep));
          continue;
        }
        if (col.hold && col.hold->from.empty()) {
          rep.error = "the collection is held without end: " + col.hold->reason;
          report.rules.push_back(std::move(rep));
          continue;
        }
        connect::ExpiredSelect sel{.table = col.name,
                                   .columns = g.columns[ci],
                                   .key_column = col.primary_key[0],
                                   .limit = options.batch,
                                   .anchor_column = r.anchor_field,
                                   .before = rep.cutoff,
                                   .unless_column = r.unless_field,
                                   .unless_value = r.unless_value};
        if (!r.anchor_collection.empty()) {
          sel.anchor_table = r.anchor_collection;
          sel.via_column = r.via_field;
          sel.anchor_key_column = r.anchor_key_field;
        }
        if (col.hold) {  // the legal minimum always wins
          sel.also_before_column = col.hold->from;
          sel.also_before = FormatDate(Minus(today, col.hold->count, col.hold->unit));
        }
        if (r.action == RetentionRule::Action::kAnonymize) {
          for (const fulfil::Field& f : col.fields) {
            if (fulfil::EffectiveStrategy(f, IsKey(col, f.name)) == fulfil::Strategy::kNullify) sel.pending.push_back(f.name);
          }
        }
        if (prog.last_key) sel.after_key = Cell::Text(*prog.last_key);
        const size_t key_index = g.key[ci][0];
        for (;;) {
          std::vector<Row> rows;
          auto found = (*conn)->FindExpired(sel, [&](const Row& row) -> Status {
            rows.push_back(row);
            return {};
          });
          if (!found) {
            rep.error = found.error().message;
            break;
          }
          if (rows.empty()) break;
          if (options.dry_run) {
            rep.rows += static_cast<int64_t>(rows.size());
            for (const Row& row : rows) {
              if (rep.sample_keys.size() < options.sample) rep.sample_keys.push_back(row[key_index].text);
            }
          } else {
            std::vector<connect::Change> changes;
            if (r.action == RetentionRule::Action::kAnonymize) {
              std::map<std::string, size_t> group_of;
              for (const Row& row : rows) {
                std::vector<std::pair<std::string, Cell>> set;
                bool per_row = false;
                for (const fulfil::Field& f : col.fields) {
                  const fulfil::Strategy s = fulfil::EffectiveStrategy(f, IsKey(col, f.name));
                  const size_t idx = g.ColumnIndex(ci, f.name);
                  if (s == fulfil::Strategy::kKeep || row[idx].null()) continue;
                  Cell v = fulfil::ErasedValue(f, s, row[idx], g.numeric[ci][idx], key_);
                  if (v == row[idx]) continue;
                  per_row = per_row || (s != fulfil::Strategy::kNullify && s != fulfil::Strategy::kFixed);
                  set.emplace_back(f.name, std::move(v));
                }
                if (set.empty()) continue;
                std::string signature;
                for (const auto& [column, v] : set) signature += column + '\x1f' + (v.null() ? "\x01" : v.text) + '\x1e';
                if (!per_row) {
                  auto [it, inserted] = group_of.try_emplace(signature, changes.size());
                  if (!inserted) {
                    changes[it->second].keys.push_back({row[key_index]});
                    continue;
                  }
                }
                changes.push_back({.op = connect::Change::Op::kUpdate, .table = col.name,
                                   .key_columns = {col.primary_key[0]}, .keys = {{row[key_index]}}, .set = std::move(set)});
              }
            } else {
              if (r.action == RetentionRule::Action::kSuppress) {
                // The identifiers go on the suppression list before the rows go.
                auto suppressed = store_.Write([&](store::Transaction& tx) -> Status {
                  for (const Row& row : rows) {
                    for (const fulfil::Field& f : col.fields) {
                      const Cell& v = row[g.ColumnIndex(ci, f.name)];
                      if (f.identity.empty() || v.null()) continue;
                      RETURN_IF_ERROR(tx.AddSuppression({.identifier_hash = fulfil::SuppressionHash(key_, f.identity, v.text),
                                                         .kind = f.identity,
                                                         .reason = "retention:" + rule_id,
                                                         .request_id = "",
                                                         .added_at = ToMillis(now)}));
                    }
                  }
                  return {};
                });
                if (!suppressed) {
                  rep.error = suppressed.error().message;
                  break;
                }
              }
              connect::Change del{.op = connect::Change::Op::kDelete, .table = col.name, .key_columns = {col.primary_key[0]}};
              for (const Row& row : rows) del.keys.push_back({row[key_index]});
              changes.push_back(std::move(del));
            }
            auto applied = changes.empty() ? Result<int64_t>(0) : (*conn)->Apply(changes);
            if (!applied) {
              rep.error = applied.error().message + " (this batch was rolled back; the next run retries it)";
              break;
            }
            rep.rows += static_cast<int64_t>(rows.size());
            prog.last_key = rows.back()[key_index].text;
            prog.rows = rep.rows;
            RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) { return tx.UpsertRetentionProgress(prog); }));
          }
          sel.after_key = rows.back()[key_index];
          if (rows.size() < options.batch) break;
        }
        if (rep.error.empty() && !options.dry_run) {
          prog.done = true;
          prog.rows = rep.rows;
          RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) { return tx.UpsertRetentionProgress(prog); }));
        }
        report.rows += rep.rows;
        report.rules.push_back(std::move(rep));
      }
    }
  }
  const bool failed = !report.store_errors.empty() ||
                      std::any_of(report.rules.begin(), report.rules.end(), [](const RuleReport& r) { return !r.error.empty(); });
  report.status = failed ? "partial" : "done";
  const std::string text = ToJson(report);
  RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) -> Status {
    RETURN_IF_ERROR(tx.UpdateRetentionRun(
        {.id = report.run_id, .finished_at = ToMillis(clock_.Now()), .status = report.status, .report = text}));
    if (options.dry_run) return {};
    return audit::Append(tx, clock_.Now(), {options.trigger == "schedule" ? "system" : options.trigger, "retention.run",
                                            report.run_id, text});
  }));
  return report;
}

Status ApplyRetentionToInventory(const std::vector<fulfil::Dataset>& datasets, inventory::Inventory& inv) {
  std::map<std::string, std::string> given_by;  // category → "N unit" of the rule that set it
  for (const auto& d : datasets) {
    for (const auto& c : d.collections) {
      for (const auto& r : c.retention) {
        for (const std::string& id : r.describes) {
          const std::string where = fmt::format("{}:{}", d.file, r.line);
          auto it = std::find_if(inv.categories.begin(), inv.categories.end(),
                                 [&](const inventory::DataCategory& cat) { return cat.id == id; });
          if (it == inv.categories.end()) {
            return Fail(ErrorCode::kInvalidArgument,
                        fmt::format("{}: collections.{}.retention.{}.describes: the inventory has no data category '{}'",
                                    where, c.name, r.name, id),
                        where);
          }
          const std::string period = fmt::format("{} {}", r.count, r.unit);
          if (auto [g, inserted] = given_by.try_emplace(id, period); !inserted && g->second != period) {
            return Fail(ErrorCode::kInvalidArgument,
                        fmt::format("{}: collections.{}.retention.{}: category '{}' is already described by a rule "
                                    "keeping it {}",
                                    where, c.name, r.name, id, g->second),
                        where);
          }
          it->retention = {.declared = true,
                           .count = r.count,
                           .unit = r.unit,
                           .after = r.anchor_text.empty() ? r.anchor_field : r.anchor_text,
                           .criterion = ""};
          std::erase(it->unstated, "retention");
        }
      }
    }
  }
  return {};
}

}  // namespace steward::retention
