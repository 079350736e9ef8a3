#include "fulfil/package.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "core/text.h"
#include "inventory/taxonomy.h"

namespace steward::fulfil {
namespace {

using connect::Cell;
using connect::Kind;
using connect::Row;
using nlohmann::json;

json ToJson(const Cell& c) {
  switch (c.kind) {
    case Kind::kNull: return nullptr;
    case Kind::kBool: return c.text == "true";
    case Kind::kInt:
      try {
        return std::stoll(c.text);
      } catch (...) {
        return c.text;
      }
    case Kind::kReal:
      try {
        size_t used = 0;
        const double v = std::stod(c.text, &used);
        if (used == c.text.size()) return v;
      } catch (...) {
      }
      return c.text;
    case Kind::kText: return c.text;
  }
  return nullptr;
}

std::string CsvField(const Cell& c) {
  if (c.null()) return "";
  std::string v = c.text;
  // A spreadsheet would run a value starting like a formula: neutralise it.
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') && c.kind == Kind::kText) v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string RetentionText(const inventory::DataCategory& c) {
  if (!c.retention.declared) return "Not stated";
  if (!c.retention.criterion.empty()) return c.retention.criterion;
  return fmt::format("{} {}{}", c.retention.count, c.retention.unit,
                     c.retention.after.empty() ? "" : " after " + c.retention.after);
}

std::optional<Date> DateOf(const Cell& c) {
  if (c.null() || c.text.size() < 10 || c.text[4] != '-' || c.text[7] != '-') return std::nullopt;
  auto d = ParseDate(c.text.substr(0, 10));
  if (!d) return std::nullopt;
  return *d;
}

}  // namespace

std::vector<const inventory::DataCategory*> CategoriesFor(const inventory::Inventory& inv, std::string_view key) {
  std::vector<std::pair<size_t, const inventory::DataCategory*>> matches;
  for (const auto& c : inv.categories) {
    if (!c.collected) continue;
    size_t best = 0;
    for (const std::string& f : c.fideslang) {
      // The field's key is the category's key, or more specific than it.
      if (key == f || (key.size() > f.size() && key.starts_with(f) && key[f.size()] == '.')) best = std::max(best, f.size());
    }
    if (best) matches.emplace_back(best, &c);
  }
  std::stable_sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<const inventory::DataCategory*> out;
  for (const auto& [len, c] : matches) {
    if (len == matches.front().first) out.push_back(c);  // only the most specific
  }
  return out;
}

class PackageWriter::Impl {
 public:
  struct Output {
    std::string dataset, collection;
    std::vector<std::string> columns;  // what is written
    std::vector<size_t> positions;     // their positions in the traversal row
    std::vector<std::vector<std::string>> categories;  // per written column
    std::filesystem::path json_path, csv_path;
    std::FILE* json = nullptr;
    std::FILE* csv = nullptr;
    int64_t rows = 0;
    std::optional<size_t> timestamp;
  };

  class Sink final : public RowSink {
   public:
    Sink(Impl& impl, const Graph& graph) : impl_(impl), graph_(graph) {}
    Status OnRow(size_t c, const Row& row) override { return impl_.Write(graph_, c, row); }

   private:
    Impl& impl_;
    const Graph& graph_;
  };

  Impl(std::filesystem::path scratch, const inventory::Inventory& inv, PackageOptions options)
      : scratch_(std::move(scratch)), inv_(inv), options_(std::move(options)) {}
  ~Impl() {
    for (auto& [k, o] : outputs_) Close(o);
    std::error_code ec;
    std::filesystem::remove_all(scratch_, ec);
  }

  static void Close(Output& o) {
    if (o.json) std::fclose(o.json);
    if (o.csv) std::fclose(o.csv);
    o.json = o.csv = nullptr;
  }

