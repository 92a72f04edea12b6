// The playground's one entry point into the Cadence library, compiled to
// WebAssembly: a command and a sequence's text in, one JSON document out.
// Every answer comes from the same code the `cadence` command runs, so the
// page shows what `cadence check --format json` and friends print.
//
//   cadence_run("check", text)    {"ok":true,"report":<cadence check --format json>}
//   cadence_run("fmt", text)      {"ok":true,"text":"..."} or {"ok":false,"error":"..."}
//   cadence_run("build", text)    {"ok":true,"plan":<cadence build>}
//   cadence_run("graph", text)    {"ok":true,"dot":"...","mermaid":"..."}
//   cadence_run("simulate", text) {"ok":true,"table":"...","svg":"...","days":[...]}
//   cadence_run("export:T", text) {"ok":true,"export":<cadence export --target T>} (T: outreach, ...)
//   cadence_run("explain:NAME", "") {"ok":true,"text":<cadence explain NAME>}
//
// and, for the editor's hover and completion, the language server itself:
//
//   cadence_lsp(message)          one JSON-RPC message (or an array) in; what
//                                 the server sends back, as an array
//
// The text is checked as /playground/sequence.cadence, with the stdlib the
// build embeds at /stdlib; it stands alone (no project). The returned
// string is owned by the module and valid until the next call.

#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "diag/explain.hpp"
#include "diag/report.hpp"
#include "driver/run.hpp"
#include "emit/graph.hpp"
#include "emit/plan.hpp"
#include "export/target.hpp"
#include "fmt/format.hpp"
#include "lsp/server.hpp"
#include "sim/simulate.hpp"

namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kPath = "/playground/sequence.cadence";
constexpr const char* kStdlib = "/stdlib";

Json failure(std::string message) { return Json{{"ok", false}, {"error", std::move(message)}}; }

/// The text loaded and checked in a workspace of its own.
struct Checked {
  cadence::DiskFileSystem disk;
  cadence::OverlayFileSystem files{&disk};
  std::unique_ptr<cadence::Workspace> workspace;
  std::shared_ptr<const cadence::Module> module;
  const cadence::CheckResult* result = nullptr;

  explicit Checked(std::string text) {
    files.set(kPath, std::move(text));
    workspace = std::make_unique<cadence::Workspace>(files, kStdlib);
    workspace->name_files({kPath});
    module = workspace->load(kPath);
    if (!module->unreadable) result = &cadence::check_module(*module);
  }
  [[nodiscard]] bool clean() const { return result != nullptr && result->error_count == 0; }
};

Json check(const std::string& text) {
  cadence::DiskFileSystem disk;
  cadence::OverlayFileSystem files(&disk);
  files.set(kPath, text);
  cadence::Workspace workspace(files, kStdlib);
  cadence::RunOptions options;
  options.jobs = 1;  // no threads in the browser's module
  cadence::RunResult run = cadence::run_checks(workspace, {kPath}, options);
  if (run.config_error) return failure(*run.config_error);
  std::vector<std::string> paths;
  std::vector<std::vector<cadence::Diagnostic>> diagnostics;
  for (cadence::FileReport& report : run.files) {
    paths.push_back(report.path);
    diagnostics.push_back(std::move(report.diagnostics));
  }
  const auto format = cadence::make_report_format("json", cadence::HumanStyle{false});
  return Json{{"ok", true}, {"report", Json::parse(cadence::render_report(*format, paths, diagnostics))}};
}

Json format(const std::string& text) {
  const cadence::Source source(kPath, text);
  const cadence::FormatResult result = cadence::format_source(source);
  if (!result.errors.empty()) return failure("the text has syntax errors; fix them to format it");
  return Json{{"ok", true}, {"text", result.file_bytes()}};
}

Json with_plan(const std::string& text, const std::function<Json(const cadence::CheckResult&)>& then) {
  const Checked checked(text);
  if (!checked.clean()) return failure("the text has errors; `check` lists them");
  return then(*checked.result);
}

