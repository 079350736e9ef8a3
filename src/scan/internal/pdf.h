// PDF files read as their text, page by page, through poppler (Debian's libpoppler-cpp): each
// page's text laid out as printed (its physical layout, as `pdftotext -layout` gives it), so a
// form's label and its value stay on one line ("SSN        536-22-7000"). Poppler's own messages
// are not printed; an encrypted or broken file is an error.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"

namespace poppler {
class document;
}

namespace steward::scan::internal {

class PdfText {
 public:
  // Errors: invalid_argument when the file is no readable PDF, or is encrypted.
  static Result<PdfText> Open(const std::string& path);
  // The same for a PDF in memory (an archive's member), kept while the PdfText lives.
  static Result<PdfText> FromData(std::string data);
  PdfText(PdfText&&) noexcept;
  PdfText& operator=(PdfText&&) = delete;
  ~PdfText();

  int pages() const;
  // Page `index`'s text (0-based) in UTF-8, its lines as laid out; empty for a page without
  // text (a scanned image).
  std::string PageText(int index) const;

 private:
  explicit PdfText(poppler::document* doc);
  static Result<PdfText> Checked(poppler::document* doc, bool locked, const std::string& where);
  std::unique_ptr<std::string> data_;  // FromData's bytes, which the document reads from
  std::unique_ptr<poppler::document> doc_;
};

}  // namespace steward::scan::internal
