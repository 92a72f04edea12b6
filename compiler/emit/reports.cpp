#include "emit/reports.hpp"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/escape.hpp"

namespace cadence {
namespace {

std::string pad(int depth) { return std::string(static_cast<std::size_t>(depth) * 2, ' '); }

/// The sequences themselves, by name, with the name as a column of the
/// answer (grouped by in an aggregate query): a link-entity from an
/// enrolment record.
std::string sequence_link(std::span<const std::string_view> ids, int depth, bool aggregate) {
  const std::string p = pad(depth);
  std::string out = fmt::format(
      "{0}<link-entity name=\"msdyn_sequence\" from=\"msdyn_sequenceid\" to=\"msdyn_parentsequence\" "
      "link-type=\"inner\" alias=\"sequence\">\n"
      "{0}  <attribute name=\"msdyn_name\" alias=\"sequence_name\"{1} />\n"
      "{0}  <filter type=\"and\">\n",
      p, aggregate ? " groupby=\"true\"" : "");
  if (ids.size() == 1) {
    out += fmt::format("{}    <condition attribute=\"msdyn_name\" operator=\"eq\" value=\"{}\" />\n", p,
                       xml_escape(ids.front()));
  } else {
    out += fmt::format("{}    <condition attribute=\"msdyn_name\" operator=\"in\">\n", p);
    for (std::string_view id : ids) out += fmt::format("{}      <value>{}</value>\n", p, xml_escape(id));
    out += fmt::format("{}    </condition>\n", p);
  }
  out += fmt::format("{0}  </filter>\n{0}</link-entity>\n", p);
  return out;
}

/// The enrolment records of the sequences, joined from `parent_key` of the
/// enclosing entity, with the sequence version and name as columns.
std::string membership(std::string_view parent_key, std::span<const std::string_view> ids, int depth) {
  const std::string p = pad(depth);
  return fmt::format(
             "{0}<link-entity name=\"msdyn_sequencetarget\" from=\"msdyn_target\" to=\"{1}\" link-type=\"inner\" "
             "alias=\"membership\">\n"
             "{0}  <attribute name=\"msdyn_parentsequenceversion\" alias=\"sequence_version\" />\n",
             p, parent_key) +
         sequence_link(ids, depth + 1, false) + p + "</link-entity>\n";
}

/// Each opportunity of the records of `target_table` the sequences enrolled,
/// once per sequence and version, created on or after the enrolment.
std::string opportunities(std::string_view target_table, std::span<const std::string_view> ids) {
  std::string out =
      "<fetch distinct=\"true\">\n"
      "  <entity name=\"opportunity\">\n"
      "    <attribute name=\"opportunityid\" alias=\"opportunity\" />\n"
      "    <attribute name=\"statecode\" alias=\"state\" />\n"
      "    <attribute name=\"actualvalue\" alias=\"actual_value\" />\n"
      "    <attribute name=\"estimatedvalue\" alias=\"estimated_value\" />\n";
  if (target_table == "opportunity") {
    // The opportunity was enrolled itself: it counts whatever its age.
    return out + membership("opportunityid", ids, 2) + "  </entity>\n</fetch>\n";
  }
  const std::string target = xml_escape(target_table);
  const std::string key = target + "id";
  out += fmt::format("    <link-entity name=\"{}\" from=\"{}\" to=\"{}\" link-type=\"inner\" alias=\"enrolled\">\n",
                     target, key, *opportunity_link_column(target_table));
  out += membership(key, ids, 3) + "    </link-entity>\n";
  // Opportunities the record had before it was enrolled are not the
  // sequence's doing (a column comparison across the link).
  out +=
      "    <filter type=\"and\">\n"
      "      <condition attribute=\"createdon\" operator=\"ge\" valueof=\"membership.createdon\" />\n"
      "    </filter>\n"
      "  </entity>\n</fetch>\n";
  return out;
}

std::string enrolled(std::span<const std::string_view> ids) {
  return "<fetch aggregate=\"true\">\n"
         "  <entity name=\"msdyn_sequencetarget\">\n"
         "    <attribute name=\"msdyn_target\" alias=\"records\" aggregate=\"countcolumn\" distinct=\"true\" />\n"
         "    <attribute name=\"msdyn_parentsequenceversion\" alias=\"sequence_version\" groupby=\"true\" />\n" +
         sequence_link(ids, 2, true) + "  </entity>\n</fetch>\n";
}

std::string step_outcomes(std::span<const std::string_view> ids) {
  return "<fetch aggregate=\"true\">\n"
         "  <entity name=\"msdyn_sequencetargetstep\">\n"
         "    <attribute name=\"msdyn_name\" alias=\"step\" groupby=\"true\" />\n"
         "    <attribute name=\"statuscode\" alias=\"outcome\" groupby=\"true\" />\n"
         "    <attribute name=\"msdyn_sequencetargetstepid\" alias=\"count\" aggregate=\"count\" />\n"
         "    <link-entity name=\"msdyn_sequencetarget\" from=\"msdyn_sequencetargetid\" to=\"msdyn_sequencetarget\" "
         "link-type=\"inner\" alias=\"membership\">\n"
         "      <attribute name=\"msdyn_parentsequenceversion\" alias=\"sequence_version\" groupby=\"true\" />\n" +
         sequence_link(ids, 3, true) + "    </link-entity>\n  </entity>\n</fetch>\n";
}

}  // namespace

std::optional<std::string_view> opportunity_link_column(std::string_view target_table) {
  if (target_table == "lead") return "originatingleadid";
  if (target_table == "contact") return "parentcontactid";
  if (target_table == "account") return "parentaccountid";
  return std::nullopt;
}

std::vector<ReportQuery> report_queries(std::span<const ReportedSequence> sequences) {
  std::vector<ReportQuery> queries;
  if (sequences.empty()) return queries;
  std::vector<std::string_view> all;
  std::map<std::string_view, std::vector<std::string_view>> by_table;  // sorted: stable output
  for (const ReportedSequence& sequence : sequences) {
    all.push_back(sequence.id);
    if (sequence.target_table == "opportunity" || opportunity_link_column(sequence.target_table)) {
      by_table[sequence.target_table].push_back(sequence.id);
    }
  }
  for (const auto& [table, ids] : by_table) {
    queries.push_back({"opportunities", std::string(table), opportunities(table, ids)});
  }
  queries.push_back({"enrolled", "", enrolled(all)});
  queries.push_back({"step_outcomes", "", step_outcomes(all)});
  return queries;
}

nlohmann::ordered_json reports_json(std::string_view sequence_id, std::string_view target_table) {
  using Json = nlohmann::ordered_json;
  const ReportedSequence one{sequence_id, target_table};
  Json result{{"attribution", nullptr}};
  for (ReportQuery& query : report_queries(std::span(&one, 1))) {
    result[query.kind == "opportunities" ? "attribution" : query.kind] = std::move(query.fetchxml);
  }
  return result;
}

}  // namespace cadence
