// Suppression comments:
//   // cadence-ignore: NAME[, NAME]      on the line before, or at the end of the line
//   // cadence-ignore-file: NAME[, NAME] anywhere: the whole file
#pragma once

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

/// Drops the diagnostics of `source` that a suppression covers and reports an
/// `unused-suppression` for every name that covered nothing (unless that kind
/// is in `disabled`, the lints switched off by configuration, which may be on
/// elsewhere). Only lints can be suppressed; errors always show.
void apply_suppressions(const Source& source, std::vector<Diagnostic>& diagnostics,
                        const std::vector<DiagnosticKind>& disabled, bool report_unused);

}  // namespace cadence
