// missing-unsubscribe-exit: contacting someone who opted out breaks the law
// in many places and gets the domain blocked.

#include "lint/rules.hpp"

namespace cadence::rules {

void missing_unsubscribe_exit(const LintContext& context) {
  report_missing_handler(context, DiagnosticKind::MissingUnsubscribeExit, "unsubscribed", false,
                         "on unsubscribed exit \"opted-out\"", "prospects who opted out keep being contacted", true);
}

}  // namespace cadence::rules
