#include "diag/explain.hpp"

#include <array>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

namespace cadence {

// Each lint's explanation is defined in its rule file (the lint layer); only
// the declarations are needed here, so the table does not depend on it.
namespace rules {
#define CADENCE_DIAGNOSTIC(identifier, name, code, severity, summary)
#define CADENCE_LINT(identifier, name, code, severity, summary, rule, scope) \
  extern const Explanation rule##_explanation;
#include "diag/diagnostics.def"
#undef CADENCE_LINT
#undef CADENCE_DIAGNOSTIC
}  // namespace rules

namespace {

std::string_view severity_word(Severity severity) { return severity_name(severity); }

}  // namespace

// Errors are explained here; each lint next to its rule, in
// compiler/lint/rule_<rule>.cpp (see diagnostics.def). The switch names every
// kind, so a kind without an explanation does not compile.
const Explanation& explanation(DiagnosticKind kind) {
  switch (kind) {
    case DiagnosticKind::Syntax: {
      static constexpr Explanation kText{
          "The text does not follow the grammar: a keyword is misspelled, a brace or quote is missing, a value is "
          "not of the expected form. The message says what the parser expected at that point. Structural rules the "
          "grammar leaves to the checker are reported under this name too: settings after the first step, a sequence "
          "without `target`, an email without a template, an SMS without text, a template without subject or body.",
          "A file that does not parse cannot be compiled; the parser recovers at the next statement so you see every "
          "problem at once.",
          R"cadence(sequence s {
  target lead
  wait 2x   // 'x' is not a duration unit
})cadence",
          "Write what the message says was expected, e.g. `wait 2d`.", Preamble::Lead};
      return kText;
    }
    case DiagnosticKind::DuplicateDefinition: {
      static constexpr Explanation kText{
          "Two items of one kind (templates, segments, entities, sequences), two steps of one sequence, two fields, "
          "option labels or variants, or two arms of one branch share a name; or two files of one project (the "
          "directory of cadence.toml) define a sequence of the same name.",
          "Step labels are the stable ids analytics and running enrolments rely on, and names are how steps and items "
          "refer to each other: each must mean one thing. A sequence's name is also its id in the plan, which "
          "runtimes, reports and hand-offs join on, so it must be unique in the whole project.",
          R"cadence(import "std/lead"
template a for lead { subject "A" body "..." }
template b for lead { subject "B" body "..." }

sequence s {
  target lead
  email intro { template a }
  wait 1d
  email intro { template b }
})cadence",
          "Rename one of them."};
      return kText;
    }
    case DiagnosticKind::UnknownName: {
      static constexpr Explanation kText{
          "A reference to a step label, template, segment, entity, sequence or field that is not defined (or not "
          "imported). The closest existing name is suggested.",
          "The step or item the author meant does not exist, so the sequence cannot run as written.",
          R"cadence(import "std/lead"
template intro_a for lead { subject "Hi" body "..." }

sequence s {
  target lead
  email intro { template intro_a }
  wait 2d
  branch opened(intr) { yes { exit } }
})cadence",
          "Use the suggested name, define the missing item, or import the file that defines it."};
      return kText;
    }
    case DiagnosticKind::UnknownMergeField: {
      static constexpr Explanation kText{
          "A `{{entity.field}}` merge field that names an entity other than the template's (or `owner`), a field the "
          "entity does not have, or that appears where nothing expands it (a title, a team name, an exit reason).",
          "The runtime cannot fill it in: the prospect would see the raw braces or nothing.",
          R"cadence(template intro for lead {
  subject "Hi {{lead.firstnme}}"
  body "..."
})cadence",
          "Use a field of the template's entity (the closest is suggested) or of `owner`.", Preamble::Lead};
      return kText;
    }
    case DiagnosticKind::SignalKindMismatch: {
      static constexpr Explanation kText{
          "A signal that does not fit the step it names: `opened`, `clicked`, `replied(E)` and `bounced` need an "
          "email step, `accepted` a LinkedIn `connect` step, and `outcome` a call step.",
          "A call cannot be opened and an email has no call outcome: the branch would wait for a signal that never "
          "comes.",
          R"cadence(sequence s {
  target lead
  call dial { script "Ask about the renewal." }
  wait 1d
  branch opened(dial) { yes { exit } }
})cadence",
          "Point the signal at a step of the right kind, or use the signal that fits the step.", Preamble::Lead};
      return kText;
    }
    case DiagnosticKind::SignalNotDominating: {
      static constexpr Explanation kText{
          "A branch reads a signal of a step that is not run on every path to the branch, e.g. an email sent only in "
          "one arm of an earlier branch.",
          "On the paths that skip the step, the signal can never fire, so those records always take the `no` arm: "
          "almost never what the author meant.",
          R"cadence(sequence s {
  target lead
  email intro { template t }
  wait 1d
  branch opened(intro) {
    yes { email second { template t } }
  }
  wait 1d
  branch clicked(second) { yes { exit } }
})cadence",
          "Branch on a step every record passes, or move the branch into the arm that runs the step.",
          Preamble::LeadWithTemplate};
      return kText;
    }
    case DiagnosticKind::BackwardGoto: {
      static constexpr Explanation kText{"A `goto` to a step that comes earlier in the flow (or to itself).",
                                         "Sequences never loop: a loop would touch the same prospect again and again.",
                                         R"cadence(sequence s {
  target lead
  email intro { template t }
  wait 2d
  goto intro
})cadence",
                                         "Jump forward only; to repeat a touch, write it again with its own label.",
                                         Preamble::LeadWithTemplate};
      return kText;
    }
    case DiagnosticKind::TrailingWait: {
      static constexpr Explanation kText{
          "A wait with nothing after it: the body of the sequence (or of a branch arm that falls through to the "
          "end) ends right after the wait. A wait followed by an explicit `exit` is allowed: it gives the prospect "
          "time to reply before the enrolment ends.",
          "Nothing happens after the wait, and runtimes reject such sequences at activation (Dynamics 365 does).",
          R"cadence(sequence s {
  target lead
  email last { template t }
  wait 3d
})cadence",
          "Remove the wait, add the step it was meant to wait for, or end with an explicit `exit \"...\"`.",
          Preamble::LeadWithTemplate};
      return kText;
    }
    case DiagnosticKind::WaitOutOfRange: {
      static constexpr Explanation kText{
          "A wait, `within` or pause that is zero, negative, or longer than 30 days.",
          "Zero waits are meaningless, and waits over a month usually mean the sequence should end and hand off to "
          "a later one; runtimes cap step delays too.",
          R"cadence(sequence s {
  target lead
  email intro { template t }
  wait 0d
  branch opened(intro) within 6w { yes { exit } }
})cadence",
          "Use a duration between 1m and 30d, or end with `exit then handoff LATER_SEQUENCE`.",
          Preamble::LeadWithTemplate};
      return kText;
    }
    case DiagnosticKind::VariantSplit: {
      static constexpr Explanation kText{
          "A/B variant shares of one email that do not add up to 100%, or a share outside 10%..90%.",
          "Shares that do not add up leave the split undefined, and a tiny variant never gathers enough sends to "
          "tell which wins.",
          R"cadence(import "std/lead"
template t1 for lead { subject "One" body "..." }
template t2 for lead { subject "Two" body "..." }

sequence s {
  target lead
  email opener { variant a 70% template t1  variant b 20% template t2 }
})cadence",
          "Make the shares add up to 100%, each between 10% and 90%."};
      return kText;
    }
    case DiagnosticKind::DuplicateSetting: {
      static constexpr Explanation kText{
          "A setting (`title`, `target`, `limit email`, ...), an event handler, or a step property (`template`, "
          "`mode`, `text`, ...) given twice.",
          "Only one value can apply; the duplicate is usually a copy-and-paste slip.",
          R"cadence(sequence s {
  target lead
  on replied exit "replied"
  on replied exit "again"
  task note { note "Call them." }
})cadence",
          "Keep one of them.", Preamble::Lead};
      return kText;
    }
    case DiagnosticKind::ImportError: {
      static constexpr Explanation kText{
          "An import that cannot be read, names a file outside the project root (the directory holding "
          "cadence.toml) or the stdlib, forms a cycle, or names a file that has errors.",
          "Sequences compiled against a missing or broken file would be incomplete; imports are confined so that a "
          "checkout compiles the same everywhere.",
          R"cadence(import "std/lead"
import "./shared/templates.cadence"   // no such file

template t for lead { subject "Hi" body "..." })cadence",
          "Fix the path or the imported file; keep shared files inside the project."};
      return kText;
    }
    case DiagnosticKind::TypeMismatch: {
      static constexpr Explanation kText{
          "A value or test that does not fit where it is used: a segment comparison with an unknown option label, "
          "a string for a number, a date that does not exist, an ordering test on a string field, text matching "
          "on a non-text field, a relative window with a wrong unit, or `not` over a test FetchXML has no opposite "
          "for (a window, a period, an owner group); a template or segment written for another entity than the "
          "sequence's target; a rate of zero.",
          "Segments compile to FetchXML that would select the wrong records (or none), and merge fields would not "
          "resolve against the enrolled record.",
          R"cadence(segment hot_leads on lead { where leadqualitycode == hott })cadence",
          "Use a value of the field's type (the closest option label is suggested), or the matching entity.",
          Preamble::Lead};
      return kText;
    }
    case DiagnosticKind::TargetUnsupported: {
      static constexpr Explanation kText{
          "A construct a platform the project deploys to cannot express: a branch (Outreach, Salesloft and HubSpot "
          "run one line of steps), an SMS step (none of them sends SMS from a sequence), or a merge field the "
          "platform has no variable for. Reported only for the targets named by `cadence check --target` or by "
          "`targets` in cadence.toml's [export] table; `cadence export` refuses to write such a sequence.",
          "An export that quietly left the branch or the text out would send prospects a different sequence from "
          "the one reviewed in the source.",
          R"cadence(template t for lead { subject "Hello" body "..." }

sequence s {
  target lead
  email intro { template t }
  wait 2d
  branch opened(intro) within 2d {
    yes { call follow { script "They opened it." } }
    no { task research { note "Find another contact." } }
  }
}
// checked with: cadence check --target outreach)cadence",
          "Keep a straight-line sequence for that platform (the touches of one path), replace the SMS with a task, "
          "or use a merge field the platform knows. Remove the target if the sequence does not run there.",
          Preamble::Lead};
      return kText;
    }
