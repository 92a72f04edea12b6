// missing-reply-exit: without an `on replied exit` handler, a prospect who
// answers an email keeps receiving the sequence's later touches, unless every
// path checks for the reply (a `replied` branch whose yes arm exits) first.
//
// Dataflow, one pass in topological order: each node carries an email that
// some path reaches it through without such a check since (the witness, or
// none). Emails set it, the "no" edge of a reply check that exits clears it.

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

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
    const std::size_t n = ir.nodes.size();
    std::vector<uint32_t> unchecked_email(n, kNone);
    uint32_t first_touch = kNone, first_email = kNone, later_touches = 0;
    for (uint32_t i = 0; i < n; ++i) {
      if (!ir.reachable[i]) continue;
      const IrNode& node = ir.nodes[i];
      uint32_t state = unchecked_email[i];
      if (is_touch(node.channel) && state != kNone) {
        if (first_touch == kNone) {
          first_touch = i;
          first_email = state;
        } else {
          ++later_touches;
        }
      }
      if (node.kind == StepKind::Email) state = i;
      const bool check = is_exiting_reply_check(node);
      for (const Edge& edge : node.successors) {
        const uint32_t out = check && edge.arm == "no" ? kNone : state;
        uint32_t& there = unchecked_email[edge.target];
        if (out != kNone && (there == kNone || out < there)) there = out;
      }
    }
    if (first_touch == kNone) continue;
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
    diagnostic.fixes.push_back(insert_handler_fix(ir, "on replied exit \"replied\"", true));
    context.out.consume(std::move(diagnostic));
  }
}

}  // namespace cadence::rules
