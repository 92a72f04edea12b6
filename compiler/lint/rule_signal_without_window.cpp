// signal-without-window: a branch on opened(E), clicked(E) or replied(E) that can
// run the moment E is sent (no wait in between on some path, and no
// `within`) reads the signal before the prospect could have acted: it is
// almost always "no", and everyone takes the no arm.
//
// Every path to the branch passes through E (signal-not-dominating makes
// sure of it), so the least time between E and the branch is the least time
// from the start to the branch minus the least time from the start to E:
// the analysis computes those (`ir.timing`) for every node in one pass.

#include <vector>

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {
namespace {

/// The signals of `condition` that read an email's engagement.
void engagement_signals(const ast::Expr& condition, std::vector<const ast::Expr*>& out) {
  if (condition.kind == ast::Expr::Kind::Signal) {
    const std::string_view signal = condition.signal.text;
    if (!condition.step.empty() && (signal == "opened" || signal == "clicked" || signal == "replied")) {
      out.push_back(&condition);
    }
    return;
  }
  for (const ast::Expr& operand : condition.operands) engagement_signals(operand, out);
}

}  // namespace

void signal_without_window(const LintContext& context) {
  std::vector<const ast::Expr*> signals;
  for (const SequenceIr& ir : context.checked.sequences) {
    for (uint32_t b = 0; b < ir.nodes.size(); ++b) {
      const IrNode& branch = ir.nodes[b];
      if (branch.kind != StepKind::Branch || !ir.reachable[b] || branch.stmt == nullptr) continue;
      if (branch.stmt->has_within || !branch.stmt->condition) continue;
      signals.clear();
      engagement_signals(*branch.stmt->condition, signals);
      for (const ast::Expr* signal : signals) {
        const auto email = ir.find_label(signal->step.text);
        if (!email || ir.nodes[*email].kind != StepKind::Email || !ir.reachable[*email]) continue;
        if (ir.timing[b].earliest != ir.timing[*email].earliest) continue;
        const Source* source = ir.module->source.get();
        Diagnostic diagnostic = make_diagnostic(
            DiagnosticKind::SignalWithoutWindow, Location{source, signal->span},
            fmt::format("this branch can read {}({}) the moment {} is sent: with no wait and no `within`, the "
                        "prospect has had no time to act, so the answer is almost always no",
                        signal->signal.text, signal->step.text, describe_node(ir, *email)));
        diagnostic.notes.push_back({"sent here", node_label_location(ir, *email)});
        diagnostic.help = "give the prospect time: `within 2d` after the condition, or a `wait` before the branch";
        const Span condition = branch.stmt->condition->span;
        diagnostic.fixes.push_back(Fix{"wait up to 2 days for the signal",
                                       {Edit{Location{source, {condition.end, condition.end}}, " within 2d"}},
                                       false});
        context.out.consume(std::move(diagnostic));
      }
    }
  }
}

// The explanation `cadence explain signal-without-window` prints and docs/rules/signal-without-window.md shows.
const Explanation signal_without_window_explanation = Explanation{
    "A branch on `opened(E)`, `clicked(E)` or `replied(E)` that can run the moment email E is sent: no wait "
    "between them on some path, and no `within` on the branch.",
    "The runtime evaluates the condition as soon as the branch is reached. Nobody opens an email in the same "
    "minute it is sent, so the branch nearly always takes its no arm: the engaged and the silent get the same "
    "follow-up, which is what the branch was meant to prevent.",
    R"cadence(sequence s {
  target lead
  email intro { template t }
  branch opened(intro) {
    yes { call c { script "They read it." } }
  }
})cadence",
    "Add `within 2d` after the condition (the branch waits up to two days for the signal, and takes the yes arm "
    "as soon as it holds), or put a `wait` between the email and the branch.",
    Preamble::LeadWithTemplate};

}  // namespace cadence::rules