#define CADENCE_DIAGNOSTIC(identifier, name, code, severity, summary)
#define CADENCE_LINT(identifier, name, code, severity, summary, rule, scope) \
  case DiagnosticKind::identifier:                                           \
    return rules::rule##_explanation;
#include "diag/diagnostics.def"
#undef CADENCE_LINT
#undef CADENCE_DIAGNOSTIC
  }
  return rules::unused_suppression_explanation;  // not reached: every kind has a case
}

std::string example_file(DiagnosticKind kind) {
  const Explanation& text = explanation(kind);
  std::string file;
  if (text.preamble != Preamble::None) file += "import \"std/lead\"\n";
  if (text.preamble == Preamble::LeadWithTemplate) {
    file += "template t for lead { subject \"Hi {{lead.firstname | \"there\"}}\" body \"...\" }\n";
  }
  if (!file.empty()) file += "\n";
  return file + std::string(text.example);
}

std::string rule_markdown(DiagnosticKind kind) {
  const DiagnosticInfo& info = diagnostic_info(kind);
  const Explanation& text = explanation(kind);
  return fmt::format(
      "# {} ({})\n\n{}\n\nDefault severity: **{}**{}.\n\n## What it finds\n\n{}\n\n## Why it matters\n\n{}\n\n"
      "## Example\n\n```text\n{}\n```\n\n## How to fix it\n\n{}\n",
      info.name, info.code, info.summary, severity_word(info.default_severity),
      info.is_lint() ? fmt::format(" (a lint: configure it in cadence.toml, or suppress it with "
                                   "`// cadence-ignore: {}`)",
                                   info.name)
                     : std::string(" (an error: the file does not compile)"),
      text.what, text.why, example_file(kind), text.fix);
}

