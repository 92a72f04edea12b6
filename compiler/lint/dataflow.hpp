// The forward dataflow the path rules share. A sequence's IR is a DAG whose
// node order is topological, so one pass in index order visits every node
// after all of its predecessors: each rule says what state flows along the
// edges, what a node does with it, and how two incoming states meet. The
// pass is linear in nodes and edges however many paths there are.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sema/ir.hpp"

namespace cadence::rules {

/// No node: the empty state of witness-carrying analyses.
inline constexpr uint32_t kNoNode = UINT32_MAX;

/// Runs the pass over the reachable nodes of `ir`.
///   visit(i, state)            the state entering node i (mutable: what the
///                              node does to it, e.g. a touch records itself);
///   flow(i, state, edge)       what leaves node i along `edge`;
///   join(into, incoming)       merges a predecessor's state into a node's.
/// States start as `empty`.
template <typename State, typename Visit, typename Flow, typename Join>
void forward_dataflow(const SequenceIr& ir, const State& empty, Visit visit, Flow flow, Join join) {
  std::vector<State> entering(ir.nodes.size(), empty);
  for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
    if (!ir.reachable[i]) continue;
    State state = entering[i];
    visit(i, state);
    for (const Edge& edge : ir.nodes[i].successors) join(entering[edge.target], flow(i, state, edge));
  }
}

/// The usual join of witness-carrying states: keep a witness, the earliest
/// in source order when several paths bring one.
inline void join_earliest(uint32_t& into, uint32_t incoming) {
  if (incoming != kNoNode && (into == kNoNode || incoming < into)) into = incoming;
}

/// join_earliest per slot, for states with one witness per channel.
template <std::size_t N>
void join_earliest(std::array<uint32_t, N>& into, const std::array<uint32_t, N>& incoming) {
  for (std::size_t k = 0; k < N; ++k) join_earliest(into[k], incoming[k]);
}

}  // namespace cadence::rules
