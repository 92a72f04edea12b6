// touch-count: prospects usually need 6 to 10 touches before they respond.
// The silent path (no signal ever fires) shows how many a quiet prospect gets.

#include <fmt/format.h>

#include "lint/rules.hpp"
#include "sema/analysis.hpp"

namespace cadence::rules {

void touch_count(const LintContext& context) {
  const uint32_t low = context.options.touch_count_min;
  const uint32_t high = context.options.touch_count_max;
  for (const SequenceIr& ir : context.checked.sequences) {
    const SequenceSummary summary = summarize(ir);
    const uint32_t touches = summary.silent_touch_count;
    if (touches >= low && touches <= high) continue;
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::TouchCount, Location{ir.module->source.get(), ir.sequence->name.span},
        fmt::format("a prospect who never engages gets {} touch{} from sequence '{}'; {} ({}..{})", touches,
                    touches == 1 ? "" : "es", ir.sequence->name.text,
                    touches < low ? "most prospects need more before they respond" : "that many risks fatigue", low,
                    high));
    diagnostic.help = touches < low ? "add touches on other channels to the silent path"
                                    : "cut touches from the silent path, or branch away from them";
    context.out.consume(std::move(diagnostic));
  }
}

// The explanation `cadence explain touch-count` prints and docs/rules/touch-count.md shows.
const Explanation touch_count_explanation = Explanation{
    "The silent path (the prospect never engages) has fewer than 6 or more than 10 touches; the bounds are "
    "configurable.",
    "Most prospects need 6 to 10 touches before they respond, and most sellers give up after 2; far more than "
    "10 is fatigue.",
    R"cadence(sequence s {
  target lead
  email only { template t }
})cadence",
    "Add touches on other channels to the silent path, or cut some.", Preamble::LeadWithTemplate};

}  // namespace cadence::rules
