// A read-only set of words laid out as one block of bytes: an open-addressing table of offsets
// and the words themselves. Built at build time (steward_word_index, from the name lists and the
// English word list) and compiled into the binary, so looking words up needs no start-up work:
// indexing the 330,000 words into hash sets at run time was most of a names scan's start.
#pragma once

#include <cstddef>
#include <cstdint>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace steward::scan::internal {

// The hash both the builder and the lookups use: eight bytes at a time, multiply and xor-shift.
inline uint64_t WordHash(std::string_view s) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, s.data() + i, 8);
    h = (h ^ chunk) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
  }
  uint64_t tail = 0;
  if (s.size() > i) std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0x94d049bb133111ebull;
  return h ^ (h >> 29);
}

// Calls on_row(name, count) for each "name,count" line after a name list's header line.
template <typename F>
void ForEachNameCount(std::string_view csv, F&& on_row) {
  size_t pos = csv.find('\n');
  while (pos != std::string_view::npos && pos + 1 < csv.size()) {
    const size_t begin = pos + 1;
    pos = csv.find('\n', begin);
    std::string_view line = csv.substr(begin, (pos == std::string_view::npos ? csv.size() : pos) - begin);
    const size_t comma = line.find(',');
    if (comma == std::string_view::npos || comma == 0) continue;
    long count = 0;
    std::from_chars(line.data() + comma + 1, line.data() + line.size(), count);
    if (!on_row(line.substr(0, comma), count)) return;
  }
}

// The images of the tables NameLists looks words up in, in this order, one after the other
// behind a header of their offsets and sizes (steward_word_index writes it).
enum class NameTable { kFirstNames, kSurnames, kCommonSurnames, kEnglish, kProperNouns, kPlaces, kCount };

// Tables' images joined behind a header: "SWI1", then each one's offset and size, little-endian.
std::string JoinTables(const std::vector<std::string>& images);
// Image k of what JoinTables made, or empty when `joined` is not that or has no image k.
std::string_view TableOf(std::string_view joined, size_t k);

class WordTable {
 public:
  WordTable() = default;
  // A view of an image BuildWordTable made (it must outlive the table). An image that is not
  // one (too short, sizes that do not fit) gives an empty table.
  explicit WordTable(std::string_view image);
  bool Contains(std::string_view word) const;
  size_t size() const { return words_; }

  // The image of a table of these words (duplicates kept once; each 1-255 bytes, others left
  // out), little-endian: the word count, the slot count (a power of two, at least twice the
  // words), the slots (offset + 1 of a word in the blob, 0 for none), then the blob (each word
  // as a length byte and its bytes).
  static std::string Build(const std::vector<std::string_view>& words);

 private:
  const unsigned char* blob_ = nullptr;
  size_t blob_size_ = 0;
  const unsigned char* slots_ = nullptr;  // slot_count_ little-endian uint32s
  uint32_t slot_count_ = 0, words_ = 0;
};

}  // namespace steward::scan::internal
