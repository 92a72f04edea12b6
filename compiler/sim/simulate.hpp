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
#include <vector>

#include <nlohmann/json.hpp>

namespace cadence {

struct SimulationOptions {
  std::optional<std::string> sequence;  // default: the plan's first
  std::optional<double> enroll_per_day;  // default: the plan's, else 10
  int days = 60;
  uint64_t seed = 1;
  // Engagement, per touch.
  double open = 0.35;        // an email is opened
  double click = 0.10;       // an opened email is clicked
  double reply = 0.03;       // a touch gets a reply
  double bounce = 0.02;      // an email bounces
  double out_of_office = 0.03;
  double unsubscribe = 0.005;
  double accept = 0.30;      // a LinkedIn connection request is accepted
  // Call outcomes (normalised to sum to 1).
  std::map<std::string, double> call_outcomes = {{"connected", 0.10}, {"voicemail", 0.30}, {"no_answer", 0.45},
                                                 {"busy", 0.05}, {"wrong_number", 0.05}, {"not_interested", 0.03},
                                                 {"callback_later", 0.02}};
  double default_email_limit = 200;
};

struct SimulationDay {
  int day = 0;             // calendar day from the start, 0-based
  bool working = true;
  int enrolled = 0;
  int due = 0;             // activities due today, backlog included
  int done = 0;
  int emails_done = 0;
  int queued = 0;          // left for the next working day (the backlog)
  double drift_days = 0;   // average lateness of what was done today, in working days
  int replies = 0;
  std::map<std::string, int> exits;  // by reason
};

struct SimulationResult {
  std::string sequence;
  double enroll_per_day = 0;
  double email_limit = 0;
  bool business_calendar = true;
  std::vector<SimulationDay> days;
};

/// Runs the simulation; throws std::runtime_error for a plan it cannot read.
[[nodiscard]] SimulationResult simulate(const nlohmann::json& plan, const SimulationOptions& options);

[[nodiscard]] std::string simulation_table(const SimulationResult& result);
[[nodiscard]] nlohmann::ordered_json simulation_json(const SimulationResult& result);
/// A chart of the daily email load against the limit, and the backlog.
[[nodiscard]] std::string simulation_svg(const SimulationResult& result);

}  // namespace cadence
