// missing-unsubscribe-exit: contacting someone who opted out breaks the law
// in many places and gets the domain blocked.

#include "lint/rules.hpp"

namespace cadence::rules {

void missing_unsubscribe_exit(const LintContext& context) {
  report_missing_handler(context, DiagnosticKind::MissingUnsubscribeExit, "unsubscribed", false,
                         "on unsubscribed exit \"opted-out\"", "prospects who opted out keep being contacted", true);
}

// The explanation `cadence explain missing-unsubscribe-exit` prints and docs/rules/missing-unsubscribe-exit.md shows.
const Explanation missing_unsubscribe_exit_explanation =
    Explanation{"The sequence has no `on unsubscribed exit` handler.",
                "Contacting people who opted out breaks anti-spam law in many places and gets domains blocked.",
                R"cadence(sequence s {
  target lead
  on replied exit "replied"
  on bounced exit "bounced"
  email intro { template t }
})cadence",
                "Add `on unsubscribed exit \"opted-out\"` (the quick fix does).", Preamble::LeadWithTemplate};

}  // namespace cadence::rules
