// Comparing two versions of a file's sequences the way a runtime with live
// enrolments sees them (in the manner of `buf breaking`). Both sides are
// JSON plans; sources are compiled first.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cadence {

struct PlanChange {
  std::string sequence;
  std::string step;  // empty for sequence-level changes
  std::string kind;  // e.g. "step-removed", "wait-changed"
  bool breaking = false;
  std::string message;  // what changed and what it means for live enrolments
};

/// The changes from `old_plan` to `new_plan`, sequence by sequence in the
/// order of the old plan (new sequences last), steps in plan order. Both
/// plans must be well formed (plan_problem() says nothing): a plan compared
/// with itself has no changes.
[[nodiscard]] std::vector<PlanChange> diff_plans(const nlohmann::json& old_plan, const nlohmann::json& new_plan);

}  // namespace cadence
