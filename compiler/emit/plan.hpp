// The JSON plan: everything a runtime needs to execute a file's sequences.
#pragma once

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

}  // namespace cadence
