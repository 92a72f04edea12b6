// Outreach (REST API v2, JSON:API): a sequence is built by several requests
// in order: its templates, the sequence, its steps (sequenceStep), and the
// links from email steps to templates (sequenceTemplate). Ids come from the
// responses, so each request names the earlier ones it needs (references).
//
// Facts used (developers.outreach.io, API reference): `sequenceStep.stepType`
// is one of auto_email, manual_email, call, task (the enumeration is given in
// prose only; LinkedIn step types are undocumented); `interval` is seconds
// from the previous step; `sequence.scheduleIntervalType` is calendar or
// schedule; reply actions are finish, continue or pause with a pause duration
// in seconds; `throttleMaxAddsPerDay` caps adds per user a day; several
// sequenceTemplates on one step rotate evenly. Mailboxes send at most 5,000
// emails a week (support.outreach.io, email limits).

#include <fmt/format.h>

#include "export/common.hpp"
#include "export/targets.hpp"
#include "support/escape.hpp"

namespace cadence::exporter {
namespace {

using vocabulary::Channel;

constexpr std::string_view kOutreachTitle = "Outreach";

// Lengths Outreach's API reference gives, in characters.
constexpr std::size_t kMaxNameCharacters = 255;
constexpr std::size_t kMaxDescriptionCharacters = 1024;
constexpr std::size_t kMaxTemplateNameCharacters = 225;
constexpr std::size_t kMaxTaskNoteCharacters = 65535;
constexpr std::size_t kMaxBodyHtmlCharacters = 16777215;

Json resource(std::string_view type, Json attributes) {
  return Json{{"data", {{"type", type}, {"attributes", std::move(attributes)}}}};
}

Json relation(std::string_view type) { return Json{{"data", {{"type", type}, {"id", 0}}}}; }

Reference id_of(std::string pointer, std::string request) {
  return Reference{std::move(pointer), std::move(request), "/data/id", {}};
}

class Outreach final : public Target {
 public:
  std::string_view name() const override { return "outreach"; }
  std::string_view title() const override { return kOutreachTitle; }
  std::string_view api() const override { return "Outreach REST API v2 (JSON:API)"; }
  std::optional<int64_t> emails_per_day() const override { return 5000 / kDaysPerWeek; }
  std::string_view emails_cap_text() const override { return "5,000 emails a week per mailbox"; }
  // No branches; variables without defaults; secondaryReplyAction pauses on
  // every automatic reply, not only out-of-office notices.
  Reach reach() const override { return Reach{}; }

