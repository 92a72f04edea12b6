// The reports of a sequence, as FetchXML aggregate queries a Dynamics 365
// organisation runs: won pipeline attributed to the sequence, enrolments,
// and step outcomes, each grouped by the sequence version that ran.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace cadence {

struct SequenceReports {
  /// Sum and count of won opportunities that came from records the sequence
  /// enrolled, by segment and sequence version; empty when the target has no
  /// path to an opportunity.
  std::string attribution;
  /// Records enrolled, by segment and sequence version (the denominator of
  /// "won amount per record").
  std::string enrolled;
  /// Step instances by step id, status and sequence version.
  std::string step_outcomes;
};

/// The reports of the sequence deployed under `sequence_id` (the name of the
/// msdyn_sequence record; the plan's `id`) that enrols records of the
/// Dataverse table `target_table`.
[[nodiscard]] SequenceReports sequence_reports(std::string_view sequence_id, std::string_view target_table);

/// The plan's `reports` member: {"attribution" (null when empty), "enrolled", "step_outcomes"}.
[[nodiscard]] nlohmann::ordered_json reports_json(const SequenceReports& reports);

/// The opportunity column that ties a won opportunity to a record of
/// `target_table` (lead: the originating lead; contact: the parent contact;
/// account: the parent account), if any; opportunities are their own.
[[nodiscard]] std::optional<std::string_view> opportunity_link_column(std::string_view target_table);

}  // namespace cadence
