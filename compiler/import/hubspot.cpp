// HubSpot's read API as .cadence source: the reverse of export/hubspot.cpp.
// A sequence is read as GET /automation/sequences/2026-09-beta/
// serviceaccounts/sequences/{id} answers it (PublicSequenceResponseV2, or the
// create answer that wraps one in `sequence`), and its email templates as
// GET /automation/email-templates/2026-09-beta/{id} answers them
// (PublicTemplate), one by one or as the list read's `results`.
//
// Facts used (HubSpot's public API specification collection, Automation /
// Sequences and Email Templates, 2026-09-beta): a step has actionType (EMAIL,
// TASK, FINISH_ENROLLMENT, ADAPTIVE_CONTAINER), stepOrder and delayMillis (the
// delay before it); an email step names its template in emailPattern, a task
// step has taskPattern (taskType CALL, EMAIL, LINKED_IN_CONNECT,
// LINKED_IN_MESSAGE, MEETING or TODO, taskPriority, subject, notes, queueId,
// and a template for an email task); settings give eligibleFollowUpDays, the
// send window and the reminder minute; dependencies make a step wait for
// another's task. A read returns no step variants, no branch numbers and no
// unenrolment settings. HubSpot unenrols on a reply, a booked meeting, a
// bounce and an unsubscribe by itself (knowledge.hubspot.com).

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "export/targets.hpp"
#include "import/builder.hpp"
#include "import/importer.hpp"
#include "import/writer.hpp"
#include "support/duration.hpp"

namespace cadence::importer {
namespace {

using InJson = nlohmann::json;

constexpr int64_t kMillisPerMinute = 60 * 1000;
/// Longer delays are read as a year: no sequence waits longer between touches.
constexpr int64_t kMaxDelayMinutes = 365 * kMinutesPerDay;
/// What `cadence export` writes for the settings the language has no word
/// for: a send window of 08:00-18:00, tasks created and reminded at 08:00.
constexpr int64_t kSendWindowStart = 480;
constexpr int64_t kSendWindowEnd = 1080;
constexpr int64_t kReminderMinute = 480;

/// HubSpot writes its variables with or without spaces inside the braces
/// (`{{contact.firstname}}`, `{{ contact.firstname }}`); the export writes
/// them with, so that is the spelling they are read in.
std::string spaced_variables(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find("{{", i);
    const std::size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos ||
        text.substr(open + 2, close - open - 2).find("{{") != std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    std::string_view inner = text.substr(open + 2, close - open - 2);
    while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
    while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
    out.append(text.substr(i, open - i));
    out += fmt::format("{{{{ {} }}}}", inner);
    i = close + 2;
  }
  return out;
}

/// An id as HubSpot writes it (a string; older versions wrote numbers).
std::string id_text(const InJson* id) {
  if (id == nullptr) return {};
  if (id->is_string()) return id->get<std::string>();
  if (id->is_number_integer()) return std::to_string(id->get<int64_t>());
  return {};
}

/// A sequence's read: the object with its steps.
const InJson* sequence_of(const InJson& document) {
  const InJson* steps = member(document, "steps");
  if (steps != nullptr && steps->is_array()) return &document;
  if (const InJson* wrapped = member(document, "sequence")) {
    const InJson* inner = member(*wrapped, "steps");
    if (inner != nullptr && inner->is_array()) return wrapped;
  }
  return nullptr;
}

bool is_template(const InJson& document) {
  return member(document, "id") != nullptr &&
         (member(document, "body") != nullptr || member(document, "subject") != nullptr) &&
         member(document, "steps") == nullptr;
}

struct TemplateRead {
  const InJson* json = nullptr;
  const std::string* file = nullptr;
  std::string pointer;
};

class HubSpotImporter {
 public:
  explicit HubSpotImporter(const std::vector<Input>& inputs) : inputs_(inputs) {}

