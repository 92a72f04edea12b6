// cadence export: a plan as the requests a sales-engagement platform's API
// accepts, with what was mapped, approximated and dropped.

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "cli/common.hpp"
#include "config/config.hpp"
#include "export/folder.hpp"
#include "export/target.hpp"
#include "support/escape.hpp"
#include "support/paths.hpp"

namespace cadence::cli {
namespace {

using exporter::Fidelity;
using exporter::Finding;
using exporter::SequenceExport;

class ExportCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand(
        "export", "Write the API requests that create a file's sequences on Outreach, Salesloft or HubSpot");
    command.option("file", file_, "A .cadence file, or a JSON plan `cadence build` wrote").required().type_name("FILE");
    command
        .option("--target", target_,
                "The platform; without it, the one target the project's cadence.toml names ([export] targets)")
        .one_of(exporter::target_name_list())
        .type_name("TARGET");
    command
        .option("-o,--output", output_,
                "Write the export document here (atomically) instead of stdout; a directory (existing, or ending "
                "in /) gets a folder per sequence with one file per request body and manifest.json")
        .type_name("OUT");
    command.option("--format", format_, "Format of the fidelity summary")
        .one_of({"text", "json"})
        .type_name("text|json");
    command.footer(
        "The export document lists, per sequence, the requests to replay in order (method, path, body) and\n"
        "the ids each takes from earlier responses (references: JSON Pointers into the body and the response).\n"
        "-o DIR/ writes a folder per sequence instead: NN-<request>.json bodies and manifest.json.\n"
        "The fidelity summary says what was mapped one-to-one, approximated or dropped; it goes to stdout\n"
        "with -o, else to stderr. A construct the platform cannot express (a branch, an SMS step, a merge\n"
        "field it has no variable for) is a target-unsupported error, and nothing is written.\n"
        "See docs/export.md for the mapping tables and the calls to make with the document.\n"
        "Exit status: 0 exported, 1 errors (in the file, or constructs the target cannot express),\n"
        "2 I/O failure.");
    return command;
  }

  int run(const GlobalOptions& global) override {
    std::vector<std::filesystem::path> inputs;
    std::optional<LoadedPlan> plan = load_plan(global, file_, "exported", "export", &inputs);
    // A file that could not be read is an I/O failure; one with errors is not.
    if (!plan) return std::filesystem::is_regular_file(file_) ? kExitErrors : kExitFailure;
    // The export reads the typed plan only: the document's memory goes
    // before the export document's is taken.
    plan->json = nullptr;
    if (target_.empty() && !project_target()) return kExitFailure;
    const exporter::Target& target = *exporter::find_target(target_);
    // A plan names its files relative to the project folder; the terminal
    // names them as from here, when the plan was built from a source now.
    std::optional<std::filesystem::path> shown_base;
    if (file_.ends_with(".cadence")) shown_base = project_of(file_).root;
    std::vector<SequenceExport> sequences;
    std::size_t unsupported = 0;
    for (const cadence::plan::Sequence& sequence : plan->plan.sequences) {
      sequences.push_back(target.export_sequence(sequence));
      unsupported += sequences.back().count(Fidelity::Unsupported);
    }
    const bool to_stdout = !output_ || *output_ == "-";
    std::string summary;
    if (format_ == "json") {
      exporter::Json list = exporter::Json::array();
      for (const SequenceExport& sequence : sequences) {
        list.push_back({{"name", sequence.name},
                        {"exported", sequence.exportable()},
                        {"fidelity", exporter::fidelity_json(sequence)}});
      }
      summary =
          exporter::Json{{"target", target.name()}, {"source", file_}, {"sequences", std::move(list)}}.dump(2) + "\n";
    } else {
      summary = exporter::fidelity_text(target, file_, sequences);
    }
    if (unsupported > 0) {
      // In source order, as `cadence check --target` reports them.
      std::vector<const Finding*> found;
      for (const SequenceExport& sequence : sequences) {
        for (const Finding& finding : sequence.findings) {
          if (finding.fidelity == Fidelity::Unsupported) found.push_back(&finding);
        }
      }
      auto position = [](const Finding* finding) {
        const exporter::Json& at = finding->location;
        return at.is_object()
                   ? std::make_tuple(at.value("file", std::string()), at.value("line", 0), at.value("column", 0))
                   : std::make_tuple(std::string(), 0, 0);
      };
      std::stable_sort(found.begin(), found.end(),
                       [&](const Finding* a, const Finding* b) { return position(a) < position(b); });
      std::string errors;
      for (const Finding* finding : found) errors += error_line(*finding, target, shown_base);
      std::fwrite(errors.data(), 1, errors.size(), stderr);
      if (format_ == "json") std::fwrite(summary.data(), 1, summary.size(), stdout);
      print_error(fmt::format("{} construct{} of '{}' cannot be expressed on {}; nothing exported", unsupported,
                              plural(unsupported), file_, target.title()));
      return kExitErrors;
    }
    const exporter::Json document = exporter::export_document(target, plan->plan, sequences);
    const bool to_directory =
        output_ && !to_stdout && (output_->ends_with('/') || std::filesystem::is_directory(*output_));
    const int written = to_directory ? write_directory(*output_, document, inputs)
                                     : write_output(output_, document.dump(2) + "\n", inputs);
    if (written != kExitOk) return written;
    if (to_stdout) {
      std::fwrite(summary.data(), 1, summary.size(), stderr);
      return kExitOk;
    }
    Output& out = Output::stdout_stream();
    out.write(summary);
    return out.finish(kExitOk);
  }

