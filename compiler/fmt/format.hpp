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
  /// The formatted text (empty when there are errors), with the source's
  /// line ends: CRLF throughout when the source uses CRLF, else LF. Line
  /// ends inside multi-line strings and block comments follow suit.
  std::string text;
  /// Whether the source had a byte order mark (not part of `text`).
  bool bom = false;
  /// Syntax errors: a file that does not parse is not formatted.
  std::vector<Diagnostic> errors;

  /// What a formatted file holds: `text` after the byte order mark, if any.
  [[nodiscard]] std::string file_bytes() const;
};

/// Formats a source. The layout is computed on LF text, so formatting a CRLF
/// file is idempotent and gives the same layout as the LF file.
[[nodiscard]] FormatResult format_source(const Source& source);

/// The bytes of a source file as read: its text after its byte order mark.
[[nodiscard]] std::string original_file_bytes(const Source& source);

}  // namespace cadence
