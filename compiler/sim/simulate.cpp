#include "sim/simulate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cadence/vocabulary.hpp"
#include "emit/plan_read.hpp"
#include "support/duration.hpp"
#include "support/escape.hpp"

namespace cadence {
namespace {

/// Most enrolments one simulation follows. Each costs memory while it runs;
/// beyond this the run would take minutes and gigabytes for no insight a
/// smaller run does not give.
constexpr double kMaxEnrolments = 5'000'000;

[[noreturn]] void malformed(const std::string& what) { throw std::runtime_error(what); }

/// Deterministic uniform doubles in [0, 1) from a seeded generator (the
/// same on every platform, unlike std::uniform_real_distribution).
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  double next() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return next() < p; }

 private:
  std::mt19937_64 engine_;
};

using vocabulary::Signal;
enum Flag : uint8_t { kOpened = 1, kClicked = 2, kReplied = 4, kBounced = 8, kAccepted = 16 };

/// A branch condition compiled from the plan: a tree in one array.
struct ConditionNode {
  enum class Op : uint8_t { All, Any, Not, Signal } op = Op::Signal;
  Signal signal = Signal::Replied;
  int step = -1;  // -1: any step (`replied` since enrolment)
  std::vector<uint32_t> children;
};

struct Step {
  std::string id;
  std::string kind;
  std::string channel;
  std::string linkedin_action;
  uint32_t condition = 0;  // index into its program's conditions, for branches
  bool has_condition = false;
  std::string reason;
  int call = -1;  // outcome branches: the call step they read
  /// Exits: the sequence it hands off to, and its program when simulated
  /// too (-1 otherwise).
  std::string handoff;
  int handoff_program = -1;
  struct Next {
    std::string arm;
    int target;
    int64_t delay;  // minutes
  };
  std::vector<Next> next;
};

/// What one enrolment has done: its place, and the signals seen per step
/// (few per enrolment, so a short list rather than a table).
struct Enrolment {
  uint16_t program = 0;  // which sequence
  int step = 0;
  bool active = true;
  bool replied = false;
  int64_t scheduled_day = 0;  // when the current step was first due
  struct Seen {
    uint32_t step;
    uint8_t flags;
    int8_t call_outcome;  // index into the call mix, -1 for none
  };
  std::vector<Seen> seen;

  Seen& at(int index) {
    for (Seen& s : seen) {
      if (s.step == static_cast<uint32_t>(index)) return s;
    }
    seen.push_back({static_cast<uint32_t>(index), 0, -1});
    return seen.back();
  }
  [[nodiscard]] const Seen* find(int index) const {
    for (const Seen& s : seen) {
      if (s.step == static_cast<uint32_t>(index)) return &s;
    }
    return nullptr;
  }
};

/// A rate of the plan as a number per working day.
double rate_per_day(const plan::Rate& rate, double working_days) {
  const auto count = static_cast<double>(rate.count);
  return rate.per == plan::Per::Week ? count / working_days : count;
}

/// A sequence as the simulator runs it, read from its plan.
struct Program {
  std::string name;
  std::string team;
  bool business_calendar = true;
  Calendar calendar{true};
  double enroll_per_day = 0;
  /// Its own limits per channel (email: its own or the default, never above
  /// the ceiling).
  std::map<std::string, double> limits;
  struct Handler {
    bool exit = true;
    std::string reason;
    int64_t minutes = 0;
    std::string handoff;
    int handoff_program = -1;
  };
  std::map<std::string, Handler> handlers;
  std::map<std::string, int> index;
  std::vector<Step> steps;
  std::vector<ConditionNode> conditions;
  int entry = 0;
};

