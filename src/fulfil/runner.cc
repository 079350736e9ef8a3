#include "fulfil/runner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "audit/audit.h"
#include "core/calendar.h"
#include "fulfil/package.h"
#include "notify/outbox.h"

namespace steward::fulfil {
namespace {

using nlohmann::json;

constexpr std::string_view kTokenPurpose = "package-token";

json PlanJson(const ErasurePlan& p) {
  json j{{"dataset", p.dataset}, {"rows_changed", p.rows_changed()}, {"unreachable", p.unreachable}};
  j["collections"] = json::array();
  for (const auto& c : p.collections) {
    if (c.found == 0) continue;
    j["collections"].push_back({{"collection", c.collection},
                                {"found", c.found},
                                {"deleted", c.deleted},
                                {"masked", c.masked},
                                {"held", c.held},
                                {"unchanged", c.unchanged},
                                {"strategies", c.fields}});
  }
  j["held"] = json::array();
  for (const auto& h : p.held) {
    j["held"].push_back({{"collection", h.collection}, {"reason", h.reason}, {"rows", h.rows}, {"keys", h.keys}});
  }
  return j;
}

std::string HeldText(const std::vector<ErasurePlan>& plans) {
  std::map<std::string, int64_t> by_reason;
  for (const auto& p : plans) {
    for (const auto& h : p.held) by_reason[h.reason] += h.rows;
  }
  std::string out;
  for (const auto& [reason, rows] : by_reason) {
    out += fmt::format("\n- {} record{} kept: {}", rows, rows == 1 ? "" : "s", reason);
  }
  return out;
}

std::string Normalized(std::string_view v) {
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

// Which of the requester's data points (name, postal code, phone) the person's rows confirm.
class MatchSink final : public RowSink {
 public:
  MatchSink(const Graph& g, const std::map<std::string, std::string>& given) : g_(g) {
    for (const auto& [k, v] : given) given_[k] = Normalized(v);
  }
  Status OnRow(size_t c, const connect::Row& row) override {
    ++rows;
    for (const Field& f : g_.dataset->collections[c].fields) {
      const connect::Cell& cell = row[g_.ColumnIndex(c, f.name)];
      if (cell.null()) continue;
      const std::string v = Normalized(cell.text);
      if (v.size() < 2) continue;
      for (const std::string& cat : f.categories) {
        if (cat.starts_with("user.name") && given_.contains("name") && given_["name"].find(v) != std::string::npos) {
          matched.insert("name");
        }
        if (cat.starts_with("user.contact.address.postal_code") && given_.contains("postal_code") &&
            v.substr(0, 5) == given_["postal_code"].substr(0, 5)) {
          matched.insert("postal_code");
        }
        if (cat.starts_with("user.contact.phone") && given_.contains("phone") && v.size() >= 7 &&
            given_["phone"].size() >= 7 && v.substr(v.size() - 7) == given_["phone"].substr(given_["phone"].size() - 7)) {
          matched.insert("phone");
        }
      }
    }
    return {};
  }
  int64_t rows = 0;
  std::set<std::string> matched;

 private:
  const Graph& g_;
  std::map<std::string, std::string> given_;
};

}  // namespace

std::string SuppressionHash(const InstanceKey& key, std::string_view type, std::string_view value) {
  return SuppressionKey(key, type, value);
}

ConnectorFactory DefaultConnectorFactory() {
  return [](const Dataset& d) -> Result<std::unique_ptr<connect::Connector>> {
    ASSIGN_OR_RETURN(std::string dsn, d.ResolveDsn());
    auto c = connect::Open({.engine = d.engine, .dsn = dsn, .schema = d.schema});
    if (!c) return Fail(c.error().code, fmt::format("dataset {}: {}", d.key, c.error().message), "datasets." + d.key);
    return c;
  };
}

Runner::Runner(std::vector<Dataset> datasets, rights::RequestService& requests, store::Store& store,
               const inventory::Inventory& inventory, const InstanceKey& key, const Clock& clock, RunnerOptions options,
               ConnectorFactory factory)
    : datasets_(std::move(datasets)),
      requests_(requests),
      store_(store),
      inventory_(inventory),
      key_(key),
      clock_(clock),
      options_(std::move(options)),
      factory_(std::move(factory)) {}

bool Runner::Handles(std::string_view type) {
  return type == "access" || type == "portability" || type == "know_categories" || type == "delete" ||
         type == "correct";
}

Result<std::vector<std::unique_ptr<Runner::Bound>>> Runner::BindAll() {
  std::vector<std::unique_ptr<Bound>> out;
  for (const Dataset& d : datasets_) {
    auto b = std::make_unique<Bound>();
    b->dataset = d;
    ASSIGN_OR_RETURN(b->connector, factory_(d));
    auto schema = b->connector->Introspect();
    if (!schema) return Fail(schema.error().code, fmt::format("dataset {}: {}", d.key, schema.error().message));
    b->schema = std::move(*schema);
    RETURN_IF_ERROR(Bind(b->dataset, b->schema));
    b->graph = BuildGraph(b->dataset, b->schema);
    out.push_back(std::move(b));
  }
  return out;
}

Status Runner::CheckDatasets() {
  RETURN_IF_ERROR(BindAll());
  return {};
}

Result<std::vector<IdentityValue>> Runner::IdentityOf(const rights::RequestView& view) {
  std::vector<IdentityValue> out;
  for (const auto& [type, value] : view.identity) {
    if (value.empty()) continue;
    if (type == "email") out.push_back({"email", value});  // traversal also tries it lowercased
    if (type == "phone") out.push_back({"phone", value});
    if (type == "account_id") {
      for (const char* t : {"account_id", "customer_id", "user_id", "external_id"}) out.push_back({t, value});
    }
  }
  if (out.empty()) return Fail(ErrorCode::kConflict, "the request carries no identifier to search for", "identity");
  return out;
}

Result<std::string> Runner::Plan(const std::string& request_id, const Corrections& corrections) {
  ASSIGN_OR_RETURN(rights::RequestView view, requests_.Get(request_id));
  if (!Handles(view.type)) {
    return Fail(ErrorCode::kConflict, fmt::format("{} requests are fulfilled by hand", view.type), "type");
  }
  ASSIGN_OR_RETURN(auto bound, BindAll());
  ASSIGN_OR_RETURN(auto identity, IdentityOf(view));
  json out{{"request_id", view.id}, {"type", view.type}, {"datasets", json::array()}};
  for (auto& b : bound) {
    if (view.type == "delete") {
      ASSIGN_OR_RETURN(ErasurePlan p, PlanErasure(b->graph, *b->connector, identity, key_, LocalDate(clock_.Now())));
      out["datasets"].push_back(PlanJson(p));
    } else if (view.type == "correct") {
      Corrections mine;
      for (const auto& [f, v] : corrections) {
        const size_t dot = f.find('.');
        const Collection* c = dot == std::string::npos ? nullptr : b->dataset.FindCollection(f.substr(0, dot));
        if (c && c->FindField(f.substr(dot + 1))) mine[f] = v;
      }
      ASSIGN_OR_RETURN(ErasurePlan p, PlanCorrection(b->graph, *b->connector, identity, mine));
      out["datasets"].push_back(PlanJson(p));
    } else {
      class Count final : public RowSink {
       public:
        Status OnRow(size_t, const connect::Row&) override { return {}; }
      } count;
      ASSIGN_OR_RETURN(TraversalStats stats, Traverse(b->graph, *b->connector, identity, count));
      json d{{"dataset", b->dataset.key}, {"rows", stats.rows}, {"unreachable", Unreachable(b->graph)}};
      d["collections"] = json::object();
      for (size_t c = 0; c < stats.per_collection.size(); ++c) {
        if (stats.per_collection[c]) d["collections"][b->dataset.collections[c].name] = stats.per_collection[c];
      }
      out["datasets"].push_back(d);
    }
  }
  return out.dump(2);
}

Result<RunResult> Runner::Run(const std::string& request_id, const rights::Actor& actor, const Corrections& corrections) {
  ASSIGN_OR_RETURN(rights::RequestView view, requests_.Get(request_id));
  if (view.status != "in_progress") {
    return Fail(ErrorCode::kConflict, "approve the request before fulfilling it", "status");
  }
  if (!Handles(view.type)) {
    return Fail(ErrorCode::kConflict, fmt::format("{} requests are fulfilled by hand: complete it with a note", view.type),
                "type");
  }
  if (datasets_.empty()) {
    return Fail(ErrorCode::kConflict, "no datasets are configured; fulfil the request by hand with a note", "datasets");
  }
  if (view.type == "correct" && corrections.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "name the fields to correct: collection.field=value", "corrections");
  }
  // Every failure from here on is recorded on the request's timeline, which stays in progress.
  auto failed = [&](const Error& e, const std::string& context) -> Result<RunResult> {
    (void)requests_.RecordEvent(request_id, actor, "fulfilment_failed",
                                context.empty() ? e.message : context + ": " + e.message, false);
    return std::unexpected(e);
  };
  auto bound = BindAll();
  if (!bound) return failed(bound.error(), "");
  auto identity = IdentityOf(view);
  if (!identity) return failed(identity.error(), "");
  const Date today = LocalDate(clock_.Now());
  RunResult result;

