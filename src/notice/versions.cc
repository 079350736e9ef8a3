#include "notice/versions.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "audit/audit.h"
#include "core/secrets.h"

namespace steward::notice {

std::string_view Name(Kind kind) {
  switch (kind) {
    case Kind::kPolicy: return "policy";
    case Kind::kCollection: return "collection";
    case Kind::kGdpr: return "gdpr";
    case Kind::kRopa: return "ropa";
    case Kind::kIncentive: return "incentive";
  }
  return "policy";
}

std::string_view Name(Format format) { return format == Format::kHtml ? "html" : "md"; }

Result<PublishResult> Publish(store::Store& store, const Clock& clock, Kind kind, Format format,
                              const RenderInput& input, const std::string& actor) {
  ASSIGN_OR_RETURN(std::string text, Render(kind, format, input));
  store::NoticeVersionRow row;
  row.kind = std::string(Name(kind));
  row.format = std::string(Name(format));
  row.content_hash = Sha256Hex(text);
  row.inventory_hash = input.inventory.source_hash;
  row.effective_date = FormatDate(input.last_updated);
  row.published_at = ToMillis(clock.Now());
  row.published_by = actor;
  row.content = std::move(text);
  PublishResult result;
  RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto existing, tx.ListNoticeVersions(row.kind, row.format));
    if (!existing.empty() && existing.front().content_hash == row.content_hash) {
      result = {existing.front().id, true};
      return Ok();
    }
    ASSIGN_OR_RETURN(result.id, tx.InsertNoticeVersion(row));
    return audit::Append(tx, clock.Now(),
                         {actor, "notice.published", fmt::format("notice:{}", result.id),
                          nlohmann::json{{"kind", row.kind}, {"format", row.format}, {"content_hash", row.content_hash},
                                         {"inventory_hash", row.inventory_hash}, {"effective_date", row.effective_date}}
                              .dump()});
  }));
  return result;
}

Result<std::vector<std::string>> Warnings(store::Store& store, const inventory::Inventory& inventory, Date today) {
  std::vector<std::string> out;
  RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto policies, tx.ListNoticeVersions("policy", ""));
    if (policies.empty()) {
      out.push_back("No privacy policy has been published yet: run `steward notice publish --kind policy`.");
      return Ok();
    }
    const auto& newest = policies.front();
    auto effective = ParseDate(newest.effective_date);
    if (effective && AddMonthsClamped(*effective, 12) < today) {
      out.push_back(fmt::format("The privacy policy in force (version {}, effective {}) is more than 12 months old; the "
                                "CCPA requires it to be updated at least once every 12 months.",
                                newest.id, newest.effective_date));
    }
    ASSIGN_OR_RETURN(auto all, tx.ListNoticeVersions("", ""));
    std::vector<std::string> stale;
    for (const auto& v : all) {
      const std::string key = v.kind + "/" + v.format;
      bool newest_of_its_kind = true;
      for (const auto& w : all) {
        if (w.kind == v.kind && w.format == v.format && w.id > v.id) newest_of_its_kind = false;
      }
      if (newest_of_its_kind && v.inventory_hash != inventory.source_hash) stale.push_back(fmt::format("{} (version {})", key, v.id));
    }
    if (!stale.empty()) {
      std::string list;
      for (const auto& s : stale) list += (list.empty() ? "" : ", ") + s;
      out.push_back(fmt::format("The inventory changed since these published notices were rendered: {}. Publish them again.", list));
    }
    return Ok();
  }));
  return out;
}

namespace {
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}
}  // namespace

std::string DiffLines(const std::string& from, const std::string& to) {
  const auto a = Lines(from), b = Lines(to);
  // Longest common subsequence table; notices are a few hundred lines.
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::string out;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      out += "  " + a[i++] + "\n";
      ++j;
    } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out += "+ " + b[j++] + "\n";
    } else {
      out += "- " + a[i++] + "\n";
    }
  }
  return out;
}

Result<std::string> Diff(store::Store& store, int64_t from_id, int64_t to_id) {
  std::string out;
  RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto from, tx.GetNoticeVersion(from_id));
    if (!from) return Fail(ErrorCode::kNotFound, "no such notice version", "from");
    ASSIGN_OR_RETURN(auto to, tx.GetNoticeVersion(to_id));
    if (!to) return Fail(ErrorCode::kNotFound, "no such notice version", "to");
    out = fmt::format("--- version {} ({} {}, effective {})\n+++ version {} ({} {}, effective {})\n", from->id, from->kind,
                      from->format, from->effective_date, to->id, to->kind, to->format, to->effective_date) +
          DiffLines(from->content, to->content);
    return Ok();
  }));
  return out;
}

}  // namespace steward::notice
