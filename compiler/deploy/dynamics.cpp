#include "deploy/dynamics.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "cadence/vocabulary.hpp"
#include "emit/reports.hpp"
#include "export/common.hpp"
#include "support/duration.hpp"
#include "support/escape.hpp"
#include "support/sha256.hpp"

namespace cadence::deploy {
namespace {

using exporter::Fidelity;
using exporter::Json;

/// The words of a text of the plan, if there is one.
std::string text_of(const std::optional<plan::Text>& text) { return text ? text->text : std::string(); }

bool is_guid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

/// A Dataverse record type for msdyn_segment.msdyn_objecttypecode:
/// 3 Opportunity, 4 Lead, 5 Other Entity.
int object_type_code(std::string_view entity) {
  if (entity == "opportunity") return 3;
  if (entity == "lead") return 4;
  return 5;
}

/// Percent-encodes a query's value (RFC 3986 unreserved characters stay).
std::string query_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

// ---- The build sheet ------------------------------------------------------

/// A table cell: pipes escaped, lines joined with <br>.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

/// The signal of a condition as the designer's condition reads it.
std::string condition_text(const plan::Condition& condition, const std::vector<plan::Step>& steps) {
  using Op = plan::Condition::Op;
  if (condition.op == Op::Not) return fmt::format("not ({})", condition_text(condition.operands.at(0), steps));
  if (condition.op == Op::All || condition.op == Op::Any) {
    std::vector<std::string> parts;
    parts.reserve(condition.operands.size());
    for (const plan::Condition& part : condition.operands) parts.push_back(condition_text(part, steps));
    return fmt::format("({})", fmt::join(parts, condition.op == Op::All ? " and " : " or "));
  }
  std::string spelled(vocabulary::kSignals[static_cast<std::size_t>(condition.signal)]);
  std::replace(spelled.begin(), spelled.end(), '_', ' ');
  return condition.step ? fmt::format("`{}` {}", steps[*condition.step].id, spelled) : spelled;
}

std::string linkedin_kind(std::string_view action) {
  if (action == "research") return "LinkedIn: research";
  if (action == "introduction") return "LinkedIn: get introduced";
  if (action == "connect") return "LinkedIn: connect";
  if (action == "inmail") return "LinkedIn: send InMail";
  // The designer's LinkedIn actions are research, get introduced, connect
  // and InMail: a message to a connection is entered as the last.
  return "LinkedIn: send InMail (a message to a connection)";
}

std::string outcome_text(const std::optional<plan::Outcome>& outcome) {
  if (!outcome) return {};
  if (outcome->kind == "create_opportunity") return "create an opportunity";
  if (outcome->kind == "qualify") return "qualify the record";
  if (outcome->kind == "disqualify") return "disqualify the record";
  if (outcome->handoff()) return fmt::format("connect the record to sequence `{}`", outcome->sequence);
  return {};
}

/// What a step is in the designer, and what to enter for it.
struct DesignerStep {
  std::string kind;
  std::string details;
};

DesignerStep designer_step(const plan::Step& step, const std::vector<plan::Step>& steps) {
  using vocabulary::StepKind;
  switch (step.kind) {
    case StepKind::Email: {
      const std::vector<exporter::Variant> variants = exporter::email_variants(step);
      const bool automated = step.mode == "auto";
      if (variants.size() > 1) {
        std::vector<std::string> parts;
        parts.reserve(variants.size());
        for (const exporter::Variant& variant : variants) {
          parts.push_back(fmt::format("{} {}%: template `{}`", variant.name, variant.percent, variant.template_name));
        }
        return {"A/B test of automated emails", fmt::format("{}", fmt::join(parts, "; "))};
      }
      return {automated ? "Automated email" : "Email",
              fmt::format("template `{}` (below)", variants.empty() ? std::string("?") : variants[0].template_name)};
    }
    case StepKind::Sms: return {"Text message", fmt::format("Text: {}", text_of(step.text))};
    case StepKind::Call: return {"Phone call", fmt::format("Script: {}", text_of(step.script))};
    case StepKind::Linkedin: return {linkedin_kind(step.action), text_of(step.note)};
    case StepKind::Task: return {"Task", text_of(step.note)};
    case StepKind::Custom: {
      const std::string note = text_of(step.note);
      return {"Custom activity", fmt::format("table `{}`{}", text_of(step.activity), note.empty() ? "" : ": " + note)};
    }
    case StepKind::Wait: return {"Wait", duration_words(step.minutes)};
    case StepKind::Branch: {
      const int64_t within = step.within_minutes.value_or(0);
      return {"Condition",
              fmt::format("if {}{}", step.condition ? condition_text(*step.condition, steps) : std::string("?"),
                          within > 0 ? fmt::format(", waiting up to {}", duration_words(within)) : std::string())};
    }
    case StepKind::OutcomeBranch:
      return {"Condition on the call's outcome", fmt::format("outcome of call `{}`", steps[step.call].id)};
    case StepKind::Exit: {
      const std::string then = outcome_text(step.outcome);
      return {"Exit", fmt::format("reason \"{}\"{}", step.reason, then.empty() ? "" : "; then " + then)};
    }
    default: break;
  }
  // A kind of seller activity with no designer name here: its own name and
  // the text it carries.
  const plan::Text* carried = step.carried_text();
  return {std::string(step.kind_name()), carried != nullptr ? carried->text : std::string()};
}

/// A fence longer than any run of backticks in `text`.
std::string fence_for(std::string_view text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

void merge_field_list(const plan::Text& text, std::set<std::string>& into) {
  for (const plan::MergeField& field : text.merge_fields) {
    std::string entry = fmt::format("`{}.{}`", field.table, field.column);
    if (field.fallback) entry += fmt::format(" (if empty: \"{}\")", *field.fallback);
    into.insert(std::move(entry));
  }
}

}  // namespace

std::optional<std::vector<Connection>> read_connections(std::string_view text, std::string& problem) {
  std::vector<Connection> connections;
  std::set<std::pair<std::string, std::string>> seen;  // (sequence, id)
  std::size_t line_number = 0;
  bool header = false;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> fields;
    std::size_t from = 0;
    while (true) {
      const std::size_t comma = line.find(',', from);
      fields.push_back(trim(std::string_view(line).substr(from, comma == std::string::npos ? comma : comma - from)));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    if (!header) {
      if (fields != std::vector<std::string>{"sequence", "entity", "id"}) {
        problem = fmt::format("line {}: the first line must be the header `sequence,entity,id`", line_number);
        return std::nullopt;
      }
      header = true;
      continue;
    }
    if (fields.size() != 3 || fields[0].empty() || fields[1].empty()) {
      problem = fmt::format("line {}: expected three fields, `sequence,entity,id`", line_number);
      return std::nullopt;
    }
    if (!is_guid(fields[2])) {
      problem = fmt::format("line {}: '{}' is not a record id (a GUID such as 00000000-0000-0000-0000-000000000000)",
                            line_number, visible(fields[2]));
      return std::nullopt;
    }
    Connection connection{fields[0], lower(fields[1]), lower(fields[2]), line_number};
    if (!seen.emplace(connection.sequence, connection.id).second) {
      problem = fmt::format("line {}: record {} is already listed for sequence '{}'", line_number, connection.id,
                            visible(connection.sequence));
      return std::nullopt;
    }
    connections.push_back(std::move(connection));
  }
  if (!header) {
    problem = "it is empty: the first line must be the header `sequence,entity,id`";
    return std::nullopt;
  }
  return connections;
}

DynamicsTarget::DynamicsTarget(std::vector<Connection> connections) : connections_(std::move(connections)) {}

std::string find_sequence_path(std::string_view name) {
  // Quotes in an OData string literal are doubled.
  std::string literal;
  for (const char c : name) literal += c == '\'' ? std::string("''") : std::string(1, c);
  return fmt::format("{}/msdyn_sequences?$select=msdyn_sequenceid,msdyn_name&$filter={}", kDataverseApi,
                     query_encode(fmt::format("msdyn_name eq '{}' and statecode eq 1", literal)));
}

exporter::SequenceExport DynamicsTarget::export_sequence(const plan::Sequence& sequence) const {
  exporter::SequenceExport out;
  out.name = sequence.name;
  exporter::Findings findings(sequence);
  const std::string& target = sequence.target;
  if (out.name.size() > kMaxSequenceName) {
    findings.add(Fidelity::Unsupported, "sequence",
                 fmt::format("sequence name of {} characters: a Dynamics 365 sequence's name (msdyn_name) holds at "
                             "most {}",
                             out.name.size(), kMaxSequenceName),
                 "shorten the sequence's name");
  }
  for (const plan::Step& step : sequence.steps) {
    if (step.is_activity() && step.id.size() > kMaxDesignerStepName) {
      findings.at_step(step, Fidelity::Unsupported,
                       fmt::format("step name of {} characters: a designer step's name holds at most {}",
                                   step.id.size(), kMaxDesignerStepName),
                       fmt::format("shorten the label to {} characters or fewer", kMaxDesignerStepName));
    }
  }

  // The sequence, built by hand from its build sheet, found by its name.
  exporter::Request find;
  find.id = "sequence";
  find.method = "GET";
  find.path = find_sequence_path(out.name);
  find.body = Json{{"build_sheet", sha256_hex(build_sheet(sequence))}};
  out.requests.push_back(std::move(find));
  const exporter::Reference sequence_id{"", "sequence", "/value/0/msdyn_sequenceid", ""};

  if (const std::optional<plan::Segment>& segment = sequence.segment) {
    const std::string& name = segment->name;
    const std::string& entity = segment->entity;
    const std::string& filter = segment->fetchxml;
    if (name.size() > kMaxSegmentName) {
      findings.add(Fidelity::Unsupported, "segment",
                   fmt::format("segment name of {} characters: a Dynamics 365 segment's name holds at most {}",
                               name.size(), kMaxSegmentName),
                   "shorten the segment's name");
    }
    if (filter.size() > kMaxSegmentFilter) {
      findings.add(Fidelity::Unsupported, "segment",
                   fmt::format("segment '{}' compiles to FetchXML of {} characters: a Dynamics 365 segment's filter "
                               "(msdyn_entityfilter) holds at most {}",
                               name, filter.size(), kMaxSegmentFilter),
                   "simplify the segment's `where`, or split it into two segments for two sequences");
    }
    std::string description =
        fmt::format("Segment {} of sequence {}, deployed by Cadence from {}", name, out.name, sequence.location.file);
    if (description.size() > kMaxSegmentDescription) description.resize(kMaxSegmentDescription);
    exporter::Request create;
    create.id = "segment/" + name;
    create.method = "POST";
    create.path = fmt::format("{}/msdyn_segments", kDataverseApi);
    // Created inactive (statecode 1, statuscode 2): an active segment
    // connects its records at once, before anyone has seen who they are.
    create.body = Json{{"msdyn_name", name},
                       {"msdyn_description", description},
                       {"msdyn_objecttype", entity},
                       {"msdyn_objecttypecode", object_type_code(entity)},
                       {"msdyn_entityfilter", filter},
                       {"msdyn_Sequence@odata.bind", nullptr},
                       {"statecode", 1},
                       {"statuscode", 2}};
    exporter::Reference bind = sequence_id;
    bind.pointer = "/msdyn_Sequence@odata.bind";
    bind.format = "/msdyn_sequences({id})";
    create.references.push_back(std::move(bind));
    out.requests.push_back(std::move(create));
  }

  for (const Connection& connection : connections_) {
    if (connection.sequence != out.name) continue;
    if (target.empty() || connection.entity != target) {
      findings.add(Fidelity::Unsupported, "sequence",
                   target.empty()
                       ? fmt::format("connections file, line {}: sequence '{}' has no `target`, so no record can be "
                                     "connected to it",
                                     connection.line, out.name)
                       : fmt::format("connections file, line {}: a {} record, but sequence '{}' enrols {} records",
                                     connection.line, visible(connection.entity), out.name, target),
                   "connect records of the sequence's target only");
      continue;
    }
    exporter::Request connect;
    connect.id = fmt::format("connect/{}/{}", connection.entity, connection.id);
    connect.method = "POST";
    connect.path = fmt::format("{}/msdyn_ConnectSequence", kDataverseApi);
    connect.body =
        Json{{"RegardingEntityId", connection.id}, {"RegardingEntityName", connection.entity}, {"SequenceId", nullptr}};
    exporter::Reference reference = sequence_id;
    reference.pointer = "/SequenceId";
    connect.references.push_back(std::move(reference));
    out.requests.push_back(std::move(connect));
  }
  out.findings = findings.take();
  if (!out.exportable()) out.requests.clear();
  return out;
}

std::string build_sheet(const plan::Sequence& sequence) {
  const std::string& name = sequence.name;
  const bool business = sequence.business_calendar;
  std::string out = fmt::format("# Build sheet: sequence `{}`\n\n", name);
  out += fmt::format(
      "Build this sequence in Dynamics 365 Sales (Sales Insights settings, Sequences, New sequence) and "
      "activate it. `cadence apply --target dynamics` finds it by its name, then deploys its segment and "
      "connects its records. `cadence report` joins step outcomes on the step names below: enter each name "
      "exactly as written.\n\nSource: `{}`\n\n",
      sequence.location.file);
  out += "| Setting | Value |\n| --- | --- |\n";
  out += fmt::format("| Name | `{}` |\n", name);
  if (sequence.title && !sequence.title->empty()) out += fmt::format("| Description | {} |\n", cell(*sequence.title));
  const std::string& target = sequence.target;
  out += fmt::format("| Record type | {} |\n", target.empty() ? "(any)" : target);
  out += fmt::format("| Waits count | {} |\n",
                     business ? "business days: turn on the sequence's wait time computation (seller availability "
                                "on business days)"
                              : "calendar days: leave the wait time computation off");
  if (sequence.segment) {
    out += fmt::format(
        "| Segment | `{}`, deployed by `cadence apply`; a record that stops matching it: {} (check the segment's "
        "settings) |\n",
        sequence.segment->name, sequence.segment->on_leave == "pause" ? "pause" : "exit");
  }

  const std::vector<plan::Step>& steps = sequence.steps;
  out +=
      "\n## Steps\n\nEnter the steps in this order. Each row's last column says where its path goes on: where "
      "two paths reach the same step, enter that step, and what follows it, on each path, under the same name.\n\n";
  out += "| # | Step name | In the designer | What to enter | Due (from enrolment) | Then |\n";
  out += "| ---: | --- | --- | --- | --- | --- |\n";
  std::set<std::string> used_templates;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const plan::Step& step = steps[i];
    const bool activity = step.is_activity();
    const DesignerStep designer = designer_step(step, steps);
    if (step.kind == vocabulary::StepKind::Email) {
      for (const exporter::Variant& variant : exporter::email_variants(step))
        used_templates.insert(variant.template_name);
    }
    std::vector<std::string> then;
    for (const plan::Edge& edge : step.next) {
      const std::string to = std::to_string(edge.step + 1);
      then.push_back(edge.arm == "next" ? to : fmt::format("{}: {}", edge.arm == "else" ? "any other" : edge.arm, to));
    }
    const int64_t earliest = step.earliest_minutes;
    const int64_t latest = step.latest_minutes;
    std::string due = earliest == latest ? fmt::format("day {}", whole_days(earliest))
                                         : fmt::format("day {} to {}", whole_days(earliest), whole_days(latest));
    if (business) due += " (business days)";
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", i + 1,
                       activity ? fmt::format("`{}`", step.id) : std::string(), designer.kind, cell(designer.details),
                       step.kind == vocabulary::StepKind::Exit ? std::string() : due,
                       then.empty() ? std::string("end") : fmt::format("{}", fmt::join(then, " · ")));
  }

