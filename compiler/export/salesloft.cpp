// Salesloft: one cadence import document (POST /v2/cadence_imports.json).
//
// Facts used (Salesloft's v2 API definition and developers.salesloft.com,
// cadence imports: settings, step groups, steps): the import body has three
// members, `settings`, `sharing_settings` and `cadence_content`, and
// `cadence_content` holds only `step_groups` (the cadence export,
// GET /v2/cadence_exports/{id}.json, nests the settings inside
// `cadence_content` instead); a step group has a whole `day`, `automated` (only when every
// step is an email) with `automated_settings` (`send_type` at_time or
// after_time_delay, `delay_time` 0..720 minutes, `allow_send_on_weekends`);
// steps of one day share a group; step types are Email, Phone, Other and
// Integration (LinkedIn needs the instance's integration id and step type
// GUID); there is no A/B field and no branching. Settings name
// `remove_replied`, `remove_bounced`, `remove_people_when_meeting_booked`,
// `reschedule_from_pause_enabled` (out-of-office), `target_daily_people`.

#include <fmt/format.h>

#include "export/common.hpp"
#include "export/targets.hpp"

namespace cadence::exporter {
namespace {

using vocabulary::Channel;

constexpr std::string_view kSalesloftTitle = "Salesloft";

/// An `on out_of_office exit`, which Salesloft cannot carry.
bool ooo_exit(const plan::Sequence& sequence, std::string_view event) {
  const plan::Handler* handler = event == "out_of_office" ? sequence.handler(event) : nullptr;
  return handler != nullptr && !handler->pause;
}

class Salesloft final : public Target {
 public:
  std::string_view name() const override { return "salesloft"; }
  std::string_view title() const override { return kSalesloftTitle; }
  std::string_view api() const override { return "Salesloft API v2, cadence imports"; }
  std::optional<int64_t> emails_per_day() const override { return std::nullopt; }
  std::string_view emails_cap_text() const override { return "no published per-mailbox email cap"; }
  // One line of days; variables without defaults; an out-of-office person
  // resumes on the date the auto-reply gives, not after D.
  Reach reach() const override { return Reach{}; }

  SequenceExport export_sequence(const plan::Sequence& sequence) const override {
    SequenceExport result;
    result.name = sequence.name;
    Findings findings(sequence);
    const Templates template_index(sequence);
    report_head(
        sequence, kSalesloftTitle, [&](std::string_view event) { return !ooo_exit(sequence, event); }, findings);
    const Json settings = settings_of(sequence, findings);
    const bool business = sequence.business_calendar;
    if (business) {
      findings.add(Fidelity::Mapped, "calendar", "calendar business -> cadence days, which skip weekends");
    } else {
      findings.add(Fidelity::Approximated, "calendar",
                   "calendar all_days -> cadence days skip weekends in Salesloft; automated emails may send on "
                   "weekends (allow_send_on_weekends), other steps fall due on the next weekday",
                   "use `calendar business` for Salesloft, or expect steps to slip over weekends");
    }
    const std::optional<Flow> flow =
        read_flow(sequence, kSalesloftTitle, "Salesloft cadences are one line of days; they have no branches",
                  "its step types are Email, Phone, Other and Integration", findings);
    if (!flow) report_all_texts(sequence, template_index, salesloft_variables(), kSalesloftTitle, findings);
    Json groups = Json::array();
    std::set<std::string> reported;
    if (flow) {
      for (std::size_t i = 0; i < flow->touches.size();) {
        const int64_t day = whole_days(flow->touches[i].offset_minutes) + 1;
        std::size_t end = i;
        while (end < flow->touches.size() && whole_days(flow->touches[end].offset_minutes) + 1 == day) ++end;
        bool automated = true;
        for (std::size_t k = i; k < end; ++k) {
          const plan::Step& step = *flow->touches[k].step;
          automated = automated && step.kind == vocabulary::StepKind::Email && step.mode == "auto";
        }
        Json group{{"day", day}, {"due_immediately", false}, {"automated", automated}};
        if (automated) {
          group["automated_settings"] = {
              {"send_type", "after_time_delay"}, {"delay_time", 0}, {"allow_send_on_weekends", !business}};
        }
        group["reference_id"] = static_cast<int64_t>(groups.size() + 1);
        Json steps = Json::array();
        for (std::size_t k = i; k < end; ++k) {
          steps.push_back(step_of(template_index, flow->touches[k], day, automated, reported, findings));
        }
        group["steps"] = std::move(steps);
        groups.push_back(std::move(group));
        i = end;
      }
      report_trailing_wait(*flow, "a Salesloft cadence", findings);
    }
    result.findings = findings.take();
    if (!result.exportable()) return result;
    Json body{{"settings", settings},
              {"sharing_settings", {{"team_cadence", sequence.team.has_value()}, {"shared", false}}},
              {"cadence_content", {{"step_groups", std::move(groups)}}}};
    result.requests.push_back({"cadence_import", "POST", "/v2/cadence_imports.json", std::move(body), {}});
    return result;
  }