  Result run() {
    std::vector<std::pair<const Input*, const InJson*>> sequences;
    for (const Input& input : inputs_) {
      if (const InJson* sequence = sequence_of(input.document)) {
        sequences.emplace_back(&input, sequence);
      } else if (is_template(input.document)) {
        add_template(input, input.document, "");
      } else if (const InJson* results = member(input.document, "results"); results != nullptr && results->is_array()) {
        for (std::size_t i = 0; i < results->size(); ++i) {
          if (is_template((*results)[i])) add_template(input, (*results)[i], fmt::format("/results/{}", i));
        }
      } else {
        builder_.add(Fidelity::Unsupported, input.path, "",
                     "this is neither a HubSpot sequence (an object with steps) nor an email template (an id with a "
                     "subject or body) nor a list of templates (results)",
                     "give the answers of GET /automation/sequences/2026-09-beta/serviceaccounts/sequences/{id} and "
                     "GET /automation/email-templates/2026-09-beta/{templateId}");
      }
    }
    if (sequences.empty() && builder_.problems() == 0) {
      builder_.add(Fidelity::Unsupported, "", "", "the input holds no sequence (an object with steps)",
                   "include the answer of GET /automation/sequences/2026-09-beta/serviceaccounts/sequences/{id}");
    }
    for (const auto& [input, sequence] : sequences) {
      sequence_text(*input, *sequence, sequence == &input->document ? "" : "/sequence");
    }
    return builder_.finish();
  }

 private:
  void add_template(const Input& input, const InJson& json, std::string pointer) {
    const std::string id = id_text(member(json, "id"));
    if (id.empty()) return;
    templates_.emplace(id, TemplateRead{&json, &input.path, std::move(pointer)});
  }

  void add(Fidelity fidelity, const std::string& file, std::string pointer, std::string message,
           std::string help = {}) {
    builder_.add(fidelity, file, std::move(pointer), std::move(message), std::move(help));
  }

  void sequence_text(const Input& input, const InJson& sequence, const std::string& at) {
    const std::string& file = input.path;
    const std::string id = id_text(member(sequence, "id"));
    const std::string title = plain_text(text_member(sequence, "name"));
    const std::string name = builder_.sequence_name("", title, id.empty() ? "?" : id);
    add(Fidelity::Mapped, file, at + "/name", fmt::format("sequence \"{}\" -> sequence {}", title, name));
    std::string head = fmt::format("  title {}\n  target {}\n", string_literal(title.empty() ? name : title), kEntity);
    head += settings_text(file, sequence, at);

    // HubSpot's own unenrolment, which `cadence export` relies on.
    std::string handlers =
        "  on replied exit \"replied\"\n  on meeting_booked exit \"meeting booked\"\n"
        "  on bounced exit \"bounced\"\n  on unsubscribed exit \"unsubscribed\"\n";
    add(Fidelity::Mapped, file, at,
        "HubSpot unenrols on a reply, a booked meeting, a bounce and an unsubscribe by itself -> on replied, "
        "meeting_booked, bounced and unsubscribed exit");
    add(Fidelity::Approximated, file, at + "/steps",
        "HubSpot's read returns no step variants: an email step with A/B variants is read as the template its step "
        "names",
        "add the other variants to the email by hand");
    if (const InJson* dependencies = member(sequence, "dependencies");
        dependencies != nullptr && dependencies->is_array()) {
      for (std::size_t i = 0; i < dependencies->size(); ++i) {
        const InJson& dependency = (*dependencies)[i];
        add(Fidelity::Approximated, file, fmt::format("{}/dependencies/{}", at, i),
            fmt::format("step {} waits for step {} ({}); in the language a step follows the one before it after its "
                        "wait",
                        integer(dependency, "requiredByStepOrder").value_or(-1),
                        integer(dependency, "reliesOnStepOrder").value_or(-1),
                        plain_text(text_member(dependency, "dependencyType"))),
            "expect the step to fall due whether or not the earlier task is done");
      }
    }

    const InJson& steps = *member(sequence, "steps");
    std::vector<std::pair<int64_t, std::size_t>> order;  // (stepOrder, index)
    for (std::size_t i = 0; i < steps.size(); ++i) {
      order.emplace_back(integer(steps[i], "stepOrder").value_or(static_cast<int64_t>(i)), i);
    }
    std::stable_sort(order.begin(), order.end());
    std::string body;
    std::set<std::string> labels;
    std::map<std::string, deploy::Json> records;
    if (!id.empty()) records["sequence"] = deploy::Json(id);
    int position = 0;
    bool finished = false;
    for (const auto& [step_order, index] : order) {
      const InJson& step = steps[index];
      const std::string pointer = fmt::format("{}/steps/{}", at, index);
      const std::string action = text_member(step, "actionType");
      if (finished) {
        add(Fidelity::Dropped, file, pointer,
            fmt::format("step {} comes after the step that finishes the enrolment, so no one reaches it", step_order));
        continue;
      }
      if (action == "ADAPTIVE_CONTAINER") {
        add(Fidelity::Unsupported, file, pointer + "/actionType",
            "an adaptive (branch) step: HubSpot's read does not say which steps belong to which branch, so the order "
            "of the touches cannot be known",
            "remove the branch in HubSpot, or write the sequence's branch in .cadence by hand");
        return;
      }
      body += wait_text(file, step, pointer);
      if (action == "FINISH_ENROLLMENT") {
        body += "  exit \"finished\"\n";
        add(Fidelity::Mapped, file, pointer, fmt::format("step {}: finish the enrolment -> exit", step_order));
        finished = true;
        continue;
      }
      ++position;
      if (action == "EMAIL") {
        body += email_text(file, step, pointer, position, true, labels, records);
      } else if (action == "TASK") {
        body += task_text(file, step, pointer, position, labels, records);
      } else {
        add(Fidelity::Unsupported, file, pointer + "/actionType",
            fmt::format("step {} has the action type \"{}\", which HubSpot does not document", step_order,
                        plain_text(action)));
      }
    }
    if (builder_.problems() > 0) return;
    if (position == 0) {
      add(Fidelity::Unsupported, file, at + "/steps",
          "the sequence has no email or task step, and a sequence needs at least one");
      return;
    }
    builder_.add_sequence(fmt::format("// HubSpot sequence {}.\nsequence {} {{\n{}\n{}\n{}}}\n",
                                      id.empty() ? "?" : plain_text(id), name, head, handlers, body),
                          name, records);
  }