class Simulator {
 public:
  /// Sequences that share one owner (a team): each enrols at its rate, and
  /// every limit is the lowest any of them sets.
  Simulator(const std::vector<const plan::Sequence*>& sequences, const SimulationOptions& options)
      : options_(options), random_(options.seed) {
    if (sequences.empty() || sequences.size() > 1000) malformed("simulate takes 1 to 1000 sequences");
    for (const plan::Sequence* sequence : sequences) {
      programs_.push_back(load_program(*sequence, sequences.size() == 1));
      const Program& p = programs_.back();
      if (!result_.sequence.empty()) result_.sequence += ", ";
      result_.sequence += p.name;
      result_.enroll_per_day += p.enroll_per_day;
      for (const auto& [channel, limit] : p.limits) {
        auto [it, added] = limits_.emplace(channel, limit);
        if (!added) it->second = std::min(it->second, limit);
      }
    }
    // A handoff to a sequence simulated too enrols the record there.
    for (Program& p : programs_) {
      auto program_of = [&](const std::string& name) {
        for (std::size_t k = 0; k < programs_.size(); ++k) {
          if (programs_[k].name == name) return static_cast<int>(k);
        }
        return -1;
      };
      for (Step& step : p.steps) {
        if (!step.handoff.empty()) step.handoff_program = program_of(step.handoff);
      }
      for (auto& [event, handler] : p.handlers) {
        if (!handler.handoff.empty()) handler.handoff_program = program_of(handler.handoff);
      }
    }
    result_.business_calendar = programs_.front().business_calendar;
    result_.email_limit = limits_["email"];
    double total = 0;
    for (const auto& [outcome, weight] : options.call_outcomes) total += std::max(0.0, weight);
    if (total <= 0) malformed("the call outcome mix is empty");
    for (const auto& [outcome, weight] : options.call_outcomes)
      call_mix_.push_back({outcome, std::max(0.0, weight) / total});
    double enrolments = 0;
    for (const Program& p : programs_)
      enrolments += p.enroll_per_day * static_cast<double>(p.calendar.working_between(0, options.days));
    if (enrolments > kMaxEnrolments) {
      malformed(
          fmt::format("{} enrolments a day over {} days would be {:.0f} enrolments; the simulator follows at "
                      "most {:.0f}: lower --enroll or --days",
                      result_.enroll_per_day, options.days, enrolments, kMaxEnrolments));
    }
  }

  SimulationResult run() {
    const int64_t days = std::max(0, options_.days);
    buckets_.assign(static_cast<std::size_t>(days) + 1, {});
    std::vector<uint32_t> backlog;
    std::vector<double> enrol_carry(programs_.size(), 0);
    double last_drift = 0;  // of the last working day, while its backlog waits
    for (int64_t day = 0; day < days; ++day) {
      SimulationDay today;
      today.day = day;
      today.working =
          std::any_of(programs_.begin(), programs_.end(), [&](const Program& p) { return p.calendar.is_working(day); });
      std::vector<uint32_t> due = std::move(backlog);
      backlog.clear();
      std::vector<uint32_t>& bucket = buckets_[static_cast<std::size_t>(day)];
      due.insert(due.end(), bucket.begin(), bucket.end());
      std::vector<uint32_t>().swap(bucket);
      if (!today.working) {
        backlog = std::move(due);  // nothing happens on a weekend
        today.queued = static_cast<int64_t>(backlog.size());
        today.due = today.queued;
        // The queue still waits: its drift is the last working day's, not 0.
        today.drift_days = backlog.empty() ? 0 : last_drift;
        result_.days.push_back(today);
        continue;
      }
      for (std::size_t p = 0; p < programs_.size(); ++p) {
        if (!programs_[p].calendar.is_working(day)) continue;
        enrol_carry[p] += programs_[p].enroll_per_day;
        const auto new_enrolments = static_cast<int64_t>(std::floor(enrol_carry[p]));
        enrol_carry[p] -= static_cast<double>(new_enrolments);
        for (int64_t i = 0; i < new_enrolments; ++i) {
          const uint32_t id = start(static_cast<int>(p), day);
          enrolments_[id].scheduled_day = day;
          due.push_back(id);
        }
        today.enrolled += new_enrolments;
      }
      // Oldest first: the backlog is worked off before new work.
      std::stable_sort(due.begin(), due.end(), [&](uint32_t a, uint32_t b) {
        return enrolments_[a].scheduled_day < enrolments_[b].scheduled_day;
      });
      std::map<std::string, double> sent;
      double lateness = 0;
      for (uint32_t id : due) {
        if (!enrolments_[id].active) continue;
        // Its sequence's calendar may rest today while another's works.
        if (!program(id).calendar.is_working(day) || !advance(id, day, sent, today, lateness)) backlog.push_back(id);
      }
      today.queued = static_cast<int64_t>(backlog.size());
      today.due = today.done + today.queued;
      today.drift_days = today.done > 0 ? lateness / static_cast<double>(today.done) : 0;
      last_drift = today.drift_days;
      result_.days.push_back(today);
    }
    return std::move(result_);
  }

