// throttle-overrun: the platform throttles email per owner per day (200 is
// the usual working ceiling). When sequences imply more, the excess is queued
// silently to the next day and every later due date of those enrolments
// drifts. Sequences of one `team` share owners, so their loads add up across
// every file checked together.
//
// The load is the steady state: each day `enroll` new records per owner, and
// each can receive up to the most emails on any one path of the sequence.

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

#include "lint/rules.hpp"
#include "sema/analysis.hpp"

namespace cadence::rules {
namespace {

/// A rate as a per-day figure; weekly rates spread over the days the
/// sequence's calendar works (5 for business days, 7 otherwise).
double per_day(const ast::Rate& rate, bool business_calendar) {
  return rate.per == ast::Per::Day ? static_cast<double>(rate.count)
                                   : static_cast<double>(rate.count) / (business_calendar ? 5.0 : 7.0);
}

std::string number(double value) {
  return value == static_cast<double>(static_cast<int64_t>(value)) ? fmt::format("{}", static_cast<int64_t>(value))
                                                                   : fmt::format("{:.1f}", value);
}

}  // namespace

void collect_email_loads(const CheckResult& checked, const LintOptions& options, RunFacts& facts) {
  const auto ceiling = static_cast<double>(options.email_ceiling_per_day);
  for (const SequenceIr& ir : checked.sequences) {
    if (ir.email_limit && per_day(*ir.email_limit, ir.business_calendar) > ceiling) {
      for (const ast::Setting& setting : ir.sequence->settings) {
        if (setting.kind == ast::SettingKind::Limit && setting.word.text == "email") {
          facts.limits_over_ceiling.push_back({std::string(ir.sequence->name.text),
                                               per_day(*ir.email_limit, ir.business_calendar), ceiling, setting.span});
        }
      }
    }
    if (!ir.enroll) continue;  // no expected volume, nothing to add up
    RunFacts::EmailLoad load;
    load.team = std::string(ir.team);
    load.team_key =
        ir.team.empty() ? fmt::format("\x01{}:{}", checked.module->path.string(), ir.sequence->name.text) : load.team;
    load.sequence = std::string(ir.sequence->name.text);
    load.enroll_per_day = per_day(*ir.enroll, ir.business_calendar);
    load.worst_case_emails = summarize(ir).worst_case_emails;
    if (ir.email_limit) load.own_limit = per_day(*ir.email_limit, ir.business_calendar);
    load.default_limit = static_cast<double>(options.default_email_limit_per_day);
    load.ceiling = ceiling;
    load.name = ir.sequence->name.span;
    load.enroll = load.name;
    for (const ast::Setting& setting : ir.sequence->settings) {
      if (setting.kind == ast::SettingKind::Enroll) load.enroll = setting.span;
    }
    facts.email_loads.push_back(std::move(load));
  }
}

void throttle_overrun(const std::vector<const RunFacts*>& files, const SourceOfFacts& source_of,
                      DiagnosticConsumer& out, Teams teams) {
  // Group by team; a sequence without a team is a group of its own.
  struct Contribution {
    const RunFacts::EmailLoad* load;
    const RunFacts* file;
    [[nodiscard]] double per_day() const { return load->enroll_per_day * load->worst_case_emails; }
  };
  std::map<std::string, std::vector<Contribution>> groups;  // by project and team
  // A limit above the platform's ceiling does not lift it (reported once,
  // with the solo sequences).
  if (teams == Teams::Solo) {
    for (const RunFacts* facts : files) {
      for (const RunFacts::LimitOverCeiling& over : facts->limits_over_ceiling) {
        Diagnostic diagnostic = make_diagnostic(
            DiagnosticKind::ThrottleOverrun, Location{source_of(*facts), over.at},
            fmt::format("sequence '{}' sets a limit of {} emails a day, above the platform's ceiling of {} a day: "
                        "the platform still sends at most {}, and the load is judged against that",
                        over.sequence, number(over.limit), number(over.ceiling), number(over.ceiling)));
        diagnostic.help = fmt::format(
            "set `limit email {}/day` or less (the ceiling is `email-ceiling` in "
            "cadence.toml's [lint.throttle-overrun])",
            number(over.ceiling));
        out.consume(std::move(diagnostic));
      }
    }
  }
  // A sequence defined in two files of a project (a duplicate-definition)
  // counts once, as the first file defines it.
  std::set<std::pair<std::string, std::string_view>> counted;
  for (const RunFacts* facts : files) {
    for (const RunFacts::EmailLoad& load : facts->email_loads) {
      if (load.team.empty() != (teams == Teams::Solo)) continue;
      std::string key = facts->project + '\n' + load.team_key;
      if (!counted.emplace(key, load.sequence).second) continue;
      groups[std::move(key)].push_back({&load, facts});
    }
  }
  for (auto& [key, group] : groups) {
    double load = 0;
    double limit = -1;
    bool limit_is_set = false;
    for (const Contribution& c : group) {
      load += c.per_day();
      const double own = std::min(c.load->own_limit.value_or(c.load->default_limit), c.load->ceiling);
      if (limit < 0 || own < limit) {
        limit = own;
        limit_is_set = c.load->own_limit.has_value();
      }
    }
    if (load <= limit || limit <= 0) continue;
    // Report at the largest contributor's `enroll` setting among the files
    // asked for (the rest of the project only adds to the load).
    const Contribution* top = nullptr;
    for (const Contribution& c : group) {
      if (c.file->reported && (top == nullptr || c.per_day() > top->per_day())) top = &c;
    }
    if (top == nullptr) continue;
    const RunFacts::EmailLoad& largest = *top->load;
    const double growth = load - limit;
    const double backlog = growth * 30;
    const double drift = backlog / limit;
    const std::string who = largest.team.empty() ? fmt::format("owners of sequence '{}'", largest.sequence)
                                                 : fmt::format("owners in team '{}'", largest.team);
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::ThrottleOverrun, Location{source_of(*top->file), largest.enroll},
        fmt::format("{} can have {} emails due a day in the worst case, over the limit of {} a day: the excess is "
                    "queued, the backlog grows by {} emails a day, and after 30 days due dates drift by {} days",
                    who, number(load), number(limit), number(growth), number(drift)));
    for (const Contribution& c : group) {
      diagnostic.notes.push_back(
          {fmt::format("sequence '{}': {} enrolments a day x up to {} email{} each = {} a day", c.load->sequence,
                       number(c.load->enroll_per_day), c.load->worst_case_emails,
                       c.load->worst_case_emails == 1 ? "" : "s", number(c.per_day())),
           Location{source_of(*c.file), c.load->name}});
    }
    if (!limit_is_set) {
      diagnostic.notes.push_back(
          {fmt::format("no `limit email` is set, so the default of {} a day applies", number(limit)), std::nullopt});
    }
    diagnostic.help = "enrol fewer records a day, spread the emails over more days, or split the load over more owners";
    out.consume(std::move(diagnostic));
  }
}

