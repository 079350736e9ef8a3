#include "scan/internal/pdf.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <limits>
#include <mutex>

namespace steward::scan::internal {
namespace {

// Poppler's global state (its error callback, its parameters) is shared by every document; files
// are opened and read one at a time.
std::mutex& PopplerMutex() {
  static std::mutex mu;
  static const bool quiet = [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
    return true;
  }();
  (void)quiet;
  return mu;
}

}  // namespace

PdfText::PdfText(poppler::document* doc) : doc_(doc) {}
PdfText::PdfText(PdfText&&) noexcept = default;
PdfText::~PdfText() {
  if (doc_ == nullptr) return;  // moved from
  std::lock_guard lock(PopplerMutex());
  doc_.reset();
}

Result<PdfText> PdfText::Open(const std::string& path) {
  poppler::document* doc = nullptr;
  bool locked = false;
  {
    std::lock_guard lock(PopplerMutex());
    doc = poppler::document::load_from_file(path);
    locked = doc != nullptr && doc->is_locked();
  }
  return Checked(doc, locked, path);
}

Result<PdfText> PdfText::FromData(std::string data) {
  if (data.size() > static_cast<size_t>(std::numeric_limits<int>::max())) return Fail(ErrorCode::kInvalidArgument, "a PDF too large to read in memory");
  auto bytes = std::make_unique<std::string>(std::move(data));
  poppler::document* doc = nullptr;
  bool locked = false;
  {
    std::lock_guard lock(PopplerMutex());
    doc = poppler::document::load_from_raw_data(bytes->data(), static_cast<int>(bytes->size()));
    locked = doc != nullptr && doc->is_locked();
  }
  auto text = Checked(doc, locked, {});
  if (text) text->data_ = std::move(bytes);  // declared before doc_: destroyed after it
  return text;
}

Result<PdfText> PdfText::Checked(poppler::document* doc, bool locked, const std::string& where) {
  if (doc == nullptr) return Fail(ErrorCode::kInvalidArgument, "not a readable PDF", where);
  PdfText text(doc);  // owns it from here
  if (locked) return Fail(ErrorCode::kInvalidArgument, "an encrypted PDF (it needs a password)", where);
  return text;
}

int PdfText::pages() const { return doc_->pages(); }

std::string PdfText::PageText(int index) const {
  std::lock_guard lock(PopplerMutex());
  std::unique_ptr<poppler::page> page(doc_->create_page(index));
  if (page == nullptr) return {};
  const poppler::byte_array utf8 = page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
  return std::string(utf8.begin(), utf8.end());
}

}  // namespace steward::scan::internal
