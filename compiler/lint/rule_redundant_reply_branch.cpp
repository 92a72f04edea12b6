// redundant-reply-branch: with `on replied exit`, a reply ends the enrolment
// the moment it arrives, so a branch's "replied" yes arm can never run.

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void redundant_reply_branch(const LintContext& context) {
  for (const SequenceIr& ir : context.checked.sequences) {
    const ast::Handler* handler = exit_handler(ir, "replied");
    if (handler == nullptr) continue;
    for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
      const IrNode& node = ir.nodes[i];
      if (!ir.reachable[i] || node.kind != StepKind::Branch || !node.stmt->condition) continue;
      if (!implies_reply(*node.stmt->condition)) continue;
      Diagnostic diagnostic = make_diagnostic(
          DiagnosticKind::RedundantReplyBranch, Location{ir.module->source.get(), node.stmt->condition->span},
          "the yes arm of this reply branch can never run: the `on replied exit` handler ends the sequence as "
          "soon as a reply arrives");
      diagnostic.notes.push_back({"the handler", Location{ir.module->source.get(), handler->span}});
      diagnostic.help = "drop the branch and keep its no arm, or drop the handler";
      context.out.consume(std::move(diagnostic));
    }
  }
}

// The explanation `cadence explain redundant-reply-branch` prints and docs/rules/redundant-reply-branch.md shows.
const Explanation redundant_reply_branch_explanation =
    Explanation{"A branch on `replied` in a sequence whose `on replied exit` handler ends the enrolment on any reply.",
                "The handler fires first, so the branch's yes arm can never run.",
                R"cadence(sequence s {
  target lead
  on replied exit "replied"

  email intro { template t }
  branch replied within 3d {
    yes { exit "replied" }
    no { call follow { script "Ask whether the note landed." } }
  }
})cadence",
                "Drop the branch and keep its no arm, or drop the handler.", Preamble::LeadWithTemplate};

}  // namespace cadence::rules