 private:
  /// The target when none is given: the only one the project configures.
  bool project_target() {
    std::vector<std::string> targets;
    if (const std::optional<std::filesystem::path> config = find_config_file(absolute_normal(file_).parent_path())) {
      std::variant<Config, ConfigError> loaded = load_config(*config);
      if (const ConfigError* error = std::get_if<ConfigError>(&loaded)) {
        print_error(error->message);
        return false;
      }
      targets = std::get<Config>(loaded).targets;
    }
    if (targets.size() == 1) {
      target_ = targets.front();
      return true;
    }
    print_error(targets.empty()
                    ? fmt::format("--target is required: the project of '{}' configures no export target ([export] "
                                  "targets in cadence.toml)",
                                  file_)
                    : fmt::format("--target is required: the project of '{}' configures {} export targets ({})", file_,
                                  targets.size(), fmt::join(targets, ", ")));
    return false;
  }

  /// -o DIR: a folder per sequence (see export/folder.hpp).
  static int write_directory(const std::filesystem::path& directory, const exporter::Json& document,
                             const std::vector<std::filesystem::path>& inputs) {
    std::vector<std::string> notes;
    const std::optional<std::string> failure = exporter::write_export_folders(directory, document, inputs, notes);
    for (const std::string& note : notes) print_warning(note);
    if (failure) {
      print_error(*failure);
      return kExitFailure;
    }
    return kExitOk;
  }

  /// "file:line:column: error: MESSAGE [target-unsupported]" and its help.
  static std::string error_line(const Finding& finding, const exporter::Target& target,
                                const std::optional<std::filesystem::path>& shown_base) {
    std::string where;
    if (finding.location.is_object()) {
      std::string file = finding.location.value("file", std::string());
      if (shown_base) {
        const std::filesystem::path full = absolute_normal(*shown_base / file);
        file = relative_to_current(full).value_or(full.generic_string());
      }
      where = fmt::format("{}:{}:{}: ", file, finding.location.value("line", 0), finding.location.value("column", 0));
    }
    // The message and help quote the user's text: shown as escapes.
    std::string line =
        visible(fmt::format("{}error: {}: {} [target-unsupported]", where, target.name(), finding.message));
    line += '\n';
    if (!finding.help.empty()) line += visible(fmt::format("  help: {}", finding.help)) + "\n";
    return line;
  }

  std::string file_;
  std::string target_;
  std::optional<std::string> output_;
  std::string format_ = "text";
};

}  // namespace

std::unique_ptr<Subcommand> make_export_command() { return std::make_unique<ExportCommand>(); }

}  // namespace cadence::cli
