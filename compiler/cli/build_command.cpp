// cadence build: compile a file into its JSON plan.

#include <fmt/format.h>

#include "cli/common.hpp"
#include "emit/plan.hpp"

namespace cadence::cli {
namespace {

class BuildCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand("build", "Compile a .cadence file into a JSON plan");
    command.option("file", file_, "The .cadence file").required().type_name("FILE");
    command.option("-o,--output", output_, "Write the plan here (atomically) instead of stdout").type_name("OUT");
    command.footer(
        "No plan is written when the file has errors (a sequence name another file of the project defines\n"
        "too is one), and never over one of the files it reads.\n"
        "Exit status: 0 plan written, 1 errors, 2 I/O failure.");
    return command;
  }

  int run(const GlobalOptions& global) override {
    const CheckedFile checked = check_for_output(global, file_, "plan");
    if (checked.result == nullptr) return checked.status;
    auto destination = Destination::open(output_, checked.inputs);
    if (destination == nullptr) return kExitFailure;
    // The plan streams out step by step: memory holds one step, not the document.
    std::string pending;
    write_plan(*checked.result, pending, [&] {
      destination->write(pending);
      pending.clear();
    });
    return destination->finish(kExitOk);
  }

 private:
  std::string file_;
  std::optional<std::string> output_;
};

}  // namespace

std::unique_ptr<Subcommand> make_build_command() { return std::make_unique<BuildCommand>(); }

}  // namespace cadence::cli
