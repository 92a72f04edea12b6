// The shared load model: calendar arithmetic, how limits count, and the
// worst case's queueing, checked against figures worked out by hand.
#include <catch2/catch.hpp>

#include "sim/load.hpp"

using namespace cadence;

TEST_CASE("the business calendar skips weekends; all days does not", "[load]") {
  const Calendar business(true);
  CHECK(business.is_working(4));        // Friday
  CHECK_FALSE(business.is_working(5));  // Saturday
  CHECK(business.later(4, 1) == 7);     // Friday + 1 working day = Monday
  CHECK(business.later(0, 5) == 7);
  CHECK(business.working_between(4, 8) == 2);  // Friday and Monday
  const Calendar all(false);
  CHECK(all.later(4, 1) == 5);
  CHECK(all.working_between(4, 8) == 4);
}

TEST_CASE("a limit lets a send through while fewer went out today", "[load]") {
  CHECK(sends_allowed(200) == 200);
  CHECK(sends_allowed(28.6) == 29);
  CHECK(sends_allowed(0) == 0);
}

TEST_CASE("the worst case queues what is over the limit, oldest first", "[load]") {
  LoadStream stream;
  stream.sequence = "s";
  stream.enroll_per_day = 10;
  stream.path = {{"email", 0}};
  const std::vector<LoadStream> streams{stream};
  const SimulationResult result = simulate_worst_case(std::span<const LoadStream>(streams), {{"email", 5}}, 8);
  REQUIRE(result.days.size() == 8);
  CHECK(result.model == "worst-case");
  // 10 due a working day, 5 sent: the queue grows by 5 each working day.
  CHECK(result.days[0].done == 5);
  CHECK(result.days[0].queued == 5);
  CHECK(result.days[0].due == 10);
  CHECK(result.days[1].queued == 10);
  CHECK(result.days[1].drift_days == 1.0);  // yesterday's 5 went out a day late
  // The weekend: nothing goes out, the queue and its lateness stay.
  CHECK(result.days[5].done == 0);
  CHECK(result.days[5].queued == 25);
  CHECK(result.days[5].drift_days == result.days[4].drift_days);
  CHECK(result.days[7].queued == 30);
}

TEST_CASE("an enrolment stopped halfway through its day waits at the touch it reached", "[load]") {
  LoadStream stream;
  stream.sequence = "s";
  stream.enroll_per_day = 2;
  stream.path = {{"email", 0}, {"email", 0}, {"call", 3}};
  const std::vector<LoadStream> streams{stream};
  const SimulationResult result = simulate_worst_case(std::span<const LoadStream>(streams), {{"email", 3}}, 1);
  // The first does both emails, the second one: 3 sends, 1 waiting.
  CHECK(result.days[0].done == 3);
  CHECK(result.days[0].emails_done == 3);
  CHECK(result.days[0].queued == 1);
}

TEST_CASE("a team shares the lowest limit of its sequences", "[load]") {
  SequenceLoad a;
  a.stream = {"a", 100, true, {{"email", 0}}, 0, "completed"};
  a.limits = {{"email", 200}};
  SequenceLoad b;
  b.stream = {"b", 100, true, {{"email", 0}}, 0, "completed"};
  b.limits = {{"email", 150}, {"call", 10}};
  const std::vector<SequenceLoad> loads{a, b};
  const SimulationResult result = simulate_worst_case(std::span<const SequenceLoad>(loads), 1);
  CHECK(result.sequence == "a, b");
  CHECK(result.email_limit == 150);
  CHECK(result.enroll_per_day == 200);
  CHECK(result.days[0].done == 150);
  CHECK(result.days[0].queued == 50);
}

TEST_CASE("the path stops where a delay of a day or more lands", "[load]") {
  LoadStream stream;
  PathBuilder path(stream);
  path.step("email");
  path.edge(2 * 24 * 60);  // wait 2d
  path.step("");           // the wait step after it
  path.edge(12 * 60);      // 12h: the same day
  path.step("call");
  path.edge(24 * 60);
  path.exit("replied");
  REQUIRE(stream.path.size() == 3);
  CHECK(stream.path[0].channel == "email");
  CHECK(stream.path[1].channel.empty());
  CHECK(stream.path[1].days_before == 2);
  CHECK(stream.path[2].channel == "call");
  CHECK(stream.path[2].days_before == 0);
  CHECK(stream.exit_days_before == 1);
  CHECK(stream.exit_reason == "replied");
}

TEST_CASE("a team whose every day is under its limits is known not to queue without running it", "[load]") {
  SequenceLoad a;
  a.stream = {"a", 40, true, {{"email", 0}, {"call", 2}, {"email", 2}}, 0, "completed"};
  a.limits = {{"email", 200}};
  std::vector<SequenceLoad> loads{a};
  const std::vector<const SequenceLoad*> members{&loads[0]};
  // 40 a day x 2 email places = 80 at most on any day.
  CHECK_FALSE(may_queue(members));
  CHECK(simulate_worst_case(std::span<const SequenceLoad>(loads), 60).days.back().queued == 0);
  // 40.5 a day: some days 41 enrol, so 82 may be due; a limit of 81 may queue.
  loads[0].stream.enroll_per_day = 40.5;
  loads[0].limits = {{"email", 81}};
  CHECK(may_queue(members));
  // A call limit binds too.
  loads[0].limits = {{"email", 200}, {"call", 30}};
  CHECK(may_queue(members));
  CHECK(simulate_worst_case(std::span<const SequenceLoad>(loads), 60).days.back().queued > 0);
  // Records handed off: the bound does not hold, so it runs.
  loads[0].limits = {{"email", 200}};
  loads[0].stream.handoff = 0;
  CHECK(may_queue(members));
}
