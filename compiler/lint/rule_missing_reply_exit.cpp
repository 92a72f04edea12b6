// missing-reply-exit: without an `on replied exit` handler, a prospect who
// answers an email keeps receiving the sequence's later touches, unless every
// path checks for the reply (a `replied` branch whose yes arm exits) first.
//
// Dataflow, one pass in topological order: each node carries an email that
// some path reaches it through without such a check since (the witness, or
// none). Emails set it, the "no" edge of a reply check that exits clears it.

#include <fmt/format.h>

#include "lint/dataflow.hpp"
#include "lint/rules.hpp"

namespace cadence::rules {
namespace {

/// A branch on a reply whose yes arm ends the enrolment.
bool is_exiting_reply_check(const IrNode& node) {
  if (node.kind != StepKind::Branch || node.stmt == nullptr || !node.stmt->condition) return false;
  if (!implies_reply(*node.stmt->condition)) return false;
  for (const ast::Arm& arm : node.stmt->arms) {
    if (arm.name.text == "yes") return !arm.body.empty() && arm.body.back().kind == ast::StmtKind::Exit;
  }
  return false;
}

}  // namespace

void missing_reply_exit(const LintContext& context) {
  for (const SequenceIr& ir : context.checked.sequences) {
    if (exit_handler(ir, "replied") != nullptr) continue;
    uint32_t first_touch = kNoNode, first_email = kNoNode, later_touches = 0;
    auto visit = [&](uint32_t i, uint32_t& unchecked_email) {
      const IrNode& node = ir.nodes[i];
      if (is_touch(node.channel) && unchecked_email != kNoNode) {
        if (first_touch == kNoNode) {
          first_touch = i;
          first_email = unchecked_email;
        } else {
          ++later_touches;
        }
      }
      if (node.kind == StepKind::Email) unchecked_email = i;
    };
    auto flow = [&](uint32_t i, uint32_t unchecked_email, const Edge& edge) {
      return is_exiting_reply_check(ir.nodes[i]) && edge.arm == "no" ? kNoNode : unchecked_email;
    };
    forward_dataflow(ir, kNoNode, visit, flow, [](uint32_t& into, uint32_t in) { join_earliest(into, in); });
    if (first_touch == kNoNode) continue;
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::MissingReplyExit, node_label_location(ir, first_touch),
        fmt::format("{} can go out after the prospect replied to {}: sequence '{}' has no `on replied exit` "
                    "handler and no reply check in between",
                    describe_node(ir, first_touch), describe_node(ir, first_email), ir.sequence->name.text));
    diagnostic.notes.push_back(
        {fmt::format("{} is sent here", describe_node(ir, first_email)), node_label_location(ir, first_email)});
    if (later_touches > 0) {
      diagnostic.notes.push_back(
          {fmt::format("{} later touch{} can follow a reply as well", later_touches, later_touches == 1 ? "" : "es"),
           std::nullopt});
    }
    diagnostic.help = "add `on replied exit \"replied\"` so a reply ends the sequence";
    if (!context.options.targets_without_branches.empty()) {
      *diagnostic.help +=
          fmt::format("; {} cannot branch on engagement, so stopping on a reply is the engagement response it runs",
                      context.options.targets_without_branches);
    }
    diagnostic.fixes.push_back(insert_handler_fix(ir, "on replied exit \"replied\"", true));
    context.out.consume(std::move(diagnostic));
  }
}

// The explanation `cadence explain missing-reply-exit` prints and docs/rules/missing-reply-exit.md shows.
const Explanation missing_reply_exit_explanation = Explanation{
    "The sequence has no `on replied exit` handler, and some path sends a touch after an email without a "
    "reply check (a `replied` branch whose yes arm exits) in between.",
    "A prospect who answered gets the next templated touch anyway: the fastest way to look like a robot and "
    "to lose a warm lead.",
    R"cadence(sequence s {
  target lead
  on bounced exit "bounced"
  on unsubscribed exit "opted-out"

  email intro { template t }
  wait 2d
  call follow { script "Ask whether the note landed." }
})cadence",
    "Add `on replied exit \"replied\"` (the quick fix does), or check `replied` before later touches.",
    Preamble::LeadWithTemplate};

}  // namespace cadence::rules
