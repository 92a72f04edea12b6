#include "export/common.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "cadence/vocabulary.hpp"
#include "support/escape.hpp"
#include "support/sha256.hpp"

namespace cadence::exporter {
namespace {

int64_t number(const Json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string string_member(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json& member(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it != object.end() ? *it : kNull;
}

/// Paragraphs (separated by blank lines) in <p>, lines within one joined by <br>.
std::string html_layout(std::string_view text) {
  std::vector<std::vector<std::string>> paragraphs(1);
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) {
      if (!paragraphs.back().empty()) paragraphs.emplace_back();
    } else {
      paragraphs.back().push_back(xml_escape(line));
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& paragraph : paragraphs) {
    if (paragraph.empty()) continue;
    out += "<p>";
    for (std::size_t i = 0; i < paragraph.size(); ++i) {
      if (i > 0) out += "<br>";
      out += paragraph[i];
    }
    out += "</p>";
  }
  return out;
}

std::string quoted_list(const std::set<std::string>& values) {
  std::string out;
  for (const std::string& value : values) {
    if (!out.empty()) out += ", ";
    out += value.front() == '{' ? value : fmt::format("\"{}\"", value);
  }
  return out;
}

}  // namespace

std::optional<std::string> Variables::of(bool of_owner, std::string_view field) const {
  const auto& table = of_owner ? owner : record;
  const auto it = table.find(field);
  if (it == table.end()) return std::nullopt;
  return std::string(it->second);
}

void report_trailing_wait(const Flow& flow, std::string_view finishes, Findings& findings) {
  if (flow.exit == nullptr || flow.trailing_minutes <= 0) return;
  findings.at_step(*flow.exit, Fidelity::Dropped,
                   fmt::format("the {} wait before the exit is dropped: {} finishes with its last step",
                               duration_text(flow.trailing_minutes), finishes),
                   "a reply in that time no longer counts for the sequence; end on the last touch");
}

std::string custom_as_task(const Json& step, std::string note, std::string_view target_title, std::string_view as,
                           Findings& findings) {
  const std::string activity = string_member(step, "activity");
  findings.at_step(step, Fidelity::Approximated,
                   fmt::format("custom '{}' -> {}: {} has no custom activities, so the task says to record a {} "
                               "activity",
                               string_member(step, "id"), as, target_title, activity),
                   "the seller records the activity by hand; keep custom steps for Dynamics 365");
  return note.empty() ? fmt::format("Record a {} activity", activity)
                      : fmt::format("Record a {} activity: {}", activity, note);
}

Findings::Findings(const Json& sequence) : sequence_(sequence) {
  for (const Json& step : member(sequence, "steps")) {
    const std::string id = string_member(step, "id");
    if (!id.empty()) steps_.emplace(id, &step);
  }
}

void Findings::add(Fidelity fidelity, std::string subject, std::string message, std::string help, bool warn) {
  Finding finding{fidelity, std::move(subject),           std::move(message), std::move(help),
                  warn,     member(sequence_, "location")};
  if (const auto it = steps_.find(finding.subject); it != steps_.end()) {
    const Json& location = member(*it->second, "location");
    if (!location.is_null()) finding.location = location;
  }
  if (fidelity == Fidelity::Mapped) finding.warn = false;
  if (fidelity == Fidelity::Unsupported) unsupported_ = true;
  findings_.push_back(std::move(finding));
}

void Findings::at_step(const Json& step, Fidelity fidelity, std::string message, std::string help, bool warn) {
  add(fidelity, string_member(step, "id"), std::move(message), std::move(help), warn);
}

std::optional<Flow> read_flow(const Json& sequence, std::string_view target_title, std::string_view why_no_branches,
                              std::string_view sms_types, Findings& findings) {
  const Json& steps = member(sequence, "steps");
  std::map<std::string, const Json*, std::less<>> by_id;
  bool branched = false;
  for (const Json& step : steps) {
    by_id.emplace(string_member(step, "id"), &step);
    const std::string kind = string_member(step, "kind");
    if (kind == "sms") {
      findings.at_step(
          step, Fidelity::Unsupported,
          fmt::format("sms '{}' cannot be exported to {}: {}", string_member(step, "id"), target_title, sms_types),
          "make it a task that says what to text, or deploy the sequence where SMS steps run");
    }
    if (kind == "branch" || kind == "outcome_branch") {
      branched = true;
      const std::string what = kind == "branch"
                                   ? "a branch on what the prospect did"
                                   : fmt::format("a branch on the outcome of call '{}'", string_member(step, "call"));
      findings.at_step(step, Fidelity::Unsupported,
                       fmt::format("{} cannot be exported to {}: {}", what, target_title, why_no_branches),
                       fmt::format("keep a straight-line version of the sequence for {} (one path of touches), or "
                                   "deploy this one where branches run",
                                   target_title));
    }
  }
  if (branched) return std::nullopt;

  Flow flow;
  int64_t previous = 0;
  // Offsets are the edges' delays added up along the line (what the plan's
  // timing says of a straight line, but never taken on trust from it).
  int64_t offset = 0;
  std::string id = string_member(sequence, "entry");
  // A well-formed plan never loops; a hand-edited one could.
  for (std::size_t visited = 0; !id.empty() && visited <= steps.size(); ++visited) {
    const auto it = by_id.find(id);
    if (it == by_id.end()) break;
    const Json& step = *it->second;
    const std::string kind = string_member(step, "kind");
    if (vocabulary::is_activity_name(kind)) {
      flow.touches.push_back({&step, offset, offset - previous});
      previous = offset;
    } else if (kind == "exit") {
      flow.exit = &step;
      flow.trailing_minutes = offset - previous;
      const Json& outcome = member(step, "outcome");
      if (outcome.is_object()) {
        findings.at_step(
            step, Fidelity::Dropped,
            fmt::format("exit \"{}\" then {}: {} finishes the sequence but does not {}", string_member(step, "reason"),
                        string_member(outcome, "kind"), target_title,
                        string_member(outcome, "kind") == "handoff" ? "start another sequence" : "change the record"),
            fmt::format("start that work from an automation in {} when prospects finish", target_title));
      }
      break;
    }
    const Json& next = member(step, "next");
    id = next.is_array() && !next.empty() ? string_member(next.front(), "step") : std::string();
    if (!id.empty()) offset += number(next.front(), "min_delay_minutes");
  }
  return flow;
}

namespace {

/// Records each tag or comment opener of a template language in the text
/// the user wrote ("{% if", "{#"), with the words that follow it.
void find_template_code(std::string_view text, std::set<std::string>& found) {
  for (std::size_t at = text.find('{'); at != std::string_view::npos; at = text.find('{', at + 1)) {
    if (at + 1 >= text.size() || (text[at + 1] != '%' && text[at + 1] != '#')) continue;
    std::size_t end = at + 2;
    while (end < text.size() && end < at + 24 && text[end] != '\n' && text[end] != '%' && text[end] != '#' &&
           text[end] != '}')
      ++end;
    std::string_view snippet = text.substr(at, end - at);
    while (!snippet.empty() && snippet.back() == ' ') snippet.remove_suffix(1);
    found.emplace(snippet);
  }
}

}  // namespace

Rendered render_text(const Json& text, const Variables& variables, bool html) {
  Rendered rendered;
  const std::string source = string_member(text, "text");
  find_template_code(source, rendered.template_code);
  std::string plain;
  std::size_t position = 0;
  for (const Json& field : member(text, "merge_fields")) {
    const std::string written = string_member(field, "text");
    const std::size_t at = written.empty() ? std::string::npos : source.find(written, position);
    if (at == std::string::npos) continue;
    plain.append(source, position, at - position);
    const bool owner = string_member(field, "entity") == "owner";
    if (const std::optional<std::string> variable = variables.of(owner, string_member(field, "field"))) {
      plain += *variable;
      const Json& fallback = member(field, "fallback");
      // An empty fallback renders as an empty variable does: nothing is lost.
      if (fallback.is_string() && !fallback.get<std::string>().empty()) {
        rendered.fallbacks.insert(fallback.get<std::string>());
      }
    } else {
      plain += written;
      rendered.unknown.insert(written);
    }
    position = at + written.size();
  }
  plain.append(source, position);
  rendered.text = html ? html_layout(plain) : plain;
  return rendered;
}

void report_rendering(const Json& step, const Rendered& rendered, std::string_view what, std::string_view target_title,
                      Findings& findings) {
  if (!rendered.unknown.empty()) {
    findings.at_step(step, Fidelity::Unsupported,
                     fmt::format("{} uses the merge field{} {}, which {} has no variable for", what,
                                 rendered.unknown.size() == 1 ? "" : "s", quoted_list(rendered.unknown), target_title),
                     fmt::format("use the fields {} knows (first and last name, company, title, email, phone, and the "
                                 "sender's), or write the text out",
                                 target_title));
  }
  if (!rendered.template_code.empty()) {
    findings.at_step(
        step, Fidelity::Approximated,
        fmt::format("{} holds template code ({}): {}'s template engine would run it, so prospects would not read it "
                    "as written",
                    what, quoted_list(rendered.template_code), target_title),
        "write the text without '{%' and '{#'; branch in the sequence instead of in the template");
  }
  if (!rendered.fallbacks.empty()) {
    findings.at_step(
        step, Fidelity::Approximated,
        fmt::format("{}: {}'s variables carry no fallback, so {} {} dropped", what, target_title,
                    rendered.fallbacks.size() == 1 ? "the fallback" : "the fallbacks",
                    quoted_list(rendered.fallbacks) + (rendered.fallbacks.size() == 1 ? " is" : " are")),
        fmt::format("remove the fallbacks and enrol only records that have the fields (a segment `where FIELD is "
                    "not null`), or give the variables default values in {}",
                    target_title));
  }
}

RenderedTemplate render_template(const Templates& templates, std::string_view name, const Variables& variables) {
  RenderedTemplate rendered;
  if (const Json* item = templates.find(name)) {
    rendered.subject = render_text(member(*item, "subject"), variables, false).text;
    rendered.body = render_text(member(*item, "body"), variables, true).text;
  }
  return rendered;
}

void report_templates(const Templates& templates, const Json& step, const std::vector<Variant>& variants,
                      const Variables& variables, std::string_view target_title, std::set<std::string>& reported,
                      Findings& findings) {
  for (const Variant& variant : variants) {
    if (!reported.insert(variant.template_name).second) continue;
    const Json* item = templates.find(variant.template_name);
    if (item == nullptr) continue;
    Rendered both = render_text(member(*item, "subject"), variables, false);
    Rendered body = render_text(member(*item, "body"), variables, true);
    both.unknown.merge(body.unknown);
    both.fallbacks.merge(body.fallbacks);
    both.template_code.merge(body.template_code);
    report_rendering(step, both, fmt::format("template '{}'", variant.template_name), target_title, findings);
  }
}

void report_all_texts(const Json& sequence, const Templates& templates, const Variables& variables,
                      std::string_view target_title, Findings& findings) {
  std::set<std::string> reported;
  for (const Json& step : member(sequence, "steps")) {
    const std::string kind = string_member(step, "kind");
    if (kind == "email") {
      report_templates(templates, step, email_variants(step), variables, target_title, reported, findings);
    } else if (kind == "call" || kind == "task" || kind == "linkedin") {
      if (const Json* text = step_text(step, kind == "call" ? "script" : "note")) {
        report_rendering(step, render_text(*text, variables, false), kind == "call" ? "the call script" : "the note",
                         target_title, findings);
      }
    }
  }
}

const Json* step_text(const Json& step, const char* key) {
  const Json& value = member(step, key);
  return value.is_object() ? &value : nullptr;
}

Templates::Templates(const Json& sequence) {
  for (const Json& item : member(sequence, "templates")) by_name_.emplace(string_member(item, "name"), &item);
}

const Json* Templates::find(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<Variant> email_variants(const Json& step) {
  std::vector<Variant> variants;
  for (const Json& variant : member(step, "variants")) {
    variants.push_back(
        {string_member(variant, "name"), string_member(variant, "template"), number(variant, "percent")});
  }
  if (variants.empty()) variants.push_back({"", string_member(step, "template"), 100});
  return variants;
}

DailyRate daily_rate(const Json& rate) {
  const int64_t count = number(rate, "count");
  if (string_member(rate, "per") == "week")
    return {(count + kDaysPerWeek - 1) / kDaysPerWeek, count % kDaysPerWeek == 0};
  return {count, true};
}

const Json* find_handler(const Json& sequence, std::string_view event) {
  for (const Json& handler : member(sequence, "handlers")) {
    if (string_member(handler, "event") == event) return &handler;
  }
  return nullptr;
}

std::string short_name(std::string_view name, std::size_t limit) {
  constexpr std::size_t kSuffix = 9;  // "~" and eight hex digits
  if (name.size() <= limit || limit <= kSuffix) return std::string(name.substr(0, limit));
  return fmt::format("{}~{}", name.substr(0, limit - kSuffix), sha256_hex(name).substr(0, 8));
}

std::string display_name(const Json& sequence) {
  const std::string title = string_member(sequence, "title");
  return title.empty() ? string_member(sequence, "name") : title;
}

void report_head(const Json& sequence, std::string_view target_title,
                 const std::function<bool(std::string_view event)>& carries, Findings& findings) {
  findings.add(Fidelity::Mapped, "title",
               fmt::format("the sequence is named \"{}\" on {}", display_name(sequence), target_title));
  const std::string team = string_member(sequence, "team");
  if (!team.empty()) {
    findings.add(Fidelity::Dropped, "team",
                 fmt::format("team \"{}\" is not carried: {} shares sequences through its own users and teams", team,
                             target_title),
                 fmt::format("share the sequence with the team in {}", target_title), false);
  }
  const Json& segment = member(sequence, "segment");
  if (segment.is_object()) {
    // Listed, not warned about: the segment says whom to enrol, and the
    // platform runs the sequence as written for whoever its list enrols.
    findings.add(Fidelity::Dropped, "segment",
                 fmt::format("segment '{}' is not carried: its filter is Dynamics 365 FetchXML, and {} enrols "
                             "prospects from its own lists",
                             string_member(segment, "name"), target_title),
                 fmt::format("build the same list in {} and enrol from it", target_title), false);
  }
  for (const auto& [channel, rate] : member(sequence, "limits").items()) {
    findings.add(Fidelity::Dropped, "limit:" + channel,
                 fmt::format("limit {} {}/{} is not carried: {} has no per-sequence sending limit", channel,
                             number(rate, "count"), string_member(rate, "per"), target_title),
                 fmt::format("set the sender's daily limits in {}", target_title));
  }
  for (const Json& handler : member(sequence, "handlers")) {
    const Json& outcome = member(handler, "outcome");
    const std::string event = string_member(handler, "event");
    if (!outcome.is_object() || !carries(event)) continue;
    findings.add(
        Fidelity::Dropped, "handler:" + event,
        fmt::format("on {} ... then {}: {} finishes the prospect but does not {}", event,
                    string_member(outcome, "kind"), target_title,
                    string_member(outcome, "kind") == "handoff" ? "start another sequence" : "change the record"),
        fmt::format("start that work from an automation in {}", target_title));
  }
}

}  // namespace cadence::exporter
