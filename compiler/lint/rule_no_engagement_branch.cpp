// no-engagement-branch: emails sent one after another to a prospect who never
// engages, with no check on opens, clicks or replies that changes what comes
// next, are "spam disguised as cadence". A token branch somewhere else does
// not excuse them: the rule walks the silent path (every signal false) and
// counts the emails since the last engagement check whose arms part ways.

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {
namespace {

/// A branch on signals whose yes and no arms lead to different steps: its
/// outcome changes what the prospect gets next.
bool changes_what_follows(const IrNode& node) {
  if (node.kind != StepKind::Branch || node.successors.size() < 2) return false;
  for (const Edge& edge : node.successors) {
    if (edge.target != node.successors.front().target) return true;
  }
  return false;
}

}  // namespace

void no_engagement_branch(const LintContext& context) {
  // Its advice, a branch on engagement, is what a configured target cannot
  // run; stopping on a reply (missing-reply-exit) is what it can.
  if (!context.options.targets_without_branches.empty()) return;
  const uint32_t limit = context.options.no_engagement_emails;
  for (const SequenceIr& ir : context.checked.sequences) {
    // The first run of emails with no check between them that reaches the
    // limit, taken whole: the message counts every email of it.
    std::vector<uint32_t> run;  // emails since the last check that changes what follows
    for (uint32_t i : ir.silent_path) {
      const IrNode& node = ir.nodes[i];
      if (changes_what_follows(node)) {
        if (run.size() >= limit) break;
        run.clear();
      }
      if (node.kind == StepKind::Email) run.push_back(i);
    }
    if (run.size() < limit) continue;
    bool any_branch = false;
    for (uint32_t i = 0; i < ir.nodes.size() && !any_branch; ++i) {
      any_branch = ir.reachable[i] && ir.nodes[i].kind == StepKind::Branch;
    }
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::NoEngagementBranch, Location{ir.module->source.get(), ir.sequence->name.span},
        fmt::format("a prospect who never engages gets {} emails in a row from sequence '{}' with no check on opens, "
                    "clicks or replies that changes what comes next{}; unengaged sends hurt the sending domain",
                    run.size(), ir.sequence->name.text,
                    any_branch ? " (its branches come elsewhere, or both arms lead to the same steps)" : ""));
    for (uint32_t email : run) {
      diagnostic.notes.push_back({fmt::format("{}", describe_node(ir, email)), node_label_location(ir, email)});
    }
    diagnostic.help = "branch on a signal between them, e.g. `branch opened(" +
                      std::string(ir.nodes[run.front()].stmt->label.text) +
                      ") within 2d { yes { ... } no { ... } }`, and vary the follow-up";
    context.out.consume(std::move(diagnostic));
  }
}

// The explanation `cadence explain no-engagement-branch` prints and docs/rules/no-engagement-branch.md shows.
const Explanation no_engagement_branch_explanation = Explanation{
    "Along the silent path (the prospect never opens, clicks or replies), three emails (`[lint.no-engagement-branch] "
    "emails` in cadence.toml) are sent with no branch on an engagement signal between them whose arms lead to "
    "different steps. A branch elsewhere in the sequence, or one whose arms rejoin at once, does not count.",
    "A flat series of emails is spam disguised as cadence: everyone gets every email whether they engage or "
    "not, and unengaged sends drag down the sending domain's reputation.",
    R"cadence(sequence s {
  target lead
  email one { template t }
  wait 2d
  email two { template t }
  wait 2d
  email three { template t }
  wait 2d
  // A token branch at the end does not excuse the three emails before it.
  branch opened(three) within 2d {
    yes { task note_it { note "They opened the last one." } }
  }
})cadence",
    "Branch on `opened`, `clicked` or `replied` between the emails and vary the follow-up (a call for the engaged, "
    "another angle or an earlier exit for the rest).",
    Preamble::LeadWithTemplate};

}  // namespace cadence::rules
