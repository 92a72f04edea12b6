// consecutive-channel: three or more touches in a row on one channel along
// some path. Mixing calls, emails and LinkedIn engages better.
//
// Dataflow: for every node and channel, the longest run of consecutive
// touches on that channel some path ends with (non-touch steps are
// transparent), and which touch came before in that run.

#include <array>

#include <fmt/format.h>

#include "lint/dataflow.hpp"
#include "lint/rules.hpp"

namespace cadence::rules {

void consecutive_channel(const LintContext& context) {
  constexpr std::size_t kChannels = 6;
  struct Run {
    uint32_t length = 0;
    uint32_t last = kNoNode;  // the touch that ends the run
  };
  using State = std::array<Run, kChannels>;
  for (const SequenceIr& ir : context.checked.sequences) {
    std::vector<uint32_t> previous(ir.nodes.size(), kNoNode);  // the touch before a touch in its longest run
    auto visit = [&](uint32_t i, State& runs) {
      const IrNode& node = ir.nodes[i];
      if (!is_touch(node.channel)) return;
      const auto c = static_cast<std::size_t>(node.channel);
      previous[i] = runs[c].last;
      const uint32_t length = runs[c].length + 1;
      runs.fill(Run{});
      runs[c] = {length, i};
      if (length != 3) return;
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
    };
    auto flow = [](uint32_t, const State& runs, const Edge&) { return runs; };
    // The longest run of each channel any path brings.
    auto join = [](State& into, const State& in) {
      for (std::size_t c = 0; c < kChannels; ++c) {
        if (in[c].length > into[c].length) into[c] = in[c];
      }
    };
    forward_dataflow(ir, State{}, visit, flow, join);
  }
}

// The explanation `cadence explain consecutive-channel` prints and docs/rules/consecutive-channel.md shows.
const Explanation consecutive_channel_explanation =
    Explanation{"Three or more touches in a row on one channel along some path (tasks do not count as touches).",
                "Alternating calls, emails and LinkedIn engages better than the same channel over and over.",
                R"cadence(sequence s {
  target lead
  email a { template t }
  wait 1d
  email b { template t }
  wait 1d
  email c { template t }
})cadence",
                "Replace one of them with a call or a LinkedIn touch.", Preamble::LeadWithTemplate};

}  // namespace cadence::rules
