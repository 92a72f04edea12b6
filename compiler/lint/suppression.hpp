// Suppression comments:
//   // cadence-ignore: NAME[, NAME]      on the line before, or at the end of the line
//   // cadence-ignore-file: NAME[, NAME] anywhere: the whole file
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.hpp"
#include "source/source.hpp"

namespace cadence {

struct Suppression {
  struct Entry {
    std::string name;
    Span span;
    bool used = false;
    /// The kind the name (or code, or former name) stands for, if any.
    std::optional<DiagnosticKind> kind = std::nullopt;
  };
  Span comment;
  bool whole_file = false;
  /// The 0-based line the suppression applies to (unless whole_file).
  uint32_t line = 0;
  std::vector<Entry> names;
};

/// Finds the suppression comments of a source (comments inside strings are
/// not comments).
[[nodiscard]] std::vector<Suppression> find_suppressions(const Source& source);

/// False when the text cannot hold a suppression comment (a quick scan).
[[nodiscard]] bool may_have_suppressions(std::string_view text);

/// The suppressions of one source, applied to its diagnostics in one or
/// more batches (a file's own, then what rules across files add), then
/// judged: a name that covered nothing is an `unused-suppression`.
class Suppressions {
 public:
  explicit Suppressions(const Source& source) : source_(&source), list_(find_suppressions(source)) {}

  /// Drops the diagnostics of the source that a suppression covers,
  /// recording which names were used. Only lints can be suppressed.
  void apply(std::vector<Diagnostic>& diagnostics);
  /// An `unused-suppression` for every name that covered nothing (unless its
  /// kind is in `disabled`: lints switched off by configuration may be on
  /// elsewhere).
  [[nodiscard]] std::vector<Diagnostic> unused(const std::vector<DiagnosticKind>& disabled) const;
  [[nodiscard]] bool empty() const { return list_.empty(); }
  /// The source the diagnostics point into; may be replaced by an identical
  /// copy (a file read again).
  void rebind(const Source& source) { source_ = &source; }

 private:
  const Source* source_;
  std::vector<Suppression> list_;
};

/// Suppressions::apply, then, if `report_unused`, its unused() added.
void apply_suppressions(const Source& source, std::vector<Diagnostic>& diagnostics,
                        const std::vector<DiagnosticKind>& disabled, bool report_unused);

}  // namespace cadence
