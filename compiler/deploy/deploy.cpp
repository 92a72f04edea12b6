#include "deploy/deploy.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

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
        refused.push_back({ActionKind::Impossible,
                           sequence.name,
                           request,
                           "",
                           "",
                           {},
                           {},
                           "",
                           fmt::format("a create of '{}' was sent by an earlier run whose answer never came, so the "
                                       "record may exist on Outreach; find it there and put its id in the state file "
                                       "(\"id\": N, without \"pending\"), or remove the entry if it does not exist",
                                       request)});
      } else if (starts_with(request, "sequenceStep/") && !exported.contains(request)) {
        refused.push_back(
            {ActionKind::Impossible,
             sequence.name,
             request,
             "",
             "",
             {},
             {},
             "",
             fmt::format("step '{}' was removed from the sources, but Outreach's API cannot delete a step (there is "
                         "no DELETE /sequenceSteps/{{id}}), so sequence {} on Outreach cannot match them; give the "
                         "sequence a new name to create it anew, and finish or archive the old one in Outreach",
                         request.substr(13),
                         id_text(records->contains("sequence") ? records->at("sequence").id : Json("?")))});
      }
    }
  }
  if (!refused.empty()) {
    for (Action& action : refused) plan.actions.push_back(std::move(action));
    return;
  }
  for (const exporter::Request& request : sequence.requests) {
    Action action{ActionKind::Create, sequence.name,      request.id, request.method, request.path, request.body,
                  request.references, body_hash(request), {}};
    const Record* record = nullptr;
    if (records != nullptr) {
      if (const auto it = records->find(request.id); it != records->end()) record = &it->second;
    }
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
        plan.actions.push_back({ActionKind::Delete,
                                sequence.name,
                                request,
                                "DELETE",
                                fmt::format("/api/v2/sequenceTemplates/{}", id_text(record.id)),
                                {},
                                {},
                                "",
                                "the email no longer sends this template"});
      } else {
        plan.actions.push_back({ActionKind::LeftAlone,
                                sequence.name,
                                request,
                                "",
                                "",
                                {},
                                {},
                                "",
                                "no longer used by this sequence; other sequences may use it, so it stays on "
                                "Outreach (archive it there if nothing does)"});
      }
    }
  }
  if (records == nullptr || !records->contains("sequence")) {
    plan.afterwards.push_back(
        fmt::format("enable sequence '{}' in Outreach once it is created: Outreach's API cannot switch a sequence on",
                    sequence.name));
  }
}

}  // namespace

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
    if (const auto applied = sequence.find("applied_plan");
        applied != sequence.end() && applied->is_object() && !plan_problem(nlohmann::json(*applied))) {
      state.applied_plans.emplace(name, *applied);
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

std::optional<Plan> plan_deployment(const exporter::Target& target,
                                    const std::vector<exporter::SequenceExport>& sequences, const State& state,
                                    std::string& problem) {
  if (target.name() != "outreach") {
    problem =
        fmt::format("cadence apply deploys to Outreach; for {}, write the requests with `cadence export --target {}`",
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
    plan_outreach_sequence(sequence, it == state.sequences.end() ? nullptr : &it->second, plan);
  }
  for (const auto& [name, records] : state.sequences) {
    if (names.contains(name)) continue;
    plan.actions.push_back({ActionKind::LeftAlone,
                            name,
                            "sequence",
                            "",
                            "",
                            {},
                            {},
                            "",
                            "the sources no longer have this sequence; it stays on Outreach with its prospects "
                            "(finish or delete it there)"});
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
    body[Json::json_pointer(reference.pointer)] = it->second.id;
  }
  return body;
}

}  // namespace cadence::deploy
