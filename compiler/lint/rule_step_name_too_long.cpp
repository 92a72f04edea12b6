// step-name-too-long: the step-outcome report joins a step to its runtime
// rows by the step's name in the Dynamics 365 designer
// (msdyn_sequencetargetstep.msdyn_name, at most 100 characters), which is
// to be the label; a longer label can never be that name.

#include <fmt/format.h>

#include "emit/reports.hpp"
#include "lint/rules.hpp"

namespace cadence::rules {

void step_name_too_long(const LintContext& context) {
  for (const SequenceIr& ir : context.checked.sequences) {
    for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
      const IrNode& node = ir.nodes[i];
      if (node.stmt == nullptr || !is_activity(node.kind) || node.stmt->label.text.size() <= kMaxDesignerStepName) {
        continue;
      }
      Diagnostic diagnostic = make_diagnostic(
          DiagnosticKind::StepNameTooLong, node_label_location(ir, i),
          fmt::format("step label of {} characters in sequence '{}': a Dynamics 365 designer step name holds at most "
                      "{}, so the step-outcome report could never find this step",
                      node.stmt->label.text.size(), ir.sequence->name.text, kMaxDesignerStepName));
      diagnostic.help = fmt::format("shorten the label to {} characters or fewer", kMaxDesignerStepName);
      context.out.consume(std::move(diagnostic));
    }
  }
}

// The explanation `cadence explain step-name-too-long` prints and docs/rules/step-name-too-long.md shows.
const Explanation step_name_too_long_explanation = Explanation{
    "A step label is longer than 100 characters.",
    "Deployed to Dynamics 365, each step is named like its label in the sequence designer, and the step-outcome "
    "report (`cadence report`, the plan's `reports.step_outcomes`) groups the runtime's step rows by that name "
    "(`msdyn_sequencetargetstep.msdyn_name`), which holds at most 100 characters: a longer label can never be "
    "found there.",
    R"cadence(sequence s {
  target lead
  on replied exit
  call call_the_prospect_about_the_month_end_close_checklist_and_the_bank_feeds_before_the_trial_ends_next_week { script "Hello" }
})cadence",
    "Shorten the label to 100 characters or fewer; a comment can say the rest.", Preamble::Lead};

}  // namespace cadence::rules
