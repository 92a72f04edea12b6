#include <catch2/catch.hpp>

#include "deploy/deploy.hpp"
#include "export/targets.hpp"

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
  out.requests[2].references = {{"/data/relationships/sequence/data/id", "sequence", "/data/id"}};
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
  CHECK(deploy::find_platform("dynamics") == nullptr);
  // A state file of another platform is refused.
  CHECK_FALSE(deploy::plan_deployment(exporter::salesloft_target(), {exported}, state, problem));
  CHECK(problem.find("records a deployment to outreach, not to salesloft") != std::string::npos);
}
