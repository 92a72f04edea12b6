// The rules, one per file (rule_<rule>.cpp), declared from their rows in
// diag/diagnostics.def: each defines its explanation, and a Module rule its
// function over one checked module.
#pragma once

#include "diag/explain.hpp"
#include "lint/lint.hpp"

namespace cadence::rules {

#define CADENCE_DIAGNOSTIC(identifier, name, code, severity, summary)
#define CADENCE_LINT_DECLARE_Module(rule) void rule(const LintContext& context);
#define CADENCE_LINT_DECLARE_Run(rule)
#define CADENCE_LINT_DECLARE_Target(rule)
#define CADENCE_LINT(identifier, name, code, severity, summary, rule, scope) \
  extern const Explanation rule##_explanation;                               \
  CADENCE_LINT_DECLARE_##scope(rule)
#include "diag/diagnostics.def"
#undef CADENCE_LINT
#undef CADENCE_LINT_DECLARE_Run
#undef CADENCE_LINT_DECLARE_Target
#undef CADENCE_LINT_DECLARE_Module
#undef CADENCE_DIAGNOSTIC

// Rules over a whole run.
void collect_email_loads(const CheckResult& checked, const LintOptions& options, RunFacts& facts);
/// Which sequences throttle-overrun adds up: those without a team (each a
/// group of its own, decided per file) or those of a team (across files).
enum class Teams { Solo, Shared };
void throttle_overrun(const std::vector<const RunFacts*>& files, const SourceOfFacts& source_of,
                      DiagnosticConsumer& out, Teams teams);
/// A `limit email` above the platform's ceiling, per file (the facts of one file).
void limit_above_ceiling(const RunFacts& facts, const SourceOfFacts& source_of, DiagnosticConsumer& out);
/// A daily figure as messages print it: whole numbers bare, others to a tenth.
[[nodiscard]] std::string number(double value);
void collect_definitions(const CheckResult& checked, RunFacts& facts);
void unused_definition(const std::vector<const RunFacts*>& files, const SourceOfFacts& source_of,
                       DiagnosticConsumer& out);

/// Shared by the three missing-handler rules.
void report_missing_handler(const LintContext& context, DiagnosticKind kind, std::string_view event, bool needs_pause,
                            std::string_view handler_text, std::string_view consequence, bool safe_fix);

}  // namespace cadence::rules