  // The data points the requester gave must match the records found, to the level this type
  // needs (the verified email or phone counts as one), before anything is disclosed or changed.
  // The rows are seen by the same traversal that fulfils the request. The consumer is never told
  // which data point failed.
  std::vector<std::unique_ptr<MatchSink>> matches;
  for (auto& b : *bound) matches.push_back(std::make_unique<MatchSink>(b->graph, view.identity));
  auto verified = [&]() -> Status {
    int64_t rows = 0;
    std::set<std::string> matched;
    for (const auto& m : matches) {
      rows += m->rows;
      matched.insert(m->matched.begin(), m->matched.end());
    }
    if (rows == 0) return {};
    const int required = view.verification_level == "reasonably_high" ? 3 : view.verification_level == "reasonable" ? 2 : 1;
    const int have = 1 + static_cast<int>(matched.size());
    std::string which;
    for (const auto& m : matched) which += (which.empty() ? "" : ", ") + m;
    (void)requests_.RecordEvent(request_id, actor, "data_points_matched",
                                fmt::format("{} data point{} match the records ({}{}); {} required", have,
                                            have == 1 ? "" : "s", view.identity.contains("email") ? "email" : "phone",
                                            which.empty() ? "" : ", " + which, required),
                                false);
    if (have < required) {
      return Fail(ErrorCode::kConflict,
                  fmt::format("only {} of the {} data points needed match the records found; verify the requester "
                              "further or deny the request as unverifiable",
                              have, required),
                  "verification");
    }
    return {};
  };

