#include "emit/reports.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/escape.hpp"

namespace cadence {
namespace {

/// The sequence itself, by name: a link-entity from an enrolment record.
std::string sequence_link(std::string_view sequence_id, int depth) {
  const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
  return fmt::format(
      "{0}<link-entity name=\"msdyn_sequence\" from=\"msdyn_sequenceid\" to=\"msdyn_parentsequence\" "
      "link-type=\"inner\" alias=\"sequence\">\n"
      "{0}  <filter type=\"and\">\n"
      "{0}    <condition attribute=\"msdyn_name\" operator=\"eq\" value=\"{1}\" />\n"
      "{0}  </filter>\n"
      "{0}</link-entity>\n",
      pad, xml_escape(sequence_id));
}

/// The enrolment records of the sequence, joined from `parent_key` of the
/// enclosing entity, with the sequence version (and optionally the segment)
/// as groups; `depth` is the indentation of the link-entity.
std::string membership(std::string_view parent_key, std::string_view sequence_id, int depth, bool by_segment) {
  const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
  std::string out = fmt::format(
      "{0}<link-entity name=\"msdyn_sequencetarget\" from=\"msdyn_target\" to=\"{1}\" link-type=\"inner\" "
      "alias=\"membership\">\n"
      "{0}  <attribute name=\"msdyn_parentsequenceversion\" alias=\"sequence_version\" groupby=\"true\" />\n",
      pad, parent_key);
  if (by_segment)
    out += fmt::format("{}  <attribute name=\"msdyn_segment\" alias=\"segment\" groupby=\"true\" />\n", pad);
  out += sequence_link(sequence_id, depth + 1);
  out += pad + "</link-entity>\n";
  return out;
}

}  // namespace

nlohmann::ordered_json reports_json(const SequenceReports& reports) {
  using Json = nlohmann::ordered_json;
  return Json{{"attribution", reports.attribution.empty() ? Json(nullptr) : Json(reports.attribution)},
              {"enrolled", reports.enrolled},
              {"step_outcomes", reports.step_outcomes}};
}

std::optional<std::string_view> opportunity_link_column(std::string_view target_table) {
  if (target_table == "lead") return "originatingleadid";
  if (target_table == "contact") return "parentcontactid";
  if (target_table == "account") return "parentaccountid";
  return std::nullopt;
}

SequenceReports sequence_reports(std::string_view sequence_id, std::string_view target_table) {
  SequenceReports reports;
  const std::string target = xml_escape(target_table);
  const std::string key = target + "id";
  // Won opportunities: statecode 1 is Won.
  std::string attribution =
      "<fetch aggregate=\"true\">\n"
      "  <entity name=\"opportunity\">\n"
      "    <attribute name=\"actualvalue\" alias=\"won_amount\" aggregate=\"sum\" />\n"
      "    <attribute name=\"opportunityid\" alias=\"won_count\" aggregate=\"countcolumn\" distinct=\"true\" />\n"
      "    <filter type=\"and\">\n"
      "      <condition attribute=\"statecode\" operator=\"eq\" value=\"1\" />\n"
      "    </filter>\n";
  if (target_table == "opportunity") {
    reports.attribution = attribution + membership("opportunityid", sequence_id, 2, true) + "  </entity>\n</fetch>\n";
  } else if (const auto column = opportunity_link_column(target_table)) {
    reports.attribution = attribution +
                          fmt::format(
                              "    <link-entity name=\"{}\" from=\"{}\" to=\"{}\" link-type=\"inner\" "
                              "alias=\"enrolled\">\n",
                              target, key, *column) +
                          membership(key, sequence_id, 3, true) + "    </link-entity>\n  </entity>\n</fetch>\n";
  }
  reports.enrolled =
      fmt::format(
          "<fetch aggregate=\"true\">\n"
          "  <entity name=\"{0}\">\n"
          "    <attribute name=\"{1}\" alias=\"records\" aggregate=\"countcolumn\" distinct=\"true\" />\n",
          target, key) +
      membership(key, sequence_id, 2, true) + "  </entity>\n</fetch>\n";
  reports.step_outcomes =
      "<fetch aggregate=\"true\">\n"
      "  <entity name=\"msdyn_sequencetargetstep\">\n"
      "    <attribute name=\"msdyn_sequencestepid\" alias=\"step\" groupby=\"true\" />\n"
      "    <attribute name=\"statuscode\" alias=\"outcome\" groupby=\"true\" />\n"
      "    <attribute name=\"msdyn_sequencetargetstepid\" alias=\"count\" aggregate=\"count\" />\n"
      "    <link-entity name=\"msdyn_sequencetarget\" from=\"msdyn_sequencetargetid\" to=\"msdyn_sequencetarget\" "
      "link-type=\"inner\" alias=\"membership\">\n"
      "      <attribute name=\"msdyn_parentsequenceversion\" alias=\"sequence_version\" groupby=\"true\" />\n" +
      sequence_link(sequence_id, 3) + "    </link-entity>\n  </entity>\n</fetch>\n";
  return reports;
}

}  // namespace cadence
