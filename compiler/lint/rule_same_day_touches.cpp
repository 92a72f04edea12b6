// same-day-touches: two touches on one channel with no wait between them land
// on the prospect the same day.
//
// Dataflow: per node and channel, the last touch on that channel since the
// last wait on some path. Waits (and edges that always take time, such as a
// `within` branch's no arm) clear it. So does the yes arm of a branch that
// requires an accepted LinkedIn connection, for LinkedIn: a message after
// `accepted(connect)` answers the prospect's own step, and waits for it.

#include <array>

#include <fmt/format.h>

#include "lint/dataflow.hpp"
#include "lint/rules.hpp"

namespace cadence::rules {

void same_day_touches(const LintContext& context) {
  constexpr std::size_t kChannels = 6;
  using State = std::array<uint32_t, kChannels>;  // per channel: its last touch since a wait
  State empty;
  empty.fill(kNoNode);
  for (const SequenceIr& ir : context.checked.sequences) {
    auto visit = [&](uint32_t i, State& since_wait) {
      const IrNode& node = ir.nodes[i];
      if (!is_touch(node.channel)) return;
      const auto c = static_cast<std::size_t>(node.channel);
      if (since_wait[c] != kNoNode) {
        Diagnostic diagnostic =
            make_diagnostic(DiagnosticKind::SameDayTouches, node_label_location(ir, i),
                            fmt::format("{} follows {} with no wait in between: the prospect gets both the same day",
                                        describe_node(ir, i), describe_node(ir, since_wait[c])));
        diagnostic.notes.push_back({"the earlier touch", node_label_location(ir, since_wait[c])});
        diagnostic.help = "add a wait between them";
        context.out.consume(std::move(diagnostic));
      }
      since_wait[c] = i;
    };
    // Edges that always take time (a wait, a `within` branch's no arm) clear
    // it; the yes arm of a branch on an accepted connection clears LinkedIn.
    auto flow = [&](uint32_t from, const State& since_wait, const Edge& edge) {
      if (edge.min_delay > 0) return empty;
      const IrNode& node = ir.nodes[from];
      if (node.kind == StepKind::Branch && edge.arm == "yes" && node.stmt != nullptr && node.stmt->condition &&
          implies_signal(*node.stmt->condition, "accepted")) {
        State after = since_wait;
        after[static_cast<std::size_t>(Channel::Linkedin)] = kNoNode;
        return after;
      }
      return since_wait;
    };
    forward_dataflow(ir, empty, visit, flow, [](State& into, const State& in) { join_earliest(into, in); });
  }
}

// The explanation `cadence explain same-day-touches` prints and docs/rules/same-day-touches.md shows.
const Explanation same_day_touches_explanation = Explanation{
    "Two touches on one channel with no wait between them. A LinkedIn message in the yes arm of "
    "`branch accepted(connect)` is not counted against the connection request: it answers the "
    "prospect's acceptance.",
    "The prospect gets both on the same day, which reads as a mistake or as pressure.",
    R"cadence(sequence s {
  target lead
  email a { template t }
  email b { template t }
})cadence",
    "Add a wait between them.", Preamble::LeadWithTemplate};

}  // namespace cadence::rules
