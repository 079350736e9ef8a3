// Engine and sessions: rules compiled into Vectorscan (candidates by their end offsets) or RE2
// alone (the portable fallback), spans confirmed by RE2 line by line, validators applied.
#include <hs/hs.h>
#include <re2/re2.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "core/secrets.h"
#include "scan/internal/gate.h"
#include "scan/internal/rules.h"
#include "scan/scan.h"

namespace steward::scan {
namespace {

using internal::Candidate;
using internal::Rule;
using internal::RuleSet;
using internal::Verdict;

struct HsDatabaseDeleter {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
struct HsScratchDeleter {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};

RE2::Options Re2Options() {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingLatin1);  // bytes, like Vectorscan without HS_FLAG_UTF8
  o.set_never_nl(true);
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  return o;
}

// The threads' places among a LazyRe2's copies: each thread takes the next place the first time
// it asks, so the workers of a scan, started together, use copies of their own.
size_t ThreadSlot() {
  static std::atomic<size_t> next{0};
  thread_local const size_t slot = next.fetch_add(1, std::memory_order_relaxed);
  return slot;
}

// A rule's RE2, compiled on its first use. A scan of a few small files confirms a few rules,
// and compiling every rule's RE2 up front was more than half of a one-line file's scan.
// Thread-safe: sessions on several threads share it. Each thread uses its own copy of the RE2,
// up to one per core and eight in all: an RE2 takes a shared lock around each search of its
// DFA, and the threads of a scan with many findings spent a seventh of their time passing that
// lock's cache line between cores (perf, two threads, 2026-12-08). Past eight, threads share
// copies, so that a large machine does not compile and hold every rule's RE2 once per core.
class LazyRe2 {
 public:
  explicit LazyRe2(std::string pattern)
      : pattern_(std::move(pattern)), copies_(std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8)), copy_(new Copy[copies_]) {}
  const RE2& Get() const {
    Copy& c = copy_[ThreadSlot() % copies_];
    std::call_once(c.once, [this, &c] { c.re = std::make_unique<RE2>(pattern_, Re2Options()); });
    return *c.re;
  }
  // The pattern's longest match (internal::LongestMatch), also worked out on first use: for the
  // gated rules, a few milliseconds of Vectorscan's analysis together.
  size_t Longest() const {
    std::call_once(longest_once_, [this] { longest_ = internal::LongestMatch(pattern_); });
    return longest_;
  }

 private:
  struct Copy {
    std::once_flag once;
    std::unique_ptr<RE2> re;
  };
  std::string pattern_;
  size_t copies_;
  std::unique_ptr<Copy[]> copy_;
  mutable std::once_flag longest_once_;
  mutable size_t longest_ = 0;
};

class EngineImpl final : public Engine {
 public:
  RuleSet set;
  std::vector<std::unique_ptr<LazyRe2>> re2;  // per rule; null for first-name rules with Vectorscan
  bool vectorscan = false;
  // Vectorscan: the rules it can skip ahead for (literal-led, or with literal prefilters) over
  // the whole text (absent when no rule is); the class-led rules are confirmed by RE2 on the lines
  // where GateLines finds their shapes: `gated` lists them, `shapes` is their union.
  std::unique_ptr<hs_database_t, HsDatabaseDeleter> hs_literal;
  std::vector<size_t> gated;
  uint32_t shapes = 0;
  // The first-name rules (shape kFirstName, one validator): with Vectorscan, confirmed by
  // FirstNameWords, through this one of them, rather than by RE2, and their re2 entries are null
  // (-1 without them, or with the RE2 matcher).
  int first_name_rule = -1;
  int person_detector = -1;  // the built-in person_name detector, -1 when filtered out
  std::unique_ptr<hs_scratch_t, HsScratchDeleter> hs_proto;  // cloned per session

