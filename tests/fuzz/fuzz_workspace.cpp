// libFuzzer target: several files importing each other, some of them
// symbolic links (in and out of the project), checked with one job and with
// several. The oracle: every number of jobs gives the same diagnostics.
//
// Input: parts separated by a line "==="; part i is /fuzz/project/fI.cadence,
// except a part of one line "LINK NAME TARGET", which makes NAME a link.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "diag/render.hpp"
#include "driver/run.hpp"

namespace {

std::string summary(const cadence::RunResult& run) {
  std::string out;
  for (const cadence::FileReport& report : run.files) {
    out += report.path;
    for (const cadence::Diagnostic& d : report.diagnostics) {
      out += fmt::format("|{}@{}:{}", d.info().name, d.location.span.begin, d.message);
    }
    out += fmt::format("|omitted {}\n", report.omitted);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cadence;
  static DiskFileSystem disk;  // the stdlib
  OverlayFileSystem files(&disk);
  files.set("/fuzz/project/cadence.toml", "");
  // Outside the project: its text must never reach the output.
  constexpr std::string_view kSecret = "q7x_outside_secret_field";
  files.set("/fuzz/outside/secret.cadence", "entity secret {\n  " + std::string(kSecret) + ": string\n}\n");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::filesystem::path> paths;
  std::size_t start = 0;
  for (int part = 0; part < 8 && start <= text.size(); ++part) {
    std::size_t end = text.find("\n===\n", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view content = text.substr(start, end - start);
    const std::string path = fmt::format("/fuzz/project/f{}.cadence", part);
    if (content.starts_with("LINK ") && content.find('\n') == std::string_view::npos) {
      const std::string_view rest = content.substr(5);
      const auto space = rest.find(' ');
      if (space != std::string_view::npos && space > 0) {
        files.link("/fuzz/project/" + std::string(rest.substr(0, space)), std::string(rest.substr(space + 1)));
      }
    } else {
      files.set(path, std::string(content));
      paths.emplace_back(path);
    }
    start = end + 5;
  }
  if (paths.empty()) return 0;
  RunOptions options;
  options.jobs = 1;
  std::string one;
  {
    Workspace workspace(files, CADENCE_STDLIB_BUILD_DIR);
    one = summary(run_checks(workspace, paths, options));
  }
  options.jobs = 3;
  Workspace workspace(files, CADENCE_STDLIB_BUILD_DIR);
  const RunResult run = run_checks(workspace, paths, options);
  if (const std::string three = summary(run); three != one) {
    std::fprintf(stderr, "one job:\n%s\nthree jobs:\n%s\n", one.c_str(), three.c_str());
    __builtin_trap();
  }
  // Nothing from outside the project reaches the output (unless the input
  // itself wrote the marker).
  if (text.find(kSecret) == std::string_view::npos) {
    for (const FileReport& report : run.files) {
      std::string human;
      for (const Diagnostic& d : report.diagnostics) render_human(human, d, HumanStyle{false});
      if (human.find(kSecret) != std::string::npos) __builtin_trap();
    }
  }
  return 0;
}
