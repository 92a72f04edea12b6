// The `cadence` command: a thin driver over the library.
//
// Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "diag/explain.hpp"
#include "diag/render.hpp"
#include "diag/sarif.hpp"
#include "driver/fix.hpp"
#include "driver/plan_diff.hpp"
#include "driver/run.hpp"
#include "driver/verify.hpp"
#include "lsp/server.hpp"
#include "sema/suggest.hpp"
#include "sim/simulate.hpp"
#include "emit/graph.hpp"
#include "fmt/format.hpp"
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
  std::optional<std::string> config;
  bool warnings_as_errors = false;
  bool fix = false;
  bool diff = false;
  bool verify = false;
  unsigned jobs = 0;
};

std::string summary_line(std::size_t files, std::size_t errors, std::size_t warnings, std::size_t infos) {
  return fmt::format("{} file{} checked: {} error{}, {} warning{}, {} info{}\n", files, files == 1 ? "" : "s", errors,
                     errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", infos, infos == 1 ? "" : "s");
}

/// --fix and --diff: the safe fixes of each file, applied or shown.
/// Returns the number of files that change (or changed).
std::optional<std::size_t> handle_fixes(const RunResult& run, bool write, std::size_t& fixes_applied) {
  std::size_t changed = 0;
  for (const FileReport& report : run.files) {
    if (report.unreadable || report.source == nullptr) continue;
    const Source& source = *report.source;
    std::size_t fixes = 0;
    std::vector<Edit> edits = safe_fix_edits(source, report.diagnostics, &fixes);
    if (edits.empty()) continue;
    std::size_t applied = 0;
    const std::string fixed = apply_edits(source, std::move(edits), &applied);
    if (fixed == source.text()) continue;
    ++changed;
    fixes_applied += fixes;
    if (!write) {
      const std::string diff = unified_diff(source.path(), source.text(), fixed);
      std::fwrite(diff.data(), 1, diff.size(), stdout);
      continue;
    }
    const std::string bytes = (source.had_bom() ? std::string("\xEF\xBB\xBF") : std::string()) + fixed;
    if (auto failure = write_file_atomically(report.absolute_path, bytes)) {
      print_error(*failure);
      return std::nullopt;
    }
  }
  return changed;
}

int run_check(const GlobalOptions& global, const CheckOptions& options) {
  const auto files = collect_files(options.paths);
  if (!files) return kExitFailure;
  const auto stdlib = find_stdlib(global.stdlib ? std::optional<fs::path>(*global.stdlib) : std::nullopt);
  RunOptions run_options;
  if (options.config) {
    if (!fs::is_regular_file(*options.config)) {
      print_error(fmt::format("cannot read config '{}': No such file", *options.config));
      return kExitFailure;
    }
    run_options.config_path = *options.config;
  }
  run_options.jobs = options.jobs;
  run_options.keep_sources = options.verify;  // expectations live in the text
  DiskFileSystem disk;
  auto workspace = std::make_unique<Workspace>(disk, stdlib);
  RunResult run = run_checks(*workspace, *files, run_options);
  if (run.config_error) {
    std::fprintf(stderr, "%s: error: %s\n", "cadence", run.config_error->c_str());
    return kExitFailure;
  }

  if (options.verify) {
    bool ok = true;
    std::size_t expectations = 0;
    for (const FileReport& report : run.files) {
      if (report.unreadable) {
        for (const Diagnostic& d : report.diagnostics) print_error(d.message);
        return kExitFailure;
      }
      const VerifyResult verified = verify_diagnostics(*report.source, report.diagnostics);
      expectations += verified.expectations;
      for (const std::string& problem : verified.problems) std::printf("%s\n", problem.c_str());
      ok = ok && verified.ok;
    }
    std::printf("verify: %zu file%s, %zu expectation%s: %s\n", run.files.size(), run.files.size() == 1 ? "" : "s",
                expectations, expectations == 1 ? "" : "s", ok ? "all met" : "FAILED");
    return ok ? kExitOk : kExitErrors;
  }

  std::size_t fixes_applied = 0;
  if (options.diff) {
    const auto changed = handle_fixes(run, false, fixes_applied);
    if (!changed) return kExitFailure;
    std::fprintf(stderr, "%zu fix%s would change %zu file%s\n", fixes_applied, fixes_applied == 1 ? "" : "es",
                 *changed, *changed == 1 ? "" : "s");
    return *changed > 0 ? kExitErrors : kExitOk;
  }
  if (options.fix) {
    // A fix can uncover more (fixing an unknown name lets the lints run), so
    // fix, re-check and repeat until nothing changes, a few rounds at most.
    for (int round = 0; round < 5; ++round) {
      const auto changed = handle_fixes(run, true, fixes_applied);
      if (!changed) return kExitFailure;
      if (*changed == 0) break;
      workspace = std::make_unique<Workspace>(disk, stdlib);
      run = run_checks(*workspace, *files, run_options);
    }
  }

  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> checked_paths;
  bool unreadable = false;
  for (FileReport& report : run.files) {
    checked_paths.push_back(report.path);
    if (report.unreadable) {
      for (const Diagnostic& d : report.diagnostics) print_error(d.message);
      unreadable = true;
      continue;
    }
    for (Diagnostic& d : report.diagnostics) diagnostics.push_back(std::move(d));
  }
  std::size_t errors = 0, warnings = 0, infos = 0;
  for (const FileReport& report : run.files) {
    if (report.omitted == 0) continue;
    errors += report.omitted_errors;
    std::fprintf(stderr, "%s: %zu more diagnostic%s not shown (at most %zu are reported per file)\n",
                 report.path.c_str(), report.omitted, report.omitted == 1 ? "" : "s", kMaxDiagnosticsPerFile);
  }
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::Error) ++errors;
    else if (d.severity == Severity::Warning) ++warnings;
    else ++infos;
  }
  std::string out;
  if (options.format == "json") {
    out = json_report(checked_paths, diagnostics).dump(2) + "\n";
  } else if (options.format == "sarif") {
    out = sarif_log(diagnostics).dump(2) + "\n";
  } else if (options.format == "github") {
    out = github_annotations(diagnostics);
  } else {
    const HumanStyle style{use_color(global, stdout)};
    for (const Diagnostic& d : diagnostics) render_human(out, d, style);
    if (options.fix) {
      out += fmt::format("fixed {} problem{}\n", fixes_applied, fixes_applied == 1 ? "" : "s");
    }
    if (!diagnostics.empty() || files->size() > 1) out += summary_line(files->size(), errors, warnings, infos);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (unreadable) return kExitFailure;
  if (errors > 0 || (options.warnings_as_errors && warnings > 0)) return kExitErrors;
  return kExitOk;
}

