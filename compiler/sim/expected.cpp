// The expected load: what an enrolment can expect under the engagement
// rates `cadence simulate` draws with, computed over the checked flow graph
// instead of drawn at random. The throttle-overrun lint's note on the
// expected emails a day comes from here; the worst case (nobody engages) is
// simulate_worst_case() in load.cpp.

#include <algorithm>
#include <array>
#include <utility>

#include "cadence/vocabulary.hpp"
#include "sema/analysis.hpp"
#include "sim/load.hpp"

namespace cadence {
namespace {

/// What an enrolment's handlers do on an event: exit, or hold it (a pause).
struct HandlerEffect {
  bool exits = false;
  bool handled = false;
};

HandlerEffect effect(const SequenceIr& ir, std::string_view event) {
  for (const ast::Handler* handler : ir.handlers) {
    if (handler->event.text == event) return {!handler->is_pause, true};
  }
  return {};
}

/// What a touch can leave behind, as one of eight categories: for an email
/// whether it bounced, was not opened, opened, or clicked (bits 1..2) and
/// whether it got a reply (bit 0); for other touches whether a connection
/// was accepted (bit 1) and a reply (bit 0).
enum : uint8_t { kReplyBit = 1 };
constexpr int kCategoryBounced = 0, kCategoryNotOpened = 1, kCategoryOpened = 2, kCategoryClicked = 3;
constexpr uint8_t kAllCategories = 0xFF;

/// The weight of each category among the enrolments that are still in the
/// sequence after a touch (their sum: the chance of staying in it), drawn in
/// the reference runtime's order: a bounce ends the touch; then opens and
/// clicks, an opt-out, an out-of-office reply, a reply, each of which a
/// handler may act on (an exit ends the enrolment, a pause holds it; either
/// way the draws after it are skipped).
/// What the sequence's handlers do on the events a touch can raise.
struct Handlers {
  HandlerEffect replied, bounced, unsubscribed, away;
  explicit Handlers(const SequenceIr& ir)
      : replied(effect(ir, "replied")),
        bounced(effect(ir, "bounced")),
        unsubscribed(effect(ir, "unsubscribed")),
        away(effect(ir, "out_of_office")) {}
};

std::array<double, 8> touch_categories(const Handlers& handlers, const IrNode& node, const EngagementRates& rates) {
  const HandlerEffect& replied = handlers.replied;
  auto stop = [](const HandlerEffect& e, double p) { return e.handled ? p : 0.0; };
  auto end = [](const HandlerEffect& e, double p) { return e.exits ? p : 0.0; };
  std::array<double, 8> w{};
  if (node.channel == Channel::Task) {
    w[0] = 1;
    return w;
  }
  const double kept_reply = rates.reply - end(replied, rates.reply);  // replied and still in
  if (node.channel != Channel::Email) {
    const bool connect =
        node.channel == Channel::Linkedin && node.stmt != nullptr && node.stmt->linkedin_kind.text == "connect";
    const double accept = connect ? rates.accept : 0;
    for (int accepted = 0; accepted < 2; ++accepted) {
      const double a = accepted != 0 ? accept : 1 - accept;
      w[accepted * 2] = a * (1 - rates.reply);
      w[accepted * 2 + kReplyBit] = a * kept_reply;
    }
    return w;
  }
  const HandlerEffect& bounced = handlers.bounced;
  const HandlerEffect& unsubscribed = handlers.unsubscribed;
  const HandlerEffect& away = handlers.away;
  const double b = rates.bounce;
  const double after_away = (1 - stop(unsubscribed, rates.unsubscribe)) * (1 - stop(away, rates.out_of_office));
  // Delivered and still in: without a reply, and with one kept.
  const double quiet = 1 - end(unsubscribed, rates.unsubscribe) -
                       (1 - stop(unsubscribed, rates.unsubscribe)) * end(away, rates.out_of_office) -
                       after_away * rates.reply;
  const double answered = after_away * kept_reply;
  w[kCategoryBounced * 2] = b * (1 - end(bounced, 1.0));
  const double open = rates.open;
  const double opened[3] = {1 - open, open * (1 - rates.click), open * rates.click};
  for (int state = kCategoryNotOpened; state <= kCategoryClicked; ++state) {
    w[state * 2] = (1 - b) * opened[state - 1] * quiet;
    w[state * 2 + kReplyBit] = (1 - b) * opened[state - 1] * answered;
  }
  return w;
}

/// Whether `signal` holds for a touch that left category `category`.
bool signal_holds(std::string_view word, Channel channel, int category) {
  using vocabulary::Signal;
  const std::optional<Signal> signal = vocabulary::find<Signal>(vocabulary::kSignals, word);
  if (!signal) return false;
  if (*signal == Signal::Replied) return (category & kReplyBit) != 0;
  // Other signals are raised on one channel only (cadence/steps.def).
  if (vocabulary::signal_channel(*signal) != channel) return false;
  const int state = category >> 1;
  switch (*signal) {
    case Signal::Opened: return state == kCategoryOpened || state == kCategoryClicked;
    case Signal::Clicked: return state == kCategoryClicked;
    case Signal::Bounced: return state == kCategoryBounced;
    case Signal::Accepted: return state == 1;
    default: return false;
  }
}

/// The touches a condition reads (each once); a signal without a step (a
/// reply since enrolment) is none of them.
void steps_read(const SequenceIr& ir, const ast::Expr& expr, std::vector<uint32_t>& out, bool& stepless) {
  if (expr.kind == ast::Expr::Kind::Signal) {
    if (expr.step.empty()) {
      stepless = true;
    } else if (const auto step = ir.find_label(expr.step.text);
               step && std::find(out.begin(), out.end(), *step) == out.end()) {
      out.push_back(*step);
    }
    return;
  }
  for (const ast::Expr& operand : expr.operands) steps_read(ir, operand, out, stepless);
}

/// Whether `expr` holds when each step of `steps` left `categories[k]`.
bool condition_holds(const SequenceIr& ir, const ast::Expr& expr, const std::vector<uint32_t>& steps,
                     const std::vector<int>& categories) {
  switch (expr.kind) {
    case ast::Expr::Kind::Not:
      return expr.operands.empty() || !condition_holds(ir, expr.operands[0], steps, categories);
    case ast::Expr::Kind::And:
      return std::all_of(expr.operands.begin(), expr.operands.end(),
                         [&](const ast::Expr& e) { return condition_holds(ir, e, steps, categories); });
    case ast::Expr::Kind::Or:
      return std::any_of(expr.operands.begin(), expr.operands.end(),
                         [&](const ast::Expr& e) { return condition_holds(ir, e, steps, categories); });
    case ast::Expr::Kind::Signal: break;
    default: return false;
  }
  if (expr.step.empty()) return false;  // weighed apart
  const auto step = ir.find_label(expr.step.text);
  if (!step) return false;
  const auto k = static_cast<std::size_t>(std::find(steps.begin(), steps.end(), *step) - steps.begin());
  return signal_holds(expr.signal.text, ir.nodes[*step].channel, categories[k]);
}

/// What is known on a path about the touches branches read: for each, the
/// categories it may still have left.
using Knowledge = std::vector<std::pair<uint32_t, uint8_t>>;

uint8_t known_mask(const Knowledge& known, uint32_t step) {
  for (const auto& [s, mask] : known) {
    if (s == step) return mask;
  }
  return kAllCategories;
}

/// Most distinct states of knowledge followed per step; beyond, the rest
/// join the first (its knowledge stands in for theirs).
constexpr std::size_t kMaxKnowledgeStates = 64;

}  // namespace

ExpectedLoad expected_load(const SequenceIr& ir, const EngagementRates& rates,
                           const std::map<std::string, double>& call_mix) {
  ExpectedLoad expected;
  const std::size_t n = ir.nodes.size();
  if (n == 0) return expected;
  std::vector<std::array<double, 8>> weights(n);
  std::vector<double> survive(n, 1);
  const Handlers handlers(ir);
  for (std::size_t i = 0; i < n; ++i) {
    if (ir.nodes[i].channel == Channel::None) continue;
    weights[i] = touch_categories(handlers, ir.nodes[i], rates);
    survive[i] = 0;
    for (const double w : weights[i]) survive[i] += w;
  }
  auto weight = [&](uint32_t step, uint8_t mask) {
    double total = 0;
    for (int c = 0; c < 8; ++c) {
      if ((mask >> c & 1) != 0) total += weights[step][static_cast<std::size_t>(c)];
    }
    return total;
  };
  // Per step, the chance that no touch on every path to it (its strict
  // dominators) kept a reply: a product down the dominator tree, in which
  // each step's dominator comes before it.
  std::vector<double> no_reply_before(n, 1);
  for (uint32_t i = 0; i < n; ++i) {
    if (!ir.reachable[i] || i == ir.entry || i >= ir.idom.size()) continue;
    const uint32_t up = ir.idom[i];
    if (up >= n) continue;
    double factor = 1;
    if (ir.nodes[up].channel != Channel::None && survive[up] > 0) factor = 1 - weight(up, 0xAA) / survive[up];
    no_reply_before[i] = no_reply_before[up] * factor;
  }
  // Per step, each distinct state of knowledge and the chance of arriving
  // with it (few per step: a short list).
  std::vector<std::vector<std::pair<Knowledge, double>>> reach(n);
  // The lists of the steps already done, emptied, for the steps after them
  // (one allocation per list rather than one per step).
  std::vector<std::vector<std::pair<Knowledge, double>>> spare;
  auto arrive = [&]<typename K>(uint32_t node, K&& known, double mass) {
    if (mass <= 0) return;
    auto& states = reach[node];
    for (auto& [state, total] : states) {
      if (state == known) {
        total += mass;
        return;
      }
    }
    if (states.capacity() == 0 && !spare.empty()) {
      states = std::move(spare.back());
      spare.pop_back();
    }
    if (states.size() < kMaxKnowledgeStates) {
      states.emplace_back(std::forward<K>(known), mass);
    } else {
      states.front().second += mass;
    }
  };
  arrive(ir.entry, Knowledge{}, 1);
  double& emails = expected.emails;
  // Buffers reused from branch to branch (a sequence has many, each reading
  // a step or two).
  std::vector<std::pair<Knowledge, double>> states;
  spare.reserve(n);
  std::vector<uint32_t> steps;
  std::vector<uint8_t> yes_masks;
  std::vector<uint8_t> no_masks;
  std::vector<int> categories;
  for (uint32_t i = 0; i < n; ++i) {
    const IrNode& node = ir.nodes[i];
    states.clear();
    states.swap(reach[i]);
    if (!ir.reachable[i]) continue;
    for (auto& [known, here] : states) {
      if (node.channel == Channel::Email) emails += here;
      if (node.kind == StepKind::Exit && node.stmt != nullptr && node.stmt->exit.outcome == ast::OutcomeKind::Handoff)
        expected.handoffs[std::string(node.stmt->exit.handoff.text)] += here;
      if (node.successors.empty()) continue;
      if (node.kind == StepKind::Branch && node.stmt != nullptr && node.stmt->condition) {
        const ast::Expr& condition = *node.stmt->condition;
        steps.clear();
        bool stepless = false;
        steps_read(ir, condition, steps, stepless);
        // Sum over what each step read may have left, given what is known.
        double yes = 0;
        double all = 0;
        yes_masks.assign(steps.size(), 0);
        no_masks.assign(steps.size(), 0);
        categories.assign(steps.size(), 0);
        const std::size_t combinations = steps.size() <= 3 ? std::size_t{1} << (3 * steps.size()) : 0;
        for (std::size_t combo = 0; combo < combinations; ++combo) {
          double p = 1;
          for (std::size_t k = 0; k < steps.size(); ++k) {
            categories[k] = static_cast<int>(combo >> (3 * k) & 7);
            if ((known_mask(known, steps[k]) >> categories[k] & 1) == 0) p = 0;
            p *= weights[steps[k]][static_cast<std::size_t>(categories[k])];
          }
          if (p <= 0) continue;
          all += p;
          const bool holds = condition_holds(ir, condition, steps, categories);
          if (holds) yes += p;
          for (std::size_t k = 0; k < steps.size(); ++k) {
            (holds ? yes_masks : no_masks)[k] |= static_cast<uint8_t>(1U << categories[k]);
          }
        }
        double p_yes = all > 0 ? yes / all : 0;
        if (stepless) {
          // A reply since enrolment, at any touch before: the chance one of
          // the touches on every path here kept a reply.
          const double replied = 1 - no_reply_before[i];
          p_yes = steps.empty() ? replied : 1 - (1 - p_yes) * (1 - replied);
        }
        // What the arm taken tells about one step read is kept; several
        // steps' knowledge is not a product, so none is kept for them.
        Knowledge yes_known = known;
        Knowledge no_known = known;
        if (steps.size() == 1 && !stepless) {
          auto narrow = [&](Knowledge& k, uint8_t mask) {
            for (auto& [s, m] : k) {
              if (s == steps[0]) {
                m = mask;
                return;
              }
            }
            k.emplace_back(steps[0], mask);
            std::sort(k.begin(), k.end());
          };
          narrow(yes_known, yes_masks[0]);
          narrow(no_known, no_masks[0]);
        }
        for (const Edge& edge : node.successors) {
          const bool is_yes = edge.arm == "yes";
          arrive(edge.target, is_yes ? yes_known : no_known, here * (is_yes ? p_yes : 1 - p_yes));
        }
      } else if (node.kind == StepKind::OutcomeBranch) {
        double listed = 0;
        for (const Edge& edge : node.successors) {
          auto share = call_mix.find(std::string(edge.arm));
          if (share == call_mix.end()) continue;
          arrive(edge.target, known, here * share->second);
          listed += share->second;
        }
        for (const Edge& edge : node.successors) {
          if (edge.arm == vocabulary::kElseArm) arrive(edge.target, known, here * std::max(0.0, 1 - listed));
        }
      } else {
        arrive(node.successors.front().target, std::move(known), here * survive[i]);
      }
    }
    states.clear();
    spare.push_back(std::exchange(states, {}));
  }
  return expected;
}

}  // namespace cadence