  /// The sequence's part of the owner's load when nobody engages: its
  /// silent path walked the way run() walks it with every chance at 0 and
  /// every call unanswered.
  [[nodiscard]] std::vector<SequenceLoad> worst_case() const {
    std::vector<SequenceLoad> loads;
    for (std::size_t p = 0; p < programs_.size(); ++p) loads.push_back(worst_case(p));
    return loads;
  }

 private:
  [[nodiscard]] SequenceLoad worst_case(std::size_t index_of_program) const {
    const Program& p = programs_[index_of_program];
    SequenceLoad load;
    load.stream.sequence = p.name;
    load.stream.enroll_per_day = p.enroll_per_day;
    load.stream.business_calendar = p.business_calendar;
    load.limits = p.limits;
    load.team = p.team;
    Enrolment silent;
    silent.program = static_cast<uint16_t>(index_of_program);
    std::vector<bool> called(p.steps.size(), false);
    PathBuilder path(load.stream);
    int index = p.entry;
    for (std::size_t guard = 0; guard <= p.steps.size(); ++guard) {
      const Step& step = p.steps[static_cast<std::size_t>(index)];
      if (step.kind == "exit") {
        path.exit(step.reason);
        load.stream.handoff = step.handoff_program;
        break;
      }
      path.step(step.channel);
      const Step::Next* next = step.next.empty() ? nullptr : &step.next.front();
      if (!step.channel.empty()) {
        called[static_cast<std::size_t>(index)] = true;
      } else if (step.kind == "branch") {
        const bool yes = holds(silent, step.condition);
        for (const auto& edge : step.next) {
          if (edge.arm == (yes ? "yes" : "no")) next = &edge;
        }
      } else if (step.kind == "outcome_branch") {
        next = outcome_edge(
            step, called[static_cast<std::size_t>(step.call)] ? vocabulary::kSilentCallOutcome : std::string_view());
      }
      if (next == nullptr) {  // the end: exit "completed"
        path.exit("completed");
        break;
      }
      path.edge(next->delay);
      index = next->target;
    }
    return load;
  }

  /// The sequence an exit's outcome hands off to, if any.
  static std::string handoff_of(const std::optional<plan::Outcome>& outcome) {
    return outcome && outcome->handoff() ? outcome->sequence : std::string();
  }

