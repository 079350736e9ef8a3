// The first stage for the built-in class-led rules (digit runs, their separators and shapes):
// finds the lines where one of them could match, so that the class-led Vectorscan database scans
// only those lines instead of every byte. Each gated rule has a necessary condition here, never a
// sufficient one; the database and RE2 decide. ISO dates, times, hex ids and ordinary numbers
// fail every digit condition, which is what makes logs cheap (bench/results/2026-11-29-scan-*.txt).
// Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace steward::scan::internal {

// A line of the text: [from, to), `to` past its '\n' when it has one.
struct LineRange {
  size_t from = 0, to = 0;
  friend bool operator==(const LineRange&, const LineRange&) = default;
};

// Which condition a class-led rule's lines pass: none (the rule is not gated), its digit
// shape, or two capitalized words in a row.
enum class Gate { kNone, kShapes, kNamePair };

// Appends, in order and without repeats, every line of `text` on which a raw match of a rule
// gated by `shapes` or `name_pairs` (Rule::gate) could lie. A rule may be gated only once its
// condition is here; scan_test checks every gated pattern's matches against this on examples and
// random text.
void GateLines(std::string_view text, bool shapes, bool name_pairs, std::vector<LineRange>& lines);

}  // namespace steward::scan::internal
