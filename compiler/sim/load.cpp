#include "sim/load.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace cadence {

int64_t Calendar::working_through(int64_t day) const {
  if (day < 0) return 0;
  if (!business_) return day + 1;
  return day / kDaysPerWeek * kBusinessDaysPerWeek + std::min<int64_t>(day % kDaysPerWeek + 1, kBusinessDaysPerWeek);
}

int64_t Calendar::nth_working(int64_t count) const {
  if (!business_) return count - 1;
  return (count - 1) / kBusinessDaysPerWeek * kDaysPerWeek + (count - 1) % kBusinessDaysPerWeek;
}

int64_t sends_allowed(double limit) {
  if (!(limit > 0)) return 0;
  if (limit >= 1e15) return std::numeric_limits<int64_t>::max() / 4;
  return static_cast<int64_t>(std::ceil(limit));
}

void PathBuilder::step(std::string_view channel) {
  if (!channel.empty() || pending_ > 0) stream_.path.push_back({std::string(channel), pending_});
  pending_ = 0;
}

void PathBuilder::exit(std::string reason) {
  stream_.exit_days_before = pending_;
  stream_.exit_reason = std::move(reason);
  pending_ = 0;
}

namespace {

/// Enrolments of one stream that are at the same place: due at `touch` of
/// the path (path.size() = the exit) since `scheduled_day`.
struct Cohort {
  uint32_t stream = 0;
  uint32_t touch = 0;
  int64_t count = 0;
  int64_t scheduled_day = 0;
  /// New enrolments: the path's first delay is still ahead of them.
  bool arriving = false;
};

class WorstCase {
 public:
  WorstCase(std::span<const LoadStream> streams, const std::map<std::string, double>& limits, int days)
      : streams_(streams), days_(std::max(0, days)) {
    // Channels by number, so that the day's counts are arrays.
    auto id_of = [&](const std::string& channel) {
      auto it = std::find(channels_.begin(), channels_.end(), channel);
      if (it != channels_.end()) return static_cast<int>(it - channels_.begin());
      channels_.push_back(channel);
      return static_cast<int>(channels_.size() - 1);
    };
    email_ = id_of("email");
    for (const LoadStream& stream : streams) {
      calendars_.emplace_back(stream.business_calendar);
      std::vector<int> ids;
      for (const PathTouch& touch : stream.path) ids.push_back(touch.channel.empty() ? -1 : id_of(touch.channel));
      channel_ids_.push_back(std::move(ids));
    }
    allowed_.assign(channels_.size(), kUnlimited);
    for (const auto& [channel, limit] : limits) {
      auto it = std::find(channels_.begin(), channels_.end(), channel);
      if (it != channels_.end()) allowed_[static_cast<std::size_t>(it - channels_.begin())] = sends_allowed(limit);
    }
    sent_.assign(channels_.size(), 0);
    use_.assign(channels_.size(), 0);
    buckets_.resize(static_cast<std::size_t>(days_) + 1);
  }

  SimulationResult run() {
    SimulationResult result;
    result.model = "worst-case";
    for (const LoadStream& stream : streams_) {
      if (!result.sequence.empty()) result.sequence += ", ";
      result.sequence += stream.sequence;
      result.enroll_per_day += stream.enroll_per_day;
    }
    result.business_calendar = !calendars_.empty() && calendars_.front().business();
    std::vector<double> carry(streams_.size(), 0);
    std::vector<Cohort> backlog;
    double last_drift = 0;
    for (int64_t day = 0; day < days_; ++day) {
      SimulationDay today;
      today.day = day;
      today.working = calendars_.empty() || std::any_of(calendars_.begin(), calendars_.end(),
                                                        [&](const Calendar& c) { return c.is_working(day); });
      std::vector<Cohort> due = std::move(backlog);
      backlog.clear();
      std::vector<Cohort>& bucket = buckets_[static_cast<std::size_t>(day)];
      due.insert(due.end(), bucket.begin(), bucket.end());
      std::vector<Cohort>().swap(bucket);
      for (std::size_t s = 0; s < streams_.size(); ++s) {
        if (!calendars_[s].is_working(day)) continue;
        carry[s] += streams_[s].enroll_per_day;
        const auto enrolled = static_cast<int64_t>(std::floor(carry[s]));
        carry[s] -= static_cast<double>(enrolled);
        today.enrolled += enrolled;
        if (enrolled > 0) due.push_back({static_cast<uint32_t>(s), 0, enrolled, day, true});
      }
      // Oldest first: the backlog is worked off before new work.
      std::stable_sort(due.begin(), due.end(),
                       [](const Cohort& a, const Cohort& b) { return a.scheduled_day < b.scheduled_day; });
      std::fill(sent_.begin(), sent_.end(), 0);
      double lateness = 0;
      for (const Cohort& cohort : due) {
        if (!calendars_[cohort.stream].is_working(day)) {
          wait(backlog, cohort);  // its owner does not work today
          continue;
        }
        advance(cohort, day, today, lateness, backlog);
      }
      for (const Cohort& cohort : backlog) today.queued += cohort.count;
      today.due = today.done + today.queued;
      if (today.working) {
        today.drift_days = today.done > 0 ? lateness / static_cast<double>(today.done) : 0;
        last_drift = today.drift_days;
      } else {
        today.drift_days = today.queued > 0 ? last_drift : 0;  // the queue still waits
      }
      result.days.push_back(std::move(today));
    }
    return result;
  }

