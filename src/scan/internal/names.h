// Person-name dictionaries: US Census 2010 surnames and SSA first names (public domain, shipped
// in data/names/), English words (Debian's wamerican), all indexed at build time into tables
// compiled into the binary (word_table.h), and a stoplist of common words that are also names
// ("May", "Will", "Grant"). The trigger names and the stoplist are set up on first use (about a
// millisecond); read-only and thread-safe after.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace steward::scan::internal {

class NameLists {
 public:
  static const NameLists& Get();
  // Case-insensitive lookups (ASCII folding; other bytes compared as they are).
  bool IsFirstName(std::string_view token) const;
  bool IsSurname(std::string_view token) const;
  bool IsStopword(std::string_view token) const;
  // A common English word: lower case in Debian's wamerican list ("three", "research",
  // "southern"). Proper nouns there ("Smith", "Italy") are not.
  bool IsCommonWord(std::string_view token) const;
  // A proper noun of the same word list that is in neither name list: places, peoples, brands
  // ("Alaska", "Geneva", "Moldova"). Case-insensitive.
  bool IsOtherProperNoun(std::string_view token) const;
  // A surname borne by 100,000 or more people in the 2010 Census ("Brown", "Miller", "King"):
  // right after a first name it is a surname even when the stoplist has it as a common word.
  bool IsCommonSurname(std::string_view token) const;
  // A country, a state, province or other first-level part of one, or a city that names a time
  // zone, of one word ("France", "Texas", "Paris"); many are first names too. In ASCII, any case:
  // the lists spell places so ("Konya", not "Kónya").
  bool IsPlace(std::string_view token) const;
  // Frequent first names (capitalized, stopwords removed) that trigger the name detector.
  const std::vector<std::string>& TriggerFirstNames() const { return trigger_; }
  // Whether token is one of them, exactly (case and all).
  bool IsTriggerFirstName(std::string_view token) const;

 private:
  NameLists();
  struct Impl;
  const Impl* impl_;
  std::vector<std::string> trigger_;
};

}  // namespace steward::scan::internal
