// The built-in detectors. Each rule's pattern finds candidates; its validator decides. Patterns
// never match a newline ([ \t] not \s), so lines are independent.
#include "scan/internal/rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/text.h"
#include "scan/internal/names.h"
#include "scan/internal/validate.h"

namespace steward::scan::internal {
namespace {

using inventory::CcpaCategory;

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }
bool IsNameByte(unsigned char c) { return std::isalpha(c) || c >= 0x80 || c == '\'' || c == '-'; }
bool IsUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

// The postal codes of the US states and DC: before a ZIP (the ZIP rule), after a city ("Boston, MA").
constexpr std::string_view kUsStates[] = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
    "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"};

bool OneOf(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

Verdict ValueVerdict(const Candidate& c, double confidence) { return {c.value_start, c.value_end, confidence}; }

// Raises a base confidence when context words precede the candidate.
double WithContext(const Candidate& c, double base, double with,
                   std::initializer_list<std::string_view> words) {
  return ContextBefore(c.text, c.start, words) ? with : base;
}

// For the rules led by a context word ("routing 021000021"): the word starts a word of the
// text, so "aba" in "database" and "tel" in "Castelo" are none. Engine's Confirm looks for the
// next match from just after a rejected one's start, so "database routing 021000021" still
// finds "routing …".
bool ContextStartsAWord(const Candidate& c) { return c.start == 0 || !IsWordByte(static_cast<unsigned char>(c.text[c.start - 1])); }

std::optional<Verdict> Accept(const Candidate& c, bool ok, double confidence) {
  if (!ok) return std::nullopt;
  return ValueVerdict(c, confidence);
}

// A street after "address" (or a column so named): the context word starts a word, and not
// every word of the street is an English word ("address Book 3", "address 12 new items").
std::optional<Verdict> ValidateStreetAfterContext(const Candidate& c) {
  if (!ContextStartsAWord(c)) return std::nullopt;
  const NameLists& names = NameLists::Get();
  bool proper = false;
  std::string_view rest = c.value();
  while (!rest.empty() && !proper) {
    const size_t space = rest.find(' ');
    const std::string_view word = rest.substr(0, space);
    proper = !word.empty() && !(word[0] >= '0' && word[0] <= '9') && !names.IsCommonWord(word) && !names.IsStopword(word);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  return Accept(c, proper, 0.85);
}

// --- person names -------------------------------------------------------------------------

struct Token {
  size_t start, end;
};

// The name-like token starting at `pos` (letters, Latin-1 high bytes, ' and -), or none.
std::optional<Token> TokenAt(std::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size() && IsNameByte(static_cast<unsigned char>(text[end]))) ++end;
  if (end == pos) return std::nullopt;
  return Token{pos, end};
}

constexpr std::string_view kParticles[] = {"van", "von", "de", "da", "del", "della", "di", "la", "le", "bin", "al", "der", "den", "dos", "du"};

// Extends a name to the right from `end`: a middle initial ("N."), particles and capitalized
// tokens that are known names or at least not common words. Returns the new end and how many
// tokens were added, and whether the last one is a known surname.
struct Extension {
  size_t end;
  int tokens = 0;
  bool surname = false;
  bool capitalized_unknown = false;
};

Extension ExtendName(std::string_view text, size_t end) {
  const NameLists& names = NameLists::Get();
  Extension ext{end};
  size_t pos = end;
  for (int i = 0; i < 3; ++i) {
    size_t next = pos;
    if (next >= text.size() || text[next] != ' ') break;
    ++next;
    // Middle initial.
    if (next + 1 < text.size() && IsUpper(text[next]) && text[next + 1] == '.') {
      pos = next + 2;
      continue;
    }
    auto token = TokenAt(text, next);
    if (!token) break;
    std::string_view word = text.substr(token->start, token->end - token->start);
    bool particle = std::find(std::begin(kParticles), std::end(kParticles), word) != std::end(kParticles);
    if (particle) {
      pos = token->end;
      continue;
    }
    if (CapitalAt(reinterpret_cast<const unsigned char*>(word.data()), word.size()) == 0 || word.size() < 2) break;
    if (names.IsStopword(word) && !(ext.tokens == 0 && names.IsCommonSurname(word))) break;  // "James Brown"
    bool all_upper = std::all_of(word.begin(), word.end(), [](char ch) { return IsUpper(ch); });
    if (all_upper && word.size() <= 3) break;  // "MD", "USA"
    bool surname = names.IsSurname(word);
    bool unknown = !surname && !names.IsFirstName(word);
    if (unknown && names.IsCommonWord(word)) break;  // "Emmie Ström Cautionary", "Princess Street"
    ext.surname = surname;
    ext.capitalized_unknown = unknown;
    ext.end = pos = token->end;
    ++ext.tokens;
    if (ext.tokens == 2 || word.ends_with("'s")) break;  // a possessive ends the name
  }
  return ext;
}

bool NameContext(const Candidate& c, size_t at) {
  return ContextBefore(c.text, at,
                       {"name is", "name:", "name?", "dear ", "hello ", "hi ", "thanks ", "regards", "signed", " by ",
                        "user:", "customer:", "contact:", "mr.", "mrs.", "ms.", "dr.", "mr ", "mrs ",
                        "ms ", "dr ", "i am ", "i'm ", "call me", "named", "from:", "to:", "attn"},
                       24);
}

// A pattern's name word ends where RE2's ASCII \b puts it, before a UTF-8 letter ("Zako|č");
// the word runs on over such letters.
size_t WordEnd(std::string_view text, size_t end) {
  while (end < text.size() && (static_cast<unsigned char>(text[end]) >= 0x80 || std::isalpha(static_cast<unsigned char>(text[end]))))
    ++end;
  return end;
}

// The word of letters that ends at `end`.
std::string_view WordOf(std::string_view text, size_t end) {
  size_t begin = end;
  while (begin > 0 && std::isalpha(static_cast<unsigned char>(text[begin - 1]))) --begin;
  return text.substr(begin, end - begin);
}

// A place that is no frequent name: a trigger first name ("Sydney", "Georgia") or a surname
// borne by 100,000 people ("Jordan", "Washington") is a person as often.
bool RarelyAName(std::string_view word) {
  const NameLists& names = NameLists::Get();
  return names.IsPlace(word) && !names.IsTriggerFirstName(word) && !names.IsCommonSurname(word);
}

// A lone first name that names a place here: after "in", "near", "visiting" … ("in Paris"), or
// before a comma and a place that is rarely a name ("Austin, Texas", "Paris, France").
bool NamesAPlace(const Candidate& c) {
  std::string_view word = c.text.substr(c.start, c.end - c.start);
  if (c.end + 2 < c.text.size() && c.text[c.end] == ',' && c.text[c.end + 1] == ' ') {
    size_t next = c.end + 2, end = next;
    while (end < c.text.size() && std::isalpha(static_cast<unsigned char>(c.text[end]))) ++end;
    if (end > next && RarelyAName(c.text.substr(next, end - next))) return true;
    // A US state's code after the comma ("Boston, MA 02110"; "Maria, OK?" only before a ZIP).
    const std::string_view code = c.text.substr(next, end - next);
    size_t zip = end;
    while (zip < c.text.size() && zip - end < 3 && c.text[zip] == ' ') ++zip;
    const bool zip_follows = zip > end && zip < c.text.size() && std::isdigit(static_cast<unsigned char>(c.text[zip]));
    if (code.size() == 2 && std::find(std::begin(kUsStates), std::end(kUsStates), code) != std::end(kUsStates) &&
        (code != "OK" || zip_follows))
      return true;
  }
  if (!NameLists::Get().IsPlace(word) || c.start < 2 || c.text[c.start - 1] != ' ') return false;
  const std::string before = AsciiLower(WordOf(c.text, c.start - 1));
  if (OneOf(before, {"in", "at", "near", "via", "visit", "visited", "visiting", "across", "outside", "toward", "towards", "into",
                     "throughout", "around"}))
    return true;
  // "to" after a verb of going ("flew to Phoenix"; "talk to Phoenix" may be a person).
  const size_t to = c.start - 1 - before.size();
  if (before != "to" || to < 2 || c.text[to - 1] != ' ') return false;
  return OneOf(AsciiLower(WordOf(c.text, to - 1)),
               {"flew", "fly", "flying", "moved", "move", "moving", "went", "go", "going", "travel", "traveled", "travelled",
                "traveling", "travelling", "drove", "drive", "driving", "returned", "return", "relocated", "relocating",
                "headed", "heading", "trip", "journey", "came", "come", "back", "emigrated", "sailed"});
}

// The word of ASCII letters after the one space at text[end], or empty.
std::string_view WordAfter(std::string_view text, size_t end) {
  if (end + 1 >= text.size() || text[end] != ' ') return {};
  size_t stop = end + 1;
  while (stop < text.size() && std::isalpha(static_cast<unsigned char>(text[stop]))) ++stop;
  return text.substr(end + 1, stop - end - 1);
}

// The words that end a street's name as US addresses write them ("Isaac Lodge Street"); "St"
// only where no capital follows ("St. John" is a saint), "Dr" never (a doctor).
bool StreetType(std::string_view text, std::string_view word) {
  if (word == "St") {
    const size_t after = static_cast<size_t>(word.data() + word.size() - text.data());
    const size_t next = after < text.size() && text[after] == '.' ? after + 1 : after;
    return !(next + 1 < text.size() && text[next] == ' ' && IsUpper(static_cast<unsigned char>(text[next + 1])));
  }
  return OneOf(word, {"Street", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Ln", "Drive", "Court", "Ct",
                      "Way", "Place", "Pl", "Terrace", "Ter", "Circle", "Cir", "Parkway", "Pkwy", "Highway", "Hwy", "Square",
                      "Sq", "Trail", "Trl", "Loop", "Crossing", "Plaza", "Alley", "Pike", "Row", "Walk"});
}

// The other words of the US Postal Service's street suffixes ("Dora Creek", "Monika Union"):
// surnames too ("Rosa Parks", "Benny Hill"), so a street only after a house number.
bool StreetSuffix(std::string_view word) {
  return OneOf(word, {"Bay", "Beach", "Bend", "Bluff", "Branch", "Bridge", "Brook", "Burg", "Bypass", "Camp", "Canyon",
                      "Cape", "Causeway", "Center", "Cliff", "Club", "Common", "Corner", "Corners", "Cove", "Creek", "Crest",
                      "Dale", "Dam", "Estates", "Expressway", "Extension", "Extensions", "Falls", "Ferry", "Field", "Fields",
                      "Flat", "Flats", "Forest", "Fort", "Freeway", "Garden", "Gardens", "Gateway", "Glen", "Green", "Grove",
                      "Harbor", "Haven", "Heights", "Hill", "Hills", "Hollow", "Island", "Isle", "Junction", "Key", "Knoll",
                      "Lake", "Lakes", "Landing", "Lodge", "Mall", "Manor", "Meadows", "Mill", "Mills", "Mission", "Mount",
                      "Mountain", "Orchard", "Oval", "Park", "Parks", "Pass", "Path", "Pines", "Plains", "Point", "Points",
                      "Port", "Prairie", "Ranch", "Rapids", "Ridge", "River", "Route", "Run", "Shoal", "Shores", "Spring",
                      "Springs", "Spur", "Station", "Stream", "Summit", "Trace", "Track", "Turnpike", "Union", "Valley",
                      "Viaduct", "View", "Views", "Village", "Ville", "Vista", "Well", "Wells"});
}

// The words that end a firm's or a group's name ("Russell Investments", "Thomas and Sons",
// "the Davis, Reynolds and Williamson Orchestra").
bool OrganizationWord(std::string_view word) {
  return OneOf(word, {"Inc", "Incorporated", "LLC", "LLP", "Ltd", "Limited", "PLC", "Plc", "Corp", "Corporation", "Company",
                      "Co", "Group", "Holdings", "Partners", "Associates", "Sons", "Brothers", "Bros", "Orchestra", "Band",
                      "Quartet", "Trio", "Ensemble", "Choir", "Investments", "Consulting", "Capital", "Ventures",
                      "Technologies", "Solutions", "Systems", "Lab", "Labs", "Laboratories", "Industries", "Enterprises", "Agency",
                      "Foundation", "Institute", "University", "College", "School", "Academy", "Hospital", "Clinic", "Bank",
                      "Insurance", "Airlines", "Motors", "Media", "Records", "Studios", "Productions", "Pharmaceuticals",
                      "Logistics", "Electronics", "Software", "Services", "Trust", "GmbH", "AG", "SA", "SAS", "BV", "NV",
                      "SpA", "Srl"});
}

// Whether text[start] begins the value under a key that names a place or a firm ("city":"Jackson",
// city=Madison, <company>Johnson Controls</company>, "store_name": "Dillard"): in a structured
// log or a document the key says what the value is, even when it reads like a person's name.
bool UnderPlaceOrFirmKey(std::string_view text, size_t start) {
  size_t at = start;
  const auto back_over = [&](auto is, size_t most) {
    size_t n = 0;
    for (; at > 0 && n < most && is(text[at - 1]); ++n) --at;
    return n;
  };
  const auto quote = [](char b) { return b == '"' || b == '\''; };
  const auto blank = [](char b) { return b == ' ' || b == '\t'; };
  back_over(quote, 1);
  back_over(blank, 4);
  if (back_over([](char b) { return b == ':' || b == '=' || b == '>'; }, 1) == 0) return false;
  back_over(blank, 4);
  back_over(quote, 1);
  const size_t key_end = at;
  back_over([](char b) { return std::isalnum(static_cast<unsigned char>(b)) || b == '_' || b == '-'; }, 48);
  std::string key;
  for (char b : text.substr(at, key_end - at))
    if (std::isalpha(static_cast<unsigned char>(b))) key += static_cast<char>(std::tolower(static_cast<unsigned char>(b)));
  if (key.ends_with("name")) key.resize(key.size() - 4);  // "city_name", "company_name"
  // Not "address": an address starts with its person's name ("Billing address: Sara Schwarz").
  for (std::string_view kind : {"city", "town", "state", "country", "county", "region", "province", "street", "company",
                                "employer", "organization", "organisation", "brand", "product", "vendor", "merchant", "store",
                                "hotel", "airport", "venue"})
    if (key.ends_with(kind)) return true;
  return false;
}

// Whether the capitalized words text[start, end) name a street or a firm, not a person, by the
// words around them: a street type after them ("Marina Fort Street", "Forrest Hill Road"), a
// street suffix after a house number or a street ("903 Dora Creek", "Drive Zak Points"), or a
// firm's word after them ("Drake PLC", "Thomas and Sons").
bool NamesAStreetOrFirm(std::string_view text, size_t start, size_t end) {
  const std::string_view next = WordAfter(text, end);
  if (!next.empty()) {
    if (StreetType(text, next) || OrganizationWord(next)) return true;
    const std::string_view then = WordAfter(text, static_cast<size_t>(next.data() + next.size() - text.data()));
    if ((next == "and" || next == "&") && OrganizationWord(then)) return true;
    if (IsUpper(static_cast<unsigned char>(next[0])) && !then.empty() && StreetType(text, then)) return true;
  }
  // After a house number ("149 Monika Union") or a street's type ("Drive Zak Points"): the last
  // word of the name, or the word after it, is a street suffix.
  if (start < 2 || text[start - 1] != ' ') return false;
  // A house number, not a year ("2009 Michael A. Green", "2012-2013 Peter Michael Green").
  size_t digits = start - 1;
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(text[digits - 1]))) --digits;
  const std::string_view number = text.substr(digits, start - 1 - digits);
  const bool year = (number.size() == 4 && (number.starts_with("19") || number.starts_with("20"))) ||
                    (digits > 0 && (text[digits - 1] == '-' || text[digits - 1] == ','));
  if ((number.empty() || year) && !StreetType(text, WordOf(text, start - 1))) return false;
  const std::string_view own = WordOf(text, end);
  return (!next.empty() && (StreetSuffix(next) || StreetType(text, next))) || (own.data() != text.data() + start && StreetSuffix(own));
}

