// HubSpot (Sequences API 2026-09-beta, the version that creates sequences):
// the email templates first (Email Templates API), then the sequence, whose
// email steps name the templates by the ids HubSpot returned.
//
// Facts used (HubSpot's public API specification collection, Automation /
// Sequences and Email Templates, 2026-09-beta): a PublicSequenceRequest
// needs name, dynamic, dependencies, settings and steps; a step needs
// actionType (EMAIL, TASK, FINISH_ENROLLMENT, ADAPTIVE_CONTAINER),
// branchNumber, delayMillis, dynamic, stepOrder and variants; an email step
// names its template (emailPattern.templateId); a task step has a taskType
// (CALL, EMAIL, LINKED_IN_CONNECT, LINKED_IN_MESSAGE, MEETING, TODO) and a
// taskPriority; settings need eligibleFollowUpDays (EVERYDAY, BUSINESS_DAYS,
// WEEKDAYS_ONLY), the send window, task times, unenrolment settings and
// threading. HubSpot unenrols on reply, booked meeting, bounce and
// unsubscribe by itself; sends at most 1,000 sequence emails a day by
// default (knowledge.hubspot.com, sequences limits). There is no SMS step,
// and no documented behaviour for its adaptive (branch) containers.

#include <fmt/format.h>

#include "export/common.hpp"
#include "export/targets.hpp"

namespace cadence::exporter {
namespace {

using vocabulary::Channel;

constexpr std::string_view kHubSpotTitle = "HubSpot";
constexpr std::string_view kTemplatesPath = "/automation/email-templates/2026-09-beta";
constexpr std::string_view kSequencesPath = "/automation/sequences/2026-09-beta/serviceaccounts/sequences";

class HubSpot final : public Target {
 public:
  std::string_view name() const override { return "hubspot"; }
  std::string_view title() const override { return kHubSpotTitle; }
  std::string_view api() const override { return "HubSpot Sequences API 2026-09-beta"; }
  std::optional<int64_t> emails_per_day() const override { return 1000; }
  std::string_view emails_cap_text() const override { return "1,000 sequence emails a day by default"; }
  // Steps in a line; variables without defaults; most automatic replies
  // neither pause nor unenrol.
  Reach reach() const override { return Reach{}; }

  SequenceExport export_sequence(const plan::Sequence& sequence) const override {
    SequenceExport result;
    result.name = sequence.name;
    Findings findings(sequence);
    const Templates template_index(sequence);
    report_head(
        sequence, kHubSpotTitle, [](std::string_view event) { return event != "out_of_office"; }, findings);
    Json settings = settings_of(sequence, findings);
    const std::optional<Flow> flow =
        read_flow(sequence, kHubSpotTitle,
                  "HubSpot's API types branch containers but documents no rule for how they decide, and a guessed rule "
                  "would send the wrong touches",
                  "its sequences send email and create tasks, and have no SMS step", findings);
    if (!flow) report_all_texts(sequence, template_index, hubspot_variables(), kHubSpotTitle, findings);
    Json steps = Json::array();
    std::vector<std::string> templates;
    std::vector<Reference> references;
    std::set<std::string> reported;
    if (flow) {
      for (const Touch& touch : flow->touches) {
        const int64_t order = static_cast<int64_t>(steps.size());
        Json step = step_of(template_index, touch, order, templates, references, reported, findings);
        steps.push_back(std::move(step));
      }
      if (flow->exit != nullptr && flow->trailing_minutes > 0) {
        const int64_t order = static_cast<int64_t>(steps.size());
        steps.push_back(base_step(order, "FINISH_ENROLLMENT", flow->trailing_minutes));
        findings.at_step(*flow->exit, Fidelity::Mapped,
                         fmt::format("the {} wait before the exit -> a finish step {} later",
                                     duration_text(flow->trailing_minutes), duration_text(flow->trailing_minutes)));
      }
    }
    result.findings = findings.take();
    if (!result.exportable()) return result;
    for (const std::string& name : templates) {
      const RenderedTemplate rendered = render_template(template_index, name, hubspot_variables());
      result.requests.push_back({"template/" + name,
                                 "POST",
                                 std::string(kTemplatesPath),
                                 Json{{"name", name}, {"subject", rendered.subject}, {"body", rendered.body}},
                                 {}});
    }
    Json body{{"name", sequence.display_name()},
              {"dynamic", false},
              {"dependencies", Json::array()},
              {"settings", std::move(settings)},
              {"steps", std::move(steps)}};
    result.requests.push_back(
        {"sequence", "POST", std::string(kSequencesPath), std::move(body), std::move(references)});
    return result;
  }

 private:
  static Json base_step(int64_t order, std::string_view action, int64_t delay_minutes) {
    return Json{{"stepOrder", order}, {"actionType", action},
                {"branchNumber", 0},  {"delayMillis", delay_minutes * 60 * 1000},
                {"dynamic", false},   {"variants", Json::array()}};
  }

