// One run of checks over many files: check, lint, configuration and
// suppressions, in parallel, with results in a stable order. The command line
// and the language server both drive it.
//
// Each file is finished by the worker that checked it: its own diagnostics,
// configured, suppressed, sorted and capped. Rules across files run once
// every file is checked and add to the files they concern (only files whose
// facts are open(): a team's sequences, definitions only another file could
// use). A run can hand each file over as soon as it is finished (streaming),
// and what rules across files add later.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "diag/diagnostic.hpp"
#include "lint/lint.hpp"
#include "sema/check.hpp"
#include "sema/workspace.hpp"

namespace cadence {

struct FileReport;
struct RunFacts;
class FactsCache;

struct RunOptions {
  /// Use this configuration file instead of looking for cadence.toml.
  std::optional<std::filesystem::path> config_path;
  /// Rules across files see each file's whole project (support/paths.hpp's
  /// Project: the tree below its cadence.toml, else the files of its own
  /// folder), checked for their facts but never reported on (a team's load,
  /// duplicate sequence names). Without it, only the files given are seen.
  bool project = false;
  /// Keeps the facts of the project's other files between runs while their
  /// modules are unchanged (the language server re-checks on every edit).
  FactsCache* facts_cache = nullptr;
  /// Export targets to check every file against (`cadence check --target`),
  /// in place of the `targets` of each file's configuration.
  std::optional<std::vector<std::string>> targets;
  /// Worker threads; 0 means one per core.
  unsigned jobs = 0;
  /// Keep every file's module and checked IR in its report (the language
  /// server answers questions from them). Without it each module is released
  /// as soon as it is checked, so memory holds the files in flight, the
  /// imports they share and the source text the report needs.
  bool keep_analysis = false;
  /// Keep every file's text in its report. Without it, the text of a file
  /// with nothing to report (no finding, no suppression comment) is dropped
  /// after its check, and read again only if a rule across files reports on it.
  bool keep_sources = false;

  /// Streaming. When set, called by the worker that finished file `index`
  /// with its report; `final` says no rule across files can add to it.
  /// The report's diagnostics are then dropped from the run's result (the
  /// callee renders or moves them), so memory does not grow with them.
  std::function<void(std::size_t index, FileReport& report, bool final)> on_file;
  /// Streaming. Called once every file is checked, in input order, for each
  /// file that was not final: what rules across files add (configured,
  /// suppressed, sorted, within the file's cap; possibly nothing), with the
  /// unused suppressions of the file.
  std::function<void(std::size_t index, FileReport& report, std::vector<Diagnostic>& added)> on_added;
};

struct FileReport {
  std::string path;
  /// The normalised absolute path (what --fix rewrites).
  std::filesystem::path absolute_path;
  /// The file's text (see RunOptions::keep_sources), and that of any other
  /// file its diagnostics point at.
  std::shared_ptr<const Source> source;
  std::vector<std::shared_ptr<const Source>> other_sources;
  /// With RunOptions::keep_analysis only.
  std::shared_ptr<const Module> module;
  std::shared_ptr<const CheckResult> checked;
  /// Sorted, after configuration and suppressions; at most
  /// kMaxDiagnosticsPerFile.
  std::vector<Diagnostic> diagnostics;
  /// Diagnostics left out for that limit, and how many of them were errors.
  std::size_t omitted = 0;
  std::size_t omitted_errors = 0;
  bool unreadable = false;
  /// Unreadable because it does not exist (any more).
  bool missing = false;
};

struct RunResult {
  /// In the order of the files given.
  std::vector<FileReport> files;
  /// A broken configuration file stops the run before any check.
  std::optional<std::string> config_error;
  /// The project of each file given, in order.
  std::vector<Project> projects;
};

/// The facts of modules checked as project context, kept from one run to the
/// next while a module (the same loaded object) and the options are unchanged.
class FactsCache {
 public:
  FactsCache();
  ~FactsCache();
  FactsCache(const FactsCache&) = delete;
  FactsCache& operator=(const FactsCache&) = delete;
  /// The facts stored for this module and options, if any.
  [[nodiscard]] std::shared_ptr<const RunFacts> find(const std::shared_ptr<const Module>& module,
                                                     const LintOptions& options);
  void store(const std::shared_ptr<const Module>& module, const LintOptions& options,
             std::shared_ptr<const RunFacts> facts);

 private:
  struct Entry;
  std::mutex mutex_;
  std::map<std::filesystem::path, Entry> entries_;
};

/// Checks and lints `files`, which the workspace loads.
[[nodiscard]] RunResult run_checks(Workspace& workspace, const std::vector<std::filesystem::path>& files,
                                   const RunOptions& options);

/// Runs `work(i)` for i in [0, count) on `jobs` threads (0: one per core).
void parallel_for(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& work);

}  // namespace cadence
