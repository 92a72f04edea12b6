// The one file that includes CLI11 (see cli/options.hpp).

#include "cli/options.hpp"

#include <CLI/CLI.hpp>

namespace cadence::cli {

Option& Option::required() {
  option_->required();
  return *this;
}

Option& Option::type_name(std::string_view name) {
  option_->type_name(std::string(name));
  return *this;
}

Option& Option::one_of(std::vector<std::string> values) {
  option_->check(CLI::IsMember(std::move(values)));
  return *this;
}

template <typename Number>
Option& Option::range(Number low, Number high) {
  option_->check(CLI::Range(low, high));
  return *this;
}
template Option& Option::range<int>(int, int);
template Option& Option::range<double>(double, double);

Option& Option::environment(std::string_view variable) {
  option_->envname(std::string(variable));
  return *this;
}

namespace {

template <typename T>
Option add(CLI::App* app, std::string_view names, T& into, std::string_view help) {
  return Option(app->add_option(std::string(names), into, std::string(help)));
}

}  // namespace

Option Command::option(std::string_view names, std::string& into, std::string_view help) {
  return add(app_, names, into, help);
}
Option Command::option(std::string_view names, std::optional<std::string>& into, std::string_view help) {
  return add(app_, names, into, help);
}
Option Command::option(std::string_view names, std::vector<std::string>& into, std::string_view help) {
  return add(app_, names, into, help);
}
Option Command::option(std::string_view names, int& into, std::string_view help) {
  return add(app_, names, into, help);
}
Option Command::option(std::string_view names, unsigned& into, std::string_view help) {
  return add(app_, names, into, help);
}
Option Command::option(std::string_view names, uint64_t& into, std::string_view help) {
  return add(app_, names, into, help);
}
Option Command::option(std::string_view names, double& into, std::string_view help) {
  return add(app_, names, into, help);
}
Option Command::option(std::string_view names, std::optional<double>& into, std::string_view help) {
  return add(app_, names, into, help);
}

void Command::flag(std::string_view names, bool& into, std::string_view help) {
  app_->add_flag(std::string(names), into, std::string(help));
}

void Command::footer(std::string_view text) { app_->footer(std::string(text)); }

bool Command::parsed() const { return app_->parsed(); }

CommandLine::CommandLine(std::string_view description, std::string_view name, std::string_view version)
    : app_(std::make_unique<CLI::App>(std::string(description), std::string(name))) {
  app_->set_version_flag("--version", std::string(version));
  app_->require_subcommand(1);
  app_->fallthrough();
}

CommandLine::~CommandLine() = default;

Command CommandLine::program() { return Command(app_.get()); }

Command CommandLine::subcommand(std::string_view name, std::string_view description) {
  return Command(app_->add_subcommand(std::string(name), std::string(description)));
}

std::optional<int> CommandLine::parse(int argc, char** argv) {
  try {
    app_->parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app_->exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app_->exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app_->exit(e);
  } catch (const CLI::ParseError& e) {
    app_->exit(e);
    return 2;  // usage
  }
  return std::nullopt;
}

}  // namespace cadence::cli
