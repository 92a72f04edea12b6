// Benchmark: checking and linting sequences with N branches in a row (2^N
// paths). Every analysis is a single pass over the steps, so time must grow
// linearly with N. Prints one line per size: steps, parse, check, lint (ms),
// and nanoseconds per step for the whole pipeline.
//
// Usage: lint_paths_bench [N ...]   (default: 60 500 2000 8000 32000)

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lint/lint.hpp"
#include "sema/check.hpp"
#include "sema/workspace.hpp"

using namespace cadence;
using Clock = std::chrono::steady_clock;

namespace {

/// A sequence with `branches` engagement branches in a row, each arm a
/// touch on a different channel: every lint's dataflow has work to do.
std::string make_sequence(int branches) {
  std::string text =
      "import \"std/lead\"\n"
      "template t for lead { subject \"Hi {{lead.firstname}}\" body \"b\" }\n"
      "sequence many_paths {\n  target lead\n  team \"bench\"\n  enroll 10/day\n  email e0 { template t }\n";
  for (int i = 1; i <= branches; ++i) {
    const std::string n = std::to_string(i);
    text += "  wait 1d\n  branch opened(e0) or replied within 1d {\n    yes { email y" + n +
            " { template t } }\n    no { call c" + n + " { script \"s\" } }\n  }\n";
  }
  return text + "}\n";
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {60, 500, 2000, 8000, 32000};
  std::printf("%8s %8s %10s %10s %10s %12s %12s\n", "branches", "steps", "parse_ms", "check_ms", "lint_ms", "total_ms",
              "ns_per_step");
  for (const int branches : sizes) {
    DiskFileSystem disk;
    OverlayFileSystem files(&disk);
    files.set("/bench/many.cadence", make_sequence(branches));
    Workspace workspace(files, CADENCE_STDLIB_BUILD_DIR);
    const auto t0 = Clock::now();
    const Module& module = *workspace.load("/bench/many.cadence");
    const auto t1 = Clock::now();
    const CheckResult checked = check(module);
    const auto t2 = Clock::now();
    DiagnosticCollector lints;
    const LintOptions options;
    lint_module(checked, options, lints);
    const RunFacts facts = collect_run_facts(checked, options);
    lint_run({&facts}, lints);
    const auto t3 = Clock::now();
    if (checked.error_count != 0 || checked.sequences.empty()) {
      std::fprintf(stderr, "benchmark input did not check cleanly\n");
      return 1;
    }
    const std::size_t steps = checked.sequences[0].nodes.size();
    std::printf("%8d %8zu %10.2f %10.2f %10.2f %12.2f %12.0f\n", branches, steps, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2),
                ms(t3 - t0), ms(t3 - t0) * 1e6 / static_cast<double>(steps));
  }
  return 0;
}