  const std::vector<Detector>& detectors() const override { return set.detectors; }
  MatcherKind matcher() const override { return vectorscan ? MatcherKind::kVectorscan : MatcherKind::kRe2; }
  std::unique_ptr<Session> NewSession() const override;
};

class SessionImpl final : public Session {
 public:
  explicit SessionImpl(const EngineImpl& engine) : engine_(engine), hits_(engine.set.rules.size()) {
    if (engine.hs_proto) {
      hs_scratch_t* scratch = nullptr;
      if (hs_clone_scratch(engine.hs_proto.get(), &scratch) == HS_SUCCESS) scratch_.reset(scratch);
    }
  }

  void Scan(std::string_view text, const std::function<void(const Match&)>& on_match) override {
    Run(text, on_match, /*records=*/false);
  }
  void ScanRecords(std::string_view text, const std::function<void(const Match&)>& on_match) override {
    Run(text, on_match, /*records=*/true);
  }

 private:
  void Run(std::string_view text, const std::function<void(const Match&)>& on_match, bool records) {
    found_.clear();
    records_ = records;
    if (engine_.vectorscan && (scratch_ || !engine_.hs_literal)) {
      ScanVectorscan(text);
    } else {
      for (size_t r = 0; r < engine_.set.rules.size(); ++r) {
        if (engine_.re2[r]) {
          Confirm(r, text, 0, text.size());
        } else if (static_cast<int>(r) == engine_.first_name_rule) {  // not compiled (see Engine::Build)
          ConfirmFirstNames(r, text, 0, text.size());
        }
      }
    }
    Resolve();
    if (engine_.person_detector >= 0) FollowNames(text, records);
    for (const Match& m : found_) on_match(m);
  }

  static int OnHit(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/, void* ctx) {
    auto* self = static_cast<SessionImpl*>(ctx);
    if (id < self->hits_.size()) self->hits_[id].push_back(self->base_ + static_cast<size_t>(to));  // not the inert literals (MatcherPads)
    return 0;
  }

  // Scans text[from, to) with db, recording hits at their offsets in text.
  void HsScan(const hs_database_t* db, std::string_view text, size_t from, size_t to) {
    // hs_scan takes an unsigned int length; sources hand in chunks far below 4 GiB, but cut
    // defensively (at a line end) so a caller passing more still gets every byte scanned.
    size_t offset = from;
    while (offset < to) {
      size_t len = std::min<size_t>(to - offset, size_t{1} << 30);
      if (offset + len < to) {
        size_t nl = text.rfind('\n', offset + len);
        if (nl != std::string_view::npos && nl > offset) len = nl + 1 - offset;
      }
      base_ = offset;
      hs_scan(db, text.data() + offset, static_cast<unsigned>(len), 0, scratch_.get(), OnHit, this);
      offset += len;
    }
  }

  void ScanVectorscan(std::string_view text) {
    for (auto& h : hits_) h.clear();
    if (engine_.hs_literal) HsScan(engine_.hs_literal.get(), text, 0, text.size());
    if (engine_.shapes != 0) {
      lines_.clear();
      internal::GateLines(text, engine_.shapes, lines_);
      for (const internal::LineRange& line : lines_) {
        const size_t segment = found_.size();
        for (size_t r : engine_.gated)
          if (engine_.set.rules[r].shape & line.shapes) Confirm(r, text, internal::ConfirmFrom(line, engine_.re2[r]->Longest()), line.to);
        if (engine_.first_name_rule >= 0 && (line.shapes & internal::kFirstName))
          ConfirmFirstNames(static_cast<size_t>(engine_.first_name_rule), text, line.from, line.to);
        MergeFrom(segment);
      }
    }
    for (size_t r = 0; r < hits_.size(); ++r) {
      const size_t segment = found_.size();
      size_t covered = 0;  // end of the last line confirmed for this rule
      for (size_t end : hits_[r]) {
        if (end == 0 || end <= covered) continue;
        size_t last = end - 1;
        if (text[last] == '\n') continue;  // patterns never end on a newline
        size_t line_start = text.rfind('\n', last);
        line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
        size_t line_end = text.find('\n', last);
        if (line_end == std::string_view::npos) line_end = text.size();
        if (line_start < covered) line_start = covered;
        Confirm(r, text, line_start, line_end);
        covered = line_end;
      }
      MergeFrom(segment);
    }
  }

