// touch-after-reply: once a branch has seen a reply (inside or after a
// `replied` yes arm), sending another email, SMS or LinkedIn message talks
// over the prospect. Calls and tasks are fine: they are how sellers answer.
//
// Dataflow: each node carries the reply branch some path reached it through
// (or none); a reply branch's yes edge sets it, every other edge passes it on.

#include <fmt/format.h>

#include "lint/dataflow.hpp"
#include "lint/rules.hpp"

namespace cadence::rules {

void touch_after_reply(const LintContext& context) {
  for (const SequenceIr& ir : context.checked.sequences) {
    // With the handler the record has left before any later step runs;
    // redundant-reply-branch says so instead.
    if (exit_handler(ir, "replied") != nullptr) continue;
    auto visit = [&](uint32_t i, uint32_t& seen_reply) {
      const IrNode& node = ir.nodes[i];
      const bool written_message = node.kind == StepKind::Email || node.kind == StepKind::Sms ||
                                   (node.kind == StepKind::Linkedin && node.stmt->linkedin_kind.text != "research");
      if (!written_message || seen_reply == kNoNode) return;
      Diagnostic diagnostic = make_diagnostic(
          DiagnosticKind::TouchAfterReply, node_label_location(ir, i),
          fmt::format("{} can be sent after the prospect replied: it follows the yes arm of the reply branch "
                      "at line {}",
                      describe_node(ir, i),
                      ir.module->source->human_position(ir.nodes[seen_reply].stmt->span.begin).line));
      diagnostic.notes.push_back({"the reply is seen here", node_location(ir, seen_reply)});
      diagnostic.help = "answer a reply with a call or a task, or exit the sequence in the yes arm";
      context.out.consume(std::move(diagnostic));
    };
    auto flow = [&](uint32_t i, uint32_t seen_reply, const Edge& edge) {
      const IrNode& node = ir.nodes[i];
      const bool reply_branch = node.kind == StepKind::Branch && node.stmt != nullptr && node.stmt->condition &&
                                implies_reply(*node.stmt->condition);
      return reply_branch && edge.arm == "yes" ? i : seen_reply;
    };
    forward_dataflow(ir, kNoNode, visit, flow, [](uint32_t& into, uint32_t in) { join_earliest(into, in); });
  }
}

// The explanation `cadence explain touch-after-reply` prints and docs/rules/touch-after-reply.md shows.
const Explanation touch_after_reply_explanation = Explanation{
    "An email, SMS or LinkedIn message can be sent after a reply was observed: inside a `replied` branch's yes "
    "arm, or after it rejoins.",
    "Once the prospect replied, the seller should answer personally (a call or a task), not send the next "
    "template.",
    R"cadence(sequence s {
  target lead
  on bounced exit "bounced"
  on unsubscribed exit "opted-out"

  email intro { template t }
  branch replied within 3d {
    yes { email thanks { template t } }
  }
})cadence",
    "Answer with a call or a task in the yes arm, or exit the sequence there.", Preamble::LeadWithTemplate};

}  // namespace cadence::rules