  Program load_program(const plan::Sequence& sequence, bool alone) {
    Program p;
    p.name = sequence.name;
    p.team = sequence.team.value_or(std::string());
    p.business_calendar = sequence.business_calendar;
    p.calendar = Calendar(p.business_calendar);
    const double working_days = p.business_calendar ? kBusinessDaysPerWeek : kDaysPerWeek;
    if (options_.enroll_per_day) {
      p.enroll_per_day = *options_.enroll_per_day;
    } else if (sequence.enroll) {
      p.enroll_per_day = rate_per_day(*sequence.enroll, working_days);
    } else {
      // Alone, a sequence without a rate runs at 10 a day; with others (a
      // team) it takes only what they hand off to it.
      p.enroll_per_day = alone ? 10.0 : 0.0;
    }
    for (const auto& [channel, rate] : sequence.limits) p.limits[channel] = rate_per_day(rate, working_days);
    if (!p.limits.contains("email")) p.limits["email"] = options_.default_email_limit;
    // The platform never sends more than its ceiling, whatever the plan asks.
    p.limits["email"] = std::min(p.limits["email"], options_.email_ceiling);
    for (const plan::Handler& handler : sequence.handlers) {
      Program::Handler h;
      h.exit = !handler.pause;
      if (h.exit) {
        h.reason = handler.reason.empty() ? handler.event : handler.reason;
        h.handoff = handoff_of(handler.outcome);
      } else {
        h.minutes = handler.minutes;
      }
      p.handlers[handler.event] = std::move(h);
    }
    for (const plan::Step& step : sequence.steps) {
      Step s;
      s.id = step.id;
      s.kind = step.kind_name();
      s.channel = step.channel == vocabulary::Channel::None ? std::string() : std::string(step.channel_name());
      s.linkedin_action = step.action;
      s.reason = step.reason.empty() ? "completed" : step.reason;
      s.handoff = handoff_of(step.outcome);
      if (step.condition) {
        s.condition = condition(p, *step.condition);
        s.has_condition = true;
      }
      if (step.kind == vocabulary::StepKind::OutcomeBranch) s.call = static_cast<int>(step.call);
      for (const plan::Edge& edge : step.next) {
        s.next.push_back({edge.arm, static_cast<int>(edge.step), edge.min_delay_minutes});
      }
      p.steps.push_back(std::move(s));
    }
    p.entry = static_cast<int>(sequence.entry);
    return p;
  }

  /// Compiles a condition into the program's array.
  uint32_t condition(Program& p, const plan::Condition& condition) {
    ConditionNode node;
    switch (condition.op) {
      case plan::Condition::Op::All: node.op = ConditionNode::Op::All; break;
      case plan::Condition::Op::Any: node.op = ConditionNode::Op::Any; break;
      case plan::Condition::Op::Not: node.op = ConditionNode::Op::Not; break;
      case plan::Condition::Op::Signal:
        node.signal = condition.signal;
        if (condition.step) node.step = static_cast<int>(*condition.step);
        break;
    }
    for (const plan::Condition& operand : condition.operands) node.children.push_back(this->condition(p, operand));
    p.conditions.push_back(std::move(node));
    return static_cast<uint32_t>(p.conditions.size() - 1);
  }

  /// The arm an outcome branch takes for `outcome`: its own, else `else`;
  /// none ends the enrolment.
  static const Step::Next* outcome_edge(const Step& step, std::string_view outcome) {
    const Step::Next* fallback = nullptr;
    for (const auto& edge : step.next) {
      if (edge.arm == outcome) return &edge;
      if (edge.arm == "else") fallback = &edge;
    }
    return fallback;
  }

  [[nodiscard]] const Program& program(uint32_t id) const { return programs_[enrolments_[id].program]; }

  void schedule(uint32_t id, int64_t day) {
    enrolments_[id].scheduled_day = day;
    if (day < static_cast<int64_t>(buckets_.size())) buckets_[static_cast<std::size_t>(day)].push_back(id);
  }

