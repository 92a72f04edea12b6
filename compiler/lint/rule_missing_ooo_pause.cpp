// missing-ooo-pause: without a pause on out-of-office replies, follow-ups
// land in an empty mailbox for weeks. The fix's duration is a guess, so it is
// offered but not applied by --fix.

#include "lint/rules.hpp"

namespace cadence::rules {

void missing_ooo_pause(const LintContext& context) {
  // A configured target that cannot pause for D would run the handler it
  // asks for differently (target-approximated): it is not asked for.
  if (!context.options.targets_without_ooo_pause.empty()) return;
  report_missing_handler(context, DiagnosticKind::MissingOooPause, "out_of_office", true, "on out_of_office pause 7d",
                         "sellers keep following up while the prospect is away", false);
}

// The explanation `cadence explain missing-ooo-pause` prints and docs/rules/missing-ooo-pause.md shows.
const Explanation missing_ooo_pause_explanation =
    Explanation{"The sequence has no `on out_of_office pause` handler.",
                "Without it, sellers follow up against an empty mailbox for the length of the absence.",
                R"cadence(sequence s {
  target lead
  on replied exit "replied"
  on bounced exit "bounced"
  on unsubscribed exit "opted-out"
  email intro { template t }
})cadence",
                "Add `on out_of_office pause 7d` (or the pause that fits your prospects).", Preamble::LeadWithTemplate};

}  // namespace cadence::rules
