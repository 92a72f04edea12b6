// cadence.toml: which lints run, at what severity, with which options.
//
//   [lint]
//   select = ["all"]                 # or a list of lint names (default: all)
//   ignore = ["touch-count"]
//   [lint.severity]
//   missing-ooo-pause = "warning"    # "error" | "warning" | "info" | "off"
//   [lint.touch-count]
//   min = 6
//   max = 10
//   [lint.throttle-overrun]
//   default-email-limit = 200        # emails per owner per day
//   email-ceiling = 200              # what the platform sends at most
//   [export]
//   targets = ["outreach"]           # platforms the project deploys to
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "diag/diagnostic.hpp"
#include "lint/lint.hpp"

namespace cadence {

struct Config {
  /// The file it came from; empty for the defaults.
  std::filesystem::path path;
  /// Lints switched off: ignored, not selected, or at severity "off".
  std::vector<DiagnosticKind> disabled;
  std::map<DiagnosticKind, Severity> severity;
  LintOptions options;
  /// Export targets the project deploys to ([export] targets): their
  /// capability findings are reported, and their sending caps become the
  /// email ceiling unless `email-ceiling` is set.
  std::vector<std::string> targets;
  bool email_ceiling_set = false;
  /// `email-ceiling` as configured (or its default), before targets lower it.
  int64_t email_ceiling = LintOptions{}.email_ceiling_per_day;

  [[nodiscard]] bool is_enabled(DiagnosticKind kind) const;
};

/// A configuration problem, rendered as "path:line:column: message".
struct ConfigError {
  std::string message;
};

/// The nearest cadence.toml in `directory` or above it.
[[nodiscard]] std::optional<std::filesystem::path> find_config_file(const std::filesystem::path& directory);

/// Reads and validates a configuration file.
[[nodiscard]] std::variant<Config, ConfigError> load_config(const std::filesystem::path& path);

/// Makes `targets` the configuration's export targets, and the lowest
/// sending cap among them its email ceiling (below an explicit
/// `email-ceiling`, never above it).
void apply_targets(Config& config, std::vector<std::string> targets);

/// Drops disabled lints and applies severity overrides.
void apply_config(const Config& config, std::vector<Diagnostic>& diagnostics);

}  // namespace cadence
