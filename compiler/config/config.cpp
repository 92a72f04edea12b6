#include "config/config.hpp"

#include <algorithm>

#include <fmt/format.h>
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include "export/target.hpp"
#include "support/escape.hpp"
#include "support/paths.hpp"
#include "support/suggest.hpp"

namespace cadence {
namespace fs = std::filesystem;

namespace {

struct Invalid {
  std::string message;
};

std::string where(const fs::path& path, const toml::source_region& region) {
  return fmt::format("{}:{}:{}", path.string(), region.begin.line, region.begin.column);
}

/// A value of the file quoted in a message: escaped, and cut when long (a
/// key of a megabyte is not echoed whole).
std::string echo(std::string_view text) {
  constexpr std::size_t kShown = 60;
  if (text.size() <= kShown) return visible(text);
  return visible(character_prefix(text, kShown)) + "...";
}

std::vector<std::string_view> lint_names() {
  std::vector<std::string_view> names;
  for (const DiagnosticInfo& info : all_diagnostic_kinds()) {
    if (info.is_lint()) names.push_back(info.name);
  }
  return names;
}

DiagnosticKind lint_kind(const fs::path& path, std::string_view name, const toml::source_region& region) {
  const auto kind = find_diagnostic_kind(name);
  if (!kind) {
    const auto suggestion = closest_name(name, lint_names());
    throw Invalid{fmt::format("{}: unknown lint '{}'{}", where(path, region), echo(name),
                              suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string())};
  }
  if (!diagnostic_info(*kind).is_lint()) {
    throw Invalid{fmt::format("{}: '{}' is an error; only lints can be configured", where(path, region), echo(name))};
  }
  return *kind;
}

std::vector<std::pair<std::string, toml::source_region>> string_list(const fs::path& path, const toml::node& node,
                                                                     std::string_view key) {
  const toml::array* array = node.as_array();
  if (array == nullptr)
    throw Invalid{fmt::format("{}: '{}' must be a list of lint names", where(path, node.source()), key)};
  std::vector<std::pair<std::string, toml::source_region>> items;
  for (const toml::node& item : *array) {
    const auto* text = item.as_string();
    if (text == nullptr)
      throw Invalid{fmt::format("{}: '{}' must list names as strings", where(path, item.source()), key)};
    items.emplace_back(text->get(), item.source());
  }
  return items;
}

int64_t positive_integer(const fs::path& path, const toml::node& node, std::string_view key) {
  const auto* value = node.as_integer();
  if (value == nullptr || value->get() < 0 || value->get() > 1'000'000'000) {
    throw Invalid{fmt::format("{}: '{}' must be a whole number of at least 0", where(path, node.source()), key)};
  }
  return value->get();
}

void reject_unknown_keys(const fs::path& path, const toml::table& table, std::vector<std::string_view> known,
                         std::string_view context) {
  for (const auto& [key, value] : table) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
    const auto suggestion = closest_name(key.str(), known);
    throw Invalid{fmt::format("{}: unknown key '{}' in {}{}", where(path, value.source()), echo(key.str()), context,
                              suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string())};
  }
}

Config parse_config(const fs::path& path, const toml::table& root) {
  Config config;
  config.path = path;
  reject_unknown_keys(path, root, {"lint", "export"}, "cadence.toml");
  if (const toml::node* export_node = root.get("export")) {
    const toml::table* table = export_node->as_table();
    if (table == nullptr)
      throw Invalid{fmt::format("{}: 'export' must be a table", where(path, export_node->source()))};
    reject_unknown_keys(path, *table, {"targets"}, "[export]");
    if (const toml::node* targets = table->get("targets")) {
      for (const auto& [name, region] : string_list(path, *targets, "targets")) {
        if (exporter::find_target(name) == nullptr) {
          throw Invalid{fmt::format("{}: unknown export target '{}'; the targets are {}", where(path, region),
                                    echo(name), exporter::target_names())};
        }
        if (std::find(config.targets.begin(), config.targets.end(), name) == config.targets.end()) {
          config.targets.push_back(name);
        }
      }
    }
  }
  const toml::node* lint_node = root.get("lint");
  if (lint_node == nullptr) return config;
  const toml::table* lint = lint_node->as_table();
  if (lint == nullptr) throw Invalid{fmt::format("{}: 'lint' must be a table", where(path, lint_node->source()))};
  reject_unknown_keys(path, *lint,
                      {"select", "ignore", "severity", "touch-count", "no-engagement-branch", "throttle-overrun"},
                      "[lint]");

  std::vector<DiagnosticKind> selected;
  bool select_all = true;
  if (const toml::node* select = lint->get("select")) {
    select_all = false;
    for (const auto& [name, region] : string_list(path, *select, "select")) {
      if (name == "all") {
        select_all = true;
        continue;
      }
      selected.push_back(lint_kind(path, name, region));
    }
  }
  for (const DiagnosticInfo& info : all_diagnostic_kinds()) {
    if (!info.is_lint() || select_all) continue;
    if (std::find(selected.begin(), selected.end(), info.kind) == selected.end()) config.disabled.push_back(info.kind);
  }
  if (const toml::node* ignore = lint->get("ignore")) {
    for (const auto& [name, region] : string_list(path, *ignore, "ignore")) {
      config.disabled.push_back(lint_kind(path, name, region));
    }
  }
  if (const toml::node* severity_node = lint->get("severity")) {
    const toml::table* severities = severity_node->as_table();
    if (severities == nullptr) {
      throw Invalid{fmt::format("{}: '[lint.severity]' must be a table of NAME = \"level\"",
                                where(path, severity_node->source()))};
    }
    for (const auto& [key, value] : *severities) {
      const DiagnosticKind kind = lint_kind(path, key.str(), value.source());
      const auto* level = value.as_string();
      const std::string text = level != nullptr ? level->get() : std::string();
      if (text == "off")
        config.disabled.push_back(kind);
      else if (text == "error")
        config.severity[kind] = Severity::Error;
      else if (text == "warning")
        config.severity[kind] = Severity::Warning;
      else if (text == "info")
        config.severity[kind] = Severity::Info;
      else {
        throw Invalid{fmt::format("{}: the severity of '{}' must be \"error\", \"warning\", \"info\" or \"off\"",
                                  where(path, value.source()), echo(key.str()))};
      }
    }
  }
  if (const toml::node* node = lint->get("touch-count")) {
    const toml::table* table = node->as_table();
    if (table == nullptr)
      throw Invalid{fmt::format("{}: '[lint.touch-count]' must be a table", where(path, node->source()))};
    reject_unknown_keys(path, *table, {"min", "max"}, "[lint.touch-count]");
    if (const toml::node* min = table->get("min"))
      config.options.touch_count_min = static_cast<uint32_t>(positive_integer(path, *min, "min"));
    if (const toml::node* max = table->get("max"))
      config.options.touch_count_max = static_cast<uint32_t>(positive_integer(path, *max, "max"));
    if (config.options.touch_count_min > config.options.touch_count_max) {
      throw Invalid{fmt::format("{}: touch-count 'min' ({}) is larger than 'max' ({})", where(path, node->source()),
                                config.options.touch_count_min, config.options.touch_count_max)};
    }
  }
  if (const toml::node* node = lint->get("no-engagement-branch")) {
    const toml::table* table = node->as_table();
    if (table == nullptr)
      throw Invalid{fmt::format("{}: '[lint.no-engagement-branch]' must be a table", where(path, node->source()))};
    reject_unknown_keys(path, *table, {"emails"}, "[lint.no-engagement-branch]");
    if (const toml::node* emails = table->get("emails")) {
      config.options.no_engagement_emails = static_cast<uint32_t>(positive_integer(path, *emails, "emails"));
      if (config.options.no_engagement_emails < 2) {
        throw Invalid{fmt::format("{}: 'emails' must be at least 2", where(path, emails->source()))};
      }
    }
  }
  if (const toml::node* node = lint->get("throttle-overrun")) {
    const toml::table* table = node->as_table();
    if (table == nullptr)
      throw Invalid{fmt::format("{}: '[lint.throttle-overrun]' must be a table", where(path, node->source()))};
    reject_unknown_keys(path, *table, {"default-email-limit", "email-ceiling"}, "[lint.throttle-overrun]");
    if (const toml::node* ceiling = table->get("email-ceiling")) {
      config.options.email_ceiling_per_day = positive_integer(path, *ceiling, "email-ceiling");
      config.email_ceiling_set = true;
      config.email_ceiling = config.options.email_ceiling_per_day;
      if (config.options.email_ceiling_per_day == 0) {
        throw Invalid{fmt::format("{}: 'email-ceiling' must be at least 1", where(path, ceiling->source()))};
      }
    }
    if (const toml::node* limit = table->get("default-email-limit")) {
      config.options.default_email_limit_per_day = positive_integer(path, *limit, "default-email-limit");
      if (config.options.default_email_limit_per_day == 0) {
        throw Invalid{fmt::format("{}: 'default-email-limit' must be at least 1", where(path, limit->source()))};
      }
    }
  }
  std::sort(config.disabled.begin(), config.disabled.end());
  config.disabled.erase(std::unique(config.disabled.begin(), config.disabled.end()), config.disabled.end());
  return config;
}

}  // namespace