int run_rules(const std::string& format) {
  if (format == "json") {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const DiagnosticInfo& info : all_diagnostic_kinds()) {
      rules.push_back({{"name", info.name},
                       {"code", info.code},
                       {"kind", info.is_lint() ? "lint" : "error"},
                       {"default_severity", severity_name(info.default_severity)},
                       {"summary", info.summary},
                       {"help_uri", rule_help_uri(info.kind)}});
    }
    std::cout << rules.dump(2) << "\n";
    return kExitOk;
  }
  if (format == "markdown") {
    for (const DiagnosticInfo& info : all_diagnostic_kinds()) std::cout << rule_markdown(info.kind) << "\n";
    return kExitOk;
  }
  std::string out;
  for (const DiagnosticInfo& info : all_diagnostic_kinds()) {
    out += fmt::format("{:<7} {:<26} {:<8} {}\n", info.code, info.name, severity_name(info.default_severity),
                       info.summary);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int run_explain(const std::string& name, const std::string& format) {
  const auto kind = find_diagnostic_kind(name);
  if (!kind) {
    std::vector<std::string_view> names;
    for (const DiagnosticInfo& info : all_diagnostic_kinds()) names.push_back(info.name);
    const auto suggestion = closest_name(name, names);
    print_error(fmt::format("no diagnostic is called '{}'{}; 'cadence rules' lists them all", name,
                            suggestion ? fmt::format(" (did you mean '{}'?)", *suggestion) : std::string()));
    return kExitFailure;
  }
  std::cout << (format == "markdown" ? rule_markdown(*kind) : rule_text(*kind));
  return kExitOk;
}

struct BuildOptions {
  std::string file;
  std::optional<std::string> output;
};

/// A command that turns one checked file into output (build, graph): the
/// file's diagnostics go to stderr; nothing is produced when it has errors.
struct CheckedFile {
  std::unique_ptr<Workspace> workspace;
  std::unique_ptr<CheckResult> result;
  int status = kExitOk;  // kExitErrors or kExitFailure when result is null
};

CheckedFile check_for_output(const GlobalOptions& global, const std::string& file, std::string_view producing) {
  static DiskFileSystem disk;
  CheckedFile checked;
  std::error_code error;
  if (!fs::exists(file, error)) {
    print_error(fmt::format("cannot read '{}': No such file or directory", file));
    checked.status = kExitFailure;
    return checked;
  }
  if (fs::is_directory(file, error)) {
    print_error(fmt::format("'{}' is a directory; give one .cadence file", file));
    checked.status = kExitFailure;
    return checked;
  }
  checked.workspace =
      std::make_unique<Workspace>(disk, find_stdlib(global.stdlib ? std::optional<fs::path>(*global.stdlib) : std::nullopt));
  const Module& module = *checked.workspace->load(file);
  if (module.unreadable) {
    for (const Diagnostic& d : module.diagnostics) print_error(d.message);
    checked.status = kExitFailure;
    return checked;
  }
  auto result = std::make_unique<CheckResult>(check(module));
  sort_diagnostics(result->diagnostics);
  std::string rendered;
  const HumanStyle style{use_color(global, stderr)};
  for (const Diagnostic& d : result->diagnostics) render_human(rendered, d, style);
  std::fwrite(rendered.data(), 1, rendered.size(), stderr);
  if (result->error_count > 0) {
    std::fprintf(stderr, "cadence: error: %zu error%s in '%s'; no %s written\n", result->error_count,
                 result->error_count == 1 ? "" : "s", file.c_str(), std::string(producing).c_str());
    checked.status = kExitErrors;
    return checked;
  }
  checked.result = std::move(result);
  return checked;
}

/// Writes `text` to stdout, or atomically to `output`.
int write_output(const std::optional<std::string>& output, const std::string& text) {
  if (!output || *output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return std::ferror(stdout) ? kExitFailure : kExitOk;
  }
  if (auto failure = write_file_atomically(*output, text)) {
    print_error(*failure);
    return kExitFailure;
  }
  return kExitOk;
}

int run_build(const GlobalOptions& global, const BuildOptions& options) {
  const CheckedFile checked = check_for_output(global, options.file, "plan");
  if (!checked.result) return checked.status;
  return write_output(options.output, plan_text(build_plan(*checked.result)));
}

struct GraphOptions {
  std::string file;
  std::string format = "dot";
  std::optional<std::string> output;
};

int run_graph(const GlobalOptions& global, const GraphOptions& options) {
  const CheckedFile checked = check_for_output(global, options.file, "graph");
  if (!checked.result) return checked.status;
  return write_output(options.output,
                      options.format == "mermaid" ? graph_mermaid(*checked.result) : graph_dot(*checked.result));
}

struct DiffOptions {
  std::string old_file;
  std::string new_file;
  std::string format = "human";
};

/// A side of a diff: a JSON plan as is, or a source compiled to its plan.
std::optional<nlohmann::json> load_plan(const GlobalOptions& global, const std::string& file) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    print_error(fmt::format("cannot read '{}': No such file or directory", file));
    return std::nullopt;
  }
  const std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    nlohmann::json plan = nlohmann::json::parse(text, nullptr, false);
    if (plan.is_discarded() || plan.value("format", "") != "cadence-plan") {
      print_error(fmt::format("'{}' is neither a .cadence file nor a Cadence plan", file));
      return std::nullopt;
    }
    if (plan.value("version", 0) != kPlanFormatVersion) {
      print_error(fmt::format("'{}' is a plan of format version {}; this cadence reads version {}", file,
                              plan.value("version", 0), kPlanFormatVersion));
      return std::nullopt;
    }
    return plan;
  }
  const CheckedFile checked = check_for_output(global, file, "comparison");
  if (!checked.result) return std::nullopt;
  return nlohmann::json::parse(plan_text(build_plan(*checked.result)));
}

