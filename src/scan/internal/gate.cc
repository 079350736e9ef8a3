// The shapes (gate.h), on maximal digit runs and the "chains" they form when joined by the
// separators phone, card, SSN and address patterns use, on separators, and on capitals. Every
// digit pattern starts its digit runs at a word boundary or a separator and ends them at one, so
// each run inside a match is a maximal run of the text, and its runs inside a match are
// consecutive runs of one chain.
#include "scan/internal/gate.h"

#include "scan/internal/names.h"

#include <fmt/format.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace steward::scan::internal {
namespace {

bool IsDigit(unsigned char c) { return static_cast<unsigned char>(c - '0') < 10; }
bool IsAlpha(unsigned char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }
bool IsWord(unsigned char c) { return IsDigit(c) || IsAlpha(c) || c == '_'; }  // ASCII, as \b takes it in both matchers
bool IsUpper(unsigned char c) { return static_cast<unsigned char>(c - 'A') < 26; }
bool IsHex(unsigned char c) { return IsDigit(c) || static_cast<unsigned char>((c | 0x20) - 'a') < 6; }

// The capitals beyond ASCII the name patterns take: U+00C0-U+024F, two UTF-8 bytes led by
// 0xC3-0xC9, upper case by ICU. Per lead byte, a bit per continuation byte (0x80 + bit).
constexpr unsigned char kFirstCapitalLead = 0xc3, kLastCapitalLead = 0xc9;
struct Utf8Capitals {
  uint64_t continuation[kLastCapitalLead - kFirstCapitalLead + 1] = {};
  Utf8Capitals() {
    for (UChar32 cp = 0xc0; cp <= 0x24f; ++cp)
      if (u_isupper(cp)) continuation[(cp >> 6) - (kFirstCapitalLead & 0x1f)] |= uint64_t{1} << (cp & 0x3f);
  }
};
const Utf8Capitals& TheUtf8Capitals() {
  static const Utf8Capitals capitals;
  return capitals;
}

inline size_t CapitalAt(const unsigned char* p, size_t n, const Utf8Capitals& capitals) {
  if (IsUpper(p[0])) return 1;
  if (n < 2 || p[0] < kFirstCapitalLead || p[0] > kLastCapitalLead || (p[1] & 0xc0) != 0x80) return 0;
  return (capitals.continuation[p[0] - kFirstCapitalLead] >> (p[1] & 0x3f)) & 1 ? 2 : 0;
}

// Bytes the scan stops at: digits, and the separators of MAC addresses (':' '-') and Cisco-style
// ones ('.'); with name pairs, capital letters too, and the lead bytes of the capitals beyond
// ASCII.
struct Stops {
  bool at[256] = {};
  constexpr explicit Stops(bool capitals) {
    for (int c = '0'; c <= '9'; ++c) at[c] = true;
    at[static_cast<unsigned char>(':')] = at[static_cast<unsigned char>('-')] = at[static_cast<unsigned char>('.')] = true;
    for (int c = 'A'; c <= 'Z' && capitals; ++c) at[c] = true;
    for (int c = kFirstCapitalLead; c <= kLastCapitalLead && capitals; ++c) at[c] = true;
  }
};
constexpr Stops kStops[2] = {Stops(false), Stops(true)};

// A byte that may join a run to the next one in a chain (see Separator).
inline bool IsChainSeparator(unsigned char c) { return c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')'; }

// One separator between two runs of a chain: a single ' ' '.' '-' '/' '(' ')' or the pairs ") "
// and " (" ("(415) 555-2671", "1 (415) …"). Returns the separator's mark (the byte itself, or
// 'x' for a pair), or 0 when the gap ends the chain.
inline char Separator(const unsigned char* s, size_t from, size_t to) {
  if (to - from == 1) return IsChainSeparator(s[from]) ? static_cast<char>(s[from]) : 0;
  if (to - from == 2 && ((s[from] == ')' && s[from + 1] == ' ') || (s[from] == ' ' && s[from + 1] == '('))) return 'x';
  return 0;
}

#ifdef __SSE2__
// The stops among p[0, 16), a bit each.
template <bool kCapitals>
inline unsigned StopBits16(const unsigned char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));  // a digit when d <= 9, unsigned
  __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d), _mm_cmpeq_epi8(v, _mm_set1_epi8(':'))),
                              _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')), _mm_cmpeq_epi8(v, _mm_set1_epi8('.'))));
  if constexpr (kCapitals) {
    const __m128i u = _mm_sub_epi8(v, _mm_set1_epi8('A'));  // a capital when u <= 25, unsigned
    const __m128i l = _mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(kFirstCapitalLead)));  // a lead byte beyond ASCII when l <= 6
    hits = _mm_or_si128(hits, _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(u, _mm_set1_epi8(25)), u),
                                           _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(kLastCapitalLead - kFirstCapitalLead)), l)));
  }
  return static_cast<unsigned>(_mm_movemask_epi8(hits));
}
#endif