  // The order Resolve takes matches in: by start, the longer first, then by detector.
  static bool Before(const Match& a, const Match& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.end != b.end) return a.end > b.end;
    return a.detector < b.detector;
  }

  // Sorts found_[from, end) and merges it into found_[0, from), sorted already. Matches come a
  // line or a rule at a time, in order or nearly; one sort of them all was a twelfth of a table
  // scan, where every row has some.
  void MergeFrom(size_t from) {
    const auto mid = found_.begin() + static_cast<std::ptrdiff_t>(from);
    if (!std::is_sorted(mid, found_.end(), Before)) std::sort(mid, found_.end(), Before);
    if (from > 0 && mid != found_.end() && Before(*mid, *(mid - 1))) std::inplace_merge(found_.begin(), mid, found_.end(), Before);
  }

  // Finds rule r's matches in text[from, to) with RE2 (context: the whole text) and validates them.
  void Confirm(size_t r, std::string_view text, size_t from, size_t to) {
    const RE2& re = engine_.re2[r]->Get();
    if (!re.ok()) return;  // a built-in pattern that fails to compile; the RE2 matcher reports it at Build
    const Rule& rule = engine_.set.rules[r];
    int groups = std::min(re.NumberOfCapturingGroups(), 1) + 1;
    // No pattern matches a newline: a line's own is not searched after its last match (one RE2
    // call in three on a table's values). RE2 still sees it as context, for `\b` at the end.
    if (to > from && text[to - 1] == '\n') --to;
    re2::StringPiece sub[2];
    re2::StringPiece whole(text.data(), text.size());
    size_t pos = from;
    while (pos < to) {
      if (!re.Match(whole, pos, to, RE2::UNANCHORED, sub, groups)) break;
      Candidate c;
      c.text = text;
      c.records = records_;
      c.start = static_cast<size_t>(sub[0].data() - text.data());
      c.end = c.start + sub[0].size();
      if (groups == 2 && sub[1].data() != nullptr) {
        c.value_start = static_cast<size_t>(sub[1].data() - text.data());
        c.value_end = c.value_start + sub[1].size();
      } else {
        c.value_start = c.start;
        c.value_end = c.end;
      }
      bool accepted = false;
      if (c.value_end > c.value_start) {
        std::optional<Verdict> v = rule.validate ? rule.validate(c) : Verdict{c.value_start, c.value_end, rule.confidence};
        accepted = v && v->end > v->start;
        if (accepted && rule.each_word) {
          PushWords(rule.detector, text, *v);
        } else if (accepted) {
          found_.push_back(Match{rule.detector, v->start, v->end, v->confidence});
        }
      }
      // A rejected match of a rule with a value inside (a context word, then the value) may hide
      // a good one starting within it ("database routing 021000021": not "aba…", but "routing…"):
      // look again from just after its start. So may a rejected pair of capitalized words, at its
      // second word ("Producer Liviana Palerma": not "Producer Liviana", but "Liviana Palerma").
      const size_t space = !accepted && (rule.shape & (internal::kNamePair | internal::kNameInitial))
                               ? internal::PairRetryAt(text, c.start, c.end)
                               : std::string_view::npos;
      pos = !accepted && groups == 2 && c.value_start > c.start ? c.start + 1
            : space != std::string_view::npos                     ? space
            : c.end > c.start                                     ? c.end
                                                                  : c.end + 1;
    }
  }