  if (view.type == "access" || view.type == "portability" || view.type == "know_categories") {
    PackageOptions po{.request_id = view.id, .request_type = view.type, .today = today};
    if (view.jurisdiction == "US-CA" && view.type != "know_categories") {
      po.since = view.lookback_all ? *ParseDate("2022-01-01") : AddMonthsClamped(today, -12);
    }
    po.provided_only = view.type == "portability" && (view.jurisdiction == "EU" || view.jurisdiction == "UK");
    std::error_code ec;
    std::filesystem::create_directories(options_.packages_dir, ec);
    const std::string package_id = "pkg_" + RandomBase32(10);
    auto writer = PackageWriter::Create(options_.packages_dir / ("tmp-" + package_id), inventory_, po);
    if (!writer) return failed(writer.error(), "");
    for (size_t i = 0; i < bound->size(); ++i) {
      const auto& b = (*bound)[i];
      TeeSink tee((*writer)->ForDataset(b->graph), matches[i].get());
      auto stats = Traverse(b->graph, *b->connector, *identity, tee);
      if (!stats) return failed(stats.error(), "dataset " + b->dataset.key);
      (*writer)->AddUnreachable(b->dataset.key, Unreachable(b->graph));
    }
    RETURN_IF_ERROR(verified());  // the unfinished package is discarded with its writer
    const std::string file = package_id + ".zip.sealed";
    auto summary = (*writer)->Finish(key_, options_.packages_dir / file);
    if (!summary) return failed(summary.error(), "");
    const std::string token = RandomBase32(20);
    const TimePoint now = clock_.Now();
    const TimePoint expires = now + options_.package_ttl;
    std::string note = summary->rows == 0
                           ? "We found no personal information about you in our systems."
                           : fmt::format("We found {} record{} about you.", summary->rows, summary->rows == 1 ? "" : "s");
    if (!summary->categories.empty()) {
      note += " The categories of personal information we hold about you:";
      for (const auto& c : summary->categories) note += fmt::format("\n- {} (category {})", c.name, c.ccpa_letter);
    }
    result.download_url = fmt::format("{}/v1/packages/{}", options_.public_url, token);
    const std::string link = fmt::format("Download your {} (a zip file) until {}: {}",
                                         view.type == "know_categories" ? "summary" : "data",
                                         FormatDate(LocalDate(expires)), result.download_url);
    const auto bytes = std::filesystem::file_size(options_.packages_dir / file, ec);
    auto done = requests_.FulfilWith(request_id, actor, note, link, [&](store::Transaction& tx) -> Status {
      return tx.InsertPackage({.id = package_id,
                               .request_id = view.id,
                               .token_hash = key_.KeyedHash(kTokenPurpose, token),
                               .file = file,
                               .bytes = static_cast<int64_t>(ec ? 0 : bytes),
                               .created_at = ToMillis(now),
                               .expires_at = ToMillis(expires)});
    });
    if (!done) {
      std::filesystem::remove(options_.packages_dir / file, ec);
      return std::unexpected(done.error());
    }
    result.request = std::move(*done);
    result.summary = note;
    return result;
  }

