#include "driver/plan_diff.hpp"
#include "emit/plan_read.hpp"
#include "support/duration.hpp"

#include <map>
#include <set>
#include <span>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cadence {
namespace {

namespace key = plan::key;

using Json = nlohmann::json;

std::string minutes_text(const Json& value) {
  return value.is_number_integer() ? duration_text(value.get<int64_t>()) : std::string("none");
}

/// A member of an object by reference (an empty array when missing), so
/// that pointers into it stay valid.
const Json& member(const Json& object, const char* key) {
  static const Json empty = Json::array();
  if (!object.is_object()) return empty;
  auto it = object.find(key);
  return it == object.end() ? empty : *it;
}

const Json& member_or_null(const Json& object, const std::string& key) {
  static const Json null;
  if (!object.is_object()) return null;
  auto it = object.find(key);
  return it == object.end() ? null : *it;
}

/// A string member, or "" when the object lacks it or it is not a string
/// (an optional member, or a member the rule reads on another kind of step).
std::string text_of(const Json& object, const char* key, const char* fallback = "") {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
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
  for (const Json& edge : member(step, key::kNext)) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} -> {}", text_of(edge, key::kArm), text_of(edge, key::kStep));
  }
  return out.empty() ? "nothing" : out;
}

/// A plan value as a person reads it in a message: rates as 40/day, text
/// quoted and shortened, null as none.
std::string value_text(const Json& value) {
  if (value.is_null()) return "none";
  if (value.is_object() && value.contains(key::kCount) && value.contains(key::kPer) && value.size() == 2) {
    return fmt::format("{}/{}", value[key::kCount].dump(),
                       value[key::kPer].is_string() ? value[key::kPer].get<std::string>() : "");
  }
  if (value.is_object() && value.contains(key::kText) && value[key::kText].is_string())
    return value_text(value[key::kText]);
  if (value.is_object() && value.contains(key::kKind) && value[key::kKind].is_string()) {  // an exit outcome
    std::string kind = value[key::kKind].get<std::string>();
    auto target = value.find(key::kSequence);
    if (target == value.end() || !target->is_string()) return kind;
    // A handoff names the version of its target it was built against.
    const std::string hash = text_of(member_or_null(value, key::kPin), key::kContentHash);
    return fmt::format("{} to '{}'{}", kind, target->get<std::string>(),
                       hash.size() > 15 ? fmt::format(" (version {})", hash.substr(7, 8)) : std::string());
  }
  std::string text = value.is_string() ? "'" + value.get<std::string>() + "'"
                                       : value.dump(-1, ' ', false, Json::error_handler_t::replace);
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > 60) {
    std::size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;  // whole UTF-8 characters
    text = text.substr(0, cut) + "...";
  }
  return text;
}

/// A rate per day, to compare rates given per day and per week (a week
/// counts as 7 days: only which rate is higher matters here).
double per_day(const Json& rate) {
  if (!rate.is_object() || !rate.contains(key::kCount) || !rate[key::kCount].is_number()) return 0;
  const double count = rate[key::kCount].get<double>();
  return text_of(rate, key::kPer, "day") == "week" ? count / kDaysPerWeek : count;
}

/// How the generic comparison names and classifies a plan member.
struct MemberRule {
  const char* key;
  const char* what;      // how a message names it
  const char* category;  // breaking, risky, content or change; "" = not compared (derived or positional)
};

// Sequence members. name and id are the key; summary is derived from the
// steps, location and content_hash from the rest.
constexpr MemberRule kSequenceMembers[] = {
    {key::kName, "", ""},
    {key::kId, "the id that runtimes and reports join on", "breaking"},
    {key::kTitle, "the title", "content"},
    {key::kTarget, "", ""},  // target-changed
    {key::kTeam, "the team (whose daily load it counts in)", "risky"},
    {key::kCalendar, "", ""},   // calendar-changed
    {key::kEnroll, "", ""},     // enrolment rate
    {key::kLimits, "", ""},     // per channel
    {key::kSegment, "", ""},    // audience
    {key::kHandlers, "", ""},   // per event
    {key::kTemplates, "", ""},  // per template
    {key::kEntry, "the first step", "breaking"},
    {key::kSteps, "", ""},  // per step
    {key::kSummary, "", ""},
    {key::kLocation, "", ""},
    {key::kContentHash, "", ""},
};

