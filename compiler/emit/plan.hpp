// The JSON plan: everything a runtime needs to execute a file's sequences.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "emit/plan_read.hpp"
#include "sema/check.hpp"

namespace cadence {

/// Builds the plan of a checked module that has no errors. Deterministic:
/// the same input gives the same document, byte for byte.
[[nodiscard]] nlohmann::ordered_json build_plan(const CheckResult& checked);

/// The plan as text: two-space indented JSON with a final newline.
[[nodiscard]] std::string plan_text(const nlohmann::ordered_json& plan);

/// kMaxPlanMinutes (plan_read.hpp) is out of any source's reach: a path's
/// time is at most 30 days per wait, and a wait takes at least nine bytes of
/// source ("wait 30d" and a separator).
static_assert(static_cast<int64_t>(kMaxSourceBytes / 9) * kMaxWaitMinutes < kMaxPlanMinutes);

/// Writes the plan's text (the same bytes as plan_text(build_plan(checked)))
/// to `out` piece by piece, calling `flush` after each step so that the
/// caller can move the text on: memory holds one step, not the document.
void write_plan(const CheckResult& checked, std::string& out, const std::function<void()>& flush);

}  // namespace cadence