// Finds the stops in order: the first at or after i, or n. Its bit mask of 64 bytes serves the
// stops within them, so a log line's or a CSV row's many stops cost one pass over its bytes
// (SSE2, on every x86-64), not one each; prose and the words of log lines hold few.
template <bool kCapitals>
class StopFinder {
 public:
  StopFinder(const unsigned char* s, size_t n) : s_(s), n_(n) {}

  size_t Next(size_t i) {
#ifdef __SSE2__
    for (;;) {
      if (i - base_ < 64) {  // within the window (i >= base_, or the unsigned difference is huge)
        if (const uint64_t m = mask_ >> (i - base_)) return i + static_cast<size_t>(__builtin_ctzll(m));
        i = base_ + 64;
      }
      if (i >= n_ || n_ - i < 64) break;
      base_ = i;
      mask_ = uint64_t{StopBits16<kCapitals>(s_ + i)} | uint64_t{StopBits16<kCapitals>(s_ + i + 16)} << 16 |
              uint64_t{StopBits16<kCapitals>(s_ + i + 32)} << 32 | uint64_t{StopBits16<kCapitals>(s_ + i + 48)} << 48;
    }
#endif
    while (i < n_ && !kStops[kCapitals].at[s_[i]]) ++i;
    return std::min(i, n_);
  }

 private:
  const unsigned char* s_;
  size_t n_;
  size_t base_ = ~size_t{0} - 64;  // the window s_[base_, base_ + 64) and its stops
  uint64_t mask_ = 0;
};

// A lowercase letter or a byte of a Latin-1 or UTF-8 letter, as the name pair takes them.
bool IsLowerOrHigh(unsigned char c) { return static_cast<unsigned char>(c - 'a') < 26 || c >= 0x80; }

// The end of the frequent first name starting at s[i] as a whole word (as \b takes words), or 0.
size_t FirstNameAt(const unsigned char* s, size_t i, size_t n, const NameLists& names) {
  if (!IsUpper(s[i]) || (i > 0 && IsWord(s[i - 1])) || i + 1 >= n || !IsLowerOrHigh(s[i + 1])) return 0;
  size_t j = i + 1;
  while (j < n && IsWord(s[j])) ++j;
  return names.IsTriggerFirstName(std::string_view(reinterpret_cast<const char*>(s) + i, j - i)) ? j : 0;
}