  // The people found, followed to the other places the text names them within kFollowReach
  // bytes before or after (after Resolve, on its sorted matches, so both matchers add the same):
  // - by surname alone, on the full name's line ("directed by Maciej Borkowski and starring
  //   Borkowski");
  // - a person who speaks in a dialogue ("Nicole: Remember me?") shows the lines around that
  //   start with a name and ':' to be speakers too ("Ubul: What a wife."); not when the lines
  //   are records of their own.
  // The surname searches together read at most four times the text (and 64 KiB), so a text of
  // nothing but names (a long line of them) stays linear; the speaker lines are read once.
  static constexpr size_t kFollowReach = 2048;
  void FollowNames(std::string_view text, bool records) {
    const size_t resolved = found_.size();
    size_t budget = 4 * text.size() + 65536, speakers_read_to = 0;
    auto add = [&](const Match& m, size_t at, size_t end) {
      if (Overlaps(resolved, at, end)) return;
      found_.push_back(Match{m.detector, at, end, std::min(m.confidence, 0.75)});
    };
    for (size_t k = 0; k < resolved; ++k) {
      const Match m = found_[k];
      if (m.detector != engine_.person_detector) continue;
      const size_t reach_from = m.start > kFollowReach ? m.start - kFollowReach : 0;
      const size_t reach_to = std::min(text.size(), m.end + kFollowReach);
      const bool line_start = m.start == 0 || text[m.start - 1] == '\n';
      if (!records && line_start && internal::SpeakerLabelEnd(text, m.start) == m.end) {
        for (size_t at = std::max(reach_from, speakers_read_to); at < reach_to;) {
          if (at == 0 || text[at - 1] == '\n')
            if (const size_t end = internal::SpeakerLabelEnd(text, at)) add(m, at, end);
          const void* nl = std::memchr(text.data() + at, '\n', reach_to - at);
          if (nl == nullptr) break;
          at = static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1;
        }
        speakers_read_to = std::max(speakers_read_to, reach_to);
      }
      const std::string_view surname = internal::SurnameToFollow(text.substr(m.start, m.end - m.start));
      if (surname.empty()) continue;
      // The line around the match, within reach.
      size_t from = reach_from, to = reach_to;
      if (const void* nl = memrchr(text.data() + from, '\n', m.start - from))
        from = static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1;
      if (const void* nl = std::memchr(text.data() + m.end, '\n', to - m.end)) to = static_cast<size_t>(static_cast<const char*>(nl) - text.data());
      if (to - from > budget) continue;
      budget -= to - from;
      for (size_t at = text.substr(0, to).find(surname, from); at != std::string_view::npos;
           at = text.substr(0, to).find(surname, at + 1))
        if (StandsAlone(text, at, at + surname.size())) add(m, at, at + surname.size());
    }
    if (found_.size() == resolved) return;
    // Words of their own are disjoint or the same: the same one found twice is kept once (the
    // more confident, which Before puts first).
    std::sort(found_.begin(), found_.end(), [](const Match& a, const Match& b) {
      return Before(a, b) || (!Before(b, a) && a.confidence > b.confidence);
    });
    found_.erase(std::unique(found_.begin(), found_.end(),
                             [](const Match& a, const Match& b) { return a.start == b.start && a.end == b.end; }),
                 found_.end());
  }

  // text[at, end) is a word of its own: not part of a longer word, an address, a host or a path.
  static bool StandsAlone(std::string_view text, size_t at, size_t end) {
    auto joins = [](unsigned char b) { return std::isalnum(b) || b == '_' || b >= 0x80 || b == '-' || b == '@'; };
    if (at > 0) {
      const unsigned char b = static_cast<unsigned char>(text[at - 1]);
      if (joins(b) || b == '.' || b == '/' || b == '\'') return false;
    }
    if (end < text.size()) {
      const unsigned char b = static_cast<unsigned char>(text[end]);
      if (joins(b)) return false;
      if ((b == '.' || b == '/') && end + 1 < text.size() && std::isalnum(static_cast<unsigned char>(text[end + 1]))) return false;
    }
    return true;
  }

  // Whether [at, end) overlaps one of the first `resolved` matches, sorted and disjoint (Resolve).
  bool Overlaps(size_t resolved, size_t at, size_t end) const {
    const auto first = found_.begin(), last = found_.begin() + static_cast<std::ptrdiff_t>(resolved);
    const auto it = std::partition_point(first, last, [at](const Match& m) { return m.end <= at; });
    return it != last && it->start < end;
  }

  // The words of v's span, each a match, without the ", " " and " " & " that join them.
  void PushWords(int detector, std::string_view text, const Verdict& v) {
    internal::ForEachListedWord(text.substr(v.start, v.end - v.start), [&](size_t at, std::string_view word) {
      found_.push_back(Match{detector, v.start + at, v.start + at + word.size(), v.confidence});
      return true;
    });
  }

