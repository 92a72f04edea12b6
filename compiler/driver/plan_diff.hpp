// Comparing two versions of a file's sequences the way a runtime with live
// enrolments sees them (in the manner of `buf breaking`). Both sides are
// JSON plans; sources are compiled first.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cadence {

struct PlanChange {
  std::string sequence;
  std::string step;  // empty for sequence-level changes
  std::string kind;  // e.g. "step-removed", "wait-changed"
  bool breaking = false;
  /// "breaking" (live enrolments are stranded, lose an exit or change
  /// audience), "risky" (more volume, automatic sending, less engagement
  /// checking), "content" (copy, scripts, notes, titles) or "change".
  std::string category = "change";
  std::string message;  // what changed and what it means for live enrolments
};

/// The change's category as `cadence diff` labels it, eight columns wide:
/// "BREAKING", "risky   ", "content " or "change  ".
[[nodiscard]] const char* change_label(const PlanChange& change);

/// The changes from `old_plan` to `new_plan`, sequence by sequence in the
/// order of the old plan (new sequences last), steps in plan order. Both
/// plans must be well formed (plan_problem() says nothing): a plan compared
/// with itself has no changes, and any other difference in what a runtime
/// executes is reported (members without a rule of their own are compared
/// generically, so a new plan member cannot be missed).
[[nodiscard]] std::vector<PlanChange> diff_plans(const nlohmann::json& old_plan, const nlohmann::json& new_plan);

}  // namespace cadence
