#include "support/duration.hpp"

#include <string_view>

#include <fmt/format.h>

namespace cadence {

std::string duration_text(int64_t minutes) {
  if (minutes % kMinutesPerDay == 0) return fmt::format("{}d", minutes / kMinutesPerDay);
  if (minutes % kMinutesPerHour == 0) return fmt::format("{}h", minutes / kMinutesPerHour);
  return fmt::format("{}m", minutes);
}

std::string duration_words(int64_t minutes) {
  const auto unit = [](int64_t count, std::string_view name) {
    return fmt::format("{} {}{}", count, name, count == 1 ? "" : "s");
  };
  if (minutes % kMinutesPerDay == 0) return unit(minutes / kMinutesPerDay, "day");
  if (minutes % kMinutesPerHour == 0) return unit(minutes / kMinutesPerHour, "hour");
  return unit(minutes, "minute");
}

std::string duration_text(int64_t minutes, bool business_calendar) {
  const int64_t week = minutes_per_week(business_calendar);
  if (minutes % week == 0) return fmt::format("{}w", minutes / week);
  return duration_text(minutes);
}

}  // namespace cadence