// Step members; id is the key, kind, next and each kind's own members have
// their own rules; timing is derived and location positional.
constexpr MemberRule kStepMembers[] = {
    {key::kId, "", ""},
    {key::kKind, "", ""},
    {key::kChannel, "the channel", "change"},
    {key::kMode, "", ""},
    {key::kTemplate, "", ""},
    {key::kVariants, "", ""},
    {key::kMinutes, "", ""},
    {key::kCondition, "", ""},
    {key::kWithinMinutes, "", ""},
    {key::kText, "the SMS text", "content"},
    {vocabulary::keyword_of(vocabulary::StepText::Script).data(), "the call script", "content"},
    {vocabulary::keyword_of(vocabulary::StepText::Note).data(), "the note", "content"},
    {key::kAction, "the LinkedIn action", "change"},
    {key::kCall, "the call whose outcome it reads", "breaking"},
    {key::kReason, "the exit reason", "content"},
    {key::kOutcome, "the exit outcome", "risky"},
    {key::kTiming, "", ""},
    {key::kNext, "", ""},
    {key::kLocation, "", ""},
};

const MemberRule* find_rule(std::span<const MemberRule> rules, std::string_view key) {
  for (const MemberRule& rule : rules) {
    if (key == rule.key) return &rule;
  }
  return nullptr;
}

class Differ {
 public:
  std::vector<PlanChange> changes;

  void add(std::string sequence, std::string step, std::string kind, bool breaking, std::string message) {
    report(std::move(sequence), std::move(step), std::move(kind), breaking ? "breaking" : "change", std::move(message));
  }
  void report(std::string sequence, std::string step, std::string kind, std::string category, std::string message) {
    const bool breaking = category == "breaking";
    changes.push_back(
        {std::move(sequence), std::move(step), std::move(kind), breaking, std::move(category), std::move(message)});
  }

  /// Every member of two objects that differs and that `rules` compares (or
  /// does not know: a member added to the plan format later is reported
  /// rather than missed), as "<what> changed from OLD to NEW".
  void generic(const std::string& sequence, const std::string& step, const Json& before, const Json& after,
               std::span<const MemberRule> rules, std::string_view subject) {
    std::set<std::string> keys;
    for (const auto& [key, value] : before.items()) keys.insert(key);
    for (const auto& [key, value] : after.items()) keys.insert(key);
    for (const std::string& key : keys) {
      const MemberRule* rule = find_rule(rules, key);
      if (rule != nullptr && std::string_view(rule->category).empty()) continue;
      const Json& old_value = member_or_null(before, key);
      const Json& new_value = member_or_null(after, key);
      if (old_value == new_value) continue;
      const std::string what = rule != nullptr ? rule->what : "`" + key + "`";
      report(sequence, step, key + "-changed", rule != nullptr ? rule->category : "change",
             fmt::format("{}{} changed from {} to {}", subject, what, value_text(old_value), value_text(new_value)));
    }
  }

  void sequences(const Json& old_plan, const Json& new_plan) {
    const auto old_sequences = by_key(member(old_plan, key::kSequences), key::kName);
    const auto new_sequences = by_key(member(new_plan, key::kSequences), key::kName);
    for (const Json& old_sequence : member(old_plan, key::kSequences)) {
      const std::string name = text_of(old_sequence, key::kName);
      auto it = new_sequences.find(name);
      if (it == new_sequences.end()) {
        add(name, "", "sequence-removed", true,
            fmt::format("sequence '{}' was removed: every record enrolled in it is stranded", name));
        continue;
      }
      sequence(name, old_sequence, *it->second);
    }
    for (const Json& new_sequence : member(new_plan, key::kSequences)) {
      const std::string name = text_of(new_sequence, key::kName);
      if (!old_sequences.contains(name))
        add(name, "", "sequence-added", false, fmt::format("sequence '{}' was added", name));
    }
  }