// Whether the list of capitalized words text[start, end) ("Gaetane, Hannah and Anthony") names a
// firm: a firm's word after it ("Jones, Smith and Davis Orchestra"), or three or more surnames
// where a place of work goes ("a year at Jones, Mitchell and Williams", "is from Hawkins,
// Richardson and Santana"); "a card from Mary, John and Paul" and "review from Sheri and
// Christian" name people: more than one frequent first name, or two words.
bool ListNamesAFirm(std::string_view text, size_t start, size_t end) {
  if (NamesAStreetOrFirm(text, start, end)) return true;
  if (start < 2 || text[start - 1] != ' ' ||
      !OneOf(AsciiLower(WordOf(text, start - 1)), {"at", "from", "for", "join", "joined", "joining"}))
    return false;
  int words = 0, first_names = 0;
  ForEachListedWord(text.substr(start, end - start), [&](size_t, std::string_view word) {
    ++words;
    first_names += NameLists::Get().IsTriggerFirstName(word);
    return true;
  });
  return words >= 3 && first_names <= 1;
}

// The list joined by ", ", " and " or " & " that the capitalized word text[start, end) is part
// of ("The Davis, Reynolds and Williamson Orchestra": "Davis, Reynolds and Williamson"), or none.
// A firm names a few: a list of more than kMaxListWords is none, and is not read to its end (a
// long line of names would be read once per name).
constexpr int kMaxListWords = 8;
std::optional<std::pair<size_t, size_t>> ListAround(std::string_view text, size_t start, size_t end) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  auto capital_at = [&](size_t at) { return at < text.size() && CapitalAt(s + at, text.size() - at) > 0; };
  auto letter = [&](size_t at) { return std::isalpha(s[at]) || s[at] >= 0x80; };
  bool and_seen = false;
  int words = 1;
  // To the right: a joiner, then a capitalized word.
  for (;;) {
    const std::string_view rest = text.substr(end);
    const size_t joiner = rest.starts_with(", ") ? 2 : rest.starts_with(" and ") ? 5 : rest.starts_with(" & ") ? 3 : 0;
    if (joiner == 0 || !capital_at(end + joiner) || words > kMaxListWords) break;
    and_seen |= joiner != 2;
    end += joiner;
    while (end < text.size() && letter(end)) ++end;
    ++words;
  }
  // To the left: a capitalized word, then a joiner.
  for (;;) {
    const std::string_view before = text.substr(0, start);
    const size_t joiner = before.ends_with(", ") ? 2 : before.ends_with(" and ") ? 5 : before.ends_with(" & ") ? 3 : 0;
    if (joiner == 0 || words > kMaxListWords) break;
    size_t word = start - joiner;
    while (word > 0 && letter(word - 1)) --word;
    if (word == start - joiner || !capital_at(word)) break;
    and_seen |= joiner != 2;
    start = word;
    ++words;
  }
  if (!and_seen || words < 2 || words > kMaxListWords) return std::nullopt;
  return std::pair{start, end};
}

// Whether the word text[start, end) is part of a date: a weekday's short name ("Mon Nov 28",
// "Sun Jan 2"), or a month's name or short name next to a number ("09 Jan 2021", "Jan 2"; "Jan
// Nijtmans" and "June Carter" are people).
bool WeekdayShortName(std::string_view word) {
  return OneOf(word, {"Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun"});
}
bool DateWordAt(std::string_view text, size_t start, size_t end) {
  const std::string_view word = text.substr(start, end - start);
  if (WeekdayShortName(word)) return true;
  if (!OneOf(word, {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "January",
                    "February", "March", "April", "June", "July", "August", "September", "October", "November", "December"}))
    return false;
  auto digit = [&](size_t at) { return at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) != 0; };
  size_t after = end;
  if (after < text.size() && (text[after] == ',' || text[after] == '.')) ++after;
  while (after < text.size() && after - end <= 2 && text[after] == ' ') ++after;
  size_t before = start;
  while (before > 0 && start - before <= 2 && (text[before - 1] == ' ' || text[before - 1] == ',')) --before;
  return (after > end && digit(after)) || (before < start && before > 0 && digit(before - 1));
}

// Trigger: a frequent first name, capitalized, as a whole word.
std::optional<Verdict> ValidateFirstName(const Candidate& c) {
  if (DateWordAt(c.text, c.start, c.end) || UnderPlaceOrFirmKey(c.text, c.start)) return std::nullopt;
  // Part of a path or a compound: "America/Coyhaique", "Roman-nohvar", "Times-Roman" ("Jean-Pierre"
  // and "Mary-Kate" are names: a first name before the '-').
  if (c.end + 1 < c.text.size() && ((c.text[c.end] == '/' && std::isalnum(static_cast<unsigned char>(c.text[c.end + 1]))) ||
                                    (c.text[c.end] == '-' && std::islower(static_cast<unsigned char>(c.text[c.end + 1])))))
    return std::nullopt;
  if (c.start >= 2 && c.text[c.start - 1] == '-' && std::isalpha(static_cast<unsigned char>(c.text[c.start - 2])) &&
      !NameLists::Get().IsFirstName(WordOf(c.text, c.start - 1)))
    return std::nullopt;
  if (WordEnd(c.text, c.end) != c.end) return std::nullopt;  // "Mariaé": another word, not Maria
  if (c.end < c.text.size() && (c.text[c.end] == '@' || c.text[c.end] == '.' ) && c.end + 1 < c.text.size() &&
      IsWordByte(c.text[c.end + 1]))
    return std::nullopt;  // part of an email address or a host name
  if (c.start > 0 && (c.text[c.start - 1] == '@' || c.text[c.start - 1] == '.' || c.text[c.start - 1] == '/' ||
                      c.text[c.start - 1] == '_'))
    return std::nullopt;
  // A capitalized name-word right before: the earlier token starts this name (found by its own
  // trigger) or this is a sentence's second word ("Dear John" is handled by context).
  Extension ext = ExtendName(c.text, c.end);
  bool context = NameContext(c, c.start);
  if (!context && ext.tokens == 0 && NamesAPlace(c)) return std::nullopt;
  // A place after it, rarely a name, makes it a place too ("Lincoln Nebraska").
  if (!context && ext.tokens == 1 && !ext.surname && RarelyAName(WordOf(c.text, ext.end))) return std::nullopt;
  double confidence = 0.6;
  if (ext.tokens > 0 && ext.surname) confidence = 0.9;
  else if (ext.tokens > 0) confidence = 0.75;
  if (context) confidence = std::min(0.95, confidence + 0.2);
  if (!context && NamesAStreetOrFirm(c.text, c.start, ext.end)) return std::nullopt;
  // A language, not a person, before a word about language ("Update German translation").
  if (!context && ext.tokens == 0 &&
      OneOf(WordAfter(c.text, c.end), {"translation", "translations", "translator", "translators", "language", "locale",
                                        "localization", "speakers", "keyboard", "dictionary", "spelling", "text", "version"}))
    return std::nullopt;
  // Alone, a language or a people ("* German (Helge Kreutzmann)", "German, Basque, Swedish"),
  // or a product before its kind ("Mac OS X", "Travis CI", "Travis-CI builds").
  if (!context && ext.tokens == 0) {
    const std::string_view word = c.text.substr(c.start, c.end - c.start);
    if (OneOf(word, {"German", "English", "Irish", "Dutch", "Danish", "Welsh", "Khmer", "Sami", "Catalan", "Breton", "Cornish",
                     "Manx", "Hindi", "Tamil", "Thai", "Malay", "Swahili"}))
      return std::nullopt;
    const std::string_view after = c.end + 1 < c.text.size() && (c.text[c.end] == ' ' || c.text[c.end] == '-')
                                       ? c.text.substr(c.end + 1, std::min<size_t>(4, c.text.size() - c.end - 1))
                                       : std::string_view();
    for (std::string_view kind : {"OS", "CI", "CD", "API", "SDK", "IDE", "VM"})
      if (after.starts_with(kind) && (after.size() == kind.size() || !IsWordByte(static_cast<unsigned char>(after[kind.size()]))))
        return std::nullopt;
  }
  // One of a list that names a firm ("The Davis, Reynolds and Williamson Orchestra").
  if (!context && ext.tokens == 0)
    if (const auto list = ListAround(c.text, c.start, c.end); list && ListNamesAFirm(c.text, list->first, list->second))
      return std::nullopt;
  return Verdict{c.start, ext.end, confidence};
}

// The first and last words of a candidate of two capitalized words (a middle initial between
// them or not), its end run on over UTF-8 letters; none when it follows '@', '.' or '/' (an
// address, a host, a path) or either word is a stopword ("May", unless a common surname last).
struct NameWords {
  std::string_view first, last;
  size_t end;
};

// The candidate follows '@', '.' or '/': it is part of an address, a host or a path.
bool InAddressOrPath(const Candidate& c) {
  return c.start > 0 && (c.text[c.start - 1] == '@' || c.text[c.start - 1] == '.' || c.text[c.start - 1] == '/');
}

std::optional<NameWords> WordsOfPair(const Candidate& c) {
  const NameLists& names = NameLists::Get();
  if (InAddressOrPath(c)) return std::nullopt;
  const size_t end = WordEnd(c.text, c.end);
  std::string_view match = c.text.substr(c.start, end - c.start);
  NameWords words{match.substr(0, match.find(' ')), match.substr(match.rfind(' ') + 1), end};
  if (names.IsStopword(words.first) || (names.IsStopword(words.last) && !names.IsCommonSurname(words.last))) return std::nullopt;
  // "Mon Nov 28"; a month's name before a capitalized word is a name ("In 2021 Jan Novak joined").
  if (WeekdayShortName(words.first) || DateWordAt(c.text, end - words.last.size(), end)) return std::nullopt;
  return words;
}

// Surname endings of central and eastern Europe, the Nordic countries, Georgia, Romania, Greece
// and Turkey ("Fiedlerová", "Jerković", "Kucharski", "Ólafsdóttir", "Arvidsson", "Popescu"),
// which the US lists mostly lack. -ova/-eva only in longer words ("Dolgorukova", not "Nova").
bool SurnameShaped(std::string_view word) {
  if (word.size() < 5) return false;
  const std::string lower = AsciiLower(word);
  static constexpr std::string_view kEndings[] = {
      "ov\xc3\xa1", "i\xc4\x87", "d\xc3\xb3ttir", "dottir", "sson", "ski", "ska", "cki", "cka", "enko",
      "escu", "poulos", "akis", "oglu", "o\xc4\x9flu", "ovich", "evich", "ovna", "evna", "ovic", "evic", "shvili", "adze", "idze"};
  for (std::string_view e : kEndings)
    if (lower.ends_with(e)) return true;
  return lower.size() >= 8 && (lower.ends_with("ova") || lower.ends_with("eva"));
}

// The word right before text[at] names a person's role or trade ("Producer", "player").
bool RoleBefore(std::string_view text, size_t at) {
  if (at < 2 || text[at - 1] != ' ') return false;
  // A field of a mail or a ticket ("From: Rubija Liberšar", "cc: Irenke Sörös").
  if (text[at - 2] == ':')
    return OneOf(AsciiLower(WordOf(text, at - 2)), {"from", "to", "cc", "bcc", "attn", "contact", "customer", "client", "agent",
                                                     "assignee", "requester", "reporter", "submitter", "recipient", "sender"});
  const std::string role = AsciiLower(WordOf(text, at - 1));
  // A verb that only a person takes, before its preposition: who a ticket went to ("assigned to
  // Julcsa Kárpáthy"), who spoke or met ("spoke with …", "on behalf of …"), who reported,
  // requested or wrote something ("Reported by Sjoerd Mullender").
  if (OneOf(role, {"to", "with", "by", "of"})) {
    const size_t verb_end = at - 1 - role.size();
    if (verb_end < 2 || text[verb_end - 1] != ' ') return false;
    const std::string verb = AsciiLower(WordOf(text, verb_end - 1));
    if (role == "to")
      return OneOf(verb, {"assigned", "reassigned", "escalated", "forwarded", "transferred", "spoke", "talked", "according"});
    if (role == "with") return OneOf(verb, {"spoke", "talked", "met", "meeting", "chatted"});
    if (role == "of") return verb == "behalf";
    return OneOf(verb, {"reported", "requested", "approved", "submitted", "signed", "written", "reviewed", "suggested", "escalated"});
  }
  return OneOf(role, {"contact", "contacted", "met", "agent", "customer", "client", "caller", "technician", "representative",
                      "assignee", "producer", "director", "actor", "actress", "singer", "songwriter", "author", "writer", "novelist",
                      "poet", "artist", "painter", "composer", "guitarist", "drummer", "player", "coach", "manager", "ceo",
                      "cfo", "cto", "founder", "cofounder", "president", "chairman", "chairwoman", "senator", "governor",
                      "mayor", "minister", "judge", "professor", "detective", "captain", "lieutenant", "sergeant", "nurse",
                      "lawyer", "attorney", "pastor", "reverend", "rabbi", "colleague", "patient", "student", "teacher",
                      "journalist", "reporter", "photographer", "designer", "engineer", "scientist", "researcher",
                      "economist", "analyst", "consultant", "spokesperson", "spokesman", "spokeswoman", "chef", "pilot",
                      "tenant", "landlord", "witness", "defendant", "plaintiff", "athlete", "champion", "goalkeeper",
                      "striker", "midfielder", "defender", "quarterback", "pitcher", "boxer", "skier", "cyclist"});
}

// Trigger: two capitalized words. A name when the first is a known first name and the second a
// known surname (the frequent first names already have their own trigger).
std::optional<Verdict> ValidateNamePair(const Candidate& c) {
  const NameLists& names = NameLists::Get();
  const std::optional<NameWords> words = WordsOfPair(c);
  if (!words || UnderPlaceOrFirmKey(c.text, c.start)) return std::nullopt;
  const auto [first, last, word_end] = *words;
  bool known_first = names.IsFirstName(first), known_last = names.IsSurname(last);
  bool context = NameContext(c, c.start);
  if (!context && RarelyAName(last)) return std::nullopt;  // "Lincoln Nebraska", "Austin Texas"
  // Both parts known: a name. A known first name that is no common word, before a capitalized
  // word that is none either ("Cleopatra Mordvinova"): likely one, surnames from abroad being
  // missing from the US list. A known surname alone ("Tintin Forsberg") only with context:
  // without, it is as often a place or a firm ("Porto Alegre", "Rapids Research").
  double confidence;
  // A rare first name that is also a common word is no first name before a known surname
  // ("Southern Canada"); a frequent one is ("Hunter Smith").
  if (known_first && known_last && (!names.IsCommonWord(first) || names.IsTriggerFirstName(first)))
    confidence = context ? 0.95 : 0.85;
  else if (known_first && !names.IsCommonWord(first) && !names.IsCommonWord(last)) confidence = context ? 0.85 : 0.7;
  else if (known_last && context && !names.IsCommonWord(first)) confidence = 0.75;
  // A surname by its ending ("Jarmila Fiedlerová"), neither word a common word nor a place or
  // other proper noun the word list knows ("Omaha Nebraska", "Chisinau Moldova").
  else if (SurnameShaped(last) && !names.IsCommonWord(first) && !names.IsCommonWord(last) &&
           !names.IsOtherProperNoun(first) && !names.IsOtherProperNoun(last))
    confidence = context ? 0.85 : 0.7;
  // Right after a person's role ("Producer Liviana Palerma", "tennis player Hülya Bouwmeester"):
  // two words that are no common words, places or other proper nouns, known or not.
  else if (RoleBefore(c.text, c.start) && !names.IsCommonWord(first) && !names.IsCommonWord(last) &&
           !names.IsOtherProperNoun(first) && !names.IsOtherProperNoun(last) && !names.IsPlace(first) && !names.IsPlace(last))
    confidence = 0.75;
  else return std::nullopt;
  Extension ext = ExtendName(c.text, word_end);
  size_t end = ext.tokens > 0 && ext.surname ? ext.end : word_end;
  // A street's or a firm's word right after the pair, even one that is a surname too and after
  // context ("Reported by Tencent Xuanwu Lab").
  if (NamesAStreetOrFirm(c.text, c.start, word_end) || (!context && NamesAStreetOrFirm(c.text, c.start, end))) return std::nullopt;
  return Verdict{c.start, end, confidence};
}

