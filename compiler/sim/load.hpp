// The per-owner daily load model, shared by the throttle-overrun lint and
// `cadence simulate`: the working-day calendar, how a sending limit counts,
// and the worst case (nobody engages), in which every enrolment of a
// sequence follows its silent path and the day's enrolments move as one
// cohort. The lint's figures and `simulate --worst-case` come from
// simulate_worst_case(); the reference runtime (simulate.cpp) uses the same
// calendar and limits, and with every chance at 0 it gives the same days.
// The expected load under the engagement rates (expected_load()) is the
// third member of the model, read from the checked flow graph.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/duration.hpp"

namespace cadence {

struct SequenceIr;

/// Emails per owner per day when nothing says otherwise: the platform's
/// ceiling (the lint's `email-ceiling`, `simulate --email-ceiling`), and the
/// limit of a sequence with no `limit email`.
inline constexpr int64_t kDefaultEmailCeilingPerDay = 200;
inline constexpr int64_t kDefaultEmailLimitPerDay = 200;

/// One day of a simulation, for one owner.
struct SimulationDay {
  int64_t day = 0;  // calendar day from the start, 0-based
  bool working = true;
  int64_t enrolled = 0;
  int64_t due = 0;  // activities due today, backlog included (done + queued)
  int64_t done = 0;
  int64_t emails_done = 0;
  int64_t queued = 0;     // activities left for the next working day (the backlog)
  double drift_days = 0;  // average lateness of what was done today, in working days
  int64_t replies = 0;
  std::map<std::string, int64_t> exits;  // by reason
};

struct SimulationResult {
  /// The sequences simulated, as "a" or "a, b".
  std::string sequence;
  /// "random" (engagement drawn at random) or "worst-case" (nobody engages).
  std::string model = "random";
  double enroll_per_day = 0;
  double email_limit = 0;
  bool business_calendar = true;
  std::vector<SimulationDay> days;
};

/// The documented default chances of engagement, per touch: what `cadence
/// simulate` draws unless told otherwise, and what the throttle-overrun
/// lint's expected load assumes.
struct EngagementRates {
  double open = 0.35;    // an email is opened
  double click = 0.10;   // an opened email is clicked
  double reply = 0.03;   // a touch (not a task) gets a reply
  double bounce = 0.02;  // an email bounces
  double out_of_office = 0.03;
  double unsubscribe = 0.005;
  double accept = 0.30;  // a LinkedIn connection request is accepted
};
inline constexpr EngagementRates kDefaultRates{};

/// What an enrolment of `ir` can expect under `rates` and the call outcome
/// `call_mix` (shares summing to 1), as `cadence simulate` draws engagement:
/// the emails it gets, and the chance it is handed off to each sequence.
/// One pass over the steps that keeps what each branch arm tells about the
/// step it reads (expected.cpp).
struct ExpectedLoad {
  double emails = 0;
  std::map<std::string, double> handoffs;
};
[[nodiscard]] ExpectedLoad expected_load(const SequenceIr& ir, const EngagementRates& rates,
                                         const std::map<std::string, double>& call_mix);
/// How many days the throttle-overrun lint looks ahead, and how many
/// `cadence simulate` runs by default: the lint's figures are those of the
/// last of these days.
inline constexpr int kLoadHorizonDays = 60;

/// The working-day calendar: day 0 is a Monday; under the business calendar
/// Saturdays and Sundays do not work. Every conversion is arithmetic, so a
/// long wait costs no more than a short one.
class Calendar {
 public:
  explicit Calendar(bool business) : business_(business) {}
  [[nodiscard]] bool business() const { return business_; }
  [[nodiscard]] bool is_working(int64_t day) const { return !business_ || day % kDaysPerWeek < kBusinessDaysPerWeek; }
  /// Working days in [0, day] (0 for a negative day).
  [[nodiscard]] int64_t working_through(int64_t day) const;
  /// The `count`-th working day (1-based).
  [[nodiscard]] int64_t nth_working(int64_t count) const;
  /// The day `days` working days after `day`.
  [[nodiscard]] int64_t later(int64_t day, int64_t days) const {
    return days <= 0 ? day : nth_working(working_through(day) + days);
  }
  /// Working days in [from, to).
  [[nodiscard]] int64_t working_between(int64_t from, int64_t to) const {
    return to <= from ? 0 : working_through(to - 1) - working_through(from - 1);
  }

