// bench/decisions, preparation: a data dir for the example company with N subjects in the
// consent ledger (every tenth opted out of sale/sharing, every third with a marketing opt-in),
// a decision-role token in DIR/decision.token, and the resident memory of the decision index
// for those N subjects. The run script then drives `steward serve` with wrk beside nginx.
#include <fmt/format.h>

#include <fstream>
#include <string>

#include "cli/instance.h"
#include "consent/ledger.h"

using namespace steward;

namespace {

long RssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

int Fail(const Error& e) {
  fmt::print(stderr, "decisions_bench: {} ({})\n", e.message, e.field);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 || std::string(argv[1]) != "prepare") {
    fmt::print(stderr, "usage: decisions_bench prepare DIR SUBJECTS\n");
    return 2;
  }
  const std::filesystem::path dir = argv[2];
  const int64_t subjects = std::stoll(argv[3]);
  if (auto st = cli::InitDataDir(dir, {.example = "acme", .example_customers = 10}); !st) return Fail(st.error());
  auto inst = cli::Instance::Open(dir);
  if (!inst) return Fail(inst.error());
  auto token = (*inst)->tokens().Create(http::Role::kDecision, "bench", "bench");
  if (!token) return Fail(token.error());
  std::ofstream(dir / "decision.token") << token->token;

  consent::ConsentService& ledger = (*inst)->consent();
  const int64_t now = ToMillis((*inst)->clock().Now());
  for (int64_t begin = 0; begin < subjects; begin += 50'000) {
    auto st = (*inst)->store().Write([&](store::Transaction& tx) -> Status {
      for (int64_t i = begin; i < std::min(subjects, begin + 50'000); ++i) {
        ASSIGN_OR_RETURN(std::string key, ledger.SubjectKey("email", fmt::format("user{}@example.com", i)));
        store::ConsentEventRow e{.subject = key, .purpose = "marketing_email", .choice = i % 3 == 0 ? "opt_in" : "opt_out",
                                 .source = "import", .jurisdiction = "US-CA", .at = now};
        if (i % 10 == 0) {
          e.purpose = "sale_sharing";
          e.choice = "opt_out";
        }
        RETURN_IF_ERROR(tx.AppendConsentEvent(e));
      }
      return Status{};
    });
    if (!st) return Fail(st.error());
  }
  // The index a server builds for these subjects, measured in a fresh service.
  const long before = RssKb();
  consent::ConsentService fresh((*inst)->store(), (*inst)->inventory(), (*inst)->key(), (*inst)->clock());
  if (auto st = fresh.Refresh(); !st) return Fail(st.error());
  const long after = RssKb();
  fmt::print("ledger: {} subjects; decision index: {} entries, resident memory {:.1f} MiB ({:.0f} bytes per subject)\n",
             subjects, fresh.size(), static_cast<double>(after - before) / 1024.0,
             static_cast<double>(after - before) * 1024.0 / static_cast<double>(subjects));
  return 0;
}