  Status Write(const Graph& g, size_t c, const Row& row) {
    const Collection& col = g.dataset->collections[c];
    const std::string id = g.dataset->key + "/" + col.name;
    auto it = outputs_.find(id);
    if (it == outputs_.end()) {
      Output o{.dataset = g.dataset->key, .collection = col.name};
      for (const Field& f : col.fields) {
        if (options_.provided_only && !f.provided) continue;
        o.columns.push_back(f.name);
        o.positions.push_back(g.ColumnIndex(c, f.name));
        o.categories.push_back(f.categories);
      }
      if (!col.timestamp.empty()) o.timestamp = g.ColumnIndex(c, col.timestamp);
      it = outputs_.emplace(id, std::move(o)).first;
    }
    Output& o = it->second;
    if (o.columns.empty()) return {};
    if (options_.since && o.timestamp) {
      const auto d = DateOf(row[*o.timestamp]);
      if (d && std::chrono::sys_days(*d) < std::chrono::sys_days(*options_.since)) return {};
    }
    if (!o.json) RETURN_IF_ERROR(Open(o));
    json obj = json::object();
    std::string line;
    for (size_t i = 0; i < o.columns.size(); ++i) {
      const Cell& cell = row[o.positions[i]];
      obj[o.columns[i]] = ToJson(cell);
      if (i) line += ',';
      line += CsvField(cell);
      if (!cell.null()) {
        for (const std::string& key : o.categories[i]) found_[key].insert(o.dataset + "." + o.collection + "." + o.columns[i]);
      }
    }
    const std::string text = obj.dump(-1, ' ', false, json::error_handler_t::replace);
    line += "\r\n";
    if (std::fprintf(o.json, "%s  %s", o.rows ? ",\n" : "", text.c_str()) < 0 ||
        std::fwrite(line.data(), 1, line.size(), o.csv) != line.size()) {
      return Fail(ErrorCode::kInternal, "writing the access package failed");
    }
    ++o.rows;
    return {};
  }

  Status Open(Output& o) {
    std::filesystem::create_directories(scratch_ / o.dataset);
    o.json_path = scratch_ / o.dataset / (o.collection + ".json");
    o.csv_path = scratch_ / o.dataset / (o.collection + ".csv");
    o.json = std::fopen(o.json_path.c_str(), "wb");
    o.csv = std::fopen(o.csv_path.c_str(), "wb");
    if (!o.json || !o.csv) return Fail(ErrorCode::kInternal, "cannot write the access package's files");
    std::fputs("[\n", o.json);
    std::string header;
    for (size_t i = 0; i < o.columns.size(); ++i) {
      if (i) header += ',';
      header += o.columns[i];
    }
    header += "\r\n";
    std::fwrite(header.data(), 1, header.size(), o.csv);
    return {};
  }

  PackageSummary Summary() const {
    PackageSummary s;
    s.unreachable = unreachable_;
    for (const auto& [id, o] : outputs_) {
      if (o.rows == 0) continue;
      s.rows += o.rows;
      s.rows_per_collection[o.dataset + "." + o.collection] = o.rows;
    }
    std::map<std::string, FoundCategory> by_id;
    for (const auto& [key, where] : found_) {
      const auto cats = CategoriesFor(inv_, key);
      if (cats.empty()) {
        if (key == "user" || key.starts_with("user.")) s.unmapped_categories.push_back(key);
        continue;
      }
      for (const inventory::DataCategory* c : cats) {
        FoundCategory& f = by_id[c->id];
        if (f.id.empty()) {
          const auto& info = inventory::InfoFor(c->ccpa);
          f = FoundCategory{.id = c->id, .name = c->name, .ccpa_letter = std::string(info.letter),
                            .ccpa_name = std::string(info.statutory_name), .sensitive = c->sensitive};
          for (const auto& src : c->sources) {
            const auto* s2 = inv_.FindSource(src);
            f.sources.push_back(s2 ? s2->name : src);
          }
          for (const auto& p : c->purposes) {
            const auto* p2 = inv_.FindPurpose(p);
            f.purposes.push_back(p2 ? p2->name : p);
          }
          auto names = [&](const std::vector<std::string>& ids) {
            std::vector<std::string> out;
            for (const auto& r : ids) {
              const auto* r2 = inv_.FindRecipient(r);
              out.push_back(r2 ? r2->name : r);
            }
            return out;
          };
          f.disclosed_to = names(c->disclosed_to);
          f.sold_to = names(c->sold_to);
          f.shared_to = names(c->shared_to);
          f.retention = RetentionText(*c);
        }
        f.fields.insert(where.begin(), where.end());
      }
    }
    for (auto& [id, f] : by_id) s.categories.push_back(std::move(f));
    return s;
  }

