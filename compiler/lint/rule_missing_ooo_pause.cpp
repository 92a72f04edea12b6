// missing-ooo-pause: without a pause on out-of-office replies, follow-ups
// land in an empty mailbox for weeks. The fix's duration is a guess, so it is
// offered but not applied by --fix.

#include "lint/rules.hpp"

namespace cadence::rules {

void missing_ooo_pause(const LintContext& context) {
  report_missing_handler(context, DiagnosticKind::MissingOooPause, "out_of_office", true, "on out_of_office pause 7d",
                         "sellers keep following up while the prospect is away", false);
}

}  // namespace cadence::rules
