// bench/intake: durable request intake over HTTP against the raw SQLite insert rate.
//
// Files N delete requests over HTTP/1.1 keep-alive from C concurrent clients against the real
// server and API (in this process, real sockets), and reports requests/s and p50/p99 latency.
// In the same run it inserts the same number of request rows straight into a SQLite database
// with the same durability settings (WAL, synchronous=FULL, one commit per row) and prints the
// ratio. Each intake commit carries more than the raw row: the request, its events, audit
// entries and two outbox messages — that is the price of "nothing half-applied".
//
// Usage: intake_bench [N=2000] [C=8]
#include <sqlite3.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "cli/instance.h"
#include "http/api.h"
#include "http/server.h"
#include "http_client.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Raw: the same number of request rows, one transaction each, same pragmas.
double RawInsertRate(const fs::path& db_path, int n, const steward::InstanceKey& key) {
  {
    auto store = steward::store::OpenSqliteStore(db_path);  // creates the same schema
    if (!store) {
      fmt::print(stderr, "raw: {}\n", store.error().message);
      std::exit(2);
    }
  }
  sqlite3* db = nullptr;
  sqlite3_open(db_path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO requests (id, type, jurisdiction, status, channel, received_at, received_date, "
                     "confirm_by, due_at, original_due_at, subject_key, identity_sealed, verification_level, "
                     "data_points, status_token_hash, updated_at, version) "
                     "VALUES (?, 'delete', 'US-CA', 'awaiting_verification', 'web', ?, '2026-11-24', '2026-12-10', "
                     "'2027-01-08', '2027-01-08', ?, ?, 'reasonable', 2, ?, ?, 1)",
                     -1, &st, nullptr);
  const std::string identity = key.Seal(R"({"identity":{"email":"person@example.com","name":"Bench Person"},"details":""})");
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    const std::string id = fmt::format("req_raw{:020}", i);
    const std::string subject = key.KeyedHash("subject", id);
    const std::string token = key.KeyedHash("status-token", id);
    sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, i);
    sqlite3_bind_text(st, 3, subject.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, identity.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, token.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, i);
    if (sqlite3_step(st) != SQLITE_DONE) {
      fmt::print(stderr, "raw insert failed: {}\n", sqlite3_errmsg(db));
      std::exit(2);
    }
    sqlite3_reset(st);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n / secs;
}

struct Round {
  double intake_rate = 0;
  double raw_rate = 0;
  std::vector<double> latencies_ms;
  int failures = 0;
};

// One round: N intakes over HTTP against a fresh data dir, then N raw inserts into a fresh file.
Round RunRound(const fs::path& dir, int n, int clients, int* server_threads) {
  Round round;
  fs::remove_all(dir);
  if (auto st = steward::cli::InitDataDir(dir / "data", {"acme", "", ""}); !st) {
    fmt::print(stderr, "init: {}\n", st.error().message);
    std::exit(2);
  }
  auto inst = steward::cli::Instance::Open(dir / "data");
  if (!inst) {
    fmt::print(stderr, "open: {}\n", inst.error().message);
    std::exit(2);
  }
  steward::http::RateLimiter unlimited(0, 0);
  steward::http::Api api({(*inst)->requests(), (*inst)->tokens(), (*inst)->store(), (*inst)->key(), (*inst)->clock(), unlimited,
                          (*inst)->inventory()});
  steward::http::ServerOptions options;
  options.port = 0;
  options.threads = (*inst)->config().http_threads;
  *server_threads = options.threads;
  steward::http::Server server(options, [&api](const steward::http::Request& r) { return api.Handle(r); });
  const int port = *server.Start();
  std::thread serving([&] { server.Run(); });

  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::vector<std::vector<double>> latencies(clients);
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int c = 0; c < clients; ++c) {
    workers.emplace_back([&, c] {
      steward::testing::Connection conn("127.0.0.1", port);
      for (int i = next++; i < n; i = next++) {
        const std::string body = fmt::format(
            R"({{"type":"delete","jurisdiction":"US-CA","identity":{{"email":"person{}@example.com","name":"Bench Person"}}}})", i);
        const auto t0 = Clock::now();
        auto r = conn.Call("POST", "/v1/requests", body);
        latencies[c].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (r.status != 201) ++failures;
      }
    });
  }
  for (auto& w : workers) w.join();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  server.Stop();
  serving.join();
  for (auto& v : latencies) round.latencies_ms.insert(round.latencies_ms.end(), v.begin(), v.end());
  round.intake_rate = n / secs;
  round.failures = failures.load();
  round.raw_rate = RawInsertRate(dir / "raw.db", n, (*inst)->key());
  fs::remove_all(dir);
  return round;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int clients = argc > 2 ? std::atoi(argv[2]) : 8;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  const fs::path dir = fs::temp_directory_path() / fmt::format("steward-bench-intake-{}", ::getpid());
  int server_threads = 0;
  fmt::print("bench/intake  N={} clients={} rounds={} cores={}\n", n, clients, rounds, std::thread::hardware_concurrency());
  // fsync latency on this kind of machine swings between runs, so rounds alternate intake and
  // raw and the medians are reported.
  std::vector<double> intake, raw, ratio, all_latencies;
  int failures = 0;
  for (int r = 0; r < rounds; ++r) {
    Round round = RunRound(dir, n, clients, &server_threads);
    fmt::print("round {}: intake {:.0f} req/s (p50 {:.2f} ms, p99 {:.2f} ms), raw {:.0f} rows/s, ratio {:.1f}%\n", r + 1,
               round.intake_rate, Percentile(round.latencies_ms, 0.5), Percentile(round.latencies_ms, 0.99),
               round.raw_rate, 100.0 * round.intake_rate / round.raw_rate);
    intake.push_back(round.intake_rate);
    raw.push_back(round.raw_rate);
    ratio.push_back(100.0 * round.intake_rate / round.raw_rate);
    all_latencies.insert(all_latencies.end(), round.latencies_ms.begin(), round.latencies_ms.end());
    failures += round.failures;
  }
  fmt::print("intake over HTTP (keep-alive, durable, {} server threads): median {:.0f} req/s  p50 {:.2f} ms  p99 {:.2f} ms  failures {}\n",
             server_threads, Percentile(intake, 0.5), Percentile(all_latencies, 0.50), Percentile(all_latencies, 0.99), failures);
  fmt::print("raw SQLite insert, same rows (WAL, synchronous=FULL, one commit each): median {:.0f} rows/s\n", Percentile(raw, 0.5));
  fmt::print("ratio intake/raw: median {:.1f}% (min {:.1f}%, max {:.1f}%)  target >= 30%\n", Percentile(ratio, 0.5),
             *std::min_element(ratio.begin(), ratio.end()), *std::max_element(ratio.begin(), ratio.end()));
  return failures == 0 ? 0 : 2;
}
