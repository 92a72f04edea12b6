#include "driver/run.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "cadence/lexical.hpp"
#include "export/diagnose.hpp"
#include "lint/lint.hpp"
#include "lint/suppression.hpp"
#include "support/file_io.hpp"
#include "support/paths.hpp"

namespace cadence {
namespace fs = std::filesystem;

void parallel_for(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& work) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, count));
  if (jobs <= 1) {
    for (std::size_t i = 0; i < count; ++i) work(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned t = 0; t < jobs; ++t) {
    threads.emplace_back([&] {
      for (std::size_t i = next++; i < count; i = next++) work(i);
    });
  }
  for (std::thread& thread : threads) thread.join();
}

namespace {

/// Keeps alive the sources of other modules that `report`'s diagnostics
/// point at (an import's first error, a definition in a shared file), found
/// among the modules `module` depends on.
void keep_referenced_sources(const Module& module, FileReport& report) {
  std::vector<const Source*> wanted;
  auto want = [&](const Location& location) {
    if (location.source != nullptr && location.source != report.source.get() &&
        std::find(wanted.begin(), wanted.end(), location.source) == wanted.end()) {
      wanted.push_back(location.source);
    }
  };
  for (const Diagnostic& d : report.diagnostics) {
    want(d.location);
    for (const Note& note : d.notes) {
      if (note.location) want(*note.location);
    }
    for (const Fix& fix : d.fixes) {
      for (const Edit& edit : fix.edits) want(edit.location);
    }
  }
  if (wanted.empty()) return;
  std::vector<const Module*> pending{&module};
  std::vector<const Module*> seen;
  while (!pending.empty() && report.other_sources.size() < wanted.size()) {
    const Module* current = pending.back();
    pending.pop_back();
    if (std::find(seen.begin(), seen.end(), current) != seen.end()) continue;
    seen.push_back(current);
    for (const auto& dependency : current->dependencies) {
      if (std::find(wanted.begin(), wanted.end(), dependency->source.get()) != wanted.end() &&
          std::find(report.other_sources.begin(), report.other_sources.end(), dependency->source) ==
              report.other_sources.end()) {
        report.other_sources.push_back(dependency->source);
      }
      pending.push_back(dependency.get());
    }
  }
}

}  // namespace

namespace {

/// Keeps at most `budget` of `diagnostics` (sorted), counting the rest.
void cap(std::vector<Diagnostic>& diagnostics, std::size_t budget, FileReport& report) {
  if (diagnostics.size() <= budget) return;
  const auto kept_end = diagnostics.begin() + static_cast<std::ptrdiff_t>(budget);
  report.omitted += diagnostics.size() - budget;
  report.omitted_errors += static_cast<std::size_t>(
      std::count_if(kept_end, diagnostics.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; }));
  diagnostics.erase(kept_end, diagnostics.end());
}

/// The cadence.toml that governs each file; files of one directory share
/// it, so each directory is searched once.
class ConfigFiles {
 public:
  const std::optional<fs::path>& of(const fs::path& file) {
    fs::path directory = normal_path(file).parent_path();
    auto it = in_.find(directory);
    if (it == in_.end()) it = in_.emplace(directory, find_config_file(directory)).first;
    return it->second;
  }
  /// The file's project (support/paths.hpp).
  Project project_of(const fs::path& file) {
    const std::optional<fs::path>& config = of(file);
    return Project::at(normal_path(file).parent_path(),
                       config ? std::optional<fs::path>(config->parent_path()) : std::nullopt);
  }

 private:
  std::map<fs::path, std::optional<fs::path>> in_;
};