  /// Starts an enrolment in `program`: a new record, or (`reuse`) the record
  /// of `id` handed off. Every start counts against kMaxEnrolments, hand-offs
  /// included: a run whose sequences hand records to each other follows them
  /// around the loop, and must stop at the same bound. Memory is one slot
  /// per record still enrolled: a finished record's slot serves the next.
  uint32_t start(int program, int64_t day, std::optional<uint32_t> reuse = std::nullopt) {
    if (++started_ > kMaxEnrolments) {
      malformed(
          fmt::format("by day {} the run would start more than {:.0f} enrolments ({} of them records handed "
                      "off from one sequence to another), the most the simulator follows: lower --enroll or "
                      "--days",
                      day, kMaxEnrolments, handed_off_ + (reuse ? 1 : 0)));
    }
    uint32_t id = 0;
    if (reuse) {
      id = *reuse;
      ++handed_off_;
    } else if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
    } else {
      id = static_cast<uint32_t>(enrolments_.size());
      enrolments_.emplace_back();
    }
    Enrolment& enrolment = enrolments_[id];
    enrolment = Enrolment{};
    enrolment.program = static_cast<uint16_t>(program);
    enrolment.step = programs_[static_cast<std::size_t>(program)].entry;
    return id;
  }

  /// Record `id`, handed off on `day` to `program` (-1: not simulated),
  /// starts it the next working day of that sequence's calendar.
  void hand_off(uint32_t id, int program, int64_t day) {
    if (program < 0) {
      free_.push_back(id);
      return;
    }
    start(program, day, id);
    schedule(id, programs_[static_cast<std::size_t>(program)].calendar.later(day, 1));
  }

  void exit(uint32_t id, const std::string& reason, SimulationDay& today) {
    Enrolment& e = enrolments_[id];
    e.active = false;
    std::vector<Enrolment::Seen>().swap(e.seen);  // a finished enrolment needs no memory
    ++today.exits[reason];
  }

  /// Handles an event through the sequence's handler. Returns true when the
  /// enrolment stops (exit) or pauses (rescheduled) for now.
  bool event(uint32_t id, const std::string& name, int64_t day, SimulationDay& today) {
    const Program& p = program(id);
    auto it = p.handlers.find(name);
    if (it == p.handlers.end()) return false;
    if (it->second.exit) {
      exit(id, it->second.reason, today);
      hand_off(id, it->second.handoff_program, day);
      return true;
    }
    schedule(id, p.calendar.later(day, delay_days(it->second.minutes)));
    return true;
  }

  bool holds(const Enrolment& e, uint32_t index) const {
    const ConditionNode& node = programs_[e.program].conditions[index];
    switch (node.op) {
      case ConditionNode::Op::All:
        return std::all_of(node.children.begin(), node.children.end(), [&](uint32_t c) { return holds(e, c); });
      case ConditionNode::Op::Any:
        return std::any_of(node.children.begin(), node.children.end(), [&](uint32_t c) { return holds(e, c); });
      case ConditionNode::Op::Not: return !holds(e, node.children.front());
      case ConditionNode::Op::Signal: break;
    }
    if (node.signal == Signal::MeetingBooked) return false;  // not modelled
    if (node.signal == Signal::Replied && node.step < 0) return e.replied;
    const Enrolment::Seen* seen = e.find(node.step);
    if (seen == nullptr) return false;
    switch (node.signal) {
      case Signal::Opened: return (seen->flags & kOpened) != 0;
      case Signal::Clicked: return (seen->flags & kClicked) != 0;
      case Signal::Replied: return (seen->flags & kReplied) != 0;
      case Signal::Bounced: return (seen->flags & kBounced) != 0;
      case Signal::Accepted: return (seen->flags & kAccepted) != 0;
      case Signal::MeetingBooked: return false;
    }
    return false;
  }

  /// Runs enrolment `id` from its current step as far as it goes today.
  /// Returns false when a limit stops it (it stays due, in the backlog).
  bool advance(uint32_t id, int64_t day, std::map<std::string, double>& sent, SimulationDay& today, double& lateness) {
    const Program& p = program(id);
    for (std::size_t guard = 0; guard <= p.steps.size(); ++guard) {
      Enrolment& e = enrolments_[id];
      const Step& step = p.steps[static_cast<std::size_t>(e.step)];
      if (step.kind == "exit") {
        exit(id, step.reason, today);
        hand_off(id, step.handoff_program, day);
        return true;
      }
      const Step::Next* next = step.next.empty() ? nullptr : &step.next.front();
      if (!step.channel.empty()) {
        auto limit = limits_.find(step.channel);
        if (limit != limits_.end() && sent[step.channel] >= limit->second) return false;
        ++sent[step.channel];
        ++today.done;
        if (step.channel == "email") ++today.emails_done;
        lateness += static_cast<double>(p.calendar.working_between(e.scheduled_day, day));
        if (touch(id, step, day, today)) return true;
      } else if (step.kind == "branch") {
        const bool yes = holds(e, step.condition);
        for (const auto& edge : step.next) {
          if (edge.arm == (yes ? "yes" : "no")) next = &edge;
        }
      } else if (step.kind == "outcome_branch") {
        const Enrolment::Seen* seen = e.find(step.call);
        const std::string outcome = seen == nullptr || seen->call_outcome < 0
                                        ? std::string()
                                        : call_mix_[static_cast<std::size_t>(seen->call_outcome)].first;
        next = outcome_edge(step, outcome);
      }
      if (next == nullptr) {
        exit(id, "completed", today);
        free_.push_back(id);
        return true;
      }
      const int64_t delay = next->delay;
      enrolments_[id].step = next->target;
      if (delay_days(delay) > 0) {
        schedule(id, p.calendar.later(day, delay_days(delay)));
        return true;
      }
      enrolments_[id].scheduled_day = day;
    }
    return true;
  }

  /// Engagement after a touch. Returns true when a handler ended or paused
  /// the enrolment.
  bool touch(uint32_t id, const Step& step, int64_t day, SimulationDay& today) {
    const int index = enrolments_[id].step;
    if (step.channel == "email") {
      if (random_.chance(options_.bounce)) {
        enrolments_[id].at(index).flags |= kBounced;
        return event(id, "bounced", day, today);
      }
      if (random_.chance(options_.open)) {
        enrolments_[id].at(index).flags |= kOpened;
        if (random_.chance(options_.click)) enrolments_[id].at(index).flags |= kClicked;
      }
      if (random_.chance(options_.unsubscribe) && event(id, "unsubscribed", day, today)) return true;
      if (random_.chance(options_.out_of_office) && event(id, "out_of_office", day, today)) {
        // Paused: the next step waits for the return.
        if (!step.next.empty()) enrolments_[id].step = step.next.front().target;
        return true;
      }
    }
    if (step.channel == "call") {
      double pick = random_.next();
      std::size_t outcome = call_mix_.size() - 1;
      for (std::size_t k = 0; k < call_mix_.size(); ++k) {
        if (pick < call_mix_[k].second) {
          outcome = k;
          break;
        }
        pick -= call_mix_[k].second;
      }
      enrolments_[id].at(index).call_outcome = static_cast<int8_t>(outcome);
    }
    if (step.channel == "linkedin" && step.linkedin_action == "connect" && random_.chance(options_.accept)) {
      enrolments_[id].at(index).flags |= kAccepted;
    }
    if (vocabulary::is_touch_name(step.channel) && random_.chance(options_.reply)) {
      enrolments_[id].replied = true;
      enrolments_[id].at(index).flags |= kReplied;
      ++today.replies;
      if (event(id, "replied", day, today)) return true;
    }
    return false;
  }

  SimulationOptions options_;
  Random random_;
  SimulationResult result_;
  std::vector<Program> programs_;
  std::map<std::string, double> limits_;
  std::vector<std::pair<std::string, double>> call_mix_;
  std::vector<Enrolment> enrolments_;
  /// Slots of finished records, for the next records to start.
  std::vector<uint32_t> free_;
  double started_ = 0;
  int64_t handed_off_ = 0;
  std::vector<std::vector<uint32_t>> buckets_;
};

}  // namespace

