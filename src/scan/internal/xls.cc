#include "scan/internal/xls.h"

#include <freexl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "scan/internal/office.h"

namespace steward::scan::internal {
namespace {

// A sheet's columns, at most, as the other spreadsheet readers take them (office.h): cells past
// are dropped.
constexpr uint16_t kMaxColumns = 16384;

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

// The workbook, in the child process.
class XlsWorkbook {
 public:
  static Result<std::unique_ptr<XlsWorkbook>> Open(const std::string& path, uint64_t max_cells);
  ~XlsWorkbook() { Close(handle_); }
  XlsWorkbook(const XlsWorkbook&) = delete;
  XlsWorkbook& operator=(const XlsWorkbook&) = delete;
  const std::vector<std::string>& sheets() const { return sheets_; }

 private:
  explicit XlsWorkbook(const void* handle) : handle_(handle) {}
  friend class XlsSheetReader;
  const void* handle_;
  std::vector<std::string> sheets_;
};

// One sheet's text, a row at a time as it is read (FreeXL has one sheet selected at a time).
class XlsSheetReader {
 public:
  XlsSheetReader(const XlsWorkbook& book, size_t sheet) : book_(book), sheet_(sheet) {}
  Status Start();  // selects the sheet and reads as far as it takes to tell its header
  const SheetLines& lines() const { return lines_; }
  long Read(char* dst, size_t n);  // 0 at the sheet's end

 private:
  void NextRow();  // appends the next row's line to pending_

  const XlsWorkbook& book_;
  size_t sheet_;
  uint32_t rows_ = 0, next_ = 0;
  uint16_t columns_ = 0;
  SheetLines lines_;
  std::string pending_;
  size_t taken_ = 0;
};

Result<std::unique_ptr<XlsWorkbook>> XlsWorkbook::Open(const std::string& path, uint64_t max_cells) {
  // First the sheets' dimensions only (FreeXL's abbreviated parse allocates no cells), so that a
  // workbook declaring more cells than max_cells is refused before FreeXL allocates them all.
  const void* info = nullptr;
  int rc = freexl_open_info(path.c_str(), &info);
  std::unique_ptr<const void, void (*)(const void*)> info_handle(info, Close);
  if (rc == FREEXL_BIFF_WORKBOOK_NOT_FOUND) return Fail(ErrorCode::kNotFound, "no workbook in the compound file");
  if (rc == FREEXL_OK && info == nullptr) rc = FREEXL_CRAFTED_FILE;  // success without a workbook: FreeXL gave up
  if (rc != FREEXL_OK)
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

Status XlsSheetReader::Start() {
  const int rc = freexl_select_active_worksheet(book_.handle_, static_cast<unsigned short>(sheet_));
  if (rc != FREEXL_OK || freexl_worksheet_dimensions(book_.handle_, &rows_, &columns_) != FREEXL_OK)
    return Fail(ErrorCode::kInvalidArgument, "cannot read the sheet: " + Why(rc));
  columns_ = std::min(columns_, kMaxColumns);  // BIFF8 has 256; a broken file may declare 65,535
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
  return static_cast<long>(TakePending(pending_, taken_, dst, n, n));
}


// The frames the reader sends (ChildWriter):
//   W  the workbook: its sheets' names, each ended by a NUL     N  no workbook in the file
//   E  the workbook cannot be read: why                         D  every sheet sent
//   S  a sheet starts: its header's line (8 bytes), then its columns' names, each ended by a NUL
//   F  the next sheet cannot be read: why                       T  a piece of its text
//   Z  the sheet ends
constexpr size_t kTextFrame = 64 * 1024;

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) (out += name) += '\0';
  return out;
}

// The reader's work: the workbook at `path`, sheet by sheet, down the pipe. Returns whether the
// parent took it all.
bool SendWorkbook(ChildWriter& out, const std::string& path, uint64_t max_cells) {
  auto book = XlsWorkbook::Open(path, max_cells);
  if (!book) return out.Write(book.error().code == ErrorCode::kNotFound ? 'N' : 'E', book.error().message);
  if (!out.Write('W', Joined((*book)->sheets()))) return false;
  std::string text(kTextFrame, '\0');
  for (size_t k = 0; k < (*book)->sheets().size(); ++k) {
    XlsSheetReader sheet(**book, k);
    if (auto started = sheet.Start(); !started) {
      if (!out.Write('F', started.error().message)) return false;
      continue;
    }
    std::string start(8, '\0');
    const uint64_t line = sheet.lines().header_line();
    for (int b = 0; b < 8; ++b) start[b] = static_cast<char>((line >> (8 * b)) & 0xff);
    if (!out.Write('S', start + Joined(sheet.lines().header().names))) return false;
    for (long n; (n = sheet.Read(text.data(), text.size())) > 0;)
      if (!out.Write('T', std::string_view(text.data(), static_cast<size_t>(n)))) return false;
    if (!out.Write('Z', {})) return false;
  }
  return out.Write('D', {});
}

std::vector<std::string> Split(std::string_view joined) {
  std::vector<std::string> out;
  for (size_t at = 0; at < joined.size();) {
    const size_t nul = joined.find('\0', at);
    if (nul == std::string_view::npos) break;
    out.emplace_back(joined.substr(at, nul - at));
    at = nul + 1;
  }
  return out;
}

// A job for the reader: max_cells (8 bytes, little-endian), then 'p' and a file's path, or 'd'
// and a workbook's bytes, which go to a memory file of the reader's own that FreeXL opens by its
// /proc path (FreeXL reads files by their paths).
bool WorkbookJob(ChildWriter& out, std::string_view request) {
  if (request.size() < 9) return false;
  uint64_t max_cells = 0;
  for (int b = 7; b >= 0; --b) max_cells = (max_cells << 8) | static_cast<unsigned char>(request[b]);
  const std::string_view what = request.substr(9);
  if (request[8] == 'p') return SendWorkbook(out, std::string(what), max_cells);
  const int fd = ::memfd_create("steward-xls", MFD_CLOEXEC);
  if (fd < 0) return out.Write('E', "cannot make a memory file: " + std::string(std::strerror(errno)));
  size_t written = 0;
  while (written < what.size()) {
    const ssize_t n = ::write(fd, what.data() + written, what.size() - written);
    if (n <= 0) {
      ::close(fd);
      return out.Write('E', "cannot write a memory file: " + std::string(std::strerror(errno)));
    }
    written += static_cast<size_t>(n);
  }
  const bool sent = SendWorkbook(out, "/proc/self/fd/" + std::to_string(fd), max_cells);
  ::close(fd);
  return sent;
}

}  // namespace

