#include "driver/plan_diff.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

namespace cadence {
namespace {

using Json = nlohmann::json;

std::string minutes_text(const Json& value) {
  if (!value.is_number_integer()) return "none";
  const int64_t minutes = value.get<int64_t>();
  if (minutes % 1440 == 0) return fmt::format("{}d", minutes / 1440);
  if (minutes % 60 == 0) return fmt::format("{}h", minutes / 60);
  return fmt::format("{}m", minutes);
}

/// A member of an object by reference (an empty array when missing), so
/// that pointers into it stay valid.
const Json& member(const Json& object, const char* key) {
  static const Json empty = Json::array();
  if (!object.is_object()) return empty;
  auto it = object.find(key);
  return it == object.end() ? empty : *it;
}

std::map<std::string, const Json*> by_key(const Json& array, const char* key) {
  std::map<std::string, const Json*> out;
  if (!array.is_array()) return out;
  for (const Json& item : array) {
    if (item.contains(key) && item[key].is_string()) out[item[key].get<std::string>()] = &item;
  }
  return out;
}

std::string successors_text(const Json& step) {
  std::string out;
  for (const Json& edge : member(step, "next")) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} -> {}", edge.value("arm", ""), edge.value("step", ""));
  }
  return out.empty() ? "nothing" : out;
}

class Differ {
 public:
  std::vector<PlanChange> changes;

  void add(std::string sequence, std::string step, std::string kind, bool breaking, std::string message) {
    changes.push_back({std::move(sequence), std::move(step), std::move(kind), breaking, std::move(message)});
  }

  void sequences(const Json& old_plan, const Json& new_plan) {
    const auto old_sequences = by_key(member(old_plan, "sequences"), "name");
    const auto new_sequences = by_key(member(new_plan, "sequences"), "name");
    for (const Json& old_sequence : member(old_plan, "sequences")) {
      const std::string name = old_sequence.value("name", "");
      auto it = new_sequences.find(name);
      if (it == new_sequences.end()) {
        add(name, "", "sequence-removed", true,
            fmt::format("sequence '{}' was removed: every record enrolled in it is stranded", name));
        continue;
      }
      sequence(name, old_sequence, *it->second);
    }
    for (const Json& new_sequence : member(new_plan, "sequences")) {
      const std::string name = new_sequence.value("name", "");
      if (!old_sequences.contains(name))
        add(name, "", "sequence-added", false, fmt::format("sequence '{}' was added", name));
    }
  }

 private:
  void sequence(const std::string& name, const Json& before, const Json& after) {
    if (before.value("target", "") != after.value("target", "")) {
      add(name, "", "target-changed", true,
          fmt::format("the target changed from {} to {}: enrolled {} records no longer fit the sequence",
                      before.value("target", ""), after.value("target", ""), before.value("target", "")));
    }
    if (before.value("calendar", "") != after.value("calendar", "")) {
      add(name, "", "calendar-changed", false,
          fmt::format("the calendar changed from {} to {}: due dates of waiting enrolments move",
                      before.value("calendar", ""), after.value("calendar", "")));
    }
    if (member(before, "limits") != member(after, "limits") || member(before, "enroll") != member(after, "enroll")) {
      add(name, "", "volume-changed", false,
          "the enrolment rate or the sending limits changed: the daily load per owner changes");
    }
    handlers(name, before, after);
    steps(name, before, after);
  }

  void handlers(const std::string& name, const Json& before, const Json& after) {
    const auto old_handlers = by_key(member(before, "handlers"), "event");
    const auto new_handlers = by_key(member(after, "handlers"), "event");
    for (const auto& [event, handler] : old_handlers) {
      auto it = new_handlers.find(event);
      if (it == new_handlers.end()) {
        const bool exits = handler->value("action", "") == "exit";
        add(name, "", "handler-removed", exits,
            exits
                ? fmt::format("the `on {} exit` handler was removed: enrolled records that {} now stay in the sequence",
                              event, event == "out_of_office" ? "are away" : event)
                : fmt::format("the `on {} pause` handler was removed: enrolments no longer pause", event));
      } else if (*it->second != *handler) {
        add(name, "", "handler-changed", false, fmt::format("the `on {}` handler changed", event));
      }
    }
    for (const auto& [event, handler] : new_handlers) {
      if (!old_handlers.contains(event))
        add(name, "", "handler-added", false, fmt::format("an `on {}` handler was added", event));
    }
  }