Json run(std::string_view command, const std::string& text) {
  if (command == "check") return check(text);
  if (command == "fmt") return format(text);
  if (command == "build") {
    return with_plan(text, [](const cadence::CheckResult& r) {
      return Json{{"ok", true}, {"plan", cadence::build_plan(r)}};
    });
  }
  if (command == "graph") {
    return with_plan(text, [](const cadence::CheckResult& r) {
      return Json{{"ok", true}, {"dot", cadence::graph_dot(r)}, {"mermaid", cadence::graph_mermaid(r)}};
    });
  }
  if (command == "simulate") {
    return with_plan(text, [](const cadence::CheckResult& r) {
      std::string problem;
      const std::optional<cadence::plan::Plan> plan = cadence::read_plan(cadence::build_plan(r), problem);
      if (!plan) return failure(problem);
      if (plan->sequences.empty()) return failure("the text has no sequence to simulate");
      const cadence::SimulationResult result = cadence::simulate(*plan, cadence::SimulationOptions{});
      return Json{{"ok", true},
                  {"table", cadence::simulation_table(result)},
                  {"svg", cadence::simulation_svg(result)},
                  {"days", cadence::simulation_json(result)}};
    });
  }
  if (command.starts_with("export:")) {
    const cadence::exporter::Target* target = cadence::exporter::find_target(command.substr(7));
    if (target == nullptr) return failure(fmt::format("no export target '{}'", command.substr(7)));
    return with_plan(text, [&](const cadence::CheckResult& r) {
      std::string problem;
      const std::optional<cadence::plan::Plan> plan = cadence::read_plan(cadence::build_plan(r), problem);
      if (!plan) return failure(problem);
      std::vector<cadence::exporter::SequenceExport> sequences;
      for (const cadence::plan::Sequence& sequence : plan->sequences)
        sequences.push_back(target->export_sequence(sequence));
      for (const auto& sequence : sequences) {
        if (!sequence.exportable()) {
          return Json{
              {"ok", false},
              {"error", fmt::format("{} cannot express parts of sequence '{}'", target->title(), sequence.name)},
              {"fidelity", cadence::exporter::fidelity_json(sequence)}};
        }
      }
      return Json{{"ok", true}, {"export", cadence::exporter::export_document(*target, *plan, sequences)}};
    });
  }
  if (command.starts_with("explain:")) {
    const auto kind = cadence::find_diagnostic_kind(command.substr(8));
    if (!kind) return failure(fmt::format("no diagnostic named '{}'", command.substr(8)));
    return Json{{"ok", true}, {"text", cadence::rule_text(*kind)}};
  }
  return failure(fmt::format("unknown command '{}'", command));
}

std::string answer;

std::unique_ptr<cadence::lsp::Server> server;
std::vector<cadence::lsp::Json> sent;

}  // namespace

extern "C" const char* cadence_run(const char* command, const char* text) {
  try {
    answer = run(command, text).dump(-1, ' ', false, Json::error_handler_t::replace);
  } catch (const std::exception& error) {
    answer = failure(fmt::format("internal error: {}", error.what())).dump();
  }
  return answer.c_str();
}

extern "C" const char* cadence_lsp(const char* message) {
  try {
    if (server == nullptr) {
      server =
          std::make_unique<cadence::lsp::Server>(kStdlib, [](const cadence::lsp::Json& out) { sent.push_back(out); });
    }
    const cadence::lsp::Json in = cadence::lsp::Json::parse(message);
    if (in.is_array()) {
      for (const cadence::lsp::Json& each : in) server->handle(each);
    } else {
      server->handle(in);
    }
    answer = cadence::lsp::Json(sent).dump(-1, ' ', false, cadence::lsp::Json::error_handler_t::replace);
  } catch (const std::exception& error) {
    answer = cadence::lsp::Json::array({{{"error", fmt::format("internal error: {}", error.what())}}}).dump();
  }
  sent.clear();
  return answer.c_str();
}
