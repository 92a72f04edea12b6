// The JSON plan: everything a runtime needs to execute a file's sequences.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "sema/check.hpp"

namespace cadence {

/// Version of the plan format; bumped on any incompatible change. The JSON
/// Schema for each version ships as docs/plan-v<N>.schema.json.
inline constexpr int kPlanFormatVersion = 1;
/// The plan document's "format" member: what marks a JSON file as a plan.
inline constexpr std::string_view kPlanFormat = "cadence-plan";

/// Builds the plan of a checked module that has no errors. Deterministic:
/// the same input gives the same document, byte for byte.
[[nodiscard]] nlohmann::ordered_json build_plan(const CheckResult& checked);

/// The plan as text: two-space indented JSON with a final newline.
[[nodiscard]] std::string plan_text(const nlohmann::ordered_json& plan);

/// The largest number of minutes a plan holds anywhere (timing, delays, the
/// summary's figures and counts): 2^42, about 8 million years. No source
/// reaches it: a path's time is at most 30 days per wait, and a wait takes
/// at least nine bytes of source ("wait 30d" and a separator). Readers may
/// multiply it by 60,000 (milliseconds) without overflow.
inline constexpr int64_t kMaxPlanMinutes = int64_t{1} << 42;
static_assert(static_cast<int64_t>(kMaxSourceBytes / 9) * kMaxWaitMinutes < kMaxPlanMinutes);
static_assert(kMaxPlanMinutes < INT64_MAX / 60'000);
/// The largest rate (`enroll`, `limit`) a plan holds: the largest number a
/// source may write.
inline constexpr int64_t kMaxPlanRate = 1'000'000'000;

/// True when `document` is an object whose "format" is "cadence-plan",
/// whatever else it holds (a member of any type is read without throwing).
[[nodiscard]] bool is_plan_document(const nlohmann::json& document);

/// Why `plan` (read from JSON) is not a plan of this format version, if so.
/// It holds the plan to docs/plan-v1.schema.json (members, types, names that
/// are identifiers, enumerations, number ranges) and to what the schema
/// cannot say: unique names and ids, references that resolve, successors
/// after their step (no loops), arms that fit their step. Every reader of
/// plans (diff, simulate, export) checks this first and may then trust
/// every member. Linear in the plan's size.
[[nodiscard]] std::optional<std::string> plan_problem(const nlohmann::json& plan);

/// Writes the plan's text (the same bytes as plan_text(build_plan(checked)))
/// to `out` piece by piece, calling `flush` after each step so that the
/// caller can move the text on: memory holds one step, not the document.
void write_plan(const CheckResult& checked, std::string& out, const std::function<void()>& flush);

}  // namespace cadence
