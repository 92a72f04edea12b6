// The `cadence` command: a thin driver over the library, one file per
// subcommand in this folder.
//
// Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.

#include <exception>

#include <fmt/format.h>

#include "cli/common.hpp"

using namespace cadence::cli;

int main(int argc, char** argv) {
  CLI::App app{"Cadence: compile, check and lint .cadence sales sequences.", "cadence"};
  app.set_version_flag("--version", std::string("cadence ") + CADENCE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions global;
  app.add_option("--stdlib", global.stdlib, "Directory holding the stdlib (std/*.cadence)")
      ->envname("CADENCE_STDLIB")
      ->type_name("DIR");
  app.add_option("--color", global.color,
                 "Colour in human output: auto (on a terminal, unless NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  app.footer(
      "Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.\n"
      "Run 'cadence COMMAND --help' for a command's options.");

  std::vector<std::unique_ptr<Subcommand>> commands;
  commands.push_back(make_check_command());
  commands.push_back(make_rules_command());
  commands.push_back(make_graph_command());
  commands.push_back(make_diff_command());
  commands.push_back(make_simulate_command());
  commands.push_back(make_fmt_command());
  commands.push_back(make_lsp_command());
  commands.push_back(make_explain_command());
  commands.push_back(make_build_command());
  commands.push_back(make_report_command());
  commands.push_back(make_export_command());
  std::vector<std::pair<CLI::App*, Subcommand*>> added;
  added.reserve(commands.size());
  for (auto& command : commands) added.emplace_back(command->add_to(app), command.get());

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitFailure;
  }
  try {
    for (const auto& [parsed, command] : added) {
      if (parsed->parsed()) return command->run(global);
    }
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}", e.what()));
    return kExitFailure;
  }
  return kExitFailure;
}
