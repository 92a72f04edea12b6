#include "diag/render.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

namespace cadence {
namespace {

struct Colors {
  const char* reset = "";
  const char* bold = "";
  const char* severity = "";
  const char* note = "";
  const char* help = "";
  const char* gutter = "";
};

Colors colors_for(const HumanStyle& style, Severity severity) {
  if (!style.color) return {};
  Colors c;
  c.reset = "\x1b[0m";
  c.bold = "\x1b[1m";
  c.severity = severity == Severity::Error ? "\x1b[1;31m" : severity == Severity::Warning ? "\x1b[1;35m" : "\x1b[1;36m";
  c.note = "\x1b[1;36m";
  c.help = "\x1b[1;32m";
  c.gutter = "\x1b[1;34m";
  return c;
}

std::string location_prefix(const Location& location) {
  if (location.source == nullptr) return "cadence";
  const HumanPosition position = location.source->human_position(location.span.begin);
  return fmt::format("{}:{}:{}", location.source->path(), position.line, position.column);
}

/// The source line of the location's start, and a marker line with a caret
/// under the first character of the range and tildes under the rest of it
/// (clipped to the line).
void append_snippet(std::string& out, const Location& location, const Colors& colors, const char* marker_color) {
  if (location.source == nullptr || location.source->text().empty()) return;
  const Source& source = *location.source;
  const uint32_t line = source.line_of(location.span.begin);
  const std::string_view text = source.line_text(line);
  const uint32_t line_begin = source.line_start(line);
  const uint32_t start = std::min<uint32_t>(location.span.begin - line_begin, static_cast<uint32_t>(text.size()));
  const uint32_t end = std::clamp<uint32_t>(location.span.end > line_begin ? location.span.end - line_begin : start,
                                            start, static_cast<uint32_t>(text.size()));
  const std::string number = std::to_string(line + 1);
  const std::string pad(number.size(), ' ');
  out += fmt::format("{} {} |{} {}\n", colors.gutter, number, colors.reset, text);
  std::string marker;
  for (uint32_t i = 0; i < start;) {
    const unsigned length = utf8_sequence_length(static_cast<unsigned char>(text[i]));
    marker += text[i] == '\t' ? '\t' : ' ';
    i += length;
  }
  marker += '^';
  bool first = true;
  for (uint32_t i = start; i < end;) {
    const unsigned length = utf8_sequence_length(static_cast<unsigned char>(text[i]));
    if (!first) marker += '~';
    first = false;
    i += length;
  }
  out += fmt::format("{} {} |{} {}{}{}\n", colors.gutter, pad, colors.reset, marker_color, marker, colors.reset);
}

}  // namespace

void render_human(std::string& out, const Diagnostic& diagnostic, const HumanStyle& style) {
  const Colors colors = colors_for(style, diagnostic.severity);
  out += fmt::format("{}{}:{} {}{}:{} {}{}{} [{}]\n", colors.bold, location_prefix(diagnostic.location), colors.reset,
                     colors.severity, severity_name(diagnostic.severity), colors.reset, colors.bold,
                     diagnostic.message, colors.reset, diagnostic.info().name);
  append_snippet(out, diagnostic.location, colors, colors.severity);
  for (const Note& note : diagnostic.notes) {
    if (note.location) {
      out += fmt::format("{}{}:{} {}note:{} {}\n", colors.bold, location_prefix(*note.location), colors.reset,
                         colors.note, colors.reset, note.message);
      append_snippet(out, *note.location, colors, colors.note);
    } else {
      out += fmt::format("  = {}note:{} {}\n", colors.note, colors.reset, note.message);
    }
  }
  if (diagnostic.help) out += fmt::format("  = {}help:{} {}\n", colors.help, colors.reset, *diagnostic.help);
}

nlohmann::json lsp_range(const Location& location, PositionEncoding encoding) {
  if (location.source == nullptr) {
    return {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}};
  }
  const LspPosition start = location.source->lsp_position(location.span.begin, encoding);
  const LspPosition end = location.source->lsp_position(std::max(location.span.end, location.span.begin), encoding);
  return {{"start", {{"line", start.line}, {"character", start.character}}},
          {"end", {{"line", end.line}, {"character", end.character}}}};
}

std::string file_uri(const std::string& path) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  const std::string text = (error ? std::filesystem::path(path) : absolute.lexically_normal()).generic_string();
  std::string uri = "file://";
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri;
}

nlohmann::json lsp_diagnostic(const Diagnostic& diagnostic, PositionEncoding encoding) {
  nlohmann::json result = {{"range", lsp_range(diagnostic.location, encoding)},
                           {"severity", static_cast<int>(diagnostic.severity)},
                           {"code", diagnostic.info().code},
                           {"source", "cadence"},
                           {"message", diagnostic.message}};
  nlohmann::json data = {{"name", diagnostic.info().name}};
  if (diagnostic.help) data["help"] = *diagnostic.help;
  if (!diagnostic.fixes.empty()) {
    nlohmann::json fixes = nlohmann::json::array();
    for (const Fix& fix : diagnostic.fixes) {
      nlohmann::json edits = nlohmann::json::array();
      for (const Edit& edit : fix.edits) {
        edits.push_back({{"range", lsp_range(edit.location, encoding)}, {"newText", edit.replacement}});
      }
      fixes.push_back({{"title", fix.title}, {"safe", fix.safe}, {"edits", edits}});
    }
    data["fixes"] = fixes;
  }
  result["data"] = data;
  nlohmann::json related = nlohmann::json::array();
  for (const Note& note : diagnostic.notes) {
    if (!note.location || note.location->source == nullptr) continue;
    related.push_back({{"location", {{"uri", file_uri(note.location->source->path())},
                                     {"range", lsp_range(*note.location, encoding)}}},
                       {"message", note.message}});
  }
  if (!related.empty()) result["relatedInformation"] = related;
  return result;
}

nlohmann::json json_report(const std::vector<std::string>& paths, const std::vector<Diagnostic>& diagnostics) {
  std::map<std::string, nlohmann::json> by_path;
  for (const std::string& path : paths) by_path.emplace(path, nlohmann::json::array());
  std::size_t errors = 0, warnings = 0, infos = 0;
  for (const Diagnostic& diagnostic : diagnostics) {
    const std::string path = diagnostic.location.source ? diagnostic.location.source->path() : std::string();
    auto [it, inserted] = by_path.emplace(path, nlohmann::json::array());
    it->second.push_back(lsp_diagnostic(diagnostic, PositionEncoding::Utf16));
    switch (diagnostic.severity) {
      case Severity::Error: ++errors; break;
      case Severity::Warning: ++warnings; break;
      default: ++infos; break;
    }
  }
  nlohmann::json files = nlohmann::json::array();
  for (auto& [path, list] : by_path) files.push_back({{"path", path}, {"diagnostics", std::move(list)}});
  return {{"version", 1},
          {"files", std::move(files)},
          {"summary", {{"files", paths.size()}, {"errors", errors}, {"warnings", warnings}, {"infos", infos}}}};
}

}  // namespace cadence