 private:
  static constexpr int64_t kUnlimited = std::numeric_limits<int64_t>::max() / 4;

  [[nodiscard]] int64_t left(int channel) const {
    const auto c = static_cast<std::size_t>(channel);
    return allowed_[c] == kUnlimited ? kUnlimited : allowed_[c] - sent_[c];
  }

  /// Queues `cohort` for the next working day; beside an identical one (the
  /// same place, due since the same day) it joins it, which changes nothing
  /// but the count of entries.
  static void wait(std::vector<Cohort>& backlog, const Cohort& cohort) {
    if (!backlog.empty()) {
      Cohort& last = backlog.back();
      if (last.stream == cohort.stream && last.touch == cohort.touch && last.scheduled_day == cohort.scheduled_day &&
          last.arriving == cohort.arriving) {
        last.count += cohort.count;
        return;
      }
    }
    backlog.push_back(cohort);
  }

  /// Moves `cohort` as far as today's limits let it, splitting it where the
  /// enrolments that come first take the last sends.
  void advance(Cohort cohort, int64_t day, SimulationDay& today, double& lateness, std::vector<Cohort>& backlog) {
    const LoadStream& stream = streams_[cohort.stream];
    const Calendar& calendar = calendars_[cohort.stream];
    const auto size = static_cast<uint32_t>(stream.path.size());
    if (cohort.arriving) {
      const int64_t gap = size == 0 ? stream.exit_days_before : stream.path.front().days_before;
      if (gap > 0) {
        schedule({cohort.stream, 0, cohort.count, 0}, calendar.later(day, gap));
        return;
      }
    }
    while (cohort.count > 0) {
      if (cohort.touch == size) {  // the exit
        today.exits[stream.exit_reason] += cohort.count;
        hand_off(stream, cohort.count, day);
        return;
      }
      // How far one enrolment gets today: steps until a limit stops it or
      // the next one is due on a later day.
      const std::vector<int>& ids = channel_ids_[cohort.stream];
      if (ids[cohort.touch] >= 0 && left(ids[cohort.touch]) < 1) {  // blocked at its first touch: all of it waits
        wait(backlog, cohort);
        return;
      }
      used_.clear();
      uint32_t at = cohort.touch;
      int64_t touches = 0;
      bool blocked = false;
      for (;;) {
        const int channel = ids[at];
        if (channel >= 0) {
          const auto c = static_cast<std::size_t>(channel);
          if (left(channel) - use_[c] < 1) {
            blocked = true;
            break;
          }
          if (use_[c]++ == 0) used_.push_back(channel);
          ++touches;
        }
        ++at;
        if (at == size || stream.path[at].days_before > 0) break;
      }
      // How many enrolments make the same progress.
      int64_t moving = cohort.count;
      for (const int channel : used_)
        moving = std::min(moving, left(channel) / use_[static_cast<std::size_t>(channel)]);
      for (const int channel : used_) {
        const auto c = static_cast<std::size_t>(channel);
        sent_[c] += moving * use_[c];
        if (channel == email_) today.emails_done += moving * use_[c];
        use_[c] = 0;
      }
      today.done += moving * touches;
      // Only a touch where the cohort stood can be late; what follows on the
      // same day is on time.
      if (ids[cohort.touch] >= 0) {
        lateness +=
            static_cast<double>(moving) * static_cast<double>(calendar.working_between(cohort.scheduled_day, day));
      }
      if (blocked) {
        wait(backlog, {cohort.stream, at, moving, day});
      } else {
        const int64_t gap = at == size ? stream.exit_days_before : stream.path[at].days_before;
        if (gap == 0) {  // at == size: the exit, today
          today.exits[stream.exit_reason] += moving;
          hand_off(stream, moving, day);
        } else {
          schedule({cohort.stream, at, moving, 0}, calendar.later(day, gap));
        }
      }
      cohort.count -= moving;
    }
  }