  const exporter::Templates templates(sequence);
  if (!used_templates.empty()) out += "\n## Email templates\n";
  for (const std::string& template_name : used_templates) {
    const plan::Template* found = templates.find(template_name);
    if (found == nullptr) continue;
    const std::string& subject = found->subject.text;
    const std::string& body = found->body.text;
    std::set<std::string> fields;
    merge_field_list(found->subject, fields);
    merge_field_list(found->body, fields);
    const std::string fence = fence_for(body);
    out += fmt::format("\n### `{}`\n\nSubject: {}\n\n{}text\n{}\n{}\n", template_name, subject, fence, body, fence);
    if (!fields.empty()) {
      out += fmt::format("\nDynamic text (insert each `{{{{...}}}}` as the column it names): {}\n",
                         fmt::join(fields, ", "));
    }
  }

  const std::vector<plan::Handler>& handlers = sequence.handlers;
  if (!handlers.empty()) {
    out +=
        "\n## Events\n\nAt any step, these end or pause the sequence for a record. Set them where the sequence's "
        "settings offer them; otherwise they are for the seller to act on.\n\n";
    for (const plan::Handler& handler : handlers) {
      std::string event = handler.event;
      std::replace(event.begin(), event.end(), '_', ' ');
      std::string what = handler.pause ? fmt::format("pause for {}", duration_words(handler.minutes))
                                       : fmt::format("exit (reason \"{}\")", handler.reason);
      if (const std::string then = outcome_text(handler.outcome); !then.empty()) {
        what += "; then " + then;
      }
      out += fmt::format("- {}: {}\n", event, what);
    }
  }
  return out;
}

}  // namespace cadence::deploy
