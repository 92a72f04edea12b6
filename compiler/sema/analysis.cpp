#include "sema/analysis.hpp"

#include <algorithm>
#include <limits>

#include "cadence/vocabulary.hpp"

namespace cadence {

std::optional<uint32_t> SequenceIr::find_label(std::string_view label) const {
  const uint32_t* index = labels.find(label);
  if (index == nullptr) return std::nullopt;
  return *index;
}

bool SequenceIr::dominates(uint32_t dominator, uint32_t node) const {
  if (dominator >= dom_pre.size() || node >= dom_pre.size()) return false;
  if (!reachable[dominator] || !reachable[node]) return false;
  return dom_pre[dominator] <= dom_pre[node] && dom_post[node] <= dom_post[dominator];
}

bool holds_when_silent(const ast::Expr& condition) {
  switch (condition.kind) {
    case ast::Expr::Kind::Signal: return false;
    case ast::Expr::Kind::Not: return condition.operands.empty() || !holds_when_silent(condition.operands[0]);
    case ast::Expr::Kind::And:
      return std::all_of(condition.operands.begin(), condition.operands.end(), holds_when_silent);
    case ast::Expr::Kind::Or:
      return std::any_of(condition.operands.begin(), condition.operands.end(), holds_when_silent);
    default: return false;
  }
}

namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

void compute_reachable(SequenceIr& ir) {
  const std::size_t n = ir.nodes.size();
  ir.reachable.assign(n, false);
  if (n == 0) return;
  ir.reachable[ir.entry] = true;
  // Topological order: a node's reachability is final before its successors'.
  for (uint32_t i = ir.entry; i < n; ++i) {
    if (!ir.reachable[i]) continue;
    for (const Edge& edge : ir.nodes[i].successors) ir.reachable[edge.target] = true;
  }
}

/// Cooper, Harvey and Kennedy's dominator algorithm; one pass suffices on a
/// DAG visited in topological order.
void compute_dominators(SequenceIr& ir) {
  const std::size_t n = ir.nodes.size();
  ir.idom.assign(n, kNone);
  if (n == 0) return;
  ir.idom[ir.entry] = ir.entry;
  auto intersect = [&](uint32_t a, uint32_t b) {
    // Node indexes are topological, so walking up from the larger index
    // moves towards the entry.
    while (a != b) {
      while (a > b) a = ir.idom[a];
      while (b > a) b = ir.idom[b];
    }
    return a;
  };
  for (uint32_t i = ir.entry + 1; i < n; ++i) {
    if (!ir.reachable[i]) continue;
    uint32_t dominator = kNone;
    for (uint32_t predecessor : ir.nodes[i].predecessors) {
      if (!ir.reachable[predecessor]) continue;
      dominator = dominator == kNone ? predecessor : intersect(predecessor, dominator);
    }
    ir.idom[i] = dominator;
  }
  // Pre/post numbering of the dominator tree, iteratively (no recursion).
  // Children lists in one array (first_child[v] .. first_child[v + 1]), in
  // node order, so the tree costs two allocations however large it is.
  std::vector<uint32_t> first_child(n + 1, 0);
  for (uint32_t i = 0; i < n; ++i) {
    if (ir.reachable[i] && i != ir.entry) ++first_child[ir.idom[i] + 1];
  }
  for (uint32_t i = 0; i < n; ++i) first_child[i + 1] += first_child[i];
  std::vector<uint32_t> children(first_child[n]);
  {
    std::vector<uint32_t> fill(first_child.begin(), first_child.end() - 1);
    for (uint32_t i = 0; i < n; ++i) {
      if (ir.reachable[i] && i != ir.entry) children[fill[ir.idom[i]]++] = i;
    }
  }
  ir.dom_pre.assign(n, 0);
  ir.dom_post.assign(n, 0);
  uint32_t counter = 0;
  std::vector<std::pair<uint32_t, std::size_t>> stack;
  stack.reserve(n);
  stack.push_back({ir.entry, first_child[ir.entry]});
  ir.dom_pre[ir.entry] = counter++;
  while (!stack.empty()) {
    auto& [node, next_child] = stack.back();
    if (next_child < first_child[node + 1]) {
      const uint32_t child = children[next_child++];
      ir.dom_pre[child] = counter++;
      stack.push_back({child, first_child[child]});
    } else {
      ir.dom_post[node] = counter++;
      stack.pop_back();
    }
  }
}

void compute_timing(SequenceIr& ir) {
  const std::size_t n = ir.nodes.size();
  constexpr int64_t kUnset = std::numeric_limits<int64_t>::max();
  ir.timing.assign(n, Timing{kUnset, 0});
  if (n == 0) return;
  ir.timing[ir.entry] = {0, 0};
  for (uint32_t i = ir.entry; i < n; ++i) {
    if (!ir.reachable[i]) continue;
    const Timing here = ir.timing[i];
    for (const Edge& edge : ir.nodes[i].successors) {
      Timing& there = ir.timing[edge.target];
      there.earliest = std::min(there.earliest, here.earliest + edge.min_delay);
      there.latest = std::max(there.latest, here.latest + edge.max_delay);
    }
  }
  for (Timing& timing : ir.timing) {
    if (timing.earliest == kUnset) timing = {0, 0};
  }
}

}  // namespace

