#include "scan/internal/xls.h"

#include <freexl.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace steward::scan::internal {
namespace {

// Whether a FreeXL error comes from the compound file's layer, before a workbook is found in it.
bool InCompoundFile(int code) {
  return (code <= FREEXL_INVALID_CFBF_HEADER && code >= FREEXL_CFBF_ILLEGAL_FAT_ENTRY) || code == FREEXL_INVALID_MINI_STREAM ||
         code == FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY;
}

// What a FreeXL error code means, for the report.
std::string Why(int code) {
  switch (code) {
    case FREEXL_FILE_NOT_FOUND:
      return "cannot open the file";
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
      return "it is cut short or broken";
    case FREEXL_INSUFFICIENT_MEMORY:
      return "not enough memory to read it";
    case FREEXL_UNSUPPORTED_CHARSET:
    case FREEXL_INVALID_CHARACTER:
      return "its text is in a character set that cannot be read";
    case FREEXL_INVALID_MINI_STREAM:
    case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
      return "its workbook is stored in the compound file's mini stream, which FreeXL cannot read";
    case FREEXL_CRAFTED_FILE:
      return "it is corrupted";
    default:
      return fmt::format("broken (FreeXL error {})", code);
  }
}

void Close(const void* handle) {
  if (handle != nullptr) freexl_close(handle);
}

}  // namespace

bool IsCompoundFile(std::string_view head) { return head.starts_with("\xd0\xcf\x11\xe0"); }

Result<std::unique_ptr<XlsWorkbook>> XlsWorkbook::Open(const std::string& path, uint64_t max_cells) {
  // First the sheets' dimensions only (FreeXL's abbreviated parse allocates no cells), so that a
  // workbook declaring more cells than max_cells is refused before FreeXL allocates them all.
  const void* info = nullptr;
  int rc = freexl_open_info(path.c_str(), &info);
  std::unique_ptr<const void, void (*)(const void*)> info_handle(info, Close);
  if (rc == FREEXL_BIFF_WORKBOOK_NOT_FOUND) return Fail(ErrorCode::kNotFound, "no workbook in the compound file");
  if (rc != FREEXL_OK || info == nullptr)
    return Fail(ErrorCode::kInvalidArgument,
                (InCompoundFile(rc) ? "not a readable Office 97-2003 compound file: " : "not a readable Excel 97-2003 workbook: ") + Why(rc));
  unsigned int count = 0, password = 0;
  if (freexl_get_info(info, FREEXL_BIFF_PASSWORD, &password) == FREEXL_OK && password == FREEXL_BIFF_OBFUSCATED)
    return Fail(ErrorCode::kInvalidArgument, "the workbook is password-protected (encrypted); it cannot be read");
  if (freexl_get_info(info, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
    return Fail(ErrorCode::kInvalidArgument, "not a readable Excel 97-2003 workbook: no sheets");
  uint64_t cells = 0;
  for (unsigned int k = 0; k < count; ++k) {
    unsigned int rows = 0;
    unsigned short columns = 0;
    if (freexl_select_active_worksheet(info, static_cast<unsigned short>(k)) == FREEXL_OK &&
        freexl_worksheet_dimensions(info, &rows, &columns) == FREEXL_OK)
      cells += uint64_t{rows} * columns;
  }
  if (cells > max_cells)
    return Fail(ErrorCode::kInvalidArgument, fmt::format("the workbook's sheets declare {} cells, more than the {} read at most", cells, max_cells));
  info_handle.reset();

  const void* handle = nullptr;
  rc = freexl_open(path.c_str(), &handle);
  // FreeXL may return success without a workbook (an empty string cell written by some tools).
  if (rc != FREEXL_OK || handle == nullptr) {
    Close(handle);
    return Fail(ErrorCode::kInvalidArgument, "not a readable Excel 97-2003 workbook: " + Why(rc == FREEXL_OK ? FREEXL_CRAFTED_FILE : rc));
  }
  std::unique_ptr<XlsWorkbook> book(new XlsWorkbook(handle));
  for (unsigned int k = 0; k < count; ++k) {
    const char* name = nullptr;
    if (freexl_get_worksheet_name(handle, static_cast<unsigned short>(k), &name) != FREEXL_OK || name == nullptr || *name == '\0') {
      book->sheets_.push_back(fmt::format("Sheet{}", k + 1));
    } else {
      book->sheets_.emplace_back(name);
    }
  }
  return book;
}

XlsWorkbook::~XlsWorkbook() { Close(handle_); }

Status XlsSheetReader::Start() {
  const int rc = freexl_select_active_worksheet(book_.handle_, static_cast<unsigned short>(sheet_));
  if (rc != FREEXL_OK || freexl_worksheet_dimensions(book_.handle_, &rows_, &columns_) != FREEXL_OK)
    return Fail(ErrorCode::kInvalidArgument, "cannot read the sheet: " + Why(rc));
  lines_.set_width(columns_);
  while (!lines_.header_decided() && next_ < rows_) NextRow();
  if (next_ == rows_) lines_.Finish();
  return Ok();
}

void XlsSheetReader::NextRow() {
  const uint32_t row = next_++;
  lines_.BeginRow(uint64_t{row} + 1);
  for (uint16_t c = 0; c < columns_; ++c) {
    FreeXL_CellValue cell;
    if (freexl_get_cell_value(book_.handle_, row, c, &cell) != FREEXL_OK) continue;
    std::string text;
    switch (cell.type) {
      case FREEXL_CELL_INT:
        text = std::to_string(cell.value.int_value);
        break;
      case FREEXL_CELL_DOUBLE:
        text = fmt::format("{}", cell.value.double_value);  // the shortest that reads back the same
        break;
      case FREEXL_CELL_TEXT:
      case FREEXL_CELL_SST_TEXT:
      case FREEXL_CELL_DATE:  // "1987-03-12"
      case FREEXL_CELL_DATETIME:
      case FREEXL_CELL_TIME:
        if (cell.value.text_value != nullptr) text = cell.value.text_value;
        break;
      default:
        break;
    }
    lines_.Cell(uint32_t{c} + 1, std::move(text));
  }
  lines_.EndRow(pending_);
  if (next_ == rows_) lines_.Finish();
}

long XlsSheetReader::Read(char* dst, size_t n) {
  while (pending_.size() - taken_ < n && next_ < rows_) NextRow();
  const size_t avail = std::min(n, pending_.size() - taken_);
  std::memcpy(dst, pending_.data() + taken_, avail);
  taken_ += avail;
  if (taken_ == pending_.size()) {
    pending_.clear();
    taken_ = 0;
  } else if (taken_ > n) {
    pending_.erase(0, taken_);
    taken_ = 0;
  }
  return static_cast<long>(avail);
}

}  // namespace steward::scan::internal
