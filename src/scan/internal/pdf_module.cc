// libsteward-pdf.so: a PDF's pages as text through poppler (Debian's libpoppler-cpp), loaded by
// pdf.cc when a scan first reads a PDF and run only in its reader processes.
#include "scan/internal/pdf_module.h"

#include <iconv.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <memory>
#include <string>

namespace {

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

}  // namespace

extern "C" __attribute__((visibility("default"))) int steward_pdf_read(const char* data, size_t size, int is_path, void* context,
                                                                         StewardPdfOpened opened, StewardPdfPage page) {
  poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);  // poppler's messages are not the scan's
  KeepPopplerReady();
  std::unique_ptr<poppler::document> doc(is_path ? poppler::document::load_from_file(data)
                                                 : poppler::document::load_from_raw_data(data, static_cast<int>(size)));
  if (doc == nullptr) return kStewardPdfUnreadable;
  if (doc->is_locked()) return kStewardPdfEncrypted;
  const int pages = std::max(0, doc->pages());
  if (opened(context, pages) == 0) return kStewardPdfStopped;
  for (int k = 0; k < pages; ++k) {
    std::unique_ptr<poppler::page> p(doc->create_page(k));
    std::string text;
    if (p != nullptr) {
      const poppler::byte_array utf8 = p->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
      text.assign(utf8.begin(), utf8.end());
    }
    if (page(context, text.data(), text.size()) == 0) return kStewardPdfStopped;
  }
  return kStewardPdfRead;
}
