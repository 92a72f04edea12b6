// consecutive-channel: three or more touches in a row on one channel along
// some path. Mixing calls, emails and LinkedIn engages better.
//
// Dataflow: for every node and channel, the longest run of consecutive
// touches on that channel some path ends with (non-touch steps are
// transparent), and which touch came before in that run.

#include <array>

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void consecutive_channel(const LintContext& context) {
  constexpr uint32_t kNone = UINT32_MAX;
  constexpr std::size_t kChannels = 6;
  struct Run {
    uint32_t length = 0;
    uint32_t last = kNone;  // the touch that ends the run
  };
  for (const SequenceIr& ir : context.checked.sequences) {
    const std::size_t n = ir.nodes.size();
    std::vector<std::array<Run, kChannels>> runs(n);
    std::vector<uint32_t> previous(n, kNone);  // the touch before a touch in its longest run
    for (uint32_t i = 0; i < n; ++i) {
      if (!ir.reachable[i]) continue;
      const IrNode& node = ir.nodes[i];
      std::array<Run, kChannels> state = runs[i];
      if (is_touch(node.channel)) {
        const auto c = static_cast<std::size_t>(node.channel);
        previous[i] = state[c].last;
        const uint32_t length = state[c].length + 1;
        state.fill(Run{});
        state[c] = {length, i};
        if (length == 3) {
          const uint32_t second = previous[i];
          const uint32_t first = previous[second];
          Diagnostic diagnostic = make_diagnostic(
              DiagnosticKind::ConsecutiveChannel, node_label_location(ir, i),
              fmt::format("three {} touches in a row: {}, {} and {}; vary the channel", channel_name(node.channel),
                          describe_node(ir, first), describe_node(ir, second), describe_node(ir, i)));
          diagnostic.notes.push_back({"the first of them", node_label_location(ir, first)});
          diagnostic.notes.push_back({"the second", node_label_location(ir, second)});
          diagnostic.help = "replace one of them with a call or a LinkedIn touch";
          context.out.consume(std::move(diagnostic));
        }
      }
      for (const Edge& edge : node.successors) {
        auto& there = runs[edge.target];
        for (std::size_t c = 0; c < kChannels; ++c) {
          if (state[c].length > there[c].length) there[c] = state[c];
        }
      }
    }
  }
}

}  // namespace cadence::rules
