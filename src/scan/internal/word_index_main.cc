// steward_word_index FIRST_NAMES_CSV SURNAMES_CSV ENGLISH_WORDS OUT: the tables NameLists looks
// words up in, built at build time and compiled into the binary (see word_table.h):
//   first names and surnames of two letters or more, folded to ASCII lower case; the surnames
//   borne by 100,000 people or more; the English words written all in lower case; the proper
//   nouns of the word list (capitalized: "Omaha", "Moldova") that neither name list has.
// Joined in NameTable order by JoinTables.
// Fails, and so fails the build, when a list cannot be read or the first names are not sorted by
// count (NameLists stops reading them at the first name too rare to trigger).
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
  if (argc != 5) {
    std::fprintf(stderr, "usage: steward_word_index FIRST_NAMES_CSV SURNAMES_CSV ENGLISH_WORDS OUT\n");
    return 2;
  }
  std::string first_csv, surnames_csv, english;
  for (auto [path, text] : {std::pair{argv[1], &first_csv}, {argv[2], &surnames_csv}, {argv[3], &english}})
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

  for (const auto* list : {&words, &proper}) tables.push_back(build(*list));
  const std::string image = steward::scan::internal::JoinTables(tables);
  std::ofstream out(argv[4], std::ios::binary);
  out.write(image.data(), static_cast<std::streamsize>(image.size()));
  if (!out) {
    std::fprintf(stderr, "steward_word_index: cannot write %s\n", argv[4]);
    return 1;
  }
  return 0;
}