  // The first names in text[from, to), validated as rule r's matches (see FirstNameWords).
  void ConfirmFirstNames(size_t r, std::string_view text, size_t from, size_t to) {
    const Rule& rule = engine_.set.rules[r];
    spans_.clear();
    internal::FirstNameWords(text, from, to, spans_);
    for (const auto& [start, end] : spans_) {
      Candidate c;
      c.text = text;
      c.records = records_;
      c.start = c.value_start = start;
      c.end = c.value_end = end;
      std::optional<Verdict> v = rule.validate(c);
      if (v && v->end > v->start) found_.push_back(Match{rule.detector, v->start, v->end, v->confidence});
    }
  }

  // One match per place: of overlapping matches, the more confident wins (then the longer, then
  // the earlier found), except that a person's name inside a longer one stays part of it. Kept
  // matches never overlap and are sorted, so only a suffix of them can overlap the next candidate.
  void Resolve() {
    if (!std::is_sorted(found_.begin(), found_.end(), Before)) std::sort(found_.begin(), found_.end(), Before);
    std::vector<Match> kept;
    kept.reserve(found_.size());
    for (const Match& m : found_) {
      size_t first = kept.size();
      while (first > 0 && kept[first - 1].end > m.start) --first;
      // A person's name inside a longer one found ("Francis Ratté" in "Louis-Francis
      // Ratté-Boulianne <lfrb@…>", "Eric Racine" after "Thanks Martin-Eric") leaves the longer
      // one, as sure as the surer of the two; matches come longer first at each start.
      if (m.detector == engine_.person_detector && first < kept.size()) {
        Match& k = kept.back();
        if (k.detector == m.detector && k.start <= m.start && m.end <= k.end) {
          k.confidence = std::max(k.confidence, m.confidence);
          continue;
        }
      }
      bool wins = true;
      for (size_t i = first; i < kept.size() && wins; ++i) {
        const Match& k = kept[i];
        wins = m.confidence > k.confidence || (m.confidence == k.confidence && m.end - m.start > k.end - k.start);
      }
      if (!wins) continue;
      kept.resize(first);
      kept.push_back(m);
    }
    found_ = std::move(kept);
  }

  const EngineImpl& engine_;
  std::unique_ptr<hs_scratch_t, HsScratchDeleter> scratch_;
  std::vector<internal::LineRange> lines_;  // lines with the shapes of class-led rules
  std::vector<std::pair<size_t, size_t>> spans_;  // first names on a line
  std::vector<std::vector<size_t>> hits_;
  std::vector<Match> found_;
  size_t base_ = 0;  // offset of the piece hs_scan is scanning
  bool records_ = false;  // the text scanned is records, a line each (ScanRecords)
};

std::unique_ptr<Session> EngineImpl::NewSession() const { return std::make_unique<SessionImpl>(*this); }

// Vectorscan matches a database's literals with Teddy (SIMD buckets) while they fit its buckets,
// up to about 256, and with FDR (hashing) beyond. Loaded near that limit, Teddy confirms many
// false bucket hits: the built-in set without the name rules ran its literal database at
// 1.3 GB/s on the bench corpus, and 3.4 GB/s with 96 inert literals added, past Teddy's limit;
// the whole set sat a few literals past it, so taking one rule out slowed it 2.7 times. Where
// the database is cached (built once per rule set), it is also built with kPadCounts inert
// literals, all are timed in turns on TuningSample (Fastest), and the fastest is kept. The inert
// literals hold bytes no UTF-8 text has (F8-FC) and their ids are past the rules', so a match of
// one is dropped.
constexpr size_t kPadCounts[] = {32, 96, 160};
constexpr size_t kMinExpressionsToTune = 8;  // small sets stay light for Teddy

std::vector<std::string> MatcherPads(size_t count) {
  std::vector<std::string> pads;
  for (size_t k = 0; k < count; ++k) pads.push_back(fmt::format("\\xf8\\xf9\\x{:02x}\\xfa\\xfb\\xfc", k & 0xff));
  return pads;
}