  std::string settings_text(const std::string& file, const InJson& sequence, const std::string& at) {
    const InJson* settings = member(sequence, "settings");
    if (settings == nullptr || !settings->is_object()) {
      add(Fidelity::Approximated, file, at, "the read has no settings -> calendar business",
          "check the sequence's follow-up days in HubSpot");
      return "  calendar business\n";
    }
    const std::string where = at + "/settings";
    const std::string days = text_member(*settings, "eligibleFollowUpDays");
    std::string out;
    if (days == "EVERYDAY") {
      out = "  calendar all_days\n";
      add(Fidelity::Mapped, file, where + "/eligibleFollowUpDays", "EVERYDAY -> calendar all_days");
    } else {
      out = "  calendar business\n";
      add(days == "BUSINESS_DAYS" ? Fidelity::Mapped : Fidelity::Approximated, file, where + "/eligibleFollowUpDays",
          fmt::format("{} -> calendar business", days.empty() ? "no follow-up days" : plain_text(days)),
          days == "BUSINESS_DAYS" ? "" : "the language's business calendar skips Saturdays and Sundays");
    }
    const int64_t start = integer(*settings, "sendWindowStartMinute").value_or(kSendWindowStart);
    const int64_t end = integer(*settings, "sendWindowEndMinute").value_or(kSendWindowEnd);
    if (start != kSendWindowStart || end != kSendWindowEnd) {
      add(Fidelity::Dropped, file, where + "/sendWindowStartMinute",
          fmt::format("the send window {:02}:{:02}-{:02}:{:02} has no construct in the language; `cadence export` "
                      "writes 08:00-18:00",
                      start / 60, start % 60, end / 60, end % 60),
          "set the window in HubSpot's sequence settings after deploying");
    }
    if (const std::optional<int64_t> reminder = integer(*settings, "taskReminderMinute");
        reminder && *reminder != kReminderMinute) {
      add(Fidelity::Dropped, file, where + "/taskReminderMinute",
          fmt::format("task reminders at {:02}:{:02} have no construct in the language; `cadence export` writes "
                      "08:00",
                      *reminder / 60, *reminder % 60));
    }
    if (flag(*settings, "individualTaskRemindersEnabled")) {
      add(Fidelity::Dropped, file, where + "/individualTaskRemindersEnabled",
          "a reminder for every task has no construct in the language");
    }
    if (text_member(*settings, "sellingStrategy") == "ACCOUNT_BASED") {
      add(Fidelity::Dropped, file, where + "/sellingStrategy",
          "account-based selling (unenrolling a company's contacts together) has no construct in the language");
    }
    return out;
  }

