// throttle-overrun: the platform throttles email per owner per day (200 is
// the usual working ceiling). When sequences imply more, the excess is queued
// silently to the next day and every later due date of those enrolments
// drifts. Sequences of one `team` share owners, so their loads add up across
// the project.
//
// The figures come from the load model `cadence simulate --worst-case` runs
// (sim/load.hpp): nobody engages, so every enrolment follows its silent path;
// each working day `enroll` new records per owner; what is over a limit waits
// for the next working day. The rule fires when, on the last day of that
// simulation (kLoadHorizonDays), anything still waits.

#include <algorithm>
#include <cmath>
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

/// The sequence in the shared load model: its silent path as touches with
/// the working days before each (as the plan's edges give them to the
/// simulator), and its limits.
SequenceLoad sequence_load(const SequenceIr& ir, const RunFacts::EmailLoad& facts) {
  SequenceLoad out;
  out.stream.sequence = facts.sequence;
  out.stream.enroll_per_day = facts.enroll_per_day;
  out.stream.business_calendar = ir.business_calendar;
  out.team = facts.team;
  PathBuilder path(out.stream);
  for (uint32_t index : ir.silent_path) {
    const IrNode& node = ir.nodes[index];
    if (node.kind == StepKind::Exit) break;
    path.step(node.channel == Channel::None ? std::string_view() : channel_name(node.channel));
    if (const Edge* edge = silent_edge(node)) path.edge(edge->min_delay);
  }
  path.exit("completed");
  for (const ast::Setting* setting : ir.limits) {
    out.limits[std::string(setting->word.text)] = per_day(setting->rate, ir.business_calendar);
  }
  out.limits["email"] = std::min(facts.own_limit.value_or(facts.default_limit), facts.ceiling);
  return out;
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
    load.silent_emails = summarize(ir).silent_touches[static_cast<std::size_t>(Channel::Email)];
    if (ir.email_limit) load.own_limit = per_day(*ir.email_limit, ir.business_calendar);
    load.default_limit = static_cast<double>(options.default_email_limit_per_day);
    load.ceiling = ceiling;
    load.name = ir.sequence->name.span;
    load.enroll = load.name;
    for (const ast::Setting& setting : ir.sequence->settings) {
      if (setting.kind == ast::SettingKind::Enroll) load.enroll = setting.span;
    }
    load.load = sequence_load(ir, load);
    facts.email_loads.push_back(std::move(load));
  }
}

void throttle_overrun(const std::vector<const RunFacts*>& files, const SourceOfFacts& source_of,
                      DiagnosticConsumer& out, Teams teams) {
  // Group by team; a sequence without a team is a group of its own.
  struct Contribution {
    const RunFacts::EmailLoad* load;
    const RunFacts* file;
    [[nodiscard]] double per_day() const { return load->enroll_per_day * load->silent_emails; }
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
    std::vector<SequenceLoad> loads;
    double load = 0;
    bool limit_is_set = false;
    for (const Contribution& c : group) {
      loads.push_back(c.load->load);
      load += c.per_day();
      limit_is_set = limit_is_set || c.load->own_limit.has_value();
    }
    const SimulationResult run = simulate_worst_case(std::span<const SequenceLoad>(loads), kLoadHorizonDays);
    if (run.days.empty() || run.days.back().queued == 0) continue;
    const SimulationDay& last = run.days.back();
    const double limit = run.email_limit;
    // Report at the largest contributor's `enroll` setting among the files
    // asked for (the rest of the project only adds to the load).
    const Contribution* top = nullptr;
    for (const Contribution& c : group) {
      if (c.file->reported && (top == nullptr || c.per_day() > top->per_day())) top = &c;
    }
    if (top == nullptr) continue;
    const RunFacts::EmailLoad& largest = *top->load;
    const std::string who = largest.team.empty() ? fmt::format("owners of sequence '{}'", largest.sequence)
                                                 : fmt::format("owners in team '{}'", largest.team);
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::ThrottleOverrun, Location{source_of(*top->file), largest.enroll},
        fmt::format("{} have {} emails due a day when nobody engages (the worst case), against a limit of {} a day: "
                    "what is over a limit waits for the next working day: after {} days {} activities wait, and what "
                    "goes out that day is {} working days late on average",
                    who, number(load), number(limit), kLoadHorizonDays, last.queued,
                    fmt::format("{:.2f}", std::round(last.drift_days * 100) / 100)));
    for (const Contribution& c : group) {
      diagnostic.notes.push_back(
          {fmt::format("sequence '{}': {} enrolments a day x {} email{} on its silent path = {} a day",
                       c.load->sequence, number(c.load->enroll_per_day), c.load->silent_emails,
                       c.load->silent_emails == 1 ? "" : "s", number(c.per_day())),
           Location{source_of(*c.file), c.load->name}});
    }
    if (!limit_is_set) {
      diagnostic.notes.push_back(
          {fmt::format("no `limit email` is set, so the default of {} a day applies", number(limit)), std::nullopt});
    }
    diagnostic.notes.push_back(
        {fmt::format("`cadence simulate --worst-case{}` on the built plans shows these figures day by day",
                     largest.team.empty() ? std::string() : fmt::format(" --team {}", largest.team)),
         std::nullopt});
    diagnostic.help = "enrol fewer records a day, spread the emails over more days, or split the load over more owners";
    out.consume(std::move(diagnostic));
  }
}

// The explanation `cadence explain throttle-overrun` prints and docs/rules/throttle-overrun.md shows.
const Explanation throttle_overrun_explanation = Explanation{
    "More is due per owner per day than the sending limit lets out, in the worst case: nobody opens, clicks, "
    "replies or answers, so every enrolment follows its silent path. The figures come from the load model "
    "`cadence simulate --worst-case` runs: each working day the sequence enrols its `enroll` rate, every "
    "enrolment's touches fall due on the working days its waits say, and what is over a limit (per owner and "
    "channel) waits for the next working day, oldest first. Sequences of one `team` in the project (every file "
    "below the directory of cadence.toml, whichever files are checked) share their owners, so their loads add up "
    "and the lowest limit among them applies. The limit is `limit email`, else the configured default (200 a day), "
    "and never more than the platform's ceiling (`email-ceiling`, 200 a day): a `limit email` above the ceiling is "
    "reported too, since it cannot lift it. The rule fires when, after 60 days, anything still waits.",
    "When the throttle is hit, the platform silently queues the excess to the next day and every later due date "
    "drifts: the cadence you designed is not the one prospects get. The message gives the daily email load along "
    "the silent path, the limit, and, on the 60th day, how many activities wait and how late what goes out is on "
    "average; `cadence simulate --worst-case` on the built plans (with `--team` for a team) shows the same figures "
    "day by day.",
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
