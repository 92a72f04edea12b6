// Salesloft's cadence export (GET /v2/cadence_exports/{id}.json) as .cadence
// source: the reverse of export/salesloft.cpp. The export answers with the
// import document's grammar, everything inside `data.cadence_content`:
// `settings`, `sharing_settings` and `step_groups`, each group a whole `day`
// (days skip weekends) with its steps (Email with `type_settings.email_template`,
// Phone and Other with `instructions`, Integration), automated when every
// step of the day is an automated email. The cadence's own read
// (GET /v2/cadences/{id}.json) may be given beside it for the cadence's id.

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "export/targets.hpp"
#include "import/builder.hpp"
#include "import/importer.hpp"
#include "import/writer.hpp"
#include "support/duration.hpp"

namespace cadence::importer {
namespace {

using InJson = nlohmann::json;

/// Days between two step groups that are read as at most a year.
constexpr int64_t kMaxDay = 366;

class SalesloftImporter {
 public:
  explicit SalesloftImporter(const std::vector<Input>& inputs) : inputs_(inputs) {}

  Result run() {
    // The cadences' own reads, for their ids: one beside one export.
    std::vector<const Input*> exports;
    const InJson* cadence = nullptr;
    for (const Input& input : inputs_) {
      const InJson* data = member(input.document, "data");
      if (data != nullptr && member(*data, "cadence_content") != nullptr) {
        exports.push_back(&input);
      } else if (data != nullptr && member(*data, "id") != nullptr && member(*data, "name") != nullptr) {
        cadence = data;
      } else {
        builder_.add(Fidelity::Unsupported, input.path, "",
                     "this is neither Salesloft's cadence export (data.cadence_content) nor a cadence's read "
                     "(data with an id and a name)",
                     "give the answer of GET /v2/cadence_exports/{id}.json");
      }
    }
    if (exports.empty() && builder_.problems() == 0) {
      builder_.add(Fidelity::Unsupported, "", "", "the input holds no cadence export (data.cadence_content)",
                   "include the answer of GET /v2/cadence_exports/{id}.json");
    }
    for (const Input* input : exports) {
      cadence_text(*input, exports.size() == 1 ? cadence : nullptr);
    }
    return builder_.finish();
  }

