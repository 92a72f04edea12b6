// `cadence fmt`: one canonical layout. Only whitespace changes (the tokens,
// strings and comments stay as written), so formatting cannot change what a
// file means: items, settings, handlers, statements and arms start lines;
// blocks holding them are indented by two spaces; a block of properties
// (`email e { template t }`) stays on one line unless the author broke it;
// comments stay where they were; at most one blank line is kept.
#pragma once

#include <string>
#include <vector>

#include "diag/diagnostic.hpp"
#include "source/source.hpp"
#include "syntax/parser.hpp"

namespace cadence {

struct FormatResult {
  /// The formatted text (empty when there are errors).
  std::string text;
  /// Syntax errors: a file that does not parse is not formatted.
  std::vector<Diagnostic> errors;
};

[[nodiscard]] FormatResult format_source(const Source& source);

}  // namespace cadence
