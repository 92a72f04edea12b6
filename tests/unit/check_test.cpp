#include <catch2/catch.hpp>

#include "sema/analysis.hpp"
#include "support.hpp"

using namespace cadence;
using namespace cadence::test;

TEST_CASE("the seed sequence checks clean and has the expected graph", "[check]") {
  Program program;
  auto result = program.check_text(sequence_with(R"(
  email intro { template t }
  wait 2d
  branch opened(intro) within 2d {
    yes { call followup { script "ROI" } }
    no { email angle { template t } }
  }
  wait 3d
  branch replied within 3d {
    yes { exit "replied" }
    no { linkedin connect touch { note "hi" } }
  }
)"));
  REQUIRE(names_of(result).empty());
  REQUIRE(result.sequences.size() == 1);
  const SequenceIr& ir = result.sequences[0];
  const uint32_t followup = *ir.find_label("followup");
  const uint32_t angle = *ir.find_label("angle");
  const uint32_t touch = *ir.find_label("touch");
  CHECK(ir.timing[followup].earliest == 2 * 1440);
  CHECK(ir.timing[followup].latest == 4 * 1440);
  CHECK(ir.timing[angle].earliest == 4 * 1440);
  // Earliest via the yes arm (opened at once): 2d + 0 + 3d + 3d; latest via
  // the no arm, where each `within` runs out: 2d + 2d + 3d + 3d.
  CHECK(ir.timing[touch].earliest == (2 + 3 + 3) * 1440);
  CHECK(ir.timing[touch].latest == (2 + 2 + 3 + 3) * 1440);
  CHECK(ir.dominates(*ir.find_label("intro"), touch));
  CHECK_FALSE(ir.dominates(followup, touch));
  std::vector<std::string> silent;
  for (uint32_t node : ir.silent_path) silent.emplace_back(ir.nodes[node].id);
  CHECK(silent == std::vector<std::string>{"intro", "intro.wait1", "intro.branch1", "angle", "intro.wait2",
                                           "intro.branch2", "touch", "end"});
  const SequenceSummary summary = summarize(ir);
  CHECK(summary.worst_case_emails == 2);
  CHECK(summary.silent_touch_count == 3);
}

TEST_CASE("made-up step ids survive the IR moving, and the implicit end steps aside for a step named end", "[check]") {
  Program program;
  auto result = program.check_text(sequence_with(R"(
  email end { template t }
  wait 1d
  branch opened(end) { yes { exit "opened" } }
  wait 2d
  task follow_up { note "call" }
)"));
  REQUIRE(names_of(result).empty());
  // Moving the IR (as a growing list of sequences does) keeps every id.
  const SequenceIr ir = std::move(result.sequences[0]);
  std::vector<std::string> ids;
  for (const IrNode& node : ir.nodes) ids.emplace_back(node.id);
  CHECK(ids == std::vector<std::string>{"end", "end.wait1", "end.branch1", "end.exit1", "end.wait2", "follow_up",
                                        "end.exit2"});
}

TEST_CASE("negated conditions take the yes arm on the silent path", "[check]") {
  Program program;
  auto result = program.check_text(sequence_with(R"(
  email intro { template t }
  wait 1d
  branch not opened(intro) { yes { email nudge { template t } } }
)"));
  REQUIRE(names_of(result).empty());
  const SequenceIr& ir = result.sequences[0];
  CHECK(std::find(ir.silent_path.begin(), ir.silent_path.end(), *ir.find_label("nudge")) != ir.silent_path.end());
}

TEST_CASE("unknown names suggest the closest with a fix", "[check]") {
  Program program;
  auto result = program.check_text(
      sequence_with("  email intro { template tt }\n  wait 1d\n  branch opened(intr) { yes { exit } }\n"));
  REQUIRE(names_of(result) == std::vector<std::string>{"unknown-name", "unknown-name"});
  CHECK(result.diagnostics[0].message == "unknown template 'tt'; did you mean 't'?");
  CHECK(result.diagnostics[1].message == "unknown step 'intr'; did you mean 'intro'?");
  REQUIRE(result.diagnostics[1].fixes.size() == 1);
  CHECK(result.diagnostics[1].fixes[0].edits[0].replacement == "intro");
}

TEST_CASE("signals must dominate the branch", "[check]") {
  Program program;
  auto result = program.check_text(sequence_with(R"(
  email intro { template t }
  wait 1d
  branch opened(intro) { yes { email second { template t } } }
  wait 1d
  branch clicked(second) { yes { exit } }
  wait 1d
  branch opened(intro) { yes { exit } }
)"));
  CHECK(names_of(result) == std::vector<std::string>{"signal-not-dominating"});
}

TEST_CASE("2,000 branches in a row are analysed in linear time", "[check]") {
  std::string body = "  email e0 { template t }\n";
  for (int i = 1; i <= 2000; ++i) {
    body += "  wait 1d\n  branch opened(e0) { yes { email y" + std::to_string(i) + " { template t } } no { call c" +
            std::to_string(i) + " { script \"s\" } } }\n";
  }
  Program program;
  auto result = program.check_text(sequence_with(body));
  REQUIRE(names_of(result).empty());
  const SequenceIr& ir = result.sequences[0];
  CHECK(summarize(ir).worst_case_emails == 2001);
  CHECK(ir.timing.back().latest == 2000 * 1440);
}

TEST_CASE("imports: cycles and escapes are import errors", "[check]") {
  Program program;
  program.files.set("/virtual/a.cadence", "import \"./b.cadence\"\n");
  program.files.set("/virtual/b.cadence", "import \"./a.cadence\"\n");
  auto result = program.check_text("import \"./a.cadence\"\nimport \"../etc/passwd\"\n", "root.cadence");
  REQUIRE(names_of(result) == std::vector<std::string>{"import-error", "import-error"});
  CHECK(result.diagnostics[0].message == "'./a.cadence' has 1 error");
  CHECK(result.diagnostics[1].message.find("leaves the project root") != std::string::npos);
}