  SequenceExport export_sequence(const plan::Sequence& sequence) const override {
    SequenceExport result;
    result.name = sequence.name;
    Findings findings(sequence);
    const Templates template_index(sequence);
    report_head(
        sequence, kOutreachTitle, [](std::string_view event) { return event != "meeting_booked"; }, findings);
    const std::optional<Flow> flow =
        read_flow(sequence, kOutreachTitle, "Outreach sequences are one line of steps; they have no branches",
                  "its step types are auto_email, manual_email, call and task", findings);
    if (!flow) report_all_texts(sequence, template_index, outreach_variables(), kOutreachTitle, findings);
    Json attributes = head(sequence, findings);
    std::vector<Request> steps;
    std::vector<Request> links;
    std::vector<std::string> templates;  // in order of first use
    std::map<std::string, RenderedTemplate> rendered_templates;
    std::set<std::string> reported;
    if (flow) {
      int order = 0;
      for (const Touch& touch : flow->touches) {
        const plan::Step& step = *touch.step;
        const std::string& id = step.id;
        const std::string_view kind = step.kind_name();
        Json step_attributes{{"order", ++order}, {"interval", touch.delay_minutes * 60}};
        if (kind == "email") {
          const bool automatic = step.mode == "auto";
          step_attributes["stepType"] = automatic ? "auto_email" : "manual_email";
          findings.at_step(
              step, Fidelity::Mapped,
              fmt::format("email '{}' -> {} step {}", id, automatic ? "auto_email" : "manual_email", order));
          const std::vector<Variant> variants = email_variants(step);
          if (variants.size() > 1) report_variants(step, variants, findings);
          report_templates(template_index, step, variants, outreach_variables(), kOutreachTitle, reported, findings);
          for (const Variant& variant : variants) {
            if (!rendered_templates.contains(variant.template_name)) {
              templates.push_back(variant.template_name);
              RenderedTemplate rendered = render_template(template_index, variant.template_name, outreach_variables());
              if (const std::size_t length = character_count(rendered.body); length > kMaxBodyHtmlCharacters) {
                findings.at_step(step, Fidelity::Unsupported,
                                 fmt::format("template '{}' has {} characters of HTML; Outreach takes at most {}",
                                             variant.template_name, length, kMaxBodyHtmlCharacters),
                                 "shorten the body");
              }
              rendered_templates.emplace(variant.template_name, std::move(rendered));
            }
            Request link{fmt::format("sequenceTemplate/{}/{}", id, variant.template_name),
                         "POST",
                         "/api/v2/sequenceTemplates",
                         {},
                         {}};
            Json body = resource("sequenceTemplate", Json{{"isReply", false}});
            body["data"]["relationships"] = {{"sequenceStep", relation("sequenceStep")},
                                             {"template", relation("template")}};
            link.body = std::move(body);
            link.references = {id_of("/data/relationships/sequenceStep/data/id", "sequenceStep/" + id),
                               id_of("/data/relationships/template/data/id", "template/" + variant.template_name)};
            links.push_back(std::move(link));
          }
        } else if (step.channel != Channel::Sms) {  // a call, a task or a LinkedIn touch
          std::string note;
          if (const plan::Text* text = step.carried_text()) {
            const Rendered rendered = render_text(*text, outreach_variables(), false);
            report_rendering(step, rendered, step.script ? "the call script" : "the note", kOutreachTitle, findings);
            note = rendered.text;
          }
          if (step.channel == Channel::Linkedin) {
            const std::string& action = step.action;
            note = fmt::format("LinkedIn {}: {}", action, note);
            findings.at_step(step, Fidelity::Approximated,
                             fmt::format("linkedin {} '{}' -> task step {} (Outreach documents no LinkedIn step type)",
                                         action, id, order),
                             "the task note says what to do on LinkedIn; change the step type in Outreach if your "
                             "instance has LinkedIn steps");
          } else if (!native_kind(step)) {
            note = approximate_as_task(step, std::move(note), kOutreachTitle, fmt::format("task step {}", order),
                                       findings);
          } else {
            findings.at_step(step, Fidelity::Mapped, fmt::format("{} '{}' -> {} step {}", kind, id, kind, order));
          }
          step_attributes["stepType"] = step.channel == Channel::Call ? "call" : "task";
          if (const std::size_t length = character_count(note); length > kMaxTaskNoteCharacters) {
            findings.at_step(
                step, Fidelity::Unsupported,
                fmt::format("the {} of {} '{}' has {} characters; Outreach takes a task note of at most {}",
                            step.script ? "script" : "note", kind, id, length, kMaxTaskNoteCharacters),
                "shorten it, or link to a document that holds the rest");
          }
          if (!note.empty()) step_attributes["taskNote"] = note;
        }  // an SMS step was reported by read_flow: nothing is exported
        Request request{"sequenceStep/" + id,
                        "POST",
                        "/api/v2/sequenceSteps",
                        resource("sequenceStep", std::move(step_attributes)),
                        {}};
        request.body["data"]["relationships"] = {{"sequence", relation("sequence")}};
        request.references = {id_of("/data/relationships/sequence/data/id", "sequence")};
        steps.push_back(std::move(request));
      }
      report_trailing_wait(*flow, "an Outreach sequence", findings);
    }
    result.findings = findings.take();
    if (!result.exportable()) return result;
    for (const std::string& name : templates)
      result.requests.push_back(template_request(name, rendered_templates[name]));
    result.requests.push_back(
        {"sequence", "POST", "/api/v2/sequences", resource("sequence", std::move(attributes)), {}});
    for (Request& request : steps) result.requests.push_back(std::move(request));
    for (Request& request : links) result.requests.push_back(std::move(request));
    return result;
  }

 private:
  static Json head(const plan::Sequence& sequence, Findings& findings) {
    Json attributes;
    // Outreach's limits count characters: a cut never splits one.
    const std::string& name = sequence.display_name();
    attributes["name"] = std::string(character_prefix(name, kMaxNameCharacters));
    if (const std::size_t length = character_count(name); length > kMaxNameCharacters) {
      findings.add(Fidelity::Approximated, "title",
                   fmt::format("the title has {} characters; Outreach names a sequence with at most {}, so it is cut",
                               length, kMaxNameCharacters),
                   fmt::format("give the sequence a title of at most {} characters", kMaxNameCharacters), false);
    }
    attributes["description"] = std::string(
        character_prefix(fmt::format("Compiled by cadence from {} ({}).", sequence.name, sequence.content_hash),
                         kMaxDescriptionCharacters));
    attributes["sequenceType"] = "interval";
    const bool business = sequence.business_calendar;
    attributes["scheduleIntervalType"] = business ? "schedule" : "calendar";
    if (business) {
      findings.add(Fidelity::Approximated, "calendar",
                   "calendar business -> intervals counted on the sequence's delivery schedule (scheduleIntervalType "
                   "schedule): Outreach skips the time outside the schedule, not whole weekend days",
                   "give the sequence a Monday-to-Friday schedule in Outreach");
    } else {
      findings.add(Fidelity::Mapped, "calendar", "calendar all_days -> intervals in calendar time");
    }
    attributes["shareType"] = "private";
    attributes["tags"] = Json::array({"cadence:" + sequence.name});
    reply_action(sequence, "replied", "primary", attributes, findings);
    reply_action(sequence, "out_of_office", "secondary", attributes, findings);
    for (const char* event : {"bounced", "unsubscribed"}) {
      if (const plan::Handler* handler = sequence.handler(event); handler != nullptr && !handler->pause) {
        findings.add(Fidelity::Mapped, fmt::format("handler:{}", event),
                     fmt::format("on {} exit -> Outreach finishes {} prospects itself", event, event));
      } else if (handler != nullptr) {
        findings.add(Fidelity::Approximated, fmt::format("handler:{}", event),
                     fmt::format("on {} pause -> Outreach finishes {} prospects instead", event, event),
                     "Outreach never keeps contacting bounced or opted-out prospects");
      }
    }
    if (sequence.handler("meeting_booked") != nullptr) {
      findings.add(Fidelity::Dropped, "handler:meeting_booked",
                   "on meeting_booked is not carried: an Outreach sequence has no setting for booked meetings",
                   "finish the prospect from Outreach's meeting trigger");
    }
    if (sequence.enroll) {
      const DailyRate rate = daily_rate(*sequence.enroll);
      attributes["throttleMaxAddsPerDay"] = rate.per_day;
      findings.add(rate.exact ? Fidelity::Mapped : Fidelity::Approximated, "enroll",
                   fmt::format("enroll -> at most {} prospects added per user a day (throttleMaxAddsPerDay){}",
                               rate.per_day, rate.exact ? "" : ", a weekly rate rounded up to days"),
                   rate.exact ? "" : "write the rate per day");
    }
    return attributes;
  }

