#include "notice/document.h"

#include "core/text.h"

#include <fmt/format.h>

namespace steward::notice {

void Document::Heading(int level, std::string text) {
  Block b;
  b.kind = Block::Kind::kHeading;
  b.level = level;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

void Document::Paragraph(std::string text) {
  Block b;
  b.kind = Block::Kind::kParagraph;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

void Document::List(std::vector<std::string> items) {
  Block b;
  b.kind = Block::Kind::kList;
  b.items = std::move(items);
  blocks.push_back(std::move(b));
}

void Document::AddTable(Table table) {
  Block b;
  b.kind = Block::Kind::kTable;
  b.table = std::move(table);
  blocks.push_back(std::move(b));
}

namespace {

// Markdown: escape what would start markup inside a table cell or line.
std::string MdCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += "<br>";
    else out += c;
  }
  return out;
}


// Turns bare https:// URLs into links (HTML) after escaping.
std::string HtmlText(const std::string& s) {
  std::string escaped = EscapeHtml(s);
  std::string out;
  size_t i = 0;
  while (i < escaped.size()) {
    size_t start = escaped.find("https://", i);
    if (start == std::string::npos) {
      out += escaped.substr(i);
      break;
    }
    size_t end = escaped.find_first_of(" ),;\n", start);
    if (end == std::string::npos) end = escaped.size();
    while (end > start && (escaped[end - 1] == '.' || escaped[end - 1] == ':')) --end;
    out += escaped.substr(i, start - i);
    const std::string url = escaped.substr(start, end - start);
    out += fmt::format("<a href=\"{}\">{}</a>", url, url);
    i = end;
  }
  return out;
}

}  // namespace

std::string RenderMarkdown(const Document& doc) {
  std::string out = fmt::format("# {}\n", doc.title);
  for (const auto& b : doc.blocks) {
    out += '\n';
    switch (b.kind) {
      case Block::Kind::kHeading:
        out += fmt::format("{} {}\n", std::string(static_cast<size_t>(b.level), '#'), b.text);
        break;
      case Block::Kind::kParagraph:
        out += b.text + "\n";
        break;
      case Block::Kind::kList:
        for (const auto& item : b.items) out += fmt::format("- {}\n", item);
        break;
      case Block::Kind::kTable: {
        if (!b.table.caption.empty()) out += fmt::format("**{}**\n\n", b.table.caption);
        std::string header = "|", rule = "|";
        for (const auto& h : b.table.headers) {
          header += fmt::format(" {} |", MdCell(h));
          rule += " --- |";
        }
        out += header + "\n" + rule + "\n";
        for (const auto& row : b.table.rows) {
          std::string line = "|";
          for (const auto& cell : row) line += fmt::format(" {} |", MdCell(cell));
          out += line + "\n";
        }
        break;
      }
    }
  }
  return out;
}

std::string RenderHtml(const Document& doc) {
  std::string out = fmt::format(
      "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n"
      "<style>body{{font-family:system-ui,sans-serif;line-height:1.5;max-width:60rem;margin:0 auto;padding:1rem;color:#1a1a1a}}"
      "table{{border-collapse:collapse;width:100%;margin:1rem 0}}th,td{{border:1px solid #888;padding:.4rem;text-align:left;"
      "vertical-align:top}}caption{{font-weight:bold;text-align:left;padding:.4rem 0}}thead th{{background:#eee}}"
      "a{{color:#0645ad}}a:focus{{outline:3px solid #ffbf47}}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
      EscapeHtml(doc.lang), EscapeHtml(doc.title), EscapeHtml(doc.title));
  for (const auto& b : doc.blocks) {
    switch (b.kind) {
      case Block::Kind::kHeading:
        out += fmt::format("<h{0}>{1}</h{0}>\n", b.level, EscapeHtml(b.text));
        break;
      case Block::Kind::kParagraph:
        out += fmt::format("<p>{}</p>\n", HtmlText(b.text));
        break;
      case Block::Kind::kList:
        out += "<ul>\n";
        for (const auto& item : b.items) out += fmt::format("<li>{}</li>\n", HtmlText(item));
        out += "</ul>\n";
        break;
      case Block::Kind::kTable:
        out += "<table>\n";
        if (!b.table.caption.empty()) out += fmt::format("<caption>{}</caption>\n", EscapeHtml(b.table.caption));
        out += "<thead><tr>";
        for (const auto& h : b.table.headers) out += fmt::format("<th scope=\"col\">{}</th>", EscapeHtml(h));
        out += "</tr></thead>\n<tbody>\n";
        for (const auto& row : b.table.rows) {
          out += "<tr>";
          for (size_t i = 0; i < row.size(); ++i) {
            out += i == 0 ? fmt::format("<th scope=\"row\">{}</th>", HtmlText(row[i]))
                          : fmt::format("<td>{}</td>", HtmlText(row[i]));
          }
          out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n";
        break;
    }
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace steward::notice
