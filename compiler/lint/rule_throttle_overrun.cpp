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
#include <utility>

#include <fmt/format.h>

#include "lint/rules.hpp"
#include "sema/analysis.hpp"
#include "sim/simulate.hpp"

namespace cadence::rules {
namespace {

/// A rate as a per-day figure; weekly rates spread over the days the
/// sequence's calendar works (5 for business days, 7 otherwise).
double per_day(const ast::Rate& rate, bool business_calendar) {
  return rate.per == ast::Per::Day ? static_cast<double>(rate.count)
                                   : static_cast<double>(rate.count) / (business_calendar ? 5.0 : 7.0);
}

/// How a message counts touches of a channel: one, and several.
std::pair<std::string, std::string> channel_nouns(const std::string& channel) {
  if (channel == "sms") return {"SMS", "SMS"};
  if (channel == "linkedin") return {"LinkedIn touch", "LinkedIn touches"};
  return {channel, channel + "s"};  // email(s), call(s), task(s)
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

std::string number(double value) {
  return value == static_cast<double>(static_cast<int64_t>(value)) ? fmt::format("{}", static_cast<int64_t>(value))
                                                                   : fmt::format("{:.1f}", value);
}

void collect_email_loads(const CheckResult& checked, const LintOptions& options, RunFacts& facts) {
  const auto ceiling = static_cast<double>(options.email_ceiling_per_day);
  for (const SequenceIr& ir : checked.sequences) {
    if (ir.email_limit && per_day(*ir.email_limit, ir.business_calendar) > ceiling) {
      for (const ast::Setting& setting : ir.sequence->settings) {
        if (setting.kind == ast::SettingKind::Limit && setting.word.text == "email") {
          facts.limits_over_ceiling.push_back({std::string(ir.sequence->name.text),
                                               per_day(*ir.email_limit, ir.business_calendar), ceiling,
                                               options.ceiling_origin, setting.span});
        }
      }
    }
    // Without `enroll` a sequence has no volume of its own; in a team it may
    // still take records handed off to it.
    if (!ir.enroll && ir.team.empty()) continue;
    RunFacts::EmailLoad load;
    load.team = std::string(ir.team);
    load.team_key =
        ir.team.empty() ? fmt::format("\x01{}:{}", checked.module->path.string(), ir.sequence->name.text) : load.team;
    load.sequence = std::string(ir.sequence->name.text);
    load.enroll_per_day = ir.enroll ? per_day(*ir.enroll, ir.business_calendar) : 0;
    load.silent_emails = silent_touches(ir)[static_cast<std::size_t>(Channel::Email)];
    static const std::map<std::string, double> call_mix = default_call_mix();
    ExpectedLoad expected = expected_load(ir, kDefaultRates, call_mix);
    load.expected_emails = expected.emails;
    load.expected_handoffs = std::move(expected.handoffs);
    if (ir.email_limit) load.own_limit = per_day(*ir.email_limit, ir.business_calendar);
    load.default_limit = static_cast<double>(options.default_email_limit_per_day);
    load.ceiling = ceiling;
    load.name = ir.sequence->name.span;
    load.enroll = load.name;
    for (const ast::Setting& setting : ir.sequence->settings) {
      if (setting.kind == ast::SettingKind::Enroll) load.enroll = setting.span;
    }
    load.load = sequence_load(ir, load);
    if (!ir.silent_path.empty()) {
      const IrNode& end = ir.nodes[ir.silent_path.back()];
      if (end.kind == StepKind::Exit && end.stmt != nullptr && end.stmt->exit.outcome == ast::OutcomeKind::Handoff)
        load.handoff = std::string(end.stmt->exit.handoff.text);
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
    [[nodiscard]] double per_day() const { return load->enroll_per_day * load->silent_emails; }
  };
  std::map<std::string, std::vector<Contribution>> groups;  // by project and team
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
    // Records handed off to a sequence of the team enrol there too.
    std::vector<int> target(group.size(), -1);
    bool handed_off = false;
    for (std::size_t i = 0; i < group.size(); ++i) {
      for (std::size_t k = 0; k < group.size() && !group[i].load->handoff.empty(); ++k) {
        if (group[k].load->sequence == group[i].load->handoff) target[i] = static_cast<int>(k);
      }
      handed_off = handed_off || target[i] >= 0;
    }
    // Most teams are well under every limit: known without running a day,
    // and without copying their loads.
    if (!handed_off) {
      std::vector<const SequenceLoad*> members;
      members.reserve(group.size());
      for (const Contribution& c : group) members.push_back(&c.load->load);
      if (!may_queue(members)) continue;
    }
    std::vector<SequenceLoad> loads;
    loads.reserve(group.size());
    bool limit_is_set = false;
    for (std::size_t i = 0; i < group.size(); ++i) {
      loads.push_back(group[i].load->load);
      loads.back().stream.handoff = target[i];
      limit_is_set = limit_is_set || group[i].load->own_limit.has_value();
    }
    // Each one's daily intake is its own rate and what reaches it (when
    // nobody engages, every record reaches the end of the silent path).
    std::vector<double> intake(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) intake[i] = group[i].load->enroll_per_day;
    for (std::size_t i = 0; i < group.size(); ++i) {
      // Along the chain from each sequence, each sequence once (a cycle only
      // adds what it brings round once; the simulation below has it all).
      std::vector<bool> seen(group.size(), false);
      seen[i] = true;
      for (int k = target[i]; k >= 0 && !seen[static_cast<std::size_t>(k)]; k = target[static_cast<std::size_t>(k)]) {
        seen[static_cast<std::size_t>(k)] = true;
        intake[static_cast<std::size_t>(k)] += group[i].load->enroll_per_day;
      }
    }
    const SimulationResult run = simulate_worst_case(std::span<const SequenceLoad>(loads), kLoadHorizonDays);
    if (run.days.empty() || run.days.back().queued == 0) continue;
    const SimulationDay& last = run.days.back();
    // The channel furthest over its limit names the load: email, unless a
    // `limit call` (say) is what holds the work back.
    std::map<std::string, double> limits;
    std::map<std::string, double> steady;
    std::vector<std::map<std::string, uint32_t>> touches(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) {
      for (const auto& [channel, limit] : loads[i].limits) {
        auto [it, added] = limits.emplace(channel, limit);
        if (!added) it->second = std::min(it->second, limit);
      }
      for (const PathTouch& touch : loads[i].stream.path) {
        if (touch.channel.empty()) continue;
        ++touches[i][touch.channel];
        steady[touch.channel] += intake[i];
      }
    }
    std::string channel = "email";
    double worst_ratio = -1;
    for (const auto& [name, limit] : limits) {
      const double ratio = limit > 0 ? steady[name] / limit : 0;
      if (ratio > worst_ratio + 1e-9 || (name == "email" && ratio >= worst_ratio - 1e-9)) {
        worst_ratio = ratio;
        channel = name;
      }
    }
    const double load = steady[channel];
    const double limit = limits[channel];
    const auto [one, many] = channel_nouns(channel);
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
        fmt::format("{} have {} {} due a day when nobody engages (the worst case), against a limit of {} a day: "
                    "what is over a limit waits for the next working day: after {} days {} activities wait, and what "
                    "goes out that day is {} working days late on average",
                    who, number(load), many, number(limit), kLoadHorizonDays, last.queued,
                    fmt::format("{:.2f}", std::round(last.drift_days * 100) / 100)));
    for (std::size_t i = 0; i < group.size(); ++i) {
      const Contribution& c = group[i];
      const double handed = intake[i] - c.load->enroll_per_day;
      const uint32_t count = touches[i][channel];
      diagnostic.notes.push_back(
          {fmt::format("sequence '{}': {} enrolments a day{} x {} {} on its silent path = {} a day", c.load->sequence,
                       number(intake[i]),
                       handed > 0 ? fmt::format(" ({} of them handed off to it)", number(handed)) : std::string(),
                       count, count == 1 ? one : many, number(intake[i] * count)),
           Location{source_of(*c.file), c.load->name}});
    }
    // The same under the default engagement rates: fewer records reach a
    // handoff (replies, bounces and opt-outs leave first).
    std::map<std::string_view, std::size_t> index_of;
    for (std::size_t i = 0; i < group.size(); ++i) index_of.emplace(group[i].load->sequence, i);
    std::vector<double> expected_intake(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) expected_intake[i] = group[i].load->enroll_per_day;
    // Passes along the handoffs: a chain of n sequences settles in n passes
    // (a cycle is followed round at most 16 times).
    for (std::size_t pass = 0; pass < std::min<std::size_t>(group.size(), 16); ++pass) {
      std::vector<double> next(group.size());
      for (std::size_t i = 0; i < group.size(); ++i) next[i] = group[i].load->enroll_per_day;
      for (std::size_t i = 0; i < group.size(); ++i) {
        for (const auto& [name, chance] : group[i].load->expected_handoffs) {
          if (auto it = index_of.find(name); it != index_of.end()) next[it->second] += expected_intake[i] * chance;
        }
      }
      expected_intake = std::move(next);
    }
    double expected = 0;
    for (std::size_t i = 0; i < group.size(); ++i) expected += expected_intake[i] * group[i].load->expected_emails;
    diagnostic.notes.push_back(
        {fmt::format("with the default engagement rates ({:.0f}% of emails opened, {:.0f}% of touches replied to, "
                     "{:.0f}% bounced), about {} emails a day are expected, against {} when nobody engages; "
                     "`cadence simulate` draws such a run",
                     kDefaultRates.open * 100, kDefaultRates.reply * 100, kDefaultRates.bounce * 100,
                     number(std::round(expected * 10) / 10), number(steady["email"])),
         std::nullopt});
    if (!limit_is_set && channel == "email") {
      diagnostic.notes.push_back(
          {fmt::format("no `limit email` is set, so the default of {} a day applies", number(limit)), std::nullopt});
    }
    diagnostic.notes.push_back(
        {fmt::format("`cadence simulate --worst-case{}` on the built plans shows these figures day by day",
                     largest.team.empty() ? std::string() : fmt::format(" --team {}", largest.team)),
         std::nullopt});
    diagnostic.help = fmt::format(
        "enrol fewer records a day, spread the {} over more days, or split the load over more owners", many);
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
    "and never more than the platform's ceiling (`email-ceiling`, 200 a day; a `limit email` above it is "
    "limit-above-ceiling). The rule fires when, after 60 days, anything still waits.",
    "When the throttle is hit, the platform silently queues the excess to the next day and every later due date "
    "drifts: the cadence you designed is not the one prospects get. The message gives the daily email load along "
    "the silent path, the limit, and, on the 60th day, how many activities wait and how late what goes out is on "
    "average; `cadence simulate --worst-case` on the built plans (with `--team` for a team) shows the same figures "
    "day by day. A note gives the expected load too: the emails a day the sequences send on average under the "
    "default engagement rates `cadence simulate` draws (35% of emails opened, 10% of those clicked, 3% of touches "
    "replied to, 2% bounced), as the chance of reaching each email, the handlers' exits counted.",
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