const Edge* silent_edge(const IrNode& node) {
  if (node.successors.empty()) return nullptr;
  if (node.kind == StepKind::Branch && node.stmt != nullptr && node.stmt->condition) {
    const std::string_view arm = holds_when_silent(*node.stmt->condition) ? "yes" : "no";
    for (const Edge& edge : node.successors) {
      if (edge.arm == arm) return &edge;
    }
  }
  if (node.kind == StepKind::OutcomeBranch) {
    for (std::string_view arm : {vocabulary::kSilentCallOutcome, vocabulary::kElseArm}) {
      for (const Edge& edge : node.successors) {
        if (edge.arm == arm) return &edge;
      }
    }
  }
  return &node.successors.front();
}

namespace {

void compute_silent_path(SequenceIr& ir) {
  ir.silent_path.clear();
  if (ir.nodes.empty()) return;
  ir.silent_path.reserve(ir.nodes.size());
  uint32_t node = ir.entry;
  // Edges only go forward, so the walk ends within nodes.size() steps.
  for (;;) {
    ir.silent_path.push_back(node);
    const Edge* edge = silent_edge(ir.nodes[node]);
    if (edge == nullptr) break;
    node = edge->target;
  }
}

}  // namespace

void analyze(SequenceIr& ir) {
  compute_reachable(ir);
  compute_dominators(ir);
  compute_timing(ir);
  compute_silent_path(ir);
}

std::array<uint32_t, 6> silent_touches(const SequenceIr& ir) {
  std::array<uint32_t, 6> touches{};
  for (uint32_t node : ir.silent_path) {
    const Channel channel = ir.nodes[node].channel;
    if (channel != Channel::None) ++touches[static_cast<std::size_t>(channel)];
  }
  return touches;
}

SequenceSummary summarize(const SequenceIr& ir) {
  SequenceSummary summary;
  summary.silent_touches = silent_touches(ir);
  for (std::size_t channel = 0; channel < summary.silent_touches.size(); ++channel) {
    if (is_touch(static_cast<Channel>(channel))) summary.silent_touch_count += summary.silent_touches[channel];
  }
  const std::size_t n = ir.nodes.size();
  std::vector<uint32_t> emails(n, 0);
  bool any_exit = false;
  for (uint32_t i = 0; i < n; ++i) {
    if (!ir.reachable[i]) continue;
    const IrNode& node = ir.nodes[i];
    const uint32_t here = emails[i] + (node.kind == StepKind::Email ? 1 : 0);
    for (const Edge& edge : node.successors) emails[edge.target] = std::max(emails[edge.target], here);
    summary.worst_case_emails = std::max(summary.worst_case_emails, here);
    if (node.kind == StepKind::Exit) {
      if (!any_exit) {
        summary.shortest_minutes = ir.timing[i].earliest;
        summary.longest_minutes = ir.timing[i].latest;
        any_exit = true;
      } else {
        summary.shortest_minutes = std::min(summary.shortest_minutes, ir.timing[i].earliest);
        summary.longest_minutes = std::max(summary.longest_minutes, ir.timing[i].latest);
      }
    }
  }
  return summary;
}

}  // namespace cadence
