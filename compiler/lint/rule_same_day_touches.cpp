// same-day-touches: two touches on one channel with no wait between them land
// on the prospect the same day.
//
// Dataflow: per node and channel, the last touch on that channel since the
// last wait on some path. Waits (and edges that always take time, such as a
// `within` branch's no arm) clear it.

#include <array>

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void same_day_touches(const LintContext& context) {
  constexpr uint32_t kNone = UINT32_MAX;
  constexpr std::size_t kChannels = 6;
  for (const SequenceIr& ir : context.checked.sequences) {
    const std::size_t n = ir.nodes.size();
    std::vector<std::array<uint32_t, kChannels>> since_wait(n);
    for (auto& state : since_wait) state.fill(kNone);
    for (uint32_t i = 0; i < n; ++i) {
      if (!ir.reachable[i]) continue;
      const IrNode& node = ir.nodes[i];
      std::array<uint32_t, kChannels> state = since_wait[i];
      if (is_touch(node.channel)) {
        const auto c = static_cast<std::size_t>(node.channel);
        if (state[c] != kNone) {
          Diagnostic diagnostic =
              make_diagnostic(DiagnosticKind::SameDayTouches, node_label_location(ir, i),
                              fmt::format("{} follows {} with no wait in between: the prospect gets both the same day",
                                          describe_node(ir, i), describe_node(ir, state[c])));
          diagnostic.notes.push_back({"the earlier touch", node_label_location(ir, state[c])});
          diagnostic.help = "add a wait between them";
          context.out.consume(std::move(diagnostic));
        }
        state[c] = i;
      }
      for (const Edge& edge : node.successors) {
        auto& there = since_wait[edge.target];
        for (std::size_t c = 0; c < kChannels; ++c) {
          const uint32_t out = edge.min_delay > 0 ? kNone : state[c];
          if (out != kNone && (there[c] == kNone || out < there[c])) there[c] = out;
        }
      }
    }
  }
}

}  // namespace cadence::rules
