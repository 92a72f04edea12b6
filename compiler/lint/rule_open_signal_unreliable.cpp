// open-signal-unreliable: mail privacy proxies (Apple Mail Privacy Protection) and link
// scanners load tracking pixels for the recipient, so "opened" is true for
// many who never read the email, and unreliable for the rest. A branch that
// decides on opens alone whether to send more email sends it to the wrong
// people; clicks and replies are signals a person gave.

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {
namespace {

/// True when every signal `condition` reads is `opened`, and it reads one.
bool reads_only_opens(const ast::Expr& condition) {
  if (condition.kind == ast::Expr::Kind::Signal) return condition.signal.text == "opened";
  if (condition.operands.empty()) return false;
  for (const ast::Expr& operand : condition.operands) {
    if (!reads_only_opens(operand)) return false;
  }
  return true;
}

/// The first email written directly in the arm named `name`, if any.
const ast::Stmt* email_in_arm(const ast::Stmt& branch, std::string_view name) {
  for (const ast::Arm& arm : branch.arms) {
    if (arm.name.text != name) continue;
    for (const ast::Stmt& stmt : arm.body) {
      if (stmt.kind == ast::StmtKind::Email) return &stmt;
    }
  }
  return nullptr;
}

}  // namespace

void open_signal_unreliable(const LintContext& context) {
  for (const SequenceIr& ir : context.checked.sequences) {
    for (uint32_t b = 0; b < ir.nodes.size(); ++b) {
      const IrNode& node = ir.nodes[b];
      if (node.kind != StepKind::Branch || !ir.reachable[b] || node.stmt == nullptr || !node.stmt->condition) {
        continue;
      }
      if (!reads_only_opens(*node.stmt->condition)) continue;
      // Opens decide whether more email goes out when one arm sends it and
      // the other does not; an email in each arm only picks the content.
      const ast::Stmt* yes = email_in_arm(*node.stmt, "yes");
      const ast::Stmt* no = email_in_arm(*node.stmt, "no");
      if ((yes == nullptr) == (no == nullptr)) continue;
      const ast::Stmt* email = yes != nullptr ? yes : no;
      const Source* source = ir.module->source.get();
      Diagnostic diagnostic = make_diagnostic(
          DiagnosticKind::OpenSignalUnreliable, Location{source, node.stmt->condition->span},
          "this branch decides on opens alone whether to send more email; privacy proxies and link scanners "
          "report opens nobody made, so the email goes to the wrong prospects");
      diagnostic.notes.push_back({"the email it decides on", Location{source, email->label.span}});
      diagnostic.help =
          "branch on `clicked(...)` or `replied` too (e.g. `opened(x) and clicked(x)`), or on them "
          "instead of opens";
      context.out.consume(std::move(diagnostic));
    }
  }
}

// The explanation `cadence explain open-signal-unreliable` prints and docs/rules/open-signal-unreliable.md shows.
const Explanation open_signal_unreliable_explanation = Explanation{
    "A branch whose condition reads only `opened(...)` signals, with an email in one arm and none in the other: "
    "whether the prospect gets more email depends on opens alone. (An email in each arm only picks the content, "
    "and is not reported.)",
    "Opens are measured with a tracking pixel. Apple Mail Privacy Protection and similar proxies load it for "
    "every message they receive, and security scanners do the same, so many \"opens\" were never made by a "
    "person, and some real ones are never seen. Sending more email on that signal sends it to the wrong people.",
    R"cadence(sequence s {
  target lead
  email intro { template t }
  branch opened(intro) within 2d {
    yes { call c { script "They opened it." } }
    no { email another_angle { template t } }
  }
})cadence",
    "Branch on what a person did: `clicked(intro)` or `replied`, alone or with the open "
    "(`opened(intro) and clicked(intro)`). Keep opens for low-stakes choices such as the channel of a call task.",
    Preamble::LeadWithTemplate};

}  // namespace cadence::rules
