// Echoing untrusted text back in messages and pages. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace steward {

// `input` made safe to show in an error message, a terminal or JSON: valid UTF-8 is kept,
// control characters and invalid bytes become \xNN, an empty string becomes "" (two quote
// marks), and anything past `max_chars` bytes is cut with "…".
std::string Printable(std::string_view input, size_t max_chars = 80);

// `input` with & < > " ' escaped, safe in HTML text and attribute values.
std::string EscapeHtml(std::string_view input);

// `input` with ASCII letters lowercased; other bytes (UTF-8 included) are kept as they are.
std::string AsciiLower(std::string_view input);

}  // namespace steward
