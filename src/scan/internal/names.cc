#include "scan/internal/names.h"

#include <string>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "core/text.h"
#include "scan/internal/word_table.h"

namespace steward::embedded {
std::string_view FirstNamesCsv();
std::string_view NamesIndex();  // steward_word_index's tables (word_table.h)
}  // namespace steward::embedded

namespace steward::scan::internal {
namespace {

// Words that are common in ordinary text and also appear in the name lists. A name detector
// without them would flag "May", "Will you", "Grant access", "Royal Mail", month and day names.
constexpr std::string_view kStopwords[] = {
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "april", "are", "art",
    "as", "at", "august", "autumn", "be", "bank", "bay", "beach", "bell", "best", "big", "bill", "bird",
    "black", "blue", "bond", "book", "born", "boss", "box", "bridge", "brook", "brown", "bush", "but",
    "by", "call", "can", "card", "case", "chance", "charity", "chase", "christian", "church", "city",
    "clay", "close", "cook", "could", "court", "crystal", "cross", "dale", "dash", "dawn", "day",
    "dear", "december", "did", "do", "does", "don", "done", "dove", "drew", "early", "east", "easy",
    "ever", "faith", "fall", "far", "february", "field", "fine", "first", "fish", "for", "ford",
    "forest", "fox", "frank", "free", "friday", "from", "general", "gift", "glad", "glen", "gold",
    "golden", "good", "grace", "grant", "gray", "great", "green", "grey", "guy", "hall", "happy",
    "harmony", "has", "have", "he", "heart", "her", "here", "hi", "hill", "his", "holly", "home",
    "honor", "hope", "house", "how", "i", "if", "in", "into", "is", "it", "its", "ivy", "jack",
    "january", "jay", "jewel", "joy", "july", "june", "just", "justice", "king", "lake", "lane",
    "last", "law", "lee", "less", "liberty", "light", "like", "little", "long", "love", "lucky",
    "main", "major", "march", "mark", "marshal", "may", "me", "mercy", "mill", "miller", "miss",
    "monday", "more", "most", "my", "nation", "new", "news", "next", "nice", "no", "north", "not",
    "november", "now", "oak", "october", "of", "office", "on", "one", "only", "or", "our", "over",
    "page", "park", "parish", "pass", "patience", "peace", "pearl", "pepper", "person", "pink",
    "please", "post", "power", "price", "prince", "queen", "rain", "ray", "read", "reed", "rich",
    "river", "rock", "rose", "royal", "ruby", "sage", "saint", "sale", "same", "sandy", "saturday",
    "say", "see", "september", "shall", "she", "ship", "short", "should", "sky", "small", "smart",
    "so", "some", "south", "spring", "star", "stone", "storm", "street", "summer", "sunday", "sunny",
    "sweet", "tell", "than", "thank", "thanks", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "thursday", "to", "today", "tuesday", "under", "unique", "up", "us",
    "very", "wall", "was", "way", "we", "wednesday", "well", "west", "what", "when", "where",
    "which", "white", "who", "why", "will", "winter", "with", "wood", "would", "yes", "you",
    "young", "your", "mr", "mrs", "ms", "dr", "md", "phd", "jr", "sr", "inc", "ltd", "llc", "co",
    "apt", "suite", "san", "santa", "los", "las", "fort", "port", "mount", "el", "salt", "palm", "costa", "rio", "unit", "ave", "st", "rd", "blvd", "avenue", "road", "drive", "account",
    "customer", "order", "user", "name", "email", "phone", "address", "number", "date", "time",
    "error", "info", "debug", "warn", "get", "set", "true", "false", "null", "none", "ok", "id"};

struct ViewHash {
  size_t operator()(std::string_view s) const { return static_cast<size_t>(WordHash(s)); }
};
using WordSet = std::unordered_set<std::string_view, ViewHash>;

// token folded to ASCII lower case in buf when it fits (names do), else in spill.
std::string_view Folded(std::string_view token, char (&buf)[64], std::string& spill) {
  if (token.size() > sizeof buf) return spill = AsciiLower(token);
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    buf[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return {buf, token.size()};
}

template <typename Set>
bool Contains(const Set& set, std::string_view token) {
  char buf[64];
  std::string spill;
  std::string_view folded = Folded(token, buf, spill);
  if constexpr (std::is_same_v<Set, WordTable>) {
    return set.Contains(folded);
  } else {
    return set.find(folded) != set.end();
  }
}

// Table t of the embedded image (empty when the image is not steward_word_index's).
WordTable Table(NameTable t) { return WordTable(TableOf(embedded::NamesIndex(), static_cast<size_t>(t))); }

}  // namespace

struct NameLists::Impl {
  WordTable first = Table(NameTable::kFirstNames), surnames = Table(NameTable::kSurnames),
            common_surnames = Table(NameTable::kCommonSurnames), english = Table(NameTable::kEnglish),
            proper = Table(NameTable::kProperNouns);
  WordSet stop, trigger;  // small: built at start-up (trigger's views are into trigger_)
};

NameLists::NameLists() {
  auto* impl = new Impl();  // lives for the process, like the embedded data it indexes
  for (std::string_view w : kStopwords) impl->stop.emplace(w);
  // The frequent first names (the list is sorted by count; steward_word_index checks), not
  // common words, long enough not to be abbreviations. A name that is also an English word
  // triggers only when very frequent ("Heather", "Randy"; not "Baby", "Princess").
  ForEachNameCount(embedded::FirstNamesCsv(), [&](std::string_view name, long count) {
    if (count < 5000) return false;
    std::string capital = AsciiLower(name);
    const bool wordlike = impl->stop.contains(capital) || (count < 30000 && impl->english.Contains(capital));
    if (name.size() >= 3 && !wordlike && capital[0] >= 'a' && capital[0] <= 'z') {
      capital[0] = static_cast<char>(capital[0] - 'a' + 'A');
      trigger_.push_back(std::move(capital));
    }
    return true;
  });
  impl->trigger.reserve(trigger_.size());
  for (const std::string& name : trigger_) impl->trigger.insert(name);
  impl_ = impl;
}

const NameLists& NameLists::Get() {
  static const NameLists* lists = new NameLists();
  return *lists;
}

bool NameLists::IsFirstName(std::string_view token) const { return Contains(impl_->first, token); }
bool NameLists::IsSurname(std::string_view token) const { return Contains(impl_->surnames, token); }
bool NameLists::IsStopword(std::string_view token) const { return Contains(impl_->stop, token); }
bool NameLists::IsCommonWord(std::string_view token) const { return Contains(impl_->english, token); }
bool NameLists::IsOtherProperNoun(std::string_view token) const { return Contains(impl_->proper, token); }
bool NameLists::IsCommonSurname(std::string_view token) const { return Contains(impl_->common_surnames, token); }
bool NameLists::IsTriggerFirstName(std::string_view token) const { return impl_->trigger.find(token) != impl_->trigger.end(); }

}  // namespace steward::scan::internal
