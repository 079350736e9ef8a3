#include "scan/internal/word_table.h"

namespace steward::scan::internal {
namespace {

uint32_t Load32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

void Store32(std::string& out, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) out[at + static_cast<size_t>(k)] = static_cast<char>((v >> (8 * k)) & 0xff);
}

constexpr std::string_view kMagic = "SWI1";

}  // namespace

std::string JoinTables(const std::vector<std::string>& images) {
  std::string joined(kMagic);
  joined.resize(kMagic.size() + 8 * images.size());
  uint32_t offset = static_cast<uint32_t>(joined.size());
  for (size_t k = 0; k < images.size(); ++k) {
    Store32(joined, kMagic.size() + 8 * k, offset);
    Store32(joined, kMagic.size() + 8 * k + 4, static_cast<uint32_t>(images[k].size()));
    offset += static_cast<uint32_t>(images[k].size());
  }
  for (const std::string& image : images) joined += image;
  return joined;
}

std::string_view TableOf(std::string_view joined, size_t k) {
  const size_t at = kMagic.size() + 8 * k;
  if (!joined.starts_with(kMagic) || joined.size() < at + 8) return {};
  const auto* p = reinterpret_cast<const unsigned char*>(joined.data()) + at;
  const size_t offset = Load32(p), size = Load32(p + 4);
  if (offset > joined.size() || size > joined.size() - offset) return {};
  return joined.substr(offset, size);
}

WordTable::WordTable(std::string_view image) {
  if (image.size() < 8) return;
  const auto* p = reinterpret_cast<const unsigned char*>(image.data());
  const uint32_t words = Load32(p), slots = Load32(p + 4);
  if (slots == 0 || (slots & (slots - 1)) != 0 || (image.size() - 8) / 4 < slots) return;
  words_ = words;
  slot_count_ = slots;
  slots_ = p + 8;
  blob_ = slots_ + 4 * static_cast<size_t>(slots);
  blob_size_ = image.size() - 8 - 4 * static_cast<size_t>(slots);
}

bool WordTable::Contains(std::string_view word) const {
  if (slot_count_ == 0 || word.empty() || word.size() > 255) return false;
  const uint32_t mask = slot_count_ - 1;
  uint32_t i = static_cast<uint32_t>(WordHash(word)) & mask;
  for (uint32_t probes = 0; probes < slot_count_; ++probes, i = (i + 1) & mask) {
    const uint32_t slot = Load32(slots_ + 4 * static_cast<size_t>(i));
    if (slot == 0) return false;
    const size_t at = slot - 1;
    if (at >= blob_size_ || blob_[at] > blob_size_ - at - 1) return false;  // not an image Build made
    if (blob_[at] == word.size() && std::memcmp(blob_ + at + 1, word.data(), word.size()) == 0) return true;
  }
  return false;
}

std::string WordTable::Build(const std::vector<std::string_view>& words) {
  uint32_t slots = 16;
  while (slots < 2 * words.size()) slots *= 2;
  std::string image(8 + 4 * static_cast<size_t>(slots), '\0');
  std::string blob;
  std::vector<uint32_t> table(slots, 0);
  uint32_t count = 0;
  for (std::string_view w : words) {
    if (w.empty() || w.size() > 255) continue;
    uint32_t i = static_cast<uint32_t>(WordHash(w)) & (slots - 1);
    bool present = false;
    for (; table[i] != 0; i = (i + 1) & (slots - 1)) {
      const size_t at = table[i] - 1;
      if (static_cast<unsigned char>(blob[at]) == w.size() && blob.compare(at + 1, w.size(), w) == 0) {
        present = true;
        break;
      }
    }
    if (present) continue;
    table[i] = static_cast<uint32_t>(blob.size() + 1);
    blob += static_cast<char>(w.size());
    blob += w;
    ++count;
  }
  Store32(image, 0, count);
  Store32(image, 4, slots);
  for (uint32_t i = 0; i < slots; ++i) Store32(image, 8 + 4 * static_cast<size_t>(i), table[i]);
  return image + blob;
}

}  // namespace steward::scan::internal
