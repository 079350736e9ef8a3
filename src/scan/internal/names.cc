#include "scan/internal/names.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

#include <algorithm>
#include <array>
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
    // Words before a street's name in other languages ("Rua Cyro Franco", "Via Roma"), stored
    // as looked up (folded: "praça" is "praca").
    "rua", "rue", "via", "calle", "avenida", "avinguda", "ulica", "piazza", "praca", "camino", "chemin", "viale", "strada",
    "carrer", "rambla", "paseo", "travessa", "estrada",
    "customer", "order", "user", "name", "email", "phone", "address", "number", "date", "time",
    "error", "info", "debug", "warn", "get", "set", "true", "false", "null", "none", "ok", "id"};

struct ViewHash {
  size_t operator()(std::string_view s) const { return static_cast<size_t>(WordHash(s)); }
};
using WordSet = std::unordered_set<std::string_view, ViewHash>;

// A word with letters beyond ASCII written with ASCII letters, as the US lists spell names
// ("Tómas" → "Tomas", "Ström" → "Strom", "Łukasz" → "Lukasz"): ICU's canonical decomposition
// (NFD) with the combining marks (U+0300–U+036F) dropped, then the Latin letters that do not
// decompose. Empty when the word is not UTF-8 or keeps other letters (Greek, Cyrillic): those
// are no list's spelling. ICU's Latin-ASCII transliterator does the same, ten times slower.
std::string LatinAscii(std::string_view token) {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (!nfd || U_FAILURE(status)) return {};
  std::string decomposed;
  icu::StringByteSink<std::string> sink(&decomposed, static_cast<int32_t>(token.size() * 2));
  nfd->normalizeUTF8(0, icu::StringPiece(token.data(), static_cast<int32_t>(token.size())), sink, nullptr, status);
  if (U_FAILURE(status)) return {};
  static constexpr std::pair<std::string_view, std::string_view> kUndecomposed[] = {
      {"\xc3\x98", "O"}, {"\xc3\xb8", "o"}, {"\xc5\x81", "L"}, {"\xc5\x82", "l"}, {"\xc3\x86", "AE"},
      {"\xc3\xa6", "ae"}, {"\xc3\x9f", "ss"}, {"\xc3\x90", "D"}, {"\xc3\xb0", "d"}, {"\xc3\x9e", "TH"},
      {"\xc3\xbe", "th"}, {"\xc4\x90", "D"}, {"\xc4\x91", "d"}, {"\xc5\x92", "OE"}, {"\xc5\x93", "oe"},
      {"\xc4\xb1", "i"}};
  std::string out;
  out.reserve(decomposed.size());
  for (size_t i = 0; i < decomposed.size();) {
    const auto c = static_cast<unsigned char>(decomposed[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    std::string_view rest = std::string_view(decomposed).substr(i);
    if (rest.size() >= 2 && (c == 0xcc || (c == 0xcd && static_cast<unsigned char>(rest[1]) <= 0xaf))) {
      i += 2;  // a combining mark
      continue;
    }
    bool mapped = false;
    for (const auto& [letter, ascii] : kUndecomposed)
      if (rest.starts_with(letter)) {
        out += ascii;
        i += letter.size();
        mapped = true;
        break;
      }
    if (!mapped) return {};
  }
  return out;
}

// token folded to ASCII lower case in buf when it fits (names do), else in spill; a token with
// letters beyond ASCII is transliterated first.
std::string_view Folded(std::string_view token, char (&buf)[64], std::string& spill) {
  const bool ascii = std::all_of(token.begin(), token.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) {
    spill = LatinAscii(token);
    if (!spill.empty()) return spill = AsciiLower(spill);
  }
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
            proper = Table(NameTable::kProperNouns), places = Table(NameTable::kPlaces);
  WordSet stop, trigger;  // small: built at start-up (trigger's views are into trigger_)
  // Two bits of each trigger name's hash, in 64K: the gate asks of every capitalized word
  // whether it is one, most are not, and the hash set's lookup (a division, a bucket) was a
  // twentieth of a scan with names.
  std::array<uint64_t, 1024> trigger_bits{};
  static std::pair<unsigned, unsigned> TriggerBits(uint64_t hash) { return {hash & 0xffff, (hash >> 20) & 0xffff}; }
  bool MayBeTrigger(std::string_view token) const {
    const auto [a, b] = TriggerBits(WordHash(token));
    return (trigger_bits[a >> 6] >> (a & 63) & 1) && (trigger_bits[b >> 6] >> (b & 63) & 1);
  }
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
  for (const std::string& name : trigger_) {
    impl->trigger.insert(name);
    const auto [a, b] = Impl::TriggerBits(WordHash(name));
    impl->trigger_bits[a >> 6] |= uint64_t{1} << (a & 63);
    impl->trigger_bits[b >> 6] |= uint64_t{1} << (b & 63);
  }
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
bool NameLists::IsPlace(std::string_view token) const {
  // Spelled as listed: "Kónya" is a Hungarian surname, not the province of Konya.
  return std::all_of(token.begin(), token.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }) &&
         Contains(impl_->places, token);
}
bool NameLists::IsTriggerFirstName(std::string_view token) const {
  return impl_->MayBeTrigger(token) && impl_->trigger.find(token) != impl_->trigger.end();
}

}  // namespace steward::scan::internal