  Result<PackageSummary> Finish(const InstanceKey& key, const std::filesystem::path& sealed_out) {
    for (auto& [id, o] : outputs_) {
      if (o.json) std::fputs("\n]\n", o.json);
      Close(o);
    }
    PackageSummary summary = Summary();
    const json manifest = ManifestJson(summary);
    const std::string manifest_text = manifest.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    const std::string html = SummaryEscapeHtml(summary);
    const std::filesystem::path zip_path = scratch_ / "package.zip";
    int error = 0;
    zip_t* z = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!z) return Fail(ErrorCode::kInternal, "cannot create the access package zip");
    auto add_buffer = [&](const std::string& name, const std::string& content) {
      zip_source_t* src = zip_source_buffer(z, content.data(), content.size(), 0);
      return src && zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8) >= 0;
    };
    bool ok = add_buffer("manifest.json", manifest_text) && add_buffer("summary.html", html);
    if (options_.request_type != "know_categories") {
      for (const auto& [id, o] : outputs_) {
        if (o.rows == 0) continue;
        for (const auto& [path, ext] : {std::pair{o.json_path, ".json"}, std::pair{o.csv_path, ".csv"}}) {
          if (options_.provided_only && std::string_view(ext) == ".csv") continue;
          zip_source_t* src = zip_source_file(z, path.c_str(), 0, -1);
          ok = ok && src && zip_file_add(z, (o.dataset + "/" + o.collection + ext).c_str(), src, ZIP_FL_ENC_UTF_8) >= 0;
        }
      }
    }
    if (!ok || zip_close(z) != 0) {
      zip_discard(z);  // after a failed zip_close the archive is still ours to free
      return Fail(ErrorCode::kInternal, "writing the access package zip failed");
    }
    RETURN_IF_ERROR(key.SealFile(zip_path, sealed_out));
    return summary;
  }

  json ManifestJson(const PackageSummary& s) const {
    json m;
    m["request_id"] = options_.request_id;
    m["request_type"] = options_.request_type;
    m["business"] = inv_.organization.name;
    m["generated_on"] = FormatDate(options_.today);
    m["lookback_since"] = options_.since ? json(FormatDate(*options_.since)) : json(nullptr);
    m["rows"] = s.rows;
    m["files"] = json::object();
    for (const auto& [c, n] : s.rows_per_collection) m["files"][c] = n;
    m["categories"] = json::array();
    for (const auto& c : s.categories) {
      m["categories"].push_back({{"id", c.id},
                                 {"name", c.name},
                                 {"ccpa_category", c.ccpa_letter},
                                 {"ccpa_label", c.ccpa_name},
                                 {"sensitive", c.sensitive.empty() ? json(nullptr) : json(c.sensitive)},
                                 {"sources", c.sources},
                                 {"purposes", c.purposes},
                                 {"disclosed_to", c.disclosed_to},
                                 {"sold_to", c.sold_to},
                                 {"shared_to", c.shared_to},
                                 {"retention", c.retention},
                                 {"found_in", c.fields}});
    }
    m["categories_not_in_the_notice"] = s.unmapped_categories;
    return m;
  }

  std::string SummaryEscapeHtml(const PackageSummary& s) const {
    std::string h = fmt::format(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your personal information at {0}</title>"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>\n<body>\n"
        "<h1>Your personal information at {0}</h1>\n<p>Request {1}, prepared on {2}.{3}</p>\n",
        EscapeHtml(inv_.organization.name), EscapeHtml(options_.request_id), FormatDate(options_.today),
        options_.since ? " It covers what we hold from " + FormatDate(*options_.since) + " on." : "");
    if (s.categories.empty()) {
      h += "<p>We found no personal information about you in our systems.</p>\n";
    } else {
      h += "<h2>What we hold</h2>\n<table>\n<thead><tr><th scope=\"col\">Category</th><th scope=\"col\">Where it came "
           "from</th><th scope=\"col\">Why we use it</th><th scope=\"col\">Who receives it</th><th scope=\"col\">Sold "
           "or shared</th><th scope=\"col\">How long we keep it</th></tr></thead>\n<tbody>\n";
      for (const auto& c : s.categories) {
        std::vector<std::string> sold;
        for (const auto& r : c.sold_to) sold.push_back("sold to " + r);
        for (const auto& r : c.shared_to) sold.push_back("shared with " + r);
        h += fmt::format("<tr><th scope=\"row\">{} (category {}: {})</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                         "<td>{}</td></tr>\n",
                         EscapeHtml(c.name), EscapeHtml(c.ccpa_letter), EscapeHtml(c.ccpa_name), EscapeHtml(Join(c.sources)),
                         EscapeHtml(Join(c.purposes)), EscapeHtml(Join(c.disclosed_to)), EscapeHtml(sold.empty() ? "No" : Join(sold)),
                         EscapeHtml(c.retention));
      }
      h += "</tbody>\n</table>\n";
    }
    if (options_.request_type != "know_categories" && !s.rows_per_collection.empty()) {
      h += "<h2>The files in this package</h2>\n<ul>\n";
      for (const auto& [c, n] : s.rows_per_collection) {
        h += fmt::format("<li>{}: {} record{}</li>\n", EscapeHtml(c), n, n == 1 ? "" : "s");
      }
      h += "</ul>\n<p>Each is included as JSON (for programs) and CSV (for spreadsheets). manifest.json describes "
           "everything in machine-readable form.</p>\n";
    }
    h += "</body></html>\n";
    return h;
  }

  std::filesystem::path scratch_;
  const inventory::Inventory& inv_;
  PackageOptions options_;
  std::map<std::string, Output> outputs_;
  std::map<std::string, std::set<std::string>> found_;  // fideslang key → fields holding it
  std::vector<std::string> unreachable_;
  std::vector<std::unique_ptr<Sink>> sinks_;
};

