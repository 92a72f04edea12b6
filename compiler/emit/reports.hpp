// The reports of sequences, as FetchXML queries a Dynamics 365 organisation
// runs: the opportunities that came from the records a sequence enrolled
// (won amount, pipeline created), the records enrolled, and step outcomes,
// each by sequence and sequence version. One set of queries covers any
// number of sequences; `cadence report --rank` reads the Web API's answers.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cadence {

/// A sequence to report on: the name of its msdyn_sequence record (the
/// plan's `id`) and the Dataverse table it enrols.
struct ReportedSequence {
  std::string_view id;
  std::string_view target_table;
};

/// One query and what it answers.
struct ReportQuery {
  /// "opportunities" (per target table), "enrolled" or "step_outcomes".
  std::string kind;
  /// For "opportunities": the target table whose records it follows.
  std::string target_table;
  std::string fetchxml;
};

/// The queries for `sequences`: one "opportunities" query per target table
/// that an opportunity refers to (lead, contact, account, opportunity), one
/// "enrolled" and one "step_outcomes" query for all of them.
///
/// opportunities: each opportunity once per sequence and version (a
///   re-enrolment in the same version does not count it twice), created on
///   or after the enrolment (an enrolled opportunity counts whatever its
///   age), with opportunityid, statecode, actualvalue and estimatedvalue;
///   won amount and pipeline created are summed from these rows.
/// enrolled: distinct records enrolled, by sequence and version.
/// step_outcomes: step instances by the step's name in the designer
///   (msdyn_sequencetargetstep.msdyn_name), status, sequence and version.
[[nodiscard]] std::vector<ReportQuery> report_queries(std::span<const ReportedSequence> sequences);

/// The plan's `reports` member for one sequence: {"attribution" (its
/// opportunities query; null when no opportunity refers to the target),
/// "enrolled", "step_outcomes"}.
[[nodiscard]] nlohmann::ordered_json reports_json(std::string_view sequence_id, std::string_view target_table);

/// The opportunity column that ties an opportunity to a record of
/// `target_table` (lead: the originating lead; contact: the parent contact;
/// account: the parent account), if any; opportunities are their own.
[[nodiscard]] std::optional<std::string_view> opportunity_link_column(std::string_view target_table);

/// The longest step name the sequence designer keeps
/// (msdyn_sequencetargetstep.msdyn_name is a string of at most 100).
inline constexpr std::size_t kMaxDesignerStepName = 100;

}  // namespace cadence