/// The files of the projects of `given` that are not among them.
std::vector<fs::path> project_context(const std::vector<fs::path>& given, const std::vector<Project>& projects) {
  std::set<fs::path> named;
  // A file given under another name (a link) is not its own context.
  std::set<FileIdentity> given_files;
  std::map<fs::path, Project> roots;
  for (std::size_t i = 0; i < given.size(); ++i) {
    named.insert(normal_path(given[i]));
    if (const std::optional<FileIdentity> identity = file_identity(given[i])) given_files.insert(*identity);
    roots.emplace(projects[i].root, projects[i]);
  }
  std::vector<fs::path> context;
  for (const auto& [root, project] : roots) {
    for (const fs::path& file : project_sources(project).files) {
      if (!named.insert(normal_path(file)).second) continue;
      if (const std::optional<FileIdentity> identity = file_identity(file); identity && given_files.contains(*identity))
        continue;
      // Shown as the user would name it: relative when below the working directory.
      const std::optional<std::string> relative = relative_to_current(file);
      context.push_back(relative ? fs::path(*relative) : file);
    }
  }
  return context;
}

}  // namespace

/// Which files may define a sequence name another file defines too, by a
/// scan for `sequence NAME` that reads no syntax (a superset: words in
/// comments and strings count). Only those files wait for the rule on
/// sequence names; the others are final as soon as they are checked.
std::vector<bool> scan_sequence_names(Workspace& workspace, const std::vector<fs::path>& files, unsigned jobs) {
  std::vector<bool> result(files.size(), false);
  if (files.size() < 2) return result;
  std::vector<std::vector<std::string>> names(files.size());
  parallel_for(files.size(), jobs, [&](std::size_t i) {
    std::string text = workspace.read_bytes(files[i]);
    grammar::for_each_word_after_sequence(text, [&](std::string_view word) { names[i].emplace_back(word); });
    workspace.keep_read_ahead(files[i], std::move(text));  // for the check that follows
    std::sort(names[i].begin(), names[i].end());
    names[i].erase(std::unique(names[i].begin(), names[i].end()), names[i].end());
  });
  std::unordered_map<std::string_view, std::size_t> files_defining;
  for (const auto& of_file : names) {
    for (const std::string& name : of_file) ++files_defining[name];
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    result[i] = std::any_of(names[i].begin(), names[i].end(),
                            [&](const std::string& name) { return files_defining[name] > 1; });
  }
  return result;
}

struct FactsCache::Entry {
  std::weak_ptr<const Module> module;
  LintOptions options;
  std::shared_ptr<const RunFacts> facts;
};

FactsCache::FactsCache() = default;
FactsCache::~FactsCache() = default;

std::shared_ptr<const RunFacts> FactsCache::find(const std::shared_ptr<const Module>& module,
                                                 const LintOptions& options) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(module->path);
  if (it == entries_.end() || it->second.module.lock() != module || !(it->second.options == options)) return nullptr;
  return it->second.facts;
}

void FactsCache::store(const std::shared_ptr<const Module>& module, const LintOptions& options,
                       std::shared_ptr<const RunFacts> facts) {
  std::lock_guard lock(mutex_);
  entries_[module->path] = Entry{module, options, std::move(facts)};
}

