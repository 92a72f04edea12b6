// unused-suppression: a suppression comment that suppresses nothing, names no
// diagnostic, or names an error. Suppressions are applied and judged by
// run_checks through lint/suppression.hpp (a file's own diagnostics, then
// what rules across files add); this file holds the rule's explanation.

#include "lint/rules.hpp"

namespace cadence::rules {

// The explanation `cadence explain unused-suppression` prints and docs/rules/unused-suppression.md shows.
const Explanation unused_suppression_explanation = Explanation{
    "A `// cadence-ignore: NAME` or `// cadence-ignore-file: NAME` comment that suppresses nothing, names no "
    "diagnostic, or names an error (errors cannot be suppressed).",
    "Stale suppressions hide the next real finding on that line.",
    R"cadence(sequence s {
  target lead
  email intro { template t }
  // cadence-ignore: same-day-touches
  wait 2d
  call follow { script "Ask whether the note landed." }
})cadence",
    "Remove the suppression (the quick fix does).", Preamble::LeadWithTemplate};

}  // namespace cadence::rules