// Trigger: capitalized words in a list that ends with "and" or "&" ("Gaetane, Hannah and
// Anthony", "by Marrero and Murphy"; "Arnsdorf, Germany" is a place). Names when no word is a
// common word, a stopword, a place or other proper noun the word list knows, or a place that is
// rarely a name ("Paris, France and Spain"), at least two are
// known first names or surnames or have a surname's ending ("Smith and Wesson" and "Monday,
// Tuesday and Friday" are none), and one is a frequent first name or a name word comes before.
std::optional<Verdict> ValidateNameList(const Candidate& c) {
  const NameLists& names = NameLists::Get();
  if (InAddressOrPath(c)) return std::nullopt;
  const size_t end = WordEnd(c.text, c.end);
  int known = 0, first_names = 0;
  bool other = false;  // a word that is no name
  ForEachListedWord(c.text.substr(c.start, end - c.start), [&](size_t, std::string_view word) {
    other = names.IsCommonWord(word) || names.IsStopword(word) || names.IsOtherProperNoun(word) || RarelyAName(word);
    known += names.IsFirstName(word) || names.IsSurname(word) || SurnameShaped(word);
    first_names += names.IsTriggerFirstName(word);
    return !other;
  });
  if (other || known < 2) return std::nullopt;
  // Surnames alone name firms as often as people ("Jones, Mitchell and Williams"): only with
  // context ("founders: ...", "by Usamov and Bowers").
  const bool context = NameContext(c, c.start);
  if (first_names == 0 && !context) return std::nullopt;
  if (ListNamesAFirm(c.text, c.start, end)) return std::nullopt;
  return Verdict{c.start, end, context ? 0.95 : 0.85};
}

// Trigger: two capitalized words with a middle initial between them ("Hanne I. Kreutzmann").
// The initial makes a name of two words that are no common words, even unknown ones.
std::optional<Verdict> ValidateNameWithInitial(const Candidate& c) {
  const NameLists& names = NameLists::Get();
  const std::optional<NameWords> words = WordsOfPair(c);
  if (!words || UnderPlaceOrFirmKey(c.text, c.start)) return std::nullopt;
  const auto [first, last, word_end] = *words;
  bool known_first = names.IsFirstName(first), known_last = names.IsSurname(last);
  if ((!known_first && names.IsCommonWord(first)) || (!known_last && names.IsCommonWord(last))) return std::nullopt;
  double confidence = known_first && known_last ? 0.95 : known_first || known_last ? 0.9 : 0.7;
  if (NamesAStreetOrFirm(c.text, c.start, word_end)) return std::nullopt;
  return Verdict{c.start, word_end, confidence};
}

// Trigger: a context phrase ("my name is", "Dr.") followed by a capitalized word.
std::optional<Verdict> ValidateNameAfterContext(const Candidate& c) {
  const NameLists& names = NameLists::Get();
  size_t start = c.value_start;
  auto token = TokenAt(c.text, start);
  if (!token) return std::nullopt;
  std::string_view word = c.text.substr(token->start, token->end - token->start);
  if (names.IsStopword(word) || word.size() < 2) return std::nullopt;
  Extension ext = ExtendName(c.text, token->end);
  bool known = names.IsFirstName(word) || names.IsSurname(word) || ext.surname;
  std::string_view phrase = c.text.substr(c.start, c.value_start - c.start);
  std::string lower = AsciiLower(phrase);
  const bool name_phrase = lower.find("name") != std::string::npos;
  const bool names_it = name_phrase || lower.starts_with("call me");
  // In lower case only after a phrase that names ("my name is", "call me"), and only a known
  // name that is no English word or place ("my name is lena andersson", not "call me tomorrow").
  if (std::islower(static_cast<unsigned char>(word[0]))) {
    auto plain_name = [&](std::string_view w, bool surname) {
      return (surname ? names.IsSurname(w) : names.IsFirstName(w) || names.IsSurname(w)) && !names.IsCommonWord(w) &&
             !names.IsStopword(w) && !names.IsPlace(w) && std::all_of(w.begin(), w.end(), [](char b) { return !IsUpper(b); });
    };
    if (!names_it || !plain_name(word, false)) return std::nullopt;
    size_t end = token->end;
    const std::string_view next = WordAfter(c.text, end);
    if (!next.empty() && plain_name(next, true)) end = static_cast<size_t>(next.data() + next.size() - c.text.data());
    return Verdict{start, end, 0.85};
  }
  bool strong = name_phrase || lower.starts_with("mr") || lower.starts_with("mrs") ||
                lower.starts_with("ms") || lower.starts_with("dr") || lower.starts_with("prof");
  // "people call me Csanád", known or not; not "call me ASAP" or "call me Back".
  if (lower.starts_with("call me")) {
    if (names.IsCommonWord(word) || names.IsPlace(word) || std::all_of(word.begin(), word.end(), [](char b) { return IsUpper(b); }))
      return std::nullopt;
    strong = true;
  }
  if (!known && !strong) return std::nullopt;
  double confidence = strong ? 0.9 : 0.7;
  return Verdict{start, ext.end, confidence};
}

// A surname that is no English word, or a frequent one that is ("Vasquez", "Brown"; not the
// rare surnames "Full" and "Name").
bool SurnameNoWord(std::string_view w) {
  const NameLists& names = NameLists::Get();
  return names.IsSurname(w) && (!names.IsCommonWord(w) || names.IsCommonSurname(w));
}

// A middle initial: a capital, with or without a full stop ("C", "K.").
bool IsInitial(std::string_view w) {
  return (w.size() == 1 || (w.size() == 2 && w[1] == '.')) && IsUpper(static_cast<unsigned char>(w[0]));
}

// A capitalized word that may be a name the lists do not know: no stopword, English word,
// place or other proper noun, not all capitals ("ASAP"), two letters or more.
bool UnknownNameWord(std::string_view word) {
  const NameLists& names = NameLists::Get();
  // A compound that ends in a lower-case word is a field's name ("Requested-by").
  if (const size_t dash = word.rfind('-'); dash != std::string_view::npos && dash + 1 < word.size() &&
                                           std::islower(static_cast<unsigned char>(word[dash + 1])))
    return false;
  // A capital inside the word is a product's ("HarfBuzz", "GitHub"), but for a name's prefix
  // ("McKinstry", "MacArthur", "LaMont", "DeShawn", "DiCaprio").
  for (size_t k = 1; k < word.size(); ++k) {
    if (!IsUpper(static_cast<unsigned char>(word[k])) || !std::islower(static_cast<unsigned char>(word[k - 1]))) continue;
    if (!OneOf(word.substr(0, k), {"Mc", "Mac", "La", "Le", "De", "Di", "Da", "Du", "Van", "Von", "St"})) return false;
  }
  return word.size() >= 2 && !names.IsStopword(word) && !names.IsCommonWord(word) && !names.IsPlace(word) &&
         !names.IsOtherProperNoun(word) && !std::all_of(word.begin(), word.end(), [](char b) { return IsUpper(b) || b == '-' || b == '\''; });
}

// Trigger: a greeting or a sign-off, then a capitalized word ("Hi Enrico,", "Hello Mehrudin",
// "Thanks, Akifumi", "Thank you Dzhambek!", "Regards, Quionia"). The word there is a name even
// when the lists do not know it; a first name that is an English word too counts there ("Hi
// Mark"), but not the words people are greeted by that are no names ("Hi Team", "Hello World",
// "Thanks Again", "Hey Siri", "Hi Buddy").
std::optional<Verdict> ValidateNameAfterGreeting(const Candidate& c) {
  const NameLists& names = NameLists::Get();
  // The greeting starts the line or follows a blank, a quote or a mail quote's '>'; in lower case
  // it starts the line or a clause ("hi Enrico", "Done, thanks Bill"; not "Offset(Hi, Lo)" or
  // "const & hi, Pred p" in code).
  // (Walked back over blanks only: a long line of greetings stays linear.)
  size_t blank = c.start;
  while (blank > 0 && std::string_view(" \t>\"'").find(c.text[blank - 1]) != std::string_view::npos) --blank;
  const bool lead_blank = blank == 0 || c.text[blank - 1] == '\n';
  if (c.start > 0 && c.text[c.start - 1] != '\n' && blank == c.start) return std::nullopt;
  if (std::islower(static_cast<unsigned char>(c.text[c.start])) && !lead_blank &&
      !(c.start >= 2 && c.text[c.start - 1] == ' ' && std::string_view(",.!?;").find(c.text[c.start - 2]) != std::string_view::npos))
    return std::nullopt;
  const auto token = TokenAt(c.text, c.value_start);
  if (!token) return std::nullopt;
  std::string_view word = c.text.substr(token->start, token->end - token->start);
  const bool possessive = word.ends_with("'s");
  if (possessive) word.remove_suffix(2);
  while (!word.empty() && (word.back() == '\'' || word.back() == '-')) word.remove_suffix(1);  // "'Hello World'"
  if (word.empty()) return std::nullopt;
  const size_t word_end = token->start + word.size() + (possessive ? 2 : 0);
  if (OneOf(AsciiLower(word), {"sir", "madam", "love", "buddy", "honey", "babe", "man", "boss", "mate", "doc", "chief", "kitty",
                               "friend", "friends", "dear", "siri", "alexa", "cortana", "google", "guys", "folks", "all", "god"}))
    return std::nullopt;
  const bool first = names.IsFirstName(word) &&
                     !std::all_of(word.begin(), word.end(), [](char b) { return IsUpper(b); });  // "Hi ALL"
  // Else a word that is no English word ("Thanks Young" is none), of three letters or more unless
  // a surname ("Thanks Wu"; not "Offset(Hi, Lo)").
  if (!first && (!UnknownNameWord(word) || (word.size() < 3 && !names.IsSurname(word)))) return std::nullopt;
  const Extension ext = ExtendName(c.text, word_end);
  const bool known = first || names.IsSurname(word) || ext.surname;
  if (NamesAStreetOrFirm(c.text, c.value_start, ext.end)) return std::nullopt;
  return Verdict{c.value_start, ext.end, known ? 0.85 : 0.75};
}

// Trigger: a value under a key that names a person ("first_name":"Quionia", customer_name="Akifumi
// Tanaka", <lastName>Elomo</lastName>), in JSON, key=value logs, YAML and XML. Under a key for a
// person's name (first, last, full, given, family, customer, patient …), a word the lists do not
// know is a name when it is no English word; under "name" alone, which names products and hosts
// as often, two such words or a known name ("name":"John Smith", not "name":"Ubuntu" or
// "name":"Visual Studio").
std::optional<Verdict> ValidateNameAfterKey(const Candidate& c) {
  const NameLists& names = NameLists::Get();
  size_t key_start = c.start;
  while (key_start > 0 && (std::isalpha(static_cast<unsigned char>(c.text[key_start - 1])) || c.text[key_start - 1] == '_' ||
                           c.text[key_start - 1] == '-'))
    --key_start;
  if (key_start > 0 && IsWordByte(static_cast<unsigned char>(c.text[key_start - 1]))) return std::nullopt;
  std::string key;
  for (char b : c.text.substr(key_start, c.start + 4 - key_start))
    if (b != '_' && b != '-') key += static_cast<char>(std::tolower(static_cast<unsigned char>(b)));
  const std::string_view prefix = std::string_view(key).substr(0, key.size() - 4);
  const bool generic = prefix.empty();
  if (!generic && !OneOf(prefix, {"first", "last", "full", "given", "family", "middle", "maiden", "sur", "customer", "contact", "real",
                                  "legal", "holder", "cardholder", "owner", "patient", "employee", "person", "client", "recipient",
                                  "sender", "billing", "shipping", "buyer", "member", "applicant", "guest", "user", "account"}))
    return std::nullopt;
  // A quoted value ends at its quote ("name = 'Gettext Catalog'").
  size_t value_end = c.value_end;
  if (const char open = c.text[c.value_start - 1]; open == '"' || open == '\'')
    value_end = std::min(value_end, c.text.substr(0, value_end).find(open, c.value_start));
  int count = 0;
  bool known = false;
  size_t end = c.value_start;
  for (size_t at = c.value_start; at < value_end;) {
    size_t stop = c.text.substr(0, value_end).find(' ', at);  // within the value: a line of JSON may hold no blank
    if (stop == std::string_view::npos) stop = value_end;
    std::string_view w = c.text.substr(at, stop - at);
    at = stop + 1;
    while (!w.empty() && (w.back() == '\'' || w.back() == '.' || w.back() == '-')) w.remove_suffix(1);
    if (w.empty()) break;
    if (count > 0 && IsInitial(w)) continue;
    const bool lower = std::islower(static_cast<unsigned char>(w[0])) != 0;
    if (lower && generic) break;  // "name = pj_get_param_s(…)", name="footer"
    if (static_cast<unsigned char>(w[0]) >= 0x80 && CapitalAt(reinterpret_cast<const unsigned char*>(w.data()), w.size()) == 0) break;
    const bool is_known = (names.IsFirstName(w) || names.IsSurname(w)) && (!names.IsCommonWord(w) || names.IsCommonSurname(w) ||
                                                                           (!generic && !lower));
    // In lower case only a known name that is no English word ("first_name":"quionia" is none).
    if (lower ? !(is_known && !names.IsCommonWord(w) && !names.IsPlace(w)) : !(is_known || UnknownNameWord(w))) break;
    known = known || is_known;
    ++count;
    end = static_cast<size_t>(w.data() + w.size() - c.text.data());
  }
  // Under "name" alone, one word only when it is a frequent first name (not "Imm", "English").
  if (count == 0 || (generic && count < 2 && !names.IsTriggerFirstName(c.text.substr(c.value_start, end - c.value_start))))
    return std::nullopt;
  if (NamesAStreetOrFirm(c.text, c.value_start, end)) return std::nullopt;
  return Verdict{c.value_start, end, known ? (generic ? 0.85 : 0.9) : (generic ? 0.7 : 0.8)};
}

