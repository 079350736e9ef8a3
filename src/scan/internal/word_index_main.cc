// steward_word_index FIRST_NAMES_CSV SURNAMES_CSV ENGLISH_WORDS ISO3166_1_JSON ISO3166_2_JSON
//                    ZONE_TAB OUT: the tables NameLists looks words up in, built at build time and
// compiled into the binary (see word_table.h):
//   first names and surnames of two letters or more, folded to ASCII lower case; the surnames
//   borne by 100,000 people or more; the English words written all in lower case; the proper
//   nouns of the word list (capitalized: "Omaha", "Moldova") that neither name list has; the
//   places of one word: countries (Debian's iso-codes, ISO 3166-1), states, provinces and other
//   first-level parts of countries (ISO 3166-2) and the cities that name time zones (tzdata's
//   zone1970.tab: "Paris", "Sydney"), in lower case.
// Joined in NameTable order by JoinTables.
// Fails, and so fails the build, when a list cannot be read or the first names are not sorted by
// count (NameLists stops reading them at the first name too rare to trigger).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.h"
#include "scan/internal/word_table.h"

using steward::scan::internal::ForEachNameCount;
using steward::scan::internal::WordTable;

namespace {

// Whether s is one word of ASCII letters, a capital first ("Paris"; not "New York", "Côte").
bool OneWord(std::string_view s) {
  if (s.size() < 2 || s[0] < 'A' || s[0] > 'Z') return false;
  for (char c : s.substr(1))
    if (c < 'a' || c > 'z') return false;
  return true;
}

// The places of one word in ISO 3166-1 and -2 (iso-codes' JSON) and tzdata's zone1970.tab.
std::vector<std::string> Places(const std::string& countries, const std::string& subdivisions, const std::string& zones) {
  std::vector<std::string> places;
  const auto add = [&](const std::string& name) {
    if (OneWord(name)) places.push_back(steward::AsciiLower(name));
  };
  const nlohmann::json iso1 = nlohmann::json::parse(countries), iso2 = nlohmann::json::parse(subdivisions);
  for (const auto& c : iso1.at("3166-1"))
    for (const char* key : {"name", "common_name"})
      if (c.contains(key)) add(c.at(key).get<std::string>());
  // First-level parts only: a country's districts and counties are as often named for people.
  static const std::vector<std::string> kLevels = {"State", "Province", "Territory", "Country", "Land", "Canton",
                                                   "Region", "Autonomous community", "Autonomous region"};
  for (const auto& d : iso2.at("3166-2"))
    if (std::find(kLevels.begin(), kLevels.end(), d.at("type").get<std::string>()) != kLevels.end())
      add(d.at("name").get<std::string>());
  std::istringstream lines(zones);  // "FR<tab>+4852+00220<tab>Europe/Paris[<tab>comment]"
  for (std::string line; std::getline(lines, line);) {
    // Not Antarctica's research stations, named for people ("Davis", "Casey", "Palmer").
    if (line.empty() || line[0] == '#' || line.find("Antarctica/") != std::string::npos) continue;
    const size_t tz = line.find('\t', line.find('\t') + 1);
    if (tz == std::string::npos) continue;
    std::string zone = line.substr(tz + 1, line.find('\t', tz + 1) - tz - 1);
    add(zone.substr(zone.rfind('/') + 1));
  }
  return places;
}

bool Read(const char* path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr,
                 "usage: steward_word_index FIRST_NAMES_CSV SURNAMES_CSV ENGLISH_WORDS ISO3166_1_JSON ISO3166_2_JSON ZONE_TAB OUT\n");
    return 2;
  }
  std::string first_csv, surnames_csv, english, countries, subdivisions, zones;
  for (auto [path, text] : {std::pair{argv[1], &first_csv}, {argv[2], &surnames_csv}, {argv[3], &english}, {argv[4], &countries},
                            {argv[5], &subdivisions}, {argv[6], &zones}})
    if (!Read(path, *text)) {
      std::fprintf(stderr, "steward_word_index: cannot read %s\n", path);
      return 1;
    }
  std::vector<std::string> first, surnames, common, words, proper;
  long previous = -1;
  bool sorted = true;
  ForEachNameCount(first_csv, [&](std::string_view name, long count) {
    if (previous >= 0 && count > previous) sorted = false;
    previous = count;
    if (name.size() >= 2) first.push_back(steward::AsciiLower(name));
    return true;
  });
  if (!sorted || first.empty()) {
    std::fprintf(stderr, "steward_word_index: %s is not a name list sorted by count, most frequent first\n", argv[1]);
    return 1;
  }
  ForEachNameCount(surnames_csv, [&](std::string_view name, long count) {
    if (name.size() < 2) return true;
    surnames.push_back(steward::AsciiLower(name));
    if (count >= 100000) common.push_back(surnames.back());
    return true;
  });
  auto build = [](const std::vector<std::string>& list) { return WordTable::Build(std::vector<std::string_view>(list.begin(), list.end())); };
  std::vector<std::string> tables;  // in NameTable order
  tables.reserve(static_cast<size_t>(steward::scan::internal::NameTable::kCount));  // no reallocation: the tables below view them
  for (const auto* list : {&first, &surnames, &common}) tables.push_back(build(*list));
  const WordTable first_names(tables[0]), surname_table(tables[1]);
  std::istringstream lines(english);
  constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
  for (std::string w; std::getline(lines, w);) {
    if (w.size() < 2 || w.find_first_not_of(kLower, 1) != std::string::npos) continue;
    if (w[0] >= 'a' && w[0] <= 'z') {
      words.push_back(w);
    } else if (w[0] >= 'A' && w[0] <= 'Z') {
      std::string lower = steward::AsciiLower(w);
      if (!first_names.Contains(lower) && !surname_table.Contains(lower)) proper.push_back(std::move(lower));
    }
  }

  std::vector<std::string> places;
  try {
    places = Places(countries, subdivisions, zones);
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "steward_word_index: %s or %s is not iso-codes' JSON: %s\n", argv[4], argv[5], e.what());
    return 1;
  }
  if (places.size() < 200) {
    std::fprintf(stderr, "steward_word_index: only %zu places in %s, %s and %s\n", places.size(), argv[4], argv[5], argv[6]);
    return 1;
  }
  for (const auto* list : {&words, &proper, &places}) tables.push_back(build(*list));
  const std::string image = steward::scan::internal::JoinTables(tables);
  std::ofstream out(argv[7], std::ios::binary);
  out.write(image.data(), static_cast<std::streamsize>(image.size()));
  if (!out) {
    std::fprintf(stderr, "steward_word_index: cannot write %s\n", argv[7]);
    return 1;
  }
  return 0;
}
