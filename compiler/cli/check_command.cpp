// cadence check: check files, report problems in one of four formats, apply
// or show the safe fixes, or verify expectations written in the files.

#include <fmt/format.h>

#include "cli/common.hpp"
#include "diag/render.hpp"
#include "diag/sarif.hpp"
#include "driver/fix.hpp"
#include "driver/run.hpp"
#include "driver/verify.hpp"
#include "support/file_io.hpp"

namespace cadence::cli {
namespace {
namespace fs = std::filesystem;

std::string summary_line(std::size_t files, std::size_t errors, std::size_t warnings, std::size_t infos) {
  return fmt::format("{} file{} checked: {} error{}, {} warning{}, {} info{}\n", files, plural(files), errors,
                     plural(errors), warnings, plural(warnings), infos, plural(infos));
}

class CheckCommand final : public Subcommand {
 public:
  CLI::App* add_to(CLI::App& app) override {
    CLI::App* command = app.add_subcommand("check", "Check .cadence files and report problems");
    command->add_option("paths", paths_, "Files or directories (searched for *.cadence)")->required()->type_name("PATH");
    command->add_option("--format", format_, "Output format: human, json, sarif or github")
        ->check(CLI::IsMember({"human", "json", "sarif", "github"}))
        ->type_name("FORMAT");
    command->add_option("--config", config_, "Use this cadence.toml instead of the nearest one")->type_name("PATH");
    command->add_flag("--warnings-as-errors", warnings_as_errors_, "Exit 1 when there are warnings");
    command->add_flag("--fix", fix_, "Apply the safe fixes, rewriting files atomically");
    command->add_flag("--diff", diff_, "Show the safe fixes as a unified diff; change nothing");
    command->add_flag("--verify", verify_, "Compare diagnostics with // expected-warning {{...}} comments in the files");
    command->add_option("-j,--jobs", jobs_, "Files checked in parallel (default: one per core)")->type_name("N");
    command->footer(
        "Configuration: the nearest cadence.toml above each file ([lint] select, ignore, severity).\n"
        "Suppress a lint: // cadence-ignore: NAME (line before, or end of line); // cadence-ignore-file: NAME.\n"
        "Exit status: 0 no errors, 1 errors found (or warnings with --warnings-as-errors; pending fixes with --diff),\n"
        "2 usage, configuration or I/O failure.");
    return command;
  }

  int run(const GlobalOptions& global) override {
    Output& out = Output::stdout_stream();
    return out.finish(check(global, out));
  }

 private:
  std::vector<std::string> paths_;
  std::string format_ = "human";
  std::optional<std::string> config_;
  bool warnings_as_errors_ = false;
  bool fix_ = false;
  bool diff_ = false;
  bool verify_ = false;
  unsigned jobs_ = 0;

  /// --fix and --diff: the safe fixes of each file, applied or shown.
  /// Returns the number of files that change (or changed).
  std::optional<std::size_t> handle_fixes(const RunResult& run, bool write, std::size_t& fixes_applied, Output& out) {
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
        out.write(unified_diff(source.path(), source.text(), fixed));
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

  int check(const GlobalOptions& global, Output& out) {
    const auto files = collect_files(paths_);
    if (!files) return kExitFailure;
    RunOptions run_options;
    if (config_) {
      if (!fs::is_regular_file(*config_)) {
        print_error(fmt::format("cannot read config '{}': No such file", *config_));
        return kExitFailure;
      }
      run_options.config_path = *config_;
    }
    run_options.jobs = jobs_;
    run_options.keep_sources = verify_;  // expectations live in the text
    DiskFileSystem disk;
    const fs::path stdlib = global.stdlib_dir();
    auto workspace = std::make_unique<Workspace>(disk, stdlib);
    RunResult run = run_checks(*workspace, *files, run_options);
    if (run.config_error) {
      print_error(*run.config_error);
      return kExitFailure;
    }

    if (verify_) {
      bool ok = true;
      std::size_t expectations = 0;
      for (const FileReport& report : run.files) {
        if (report.unreadable) {
          for (const Diagnostic& d : report.diagnostics) print_error(d.message);
          return kExitFailure;
        }
        const VerifyResult verified = verify_diagnostics(*report.source, report.diagnostics);
        expectations += verified.expectations;
        for (const std::string& problem : verified.problems) out.write(problem + "\n");
        ok = ok && verified.ok;
      }
      out.write(fmt::format("verify: {} file{}, {} expectation{}: {}\n", run.files.size(), plural(run.files.size()),
                            expectations, plural(expectations), ok ? "all met" : "FAILED"));
      return ok ? kExitOk : kExitErrors;
    }

    std::size_t fixes_applied = 0;
    if (diff_) {
      const auto changed = handle_fixes(run, false, fixes_applied, out);
      if (!changed) return kExitFailure;
      std::fprintf(stderr, "%zu fix%s would change %zu file%s\n", fixes_applied, fixes_applied == 1 ? "" : "es",
                   *changed, plural(*changed));
      return *changed > 0 ? kExitErrors : kExitOk;
    }
    if (fix_) {
      // A fix can uncover more (fixing an unknown name lets the lints run), so
      // fix, re-check and repeat until nothing changes, a few rounds at most.
      for (int round = 0; round < 5; ++round) {
        const auto changed = handle_fixes(run, true, fixes_applied, out);
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
                   report.path.c_str(), report.omitted, plural(report.omitted), kMaxDiagnosticsPerFile);
    }
    for (const Diagnostic& d : diagnostics) {
      if (d.severity == Severity::Error) ++errors;
      else if (d.severity == Severity::Warning) ++warnings;
      else ++infos;
    }
    if (format_ == "json") {
      out.write(json_report(checked_paths, diagnostics).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
    } else if (format_ == "sarif") {
      out.write(sarif_log(diagnostics).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
    } else if (format_ == "github") {
      out.write(github_annotations(diagnostics));
    } else {
      std::string text;
      const HumanStyle style{global.color_for(stdout)};
      for (const Diagnostic& d : diagnostics) render_human(text, d, style);
      if (fix_) text += fmt::format("fixed {} problem{}\n", fixes_applied, plural(fixes_applied));
      if (!diagnostics.empty() || files->size() > 1) text += summary_line(files->size(), errors, warnings, infos);
      out.write(text);
    }
    if (unreadable) return kExitFailure;
    if (errors > 0 || (warnings_as_errors_ && warnings > 0)) return kExitErrors;
    return kExitOk;
  }
};

}  // namespace

std::unique_ptr<Subcommand> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace cadence::cli