  /// Records handed off on `day` start the target stream the next working
  /// day of its calendar.
  void hand_off(const LoadStream& from, int64_t count, int64_t day) {
    if (from.handoff < 0 || static_cast<std::size_t>(from.handoff) >= streams_.size()) return;
    const auto target = static_cast<uint32_t>(from.handoff);
    schedule({target, 0, count, 0, true}, calendars_[target].later(day, 1));
  }

  void schedule(Cohort cohort, int64_t day) {
    cohort.scheduled_day = day;
    if (day < days_) buckets_[static_cast<std::size_t>(day)].push_back(cohort);
  }

  std::span<const LoadStream> streams_;
  int64_t days_;
  std::vector<Calendar> calendars_;
  /// Channels by number, each stream's path as channel numbers (-1: none),
  /// and per channel: sends allowed a day, sent today, and one enrolment's
  /// use in the walk under way (with the channels it used).
  std::vector<std::string> channels_;
  int email_ = 0;
  std::vector<std::vector<int>> channel_ids_;
  std::vector<int64_t> allowed_;
  std::vector<int64_t> sent_;
  std::vector<int64_t> use_;
  std::vector<int> used_;
  std::vector<std::vector<Cohort>> buckets_;
};

}  // namespace

SimulationResult simulate_worst_case(std::span<const LoadStream> streams, const std::map<std::string, double>& limits,
                                     int days) {
  return WorstCase(streams, limits, days).run();
}

bool may_queue(std::span<const SequenceLoad* const> loads) {
  // Per channel (a handful): the lowest limit and the most sends due in a day.
  struct PerChannel {
    std::string_view channel;
    std::optional<double> limit;
    double due = 0;
  };
  std::vector<PerChannel> channels;
  auto of = [&](std::string_view channel) -> PerChannel& {
    for (PerChannel& entry : channels) {
      if (entry.channel == channel) return entry;
    }
    return channels.emplace_back(PerChannel{channel, std::nullopt, 0});
  };
  for (const SequenceLoad* load : loads) {
    if (load->stream.handoff >= 0) return true;
    for (const auto& [channel, limit] : load->limits) {
      PerChannel& entry = of(channel);
      entry.limit = entry.limit ? std::min(*entry.limit, limit) : limit;
    }
    const double most = std::ceil(load->stream.enroll_per_day);
    for (const PathTouch& touch : load->stream.path) {
      if (!touch.channel.empty()) of(touch.channel).due += most;
    }
  }
  return std::any_of(channels.begin(), channels.end(), [](const PerChannel& entry) {
    return entry.limit && entry.due > static_cast<double>(sends_allowed(*entry.limit));
  });
}

SimulationResult simulate_worst_case(std::span<const SequenceLoad> loads, int days) {
  std::vector<LoadStream> streams;
  std::map<std::string, double> limits;
  for (const SequenceLoad& load : loads) {
    streams.push_back(load.stream);
    for (const auto& [channel, limit] : load.limits) {
      auto [it, added] = limits.emplace(channel, limit);
      if (!added) it->second = std::min(it->second, limit);
    }
  }
  SimulationResult result = simulate_worst_case(std::span<const LoadStream>(streams), limits, days);
  auto email = limits.find("email");
  result.email_limit = email == limits.end() ? 0 : email->second;
  return result;
}

}  // namespace cadence
