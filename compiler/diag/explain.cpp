#include "diag/explain.hpp"

#include <array>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

namespace cadence {
namespace {

// One entry per row of diagnostics.def, in the same order (checked by a unit
// test through explanation()'s bounds and by the docs/rules generation test).
constexpr std::array kExplanations = {
    // syntax
    Explanation{
        "The text does not follow the grammar: a keyword is misspelled, a brace or quote is missing, a value is "
        "not of the expected form. The message says what the parser expected at that point. Structural rules the "
        "grammar leaves to the checker are reported under this name too: settings after the first step, a sequence "
        "without `target`, an email without a template, an SMS without text, a template without subject or body.",
        "A file that does not parse cannot be compiled; the parser recovers at the next statement so you see every "
        "problem at once.",
        "sequence s {\n  target lead\n  wait 2x      // 'x' is not a duration unit\n}",
        "Write what the message says was expected, e.g. `wait 2d`."},
    // duplicate-definition
    Explanation{
        "Two items of one kind (templates, segments, entities, sequences), two steps of one sequence, two fields, "
        "option labels or variants, or two arms of one branch share a name.",
        "Step labels are the stable ids analytics and running enrolments rely on, and names are how steps and items "
        "refer to each other: each must mean one thing.",
        "sequence s {\n  target lead\n  email intro { template a }\n  wait 1d\n  email intro { template b }\n}",
        "Rename one of them."},
    // unknown-name
    Explanation{"A reference to a step label, template, segment, entity, sequence or field that is not defined (or not "
                "imported). The closest existing name is suggested.",
                "The step or item the author meant does not exist, so the sequence cannot run as written.",
                "sequence s {\n  target lead\n  email intro { template intro_a }\n  wait 2d\n  branch opened(intr) { "
                "yes { exit } }\n}",
                "Use the suggested name, define the missing item, or import the file that defines it."},
    // unknown-merge-field
    Explanation{
        "A `{{entity.field}}` merge field that names an entity other than the template's (or `owner`), a field the "
        "entity does not have, or that appears where nothing expands it (a title, a team name, an exit reason).",
        "The runtime cannot fill it in: the prospect would see the raw braces or nothing.",
        "template intro for lead {\n  subject \"Hi {{lead.firstnme}}\"\n  body \"...\"\n}",
        "Use a field of the template's entity (the closest is suggested) or of `owner`."},
    // signal-kind-mismatch
    Explanation{
        "A signal that does not fit the step it names: `opened`, `clicked`, `replied(E)` and `bounced` need an "
        "email step, `accepted` a LinkedIn `connect` step, and `outcome` a call step.",
        "A call cannot be opened and an email has no call outcome: the branch would wait for a signal that never "
        "comes.",
        "sequence s {\n  target lead\n  call dial { script \"...\" }\n  wait 1d\n  branch opened(dial) { yes { exit } "
        "}\n}",
        "Point the signal at a step of the right kind, or use the signal that fits the step."},
    // signal-not-dominating
    Explanation{
        "A branch reads a signal of a step that is not run on every path to the branch, e.g. an email sent only in "
        "one arm of an earlier branch.",
        "On the paths that skip the step, the signal can never fire, so those records always take the `no` arm: "
        "almost never what the author meant.",
        "branch opened(intro) { yes { email second { template t } } }\nwait 1d\nbranch clicked(second) { yes { exit } "
        "}",
        "Branch on a step every record passes, or move the branch into the arm that runs the step."},
    // backward-goto
    Explanation{"A `goto` to a step that comes earlier in the flow (or to itself).",
                "Sequences never loop: a loop would touch the same prospect again and again.",
                "email intro { template t }\nwait 2d\ngoto intro",
                "Jump forward only; to repeat a touch, write it again with its own label."},
    // trailing-wait
    Explanation{"A wait followed directly by the end of the flow (an `exit` or the end of the body).",
                "Nothing happens after the wait, and runtimes reject such sequences at activation (Dynamics 365 does).",
                "email last { template t }\nwait 3d\nexit \"completed\"",
                "Remove the wait, or add the step it was meant to wait for."},
    // wait-out-of-range
    Explanation{
        "A wait, `within` or pause that is zero, negative, or longer than 30 days.",
        "Zero waits are meaningless, and waits over a month usually mean the sequence should end and hand off to "
        "a later one; runtimes cap step delays too.",
        "wait 0d\nbranch opened(intro) within 6w { yes { exit } }",
        "Use a duration between 1m and 30d, or end with `exit then handoff LATER_SEQUENCE`."},
    // variant-split
    Explanation{"A/B variant shares of one email that do not add up to 100%, or a share outside 10%..90%.",
                "Shares that do not add up leave the split undefined, and a tiny variant never gathers enough sends to "
                "tell which wins.",
                "email opener { variant a 70% template t1  variant b 20% template t2 }",
                "Make the shares add up to 100%, each between 10% and 90%."},
    // duplicate-setting
    Explanation{"A setting (`title`, `target`, `limit email`, ...), an event handler, or a step property (`template`, "
                "`mode`, `text`, ...) given twice.",
                "Only one value can apply; the duplicate is usually a copy-and-paste slip.",
                "sequence s {\n  target lead\n  on replied exit \"replied\"\n  on replied exit \"again\"\n}",
                "Keep one of them."},
    // import-error
    Explanation{
        "An import that cannot be read, names a file outside the project root (the directory holding "
        "cadence.toml) or the stdlib, forms a cycle, or names a file that has errors.",
        "Sequences compiled against a missing or broken file would be incomplete; imports are confined so that a "
        "checkout compiles the same everywhere.",
        "import \"../../elsewhere/templates.cadence\"",
        "Fix the path or the imported file; keep shared files inside the project."},
    // type-mismatch
    Explanation{
        "A value that does not fit where it is used: a segment comparison with an unknown option label, a string "
        "for a number, a malformed date, an ordering test on a string field; a template or segment written for "
        "another entity than the sequence's target; a rate of zero.",
        "Segments compile to FetchXML that would select the wrong records (or none), and merge fields would not "
        "resolve against the enrolled record.",
        "segment s on lead { where leadqualitycode == hott }",
        "Use a value of the field's type (the closest option label is suggested), or the matching entity."},
    // missing-reply-exit
    Explanation{
        "The sequence has no `on replied exit` handler, and some path sends a touch after an email without a "
        "reply check (a `replied` branch whose yes arm exits) in between.",
        "A prospect who answered gets the next templated touch anyway: the fastest way to look like a robot and "
        "to lose a warm lead.",
        "sequence s {\n  target lead\n  email intro { template t }\n  wait 2d\n  call follow { script \"...\" }\n}",
        "Add `on replied exit \"replied\"` (the quick fix does), or check `replied` before later touches."},
    // touch-after-reply
    Explanation{
        "An email, SMS or LinkedIn message can be sent after a reply was observed: inside a `replied` branch's yes "
        "arm, or after it rejoins.",
        "Once the prospect replied, the seller should answer personally (a call or a task), not send the next "
        "template.",
        "branch replied within 3d {\n  yes { email thanks { template t } }\n}",
        "Answer with a call or a task in the yes arm, or exit the sequence there."},
    // no-engagement-branch
    Explanation{
        "Three or more emails and no branch on any engagement signal.",
        "A flat series of emails is spam disguised as cadence: everyone gets every email whether they engage or "
        "not, and unengaged sends drag down the sending domain's reputation.",
        "email one { template a }\nwait 2d\nemail two { template b }\nwait 2d\nemail three { template c }",
        "Branch on `opened`, `clicked` or `replied` and vary the follow-up (a call for the engaged, another angle "
        "for the rest)."},
    // throttle-overrun
    Explanation{
        "The worst-case emails an owner has due per day exceed the sending limit. The load is the enrolment rate "
        "times the most emails on any path, summed over the sequences of one `team` checked together; the limit is "
        "`limit email`, else the configured default (200 a day).",
        "When the throttle is hit, the platform silently queues the excess to the next day and every later due "
        "date drifts: the cadence you designed is not the one prospects get. The message gives the load, the "
        "limit, how fast the backlog grows and how far due dates drift after 30 days.",
        "sequence s {\n  target lead\n  team \"inside-sales\"\n  limit email 200/day\n  enroll 60/day\n  // ... six "
        "emails on the longest path\n}",
        "Enrol fewer records a day, spread emails over more days, or split the load over more owners."},
    // consecutive-channel
    Explanation{"Three or more touches in a row on one channel along some path (tasks do not count as touches).",
                "Alternating calls, emails and LinkedIn engages better than the same channel over and over.",
                "email a { template t }\nwait 1d\nemail b { template t }\nwait 1d\nemail c { template t }",
                "Replace one of them with a call or a LinkedIn touch."},
    // touch-count
    Explanation{
        "The silent path (the prospect never engages) has fewer than 6 or more than 10 touches; the bounds are "
        "configurable.",
        "Most prospects need 6 to 10 touches before they respond, and most sellers give up after 2; far more than "
        "10 is fatigue.",
        "email only { template t }", "Add touches on other channels to the silent path, or cut some."},
    // same-day-touches
    Explanation{"Two touches on one channel with no wait between them.",
                "The prospect gets both on the same day, which reads as a mistake or as pressure.",
                "email a { template t }\nemail b { template t }", "Add a wait between them."},
    // missing-bounce-exit
    Explanation{
        "The sequence has no `on bounced exit` handler.",
        "Records whose address bounced stay enrolled and keep bouncing; bounce rates are what mailbox providers "
        "judge a sending domain by.",
        "sequence s { target lead  email intro { template t } }",
        "Add `on bounced exit \"bounced\"` (the quick fix does)."},
    // missing-unsubscribe-exit
    Explanation{"The sequence has no `on unsubscribed exit` handler.",
                "Contacting people who opted out breaks anti-spam law in many places and gets domains blocked.",
                "sequence s { target lead  email intro { template t } }",
                "Add `on unsubscribed exit \"opted-out\"` (the quick fix does)."},
    // missing-ooo-pause
    Explanation{"The sequence has no `on out_of_office pause` handler.",
                "Without it, sellers follow up against an empty mailbox for the length of the absence.",
                "sequence s { target lead  email intro { template t } }",
                "Add `on out_of_office pause 7d` (or the pause that fits your prospects)."},
    // merge-field-no-fallback
    Explanation{"A merge field of a field that may be empty (marked `?` in its entity) has no fallback.",
                "When the field is empty the text reads \"Hi ,\": the tell-tale of a mass email.",
                "subject \"Hi {{lead.firstname}}\"", "Add a fallback: `{{lead.firstname | \"there\"}}`."},
    // unused-definition
    Explanation{
        "A template, segment or entity that no sequence, template or segment uses, in any file checked in the same "
        "run. Files that define no sequence (shared libraries) are not reported.",
        "Dead definitions confuse reviewers, and an unused template often means a step uses the wrong one.",
        "template old_intro for lead { subject \"...\" body \"...\" }", "Remove it, or use it."},
    // unreachable
    Explanation{"A step after an `exit` or `goto` in the same block, which no path reaches.",
                "It never runs (and is left out of the plan); it is usually a misplaced exit or goto.",
                "exit \"done\"\nemail never { template t }", "Remove the step, or move the exit or goto after it."},
    // redundant-reply-branch
    Explanation{"A branch on `replied` in a sequence whose `on replied exit` handler ends the enrolment on any reply.",
                "The handler fires first, so the branch's yes arm can never run.",
                "on replied exit \"replied\"\n...\nbranch replied within 3d { yes { exit } no { ... } }",
                "Drop the branch and keep its no arm, or drop the handler."},
    // unused-suppression
    Explanation{
        "A `// cadence-ignore: NAME` or `// cadence-ignore-file: NAME` comment that suppresses nothing, names no "
        "diagnostic, or names an error (errors cannot be suppressed).",
        "Stale suppressions hide the next real finding on that line.", "// cadence-ignore: touch-count\nwait 2d",
        "Remove the suppression (the quick fix does)."},
    // invisible-character
    Explanation{
        "A bidirectional embedding, override or isolate (U+202A..U+202E, U+2066..U+2069), a zero-width character "
        "(U+200B..U+200F) or a byte order mark inside the file, written as the character itself (a `\\u{...}` "
        "escape is visible in review and not reported).",
        "These characters reorder or hide text on screen (the \"Trojan Source\" attack): a reviewer reads one thing "
        "and the compiler, the prospect's mail client or the CRM sees another. In an email they garble the text and "
        "trip spam filters.",
        "sequence s {\n  target lead\n  exit \"done \u202eti\"   // a right-to-left override hides in the reason\n}",
        "Remove the character; if it is really wanted in a string, write it as the visible escape `\\u{...}` (the "
        "quick fix does either)."},
};

static_assert(kExplanations.size() == static_cast<std::size_t>(DiagnosticKind::InvisibleCharacter) + 1,
              "every diagnostic kind needs an explanation");

std::string_view severity_word(Severity severity) { return severity_name(severity); }

}  // namespace

const Explanation& explanation(DiagnosticKind kind) { return kExplanations.at(static_cast<std::size_t>(kind)); }

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
      text.what, text.why, text.example, text.fix);
}

std::string rule_text(DiagnosticKind kind) {
  const DiagnosticInfo& info = diagnostic_info(kind);
  const Explanation& text = explanation(kind);
  std::string example;
  for (std::size_t start = 0; start <= text.example.size();) {
    const auto end = text.example.find('\n', start);
    example += "    " + std::string(text.example.substr(start, end - start)) + "\n";
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