 private:
  void cadence_text(const Input& input, const InJson* cadence) {
    const std::string& file = input.path;
    const InJson& content = input.document["data"]["cadence_content"];
    static const InJson kNone = InJson::object();
    const InJson* settings_member = member(content, "settings");
    const InJson& settings = settings_member != nullptr && settings_member->is_object() ? *settings_member : kNone;
    const std::string id = cadence != nullptr ? cadence->at("id").dump() : std::string("?");
    const std::string title =
        plain_text(!text_member(settings, "name").empty() ? text_member(settings, "name")
                                                          : (cadence != nullptr ? text_member(*cadence, "name") : ""));
    const std::string name = builder_.sequence_name(text_member(settings, "external_identifier"), title, id);
    builder_.add(Fidelity::Mapped, file, "/data/cadence_content/settings/name",
                 fmt::format("cadence \"{}\" -> sequence {}", title, name));
    std::string head = fmt::format("  title {}\n  target {}\n", string_literal(title.empty() ? name : title), kEntity);
    if (const std::optional<int64_t> people = integer(settings, "target_daily_people"); people && *people > 0) {
      const int64_t rate = std::min<int64_t>(*people, 100000);
      head += fmt::format("  enroll {}/day\n", rate);
      builder_.add(Fidelity::Mapped, file, "/data/cadence_content/settings/target_daily_people",
                   fmt::format("{} people a day -> enroll {}/day", *people, rate));
    }
    if (const InJson* sharing = member(content, "sharing_settings");
        sharing != nullptr && flag(*sharing, "team_cadence")) {
      head += "  team \"salesloft\"\n";
      builder_.add(Fidelity::Approximated, file, "/data/cadence_content/sharing_settings/team_cadence",
                   "a team cadence -> team \"salesloft\": sequences of one team share their owners' limits",
                   "name the team the cadence belongs to");
    }
    // Automated emails may send on weekends only when the cadence was
    // written for every day of the week (`cadence export` sets it so).
    bool weekends = false;
    if (const InJson* groups = member(content, "step_groups"); groups != nullptr && groups->is_array()) {
      for (const InJson& group : *groups) {
        if (const InJson* automation = member(group, "automated_settings")) {
          weekends = weekends || flag(*automation, "allow_send_on_weekends");
        }
      }
    }
    head += weekends ? "  calendar all_days\n" : "  calendar business\n";
    builder_.add(weekends ? Fidelity::Approximated : Fidelity::Mapped, file, "/data/cadence_content/step_groups",
                 weekends ? "automated emails sent on weekends -> calendar all_days (other steps of a cadence fall "
                            "due on weekdays)"
                          : "cadence days, which skip weekends -> calendar business");
    for (const char* dropped : {"cadence_function", "cadence_priority", "cadence_owner", "tags", "added_stage_setting",
                                "bounced_stage_setting", "finished_stage_setting", "replied_stage_setting"}) {
      if (member(settings, dropped) != nullptr &&
          !(std::string_view(dropped) == "cadence_function" && text_member(settings, dropped) == "outbound")) {
        builder_.add(Fidelity::Dropped, file, fmt::format("/data/cadence_content/settings/{}", dropped),
                     fmt::format("the cadence's {} has no construct in the language", dropped));
      }
    }
    if (const InJson* sharing = member(content, "sharing_settings"); sharing != nullptr && flag(*sharing, "shared")) {
      builder_.add(Fidelity::Dropped, file, "/data/cadence_content/sharing_settings/shared",
                   "the cadence is shared; `cadence export` imports cadences unshared",
                   "share it again in Salesloft after deploying");
    }

    std::string handlers;
    auto exit_setting = [&](const char* key, const char* event, const char* reason) {
      const std::string pointer = fmt::format("/data/cadence_content/settings/{}", key);
      if (flag(settings, key)) {
        handlers += fmt::format("  on {} exit \"{}\"\n", event, reason);
        builder_.add(Fidelity::Mapped, file, pointer, fmt::format("{} true -> on {} exit", key, event));
      } else {
        builder_.add(Fidelity::Mapped, file, pointer, fmt::format("{} false -> no `on {}` handler", key, event));
      }
    };
    exit_setting("remove_replied", "replied", "replied");
    exit_setting("remove_bounced", "bounced", "bounced");
    handlers += "  on unsubscribed exit \"unsubscribed\"\n";
    exit_setting("remove_people_when_meeting_booked", "meeting_booked", "meeting booked");
    if (flag(settings, "reschedule_from_pause_enabled")) {
      handlers += "  on out_of_office pause 14d\n";
      builder_.add(Fidelity::Approximated, file, "/data/cadence_content/settings/reschedule_from_pause_enabled",
                   "people out of office are paused until the date their auto-reply gives -> on out_of_office pause "
                   "14d",
                   "set the pause to what your prospects' absences usually last");
    }

    // Step groups by day.
    const InJson* groups_member = member(content, "step_groups");
    std::vector<std::pair<int64_t, std::size_t>> groups;  // (day, index)
    if (groups_member != nullptr && groups_member->is_array()) {
      for (std::size_t i = 0; i < groups_member->size(); ++i) {
        groups.emplace_back(std::clamp<int64_t>(integer((*groups_member)[i], "day").value_or(1), 1, kMaxDay), i);
      }
    }
    std::stable_sort(groups.begin(), groups.end());
    std::string body;
    std::set<std::string> labels;
    std::map<std::string, deploy::Json> records;
    if (cadence != nullptr) records["cadence_import"] = deploy::Json(InJson(cadence->at("id")));
    int64_t previous_day = 1;
    int position = 0;
    for (const auto& [day, index] : groups) {
      const InJson& group = (*groups_member)[index];
      const std::string pointer = fmt::format("/data/cadence_content/step_groups/{}", index);
      const InJson* steps = member(group, "steps");
      if (steps == nullptr || !steps->is_array() || steps->empty()) continue;
      bool waited = false;
      const bool automated = flag(group, "automated");
      if (automated) {
        if (const InJson* automation = member(group, "automated_settings")) {
          if (integer(*automation, "delay_time").value_or(0) != 0 ||
              text_member(*automation, "send_type") == "at_time") {
            builder_.add(Fidelity::Dropped, file, pointer + "/automated_settings",
                         "the time of day the automated emails are sent has no construct in the language");
          }
        }
      }
      for (std::size_t k = 0; k < steps->size(); ++k) {
        const InJson& step = (*steps)[k];
        const std::string step_pointer = fmt::format("{}/steps/{}", pointer, k);
        if (member(step, "enabled") != nullptr && !flag(step, "enabled")) {
          builder_.add(Fidelity::Dropped, file, step_pointer + "/enabled",
                       fmt::format("step '{}' is switched off in Salesloft and is not imported",
                                   plain_text(text_member(step, "name"))));
          continue;
        }
        if (!waited && day > previous_day) {
          for (const std::string& wait : duration_literals((day - previous_day) * kMinutesPerDay)) {
            body += fmt::format("  wait {}\n", wait);
          }
          previous_day = day;
        }
        waited = true;
        ++position;
        body += step_text(file, step, step_pointer, day, automated, position, labels);
      }
    }
    if (position == 0) {
      builder_.add(Fidelity::Unsupported, file, "/data/cadence_content/step_groups",
                   "the cadence has no enabled step, and a sequence needs at least one");
      return;
    }
    builder_.add_sequence(
        fmt::format("// Salesloft cadence {}.\nsequence {} {{\n{}\n{}\n{}}}\n", id, name, head, handlers, body), name,
        records);
  }

