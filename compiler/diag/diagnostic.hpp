// Diagnostics: the table of kinds, the Diagnostic value every phase produces,
// and the consumer interface phases report through (never stderr).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "source/source.hpp"

namespace cadence {

/// Severities use the Language Server Protocol's numbering so that JSON and
/// LSP output need no mapping.
enum class Severity : uint8_t { Error = 1, Warning = 2, Info = 3, Hint = 4 };

[[nodiscard]] std::string_view severity_name(Severity severity);

enum class DiagnosticKind : uint16_t {
#define CADENCE_DIAGNOSTIC(identifier, name, code, severity, summary) identifier,
#include "diag/diagnostics.def"
#undef CADENCE_DIAGNOSTIC
};

/// One row of the diagnostics table.
struct DiagnosticInfo {
  DiagnosticKind kind;
  std::string_view name;
  std::string_view code;
  Severity default_severity;
  std::string_view summary;

  /// Lints are the configurable kinds: everything that is not an error by
  /// default. Errors cannot be ignored or suppressed.
  [[nodiscard]] bool is_lint() const { return default_severity != Severity::Error; }
};

/// Every row of the table, in declaration order.
[[nodiscard]] std::span<const DiagnosticInfo> all_diagnostic_kinds();
[[nodiscard]] const DiagnosticInfo& diagnostic_info(DiagnosticKind kind);
/// Looks a kind up by its public name or its code.
[[nodiscard]] std::optional<DiagnosticKind> find_diagnostic_kind(std::string_view name_or_code);

/// A range in one source. `source` may be null for diagnostics about a file
/// that could not be read at all.
struct Location {
  const Source* source = nullptr;
  Span span;
};

/// A secondary message, optionally pointing somewhere else (LSP related information).
struct Note {
  std::string message;
  std::optional<Location> location;
};

/// One text replacement.
struct Edit {
  Location location;
  std::string replacement;
};

/// A change that resolves the diagnostic. `safe` fixes can be applied without review.
struct Fix {
  std::string title;
  std::vector<Edit> edits;
  bool safe = true;
};

struct Diagnostic {
  DiagnosticKind kind = DiagnosticKind::Syntax;
  Severity severity = Severity::Error;
  Location location;
  std::string message;
  std::vector<Note> notes;
  /// A short suggestion such as "did you mean 'intro'?".
  std::optional<std::string> help;
  std::vector<Fix> fixes;

  [[nodiscard]] const DiagnosticInfo& info() const { return diagnostic_info(kind); }
};

/// Creates a diagnostic with the kind's default severity.
[[nodiscard]] Diagnostic make_diagnostic(DiagnosticKind kind, Location location, std::string message);

/// Where phases send what they find.
class DiagnosticConsumer {
 public:
  virtual ~DiagnosticConsumer() = default;
  virtual void consume(Diagnostic diagnostic) = 0;
};

/// Keeps every diagnostic it is given.
/// Diagnostics kept for one file; beyond this many, the rest are counted and
/// left out, so a hostile file cannot exhaust memory through its findings.
inline constexpr std::size_t kMaxDiagnosticsPerFile = 1000;

class DiagnosticCollector final : public DiagnosticConsumer {
 public:
  DiagnosticCollector() = default;
  /// Keeps at most `limit` diagnostics and counts the others.
  explicit DiagnosticCollector(std::size_t limit) : limit_(limit) {}
  void consume(Diagnostic diagnostic) override {
    if (diagnostics_.size() >= limit_) {
      ++omitted_;
      return;
    }
    diagnostics_.push_back(std::move(diagnostic));
  }
  /// How many were left out for the limit.
  [[nodiscard]] std::size_t omitted() const { return omitted_; }
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  [[nodiscard]] std::vector<Diagnostic> take() { return std::move(diagnostics_); }
  [[nodiscard]] std::size_t count(Severity severity) const;

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t limit_ = static_cast<std::size_t>(-1);
  std::size_t omitted_ = 0;
};

/// Orders diagnostics by file path, then position, then kind: the order every
/// output format uses, so that output is stable.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

}  // namespace cadence
