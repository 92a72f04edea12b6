#include <catch2/catch.hpp>

#include "support/civil_date.hpp"

using namespace cadence;

TEST_CASE("dates round-trip through day numbers, one day apart", "[dates]") {
  const auto start = parse_iso_date("1899-12-30");
  REQUIRE(start);
  int64_t previous = *start - 1;
  // 300 years of days, leap days and century years included.
  for (int64_t day = *start; day < *start + 366 * 300; ++day) {
    const std::string text = format_iso_date(day);
    const auto parsed = parse_iso_date(text);
    REQUIRE(parsed);
    REQUIRE(*parsed == day);
    REQUIRE(*parsed == previous + 1);
    previous = *parsed;
  }
  CHECK(*parse_iso_date("1970-01-01") == 0);
  CHECK(format_iso_date(*parse_iso_date("2024-03-01") - 1) == "2024-02-29");
  CHECK(format_iso_date(*parse_iso_date("2100-03-01") - 1) == "2100-02-28");
}

TEST_CASE("days that do not exist are not dates", "[dates]") {
  for (const char* text : {"2026-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
                           "1752-12-31", "2026-1-01", "2026/01/01", "20260101", "", "2026-01-01T00:00"}) {
    INFO(text);
    CHECK_FALSE(parse_iso_date(text));
  }
  CHECK(parse_iso_date("2024-02-29"));
  CHECK(parse_iso_date("2000-02-29"));
  CHECK(parse_iso_date("1753-01-01"));
}