// About 1 MiB of mixed text, the same every time: log lines, CSV rows, JSON Lines and prose,
// with emails, phone numbers, names and the rules' words among them, as the bench corpus has.
std::string TuningSample() {
  static constexpr std::string_view kWords[] = {
      "order",   "processed", "customer", "delivery", "the",   "was",   "invoice", "payment", "status", "session", "request",
      "report",  "warehouse", "and",      "to",       "about", "cache", "shipped", "notified", "completed", "started",
      "address", "account",   "card",     "name",     "phone", "date",  "birth",   "Please",  "call",   "Thanks",  "regards",
      "Maria",   "Smith",     "Street",   "Dear",     "wrote", "zip",   "id",      "password", "token", "user",   "email"};
  uint32_t x = 20261207;
  auto next = [&x] {
    x = x * 1103515245u + 12345u;
    return (x >> 16) & 0x7fff;
  };
  std::string s;
  s.reserve((size_t{1} << 20) + 256);
  for (unsigned line = 0; s.size() < (size_t{1} << 20); ++line) {
    const unsigned n = next();
    switch (line % 4) {
      case 0: s += fmt::format("2026-11-{:02}T10:{:02}:{:02}Z INFO req={:08x} took={}ms ", n % 28 + 1, n % 60, n % 59, n, n % 97); break;
      case 1: s += fmt::format("{},{} {},user{}@mail-shop.com,415-555-{:04},", n, kWords[n % std::size(kWords)],
                                  kWords[(n / std::size(kWords)) % std::size(kWords)], n, n % 10000);
        break;
      case 2: s += fmt::format("{{\"id\": {}, \"event\": \"{}\", \"detail\": \"", n, kWords[n % std::size(kWords)]); break;
      default: s += "The ";
    }
    for (int w = 0; w < 9; ++w) {
      s += kWords[next() % std::size(kWords)];
      s += ' ';
    }
    s += line % 4 == 2 ? "\"}\n" : ".\n";
  }
  return s;
}

