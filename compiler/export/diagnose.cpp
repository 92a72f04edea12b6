#include "export/diagnose.hpp"

#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "emit/plan.hpp"
#include "export/target.hpp"

namespace cadence::exporter {
namespace {

std::optional<ast::SettingKind> setting_kind(std::string_view subject) {
  if (subject == "title") return ast::SettingKind::Title;
  if (subject == "segment") return ast::SettingKind::Segment;
  if (subject == "team") return ast::SettingKind::Team;
  if (subject == "enroll") return ast::SettingKind::Enroll;
  if (subject == "calendar") return ast::SettingKind::Calendar;
  if (subject.starts_with("limit:")) return ast::SettingKind::Limit;
  return std::nullopt;
}

using StepSpans = std::unordered_map<std::string_view, Span>;

/// Where a finding's subject is written: the step, the setting or the
/// handler; else the sequence's name.
Span subject_span(const SequenceIr& ir, const StepSpans& steps, std::string_view subject) {
  if (const auto it = steps.find(subject); it != steps.end()) return it->second;
  if (const auto kind = setting_kind(subject)) {
    const std::string_view channel = subject.starts_with("limit:") ? subject.substr(6) : std::string_view();
    for (const ast::Setting& setting : ir.sequence->settings) {
      if (setting.kind == *kind && (channel.empty() || setting.word.text == channel)) return setting.span;
    }
  }
  if (subject.starts_with("handler:")) {
    for (const ast::Handler* handler : ir.handlers) {
      if (handler->event.text == subject.substr(8)) return handler->span;
    }
  }
  return ir.sequence->name.span;
}

}  // namespace

void check_targets(const CheckResult& checked, std::span<const std::string> targets, DiagnosticConsumer& out) {
  if (targets.empty() || checked.sequences.empty()) return;
  std::string problem;
  // A plan the compiler builds always reads (the fuzzers hold it to that).
  const std::optional<plan::Plan> plan = read_plan(build_plan(checked), problem);
  if (!plan) return;
  const std::vector<plan::Sequence>& sequences = plan->sequences;
  for (const std::string& name : targets) {
    const Target* target = find_target(name);
    if (target == nullptr) continue;
    for (std::size_t i = 0; i < checked.sequences.size() && i < sequences.size(); ++i) {
      const SequenceIr& ir = checked.sequences[i];
      const SequenceExport exported = target->export_sequence(sequences[i]);
      StepSpans steps;  // built once per sequence: findings are many on a long one
      for (const IrNode& node : ir.nodes) {
        if (node.stmt != nullptr) steps.emplace(node.id, node.stmt->span);
      }
      for (const Finding& finding : exported.findings) {
        const bool unsupported = finding.fidelity == Fidelity::Unsupported;
        if (!unsupported && !finding.warn) continue;
        Diagnostic diagnostic =
            make_diagnostic(unsupported ? DiagnosticKind::TargetUnsupported : DiagnosticKind::TargetApproximated,
                            Location{ir.module->source.get(), subject_span(ir, steps, finding.subject)},
                            fmt::format("{}: {}", target->name(), finding.message));
        if (!finding.help.empty()) diagnostic.help = finding.help;
        out.consume(std::move(diagnostic));
      }
    }
  }
}

}  // namespace cadence::exporter
