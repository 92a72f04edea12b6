// libFuzzer target: a JSON plan, through everything that reads plans: the
// bounded JSON reader, the one plan check, the simulator (its calendar and
// every output), the plan diff (against itself: no changes), every export
// target, and the export folder writer.
//
// A custom mutator edits plans as JSON (a number made extreme, a name made a
// path, a member dropped or doubled), so that mutations of the seed plans
// stay plans and reach the consumers; bytes that are not JSON get libFuzzer's
// own mutations. Whatever the plan check accepts must then be safe to
// consume: exports never throw, every number in a request body is at least
// 0, the summary carries no control character, and the folder writer writes
// nothing outside its folder.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/dynamics.hpp"
#include "driver/plan_diff.hpp"
#include "emit/plan.hpp"
#include "export/folder.hpp"
#include "export/target.hpp"
#include "import/importer.hpp"
#include "sim/simulate.hpp"
#include "support/json_input.hpp"
#include "syntax/parser.hpp"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

void collect(Json& node, std::vector<Json*>& nodes) {
  nodes.push_back(&node);
  if (node.is_object() || node.is_array()) {
    for (auto& child : node) collect(child, nodes);
  }
}

/// Values that sit on the edges of what plans allow, or past them.
Json extreme_number(std::mt19937_64& random, const Json& current) {
  static const std::vector<Json> kNumbers{0,
                                          -1,
                                          1,
                                          -1440,
                                          43200,
                                          43201,
                                          1e81,
                                          0.5,
                                          INT64_MAX,
                                          INT64_MIN,
                                          UINT64_MAX,
                                          int64_t{1} << 42,
                                          (int64_t{1} << 42) + 1,
                                          1000000000,
                                          1000000001,
                                          10,
                                          90,
                                          100};
  if (current.is_number_integer() && random() % 3 == 0) {
    // One step up or down, wrapping at the ends of 64 bits.
    const auto value = static_cast<uint64_t>(current.get<int64_t>());
    return static_cast<int64_t>(random() % 2 ? value + 1 : value - 1);
  }
  return kNumbers[random() % kNumbers.size()];
}

Json odd_string(std::mt19937_64& random, const Json& current, const std::vector<Json*>& nodes) {
  static const std::vector<std::string> kStrings{"",
                                                 ".",
                                                 "..",
                                                 "../victim",
                                                 "x/../../victim",
                                                 "/tmp/abs",
                                                 "a b",
                                                 "Outbound",
                                                 std::string(300, 'a'),
                                                 "\xF0\x9F\x9A\x80\xF0\x9F\x9A\x80",
                                                 "bye\x1b[2J",
                                                 "::error file=x::y",
                                                 "{% if x %}",
                                                 "\xEF\xBF\xBE",
                                                 "s.wait1",
                                                 "end",
                                                 "email",
                                                 "business",
                                                 "handoff"};
  switch (random() % 4) {
    case 0: {
      // Another string of the plan: references that resolve, or collide.
      std::vector<const Json*> strings;
      for (const Json* node : nodes) {
        if (node->is_string()) strings.push_back(node);
      }
      if (!strings.empty()) return *strings[random() % strings.size()];
      break;
    }
    case 1:
      if (current.is_string()) {
        std::string text = current.get<std::string>();
        for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return text;
      }
      break;
    default: break;
  }
  return kStrings[random() % kStrings.size()];
}

/// True when every integer below `node` is at least 0.
bool no_negative(const nlohmann::ordered_json& node) {
  if (node.is_number_integer()) return node.get<int64_t>() >= 0;
  if (node.is_number_float()) return node.get<double>() >= 0;
  if (node.is_object() || node.is_array()) {
    for (const auto& child : node) {
      if (!no_negative(child)) return false;
    }
  }
  return true;
}

