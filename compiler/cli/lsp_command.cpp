// cadence lsp: the language server on standard input and output.

#include "cli/common.hpp"
#include "lsp/server.hpp"

namespace cadence::cli {
namespace {

class LspCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand("lsp", "Run the language server (LSP 3.17) on standard input and output");
    command.option("--debounce", debounce_ms_, "Milliseconds of quiet before diagnostics are published")
        .range(0, 10000)
        .type_name("MS");
    command.footer("Exit status: 0 after shutdown and exit, 1 when the client leaves without shutdown.");
    return command;
  }

  int run(const GlobalOptions& global) override { return lsp::run_server(0, 1, global.stdlib_dir(), debounce_ms_); }

 private:
  // A check costs 5 to 25 ms (a 5,000-line file; an edit in a 200-file
  // project of hand-offs, p99): the pause only gathers a burst of keys
  // (auto-repeat is about 30 a second), so that diagnostics follow each
  // typed word without waiting behind each key. docs/performance.md.
  int debounce_ms_ = 30;
};

}  // namespace

std::unique_ptr<Subcommand> make_lsp_command() { return std::make_unique<LspCommand>(); }

}  // namespace cadence::cli
