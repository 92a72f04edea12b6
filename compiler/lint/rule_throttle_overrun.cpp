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

struct Contribution {
  const SequenceIr* ir;
  const LintOptions* options;
  double enroll_per_day;
  uint32_t emails;
  double load;
};

}  // namespace

void throttle_overrun(const std::vector<const CheckResult*>& modules, const std::vector<const LintOptions*>& options_of,
                      DiagnosticConsumer& out) {
  // Group by team; a sequence without a team is a group of its own.
  std::map<std::string, std::vector<Contribution>> groups;
  for (std::size_t m = 0; m < modules.size(); ++m) {
    for (const SequenceIr& ir : modules[m]->sequences) {
      if (!ir.enroll) continue;  // no expected volume, nothing to add up
      const double enroll = per_day(*ir.enroll, ir.business_calendar);
      const uint32_t emails = summarize(ir).worst_case_emails;
      const std::string key = ir.team.empty() ? fmt::format("\x01{}:{}", ir.module->source->path(), ir.sequence->name.text)
                                              : std::string(ir.team);
      groups[key].push_back({&ir, options_of[m], enroll, emails, enroll * emails});
    }
  }
  for (auto& [key, group] : groups) {
    double load = 0;
    double limit = -1;
    const SequenceIr* limit_source = nullptr;
    for (const Contribution& c : group) {
      load += c.load;
      const double own = c.ir->email_limit ? per_day(*c.ir->email_limit, c.ir->business_calendar)
                                           : static_cast<double>(c.options->default_email_limit_per_day);
      if (limit < 0 || own < limit) {
        limit = own;
        limit_source = c.ir->email_limit ? c.ir : nullptr;
      }
    }
    if (load <= limit || limit <= 0) continue;
    // Report at the largest contributor's `enroll` setting.
    const Contribution& largest = *std::max_element(group.begin(), group.end(), [](const auto& a, const auto& b) {
      return a.load < b.load;
    });
    const ast::Setting* enroll_setting = nullptr;
    for (const ast::Setting& setting : largest.ir->sequence->settings) {
      if (setting.kind == ast::SettingKind::Enroll) enroll_setting = &setting;
    }
    const double growth = load - limit;
    const double backlog = growth * 30;
    const double drift = backlog / limit;
    const std::string who = largest.ir->team.empty() ? fmt::format("owners of sequence '{}'", largest.ir->sequence->name.text)
                                                     : fmt::format("owners in team '{}'", largest.ir->team);
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::ThrottleOverrun,
        Location{largest.ir->module->source.get(), enroll_setting ? enroll_setting->span : largest.ir->sequence->name.span},
        fmt::format("{} can have {} emails due a day in the worst case, over the limit of {} a day: the excess is "
                    "queued, the backlog grows by {} emails a day, and after 30 days due dates drift by {} days",
                    who, number(load), number(limit), number(growth), number(drift)));
    for (const Contribution& c : group) {
      diagnostic.notes.push_back(
          {fmt::format("sequence '{}': {} enrolments a day x up to {} emails each = {} a day", c.ir->sequence->name.text,
                       number(c.enroll_per_day), c.emails, number(c.load)),
           Location{c.ir->module->source.get(), c.ir->sequence->name.span}});
    }
    if (limit_source == nullptr) {
      diagnostic.notes.push_back({fmt::format("no `limit email` is set, so the default of {} a day applies", number(limit)),
                                  std::nullopt});
    }
    diagnostic.help = "enrol fewer records a day, spread the emails over more days, or split the load over more owners";
    out.consume(std::move(diagnostic));
  }
}

}  // namespace cadence::rules