int run_diff(const GlobalOptions& global, const DiffOptions& options) {
  const auto before = load_plan(global, options.old_file);
  if (!before) return kExitFailure;
  const auto after = load_plan(global, options.new_file);
  if (!after) return kExitFailure;
  const std::vector<PlanChange> changes = diff_plans(*before, *after);
  std::size_t breaking = 0;
  for (const PlanChange& change : changes) breaking += change.breaking ? 1 : 0;
  if (options.format == "json") {
    nlohmann::ordered_json out = {{"version", 1}, {"breaking", breaking}, {"changes", nlohmann::ordered_json::array()}};
    for (const PlanChange& change : changes) {
      out["changes"].push_back({{"sequence", change.sequence},
                                {"step", change.step.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(change.step)},
                                {"kind", change.kind},
                                {"breaking", change.breaking},
                                {"message", change.message}});
    }
    std::cout << out.dump(2) << "\n";
  } else {
    for (const PlanChange& change : changes) {
      std::printf("%s %s: %s\n", change.breaking ? "BREAKING" : "change  ", change.sequence.c_str(), change.message.c_str());
    }
    std::printf("%zu change%s, %zu breaking\n", changes.size(), changes.size() == 1 ? "" : "s", breaking);
  }
  std::fflush(stdout);
  return breaking > 0 ? kExitErrors : kExitOk;
}

