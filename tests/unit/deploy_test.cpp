#include <catch2/catch.hpp>

#include "deploy/deploy.hpp"
#include "deploy/dynamics.hpp"
#include "export/targets.hpp"
#include "support/duration.hpp"

using namespace cadence;
using deploy::ActionKind;

namespace {

exporter::Request request(std::string id, std::string path, std::string type, std::string text) {
  return {std::move(id),
          "POST",
          std::move(path),
          exporter::Json{{"data", {{"type", std::move(type)}, {"attributes", {{"text", std::move(text)}}}}}},
          {}};
}

exporter::SequenceExport sequence() {
  exporter::SequenceExport out;
  out.name = "s";
  out.requests = {request("template/a", "/api/v2/templates", "template", "hello"),
                  request("sequence", "/api/v2/sequences", "sequence", "s"),
                  request("sequenceStep/one", "/api/v2/sequenceSteps", "sequenceStep", "1")};
  out.requests[2].references = {{"/data/relationships/sequence/data/id", "sequence", "/data/id", {}}};
  return out;
}

}  // namespace

TEST_CASE("a state file reads back as it was written", "[deploy]") {
  deploy::State state{"outreach", {}, {}};
  state.sequences["s"]["sequence"] = {exporter::Json(42), "abc", false};
  state.sequences["s"]["template/a"] = {exporter::Json(), "", true};
  std::string problem;
  const auto read = deploy::read_state(deploy::state_json(state), problem);
  REQUIRE(read);
  CHECK(read->target == "outreach");
  CHECK(read->sequences.at("s").at("sequence").id == 42);
  CHECK(read->sequences.at("s").at("sequence").hash == "abc");
  CHECK(read->sequences.at("s").at("template/a").pending);
  CHECK_FALSE(deploy::read_state(exporter::Json{{"format", "other"}}, problem));
}

TEST_CASE("the plan creates what is new, updates what changed and keeps the rest", "[deploy]") {
  const exporter::SequenceExport exported = sequence();
  const exporter::Target& outreach = exporter::outreach_target();
  std::string problem;
  deploy::State state{"outreach", {}, {}};
  auto plan = deploy::plan_deployment(outreach, {exported}, state, problem);
  REQUIRE(plan);
  CHECK(plan->count(ActionKind::Create) == 3);
  CHECK(plan->afterwards.size() == 1);  // enabling a new sequence is by hand

  auto& records = state.sequences["s"];
  records["template/a"] = {exporter::Json(7), deploy::body_hash(exported.requests[0]), false};
  records["sequence"] = {exporter::Json(8), "old", false};
  records["sequenceTemplate/one/b"] = {exporter::Json(9), "x", false};
  records["template/b"] = {exporter::Json(10), "x", false};
  plan = deploy::plan_deployment(outreach, {exported}, state, problem);
  REQUIRE(plan);
  CHECK(plan->actions[0].kind == ActionKind::Unchanged);
  CHECK(plan->actions[1].kind == ActionKind::Update);
  CHECK(plan->actions[1].method == "PATCH");
  CHECK(plan->actions[1].path == "/api/v2/sequences/8");
  CHECK(plan->actions[1].body["data"]["id"] == 8);
  CHECK(plan->actions[2].kind == ActionKind::Create);
  CHECK(plan->count(ActionKind::Delete) == 1);     // the template link
  CHECK(plan->count(ActionKind::LeftAlone) == 1);  // the template itself
  CHECK(plan->afterwards.empty());

  // The step's reference takes the sequence's id from the state.
  std::string missing;
  const auto body = deploy::resolved_body(plan->actions[2], records, missing);
  REQUIRE(body);
  CHECK((*body)["data"]["relationships"]["sequence"]["data"]["id"] == 8);

  // A step the sources removed cannot be deleted on Outreach.
  records["sequenceStep/two"] = {exporter::Json(11), "x", false};
  plan = deploy::plan_deployment(outreach, {exported}, state, problem);
  REQUIRE(plan);
  CHECK(plan->count(ActionKind::Impossible) == 1);
  CHECK_FALSE(plan->writes());

  // Each platform says where a create's answer holds the new id.
  REQUIRE(deploy::find_platform("salesloft") != nullptr);
  CHECK(deploy::find_platform("salesloft")->created_id == "/data/cadence/id");
  REQUIRE(deploy::find_platform("dynamics") != nullptr);
  CHECK(deploy::find_platform("dynamics")->base_url.empty());  // each organisation has its own
  CHECK(deploy::find_platform("apollo") == nullptr);
  // A state file of another platform is refused.
  CHECK_FALSE(deploy::plan_deployment(exporter::salesloft_target(), {exported}, state, problem));
  CHECK(problem.find("records a deployment to outreach, not to salesloft") != std::string::npos);
}

