#include "driver/run.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <thread>

#include "lint/lint.hpp"
#include "lint/suppression.hpp"

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

RunResult run_checks(Workspace& workspace, const std::vector<fs::path>& files, const RunOptions& options) {
  RunResult result;
  // Configuration first: a broken file stops everything (exit 2).
  std::map<fs::path, std::shared_ptr<const Config>> config_by_file;
  {
    std::map<fs::path, std::shared_ptr<const Config>> loaded;
    const auto defaults = std::make_shared<const Config>();
    for (const fs::path& file : files) {
      std::optional<fs::path> path = options.config_path;
      if (!path) path = find_config_file(normal_path(file).parent_path());
      if (!path) {
        config_by_file[file] = defaults;
        continue;
      }
      auto it = loaded.find(*path);
      if (it == loaded.end()) {
        auto config = load_config(*path);
        if (auto* error = std::get_if<ConfigError>(&config)) {
          result.config_error = error->message;
          return result;
        }
        it = loaded.emplace(*path, std::make_shared<const Config>(std::get<Config>(std::move(config)))).first;
      }
      config_by_file[file] = it->second;
    }
  }

  result.files.resize(files.size());
  parallel_for(files.size(), options.jobs, [&](std::size_t i) {
    FileReport& report = result.files[i];
    const Module& module = workspace.load(files[i]);
    report.module = &module;
    report.path = module.source->path();
    report.unreadable = module.unreadable;
    if (module.unreadable) {
      report.diagnostics = module.diagnostics;
      return;
    }
    report.checked = std::make_unique<CheckResult>(check(module));
    report.diagnostics = report.checked->diagnostics;
    if (report.checked->error_count == 0) {
      DiagnosticCollector lints;
      lint_module(*report.checked, config_by_file[files[i]]->options, lints);
      for (Diagnostic& d : lints.take()) report.diagnostics.push_back(std::move(d));
    }
  });

  // Rules across files see every clean module of the run.
  std::vector<const CheckResult*> clean;
  std::vector<const LintOptions*> clean_options;
  std::map<const Source*, std::size_t> file_of_source;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const FileReport& report = result.files[i];
    if (report.checked == nullptr) continue;
    file_of_source.emplace(report.module->source.get(), i);
    if (report.checked->error_count > 0) continue;
    clean.push_back(report.checked.get());
    clean_options.push_back(&config_by_file[files[i]]->options);
  }
  DiagnosticCollector across;
  lint_run(clean, clean_options, across);
  for (Diagnostic& d : across.take()) {
    auto it = file_of_source.find(d.location.source);
    if (it != file_of_source.end()) result.files[it->second].diagnostics.push_back(std::move(d));
  }

  parallel_for(files.size(), options.jobs, [&](std::size_t i) {
    FileReport& report = result.files[i];
    if (report.unreadable) return;
    const Config& config = *config_by_file[files[i]];
    apply_config(config, report.diagnostics);
    // Lints do not run on a file with errors, so its suppressions cannot be
    // judged unused until the errors are gone.
    const bool linted = report.checked != nullptr && report.checked->error_count == 0;
    apply_suppressions(*report.module->source, report.diagnostics, config.disabled,
                       linted && config.is_enabled(DiagnosticKind::UnusedSuppression));
    apply_config(config, report.diagnostics);  // severity of unused-suppression
    sort_diagnostics(report.diagnostics);
  });
  return result;
}

}  // namespace cadence
