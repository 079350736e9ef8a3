// Published notice versions. Publishing stores the rendered text with its content hash, the
// hash of the inventory it came from and its effective date, audited; publishing unchanged text
// again is a no-op. Requests record the policy version in force when they arrive. Warnings say
// when a published policy is over 12 months old (Civ. Code 1798.130(a)(5) requires a yearly
// update) or the inventory changed since it was published. Thread-safe (state is in the store).
#pragma once

#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/error.h"
#include "notice/notice.h"
#include "store/store.h"

namespace steward::notice {

struct PublishResult {
  int64_t id = 0;
  bool unchanged = false;  // the same text was already the newest version
};

// Renders `kind`/`format` from `input` and publishes it effective `input.last_updated`.
Result<PublishResult> Publish(store::Store& store, const Clock& clock, Kind kind, Format format,
                              const RenderInput& input, const std::string& actor);

// Human-readable warnings about the published versions against the current inventory.
Result<std::vector<std::string>> Warnings(store::Store& store, const inventory::Inventory& inventory, Date today);

// A unified-style line diff ("- old", "+ new", "  same") of two published versions.
Result<std::string> Diff(store::Store& store, int64_t from_id, int64_t to_id);
// The same, of two texts.
std::string DiffLines(const std::string& from, const std::string& to);

std::string_view Name(Kind kind);
std::string_view Name(Format format);

}  // namespace steward::notice
