// cadence rules and cadence explain: the diagnostics table, and one
// diagnostic explained.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "diag/explain.hpp"
#include "support/suggest.hpp"

namespace cadence::cli {
namespace {

class RulesCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand("rules", "List every diagnostic: code, name, severity, summary");
    command.option("--format", format_, "text, json or markdown")
        .one_of({"text", "json", "markdown"})
        .type_name("FORMAT");
    command.footer("Exit status: 0, or 2 when the list cannot be written.");
    return command;
  }

  int run(const GlobalOptions&) override {
    Output& out = Output::stdout_stream();
    if (format_ == "json") {
      nlohmann::ordered_json rules = nlohmann::ordered_json::array();
      for (const DiagnosticInfo& info : all_diagnostic_kinds()) {
        rules.push_back({{"name", info.name},
                         {"code", info.code},
                         {"kind", info.is_lint() ? "lint" : "error"},
                         {"default_severity", severity_name(info.default_severity)},
                         {"summary", info.summary},
                         {"help_uri", rule_help_uri(info.kind)}});
      }
      out.write(rules.dump(2) + "\n");
    } else if (format_ == "markdown") {
      for (const DiagnosticInfo& info : all_diagnostic_kinds()) out.write(rule_markdown(info.kind) + "\n");
    } else {
      for (const DiagnosticInfo& info : all_diagnostic_kinds()) {
        out.write(fmt::format("{:<7} {:<26} {:<8} {}\n", info.code, info.name, severity_name(info.default_severity),
                              info.summary));
      }
    }
    return out.finish(kExitOk);
  }

 private:
  std::string format_ = "text";
};

class ExplainCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand("explain", "Explain a diagnostic: what, why, an example, the fix");
    command.option("name", name_, "A diagnostic name or code, e.g. missing-reply-exit or CAD101")
        .required()
        .type_name("NAME|CODE");
    command.option("--format", format_, "text or markdown (the docs/rules/ page)")
        .one_of({"text", "markdown"})
        .type_name("FORMAT");
    command.footer("Exit status: 0, or 2 when no diagnostic has that name or code.");
    return command;
  }

  int run(const GlobalOptions&) override {
    const auto kind = find_diagnostic_kind(name_);
    if (!kind) {
      std::vector<std::string_view> names;
      for (const DiagnosticInfo& info : all_diagnostic_kinds()) names.push_back(info.name);
      const auto suggestion = closest_name(name_, names);
      print_error(fmt::format("no diagnostic is called '{}'{}; 'cadence rules' lists them all", name_,
                              suggestion ? fmt::format(" (did you mean '{}'?)", *suggestion) : std::string()));
      return kExitFailure;
    }
    Output& out = Output::stdout_stream();
    out.write(format_ == "markdown" ? rule_markdown(*kind) : rule_text(*kind));
    return out.finish(kExitOk);
  }

 private:
  std::string name_;
  std::string format_ = "text";
};

}  // namespace

std::unique_ptr<Subcommand> make_rules_command() { return std::make_unique<RulesCommand>(); }
std::unique_ptr<Subcommand> make_explain_command() { return std::make_unique<ExplainCommand>(); }

}  // namespace cadence::cli
