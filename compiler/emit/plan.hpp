// The JSON plan: everything a runtime needs to execute a file's sequences.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sema/check.hpp"

namespace cadence {

/// Version of the plan format; bumped on any incompatible change. The JSON
/// Schema for each version ships as docs/plan-v<N>.schema.json.
inline constexpr int kPlanFormatVersion = 1;

/// Builds the plan of a checked module that has no errors. Deterministic:
/// the same input gives the same document, byte for byte.
[[nodiscard]] nlohmann::ordered_json build_plan(const CheckResult& checked);

/// The plan as text: two-space indented JSON with a final newline.
[[nodiscard]] std::string plan_text(const nlohmann::ordered_json& plan);

/// Why `plan` (read from JSON) is not a well-formed plan of this format
/// version, if so: the format and version, sequences with distinct names,
/// steps with distinct ids, an entry and successors that name steps. Readers
/// of plans (diff, simulate) check this first.
[[nodiscard]] std::optional<std::string> plan_problem(const nlohmann::json& plan);

/// Writes the plan's text (the same bytes as plan_text(build_plan(checked)))
/// to `out` piece by piece, calling `flush` after each step so that the
/// caller can move the text on: memory holds one step, not the document.
void write_plan(const CheckResult& checked, std::string& out, const std::function<void()>& flush);

}  // namespace cadence