TEST_CASE("a connections file lists records to connect, one a line", "[deploy][dynamics]") {
  std::string problem;
  const auto read = deploy::read_connections(
      "# pilot accounts\r\nsequence, entity, id\r\n\r\npartner_leads,Lead,3F2B7C1E-5A4D-4B6E-9C8D-1A2B3C4D5E01\r\n",
      problem);
  REQUIRE(read);
  REQUIRE(read->size() == 1);
  CHECK(read->at(0).sequence == "partner_leads");
  CHECK(read->at(0).entity == "lead");
  CHECK(read->at(0).id == "3f2b7c1e-5a4d-4b6e-9c8d-1a2b3c4d5e01");
  CHECK(read->at(0).line == 4);

  CHECK_FALSE(deploy::read_connections("", problem));
  CHECK(problem.find("header") != std::string::npos);
  CHECK_FALSE(deploy::read_connections("sequence,entity,id\ns,lead\n", problem));
  CHECK(problem == "line 2: expected three fields, `sequence,entity,id`");
  CHECK_FALSE(deploy::read_connections("sequence,entity,id\ns,lead,3f2b7c1e-5a4d-4b6e-9c8d-1a2b3c4d5e0g\n", problem));
  CHECK(problem.starts_with("line 2: '3f2b7c1e-5a4d-4b6e-9c8d-1a2b3c4d5e0g' is not a record id"));
  CHECK_FALSE(deploy::read_connections(
      "sequence,entity,id\ns,lead,3f2b7c1e-5a4d-4b6e-9c8d-1a2b3c4d5e01\ns,lead,3F2B7C1E-5a4d-4b6e-9c8d-1a2b3c4d5e01\n",
      problem));
  CHECK(problem == "line 3: record 3f2b7c1e-5a4d-4b6e-9c8d-1a2b3c4d5e01 is already listed for sequence 's'");
  // Binary bytes are shown escaped, never raw.
  CHECK_FALSE(deploy::read_connections(std::string("sequence,entity,id\ns,lead,\x01\xff\n", 25), problem));
  CHECK(problem.find('\x01') == std::string::npos);
}

namespace {

plan::Sequence dynamics_sequence(std::string name, std::string segment, std::size_t filter_size) {
  using vocabulary::Channel;
  using vocabulary::StepKind;
  plan::Sequence sequence;
  sequence.name = name;
  sequence.id = std::move(name);
  sequence.target = "lead";
  sequence.business_calendar = false;
  sequence.segment = plan::Segment{std::move(segment), "lead", "pause", std::string(filter_size, 'x')};
  plan::Step& call = sequence.steps.emplace_back();
  call.id = "first_call";
  call.kind = StepKind::Call;
  call.channel = Channel::Call;
  call.script = plan::Text{"Ask | listen\nthen book", {}};
  call.next = {{"next", 1, 0, 0}};
  plan::Step& outcome = sequence.steps.emplace_back();
  outcome.id = "outcome";
  outcome.kind = StepKind::OutcomeBranch;
  outcome.call = 0;
  outcome.next = {{"connected", 3, 0, 0}, {"else", 2, 0, 0}};
  plan::Step& sms = sequence.steps.emplace_back();
  sms.id = "sms_1";
  sms.kind = StepKind::Sms;
  sms.channel = Channel::Sms;
  sms.text = plan::Text{"Sorry I missed you", {}};
  sms.latest_minutes = 2880;
  sms.next = {{"next", 3, 0, 0}};
  plan::Step& done = sequence.steps.emplace_back();
  done.id = "done";
  done.kind = StepKind::Exit;
  done.reason = "finished";
  done.outcome = plan::Outcome{"qualify", {}, {}};
  done.latest_minutes = 2880;
  sequence.location = plan::Location{"s.cadence", 1, 1};
  return sequence;
}

}  // namespace

