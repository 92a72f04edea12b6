// cadence graph: draw a file's sequences as Graphviz DOT or Mermaid.

#include "cli/common.hpp"
#include "emit/graph.hpp"

namespace cadence::cli {
namespace {

class GraphCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand("graph", "Draw a file's sequences as Graphviz DOT or Mermaid");
    command.option("file", file_, "The .cadence file").required().type_name("FILE");
    command.option("--format", format_, "dot (Graphviz) or mermaid (renders on GitHub)")
        .one_of({"dot", "mermaid"})
        .type_name("FORMAT");
    command.option("-o,--output", output_, "Write here (atomically) instead of stdout").type_name("OUT");
    command.footer(
        "Render DOT with Graphviz: cadence graph seq.cadence | dot -Tsvg > seq.svg\n"
        "Exit status: 0 drawn, 1 the file has errors, 2 I/O failure.");
    return command;
  }

  int run(const GlobalOptions& global) override {
    const CheckedFile checked = check_for_output(global, file_, "graph");
    if (checked.result == nullptr) return checked.status;
    return write_output(output_, format_ == "mermaid" ? graph_mermaid(*checked.result) : graph_dot(*checked.result),
                        checked.inputs);
  }

 private:
  std::string file_;
  std::string format_ = "dot";
  std::optional<std::string> output_;
};

}  // namespace

std::unique_ptr<Subcommand> make_graph_command() { return std::make_unique<GraphCommand>(); }

}  // namespace cadence::cli
