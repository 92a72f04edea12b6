// Every diagnostic's explanation has an example that triggers it: a whole
// file, checked and linted as `cadence check` would. Lint examples compile
// (lints run only on files without errors).
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "diag/explain.hpp"
#include "driver/run.hpp"

using namespace cadence;

TEST_CASE("each explanation's example triggers its diagnostic", "[explain]") {
  for (const DiagnosticInfo& info : all_diagnostic_kinds()) {
    DYNAMIC_SECTION(info.name) {
      DiskFileSystem disk;  // the stdlib
      OverlayFileSystem files(&disk);
      const std::string path = fmt::format("/examples/{}/example.cadence", info.name);
      files.set(path, example_file(info.kind));
      Workspace workspace(files, CADENCE_STDLIB_BUILD_DIR);
      RunOptions options;
      options.jobs = 1;
      // The export kinds are reported for the targets a run deploys to; the
      // examples say which (`cadence check --target outreach`).
      if (info.kind == DiagnosticKind::TargetUnsupported || info.kind == DiagnosticKind::TargetApproximated) {
        options.targets = std::vector<std::string>{"outreach"};
      }
      const RunResult run = run_checks(workspace, {path}, options);
      REQUIRE(run.files.size() == 1);
      bool found = false;
      std::string seen;
      for (const Diagnostic& d : run.files[0].diagnostics) {
        found = found || d.kind == info.kind;
        seen += fmt::format(" {}", d.info().name);
        if (info.is_lint()) {
          INFO("the example of a lint must compile; it has: " << d.message);
          CHECK(d.severity != Severity::Error);
        }
      }
      INFO("the example gives:" << seen);
      CHECK(found);
    }
  }
}