TEST_CASE("Dynamics 365 finds the sequence, binds the segment to it and connects records", "[deploy][dynamics]") {
  const deploy::DynamicsTarget target({{"a", "lead", "3f2b7c1e-5a4d-4b6e-9c8d-1a2b3c4d5e01", 2},
                                       {"a", "contact", "3f2b7c1e-5a4d-4b6e-9c8d-1a2b3c4d5e02", 3}});
  // The contact cannot be connected to a sequence of leads.
  exporter::SequenceExport a = target.export_sequence(dynamics_sequence("a", "hot", 10));
  CHECK_FALSE(a.exportable());
  const deploy::DynamicsTarget leads_only({{"a", "lead", "3f2b7c1e-5a4d-4b6e-9c8d-1a2b3c4d5e01", 2}});
  a = leads_only.export_sequence(dynamics_sequence("a", "hot", 10));
  REQUIRE(a.exportable());
  REQUIRE(a.requests.size() == 3);
  CHECK(a.requests[0].method == "GET");
  CHECK(a.requests[1].body["statecode"] == 1);  // created inactive
  CHECK(a.requests[1].body["msdyn_objecttypecode"] == 4);

  deploy::State state{"dynamics", {}, {}};
  std::string problem;
  auto plan = deploy::plan_deployment(leads_only, {a}, state, problem);
  REQUIRE(plan);
  CHECK(plan->actions[0].kind == ActionKind::Find);
  CHECK(plan->actions[2].assigned_id == "3f2b7c1e-5a4d-4b6e-9c8d-1a2b3c4d5e01");
  CHECK(plan->actions[2].created_id.empty());
  CHECK(plan->sends());

  // The bind names the sequence the find recorded.
  auto& records = state.sequences["a"];
  records["sequence"] = {exporter::Json("5c1d2e3f-7a8b-4c9d-8e0f-a1b2c3d4e5f6"), "", false};
  std::string missing;
  const auto body = deploy::resolved_body(plan->actions[1], records, missing);
  REQUIRE(body);
  CHECK((*body)["msdyn_Sequence@odata.bind"] == "/msdyn_sequences(5c1d2e3f-7a8b-4c9d-8e0f-a1b2c3d4e5f6)");

  // An update leaves the segment's state as the user set it.
  records["segment/hot"] = {exporter::Json("00000000-0000-4000-8000-000000001000"), "old", false};
  plan = deploy::plan_deployment(leads_only, {a}, state, problem);
  REQUIRE(plan);
  CHECK(plan->actions[1].kind == ActionKind::Update);
  CHECK_FALSE(plan->actions[1].body.contains("statecode"));
  CHECK_FALSE(plan->actions[1].body.contains("statuscode"));

  // Two sequences cannot share a segment: it connects to one sequence.
  const exporter::SequenceExport b = leads_only.export_sequence(dynamics_sequence("b", "hot", 10));
  plan = deploy::plan_deployment(leads_only, {a, b}, deploy::State{"dynamics", {}, {}}, problem);
  REQUIRE(plan);
  CHECK(plan->count(ActionKind::Impossible) == 2);
}

TEST_CASE("Dynamics 365's column lengths are limits of the export", "[deploy][dynamics]") {
  const deploy::DynamicsTarget target({});
  CHECK(target.export_sequence(dynamics_sequence("a", "hot", deploy::kMaxSegmentFilter)).exportable());
  const exporter::SequenceExport long_filter =
      target.export_sequence(dynamics_sequence("a", "hot", deploy::kMaxSegmentFilter + 1));
  CHECK_FALSE(long_filter.exportable());
  CHECK(long_filter.requests.empty());
  CHECK_FALSE(target.export_sequence(dynamics_sequence("a", std::string(101, 's'), 10)).exportable());
  CHECK_FALSE(target.export_sequence(dynamics_sequence(std::string(161, 'a'), "hot", 10)).exportable());
}

TEST_CASE("a build sheet lists every designer step and where its paths go", "[deploy][dynamics]") {
  const std::string sheet = deploy::build_sheet(dynamics_sequence("a", "hot", 10));
  CAPTURE(sheet);
  CHECK(sheet.find("| 1 | `first_call` | Phone call | Script: Ask \\| listen<br>then book | day 0 | 2 |") !=
        std::string::npos);
  CHECK(sheet.find("| 2 |  | Condition on the call's outcome | outcome of call `first_call` | day 0 | connected: 4 · "
                   "any other: 3 |") != std::string::npos);
  CHECK(sheet.find("| 3 | `sms_1` | Text message | Text: Sorry I missed you | day 0 to 2 | 4 |") != std::string::npos);
  CHECK(sheet.find("| 4 |  | Exit | reason \"finished\"; then qualify the record |  | end |") != std::string::npos);
  CHECK(sheet.find("a record that stops matching it: pause") != std::string::npos);
  CHECK(sheet.find("calendar days") != std::string::npos);
  // The same plan gives the same sheet.
  CHECK(sheet == deploy::build_sheet(dynamics_sequence("a", "hot", 10)));
}

TEST_CASE("durations in words, for a person entering them in a designer", "[deploy][duration]") {
  CHECK(duration_words(2 * kMinutesPerDay) == "2 days");
  CHECK(duration_words(kMinutesPerDay) == "1 day");
  CHECK(duration_words(36 * kMinutesPerHour) == "36 hours");
  CHECK(duration_words(90) == "90 minutes");
  CHECK(duration_words(1) == "1 minute");
}
