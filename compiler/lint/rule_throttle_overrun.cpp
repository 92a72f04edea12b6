// throttle-overrun: the platform throttles email per owner per day (200 is
// the usual working ceiling). When sequences imply more, the excess is queued
// silently to the next day and every later due date of those enrolments
// drifts. Sequences of one `team` share owners, so their loads add up across
// the project.
//
// The figures come from the load model `cadence simulate --worst-case` runs
// (sim/load.hpp): nobody engages, so every enrolment follows its silent path;
// each working day `enroll` new records per owner; what is over a limit waits
// for the next working day. The rule fires when, on the last day of that
// simulation (kLoadHorizonDays), anything still waits.

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cadence/vocabulary.hpp"
#include "lint/rules.hpp"
#include "sema/analysis.hpp"
#include "sim/simulate.hpp"

namespace cadence::rules {
namespace {

/// A rate as a per-day figure; weekly rates spread over the days the
/// sequence's calendar works (5 for business days, 7 otherwise).
double per_day(const ast::Rate& rate, bool business_calendar) {
  return rate.per == ast::Per::Day ? static_cast<double>(rate.count)
                                   : static_cast<double>(rate.count) / (business_calendar ? 5.0 : 7.0);
}

/// How a message counts touches of a channel: one, and several.
std::pair<std::string, std::string> channel_nouns(const std::string& channel) {
  if (channel == "sms") return {"SMS", "SMS"};
  if (channel == "linkedin") return {"LinkedIn touch", "LinkedIn touches"};
  return {channel, channel + "s"};  // email(s), call(s), task(s)
}

/// The sequence in the shared load model: its silent path as touches with
/// the working days before each (as the plan's edges give them to the
/// simulator), and its limits.
SequenceLoad sequence_load(const SequenceIr& ir, const RunFacts::EmailLoad& facts) {
  SequenceLoad out;
  out.stream.sequence = facts.sequence;
  out.stream.enroll_per_day = facts.enroll_per_day;
  out.stream.business_calendar = ir.business_calendar;
  out.team = facts.team;
  PathBuilder path(out.stream);
  for (uint32_t index : ir.silent_path) {
    const IrNode& node = ir.nodes[index];
    if (node.kind == StepKind::Exit) break;
    path.step(node.channel == Channel::None ? std::string_view() : channel_name(node.channel));
    if (const Edge* edge = silent_edge(node)) path.edge(edge->min_delay);
  }
  path.exit("completed");
  for (const ast::Setting* setting : ir.limits) {
    out.limits[std::string(setting->word.text)] = per_day(setting->rate, ir.business_calendar);
  }
  out.limits["email"] = std::min(facts.own_limit.value_or(facts.default_limit), facts.ceiling);
  return out;
}

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
constexpr int kBounced = 0, kNotOpened = 1, kOpened = 2, kClicked = 3;
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
  w[kBounced * 2] = b * (1 - end(bounced, 1.0));
  const double open = rates.open;
  const double opened[3] = {1 - open, open * (1 - rates.click), open * rates.click};
  for (int state = kNotOpened; state <= kClicked; ++state) {
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
    case Signal::Opened: return state == kOpened || state == kClicked;
    case Signal::Clicked: return state == kClicked;
    case Signal::Bounced: return state == kBounced;
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

std::string number(double value) {
  return value == static_cast<double>(static_cast<int64_t>(value)) ? fmt::format("{}", static_cast<int64_t>(value))
                                                                   : fmt::format("{:.1f}", value);
}

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

void collect_email_loads(const CheckResult& checked, const LintOptions& options, RunFacts& facts) {
  const auto ceiling = static_cast<double>(options.email_ceiling_per_day);
  for (const SequenceIr& ir : checked.sequences) {
    if (ir.email_limit && per_day(*ir.email_limit, ir.business_calendar) > ceiling) {
      for (const ast::Setting& setting : ir.sequence->settings) {
        if (setting.kind == ast::SettingKind::Limit && setting.word.text == "email") {
          facts.limits_over_ceiling.push_back({std::string(ir.sequence->name.text),
                                               per_day(*ir.email_limit, ir.business_calendar), ceiling,
                                               options.ceiling_origin, setting.span});
        }
      }
    }
    // Without `enroll` a sequence has no volume of its own; in a team it may
    // still take records handed off to it.
    if (!ir.enroll && ir.team.empty()) continue;
    RunFacts::EmailLoad load;
    load.team = std::string(ir.team);
    load.team_key =
        ir.team.empty() ? fmt::format("\x01{}:{}", checked.module->path.string(), ir.sequence->name.text) : load.team;
    load.sequence = std::string(ir.sequence->name.text);
    load.enroll_per_day = ir.enroll ? per_day(*ir.enroll, ir.business_calendar) : 0;
    load.silent_emails = silent_touches(ir)[static_cast<std::size_t>(Channel::Email)];
    static const std::map<std::string, double> call_mix = default_call_mix();
    ExpectedLoad expected = expected_load(ir, kDefaultRates, call_mix);
    load.expected_emails = expected.emails;
    load.expected_handoffs = std::move(expected.handoffs);
    if (ir.email_limit) load.own_limit = per_day(*ir.email_limit, ir.business_calendar);
    load.default_limit = static_cast<double>(options.default_email_limit_per_day);
    load.ceiling = ceiling;
    load.name = ir.sequence->name.span;
    load.enroll = load.name;
    for (const ast::Setting& setting : ir.sequence->settings) {
      if (setting.kind == ast::SettingKind::Enroll) load.enroll = setting.span;
    }
    load.load = sequence_load(ir, load);
    if (!ir.silent_path.empty()) {
      const IrNode& end = ir.nodes[ir.silent_path.back()];
      if (end.kind == StepKind::Exit && end.stmt != nullptr && end.stmt->exit.outcome == ast::OutcomeKind::Handoff)
        load.handoff = std::string(end.stmt->exit.handoff.text);
    }
    facts.email_loads.push_back(std::move(load));
  }
}

void throttle_overrun(const std::vector<const RunFacts*>& files, const SourceOfFacts& source_of,
                      DiagnosticConsumer& out, Teams teams) {
  // Group by team; a sequence without a team is a group of its own.
  struct Contribution {
    const RunFacts::EmailLoad* load;
    const RunFacts* file;
    [[nodiscard]] double per_day() const { return load->enroll_per_day * load->silent_emails; }
  };
  std::map<std::string, std::vector<Contribution>> groups;  // by project and team
  // A sequence defined in two files of a project (a duplicate-definition)
  // counts once, as the first file defines it.
  std::set<std::pair<std::string, std::string_view>> counted;
  for (const RunFacts* facts : files) {
    for (const RunFacts::EmailLoad& load : facts->email_loads) {
      if (load.team.empty() != (teams == Teams::Solo)) continue;
      std::string key = facts->project + '\n' + load.team_key;
      if (!counted.emplace(key, load.sequence).second) continue;
      groups[std::move(key)].push_back({&load, facts});
    }
  }
  for (auto& [key, group] : groups) {
    // Records handed off to a sequence of the team enrol there too.
    std::vector<int> target(group.size(), -1);
    bool handed_off = false;
    for (std::size_t i = 0; i < group.size(); ++i) {
      for (std::size_t k = 0; k < group.size() && !group[i].load->handoff.empty(); ++k) {
        if (group[k].load->sequence == group[i].load->handoff) target[i] = static_cast<int>(k);
      }
      handed_off = handed_off || target[i] >= 0;
    }
    // Most teams are well under every limit: known without running a day,
    // and without copying their loads.
    if (!handed_off) {
      std::vector<const SequenceLoad*> members;
      members.reserve(group.size());
      for (const Contribution& c : group) members.push_back(&c.load->load);
      if (!may_queue(members)) continue;
    }
    std::vector<SequenceLoad> loads;
    loads.reserve(group.size());
    bool limit_is_set = false;
    for (std::size_t i = 0; i < group.size(); ++i) {
      loads.push_back(group[i].load->load);
      loads.back().stream.handoff = target[i];
      limit_is_set = limit_is_set || group[i].load->own_limit.has_value();
    }
    // Each one's daily intake is its own rate and what reaches it (when
    // nobody engages, every record reaches the end of the silent path).
    std::vector<double> intake(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) intake[i] = group[i].load->enroll_per_day;
    for (std::size_t i = 0; i < group.size(); ++i) {
      // Along the chain from each sequence, each sequence once (a cycle only
      // adds what it brings round once; the simulation below has it all).
      std::vector<bool> seen(group.size(), false);
      seen[i] = true;
      for (int k = target[i]; k >= 0 && !seen[static_cast<std::size_t>(k)]; k = target[static_cast<std::size_t>(k)]) {
        seen[static_cast<std::size_t>(k)] = true;
        intake[static_cast<std::size_t>(k)] += group[i].load->enroll_per_day;
      }
    }
    const SimulationResult run = simulate_worst_case(std::span<const SequenceLoad>(loads), kLoadHorizonDays);
    if (run.days.empty() || run.days.back().queued == 0) continue;
    const SimulationDay& last = run.days.back();
    // The channel furthest over its limit names the load: email, unless a
    // `limit call` (say) is what holds the work back.
    std::map<std::string, double> limits;
    std::map<std::string, double> steady;
    std::vector<std::map<std::string, uint32_t>> touches(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) {
      for (const auto& [channel, limit] : loads[i].limits) {
        auto [it, added] = limits.emplace(channel, limit);
        if (!added) it->second = std::min(it->second, limit);
      }
      for (const PathTouch& touch : loads[i].stream.path) {
        if (touch.channel.empty()) continue;
        ++touches[i][touch.channel];
        steady[touch.channel] += intake[i];
      }
    }
    std::string channel = "email";
    double worst_ratio = -1;
    for (const auto& [name, limit] : limits) {
      const double ratio = limit > 0 ? steady[name] / limit : 0;
      if (ratio > worst_ratio + 1e-9 || (name == "email" && ratio >= worst_ratio - 1e-9)) {
        worst_ratio = ratio;
        channel = name;
      }
    }
    const double load = steady[channel];
    const double limit = limits[channel];
    const auto [one, many] = channel_nouns(channel);
    // Report at the largest contributor's `enroll` setting among the files
    // asked for (the rest of the project only adds to the load).
    const Contribution* top = nullptr;
    for (const Contribution& c : group) {
      if (c.file->reported && (top == nullptr || c.per_day() > top->per_day())) top = &c;
    }
    if (top == nullptr) continue;
    const RunFacts::EmailLoad& largest = *top->load;
    const std::string who = largest.team.empty() ? fmt::format("owners of sequence '{}'", largest.sequence)
                                                 : fmt::format("owners in team '{}'", largest.team);
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::ThrottleOverrun, Location{source_of(*top->file), largest.enroll},
        fmt::format("{} have {} {} due a day when nobody engages (the worst case), against a limit of {} a day: "
                    "what is over a limit waits for the next working day: after {} days {} activities wait, and what "
                    "goes out that day is {} working days late on average",
                    who, number(load), many, number(limit), kLoadHorizonDays, last.queued,
                    fmt::format("{:.2f}", std::round(last.drift_days * 100) / 100)));
    for (std::size_t i = 0; i < group.size(); ++i) {
      const Contribution& c = group[i];
      const double handed = intake[i] - c.load->enroll_per_day;
      const uint32_t count = touches[i][channel];
      diagnostic.notes.push_back(
          {fmt::format("sequence '{}': {} enrolments a day{} x {} {} on its silent path = {} a day", c.load->sequence,
                       number(intake[i]),
                       handed > 0 ? fmt::format(" ({} of them handed off to it)", number(handed)) : std::string(),
                       count, count == 1 ? one : many, number(intake[i] * count)),
           Location{source_of(*c.file), c.load->name}});
    }
    // The same under the default engagement rates: fewer records reach a
    // handoff (replies, bounces and opt-outs leave first).
    std::map<std::string_view, std::size_t> index_of;
    for (std::size_t i = 0; i < group.size(); ++i) index_of.emplace(group[i].load->sequence, i);
    std::vector<double> expected_intake(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) expected_intake[i] = group[i].load->enroll_per_day;
    // Passes along the handoffs: a chain of n sequences settles in n passes
    // (a cycle is followed round at most 16 times).
    for (std::size_t pass = 0; pass < std::min<std::size_t>(group.size(), 16); ++pass) {
      std::vector<double> next(group.size());
      for (std::size_t i = 0; i < group.size(); ++i) next[i] = group[i].load->enroll_per_day;
      for (std::size_t i = 0; i < group.size(); ++i) {
        for (const auto& [name, chance] : group[i].load->expected_handoffs) {
          if (auto it = index_of.find(name); it != index_of.end()) next[it->second] += expected_intake[i] * chance;
        }
      }
      expected_intake = std::move(next);
    }
    double expected = 0;
    for (std::size_t i = 0; i < group.size(); ++i) expected += expected_intake[i] * group[i].load->expected_emails;
    diagnostic.notes.push_back(
        {fmt::format("with the default engagement rates ({:.0f}% of emails opened, {:.0f}% of touches replied to, "
                     "{:.0f}% bounced), about {} emails a day are expected, against {} when nobody engages; "
                     "`cadence simulate` draws such a run",
                     kDefaultRates.open * 100, kDefaultRates.reply * 100, kDefaultRates.bounce * 100,
                     number(std::round(expected * 10) / 10), number(steady["email"])),
         std::nullopt});
    if (!limit_is_set && channel == "email") {
      diagnostic.notes.push_back(
          {fmt::format("no `limit email` is set, so the default of {} a day applies", number(limit)), std::nullopt});
    }
    diagnostic.notes.push_back(
        {fmt::format("`cadence simulate --worst-case{}` on the built plans shows these figures day by day",
                     largest.team.empty() ? std::string() : fmt::format(" --team {}", largest.team)),
         std::nullopt});
    diagnostic.help = fmt::format(
        "enrol fewer records a day, spread the {} over more days, or split the load over more owners", many);
    out.consume(std::move(diagnostic));
  }
}

// The explanation `cadence explain throttle-overrun` prints and docs/rules/throttle-overrun.md shows.
const Explanation throttle_overrun_explanation = Explanation{
    "More is due per owner per day than the sending limit lets out, in the worst case: nobody opens, clicks, "
    "replies or answers, so every enrolment follows its silent path. The figures come from the load model "
    "`cadence simulate --worst-case` runs: each working day the sequence enrols its `enroll` rate, every "
    "enrolment's touches fall due on the working days its waits say, and what is over a limit (per owner and "
    "channel) waits for the next working day, oldest first. Sequences of one `team` in the project (every file "
    "below the directory of cadence.toml, whichever files are checked) share their owners, so their loads add up "
    "and the lowest limit among them applies. The limit is `limit email`, else the configured default (200 a day), "
    "and never more than the platform's ceiling (`email-ceiling`, 200 a day; a `limit email` above it is "
    "limit-above-ceiling). The rule fires when, after 60 days, anything still waits.",
    "When the throttle is hit, the platform silently queues the excess to the next day and every later due date "
    "drifts: the cadence you designed is not the one prospects get. The message gives the daily email load along "
    "the silent path, the limit, and, on the 60th day, how many activities wait and how late what goes out is on "
    "average; `cadence simulate --worst-case` on the built plans (with `--team` for a team) shows the same figures "
    "day by day. A note gives the expected load too: the emails a day the sequences send on average under the "
    "default engagement rates `cadence simulate` draws (35% of emails opened, 10% of those clicked, 3% of touches "
    "replied to, 2% bounced), as the chance of reaching each email, the handlers' exits counted.",
    R"cadence(sequence s {
  target lead
  team "inside-sales"
  limit email 200/day
  enroll 60/day   // 60 a day x 4 emails = 240 a day

  email e1 { template t }
  wait 2d
  email e2 { template t }
  wait 2d
  email e3 { template t }
  wait 2d
  email e4 { template t }
})cadence",
    "Enrol fewer records a day, spread emails over more days, or split the load over more owners.",
    Preamble::LeadWithTemplate};

}  // namespace cadence::rules
