// The command line's options, declared without the command-line library.
//
// CLI11 is a header-only library whose templates cost each file that uses
// them more to compile than the rest of the file: the subcommands declare
// their options through this interface, and cli/options.cpp is the one file
// that includes CLI11 and instantiates it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace cadence::cli {

/// One option being declared; each setter returns the option again.
class Option {
 public:
  explicit Option(CLI::Option* option) : option_(option) {}
  /// The command fails without it.
  Option& required();
  /// Its value in --help: FILE, N, FORMAT...
  Option& type_name(std::string_view name);
  /// Only these values are accepted.
  Option& one_of(std::vector<std::string> values);
  /// Only numbers from `low` to `high` are accepted (int or double: the
  /// type --help names).
  template <typename Number>
  Option& range(Number low, Number high);
  /// Read from this environment variable when not given.
  Option& environment(std::string_view variable);

 private:
  CLI::Option* option_;
};

/// A command (the program, or one subcommand) whose options are declared.
/// `names` is "--long", "-s,--long", or a positional name ("file").
class Command {
 public:
  explicit Command(CLI::App* app) : app_(app) {}
  Option option(std::string_view names, std::string& into, std::string_view help);
  Option option(std::string_view names, std::optional<std::string>& into, std::string_view help);
  Option option(std::string_view names, std::vector<std::string>& into, std::string_view help);
  Option option(std::string_view names, int& into, std::string_view help);
  Option option(std::string_view names, unsigned& into, std::string_view help);
  Option option(std::string_view names, uint64_t& into, std::string_view help);
  Option option(std::string_view names, double& into, std::string_view help);
  Option option(std::string_view names, std::optional<double>& into, std::string_view help);
  void flag(std::string_view names, bool& into, std::string_view help);
  /// Text after the options in --help.
  void footer(std::string_view text);
  /// Whether this subcommand was the one given.
  [[nodiscard]] bool parsed() const;

 private:
  CLI::App* app_;
};

/// The program's command line: its own options and its subcommands.
class CommandLine {
 public:
  CommandLine(std::string_view description, std::string_view name, std::string_view version);
  ~CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  /// The program's own options (before the subcommand).
  [[nodiscard]] Command program();
  [[nodiscard]] Command subcommand(std::string_view name, std::string_view description);
  /// Parses the arguments. Returns nothing when a subcommand is to run;
  /// else the exit status, after printing help, the version or the error.
  [[nodiscard]] std::optional<int> parse(int argc, char** argv);

 private:
  std::unique_ptr<CLI::App> app_;
};

}  // namespace cadence::cli