  static Json step_of(const Templates& template_index, const Touch& touch, int64_t order,
                      std::vector<std::string>& templates, std::vector<Reference>& references,
                      std::set<std::string>& reported, Findings& findings) {
    const plan::Step& step = *touch.step;
    const std::string& id = step.id;
    const std::string_view kind = step.kind_name();
    const std::string at = fmt::format("/steps/{}", order);
    if (kind == "email") {
      const bool automatic = step.mode == "auto";
      const std::vector<Variant> variants = email_variants(step);
      report_templates(template_index, step, variants, hubspot_variables(), kHubSpotTitle, reported, findings);
      for (const Variant& variant : variants) {
        if (std::find(templates.begin(), templates.end(), variant.template_name) == templates.end()) {
          templates.push_back(variant.template_name);
        }
      }
      Json result = base_step(order, automatic ? "EMAIL" : "TASK", touch.delay_minutes);
      const char* pattern = automatic ? "emailPattern" : "taskPattern";
      auto pattern_of = [&](const Variant& variant) {
        Json value = automatic ? Json{{"templateId", "0"}}
                               : Json{{"taskType", "EMAIL"},
                                      {"taskPriority", "NONE"},
                                      {"subject", fmt::format("Email: {}", variant.template_name)},
                                      {"templateId", "0"}};
        return value;
      };
      result[pattern] = pattern_of(variants.front());
      references.push_back(
          {fmt::format("{}/{}/templateId", at, pattern), "template/" + variants.front().template_name, "/id", {}});
      if (variants.size() > 1) {
        Json list = Json::array();
        bool even = true;
        for (std::size_t k = 0; k < variants.size(); ++k) {
          even = even && variants[k].percent * static_cast<int64_t>(variants.size()) == 100;
          list.push_back(
              {{"variantOrdinal", static_cast<int64_t>(k)}, {"activated", true}, {pattern, pattern_of(variants[k])}});
          references.push_back({fmt::format("{}/variants/{}/{}/templateId", at, k, pattern),
                                "template/" + variants[k].template_name,
                                "/id",
                                {}});
        }
        result["variants"] = std::move(list);
        if (even) {
          findings.at_step(step, Fidelity::Mapped,
                           fmt::format("the {} variants of '{}' -> step variants", variants.size(), id));
        } else {
          findings.at_step(step, Fidelity::Approximated,
                           fmt::format("the variants of '{}' are not split evenly, but HubSpot splits a step's "
                                       "variants evenly",
                                       id),
                           "split the variants evenly");
        }
      }
      findings.at_step(
          step, Fidelity::Mapped,
          fmt::format("email '{}' -> {} (step {})", id, automatic ? "automated EMAIL step" : "EMAIL task", order));
      return result;
    }
    if (step.channel == Channel::Sms) return base_step(order, "TASK", touch.delay_minutes);  // reported by read_flow
    std::string type = "TODO";
    if (!native_kind(step)) {
      // The note is made below, once the step's own note is rendered.
    } else if (step.channel == Channel::Call) {
      type = "CALL";
      findings.at_step(step, Fidelity::Mapped, fmt::format("call '{}' -> CALL task (step {})", id, order));
    } else if (step.channel == Channel::Task) {
      findings.at_step(step, Fidelity::Mapped, fmt::format("task '{}' -> TODO task (step {})", id, order));
    } else {
      const std::string& action = step.action;
      if (action == "connect") type = "LINKED_IN_CONNECT";
      if (action == "message" || action == "inmail") type = "LINKED_IN_MESSAGE";
      if (action == "connect" || action == "message") {
        findings.at_step(step, Fidelity::Mapped,
                         fmt::format("linkedin {} '{}' -> {} task (step {})", action, id, type, order));
      } else {
        findings.at_step(step, Fidelity::Approximated,
                         fmt::format("linkedin {} '{}' -> {} task (step {}): HubSpot's LinkedIn tasks are connect and "
                                     "message",
                                     action, id, type, order),
                         "the task's notes say what to do on LinkedIn");
      }
    }
    std::string notes;
    if (const plan::Text* text = step.carried_text()) {
      const Rendered rendered = render_text(*text, hubspot_variables(), false);
      report_rendering(step, rendered, step.script ? "the call script" : "the note", kHubSpotTitle, findings);
      notes = rendered.text;
    }
    if (step.channel == Channel::Linkedin) notes = fmt::format("LinkedIn {}: {}", step.action, notes);
    if (!native_kind(step)) {
      notes = approximate_as_task(step, std::move(notes), kHubSpotTitle, fmt::format("TODO task (step {})", order),
                                  findings);
    }
    Json result = base_step(order, "TASK", touch.delay_minutes);
    const char* label = step.channel == Channel::Call ? "Call" : step.channel == Channel::Task ? "Task" : "LinkedIn";
    result["taskPattern"] = {
        {"taskType", type}, {"taskPriority", "NONE"}, {"subject", fmt::format("{}: {}", label, id)}};
    if (!notes.empty()) result["taskPattern"]["notes"] = notes;
    return result;
  }

