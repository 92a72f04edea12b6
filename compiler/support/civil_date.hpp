// Calendar dates written as "YYYY-MM-DD": validation and day arithmetic
// (proleptic Gregorian, days counted from 1970-01-01).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cadence {

/// The day number of a "YYYY-MM-DD" date, or nothing when the text is not a
/// real date (2026-02-30 is not).
std::optional<int64_t> parse_iso_date(std::string_view text);

/// The "YYYY-MM-DD" text of a day number.
std::string format_iso_date(int64_t day);

}  // namespace cadence