// p[0..19] is "dddd-dd-ddTdd:dd:dd" with a year not led by 0, and p[19] is neither a digit nor ':'.
inline bool IsIsoTimestampHead(const unsigned char* p) {
  if (p[0] == '0' || p[16] != ':' || !IsDigit(p[17]) || !IsDigit(p[18]) || IsDigit(p[19]) || p[19] == ':') return false;
#ifdef __SSE2__
  // The first sixteen bytes at once: digits where the template has them, and its separators.
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
  const unsigned digits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d)));
  const unsigned separators = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setr_epi8(0, 0, 0, 0, '-', 0, 0, '-', 0, 0, 'T', 0, 0, ':', 0, 0))));
  constexpr unsigned kDigitAt = 0xdb6f, kSeparatorAt = 0x2490;  // bits 0-3 5 6 8 9 11 12 14 15; 4 7 10 13
  return (digits & kDigitAt) == kDigitAt && (separators & kSeparatorAt) == kSeparatorAt;
#else
  if (p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':') return false;
  for (int k : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15})
    if (!IsDigit(p[k])) return false;
  return true;
#endif
}

// The end of the digit run that starts at s[i], a digit.
inline size_t DigitRunEnd(const unsigned char* s, size_t i, size_t n) {
#ifdef __SSE2__
  for (; n - i >= 16; i += 16) {
    const __m128i d = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i)), _mm_set1_epi8('0'));
    const unsigned other = ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d))) & 0xffff;
    if (other != 0) return i + static_cast<size_t>(__builtin_ctz(other));
  }
#endif
  while (i < n && IsDigit(s[i])) ++i;
  return i;
}

unsigned char AsciiLower(unsigned char c) { return IsUpper(c) ? c | 0x20 : c; }

// Whether the bytes before the space at s[space] end, in ASCII lower case, with a street word.
// The words are looked up by their last byte: a number after a word ("about 331", "at 10") is
// common, and trying every word was two thousand instructions.
bool StreetWordBefore(const unsigned char* s, size_t space) {
  using Tail = std::pair<unsigned char, std::string_view>;
  static const std::vector<Tail> by_tail = [] {
    std::vector<Tail> tails;
    for (std::string_view e : StreetWordEndings()) tails.emplace_back(static_cast<unsigned char>(e.back()), e);
    std::sort(tails.begin(), tails.end());
    return tails;
  }();
  if (space == 0) return false;
  const unsigned char last = AsciiLower(s[space - 1]);
  for (auto it = std::lower_bound(by_tail.begin(), by_tail.end(), Tail{last, {}}); it != by_tail.end() && it->first == last; ++it) {
    const std::string_view ending = it->second;
    if (ending.size() > space) continue;
    const unsigned char* p = s + space - ending.size();
    size_t k = 0;
    while (k < ending.size() && AsciiLower(p[k]) == static_cast<unsigned char>(ending[k])) ++k;
    if (k == ending.size()) return true;
  }
  return false;
}

// The shapes found at capitals: the gate stops at capitals only when one of them is wanted.
constexpr uint32_t kCapitalShapes = kNamePair | kNameInitial | kFirstName | kNameList;

struct Run {
  size_t start = 0, len = 0;
  char sep = 0;  // the separator before it in its chain; 0 for a chain's first run
};

