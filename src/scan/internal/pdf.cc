#include "scan/internal/pdf.h"

#include <iconv.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <limits>

namespace steward::scan::internal {
namespace {

// The frames the reader sends (ChildWriter): O the document opened, its page count (4 bytes,
// little-endian); E it cannot be read, why; P a page's text, one a page in order.
bool SendPages(ChildWriter& out, std::unique_ptr<poppler::document> doc) {
  if (doc == nullptr) return out.Write('E', "not a readable PDF");
  if (doc->is_locked()) return out.Write('E', "an encrypted PDF (it needs a password)");
  const int pages = std::max(0, doc->pages());
  const std::string count = {static_cast<char>(pages & 0xff), static_cast<char>((pages >> 8) & 0xff), static_cast<char>((pages >> 16) & 0xff),
                             static_cast<char>((pages >> 24) & 0xff)};
  if (!out.Write('O', count)) return false;
  for (int k = 0; k < pages; ++k) {
    std::unique_ptr<poppler::page> page(doc->create_page(k));
    std::string text;
    if (page != nullptr) {
      const poppler::byte_array utf8 = page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
      text.assign(utf8.begin(), utf8.end());
    }
    if (!out.Write('P', text)) return false;
  }
  return true;
}

// Poppler's global state (its parameters and font tables) lives while a document does, and is
// built again for the next: a reader keeps one blank document open for good, with the UTF-16
// converter poppler loads, so that its jobs share them (300 two-page PDFs: 0.41 s without,
// 0.19 s with).
void KeepPopplerReady() {
  static const char kBlank[] =
      "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
      "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n"
      "0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n184\n%%EOF\n";
  static const poppler::document* const kept = poppler::document::load_from_raw_data(kBlank, sizeof kBlank - 1);
  static const iconv_t utf16 = iconv_open("UTF-8", "UTF-16BE");
  (void)kept;
  (void)utf16;
}

// A job for the reader: 'p' and a file's path, or 'd' and a PDF's bytes.
bool PdfJob(ChildWriter& out, std::string_view request) {
  if (request.empty()) return false;
  poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);  // poppler's messages are not the scan's
  KeepPopplerReady();
  const std::string_view what = request.substr(1);
  if (request[0] == 'p') return SendPages(out, std::unique_ptr<poppler::document>(poppler::document::load_from_file(std::string(what))));
  // load_from_raw_data reads from the bytes while the document lives: the request outlives it.
  return SendPages(out, std::unique_ptr<poppler::document>(poppler::document::load_from_raw_data(what.data(), static_cast<int>(what.size()))));
}

}  // namespace

Result<std::unique_ptr<PdfText>> PdfText::Open(const std::string& path, ChildReader::Limits limits) { return Start('p', path, limits); }

Result<std::unique_ptr<PdfText>> PdfText::FromData(std::string_view data, ChildReader::Limits limits) {
  if (data.size() > static_cast<size_t>(std::numeric_limits<int>::max())) return Fail(ErrorCode::kInvalidArgument, "a PDF too large to read in memory");
  return Start('d', data, limits);
}

Result<std::unique_ptr<PdfText>> PdfText::Start(char from, std::string_view what, ChildReader::Limits limits) {
  std::string request(1, from);
  request += what;
  auto reader = ChildReader::Start(PdfJob, request, limits);
  if (!reader) return std::unexpected(reader.error());
  ChildReader::Frame frame;
  if (!(*reader)->Read(frame)) return Fail(ErrorCode::kInvalidArgument, "not a readable PDF: " + (*reader)->error());
  if (frame.type == 'E') return Fail(ErrorCode::kInvalidArgument, frame.payload);
  if (frame.type != 'O' || frame.payload.size() != 4) {
    (*reader)->Refuse();
    return Fail(ErrorCode::kInvalidArgument, "not a readable PDF: " + (*reader)->error());
  }
  const auto* b = reinterpret_cast<const unsigned char*>(frame.payload.data());
  const int pages = static_cast<int>(b[0] | (uint32_t{b[1]} << 8) | (uint32_t{b[2]} << 16) | (uint32_t{b[3]} << 24));
  return std::unique_ptr<PdfText>(new PdfText(std::move(*reader), pages));
}

bool PdfText::NextPage(std::string& text) {
  ChildReader::Frame frame;
  if (!reader_->Read(frame)) return false;
  if (frame.type != 'P') {
    reader_->Refuse();
    return false;
  }
  text = std::move(frame.payload);
  return true;
}

}  // namespace steward::scan::internal
