// The first stage for the built-in class-led rules (digit runs, their separators and shapes,
// capitalized word pairs): finds the lines where one of them could match and which of them, so
// that each is confirmed by RE2 only there instead of a matcher running over every byte. Each
// shape is a necessary condition of its rules' patterns, never a sufficient one; RE2 and the
// validators decide. ISO dates, times, hex ids and ordinary numbers fail every digit shape, which
// is what makes logs cheap (bench/results/2026-11-29-scan-*.txt). Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace steward::scan::internal {

// The shapes, one bit each. A gated rule (Rule::shape) names the one its matches always have.
enum Shape : uint32_t {
  kNanp = 1u << 0,         // 10 digits: 3-3-4, 3-7, 6-4 or one run
  kTrunkZero = 1u << 1,    // a run led by 0[1-9] and six or more digits to its chain's end
  kGrouped = 1u << 2,      // 2-3 digits, then two or more groups of 2-3, joined by spaces
  kSsn = 1u << 3,          // 3-2-4 joined by '-'
  kItin = 1u << 4,         // led by 9: 3-2-4, 3-6 or 5-4 joined by '-', or 9
  kCardGroups = 1u << 5,   // 4-4-(1..7) or 4-6-5
  kCardRun = 1u << 6,      // 13-19 digits
  kIccid = 1u << 7,        // 19-20 digits led by 89 at a word's start
  kImei = 1u << 8,         // 6-6 (2-6-6-1)
  kIpv4 = 1u << 9,         // four runs of 1-3 digits joined by dots
  kGeo = 1u << 10,         // 1-2 digits '.' 4-10 digits, then a comma or a blank
  kIban = 1u << 11,        // two letters at a word's start, then two or more digits
  kZip = 1u << 12,         // two capitals, ", " or " ", five digits
  kUkPostcode = 1u << 13,  // " 9AA"
  kWallet = 1u << 14,      // 26 or more letters and digits led by 1 or 3 at a word's start
  kMacColon = 1u << 15,    // five ':' three apart
  kMacDash = 1u << 16,     // five '-' three apart
  kCisco = 1u << 17,       // two '.' five apart
  kIpv6 = 1u << 18,        // four ':' one to four hex digits apart
  kNamePair = 1u << 19,    // a capitalized word of 2-21 letters, a space, a capital and a lowercase letter
  kFirstName = 1u << 20,   // a whole word that is one of the frequent first names (NameLists)
  kNameInitial = 1u << 21, // the same as kNamePair with a middle initial between ("Hanne I. K")
  kStreetWord = 1u << 22,  // 1-4 digits after a space after a street word's ending ("strasse 5")
  kNameList = 1u << 23,    // a capitalized word, ", " " and " or " & ", a capitalized word ("Becker and V")
  kHouseNumber = 1u << 24, // 1-6 digits at a word's start, a space, a capital ("1570 B")
  kSsnSpaced = 1u << 25,   // 3-2-4 joined by spaces
  kPlus = 1u << 26,        // a run led by 1-9 right after '+' ("+1 415", "+44 20")
};

// The street words that come before the house number, lower case, as UTF-8 bytes: endings of
// one-word street names ("Mattenstrasse", "Koskikatu") and words written apart, after the name
// ("Kossuth utca", "Dronning Åsas vei"; "Prenzlauer Allee" compared in lower case). The street
// rule is built from this list and the gate looks for it (kStreetWord).
const std::vector<std::string_view>& StreetWordEndings();

// The length of the capital letter that starts p[0, n) as the name patterns take capitals: 1 for
// A-Z; 2 for a Latin letter from U+00C0 to U+024F that ICU says is upper case ("É", "Ž",
// "Ø"); else 0.
size_t CapitalAt(const unsigned char* p, size_t n);
// Those letters beyond ASCII as a regex alternation of their UTF-8 bytes, for the patterns.
const std::string& Utf8CapitalsPattern();

// A line of the text: [from, to), `to` past its '\n' when it has one, and the shapes found on it.
// `first` is where the first of them starts to be found: the first run of the chain of digit
// runs a digit shape was found in, else where the shape was found (the capital, the separator, the
// run). A raw match of a gated pattern holds a byte at or after it, so none starts more than the
// pattern's longest match before it.
struct LineRange {
  size_t from = 0, to = 0;
  uint32_t shapes = 0;
  size_t first = 0;
  friend bool operator==(const LineRange&, const LineRange&) = default;
};

// Where to look for a gated pattern's matches on `line`: `longest` (its longest match, npos when
// unbounded) before where its shapes start, or the line's start.
inline size_t ConfirmFrom(const LineRange& line, size_t longest) {
  return longest != std::string_view::npos && line.first - line.from > longest ? line.first - longest : line.from;
}

// Appends, in order and without repeats, every line of `text` that has one of the `wanted`
// shapes, with the wanted shapes it has. A rule may name a shape only when every raw match of
// its pattern has it; scan_test checks each gated pattern against examples and random text.
void GateLines(std::string_view text, uint32_t wanted, std::vector<LineRange>& lines);

// Appends the spans in text[from, to) that `\b(?:<the trigger first names>)\b` matches: whole
// ASCII words that NameLists::IsTriggerFirstName takes (context before `from` is text's own).
// The first-name rules are confirmed with it on kFirstName lines instead of one RE2 search per
// piece of their alternation; the RE2-only matcher runs the alternation, and the differential
// test holds the two to the same matches.
void FirstNameWords(std::string_view text, size_t from, size_t to, std::vector<std::pair<size_t, size_t>>& spans);

}  // namespace steward::scan::internal
