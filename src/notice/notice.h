// Notices rendered from the inventory, so what the business publishes and what Steward runs
// on cannot disagree: the CCPA privacy policy, the notice at collection, the GDPR art. 13/14
// information, the art. 30 record of processing and the Notice of Financial Incentive. Each build first checks that the inventory
// states everything that kind of notice must say, and refuses (invalid_argument naming the
// field and line) rather than render a partial notice. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/calendar.h"
#include "core/error.h"
#include "inventory/inventory.h"
#include "notice/document.h"
#include "rights/rules.h"

namespace steward::notice {

enum class Kind { kPolicy, kCollection, kGdpr, kRopa, kIncentive };
enum class Format { kMarkdown, kHtml };

Result<Kind> ParseKind(std::string_view s);      // policy | collection | gdpr | ropa | incentive
Result<Format> ParseFormat(std::string_view s);  // md | html

struct RenderInput {
  const inventory::Inventory& inventory;
  const rights::RulesTable& rules;
  Date last_updated;
};

Result<Document> Build(Kind kind, const RenderInput& input);
Result<std::string> Render(Kind kind, Format format, const RenderInput& input);

}  // namespace steward::notice
