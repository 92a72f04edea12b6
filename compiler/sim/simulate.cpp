#include "sim/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace cadence {
namespace {

using Json = nlohmann::json;

constexpr int64_t kMinutesPerDay = 24 * 60;

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

struct Step {
  std::string id;
  std::string kind;
  std::string channel;
  std::string linkedin_action;
  Json condition;
  std::string reason;
  std::string call;  // outcome branches: the call step they read
  struct Next {
    std::string arm;
    int target;
    int64_t delay;  // minutes
  };
  std::vector<Next> next;
};

struct Enrolment {
  int step = 0;
  int scheduled_day = 0;  // when the current step was first due
  bool active = true;
  bool replied = false;
  std::set<std::string> opened, clicked, replied_to, bounced, accepted;
  std::map<std::string, std::string> call_outcome;
};

class Simulator {
 public:
  Simulator(const Json& plan, const SimulationOptions& options) : options_(options), random_(options.seed) {
    const Json& sequences = plan.at("sequences");
    const Json* chosen = nullptr;
    for (const Json& sequence : sequences) {
      if (!options.sequence || sequence.value("name", "") == *options.sequence) {
        chosen = &sequence;
        break;
      }
    }
    if (chosen == nullptr) {
      throw std::runtime_error(options.sequence ? fmt::format("the plan has no sequence '{}'", *options.sequence)
                                                : "the plan has no sequences");
    }
    const Json& sequence = *chosen;
    result_.sequence = sequence.value("name", "");
    result_.business_calendar = sequence.value("calendar", "business") == "business";
    const double working_days = result_.business_calendar ? 5.0 : 7.0;
    auto per_day = [&](const Json& rate) {
      const double count = rate.value("count", 0.0);
      return rate.value("per", "day") == "week" ? count / working_days : count;
    };
    result_.enroll_per_day = options.enroll_per_day ? *options.enroll_per_day
                             : sequence.contains("enroll") && sequence["enroll"].is_object() ? per_day(sequence["enroll"])
                                                                                              : 10.0;
    result_.email_limit = options.default_email_limit;
    if (sequence.contains("limits") && sequence["limits"].is_object()) {
      for (const auto& [channel, rate] : sequence["limits"].items()) limits_[channel] = per_day(rate);
    }
    if (!limits_.contains("email")) limits_["email"] = options.default_email_limit;
    result_.email_limit = limits_["email"];
    for (const Json& handler : sequence.value("handlers", Json::array())) {
      handlers_[handler.value("event", "")] = handler;
    }
    std::map<std::string, int> index;
    const Json& steps = sequence.at("steps");
    for (const Json& step : steps) index[step.value("id", "")] = static_cast<int>(index.size());
    for (const Json& step : steps) {
      Step s;
      s.id = step.value("id", "");
      s.kind = step.value("kind", "");
      s.channel = step.value("channel", "");
      s.linkedin_action = step.value("action", "");
      s.condition = step.value("condition", Json());
      s.reason = step.value("reason", "completed");
      s.call = step.value("call", "");
      for (const Json& edge : step.value("next", Json::array())) {
        auto target = index.find(edge.value("step", ""));
        if (target == index.end()) throw std::runtime_error(fmt::format("step '{}' leads to an unknown step", s.id));
        s.next.push_back({edge.value("arm", "next"), target->second, edge.value("min_delay_minutes", int64_t{0})});
      }
      steps_.push_back(std::move(s));
    }
    auto entry = index.find(sequence.value("entry", ""));
    if (entry == index.end()) throw std::runtime_error("the plan's entry step is missing");
    entry_ = entry->second;
    double total = 0;
    for (const auto& [outcome, weight] : options.call_outcomes) total += std::max(0.0, weight);
    if (total <= 0) throw std::runtime_error("the call outcome mix is empty");
    for (const auto& [outcome, weight] : options.call_outcomes) call_mix_.push_back({outcome, std::max(0.0, weight) / total});
  }