template <bool kCapitals>
void FindLines(std::string_view text, uint32_t wanted, std::vector<LineRange>& lines) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const bool digits = (wanted & ~kCapitalShapes) != 0;
  const NameLists* names = (wanted & kFirstName) ? &NameLists::Get() : nullptr;
  const Utf8Capitals& capitals = TheUtf8Capitals();
  size_t flagged_to = 0;  // end of the last line added
  // A shape found at `at`, in what starts at `anchor`: its chain's first run, or `at` itself.
  auto flag = [&](size_t at, uint32_t shapes, size_t anchor) {
    shapes &= wanted;
    if (shapes == 0) return;
    if (at < flagged_to) {  // on the last line added
      lines.back().shapes |= shapes;
      lines.back().first = std::max(lines.back().from, std::min(lines.back().first, anchor));
      return;
    }
    const void* nl = at == 0 ? nullptr : memrchr(s, '\n', at);
    size_t from = nl ? static_cast<size_t>(static_cast<const unsigned char*>(nl) - s) + 1 : 0;
    const void* end = std::memchr(s + at, '\n', n - at);
    size_t to = end ? static_cast<size_t>(static_cast<const unsigned char*>(end) - s) + 1 : n;
    lines.push_back({from, to, shapes, std::max(from, anchor)});
    flagged_to = to;
  };

  Run prev[3];       // the current chain's last runs, most recent first
  int have = 0;      // how many of prev are set
  size_t last_end = 0;
  size_t chain_start = 0;  // the current chain's first run
  long zero_digits = -1;  // digits from the chain's first run led by 0[1-9], -1 when none yet
  int dotted = 0;         // consecutive runs of 1-3 digits joined by '.'
  StopFinder<kCapitals> stops(s, n);
  size_t i = 0;
  while (i < n) {
    i = stops.Next(i);
    if (i >= n) break;
    const unsigned char c = s[i];
    if (kCapitals && (IsUpper(c) || c >= kFirstCapitalLead)) {  // digits and separators are below 0x80
      const size_t cap = CapitalAt(s + i, n - i, capitals);
      // Two capitalized words ("Maria Garcia", "Željko Živković"): a capital after a space, a
      // lowercase letter (or a byte beyond ASCII) after it, and before the space a capital and
      // 1-20 lowercase letters or bytes beyond ASCII. With a middle initial between them ("Hanne
      // I. Kreutzmann", "Maja S Hermansen"), the same from before the initial.
      if (cap > 0 && i >= 3 && s[i - 1] == ' ' && i + cap < n && IsLowerOrHigh(s[i + cap])) {
        size_t space = i - 1;
        if (space >= 4 && s[space - 1] == '.' && IsUpper(s[space - 2]) && s[space - 3] == ' ') space -= 3;
        else if (space >= 3 && IsUpper(s[space - 1]) && s[space - 2] == ' ') space -= 2;
        auto capitalized_before = [&](size_t before) {
          size_t k = before;  // the run of lowercase and high bytes before `before`, 22 at most
          while (k > 0 && before - k < 22 && IsLowerOrHigh(s[k - 1])) --k;
          if (k < before && before - k <= 20 && k > 0 && IsUpper(s[k - 1])) return true;
          // A capital beyond ASCII in the run, where the patterns' \B lets a word start: not
          // after an ASCII letter, digit or '_'.
          for (size_t p = k; p + 2 < before; ++p)
            if (CapitalAt(s + p, n - p, capitals) == 2 && (p == 0 || !IsWord(s[p - 1]))) return true;
          return false;
        };
        if (capitalized_before(i - 1)) flag(i, kNamePair, i);
        if (space != i - 1 && capitalized_before(space)) flag(i, kNameInitial, i);
        // Names in a list ("Kónya, Becker and Vasquez"): the same with ", ", " and " or " & "
        // for the space.
        const size_t joined = s[i - 2] == ',' ? i - 2
                              : i >= 5 && s[i - 5] == ' ' && s[i - 4] == 'a' && s[i - 3] == 'n' && s[i - 2] == 'd' ? i - 5
                              : s[i - 2] == '&' && s[i - 3] == ' ' ? i - 3
                                                                    : 0;
        if (joined > 0 && capitalized_before(joined)) flag(i, kNameList, i);
      }
      if (cap == 1 && names && FirstNameAt(s, i, n, *names) != 0) flag(i, kFirstName, i);
      i += cap > 0 ? cap : 1;
      // The capitals after an ASCII one in an upper-case word ("INFO", "GET") start no word:
      // pass over them here rather than stop at each. (After "É" or a stray lead byte, \b sees
      // a word start: "ÉMaria".)
      if (cap == 1)
        while (i < n && IsUpper(s[i])) ++i;
      continue;
    }
    if (!digits) {
      ++i;
      continue;
    }
    if (!IsDigit(c)) {
      // MAC addresses (five ':' or '-' three apart), Cisco-style ones (two '.' five apart) and
      // IPv6 addresses can be all letters; they need no digit run.
      if ((c == ':' || c == '-') && i + 12 < n && s[i + 3] == c && s[i + 6] == c && s[i + 9] == c && s[i + 12] == c)
        flag(i, c == ':' ? kMacColon : kMacDash, i);
      // IPv6 in eight groups: three more colons, each after one to four hex digits.
      if (c == ':') {
        size_t q = i;
        int colons = 0;
        while (colons < 3) {
          size_t k = q + 1;
          while (k < n && k - q <= 4 && IsHex(s[k])) ++k;
          if (k == q + 1 || k >= n || s[k] != ':') break;
          q = k;
          ++colons;
        }
        if (colons == 3) flag(i, kIpv6, i);
      }
      if (c == '.' && i + 5 < n && s[i + 5] == '.') flag(i, kCisco, i);
      ++i;
      continue;
    }
    const size_t start = i;
    // An ISO timestamp starting a chain ("2026-11-05T10:04:28Z", the head of most log lines) has
    // no shape up to its seconds: its runs are 4-2-2, then two and two after a 'T' and a ':',
    // which start new chains. Skipping to the seconds saves the work of five runs and four
    // separators. Not with a space for the 'T' (it would continue the chain), a leading 0 (a
    // trunk number), letters or a '+' right before (an IBAN; "+2026-11" reads as a phone number) or
    // a ':' after the seconds (a MAC address).
    if (start + 20 <= n && IsIsoTimestampHead(s + start) && (start == 0 || (!IsWord(s[start - 1]) && s[start - 1] != '+')) &&
        (have == 0 || Separator(s, last_end, start) == 0)) {
      have = 0;
      i = start + 17;
      continue;
    }
    i = DigitRunEnd(s, i, n);
    const size_t len = i - start;
    // A house number after a street word ("Mattenstrasse 108", "Kossuth utca 5"): a word's last
    // byte, a space, one to four digits.
    if ((wanted & kStreetWord) && len <= 4 && start >= 2 && s[start - 1] == ' ' &&
        (IsAlpha(s[start - 2]) || s[start - 2] == '.' || s[start - 2] >= 0x80) && StreetWordBefore(s, start - 1))
      flag(start, kStreetWord, start);
    Run run{start, len, have > 0 ? Separator(s, last_end, start) : char{0}};
    // Base58: led by 1 or 3 at a word's start, and 26 or more letters and digits. A run followed
    // by neither a letter nor a digit is its whole token, too short unless 26 digits long.
    bool wallet = false;
    if ((wanted & kWallet) && (s[start] == '1' || s[start] == '3') && (start == 0 || !IsWord(s[start - 1])) &&
        (len >= 26 || (i < n && IsAlpha(s[i])))) {
      size_t j = i;
      while (j < n && j - start < 26 && (IsDigit(s[j]) || IsAlpha(s[j]))) ++j;
      wallet = j - start >= 26;
    }
    // A run alone in its chain (none before it, and no separator after it to join the next),
    // with none of the shapes one run can have on its own: the common case in CSV, JSON and log
    // lines ("76189,", ": 42}", "req=00000064 took=100ms"), settled here without the checks below.
    // Those shapes: 9, 10 and 13-20 digits; 0[1-9] and six or more digits; two letters right
    // before (IBAN); five digits or one after a space (ZIP, UK postcode); a '+' before (E.164);
    // Base58.
    if (run.sep == 0 && len < 13 && len != 9 && len != 10 && !IsChainSeparator(i < n ? s[i] : 0) &&
        !(start > 0 && (IsAlpha(s[start - 1]) || s[start - 1] == '+' || (s[start - 1] == ' ' && (len == 5 || len == 1)))) &&
        !(len >= 6 && s[start] == '0' && s[start + 1] != '0') && !wallet) {
      have = 0;
      continue;
    }
    // An international number ("+1 415 555 2671", "+14155552671").
    if ((wanted & kPlus) && start > 0 && s[start - 1] == '+' && s[start] != '0') flag(start, kPlus, start);
    // A house number before a capitalized street name ("1570 Blanshard Street"); the space after
    // it kept the run from being settled above.
    if ((wanted & kHouseNumber) && len <= 6 && i + 1 < n && s[i] == ' ' && IsUpper(s[i + 1]) && (start == 0 || !IsWord(s[start - 1])))
      flag(start, kHouseNumber, start);
    if (run.sep == 0) {  // a new chain
      chain_start = start;
      have = 0;
      zero_digits = -1;
      dotted = 0;
    }
    last_end = i;

    uint32_t hit = 0;
    if (len >= 13 && len <= 19) hit |= kCardRun;
    if ((len == 19 || len == 20) && s[start] == '8' && s[start + 1] == '9' && (start == 0 || !IsWord(s[start - 1]))) hit |= kIccid;
    if (len == 10) hit |= kNanp;  // written without separators
    if (len == 9 && s[start] == '9') hit |= kItin;
    if (have >= 1) {
      const size_t a = prev[0].len;
      if ((a == 3 && len == 7) || (a == 6 && len == 4)) hit |= kNanp;
      if (((a == 5 && len == 4) || (a == 3 && len == 6)) && run.sep == '-' && s[prev[0].start] == '9') hit |= kItin;
      if (a == 6 && len == 6) hit |= kImei;  // 2-6-6-1
      // Then the comma (after blanks) before the longitude.
      if (run.sep == '.' && a <= 2 && len >= 4 && len <= 10 && i < n && (s[i] == ',' || s[i] == ' ' || s[i] == '\t'))
        hit |= kGeo;
    }
    if (have >= 2) {
      const size_t a = prev[1].len, b = prev[0].len;
      if (a == 3 && b == 3 && len == 4) hit |= kNanp;
      if (a == 3 && b == 2 && len == 4 && prev[0].sep == run.sep) {
        if (run.sep == '-') hit |= s[prev[1].start] == '9' ? kSsn | kItin : kSsn;
        if (run.sep == ' ') hit |= kSsnSpaced;
      }
      if ((a == 4 && b == 6 && len == 5) || (a == 4 && b == 4 && len >= 1 && len <= 7)) hit |= kCardGroups;
      if (a >= 2 && a <= 3 && b >= 2 && b <= 3 && len >= 2 && len <= 3 && prev[0].sep == ' ' && run.sep == ' ') hit |= kGrouped;
    }
    if (zero_digits >= 0) {
      zero_digits += static_cast<long>(len);
    } else if (len >= 2 && s[start] == '0' && s[start + 1] != '0') {
      zero_digits = static_cast<long>(len);
    }
    if (zero_digits >= 6) hit |= kTrunkZero;
    dotted = len > 3 ? 0 : (run.sep == '.' && have >= 1 && prev[0].len <= 3 ? dotted + 1 : 1);
    if (dotted >= 4) hit |= kIpv4;
    // "0000fe34", a hex id, is no IBAN: the letters must start a word.
    if (len >= 2 && start >= 2 && IsAlpha(s[start - 1]) && IsAlpha(s[start - 2]) && (start == 2 || !IsWord(s[start - 3])))
      hit |= kIban;
    if (len == 5 && start >= 3 && s[start - 1] == ' ' &&
        ((IsUpper(s[start - 2]) && IsUpper(s[start - 3])) ||
         (start >= 4 && s[start - 2] == ',' && IsUpper(s[start - 3]) && IsUpper(s[start - 4]))))
      hit |= kZip;
    if (len == 1 && start >= 1 && s[start - 1] == ' ' && i + 1 < n && IsUpper(s[i]) && IsUpper(s[i + 1])) hit |= kUkPostcode;
    if (wallet) hit |= kWallet;
    if (hit != 0) flag(start, hit, chain_start);

    prev[2] = prev[1];
    prev[1] = prev[0];
    prev[0] = run;
    if (have < 3) ++have;
  }
}

}  // namespace

