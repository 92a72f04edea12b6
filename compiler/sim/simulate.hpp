// The reference runtime: simulates a plan's enrolments day by day for one
// owner, with engagement drawn at random (seeded, so runs repeat), the
// business calendar, and the owner's daily limits: when a limit is hit the
// rest is queued to the next working day, and every later due date of those
// enrolments drifts. It reads the JSON plan only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "emit/plan_read.hpp"
#include "sim/load.hpp"

namespace cadence {

/// The default shares of call outcomes, one for each word of
/// vocabulary::kCallOutcomes.
[[nodiscard]] std::map<std::string, double> default_call_mix();

struct SimulationOptions {
  std::optional<std::string> sequence;   // default: the plan's first
  std::optional<double> enroll_per_day;  // default: the plan's, else 10
  int days = kLoadHorizonDays;
  uint64_t seed = 1;
  // Engagement, per touch.
  double open = kDefaultRates.open;
  double click = kDefaultRates.click;  // of opened emails
  double reply = kDefaultRates.reply;
  double bounce = kDefaultRates.bounce;
  double out_of_office = kDefaultRates.out_of_office;
  double unsubscribe = kDefaultRates.unsubscribe;
  double accept = kDefaultRates.accept;
  // Call outcomes (normalised to sum to 1).
  std::map<std::string, double> call_outcomes = default_call_mix();
  double default_email_limit = kDefaultEmailLimitPerDay;
  /// Emails per owner per day the platform sends at most (the lint's
  /// `email-ceiling`); a plan's higher limit does not lift it.
  double email_ceiling = kDefaultEmailCeilingPerDay;
};

/// Longest simulation, in days (ten years).
inline constexpr int kMaxSimulationDays = 3650;

/// Why `options` cannot be simulated (days, rates and chances out of range), if so.
[[nodiscard]] std::optional<std::string> validate_simulation_options(const SimulationOptions& options);

/// The call outcomes of the language, in the order the language lists them.

/// Parses a call outcome mix such as "connected=0.1,voicemail=0.3"; on
/// failure returns nothing and sets `error`.
[[nodiscard]] std::optional<std::map<std::string, double>> parse_call_mix(std::string_view text, std::string& error);

/// Runs the simulation of the plan's first sequence (or
/// `options.sequence`); throws std::runtime_error for options it cannot run
/// (see validate_simulation_options, and at most five million enrolments in
/// all) or a sequence the plan does not have. The plan comes from
/// read_plan(), which checked it.
[[nodiscard]] SimulationResult simulate(const plan::Plan& plan, const SimulationOptions& options);

/// The sequences of `plan` simulate() may run (only `options.sequence` when
/// set), after checking the options. Throws like simulate().
[[nodiscard]] std::vector<const plan::Sequence*> plan_sequences(const plan::Plan& plan,
                                                                const SimulationOptions& options);

/// Runs several sequences (of plan_sequences(), kept alive by the caller)
/// for one owner: a team. Each enrols at its rate (`options.enroll_per_day`
/// overrides every one), the owner's limit per channel is the lowest any of
/// them sets, and the day's work is done oldest first across them.
[[nodiscard]] SimulationResult simulate_sequences(const std::vector<const plan::Sequence*>& sequences,
                                                  const SimulationOptions& options);

/// The worst-case load of each of `sequences` (of plan_sequences()), as the
/// reference runtime reads them: the silent path it walks when nobody
/// engages, the enrolment rate (`options.enroll_per_day` if set) and the
/// limits. Throws like simulate().
[[nodiscard]] std::vector<SequenceLoad> worst_case_loads(const std::vector<const plan::Sequence*>& sequences,
                                                         const SimulationOptions& options);

[[nodiscard]] std::string simulation_table(const SimulationResult& result);
[[nodiscard]] nlohmann::ordered_json simulation_json(const SimulationResult& result);
/// A chart of the daily email load against the limit, and the backlog.
[[nodiscard]] std::string simulation_svg(const SimulationResult& result);

}  // namespace cadence