 private:
  void sequence(const std::string& name, const Json& before, const Json& after) {
    if (text_of(before, key::kTarget) != text_of(after, key::kTarget)) {
      add(name, "", "target-changed", true,
          fmt::format("the target changed from {} to {}: enrolled {} records no longer fit the sequence",
                      text_of(before, key::kTarget), text_of(after, key::kTarget), text_of(before, key::kTarget)));
    }
    if (text_of(before, key::kCalendar) != text_of(after, key::kCalendar)) {
      add(name, "", "calendar-changed", false,
          fmt::format("the calendar changed from {} to {}: due dates of waiting enrolments move",
                      text_of(before, key::kCalendar), text_of(after, key::kCalendar)));
    }
    rate(name, "enroll-changed", "enrolment rate", member_or_null(before, key::kEnroll),
         member_or_null(after, key::kEnroll));
    const Json& old_limits = member_or_null(before, key::kLimits);
    const Json& new_limits = member_or_null(after, key::kLimits);
    std::set<std::string> channels;
    for (const auto& [channel, value] : old_limits.items()) channels.insert(channel);
    for (const auto& [channel, value] : new_limits.items()) channels.insert(channel);
    for (const std::string& channel : channels) {
      rate(name, "limit-changed", "limit " + channel, member_or_null(old_limits, channel),
           member_or_null(new_limits, channel));
    }
    segment(name, member_or_null(before, key::kSegment), member_or_null(after, key::kSegment));
    handlers(name, before, after);
    templates(name, before, after);
    steps(name, before, after);
    generic(name, "", before, after, kSequenceMembers, "");
  }

  /// A rate: more per day is risky (more load per owner), less is a change.
  void rate(const std::string& name, const char* kind, const std::string& what, const Json& old_rate,
            const Json& new_rate) {
    if (old_rate == new_rate) return;
    const bool more = new_rate.is_null() ? !old_rate.is_null() && std::string(kind) == "limit-changed"
                                         : old_rate.is_null() || per_day(new_rate) > per_day(old_rate);
    report(name, "", kind, more ? "risky" : "change",
           fmt::format("{} {} → {}{}", what, value_text(old_rate), value_text(new_rate),
                       more ? ": more email per owner per day" : ""));
  }

  /// The audience: another segment or filter changes who is enrolled; what
  /// happens when a record leaves it matters to those already enrolled.
  void segment(const std::string& name, const Json& before, const Json& after) {
    if (before == after) return;
    const std::string old_name = before.is_object() ? text_of(before, key::kName) : "";
    const std::string new_name = after.is_object() ? text_of(after, key::kName) : "";
    if (before.is_null() || after.is_null() || old_name != new_name ||
        member_or_null(before, key::kFetchxml) != member_or_null(after, key::kFetchxml)) {
      const std::string message =
          !old_name.empty() && old_name == new_name
              ? fmt::format(
                    "segment '{}' selects other records now (its filter changed): records enrolled from the "
                    "old one may no longer belong",
                    old_name)
              : fmt::format(
                    "the audience changed from segment {} to {}: records enrolled from the old one may no "
                    "longer belong",
                    old_name.empty() ? "none" : "'" + old_name + "'", new_name.empty() ? "none" : "'" + new_name + "'");
      report(name, "", "segment-changed", "breaking", message);
    }
    const Json& old_leave = member_or_null(before, key::kOnLeave);
    const Json& new_leave = member_or_null(after, key::kOnLeave);
    if (old_leave != new_leave && !before.is_null() && !after.is_null()) {
      report(name, "", "on-leave-changed", old_leave == "exit" ? "breaking" : "risky",
             fmt::format("a record that leaves the segment now {} (it used to {})",
                         new_leave == "exit" ? "exits" : "pauses", old_leave == "exit" ? "exit" : "pause"));
    }
  }

