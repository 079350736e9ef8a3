// PDF files read as their text, page by page, through poppler (Debian's libpoppler-cpp): each
// page's text laid out as printed (its physical layout, as `pdftotext -layout` gives it), so a
// form's label and its value stay on one line ("SSN        536-22-7000"). Poppler's own messages
// are not printed; an encrypted or broken file is an error.
//
// Poppler runs in a reader process (child.h), which sends the pages back: a PDF that
// crashes it, or on which it makes no progress for the time limit, is a reported problem, not a
// crashed or stuck scan; and as each child has poppler's global state to itself, PDFs are read
// in parallel. Poppler itself is in libsteward-pdf.so (pdf_module.h), which the scanning process
// opens the first time it reads a PDF. Not thread-safe: one PdfText per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "scan/internal/child.h"

namespace steward::scan::internal {

class PdfText {
 public:
  // Errors: invalid_argument when the file is no readable PDF, is encrypted, or its reader died;
  // internal when no reader process can be started.
  static Result<std::unique_ptr<PdfText>> Open(const std::string& path, ChildReader::Limits limits = {});
  // The same for a PDF in memory (an archive's member).
  static Result<std::unique_ptr<PdfText>> FromData(std::string_view data, ChildReader::Limits limits = {});

  int pages() const { return pages_; }
  // The next page's text, in order, in UTF-8, its lines as laid out (empty for a page without
  // text, a scanned image); false when the reader failed (error() says how).
  bool NextPage(std::string& text);
  const std::string& error() const { return reader_->error(); }

 private:
  PdfText(std::unique_ptr<ChildReader> reader, int pages) : reader_(std::move(reader)), pages_(pages) {}
  static Result<std::unique_ptr<PdfText>> Start(char from, std::string_view what, ChildReader::Limits limits);

  std::unique_ptr<ChildReader> reader_;
  int pages_;
};

}  // namespace steward::scan::internal
