// limit-above-ceiling: a sequence's `limit email` above the daily ceiling of
// the platform it runs on (`email-ceiling` in cadence.toml, or the lowest cap
// of the configured export targets). The platform never sends more than its
// ceiling, so the setting promises a throughput nobody gets, and
// throttle-overrun judges the load against the ceiling instead.
//
// The facts are gathered with the email loads (collect_email_loads), so the
// rule reads them per file, as the solo part of throttle-overrun does.

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void limit_above_ceiling(const RunFacts& facts, const SourceOfFacts& source_of, DiagnosticConsumer& out) {
  for (const RunFacts::LimitOverCeiling& over : facts.limits_over_ceiling) {
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::LimitAboveCeiling, Location{source_of(facts), over.at},
        fmt::format("sequence '{}' sets a limit of {} emails a day, above the platform's ceiling of {} a day{}: "
                    "the platform still sends at most {}, and the load is judged against that",
                    over.sequence, number(over.limit), number(over.ceiling),
                    over.origin.empty() ? std::string() : fmt::format(" ({})", over.origin), number(over.ceiling)));
    diagnostic.help = over.origin.empty()
                          ? fmt::format(
                                "set `limit email {}/day` or less (the ceiling is `email-ceiling` in "
                                "cadence.toml's [lint.throttle-overrun])",
                                number(over.ceiling))
                          : fmt::format(
                                "set `limit email {}/day` or less (the ceiling comes from the export targets; a lower "
                                "`email-ceiling` in cadence.toml's [lint.throttle-overrun] takes precedence)",
                                number(over.ceiling));
    out.consume(std::move(diagnostic));
  }
}

// The explanation `cadence explain limit-above-ceiling` prints and docs/rules/limit-above-ceiling.md shows.
const Explanation limit_above_ceiling_explanation = Explanation{
    "A `limit email` above the most email the platform sends per owner per day: the `email-ceiling` of "
    "cadence.toml's [lint.throttle-overrun] (200 a day unless set), or, with export targets configured, the lowest "
    "published cap among them (Outreach 714 a day, from 5,000 a week per mailbox; HubSpot 1,000 a day).",
    "The platform queues what is over its ceiling whatever the sequence says, so the setting promises a "
    "throughput nobody gets and hides the backlog: throttle-overrun judges the load against the ceiling, not "
    "the limit written.",
    R"cadence(sequence s {
  target lead
  limit email 500/day
  enroll 20/day

  email intro { template t }
})cadence",
    "Lower the limit to the ceiling or below (`limit email 200/day`), or, if the platform really sends more, raise "
    "`email-ceiling` in cadence.toml.",
    Preamble::LeadWithTemplate};

}  // namespace cadence::rules
