// A small document model — headings, paragraphs, lists, tables — and its two renderings:
// Markdown and accessible HTML (real tables with captions and header cells, headings in
// order, a language). Both renderings are deterministic: the same document gives the same
// bytes, so a diff between two versions shows exactly what changed. Plain data; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace steward::notice {

struct Table {
  std::string caption;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // the first cell of each row is its header cell
};

struct Block {
  enum class Kind { kHeading, kParagraph, kList, kTable };
  Kind kind = Kind::kParagraph;
  int level = 2;  // headings
  std::string text;
  std::vector<std::string> items;  // lists
  Table table;
};

struct Document {
  std::string title;
  std::string lang = "en";
  std::vector<Block> blocks;

  void Heading(int level, std::string text);
  void Paragraph(std::string text);
  void List(std::vector<std::string> items);
  void AddTable(Table table);
};

std::string RenderMarkdown(const Document& doc);
std::string RenderHtml(const Document& doc);

}  // namespace steward::notice
