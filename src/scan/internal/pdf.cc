#include "scan/internal/pdf.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "scan/internal/pdf_module.h"

namespace steward::scan::internal {
namespace {

// libsteward-pdf.so, opened in the scanning process when it first reads a PDF, before it forks
// that PDF's reader (a fork while another thread holds the loader's lock would leave the reader
// unable to open it): $STEWARD_PDF_MODULE, else the one beside the executable, else the one
// this build made. Null, with why, when none opens.
struct PdfModule {
  decltype(&steward_pdf_read) read = nullptr;
  std::string error;
};

const PdfModule& Module() {
  static const PdfModule module = [] {
    PdfModule m;
    std::vector<std::string> paths;
    if (const char* env = std::getenv("STEWARD_PDF_MODULE"); env != nullptr && *env != '\0') paths.emplace_back(env);
    char exe[PATH_MAX];
    if (const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1); n > 0) {
      std::string dir(exe, static_cast<size_t>(n));
      dir.resize(dir.rfind('/') + 1);
      paths.push_back(dir + "libsteward-pdf.so");
    }
#ifdef STEWARD_PDF_MODULE
    paths.emplace_back(STEWARD_PDF_MODULE);
#endif
    for (const std::string& path : paths) {
      void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) {
        if (m.error.empty() || ::access(path.c_str(), F_OK) == 0) m.error = ::dlerror();
        continue;
      }
      m.read = reinterpret_cast<decltype(&steward_pdf_read)>(::dlsym(handle, "steward_pdf_read"));
      if (m.read != nullptr) return m;
      m.error = path + " has no steward_pdf_read";
    }
    if (m.error.empty()) m.error = "libsteward-pdf.so not found";
    return m;
  }();
  return module;
}

// The frames the reader sends (ChildWriter): O the document opened, its page count (4 bytes,
// little-endian); E it cannot be read, why; P a page's text, one a page in order.
int SendOpened(void* context, int pages) {
  const std::string count = {static_cast<char>(pages & 0xff), static_cast<char>((pages >> 8) & 0xff), static_cast<char>((pages >> 16) & 0xff),
                             static_cast<char>((pages >> 24) & 0xff)};
  return static_cast<ChildWriter*>(context)->Write('O', count) ? 1 : 0;
}

int SendPage(void* context, const char* text, size_t size) {
  return static_cast<ChildWriter*>(context)->Write('P', std::string_view(text, size)) ? 1 : 0;
}

// A job for the reader: 'p' and a file's path, or 'd' and a PDF's bytes.
bool PdfJob(ChildWriter& out, std::string_view request) {
  if (request.empty()) return false;
  const std::string_view what = request.substr(1);
  const bool is_path = request[0] == 'p';
  const std::string path = is_path ? std::string(what) : std::string();  // NUL-terminated
  switch (Module().read(is_path ? path.c_str() : what.data(), what.size(), is_path, &out, SendOpened, SendPage)) {
    case kStewardPdfRead: return true;
    case kStewardPdfUnreadable: return out.Write('E', "not a readable PDF");
    case kStewardPdfEncrypted: return out.Write('E', "an encrypted PDF (it needs a password)");
    default: return false;
  }
}

}  // namespace

Result<std::unique_ptr<PdfText>> PdfText::Open(const std::string& path, ChildReader::Limits limits) { return Start('p', path, limits); }

Result<std::unique_ptr<PdfText>> PdfText::FromData(std::string_view data, ChildReader::Limits limits) {
  if (data.size() > static_cast<size_t>(std::numeric_limits<int>::max())) return Fail(ErrorCode::kInvalidArgument, "a PDF too large to read in memory");
  return Start('d', data, limits);
}

Result<std::unique_ptr<PdfText>> PdfText::Start(char from, std::string_view what, ChildReader::Limits limits) {
  if (Module().read == nullptr) return Fail(ErrorCode::kInternal, "PDFs cannot be read here: " + Module().error);
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
