// The long-form documentation of every diagnostic kind: what it finds, why it
// matters, an example and the fix. `cadence explain`, `cadence rules`, SARIF
// rule metadata and docs/rules/ are all generated from it.
#pragma once

#include <string>
#include <string_view>

#include "diag/diagnostic.hpp"

namespace cadence {

/// What an example file starts with before its own text (so that examples
/// show what matters to them, and stay whole files).
enum class Preamble : uint8_t {
  None,
  Lead,              // import "std/lead"
  LeadWithTemplate,  // ... and a template `t` for leads
};

struct Explanation {
  std::string_view what;     // what it finds (a paragraph)
  std::string_view why;      // why it matters
  std::string_view example;  // a .cadence file that triggers it (after the preamble)
  std::string_view fix;      // how to fix it
  Preamble preamble = Preamble::None;
};

[[nodiscard]] const Explanation& explanation(DiagnosticKind kind);

/// The whole example file of a kind: the preamble, then the example.
[[nodiscard]] std::string example_file(DiagnosticKind kind);

/// The kind's page as Markdown (docs/rules/NAME.md).
[[nodiscard]] std::string rule_markdown(DiagnosticKind kind);
/// The kind's page as plain text (`cadence explain`).
[[nodiscard]] std::string rule_text(DiagnosticKind kind);

/// Where the kind's documentation page lives: $CADENCE_DOCS_URL + NAME.md when
/// set, else the docs/rules page installed with the binary (or in the source
/// tree it was built from), as a file:// URI.
[[nodiscard]] std::string rule_help_uri(DiagnosticKind kind);
/// The URI of a page of the docs (same base as rule_help_uri, one level up).
[[nodiscard]] std::string docs_uri(std::string_view page);

}  // namespace cadence
