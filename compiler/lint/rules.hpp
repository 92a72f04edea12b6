// The rule functions, one per file (rule_<name>.cpp). Listed in lint.cpp.
#pragma once

#include "lint/lint.hpp"

namespace cadence::rules {

void missing_reply_exit(const LintContext& context);
void touch_after_reply(const LintContext& context);
void no_engagement_branch(const LintContext& context);
void consecutive_channel(const LintContext& context);
void touch_count(const LintContext& context);
void same_day_touches(const LintContext& context);
void missing_bounce_exit(const LintContext& context);
void missing_unsubscribe_exit(const LintContext& context);
void missing_ooo_pause(const LintContext& context);
void merge_field_no_fallback(const LintContext& context);
void unreachable(const LintContext& context);
void redundant_reply_branch(const LintContext& context);
void invisible_character(const LintContext& context);

// Rules over a whole run.
void collect_email_loads(const CheckResult& checked, const LintOptions& options, RunFacts& facts);
/// Which sequences throttle-overrun adds up: those without a team (each a
/// group of its own, decided per file) or those of a team (across files).
enum class Teams { Solo, Shared };
void throttle_overrun(const std::vector<const RunFacts*>& files, const SourceOfFacts& source_of,
                      DiagnosticConsumer& out, Teams teams);
void collect_definitions(const CheckResult& checked, RunFacts& facts);
void unused_definition(const std::vector<const RunFacts*>& files, const SourceOfFacts& source_of,
                       DiagnosticConsumer& out);

/// Shared by the three missing-handler rules.
void report_missing_handler(const LintContext& context, DiagnosticKind kind, std::string_view event, bool needs_pause,
                            std::string_view handler_text, std::string_view consequence, bool safe_fix);

}  // namespace cadence::rules
