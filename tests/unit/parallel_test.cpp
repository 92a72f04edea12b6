// Loading and checking from many threads: shared imports, chains, cycles and
// releases. Run under ThreadSanitizer by tests/tsan/run.sh.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "driver/run.hpp"

using namespace cadence;

namespace {

/// Totals of a run, to compare runs with each other.
std::string summary(const RunResult& run) {
  std::string out;
  for (const FileReport& report : run.files) {
    out += fmt::format("{}:{}", report.path, report.diagnostics.size());
    for (const Diagnostic& d : report.diagnostics) out += fmt::format(" {}@{}", d.info().name, d.location.span.begin);
    out += "\n";
  }
  return out;
}

RunResult run(OverlayFileSystem& files, const std::vector<std::filesystem::path>& paths, unsigned jobs) {
  Workspace workspace(files, CADENCE_STDLIB_BUILD_DIR);
  RunOptions options;
  options.jobs = jobs;
  return run_checks(workspace, paths, options);
}

}  // namespace

TEST_CASE("parallel runs over shared imports give the answer of one job", "[parallel]") {
  DiskFileSystem disk;  // the stdlib
  OverlayFileSystem files(&disk);
  std::vector<std::filesystem::path> paths;
  // A shared library, a chain of 150 files each importing the next and the
  // library, a broken file at the end, and a three-file cycle.
  files.set("/p/lib.cadence", "import \"std/lead\"\ntemplate shared for lead { subject \"s\" body \"b\" }\n");
  for (int i = 0; i < 150; ++i) {
    std::string text = "import \"./lib.cadence\"\n";
    if (i + 1 < 150) text += fmt::format("import \"./d{}.cadence\"\n", i + 1);
    text += fmt::format("entity e{} {{\n  code: string\n}}\n", i);
    if (i == 149) text += "sequence broken {\n  wait\n}\n";
    const std::string path = fmt::format("/p/d{}.cadence", i);
    files.set(path, text);
    paths.emplace_back(path);
  }
  for (int i = 0; i < 3; ++i) {
    const std::string path = fmt::format("/p/c{}.cadence", i);
    files.set(path, fmt::format("import \"./c{}.cadence\"\n", (i + 1) % 3));
    paths.emplace_back(path);
  }
  const std::string one = summary(run(files, paths, 1));
  CHECK(one.find("import-error") != std::string::npos);
  for (int round = 0; round < 4; ++round) {
    CHECK(summary(run(files, paths, 8)) == one);
  }
}
