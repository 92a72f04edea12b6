// `cadence schema import`: a tenant's Dataverse schema, from the Web API's
// metadata answers, as `entity` declarations. A tenant that added columns or
// customised a stock choice (relabelled, renumbered, a value of its own)
// imports the generated file instead of std/lead, std/account...: its
// declarations replace the stdlib's.
//
// Answers read (Dataverse Web API, metadata):
//   GET EntityDefinitions(LogicalName='lead')?$select=LogicalName
//       &$expand=Attributes($select=LogicalName,AttributeType,RequiredLevel,
//                           IsValidForRead,AttributeOf,Targets)
//   GET EntityDefinitions(LogicalName='lead')/Attributes/
//       Microsoft.Dynamics.CRM.PicklistAttributeMetadata
//       ?$select=LogicalName&$expand=OptionSet,GlobalOptionSet
//   (and the same for StateAttributeMetadata and StatusAttributeMetadata)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cadence {

class SchemaImport {
 public:
  /// Adds one answer (`file` names it in messages). Returns a problem as a
  /// sentence when the answer is neither kind.
  [[nodiscard]] std::optional<std::string> add(const nlohmann::json& answer, const std::string& file);
  /// The declarations, tables sorted by name and columns by name; `notes`
  /// receives what was left out and why.
  [[nodiscard]] std::string write(std::vector<std::string>& notes) const;

 private:
  struct Column {
    std::string name;
    std::string type;  // AttributeType
    bool required = false;
    std::vector<std::string> targets;
    std::vector<std::pair<int64_t, std::string>> options;
    bool has_options = false;
  };
  struct Table {
    std::string name;
    std::vector<Column> columns;
  };
  Table& table(const std::string& name);
  std::vector<Table> tables_;
};

/// A Dataverse choice label as a Cadence option name: lower case,
/// apostrophes dropped, every other run of characters that are not ASCII
/// letters or digits one underscore ("Doctor's Offices and Clinics" ->
/// doctors_offices_and_clinics); the stdlib's names follow the same rule.
[[nodiscard]] std::string option_name_from_label(std::string_view label);

}  // namespace cadence
