// Rules: the patterns behind each detector and the validator that confirms a candidate. A
// detector can have several rules (phone: international, North American, trunk-0 national …).
// Patterns use the syntax common to Vectorscan and RE2 (no look-around, no back-references) and
// are matched as bytes (Latin-1), one line at a time.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "scan/internal/gate.h"
#include "scan/scan.h"

namespace steward::scan::internal {

struct Candidate {
  std::string_view text;   // the whole block scanned (for context)
  size_t start = 0, end = 0;              // the pattern's match
  size_t value_start = 0, value_end = 0;  // its first capture group, else the match
  bool records = false;                   // each line of text is a record of its own (ScanRecords)
  std::string_view value() const { return text.substr(value_start, value_end - value_start); }
};

// What a validator accepts: the span to report (usually the value) and a confidence.
struct Verdict {
  size_t start = 0, end = 0;
  double confidence = 0;
};

using Validator = std::function<std::optional<Verdict>(const Candidate&)>;

// The words of a list ("Gaetane, Hannah and Anthony"), without the ", ", " and " and " & " that
// join them: on_word(offset in list, word) for each, in order, until it returns false. Whether a
// list is one of names (the validator) and what a list's findings are (Rule::each_word) both
// take its words so.
template <typename F>
void ForEachListedWord(std::string_view list, F&& on_word) {
  for (size_t k = 0; k < list.size();) {
    const size_t end = std::min(list.find_first_of(", &", k), list.size());
    if (end > k && list.substr(k, end - k) != "and" && !on_word(k, list.substr(k, end - k))) return;
    k = end + 1;
  }
}

struct Rule {
  int detector = 0;
  std::string pattern;
  // Vectorscan expressions that find the lines worth confirming with `pattern` (empty: the
  // pattern itself). Each validated match of `pattern` must contain a match of one of them; they
  // are cheap factors (a literal, "x@y", "::") where the full pattern would force Vectorscan onto a
  // slow engine. The differential test holds the two matchers to the same findings.
  std::vector<std::string> prefilter;
  // Starts with a character class (a digit run, a capitalized word): Vectorscan cannot skip ahead
  // for such rules, and many of them together slowed its whole database to about 130 MB/s. Each
  // is confirmed by RE2 only on the lines where the gate finds its `shape` (gate.h), which every
  // raw match of its pattern has. Built in only: a custom rule always goes to the Vectorscan
  // database, whatever it starts with.
  bool class_led = false;
  uint32_t shape = 0;
  Validator validate;  // empty: accept the value with `confidence`
  // An accepted match is reported word by word, without its ", " " and " " & ": names in a list
  // ("Gaetane, Hannah and Anthony") are one finding per person.
  bool each_word = false;
  double confidence = 0.8;
  int line = 0;        // custom rules: the rules file line, for errors
};

// The longest match of a pattern in bytes, by Vectorscan's analysis of it; npos when unbounded
// or when Vectorscan cannot parse it (engine.cc).
size_t LongestMatch(const std::string& pattern);

struct RuleSet {
  std::vector<Detector> detectors;
  std::vector<Rule> rules;
};

// The surname of a person found by name ("Bonifacy Kaczmarek": "Kaczmarek"), to find the other
// places the text names them by it alone ("… though Kaczmarek was"): the last word of a name of
// two or more, when it is no stopword, common word or place. Empty when there is none.
std::string_view SurnameToFollow(std::string_view name);

// The end of the speaker's name that starts the line at text[line_start] ("Ubul: What a wife."):
// one capitalized word of letters, right before ':', that is no stopword, common word, place or
// other proper noun ("Note:", "Paris:"); 0 when there is none.
size_t SpeakerLabelEnd(std::string_view text, size_t line_start);

// Where to look again after a rejected pair of capitalized words text[start, end) led by a
// common word or a stopword ("Producer Liviana Palerma", "The Steffen Mauer version"): the space
// before its second word, so the pair that starts there is tried; npos when it is led by
// anything else ("Berkery Noyes Mandasoft" is one firm's name) or its second word is of two
// letters or fewer ("Rue De La Gare").
size_t PairRetryAt(std::string_view text, size_t start, size_t end);

// The built-in detectors and their rules. With without_name_triggers, the person-name detector
// comes without its first-name trigger rules (they load the name lists; for callers about to
// drop the detector).
RuleSet BuiltinRules(bool without_name_triggers = false);

// Adds the custom rules of a YAML rules file. Errors: invalid_argument with "file:line".
Status AddRulesFile(const std::string& path, RuleSet& set);
Status AddRulesText(std::string_view yaml, std::string_view name, RuleSet& set);

// Keeps only the detectors `only` names (all when empty), minus `except`; renumbers rules.
Status FilterDetectors(const std::vector<std::string>& only, const std::vector<std::string>& except,
                       RuleSet& set);

}  // namespace steward::scan::internal
