// A sheet's text as the spreadsheet readers give it, checked for the fuzz targets that read
// spreadsheets: every line ended, each a record of at most `max_cells` cells, or empty; returns
// its lines. A line that breaks this stops the run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scan/internal/csv.h"

inline uint64_t SheetRecords(const std::string& text, size_t max_cells) {
  steward::scan::internal::CsvSplitter splitter('\t');
  std::vector<steward::scan::internal::CsvCell> cells;
  uint64_t lines = 0;
  for (size_t at = 0; at < text.size();) {
    const size_t nl = text.find('\n', at);
    if (nl == std::string::npos) __builtin_trap();  // every row ends its line
    const std::string_view line = std::string_view(text).substr(at, nl - at);
    const auto split = splitter.Split(line, cells);
    if (line.empty() ? split != steward::scan::internal::CsvSplitter::Line::kNoRecord
                     : split != steward::scan::internal::CsvSplitter::Line::kRecord || cells.size() > max_cells)
      __builtin_trap();
    ++lines;
    at = nl + 1;
  }
  return lines;
}