std::optional<std::string> validate_simulation_options(const SimulationOptions& options) {
  if (options.days < 1 || options.days > kMaxSimulationDays) {
    return fmt::format("--days must be between 1 and {}", kMaxSimulationDays);
  }
  if (options.enroll_per_day && (!(*options.enroll_per_day >= 0) || *options.enroll_per_day > 1e6)) {
    return "--enroll must be between 0 and 1000000";
  }
  for (const double p : {options.open, options.click, options.reply, options.bounce, options.out_of_office,
                         options.unsubscribe, options.accept}) {
    if (!(p >= 0 && p <= 1)) return "chances must be between 0 and 1";
  }
  return std::nullopt;
}

std::optional<std::map<std::string, double>> parse_call_mix(std::string_view text, std::string& error) {
  std::map<std::string, double> mix;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item(text.substr(start, comma - start));
    const auto equals = item.find('=');
    const std::string name = item.substr(0, equals);
    double weight = -1;
    if (equals != std::string::npos) {
      try {
        std::size_t used = 0;
        weight = std::stod(item.substr(equals + 1), &used);
        if (used != item.size() - equals - 1 || !std::isfinite(weight)) weight = -1;
      } catch (const std::exception&) {
        weight = -1;
      }
    }
    if (!vocabulary::contains(vocabulary::kCallOutcomes, name) || weight < 0) {
      error = fmt::format("--calls: '{}' is not OUTCOME=WEIGHT with an outcome of {}", visible(item),
                          vocabulary::prose_list(vocabulary::kCallOutcomes, ", "));
      return std::nullopt;
    }
    mix[name] = weight;
    start = comma + 1;
  }
  return mix;
}