  SimulationResult run() {
    const int days = std::max(0, options_.days);
    buckets_.assign(static_cast<std::size_t>(days) + 1, {});
    std::vector<int> backlog;
    double enrol_carry = 0;
    for (int day = 0; day < days; ++day) {
      SimulationDay today;
      today.day = day;
      today.working = is_working(day);
      std::vector<int> due = std::move(backlog);
      backlog.clear();
      for (int id : buckets_[static_cast<std::size_t>(day)]) due.push_back(id);
      buckets_[static_cast<std::size_t>(day)].clear();
      if (!today.working) {
        backlog = std::move(due);  // nothing happens on a weekend
        today.queued = static_cast<int>(backlog.size());
        result_.days.push_back(today);
        continue;
      }
      enrol_carry += result_.enroll_per_day;
      const int new_enrolments = static_cast<int>(std::floor(enrol_carry));
      enrol_carry -= new_enrolments;
      for (int i = 0; i < new_enrolments; ++i) {
        Enrolment enrolment;
        enrolment.step = entry_;
        enrolment.scheduled_day = day;
        enrolments_.push_back(std::move(enrolment));
        due.push_back(static_cast<int>(enrolments_.size()) - 1);
      }
      today.enrolled = new_enrolments;
      // Oldest first: the backlog is worked off before new work.
      std::stable_sort(due.begin(), due.end(), [&](int a, int b) {
        return enrolments_[a].scheduled_day < enrolments_[b].scheduled_day;
      });
      today.due = static_cast<int>(due.size());
      std::map<std::string, int> sent;
      double lateness = 0;
      for (int id : due) {
        if (!enrolments_[id].active) continue;
        if (!advance(id, day, sent, today, lateness)) backlog.push_back(id);
      }
      today.queued = static_cast<int>(backlog.size());
      today.drift_days = today.done > 0 ? lateness / today.done : 0;
      result_.days.push_back(today);
    }
    return std::move(result_);
  }

 private:
  bool is_working(int day) const { return !result_.business_calendar || day % 7 < 5; }

  /// The day `minutes` after `day`, counting working days only; waits under
  /// a day finish the same day.
  int later(int day, int64_t minutes) const {
    int64_t remaining = minutes / kMinutesPerDay;
    while (remaining > 0) {
      ++day;
      if (is_working(day)) --remaining;
    }
    return day;
  }

  int working_days_between(int from, int to) const {
    int count = 0;
    for (int day = from; day < to; ++day) count += is_working(day) ? 1 : 0;
    return count;
  }

  void schedule(int id, int day) {
    enrolments_[id].scheduled_day = day;
    if (day < static_cast<int>(buckets_.size())) buckets_[static_cast<std::size_t>(day)].push_back(id);
  }

  void exit(int id, const std::string& reason, SimulationDay& today) {
    enrolments_[id].active = false;
    ++today.exits[reason];
  }

  /// Handles an event through the sequence's handler. Returns true when the
  /// enrolment stops (exit) or pauses (rescheduled) for now.
  bool event(int id, const std::string& name, int day, SimulationDay& today) {
    auto it = handlers_.find(name);
    if (it == handlers_.end()) return false;
    const Json& handler = it->second;
    if (handler.value("action", "") == "exit") {
      exit(id, handler.value("reason", name), today);
      return true;
    }
    schedule(id, later(day, handler.value("minutes", int64_t{0})));
    return true;
  }

  bool holds(const Enrolment& e, const Json& condition) const {
    if (condition.contains("all")) {
      for (const Json& c : condition["all"]) {
        if (!holds(e, c)) return false;
      }
      return true;
    }
    if (condition.contains("any")) {
      for (const Json& c : condition["any"]) {
        if (holds(e, c)) return true;
      }
      return false;
    }
    if (condition.contains("not")) return !holds(e, condition["not"]);
    const std::string signal = condition.value("signal", "");
    const std::string step = condition["step"].is_string() ? condition["step"].get<std::string>() : "";
    if (signal == "opened") return e.opened.contains(step);
    if (signal == "clicked") return e.clicked.contains(step);
    if (signal == "bounced") return e.bounced.contains(step);
    if (signal == "accepted") return e.accepted.contains(step);
    if (signal == "replied") return step.empty() ? e.replied : e.replied_to.contains(step);
    return false;  // meeting_booked: not modelled
  }

