#include <catch2/catch.hpp>

#include "emit/fetchxml.hpp"
#include "emit/plan.hpp"
#include "support.hpp"
#include "support/json_input.hpp"

using namespace cadence;
using namespace cadence::test;

TEST_CASE("FetchXML escapes user values so they cannot add conditions", "[emit]") {
  Program program;
  auto result = program.check_text(
      "import \"std/lead\"\n"
      "segment s on lead { where companyname == \"x\\\" /><condition attribute=\\\"statecode\\\" operator=\\\"ne\\\" "
      "value=\\\"9\\\" /><x a=\\\"&'\" }\n");
  REQUIRE(names_of(result).empty());
  const ast::Segment& segment = result.module->parsed.file.segments[0];
  const ast::Entity& lead = *result.scope.find<ast::Entity>("lead").item;
  const std::string xml = segment_fetchxml(segment, lead, result);
  CHECK(xml.find("<condition attribute=\"statecode\"") == std::string::npos);
  CHECK(xml.find("value=\"x&quot; /&gt;&lt;condition attribute=&quot;statecode&quot;") != std::string::npos);
  CHECK(xml.find("&amp;&apos;") != std::string::npos);
}

TEST_CASE("FetchXML pushes negation down to the conditions", "[emit]") {
  Program program;
  auto result = program.check_text(
      "import \"std/lead\"\n"
      "segment s on lead { where not (leadqualitycode == hot or (revenue < 5 and firstname is null)) }\n");
  const ast::Entity& lead = *result.scope.find<ast::Entity>("lead").item;
  // revenue may be empty: `not (revenue < 5)` selects the empty ones too.
  CHECK(segment_fetchxml(result.module->parsed.file.segments[0], lead, result) ==
        "<fetch>\n"
        "  <entity name=\"lead\">\n"
        "    <filter type=\"and\">\n"
        "      <condition attribute=\"leadqualitycode\" operator=\"ne\" value=\"1\" />\n"
        "      <filter type=\"or\">\n"
        "        <filter type=\"or\">\n"
        "          <condition attribute=\"revenue\" operator=\"ge\" value=\"5\" />\n"
        "          <condition attribute=\"revenue\" operator=\"null\" />\n"
        "        </filter>\n"
        "        <condition attribute=\"firstname\" operator=\"not-null\" />\n"
        "      </filter>\n"
        "    </filter>\n"
        "  </entity>\n"
        "</fetch>\n");
}

TEST_CASE("plans are deterministic", "[emit]") {
  const std::string text = sequence_with("  email intro { template t }\n  wait 2d\n  call c { script \"x\" }\n");
  Program first, second;
  const std::string a = plan_text(build_plan(first.check_text(text)));
  const std::string b = plan_text(build_plan(second.check_text(text)));
  CHECK(a == b);
  CHECK(a.find("\"format\": \"cadence-plan\"") != std::string::npos);
}

TEST_CASE("plan_problem names what is wrong with a plan and reads nothing that is missing", "[emit]") {
  using nlohmann::json;
  CHECK(plan_problem(json::parse(R"({"format": "cadence-plan"})")).value().find("version none") != std::string::npos);
  CHECK(plan_problem(json::parse(R"({"format": "cadence-plan", "version": "1"})")).has_value());
  CHECK(plan_problem(json::parse(R"({"format": "cadence-plan", "version": 1})")) == "its 'sequences' is not an array");
  CHECK(plan_problem(json::parse(R"([1, 2])")) == "it is not a Cadence plan");
  CHECK(
      plan_problem(json::parse(
          R"({"format": "cadence-plan", "version": 1, "sequences": [{"name": "s", "entry": "a", "steps": [{"id": "a", "kind": "email", "next": [{"step": "b"}]}]}]})")) ==
      "step 'a' of sequence 's' leads to a step that does not exist");
  CHECK_FALSE(plan_problem(json::parse(
      R"({"format": "cadence-plan", "version": 1, "sequences": [{"name": "s", "entry": "a", "steps": [{"id": "a", "kind": "exit", "next": []}]}]})")));
  // Members the tools read as text must be text.
  CHECK(
      plan_problem(json::parse(
          R"({"format": "cadence-plan", "version": 1, "sequences": [{"name": "s", "entry": "a", "steps": [{"id": "a", "kind": 5}]}]})")) ==
      "step 'a' of sequence 's' has no kind");
  CHECK(
      plan_problem(json::parse(
          R"({"format": "cadence-plan", "version": 1, "sequences": [{"name": "s", "team": 3, "entry": "a", "steps": [{"id": "a", "kind": "exit"}]}]})")) ==
      "sequence 's' has a 'team' that is not text");
  CHECK(
      plan_problem(json::parse(
          R"({"format": "cadence-plan", "version": 1, "sequences": [{"name": "s", "limits": {"email": {"count": 1, "per": "month"}}, "entry": "a", "steps": [{"id": "a", "kind": "exit"}]}]})")) ==
      "sequence 's' has a malformed limit for email");
}

TEST_CASE("a number too large for a double is an error, not an exception", "[emit]") {
  std::string error;
  CHECK_FALSE(cadence::parse_json_input(R"({"max_delay_minutes": 9e7978178})", error, 512).has_value());
  CHECK(error == "is not valid JSON (a number is out of range)");
  CHECK(cadence::parse_json_input(R"({"minutes": 1e3})", error, 512).has_value());
}
