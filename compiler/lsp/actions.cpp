// Code actions (quick fixes and suppressions) and document formatting.

#include <fmt/format.h>

#include "diag/render.hpp"
#include "fmt/format.hpp"
#include "lint/suppression.hpp"
#include "lsp/server.hpp"

namespace cadence::lsp {

Json Server::code_action(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  Document* document = analysed(uri);
  const FileReport* file = document == nullptr ? nullptr : document->report();
  if (file == nullptr || file->unreadable || file->module == nullptr) return Json::array();
  const FileReport& report = *file;
  const Source& source = *report.module->source;
  const Json& range = require(params, "range");
  const uint32_t begin = source_offset(*document, require(range, "start"));
  const uint32_t end = source_offset(*document, require(range, "end"));
  Json actions = Json::array();
  for (const Diagnostic& diagnostic : report.diagnostics) {
    if (diagnostic.location.source != &source) continue;
    const Span span = diagnostic.location.span;
    if (span.end < begin || span.begin > end) continue;
    Json lsp = lsp_diagnostic(diagnostic, encoding_);
    for (const Fix& fix : diagnostic.fixes) {
      Json edits = Json::object();
      for (const Edit& edit : fix.edits) {
        if (edit.location.source == nullptr) continue;
        const std::string edit_uri = edit.location.source == &source ? uri : file_uri(edit.location.source->path());
        if (!edits.contains(edit_uri)) edits[edit_uri] = Json::array();
        // The file's own line ends: no LF lines in a CRLF file.
        edits[edit_uri].push_back({{"range", range_of(edit.location)},
                                   {"newText", with_line_ends_of(*edit.location.source, edit.replacement)}});
      }
      actions.push_back({{"title", fix.title},
                         {"kind", "quickfix"},
                         {"diagnostics", Json::array({lsp})},
                         {"isPreferred", fix.safe},
                         {"edit", {{"changes", edits}}}});
    }
    if (diagnostic.info().is_lint()) {
      // Suppress on this line: extend a trailing suppression, or add one.
      const uint32_t line = source.line_of(span.begin);
      const std::string_view line_text = source.line_text(line);
      const uint32_t line_end = source.line_start(line) + static_cast<uint32_t>(line_text.size());
      std::string insertion = fmt::format(" // cadence-ignore: {}", diagnostic.info().name);
      for (const Suppression& suppression : find_suppressions(source)) {
        if (!suppression.whole_file && suppression.line == line && source.line_of(suppression.comment.begin) == line &&
            !suppression.names.empty()) {
          insertion.clear();
          const Span last = suppression.names.back().span;
          actions.push_back({{"title", fmt::format("Suppress {} on this line", diagnostic.info().name)},
                             {"kind", "quickfix"},
                             {"diagnostics", Json::array({lsp})},
                             {"edit",
                              {{"changes",
                                {{uri, Json::array({{{"range", range_of(Location{&source, {last.end, last.end}})},
                                                     {"newText", fmt::format(", {}", diagnostic.info().name)}}})}}}}}});
          break;
        }
      }
      if (!insertion.empty()) {
        actions.push_back({{"title", fmt::format("Suppress {} on this line", diagnostic.info().name)},
                           {"kind", "quickfix"},
                           {"diagnostics", Json::array({lsp})},
                           {"edit",
                            {{"changes",
                              {{uri, Json::array({{{"range", range_of(Location{&source, {line_end, line_end}})},
                                                   {"newText", insertion}}})}}}}}});
      }
    }
  }
  return actions;
}

Json Server::formatting(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  auto it = documents_.find(uri);
  if (it == documents_.end()) return nullptr;
  const Document& document = it->second;
  const Source source(document.path.string(), document.text.text());
  // The formatter keeps the file's line ends (CRLF stays CRLF), as `cadence fmt` does.
  const FormatResult formatted = format_source(source);
  if (!formatted.errors.empty()) return nullptr;  // the diagnostics already say why
  if (formatted.text == source.text()) return Json::array();
  // One edit replacing the whole text (after a byte order mark, which stays).
  const LspPosition end = source.lsp_position(static_cast<uint32_t>(source.text().size()), encoding_);
  return Json::array(
      {{{"range",
         {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", end.line}, {"character", end.character}}}}},
        {"newText", formatted.text}}});
}

}  // namespace cadence::lsp