  /// Runs enrolment `id` from its current step as far as it goes today.
  /// Returns false when a limit stops it (it stays due, in the backlog).
  bool advance(int id, int day, std::map<std::string, int>& sent, SimulationDay& today, double& lateness) {
    for (int guard = 0; guard < static_cast<int>(steps_.size()) + 1; ++guard) {
      Enrolment& e = enrolments_[id];
      const Step& step = steps_[static_cast<std::size_t>(e.step)];
      if (step.kind == "exit") {
        exit(id, step.reason, today);
        return true;
      }
      const Step::Next* next = step.next.empty() ? nullptr : &step.next.front();
      if (!step.channel.empty()) {
        auto limit = limits_.find(step.channel);
        if (limit != limits_.end() && sent[step.channel] >= limit->second) return false;
        ++sent[step.channel];
        ++today.done;
        if (step.channel == "email") ++today.emails_done;
        lateness += working_days_between(e.scheduled_day, day);
        if (touch(id, step, day, today)) return true;
      } else if (step.kind == "branch") {
        const bool yes = holds(e, step.condition);
        for (const auto& edge : step.next) {
          if (edge.arm == (yes ? "yes" : "no")) next = &edge;
        }
      } else if (step.kind == "outcome_branch") {
        auto called = e.call_outcome.find(step.call);
        const std::string outcome = called == e.call_outcome.end() ? std::string() : called->second;
        const Step::Next* fallback = nullptr;
        for (const auto& edge : step.next) {
          if (edge.arm == outcome) next = &edge;
          if (edge.arm == "else") fallback = &edge;
        }
        if (next == nullptr || next->arm != outcome) next = fallback;
      }
      if (next == nullptr) {
        exit(id, "completed", today);
        return true;
      }
      const int64_t delay = next->delay;
      e.step = next->target;
      if (delay >= kMinutesPerDay) {
        schedule(id, later(day, delay));
        return true;
      }
      e.scheduled_day = day;
    }
    return true;
  }

  /// Engagement after a touch. Returns true when a handler ended or paused
  /// the enrolment.
  bool touch(int id, const Step& step, int day, SimulationDay& today) {
    Enrolment& e = enrolments_[id];
    if (step.channel == "email") {
      if (random_.chance(options_.bounce)) {
        e.bounced.insert(step.id);
        if (event(id, "bounced", day, today)) return true;
        return false;
      }
      if (random_.chance(options_.open)) {
        e.opened.insert(step.id);
        if (random_.chance(options_.click)) e.clicked.insert(step.id);
      }
      if (random_.chance(options_.unsubscribe) && event(id, "unsubscribed", day, today)) return true;
      if (random_.chance(options_.out_of_office) && event(id, "out_of_office", day, today)) {
        // Paused: the next step waits for the return.
        e.step = step.next.empty() ? e.step : step.next.front().target;
        return true;
      }
    }
    if (step.channel == "call") {
      double pick = random_.next();
      std::string outcome = call_mix_.back().first;
      for (const auto& [name, weight] : call_mix_) {
        if (pick < weight) {
          outcome = name;
          break;
        }
        pick -= weight;
      }
      e.call_outcome[step.id] = outcome;
    }
    if (step.channel == "linkedin" && step.linkedin_action == "connect" && random_.chance(options_.accept)) {
      e.accepted.insert(step.id);
    }
    if (step.channel != "task" && random_.chance(options_.reply)) {
      e.replied = true;
      e.replied_to.insert(step.id);
      ++today.replies;
      if (event(id, "replied", day, today)) return true;
    }
    return false;
  }

  SimulationOptions options_;
  Random random_;
  SimulationResult result_;
  std::vector<Step> steps_;
  int entry_ = 0;
  std::map<std::string, double> limits_;
  std::map<std::string, Json> handlers_;
  std::vector<std::pair<std::string, double>> call_mix_;
  std::vector<Enrolment> enrolments_;
  std::vector<std::vector<int>> buckets_;
};

}  // namespace

SimulationResult simulate(const Json& plan, const SimulationOptions& options) {
  if (!plan.is_object() || plan.value("format", "") != "cadence-plan") throw std::runtime_error("not a Cadence plan");
  try {
    return Simulator(plan, options).run();
  } catch (const Json::exception& error) {
    throw std::runtime_error(fmt::format("the plan is malformed: {}", error.what()));
  }
}