bool IsCompoundFile(std::string_view head) { return head.starts_with("\xd0\xcf\x11\xe0"); }

Result<std::unique_ptr<XlsFile>> XlsFile::Open(const std::string& path, Limits limits) { return Start('p', path, limits); }

Result<std::unique_ptr<XlsFile>> XlsFile::FromData(std::string_view data, Limits limits) { return Start('d', data, limits); }

Result<std::unique_ptr<XlsFile>> XlsFile::Start(char from, std::string_view what, Limits limits) {
  std::string request(8, '\0');
  for (int b = 0; b < 8; ++b) request[b] = static_cast<char>((limits.max_cells >> (8 * b)) & 0xff);
  request += from;
  request += what;
  auto reader = ChildReader::Start(WorkbookJob, request, limits.reader);
  if (!reader) return std::unexpected(reader.error());
  std::unique_ptr<XlsFile> file(new XlsFile(std::move(*reader)));
  ChildReader::Frame frame;
  if (!file->reader_->Read(frame)) return Fail(ErrorCode::kInvalidArgument, "not a readable Excel 97-2003 workbook: " + file->error());
  if (frame.type == 'N') return Fail(ErrorCode::kNotFound, frame.payload);
  if (frame.type == 'E') return Fail(ErrorCode::kInvalidArgument, frame.payload);
  if (frame.type != 'W') {
    file->reader_->Refuse();
    return Fail(ErrorCode::kInvalidArgument, "not a readable Excel 97-2003 workbook: " + file->error());
  }
  file->sheets_ = Split(frame.payload);
  return file;
}

Result<XlsFile::Sheet> XlsFile::NextSheet() {
  char scratch[kTextFrame];
  while (in_sheet_)  // the last sheet's rest, unread
    if (Read(scratch, sizeof scratch) <= 0) break;
  ChildReader::Frame frame;
  if (!reader_->Read(frame)) return Fail(ErrorCode::kInternal, error());
  if (frame.type == 'F') return Fail(ErrorCode::kInvalidArgument, frame.payload);
  if (frame.type != 'S' || frame.payload.size() < 8) {
    reader_->Refuse();
    return Fail(ErrorCode::kInternal, error());
  }
  Sheet sheet;
  for (int b = 7; b >= 0; --b) sheet.header_line = (sheet.header_line << 8) | static_cast<unsigned char>(frame.payload[b]);
  sheet.header.delimiter = '\t';
  sheet.header.names = Split(std::string_view(frame.payload).substr(8));
  in_sheet_ = true;
  text_.clear();
  taken_ = 0;
  return sheet;
}

long XlsFile::Read(char* dst, size_t n) {
  size_t copied = 0;
  while (copied < n && in_sheet_) {
    if (taken_ < text_.size()) {
      const size_t k = std::min(n - copied, text_.size() - taken_);
      std::memcpy(dst + copied, text_.data() + taken_, k);
      taken_ += k;
      copied += k;
      continue;
    }
    ChildReader::Frame frame;
    if (!reader_->Read(frame)) {
      in_sheet_ = false;
      return -1;
    }
    if (frame.type == 'Z') {
      in_sheet_ = false;
    } else if (frame.type == 'T') {
      text_ = std::move(frame.payload);
      taken_ = 0;
    } else {
      reader_->Refuse();
      in_sheet_ = false;
      return -1;
    }
  }
  return static_cast<long>(copied);
}

}  // namespace steward::scan::internal
