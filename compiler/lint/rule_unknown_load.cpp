// unknown-load: a sequence fed by a segment says how many records it takes a
// day with `enroll`; without it, nobody can tell how much email its owners
// will have due, and throttle-overrun cannot count it in its team's load.
// Said once, as an info, rather than skipped in silence.

#include <fmt/format.h>

#include "lint/rules.hpp"
#include "sema/analysis.hpp"

namespace cadence::rules {

void unknown_load(const LintContext& context) {
  for (const SequenceIr& ir : context.checked.sequences) {
    if (ir.enroll || !ir.segment || ir.segment_setting == nullptr) continue;
    const uint32_t emails = summarize(ir).worst_case_emails;
    if (emails == 0) continue;  // no email, no load to count
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::UnknownLoad, Location{ir.module->source.get(), ir.segment_setting->span},
        fmt::format("sequence '{}' enrols records from segment '{}' but does not say how many a day: its email load "
                    "(up to {} email{} per record) is not counted in its team's daily load",
                    ir.sequence->name.text, ir.segment.item->name.text, emails, emails == 1 ? "" : "s"));
    diagnostic.help = "add `enroll N/day` with the records the segment brings in a day (an estimate will do)";
    context.out.consume(std::move(diagnostic));
  }
}

// The explanation `cadence explain unknown-load` prints and docs/rules/unknown-load.md shows.
const Explanation unknown_load_explanation = Explanation{
    "A sequence that enrols from a segment and sends email, without an `enroll` setting: how many records join "
    "it a day is unknown.",
    "`throttle-overrun` adds up the emails a team's owners have due a day from each sequence's enrolment rate. "
    "Without `enroll` this sequence cannot be counted, so a team can overrun its sending limit with no warning. "
    "The finding says so instead of leaving the load out in silence.",
    R"cadence(segment hot on lead { where leadqualitycode == hot }

sequence s {
  target lead
  team "inside-sales"
  segment hot on_leave exit
  email intro { template t }
})cadence",
    "Add `enroll N/day` (or `N/week`) with what the segment brings in; an estimate is better than nothing, and "
    "the simulator and the lints then agree on the load.",
    Preamble::LeadWithTemplate};

}  // namespace cadence::rules