std::string simulation_table(const SimulationResult& result) {
  std::string out = fmt::format("sequence {}: {} enrolments a day, email limit {} a day, {} calendar\n", result.sequence,
                                result.enroll_per_day, result.email_limit, result.business_calendar ? "business" : "all-days");
  out += fmt::format("{:>4} {:>4} {:>8} {:>6} {:>6} {:>7} {:>7} {:>7} {:>8}  {}\n", "day", "work", "enrolled", "due", "done",
                     "emails", "queued", "drift", "replies", "exits");
  for (const SimulationDay& day : result.days) {
    std::string exits;
    for (const auto& [reason, count] : day.exits) exits += fmt::format("{}{}={}", exits.empty() ? "" : " ", reason, count);
    out += fmt::format("{:>4} {:>4} {:>8} {:>6} {:>6} {:>7} {:>7} {:>7.2f} {:>8}  {}\n", day.day, day.working ? "yes" : "-",
                       day.enrolled, day.due, day.done, day.emails_done, day.queued, day.drift_days, day.replies, exits);
  }
  return out;
}

nlohmann::ordered_json simulation_json(const SimulationResult& result) {
  nlohmann::ordered_json days = nlohmann::ordered_json::array();
  for (const SimulationDay& day : result.days) {
    days.push_back({{"day", day.day}, {"working", day.working}, {"enrolled", day.enrolled}, {"due", day.due},
                    {"done", day.done}, {"emails_done", day.emails_done}, {"queued", day.queued},
                    {"drift_days", std::round(day.drift_days * 100) / 100}, {"replies", day.replies}, {"exits", day.exits}});
  }
  return {{"version", 1},
          {"sequence", result.sequence},
          {"enroll_per_day", result.enroll_per_day},
          {"email_limit", result.email_limit},
          {"calendar", result.business_calendar ? "business" : "all_days"},
          {"days", days}};
}

std::string simulation_svg(const SimulationResult& result) {
  const double width = 800, height = 320, left = 50, right = 20, top = 30, bottom = 40;
  double high = result.email_limit;
  for (const SimulationDay& day : result.days) high = std::max({high, double(day.emails_done), double(day.queued)});
  high = std::max(1.0, high * 1.1);
  const std::size_t n = std::max<std::size_t>(1, result.days.size());
  auto x = [&](std::size_t i) { return left + (width - left - right) * (n == 1 ? 0.0 : double(i) / double(n - 1)); };
  auto y = [&](double v) { return top + (height - top - bottom) * (1 - v / high); };
  std::string emails, queued;
  for (std::size_t i = 0; i < result.days.size(); ++i) {
    emails += fmt::format("{:.1f},{:.1f} ", x(i), y(result.days[i].emails_done));
    queued += fmt::format("{:.1f},{:.1f} ", x(i), y(result.days[i].queued));
  }
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{2}\" y=\"18\" font-size=\"14\">sequence {3}: emails sent per day against the limit, and the backlog</text>\n",
      width, height, left, result.sequence);
  out += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{0}\" y2=\"{2:.1f}\" stroke=\"#888\"/>\n", left, y(0), y(high));
  out += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#888\"/>\n", left, y(0), width - right);
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", left - 6, y(high) + 4, std::lround(high));
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">0</text>\n", left - 6, y(0) + 4);
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">day</text>\n", (left + width - right) / 2, height - 8);
  out += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#c0392b\" stroke-dasharray=\"6 4\"/>\n",
                     left, y(result.email_limit), width - right);
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#c0392b\" text-anchor=\"end\">limit {}</text>\n", width - right,
                     y(result.email_limit) - 4, result.email_limit);
  out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#0d6efd\" stroke-width=\"2\"/>\n", emails);
  out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#fd7e14\" stroke-width=\"2\"/>\n", queued);
  out += fmt::format("<text x=\"{0}\" y=\"{1:.1f}\" fill=\"#0d6efd\">emails sent</text>\n"
                     "<text x=\"{2}\" y=\"{1:.1f}\" fill=\"#fd7e14\">backlog (queued to the next day)</text>\n",
                     left + 10, height - 8, left + 110);
  out += "</svg>\n";
  return out;
}

}  // namespace cadence
