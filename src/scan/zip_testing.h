// For the scanner's tests: a zip archive built in memory with libzip, as archives of documents
// reach the scanner.
#pragma once

#include <gtest/gtest.h>
#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace steward::scan {

// A zip archive of these members, as bytes.
inline std::string Zip(const std::vector<std::pair<std::string, std::string>>& members) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(out);
  zip_t* z = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  EXPECT_NE(z, nullptr);
  for (const auto& [name, data] : members) {
    char* copy = static_cast<char*>(std::malloc(data.size()));
    std::memcpy(copy, data.data(), data.size());
    EXPECT_GE(zip_file_add(z, name.c_str(), zip_source_buffer(z, copy, data.size(), 1), 0), 0) << name;
  }
  EXPECT_EQ(zip_close(z), 0);
  zip_stat_t stat;
  EXPECT_EQ(zip_source_open(out), 0);
  zip_source_stat(out, &stat);
  std::string bytes(stat.size, '\0');
  EXPECT_EQ(zip_source_read(out, bytes.data(), stat.size), static_cast<zip_int64_t>(stat.size));
  zip_source_close(out);
  zip_source_free(out);
  return bytes;
}

}  // namespace steward::scan