  std::string wait_text(const std::string& file, const InJson& step, const std::string& pointer) {
    const int64_t millis =
        std::clamp<int64_t>(integer(step, "delayMillis").value_or(0), 0, kMaxDelayMinutes * kMillisPerMinute);
    const int64_t minutes = (millis + kMillisPerMinute / 2) / kMillisPerMinute;
    if (minutes * kMillisPerMinute != millis) {
      add(Fidelity::Approximated, file, pointer + "/delayMillis",
          fmt::format("a delay of {} ms -> {} whole minutes", millis, minutes));
    }
    std::string out;
    for (const std::string& wait : duration_literals(minutes)) out += fmt::format("  wait {}\n", wait);
    return out;
  }

  /// A task's label from the subject `cadence export` writes ("Call: NAME").
  std::string label_of(std::string_view subject, std::string_view prefix, const std::string& fallback,
                       std::set<std::string>& labels) {
    std::string_view wanted = subject;
    if (wanted.starts_with(prefix)) wanted.remove_prefix(prefix.size());
    return unique_name(wanted, fallback, labels);
  }

  std::string email_text(const std::string& file, const InJson& step, const std::string& pointer, int position,
                         bool automatic, std::set<std::string>& labels, std::map<std::string, deploy::Json>& records) {
    const char* pattern_name = automatic ? "emailPattern" : "taskPattern";
    const std::string at = fmt::format("{}/{}", pointer, pattern_name);
    static const InJson kNone = InJson::object();
    const InJson* pattern_member = member(step, pattern_name);
    const InJson& pattern = pattern_member != nullptr ? *pattern_member : kNone;
    const std::string template_id = id_text(member(pattern, "templateId"));
    const std::string label = unique_name(fmt::format("email_{}", position), "email", labels);
    if (template_id.empty()) {
      add(Fidelity::Unsupported, file, at, fmt::format("email step {} names no template", label));
      return {};
    }
    const auto found = templates_.find(template_id);
    if (found == templates_.end()) {
      add(Fidelity::Unsupported, file, at + "/templateId",
          fmt::format("template {} of email {} is not in the input", template_id, label),
          "include it: GET /automation/email-templates/2026-09-beta/" + template_id);
      return {};
    }
    const std::string name = template_name(template_id, found->second);
    records["template/" + name] = deploy::Json(template_id);
    if (member(pattern, "threadEmailToStepOrder") != nullptr) {
      add(Fidelity::Approximated, file, at + "/threadEmailToStepOrder",
          fmt::format("email {} replies in the thread of an earlier email; the language has no threading, and `cadence "
                      "export` sends it as a new thread",
                      label),
          "set the step to reply in the thread in HubSpot after deploying");
    }
    add(Fidelity::Mapped, file, pointer,
        fmt::format("{} -> email {} mode {}", automatic ? "automated EMAIL step" : "EMAIL task", label,
                    automatic ? "auto" : "manual"));
    return fmt::format("  email {} {{ template {} mode {} }}\n", label, name, automatic ? "auto" : "manual");
  }