// Trigger: a sign-off that ends its line ("Best regards,", "Thanks,"), the name on the line
// after it alone ("Quionia" or "Quionia Vasquez", two or three words, a middle initial among
// them). Not where each line is a record of its own (a table's values), nor after prose ("at
// best,", "… and thanks,": more than three words before it), nor a team or a firm ("The
// Support Team": an English word that is no first name).
std::optional<Verdict> ValidateSignature(const Candidate& c) {
  const std::string_view t = c.text;
  if (c.records || !ContextStartsAWord(c)) return std::nullopt;
  size_t line = c.start;  // the line's start, 25 bytes back at most: a long line stays linear
  while (line > 0 && c.start - line <= 24 && t[line - 1] != '\n') --line;
  const std::string_view lead = t.substr(line, c.start - line);
  if (lead.size() > 24 || std::count(lead.begin(), lead.end(), ' ') > 3 ||
      std::any_of(lead.begin(), lead.end(), [](char b) { return std::isdigit(static_cast<unsigned char>(b)) || b == ',' || b == '.'; }))
    return std::nullopt;
  size_t at = c.end;
  while (at < t.size() && (t[at] == ' ' || t[at] == '\t' || t[at] == '\r')) ++at;
  if (at >= t.size() || t[at] != '\n') return std::nullopt;
  ++at;
  while (at < t.size() && (t[at] == ' ' || t[at] == '\t')) ++at;
  size_t end = at;
  while (end < t.size() && t[end] != '\n' && t[end] != '\r') ++end;
  const size_t name_start = at;
  size_t name_end = end;
  while (name_end > name_start && (t[name_end - 1] == ' ' || t[name_end - 1] == '\t')) --name_end;
  const std::string_view name = t.substr(name_start, name_end - name_start);
  if (name.empty() || name.size() > 64 || CapitalAt(reinterpret_cast<const unsigned char*>(name.data()), name.size()) == 0)
    return std::nullopt;
  const NameLists& names = NameLists::Get();
  int words = 0;
  bool known = false;
  for (size_t k = 0; k < name.size();) {
    size_t stop = name.find(' ', k);
    if (stop == std::string_view::npos) stop = name.size();
    const std::string_view w = name.substr(k, stop - k);
    k = stop + 1;
    if (w.empty()) return std::nullopt;
    if (words > 0 && IsInitial(w)) continue;
    if (!std::all_of(w.begin(), w.end(), [](char b) { return IsNameByte(static_cast<unsigned char>(b)); }) ||
        CapitalAt(reinterpret_cast<const unsigned char*>(w.data()), w.size()) == 0)
      return std::nullopt;
    const bool first_name = names.IsFirstName(w) && !std::all_of(w.begin(), w.end(), [](char b) { return IsUpper(b); });
    const bool surname = words > 0 && SurnameNoWord(w);
    if (!first_name && !surname && !UnknownNameWord(w)) return std::nullopt;
    known = known || first_name || surname;
    if (++words > 3) return std::nullopt;
  }
  if (NamesAStreetOrFirm(t, name_start, name_end)) return std::nullopt;
  return Verdict{name_start, name_end, known ? 0.85 : 0.75};
}

