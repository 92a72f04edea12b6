// touch-after-reply: once a branch has seen a reply (inside or after a
// `replied` yes arm), sending another email, SMS or LinkedIn message talks
// over the prospect. Calls and tasks are fine: they are how sellers answer.
//
// Dataflow: each node carries the reply branch some path reached it through
// (or none); a reply branch's yes edge sets it, every other edge passes it on.

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void touch_after_reply(const LintContext& context) {
  constexpr uint32_t kNone = UINT32_MAX;
  for (const SequenceIr& ir : context.checked.sequences) {
    // With the handler the record has left before any later step runs;
    // redundant-reply-branch says so instead.
    if (exit_handler(ir, "replied") != nullptr) continue;
    const std::size_t n = ir.nodes.size();
    std::vector<uint32_t> seen_reply(n, kNone);
    for (uint32_t i = 0; i < n; ++i) {
      if (!ir.reachable[i]) continue;
      const IrNode& node = ir.nodes[i];
      const uint32_t state = seen_reply[i];
      const bool written_message = node.kind == StepKind::Email || node.kind == StepKind::Sms ||
                                   (node.kind == StepKind::Linkedin && node.stmt->linkedin_kind.text != "research");
      if (written_message && state != kNone) {
        Diagnostic diagnostic = make_diagnostic(
            DiagnosticKind::TouchAfterReply, node_label_location(ir, i),
            fmt::format("{} can be sent after the prospect replied: it follows the yes arm of the reply branch "
                        "at line {}",
                        describe_node(ir, i),
                        ir.module->source->human_position(ir.nodes[state].stmt->span.begin).line));
        diagnostic.notes.push_back({"the reply is seen here", node_location(ir, state)});
        diagnostic.help = "answer a reply with a call or a task, or exit the sequence in the yes arm";
        context.out.consume(std::move(diagnostic));
      }
      const bool reply_branch = node.kind == StepKind::Branch && node.stmt != nullptr && node.stmt->condition &&
                                implies_reply(*node.stmt->condition);
      for (const Edge& edge : node.successors) {
        const uint32_t out = reply_branch && edge.arm == "yes" ? i : state;
        uint32_t& there = seen_reply[edge.target];
        if (out != kNone && (there == kNone || out < there)) there = out;
      }
    }
  }
}

}  // namespace cadence::rules
