// Writing .cadence source text from data read elsewhere (an import from a
// platform): string literals, names, durations and the reverse of the
// platforms' variables and HTML, so that what is written parses and checks
// and says what the platform held.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "export/common.hpp"

namespace cadence::importer {

/// `text` as a .cadence string literal: a multi-line `"""` block whose lines
/// are indented by `indent` and whose closing quotes by `closing_indent`,
/// when it spans lines and a block can carry it exactly; else a one-line
/// literal with escapes.
[[nodiscard]] std::string string_literal(std::string_view text, std::string_view indent = "",
                                         std::string_view closing_indent = "");

/// A name for `wanted` that the language accepts (letters, digits and `_`,
/// not starting with a digit, not a reserved word) and that is not in
/// `taken`; it is added to `taken`. Empty or unusable text gives `fallback`.
[[nodiscard]] std::string unique_name(std::string_view wanted, std::string_view fallback, std::set<std::string>& taken);

/// A whole number of minutes as the duration literals of waits and pauses,
/// each at most the language's 30 days: "2d", "90m", or "30d 5d" split into
/// several when longer (the caller writes one `wait` per part).
[[nodiscard]] std::vector<std::string> duration_literals(int64_t minutes);

/// A platform's variables turned back into merge fields: every variable of
/// `variables` becomes `{{ENTITY.field}}` (the record's) or
/// `{{owner.field}}`. Variables with no merge field are written as
/// `[name]` and listed in `unknown`.
struct MergeFields {
  std::string text;
  std::set<std::string> unknown;
};
[[nodiscard]] MergeFields merge_fields_from(std::string_view text, const exporter::Variables& variables,
                                            std::string_view entity);

/// An email body in HTML as the text of a template: paragraphs (<p>, <div>)
/// separated by blank lines, <br> as line breaks, character references
/// decoded, links as "text (url)". `dropped` receives the names of the other
/// elements, whose formatting the text cannot carry.
struct PlainText {
  std::string text;
  std::set<std::string> dropped;
};
[[nodiscard]] PlainText text_from_html(std::string_view html);

}  // namespace cadence::importer