// The explanation `cadence explain throttle-overrun` prints and docs/rules/throttle-overrun.md shows.
const Explanation throttle_overrun_explanation = Explanation{
    "The worst-case emails an owner has due per day exceed the sending limit. The load is the enrolment rate "
    "times the most emails on any path, summed over the sequences of one `team` in the project (every file below "
    "the directory of cadence.toml, whichever files are checked); the limit is "
    "`limit email`, else the configured default (200 a day), and never more than the platform's ceiling "
    "(`email-ceiling`, 200 a day): a `limit email` above the ceiling is reported too, since it cannot lift it.",
    "When the throttle is hit, the platform silently queues the excess to the next day and every later due "
    "date drifts: the cadence you designed is not the one prospects get. The message gives the load, the "
    "limit, how fast the backlog grows and how far due dates drift after 30 days.",
    R"cadence(sequence s {
  target lead
  team "inside-sales"
  limit email 200/day
  enroll 60/day   // 60 a day x 4 emails = 240 a day

  email e1 { template t }
  wait 2d
  email e2 { template t }
  wait 2d
  email e3 { template t }
  wait 2d
  email e4 { template t }
})cadence",
    "Enrol fewer records a day, spread emails over more days, or split the load over more owners.",
    Preamble::LeadWithTemplate};

}  // namespace cadence::rules
