// consecutive-channel: three or more touches in a row on one channel along
// some path. Mixing calls, emails and LinkedIn engages better.
//
// Dataflow: for every node and channel, the longest run of consecutive
// touches on that channel some path ends with (non-touch steps are
// transparent), and which touch came before in that run. The finding sits on
// the third touch of a run and counts the whole run: one backward pass gives,
// for every node, the longest run of each channel some path continues with.

#include <array>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "lint/dataflow.hpp"
#include "lint/rules.hpp"

namespace cadence::rules {

namespace {

constexpr std::size_t kChannels = 6;

/// For every node: the longest run of touches on each channel that some path
/// from it starts with (the node itself counted when it is such a touch) and
/// that run's first touch; for a touch, the touch after it in its longest
/// run. Linear: the node order is topological.
struct Continuations {
  std::vector<std::array<uint32_t, kChannels>> length;
  std::vector<std::array<uint32_t, kChannels>> head;
  std::vector<uint32_t> after;
};

Continuations continuations(const SequenceIr& ir) {
  Continuations out;
  out.length.assign(ir.nodes.size(), {});
  out.head.assign(ir.nodes.size(), {});
  out.after.assign(ir.nodes.size(), kNoNode);
  for (std::size_t k = ir.nodes.size(); k-- > 0;) {
    const auto i = static_cast<uint32_t>(k);
    std::array<uint32_t, kChannels>& length = out.length[i];
    std::array<uint32_t, kChannels>& head = out.head[i];
    head.fill(kNoNode);
    for (const Edge& edge : ir.nodes[i].successors) {
      for (std::size_t c = 0; c < kChannels; ++c) {
        if (out.length[edge.target][c] > length[c]) {
          length[c] = out.length[edge.target][c];
          head[c] = out.head[edge.target][c];
        }
      }
    }
    const IrNode& node = ir.nodes[i];
    if (!is_touch(node.channel)) continue;
    const auto c = static_cast<std::size_t>(node.channel);
    const uint32_t own = length[c] + 1;
    out.after[i] = head[c];
    length.fill(0);
    head.fill(kNoNode);
    length[c] = own;
    head[c] = i;
  }
  return out;
}

}  // namespace

void consecutive_channel(const LintContext& context) {
  struct Run {
    uint32_t length = 0;
    uint32_t last = kNoNode;  // the touch that ends the run
  };
  using State = std::array<Run, kChannels>;
  for (const SequenceIr& ir : context.checked.sequences) {
    std::vector<uint32_t> previous(ir.nodes.size(), kNoNode);  // the touch before a touch in its longest run
    std::optional<Continuations> ahead;                        // computed for the first finding
    auto visit = [&](uint32_t i, State& runs) {
      const IrNode& node = ir.nodes[i];
      if (!is_touch(node.channel)) return;
      const auto c = static_cast<std::size_t>(node.channel);
      previous[i] = runs[c].last;
      const uint32_t length = runs[c].length + 1;
      runs.fill(Run{});
      runs[c] = {length, i};
      if (length != 3) return;
      if (!ahead) ahead = continuations(ir);
      const uint32_t second = previous[i];
      const uint32_t first = previous[second];
      // The run goes on past this third touch along the longest path.
      std::vector<uint32_t> rest;
      for (uint32_t n = ahead->after[i]; n != kNoNode; n = ahead->after[n]) rest.push_back(n);
      const std::string_view channel = channel_name(node.channel);
      std::string message;
      if (rest.empty()) {
        message = fmt::format("three {} touches in a row: {}, {} and {}; vary the channel", channel,
                              describe_node(ir, first), describe_node(ir, second), describe_node(ir, i));
      } else {
        message = fmt::format("{} {} touches in a row: {} to {}; vary the channel", 3 + rest.size(), channel,
                              describe_node(ir, first), describe_node(ir, rest.back()));
      }
      Diagnostic diagnostic =
          make_diagnostic(DiagnosticKind::ConsecutiveChannel, node_label_location(ir, i), std::move(message));
      diagnostic.notes.push_back({"the first of them", node_label_location(ir, first)});
      diagnostic.notes.push_back({"the second", node_label_location(ir, second)});
      if (!rest.empty()) diagnostic.notes.push_back({"the last", node_label_location(ir, rest.back())});
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