  /// A handler as one of Outreach's reply actions (the primary for replies,
  /// the secondary for automatic replies such as out-of-office notices).
  static void reply_action(const plan::Sequence& sequence, const char* event, const char* which, Json& attributes,
                           Findings& findings) {
    const plan::Handler* handler = sequence.handler(event);
    const std::string key = fmt::format("{}ReplyAction", which);
    const std::string subject = fmt::format("handler:{}", event);
    if (handler == nullptr) {
      attributes[key] = "continue";
      if (std::string_view(event) == "replied") {
        findings.add(Fidelity::Mapped, subject, "no reply handler -> replies do not stop the sequence (continue)");
      }
      return;
    }
    const bool pause = handler->pause;
    attributes[key] = pause ? "pause" : "finish";
    if (pause) attributes[fmt::format("{}ReplyPauseDuration", which)] = handler->minutes * 60;
    const std::string action = pause ? fmt::format("pause {}", duration_text(handler->minutes)) : std::string("exit");
    if (std::string_view(event) == "replied") {
      findings.add(Fidelity::Mapped, subject,
                   fmt::format("on replied {} -> primaryReplyAction {}", action, pause ? "pause" : "finish"));
    } else {
      findings.add(Fidelity::Approximated, subject,
                   fmt::format("on {} {} -> secondaryReplyAction {}: Outreach applies it to every automatic reply, "
                               "not only out-of-office notices",
                               event, action, pause ? "pause" : "finish"),
                   "check the sequence's secondary reply setting in Outreach");
    }
  }

  static void report_variants(const plan::Step& step, const std::vector<Variant>& variants, Findings& findings) {
    bool even = true;
    for (const Variant& variant : variants)
      even = even && variant.percent * static_cast<int64_t>(variants.size()) == 100;
    const std::string& id = step.id;
    if (even) {
      findings.at_step(
          step, Fidelity::Mapped,
          fmt::format("the {} variants of '{}' -> templates Outreach rotates evenly", variants.size(), id));
    } else {
      findings.at_step(step, Fidelity::Approximated,
                       fmt::format("the variants of '{}' are not split evenly, but Outreach rotates a step's templates "
                                   "evenly",
                                   id),
                       "split the variants evenly, or weight them in Outreach");
    }
  }

  static Request template_request(const std::string& name, RenderedTemplate& rendered) {
    Json attributes{{"name", short_name(name, kMaxTemplateNameCharacters)},
                    {"subject", std::move(rendered.subject)},
                    {"bodyHtml", std::move(rendered.body)}};
    return Request{"template/" + name, "POST", "/api/v2/templates", resource("template", std::move(attributes)), {}};
  }
};

}  // namespace

const Variables& outreach_variables() {
  static const Variables kVariables{{{"firstname", "{{first_name}}"},
                                     {"lastname", "{{last_name}}"},
                                     {"fullname", "{{first_name}} {{last_name}}"},
                                     {"companyname", "{{account.name}}"},
                                     {"jobtitle", "{{title}}"},
                                     {"emailaddress1", "{{email}}"}},
                                    {{"firstname", "{{sender.first_name}}"},
                                     {"lastname", "{{sender.last_name}}"},
                                     {"fullname", "{{sender.first_name}} {{sender.last_name}}"},
                                     {"title", "{{sender.title}}"},
                                     {"phone", "{{sender.phone_number}}"},
                                     {"emailaddress", "{{sender.email}}"}}};
  return kVariables;
}

const Target& outreach_target() {
  static const Outreach kTarget;
  return kTarget;
}

}  // namespace cadence::exporter