  /// Templates by name: their subject and body are what prospects read.
  void templates(const std::string& name, const Json& before, const Json& after) {
    const auto old_templates = by_key(member(before, key::kTemplates), key::kName);
    const auto new_templates = by_key(member(after, key::kTemplates), key::kName);
    for (const auto& [template_name, new_template] : new_templates) {
      if (!old_templates.contains(template_name)) {
        report(name, "", "template-added", "content", fmt::format("template '{}' is now sent", template_name));
      }
    }
    for (const auto& [template_name, old_template] : old_templates) {
      auto it = new_templates.find(template_name);
      if (it == new_templates.end()) {
        report(name, "", "template-removed", "content", fmt::format("template '{}' is no longer sent", template_name));
        continue;
      }
      for (const char* part : {key::kSubject, key::kBody}) {
        const Json& old_text = member_or_null(*old_template, part);
        const Json& new_text = member_or_null(*it->second, part);
        if (old_text == new_text) continue;
        report(name, "", "template-text-changed", "content",
               fmt::format("template '{}' has a new {}: {} (was {})", template_name, part, value_text(new_text),
                           value_text(old_text)));
      }
      if (member_or_null(*old_template, key::kEntity) != member_or_null(*it->second, key::kEntity)) {
        report(name, "", "template-entity-changed", "change",
               fmt::format("template '{}' is now written for {}", template_name,
                           value_text(member_or_null(*it->second, key::kEntity))));
      }
    }
  }

  void handlers(const std::string& name, const Json& before, const Json& after) {
    const auto old_handlers = by_key(member(before, key::kHandlers), key::kEvent);
    const auto new_handlers = by_key(member(after, key::kHandlers), key::kEvent);
    for (const auto& [event, handler] : old_handlers) {
      auto it = new_handlers.find(event);
      if (it == new_handlers.end()) {
        const bool exits = text_of(*handler, key::kAction) == "exit";
        add(name, "", "handler-removed", exits,
            exits
                ? fmt::format("the `on {} exit` handler was removed: enrolled records that {} now stay in the sequence",
                              event, event == "out_of_office" ? "are away" : event)
                : fmt::format("the `on {} pause` handler was removed: enrolments no longer pause", event));
      } else if (*it->second != *handler) {
        const Json& now = *it->second;
        const bool exit_removed = text_of(*handler, key::kAction) == "exit" && text_of(now, key::kAction) != "exit";
        std::string detail;
        for (const char* part : {key::kAction, key::kReason, key::kMinutes, key::kOutcome}) {
          const Json& old_part = member_or_null(*handler, part);
          const Json& new_part = member_or_null(now, part);
          if (old_part == new_part) continue;
          if (!detail.empty()) detail += "; ";
          if (std::string_view(part) == key::kOutcome && new_part.is_null()) {
            detail += fmt::format("it no longer records the outcome {}", value_text(old_part));
          } else if (std::string_view(part) == key::kMinutes) {
            detail += fmt::format("pause {} → {}", minutes_text(old_part), minutes_text(new_part));
          } else {
            detail += fmt::format("{} {} → {}", part, value_text(old_part), value_text(new_part));
          }
        }
        report(name, "", "handler-changed", exit_removed ? "breaking" : "risky",
               fmt::format("the `on {}` handler changed: {}{}", event, detail,
                           exit_removed ? ": enrolled records no longer leave the sequence on it" : ""));
      }
    }
    for (const auto& [event, handler] : new_handlers) {
      if (!old_handlers.contains(event))
        add(name, "", "handler-added", false, fmt::format("an `on {}` handler was added", event));
    }
  }

