#include "scan/internal/pdf.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <limits>

namespace steward::scan::internal {
namespace {

// The frames the reader sends (ChildWriter): O the document opened, its page count (4 bytes,
// little-endian); E it cannot be read, why; P a page's text, one a page in order.
bool SendPages(ChildWriter& out, const std::string* path, const std::string* data) {
  poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
  std::unique_ptr<poppler::document> doc(path != nullptr ? poppler::document::load_from_file(*path)
                                                         : poppler::document::load_from_raw_data(data->data(), static_cast<int>(data->size())));
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

}  // namespace

Result<std::unique_ptr<PdfText>> PdfText::Open(const std::string& path, ChildReader::Limits limits) { return Start(&path, nullptr, limits); }

Result<std::unique_ptr<PdfText>> PdfText::FromData(const std::string& data, ChildReader::Limits limits) {
  if (data.size() > static_cast<size_t>(std::numeric_limits<int>::max())) return Fail(ErrorCode::kInvalidArgument, "a PDF too large to read in memory");
  return Start(nullptr, &data, limits);  // the reader, a fork, has the bytes too
}

Result<std::unique_ptr<PdfText>> PdfText::Start(const std::string* path, const std::string* data, ChildReader::Limits limits) {
  auto reader = ChildReader::Start([&](ChildWriter& out) { return SendPages(out, path, data); }, limits);
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
