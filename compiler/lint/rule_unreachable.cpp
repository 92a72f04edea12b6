// unreachable: a step no path reaches (after an exit, or skipped by a goto)
// never runs; it is probably a mistake, and it is left out of the plan.

#include <algorithm>

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void unreachable(const LintContext& context) {
  for (const SequenceIr& ir : context.checked.sequences) {
    for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
      const IrNode& node = ir.nodes[i];
      // Report where dead code starts, not every step after it: skip steps
      // that dead code flows into from the same statement list.
      if (ir.reachable[i] || node.stmt == nullptr) continue;
      const bool continues_dead_code = std::any_of(node.predecessors.begin(), node.predecessors.end(),
                                                   [&](uint32_t p) { return ir.nodes[p].block == node.block; });
      if (continues_dead_code) continue;
      Diagnostic diagnostic =
          make_diagnostic(DiagnosticKind::Unreachable, node_location(ir, i),
                          fmt::format("{} can never run: nothing leads to it", describe_node(ir, i)));
      diagnostic.help = "remove it, or move it before the exit or goto that skips it";
      context.out.consume(std::move(diagnostic));
    }
  }
}

// The explanation `cadence explain unreachable` prints and docs/rules/unreachable.md shows.
const Explanation unreachable_explanation =
    Explanation{"A step after an `exit` or `goto` in the same block, which no path reaches.",
                "It never runs (and is left out of the plan); it is usually a misplaced exit or goto.",
                R"cadence(sequence s {
  target lead
  email intro { template t }
  exit "done"
  email never { template t }
})cadence",
                "Remove the step, or move the exit or goto after it.", Preamble::LeadWithTemplate};

}  // namespace cadence::rules
