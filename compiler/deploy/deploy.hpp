// Deploying: what it takes to make a platform match the sources, given what
// an earlier deployment (or an import) recorded in a state file. The plan is
// computed here, without any network: each request `cadence export` writes
// for a sequence becomes a create (no record yet), an update in place (a
// record whose content changed), nothing (unchanged), a delete, or is left
// alone or refused with the platform's reason. The command line sends the
// plan's requests (cli/apply_command.cpp) and records each answer here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "export/target.hpp"

namespace cadence::deploy {

using Json = exporter::Json;

/// Version of the state file's format.
inline constexpr int kStateFormatVersion = 1;

/// What `cadence apply` needs to know of a platform's API besides the
/// requests the exporter writes.
struct Platform {
  std::string_view target;
  /// The API's root when --base-url is not given.
  std::string_view base_url;
  /// The media type of bodies sent and of answers.
  std::string_view media_type;
  /// Where a create's answer usually holds the new record's id (a JSON
  /// Pointer); an action may name another (Action::created_id).
  std::string_view created_id;
  /// The published rate limit: at most this many requests in this window.
  std::size_t requests_per_window = 0;
  int window_seconds = 0;
  /// Headers every request carries besides the token and media type, one
  /// a line ("OData-Version: 4.0").
  std::string_view headers;
};

/// The platforms `cadence apply` deploys to (Outreach, Salesloft, HubSpot,
/// Dynamics 365, which has no default URL: each organisation has its own);
/// nothing for another target.
[[nodiscard]] const Platform* find_platform(std::string_view target);
/// Their names, for --target and for messages ("Outreach and Salesloft").
[[nodiscard]] std::vector<std::string> platform_targets();

/// One platform record that a request of the export created or matched.
struct Record {
  /// The platform's id (a number on Outreach).
  Json id;
  /// The hash of the request body last applied; empty when unknown (an
  /// import records ids only), which makes the next apply update the record.
  std::string hash;
  /// A create was sent and its answer never came: the record may exist.
  bool pending = false;
};

/// What the platform holds of the sources' sequences: by sequence name, by
/// request id ("sequence", "sequenceStep/email_1", "template/intro").
struct State {
  std::string target;
  std::map<std::string, std::map<std::string, Record>> sequences;
  /// The plan of each sequence as last applied (a plan document holding that
  /// sequence alone), which `cadence diff` compares with the sources' to say
  /// what an apply does to enrolled prospects.
  std::map<std::string, Json> applied_plans;
};

/// Whether `id` can name a record in a request's path: a number, or a string
/// of letters, digits, `_` and `-` (never `/`, `.` or `%`, which could reach
/// another endpoint with the token).
[[nodiscard]] bool usable_id(const Json& id);

/// Reads a state file's JSON (`cadence apply` writes it; `cadence import
/// --ids` writes one without hashes). Returns a sentence on a bad shape; an
/// applied plan that is not a well-formed plan is left out.
[[nodiscard]] std::optional<State> read_state(const Json& json, std::string& problem);
[[nodiscard]] Json state_json(const State& state);

/// The hash that tells whether a request's body changed since it was applied.
[[nodiscard]] std::string body_hash(const exporter::Request& request);

enum class ActionKind : uint8_t {
  /// POST: a record the platform does not have yet.
  Create,
  /// PATCH (or PUT): the record exists and its content changed.
  Update,
  /// Nothing to send: the record exists with this content.
  Unchanged,
  /// DELETE: a record the sources no longer have, which the platform can
  /// delete without harm (a template link of an email step).
  Delete,
  /// A record the sources no longer have that is kept (a template other
  /// sequences may use, a whole sequence with its enrolments).
  LeftAlone,
  /// The platform cannot make this change through its API; nothing of
  /// this sequence is sent.
  Impossible,
  /// GET: a record built by hand on the platform, found by its name; its id
  /// is recorded (a Dynamics 365 sequence, built from its build sheet).
  Find,
};
[[nodiscard]] std::string_view action_name(ActionKind kind);

struct Action {
  ActionKind kind = ActionKind::Unchanged;
  std::string sequence;
  /// The request's id in the export (also the key of its record in the state).
  std::string request;
  std::string method;
  std::string path;
  /// The body to send; references are filled in when it is sent.
  Json body;
  std::vector<exporter::Reference> references;
  std::string hash;
  /// Why (for LeftAlone, Impossible), or what the user must do after.
  std::string note;
  /// For a create: where its answer holds the new record's id (for a find:
  /// the id of the one record found).
  std::string created_id;
  /// For a create whose record is known by an id the request names (a
  /// record connected to a Dynamics 365 sequence): that id.
  Json assigned_id;
  /// Unchanged, and its hash is to be recorded: the state held the record
  /// without one (`cadence import --ids`) and the platform cannot be updated.
  bool adopt = false;
};

struct Plan {
  std::vector<Action> actions;
  /// What the user must do by hand afterwards (enable a new sequence...).
  std::vector<std::string> afterwards;
  [[nodiscard]] std::size_t count(ActionKind kind) const;
  /// Whether anything would be written.
  [[nodiscard]] bool writes() const;
  /// Whether anything would be sent (a write, or a find).
  [[nodiscard]] bool sends() const;
};

/// The plan for one target's export of the sources, against the state.
/// Returns nothing and a sentence for a target Cadence cannot deploy to.
[[nodiscard]] std::optional<Plan> plan_deployment(const exporter::Target& target,
                                                  const std::vector<exporter::SequenceExport>& sequences,
                                                  const State& state, std::string& problem);

/// The body of `action` with its references filled in from the records of
/// its sequence (the id, or the reference's format around it); names the
/// request a reference waits for when it has no id.
[[nodiscard]] std::optional<Json> resolved_body(const Action& action, const std::map<std::string, Record>& records,
                                                std::string& missing);

}  // namespace cadence::deploy