std::map<std::string, double> default_call_mix() {
  // Shares in the order of vocabulary::kCallOutcomes; most calls reach nobody.
  static constexpr std::array<double, vocabulary::kCallOutcomes.size()> kShares{0.10, 0.30, 0.45, 0.05,
                                                                                0.05, 0.03, 0.02};
  std::map<std::string, double> mix;
  for (std::size_t i = 0; i < kShares.size(); ++i) mix.emplace(vocabulary::kCallOutcomes[i], kShares[i]);
  return mix;
}

namespace {

/// The plan's sequences; only `options.sequence` when it is set.
std::vector<const plan::Sequence*> chosen_sequences(const plan::Plan& plan, const SimulationOptions& options) {
  if (auto problem = validate_simulation_options(options)) throw std::runtime_error(*problem);
  std::vector<const plan::Sequence*> chosen;
  for (const plan::Sequence& sequence : plan.sequences) {
    if (!options.sequence || sequence.name == *options.sequence) chosen.push_back(&sequence);
  }
  if (chosen.empty()) {
    malformed(options.sequence ? fmt::format("the plan has no sequence '{}'", *options.sequence)
                               : "the plan has no sequences");
  }
  return chosen;
}

}  // namespace

SimulationResult simulate(const plan::Plan& plan, const SimulationOptions& options) {
  return Simulator({chosen_sequences(plan, options).front()}, options).run();
}

std::vector<const plan::Sequence*> plan_sequences(const plan::Plan& plan, const SimulationOptions& options) {
  return chosen_sequences(plan, options);
}

SimulationResult simulate_sequences(const std::vector<const plan::Sequence*>& sequences,
                                    const SimulationOptions& options) {
  if (auto problem = validate_simulation_options(options)) throw std::runtime_error(*problem);
  return Simulator(sequences, options).run();
}

std::vector<SequenceLoad> worst_case_loads(const std::vector<const plan::Sequence*>& sequences,
                                           const SimulationOptions& options) {
  if (auto problem = validate_simulation_options(options)) throw std::runtime_error(*problem);
  return Simulator(sequences, options).worst_case();
}

std::string simulation_table(const SimulationResult& result) {
  std::string out =
      fmt::format("{} {}{}: {} enrolments a day, email limit {} a day, {} calendar\n",
                  result.sequence.find(", ") == std::string::npos ? "sequence" : "sequences", visible(result.sequence),
                  result.model == "worst-case" ? " (worst case: nobody engages)" : "", result.enroll_per_day,
                  result.email_limit, result.business_calendar ? "business" : "all-days");
  out += fmt::format("{:>4} {:>4} {:>8} {:>6} {:>6} {:>7} {:>7} {:>7} {:>8}  {}\n", "day", "work", "enrolled", "due",
                     "done", "emails", "queued", "drift", "replies", "exits");
  for (const SimulationDay& day : result.days) {
    std::string exits;
    for (const auto& [reason, count] : day.exits) {
      exits += fmt::format("{}{}={}", exits.empty() ? "" : " ", visible(reason), count);
    }
    out += fmt::format("{:>4} {:>4} {:>8} {:>6} {:>6} {:>7} {:>7} {:>7.2f} {:>8}  {}\n", day.day,
                       day.working ? "yes" : "-", day.enrolled, day.due, day.done, day.emails_done, day.queued,
                       day.drift_days, day.replies, exits);
  }
  return out;
}