  void steps(const std::string& name, const Json& before, const Json& after) {
    const auto old_steps = by_key(member(before, key::kSteps), key::kId);
    const auto new_steps = by_key(member(after, key::kSteps), key::kId);
    // Steps that disappeared, and (for a likely rename) a new step of the
    // same kind that did not exist before.
    std::vector<std::string> added;
    for (const Json& step : member(after, key::kSteps)) {
      if (!old_steps.contains(text_of(step, key::kId))) added.push_back(text_of(step, key::kId));
    }
    std::set<std::string> matched_as_rename;
    for (const Json& step : member(before, key::kSteps)) {
      const std::string id = text_of(step, key::kId);
      const std::string kind = text_of(step, key::kKind);
      auto it = new_steps.find(id);
      if (it == new_steps.end()) {
        std::string renamed;
        for (const std::string& candidate : added) {
          if (!matched_as_rename.contains(candidate) && text_of(*new_steps.at(candidate), key::kKind) == kind &&
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
      if (text_of(now, key::kKind) != kind) {
        add(name, id, "kind-changed", true,
            fmt::format("step '{}' changed from {} to {}: enrolments at it hold state of the old kind", id, kind,
                        text_of(now, key::kKind)));
        continue;
      }
      if (kind == "wait" && member(step, key::kMinutes) != member(now, key::kMinutes)) {
        add(name, id, "wait-changed", false,
            fmt::format(
                "wait '{}' changed from {} to {}: enrolments waiting there keep their due dates, new ones get the "
                "new wait",
                id, minutes_text(member(step, key::kMinutes)), minutes_text(member(now, key::kMinutes))));
      }
      if (kind == "branch" && (member(step, key::kCondition) != member(now, key::kCondition) ||
                               member(step, key::kWithinMinutes) != member(now, key::kWithinMinutes))) {
        add(name, id, "branch-changed", false,
            fmt::format("branch '{}' now tests {}{}: enrolments waiting at it are judged by the new condition", id,
                        member(now, key::kCondition).dump(),
                        member(now, key::kWithinMinutes).is_number()
                            ? " within " + minutes_text(member(now, key::kWithinMinutes))
                            : std::string()));
      }
      if (member(step, key::kNext) != member(now, key::kNext) && kind != "wait") {
        add(name, id, "successors-changed", false,
            fmt::format("after '{}' the flow changed from ({}) to ({})", id, successors_text(step),
                        successors_text(now)));
      }
      if (kind == "email" && member(step, key::kTemplate) != member(now, key::kTemplate)) {
        report(name, id, "template-changed", "content",
               fmt::format("step '{}' sends template {} (was {})", id, value_text(member_or_null(now, key::kTemplate)),
                           value_text(member_or_null(step, key::kTemplate))));
      }
      if (kind == "email" && member(step, key::kVariants) != member(now, key::kVariants)) {
        report(name, id, "variants-changed", "content",
               fmt::format("step '{}' splits between {} (was {})", id, value_text(member_or_null(now, key::kVariants)),
                           value_text(member_or_null(step, key::kVariants))));
      }
      if (kind == "email" && member(step, key::kMode) != member(now, key::kMode)) {
        const bool to_auto = member_or_null(now, key::kMode) == "auto";
        report(name, id, "mode-changed", to_auto ? "risky" : "change",
               fmt::format("email '{}' is now sent {} (was {}){}", id, value_text(member_or_null(now, key::kMode)),
                           value_text(member_or_null(step, key::kMode)),
                           to_auto ? ": nobody reviews it before it goes out" : ""));
      }
      generic(name, id, step, now, kStepMembers, fmt::format("step '{}': ", id));
    }
    for (const std::string& id : added) {
      if (matched_as_rename.contains(id)) continue;
      add(name, id, "step-added", false,
          fmt::format("{} step '{}' was added", text_of(*new_steps.at(id), key::kKind), id));
    }
  }
};

}  // namespace

std::vector<PlanChange> diff_plans(const Json& old_plan, const Json& new_plan) {
  Differ differ;
  differ.sequences(old_plan, new_plan);
  return std::move(differ.changes);
}

const char* change_label(const PlanChange& change) {
  if (change.breaking) return "BREAKING";
  if (change.category == "risky") return "risky   ";
  if (change.category == "content") return "content ";
  return "change  ";
}

}  // namespace cadence
