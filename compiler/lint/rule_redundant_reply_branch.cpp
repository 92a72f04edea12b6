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

}  // namespace cadence::rules