  std::string task_text(const std::string& file, const InJson& step, const std::string& pointer, int position,
                        std::set<std::string>& labels, std::map<std::string, deploy::Json>& records) {
    static const InJson kNone = InJson::object();
    const InJson* pattern_member = member(step, "taskPattern");
    const InJson& pattern = pattern_member != nullptr ? *pattern_member : kNone;
    const std::string at = pointer + "/taskPattern";
    const std::string type = text_member(pattern, "taskType");
    const std::string subject = text_member(pattern, "subject");
    const std::string notes = spaced_variables(text_member(pattern, "notes"));
    const std::string priority = text_member(pattern, "taskPriority");
    if (!priority.empty() && priority != "NONE") {
      add(Fidelity::Dropped, file, at + "/taskPriority",
          fmt::format("the task's priority {} has no construct in the language", plain_text(priority)));
    }
    if (member(pattern, "queueId") != nullptr) {
      add(Fidelity::Dropped, file, at + "/queueId", "the task queue has no construct in the language",
          "put the task in its queue in HubSpot after deploying");
    }
    if (type == "EMAIL") return email_text(file, step, pointer, position, false, labels, records);
    auto note_of = [&](std::string_view text, std::string_view keyword) {
      return text.empty() ? std::string(" ")
                          : fmt::format(" {} {} ", keyword, builder_.text(text, file, at + "/notes"));
    };
    if (type == "CALL") {
      const std::string label = label_of(subject, "Call: ", fmt::format("call_{}", position), labels);
      add(Fidelity::Mapped, file, pointer, fmt::format("CALL task -> call {}", label));
      return fmt::format("  call {} {{{}}}\n", label, note_of(notes, "script"));
    }
    const auto exported = exported_linkedin_text(notes);
    if (type == "LINKED_IN_CONNECT" || type == "LINKED_IN_MESSAGE" || (type == "TODO" && exported)) {
      const std::string action = exported ? exported->first : type == "LINKED_IN_CONNECT" ? "connect" : "message";
      const std::string note = exported ? exported->second : notes;
      const std::string label = label_of(subject, "LinkedIn: ", fmt::format("linkedin_{}", position), labels);
      const bool exact =
          (type == "LINKED_IN_CONNECT" && action == "connect") || (type == "LINKED_IN_MESSAGE" && action == "message");
      add(exact ? Fidelity::Mapped : Fidelity::Approximated, file, pointer,
          fmt::format("{} task{} -> linkedin {} {}", type,
                      exported ? fmt::format(" noted \"LinkedIn {}:\"", action) : "", action, label),
          exact ? "" : "make it a task if it is not a LinkedIn touch");
      return fmt::format("  linkedin {} {} {{{}}}\n", action, label, note_of(note, "note"));
    }
    const std::string label = label_of(subject, "Task: ", fmt::format("task_{}", position), labels);
    if (type == "TODO") {
      add(Fidelity::Mapped, file, pointer, fmt::format("TODO task -> task {}", label));
      return fmt::format("  task {} {{{}}}\n", label, note_of(notes, "note"));
    }
    const std::string what = type.empty() ? std::string("a task without a type") : fmt::format("a {} task", type);
    const std::string text = notes.empty() ? subject : notes;
    add(Fidelity::Approximated, file, at + "/taskType",
        fmt::format("{} -> task {} whose note names it", plain_text(what), label),
        "make it a call, email, LinkedIn or task step");
    return fmt::format("  task {} {{{}}}\n", label,
                       note_of(text.empty() ? what : fmt::format("{}: {}", what, text), "note"));
  }

  /// The template's name in the source, writing it the first time.
  std::string template_name(const std::string& id, const TemplateRead& read) {
    if (const auto it = template_names_.find(id); it != template_names_.end()) return it->second;
    const InJson& json = *read.json;
    std::string name = builder_.template_name(
        {*read.file, read.pointer, read.pointer + "/subject", read.pointer + "/body"}, id, text_member(json, "name"),
        spaced_variables(text_member(json, "subject")), spaced_variables(text_member(json, "body")));
    template_names_.emplace(id, name);
    if (member(json, "folderId") != nullptr) {
      add(Fidelity::Dropped, *read.file, read.pointer + "/folderId",
          fmt::format("template {}: its folder has no construct in the language", name));
    }
    return name;
  }

  const std::vector<Input>& inputs_;
  SourceBuilder builder_{"hubspot", "HubSpot", exporter::hubspot_variables()};
  std::map<std::string, TemplateRead> templates_;      // by HubSpot id
  std::map<std::string, std::string> template_names_;  // by HubSpot id
};

}  // namespace

Result import_hubspot(const std::vector<Input>& inputs) { return HubSpotImporter(inputs).run(); }

}  // namespace cadence::importer