// The index of the fastest of `dbs` on `sample`: the least of five scans each, taken in turns
// (each database once a round), so that a moment when the machine is busy slows them alike
// rather than the one that happened to be timed then.
size_t Fastest(const std::vector<hs_database_t*>& dbs, std::string_view sample) {
  std::vector<hs_scratch_t*> scratch(dbs.size(), nullptr);
  std::vector<double> best(dbs.size(), 1e9);
  for (size_t i = 0; i < dbs.size(); ++i)
    if (hs_alloc_scratch(dbs[i], &scratch[i]) != HS_SUCCESS) scratch[i] = nullptr;
  for (int round = 0; round < 5; ++round) {
    for (size_t i = 0; i < dbs.size(); ++i) {
      if (scratch[i] == nullptr) continue;
      const auto t0 = std::chrono::steady_clock::now();
      hs_scan(dbs[i], sample.data(), static_cast<unsigned>(sample.size()), 0, scratch[i],
              [](unsigned, unsigned long long, unsigned long long, unsigned, void*) { return 0; }, nullptr);
      best[i] = std::min(best[i], std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  for (hs_scratch_t* s : scratch) hs_free_scratch(s);  // null is fine
  return static_cast<size_t>(std::min_element(best.begin(), best.end()) - best.begin());
}

// Compiles the rules `pick` selects (their prefilters, else their patterns) into a Vectorscan
// database, loaded from or saved to the cache when there is one. Null when none is selected.
// `pads` inert literals are added (-1: tuned, above).
Result<hs_database_t*> CompileDatabase(const std::vector<Rule>& rules, const std::function<bool(const Rule&)>& pick,
                                       const std::string& cache_dir, std::string_view group, int pads) {
  std::string key_material = hs_version();
  key_material.append(group).push_back('\2');
  key_material.append("pads " + std::to_string(pads)).push_back('\2');  // tuned and padded databases are kept apart
  // And per CPU: a database built where the CPU lacks features (under valgrind, say) does not
  // load where it has them, and was built again and saved over the other, tuned there.
  if (hs_platform_info_t platform{}; hs_populate_platform(&platform) == HS_SUCCESS)
    key_material.append(fmt::format("tune {} features {}", platform.tune, platform.cpu_features)).push_back('\2');
  std::vector<const char*> patterns;
  std::vector<unsigned> ids;  // expression index -> rule, for ids and compile errors
  for (size_t i = 0; i < rules.size(); ++i) {
    if (!pick(rules[i])) continue;
    key_material.append(std::to_string(i)).push_back('\3');
    if (rules[i].prefilter.empty()) {
      patterns.push_back(rules[i].pattern.c_str());
      ids.push_back(static_cast<unsigned>(i));
      key_material.append(rules[i].pattern).push_back('\0');
    }
    for (const std::string& p : rules[i].prefilter) {
      patterns.push_back(p.c_str());
      ids.push_back(static_cast<unsigned>(i));
      key_material.append(p).push_back('\1');
    }
  }
  if (patterns.empty()) return static_cast<hs_database_t*>(nullptr);
  std::string cache_file;
  if (!cache_dir.empty()) cache_file = cache_dir + "/scan-" + Sha256Hex(key_material).substr(0, 32) + ".hsdb";

  hs_database_t* db = nullptr;
  if (!cache_file.empty()) {
    std::ifstream in(cache_file, std::ios::binary | std::ios::ate);
    if (in) {
      // One read of the whole file (a byte at a time through istreambuf_iterator took 8% of a
      // start-up's instructions).
      std::string bytes(static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0)), '\0');
      in.seekg(0);
      if (in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())) &&
          hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS)
        db = nullptr;
    }
  }
  if (db != nullptr) return db;
  // The rules' expressions, then `pads` inert literals with ids past the rules'.
  auto compile = [&](size_t inert) -> Result<hs_database_t*> {
    const std::vector<std::string> pad_patterns = MatcherPads(inert);
    std::vector<const char*> all = patterns;
    std::vector<unsigned> all_ids = ids;
    for (const std::string& p : pad_patterns) {
      all.push_back(p.c_str());
      all_ids.push_back(static_cast<unsigned>(rules.size()));
    }
    std::vector<unsigned> flags(all.size(), 0);
    hs_database_t* compiled = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(all.data(), flags.data(), all_ids.data(), static_cast<unsigned>(all.size()), HS_MODE_BLOCK, nullptr,
                         &compiled, &error) != HS_SUCCESS) {
      std::string message = error && error->message ? error->message : "unknown error";
      int expression = error ? error->expression : -1;
      hs_free_compile_error(error);
      if (expression >= 0 && static_cast<size_t>(expression) < ids.size() && rules[ids[expression]].line > 0)
        return Fail(ErrorCode::kInvalidArgument, "pattern not supported by Vectorscan: " + message,
                    "line " + std::to_string(rules[ids[expression]].line));
      return Fail(ErrorCode::kInternal, "compiling the scanner's patterns failed: " + message);
    }
    return compiled;
  };
  ASSIGN_OR_RETURN(db, compile(pads > 0 ? static_cast<size_t>(pads) : 0));
  if (cache_file.empty()) return db;
  if (pads < 0 && patterns.size() >= kMinExpressionsToTune) {
    std::vector<hs_database_t*> candidates = {db};
    for (size_t count : kPadCounts)
      if (Result<hs_database_t*> padded = compile(count)) candidates.push_back(*padded);  // else the others stand
    const size_t fastest = Fastest(candidates, TuningSample());
    for (size_t i = 0; i < candidates.size(); ++i)
      if (i != fastest) hs_free_database(candidates[i]);
    db = candidates[fastest];
  }
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) == HS_SUCCESS) {
    std::error_code ec;
    std::filesystem::create_directories(cache_dir, ec);
    std::string tmp = cache_file + ".tmp" + std::to_string(::getpid());
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(bytes, static_cast<std::streamsize>(length));
    }
    std::filesystem::rename(tmp, cache_file, ec);  // a cache: failing to keep it is fine
    if (ec) std::filesystem::remove(tmp, ec);
    free(bytes);
  }
  return db;
}