bool Config::is_enabled(DiagnosticKind kind) const {
  return !std::binary_search(disabled.begin(), disabled.end(), kind);
}

std::optional<fs::path> find_config_file(const fs::path& directory) {
  const std::optional<fs::path> holder = nearest_directory_holding(absolute_normal(directory), "cadence.toml");
  if (!holder) return std::nullopt;
  return *holder / "cadence.toml";
}

std::variant<Config, ConfigError> load_config(const fs::path& path) {
  // The real-path rule of sources holds for the configuration too: a
  // cadence.toml that is a link out of its project is not read, and what it
  // holds is not echoed.
  const std::optional<fs::path> real = resolved_path(path);
  const std::optional<fs::path> real_project = resolved_path(absolute_normal(path).parent_path());
  if (real && real_project && !is_within(*real, *real_project)) {
    return ConfigError{
        fmt::format("{}: it is a symbolic link to '{}', outside the project '{}'; a project's "
                    "configuration is not read from outside it",
                    path.string(), real->string(), absolute_normal(path).parent_path().string())};
  }
  try {
    const toml::table root = toml::parse_file(path.string());
    Config config = parse_config(path, root);
    std::vector<std::string> targets = config.targets;
    apply_targets(config, std::move(targets));
    return config;
  } catch (const toml::parse_error& error) {
    return ConfigError{fmt::format("{}: {}", where(path, error.source()), error.description())};
  } catch (const Invalid& invalid) {
    return ConfigError{invalid.message};
  } catch (const std::exception& error) {
    return ConfigError{fmt::format("{}: {}", path.string(), error.what())};
  }
}

