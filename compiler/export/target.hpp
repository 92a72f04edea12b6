// Export targets: the sales-engagement platforms a plan can be deployed to.
//
// The exporter is a phase of its own, fed by the JSON plan (never by the
// syntax tree): each target reads a plan sequence and answers with the
// requests its platform's public API accepts to create it, and with one
// finding for every construct of the sequence, saying whether the platform
// expresses it one-to-one, approximates it, drops it, or cannot express it.
// `cadence export` writes the requests and the fidelity summary; `cadence
// check --target` and the editor turn the findings into diagnostics
// (target-unsupported, target-approximated) at the construct's source.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emit/plan_read.hpp"

namespace cadence::exporter {

using Json = nlohmann::ordered_json;

/// Version of the export document's format.
inline constexpr int kExportFormatVersion = 1;

enum class Fidelity : uint8_t {
  /// The platform expresses it as the sequence says.
  Mapped,
  /// Expressed, but not exactly (a rounded wait, an even A/B rotation).
  Approximated,
  /// Not carried to the platform at all.
  Dropped,
  /// Cannot be expressed; nothing is exported while one remains.
  Unsupported,
};

[[nodiscard]] std::string_view fidelity_name(Fidelity fidelity);

/// What a finding is about: a step of the plan (its id), or a part of the
/// sequence's head: "calendar", "enroll", "segment", "team", "title",
/// "limit:<channel>", "handler:<event>", or "sequence" for the whole.
struct Finding {
  Fidelity fidelity = Fidelity::Mapped;
  std::string subject;
  /// The construct, then what the target made of it.
  std::string message;
  /// What the author can do about it (approximations, drops, unsupported).
  std::string help;
  /// Approximated and Dropped findings are warnings (target-approximated)
  /// unless they change nothing a prospect receives (a team name, a label).
  bool warn = true;
  /// The plan's location of the step or the sequence, or null.
  Json location;
};

/// A value a request needs from the response of an earlier request (an id
/// the platform assigns): replay `request` first, read its response at
/// `response_pointer`, and write the value into this request's body at
/// `pointer` (JSON Pointers, RFC 6901).
struct Reference {
  std::string pointer;
  std::string request;
  std::string response_pointer;
  /// Empty: the value is the id itself. Otherwise a text in which `{id}`
  /// stands for it (an OData bind: "/msdyn_sequences({id})").
  std::string format;
};

struct Request {
  /// Unique within the sequence's export, e.g. "template/connect_intro".
  std::string id;
  std::string method;
  std::string path;
  Json body;
  std::vector<Reference> references;
};

/// One plan sequence as a target sees it.
struct SequenceExport {
  std::string name;
  std::vector<Finding> findings;
  /// In replay order; empty when a finding is Unsupported.
  std::vector<Request> requests;

  [[nodiscard]] bool exportable() const;
  [[nodiscard]] std::size_t count(Fidelity fidelity) const;
};

/// The constructs a platform runs exactly as written, of those the lints
/// would otherwise ask for: with targets configured, no lint asks for what
/// one of them cannot run (docs/diagnostics.md, "Lints and export targets").
/// Each exporter's findings agree: a construct left out here is exported as
/// approximated, dropped or unsupported.
struct Reach {
  /// A branch on opens, clicks or replies.
  bool engagement_branches = false;
  /// A merge field's fallback (`{{lead.firstname | "there"}}`).
  bool fallbacks = false;
  /// `on out_of_office pause D`, for D.
  bool out_of_office_pause = false;
};

class Target {
 public:
  virtual ~Target() = default;
  /// The name on the command line and in cadence.toml: "outreach".
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// The platform as users call it: "Outreach".
  [[nodiscard]] virtual std::string_view title() const = 0;
  /// The API (and version) the requests are written for.
  [[nodiscard]] virtual std::string_view api() const = 0;
  /// The platform's documented email cap per sender, as emails a day, and
  /// how the platform states it; nothing when it publishes none.
  [[nodiscard]] virtual std::optional<int64_t> emails_per_day() const = 0;
  [[nodiscard]] virtual std::string_view emails_cap_text() const = 0;
  [[nodiscard]] virtual Reach reach() const = 0;
  /// Reads one sequence of a plan (as read_plan() gave it).
  [[nodiscard]] virtual SequenceExport export_sequence(const plan::Sequence& sequence) const = 0;
};

/// Every target, sorted by name.
[[nodiscard]] std::span<const Target* const> all_targets();
[[nodiscard]] const Target* find_target(std::string_view name);
/// Every target's name, sorted: the values `--target` takes.
[[nodiscard]] std::vector<std::string> target_name_list();
/// "hubspot, outreach, salesloft".
[[nodiscard]] std::string target_names();

/// The export document of a plan for one target: format, version, target,
/// API, source and, per sequence, its requests and fidelity summary.
/// Deterministic: the same plan gives the same document, byte for byte.
[[nodiscard]] Json export_document(const Target& target, const plan::Plan& plan,
                                   const std::vector<SequenceExport>& sequences);

/// A sequence's findings grouped by fidelity, as the export document and
/// `cadence export --format json` carry them.
[[nodiscard]] Json fidelity_json(const SequenceExport& sequence);

/// The fidelity summary as text, one line per finding.
[[nodiscard]] std::string fidelity_text(const Target& target, const std::string& source,
                                        const std::vector<SequenceExport>& sequences);

/// The daily email ceiling of a set of targets: the lowest cap any of them
/// publishes, with the target it comes from; nothing when none publishes one.
struct TargetCeiling {
  int64_t emails_per_day = 0;
  const Target* target = nullptr;
};
[[nodiscard]] std::optional<TargetCeiling> targets_ceiling(std::span<const std::string> names);

/// The titles of the named targets that cannot run a construct, joined for
/// a sentence ("Outreach and HubSpot"); empty when every one of them can.
[[nodiscard]] std::string targets_without(std::span<const std::string> names, bool Reach::*construct);

}  // namespace cadence::exporter