struct SimulateOptions {
  std::string plan;
  std::optional<std::string> calls;
  std::string format = "text";
  std::optional<std::string> svg;
  SimulationOptions simulation;
};

int run_simulate(SimulateOptions options) {
  if (options.calls) {
    // "connected=0.1,voicemail=0.3": outcomes of the language, weights >= 0.
    static const std::set<std::string> outcomes{"connected", "voicemail", "no_answer", "busy",
                                                "wrong_number", "not_interested", "callback_later"};
    std::map<std::string, double> mix;
    std::stringstream list(*options.calls);
    for (std::string item; std::getline(list, item, ',');) {
      const auto equals = item.find('=');
      const std::string name = item.substr(0, equals);
      double weight = -1;
      if (equals != std::string::npos) {
        try {
          weight = std::stod(item.substr(equals + 1));
        } catch (const std::exception&) {
          weight = -1;
        }
      }
      if (!outcomes.contains(name) || weight < 0) {
        print_error(fmt::format("--calls: '{}' is not OUTCOME=WEIGHT with an outcome of {}", item,
                                "connected, voicemail, no_answer, busy, wrong_number, not_interested, callback_later"));
        return kExitFailure;
      }
      mix[name] = weight;
    }
    options.simulation.call_outcomes = std::move(mix);
  }
  std::ifstream stream(options.plan, std::ios::binary);
  if (!stream) {
    print_error(fmt::format("cannot read '{}': No such file or directory", options.plan));
    return kExitFailure;
  }
  const nlohmann::json plan = nlohmann::json::parse(stream, nullptr, false);
  if (plan.is_discarded() || !plan.is_object() || plan.value("format", "") != "cadence-plan") {
    print_error(fmt::format("'{}' is not a Cadence plan; simulate reads plans: run 'cadence build {}' first", options.plan,
                            options.plan));
    return kExitFailure;
  }
  SimulationResult result;
  try {
    result = simulate(plan, options.simulation);
  } catch (const std::exception& error) {
    print_error(fmt::format("cannot simulate '{}': {}", options.plan, error.what()));
    return kExitFailure;
  }
  if (options.svg) {
    if (auto failure = write_file_atomically(*options.svg, simulation_svg(result))) {
      print_error(*failure);
      return kExitFailure;
    }
  }
  const std::string text = options.format == "json" ? simulation_json(result).dump(2) + "\n" : simulation_table(result);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

struct FmtOptions {
  std::vector<std::string> files;
  bool write = false;
  bool check = false;
  bool diff = false;
};

int run_fmt(const GlobalOptions& global, const FmtOptions& options) {
  const auto files = collect_files(options.files);
  if (!files) return kExitFailure;
  bool errors = false, unformatted = false, failed = false;
  for (const fs::path& file : *files) {
    DiskFileSystem disk;
    FileSystem::ReadResult read = disk.read(file);
    if (!read.bytes) {
      print_error(fmt::format("cannot read '{}': {}", file.string(), read.error));
      failed = true;
      continue;
    }
    const Source source(file.string(), std::move(*read.bytes));
    FormatResult formatted = format_source(source);
    if (!formatted.errors.empty()) {
      std::string rendered;
      for (const Diagnostic& d : formatted.errors) render_human(rendered, d, HumanStyle{use_color(global, stderr)});
      std::fwrite(rendered.data(), 1, rendered.size(), stderr);
      print_error(fmt::format("'{}' has syntax errors; not formatted", file.string()));
      errors = true;
      continue;
    }
    // Keep the file's line ends and byte order mark.
    std::string text = std::move(formatted.text);
    if (source.uses_crlf()) {
      std::string crlf;
      crlf.reserve(text.size() + text.size() / 20);
      for (const char c : text) {
        if (c == '\n') crlf += '\r';
        crlf += c;
      }
      text = std::move(crlf);
    }
    const std::string original = (source.had_bom() ? std::string("\xEF\xBB\xBF") : std::string()) + std::string(source.text());
    if (source.had_bom()) text = "\xEF\xBB\xBF" + text;
    const bool changed = text != original;
    if (options.check) {
      if (changed) {
        std::printf("%s: not formatted\n", file.string().c_str());
        unformatted = true;
      }
      continue;
    }
    if (options.diff) {
      if (changed) {
        unformatted = true;
        const std::string diff = unified_diff(file.string(), original, text);
        std::fwrite(diff.data(), 1, diff.size(), stdout);
      }
      continue;
    }
    if (options.write) {
      if (!changed) continue;
      if (auto failure = write_file_atomically(file, text)) {
        print_error(*failure);
        failed = true;
      }
      continue;
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  std::fflush(stdout);
  if (failed) return kExitFailure;
  if (errors || unformatted) return kExitErrors;
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
  check_command->add_option("--format", check_options.format, "Output format: human, json, sarif or github")
      ->check(CLI::IsMember({"human", "json", "sarif", "github"}))
      ->type_name("FORMAT");
  check_command->add_option("--config", check_options.config, "Use this cadence.toml instead of the nearest one")
      ->type_name("PATH");
  check_command->add_flag("--warnings-as-errors", check_options.warnings_as_errors, "Exit 1 when there are warnings");
  check_command->add_flag("--fix", check_options.fix, "Apply the safe fixes, rewriting files atomically");
  check_command->add_flag("--diff", check_options.diff, "Show the safe fixes as a unified diff; change nothing");
  check_command->add_flag("--verify", check_options.verify,
                          "Compare diagnostics with // expected-warning {{...}} comments in the files");
  check_command->add_option("-j,--jobs", check_options.jobs, "Files checked in parallel (default: one per core)")
      ->type_name("N");
  check_command->footer(
      "Configuration: the nearest cadence.toml above each file ([lint] select, ignore, severity).\n"
      "Suppress a lint: // cadence-ignore: NAME (line before, or end of line); // cadence-ignore-file: NAME.\n"
      "Exit status: 0 no errors, 1 errors found (or warnings with --warnings-as-errors; pending fixes with --diff),\n"
      "2 usage, configuration or I/O failure.");

  std::string rules_format = "text";
  CLI::App* rules_command = app.add_subcommand("rules", "List every diagnostic: code, name, severity, summary");
  rules_command->add_option("--format", rules_format, "text, json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->type_name("FORMAT");

  GraphOptions graph_options;
  CLI::App* graph_command = app.add_subcommand("graph", "Draw a file's sequences as Graphviz DOT or Mermaid");
  graph_command->add_option("file", graph_options.file, "The .cadence file")->required()->type_name("FILE");
  graph_command->add_option("--format", graph_options.format, "dot (Graphviz) or mermaid (renders on GitHub)")
      ->check(CLI::IsMember({"dot", "mermaid"}))
      ->type_name("FORMAT");
  graph_command->add_option("-o,--output", graph_options.output, "Write here (atomically) instead of stdout")
      ->type_name("OUT");
  graph_command->footer("Render DOT with Graphviz: cadence graph seq.cadence | dot -Tsvg > seq.svg\n"
                        "Exit status: 0 drawn, 1 the file has errors, 2 I/O failure.");

  DiffOptions diff_options;
  CLI::App* diff_command =
      app.add_subcommand("diff", "Compare two versions of a file (sources or plans) as live enrolments see them");
  diff_command->add_option("old", diff_options.old_file, "The version running now (.cadence or plan .json)")
      ->required()
      ->type_name("OLD");
  diff_command->add_option("new", diff_options.new_file, "The version to deploy (.cadence or plan .json)")
      ->required()
      ->type_name("NEW");
  diff_command->add_option("--format", diff_options.format, "human or json")
      ->check(CLI::IsMember({"human", "json"}))
      ->type_name("FORMAT");
  diff_command->footer(
      "Breaking: a sequence or step removed or renamed (enrolments there are stranded), a step's kind or the\n"
      "target changed, an exit handler removed. Exit status: 0 no breaking change, 1 breaking, 2 I/O failure\n"
      "or a side with errors.");

  SimulateOptions simulate_options;
  CLI::App* simulate_command =
      app.add_subcommand("simulate", "Simulate a plan's enrolments day by day for one owner (the reference runtime)");
  simulate_command->add_option("plan", simulate_options.plan, "A JSON plan from 'cadence build'")->required()->type_name("PLAN");
  auto& sim = simulate_options.simulation;
  simulate_command->add_option("--sequence", sim.sequence, "Which sequence of the plan (default: the first)")->type_name("NAME");
  simulate_command->add_option("--enroll", sim.enroll_per_day, "New enrolments per working day (default: the plan's, else 10)")
      ->check(CLI::Range(0.0, 1e6))->type_name("RATE");
  simulate_command->add_option("--days", sim.days, "Calendar days to simulate (default 60)")->check(CLI::Range(1, 3650))->type_name("N");
  simulate_command->add_option("--seed", sim.seed, "Random seed (same seed, same run)")->type_name("N");
  simulate_command->add_option("--open", sim.open, "Chance an email is opened (default 0.35)")->check(CLI::Range(0.0, 1.0))->type_name("P");
  simulate_command->add_option("--click", sim.click, "Chance an opened email is clicked (default 0.10)")->check(CLI::Range(0.0, 1.0))->type_name("P");
  simulate_command->add_option("--reply", sim.reply, "Chance a touch gets a reply (default 0.03)")->check(CLI::Range(0.0, 1.0))->type_name("P");
  simulate_command->add_option("--bounce", sim.bounce, "Chance an email bounces (default 0.02)")->check(CLI::Range(0.0, 1.0))->type_name("P");
  simulate_command->add_option("--ooo", sim.out_of_office, "Chance of an out-of-office reply (default 0.03)")->check(CLI::Range(0.0, 1.0))->type_name("P");
  simulate_command->add_option("--unsubscribe", sim.unsubscribe, "Chance of an opt-out per email (default 0.005)")->check(CLI::Range(0.0, 1.0))->type_name("P");
  simulate_command->add_option("--accept", sim.accept, "Chance a LinkedIn connection is accepted (default 0.30)")->check(CLI::Range(0.0, 1.0))->type_name("P");
  simulate_command->add_option("--calls", simulate_options.calls,
                               "Call outcome mix, e.g. connected=0.1,voicemail=0.3,no_answer=0.6")
      ->type_name("MIX");
  simulate_command->add_option("--format", simulate_options.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))->type_name("FORMAT");
  simulate_command->add_option("--svg", simulate_options.svg, "Also draw the daily email load against the limit")->type_name("FILE");
  simulate_command->footer("Exit status: 0, or 2 when the plan cannot be read.");

  FmtOptions fmt_options;
  CLI::App* fmt_command = app.add_subcommand("fmt", "Format .cadence files in the one canonical layout");
  fmt_command->add_option("files", fmt_options.files, "Files or directories (searched for *.cadence)")
      ->required()
      ->type_name("PATH");
  fmt_command->add_flag("-w,--write", fmt_options.write, "Rewrite the files in place (atomically)");
  fmt_command->add_flag("--check", fmt_options.check, "List files that are not formatted; change nothing");
  fmt_command->add_flag("--diff", fmt_options.diff, "Show the changes as a unified diff; change nothing");
  fmt_command->footer("Only whitespace changes; comments stay. Files with syntax errors are left alone.\n"
                      "Exit status: 0, 1 when a file is not formatted (--check, --diff) or has syntax errors, 2 I/O failure.");

  int debounce_ms = 150;
  CLI::App* lsp_command = app.add_subcommand("lsp", "Run the language server (LSP 3.17) on standard input and output");
  lsp_command->add_option("--debounce", debounce_ms, "Milliseconds of quiet before diagnostics are published")
      ->check(CLI::Range(0, 10000))
      ->type_name("MS");
  lsp_command->footer("Exit status: 0 after shutdown and exit, 1 when the client leaves without shutdown.");

  std::string explain_name;
  CLI::App* explain_command = app.add_subcommand("explain", "Explain a diagnostic: what, why, an example, the fix");
  explain_command->add_option("name", explain_name, "A diagnostic name or code, e.g. missing-reply-exit or CAD101")
      ->required()
      ->type_name("NAME|CODE");
  std::string explain_format = "text";
  explain_command->add_option("--format", explain_format, "text or markdown (the docs/rules/ page)")
      ->check(CLI::IsMember({"text", "markdown"}))
      ->type_name("FORMAT");
  explain_command->footer("Exit status: 0, or 2 when no diagnostic has that name or code.");

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
    if (rules_command->parsed()) return run_rules(rules_format);
    if (graph_command->parsed()) return run_graph(global, graph_options);
    if (diff_command->parsed()) return run_diff(global, diff_options);
    if (simulate_command->parsed()) return run_simulate(simulate_options);
    if (fmt_command->parsed()) return run_fmt(global, fmt_options);
    if (lsp_command->parsed()) {
      return lsp::run_server(0, 1, find_stdlib(global.stdlib ? std::optional<fs::path>(*global.stdlib) : std::nullopt),
                             debounce_ms);
    }
    if (explain_command->parsed()) return run_explain(explain_name, explain_format);
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}", e.what()));
    return kExitFailure;
  }
  return kExitFailure;
}