// Trigger: capitalized words right before an email address in angle brackets, the display name
// of an address ("Nikos Mavrogiannopoulos <nmav@gnutls.org>", "From: \"Rubija Liberšar\"
// <r@…>"). Words that lead it and are no names are left out ("Thanks To Alan Smith <…>"); what
// remains is a name when every word is a known name or a capitalized word that is no English
// word, one of them has lower case, and it is two words or a known one ("GitHub <noreply@…>",
// "Debian Bug Tracking System <…>" and "Travis CI <…>" are none).
std::optional<Verdict> ValidateDisplayName(const Candidate& c) {
  const NameLists& names = NameLists::Get();
  std::vector<std::pair<size_t, size_t>> words;
  for (size_t at = c.value_start; at < c.value_end;) {
    size_t end = c.text.substr(0, c.value_end).find(' ', at);
    if (end == std::string_view::npos) end = c.value_end;
    words.emplace_back(at, end);
    at = end + 1;
  }
  // A word without the particle's letter and apostrophe that may lead it ("d'Itri").
  auto word_of = [&](size_t k) {
    std::string_view w = c.text.substr(words[k].first, words[k].second - words[k].first);
    if (w.size() > 2 && w[1] == '\'' && std::islower(static_cast<unsigned char>(w[0]))) w.remove_prefix(2);
    return w;
  };
  auto particle = [&](size_t k) {
    return std::islower(static_cast<unsigned char>(c.text[words[k].first])) && word_of(k).size() == words[k].second - words[k].first;
  };
  // A known name; an English word only as a first name or a frequent surname ("Mark Brown", not
  // "Full Name <email@addr>").
  auto known = [&](std::string_view w) {
    return names.IsFirstName(w) || SurnameNoWord(w);
  };
  auto initial = [&](size_t k) { return IsInitial(word_of(k)); };
  // Words before the name: no names, or English words before two or more more ("Author Balbir
  // Singh <…>"; "Will Cohen" and "Grant R. Guenther" are names).
  auto leads = [&](size_t k) {
    const std::string_view w = word_of(k);
    // An article or a determiner, though the SSA list has "The" and "An" as first names ("The
    // Dragon <…>", "Our Team wrote:").
    if (OneOf(w, {"The", "A", "An", "Our", "Your", "My", "This", "That", "Some", "Any", "Every", "No"})) return true;
    if ((names.IsStopword(w) && !names.IsFirstName(w)) || (!known(w) && !UnknownNameWord(w))) return true;
    size_t after = 0;
    for (size_t j = k + 1; j < words.size(); ++j) after += !initial(j) && !particle(j);
    return names.IsCommonWord(w) && after >= 2 && !names.IsTriggerFirstName(w);
  };
  size_t first = 0;
  while (first < words.size() && leads(first)) ++first;
  // Not the end of a path or a word ("GNU/Linux <…>").
  if (first == 0 && c.value_start > 0 && (IsWordByte(static_cast<unsigned char>(c.text[c.value_start - 1])) ||
                                          std::string_view("/-.@").find(c.text[c.value_start - 1]) != std::string_view::npos))
    return std::nullopt;
  if (first == words.size()) return std::nullopt;
  if (const std::string_view w = word_of(first); CapitalAt(reinterpret_cast<const unsigned char*>(w.data()), w.size()) == 0)
    return std::nullopt;
  bool any_known = false, any_lower = false;
  size_t count = 0;
  for (size_t k = first; k < words.size(); ++k) {
    if (particle(k)) continue;
    std::string_view w = word_of(k);
    if (w.ends_with('\'')) return std::nullopt;  // a nickname in quotes ("Paul 'Rusty' Russell")
    if (k > first && OneOf(w, {"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})) continue;
    if (initial(k) && k > first && k + 1 < words.size()) continue;  // "Junio C Hamano", "Donal K. Fellows"
    const bool all_upper = std::all_of(w.begin(), w.end(), [](char b) { return !std::islower(static_cast<unsigned char>(b)); });
    // After a particle, a surname even when it is an English word ("Willemine ten Pas").
    const bool is_known = (known(w) || (k > first && particle(k - 1))) && !(all_upper && w.size() <= 3);
    if (!is_known && (!UnknownNameWord(w) && !(all_upper && w.size() > 3 && !names.IsCommonWord(w)))) return std::nullopt;
    any_known = any_known || is_known;
    any_lower = any_lower || !all_upper;
    ++count;
  }
  if (!any_lower || (count < 2 && !any_known)) return std::nullopt;
  if (count == 1 && names.IsCommonWord(word_of(first))) return std::nullopt;
  if (NamesAStreetOrFirm(c.text, words[first].first, c.value_end)) return std::nullopt;
  return Verdict{words[first].first, c.value_end, any_known ? 0.9 : 0.8};
}

// Trigger: a mail's quote attribution, the name before its verb ("On Tue, Mar 3, 2020 at 10:14
// AM Quionia Vasquez wrote:", "> Enrico wrote:", "Le 3 mars 2020 à 10:14, Akifumi Tanaka a
// écrit :") or after "schrieb" ("Am 03.03.2020 um 10:14 schrieb Rubija Liberšar:"). The line
// holds nothing else before the name but quote marks ('>'), a date's lead (a word that opens one,
// "On", "Le", "Am" …, and a digit) or a label and ': ' ("* Lib/smtplib.py: Per Cederqvist
// writes:"). The name's words are read as a display name's (no firm, no English words but
// names; words before it, like "AM", left out).
std::optional<Verdict> ValidateQuoteAttribution(const Candidate& c) {
  size_t line = c.start;
  while (line > 0 && c.start - line <= 160 && c.text[line - 1] != '\n') --line;
  if (line > 0 && c.text[line - 1] != '\n') return std::nullopt;
  std::string_view lead = c.text.substr(line, c.start - line);
  while (!lead.empty() && (lead.front() == '>' || lead.front() == ' ' || lead.front() == '\t')) lead.remove_prefix(1);
  if (!lead.empty() && !lead.ends_with(": ")) {  // a label before it ("* Lib/smtplib.py: Per Cederqvist writes:")
    const bool date = std::any_of(lead.begin(), lead.end(), [](char b) { return std::isdigit(static_cast<unsigned char>(b)); });
    if (!date || !(lead.starts_with("On ") || lead.starts_with("Le ") || lead.starts_with("El ") || lead.starts_with("Op ") ||
                   lead.starts_with("Il ") || lead.starts_with("Am ") || lead.starts_with("Den ") || lead.starts_with("W dniu ")))
      return std::nullopt;
  }
  return ValidateDisplayName(c);
}

}  // namespace

std::string_view SurnameToFollow(std::string_view name) {
  const size_t space = name.rfind(' ');
  if (space == std::string_view::npos) return {};
  std::string_view last = name.substr(space + 1);
  if (last.ends_with("'s")) last.remove_suffix(2);
  const NameLists& names = NameLists::Get();
  if (last.size() < 3 || CapitalAt(reinterpret_cast<const unsigned char*>(last.data()), last.size()) == 0 ||
      names.IsStopword(last) || names.IsCommonWord(last) || names.IsPlace(last) || names.IsOtherProperNoun(last))
    return {};
  return last;
}

size_t SpeakerLabelEnd(std::string_view text, size_t line_start) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  if (line_start >= text.size() || CapitalAt(s + line_start, text.size() - line_start) == 0) return 0;
  size_t end = line_start;
  while (end < text.size() && end - line_start <= 24 && (std::isalpha(s[end]) || s[end] >= 0x80)) ++end;
  if (end - line_start < 3 || end - line_start > 24 || end >= text.size() || text[end] != ':') return 0;
  const std::string_view word = text.substr(line_start, end - line_start);
  const NameLists& names = NameLists::Get();
  if (names.IsStopword(word) || names.IsCommonWord(word) || names.IsPlace(word) || names.IsOtherProperNoun(word)) return 0;
  return end;
}

size_t PairRetryAt(std::string_view text, size_t start, size_t end) {
  const size_t space = text.substr(0, end).find(' ', start);
  if (space == std::string_view::npos) return space;
  const std::string_view first = text.substr(start, space - start);
  // The next pair's first word: a particle is no name's start ("Rue De La Gare").
  size_t second = space + 1;
  while (second < end && text[second] != ' ') ++second;
  const NameLists& names = NameLists::Get();
  return second - space > 3 && (names.IsStopword(first) || names.IsCommonWord(first)) ? space : std::string_view::npos;
}

namespace {

// --- others ---------------------------------------------------------------------------------

// The value is one piece of a longer run of numbers: next to a decimal point ("1215.028 1220.29"
// in an SVG path, "4.04 2021-12-17"), or, joined by a separator it uses itself, next to a group as long as its own
// first or last one ("10 00 05 00 00 00 00 00" in a hex dump) or glued to letters ("xf86-012804-
// 2330"). A dialling prefix ("001-518-640-0854") or a country code ("21 284 698 2548") before it
// is part of the number, as is a shorter number after it ("call 555 1234 10 times").
bool InLongerChain(const Candidate& c) {
  const std::string_view v = c.value(), t = c.text;
  auto digit = [](char b) { return b >= '0' && b <= '9'; };
  auto letter = [](char b) { return std::isalpha(static_cast<unsigned char>(b)) != 0; };
  auto joins = [&](char b) { return (b == '-' || b == ' ' || b == '/') && v.find(b) != std::string_view::npos; };
  size_t first = 0, last = 0;  // the value's first and last digit groups
  while (first < v.size() && digit(v[first])) ++first;
  while (last < v.size() && digit(v[v.size() - 1 - last])) ++last;
  if (c.value_start >= 2 && digit(t[c.value_start - 2])) {
    const char sep = t[c.value_start - 1];
    if (sep == '.') return true;
    if (joins(sep)) {
      size_t group = c.value_start - 1;
      while (group > 0 && digit(t[group - 1])) --group;
      const size_t len = c.value_start - 1 - group;
      const bool dialling = len >= 3 && t.substr(group, 2) == "00";
      if ((group > 0 && letter(t[group - 1])) || (!dialling && len == first)) return true;
    }
  }
  if (c.value_end + 1 < t.size() && digit(t[c.value_end + 1])) {
    const char sep = t[c.value_end];
    if (sep == '.') return true;
    if (joins(sep)) {
      size_t end = c.value_end + 1;
      while (end < t.size() && digit(t[end])) ++end;
      if ((end < t.size() && letter(t[end])) || end - c.value_end - 1 == last) return true;
    }
  }
  return false;
}

// The value is part of a longer run of hex pairs joined by `sep` ("…:3A:6A:" before it, ":2A…"
// after it): a certificate's fingerprint or serial. A key before it ("mac:00:1a:…") is none.
bool InHexPairRun(const Candidate& c, char sep) {
  const std::string_view t = c.text;
  auto hex = [&](size_t at) { return std::isxdigit(static_cast<unsigned char>(t[at])) != 0; };
  const size_t at = c.value_start;
  if (at >= 3 && t[at - 1] == sep && hex(at - 2) && hex(at - 3) &&
      (at == 3 || !std::isalnum(static_cast<unsigned char>(t[at - 4]))))
    return true;
  return c.value_end + 1 < t.size() && t[c.value_end] == sep && hex(c.value_end + 1);
}

// A word or the rest of a number glued on after the value by '.' ("50425858518481.7497…",
// "<9302181759.AA25477"); a sentence's full stop is followed by a space or nothing.
bool GluedOnByDot(const Candidate& c) {
  return c.value_end + 1 < c.text.size() && c.text[c.value_end] == '.' &&
         std::isalnum(static_cast<unsigned char>(c.text[c.value_end + 1]));
}

// A number glued to a path, an anchor, a slug or an id key: an identifier, not a card or a tax
// number ("oss-fuzz.com/testcase-detail/5390364397928448", "#issuecomment-933531978",
// "check_run_id=930572217"; "card=4111111111111111" is kept).
bool GluedToIdentifier(const Candidate& c) {
  const std::string_view t = c.text;
  if (c.value_end < t.size() && (t[c.value_end] == '/' || t[c.value_end] == '_')) return true;
  if (GluedOnByDot(c)) return true;  // the whole part of a decimal, or an id with more after it
  if (c.value_start == 0) return false;
  const char before = t[c.value_start - 1];
  if (before == '/' || before == '#' || before == '-') return true;
  // The fraction of a decimal ("-115.5833333333333"); "No.4111…" is kept.
  if (before == '.' && c.value_start >= 2 && std::isdigit(static_cast<unsigned char>(t[c.value_start - 2]))) return true;
  if (before != '=') return false;
  const std::string key = AsciiLower(WordOf(t, c.value_start - 1));
  return key == "id" || key.ends_with("id");
}

// Whether a number is a phone number; `labelled` when its line or the line above names it one
// (the rules with the label in their match).
std::optional<Verdict> PhoneVerdict(const Candidate& c, bool labelled) {
  // The rule that matches a phone word before the number (its value is a capture): the word is
  // whole, "tel" but not "telemetry 1234567", "call" but not "called 8675309 times".
  if (!labelled && c.value_start > c.start) {
    if (!ContextStartsAWord(c)) return std::nullopt;
    size_t end = c.start;
    while (end < c.value_start && std::isalpha(static_cast<unsigned char>(c.text[end]))) ++end;
    static constexpr std::string_view kWords[] = {"phone", "phones", "telephone", "tel",  "mobile",    "cell",
                                                  "cellphone", "fax", "call", "calling", "answering", "dial", "whatsapp"};
    const std::string word = AsciiLower(c.text.substr(c.start, end - c.start));
    if (std::find(std::begin(kWords), std::end(kWords), word) == std::end(kWords)) return std::nullopt;
  }
  std::string_view v = c.value();
  // The number without its extension ("x769", " ext. 12"), which stays in the finding's span.
  // (std::find_if, not find_first_of: libstdc++'s searches the set with a memchr per byte, a
  // tenth of a table scan's phone column.)
  if (auto ext = std::find_if(v.begin(), v.end(), [](char b) { return b == 'x' || b == 'e'; }); ext != v.end()) {
    v = v.substr(0, static_cast<size_t>(ext - v.begin()));
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  }
  std::string d = Digits(v);
  if (d.size() < 7) return std::nullopt;
  // A piece of a longer run of numbers, separators mixed ("252.227-7014", a clause's number) or
  // the shape of a ZIP+4 ("02110-1301"): no phone number.
  if (InLongerChain(c)) return std::nullopt;
  // Glued to a word by '-', '/', '#' or '_': an identifier ("CVE-2024-58095", "bug#4155552671").
  if (c.value_start >= 2 && std::string_view("-/#_").find(c.text[c.value_start - 1]) != std::string_view::npos &&
      std::isalpha(static_cast<unsigned char>(c.text[c.value_start - 2])))
    return std::nullopt;
  if (v.find('.') != std::string_view::npos && v.find('-') != std::string_view::npos) return std::nullopt;
  // Glued on by '.' ("<9302181759.AA25477"), or after "ISBN".
  if (GluedOnByDot(c)) return std::nullopt;
  if (ContextBefore(c.text, c.value_start, {"isbn"}, 16)) return std::nullopt;
  // One '.' and no other separator is a decimal ("304800.6096"); dotted numbers have two or more.
  if (std::count(v.begin(), v.end(), '.') == 1 && v.find_first_of(" -/()") == std::string_view::npos) return std::nullopt;
  if (v.size() == 10 && d.size() == 9 && v[5] == '-') return std::nullopt;
  // "+41 (0)69 …": the bracketed trunk zero is not dialled after a country code.
  if (size_t trunk = v.find("(0)"); trunk != std::string_view::npos && !v.empty() && v[0] == '+')
    d = Digits(v.substr(0, trunk)) + Digits(v.substr(trunk + 3));
  // Before the number itself: a rule that matches its phone word too has it there.
  // " number", not the "number" of "parse_number" or "hljs-number".
  bool context = labelled || ContextBefore(c.text, c.value_start, {"phone", "tel", "mobile", "cell", "call", "fax", "sms", "whatsapp", "contact",
                                                                " number", "number:", "messag", "answering", "dial", "reach me"});
  if (!v.empty() && v[0] == '+') return Accept(c, E164Plausible(d), context ? 0.95 : 0.85);
  if (d.size() == 11 && d[0] == '1') return Accept(c, NanpValid(d.substr(1)), context ? 0.9 : 0.7);
  // Dates and times written with dots or slashes are not phone numbers, nor dates written with
  // dashes or dots ("call on 2024-11-29").
  if (v.find('/') != std::string_view::npos && d.size() <= 8) return std::nullopt;
  if (d.size() == 8 && v.size() == 10 &&
      (((v[4] == '-' || v[4] == '.') && v[7] == v[4]) || ((v[2] == '-' || v[2] == '.') && v[5] == v[2])))
    return std::nullopt;
  bool separated = std::any_of(v.begin(), v.end(), [](char b) {
    return b == ' ' || b == '.' || b == '-' || b == '(' || b == ')' || b == '/';
  });
  if (d.size() == 10 && d[0] != '0' && NanpValid(d)) return ValueVerdict(c, context ? 0.9 : (separated ? 0.75 : 0.45));
  if (d[0] == '0' && d.size() >= 9 && d.size() <= 12) return ValueVerdict(c, context ? 0.9 : (separated ? 0.65 : 0.4));
  if (d.size() >= 7 && d.size() <= 11 && separated) return ValueVerdict(c, context ? 0.85 : 0.4);
  if (d.size() >= 7 && d.size() <= 12 && context) return ValueVerdict(c, 0.8);
  return std::nullopt;
}

std::optional<Verdict> ValidatePhone(const Candidate& c) { return PhoneVerdict(c, false); }

// The words that label a phone number on the line above it or name its kind after it, lower case.
bool IsPhoneLabelWord(std::string_view word) {
  static constexpr std::string_view kWords[] = {"phone", "phones", "telephone", "tel", "mobile", "cell", "cellphone", "fax"};
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
}

// A number alone on its line (the match, its blanks around it) under a line that is only its
// label: "Phone:", "Mobile phone", "Tel.", "Fax number:" — a phone word, whole, at most one word
// after it ("number", "no", "#"), then blanks and punctuation to the line's end, and no digits.
// Not in records, where the line above is another record. The label's word ends within 20 bytes
// of its line's end, which the rule's prefilter holds it to.
// The line above a match that starts a line, in ASCII lower case, when it can be a label: at
// most 40 bytes and no digits; not in records, where the line above is another record.
std::optional<std::string> LabelLineAbove(const Candidate& c) {
  if (c.records || c.start < 2 || c.text[c.start - 1] != '\n') return std::nullopt;
  const size_t label_end = c.start - 1;
  size_t label_start = c.text.rfind('\n', label_end - 1);
  label_start = label_start == std::string_view::npos ? 0 : label_start + 1;
  const std::string_view label = c.text.substr(label_start, label_end - label_start);
  if (label.size() > 40 || std::any_of(label.begin(), label.end(), [](char b) { return std::isdigit(static_cast<unsigned char>(b)); }))
    return std::nullopt;
  return AsciiLower(label);
}

std::optional<Verdict> ValidatePhoneUnderLabel(const Candidate& c) {
  const std::optional<std::string> label = LabelLineAbove(c);
  if (!label) return std::nullopt;
  const std::string& lower = *label;
  // The words of the label, letters only; the last one or the one before it is the phone word.
  std::vector<std::pair<size_t, size_t>> words;
  for (size_t k = 0; k < lower.size();) {
    if (!std::isalpha(static_cast<unsigned char>(lower[k]))) {
      ++k;
      continue;
    }
    size_t e = k;
    while (e < lower.size() && std::isalpha(static_cast<unsigned char>(lower[e]))) ++e;
    words.emplace_back(k, e);
    k = e;
  }
  if (words.empty() || words.size() > 3) return std::nullopt;
  auto word = [&](size_t i) { return std::string_view(lower).substr(words[i].first, words[i].second - words[i].first); };
  size_t phone_word = words.size() - 1;
  if (!IsPhoneLabelWord(word(phone_word))) {
    const std::string_view last = word(phone_word);
    if (phone_word == 0 || (last != "number" && last != "no" && last != "nr")) return std::nullopt;
    --phone_word;
    if (!IsPhoneLabelWord(word(phone_word))) return std::nullopt;
  }
  // Whole words: nothing but blanks, ':' '.' '#' '-' '(' ')' '*' between and after them.
  for (char b : lower)
    if (!std::isalpha(static_cast<unsigned char>(b)) && std::string_view(" \t\r:.#-()*").find(b) == std::string_view::npos)
      return std::nullopt;
  if (lower.size() - words[phone_word].second > 20) return std::nullopt;
  return PhoneVerdict(c, true);
}

// A North American number wrapped after its area code, as a paragraph laid out on a page or a
// mail wrapped at 72 columns breaks it ("… call you on (415)" above "555-0132."): the local
// number at its line's start, under a line that ends with the area code in parentheses. The
// finding spans both, from the '(' (its line and column), read as one number ("(415)\n555-0132").
std::optional<Verdict> ValidatePhoneWrapped(const Candidate& c) {
  if (c.records || c.start < 2 || c.text[c.start - 1] != '\n') return std::nullopt;
  size_t end = c.start - 1;  // the line above, without its line break and trailing blanks
  if (c.text[end - 1] == '\r') --end;
  while (end > 0 && (c.text[end - 1] == ' ' || c.text[end - 1] == '\t')) --end;
  if (end < 5 || c.text[end - 1] != ')' || c.text[end - 5] != '(' || c.text[end - 4] < '2') return std::nullopt;
  // Not an argument or an index ("f(312)", "a[i](312)").
  if (end > 5 && (std::isalnum(static_cast<unsigned char>(c.text[end - 6])) || std::string_view("_])").find(c.text[end - 6]) != std::string_view::npos))
    return std::nullopt;
  for (size_t k = end - 4; k < end - 1; ++k)
    if (!std::isdigit(static_cast<unsigned char>(c.text[k]))) return std::nullopt;
  Candidate whole = c;
  whole.start = whole.value_start = end - 5;
  return PhoneVerdict(whole, false);
}

// A number followed by the kind of phone it is ("781 1704 office", "930.167.3943 fax"): the word
// ends the line or a list's item, so "the 2023 2024 cell count" is none.
std::optional<Verdict> ValidatePhoneKindAfter(const Candidate& c) {
  size_t k = c.end;
  while (k < c.text.size() && (c.text[k] == ' ' || c.text[k] == '\t')) ++k;
  if (k < c.text.size() && std::string_view("\r\n,;)|").find(c.text[k]) == std::string_view::npos) return std::nullopt;
  return PhoneVerdict(c, true);
}

std::optional<Verdict> ValidateEmail(const Candidate& c) {
  std::string_view v = c.value();
  size_t at = v.find('@');
  std::string_view local = v.substr(0, at), domain = v.substr(at + 1);
  if (local.empty() || local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return std::nullopt;
  if (domain.find("..") != std::string_view::npos || domain.front() == '-' || domain.front() == '.') return std::nullopt;
  // example.com and friends are documentation, not people.
  bool reserved = domain == "example.com" || domain == "example.org" || domain == "example.net" || domain.ends_with(".example") ||
                  domain.ends_with(".invalid") || domain.ends_with(".test") || domain == "localhost";
  return ValueVerdict(c, reserved ? 0.3 : 0.95);
}

std::optional<Verdict> ValidateIpv4(const Candidate& c) {
  std::string_view v = c.value();
  const std::optional<std::array<int, 4>> parts = Ipv4Octets(v);
  if (!parts) return std::nullopt;
  const std::array<int, 4>& octets = *parts;
  // Version strings: "v1.2.3.4", "version 10.0.0.1", "1.2.3.4.5" (pattern boundaries), OIDs.
  if (c.value_start > 0) {
    char prev = c.text[c.value_start - 1];
    if (prev == 'v' || prev == 'V' || prev == '.' || prev == '-') return std::nullopt;
  }
  if (c.value_end < c.text.size() && c.text[c.value_end] == '.' && c.value_end + 1 < c.text.size() &&
      std::isdigit(static_cast<unsigned char>(c.text[c.value_end + 1])))
    return std::nullopt;
  if (ContextBefore(c.text, c.value_start, {"version", "ver ", "release", "build", "oid", "upgrade", "update", "bump", "section"}, 24))
    return std::nullopt;
  const bool context = ContextBefore(c.text, c.value_start, {"ip", "addr", "client", "remote", "host"});
  // A version number ("Git 1.7.7.1", "dpkg (1.16.0.3)"): a first part of one digit and the
  // others below 20. Without an address word before it, no address; nor is 0.x.x.x one, 0.0.0.0
  // among them. (Section
  // numbers such as "27.4.4.1" stay: public addresses have small parts as often.)
  if (octets[0] == 0 || (!context && octets[0] < 10 && octets[1] < 20 && octets[2] < 20 && octets[3] < 20)) return std::nullopt;
  // This host, all hosts and multicast groups name no one. (The ranges kept for documentation
  // stay: examples, the example company's logs among them, use them for their customers'
  // addresses.)
  if (octets[0] == 127 || (octets[0] >= 224 && octets[0] <= 239) || v == "255.255.255.255")
    return ValueVerdict(c, 0.3);
  return ValueVerdict(c, context ? 0.95 : 0.85);
}

std::optional<Verdict> ValidateDob(const Candidate& c) {
  int age = AgeFromDate(c.value());
  return Accept(c, ContextStartsAWord(c) && age >= 0 && age <= 120, 0.9);
}

// A date alone on its line under a line that is its label, as forms lay them out ("Date of
// birth:" above "03/12/1987"): the label ends, but for blanks and punctuation, with "date of
// birth", "birth date", "birthday", "born" or "DOB", each a whole word, within 20 bytes of its
// line's end (the rule's prefilter holds it to that), and has no digits.
std::optional<Verdict> ValidateDobUnderLabel(const Candidate& c) {
  const std::optional<std::string> label = LabelLineAbove(c);
  if (!label) return std::nullopt;
  std::string_view l = *label;
  while (!l.empty() && std::string_view(" \t\r:.-*#").find(l.back()) != std::string_view::npos) l.remove_suffix(1);
  // Each phrase, and how many of its bytes follow the prefilter's words ("born", then " on").
  static constexpr std::pair<std::string_view, size_t> kPhrases[] = {
      {"date of birth", 0}, {"date_of_birth", 0}, {"birth date", 0}, {"birth_date", 0}, {"birthdate", 0},
      {"birthday", 0},      {"born", 0},          {"born on", 3},    {"dob", 0},        {"d.o.b", 0}};
  for (const auto& [phrase, after_words] : kPhrases) {
    if (!l.ends_with(phrase)) continue;
    const size_t at = l.size() - phrase.size();
    if (at > 0 && std::isalpha(static_cast<unsigned char>(l[at - 1]))) continue;  // "reborn", "newborn"
    if (label->size() - l.size() + after_words > 20) return std::nullopt;
    const int age = AgeFromDate(c.value());
    return Accept(c, age >= 0 && age <= 120, 0.9);
  }
  return std::nullopt;
}

// A value alone on its line under a line that is its label, as forms lay them out ("SSN:" above
// "536227000", "Passport No." above "X1234567"): the label ends, but for blanks and punctuation
// and perhaps a "number", "no", "num", "nr" or "#" word, with one of `bases` as whole words,
// and that base starts within 32 bytes of the line's end (the rules' prefilters hold their word
// to that), with no digits in the label. Whether the "number" word was there, or no base was.
enum class Label { kNone, kBare, kNumbered };
Label LabelAboveEndsWith(const Candidate& c, std::initializer_list<std::string_view> bases) {
  const std::optional<std::string> label = LabelLineAbove(c);
  if (!label) return Label::kNone;
  std::string_view l = *label;
  const auto trim = [&l](std::string_view blanks) {
    while (!l.empty() && blanks.find(l.back()) != std::string_view::npos) l.remove_suffix(1);
  };
  trim(" \t\r:.-*");
  // A base ends l, starting a word ('_' joins words, as \b takes them), within 32 bytes of the end.
  const auto ends_with_base = [&](std::string_view words) {
    return std::any_of(bases.begin(), bases.end(), [&](std::string_view base) {
      const size_t at = words.size() - std::min(words.size(), base.size());
      return words.ends_with(base) && (at == 0 || !(std::isalpha(static_cast<unsigned char>(words[at - 1])) || words[at - 1] == '_')) &&
             label->size() - at <= 32;
    });
  };
  if (ends_with_base(l)) return Label::kBare;  // "SS#" before its '#' is taken for a "number" word
  for (std::string_view word : {"number", "num", "nr", "no", "#"}) {
    const size_t at = l.size() - std::min(l.size(), word.size());
    if (l.ends_with(word) && (word == "#" || at == 0 || !std::isalpha(static_cast<unsigned char>(l[at - 1])))) {
      l.remove_suffix(word.size());
      trim(" \t_-.");
      return ends_with_base(l) ? Label::kNumbered : Label::kNone;
    }
  }
  return Label::kNone;
}

// Trigger: a latitude key and its value, then a longitude key and its (see the rules), the value
// one of the two. The match starts a word ("flat" holds no "lat"), and its first number is a
// latitude, its last a longitude, not both zero.
std::optional<Verdict> ValidateGeoKeys(const Candidate& c) {
  if (!ContextStartsAWord(c)) return std::nullopt;
  const std::string_view match = c.text.substr(c.start, c.end - c.start);
  const size_t lat_at = match.find_first_of("-0123456789");
  size_t lng_at = match.size();
  while (lng_at > 0 && (std::isdigit(static_cast<unsigned char>(match[lng_at - 1])) || match[lng_at - 1] == '.' || match[lng_at - 1] == '-'))
    --lng_at;
  if (lat_at == std::string_view::npos) return std::nullopt;
  const double lat = std::strtod(std::string(match.substr(lat_at)).c_str(), nullptr);
  const double lng = std::strtod(std::string(match.substr(lng_at)).c_str(), nullptr);
  if (lat < -90 || lat > 90 || lng < -180 || lng > 180 || (lat == 0 && lng == 0)) return std::nullopt;
  return ValueVerdict(c, 0.9);
}

std::optional<Verdict> ValidateGeo(const Candidate& c) {
  std::string_view v = c.value();
  size_t comma = v.find(',');
  auto parse = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return std::strtod(std::string(s).c_str(), nullptr);
  };
  double lat = parse(v.substr(0, comma)), lon = parse(v.substr(comma + 1));
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return std::nullopt;
  // Two of a longer list of decimals ("(towgs84,-199.87,74.79,246.62,1.9072,0.5129,-1.7596)", a
  // projection's parameters; "{0.7597, -0.00798324, -3.5971e-05}"), not a position: a decimal
  // next to it, joined by a comma. A CSV row's ids and times beside a position
  // ("1042,37.7749,-122.4194,1700000000") leave it one.
  auto token = [&](size_t from, size_t to) { return c.text.substr(from, to - from); };
  size_t before_end = c.value_start, after_start = c.value_end;
  while (before_end > 0 && c.text[before_end - 1] == ' ') --before_end;
  while (after_start < c.text.size() && c.text[after_start] == ' ') ++after_start;
  std::string_view left, right;
  if (before_end > 0 && c.text[before_end - 1] == ',') {
    size_t from = before_end - 1;
    while (from > 0 && c.text[from - 1] == ' ') --from;
    const size_t to = from;
    while (from > 0 && (std::isdigit(static_cast<unsigned char>(c.text[from - 1])) || c.text[from - 1] == '.' ||
                        c.text[from - 1] == '-' || c.text[from - 1] == 'e'))
      --from;
    left = token(from, to);
  }
  if (after_start < c.text.size() && c.text[after_start] == ',') {
    size_t from = after_start + 1;
    while (from < c.text.size() && c.text[from] == ' ') ++from;
    size_t to = from;
    while (to < c.text.size() && (std::isdigit(static_cast<unsigned char>(c.text[to])) || c.text[to] == '.' || c.text[to] == '-' ||
                                  c.text[to] == '+' || c.text[to] == 'e'))
      ++to;
    right = token(from, to);
  }
  auto decimal = [](std::string_view n) { return n.find('.') != std::string_view::npos && n.find_first_of("0123456789") != std::string_view::npos; };
  if (decimal(left) || decimal(right)) return std::nullopt;
  if (lat == 0 && lon == 0) return std::nullopt;
  return ValueVerdict(c, WithContext(c, 0.8, 0.95, {"lat", "location", "geo", "coord", "gps", "position"}));
}

std::optional<Verdict> ValidateUkPostcode(const Candidate& c) {
  return Accept(c, UkPostcodeValid(c.value()), WithContext(c, 0.7, 0.9, {"postcode", "post code", "address", "uk", "london"}));
}

bool HasDigit(std::string_view s) { return std::any_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }); }