  static Json settings_of(const plan::Sequence& sequence, Findings& findings) {
    const bool business = sequence.business_calendar;
    if (business) {
      findings.add(Fidelity::Approximated, "calendar",
                   "calendar business -> BUSINESS_DAYS: HubSpot counts delays in calendar time and moves a step that "
                   "falls due on a weekend to the next business day",
                   "expect a step after a weekend to come sooner than Cadence's business-day count");
    } else {
      findings.add(Fidelity::Mapped, "calendar", "calendar all_days -> EVERYDAY");
    }
    findings.add(Fidelity::Approximated, "sequence",
                 "HubSpot needs a send window and task times the sequence does not state: 08:00-18:00, tasks created "
                 "and reminded at 08:00",
                 "change them in HubSpot's sequence settings", false);
    const Json unenrol{{"criteria", "NONE"}, {"sellingStrategy", "LEAD_BASED"}};
    struct Automatic {
      const char* event;
      const char* what;
    };
    for (const Automatic automatic : {Automatic{"replied", "a reply"}, Automatic{"meeting_booked", "a booked meeting"},
                                      Automatic{"bounced", "a bounce"}, Automatic{"unsubscribed", "an unsubscribe"}}) {
      const plan::Handler* handler = sequence.handler(automatic.event);
      const std::string subject = fmt::format("handler:{}", automatic.event);
      if (handler != nullptr && !handler->pause) {
        findings.add(Fidelity::Mapped, subject,
                     fmt::format("on {} exit -> HubSpot unenrols on {} by itself", automatic.event, automatic.what));
      } else {
        findings.add(Fidelity::Approximated, subject,
                     fmt::format("{} -> HubSpot unenrols on {} by itself, so the sequence stops there",
                                 handler == nullptr ? fmt::format("no {} handler", automatic.event)
                                                    : fmt::format("on {} pause", automatic.event),
                                 automatic.what),
                     fmt::format("add `on {} exit` so that every platform behaves alike", automatic.event));
      }
    }
    if (const plan::Handler* ooo = sequence.handler("out_of_office")) {
      findings.add(Fidelity::Dropped, "handler:out_of_office",
                   fmt::format("on out_of_office {} is not carried: HubSpot neither pauses nor unenrols on most "
                               "automatic replies",
                               ooo->pause ? "pause" : "exit"),
                   "pause the enrolment by hand when an out-of-office notice arrives");
    }
    if (sequence.enroll) {
      // Listed, not warned about: the rate says how many are enrolled (and
      // feeds the load lints), not what anyone enrolled receives.
      findings.add(
          Fidelity::Dropped, "enroll",
          "enroll is not carried: HubSpot enrols contacts by hand or from workflows, with no rate per sequence",
          "limit the workflow that enrols contacts", false);
    }
    return Json{{"eligibleFollowUpDays", business ? "BUSINESS_DAYS" : "EVERYDAY"},
                {"individualTaskRemindersEnabled", false},
                {"sellingStrategy", "LEAD_BASED"},
                {"sendWindowStartMinute", 480},
                {"sendWindowEndMinute", 1080},
                {"taskCreationMinute", 480},
                {"taskReminderMinute", 480},
                {"unenrollmentSettings", {{"emailSettings", unenrol}, {"meetingSettings", unenrol}}},
                {"useThreadedFollowUps", false}};
  }
};

}  // namespace

const Variables& hubspot_variables() {
  static const Variables kVariables{{{"firstname", "{{ contact.firstname }}"},
                                     {"lastname", "{{ contact.lastname }}"},
                                     {"fullname", "{{ contact.firstname }} {{ contact.lastname }}"},
                                     {"companyname", "{{ contact.company }}"},
                                     {"jobtitle", "{{ contact.jobtitle }}"},
                                     {"emailaddress1", "{{ contact.email }}"},
                                     {"telephone1", "{{ contact.phone }}"},
                                     {"mobilephone", "{{ contact.mobilephone }}"}},
                                    {{"firstname", "{{ sender.firstname }}"},
                                     {"lastname", "{{ sender.lastname }}"},
                                     {"fullname", "{{ sender.firstname }} {{ sender.lastname }}"},
                                     {"title", "{{ sender.jobtitle }}"},
                                     {"phone", "{{ sender.phone }}"},
                                     {"emailaddress", "{{ sender.email }}"}}};
  return kVariables;
}

const Target& hubspot_target() {
  static const HubSpot kTarget;
  return kTarget;
}

}  // namespace cadence::exporter
