#include "diag/diagnostic.hpp"

#include <algorithm>
#include <array>

namespace cadence {
namespace {

constexpr std::array kTable = {
#define CADENCE_DIAGNOSTIC(identifier, name, code, severity, summary) \
  DiagnosticInfo{DiagnosticKind::identifier, name, code, Severity::severity, summary},
#include "diag/diagnostics.def"
#undef CADENCE_DIAGNOSTIC
};

/// Names a kind had in an earlier release: configurations and suppression
/// comments written with them keep working.
struct FormerName {
  std::string_view name;
  DiagnosticKind kind;
};
constexpr std::array kFormerNames = {
    FormerName{"signal-too-soon", DiagnosticKind::SignalWithoutWindow},
    FormerName{"opens-only", DiagnosticKind::OpenSignalUnreliable},
};

}  // namespace

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
    case Severity::Hint: return "hint";
  }
  return "error";
}

std::span<const DiagnosticInfo> all_diagnostic_kinds() { return kTable; }

const DiagnosticInfo& diagnostic_info(DiagnosticKind kind) { return kTable[static_cast<std::size_t>(kind)]; }

std::optional<DiagnosticKind> find_diagnostic_kind(std::string_view name_or_code) {
  for (const auto& row : kTable) {
    if (row.name == name_or_code || row.code == name_or_code) return row.kind;
  }
  for (const FormerName& former : kFormerNames) {
    if (former.name == name_or_code) return former.kind;
  }
  return std::nullopt;
}

Diagnostic make_diagnostic(DiagnosticKind kind, Location location, std::string message) {
  Diagnostic diagnostic;
  diagnostic.kind = kind;
  diagnostic.severity = diagnostic_info(kind).default_severity;
  diagnostic.location = location;
  diagnostic.message = std::move(message);
  return diagnostic;
}

std::size_t DiagnosticCollector::count(Severity severity) const {
  return static_cast<std::size_t>(std::count_if(diagnostics_.begin(), diagnostics_.end(),
                                                [&](const Diagnostic& d) { return d.severity == severity; }));
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const std::string_view path_a = a.location.source ? std::string_view(a.location.source->path()) : "";
    const std::string_view path_b = b.location.source ? std::string_view(b.location.source->path()) : "";
    if (path_a != path_b) return path_a < path_b;
    if (a.location.span.begin != b.location.span.begin) return a.location.span.begin < b.location.span.begin;
    return static_cast<int>(a.kind) < static_cast<int>(b.kind);
  });
}

}  // namespace cadence
