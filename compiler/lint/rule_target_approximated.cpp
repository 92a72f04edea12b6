// target-approximated: reported by the export phase (compiler/export/) for
// each construct a deploy target expresses only approximately, or drops,
// when that changes what a prospect receives or when. Only the explanation
// lives here, with the other lints'.

#include "lint/rules.hpp"

namespace cadence::rules {

// The explanation `cadence explain target-approximated` prints and docs/rules/target-approximated.md shows.
const Explanation target_approximated_explanation = Explanation{
    "A construct a platform the project deploys to expresses only approximately, or not at all: business-day "
    "waits counted on the platform's own schedule, a wait shorter than a day on a platform that counts whole "
    "days, A/B variants split unevenly where the platform rotates evenly, a LinkedIn step exported as a task, a "
    "merge field's fallback the platform's variables cannot carry, a handler or a segment the platform has no "
    "setting for, template code (`{% if ...`, `{# ...`) in an email that the platform's template engine would run. "
    "Reported only for the targets named by `cadence check --target` or by `targets` in "
    "cadence.toml's [export] table; each message says what the target does instead.",
    "The plan is what reviewers approved; where a platform runs it differently, prospects get other touches or "
    "other timing than the source says. `cadence export` lists the same findings in its fidelity summary, so "
    "nothing is lost in silence.",
    R"cadence(template t for lead { subject "Hello" body "..." }

sequence s {
  target lead
  calendar business
  on replied exit
  email intro { template t }
  wait 2d
  call follow { script "Ask about the email." }
}
// checked with: cadence check --target outreach)cadence",
    "Follow the help: write the sequence so that the platform can run it as written (whole days, even splits, the "
    "handlers every platform honours), or accept the difference and suppress the finding with "
    "`// cadence-ignore: target-approximated`.",
    Preamble::Lead};

}  // namespace cadence::rules