/// A scratch folder for the folder writer, with a sentinel beside it.
struct Sandbox {
  fs::path root;
  Sandbox() {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    root = base / ("cadence-fuzz-plan-" + std::to_string(::getpid()));
    fs::create_directories(root / "sentinel");
  }
  /// Nothing was written beside `out`, or into the sentinel.
  [[nodiscard]] bool intact() const {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(root, error)) {
      const std::string name = entry.path().filename().string();
      if (name != "out" && name != "sentinel") return false;
    }
    return fs::is_empty(root / "sentinel", error);
  }
};

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  std::string error;
  auto plan = cadence::parse_json_input(std::string_view(reinterpret_cast<const char*>(data), size), error);
  std::mt19937_64 random(seed);
  if (!plan || random() % 8 == 0) return LLVMFuzzerMutate(data, size, max_size);
  std::vector<Json*> nodes;
  collect(*plan, nodes);
  for (int edits = 1 + static_cast<int>(random() % 3); edits > 0; --edits) {
    Json& node = *nodes[random() % nodes.size()];
    if (node.is_number()) {
      node = extreme_number(random, node);
    } else if (node.is_string()) {
      node = odd_string(random, node, nodes);
    } else if (node.is_boolean()) {
      node = !node.get<bool>();
    } else if (node.is_null()) {
      node = random() % 2 ? Json(0) : Json::object();
    } else if (node.is_array() && !node.empty()) {
      const std::size_t at = random() % node.size();
      if (random() % 2) {
        node.erase(at);
      } else {
        node.push_back(node[at]);
      }
    } else if (node.is_object() && !node.empty()) {
      auto it = node.begin();
      std::advance(it, static_cast<long>(random() % node.size()));
      if (random() % 2) {
        node.erase(it);
      } else {
        *it = nullptr;
      }
    }
    // The tree changed: the next edit looks again.
    nodes.clear();
    collect(*plan, nodes);
  }
  const std::string text = plan->dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::copy(text.begin(), text.end(), data);
  return text.size();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cadence;
  static const Sandbox sandbox;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  // The same bytes as a connections file (`apply --connect`): read or
  // refused with a sentence that shows no raw control character.
  std::string problem;
  const auto connections = deploy::read_connections(text, problem);
  if (!connections) {
    for (const char c : problem) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') __builtin_trap();  // a tab stays a tab
    }
  }
  const auto plan = parse_json_input(text, error);
  if (!plan || !plan->is_object()) return 0;
  // The same JSON as a platform's read: whatever it holds, each importer
  // answers with findings or with source that parses without an error.
  for (const std::string& platform : importer::source_names()) {
    const importer::Result imported = importer::import_from(platform, {importer::Input{"read.json", *plan}});
    if (!imported.source.empty()) {
      const Source source("imported.cadence", imported.source);
      DiagnosticCollector collector;
      (void)parse(source, collector);
      if (!collector.take().empty()) __builtin_trap();
    } else if (imported.problems() == 0) {
      __builtin_trap();  // nothing written must say why
    }
  }
  std::string read_problem;
  const std::optional<cadence::plan::Plan> typed = read_plan(*plan, read_problem);
  const bool accepted = typed.has_value();
  // Same plan, same answer: a well-formed plan compared with itself has no
  // changes.
  if (accepted && !diff_plans(*plan, *plan).empty()) __builtin_trap();
  if (accepted) {
    for (const exporter::Target* target : exporter::all_targets()) {
      // Anything thrown here is a plan the check should have refused.
      std::vector<exporter::SequenceExport> sequences;
      for (const auto& sequence : typed->sequences) sequences.push_back(target->export_sequence(sequence));
      const exporter::Json document = exporter::export_document(*target, *typed, sequences);
      (void)document.dump(2);  // strict UTF-8: throws on a cut character
      for (const auto& sequence : document.at("sequences")) {
        for (const auto& request : sequence.at("requests")) {
          if (!no_negative(request.at("body"))) __builtin_trap();
        }
      }
      for (const char c : exporter::fidelity_text(*target, "plan", sequences)) {
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n') __builtin_trap();
      }
      bool exportable = true;
      for (const auto& sequence : sequences) exportable = exportable && sequence.exportable();
      if (exportable && target->name() == "outreach") {
        std::vector<std::string> notes;
        (void)exporter::write_export_folders(sandbox.root / "out", document, {}, notes);
        if (!sandbox.intact()) __builtin_trap();
        std::error_code ignored;
        fs::remove_all(sandbox.root / "out", ignored);
      }
    }
  }
  if (accepted) {
    // Dynamics 365: the requests of apply and the build sheet, for any
    // well-formed plan; the same plan gives the same sheet.
    const deploy::DynamicsTarget dynamics(connections ? *connections : std::vector<deploy::Connection>{});
    for (const auto& sequence : typed->sequences) {
      (void)dynamics.export_sequence(sequence);
      if (deploy::build_sheet(sequence) != deploy::build_sheet(sequence)) __builtin_trap();
    }
  }
  SimulationOptions options;
  options.days = 21;
  options.seed = size;
  options.enroll_per_day = 25;  // keep runs short
  try {
    if (!typed) return 0;
    const SimulationResult result = simulate(*typed, options);
    (void)simulation_table(result);
    (void)simulation_json(result).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    (void)simulation_svg(result);
    if (result.days.size() != static_cast<std::size_t>(options.days)) __builtin_trap();
  } catch (const std::runtime_error&) {
    // Refused with a message: fine.
  }
  return 0;
}