void FirstNameWords(std::string_view text, size_t from, size_t to, std::vector<std::pair<size_t, size_t>>& spans) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const NameLists& names = NameLists::Get();
  for (size_t i = from; i < to; ++i) {
    if (const size_t end = FirstNameAt(s, i, text.size(), names)) {
      spans.emplace_back(i, end);
      i = end;
    }
  }
}

const std::vector<std::string_view>& StreetWordEndings() {
  static const std::vector<std::string_view> endings = {
      // German, Austrian, Swiss
      "strasse", "stra\xc3\x9f" "e", "str.", "str", "gasse", "weg", "platz", "allee", "damm", "ufer", "steig", "pfad", "graben",
      "br\xc3\xbc" "cke", "wiese", "ring", "chaussee",
      // Dutch, Flemish
      "straat", "laan", "gracht", "plein", "kade", "dreef", "singel", "baan", "steenweg", "hof", "hove", "dijk", "markt",
      // Danish, Norwegian, Swedish, Icelandic
      "vej", "vejen", "gade", "v\xc3\xa6nget", "v\xc3\xa6nge", "vangen", "bakken", "gyden", "str\xc3\xa6" "de", "toften", "veien",
      "vegen", "veg", "vei", "stien", "sti", "haugen", "kroken", "gate", "gata", "gatan", "v\xc3\xa4gen", "v\xc3\xa4g",
      "gr\xc3\xa4nd", "torget", "torv", "plass", "all\xc3\xa9", "braut", "vegur", "str\xc3\xa6ti", "st\xc3\xadgur",
      // Finnish, Estonian, Latvian, Lithuanian
      "katu", "tie", "kuja", "polku", "kaari", "rinne", "esplanadi", "tee", "p\xc3\xb5ik", "iela", "gatv\xc4\x97",
      // Hungarian, Slavic
      "utca", "u.", "\xc3\xbat", "\xc3\xbatja", "t\xc3\xa9r", "k\xc3\xb6r\xc3\xbat", "kapu", "ulica", "ulice", "cesta"};
  return endings;
}

