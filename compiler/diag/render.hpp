// Turning diagnostics into text for people and JSON for machines.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "diag/diagnostic.hpp"

namespace cadence {

struct HumanStyle {
  bool color = false;
};

/// Renders one diagnostic the way compilers do:
///   path:line:col: severity: message [name]
///      12 |   source line
///         |   ^~~~
/// followed by notes and help. Appends to `out`.
void render_human(std::string& out, const Diagnostic& diagnostic, const HumanStyle& style);

/// The LSP range of a location (0-based lines, characters in `encoding`).
[[nodiscard]] nlohmann::ordered_json lsp_range(const Location& location, PositionEncoding encoding);

/// A path as the path of a URI: every byte outside the unreserved set
/// (letters, digits, - _ . ~) and `/` percent-encoded.
[[nodiscard]] std::string uri_encode_path(std::string_view path);

/// A file:// URI for a path (made absolute, percent-encoded).
[[nodiscard]] std::string file_uri(const std::string& path);

/// The LSP Diagnostic object of `diagnostic`, plus data.name (and data.help
/// and data.fixes where present).
[[nodiscard]] nlohmann::ordered_json lsp_diagnostic(const Diagnostic& diagnostic, PositionEncoding encoding);
/// The same object as JSON text, laid out as nlohmann::json's dump(2) lays
/// it out `depth` levels deep in a document; appended to `out`.
void append_lsp_diagnostic(std::string& out, const Diagnostic& diagnostic, PositionEncoding encoding,
                           std::size_t depth);

/// The one JSON document `cadence check --format json` prints. `paths` names
/// every file checked (files without diagnostics appear with an empty list);
/// `diagnostics` must be sorted with sort_diagnostics.
[[nodiscard]] nlohmann::ordered_json json_report(const std::vector<std::string>& paths,
                                                 const std::vector<Diagnostic>& diagnostics);

}  // namespace cadence