PackageWriter::PackageWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PackageWriter::~PackageWriter() = default;

Result<std::unique_ptr<PackageWriter>> PackageWriter::Create(const std::filesystem::path& scratch,
                                                             const inventory::Inventory& inventory,
                                                             PackageOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(scratch, ec);
  if (ec) return Fail(ErrorCode::kInternal, "cannot create the package scratch directory", scratch.string());
  std::filesystem::permissions(scratch, std::filesystem::perms::owner_all, ec);
  return std::unique_ptr<PackageWriter>(
      new PackageWriter(std::make_unique<Impl>(scratch, inventory, std::move(options))));
}

RowSink& PackageWriter::ForDataset(const Graph& graph) {
  impl_->sinks_.push_back(std::make_unique<Impl::Sink>(*impl_, graph));
  return *impl_->sinks_.back();
}

void PackageWriter::AddUnreachable(const std::string& dataset, const std::vector<std::string>& collections) {
  for (const auto& c : collections) impl_->unreachable_.push_back(dataset + "." + c);
}

Result<PackageSummary> PackageWriter::Finish(const InstanceKey& key, const std::filesystem::path& sealed_out) {
  return impl_->Finish(key, sealed_out);
}

PackageSummary PackageWriter::Summary() const { return impl_->Summary(); }

}  // namespace steward::fulfil