RunResult run_checks(Workspace& workspace, const std::vector<fs::path>& given, const RunOptions& options) {
  RunResult result;
  // The files to report on come first; the rest of their projects follow,
  // checked only for the rules across files (never reported on).
  const std::size_t reported = given.size();
  std::vector<fs::path> files = given;
  ConfigFiles configs;
  for (const fs::path& file : given) result.projects.push_back(configs.project_of(file));
  if (options.project) {
    for (fs::path& file : project_context(given, result.projects)) files.push_back(std::move(file));
  }
  // Configuration first: a broken file stops everything (exit 2).
  std::vector<std::shared_ptr<const Config>> config_of(files.size());
  {
    std::map<fs::path, std::shared_ptr<const Config>> loaded;
    // Export targets given to the run replace those of the configuration.
    auto with_targets = [&](Config config) {
      if (options.targets) apply_targets(config, *options.targets);
      return std::make_shared<const Config>(std::move(config));
    };
    const std::shared_ptr<const Config> defaults = with_targets(Config{});
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::optional<fs::path> path = options.config_path;
      if (!path) path = configs.of(files[i]);
      if (!path) {
        config_of[i] = defaults;
        continue;
      }
      auto it = loaded.find(*path);
      if (it == loaded.end()) {
        auto config = load_config(*path);
        if (auto* error = std::get_if<ConfigError>(&config)) {
          result.config_error = error->message;
          return result;
        }
        it = loaded.emplace(*path, with_targets(std::get<Config>(std::move(config)))).first;
      }
      config_of[i] = it->second;
    }
  }

  workspace.name_files(files);
  // Teams and sequence names are per project.
  std::vector<std::string> project_of(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    project_of[i] = (i < reported ? result.projects[i] : configs.project_of(files[i])).root.string();
  }
  const bool streaming = static_cast<bool>(options.on_file);
  // Streaming hands a file over once it is final; without it, nothing is
  // handed over early and every file may wait for the rules across files.
  const std::vector<bool> may_share_a_name =
      streaming ? scan_sequence_names(workspace, files, options.jobs) : std::vector<bool>(files.size(), true);
  // Each file: load, check, lint, collect what the rules across files need,
  // and finish its own diagnostics; then, unless the caller keeps the
  // analysis, release the module.
  result.files.resize(files.size());
  std::vector<std::optional<RunFacts>> facts(files.size());
  // Open files with suppression comments: judged once rules across files ran.
  std::vector<std::unique_ptr<Suppressions>> deferred(files.size());
  // How many diagnostics each file kept (streaming drops them once handed over).
  std::vector<std::size_t> kept(files.size(), 0);
  parallel_for(files.size(), options.jobs, [&](std::size_t i) {
    FileReport& report = result.files[i];
    std::shared_ptr<const Module> module = workspace.load(files[i]);
    report.path = module->source->path();
    report.absolute_path = module->path;
    report.source = module->source;
    report.unreadable = module->unreadable;
    report.missing = module->missing;
    const Config& config = *config_of[i];
    bool open = false;
    if (module->unreadable) {
      report.diagnostics = module->diagnostics;
    } else if (i >= reported) {
      // Context from the project: only its facts count; nothing is reported on it.
      std::shared_ptr<const RunFacts> cached =
          options.facts_cache != nullptr ? options.facts_cache->find(module, config.options) : nullptr;
      if (cached != nullptr) {
        facts[i] = *cached;
        facts[i]->may_share_a_name = may_share_a_name[i];
      } else if (const CheckResult& checked = check_module(*module); checked.error_count == 0) {
        facts[i] = collect_run_facts(checked, config.options);
        facts[i]->reported = false;
        facts[i]->may_share_a_name = may_share_a_name[i];
        facts[i]->project = project_of[i];
        if (options.facts_cache != nullptr) {
          options.facts_cache->store(module, config.options, std::make_shared<const RunFacts>(*facts[i]));
        }
      }
    } else {
      const CheckResult& checked = check_module(*module);
      report.diagnostics = checked.diagnostics;
      report.omitted = checked.omitted;
      report.omitted_errors = checked.omitted_errors;
      const bool linted = checked.error_count == 0;
      if (linted) {
        DiagnosticCollector lints(kMaxDiagnosticsPerFile);
        lint_module(checked, config.options, lints);
        facts[i] = collect_run_facts(checked, config.options);
        facts[i]->may_share_a_name = may_share_a_name[i];
        facts[i]->project = project_of[i];
        lint_file_facts(*facts[i], lints);
        exporter::check_targets(checked, config.targets, lints);
        report.omitted += lints.omitted();
        for (Diagnostic& d : lints.take()) report.diagnostics.push_back(std::move(d));
        open = facts[i]->open();
      }
      if (options.keep_analysis) report.checked = module->check_result;
      // Configuration and suppressions. Lints do not run on a file with
      // errors, so its suppressions cannot be judged unused until the errors
      // are gone; an open file's are judged once rules across files ran.
      apply_config(config, report.diagnostics);
      Suppressions suppressions(*report.source);
      suppressions.apply(report.diagnostics);
      if (open) {
        if (!suppressions.empty()) deferred[i] = std::make_unique<Suppressions>(std::move(suppressions));
      } else if (linted && config.is_enabled(DiagnosticKind::UnusedSuppression)) {
        for (Diagnostic& d : suppressions.unused(config.disabled)) report.diagnostics.push_back(std::move(d));
        apply_config(config, report.diagnostics);  // severity of unused-suppression
      }
    }
    sort_diagnostics(report.diagnostics);
    cap(report.diagnostics, kMaxDiagnosticsPerFile, report);
    kept[i] = report.diagnostics.size();
    keep_referenced_sources(*module, report);
    if (options.keep_analysis) {
      report.module = std::move(module);
    } else {
      module.reset();
      workspace.release(files[i]);
    }
    if (streaming && i < reported) {
      options.on_file(i, report, !open);
      std::vector<Diagnostic>().swap(report.diagnostics);
      report.other_sources.clear();
    }
    // The text is dropped when nothing needs it any more (a rule across
    // files that reports here reads it again).
    const bool needed =
        i < reported && (options.keep_sources || options.keep_analysis || deferred[i] != nullptr ||
                         (!streaming && (!report.diagnostics.empty() || may_have_suppressions(report.source->text()))));
    if (!needed && !report.unreadable) {
      report.source.reset();
      if (facts[i]) facts[i]->source.reset();
    }
  });
  workspace.drop_read_ahead();

  // Rules across files see every clean file of the run; they report only on
  // open files. A file whose text was dropped is read again.
  std::vector<const RunFacts*> clean;
  std::map<const RunFacts*, std::size_t> file_of_facts;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!facts[i]) continue;
    clean.push_back(&*facts[i]);
    file_of_facts.emplace(&*facts[i], i);
  }
  const SourceOfFacts source_of = [&](const RunFacts& of) -> const Source* {
    const std::size_t i = file_of_facts.at(&of);
    FileReport& report = result.files[i];
    if (report.source == nullptr) report.source = workspace.read_source(files[i]);
    return report.source.get();
  };
  DiagnosticCollector across;
  lint_run(clean, across, source_of);
  std::vector<std::vector<Diagnostic>> added(files.size());
  std::map<const Source*, std::size_t> file_of_source;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (result.files[i].source != nullptr) file_of_source.emplace(result.files[i].source.get(), i);
  }
  for (Diagnostic& d : across.take()) {
    auto it = file_of_source.find(d.location.source);
    // Only the files asked for are reported on; the rest of the project is context.
    if (it == file_of_source.end() || it->second >= reported) continue;
    FileReport& report = result.files[it->second];
    // Notes may point into other files of the run (sequences of one team).
    for (const Note& note : d.notes) {
      if (!note.location || note.location->source == report.source.get()) continue;
      auto other = file_of_source.find(note.location->source);
      if (other != file_of_source.end()) report.other_sources.push_back(result.files[other->second].source);
    }
    added[it->second].push_back(std::move(d));
  }

  for (std::size_t i = 0; i < reported; ++i) {
    if (!facts[i] || !facts[i]->open()) continue;
    FileReport& report = result.files[i];
    const Config& config = *config_of[i];
    std::vector<Diagnostic>& more = added[i];
    apply_config(config, more);
    if (Suppressions* suppressions = deferred[i].get()) {
      suppressions->apply(more);
      if (config.is_enabled(DiagnosticKind::UnusedSuppression)) {
        for (Diagnostic& d : suppressions->unused(config.disabled)) more.push_back(std::move(d));
        apply_config(config, more);
      }
    }
    sort_diagnostics(more);
    cap(more, kMaxDiagnosticsPerFile - std::min(kept[i], kMaxDiagnosticsPerFile), report);
    if (streaming) {
      if (options.on_added) options.on_added(i, report, more);
      continue;
    }
    for (Diagnostic& d : more) report.diagnostics.push_back(std::move(d));
    sort_diagnostics(report.diagnostics);
  }
  result.files.resize(reported);
  return result;
}

}  // namespace cadence
