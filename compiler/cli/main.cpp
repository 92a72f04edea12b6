// The `cadence` command: a thin driver over the library, one file per
// subcommand in this folder.
//
// Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.

#include <exception>

#include <fmt/format.h>

#include "cli/common.hpp"

using namespace cadence::cli;

int main(int argc, char** argv) {
  CommandLine line("Cadence: compile, check and lint .cadence sales sequences.", "cadence",
                   std::string("cadence ") + CADENCE_VERSION);
  GlobalOptions global;
  Command program = line.program();
  program.option("--stdlib", global.stdlib, "Directory holding the stdlib (std/*.cadence)")
      .environment("CADENCE_STDLIB")
      .type_name("DIR");
  program
      .option("--color", global.color, "Colour in human output: auto (on a terminal, unless NO_COLOR), always, never")
      .one_of({"auto", "always", "never"})
      .type_name("WHEN");
  program.footer(
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
  commands.push_back(make_schema_command());
  commands.push_back(make_export_command());
  commands.push_back(make_import_command());
  commands.push_back(make_plan_command());
  commands.push_back(make_apply_command());
  std::vector<std::pair<Command, Subcommand*>> declared;
  declared.reserve(commands.size());
  for (auto& command : commands) declared.emplace_back(command->declare(line), command.get());

  if (const std::optional<int> status = line.parse(argc, argv)) return *status;
  try {
    for (const auto& [command, subcommand] : declared) {
      if (command.parsed()) return subcommand->run(global);
    }
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}", e.what()));
    return kExitFailure;
  }
  return kExitFailure;
}
