// missing-bounce-exit: a bounced address keeps getting tasks, and repeated
// bounces are what mailbox providers punish a sending domain for.

#include "lint/rules.hpp"

namespace cadence::rules {

void missing_bounce_exit(const LintContext& context) {
  report_missing_handler(context, DiagnosticKind::MissingBounceExit, "bounced", false, "on bounced exit \"bounced\"",
                         "records whose email bounced stay enrolled and keep bouncing, which hurts the sending domain",
                         true);
}

// The explanation `cadence explain missing-bounce-exit` prints and docs/rules/missing-bounce-exit.md shows.
const Explanation missing_bounce_exit_explanation = Explanation{
    "The sequence has no `on bounced exit` handler.",
    "Records whose address bounced stay enrolled and keep bouncing; bounce rates are what mailbox providers "
    "judge a sending domain by.",
    R"cadence(sequence s {
  target lead
  on replied exit "replied"
  on unsubscribed exit "opted-out"
  email intro { template t }
})cadence",
    "Add `on bounced exit \"bounced\"` (the quick fix does).", Preamble::LeadWithTemplate};

}  // namespace cadence::rules