std::string rule_text(DiagnosticKind kind) {
  const DiagnosticInfo& info = diagnostic_info(kind);
  const Explanation& text = explanation(kind);
  std::string example;
  const std::string whole = example_file(kind);
  const std::string_view file = whole;
  for (std::size_t start = 0; start <= file.size();) {
    const auto end = file.find('\n', start);
    const std::string_view line = file.substr(start, end - start);
    example += line.empty() ? std::string("\n") : "    " + std::string(line) + "\n";
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return fmt::format("{} ({}, default severity: {})\n\n{}\n\nWhy it matters: {}\n\nExample:\n{}\nFix: {}\n", info.name,
                     info.code, severity_word(info.default_severity), text.what, text.why, example, text.fix);
}

namespace {

/// The docs directory's URI: $CADENCE_DOCS_URL, else the docs installed next
/// to the binary, else the source tree's.
std::string find_docs_base() {
  if (const char* base = std::getenv("CADENCE_DOCS_URL"); base != nullptr && *base != '\0') {
    std::string url(base);
    if (!url.ends_with('/')) url += '/';
    return url;
  }
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path docs = fs::path(CADENCE_DOCS_BUILD_DIR);
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path installed = self.parent_path() / ".." / CADENCE_DOCS_INSTALL_SUBDIR;
    if (fs::is_directory(installed / "rules", error)) docs = installed;
  }
  return "file://" + fs::weakly_canonical(docs, error).generic_string() + "/";
}

/// Found once: every diagnostic the language server publishes links here.
const std::string& docs_base() {
  static const std::string base = find_docs_base();
  return base;
}

}  // namespace

std::string docs_uri(std::string_view page) { return docs_base() + std::string(page); }

std::string rule_help_uri(DiagnosticKind kind) {
  return docs_base() + "rules/" + std::string(diagnostic_info(kind).name) + ".md";
}

}  // namespace cadence
