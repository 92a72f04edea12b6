// no-engagement-branch: three or more emails with no branch on any signal is
// "spam disguised as cadence": everyone gets every email, engaged or not.

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void no_engagement_branch(const LintContext& context) {
  for (const SequenceIr& ir : context.checked.sequences) {
    std::vector<uint32_t> emails;
    bool has_signal_branch = false;
    for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
      if (!ir.reachable[i]) continue;
      if (ir.nodes[i].kind == StepKind::Email) emails.push_back(i);
      if (ir.nodes[i].kind == StepKind::Branch) has_signal_branch = true;
    }
    if (emails.size() < 3 || has_signal_branch) continue;
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::NoEngagementBranch, Location{ir.module->source.get(), ir.sequence->name.span},
        fmt::format("sequence '{}' sends {} emails to every prospect and never branches on opens, clicks or "
                    "replies; unengaged prospects get them all, which hurts the sending domain",
                    ir.sequence->name.text, emails.size()));
    for (uint32_t email : emails) {
      diagnostic.notes.push_back({fmt::format("{}", describe_node(ir, email)), node_label_location(ir, email)});
    }
    diagnostic.help = "branch on a signal, e.g. `branch opened(" + std::string(ir.nodes[emails[0]].stmt->label.text) +
                      ") within 2d { yes { ... } no { ... } }`, and vary the follow-up";
    context.out.consume(std::move(diagnostic));
  }
}

// The explanation `cadence explain no-engagement-branch` prints and docs/rules/no-engagement-branch.md shows.
const Explanation no_engagement_branch_explanation = Explanation{
    "Three or more emails and no branch on any engagement signal.",
    "A flat series of emails is spam disguised as cadence: everyone gets every email whether they engage or "
    "not, and unengaged sends drag down the sending domain's reputation.",
    R"cadence(sequence s {
  target lead
  email one { template t }
  wait 2d
  email two { template t }
  wait 2d
  email three { template t }
})cadence",
    "Branch on `opened`, `clicked` or `replied` and vary the follow-up (a call for the engaged, another angle "
    "for the rest).",
    Preamble::LeadWithTemplate};

}  // namespace cadence::rules
