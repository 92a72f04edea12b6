#pragma once
// The calendar's units in minutes, and the one way durations are written
// back for people: a plan's minutes in the largest unit that divides them,
// in the spelling the language reads (`2d`, `36h`, `90m`, `2w`).
#include <cstdint>
#include <string>

namespace cadence {

inline constexpr int64_t kMinutesPerHour = 60;
inline constexpr int64_t kMinutesPerDay = 24 * kMinutesPerHour;
/// A week of the `business` calendar counts its working days only.
inline constexpr int64_t kBusinessDaysPerWeek = 5;
inline constexpr int64_t kDaysPerWeek = 7;
/// The longest wait, `within` or pause a sequence or a plan may hold.
inline constexpr int64_t kMaxWaitMinutes = 30 * kMinutesPerDay;

[[nodiscard]] constexpr int64_t minutes_per_week(bool business_calendar) {
  return (business_calendar ? kBusinessDaysPerWeek : kDaysPerWeek) * kMinutesPerDay;
}

/// Whole days in a number of minutes (rounded down).
[[nodiscard]] constexpr int64_t whole_days(int64_t minutes) { return minutes / kMinutesPerDay; }

/// `minutes` in days, hours or minutes, the largest unit that divides it
/// (0 is `0d`).
[[nodiscard]] std::string duration_text(int64_t minutes);

/// The same in words, for people entering it elsewhere (a build sheet):
/// "2 days", "36 hours", "1 minute".
[[nodiscard]] std::string duration_words(int64_t minutes);

/// The same, with weeks of the sequence's calendar first (5 days under the
/// business calendar).
[[nodiscard]] std::string duration_text(int64_t minutes, bool business_calendar);

}  // namespace cadence