  std::string step_text(const std::string& file, const InJson& step, const std::string& pointer, int64_t day,
                        bool automated, int position, std::set<std::string>& labels) {
    const std::string type = text_member(step, "type");
    static const InJson kNone = InJson::object();
    const InJson* settings_member = member(step, "type_settings");
    const InJson& settings = settings_member != nullptr ? *settings_member : kNone;
    const std::string kind = type == "Email" ? "email" : type == "Phone" ? "call" : "task";
    std::string label = unique_name(text_member(step, "name"), fmt::format("{}_{}", kind, position), labels);
    if (type == "Email") {
      const InJson* email = member(settings, "email_template");
      if (email == nullptr) {
        builder_.add(Fidelity::Unsupported, file, pointer + "/type_settings",
                     fmt::format("email step '{}' has no email_template", label));
        return {};
      }
      const std::string template_pointer = pointer + "/type_settings/email_template";
      const std::string name = builder_.template_name(
          {file, template_pointer, template_pointer + "/subject", template_pointer + "/body"}, label,
          text_member(*email, "title"), text_member(*email, "subject"), text_member(*email, "body"));
      builder_.add(Fidelity::Mapped, file, pointer,
                   fmt::format("{} Email step on day {} -> email {} mode {}", automated ? "automated" : "manual", day,
                               label, automated ? "auto" : "manual"));
      if (member(settings, "previous_email_step_group_reference_id") != nullptr) {
        builder_.add(Fidelity::Approximated, file, pointer + "/type_settings/previous_email_step_group_reference_id",
                     fmt::format("email {} replies in the thread of an earlier email; the language has no threading, "
                                 "and `cadence export` sends it as a new thread",
                                 label),
                     "set the step to reply in Salesloft after deploying");
      }
      return fmt::format("  email {} {{ template {} mode {} }}\n", label, name, automated ? "auto" : "manual");
    }
    const std::string instructions = text_member(settings, "instructions");
    const std::string at = pointer + "/type_settings/instructions";
    if (type == "Phone") {
      builder_.add(Fidelity::Mapped, file, pointer, fmt::format("Phone step on day {} -> call {}", day, label));
      return fmt::format(
          "  call {} {{{}}}\n", label,
          instructions.empty() ? " " : fmt::format(" script {} ", builder_.text(instructions, file, at)));
    }
    if (const auto linkedin = exported_linkedin_text(instructions); linkedin && type == "Other") {
      builder_.add(Fidelity::Approximated, file, pointer,
                   fmt::format("an Other step whose instructions begin \"LinkedIn {}:\" -> linkedin {} {}",
                               linkedin->first, linkedin->first, label),
                   "make it a task if it is not a LinkedIn touch");
      return fmt::format("  linkedin {} {} {{ note {} }}\n", linkedin->first, label,
                         builder_.text(linkedin->second, file, at));
    }
    if (type == "Other") {
      builder_.add(Fidelity::Mapped, file, pointer, fmt::format("Other step on day {} -> task {}", day, label));
      return fmt::format("  task {} {{{}}}\n", label,
                         instructions.empty() ? " " : fmt::format(" note {} ", builder_.text(instructions, file, at)));
    }
    const std::string what = type.empty() ? "a step without a type" : fmt::format("step type {}", plain_text(type));
    builder_.add(
        Fidelity::Approximated, file, pointer + "/type",
        fmt::format("{} (an integration's step, such as LinkedIn's) -> task {} whose note names it", what, label),
        "change the task to your integration's step in Salesloft");
    const std::string note = instructions.empty() ? what : fmt::format("{}: {}", what, instructions);
    return fmt::format("  task {} {{ note {} }}\n", label, builder_.text(note, file, at));
  }

  const std::vector<Input>& inputs_;
  SourceBuilder builder_{"salesloft", "Salesloft", exporter::salesloft_variables()};
};

}  // namespace

Result import_salesloft(const std::vector<Input>& inputs) { return SalesloftImporter(inputs).run(); }

}  // namespace cadence::importer
