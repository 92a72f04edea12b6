// cadence schema import: a tenant's Dataverse schema as `entity` declarations.

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "cli/common.hpp"
#include "driver/schema_import.hpp"
#include "support/escape.hpp"

namespace cadence::cli {
namespace {

class SchemaCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand(
        "schema", "Write a tenant's Dataverse tables (custom columns, customised choices) as entity declarations");
    command.option("action", action_, "What to do").required().one_of({"import"}).type_name("import");
    command.option("files", files_, "The Web API's metadata answers (JSON)").required().type_name("FILE ...");
    command.option("-o,--output", output_, "Write here (atomically) instead of stdout").type_name("OUT.cadence");
    command.footer(
        "Reads, per table, the answer of GET EntityDefinitions(LogicalName='lead')?$expand=Attributes and the\n"
        "answers of .../Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata (and State..., Status...)\n"
        "?$expand=OptionSet,GlobalOptionSet, and writes one `entity` per table with its columns, its choice\n"
        "values (named from their labels) and links between the tables read. Import the file instead of\n"
        "std/lead, std/account...: it replaces them. What has no Cadence type is left out, with a note.\n"
        "Exit status: 0 written, 1 an answer could not be read, 2 I/O failure.");
    return command;
  }

  int run(const GlobalOptions&) override {
    SchemaImport schema;
    std::vector<std::filesystem::path> inputs;
    const int read = read_json_files(
        files_, "imported", inputs,
        [&](const nlohmann::json& answer, const std::string& file) { return schema.add(answer, file); });
    if (read != kExitOk) return read;
    std::vector<std::string> notes;
    const std::string text = schema.write(notes);
    for (const std::string& note : notes) print_warning(visible(note));
    return write_output(output_, text, inputs);
  }

 private:
  std::string action_;
  std::vector<std::string> files_;
  std::optional<std::string> output_;
};

}  // namespace

std::unique_ptr<Subcommand> make_schema_command() { return std::make_unique<SchemaCommand>(); }

}  // namespace cadence::cli