size_t CapitalAt(const unsigned char* p, size_t n) { return n == 0 ? 0 : CapitalAt(p, n, TheUtf8Capitals()); }

const std::string& Utf8CapitalsPattern() {
  static const std::string pattern = [] {
    std::string alternation;
    const Utf8Capitals& capitals = TheUtf8Capitals();
    for (unsigned lead = kFirstCapitalLead; lead <= kLastCapitalLead; ++lead) {
      const uint64_t bits = capitals.continuation[lead - kFirstCapitalLead];
      std::string ranges;
      for (unsigned b = 0; b < 64; ++b) {
        if (!((bits >> b) & 1)) continue;
        unsigned e = b;
        while (e + 1 < 64 && ((bits >> (e + 1)) & 1)) ++e;
        ranges += e == b ? fmt::format("\\x{:02x}", 0x80 + b) : fmt::format("\\x{:02x}-\\x{:02x}", 0x80 + b, 0x80 + e);
        b = e;
      }
      if (ranges.empty()) continue;
      if (!alternation.empty()) alternation += '|';
      alternation += fmt::format("\\x{:02x}[{}]", lead, ranges);
    }
    return alternation;
  }();
  return pattern;
}

void GateLines(std::string_view text, uint32_t wanted, std::vector<LineRange>& lines) {
  if (wanted & kCapitalShapes) {
    FindLines<true>(text, wanted, lines);
  } else if (wanted != 0) {
    FindLines<false>(text, wanted, lines);
  }
}

}  // namespace steward::scan::internal