  std::vector<ErasurePlan> plans;
  for (size_t i = 0; i < bound->size(); ++i) {
    const auto& b = (*bound)[i];
    Result<ErasurePlan> plan;
    if (view.type == "delete") {
      plan = PlanErasure(b->graph, *b->connector, *identity, key_, today, matches[i].get());
    } else {
      Corrections mine;
      for (const auto& [f, v] : corrections) {
        const size_t dot = f.find('.');
        const Collection* c = dot == std::string::npos ? nullptr : b->dataset.FindCollection(f.substr(0, dot));
        if (c && c->FindField(f.substr(dot + 1))) mine[f] = v;
      }
      plan = PlanCorrection(b->graph, *b->connector, *identity, mine, matches[i].get());
    }
    if (!plan) return failed(plan.error(), "dataset " + b->dataset.key);
    plans.push_back(std::move(*plan));
  }
  RETURN_IF_ERROR(verified());
  if (view.type == "correct") {
    for (const auto& [f, v] : corrections) {
      const bool known = std::any_of(datasets_.begin(), datasets_.end(), [&](const Dataset& d) {
        const size_t dot = f.find('.');
        const Collection* c = dot == std::string::npos ? nullptr : d.FindCollection(f.substr(0, dot));
        return c && c->FindField(f.substr(dot + 1));
      });
      if (!known) return Fail(ErrorCode::kInvalidArgument, fmt::format("no dataset declares {}", f), "corrections");
    }
  }
  std::vector<std::string> applied;
  int64_t changed = 0;
  for (size_t i = 0; i < bound->size(); ++i) {
    auto n = ApplyPlan(*(*bound)[i]->connector, plans[i]);
    if (!n) {
      return failed(n.error(), fmt::format("dataset {} rolled back{}", plans[i].dataset,
                                           applied.empty() ? "" : " (already applied: " + fmt::format("{}", fmt::join(applied, ", ")) + "; rerunning is safe)"));
    }
    changed += *n;
    applied.push_back(plans[i].dataset);
  }
  json report{{"datasets", json::array()}, {"rows_changed", changed}};
  for (size_t i = 0; i < bound->size(); ++i) {
    json d = PlanJson(plans[i]);
    if (view.type == "delete") {
      auto residual = Recheck((*bound)[i]->graph, *(*bound)[i]->connector, *identity, plans[i]);
      if (!residual) return failed(residual.error(), "re-check of dataset " + plans[i].dataset);
      if (!residual->empty()) {
        const auto& r = residual->front();
        return failed(MakeError(ErrorCode::kInternal,
                                fmt::format("{} row{} still hold erasable data (first: {} {} {})", residual->size(),
                                            residual->size() == 1 ? "" : "s", r.collection, r.key, r.field)),
                      "re-check of dataset " + plans[i].dataset);
      }
      d["recheck"] = "nothing erasable remains";
    } else {
      d["corrected"] = json::array();
      for (const auto& c : plans[i].corrected) {
        d["corrected"].push_back({{"field", c.field},
                                  {"before", key_.KeyedHash("audit-value", c.before).substr(0, 16)},
                                  {"after", key_.KeyedHash("audit-value", c.after).substr(0, 16)}});
      }
    }
    report["datasets"].push_back(std::move(d));
  }
  std::string note;
  if (view.type == "delete") {
    note = changed == 0 ? "We found no personal information about you to delete."
                        : fmt::format("We deleted or de-identified {} record{} holding your personal information.",
                                      changed, changed == 1 ? "" : "s");
    if (const std::string held = HeldText(plans); !held.empty()) {
      note += " Some records are kept, for these reasons:" + held;
    }
  } else {
    note = fmt::format("We corrected {} record{} as you asked.", changed, changed == 1 ? "" : "s");
  }
  // The recipients the inventory says received the categories found: each is told, through a
  // signed webhook in the outbox, in the same transaction that completes the request.
  std::set<std::string> recipient_ids;
  for (size_t i = 0; i < bound->size(); ++i) {
    for (const CollectionPlan& cp : plans[i].collections) {
      const Collection* col = (*bound)[i]->dataset.FindCollection(cp.collection);
      if (!col || cp.found == 0) continue;
      for (const Field& f : col->fields) {
        if (view.type == "correct" && !corrections.contains(col->name + "." + f.name)) continue;
        for (const std::string& key : f.categories) {
          for (const inventory::DataCategory* dc : CategoriesFor(inventory_, key)) {
            for (const auto* list : {&dc->disclosed_to, &dc->sold_to, &dc->shared_to}) recipient_ids.insert(list->begin(), list->end());
          }
        }
      }
    }
  }
  json notified = json::array(), by_hand = json::array();
  json payload{{"event", view.type == "delete" ? "deletion_request" : "correction_request"},
               {"request_id", view.id},
               {"business", inventory_.organization.name},
               {"jurisdiction", view.jurisdiction},
               {"identifiers", json::object()}};
  for (const auto& id : *identity) {
    if (id.type == "email" || id.type == "phone" || id.type == "account_id") payload["identifiers"][id.type] = id.value;
  }
  if (view.type == "correct") payload["corrections"] = corrections;
  const TimePoint now = clock_.Now();
  auto done = requests_.FulfilWith(request_id, actor, note, "", [&](store::Transaction& tx) -> Status {
    for (const std::string& rid : recipient_ids) {
      const inventory::Recipient* r = inventory_.FindRecipient(rid);
      if (!r || r->type == "government") continue;
      if (r->notify_url.empty()) {
        by_hand.push_back(rid);
        continue;
      }
      payload["recipient"] = rid;
      RETURN_IF_ERROR(notify::Enqueue(tx, key_,
                                      {.request_id = view.id, .kind = "processor_notice", .channel = "webhook",
                                       .recipient = r->notify_url, .subject = rid, .body = payload.dump()},
                                      now));
      notified.push_back(rid);
    }
    report["recipients_notified"] = notified;
    report["recipients_to_notify_by_hand"] = by_hand;
    RETURN_IF_ERROR(audit::Append(tx, now, {actor.id, "request.fulfilment_report", view.id, report.dump()}));
    if (view.type != "delete") return {};
    // Erased people stay off marketing lists: only keyed hashes of their identifiers are kept.
    for (const auto& id : *identity) {
      if (id.type != "email" && id.type != "phone" && id.type != "account_id") continue;
      RETURN_IF_ERROR(tx.AddSuppression({.identifier_hash = SuppressionHash(key_, id.type, id.value),
                                         .kind = id.type,
                                         .reason = "erased",
                                         .request_id = view.id,
                                         .added_at = ToMillis(now)}));
    }
    return {};
  });
  if (!done) return std::unexpected(done.error());
  result.request = std::move(*done);
  result.summary = note;
  return result;
}

Result<std::string> Runner::Download(const std::string& token) {
  const Error gone = MakeError(ErrorCode::kNotFound, "this download link is unknown or has expired", "token");
  if (token.empty() || token.size() > 64) return std::unexpected(gone);
  std::optional<store::PackageRow> row;
  RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(row, tx.FindPackageByTokenHash(key_.KeyedHash(kTokenPurpose, token)));
    return {};
  }));
  if (!row || row->deleted_at != 0 || ToMillis(clock_.Now()) >= row->expires_at) return std::unexpected(gone);
  auto content = key_.OpenFile(options_.packages_dir / row->file);
  if (!content) return std::unexpected(gone);
  return content;
}

Result<int> Runner::PurgeExpired() {
  std::vector<store::PackageRow> expired;
  RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(expired, tx.ListExpiredPackages(ToMillis(clock_.Now())));
    return {};
  }));
  int n = 0;
  for (const auto& p : expired) {
    std::error_code ec;
    std::filesystem::remove(options_.packages_dir / p.file, ec);
    if (ec) continue;
    RETURN_IF_ERROR(store_.Write([&](store::Transaction& tx) -> Status {
      RETURN_IF_ERROR(tx.MarkPackageDeleted(p.id, ToMillis(clock_.Now())));
      return audit::Append(tx, clock_.Now(), {"system", "package.deleted", p.request_id, json{{"package", p.id}}.dump()});
    }));
    ++n;
  }
  return n;
}

}  // namespace steward::fulfil