std::optional<Verdict> ValidateCredential(const Candidate& c) {
  std::string_view v = c.value();
  std::string lower = AsciiLower(v);
  static constexpr std::string_view kPlaceholders[] = {"***", "xxx", "<", "${", "{{", "%s", "null", "none", "undefined",
                                                       "redacted", "removed", "hidden", "password", "secret", "true", "false",
                                                       "example"};
  for (std::string_view p : kPlaceholders)
    if (lower.find(p) != std::string::npos) return std::nullopt;
  // Code and prose, not a secret: a variable, an expression, a call or an index ("PWD:=$(strip …",
  // "= gnome_keyring_memory_strdup(value)"), the working directory ("PWD=/home/user"), an English
  // word that the sentence goes on after ("ext master secret: ensure we disable …").
  if (std::string_view("=$({[%`").find(v[0]) != std::string_view::npos || v.find_first_of("()[]") != std::string_view::npos ||
      v.back() == '}')
    return std::nullopt;
  // An expression: an operator after the value ("SEC_ERROR_BASE + 15").
  if (c.value_end + 2 < c.text.size() && c.text[c.value_end] == ' ' &&
      std::string_view("+-*|").find(c.text[c.value_end + 1]) != std::string_view::npos && c.text[c.value_end + 2] == ' ')
    return std::nullopt;
  // A declaration's type ("fPassword : string;", "password: PChar = 'x'"): a type's name, or a
  // word an assignment follows.
  if (OneOf(lower, {"string", "str", "int", "integer", "bool", "boolean", "char", "pchar", "text", "bytes", "varchar", "any",
                    "object", "optional"}))
    return std::nullopt;
  if (size_t after = c.value_end; after < c.text.size()) {
    while (after < c.text.size() && c.text[after] == ' ') ++after;
    if (after > c.value_end && after < c.text.size() && (c.text[after] == '=' || c.text.substr(after, 2) == ":="))
      return std::nullopt;
  }
  if (AsciiLower(c.text.substr(c.start, 3)) == "pwd" && (v[0] == '/' || v[0] == '~' || v[0] == '.')) return std::nullopt;
  if (NameLists::Get().IsCommonWord(v) && c.value_end + 1 < c.text.size() && c.text[c.value_end] == ' ' &&
      std::isalpha(static_cast<unsigned char>(c.text[c.value_end + 1])))
    return std::nullopt;
  return ValueVerdict(c, 0.85);
}

}  // namespace

