// cadence check: check files, report problems in one of four formats, apply
// or show the safe fixes, or verify expectations written in the files.

#include <algorithm>
#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "cli/common.hpp"
#include "diag/ordered_report.hpp"
#include "diag/render.hpp"
#include "diag/report.hpp"
#include "diag/sarif.hpp"
#include "driver/fix.hpp"
#include "driver/run.hpp"
#include "driver/verify.hpp"
#include "export/target.hpp"
#include "support/escape.hpp"
#include "support/file_io.hpp"

namespace cadence::cli {
namespace {
namespace fs = std::filesystem;

/// A checked file's part of the report. `walked`: a directory walk found
/// it, so that its vanishing before it was read is a skip, not a failure.
ReportPart report_part(const FileReport& report, bool final, bool walked) {
  ReportPart part;
  part.path = report.path;
  part.final = final;
  part.omitted_errors = report.omitted_errors;
  if (report.omitted > 0) {
    part.notes.push_back(fmt::format("{}: {} more diagnostic{} not shown (at most {} are reported per file)\n",
                                     visible(report.path), report.omitted, plural(report.omitted),
                                     kMaxDiagnosticsPerFile));
  }
  if (report.unreadable && report.missing && walked) {
    part.warnings.push_back(fmt::format("skipped '{}': it vanished before it was read", report.path));
  } else if (report.unreadable) {
    part.unreadable = true;
    for (const Diagnostic& d : report.diagnostics) part.errors.push_back(d.message);
  } else {
    part.diagnostics = report.diagnostics;
  }
  return part;
}

/// The report to standard output, its messages to standard error.
ReportSink report_sink(Output& out) {
  return ReportSink{
      .write = [&out](std::string_view text) { out.write(text); },
      .error = [](std::string_view message) { print_error(message); },
      .warning = [](std::string_view message) { print_warning(message); },
      .note = [](std::string_view line) { std::fwrite(line.data(), 1, line.size(), stderr); },
  };
}

class CheckCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand("check", "Check .cadence files and report problems");
    command.option("paths", paths_, "Files or directories (searched for *.cadence)").required().type_name("PATH");
    command.option("--format", format_, "Output format: human, json, sarif or github")
        .one_of({"human", "json", "sarif", "github"})
        .type_name("FORMAT");
    command.option("--config", config_, "Use this cadence.toml instead of the nearest one").type_name("PATH");
    command.flag("-q,--quiet", quiet_, "Leave out the summary line of human output");
    command.flag("--warnings-as-errors", warnings_as_errors_, "Exit 1 when there are warnings");
    command.flag("--fix", fix_, "Apply the safe fixes, rewriting files atomically");
    command.flag("--diff", diff_, "Show the safe fixes as a unified diff; change nothing");
    command.flag("--verify", verify_, "Compare diagnostics with // expected-warning {{...}} comments in the files");
    command
        .option("--target", targets_,
                fmt::format("Also report what this export target ({}) cannot express or only approximates; "
                            "repeatable, replaces [export] targets of cadence.toml",
                            exporter::target_names()))
        .one_of(exporter::target_name_list())
        .type_name("TARGET");
    command.option("-j,--jobs", jobs_, "Files checked in parallel (default: one per core)").type_name("N");
    command.flag("--no-project", no_project_,
                 "Rules across files see only the files given, not the rest of their project");
    command.footer(
        "Configuration: the nearest cadence.toml above each file ([lint] select, ignore, severity).\n"
        "Project: the directory of that cadence.toml. Rules across files (a team's daily load, sequence names)\n"
        "read every .cadence file of the project, and report only on the files given.\n"
        "Suppress a lint: // cadence-ignore: NAME (line before, or end of line); // cadence-ignore-file: NAME.\n"
        "Export targets (--target, or [export] targets): target-unsupported errors and target-approximated\n"
        "warnings, and the target's sending cap as throttle-overrun's ceiling.\n"
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
  std::vector<std::string> targets_;
  std::string format_ = "human";
  std::optional<std::string> config_;
  bool warnings_as_errors_ = false;
  bool fix_ = false;
  bool diff_ = false;
  bool verify_ = false;
  bool no_project_ = false;
  bool quiet_ = false;
  std::vector<bool> walked_;  // per file: found by a directory walk
  [[nodiscard]] bool walked(std::size_t index) const { return index < walked_.size() && walked_[index]; }
  unsigned jobs_ = 0;

  /// A file the safe fixes change: its text before the first round and after the last.
  struct FixedFile {
    fs::path absolute_path;
    std::string display_path;
    std::string before;
    std::string after;
    bool bom = false;
  };

  /// --fix and --diff share this loop, so that the diff shows exactly what
  /// --fix writes: the safe fixes are applied in memory and the files checked
  /// again, round after round, until nothing changes (a fix can uncover more:
  /// a corrected name lets the lints run), five rounds at most. `run` is left
  /// as the check of the final texts.
  std::vector<FixedFile> fix_to_fixed_point(RunResult& run, std::unique_ptr<Workspace>& workspace,
                                            OverlayFileSystem& overlay, const fs::path& stdlib,
                                            const std::vector<fs::path>& files, const RunOptions& run_options,
                                            std::size_t& fixes_applied) {
    std::vector<FixedFile> fixed_files;
    for (int round = 0; round < 5; ++round) {
      std::size_t changed = 0;
      for (const FileReport& report : run.files) {
        if (report.unreadable || report.source == nullptr) continue;
        const Source& source = *report.source;
        std::size_t fixes = 0;
        std::vector<Edit> edits = safe_fix_edits(source, report.diagnostics, &fixes);
        if (edits.empty()) continue;
        std::string fixed = apply_edits(source, std::move(edits), nullptr);
        if (fixed == source.text()) continue;
        ++changed;
        fixes_applied += fixes;
        auto known = std::find_if(fixed_files.begin(), fixed_files.end(),
                                  [&](const FixedFile& f) { return f.absolute_path == report.absolute_path; });
        if (known == fixed_files.end()) {
          fixed_files.push_back(
              {report.absolute_path, source.path(), std::string(source.text()), {}, source.had_bom()});
          known = fixed_files.end() - 1;
        }
        known->after = std::move(fixed);
        overlay.set(report.absolute_path, (known->bom ? std::string("\xEF\xBB\xBF") : std::string()) + known->after);
      }
      if (changed == 0) break;
      workspace = std::make_unique<Workspace>(overlay, stdlib);
      run = run_checks(*workspace, files, run_options);
    }
    // A later round may undo an earlier one's change; such a file is unchanged.
    std::erase_if(fixed_files, [](const FixedFile& f) { return f.after == f.before; });
    return fixed_files;
  }

  /// The end of the report: the summary line of human output (unless
  /// --quiet), the closing part of the structured formats.
  void write_end(Output& out, ReportFormat& format, const ReportTotals& totals,
                 const std::vector<Project>& projects) const {
    if (quiet_ && format_ == "human") return;
    if (format_ == "human") out.write(projects_line(projects));
    out.write(format.end(totals));
  }

  /// Which projects the rules across files read, so that naming a file or
  /// its folder can be seen to give the same findings.
  [[nodiscard]] std::string projects_line(const std::vector<Project>& projects) const {
    std::vector<const Project*> distinct;
    for (const Project& project : projects) {
      if (std::none_of(distinct.begin(), distinct.end(), [&](const Project* p) { return *p == project; }))
        distinct.push_back(&project);
    }
    if (distinct.empty()) return {};
    constexpr std::size_t kShown = 3;
    std::string line = distinct.size() == 1 ? "project: " : fmt::format("{} projects: ", distinct.size());
    for (std::size_t i = 0; i < distinct.size() && i < kShown; ++i) {
      if (i > 0) line += ", ";
      line += distinct[i]->describe();
    }
    if (distinct.size() > kShown) line += fmt::format(" and {} more", distinct.size() - kShown);
    if (no_project_) line += "; --no-project: only the files given were read";
    return line + "\n";
  }

  /// The streaming report: each file rendered by the worker that checked it,
  /// written in input order.
  int report(const GlobalOptions& global, Workspace& workspace, const std::vector<fs::path>& files,
             RunOptions run_options, Output& out) {
    auto format = make_report_format(format_, HumanStyle{global.color_for(stdout)});
    std::optional<OrderedReport> ordered;
    run_options.on_file = [&](std::size_t index, FileReport& report, bool final) {
      ordered->file_done(index, report_part(report, final, walked(index)));
    };
    run_options.on_added = [&](std::size_t index, FileReport&, std::vector<Diagnostic>& added) {
      ordered->file_added(index, added);
    };
    ordered.emplace(*format, report_sink(out), files.size());
    RunResult run = run_checks(workspace, files, run_options);
    if (run.config_error) {
      print_error(*run.config_error);
      return kExitFailure;
    }
    const ReportTotals totals = ordered->finish();
    write_end(out, *format, totals, run.projects);
    if (ordered->any_unreadable()) return kExitFailure;
    if (totals.errors > 0 || (warnings_as_errors_ && totals.warnings > 0)) return kExitErrors;
    return kExitOk;
  }

  int check(const GlobalOptions& global, Output& out) {
    const auto files = collect_files(paths_, &walked_);
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
    if (!targets_.empty()) run_options.targets = targets_;
    run_options.project = !no_project_;
    run_options.keep_sources = verify_;  // expectations live in the text
    DiskFileSystem disk;
    const fs::path stdlib = global.stdlib_dir();
    auto workspace = std::make_unique<Workspace>(disk, stdlib);
    if (!verify_ && !fix_ && !diff_) return report(global, *workspace, *files, run_options, out);
    RunResult run = run_checks(*workspace, *files, run_options);
    if (run.config_error) {
      print_error(*run.config_error);
      return kExitFailure;
    }

    if (verify_) {
      bool ok = true;
      std::size_t expectations = 0;
      for (std::size_t i = 0; i < run.files.size(); ++i) {
        const FileReport& report = run.files[i];
        if (report.unreadable && report.missing && walked(i)) {
          print_warning(fmt::format("skipped '{}': it vanished before it was read", report.path));
          continue;
        }
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
    OverlayFileSystem overlay(&disk);
    const std::vector<FixedFile> fixed_files =
        fix_to_fixed_point(run, workspace, overlay, stdlib, *files, run_options, fixes_applied);
    if (diff_) {
      for (const FixedFile& file : fixed_files) out.write(unified_diff(file.display_path, file.before, file.after));
      std::fprintf(stderr, "%zu fix%s would change %zu file%s\n", fixes_applied, fixes_applied == 1 ? "" : "es",
                   fixed_files.size(), plural(fixed_files.size()));
      return fixed_files.empty() ? kExitOk : kExitErrors;
    }
    for (const FixedFile& file : fixed_files) {
      const std::string bytes = (file.bom ? std::string("\xEF\xBB\xBF") : std::string()) + file.after;
      if (auto failure = write_file_atomically(file.absolute_path, bytes)) {
        print_error(*failure);
        return kExitFailure;
      }
    }

    // After fixing: the report of what is left, through the same writer.
    auto format = make_report_format(format_, HumanStyle{global.color_for(stdout)});
    OrderedReport ordered(*format, report_sink(out), run.files.size());
    for (std::size_t i = 0; i < run.files.size(); ++i) ordered.file_done(i, report_part(run.files[i], true, walked(i)));
    const ReportTotals totals = ordered.finish();
    if (format_ == "human") {
      // What --fix left: suggestions that are guesses are shown, not applied.
      std::size_t guesses = 0;
      for (const FileReport& report : run.files) {
        for (const Diagnostic& d : report.diagnostics) {
          if (!d.fixes.empty() && std::none_of(d.fixes.begin(), d.fixes.end(), [](const Fix& f) { return f.safe; }))
            ++guesses;
        }
      }
      std::string line = fmt::format("fixed {} problem{}", fixes_applied, plural(fixes_applied));
      if (guesses > 0) {
        line += fmt::format(
            "; {} more ha{} a suggested fix that was not applied, as it is a guess (another name is as close, or "
            "the change is not certain to keep the meaning): see each one's help",
            guesses, guesses == 1 ? "s" : "ve");
      }
      out.write(line + "\n");
    }
    write_end(out, *format, totals, run.projects);
    const bool unreadable = ordered.any_unreadable();
    const std::size_t errors = totals.errors, warnings = totals.warnings;
    if (unreadable) return kExitFailure;
    if (errors > 0 || (warnings_as_errors_ && warnings > 0)) return kExitErrors;
    return kExitOk;
  }
};

}  // namespace

std::unique_ptr<Subcommand> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace cadence::cli
