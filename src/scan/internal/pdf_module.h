// The C interface of libsteward-pdf.so, the module that holds poppler (pdf_module.cc). Poppler
// and the thirty-odd libraries it needs are loaded only when a scan first reads a PDF (pdf.cc
// opens the module then, before any reader process is forked), not at every command's start.
#pragma once

#include <cstddef>

extern "C" {

// Called once the document is open, with its page count; then once per page, in order, with
// the page's text in UTF-8 as laid out. Either returns 0 to stop (the reader's pipe broke).
using StewardPdfOpened = int (*)(void* context, int pages);
using StewardPdfPage = int (*)(void* context, const char* text, size_t size);

// What steward_pdf_read returns.
enum StewardPdfResult { kStewardPdfRead = 0, kStewardPdfStopped = 1, kStewardPdfUnreadable = 2, kStewardPdfEncrypted = 3 };

// Reads the PDF at the path `data` (NUL-terminated) when `is_path`, else the `size` bytes at
// `data`, which must outlive the call.
int steward_pdf_read(const char* data, size_t size, int is_path, void* context, StewardPdfOpened opened, StewardPdfPage page);

}  // extern "C"
