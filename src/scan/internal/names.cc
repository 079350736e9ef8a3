#include "scan/internal/names.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory_resource>
#include <unordered_set>

#include "core/text.h"

namespace steward::embedded {
std::string_view FirstNamesCsv();
std::string_view SurnamesCsv();
std::string_view EnglishWords();
}  // namespace steward::embedded

namespace steward::scan::internal {
namespace {

// Calls on_row(name, count) for each "name,count" line after the header.
template <typename F>
void ForEachRow(std::string_view csv, F&& on_row) {
  size_t pos = csv.find('\n');
  while (pos != std::string_view::npos && pos + 1 < csv.size()) {
    size_t begin = pos + 1;
    pos = csv.find('\n', begin);
    std::string_view line = csv.substr(begin, (pos == std::string_view::npos ? csv.size() : pos) - begin);
    size_t comma = line.find(',');
    if (comma == std::string_view::npos || comma == 0) continue;
    long count = 0;
    std::from_chars(line.data() + comma + 1, line.data() + line.size(), count);
    on_row(line.substr(0, comma), count);
  }
}

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

// Sets of views: into the embedded lists where a word is already as looked up (the English
// words are lower case), else into NameLists::Impl's arena. Their nodes come from the arena too:
// some 330,000 words are indexed at start-up, and one allocation each was most of its cost.
// The hash: eight bytes at a time, multiply and xor-shift. Words are short, and std::hash's
// Murmur was a third of building the sets.
struct WordHash {
  size_t operator()(std::string_view s) const {
    uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t chunk;
      std::memcpy(&chunk, s.data() + i, 8);
      h = (h ^ chunk) * 0xbf58476d1ce4e5b9ull;
      h ^= h >> 31;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, s.data() + i, s.size() - i);
    h = (h ^ tail) * 0x94d049bb133111ebull;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};
using WordSet = std::pmr::unordered_set<std::string_view, WordHash>;

// token folded to ASCII lower case in buf when it fits (names do), else in spill.
std::string_view Folded(std::string_view token, char (&buf)[64], std::string& spill) {
  if (token.size() > sizeof buf) return spill = AsciiLower(token);
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    buf[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return {buf, token.size()};
}

bool Contains(const WordSet& set, std::string_view token) {
  char buf[64];
  std::string spill;
  return set.find(Folded(token, buf, spill)) != set.end();
}

}  // namespace

struct NameLists::Impl {
  std::pmr::monotonic_buffer_resource arena{std::size_t{16} << 20};
  WordSet first{&arena}, surnames{&arena}, stop{&arena}, common_surnames{&arena}, trigger{&arena}, english{&arena};

  // A copy of word in the arena, folded to ASCII lower case.
  std::string_view Fold(std::string_view word) {
    char* copy = static_cast<char*>(arena.allocate(word.size(), 1));
    for (size_t i = 0; i < word.size(); ++i) {
      char c = word[i];
      copy[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return {copy, word.size()};
  }
};

NameLists::NameLists() {
  auto* impl = new Impl();  // lives for the process, like the embedded data it indexes
  for (std::string_view w : kStopwords) impl->stop.emplace(w);
  // One word per line; only the all-lower-case ones (no proper nouns, no "'s" forms).
  std::string_view words = embedded::EnglishWords();
  impl->english.reserve(70000);
  for (size_t pos = 0; pos < words.size();) {
    size_t eol = words.find('\n', pos);
    if (eol == std::string_view::npos) eol = words.size();
    std::string_view w = words.substr(pos, eol - pos);
    if (w.size() >= 2 && std::all_of(w.begin(), w.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; })) impl->english.emplace(w);
    pos = eol + 1;
  }
  impl->first.reserve(100000);
  impl->surnames.reserve(170000);
  ForEachRow(embedded::FirstNamesCsv(), [&](std::string_view name, long count) {
    if (name.size() < 2) return;
    std::string_view folded = impl->Fold(name);
    impl->first.insert(folded);
    // Frequent, not a common word, and long enough not to be an abbreviation. A name that is
    // also an English word triggers only when very frequent ("Heather", "Randy"; not "Baby",
    // "Princess").
    bool wordlike = impl->stop.contains(folded) || (count < 30000 && impl->english.contains(folded));
    if (count >= 5000 && name.size() >= 3 && !wordlike && folded[0] >= 'a' && folded[0] <= 'z') {
      char* capital = static_cast<char*>(impl->arena.allocate(folded.size(), 1));
      std::copy(folded.begin(), folded.end(), capital);
      capital[0] = static_cast<char>(capital[0] - 'a' + 'A');
      impl->trigger.insert({capital, folded.size()});
      trigger_.emplace_back(capital, folded.size());
    }
  });
  ForEachRow(embedded::SurnamesCsv(), [&](std::string_view name, long count) {
    if (name.size() < 2) return;
    std::string_view folded = impl->Fold(name);
    if (count >= 100000) impl->common_surnames.insert(folded);
    impl->surnames.insert(folded);
  });
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
bool NameLists::IsCommonSurname(std::string_view token) const { return Contains(impl_->common_surnames, token); }
bool NameLists::IsTriggerFirstName(std::string_view token) const { return impl_->trigger.find(token) != impl_->trigger.end(); }

}  // namespace steward::scan::internal
