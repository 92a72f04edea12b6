#include "export/common.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "cadence/vocabulary.hpp"
#include "support/escape.hpp"
#include "support/sha256.hpp"

namespace cadence::exporter {
namespace {

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

bool native_kind(const plan::Step& step) { return step.kind_name() == step.channel_name(); }

std::string approximate_as_task(const plan::Step& step, std::string note, std::string_view target_title,
                                std::string_view as, Findings& findings) {
  if (!step.activity) {
    findings.at_step(step, Fidelity::Approximated,
                     fmt::format("{} '{}' -> {}: {} has no {} steps, so it becomes a task", step.kind_name(), step.id,
                                 as, target_title, step.kind_name()),
                     "the seller does the step by hand from the task");
    return note;
  }
  const std::string& activity = step.activity->text;
  findings.at_step(step, Fidelity::Approximated,
                   fmt::format("custom '{}' -> {}: {} has no custom activities, so the task says to record a {} "
                               "activity",
                               step.id, as, target_title, activity),
                   "the seller records the activity by hand; keep custom steps for Dynamics 365");
  return note.empty() ? fmt::format("Record a {} activity", activity)
                      : fmt::format("Record a {} activity: {}", activity, note);
}

Findings::Findings(const plan::Sequence& sequence) : sequence_(sequence) {
  for (const plan::Step& step : sequence.steps) steps_.emplace(step.id, &step);
}

void Findings::add(Fidelity fidelity, std::string subject, std::string message, std::string help, bool warn) {
  Finding finding{
      fidelity, std::move(subject), std::move(message), std::move(help), warn, location_json(sequence_.location)};
  if (const auto it = steps_.find(finding.subject); it != steps_.end() && it->second->location) {
    finding.location = location_json(*it->second->location);
  }
  if (fidelity == Fidelity::Mapped) finding.warn = false;
  if (fidelity == Fidelity::Unsupported) unsupported_ = true;
  findings_.push_back(std::move(finding));
}

void Findings::at_step(const plan::Step& step, Fidelity fidelity, std::string message, std::string help, bool warn) {
  add(fidelity, step.id, std::move(message), std::move(help), warn);
}

std::optional<Flow> read_flow(const plan::Sequence& sequence, std::string_view target_title,
                              std::string_view why_no_branches, std::string_view sms_types, Findings& findings) {
  using vocabulary::StepKind;
  bool branched = false;
  for (const plan::Step& step : sequence.steps) {
    if (step.kind == StepKind::Sms) {
      findings.at_step(step, Fidelity::Unsupported,
                       fmt::format("sms '{}' cannot be exported to {}: {}", step.id, target_title, sms_types),
                       "make it a task that says what to text, or deploy the sequence where SMS steps run");
    }
    if (step.kind == StepKind::Branch || step.kind == StepKind::OutcomeBranch) {
      branched = true;
      const std::string what = step.kind == StepKind::Branch
                                   ? "a branch on what the prospect did"
                                   : fmt::format("a branch on the outcome of call '{}'", sequence.steps[step.call].id);
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
  // Successors come later in a plan's list, so the walk ends.
  for (uint32_t index = sequence.entry; index < sequence.steps.size();) {
    const plan::Step& step = sequence.steps[index];
    if (step.is_activity()) {
      flow.touches.push_back({&step, offset, offset - previous});
      previous = offset;
    } else if (step.kind == StepKind::Exit) {
      flow.exit = &step;
      flow.trailing_minutes = offset - previous;
      if (step.outcome) {
        findings.at_step(step, Fidelity::Dropped,
                         fmt::format("exit \"{}\" then {}: {} finishes the sequence but does not {}", step.reason,
                                     step.outcome->kind, target_title,
                                     step.outcome->handoff() ? "start another sequence" : "change the record"),
                         fmt::format("start that work from an automation in {} when prospects finish", target_title));
      }
      break;
    }
    if (step.next.empty()) break;
    offset += step.next.front().min_delay_minutes;
    index = step.next.front().step;
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

Rendered render_text(const plan::Text& text, const Variables& variables, bool html) {
  Rendered rendered;
  const std::string& source = text.text;
  find_template_code(source, rendered.template_code);
  std::string plain;
  std::size_t position = 0;
  for (const plan::MergeField& field : text.merge_fields) {
    const std::string& written = field.text;
    const std::size_t at = written.empty() ? std::string::npos : source.find(written, position);
    if (at == std::string::npos) continue;
    plain.append(source, position, at - position);
    const bool owner = field.entity == "owner";
    if (const std::optional<std::string> variable = variables.of(owner, field.field)) {
      plain += *variable;
      // An empty fallback renders as an empty variable does: nothing is lost.
      if (field.fallback && !field.fallback->empty()) rendered.fallbacks.insert(*field.fallback);
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

void report_rendering(const plan::Step& step, const Rendered& rendered, std::string_view what,
                      std::string_view target_title, Findings& findings) {
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
  if (const plan::Template* item = templates.find(name)) {
    rendered.subject = render_text(item->subject, variables, false).text;
    rendered.body = render_text(item->body, variables, true).text;
  }
  return rendered;
}

void report_templates(const Templates& templates, const plan::Step& step, const std::vector<Variant>& variants,
                      const Variables& variables, std::string_view target_title, std::set<std::string>& reported,
                      Findings& findings) {
  for (const Variant& variant : variants) {
    if (!reported.insert(variant.template_name).second) continue;
    const plan::Template* item = templates.find(variant.template_name);
    if (item == nullptr) continue;
    Rendered both = render_text(item->subject, variables, false);
    Rendered body = render_text(item->body, variables, true);
    both.unknown.merge(body.unknown);
    both.fallbacks.merge(body.fallbacks);
    both.template_code.merge(body.template_code);
    report_rendering(step, both, fmt::format("template '{}'", variant.template_name), target_title, findings);
  }
}

void report_all_texts(const plan::Sequence& sequence, const Templates& templates, const Variables& variables,
                      std::string_view target_title, Findings& findings) {
  using vocabulary::StepKind;
  std::set<std::string> reported;
  for (const plan::Step& step : sequence.steps) {
    if (step.kind == StepKind::Email) {
      report_templates(templates, step, email_variants(step), variables, target_title, reported, findings);
    } else if (step.kind == StepKind::Call || step.kind == StepKind::Task || step.kind == StepKind::Linkedin) {
      const std::optional<plan::Text>& text = step.kind == StepKind::Call ? step.script : step.note;
      if (text) {
        report_rendering(step, render_text(*text, variables, false),
                         step.kind == StepKind::Call ? "the call script" : "the note", target_title, findings);
      }
    }
  }
}

Templates::Templates(const plan::Sequence& sequence) {
  for (const plan::Template& item : sequence.templates) by_name_.emplace(item.name, &item);
}

const plan::Template* Templates::find(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<Variant> email_variants(const plan::Step& step) {
  std::vector<Variant> variants;
  for (const plan::Variant& variant : step.variants) {
    variants.push_back({variant.name, variant.template_name, variant.percent});
  }
  if (variants.empty()) variants.push_back({"", step.template_name.value_or(std::string()), 100});
  return variants;
}

DailyRate daily_rate(const plan::Rate& rate) {
  if (rate.per == plan::Per::Week)
    return {(rate.count + kDaysPerWeek - 1) / kDaysPerWeek, rate.count % kDaysPerWeek == 0};
  return {rate.count, true};
}

std::string short_name(std::string_view name, std::size_t limit) {
  constexpr std::size_t kSuffix = 9;  // "~" and eight hex digits
  if (name.size() <= limit || limit <= kSuffix) return std::string(name.substr(0, limit));
  return fmt::format("{}~{}", name.substr(0, limit - kSuffix), sha256_hex(name).substr(0, 8));
}

void report_head(const plan::Sequence& sequence, std::string_view target_title,
                 const std::function<bool(std::string_view event)>& carries, Findings& findings) {
  findings.add(Fidelity::Mapped, "title",
               fmt::format("the sequence is named \"{}\" on {}", sequence.display_name(), target_title));
  if (sequence.team && !sequence.team->empty()) {
    findings.add(Fidelity::Dropped, "team",
                 fmt::format("team \"{}\" is not carried: {} shares sequences through its own users and teams",
                             *sequence.team, target_title),
                 fmt::format("share the sequence with the team in {}", target_title), false);
  }
  if (sequence.segment) {
    // Listed, not warned about: the segment says whom to enrol, and the
    // platform runs the sequence as written for whoever its list enrols.
    findings.add(Fidelity::Dropped, "segment",
                 fmt::format("segment '{}' is not carried: its filter is Dynamics 365 FetchXML, and {} enrols "
                             "prospects from its own lists",
                             sequence.segment->name, target_title),
                 fmt::format("build the same list in {} and enrol from it", target_title), false);
  }
  for (const auto& [channel, rate] : sequence.limits) {
    findings.add(Fidelity::Dropped, "limit:" + channel,
                 fmt::format("limit {} {}/{} is not carried: {} has no per-sequence sending limit", channel, rate.count,
                             plan::per_name(rate.per), target_title),
                 fmt::format("set the sender's daily limits in {}", target_title));
  }
  for (const plan::Handler& handler : sequence.handlers) {
    if (!handler.outcome || !carries(handler.event)) continue;
    findings.add(
        Fidelity::Dropped, "handler:" + handler.event,
        fmt::format("on {} ... then {}: {} finishes the prospect but does not {}", handler.event, handler.outcome->kind,
                    target_title, handler.outcome->handoff() ? "start another sequence" : "change the record"),
        fmt::format("start that work from an automation in {}", target_title));
  }
}

}  // namespace cadence::exporter