void apply_targets(Config& config, std::vector<std::string> targets) {
  config.targets = std::move(targets);
  config.options.email_ceiling_per_day = config.email_ceiling;
  config.options.ceiling_origin.clear();
  config.options.targets_without_branches =
      exporter::targets_without(config.targets, &exporter::Reach::engagement_branches);
  config.options.targets_without_fallbacks = exporter::targets_without(config.targets, &exporter::Reach::fallbacks);
  config.options.targets_without_ooo_pause =
      exporter::targets_without(config.targets, &exporter::Reach::out_of_office_pause);
  const std::optional<exporter::TargetCeiling> ceiling = exporter::targets_ceiling(config.targets);
  if (!ceiling) return;
  if (config.email_ceiling_set && config.email_ceiling <= ceiling->emails_per_day) return;
  config.options.email_ceiling_per_day = ceiling->emails_per_day;
  config.options.ceiling_origin = fmt::format("{}'s {}", ceiling->target->title(), ceiling->target->emails_cap_text());
}

void apply_config(const Config& config, std::vector<Diagnostic>& diagnostics) {
  std::erase_if(diagnostics, [&](const Diagnostic& d) { return d.info().is_lint() && !config.is_enabled(d.kind); });
  for (Diagnostic& diagnostic : diagnostics) {
    if (auto it = config.severity.find(diagnostic.kind); it != config.severity.end()) diagnostic.severity = it->second;
  }
}

}  // namespace cadence