nlohmann::ordered_json simulation_json(const SimulationResult& result) {
  nlohmann::ordered_json days = nlohmann::ordered_json::array();
  for (const SimulationDay& day : result.days) {
    days.push_back({{"day", day.day},
                    {"working", day.working},
                    {"enrolled", day.enrolled},
                    {"due", day.due},
                    {"done", day.done},
                    {"emails_done", day.emails_done},
                    {"queued", day.queued},
                    {"drift_days", std::round(day.drift_days * 100) / 100},
                    {"replies", day.replies},
                    {"exits", day.exits}});
  }
  return {{"version", 1},
          {"sequence", result.sequence},
          {"model", result.model},
          {"enroll_per_day", result.enroll_per_day},
          {"email_limit", result.email_limit},
          {"calendar", result.business_calendar ? "business" : "all_days"},
          {"days", days}};
}

std::string simulation_svg(const SimulationResult& result) {
  const double width = 800, height = 320, left = 50, right = 20, top = 30, bottom = 40;
  double high = result.email_limit;
  for (const SimulationDay& day : result.days) {
    high = std::max({high, static_cast<double>(day.emails_done), static_cast<double>(day.queued)});
  }
  high = std::max(1.0, high * 1.1);
  const std::size_t n = std::max<std::size_t>(1, result.days.size());
  auto x = [&](std::size_t i) { return left + (width - left - right) * (n == 1 ? 0.0 : double(i) / double(n - 1)); };
  auto y = [&](double v) { return top + (height - top - bottom) * (1 - v / high); };
  std::string emails, queued;
  for (std::size_t i = 0; i < result.days.size(); ++i) {
    emails += fmt::format("{:.1f},{:.1f} ", x(i), y(static_cast<double>(result.days[i].emails_done)));
    queued += fmt::format("{:.1f},{:.1f} ", x(i), y(static_cast<double>(result.days[i].queued)));
  }
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{2}\" y=\"18\" font-size=\"14\">sequence {3}: emails sent per day against the limit, and the "
      "backlog</text>\n",
      width, height, left, xml_escape(result.sequence));
  out +=
      fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{0}\" y2=\"{2:.1f}\" stroke=\"#888\"/>\n", left, y(0), y(high));
  out += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#888\"/>\n", left, y(0),
                     width - right);
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", left - 6, y(high) + 4,
                     std::lround(high));
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">0</text>\n", left - 6, y(0) + 4);
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">day</text>\n", (left + width - right) / 2,
                     height - 8);
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#c0392b\" stroke-dasharray=\"6 4\"/>\n",
      left, y(result.email_limit), width - right);
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#c0392b\" text-anchor=\"end\">limit {}</text>\n",
                     width - right, y(result.email_limit) - 4, result.email_limit);
  out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#0d6efd\" stroke-width=\"2\"/>\n", emails);
  out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#fd7e14\" stroke-width=\"2\"/>\n", queued);
  out += fmt::format(
      "<text x=\"{0}\" y=\"{1:.1f}\" fill=\"#0d6efd\">emails sent</text>\n"
      "<text x=\"{2}\" y=\"{1:.1f}\" fill=\"#fd7e14\">backlog (queued to the next day)</text>\n",
      left + 10, height - 8, left + 110);
  out += "</svg>\n";
  return out;
}

}  // namespace cadence
