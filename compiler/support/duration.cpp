#include "support/duration.hpp"

#include <fmt/format.h>

namespace cadence {

std::string duration_text(int64_t minutes) {
  if (minutes % kMinutesPerDay == 0) return fmt::format("{}d", minutes / kMinutesPerDay);
  if (minutes % kMinutesPerHour == 0) return fmt::format("{}h", minutes / kMinutesPerHour);
  return fmt::format("{}m", minutes);
}

std::string duration_text(int64_t minutes, bool business_calendar) {
  const int64_t week = minutes_per_week(business_calendar);
  if (minutes % week == 0) return fmt::format("{}w", minutes / week);
  return duration_text(minutes);
}

}  // namespace cadence