 private:
  static Json settings_of(const plan::Sequence& sequence, Findings& findings) {
    Json settings;
    settings["name"] = sequence.display_name();
    settings["external_identifier"] = sequence.name;
    settings["cadence_function"] = "outbound";
    if (sequence.enroll) {
      const DailyRate rate = daily_rate(*sequence.enroll);
      settings["target_daily_people"] = rate.per_day;
      findings.add(rate.exact ? Fidelity::Mapped : Fidelity::Approximated, "enroll",
                   fmt::format("enroll -> {} people a day (target_daily_people){}", rate.per_day,
                               rate.exact ? "" : ", a weekly rate rounded up to days"),
                   rate.exact ? "" : "write the rate per day");
    } else {
      // The import requires the member; 0 sets no daily target.
      settings["target_daily_people"] = 0;
      findings.add(Fidelity::Mapped, "enroll", "no enroll rate -> target_daily_people 0 (no daily target)");
    }
    settings["remove_replied"] = exit_setting(sequence, "replied", "remove_replied", findings);
    settings["remove_bounced"] = exit_setting(sequence, "bounced", "remove_bounced", findings);
    const plan::Handler* ooo = sequence.handler("out_of_office");
    settings["reschedule_from_pause_enabled"] = ooo != nullptr && ooo->pause;
    if (ooo != nullptr && ooo->pause) {
      findings.add(Fidelity::Approximated, "handler:out_of_office",
                   fmt::format("on out_of_office pause {} -> Salesloft marks the person out of office and resumes on "
                               "the return date the auto-reply gives, not after {}",
                               duration_text(ooo->minutes), duration_text(ooo->minutes)),
                   "expect the pause to follow the auto-reply's date");
    } else if (ooo != nullptr) {
      findings.add(Fidelity::Dropped, "handler:out_of_office",
                   "on out_of_office exit is not carried: Salesloft can only pause people who are out of office",
                   "pause instead of exiting, or remove people by hand");
    }
    if (sequence.handler("unsubscribed") != nullptr) {
      findings.add(Fidelity::Mapped, "handler:unsubscribed",
                   "on unsubscribed -> Salesloft never contacts opted-out people");
    }
    settings["remove_people_when_meeting_booked"] =
        exit_setting(sequence, "meeting_booked", "remove_people_when_meeting_booked", findings);
    return settings;
  }

  static bool exit_setting(const plan::Sequence& sequence, const char* event, const char* key, Findings& findings) {
    const plan::Handler* handler = sequence.handler(event);
    const std::string subject = fmt::format("handler:{}", event);
    if (handler == nullptr) {
      findings.add(Fidelity::Mapped, subject, fmt::format("no {} handler -> {} false", event, key));
      return false;
    }
    if (!handler->pause) {
      findings.add(Fidelity::Mapped, subject, fmt::format("on {} exit -> {} true", event, key));
      return true;
    }
    findings.add(Fidelity::Dropped, subject,
                 fmt::format("on {} pause is not carried: Salesloft can remove {} people, not pause them ({} false)",
                             event, event, key),
                 "exit instead of pausing, or pause people by hand");
    return false;
  }

