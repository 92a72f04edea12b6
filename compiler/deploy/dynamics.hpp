// Dynamics 365 Sales as `cadence apply` deploys to it. The format of a
// sequence's body (msdyn_sequence.msdyn_definition) is not published, so
// the sequence itself is built by hand in the sequence designer, from a
// build sheet Cadence writes; what the Dataverse Web API documents is
// deployed: the segment (msdyn_segment, its FetchXML filter bound to the
// sequence) and the records connected to the sequence (msdyn_ConnectSequence).
// Facts from Microsoft's generated entity reference
// (ce/developer/reference/entities/msdyn_segment.md, msdyn_sequence.md) and
// the action's reference (msdyn-ConnectSequence-action.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "export/target.hpp"

namespace cadence::deploy {

/// The Web API root of every request.
inline constexpr std::string_view kDataverseApi = "/api/data/v9.2";
/// The longest text of the columns Cadence writes.
inline constexpr std::size_t kMaxSequenceName = 160;         // msdyn_sequence.msdyn_name
inline constexpr std::size_t kMaxSegmentName = 100;          // msdyn_segment.msdyn_name
inline constexpr std::size_t kMaxSegmentFilter = 4000;       // msdyn_segment.msdyn_entityfilter
inline constexpr std::size_t kMaxSegmentDescription = 2000;  // msdyn_segment.msdyn_description

/// A record to connect to a sequence, as a connections file lists it.
struct Connection {
  std::string sequence;
  /// The record's table (logical name): lead, opportunity, account...
  std::string entity;
  /// Its id, a GUID in lower case.
  std::string id;
  /// The line of the file that names it.
  std::size_t line = 0;
};

/// Reads a connections file: CSV whose first line is `sequence,entity,id`,
/// then one record a line (blank lines and lines starting with `#` are
/// skipped). Returns nothing and a sentence naming the line on a bad line
/// or a record listed twice.
[[nodiscard]] std::optional<std::vector<Connection>> read_connections(std::string_view text, std::string& problem);

/// Dynamics 365 as a target of `cadence apply` (not of `cadence export`).
/// A sequence's requests: "sequence" finds the msdyn_sequence named like the
/// sequence (a GET, whose body, never sent, is the hash of the build sheet:
/// what the designer must hold); "segment/NAME" creates the segment, bound
/// to it and inactive; "connect/ENTITY/ID" connects a record.
class DynamicsTarget final : public exporter::Target {
 public:
  explicit DynamicsTarget(std::vector<Connection> connections);
  [[nodiscard]] std::string_view name() const override { return "dynamics"; }
  [[nodiscard]] std::string_view title() const override { return "Dynamics 365"; }
  [[nodiscard]] std::string_view api() const override { return "Dataverse Web API v9.2"; }
  [[nodiscard]] std::optional<int64_t> emails_per_day() const override { return std::nullopt; }
  [[nodiscard]] std::string_view emails_cap_text() const override { return {}; }
  [[nodiscard]] exporter::Reach reach() const override { return {}; }
  [[nodiscard]] exporter::SequenceExport export_sequence(const plan::Sequence& sequence) const override;

 private:
  std::vector<Connection> connections_;
};

/// The path that finds the active msdyn_sequence of this name.
[[nodiscard]] std::string find_sequence_path(std::string_view name);

/// The build sheet of a plan sequence, in Markdown: the sequence's settings
/// and every designer step in order (its name, which `cadence report` joins
/// on, its kind in the designer, waits, conditions and where each path
/// goes), then the email templates and the events that end or pause it.
[[nodiscard]] std::string build_sheet(const plan::Sequence& sequence);

}  // namespace cadence::deploy
