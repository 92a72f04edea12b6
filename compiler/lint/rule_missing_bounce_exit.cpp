// missing-bounce-exit: a bounced address keeps getting tasks, and repeated
// bounces are what mailbox providers punish a sending domain for.

#include "lint/rules.hpp"

namespace cadence::rules {

void missing_bounce_exit(const LintContext& context) {
  report_missing_handler(context, DiagnosticKind::MissingBounceExit, "bounced", false, "on bounced exit \"bounced\"",
                         "records whose email bounced stay enrolled and keep bouncing, which hurts the sending domain",
                         true);
}

}  // namespace cadence::rules
