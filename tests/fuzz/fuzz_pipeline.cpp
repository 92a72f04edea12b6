// libFuzzer target: any bytes as a .cadence file through the whole pipeline:
// parse, imports, check, every lint, configuration and suppressions, every
// output format, the plan (when it compiles: the plan check must accept it),
// and fixes.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "diag/render.hpp"
#include "diag/sarif.hpp"
#include "driver/fix.hpp"
#include "driver/run.hpp"
#include "driver/verify.hpp"
#include "emit/plan.hpp"
#include "fmt/format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cadence;
  static DiskFileSystem disk;
  OverlayFileSystem files(&disk);
  const std::string text(reinterpret_cast<const char*>(data), size);
  files.set("/fuzz/main.cadence", text);
  // An import target too, so that import resolution has something to find.
  files.set("/fuzz/common.cadence", "import \"std/lead\"\ntemplate shared for lead { subject \"a\" body \"b\" }\n");
  Workspace workspace(files, CADENCE_STDLIB_BUILD_DIR);
  RunOptions options;
  options.jobs = 1;
  options.keep_analysis = true;
  options.config_path = std::nullopt;
  const RunResult run = run_checks(workspace, {"/fuzz/main.cadence"}, options);
  for (const FileReport& report : run.files) {
    std::string human;
    for (const Diagnostic& d : report.diagnostics) render_human(human, d, HumanStyle{true});
    (void)json_report({report.path}, report.diagnostics)
        .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    (void)sarif_log(report.diagnostics).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    (void)github_annotations(report.diagnostics);
    if (report.source == nullptr || report.unreadable) continue;
    (void)verify_diagnostics(*report.source, report.diagnostics);
    const std::string fixed = apply_edits(*report.source, safe_fix_edits(*report.source, report.diagnostics));
    (void)unified_diff("main.cadence", report.source->text(), fixed);
    if (report.checked != nullptr && report.checked->error_count == 0) {
      const nlohmann::ordered_json built = build_plan(*report.checked);
      // Every plan build writes is one every reader accepts.
      if (plan_problem(nlohmann::json(built))) __builtin_trap();
      const std::string plan = plan_text(built);
      // The streamed plan is the same document, byte for byte.
      std::string streamed, pending;
      write_plan(*report.checked, pending, [&] {
        streamed += pending;
        pending.clear();
      });
      if (streamed != plan) __builtin_trap();
      // A CRLF checkout compiles to the same plan.
      std::string crlf;
      for (const char c : report.source->text()) {
        if (c == '\n') crlf += '\r';
        crlf += c;
      }
      if (report.source->text().find('\r') == std::string_view::npos) {
        files.set("/fuzz/crlf.cadence", crlf);
        Workspace other(files, CADENCE_STDLIB_BUILD_DIR);
        const RunResult again = run_checks(other, {"/fuzz/crlf.cadence"}, options);
        const FileReport& crlf_report = again.files.front();
        if (crlf_report.checked == nullptr || crlf_report.checked->error_count != 0) __builtin_trap();
        std::string crlf_plan = plan_text(build_plan(*crlf_report.checked));
        // Only the file name differs (plans name it relative to the
        // project folder, /fuzz: a JSON string of its own).
        std::string expected = plan;
        for (std::size_t at = 0; (at = expected.find("\"main.cadence\"", at)) != std::string::npos;) {
          expected.replace(at, 14, "\"crlf.cadence\"");
        }
        if (crlf_plan != expected) __builtin_trap();
      }
    }
    // The formatter must be idempotent on anything it accepts.
    const FormatResult once = format_source(*report.source);
    if (once.errors.empty()) {
      const Source formatted("fuzz.cadence", once.text);
      const FormatResult twice = format_source(formatted);
      if (!twice.errors.empty() || twice.text != once.text) __builtin_trap();
    }
  }
  return 0;
}