Status CompileVectorscan(EngineImpl& engine, const std::string& cache_dir, int pads) {
  const auto& rules = engine.set.rules;
  ASSIGN_OR_RETURN(hs_database_t * literal,
                   CompileDatabase(rules, [](const Rule& r) { return !r.class_led; }, cache_dir, "literal", pads));
  engine.hs_literal.reset(literal);
  for (size_t r = 0; r < rules.size(); ++r) {
    if (!rules[r].class_led) continue;
    if (rules[r].shape == 0) return Fail(ErrorCode::kInternal, "a class-led rule has no shape for the gate: " + rules[r].pattern);
    engine.shapes |= rules[r].shape;
    if (rules[r].shape != internal::kFirstName) engine.gated.push_back(r);  // first names: FirstNameWords
  }
  if (engine.hs_literal) {
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(engine.hs_literal.get(), &scratch) != HS_SUCCESS)
      return Fail(ErrorCode::kInternal, "allocating Vectorscan scratch failed");
    engine.hs_proto.reset(scratch);
  }
  engine.vectorscan = true;
  return Ok();
}

}  // namespace

namespace internal {
size_t LongestMatch(const std::string& pattern) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(pattern.c_str(), 0, &info, &error) != HS_SUCCESS) {
    hs_free_compile_error(error);
    return std::string_view::npos;
  }
  const size_t longest = info->max_width == UINT_MAX ? std::string_view::npos : info->max_width;
  free(info);  // from Vectorscan's allocator, malloc by default
  return longest;
}
}  // namespace internal

int Engine::FindDetector(std::string_view id) const {
  const auto& d = detectors();
  for (size_t i = 0; i < d.size(); ++i)
    if (d[i].id == id) return static_cast<int>(i);
  return -1;
}

Result<std::shared_ptr<const Engine>> Engine::Build(const EngineOptions& options) {
  auto engine = std::make_shared<EngineImpl>();
  const auto listed = [](const std::vector<std::string>& ids, std::string_view id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  const bool names_dropped =
      (!options.only.empty() && !listed(options.only, "person_name")) || listed(options.except, "person_name");
  engine->set = internal::BuiltinRules(names_dropped);
  if (!options.rules_file.empty()) RETURN_IF_ERROR(internal::AddRulesFile(options.rules_file, engine->set));
  RETURN_IF_ERROR(internal::FilterDetectors(options.only, options.except, engine->set));
  for (size_t d = 0; d < engine->set.detectors.size(); ++d)
    if (engine->set.detectors[d].id == "person_name" && !engine->set.detectors[d].custom) engine->person_detector = static_cast<int>(d);
  bool force_re2 = options.matcher == MatcherKind::kRe2;
#ifdef STEWARD_FORCE_RE2
  force_re2 = true;
#endif
  for (const Rule& rule : engine->set.rules) {
    // With Vectorscan, first names are looked up word by word (FirstNameWords): their
    // alternations, a quarter of start-up to compile, are compiled only for the RE2 matcher.
    if (!force_re2 && rule.class_led && rule.shape == internal::kFirstName) {
      if (engine->first_name_rule < 0) engine->first_name_rule = static_cast<int>(engine->re2.size());
      engine->re2.push_back(nullptr);
      continue;
    }
    auto re = std::make_unique<LazyRe2>(rule.pattern);
    // A rule file's patterns compile now, so that a bad one is reported with its line; the
    // built-in ones on first use, except for the RE2 matcher, which runs every one (the tests
    // build it, so each built-in pattern is known to compile).
    if (force_re2 || rule.line > 0) {
      if (const RE2& compiled = re->Get(); !compiled.ok()) {
        if (rule.line > 0)
          return Fail(ErrorCode::kInvalidArgument, "invalid pattern: " + compiled.error(), "line " + std::to_string(rule.line));
        return Fail(ErrorCode::kInternal, "built-in pattern does not compile: " + compiled.error());
      }
    }
    engine->re2.push_back(std::move(re));
  }
  if (!force_re2 && !engine->set.rules.empty()) RETURN_IF_ERROR(CompileVectorscan(*engine, options.cache_dir, options.matcher_pads));
  return std::shared_ptr<const Engine>(std::move(engine));
}

}  // namespace steward::scan
