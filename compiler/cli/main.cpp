// The `cadence` command: a thin driver over the library.
//
// Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "diag/render.hpp"
#include "emit/plan.hpp"
#include "sema/check.hpp"
#include "sema/workspace.hpp"
#include "support/file_io.hpp"

namespace fs = std::filesystem;
using namespace cadence;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitErrors = 1;
constexpr int kExitFailure = 2;

struct GlobalOptions {
  std::optional<std::string> stdlib;
  std::string color = "auto";
};

bool use_color(const GlobalOptions& options, FILE* stream) {
  if (options.color == "always") return true;
  if (options.color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return ::isatty(::fileno(stream)) != 0;
}

void print_error(const std::string& message) { std::fprintf(stderr, "cadence: error: %s\n", message.c_str()); }

/// Expands the command line's paths: files as given, directories searched
/// recursively for *.cadence (hidden directories skipped), sorted.
std::optional<std::vector<fs::path>> collect_files(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  bool ok = true;
  for (const std::string& path : paths) {
    std::error_code error;
    const auto status = fs::status(path, error);
    if (error || !fs::exists(status)) {
      print_error(fmt::format("cannot read '{}': No such file or directory", path));
      ok = false;
      continue;
    }
    if (!fs::is_directory(status)) {
      files.emplace_back(path);
      continue;
    }
    std::vector<fs::path> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, error);
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      const fs::path& entry = it->path();
      if (it->is_directory(error) && entry.filename().string().starts_with(".")) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(error) && entry.extension() == ".cadence") found.push_back(entry.lexically_normal());
    }
    if (error) {
      print_error(fmt::format("cannot read directory '{}': {}", path, error.message()));
      ok = false;
      continue;
    }
    if (found.empty()) {
      print_error(fmt::format("no .cadence files in '{}'", path));
      ok = false;
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  if (!ok) return std::nullopt;
  // The same file named twice is checked once.
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

struct CheckOptions {
  std::vector<std::string> paths;
  std::string format = "human";
};

int run_check(const GlobalOptions& global, const CheckOptions& options) {
  const auto files = collect_files(options.paths);
  if (!files) return kExitFailure;
  DiskFileSystem disk;
  Workspace workspace(disk, find_stdlib(global.stdlib ? std::optional<fs::path>(*global.stdlib) : std::nullopt));
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> checked_paths;
  bool unreadable = false;
  for (const fs::path& file : *files) {
    const Module& module = workspace.load(file);
    checked_paths.push_back(module.source->path());
    if (module.unreadable) {
      for (const Diagnostic& d : module.diagnostics) print_error(d.message);
      unreadable = true;
      continue;
    }
    CheckResult result = check(module);
    for (Diagnostic& d : result.diagnostics) diagnostics.push_back(std::move(d));
  }
  sort_diagnostics(diagnostics);
  std::size_t errors = 0, warnings = 0, infos = 0;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::Error) ++errors;
    else if (d.severity == Severity::Warning) ++warnings;
    else ++infos;
  }
  if (options.format == "json") {
    std::cout << json_report(checked_paths, diagnostics).dump(2) << "\n";
  } else {
    std::string out;
    const HumanStyle style{use_color(global, stdout)};
    for (const Diagnostic& d : diagnostics) render_human(out, d, style);
    if (!diagnostics.empty() || files->size() > 1) {
      out += fmt::format("{} file{} checked: {} error{}, {} warning{}, {} info{}\n", files->size(),
                         files->size() == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
                         warnings == 1 ? "" : "s", infos, infos == 1 ? "" : "s");
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  std::fflush(stdout);
  if (unreadable) return kExitFailure;
  return errors > 0 ? kExitErrors : kExitOk;
}

struct BuildOptions {
  std::string file;
  std::optional<std::string> output;
};

int run_build(const GlobalOptions& global, const BuildOptions& options) {
  std::error_code error;
  if (!fs::exists(options.file, error)) {
    print_error(fmt::format("cannot read '{}': No such file or directory", options.file));
    return kExitFailure;
  }
  if (fs::is_directory(options.file, error)) {
    print_error(fmt::format("'{}' is a directory; build takes one .cadence file", options.file));
    return kExitFailure;
  }
  DiskFileSystem disk;
  Workspace workspace(disk, find_stdlib(global.stdlib ? std::optional<fs::path>(*global.stdlib) : std::nullopt));
  const Module& module = workspace.load(options.file);
  if (module.unreadable) {
    for (const Diagnostic& d : module.diagnostics) print_error(d.message);
    return kExitFailure;
  }
  CheckResult result = check(module);
  sort_diagnostics(result.diagnostics);
  std::string rendered;
  const HumanStyle style{use_color(global, stderr)};
  for (const Diagnostic& d : result.diagnostics) render_human(rendered, d, style);
  std::fwrite(rendered.data(), 1, rendered.size(), stderr);
  if (result.error_count > 0) {
    std::fprintf(stderr, "cadence: error: %zu error%s in '%s'; no plan written\n", result.error_count,
                 result.error_count == 1 ? "" : "s", options.file.c_str());
    return kExitErrors;
  }
  const std::string text = plan_text(build_plan(result));
  if (!options.output || *options.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return std::ferror(stdout) ? kExitFailure : kExitOk;
  }
  if (auto failure = write_file_atomically(*options.output, text)) {
    print_error(*failure);
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Cadence: compile, check and lint .cadence sales sequences.", "cadence"};
  app.set_version_flag("--version", std::string("cadence ") + CADENCE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions global;
  app.add_option("--stdlib", global.stdlib, "Directory holding the stdlib (std/*.cadence)")
      ->envname("CADENCE_STDLIB")
      ->type_name("DIR");
  app.add_option("--color", global.color, "Colour in human output: auto (on a terminal, unless NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  app.footer(
      "Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.\n"
      "Run 'cadence COMMAND --help' for a command's options.");

  CheckOptions check_options;
  CLI::App* check_command = app.add_subcommand("check", "Check .cadence files and report problems");
  check_command->add_option("paths", check_options.paths, "Files or directories (searched for *.cadence)")
      ->required()
      ->type_name("PATH");
  check_command->add_option("--format", check_options.format, "Output format: human or json")
      ->check(CLI::IsMember({"human", "json"}))
      ->type_name("FORMAT");
  check_command->footer("Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.");

  BuildOptions build_options;
  CLI::App* build_command = app.add_subcommand("build", "Compile a .cadence file into a JSON plan");
  build_command->add_option("file", build_options.file, "The .cadence file")->required()->type_name("FILE");
  build_command->add_option("-o,--output", build_options.output, "Write the plan here (atomically) instead of stdout")
      ->type_name("OUT");
  build_command->footer("No plan is written when the file has errors. Exit status: 0 plan written, 1 errors, 2 I/O failure.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitFailure;
  }
  try {
    if (check_command->parsed()) return run_check(global, check_options);
    if (build_command->parsed()) return run_build(global, build_options);
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}", e.what()));
    return kExitFailure;
  }
  return kExitFailure;
}
