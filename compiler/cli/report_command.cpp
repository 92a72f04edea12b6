// cadence report: the Dynamics 365 report queries of a project's sequences,
// as FetchXML; with --rank, the sequences ranked from the Web API's answers.

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "cli/common.hpp"
#include "emit/plan.hpp"
#include "emit/rank.hpp"
#include "emit/reports.hpp"
#include "support/escape.hpp"
#include "support/paths.hpp"

namespace cadence::cli {
namespace {

class ReportCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand(
        "report",
        "Print the Dynamics 365 report queries of the sequences (opportunities won and created, enrolments, step "
        "outcomes), or rank the sequences from the answers");
    command.option("paths", paths_, "Files or directories (searched for *.cadence); with --rank, Web API answers")
        .required()
        .type_name("PATH ...");
    command.flag("--rank", rank_,
                 "Read the Web API's JSON answers to the queries and rank the sequences by won amount per enrolled "
                 "record");
    command.option("--format", format_, "Output format").one_of({"text", "json"}).type_name("text|json");
    command.option("--svg", svg_, "With --rank: also write a bar chart of won amount per record here")
        .type_name("FILE");
    command.option("-o,--output", output_, "Write here (atomically) instead of stdout").type_name("OUT");
    command.footer(
        "One set of FetchXML queries covers every sequence of the paths, by sequence and sequence version: the\n"
        "opportunities of the records each enrolled (created on or after the enrolment, each once per version;\n"
        "won amount and pipeline created come from them), the records enrolled, and step outcomes by the step's\n"
        "name in the designer. Deploy each sequence as an msdyn_sequence named like the plan's id, and name each\n"
        "designer step like its label. Run each query with the Web API (GET /api/data/v9.2/<entity set>?fetchXml=\n"
        "...), save the answers, and rank: cadence report --rank opportunities.json enrolled.json [--svg FILE].\n"
        "A file with errors is reported on stderr and nothing is written, as by every command that reads sources.\n"
        "Exit status: 0 printed, 1 a file had errors (or an answer could not be read), 2 I/O failure.");
    return command;
  }

  int run(const GlobalOptions& global) override {
    if (rank_) return rank();
    if (svg_) {
      print_error("--svg goes with --rank");
      return kExitFailure;
    }
    const auto files = collect_files(paths_);
    if (!files) return kExitFailure;
    int status = kExitOk;
    std::vector<std::filesystem::path> inputs;
    struct Listed {
      std::string name;
      std::string file;
      std::string target;
      std::vector<std::string> steps;
    };
    std::vector<Listed> listed;
    for (const std::filesystem::path& file : *files) {
      const CheckedFile checked = check_for_output(global, file.string(), "report");
      if (checked.result == nullptr) {
        status = std::max(status, checked.status);
        continue;
      }
      inputs.insert(inputs.end(), checked.inputs.begin(), checked.inputs.end());
      // The report names the file relative to its project folder, as plans
      // and exports do: the same bytes in every checkout.
      const std::string shown = relative_name(file, project_of(file).root);
      // The steps are the plan's, as the build sheet lists them: a step
      // nothing leads to is never deployed, so it has no outcomes.
      std::string problem;
      const std::optional<plan::Plan> built = read_plan(build_plan(*checked.result), problem);
      if (!built) {
        print_error(fmt::format("{}: {}", shown, problem));
        status = std::max(status, kExitErrors);
        continue;
      }
      for (std::size_t i = 0; i < checked.result->sequences.size() && i < built->sequences.size(); ++i) {
        const SequenceIr& ir = checked.result->sequences[i];
        if (!ir.target) continue;
        Listed item{std::string(ir.sequence->name.text), shown, std::string(ir.target.item->table_name()), {}};
        for (const plan::Step& step : built->sequences[i].steps) {
          if (!step.is_activity()) continue;
          const std::string& id = step.id;
          if (id.size() > kMaxDesignerStepName) {
            // The designer keeps step names of at most 100 characters, so
            // its step-outcome rows could never carry this label.
            print_error(
                fmt::format("{}: sequence '{}': step '{}' is {} characters long; a Dynamics 365 designer "
                            "step name holds at most {}, so its outcomes could not be reported: shorten "
                            "the label",
                            shown, item.name, visible(id), id.size(), kMaxDesignerStepName));
            status = std::max(status, kExitErrors);
          }
          item.steps.push_back(id);
        }
        listed.push_back(std::move(item));
      }
    }
    // Like every command that reads sources, nothing is written from a set
    // of files with errors: a report missing a sequence would look whole.
    if (status != kExitOk) return status;
    std::vector<ReportedSequence> sequences;
    sequences.reserve(listed.size());
    for (const Listed& item : listed) sequences.push_back({item.name, item.target});
    const std::vector<ReportQuery> queries = report_queries(sequences);
    std::string text;
    if (format_ == "json") {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const Listed& item : listed) {
        list.push_back({{"name", item.name},
                        {"id", item.name},
                        {"file", item.file},
                        {"target", item.target},
                        {"steps", item.steps}});
      }
      nlohmann::ordered_json query_list = nlohmann::ordered_json::array();
      for (const ReportQuery& query : queries) {
        query_list.push_back({{"kind", query.kind},
                              {"target", query.target_table.empty() ? nlohmann::ordered_json(nullptr)
                                                                    : nlohmann::ordered_json(query.target_table)},
                              {"fetchxml", query.fetchxml}});
      }
      text = nlohmann::ordered_json{{"sequences", std::move(list)}, {"queries", std::move(query_list)}}.dump(2) + "\n";
    } else {
      text = "sequences (msdyn_sequence names) and their steps (designer step names, msdyn_name):\n";
      for (const Listed& item : listed) {
        text += fmt::format("  {} ({}), enrolling {} records: {}\n", item.name, item.file, item.target,
                            fmt::join(item.steps, ", "));
      }
      for (const ReportQuery& query : queries) {
        if (query.kind == "opportunities") {
          text += fmt::format(
              "\nopportunities of the {} records enrolled, created on or after the enrolment, each once per "
              "sequence and version (won: state 1, actual_value; pipeline created: estimated_value):\n",
              query.target_table);
        } else if (query.kind == "enrolled") {
          text += "\nrecords enrolled, by sequence and version (won amount / records ranks sequences):\n";
        } else {
          text += "\nstep outcomes, by step name, status, sequence and version:\n";
        }
        text += indent(query.fetchxml);
      }
      if (listed.empty()) text += "  (none)\n";
      text +=
          "\nRun each query with the Web API (GET /api/data/v9.2/<entity set>?fetchXml=<query>), save the "
          "answers, then: cadence report --rank ANSWER.json...\n";
    }
    return write_output(output_, text, inputs);
  }

 private:
  int rank() {
    RankingBuilder builder;
    std::vector<std::filesystem::path> inputs;
    const int read = read_json_files(paths_, "ranked", inputs, [&](const nlohmann::json& answer, const std::string&) {
      return builder.add(answer);
    });
    if (read != kExitOk) return read;
    const Ranking ranking = builder.finish();
    if (svg_) {
      const int written = write_output(*svg_, ranking_svg(ranking), inputs);
      if (written != kExitOk) return written;
    }
    const std::string text = format_ == "json" ? ranking_json(ranking).dump(2) + "\n" : ranking_text(ranking);
    return write_output(output_, text, inputs);
  }

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
  bool rank_ = false;
  std::string format_ = "text";
  std::optional<std::string> svg_;
  std::optional<std::string> output_;
};

}  // namespace

std::unique_ptr<Subcommand> make_report_command() { return std::make_unique<ReportCommand>(); }

}  // namespace cadence::cli
