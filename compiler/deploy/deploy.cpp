#include "deploy/deploy.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "deploy/dynamics.hpp"
#include "emit/plan.hpp"
#include "support/sha256.hpp"

namespace cadence::deploy {
namespace {

constexpr std::string_view kStateFormat = "cadence-state";

/// A member that is a string, or "".
std::string string_member(const Json& object, std::string_view name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string id_text(const Json& id) { return id.is_string() ? id.get<std::string>() : id.dump(); }

bool starts_with(std::string_view text, std::string_view prefix) { return text.starts_with(prefix); }

/// Outreach: 10,000 requests an hour per user. Salesloft: a team's budget
/// of 600 a minute, shared by every integration (each request costs at
/// least 1). HubSpot: 190 requests in 10 seconds for the Professional and
/// Enterprise accounts that have sequences. Dataverse (Dynamics 365): its
/// service protection allows 6,000 requests per user in a sliding window of
/// 5 minutes; a create answers the record (Prefer: return=representation).
constexpr std::array<Platform, 4> kPlatforms{{
    {"outreach", "https://api.outreach.io", "application/vnd.api+json", "/data/id", 10000, 3600, ""},
    {"salesloft", "https://api.salesloft.com", "application/json", "/data/cadence/id", 600, 60, ""},
    {"hubspot", "https://api.hubapi.com", "application/json", "/id", 190, 10, ""},
    {"dynamics", "", "application/json", "/msdyn_segmentid", 6000, 300,
     "OData-MaxVersion: 4.0\nOData-Version: 4.0\nPrefer: return=representation"},
}};

/// An action that sends nothing: left alone or impossible, and why.
Action noted(ActionKind kind, const std::string& sequence, const std::string& request, std::string note) {
  Action action;
  action.kind = kind;
  action.sequence = sequence;
  action.request = request;
  action.note = std::move(note);
  return action;
}

/// The state's record of a request, if any.
const Record* find_record(const std::map<std::string, Record>* records, const std::string& request) {
  if (records == nullptr) return nullptr;
  const auto it = records->find(request);
  return it == records->end() ? nullptr : &it->second;
}

/// The create of a request the exporter wrote.
Action create_action(const exporter::SequenceExport& sequence, const exporter::Request& request) {
  Action action;
  action.kind = ActionKind::Create;
  action.sequence = sequence.name;
  action.request = request.id;
  action.method = request.method;
  action.path = request.path;
  action.body = request.body;
  action.references = request.references;
  action.hash = body_hash(request);
  return action;
}

/// A create sent by an earlier run whose answer never came: the record may
/// exist on the platform, and only someone who looks there can tell.
Action pending_refusal(const std::string& sequence, const std::string& request, std::string_view platform) {
  return noted(ActionKind::Impossible, sequence, request,
               fmt::format("a create of '{}' was sent by an earlier run whose answer never came, so the record "
                           "may exist on {}; find it there and put its id in the state file (\"id\": N, without "
                           "\"pending\"), or remove the entry if it does not exist",
                           request, platform));
}

/// Walks the requests of a sequence with the state's records: a request
/// whose create an earlier run left pending is refused; each other one is
/// given to `plan_one` as its create, with its record (or null), to plan.
/// The records that no request names any more are left alone, for the
/// reason `left_alone` gives.
template <typename PlanOne, typename Reason>
void plan_requests(const exporter::SequenceExport& sequence, const std::map<std::string, Record>* records,
                   std::string_view platform, Plan& plan, PlanOne plan_one, Reason left_alone) {
  std::set<std::string> exported;
  for (const exporter::Request& request : sequence.requests) {
    exported.insert(request.id);
    const Record* record = find_record(records, request.id);
    if (record != nullptr && record->pending) {
      plan.actions.push_back(pending_refusal(sequence.name, request.id, platform));
      continue;
    }
    plan_one(request, create_action(sequence, request), record);
  }
  if (records == nullptr) return;
  for (const auto& [request, record] : *records) {
    if (exported.contains(request)) continue;
    plan.actions.push_back(noted(ActionKind::LeftAlone, sequence.name, request, left_alone(request)));
  }
}

/// Outreach (JSON:API): an update is a PATCH of the record's attributes at
/// its own path; steps cannot be deleted (no DELETE /sequenceSteps/{id});
/// a template link (sequenceTemplate) can.
void plan_outreach_sequence(const exporter::SequenceExport& sequence, const std::map<std::string, Record>* records,
                            Plan& plan) {
  std::set<std::string> exported;
  for (const exporter::Request& request : sequence.requests) exported.insert(request.id);
  std::vector<Action> refused;
  if (records != nullptr) {
    for (const auto& [request, record] : *records) {
      if (record.pending) {
        refused.push_back(pending_refusal(sequence.name, request, "Outreach"));
      } else if (starts_with(request, "sequenceStep/") && !exported.contains(request)) {
        refused.push_back(noted(
            ActionKind::Impossible, sequence.name, request,
            fmt::format("step '{}' was removed from the sources, but Outreach's API cannot delete a step (there is "
                        "no DELETE /sequenceSteps/{{id}}), so sequence {} on Outreach cannot match them; give the "
                        "sequence a new name to create it anew, and finish or archive the old one in Outreach",
                        request.substr(13),
                        id_text(records->contains("sequence") ? records->at("sequence").id : Json("?")))));
      }
    }
  }
  if (!refused.empty()) {
    for (Action& action : refused) plan.actions.push_back(std::move(action));
    return;
  }
  for (const exporter::Request& request : sequence.requests) {
    Action action = create_action(sequence, request);
    const Record* record = find_record(records, request.id);
    if (record != nullptr && record->hash == action.hash) {
      action.kind = ActionKind::Unchanged;
      action.method.clear();
      action.path = fmt::format("{}/{}", request.path, id_text(record->id));
    } else if (record != nullptr) {
      action.kind = ActionKind::Update;
      action.method = "PATCH";
      action.path = fmt::format("{}/{}", request.path, id_text(record->id));
      Json data{{"type", request.body["data"]["type"]}, {"id", record->id}};
      if (request.body["data"].contains("attributes")) data["attributes"] = request.body["data"]["attributes"];
      action.body = Json{{"data", std::move(data)}};
      action.references.clear();
    }
    plan.actions.push_back(std::move(action));
  }
  if (records != nullptr) {
    for (const auto& [request, record] : *records) {
      if (exported.contains(request)) continue;
      if (starts_with(request, "sequenceTemplate/")) {
        Action remove = noted(ActionKind::Delete, sequence.name, request, "the email no longer sends this template");
        remove.method = "DELETE";
        remove.path = fmt::format("/api/v2/sequenceTemplates/{}", id_text(record.id));
        plan.actions.push_back(std::move(remove));
      } else {
        plan.actions.push_back(noted(ActionKind::LeftAlone, sequence.name, request,
                                     "no longer used by this sequence; other sequences may use it, so it stays on "
                                     "Outreach (archive it there if nothing does)"));
      }
    }
  }
  if (records == nullptr || !records->contains("sequence")) {
    plan.afterwards.push_back(
        fmt::format("enable sequence '{}' in Outreach once it is created: Outreach's API cannot switch a sequence on",
                    sequence.name));
  }
}

/// Salesloft: a sequence is one cadence import, which creates a cadence.
/// Its API has no update of a cadence or of its steps, and imports only
/// into a new cadence or one without steps, so a changed sequence cannot be
/// applied to the cadence it created.
void plan_salesloft_sequence(const exporter::SequenceExport& sequence, const std::map<std::string, Record>* records,
                             Plan& plan) {
  const auto plan_one = [&](const exporter::Request& request, Action action, const Record* record) {
    if (record == nullptr) {
      plan.actions.push_back(std::move(action));
      return;
    }
    const std::string cadence = id_text(record->id);
    action.method.clear();
    action.path = fmt::format("/v2/cadences/{}", cadence);
    action.body = Json();
    action.references.clear();
    if (record->hash == action.hash) {
      action.kind = ActionKind::Unchanged;
    } else if (record->hash.empty()) {
      // `cadence import --ids` records ids only; the sources it wrote are
      // what the cadence holds.
      action.kind = ActionKind::Unchanged;
      action.adopt = true;
      action.note = fmt::format(
          "the state has cadence {} without the content last applied (as `cadence import --ids` writes it): "
          "this content is recorded as what it holds; Salesloft cannot update a cadence, so an edit made to the "
          "sources since the import needs a new name",
          cadence);
    } else {
      plan.actions.push_back(noted(
          ActionKind::Impossible, sequence.name, request.id,
          fmt::format("sequence '{}' changed since it was imported into cadence {}, but Salesloft's API cannot "
                      "change a cadence (no update of a cadence or of its steps; an import fills only a new "
                      "cadence or one without steps); give the sequence a new name to import it as a new cadence, "
                      "then move its people and archive cadence {} in Salesloft",
                      sequence.name, cadence, cadence)));
      return;
    }
    plan.actions.push_back(std::move(action));
  };
  plan_requests(sequence, records, "Salesloft", plan, plan_one, [](const std::string&) {
    return std::string("no longer written for this sequence; it stays on Salesloft");
  });
}

/// HubSpot: a template is updated in place (PATCH), and a sequence is
/// replaced whole (PUT of the full sequence); HubSpot applies a sequence's
/// edits to new enrolments only. The create of a sequence answers the
/// sequence wrapped in `sequence`.
void plan_hubspot_sequence(const exporter::SequenceExport& sequence, const std::map<std::string, Record>* records,
                           Plan& plan) {
  const auto plan_one = [&](const exporter::Request& request, Action action, const Record* record) {
    const bool is_sequence = request.id == "sequence";
    if (is_sequence) action.created_id = "/sequence/id";
    if (record != nullptr) {
      const std::string id = id_text(record->id);
      // A record's own path is its collection's (the create's) and its id.
      action.path = fmt::format("{}/{}", request.path, id);
      if (record->hash == action.hash) {
        action.kind = ActionKind::Unchanged;
        action.method.clear();
        action.body = Json();
        action.references.clear();
      } else {
        action.kind = ActionKind::Update;
        action.method = is_sequence ? "PUT" : "PATCH";
        if (is_sequence) {
          action.note = fmt::format(
              "HubSpot replaces sequence {} whole; contacts already enrolled keep the steps they had, since "
              "HubSpot applies a sequence's edits to new enrolments only",
              id);
        }
      }
    }
    plan.actions.push_back(std::move(action));
  };
  plan_requests(sequence, records, "HubSpot", plan, plan_one, [](const std::string&) {
    return std::string("no longer used by this sequence; other sequences may use it, so it stays on HubSpot");
  });
}

/// Dynamics 365: the sequence is built by hand and found by its name; its
/// segment is created inactive and updated in place (PATCH
/// /msdyn_segments(id), without its state, which the user sets when they
/// activate it); a record is connected once and stays connected.
void plan_dynamics_sequence(const exporter::SequenceExport& sequence, const std::map<std::string, Record>* records,
                            Plan& plan) {
  const auto plan_one = [&](const exporter::Request& request, Action action, const Record* record) {
    const bool connect = starts_with(request.id, "connect/");
    if (request.id == "sequence") {
      if (record == nullptr) {
        action.kind = ActionKind::Find;
        action.created_id = "/value/0/msdyn_sequenceid";
        action.body = Json();
        action.note =
            fmt::format("the active sequence named '{}', built by hand in the sequence designer from its build sheet",
                        sequence.name);
      } else {
        action.kind = ActionKind::Unchanged;
        action.method.clear();
        action.path = fmt::format("{}/msdyn_sequences({})", kDataverseApi, id_text(record->id));
        action.body = Json();
        if (record->hash != action.hash) {
          action.adopt = true;
          if (!record->hash.empty()) {
            action.note =
                "its build sheet changed since the last apply: enter the changes in the sequence designer "
                "(Dynamics 365 makes a new version of an active sequence; records already connected stay on the "
                "version they started)";
            plan.afterwards.push_back(fmt::format(
                "update sequence '{}' in the Dynamics 365 designer from its new build sheet", sequence.name));
          }
        }
      }
    } else if (record == nullptr) {
      if (connect) {
        action.created_id.clear();
        action.assigned_id = request.body.value("RegardingEntityId", Json());
      } else {
        plan.afterwards.push_back(fmt::format(
            "activate segment '{}' in Dynamics 365 (Sales Insights settings, Segments) once its simulated results "
            "look right: it is created inactive, and connects its records to sequence '{}' when activated",
            request.id.substr(8), sequence.name));
      }
    } else if (record->hash == action.hash || connect) {
      action.kind = ActionKind::Unchanged;
      action.method.clear();
      action.path = connect ? std::string("(connected)")
                            : fmt::format("{}/msdyn_segments({})", kDataverseApi, id_text(record->id));
      action.body = Json();
      action.references.clear();
    } else {
      action.kind = ActionKind::Update;
      action.method = "PATCH";
      action.path = fmt::format("{}/msdyn_segments({})", kDataverseApi, id_text(record->id));
      action.body.erase("statecode");
      action.body.erase("statuscode");
    }
    plan.actions.push_back(std::move(action));
  };
  plan_requests(sequence, records, "Dynamics 365", plan, plan_one, [](const std::string& request) {
    return std::string(starts_with(request, "connect/")
                           ? "no longer listed in the connections file; it stays connected (disconnect it in "
                             "Dynamics 365 if it should leave the sequence)"
                           : "no longer used by this sequence; it stays in Dynamics 365 (deactivate it there)");
  });
}

/// A Dynamics 365 segment connects to one sequence (msdyn_segment.msdyn_sequence
/// is a single lookup): two sequences cannot share one.
void refuse_shared_segments(const std::vector<exporter::SequenceExport>& sequences, Plan& plan) {
  std::map<std::string, std::vector<std::string>> users;
  for (const exporter::SequenceExport& sequence : sequences) {
    for (const exporter::Request& request : sequence.requests) {
      if (starts_with(request.id, "segment/")) users[request.id].push_back(sequence.name);
    }
  }
  for (const auto& [segment, names] : users) {
    if (names.size() < 2) continue;
    for (const std::string& name : names) {
      plan.actions.push_back(
          noted(ActionKind::Impossible, name, segment,
                fmt::format("sequences {} all use segment '{}', but a Dynamics 365 segment connects to one sequence "
                            "(its msdyn_sequence lookup); give each sequence a segment of its own",
                            fmt::join(names, ", "), segment.substr(8))));
    }
  }
}

}  // namespace

const Platform* find_platform(std::string_view target) {
  for (const Platform& platform : kPlatforms) {
    if (platform.target == target) return &platform;
  }
  return nullptr;
}

std::vector<std::string> platform_targets() {
  std::vector<std::string> names;
  names.reserve(kPlatforms.size());
  for (const Platform& platform : kPlatforms) names.emplace_back(platform.target);
  return names;
}

bool usable_id(const Json& id) {
  if (id.is_number_integer()) return true;
  if (!id.is_string()) return false;
  const std::string& text = id.get_ref<const std::string&>();
  return !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::optional<State> read_state(const Json& json, std::string& problem) {
  if (!json.is_object() || string_member(json, "format") != kStateFormat) {
    problem = fmt::format("it is not a Cadence state file (\"format\": \"{}\")", kStateFormat);
    return std::nullopt;
  }
  if (!json.contains("version") || !json["version"].is_number_integer() || json["version"] != kStateFormatVersion) {
    problem =
        fmt::format("it has a version this cadence does not read (this one reads version {})", kStateFormatVersion);
    return std::nullopt;
  }
  State state;
  state.target = string_member(json, "target");
  const auto sequences = json.find("sequences");
  if (sequences == json.end() || !sequences->is_object()) {
    problem = "it has no \"sequences\" object";
    return std::nullopt;
  }
  for (const auto& [name, sequence] : sequences->items()) {
    const auto records = sequence.find("records");
    if (!sequence.is_object() || records == sequence.end() || !records->is_object()) {
      problem = fmt::format("sequence '{}' has no \"records\" object", name);
      return std::nullopt;
    }
    if (const auto applied = sequence.find("applied_plan"); applied != sequence.end() && applied->is_object()) {
      // A plan that no longer reads is forgotten; the next apply records it.
      std::string unread;
      if (read_plan(*applied, unread)) state.applied_plans.emplace(name, *applied);
    }
    auto& into = state.sequences[name];
    for (const auto& [request, record] : records->items()) {
      const auto id = record.find("id");
      const auto pending_member = record.is_object() ? record.find("pending") : record.end();
      const bool pending =
          pending_member != record.end() && pending_member->is_boolean() && pending_member->get<bool>();
      if (!record.is_object() || (!pending && (id == record.end() || !usable_id(*id)))) {
        problem = fmt::format(
            "record '{}' of sequence '{}' has no usable id (a number, or letters, digits, '_' and "
            "'-')",
            request, name);
        return std::nullopt;
      }
      Record read;
      if (id != record.end()) read.id = *id;
      read.hash = string_member(record, "hash");
      read.pending = pending;
      into.emplace(request, std::move(read));
    }
  }
  return state;
}

Json state_json(const State& state) {
  Json sequences = Json::object();
  for (const auto& [name, records] : state.sequences) {
    Json out = Json::object();
    for (const auto& [request, record] : records) {
      Json entry = Json::object();
      if (!record.id.is_null()) entry["id"] = record.id;
      if (!record.hash.empty()) entry["hash"] = record.hash;
      if (record.pending) entry["pending"] = true;
      out[request] = std::move(entry);
    }
    sequences[name] = {{"records", std::move(out)}};
  }
  for (const auto& [name, plan] : state.applied_plans) {
    if (!sequences.contains(name)) sequences[name] = {{"records", Json::object()}};
    sequences[name]["applied_plan"] = plan;
  }
  return Json{{"format", kStateFormat},
              {"version", kStateFormatVersion},
              {"target", state.target},
              {"sequences", std::move(sequences)}};
}

std::string body_hash(const exporter::Request& request) {
  return sha256_hex(fmt::format("{} {}\n{}", request.method, request.path, request.body.dump()));
}

std::string_view action_name(ActionKind kind) {
  switch (kind) {
    case ActionKind::Create: return "create";
    case ActionKind::Update: return "update";
    case ActionKind::Unchanged: return "unchanged";
    case ActionKind::Delete: return "delete";
    case ActionKind::LeftAlone: return "left alone";
    case ActionKind::Impossible: return "impossible";
    case ActionKind::Find: return "find";
  }
  return "?";
}

std::size_t Plan::count(ActionKind kind) const {
  return static_cast<std::size_t>(
      std::count_if(actions.begin(), actions.end(), [&](const Action& action) { return action.kind == kind; }));
}

bool Plan::writes() const {
  return count(ActionKind::Create) + count(ActionKind::Update) + count(ActionKind::Delete) > 0;
}

bool Plan::sends() const { return writes() || count(ActionKind::Find) > 0; }

std::optional<Plan> plan_deployment(const exporter::Target& target,
                                    const std::vector<exporter::SequenceExport>& sequences, const State& state,
                                    std::string& problem) {
  const Platform* platform = find_platform(target.name());
  if (platform == nullptr) {
    problem = fmt::format(
        "cadence apply deploys to Outreach, Salesloft, HubSpot and Dynamics 365; for {}, write the requests with "
        "`cadence export "
        "--target {}`",
        target.title(), target.name());
    return std::nullopt;
  }
  if (!state.target.empty() && state.target != target.name()) {
    problem = fmt::format("the state file records a deployment to {}, not to {}", state.target, target.name());
    return std::nullopt;
  }
  Plan plan;
  std::set<std::string> names;
  for (const exporter::SequenceExport& sequence : sequences) {
    names.insert(sequence.name);
    const auto it = state.sequences.find(sequence.name);
    const std::map<std::string, Record>* records = it == state.sequences.end() ? nullptr : &it->second;
    if (target.name() == "salesloft") {
      plan_salesloft_sequence(sequence, records, plan);
    } else if (target.name() == "hubspot") {
      plan_hubspot_sequence(sequence, records, plan);
    } else if (target.name() == "dynamics") {
      plan_dynamics_sequence(sequence, records, plan);
    } else {
      plan_outreach_sequence(sequence, records, plan);
    }
  }
  if (target.name() == "dynamics") refuse_shared_segments(sequences, plan);
  for (Action& action : plan.actions) {
    if (action.kind == ActionKind::Create && action.created_id.empty() && action.assigned_id.is_null()) {
      action.created_id = platform->created_id;
    }
  }
  for (const auto& [name, records] : state.sequences) {
    if (names.contains(name)) continue;
    plan.actions.push_back(
        noted(ActionKind::LeftAlone, name, target.name() == "salesloft" ? "cadence_import" : "sequence",
              fmt::format("the sources no longer have this sequence; it stays on {} with its prospects (finish or "
                          "delete it there)",
                          target.title())));
  }
  return plan;
}

std::optional<Json> resolved_body(const Action& action, const std::map<std::string, Record>& records,
                                  std::string& missing) {
  Json body = action.body;
  for (const exporter::Reference& reference : action.references) {
    const auto it = records.find(reference.request);
    if (it == records.end() || it->second.pending || it->second.id.is_null()) {
      missing = reference.request;
      return std::nullopt;
    }
    Json value = it->second.id;
    if (!reference.format.empty()) {
      std::string text = reference.format;
      if (const std::size_t at = text.find("{id}"); at != std::string::npos) text.replace(at, 4, id_text(value));
      value = text;
    }
    body[Json::json_pointer(reference.pointer)] = std::move(value);
  }
  return body;
}

}  // namespace cadence::deploy
