// cadence report: the Dynamics 365 reports of each sequence, as FetchXML.

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "cli/common.hpp"
#include "emit/reports.hpp"
#include "support/paths.hpp"

namespace cadence::cli {
namespace {

class ReportCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand("report",
                                      "Print each sequence's Dynamics 365 report queries (won pipeline, enrolments, "
                                      "step outcomes)");
    command.option("paths", paths_, "Files or directories (searched for *.cadence)").required().type_name("PATH ...");
    command.option("--format", format_, "Output format").one_of({"text", "json"}).type_name("text|json");
    command.option("-o,--output", output_, "Write here (atomically) instead of stdout").type_name("OUT");
    command.footer(
        "Each query is FetchXML aggregate a Dynamics 365 organisation runs (Advanced Find, the Web API's\n"
        "?fetchXml=, or a report): the won amount and count of opportunities that came from records the\n"
        "sequence enrolled, the records enrolled, and step outcomes, each by sequence version. The\n"
        "sequence is found by name: deploy it as an msdyn_sequence named like the plan's id.\n"
        "Files with errors are reported on stderr and skipped.\n"
        "Exit status: 0 printed, 1 a file had errors, 2 I/O failure.");
    return command;
  }

  int run(const GlobalOptions& global) override {
    const auto files = collect_files(paths_);
    if (!files) return kExitFailure;
    int status = kExitOk;
    std::string text;
    nlohmann::ordered_json sequences = nlohmann::ordered_json::array();
    std::vector<std::filesystem::path> inputs;
    for (const std::filesystem::path& file : *files) {
      const CheckedFile checked = check_for_output(global, file.string(), "report");
      if (checked.result == nullptr) {
        status = std::max(status, checked.status);
        continue;
      }
      inputs.insert(inputs.end(), checked.inputs.begin(), checked.inputs.end());
      // The report names the file relative to its project folder, as plans
      // and exports do: the same bytes in every checkout.
      const std::string shown = relative_name(file, project_directory(file));
      for (const SequenceIr& ir : checked.result->sequences) {
        if (!ir.target) continue;
        const std::string_view name = ir.sequence->name.text;
        const SequenceReports reports = sequence_reports(name, ir.target.item->table_name());
        std::vector<std::string> steps;
        for (const IrNode& node : ir.nodes) {
          if (node.stmt != nullptr && is_activity(node.kind)) steps.push_back(node.id);
        }
        if (format_ == "json") {
          sequences.push_back({{"name", name},
                               {"id", name},
                               {"file", shown},
                               {"target", ir.target.item->table_name()},
                               {"steps", steps},
                               {"reports", reports_json(reports)}});
          continue;
        }
        text += fmt::format("sequence {} ({}), enrolling {} records\n", name, shown, ir.target.item->table_name());
        text += fmt::format("  steps (msdyn_sequencestepid): {}\n\n", fmt::join(steps, ", "));
        if (reports.attribution.empty()) {
          text += fmt::format(
              "  won pipeline: none; no opportunity refers to {} records (only lead, contact, account and "
              "opportunity targets have one)\n\n",
              ir.target.item->table_name());
        } else {
          text += "  won pipeline (sum and count of won opportunities, by segment and version):\n";
          text += indent(reports.attribution) + "\n";
        }
        text += "  records enrolled (by segment and version; won amount / records ranks sequences):\n";
        text += indent(reports.enrolled) + "\n";
        text += "  step outcomes (step instances by step, status and version):\n";
        text += indent(reports.step_outcomes) + "\n";
      }
    }
    if (format_ == "json") text = nlohmann::ordered_json{{"sequences", sequences}}.dump(2) + "\n";
    const int written = write_output(output_, text, inputs);
    return written != kExitOk ? written : status;
  }

 private:
  static std::string indent(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      const std::size_t stop = end == std::string_view::npos ? text.size() : end;
      out += "    ";
      out.append(text.substr(start, stop - start));
      out += '\n';
      start = stop + 1;
    }
    return out;
  }

  std::vector<std::string> paths_;
  std::string format_ = "text";
  std::optional<std::string> output_;
};

}  // namespace

std::unique_ptr<Subcommand> make_report_command() { return std::make_unique<ReportCommand>(); }

}  // namespace cadence::cli