RuleSet BuiltinRules(bool without_name_triggers) {
  RuleSet set;
  auto detector = [&](Detector d) {
    set.detectors.push_back(std::move(d));
    return static_cast<int>(set.detectors.size() - 1);
  };
  auto rule = [&](int det, std::string pattern, Validator v, double confidence = 0.8) -> Rule& {
    Rule& r = set.rules.emplace_back();
    r.detector = det;
    r.pattern = std::move(pattern);
    r.validate = std::move(v);
    r.confidence = confidence;
    return r;
  };
  // A rule that starts with a character class, not a literal (digit runs, capitalized words),
  // confirmed only on the lines where the gate (gate.h) finds its shape.
  auto class_rule = [&](Shape shape, int det, std::string pattern, Validator v, double confidence = 0.8) -> Rule& {
    Rule& r = rule(det, std::move(pattern), std::move(v), confidence);
    r.class_led = true;
    r.shape = shape;
    return r;
  };

  // A capital starts a word (names, streets): A-Z after a \b, or a Latin capital beyond ASCII
  // ("Željko Živković", "Éva", "Ørn") where the ASCII-only \b cannot see a word start, so after
  // no ASCII word byte.
  const std::string capital = "(?:\\b[A-Z]|\\B(?:" + Utf8CapitalsPattern() + "))";

  int email = detector({"email", "Email address", "user.contact.email", CcpaCategory::kA, "", {"email", "e_mail", "mail"}});
  rule(email, R"(\b[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9][A-Za-z0-9.-]{0,250}\.[A-Za-z]{2,24}\b)", ValidateEmail)
      .prefilter = {R"(@[A-Za-z0-9])"};  // two-byte literals: the database runs a third fewer instructions than for '@' alone

  int phone = detector({"phone", "Phone number", "user.contact.phone_number", CcpaCategory::kA, "",
                        {"phone", "mobile", "tel", "cell", "fax", "msisdn"}});
  // International: +CC and 6–14 more digits with common separators.
  // Both take an extension ("x769", " ext. 12").
  // Gated (kPlus), not a Vectorscan expression: on a column of such numbers its automaton ran
  // after every '+', half the literal database's instructions.
  class_rule(kPlus, phone, R"(\+[1-9][0-9]{0,2}(?:[ .-]?\(?0?\)?[ .-]?[0-9]{1,5}){2,6}(?: ?(?:x|ext\.?) ?[0-9]{1,5})?\b)",
             ValidatePhone);
  // North American: (415) 555-2671, 415-555-2671, 415.555.2671, 1-415-555-2671, 4155552671.
  class_rule(kNanp, phone,
             R"((?:\b1[ .-])?(?:\([2-9][0-9]{2}\) ?|\b[2-9][0-9]{2}[ .-]?)[2-9][0-9]{2}[ .-]?[0-9]{4}(?: ?(?:x|ext\.?) ?[0-9]{1,5})?\b)",
             ValidatePhone);
  // National numbers with a trunk 0 (UK, DE, FR, NL, BE, CH, AT, IT, AU, SE, JP, IN, IE …).
  class_rule(kTrunkZero, phone, R"(\b0[1-9][0-9]{0,4}(?:[ ./-]|\) ?)?[0-9]{2,4}(?:[ .-]?[0-9]{2,4}){1,3}\b)", ValidatePhone);
  rule(phone, R"(\(0?[1-9][0-9]{0,3}\) ?[0-9]{2,4}[ .-]?[0-9]{3,4}\b)", ValidatePhone);
  // Grouped digits without a trunk prefix (PL, ES, DK, NO: "737 219 628", "99 66 84 72").
  class_rule(kGrouped, phone, R"(\b[1-9][0-9]{1,2}(?: [0-9]{2,3}){2,3}\b)", ValidatePhone);
  // Bare digits after a phone word, or a local number in groups ("call me on 9472 7916",
  // "answering at 71-33-52-22").
  rule(phone,
       R"((?i:phone|tel|mobile|cell|fax|call|answering|dial|whatsapp)[^0-9\n]{0,20}([0-9]{7,12}|[0-9]{2,4}(?:[ .-][0-9]{2,6}){1,3})\b)",
       ValidatePhone);
  // The same numbers alone on their line, under a line that is their label ("Phone:" above
  // "467 3395"), as forms, signatures and PDF pages lay them out. The prefilter, across the
  // newline, ends on the number's line, which RE2 confirms.
  rule(phone, R"((?m)^[ \t]*([0-9]{7,12}|[0-9]{2,4}(?:[ .-][0-9]{2,6}){1,3})[ \t\r]*$)", ValidatePhoneUnderLabel)
      .prefilter = {R"((?i:phone|tel|mobile|cell|fax)[^0-9\n]{0,20}\n[ \t]*[0-9])"};
  // A North American number wrapped after its area code ("(415)" above "555-0132").
  rule(phone, R"((?m)^[ \t]*([2-9][0-9]{2}[ .-]?[0-9]{4})\b)", ValidatePhoneWrapped)
      .prefilter = {R"(\([2-9][0-9]{2}\)[ \t]*\r?\n[ \t]*[2-9][0-9]{2}[ .-]?[0-9]{4})"};
  // And with their kind after them ("781 1704 office", "930.167.3943 fax").
  rule(phone, R"(\b([0-9]{7,12}|[0-9]{2,4}(?:[ .-][0-9]{2,6}){1,3})[ \t]+(?i:office|fax|mobile|cell|phone)\b)", ValidatePhoneKindAfter)
      .prefilter = {R"([0-9][ \t]+(?i:office|fax|mobile|cell|phone)\b)"};

  int ssn = detector({"us_ssn", "US Social Security number", "user.government_id.national_identification_number",
                      CcpaCategory::kL, "government_id", {"ssn", "social_security", "socialsecurity"}});
  class_rule(kSsn, ssn, R"(\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b)", [](const Candidate& c) {
    return Accept(c, SsnValid(c.value()), WithContext(c, 0.85, 0.95, {"ssn", "social security", "social sec", "ss#", "taxpayer"}));
  });
  class_rule(kSsnSpaced, ssn, R"(\b[0-9]{3} [0-9]{2} [0-9]{4}\b)", [](const Candidate& c) {
    return Accept(c, SsnValid(c.value()), WithContext(c, 0.5, 0.9, {"ssn", "social security", "ss#"}));
  });
  rule(ssn, R"((?i:ssn|social[ _-]?security(?:[ _-]?number|[ _-]?no\.?)?|ss#)(?:[^0-9\n]{0,12}|[ \t:]{13,32})([0-9]{9})\b)", [](const Candidate& c) {
    return Accept(c, ContextStartsAWord(c) && SsnValid(c.value()), 0.9);
  });
  // Under its label ("SSN:" above "536227000"), as forms lay it out.
  rule(ssn, R"((?m)^[ \t]*([0-9]{9}|[0-9]{3}-[0-9]{2}-[0-9]{4}|[0-9]{3} [0-9]{2} [0-9]{4})[ \t\r]*$)", [](const Candidate& c) {
    return Accept(c, LabelAboveEndsWith(c, {"ssn", "ss#", "social security", "social_security", "social-security"}) != Label::kNone &&
                         SsnValid(c.value()),
                  0.9);
  }).prefilter = {R"((?i:ssn|ss#|social[ _-]?security)[^0-9\n]{0,32}\n[ \t]*[0-9])"};

  int itin = detector({"us_itin", "US Individual Taxpayer Identification Number", "user.government_id.national_identification_number",
                       CcpaCategory::kL, "government_id", {"itin", "taxpayer_id", "tin"}});
  // Nine digits run together are as often an id or a count: only with context.
  class_rule(kItin, itin, R"(\b9[0-9]{2}-?[5-9][0-9]-?[0-9]{4}\b)", [](const Candidate& c) {
    const bool bare = c.value().find('-') == std::string_view::npos;
    return Accept(c, ItinValid(c.value()) && !(bare && GluedToIdentifier(c)),
                  WithContext(c, bare ? 0.45 : 0.8, 0.95, {"itin", "taxpayer", "tin"}));
  });

  // Outside the US, after the scheme's name: the value's checksum says which country's it is.
  // The accented letters are exact bytes: RE2 would fold their Latin-1 case, Vectorscan not.
  int national = detector({"national_id", "National identity number", "user.government_id.national_identification_number",
                           CcpaCategory::kL, "government_id",
                           {"national_id", "nationalid", "national_insurance", "personnummer", "pesel", "nino", "cpf",
                            "social_insurance", "personal_id", "codice_fiscale", "codicefiscale", "fiscal_code", "identity_number"}});
  rule(national,
       R"(\b(?i:national id(?:entity|entification)?(?: number| no\.?| card)?|national insurance(?: number| no\.?)?|personal id(?:entity)? number|personnummer|cpr(?:-?nr\.?|-nummer)?|henkil(?:(?-i:\xc3\xb6)|o)tunnus|hetu|pesel|nino|social insurance number|cpf|nir|s(?:(?-i:\xc3\xa9)|e)curit(?:(?-i:\xc3\xa9)|e) sociale|codice fiscale|cod\. ?fisc\.|fiscal code|identity number|(?:rsa|sa|south african) id(?: number| no\.?)?))"
       R"([^0-9A-Za-z\n]{0,12}([0-9]{6}[-+A][0-9]{3}[0-9A-Y]|[0-9]{6}[-+]?[0-9]{4}|[0-9]{11}|[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{3}|)"
       R"([0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}|)"
       R"([12] ?[0-9]{2} ?[0-9]{2} ?(?:[0-9]{2}|2[AB]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}|[0-9]{6} ?[0-9]{4} ?[0-9]{3}|)"
       R"([A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]|)"
       R"([A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2}(?: ?[A-D])?)\b)",
       [](const Candidate& c) {
         std::string_view country = NationalIdCountry(c.value());
         // Denmark's has no check digit, only a date; still above a phone number's reading of it.
         return Accept(c, !country.empty(), country == "DK" ? 0.8 : 0.9);
       });

  int card = detector({"credit_card", "Payment card number", "user.financial.credit_card", CcpaCategory::kB, "",
                       {"card", "cc_number", "ccnumber", "pan", "credit"}});
  // Separated: groups of four with a last group of one to seven (4-4-5, 4-4-4-4, 4-4-4-4-3), or
  // Amex 4-6-5; unseparated runs are the next rule's.
  class_rule(kCardGroups, card, R"(\b[0-9]{4}(?:[ -][0-9]{4}){1,3}[ -][0-9]{1,7}\b|\b[0-9]{4}[ -][0-9]{6}[ -][0-9]{5}\b)", [](const Candidate& c) {
    return Accept(c, CardValid(c.value()), WithContext(c, 0.9, 0.99, {"card", "visa", "mastercard", "amex", "credit", "debit", "cc"}));
  });
  class_rule(kCardRun, card, R"(\b[0-9]{13,19}\b)", [](const Candidate& c) {
    // A serial number ("# Serial: 6643877497813316402"), not a card.
    const bool serial = ContextBefore(c.text, c.value_start, {"serial"}, 16);
    return Accept(c, CardValid(c.value()) && !GluedToIdentifier(c) && !serial,
                  WithContext(c, 0.9, 0.99, {"card", "visa", "mastercard", "amex", "credit", "debit", "cc"}));
  });
  // After a card word, any Luhn-valid run of 12-19 digits: Maestro's twelve-digit numbers, and
  // issuers the range table does not know yet.
  rule(card, R"((?i:card|credit|debit|cc)[^0-9\n]{0,24}([0-9]{12,19})\b)", [](const Candidate& c) {
    std::string_view v = c.value();
    bool one_digit = std::all_of(v.begin(), v.end(), [&](char ch) { return ch == v[0]; });
    return Accept(c, ContextStartsAWord(c) && !one_digit && LuhnValid(v), 0.85);
  });

  int iban = detector({"iban", "International Bank Account Number", "user.financial.bank_account", CcpaCategory::kB, "", {"iban"}});
  class_rule(kIban, iban, R"(\b[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?\b)", [](const Candidate& c) {
    return Accept(c, IbanValid(c.value()), 0.95);
  });

  int aba = detector({"aba_routing", "ABA routing number", "user.financial.bank_account", CcpaCategory::kB, "",
                      {"routing", "aba", "rtn"}});
  rule(aba, R"((?i:routing|aba|rtn|transit)[^0-9\n]{0,20}([0-9]{9})\b)", [](const Candidate& c) {
    return Accept(c, ContextStartsAWord(c) && AbaValid(c.value()), 0.95);
  });

  int bank = detector({"us_bank_account", "Bank account number", "user.financial.bank_account", CcpaCategory::kB, "",
                       {"account_number", "acct", "bank_account", "accountno"}});
  // A key's name as well ("account_number":"…", bankAccount=…). Here and for SSNs, passports
  // and driver's licences, a label's value may be up to 32 blanks away: the blanks that align a
  // form's or a fixed-width report's columns ("Bank account      000123456789" in a PDF's text
  // as laid out).
  rule(bank, R"((?i:bank[ _-]?account(?:[ _-]?(?:number|no))?|account[ _-]?(?:number|no\.?|#)|acct(?:\.|ount)?[ _-]?(?:number|no\.?|#)?)["']?[ \t:#=]{0,32}["']?([0-9]{6,17})\b)",
       [](const Candidate& c) { return Accept(c, true, 0.8); });
  // Under its label: "Bank account", or "Account number" / "Acct no." (not "Account" alone, a
  // customer's as often).
  rule(bank, R"((?m)^[ \t]*([0-9]{6,17})[ \t\r]*$)", [](const Candidate& c) {
    const Label bank_label = LabelAboveEndsWith(c, {"bank account", "bank_account", "bank-account", "bankaccount"});
    return Accept(c, bank_label != Label::kNone || LabelAboveEndsWith(c, {"account", "acct"}) == Label::kNumbered, 0.8);
  }).prefilter = {R"((?i:account|acct)[^0-9\n]{0,32}\n[ \t]*[0-9])"};

  int ipv4 = detector({"ipv4", "IPv4 address", "user.device.ip_address", CcpaCategory::kA, "", {"ip", "ip_address", "ipaddr", "remote_addr", "client_ip"}});
  class_rule(kIpv4, ipv4, R"(\b[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\b)", ValidateIpv4);
  int ipv6 = detector({"ipv6", "IPv6 address", "user.device.ip_address", CcpaCategory::kA, "", {"ip", "ipv6", "ip_address"}});
  // A valid address with three or more colons has "::" or eight groups (seven colons). The
  // compressed ones are found by their "::"; the eight-group ones by the gate (four colons one
  // to four hex digits apart), so that the colons of every log line's time do not wake the
  // literal database (a third of its time on the bench corpus, 2026-11-29).
  // An address runs on into a dotted or alphanumeric tail ("fe80::1.2", "a:b:c::dx"): no address.
  // Eight groups of two hex digits, or eight of a longer run of them, are bytes: a certificate's
  // fingerprint or serial ("0F:DA:72:01:C9:03:C5:3A:6A:…"), a key id.
  auto runs_on = [](const Candidate& c) {
    const std::string_view v = c.value();
    if (InHexPairRun(c, ':')) return true;
    if (v.size() == 23 && std::count(v.begin(), v.end(), ':') == 7) return true;
    return c.value_end < c.text.size() && (c.text[c.value_end] == '.' || std::isalnum(static_cast<unsigned char>(c.text[c.value_end])));
  };
  rule(ipv6, R"((?:\b[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){2,7}(?:\b|:))", [runs_on](const Candidate& c) {
    std::string_view v = c.value();
    if (runs_on(c)) return std::optional<Verdict>{};
    // Eight groups without "::" are the next rule's (its prefilter must be in every match).
    return Accept(c, Ipv6Valid(v) && std::count(v.begin(), v.end(), ':') >= 3 && v.find("::") != std::string_view::npos, 0.9);
  }).prefilter = {"::"};
  class_rule(kIpv6, ipv6, R"(\b[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}\b)", [runs_on](const Candidate& c) {
    if (runs_on(c)) return std::optional<Verdict>{};
    return Accept(c, Ipv6Valid(c.value()), 0.9);
  });

  int mac = detector({"mac_address", "MAC address", "user.device.device_id", CcpaCategory::kA, "", {"mac", "mac_address", "hwaddr"}});
  // Six of a longer run of hex pairs are a fingerprint's or a serial's bytes, not an address.
  class_rule(kMacColon, mac, R"(\b[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}\b)", [](const Candidate& c) {
    std::string_view v = c.value();
    return Accept(c, v != "00:00:00:00:00:00" && v != "ff:ff:ff:ff:ff:ff" && v != "FF:FF:FF:FF:FF:FF" && !InHexPairRun(c, ':'), 0.85);
  });
  // Joined by '-', only with a hex letter: twelve decimal digits in pairs are a path's numbers
  // or a date ("66-12-29-13-47-32" in an SVG).
  class_rule(kMacDash, mac, R"(\b[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}\b)", [](const Candidate& c) {
    const std::string_view v = c.value();
    const bool hex_letter = std::any_of(v.begin(), v.end(), [](char b) { return std::isalpha(static_cast<unsigned char>(b)) != 0; });
    return Accept(c, hex_letter && !InHexPairRun(c, '-'), 0.8);
  });
  // Three of a longer dotted run ("3210.9876.5432.1098.…") are no address.
  class_rule(kCisco, mac, R"(\b[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}\b)", [](const Candidate& c) {
    const bool runs = (c.value_start > 0 && c.text[c.value_start - 1] == '.') ||
                      (c.value_end + 1 < c.text.size() && c.text[c.value_end] == '.' &&
                       std::isxdigit(static_cast<unsigned char>(c.text[c.value_end + 1])));
    return Accept(c, !runs, 0.75);
  });

  int imei = detector({"imei", "IMEI device number", "user.device.device_id", CcpaCategory::kA, "", {"imei", "device_id"}});
  class_rule(kImei, imei, R"(\b[0-9]{2}-[0-9]{6}-[0-9]{6}-[0-9]\b)", [](const Candidate& c) { return Accept(c, LuhnValid(Digits(c.value())), 0.9); });
  rule(imei, R"((?i:imei)[^0-9\n]{0,12}([0-9]{15})\b)", [](const Candidate& c) {
    return Accept(c, ContextStartsAWord(c) && LuhnValid(c.value()), 0.95);
  });

  int iccid = detector({"iccid", "SIM card number (ICCID)", "user.device.device_id", CcpaCategory::kA, "", {"iccid", "sim"}});
  class_rule(kIccid, iccid, R"(\b89[0-9]{17,18}\b)", [](const Candidate& c) {
    return Accept(c, LuhnValid(c.value()), WithContext(c, 0.85, 0.95, {"iccid", "sim"}));
  });

  int dob = detector({"date_of_birth", "Date of birth", "user.demographic.date_of_birth", CcpaCategory::kA, "",
                      {"dob", "birth", "birthday", "born"}});
  constexpr std::string_view kDate =
      R"(([0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? [0-9]{1,2},? [0-9]{4}|[0-9]{1,2} (?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? [0-9]{4}))";
  // Between the words and the date, blanks and punctuation, or a few words that say the date is
  // the one: "date of birth is on file as 1987-03-12", "DOB was recorded as 03/12/1987".
  rule(dob,
       std::string(R"((?i:date[ _]of[ _]birth|birth[ _]?date|birthday|born(?: on)?|d\.?o\.?b\.?))"
                   R"((?: (?i:is|was|on|in|our|file|records?|recorded|listed|given|entered|stated|shown|as)){0,4}[^0-9A-Za-z\n]{0,12})") +
           std::string(kDate),
       ValidateDob);
  // The date alone on its line under its label ("Date of birth:" above "03/12/1987"). The
  // prefilter, across the newline, ends on the date's line, which RE2 confirms.
  rule(dob, R"((?m)^[ \t]*)" + std::string(kDate) + R"([ \t\r]*$)", ValidateDobUnderLabel).prefilter = {
      R"((?i:date[ _]of[ _]birth|birth[ _]?date|birthday|born|d\.?o\.?b)[^0-9\n]{0,20}\n[ \t]*[0-9A-Za-z])"};

  int street = detector({"us_street_address", "Street address", "user.contact.address.street", CcpaCategory::kA, "",
                         {"address", "street", "addr"}});
  // A house number, capitalized words and a street-type word: confirmed on the lines where the
  // gate finds a number before a capital (kHouseNumber). As a Vectorscan prefilter, the 36
  // street-type words cost the literal database an eighth of its instructions.
  class_rule(kHouseNumber, street,
             R"(\b[0-9]{1,6}(?: [A-Z][A-Za-z]+\.?){1,4} (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|)"
             R"(Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Crossing|Xing|Plaza|)"
             R"(Alley|Pike|Row|Walk)\b\.?(?:,? (?:Apt|Apartment|Suite|Ste|Unit|#)\.? ?[0-9A-Za-z-]{1,6}\b)?)",
             [](const Candidate& c) { return Accept(c, true, 0.85); });
  rule(street, R"(\b(?:Apt|Apartment|Suite|Ste|Unit)\.? [0-9]{1,5}[A-Za-z]?\b)", [](const Candidate& c) { return Accept(c, true, 0.6); });
  // After "address", a number and one to four words: "address: 1570 Blanshard".
  rule(street, R"((?i:address|addr|street)[ \t]*[:=#]?[ \t]*([0-9]{1,6}(?: [A-Za-z\x80-\xff][A-Za-z\x80-\xff'.-]*){1,4}))",
       ValidateStreetAfterContext);
  rule(street, R"(\b(?i:P\.? ?O\.? Box) [0-9]{1,6}\b)", [](const Candidate& c) { return Accept(c, true, 0.8); });

  // Streets written before the house number, as most of Europe and Latin America write them: a
  // capitalized word ending in a street word, or followed by one ("Mattenstrasse 108", "Koskikatu
  // 25", "Kossuth utca 5"); a street word that leads ("Via Pisanelli 104", "Rua do Arenque 1634",
  // "ul. Elbląska 97"); the French number first ("96 rue de Penthièvre"); and, after an address
  // word, any capitalized words and a number ("address: Männi 12"). Street words beyond ASCII are
  // written as their UTF-8 bytes, as both matchers see them.
  int intl_street = detector({"intl_street_address", "Street address (street, then number)", "user.contact.address.street",
                              CcpaCategory::kA, "", {"address", "street", "addr"}});
  {
    // The street words (gate.h), as written after the name: joined to it in lower case
    // ("Mattenstrasse"), or apart in lower case or capitalized ("Kossuth utca", "Prenzlauer Allee").
    std::string joined, apart;
    for (std::string_view ending : StreetWordEndings()) {
      std::string literal;
      for (unsigned char b : ending)
        literal += b >= 0x80 ? fmt::format("\\x{:02x}", b) : b == '.' ? std::string("\\.") : std::string(1, static_cast<char>(b));
      if (!joined.empty()) joined += '|', apart += '|';
      joined += literal;
      apart += literal;
      if (literal[0] >= 'a' && literal[0] <= 'z') {
        std::string capitalized = literal;
        capitalized[0] = static_cast<char>(capitalized[0] - 'a' + 'A');
        apart += '|';
        apart += capitalized;
      }
    }
    class_rule(kStreetWord, intl_street,
               "(" + capital + R"([a-z\x80-\xff]*(?:)" + joined + ")|" + capital + R"([a-z\x80-\xff]+ (?:)" + apart + R"()) [0-9]{1,4}[A-Za-z]?\b)",
               [](const Candidate& c) -> std::optional<Verdict> {
                 // "Brigade 2", "Spring 2026": an English word is no street.
                 const std::string_view street = c.value();
                 const NameLists& names = NameLists::Get();
                 if (street.find(' ') == std::string_view::npos && (names.IsCommonWord(street) || names.IsStopword(street)))
                   return std::nullopt;
                 return Verdict{c.start, c.end, 0.9};
               });
    // A particle between words: "Rua do Arenque", "Rue de l'Église", "Via della Spiga".
    const std::string words = "(?: (?:(?:de|del|della|delle|dei|degli|di|do|da|dos|das|du|des|la|le|les|el|l'|d') ?)*" + capital +
                              R"([A-Za-z\x80-\xff'.-]*){1,4})";
    const std::string leading =
        "(?:Via|Viale|Vicolo|Corso|Piazza|Piazzale|Piazzetta|Largo|Strada|Stradone|Rua|Avenida|Avda\\.|Travessa|Estrada|"
        "Pra\\xc3\\xa7a|Calle|C/|Carrer|Avinguda|Rambla|Camino|Paseo|Plaza|Ronda|Rue|Chemin|All\\xc3\\xa9e|Impasse|Quai|ul\\.|"
        "Ulica|Al\\.|Aleja|Pl\\.|Odos|Leoforos)";
    rule(intl_street, R"(\b)" + leading + words + R"(,? [0-9]{1,4}[A-Za-z]?\b)", [](const Candidate& c) { return Accept(c, true, 0.9); })
        .prefilter = {R"(\b)" + leading + " "};
    // The French number first: "96 rue de Penthièvre", "66 Avenue des Tuileries" (capitalized,
    // only with a particle after: "3 Place Settings" is none).
    const std::string french = "(?:[rR]ue|[bB]oulevard|[cC]hemin|[aA]ll\\xc3\\xa9e|[iI]mpasse|[qQ]uai|place|avenue|route|cours)";
    rule(intl_street, R"(\b[0-9]{1,4}(?: ?(?:bis|ter))?,? )" + french + words, [](const Candidate& c) { return Accept(c, true, 0.9); })
        .prefilter = {"(?:[0-9]|bis|ter),? " + french + " "};
    rule(intl_street, R"(\b[0-9]{1,4},? (?:Avenue|Av\.?|Place|Cours|Faubourg) (?:de la |du |des |de |d'|la |le ))" + capital +
                          R"([A-Za-z\x80-\xff'.-]*(?: [A-Za-z\x80-\xff][A-Za-z\x80-\xff'.-]*){0,3})",
         [](const Candidate& c) { return Accept(c, true, 0.9); })
        .prefilter = {"[0-9],? (?:Avenue|Av\\.?|Place|Cours|Faubourg) (?:d|la |le )"};
    // After "address" (a column's name, or "address: Männi 12"), a street name of one to four
    // words and a number: most of the world's streets have no street word ("Kalda 70").
    rule(intl_street,
         R"((?i:address|addr|street)[ \t]*[:=#]?[ \t]*()" + capital + R"([A-Za-z\x80-\xff'.-]*(?: [A-Za-z\x80-\xff][A-Za-z\x80-\xff'.-]*){0,3} [0-9]{1,5}[A-Za-z]?)\b)",
         ValidateStreetAfterContext);
  }

  int zip = detector({"us_zip", "US ZIP code", "user.contact.address.postal_code", CcpaCategory::kA, "", {"zip", "postal", "postcode"}});
  std::string states;
  for (std::string_view code : kUsStates) {
    if (!states.empty()) states += '|';
    states += code;
  }
  class_rule(kZip, zip, R"(\b(?:)" + states + R"(),? ([0-9]{5}(?:-[0-9]{4})?)\b)",
       [](const Candidate& c) { return Accept(c, c.value().substr(0, 3) != "000", 0.9); });
  // Also a key's value ("zip":"94110", postal_code=10001).
  rule(zip, R"((?i:zip|zip[ _-]?code|postal[ _-]?code)(?: (?i:is))?["']?[ \t:#=]{1,4}["']?([0-9]{5}(?:-[0-9]{4})?)\b)", [](const Candidate& c) {
    return Accept(c, ContextStartsAWord(c) && c.value().substr(0, 3) != "000", 0.9);
  });

  int postcode = detector({"uk_postcode", "UK postcode", "user.contact.address.postal_code", CcpaCategory::kA, "", {"postcode", "postal"}});
  class_rule(kUkPostcode, postcode, R"(\b[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}\b)", ValidateUkPostcode);

  int geo = detector({"geolocation", "Precise geolocation", "user.location.precise", CcpaCategory::kL, "precise_geolocation",
                      {"lat", "lng", "lon", "latitude", "longitude", "geo", "location", "coords"}});
  class_rule(kGeo, geo, R"(-?\b[0-9]{1,2}\.[0-9]{4,10}[ \t]*,[ \t]*-?[0-9]{1,3}\.[0-9]{4,10}\b)", ValidateGeo);
  // A position as two keys' values ("latitude":37.77493,"longitude":-122.41942; lat=…&lng=…):
  // each value its own finding, so that redaction leaves the keys.
  {
    const std::string lat_key = R"re((?i:lat|latitude)["']?[ \t]*[:=][ \t]*["']?)re", lat = R"(-?[0-9]{1,2}\.[0-9]{4,10})";
    const std::string between = R"re(["']?[ \t]*[,;&][ \t]*["']?(?i:lng|lon|long|longitude)["']?[ \t]*[:=][ \t]*["']?)re";
    const std::string lng = R"(-?[0-9]{1,3}\.[0-9]{4,10}\b)";
    rule(geo, lat_key + "(" + lat + ")" + between + lng, ValidateGeoKeys);
    rule(geo, lat_key + lat + between + "(" + lng + ")", ValidateGeoKeys);
  }

  int passport = detector({"passport", "Passport number", "user.government_id.passport_number", CcpaCategory::kL, "government_id",
                           {"passport"}});
  rule(passport, R"((?i:passport)(?:[ _](?i:number|no\.?|#|num))?(?: (?i:is))?["']?[ \t:#=]{0,32}["']?([A-Z0-9]{6,9})\b)", [](const Candidate& c) {
    return Accept(c, HasDigit(c.value()), 0.9);
  });
  rule(passport, R"((?m)^[ \t]*([A-Z0-9]{6,9})[ \t\r]*$)", [](const Candidate& c) {  // under its label
    return Accept(c, LabelAboveEndsWith(c, {"passport"}) != Label::kNone && HasDigit(c.value()), 0.9);
  }).prefilter = {R"((?i:passport)[^0-9\n]{0,32}\n[ \t]*[A-Z0-9])"};

  int license = detector({"drivers_license", "Driver's license number", "user.government_id.drivers_license_number", CcpaCategory::kL,
                          "government_id", {"driver", "license", "licence", "dl_number", "dlnumber"}});
  rule(license,
       R"((?i:driver'?s?[ _-]?licen[cs]e|driving[ _-]?licen[cs]e|DL)(?:[ _-]?(?i:number|no\.?|#|num))?(?: (?i:is))?["']?[ \t:#=]{0,32}["']?([A-Z0-9][A-Z0-9-]{4,16}[0-9])\b)",
       [](const Candidate& c) { return Accept(c, ContextStartsAWord(c) && HasDigit(c.value()), 0.85); });  // not "PRIdLEAST16"
  rule(license, R"((?m)^[ \t]*([A-Z0-9][A-Z0-9-]{4,16}[0-9])[ \t\r]*$)", [](const Candidate& c) {  // under its label
    const bool labelled = LabelAboveEndsWith(c, {"driver's license", "drivers license", "driver license", "driver's licence",
                                                 "drivers licence", "driver licence", "driving license", "driving licence",
                                                 "drivers_license", "driver_license", "dl"}) != Label::kNone;
    return Accept(c, labelled && HasDigit(c.value()), 0.85);
  }).prefilter = {R"((?i:licen[cs]e|\bDL)[^0-9\n]{0,32}\n[ \t]*[A-Z0-9])"};

  int name = detector({"person_name", "Person name", "user.name", CcpaCategory::kA, "",
                       {"name", "first_name", "last_name", "surname", "given", "fullname", "full_name", "maiden"}});
  {
    // The frequent first names, confirmed by RE2 on the lines where the gate finds one as a
    // whole capitalized word (a hash lookup per capitalized word, where thousands of Vectorscan
    // literals held a scan with names to 0.6x of one without). In pieces of about 6,000
    // characters, the size the RE2-only matcher has always run them at.
    std::string alternation;
    static const std::vector<std::string> kNone;
    const auto& triggers = without_name_triggers ? kNone : NameLists::Get().TriggerFirstNames();
    for (size_t i = 0; i < triggers.size(); ++i) {
      if (!alternation.empty()) alternation += '|';
      alternation += triggers[i];
      if (alternation.size() > 6000 || i + 1 == triggers.size()) {
        class_rule(kFirstName, name, "\\b(?:" + alternation + ")\\b", ValidateFirstName);
        alternation.clear();
      }
    }
  }
  class_rule(kNamePair, name, capital + R"([a-z\x80-\xff]{1,20} )" + capital + R"([a-z\x80-\xff]{1,25}\b)", ValidateNamePair);
  class_rule(kNameInitial, name, capital + R"([a-z\x80-\xff]{1,20} [A-Z]\.? )" + capital + R"([a-z\x80-\xff]{1,25}\b)",
             ValidateNameWithInitial);
  const std::string listed = capital + R"([a-z\x80-\xff]{1,20})";
  class_rule(kNameList, name, listed + "(?:, " + listed + ")*(?: and | & )" + listed, ValidateNameList).each_word = true;
  const std::string after_context = R"([ \t]+((?:[A-Z]|)" + Utf8CapitalsPattern() + R"()[A-Za-z\x80-\xff'-]+))";
  // After these phrases a name may be written in lower case too ("my name is lena andersson").
  const std::string after_phrase = R"([ \t]+((?:[A-Za-z]|)" + Utf8CapitalsPattern() + R"()[A-Za-z\x80-\xff'-]+))";
  // These rules' prefilters are their phrases: with the name after them, Vectorscan reports an
  // end at every byte of every word after the phrase (a JSON log with five "name" keys a line:
  // a sixth more instructions).
  const std::string phrases = "(?i:my name is|name is|name:|name\\?|call me|signed,|directed by|written by|user:|customer:)";
  rule(name, phrases + after_phrase, ValidateNameAfterContext).prefilter = {phrases + "[ \t]"};
  const std::string greetings = R"(\b(?i:hi|hello|hey|dear|thanks|thank you|many thanks|cheers|regards|sincerely|best wishes|greetings),? )";
  rule(name, greetings + "((?:[A-Z]|" + Utf8CapitalsPattern() + R"()[A-Za-z\x80-\xff'-]+))", ValidateNameAfterGreeting).prefilter = {
      greetings};
  // A value under a key that names a person ("first_name":"Quionia", <lastName>Elomo</lastName>).
  const std::string key = R"re((?i:name)["']?[ \t]*[:=>])re";
  // Capitalized: an ASCII capital or the lead byte of one beyond ASCII (the validator checks the
  // letter), so that RE2 passes over the keys of lower-case values ("hostname":"node-1") in one
  // search instead of stopping at each.
  rule(name, key + R"re([ \t]*["']?([A-Z\xc3-\xc9][A-Za-z\x80-\xff'-]*(?: [A-Za-z\x80-\xff][A-Za-z\x80-\xff'.-]*){0,3}))re",
       ValidateNameAfterKey)
      .prefilter = {key};
  // The name under a sign-off ("Best regards,\nQuionia Vasquez").
  rule(name, R"(\b(?i:regards|thanks|cheers|sincerely|best wishes|best|many thanks|thank you|yours),)", ValidateSignature);
  // The display name of an address ("Nikos Mavrogiannopoulos <nmav@gnutls.org>"); Vectorscan
  // finds the lines by the email's own prefilter, '@' and the letter or digit after it, which the
  // pattern ends with ('<' and a bounded run before the '@' took the literal database half as
  // many instructions again).
  {
    // A word of the name: capitalized, or so after a particle's letter and an apostrophe ("d'Itri");
    // particles between words ("Ander Conselvan de Oliveira", "Willemine ten Pas").
    const std::string word = "(?:[a-z]')?" + capital + R"([A-Za-z\x80-\xff'.-]*)";
    const std::string particles = "(?:(?:van|von|de|da|del|della|di|du|la|le|der|den|dos|ten|ter|bin|al) )*";
    rule(name, "\"?(" + word + "(?: " + particles + word + "){0,4})\"? <[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9]", ValidateDisplayName)
        .prefilter = {R"(@[A-Za-z0-9])"};
    // A mail's quote attribution ("On …, Quionia Vasquez wrote:"; French, Spanish, Dutch,
    // Italian, Nordic, Polish; the German "… schrieb Rubija Liberšar:"), an address after the
    // name or not.
    const std::string named = "(" + word + "(?: " + particles + word + "){0,4})(?: <[^>\n]{1,100}>)?";
    const std::string verbs =
        R"((?:wrote|writes|a (?:\xc3\xa9|e)crit|escribi(?:\xc3\xb3|o)|schreef|ha scritto|skrev|napisa(?:\xc5\x82|l)) ?:)";
    rule(name, named + " " + verbs, ValidateQuoteAttribution).prefilter = {" " + verbs};
    rule(name, R"(\bschrieb )" + named + ":", ValidateQuoteAttribution).prefilter = {R"(\bschrieb [A-Z\xc3-\xc9])"};
  }
  // Titles as they are written ("Mr.", "DR"): in a caseless alternation "ms" and "dr" inside
  // "items" and "address" cost the literal database a tenth of its time (callgrind, 2026-11-29).
  rule(name, "(?:Mr|MR|Mrs|MRS|Ms|MS|Dr|DR|Prof|PROF)\\.?" + after_context, ValidateNameAfterContext).prefilter = {
      "(?:Mr|MR|Mrs|MRS|Ms|MS|Dr|DR|Prof|PROF)\\.?[ \t]"};

  int wallet = detector({"crypto_wallet", "Cryptocurrency wallet address", "user.financial.account_number", CcpaCategory::kB, "",
                         {"wallet", "btc", "address"}});
  class_rule(kWallet, wallet, R"(\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b)", [](const Candidate& c) { return Accept(c, BitcoinValid(c.value()), 0.95); });
  rule(wallet, R"(\b(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}\b)", [](const Candidate& c) { return Accept(c, BitcoinValid(c.value()), 0.95); });
  // Forty hex digits are as often a SHA-1 in code ("0xfbdb1d1b…"): only with context.
  rule(wallet, R"(\b0x[0-9a-fA-F]{40}\b)", [](const Candidate& c) {
    return Accept(c, true, WithContext(c, 0.45, 0.9, {"wallet", "eth", "address", "ether"}));
  });

  int credential = detector({"credential", "Credential or secret", "user.authorization.credentials", CcpaCategory::kL,
                             "account_credentials", {"password", "passwd", "secret", "token", "api_key", "apikey"}});
  rule(credential, R"(\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)", [](const Candidate& c) { return Accept(c, true, 0.95); });
  rule(credential, R"(\bgh[pousr]_[A-Za-z0-9]{36}\b)", [](const Candidate& c) { return Accept(c, true, 0.95); });
  rule(credential, R"(\bxox[baprs]-[A-Za-z0-9-]{10,72})", [](const Candidate& c) { return Accept(c, true, 0.95); });
  rule(credential, R"(\b[sr]k_live_[0-9A-Za-z]{24,99}\b)", [](const Candidate& c) { return Accept(c, true, 0.95); });
  rule(credential, R"(\bAIza[0-9A-Za-z_-]{35})", [](const Candidate& c) { return Accept(c, true, 0.9); });
  rule(credential, R"(-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----)", [](const Candidate& c) { return Accept(c, true, 0.95); });
  rule(credential,
       R"((?i:password|passwd|pwd|secret|api_?key|access_?token|auth_?token)["']?[ \t]*[:=][ \t]*["']?([^ \t\n"'&,;]{6,128}))",
       ValidateCredential);
  return set;
}

}  // namespace steward::scan::internal
