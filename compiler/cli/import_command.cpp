// cadence import: sequences as a platform's read API returns them, turned
// into .cadence source, with what was mapped, approximated and dropped.

#include <fmt/format.h>

#include "cli/common.hpp"
#include "import/importer.hpp"
#include "support/escape.hpp"

namespace cadence::cli {
namespace {

using importer::Fidelity;

std::string where(const importer::Finding& finding) {
  if (finding.file.empty()) return "input";
  return finding.pointer.empty() ? finding.file : fmt::format("{}#{}", finding.file, finding.pointer);
}

class ImportCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand(
        "import", "Turn sequences read from HubSpot's, Outreach's or Salesloft's API into .cadence source");
    command.option("--from", from_, "The platform the files come from")
        .required()
        .one_of(importer::source_names())
        .type_name("PLATFORM");
    command.option("files", files_, "The platform's JSON answers: one document, or several read separately")
        .required()
        .type_name("FILE...");
    command.option("-o,--output", output_, "Write the .cadence source here (atomically) instead of stdout")
        .type_name("OUT.cadence");
    command
        .option("--ids", ids_,
                "Also write the platform's ids of what was read (JSON), by sequence and by the request `cadence "
                "export` writes for each record")
        .type_name("IDS.json");
    command.option("--format", format_, "Format of the summary").one_of({"text", "json"}).type_name("text|json");
    command.footer(
        "HubSpot: the sequence's read, GET /automation/sequences/2026-09-beta/serviceaccounts/sequences/{id},\n"
        "and the email templates its steps name, GET /automation/email-templates/2026-09-beta/{id} (each\n"
        "alone, or the list read's `results`).\n"
        "Outreach: the answers of GET /api/v2/sequences/{id}?include=sequenceSteps.sequenceTemplates.template,\n"
        "or of the separate reads of the sequence, its sequenceSteps, their sequenceTemplates and the\n"
        "templates (JSON:API documents; resources in `data` and `included`).\n"
        "Salesloft: the cadence export, GET /v2/cadence_exports/{id}.json (everything in\n"
        "data.cadence_content), and optionally the cadence's read, GET /v2/cadences/{id}.json, for its id.\n"
        "The summary says, for every construct read, where it was (FILE#JSON-Pointer) and whether the\n"
        "language maps it one to one, approximates it or drops it; it goes to stdout with -o, else to\n"
        "stderr. Steps are labelled by kind and position (email_1, call_2); the ids keep the link to the\n"
        "platform's records. See docs/import.md.\n"
        "Exit status: 0 written, 1 the input cannot be imported (not a document of the platform, a\n"
        "template or step missing), 2 I/O failure.");
    return command;
  }

  int run(const GlobalOptions&) override {
    std::vector<std::filesystem::path> inputs;
    std::vector<importer::Input> documents;
    const int read =
        read_json_files(files_, "imported", inputs, [&](const nlohmann::json& document, const std::string& file) {
          documents.push_back({file, document});
          return std::optional<std::string>();
        });
    if (read != kExitOk) return read;
    const importer::Result result = importer::import_from(from_, documents);
    if (result.problems() > 0) {
      for (const importer::Finding& finding : result.findings) {
        if (finding.fidelity != Fidelity::Unsupported) continue;
        print_error(fmt::format("{}: {}", where(finding), visible(finding.message)));
        if (!finding.help.empty()) std::fputs(fmt::format("  help: {}\n", visible(finding.help)).c_str(), stderr);
      }
      print_error(
          fmt::format("{} problem{} in the input; nothing imported", result.problems(), plural(result.problems())));
      return kExitErrors;
    }
    if (ids_) {
      const int written = write_output(ids_, result.identities.dump(2) + "\n", inputs);
      if (written != kExitOk) return written;
    }
    const int written = write_output(output_, result.source, inputs);
    if (written != kExitOk) return written;
    const std::string text = summary(result);
    if (!output_ || *output_ == "-") {
      std::fwrite(text.data(), 1, text.size(), stderr);
      return kExitOk;
    }
    Output& out = Output::stdout_stream();
    out.write(text);
    return out.finish(kExitOk);
  }

 private:
  std::string summary(const importer::Result& result) const {
    std::size_t counts[4] = {};
    for (const importer::Finding& finding : result.findings) ++counts[static_cast<int>(finding.fidelity)];
    if (format_ == "json") {
      nlohmann::ordered_json findings = nlohmann::ordered_json::array();
      for (const importer::Finding& finding : result.findings) {
        findings.push_back({{"fidelity", exporter::fidelity_name(finding.fidelity)},
                            {"file", finding.file},
                            {"pointer", finding.pointer},
                            {"message", finding.message},
                            {"help", finding.help}});
      }
      return nlohmann::ordered_json{{"from", from_},
                                    {"sequences", result.sequences},
                                    {"templates", result.templates},
                                    {"findings", std::move(findings)}}
                 .dump(2) +
             "\n";
    }
    std::string out =
        fmt::format("imported from {}: {} sequence{}, {} template{}: {} mapped, {} approximated, {} dropped\n",
                    exporter::find_target(from_)->title(), result.sequences, plural(result.sequences), result.templates,
                    plural(result.templates), counts[static_cast<int>(Fidelity::Mapped)],
                    counts[static_cast<int>(Fidelity::Approximated)], counts[static_cast<int>(Fidelity::Dropped)]);
    for (const importer::Finding& finding : result.findings) {
      out += fmt::format("  {:<13} {}: {}\n", exporter::fidelity_name(finding.fidelity), visible(where(finding)),
                         visible(finding.message));
      if (!finding.help.empty()) out += fmt::format("  {:<13} help: {}\n", "", visible(finding.help));
    }
    return out;
  }

  std::string from_;
  std::vector<std::string> files_;
  std::optional<std::string> output_;
  std::optional<std::string> ids_;
  std::string format_ = "text";
};

}  // namespace

std::unique_ptr<Subcommand> make_import_command() { return std::make_unique<ImportCommand>(); }

}  // namespace cadence::cli
