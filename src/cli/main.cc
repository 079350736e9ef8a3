// The `steward` command: a thin face over the same library calls as the HTTP API.
// Exit codes: 0 ok/found, 1 nothing found, 2 error (ripgrep's convention).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "audit/audit.h"
#include "cli/instance.h"
#include "connect/connector.h"
#include "fulfil/example.h"
#include "cli/scan_command.h"
#include "fulfil/manifest.h"
#include "fulfil/traverse.h"
#include "http/api.h"
#include "http/server.h"
#include "notice/notice.h"
#include "notice/versions.h"
#include "notify/outbox.h"
#include "rights/json.h"

namespace steward::cli {
namespace {

using json = nlohmann::json;

int Report(const Error& e) {
  if (e.field.empty()) {
    fmt::print(stderr, "steward: error: {}\n", e.message);
  } else {
    fmt::print(stderr, "steward: error: {}: {}\n", e.field, e.message);
  }
  return ExitCodeFor(e.code);
}

template <typename T>
int PrintJson(const Result<T>& r, bool admin = true) {
  if (!r) return Report(r.error());
  fmt::print("{}\n", rights::ToJson(*r, admin).dump(2));
  return 0;
}

Result<std::string> ReadAll(const std::string& path) {
  if (path == "-") {
    std::stringstream buf;
    buf << std::cin.rdbuf();
    return buf.str();
  }
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read the file", path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

int Serve(Instance& inst, const std::string& listen_flag) {
  const std::string listen = listen_flag.empty() ? inst.config().listen : listen_flag;
  const size_t colon = listen.rfind(':');
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    port = -1;
  }
  if (colon == std::string::npos || port < 0 || port > 65535) {
    return Report({ErrorCode::kInvalidArgument, "listen must be ADDRESS:PORT, e.g. 127.0.0.1:8080", "listen"});
  }
  // Signals are taken by one thread with sigwait; every other thread blocks them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (auto loaded = inst.consent().Refresh(); !loaded) return Report(loaded.error());
  http::RateLimiter limiter(inst.config().intake_per_minute, inst.config().intake_burst);
  http::SessionService sessions(inst.tokens(), inst.clock());
  http::Api api({inst.requests(), inst.tokens(), inst.store(), inst.key(), inst.clock(), limiter, inst.inventory(),
                 &inst.runner(), &inst.sweeper(), std::chrono::hours(inst.config().retention_interval_hours),
                 &inst.consent(), &sessions});
  http::ServerOptions options;
  options.address = listen.substr(0, colon);
  options.port = static_cast<uint16_t>(port);
  options.threads = inst.config().http_threads;
  options.body_limit = static_cast<size_t>(inst.config().body_limit_bytes);
  http::Server server(options, [&api](const http::Request& r) { return api.Handle(r); });
  auto bound = server.Start();
  if (!bound) return Report(bound.error());

  std::unique_ptr<notify::Delivery> email;
  if (inst.config().delivery == "smtp") {
    const char* password = std::getenv(inst.config().smtp_password_env.c_str());
    email = notify::MakeSmtpDelivery({inst.config().smtp_url, inst.config().smtp_from, inst.config().smtp_username,
                                      password ? password : "", inst.config().smtp_require_tls, 20});
  } else {
    email = notify::MakeLogDelivery();
  }
  auto sms = notify::MakeLogDelivery();
  // Service providers' webhooks, signed with the secret each recipient's notify_secret_env names.
  auto webhook = notify::MakeWebhookDelivery(
      [&inst](const std::string& recipient_id) -> std::string {
        const inventory::Recipient* r = inst.inventory().FindRecipient(recipient_id);
        if (!r || r->notify_secret_env.empty()) return "";
        const char* secret = std::getenv(r->notify_secret_env.c_str());
        return secret ? secret : "";
      },
      inst.clock());
  notify::OutboxWorker worker(inst.store(), inst.key(), inst.clock(), *email, *sms, {}, webhook.get());
  std::atomic<bool> stopping{false};
  std::thread outbox([&] {
    int64_t next_purge = 0;
    while (!stopping) {
      auto r = worker.RunOnce();
      if (!r) spdlog::error("outbox: {}", r.error().message);
      // Expired access packages are deleted within a minute of their links expiring.
      if (const int64_t now = ToMillis(inst.clock().Now()); now >= next_purge) {
        next_purge = now + 60'000;
        auto purged = inst.runner().PurgeExpired();
        if (!purged) spdlog::error("packages: {}", purged.error().message);
        else if (*purged) spdlog::info("packages: {} expired package(s) deleted", *purged);
      }
      for (int i = 0; i < 10 && !stopping; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  // The consent index follows choices other processes append (every 200 ms).
  std::thread consent_refresh([&] {
    while (!stopping) {
      if (auto r = inst.consent().Refresh(); !r) spdlog::error("consent: {}", r.error().message);
      for (int i = 0; i < 2 && !stopping; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  // Retention sweeps on their schedule, in their own thread (a long sweep never delays mail).
  std::thread sweeps([&] {
    const int hours = inst.config().retention_interval_hours;
    if (hours == 0 || !inst.sweeper().has_rules()) return;
    while (!stopping) {
      auto due = inst.sweeper().NextDue(std::chrono::hours(hours));
      if (due && inst.clock().Now() >= *due) {
        auto report = inst.sweeper().Run({.trigger = "schedule"});
        if (!report) spdlog::error("retention: {}", report.error().message);
        else spdlog::info("retention: run {} {}: {} rows changed", report->run_id, report->status, report->rows);
      }
      for (int i = 0; i < 600 && !stopping; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("steward: signal {} received, stopping", sig);
    stopping = true;
    server.Stop();
  });

  const std::string base = fmt::format("http://{}:{}", options.address, *bound);
  spdlog::info("steward: serving {} ({}) from {}", inst.inventory().organization.name, base, inst.dir().string());
  fmt::print("Steward is running for: {}\n"
             "  Privacy center: {}/\n"
             "  Admin console:  {}/admin (sign in with a token from `steward token create`)\n"
             "  API:          {}/v1/openapi.json\n"
             "  File request: curl -s -X POST {}/v1/requests -H 'Content-Type: application/json' -d '{{...}}'\n"
             "  Health:       {}/healthz\n"
             "  Datasets:     {}\n"
             "Messages to consumers (verification codes included) are written to this log.\n"
             "Press Ctrl-C to stop.\n",
             inst.inventory().organization.name, base, base, base, base, base,
             inst.datasets().empty() ? std::string("none (requests are fulfilled by hand)")
                                     : fmt::format("{} (fulfil approved requests with `steward request fulfil ID`)",
                                                   [&] {
                                                     std::string names;
                                                     for (const auto& d : inst.datasets()) names += (names.empty() ? "" : ", ") + d.key;
                                                     return names;
                                                   }()));
  std::fflush(stdout);
  server.Run();
  stopping = true;
  outbox.join();
  sweeps.join();
  consent_refresh.join();
  // The waiter is still in sigwait when Run ended for another reason: wake it.
  if (waiter.joinable()) {
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
  }
  return 0;
}

// Writes text to `out` (atomically, through a temp file) or to standard output.
int WriteOut(const std::string& out, const std::string& text) {
  if (out.empty()) {
    fmt::print("{}", text);
    return 0;
  }
  const std::string tmp = out + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << text;
    f.close();
    if (!f) return Report({ErrorCode::kUnavailable, "cannot write the file", tmp});
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) return Report({ErrorCode::kUnavailable, fmt::format("cannot write the file: {}", ec.message()), out});
  return 0;
}

// Renders a notice from `inventory_file`, or from the instance's inventory and rules.
int RenderNotice(const std::string& inventory_file, Instance* inst, const std::string& kind_flag,
                 const std::string& format_flag, const std::string& date_flag, const std::string& out) {
  auto kind = notice::ParseKind(kind_flag);
  if (!kind) return Report(kind.error());
  auto format = notice::ParseFormat(format_flag);
  if (!format) return Report(format.error());
  Date date = LocalDate(SystemClock().Now());
  if (!date_flag.empty()) {
    auto parsed = ParseDate(date_flag);
    if (!parsed) return Report({ErrorCode::kInvalidArgument, parsed.error().message, "date"});
    date = *parsed;
  }
  std::optional<inventory::Inventory> loaded;
  std::optional<rights::RulesTable> default_rules;
  if (!inst) {
    auto inv = inventory::LoadInventoryFile(inventory_file);
    if (!inv) return Report(inv.error());
    loaded = std::move(*inv);
    auto rules = rights::RulesTable::Default();
    if (!rules) return Report(rules.error());
    default_rules = std::move(*rules);
  }
  const inventory::Inventory& inv = inst ? inst->inventory() : *loaded;
  const rights::RulesTable& rules = inst ? inst->rules() : *default_rules;
  auto text = notice::Render(*kind, *format, {inv, rules, date});
  if (!text) return Report(text.error());
  return WriteOut(out, *text);
}

std::string Pad(std::string s, size_t n) {
  if (s.size() < n) s.append(n - s.size(), ' ');
  return s;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Steward: a privacy-rights engine (CCPA/CPRA, GDPR, US state privacy laws)", "steward"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "steward 0.1.0");
  std::string dir_flag;
  app.add_option("--dir", dir_flag, "Data dir (else $STEWARD_HOME, else ./steward-data)");

  // init
  InitOptions init_opts;
  auto* init = app.add_subcommand("init", "Create the data dir, instance key, configuration and embedded store");
  init->add_option("--example", init_opts.example, "Start from an example company: acme");
  init->add_option("--inventory", init_opts.inventory_file, "Your inventory (data map) file");
  init->add_option("--listen", init_opts.listen, "ADDRESS:PORT to serve on (default 127.0.0.1:8080)");
  init->add_option("--customers", init_opts.example_customers, "With --example: customers in its shop database")
      ->check(CLI::Range(1, 10'000'000));

  // serve
  std::string listen_flag;
  auto* serve = app.add_subcommand("serve", "Serve the HTTP API and deliver notifications");
  serve->add_option("--listen", listen_flag, "ADDRESS:PORT (default: listen in steward.yaml)");

  // token
  auto* token = app.add_subcommand("token", "API tokens")->require_subcommand(1);
  std::string role_flag, label_flag;
  auto* token_create = token->add_subcommand("create", "Create a token; it is shown once");
  token_create->add_option("--role", role_flag, "admin, operator, auditor or decision (the decision API only)")->required();
  token_create->add_option("--label", label_flag, "What the token is for");

  // request
  auto* request = app.add_subcommand("request", "Consumer requests")->require_subcommand(1);
  rights::IntakeInput intake;
  std::string json_file, email, phone, name, postal_code, account_id;
  auto* file = request->add_subcommand("file", "File a request (for one received by phone, mail or in person)");
  file->add_option("--json", json_file, "A JSON body as for POST /v1/requests ('-' for stdin)");
  file->add_option("--type", intake.type, "access, delete, correct, opt_out_sale_share, …");
  file->add_option("--jurisdiction", intake.jurisdiction, "US-CA, EU, UK, US-VA, …");
  file->add_option("--channel", intake.channel, "web, email, phone, mail, in_person, api")->default_val("phone");
  file->add_option("--email", email, "Consumer's email");
  file->add_option("--phone", phone, "Consumer's phone");
  file->add_option("--name", name, "Consumer's name");
  file->add_option("--postal-code", postal_code, "Consumer's postal code");
  file->add_option("--account-id", account_id, "Consumer's account id");
  file->add_flag("--signed-declaration", intake.signed_declaration, "The consumer signed the declaration");
  file->add_option("--details", intake.details, "For correct: what is wrong and what it should be");

  store::RequestFilter filter;
  auto* list = request->add_subcommand("list", "The queue, by due date");
  list->add_option("--status", filter.status);
  list->add_option("--type", filter.type);
  list->add_option("--jurisdiction", filter.jurisdiction);
  list->add_option("--due-before", filter.due_before, "YYYY-MM-DD");
  bool list_json = false;
  list->add_flag("--json", list_json, "JSON instead of a table");

  std::string id, text, code, confirm_agent;
  rights::DenyInput deny_input;
  auto* show = request->add_subcommand("show", "A request with identity and events");
  show->add_option("id", id)->required();
  auto* verify = request->add_subcommand("verify", "Enter a code the consumer read out (phone intake)");
  verify->add_option("id", id)->required();
  verify->add_option("--code", code)->required();
  verify->add_option("--confirm-agent", confirm_agent, "yes or no, for an agent with signed permission");
  auto* approve = request->add_subcommand("approve", "verified → in_progress");
  approve->add_option("id", id)->required();
  approve->add_option("--reason", text);
  auto* deny = request->add_subcommand("deny", "Deny with a reason the consumer is told");
  deny->add_option("id", id)->required();
  deny->add_option("--reason", deny_input.reason, "unverifiable, limit_reached, exemption, …")->required();
  deny->add_option("--exemption", deny_input.exemption, "With reason exemption: which one");
  deny->add_option("--explanation", deny_input.explanation, "Sent to the consumer");
  auto* extend = request->add_subcommand("extend", "The one extension, with its reason");
  extend->add_option("id", id)->required();
  extend->add_option("--reason", text)->required();
  auto* fulfil = request->add_subcommand("fulfil", "in_progress → completed");
  fulfil->add_option("id", id)->required();
  fulfil->add_option("--note", text, "How it was fulfilled (by hand)");
  std::vector<std::string> corrections_flag;
  bool fulfil_manual = false, fulfil_dry_run = false;
  fulfil->add_option("--set", corrections_flag, "A correction: collection.field=value (repeatable)");
  fulfil->add_flag("--manual", fulfil_manual, "Complete by hand with --note, without running against the datasets");
  fulfil->add_flag("--dry-run", fulfil_dry_run, "Show what fulfilment would do (rows, fields, strategies, holds); change nothing");
  auto* cancel = request->add_subcommand("cancel", "Withdrawn by the consumer");
  cancel->add_option("id", id)->required();
  cancel->add_option("--reason", text);

  // inventory
  auto* inv = app.add_subcommand("inventory", "The data map")->require_subcommand(1);
  std::string inventory_path;
  auto* inv_check = inv->add_subcommand("check", "Validate an inventory file; every problem with its line");
  inv_check->add_option("file", inventory_path)->required();

  // datasets
  auto* datasets_cmd = app.add_subcommand("datasets", "Dataset manifests: the company's databases")->require_subcommand(1);
  std::vector<std::string> manifest_files;
  auto* datasets_check = datasets_cmd->add_subcommand(
      "check", "Check manifests (each problem with its line) and, with a data dir, against the live databases");
  datasets_check->add_option("manifest", manifest_files, "Manifest files (default: the configured datasets)");
  std::string import_file, out_file;
  auto* datasets_import = datasets_cmd->add_subcommand("import", "Convert a fideslang dataset into a Steward manifest");
  datasets_import->add_option("file", import_file)->required();
  datasets_import->add_option("-o,--out", out_file, "Write here instead of standard output");
  std::string from_dsn, engine_flag = "postgres", key_flag = "company", schema_flag;
  auto* datasets_generate = datasets_cmd->add_subcommand(
      "generate", "Draft a manifest from a live database: tables, keys, references, suggested categories");
  datasets_generate->add_option("--from", from_dsn, "The database (a SQLite file or a libpq connection string)")->required();
  datasets_generate->add_option("--engine", engine_flag, "sqlite or postgres");
  datasets_generate->add_option("--key", key_flag, "The dataset's name");
  datasets_generate->add_option("--schema", schema_flag, "postgres: the schema (default public)");
  datasets_generate->add_option("-o,--out", out_file, "Write here instead of standard output");

  // example
  auto* example_cmd = app.add_subcommand("example", "The example company (Acme)")->require_subcommand(1);
  fulfil::ExampleOptions example_opts;
  std::string into_dsn;
  auto* example_generate = example_cmd->add_subcommand("generate", "Create Acme's shop database with N customers");
  example_generate->add_option("--customers", example_opts.customers)->check(CLI::Range(1, 100'000'000));
  example_generate->add_option("--seed", example_opts.seed);
  std::string logs_dir;
  int64_t log_lines = 1200;
  example_generate->add_option("--into", into_dsn, "An empty database: a SQLite file or a libpq connection string");
  example_generate->add_option("--logs", logs_dir, "Also write Acme's logs (personal data planted, with decoys) here");
  example_generate->add_option("--log-lines", log_lines, "Lines per log file");
  example_generate->add_option("--engine", engine_flag, "sqlite or postgres");

  // retention
  auto* retention_cmd = app.add_subcommand("retention", "Retention rules, carried out")->require_subcommand(1);
  bool retention_dry_run = false;
  auto* retention_run = retention_cmd->add_subcommand("run", "Sweep expired rows now (resumes an interrupted run)");
  retention_run->add_flag("--dry-run", retention_dry_run, "Count (and sample) what would change; change nothing");
  auto* retention_status = retention_cmd->add_subcommand("status", "Recent runs and when the schedule runs next");

  // consent
  auto* consent_cmd = app.add_subcommand("consent", "The consent ledger")->require_subcommand(1);
  consent::RecordInput consent_in;
  std::string c_email, c_phone, c_account, c_device;
  auto who_options = [&](CLI::App* cmd) {
    cmd->add_option("--email", c_email);
    cmd->add_option("--phone", c_phone);
    cmd->add_option("--account-id", c_account);
    cmd->add_option("--device-id", c_device);
  };
  auto* consent_record = consent_cmd->add_subcommand("record", "Record a choice (opt_in, opt_out, withdrawn, object, …)");
  who_options(consent_record);
  consent_record->add_option("--purpose", consent_in.purpose, "A purpose id, sale_sharing, sensitive_limit, processing or age")
      ->required();
  consent_record->add_option("--choice", consent_in.choice)->required();
  consent_record->add_option("--source", consent_in.source);
  consent_record->add_option("--jurisdiction", consent_in.jurisdiction);
  consent_record->add_flag("--confirmed", consent_in.confirmed, "The second step of opting back in to sale/sharing");
  consent_record->add_option("--age", consent_in.age);
  consent_record->add_flag("--by-parent", consent_in.by_parent);
  consent_record->add_option("--grounds", consent_in.grounds, "With override: the compelling legitimate grounds");
  auto* consent_history = consent_cmd->add_subcommand("history", "A subject's or device's choices, oldest first");
  who_options(consent_history);
  consent::DecisionInput decide_in;
  auto* decide = app.add_subcommand("decide", "May this purpose use this person's data? (the decision API, for scripts)");
  who_options(decide);
  decide->add_option("--purpose", decide_in.purpose)->required();
  decide->add_option("--category", decide_in.categories);
  decide->add_option("--recipient", decide_in.recipient);
  decide->add_option("--jurisdiction", decide_in.jurisdiction);

  // packages
  auto* packages_cmd = app.add_subcommand("packages", "Access packages")->require_subcommand(1);
  auto* packages_purge = packages_cmd->add_subcommand("purge", "Delete packages whose download links have expired");

  // notice
  auto* notice_cmd = app.add_subcommand("notice", "Notices generated from the inventory")->require_subcommand(1);
  std::string notice_kind = "policy", notice_format = "md", notice_inventory, notice_date, notice_out;
  auto* notice_render = notice_cmd->add_subcommand("render", "Render a notice (refused, naming the field, if the inventory is incomplete)");
  notice_render->add_option("--kind", notice_kind, "policy, collection, gdpr, ropa or incentive")->default_val("policy");
  notice_render->add_option("--format", notice_format, "md or html")->default_val("md");
  notice_render->add_option("--inventory", notice_inventory, "An inventory file (default: the data dir's)");
  notice_render->add_option("--date", notice_date, "Last-updated date YYYY-MM-DD (default: today)");
  notice_render->add_option("--out", notice_out, "Write here (atomically) instead of standard output");
  auto* notice_publish = notice_cmd->add_subcommand("publish", "Render and store a new version (audited; a no-op when unchanged)");
  notice_publish->add_option("--kind", notice_kind, "policy, collection, gdpr, ropa or incentive")->default_val("policy");
  notice_publish->add_option("--format", notice_format, "md or html")->default_val("md");
  notice_publish->add_option("--date", notice_date, "Effective date YYYY-MM-DD (default: today)");
  auto* notice_history = notice_cmd->add_subcommand("history", "Published versions, newest first, with warnings");
  std::string history_kind;
  notice_history->add_option("--kind", history_kind, "Only this kind");
  int64_t diff_from = 0, diff_to = 0;
  auto* notice_diff = notice_cmd->add_subcommand("diff", "What changed between two published versions");
  notice_diff->add_option("from", diff_from)->required();
  notice_diff->add_option("to", diff_to)->required();

  // audit, metrics, outbox
  auto* audit_cmd = app.add_subcommand("audit", "The audit log")->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "Recompute the hash chain; name the first broken entry");
  int year = 0;
  bool metrics_json = false;
  auto* metrics = app.add_subcommand("metrics", "CCPA §7102 request metrics");
  metrics->add_option("--year", year, "Calendar year (default: this year)");
  metrics->add_flag("--json", metrics_json);
  auto* outbox = app.add_subcommand("outbox", "Notifications")->require_subcommand(1);
  std::string outbox_status;
  auto* outbox_list = outbox->add_subcommand("list", "Pending, sent and failed notifications");
  outbox_list->add_option("--status", outbox_status, "pending, sent or failed");

  // scan, redact
  ScanArgs scan_args;
  std::string redact_input;
  ScanCommands scan_cmds = AddScanCommands(app, scan_args, redact_input);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  if (scan_cmds.scan->parsed()) {
    if (scan_args.record) scan_args.data_dir = ResolveDataDir(dir_flag).string();
    return RunScan(scan_args);
  }
  if (scan_cmds.redact->parsed()) return RunRedact(scan_args, redact_input);

  if (inv_check->parsed()) {
    auto text_r = ReadAll(inventory_path);
    if (!text_r) return Report(text_r.error());
    auto report = inventory::CheckInventory(*text_r, inventory_path);
    fmt::print("{}", report.Format(inventory_path));
    if (report.HasErrors()) return 2;
    fmt::print("{}: ok ({} categories, {} purposes, {} recipients)\n", inventory_path, report.inventory->categories.size(),
               report.inventory->purposes.size(), report.inventory->recipients.size());
    return 0;
  }

  if (datasets_import->parsed()) {
    auto text_r = ReadAll(import_file);
    if (!text_r) return Report(text_r.error());
    auto d = fulfil::ImportFideslang(*text_r, import_file);
    if (!d) return Report(d.error());
    return WriteOut(out_file, fmt::format("# Imported from the fideslang dataset {}. Set {} to its connection string.\n{}",
                                          import_file, d->dsn_env, fulfil::EmitManifest(*d)));
  }
  if (datasets_generate->parsed()) {
    auto conn = connect::Open({.engine = engine_flag, .dsn = from_dsn, .schema = schema_flag, .read_only = true});
    if (!conn) return Report(conn.error());
    auto schema = (*conn)->Introspect();
    if (!schema) return Report(schema.error());
    fulfil::Dataset d = fulfil::DraftFromSchema(*schema, key_flag, engine_flag);
    d.schema = schema_flag;
    std::string order;
    const fulfil::Graph g = fulfil::BuildGraph(d, *schema);
    for (size_t c : fulfil::DeleteOrder(g)) order += (order.empty() ? "" : ", ") + d.collections[c].name;
    return WriteOut(out_file, fmt::format("# Draft generated from the live schema: review every category and erase strategy.\n"
                                          "# Safe erase order (rows pointing at others first): {}\n{}",
                                          order, fulfil::EmitManifest(d)));
  }
  if (example_generate->parsed()) {
    if (into_dsn.empty() && logs_dir.empty()) return Report(MakeError(ErrorCode::kInvalidArgument, "give --into, --logs or both", "--into"));
    if (!logs_dir.empty()) {
      auto logs = fulfil::GenerateExampleLogs(logs_dir, log_lines, example_opts.seed);
      if (!logs) return Report(logs.error());
      fmt::print("Wrote Acme's logs to {} (planted personal data listed in planted.tsv)\n", logs_dir);
      if (into_dsn.empty()) return 0;
    }
    auto conn = connect::Open({.engine = engine_flag, .dsn = into_dsn});
    if (!conn) return Report(conn.error());
    auto stats = fulfil::GenerateExample(**conn, example_opts);
    if (!stats) return Report(stats.error());
    fmt::print("Generated Acme's shop database: {} customers, {} rows (seed {})\n", example_opts.customers, stats->rows,
               example_opts.seed);
    return 0;
  }
  if (datasets_check->parsed() && !manifest_files.empty()) {
    int rc = 0;
    for (const auto& f : manifest_files) {
      auto d = fulfil::LoadManifest(f);
      if (!d) {
        fmt::print(stderr, "{}\n", d.error().message);
        rc = 2;
        continue;
      }
      fmt::print("{}: ok ({} collections)\n", f, d->collections.size());
    }
    return rc;
  }

  if (notice_render->parsed() && !notice_inventory.empty()) {
    return RenderNotice(notice_inventory, nullptr, notice_kind, notice_format, notice_date, notice_out);
  }

  const auto dir = ResolveDataDir(dir_flag);
  if (init->parsed()) {
    auto st = InitDataDir(dir, init_opts);
    if (!st) return Report(st.error());
    fmt::print("Initialized Steward in {}\n", dir.string());
    // Publish the first privacy policy, notice at collection and GDPR information where the
    // inventory supports them, so requests record the policy and the privacy center shows them.
    if (auto inst = Instance::Open(dir); inst) {
      for (auto kind : {notice::Kind::kPolicy, notice::Kind::kCollection, notice::Kind::kGdpr}) {
        for (auto format : {notice::Format::kMarkdown, notice::Format::kHtml}) {
          auto published = notice::Publish((*inst)->store(), (*inst)->clock(), kind, format,
                                           {(*inst)->inventory(), (*inst)->rules(), LocalDate((*inst)->clock().Now())}, "cli");
          if (!published) {
            fmt::print(stderr, "note: no {} published yet: {} ({})\n", notice::Name(kind), published.error().message,
                       published.error().field);
            break;
          }
        }
      }
    }
    return 0;
  }

  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  auto opened = Instance::Open(dir);
  if (!opened) return Report(opened.error());
  Instance& inst = **opened;
  const rights::Actor cli_actor{"cli", "admin"};

  if (serve->parsed()) return Serve(inst, listen_flag);
  if (notice_render->parsed()) return RenderNotice("", &inst, notice_kind, notice_format, notice_date, notice_out);
  if (notice_publish->parsed()) {
    auto kind = notice::ParseKind(notice_kind);
    if (!kind) return Report(kind.error());
    auto format = notice::ParseFormat(notice_format);
    if (!format) return Report(format.error());
    Date date = LocalDate(inst.clock().Now());
    if (!notice_date.empty()) {
      auto parsed = ParseDate(notice_date);
      if (!parsed) return Report({ErrorCode::kInvalidArgument, parsed.error().message, "date"});
      date = *parsed;
    }
    auto published = notice::Publish(inst.store(), inst.clock(), *kind, *format, {inst.inventory(), inst.rules(), date}, "cli");
    if (!published) return Report(published.error());
    fmt::print("{} {} version {}{}\n", notice_kind, notice_format, published->id,
               published->unchanged ? " (unchanged; nothing new published)" : " published");
    return 0;
  }
  if (notice_history->parsed()) {
    std::vector<store::NoticeVersionRow> rows;
    auto st = inst.store().Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(rows, tx.ListNoticeVersions(history_kind, ""));
      return Ok();
    });
    if (!st) return Report(st.error());
    for (const auto& v : rows) {
      fmt::print("{} {} {} effective {} published {} by {} sha256:{}\n", Pad(std::to_string(v.id), 4), Pad(v.kind, 10),
                 Pad(v.format, 4), v.effective_date, FormatTimestamp(FromMillis(v.published_at)), v.published_by,
                 v.content_hash.substr(0, 12));
    }
    auto warnings = notice::Warnings(inst.store(), inst.inventory(), LocalDate(inst.clock().Now()));
    if (!warnings) return Report(warnings.error());
    for (const auto& w : *warnings) fmt::print(stderr, "warning: {}\n", w);
    return rows.empty() ? 1 : 0;
  }
  if (notice_diff->parsed()) {
    auto diff = notice::Diff(inst.store(), diff_from, diff_to);
    if (!diff) return Report(diff.error());
    fmt::print("{}", *diff);
    return 0;
  }

  if (token_create->parsed()) {
    auto role = http::ParseRole(role_flag);
    if (!role) return Report({ErrorCode::kInvalidArgument, "must be admin, operator, auditor or decision", "role"});
    auto created = inst.tokens().Create(*role, label_flag, "cli");
    if (!created) return Report(created.error());
    fmt::print("{}\n", created->token);
    fmt::print(stderr, "Created {} token {} — store it now; it is not shown again.\n", role_flag, created->id);
    return 0;
  }

  if (file->parsed()) {
    if (!json_file.empty()) {
      auto body = ReadAll(json_file);
      if (!body) return Report(body.error());
      auto parsed = rights::ParseIntakeJson(*body);
      if (!parsed) return Report(parsed.error());
      intake = *parsed;
    } else {
      for (auto [k, v] : {std::pair{"email", &email}, {"phone", &phone}, {"name", &name}, {"postal_code", &postal_code},
                          {"account_id", &account_id}}) {
        if (!v->empty()) intake.identity[k] = *v;
      }
      if (intake.type.empty()) return Report({ErrorCode::kInvalidArgument, "is required (or give --json)", "type"});
    }
    auto r = inst.requests().File(intake);
    if (!r) return Report(r.error());
    fmt::print("{}\n", rights::ToJson(*r).dump(2));
    return 0;
  }
  if (list->parsed()) {
    auto views = inst.requests().List(filter);
    if (!views) return Report(views.error());
    if (list_json) {
      json items = json::array();
      for (const auto& v : *views) items.push_back(rights::ToJson(v, false));
      fmt::print("{}\n", items.dump(2));
    } else {
      fmt::print("{} {} {} {} {} {}\n", Pad("ID", 30), Pad("TYPE", 19), Pad("JURIS", 6), Pad("STATUS", 22), Pad("DUE", 11), "DAYS LEFT");
      for (const auto& v : *views) {
        fmt::print("{} {} {} {} {} {}{}\n", Pad(v.id, 30), Pad(v.type, 19), Pad(v.jurisdiction, 6), Pad(v.status, 22),
                   Pad(v.due_at, 11), v.days_left, v.days_left < 0 && !rights::IsTerminal(*rights::ParseState(v.status)) ? " OVERDUE" : "");
      }
    }
    return views->empty() ? 1 : 0;
  }
  if (show->parsed()) return PrintJson(inst.requests().Get(id));
  if (verify->parsed()) {
    std::optional<bool> confirm;
    if (confirm_agent == "yes") confirm = true;
    else if (confirm_agent == "no") confirm = false;
    else if (!confirm_agent.empty()) return Report({ErrorCode::kInvalidArgument, "must be yes or no", "confirm-agent"});
    return PrintJson(inst.requests().Verify(id, code, confirm));
  }
  if (approve->parsed()) return PrintJson(inst.requests().Approve(id, cli_actor, text));
  if (deny->parsed()) return PrintJson(inst.requests().Deny(id, cli_actor, deny_input));
  if (extend->parsed()) return PrintJson(inst.requests().Extend(id, cli_actor, text));
  if (fulfil->parsed()) {
    auto view = inst.requests().Get(id);
    if (!view) return Report(view.error());
    if (fulfil_manual || !inst.runner().has_datasets() || !fulfil::Runner::Handles(view->type)) {
      if (fulfil_dry_run) return Report({ErrorCode::kInvalidArgument, "a dry run needs a request the datasets fulfil", "dry-run"});
      return PrintJson(inst.requests().Fulfil(id, cli_actor, text));
    }
    fulfil::Corrections corrections;
    for (const auto& c : corrections_flag) {
      const size_t eq = c.find('=');
      if (eq == std::string::npos || eq == 0) return Report({ErrorCode::kInvalidArgument, "must be collection.field=value", "set"});
      corrections[c.substr(0, eq)] = c.substr(eq + 1);
    }
    if (fulfil_dry_run) {
      auto plan = inst.runner().Plan(id, corrections);
      if (!plan) return Report(plan.error());
      fmt::print("{}\n", *plan);
      return 0;
    }
    auto run = inst.runner().Run(id, cli_actor, corrections);
    if (!run) return Report(run.error());
    json out = rights::ToJson(run->request, true);
    out["fulfilment"] = {{"summary", run->summary}};
    if (!run->download_url.empty()) out["fulfilment"]["download_url"] = run->download_url;
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  if (datasets_check->parsed()) {
    if (inst.datasets().empty()) {
      fmt::print("no datasets configured (fulfilment.datasets in steward.yaml)\n");
      return 1;
    }
    auto st = inst.runner().CheckDatasets();
    if (!st) return Report(st.error());
    for (const auto& d : inst.datasets()) fmt::print("{}: ok ({} collections, {} database reachable and matching)\n", d.key, d.collections.size(), d.engine);
    return 0;
  }
  if (retention_run->parsed()) {
    if (!inst.sweeper().has_rules()) {
      fmt::print("no retention rules in the configured datasets\n");
      return 1;
    }
    auto report = inst.sweeper().Run({.dry_run = retention_dry_run, .trigger = "cli"});
    if (!report) return Report(report.error());
    fmt::print("{} {}{}: {} row{} {}\n", report->dry_run ? "dry run" : "run", report->run_id,
               report->resumed ? " (resumed)" : "", report->rows, report->rows == 1 ? "" : "s",
               report->dry_run ? "would change" : "changed");
    for (const auto& r : report->rules) {
      fmt::print("  {}.{}.{} {} before {}: {}{}{}\n", r.dataset, r.collection, r.rule, r.action, r.cutoff, r.rows,
                 r.sample_keys.empty() ? "" : fmt::format(" (keys {})", fmt::join(r.sample_keys, ", ")),
                 r.error.empty() ? "" : " ERROR: " + r.error);
    }
    for (const auto& e : report->store_errors) fmt::print("  store unavailable: {}\n", e);
    return report->status == "done" ? 0 : 2;
  }
  if (retention_status->parsed()) {
    auto runs = inst.sweeper().History(10);
    if (!runs) return Report(runs.error());
    for (const auto& r : *runs) {
      fmt::print("{} {} {} {} {}\n", r.id, FormatTimestamp(FromMillis(r.started_at)), r.dry_run ? "dry-run" : "run    ",
                 Pad(r.status, 8), r.trigger);
    }
    if (inst.config().retention_interval_hours == 0) {
      fmt::print("schedule: off (retention.interval_hours is 0)\n");
    } else {
      auto next = inst.sweeper().NextDue(std::chrono::hours(inst.config().retention_interval_hours));
      if (!next) return Report(next.error());
      fmt::print("schedule: every {} h under `steward serve`; next due {}\n", inst.config().retention_interval_hours,
                 FormatTimestamp(*next));
    }
    return 0;
  }
  if (consent_record->parsed() || consent_history->parsed() || decide->parsed()) {
    if (auto loaded = inst.consent().Refresh(); !loaded) return Report(loaded.error());
    consent::Who who{.device_id = c_device};
    for (auto [k, v] : {std::pair{"email", &c_email}, {"phone", &c_phone}, {"account_id", &c_account}}) {
      if (!v->empty()) who.identifiers[k] = *v;
    }
    if (consent_record->parsed()) {
      consent_in.who = who;
      auto r = inst.consent().Record(consent_in);
      if (!r) return Report(r.error());
      fmt::print("{}{}\n", r->status, r->message.empty() ? "" : ": " + r->message);
      return 0;
    }
    if (consent_history->parsed()) {
      auto events = inst.consent().History(who);
      if (!events) return Report(events.error());
      for (const auto& e : *events) {
        fmt::print("{} {} {} {} {} policy v{}\n", FormatTimestamp(FromMillis(e.at)), Pad(e.purpose, 20), Pad(e.choice, 16),
                   Pad(e.source, 7), Pad(e.jurisdiction, 6), e.notice_version);
      }
      return events->empty() ? 1 : 0;
    }
    decide_in.who = who;
    auto d = inst.consent().Decide(decide_in);
    if (!d) return Report(d.error());
    fmt::print("{}: {}{}\n", d->allow ? "allow" : "deny", d->reason, d->basis.empty() ? "" : " (" + d->basis + ")");
    return d->allow ? 0 : 1;
  }
  if (packages_purge->parsed()) {
    auto n = inst.runner().PurgeExpired();
    if (!n) return Report(n.error());
    fmt::print("{} expired package{} deleted\n", *n, *n == 1 ? "" : "s");
    return 0;
  }
  if (cancel->parsed()) return PrintJson(inst.requests().Cancel(id, cli_actor, text));

  if (audit_verify->parsed()) {
    auto report = audit::Verify(inst.store());
    if (!report) return Report(report.error());
    if (report->intact) {
      fmt::print("audit log intact: {} entries\n", report->entries);
      return 0;
    }
    fmt::print(stderr, "audit log BROKEN at entry {}: {} ({} entries verified before it)\n", report->first_broken_seq,
               report->problem, report->entries);
    return 2;
  }
  if (metrics->parsed()) {
    if (year == 0) year = static_cast<int>(LocalDate(inst.clock().Now()).year());
    auto m = inst.requests().ComputeMetrics(year);
    if (!m) return Report(m.error());
    if (metrics_json) {
      fmt::print("{}\n", rights::ToJson(*m).dump(2));
      return 0;
    }
    fmt::print("Requests received in {} (CCPA §7102)\n", year);
    fmt::print("{} {} {} {} {} {} {}\n", Pad("TYPE", 19), Pad("RECEIVED", 9), Pad("COMPLIED", 9), Pad("DENIED", 7),
               Pad("PENDING", 8), Pad("MEDIAN DAYS", 12), "MEAN DAYS");
    for (const auto& t : m->types) {
      fmt::print("{} {} {} {} {} {} {:.1f}\n", Pad(t.type, 19), Pad(std::to_string(t.received), 9),
                 Pad(std::to_string(t.complied), 9), Pad(std::to_string(t.denied), 7), Pad(std::to_string(t.pending), 8),
                 Pad(fmt::format("{:.1f}", t.median_days), 12), t.mean_days);
      for (const auto& [reason, n] : t.denied_by_reason) fmt::print("    denied ({}): {}\n", reason, n);
    }
    return m->types.empty() ? 1 : 0;
  }
  if (outbox_list->parsed()) {
    std::vector<store::MessageRow> rows;
    auto st = inst.store().Read([&](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(rows, tx.ListMessages("", outbox_status, 200));
      return Ok();
    });
    if (!st) return Report(st.error());
    for (const auto& m : rows) {
      fmt::print("{} {} {} {} attempts={} {}{}\n", Pad(std::to_string(m.id), 6), Pad(m.status, 8), Pad(m.kind, 18),
                 Pad(m.request_id, 30), m.attempts, FormatTimestamp(FromMillis(m.created_at)),
                 m.last_error.empty() ? "" : "  error: " + m.last_error);
    }
    return rows.empty() ? 1 : 0;
  }
  return 2;
}

}  // namespace steward::cli

int main(int argc, char** argv) { return steward::cli::Main(argc, argv); }
