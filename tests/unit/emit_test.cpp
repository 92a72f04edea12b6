#include <functional>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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
  CHECK(plan_problem(json::parse(R"([1, 2])")) == "it is not a Cadence plan");
  CHECK(plan_problem(json::parse(R"({"format": "cadence-plan", "version": 1})")) == "the plan has no 'generator'");

  // A plan `build` wrote passes; each change below breaks one rule.
  Program program;
  const json base = build_plan(program.check_text(
      sequence_with("  email intro { template t }\n  wait 2d\n  call c { script \"x\" }\n", "  limit email 50/day\n")));
  REQUIRE_FALSE(plan_problem(base));
  auto problem = [&](const std::function<void(json&)>& change) {
    json plan = base;
    change(plan["sequences"][0]);
    return plan_problem(plan).value_or("(accepted)");
  };
  CHECK(problem([](json& s) { s["steps"][0]["next"][0]["step"] = "b"; }) ==
        "sequence 's', step 'intro' leads to 'b', which is not a step");
  CHECK(problem([](json& s) { s["steps"][0]["kind"] = 5; }) == "sequence 's', step 'intro': 'kind' is not text");
  CHECK(problem([](json& s) { s["team"] = 3; }) == "sequence 's': 'team' is neither text nor null");
  CHECK(problem([](json& s) { s["limits"]["email"]["per"] = "month"; }) ==
        "sequence 's', limit email: 'per' is 'month'; it must be day or week");
  CHECK(problem([](json& s) { s["name"] = "../x"; }) ==
        "a sequence of the plan: 'name' is '../x', which is not a name (letters, digits and _)");
  CHECK(problem([](json& s) { s["steps"][1]["minutes"] = -5; }) ==
        "sequence 's', step 'intro.wait1': 'minutes' is -5 minutes; it must be from 1 to 43200 minutes");
  CHECK(problem([](json& s) { s["steps"][1]["next"][0]["step"] = "intro"; }) ==
        "sequence 's', step 'intro.wait1' leads back to 'intro'; plans list every successor after its step and never "
        "loop");
  CHECK(problem([](json& s) { s["extra"] = true; }) ==
        "sequence 's' has a member 'extra' that plans of version 1 do not have");
  CHECK(problem([](json& s) {
          s["enroll"] = json{{"count", 1e81}, {"per", "day"}};
        }) == "sequence 's', 'enroll': 'count' must be a whole number from 1 to 1000000000");
  CHECK(problem([](json& s) { s["steps"][0]["template"] = "missing"; }) ==
        "sequence 's', step 'intro' uses template 'missing', which is not among the sequence's templates");
}

TEST_CASE("read_plan gives readers the plan typed: kinds as enums, successors and signals as indices", "[emit]") {
  Program program;
  const nlohmann::ordered_json document = build_plan(program.check_text(
      sequence_with("  on out_of_office pause 5d\n"
                    "  on replied exit \"replied\" then qualify\n"
                    "  email intro { template t mode auto }\n"
                    "  wait 2d\n"
                    "  call c { script \"Ask about {{lead.firstname | \"them\"}}\" }\n"
                    "  branch opened(intro) within 3d {\n"
                    "    yes { task follow { note \"x\" } }\n"
                    "    no { branch outcome(c) { connected { exit \"booked\" then create_opportunity } } }\n"
                    "  }\n",
                    "  enroll 40/week\n  limit call 20/day\n")));
  std::string problem;
  const std::optional<plan::Plan> read = read_plan(document, problem);
  REQUIRE(read);
  CHECK(problem.empty());
  REQUIRE(read->sequences.size() == 1);
  const plan::Sequence& s = read->sequences[0];
  CHECK(s.name == "s");
  CHECK(s.target == "lead");
  REQUIRE(s.enroll);
  CHECK(s.enroll->count == 40);
  CHECK(s.enroll->per == plan::Per::Week);
  REQUIRE(s.limits.size() == 1);
  CHECK(s.limits[0].first == "call");
  REQUIRE(s.handler("out_of_office") != nullptr);
  CHECK(s.handler("out_of_office")->pause);
  CHECK(s.handler("out_of_office")->minutes == 5 * kMinutesPerDay);
  REQUIRE(s.handler("replied") != nullptr);
  CHECK(s.handler("replied")->outcome->kind == "qualify");
  CHECK(s.handler("bounced") == nullptr);
  REQUIRE(s.find_template("t") != nullptr);
  CHECK(s.find_template("t")->body.merge_fields.at(0).column == "fullname");

  const plan::Step& intro = s.steps.at(s.entry);
  CHECK(intro.id == "intro");
  CHECK(intro.kind == vocabulary::StepKind::Email);
  CHECK(intro.channel == vocabulary::Channel::Email);
  CHECK(intro.mode == "auto");
  CHECK(intro.template_name == "t");
  const plan::Step* call = s.step("c");
  REQUIRE(call != nullptr);
  REQUIRE(call->script);
  CHECK(call->script->merge_fields.at(0).fallback == "them");
  CHECK(call->carried_text() == &*call->script);
  // Every successor comes later in the list, as an index.
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    for (const plan::Edge& edge : s.steps[i].next) CHECK(edge.step > i);
  }
  const plan::Step* branch = nullptr;
  const plan::Step* outcome = nullptr;
  for (const plan::Step& step : s.steps) {
    if (step.kind == vocabulary::StepKind::Branch) branch = &step;
    if (step.kind == vocabulary::StepKind::OutcomeBranch) outcome = &step;
  }
  REQUIRE(branch != nullptr);
  REQUIRE(branch->condition);
  CHECK(branch->condition->op == plan::Condition::Op::Signal);
  CHECK(branch->condition->signal == vocabulary::Signal::Opened);
  CHECK(branch->condition->step == s.entry);
  CHECK(branch->within_minutes == 3 * kMinutesPerDay);
  REQUIRE(outcome != nullptr);
  CHECK(s.steps.at(outcome->call).id == "c");
  CHECK(s.summary.longest_minutes >= s.summary.shortest_minutes);
  CHECK(s.content_hash.starts_with("sha256:"));

  // The same document without its members' order reads the same; a broken
  // one gives read_plan's problem and plan_problem's, which are one.
  nlohmann::json unordered(document);
  CHECK(read_plan(unordered, problem));
  unordered["sequences"][0]["steps"][0]["mode"] = "sometimes";
  CHECK_FALSE(read_plan(unordered, problem));
  CHECK(problem == "sequence 's', step 'intro': 'mode' is 'sometimes'; it must be auto or manual");
  CHECK(plan_problem(unordered) == problem);
}

TEST_CASE("a number too large for a double is an error, not an exception", "[emit]") {
  std::string error;
  CHECK_FALSE(cadence::parse_json_input(R"({"max_delay_minutes": 9e7978178})", error, 512).has_value());
  CHECK(error == "is not valid JSON (a number is out of range)");
  CHECK(cadence::parse_json_input(R"({"minutes": 1e3})", error, 512).has_value());
}
