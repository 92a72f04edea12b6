// Export targets as diagnostics: what `cadence check --target`, a project's
// configured targets and the editor report about deploying a module's
// sequences, at the construct's place in the source.
#pragma once

#include <span>
#include <string>

#include "diag/diagnostic.hpp"
#include "sema/check.hpp"

namespace cadence::exporter {

/// Builds the plan of `checked` (which has no errors) and reports, for every
/// sequence and each of `targets` (names of all_targets()): what a target
/// cannot express as target-unsupported, what it approximates or drops as
/// target-approximated. Unknown target names are ignored (configuration
/// checks them).
void check_targets(const CheckResult& checked, std::span<const std::string> targets, DiagnosticConsumer& out);

}  // namespace cadence::exporter