  void steps(const std::string& name, const Json& before, const Json& after) {
    const auto old_steps = by_key(member(before, "steps"), "id");
    const auto new_steps = by_key(member(after, "steps"), "id");
    // Steps that disappeared, and (for a likely rename) a new step of the
    // same kind that did not exist before.
    std::vector<std::string> added;
    for (const Json& step : member(after, "steps")) {
      if (!old_steps.contains(step.value("id", ""))) added.push_back(step.value("id", ""));
    }
    std::set<std::string> matched_as_rename;
    for (const Json& step : member(before, "steps")) {
      const std::string id = step.value("id", "");
      const std::string kind = step.value("kind", "");
      auto it = new_steps.find(id);
      if (it == new_steps.end()) {
        std::string renamed;
        for (const std::string& candidate : added) {
          if (!matched_as_rename.contains(candidate) && new_steps.at(candidate)->value("kind", "") == kind &&
              kind != "exit") {
            renamed = candidate;
            matched_as_rename.insert(candidate);
            break;
          }
        }
        add(name, id, renamed.empty() ? "step-removed" : "step-renamed", true,
            renamed.empty()
                ? fmt::format("{} step '{}' was removed: enrolments waiting at it are stranded", kind, id)
                : fmt::format("{} step '{}' seems renamed to '{}': ids are how running enrolments find their place, so "
                              "those waiting at '{}' are stranded",
                              kind, id, renamed, id));
        continue;
      }
      const Json& now = *it->second;
      if (now.value("kind", "") != kind) {
        add(name, id, "kind-changed", true,
            fmt::format("step '{}' changed from {} to {}: enrolments at it hold state of the old kind", id, kind,
                        now.value("kind", "")));
        continue;
      }
      if (kind == "wait" && member(step, "minutes") != member(now, "minutes")) {
        add(name, id, "wait-changed", false,
            fmt::format(
                "wait '{}' changed from {} to {}: enrolments waiting there keep their due dates, new ones get the "
                "new wait",
                id, minutes_text(member(step, "minutes")), minutes_text(member(now, "minutes"))));
      }
      if (kind == "branch" && (member(step, "condition") != member(now, "condition") ||
                               member(step, "within_minutes") != member(now, "within_minutes"))) {
        add(name, id, "branch-changed", false,
            fmt::format("branch '{}' now tests {}{}: enrolments waiting at it are judged by the new condition", id,
                        member(now, "condition").dump(),
                        member(now, "within_minutes").is_number()
                            ? " within " + minutes_text(member(now, "within_minutes"))
                            : std::string()));
      }
      if (member(step, "next") != member(now, "next") && kind != "wait") {
        add(name, id, "successors-changed", false,
            fmt::format("after '{}' the flow changed from ({}) to ({})", id, successors_text(step),
                        successors_text(now)));
      }
      if (kind == "email" && (member(step, "template") != member(now, "template") ||
                              member(step, "variants") != member(now, "variants"))) {
        add(name, id, "template-changed", false, fmt::format("email '{}' sends a different template", id));
      }
    }
    for (const std::string& id : added) {
      if (matched_as_rename.contains(id)) continue;
      add(name, id, "step-added", false,
          fmt::format("{} step '{}' was added", new_steps.at(id)->value("kind", ""), id));
    }
  }
};

}  // namespace

std::vector<PlanChange> diff_plans(const Json& old_plan, const Json& new_plan) {
  Differ differ;
  differ.sequences(old_plan, new_plan);
  return std::move(differ.changes);
}

}  // namespace cadence
