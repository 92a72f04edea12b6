// The checked form of a sequence: a graph of steps with resolved references
// and the analyses every later phase (lints, emit, graph views) reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cadence/vocabulary.hpp"
#include "source/source.hpp"
#include "support/flat_map.hpp"
#include "support/small_vector.hpp"
#include "syntax/ast.hpp"

namespace cadence {

struct Module;

/// The kinds of step and their channels: one table (cadence/steps.def).
using vocabulary::Channel;
using vocabulary::is_activity;
using vocabulary::StepKind;

[[nodiscard]] constexpr std::string_view step_kind_name(StepKind kind) {
  return vocabulary::kStepKinds[static_cast<std::size_t>(kind)];
}
[[nodiscard]] constexpr std::string_view channel_name(Channel channel) {
  return vocabulary::kChannels[static_cast<std::size_t>(channel)];
}

/// A resolved reference to an item, possibly in an imported module.
template <typename Item>
struct ItemRef {
  const Item* item = nullptr;
  const Module* module = nullptr;
  explicit operator bool() const { return item != nullptr; }
};

/// An edge from a step to the next: `arm` is "next" for plain flow, "yes" or
/// "no" for signal branches, a call outcome or "else" for outcome branches.
struct Edge {
  uint32_t target = 0;
  std::string_view arm = "next";
  /// The edge was written as `goto`.
  bool via_goto = false;
  /// Offsets the edge adds, in minutes: a wait's duration; 0..D for the yes
  /// arm of `within D` (it fires as soon as the signal holds), D for its no arm.
  int64_t min_delay = 0;
  int64_t max_delay = 0;
};

struct IrNode {
  StepKind kind = StepKind::Exit;
  Channel channel = Channel::None;
  /// The statement; null for the implicit `exit "completed"` at the end.
  const ast::Stmt* stmt = nullptr;
  /// Stable id: the label for activities; for other steps the nearest
  /// preceding label in the same or an enclosing statement list (or
  /// "start") with the kind and a counter, e.g. "intro.wait1"; "end" for
  /// the implicit exit.
  std::string id;
  /// Two inline: a step has one successor, a signal branch two.
  SmallVector<Edge, 2> successors;
  SmallVector<uint32_t, 2> predecessors;
  // Resolved references (where they apply).
  const ast::Template* email_template = nullptr;
  /// The statement list the step was written in (0 for the sequence body,
  /// then one per arm, in source order).
  uint32_t block = 0;
  /// For branches: the steps the condition's signals name.
  SmallVector<uint32_t, 2> signal_steps;
};

/// What runs when an event happens while a record is enrolled.
struct HandlerInfo {
  const ast::Handler* handler = nullptr;
};

/// Per-sequence results of the analyses (all linear in the graph size).
struct Timing {
  int64_t earliest = 0;  // minutes from enrolment, in the sequence's calendar
  int64_t latest = 0;
};

struct SequenceIr {
  const ast::Sequence* sequence = nullptr;
  const Module* module = nullptr;
  // Resolved settings.
  ItemRef<ast::Entity> target;
  ItemRef<ast::Segment> segment;
  const ast::Setting* segment_setting = nullptr;
  bool business_calendar = true;
  std::optional<ast::Rate> enroll;
  std::optional<ast::Rate> email_limit;
  std::vector<const ast::Setting*> limits;
  std::string_view title;
  std::string_view team;
  std::vector<const ast::Handler*> handlers;

  /// Steps in source order, which is a topological order: every edge goes
  /// from a lower index to a higher one.
  std::vector<IrNode> nodes;
  /// Activity labels to node indexes (the first step with each label).
  FlatMap<std::string_view, uint32_t> labels;
  uint32_t entry = 0;
  std::vector<bool> reachable;
  /// Immediate dominator of each reachable node (the entry is its own).
  std::vector<uint32_t> idom;
  std::vector<Timing> timing;
  /// The path taken when no signal ever fires (every engagement branch takes
  /// its "no" side, calls go unanswered), as node indexes from the entry.
  std::vector<uint32_t> silent_path;

  /// Index of the node with `label`, if an activity has it.
  [[nodiscard]] std::optional<uint32_t> find_label(std::string_view label) const;
  /// True when every path from the entry to `node` passes `dominator`.
  [[nodiscard]] bool dominates(uint32_t dominator, uint32_t node) const;

  // Dominator-tree numbering for O(1) dominance queries.
  std::vector<uint32_t> dom_pre;
  std::vector<uint32_t> dom_post;
};

}  // namespace cadence