 private:
  bool business_;
};

/// Sends a limit of `limit` a day allows: a send goes out while fewer than
/// the limit went out today, so a limit of 28.6 lets 29 through.
[[nodiscard]] int64_t sends_allowed(double limit);

/// Whole working days an edge's delay puts between two steps: a delay of a
/// day or more moves the enrolment to a later working day; a shorter one
/// keeps it on the same day.
[[nodiscard]] inline int64_t delay_days(int64_t minutes) { return whole_days(minutes); }

/// A step of a sequence's silent path where the load model stops: a touch
/// (or task) on `channel`, or, with no channel, a step a delay of a day or
/// more lands on (where the runtime files the enrolment under a later day
/// too); `days_before` is that delay in working days, 0 for a touch on the
/// same day as the step before.
struct PathTouch {
  std::string channel;
  int64_t days_before = 0;
};

/// One sequence's part of an owner's load in the worst case.
struct LoadStream {
  std::string sequence;
  double enroll_per_day = 0;  // per working day of its calendar
  bool business_calendar = true;
  std::vector<PathTouch> path;
  /// The delay in working days of the edge into the exit, and the exit's
  /// reason.
  int64_t exit_days_before = 0;
  std::string exit_reason = "completed";
  /// The stream (an index among those simulated together) the exit hands
  /// off to: the record starts it the next working day; -1 for none.
  int handoff = -1;
};

/// Builds a stream's path from a walk along its silent path: step() for
/// each step but the exit, edge() for each edge taken, exit() at the end.
class PathBuilder {
 public:
  explicit PathBuilder(LoadStream& stream) : stream_(stream) {}
  /// A step; `channel` is empty for steps that are not touches or tasks.
  void step(std::string_view channel);
  void edge(int64_t delay_minutes) { pending_ = delay_days(delay_minutes); }
  void exit(std::string reason);

 private:
  LoadStream& stream_;
  int64_t pending_ = 0;
};

/// A sequence's load with the limits its owner works under (per channel,
/// per day: its own `limit`s, email capped at the platform's ceiling).
struct SequenceLoad {
  LoadStream stream;
  std::map<std::string, double> limits;
  std::string team;
};

/// The worst case, day by day: each stream enrols its rate every working
/// day (fractions carried over), every enrolment follows the stream's path,
/// and the owner's `limits` (per channel, per day; none = no limit) hold
/// what is due beyond them to the next working day, oldest first. Linear in
/// days x path length x streams.
[[nodiscard]] SimulationResult simulate_worst_case(std::span<const LoadStream> streams,
                                                   const std::map<std::string, double>& limits, int days);

/// Whether the worst case of `loads` can queue anything: false when on no
/// day can more be due on a channel than its limit lets out. Without a queue
/// every touch falls due on the working day its path says, and each place
/// on a path then takes one day's enrolments (at most the rate rounded up),
/// so the sum over the places of each channel bounds any day's due. Records
/// handed off between sequences make the bound unsafe: then true. Linear in
/// the paths; lets the lint skip the day-by-day run for a team well under
/// its limits.
/// Takes the loads by address, so that a caller grouping loads kept
/// elsewhere need not copy them to ask.
[[nodiscard]] bool may_queue(std::span<const SequenceLoad* const> loads);

/// The worst case of sequences that share an owner (a team): each channel's
/// limit is the lowest any of them sets, since the platform applies one
/// limit per owner.
[[nodiscard]] SimulationResult simulate_worst_case(std::span<const SequenceLoad> loads, int days);

}  // namespace cadence
