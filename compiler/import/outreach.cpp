// Outreach's read API (REST API v2, JSON:API) as .cadence source: the reverse
// of export/outreach.cpp. A sequence is read with its sequenceSteps (by
// `order`), each email step's sequenceTemplates and their templates, from
// `data` and `included` of one or more documents
// (`GET /sequences/{id}?include=sequenceSteps.sequenceTemplates.template`, or
// the separate reads of each).
//
// Facts used (Outreach's API reference): `interval` is seconds before a step;
// stepType is auto_email, manual_email, call or task (LinkedIn types are
// undocumented: linkedin_send_connection_request, linkedin_send_message,
// linkedin_view_profile, linkedin_interact_with_post, linkedin_other);
// several sequenceTemplates on one step rotate evenly; reply actions are
// finish, continue or pause with a pause duration in seconds; Outreach
// finishes bounced and opted-out prospects itself; `sequenceType` "date"
// runs steps on fixed dates, which the language has no construct for.

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "deploy/deploy.hpp"
#include "export/common.hpp"
#include "export/targets.hpp"
#include "import/builder.hpp"
#include "import/importer.hpp"
#include "import/writer.hpp"
#include "support/civil_date.hpp"
#include "support/duration.hpp"

namespace cadence::importer {
namespace {

using InJson = nlohmann::json;

constexpr int64_t kSecondsPerMinute = 60;
/// Longer intervals and gaps between dates are read as a year: no sequence
/// waits longer between two touches.
constexpr int64_t kMaxIntervalMinutes = 365 * kMinutesPerDay;
/// A daily add cap above this is read as this (the language's numbers stop
/// at a billion, and no owner adds more prospects a day).
constexpr int64_t kMaxAddsPerDay = 100000;

std::string escape_pointer(std::string_view part) {
  std::string out;
  for (const char c : part) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

/// A resource of the input, with where it was read.
struct Resource {
  const InJson* json = nullptr;
  const std::string* file = nullptr;
  std::string pointer;

  [[nodiscard]] std::string at(std::string_view member) const {
    return fmt::format("{}/attributes/{}", pointer, escape_pointer(member));
  }
  [[nodiscard]] const InJson& attributes() const {
    static const InJson kNone = InJson::object();
    const auto it = json->find("attributes");
    return it != json->end() && it->is_object() ? *it : kNone;
  }
  [[nodiscard]] std::optional<std::string> text(std::string_view member) const {
    const InJson& all = attributes();
    const auto it = all.find(member);
    if (it == all.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  }
  [[nodiscard]] std::optional<int64_t> integer(std::string_view member) const {
    const InJson& all = attributes();
    const auto it = all.find(member);
    if (it == all.end()) return std::nullopt;
    if (it->is_number_integer()) return it->get<int64_t>();
    if (it->is_number_float() && it->get<double>() >= 0 && it->get<double>() < 9e15) {
      return static_cast<int64_t>(it->get<double>());
    }
    return std::nullopt;
  }
  [[nodiscard]] bool has(std::string_view member) const {
    const InJson& all = attributes();
    const auto it = all.find(member);
    return it != all.end() && !it->is_null();
  }
  /// The id a to-one relationship names ("" when it names none).
  [[nodiscard]] std::string related(std::string_view relationship) const;
  [[nodiscard]] std::string id() const { return id_text(json->value("id", InJson())); }
  /// The id as the platform wrote it (Outreach's are numbers).
  [[nodiscard]] nlohmann::ordered_json platform_id() const {
    const InJson& id = json->at("id");
    if (id.is_number_integer()) return id.get<int64_t>();
    return id_text(id);
  }

  static std::string id_text(const InJson& id) {
    if (id.is_string()) return id.get<std::string>();
    if (id.is_number_integer()) return std::to_string(id.get<int64_t>());
    return {};
  }
};

std::string Resource::related(std::string_view relationship) const {
  const auto relationships = json->find("relationships");
  if (relationships == json->end() || !relationships->is_object()) return {};
  const auto link = relationships->find(relationship);
  if (link == relationships->end() || !link->is_object()) return {};
  const auto data = link->find("data");
  if (data == link->end() || !data->is_object()) return {};
  return id_text(data->value("id", InJson()));
}

/// The resources of every input, by type and id (the first read of each wins).
class Index {
 public:
  /// Takes the resources of `input`; false when it has none.
  bool add(const Input& input) {
    const InJson& document = input.document;
    bool any = false;
    if (document.is_object()) {
      if (const auto data = document.find("data"); data != document.end()) {
        if (data->is_array()) {
          for (std::size_t i = 0; i < data->size(); ++i) any |= take(input, (*data)[i], fmt::format("/data/{}", i));
        } else {
          any |= take(input, *data, "/data");
        }
      }
      if (const auto included = document.find("included"); included != document.end() && included->is_array()) {
        for (std::size_t i = 0; i < included->size(); ++i) {
          any |= take(input, (*included)[i], fmt::format("/included/{}", i));
        }
      }
    }
    return any;
  }

  [[nodiscard]] const Resource* find(const std::string& type, const std::string& id) const {
    const auto it = resources_.find({type, id});
    return it == resources_.end() ? nullptr : &it->second;
  }

  /// Every resource of `type`, in the order of their ids (numbers by value).
  [[nodiscard]] std::vector<const Resource*> all(const std::string& type) const {
    std::vector<const Resource*> out;
    for (const auto& [key, resource] : resources_) {
      if (key.first == type) out.push_back(&resource);
    }
    std::stable_sort(out.begin(), out.end(), [](const Resource* a, const Resource* b) {
      const std::string x = a->id(), y = b->id();
      return x.size() != y.size() ? x.size() < y.size() : x < y;
    });
    return out;
  }

 private:
  bool take(const Input& input, const InJson& resource, std::string pointer) {
    if (!resource.is_object() || !resource.contains("type") || !resource["type"].is_string()) return false;
    const std::string id = Resource::id_text(resource.value("id", InJson()));
    if (id.empty()) return false;
    resources_.emplace(std::make_pair(resource["type"].get<std::string>(), id),
                       Resource{&resource, &input.path, std::move(pointer)});
    return true;
  }

  std::map<std::pair<std::string, std::string>, Resource> resources_;
};

/// The LinkedIn action of an undocumented Outreach LinkedIn step type.
std::optional<std::string_view> linkedin_action(std::string_view step_type) {
  if (step_type == "linkedin_send_connection_request") return "connect";
  if (step_type == "linkedin_send_message") return "message";
  if (step_type == "linkedin_view_profile" || step_type == "linkedin_interact_with_post" ||
      step_type == "linkedin_other") {
    return "research";
  }
  return std::nullopt;
}

class OutreachImporter {
 public:
  explicit OutreachImporter(const std::vector<Input>& inputs) {
    for (const Input& input : inputs) {
      if (!index_.add(input)) not_a_document(input);
    }
  }

  Result run() {
    std::vector<const Resource*> sequences = index_.all("sequence");
    if (sequences.empty() && builder_.problems() == 0) {
      builder_.add(Fidelity::Unsupported, "", "", "the input holds no sequence (a resource of type \"sequence\")",
                   "include the answer of GET /api/v2/sequences/{id}");
    }
    for (const Resource* sequence : sequences) sequence_text(*sequence);
    return builder_.finish();
  }

  void not_a_document(const Input& input) {
    builder_.add(Fidelity::Unsupported, input.path, "",
                 "this is not an Outreach JSON:API document: it has no resource with a type and an id in `data` or "
                 "`included`",
                 "give the answers of GET /api/v2/sequences/{id}?include=sequenceSteps.sequenceTemplates.template, or "
                 "of the separate reads of the sequence, its steps and templates");
  }

 private:
  void add(Fidelity fidelity, const Resource& resource, std::string pointer, std::string message,
           std::string help = {}) {
    builder_.add(fidelity, *resource.file, std::move(pointer), std::move(message), std::move(help));
  }

  /// The name of the sequence in the source: the one `cadence export` tagged
  /// it with ("cadence:NAME"), else its Outreach name as a name.
  std::string sequence_name(const Resource& sequence) {
    std::string tagged;
    const InJson& attributes = sequence.attributes();
    if (const auto tags = attributes.find("tags"); tags != attributes.end() && tags->is_array()) {
      for (const InJson& tag : *tags) {
        if (tag.is_string() && tag.get<std::string>().starts_with("cadence:")) {
          tagged = tag.get<std::string>().substr(8);
          break;
        }
      }
    }
    return builder_.sequence_name(tagged, sequence.text("name").value_or(""), sequence.id());
  }

  void sequence_text(const Resource& sequence) {
    const std::string name = sequence_name(sequence);
    const std::string title = plain_text(sequence.text("name").value_or(name));
    std::map<std::string, deploy::Json> requests;
    requests["sequence"] = sequence.platform_id();
    std::string head;
    std::string body;
    head += fmt::format("  title {}\n  target {}\n", string_literal(title), kEntity);
    add(Fidelity::Mapped, sequence, sequence.at("name"),
        fmt::format("sequence {} \"{}\" -> sequence {}", sequence.id(), title, name));

    if (const std::optional<int64_t> adds = sequence.integer("throttleMaxAddsPerDay"); adds && *adds > 0) {
      const int64_t rate = std::min(*adds, kMaxAddsPerDay);
      head += fmt::format("  enroll {}/day\n", rate);
      add(rate == *adds ? Fidelity::Mapped : Fidelity::Approximated, sequence, sequence.at("throttleMaxAddsPerDay"),
          fmt::format("at most {} prospects added a day -> enroll {}/day", *adds, rate));
    }
    if (sequence.has("throttleCapacity")) {
      add(Fidelity::Dropped, sequence, sequence.at("throttleCapacity"),
          "the cap on active prospects per user (throttleCapacity) has no construct in the language",
          "keep the setting in Outreach; `enroll` says how many are added a day");
    }
    const std::string interval_type = sequence.text("scheduleIntervalType").value_or("calendar");
    if (interval_type == "schedule") {
      head += "  calendar business\n";
      add(Fidelity::Approximated, sequence, sequence.at("scheduleIntervalType"),
          "intervals counted on the delivery schedule -> calendar business (waits count working days)",
          "check that the sequence's schedule in Outreach is Monday to Friday");
    } else {
      head += "  calendar all_days\n";
      add(Fidelity::Mapped, sequence, sequence.at("scheduleIntervalType"),
          "intervals in calendar time -> calendar all_days");
    }
    const bool date_based = sequence.text("sequenceType").value_or("interval") == "date";
    if (date_based) {
      add(Fidelity::Approximated, sequence, sequence.at("sequenceType"),
          "a date sequence runs each step on a fixed date; the language times steps from enrolment, so each step "
          "waits the days between its date and the previous step's, and the first runs at enrolment",
          "check the waits, and enrol prospects on the first step's date");
    }
    if (const std::optional<std::string> share = sequence.text("shareType"); share && *share != "private") {
      add(Fidelity::Dropped, sequence, sequence.at("shareType"),
          fmt::format("the sequence's sharing (shareType {}) is not carried: `cadence export` creates sequences "
                      "private",
                      *share),
          "share it again in Outreach after deploying");
    }
    if (const std::optional<std::string> description = sequence.text("description");
        description && !description->empty() && !description->starts_with("Compiled by cadence from ")) {
      add(Fidelity::Approximated, sequence, sequence.at("description"),
          "the description is kept as a comment; `cadence export` writes a description of its own");
      std::string comment = comment_lines(*description);
      body_comment_ = std::move(comment);
    } else {
      body_comment_.clear();
    }

    // Handlers: replies, automatic replies, and the exits Outreach always makes.
    std::string handlers;
    reply_handler(sequence, "primary", "replied", handlers);
    reply_handler(sequence, "secondary", "out_of_office", handlers);
    handlers += "  on bounced exit \"bounced\"\n  on unsubscribed exit \"unsubscribed\"\n";

    // Steps, by order.
    std::vector<const Resource*> steps;
    for (const Resource* step : index_.all("sequenceStep")) {
      if (step->related("sequence") == sequence.id()) steps.push_back(step);
    }
    std::stable_sort(steps.begin(), steps.end(), [](const Resource* a, const Resource* b) {
      return a->integer("order").value_or(0) < b->integer("order").value_or(0);
    });
    if (steps.empty()) {
      add(Fidelity::Unsupported, sequence, sequence.pointer,
          fmt::format("sequence {} has no steps in the input, and a sequence needs at least one", sequence.id()),
          "include its steps: GET /api/v2/sequenceSteps?filter[sequence][id]=" + sequence.id());
      return;
    }
    std::set<std::string> labels;
    int position = 0;
    std::optional<int64_t> previous_date;
    for (const Resource* step : steps) {
      ++position;
      if (date_based) {
        // The days since the previous step's date, as a wait.
        const std::optional<int64_t> date = parse_iso_date(step->text("date").value_or("").substr(0, 10));
        if (!date) {
          add(Fidelity::Dropped, *step, step->at("date"),
              fmt::format("step {} of a date sequence has no date (YYYY-MM-DD); it follows the previous step at once",
                          position));
        } else {
          if (previous_date && *date > *previous_date) {
            const int64_t days = std::min(*date - *previous_date, kMaxIntervalMinutes / kMinutesPerDay);
            for (const std::string& wait : duration_literals(days * kMinutesPerDay)) {
              body += fmt::format("  wait {}\n", wait);
            }
          }
          previous_date = date;
        }
      }
      body += step_text(*step, position, date_based, labels, requests);
    }
    std::string text = body_comment_;
    text += fmt::format("// Outreach sequence {}.\nsequence {} {{\n{}\n{}\n{}}}\n", plain_text(sequence.id()), name,
                        head, handlers, body);
    builder_.add_sequence(std::move(text), name, requests);
  }

  void reply_handler(const Resource& sequence, std::string_view which, std::string_view event, std::string& out) {
    const std::string member = fmt::format("{}ReplyAction", which);
    const std::string action = sequence.text(member).value_or("continue");
    const bool primary = which == "primary";
    if (action == "finish") {
      out += fmt::format("  on {} exit \"{}\"\n", event, primary ? "replied" : "automatic reply");
      add(primary ? Fidelity::Mapped : Fidelity::Approximated, sequence, sequence.at(member),
          fmt::format("{} reply action finish -> on {} exit", which, event),
          primary ? "" : "Outreach applies it to every automatic reply, not only out-of-office notices");
    } else if (action == "pause") {
      const std::string duration_member = fmt::format("{}ReplyPauseDuration", which);
      const int64_t seconds = std::clamp<int64_t>(sequence.integer(duration_member).value_or(0), 0,
                                                  kMaxWaitMinutes * kSecondsPerMinute * 2);
      int64_t minutes = (seconds + kSecondsPerMinute - 1) / kSecondsPerMinute;
      const int64_t wanted = minutes;
      minutes = std::clamp<int64_t>(minutes, 1, kMaxWaitMinutes);
      out += fmt::format("  on {} pause {}\n", event, duration_literals(minutes).front());
      const bool exact = minutes * kSecondsPerMinute == seconds && minutes == wanted;
      add(primary && exact ? Fidelity::Mapped : Fidelity::Approximated, sequence, sequence.at(duration_member),
          fmt::format("{} reply action pause for {} s -> on {} pause {}{}", which, seconds, event,
                      duration_literals(minutes).front(),
                      exact ? "" : " (a pause is whole minutes, 1 minute to 30 days)"),
          primary ? "" : "Outreach applies it to every automatic reply, not only out-of-office notices");
    } else {
      add(Fidelity::Mapped, sequence, sequence.at(member),
          fmt::format("{} reply action {} -> no `on {}` handler: {} do not stop the sequence", which, action, event,
                      primary ? "replies" : "automatic replies"));
    }
  }

  std::string step_text(const Resource& step, int position, bool date_based, std::set<std::string>& labels,
                        std::map<std::string, deploy::Json>& requests) {
    std::string out;
    const std::string type = step.text("stepType").value_or("");
    if (!date_based) {
      const int64_t seconds = step.integer("interval").value_or(0);
      const int64_t minutes =
          std::clamp<int64_t>(seconds, 0, kMaxIntervalMinutes * kSecondsPerMinute) / kSecondsPerMinute +
          (seconds % kSecondsPerMinute >= kSecondsPerMinute / 2 ? 1 : 0);
      for (const std::string& wait : duration_literals(minutes)) out += fmt::format("  wait {}\n", wait);
      if (minutes * kSecondsPerMinute != seconds) {
        add(Fidelity::Approximated, step, step.at("interval"),
            fmt::format("an interval of {} s -> {} whole minutes", seconds, minutes));
      }
    }
    if (step.has("taskAutoskipDelay")) {
      add(Fidelity::Dropped, step, step.at("taskAutoskipDelay"),
          "the delay after which Outreach skips an unfinished task has no construct in the language");
    }
    const std::string note = step.text("taskNote").value_or("");
    auto kind_label = [&](std::string_view kind) {
      std::string label = unique_name(fmt::format("{}_{}", kind, position), "step", labels);
      requests["sequenceStep/" + label] = step.platform_id();
      return label;
    };
    if (type == "auto_email" || type == "manual_email") {
      const std::string label = kind_label("email");
      out += email_text(step, label, type == "auto_email", requests);
      return out;
    }
    if (type == "call") {
      const std::string label = kind_label("call");
      out += fmt::format("  call {} {{{}}}\n", label,
                         note.empty() ? " " : fmt::format(" script {} ", text_of(step, note, "taskNote")));
      add(Fidelity::Mapped, step, step.pointer, fmt::format("call step {} -> call {}", position, label));
      return out;
    }
    if (const std::optional<std::string_view> action = linkedin_action(type)) {
      const std::string label = kind_label("linkedin");
      out += fmt::format("  linkedin {} {} {{ note {} }}\n", *action, label, text_of(step, note, "taskNote"));
      add(Fidelity::Approximated, step, step.at("stepType"),
          fmt::format("{} (a LinkedIn step type Outreach does not document) -> linkedin {} {}", type, *action, label),
          "`cadence export` writes LinkedIn steps to Outreach as tasks");
      return out;
    }
    if (type == "task") {
      if (const auto linkedin = exported_linkedin_text(note)) {
        const std::string label = kind_label("linkedin");
        out += fmt::format("  linkedin {} {} {{ note {} }}\n", linkedin->first, label,
                           text_of(step, linkedin->second, "taskNote"));
        add(Fidelity::Approximated, step, step.at("taskNote"),
            fmt::format("a task whose note begins \"LinkedIn {}:\" -> linkedin {} {}", linkedin->first, linkedin->first,
                        label),
            "make it a task if it is not a LinkedIn touch");
        return out;
      }
      const std::string label = kind_label("task");
      out += fmt::format("  task {} {{{}}}\n", label,
                         note.empty() ? " " : fmt::format(" note {} ", text_of(step, note, "taskNote")));
      add(Fidelity::Mapped, step, step.pointer, fmt::format("task step {} -> task {}", position, label));
      return out;
    }
    const std::string label = kind_label("task");
    const std::string what = type.empty() ? "a step without a stepType" : fmt::format("step type {}", type);
    const std::string text = note.empty() ? what : fmt::format("{}: {}", what, note);
    out += fmt::format("  task {} {{ note {} }}\n", label, text_of(step, text, "taskNote"));
    add(Fidelity::Approximated, step, step.at("stepType"),
        fmt::format("{} is not one the language has -> task {} whose note names it", what, label),
        "make it an email, call, LinkedIn or task step");
    return out;
  }

  /// A text of the platform as a string literal, its variables as merge fields.
  std::string text_of(const Resource& resource, std::string_view text, std::string_view member) {
    return builder_.text(text, *resource.file, resource.at(member));
  }

  std::string email_text(const Resource& step, const std::string& label, bool automatic,
                         std::map<std::string, deploy::Json>& requests) {
    // The step's sequenceTemplates: those that name it, in the order of their ids.
    std::vector<const Resource*> links;
    for (const Resource* link : index_.all("sequenceTemplate")) {
      if (link->related("sequenceStep") != step.id()) continue;
      const InJson& attributes = link->attributes();
      if (const auto enabled = attributes.find("enabled");
          enabled != attributes.end() && enabled->is_boolean() && !enabled->get<bool>()) {
        add(Fidelity::Dropped, *link, link->at("enabled"),
            fmt::format("sequenceTemplate {} of email {} is switched off in Outreach and is not imported", link->id(),
                        label));
        continue;
      }
      links.push_back(link);
    }
    static constexpr std::size_t kMaxVariants = 10;  // each at least 10%
    if (links.size() > kMaxVariants) {
      for (std::size_t i = kMaxVariants; i < links.size(); ++i) {
        add(Fidelity::Dropped, *links[i], links[i]->pointer,
            fmt::format("email {} rotates {} templates; a step has at most {} variants (10% each), so this one is "
                        "left out",
                        label, links.size(), kMaxVariants));
      }
      links.resize(kMaxVariants);
    }
    if (links.empty()) {
      add(Fidelity::Unsupported, step, step.pointer,
          fmt::format("email step {} has no template in the input", step.id()),
          "include its sequenceTemplates and templates: GET /api/v2/sequenceTemplates?filter[sequenceStep][id]=" +
              step.id() + "&include=template");
      return {};
    }
    std::vector<std::string> names;
    for (const Resource* link : links) {
      const Resource* found = index_.find("template", link->related("template"));
      if (found == nullptr) {
        add(Fidelity::Unsupported, *link, link->pointer + "/relationships/template",
            fmt::format("template {} of email {} is not in the input", link->related("template"), label),
            "include it: GET /api/v2/templates/" + link->related("template"));
        return {};
      }
      if (const auto reply = link->attributes().find("isReply");
          reply != link->attributes().end() && reply->is_boolean() && reply->get<bool>()) {
        add(Fidelity::Approximated, *link, link->at("isReply"),
            fmt::format("email {} replies in the thread of the previous email; the language has no threading, and "
                        "`cadence export` sends it as a new thread",
                        label),
            "set the template to reply in Outreach after deploying");
      }
      const std::string name = template_name(*found);
      names.push_back(name);
      requests["template/" + name] = found->platform_id();
      requests[fmt::format("sequenceTemplate/{}/{}", label, name)] = link->platform_id();
    }
    add(Fidelity::Mapped, step, step.at("stepType"),
        fmt::format("{} step -> email {} mode {}", automatic ? "auto_email" : "manual_email", label,
                    automatic ? "auto" : "manual"));
    const char* mode = automatic ? "auto" : "manual";
    if (names.size() == 1) return fmt::format("  email {} {{ template {} mode {} }}\n", label, names.front(), mode);
    add(Fidelity::Mapped, step, step.pointer,
        fmt::format("{} templates Outreach rotates evenly -> {} variants of email {}", names.size(), names.size(),
                    label));
    std::string out = fmt::format("  email {} {{\n", label);
    const int count = static_cast<int>(names.size());
    for (int i = 0; i < count; ++i) {
      const int share = 100 / count + (i < 100 % count ? 1 : 0);
      out += fmt::format("    variant {} {}% template {}\n", static_cast<char>('a' + i), share, names[i]);
    }
    out += fmt::format("    mode {}\n  }}\n", mode);
    return out;
  }

  /// The template's name in the source, writing it the first time.
  std::string template_name(const Resource& resource) {
    if (const auto it = template_names_.find(resource.id()); it != template_names_.end()) return it->second;
    std::string name =
        builder_.template_name({*resource.file, resource.pointer, resource.at("subject"), resource.at("bodyHtml")},
                               resource.id(), resource.text("name").value_or(""), resource.text("subject").value_or(""),
                               resource.text("bodyHtml").value_or(""));
    template_names_.emplace(resource.id(), name);
    if (resource.has("toRecipients") || resource.has("ccRecipients") || resource.has("bccRecipients")) {
      add(Fidelity::Dropped, resource, resource.pointer + "/attributes",
          fmt::format("template {}: its extra recipients (to, cc, bcc) have no construct in the language", name));
    }
    return name;
  }

  Index index_;
  SourceBuilder builder_{"outreach", "Outreach", exporter::outreach_variables()};
  std::map<std::string, std::string> template_names_;  // by Outreach id
  std::string body_comment_;
};

}  // namespace

Result import_outreach(const std::vector<Input>& inputs) { return OutreachImporter(inputs).run(); }

}  // namespace cadence::importer