  static Json step_of(const Templates& template_index, const Touch& touch, int64_t day, bool automated,
                      std::set<std::string>& reported, Findings& findings) {
    const plan::Step& step = *touch.step;
    const std::string& id = step.id;
    const std::string_view kind = step.kind_name();
    Json result{{"enabled", true}, {"name", id}};
    if (touch.offset_minutes % kMinutesPerDay != 0) {
      findings.at_step(
          step, Fidelity::Approximated,
          fmt::format("'{}' is due {} after enrolment; Salesloft days are whole, so it falls due on day {}", id,
                      duration_text(touch.offset_minutes), day),
          "wait whole days between touches for Salesloft");
    }
    if (kind == "email") {
      std::vector<Variant> variants = email_variants(step);
      if (variants.size() > 1) {
        findings.at_step(step, Fidelity::Approximated,
                         fmt::format("Salesloft's import has no A/B variants: '{}' sends variant '{}' (template '{}') "
                                     "only",
                                     id, variants.front().name, variants.front().template_name),
                         "add the other variants in Salesloft's editor");
        variants.resize(1);
      }
      report_templates(template_index, step, variants, salesloft_variables(), kSalesloftTitle, reported, findings);
      const bool automatic = step.mode == "auto";
      if (automatic && !automated) {
        findings.at_step(step, Fidelity::Approximated,
                         fmt::format("automatic email '{}' shares day {} with steps that are not automatic emails; "
                                     "Salesloft automates a day only when all its steps are, so it is sent by hand",
                                     id, day),
                         "move the other steps of that day to another day");
      } else {
        findings.at_step(
            step, Fidelity::Mapped,
            fmt::format("email '{}' -> {} Email step on day {}", id, automated ? "automated" : "manual", day));
      }
      const RenderedTemplate rendered =
          render_template(template_index, variants.front().template_name, salesloft_variables());
      result["type"] = "Email";
      result["type_settings"] = {
          {"email_template",
           {{"title", variants.front().template_name}, {"subject", rendered.subject}, {"body", rendered.body}}}};
      return result;
    }
    std::string instructions;
    if (const plan::Text* text = step.carried_text()) {
      const Rendered rendered = render_text(*text, salesloft_variables(), false);
      report_rendering(step, rendered, step.script ? "the call script" : "the note", kSalesloftTitle, findings);
      instructions = rendered.text;
    }
    if (step.channel == Channel::Sms) {
      // Reported by read_flow: nothing is exported.
    } else if (step.channel == Channel::Linkedin) {
      const std::string& action = step.action;
      instructions = fmt::format("LinkedIn {}: {}", action, instructions);
      findings.at_step(step, Fidelity::Approximated,
                       fmt::format("linkedin {} '{}' -> Other step on day {}: Salesloft's LinkedIn steps need your "
                                   "instance's integration id and step type",
                                   action, id, day),
                       "change the step to your LinkedIn integration in Salesloft");
    } else if (!native_kind(step)) {
      instructions = approximate_as_task(step, std::move(instructions), kSalesloftTitle,
                                         fmt::format("Other step on day {}", day), findings);
    } else {
      findings.at_step(step, Fidelity::Mapped,
                       fmt::format("{} '{}' -> {} step on day {}", kind, id,
                                   step.channel == Channel::Call ? "Phone" : "Other", day));
    }
    result["type"] = step.channel == Channel::Call ? "Phone" : "Other";
    result["type_settings"] = {{"instructions", instructions}};
    return result;
  }
};

}  // namespace

const Variables& salesloft_variables() {
  static const Variables kVariables{{{"firstname", "{{first_name}}"},
                                     {"lastname", "{{last_name}}"},
                                     {"fullname", "{{first_name}} {{last_name}}"},
                                     {"companyname", "{{company}}"},
                                     {"jobtitle", "{{title}}"},
                                     {"emailaddress1", "{{email_address}}"},
                                     {"telephone1", "{{phone}}"}},
                                    {{"firstname", "{{sender.first_name}}"},
                                     {"lastname", "{{sender.last_name}}"},
                                     {"fullname", "{{sender.first_name}} {{sender.last_name}}"},
                                     {"title", "{{sender.title}}"},
                                     {"phone", "{{sender.phone}}"},
                                     {"emailaddress", "{{sender.email}}"}}};
  return kVariables;
}

const Target& salesloft_target() {
  static const Salesloft kTarget;
  return kTarget;
}

}  // namespace cadence::exporter
