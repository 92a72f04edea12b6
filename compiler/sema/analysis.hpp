// The graph analyses of a sequence. Each is one pass over the nodes in
// topological (source) order, so the cost is linear in the number of steps
// and edges, whatever the number of paths.
#pragma once

#include <array>

#include "sema/ir.hpp"

namespace cadence {

/// Fills reachable, idom (and the dominator-tree numbering), timing and the
/// silent path of `ir`, whose nodes and edges must be complete.
void analyze(SequenceIr& ir);

/// Evaluates a branch condition when no signal has fired (every signal false).
[[nodiscard]] bool holds_when_silent(const ast::Expr& condition);

/// The edge a step takes when no signal has fired (the silent path's next
/// step): a branch's arm for its condition when silent, an outcome branch's
/// unanswered call (else `else`), otherwise the first; null at an exit.
[[nodiscard]] const Edge* silent_edge(const IrNode& node);

/// Touches are what the prospect receives: emails, SMS, calls and LinkedIn
/// actions. Tasks are the seller's own work and do not count.
using vocabulary::is_touch;

/// Summary figures of a sequence, as the plan reports them.
struct SequenceSummary {
  /// Touches per channel along the silent path, indexed by Channel.
  std::array<uint32_t, 6> silent_touches{};
  /// Touches (not tasks) on the silent path.
  uint32_t silent_touch_count = 0;
  /// Earliest and latest offset (minutes) at which some exit is reached.
  int64_t shortest_minutes = 0;
  int64_t longest_minutes = 0;
  /// Most emails on any one path.
  uint32_t worst_case_emails = 0;
};
[[nodiscard]] SequenceSummary summarize(const SequenceIr& ir);
/// Touches per channel along the silent path (summarize()'s first field),
/// without the walk over every step the rest of the summary takes.
[[nodiscard]] std::array<uint32_t, 6> silent_touches(const SequenceIr& ir);

}  // namespace cadence
