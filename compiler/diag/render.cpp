#include "diag/render.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "support/escape.hpp"
#include "support/json_writer.hpp"
#include "support/paths.hpp"

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
  return fmt::format("{}:{}:{}", visible(location.source->path()), position.line, position.column);
}

/// Columns of a source line shown; longer lines are cut around the range
/// with "..." so that a minified or generated line cannot flood output, and
/// so that rendering costs the window, not the line.
constexpr uint32_t kSnippetColumns = 120;

/// The source line of the location's start, and a marker line with a caret
/// under the first character of the range and tildes under the rest of it
/// (clipped to the line). Control, bidirectional and zero-width characters
/// show as escapes (`\u{1b}`) and invalid UTF-8 as `\x{ff}`, so what a
/// terminal shows is what the file holds and nothing in it acts on the
/// terminal.
void append_snippet(std::string& out, const Location& location, const Colors& colors, const char* marker_color) {
  if (location.source == nullptr || location.source->text().empty()) return;
  const Source& source = *location.source;
  const uint32_t line = source.line_of(location.span.begin);
  const std::string_view text = source.line_text(line);
  const uint32_t line_begin = source.line_start(line);
  const uint32_t start = std::min<uint32_t>(location.span.begin - line_begin, static_cast<uint32_t>(text.size()));
  const uint32_t end = std::clamp<uint32_t>(location.span.end > line_begin ? location.span.end - line_begin : start,
                                            start, static_cast<uint32_t>(text.size()));
  // The window starts up to a third of its width before the range.
  auto is_continuation = [&](std::size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
  std::size_t first = start;
  for (uint32_t back = 0; first > 0 && back < kSnippetColumns / 3; ++back) {
    --first;
    for (int k = 0; k < 3 && first > 0 && is_continuation(first); ++k) --first;
  }
  std::string shown, marker;
  if (first > 0) {
    shown += "...";
    marker += "   ";
  }
  uint32_t columns = 0;
  bool caret_drawn = false;
  std::size_t i = first;
  while (i < text.size() && (columns < kSnippetColumns || i <= start)) {
    const VisibleGlyph glyph = visible_glyph(text, i);
    const char c = text[i];
    append_visible_glyph(shown, text, i, glyph);
    if (i < start) {
      if (c == '\t')
        marker += '\t';
      else
        marker.append(glyph.columns, ' ');
    } else if (i < end || (!caret_drawn && i == start)) {
      marker += caret_drawn ? '~' : '^';
      if (glyph.columns > 1) marker.append(glyph.columns - 1, '~');
      caret_drawn = true;
    }
    columns += glyph.columns;
    i += glyph.bytes;
  }
  if (i < text.size()) shown += "...";
  if (!caret_drawn) marker += '^';  // an empty range, or one at the end of the line
  const std::string number = std::to_string(line + 1);
  const std::string pad(number.size(), ' ');
  out += fmt::format("{} {} |{} {}\n", colors.gutter, number, colors.reset, shown);
  out += fmt::format("{} {} |{} {}{}{}\n", colors.gutter, pad, colors.reset, marker_color, marker, colors.reset);
}

}  // namespace

void render_human(std::string& out, const Diagnostic& diagnostic, const HumanStyle& style) {
  const Colors colors = colors_for(style, diagnostic.severity);
  out += fmt::format("{}{}:{} {}{}:{} {}{}{} [{}]\n", colors.bold, location_prefix(diagnostic.location), colors.reset,
                     colors.severity, severity_name(diagnostic.severity), colors.reset, colors.bold,
                     visible(diagnostic.message), colors.reset, diagnostic.info().name);
  append_snippet(out, diagnostic.location, colors, colors.severity);
  for (const Note& note : diagnostic.notes) {
    if (note.location) {
      out += fmt::format("{}{}:{} {}note:{} {}\n", colors.bold, location_prefix(*note.location), colors.reset,
                         colors.note, colors.reset, visible(note.message));
      append_snippet(out, *note.location, colors, colors.note);
    } else {
      out += fmt::format("  = {}note:{} {}\n", colors.note, colors.reset, visible(note.message));
    }
  }
  if (diagnostic.help) out += fmt::format("  = {}help:{} {}\n", colors.help, colors.reset, visible(*diagnostic.help));
}

namespace {

/// The LSP range and diagnostic, described once for both sinks (JsonWriter
/// streams the text, JsonBuilder makes the protocol's document).
template <typename Sink>
void write_position(Sink& out, const LspPosition& position) {
  out.begin_object();
  out.member("line", static_cast<int64_t>(position.line));
  out.member("character", static_cast<int64_t>(position.character));
  out.end_object();
}

template <typename Sink>
void write_range(Sink& out, const Location& location, PositionEncoding encoding) {
  LspPosition start{0, 0};
  LspPosition end{0, 0};
  if (location.source != nullptr) {
    start = location.source->lsp_position(location.span.begin, encoding);
    end = location.source->lsp_position(std::max(location.span.end, location.span.begin), encoding);
  }
  out.begin_object();
  out.key("start");
  write_position(out, start);
  out.key("end");
  write_position(out, end);
  out.end_object();
}

}  // namespace

nlohmann::ordered_json lsp_range(const Location& location, PositionEncoding encoding) {
  return build_json([&](JsonBuilder& out) { write_range(out, location, encoding); });
}

std::string uri_encode_path(std::string_view path) {
  std::string uri;
  uri.reserve(path.size());
  for (const char raw : path) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri;
}

std::string file_uri(const std::string& path) {
  return "file://" + uri_encode_path(absolute_normal(path).generic_string());
}

namespace {

template <typename Sink>
void write_lsp_diagnostic(Sink& out, const Diagnostic& diagnostic, PositionEncoding encoding) {
  out.begin_object();
  out.key("range");
  write_range(out, diagnostic.location, encoding);
  out.member("severity", static_cast<int64_t>(diagnostic.severity));
  out.member("code", diagnostic.info().code);
  out.member("source", "cadence");
  out.member("message", std::string_view(diagnostic.message));
  out.key("data");
  out.begin_object();
  out.member("name", diagnostic.info().name);
  if (diagnostic.help) out.member("help", std::string_view(*diagnostic.help));
  if (!diagnostic.fixes.empty()) {
    out.key("fixes");
    out.begin_array();
    for (const Fix& fix : diagnostic.fixes) {
      out.begin_object();
      out.member("title", std::string_view(fix.title));
      out.member("safe", fix.safe);
      out.key("edits");
      out.begin_array();
      for (const Edit& edit : fix.edits) {
        out.begin_object();
        out.key("range");
        write_range(out, edit.location, encoding);
        out.member("newText", std::string_view(edit.replacement));
        out.end_object();
      }
      out.end_array();
      out.end_object();
    }
    out.end_array();
  }
  out.end_object();
  const auto related = [](const Note& note) { return note.location && note.location->source != nullptr; };
  if (std::any_of(diagnostic.notes.begin(), diagnostic.notes.end(), related)) {
    out.key("relatedInformation");
    out.begin_array();
    for (const Note& note : diagnostic.notes) {
      if (!related(note)) continue;
      out.begin_object();
      out.key("location");
      out.begin_object();
      out.member("uri", std::string_view(file_uri(note.location->source->path())));
      out.key("range");
      write_range(out, *note.location, encoding);
      out.end_object();
      out.member("message", std::string_view(note.message));
      out.end_object();
    }
    out.end_array();
  }
  out.end_object();
}

}  // namespace

nlohmann::ordered_json lsp_diagnostic(const Diagnostic& diagnostic, PositionEncoding encoding) {
  return build_json([&](JsonBuilder& out) { write_lsp_diagnostic(out, diagnostic, encoding); });
}

void append_lsp_diagnostic(std::string& out, const Diagnostic& diagnostic, PositionEncoding encoding,
                           std::size_t depth) {
  JsonWriter writer(out, depth);
  write_lsp_diagnostic(writer, diagnostic, encoding);
}

nlohmann::ordered_json json_report(const std::vector<std::string>& paths, const std::vector<Diagnostic>& diagnostics) {
  std::map<std::string, nlohmann::ordered_json> by_path;
  for (const std::string& path : paths)
    by_path.emplace(percent_encode_invalid_utf8(path), nlohmann::ordered_json::array());
  std::size_t errors = 0, warnings = 0, infos = 0;
  for (const Diagnostic& diagnostic : diagnostics) {
    const std::string path =
        diagnostic.location.source ? percent_encode_invalid_utf8(diagnostic.location.source->path()) : std::string();
    auto [it, inserted] = by_path.emplace(path, nlohmann::ordered_json::array());
    it->second.push_back(lsp_diagnostic(diagnostic, PositionEncoding::Utf16));
    switch (diagnostic.severity) {
      case Severity::Error: ++errors; break;
      case Severity::Warning: ++warnings; break;
      default: ++infos; break;
    }
  }
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (auto& [path, list] : by_path) files.push_back({{"path", path}, {"diagnostics", std::move(list)}});
  return {{"version", 1},
          {"files", std::move(files)},
          {"summary", {{"files", paths.size()}, {"errors", errors}, {"warnings", warnings}, {"infos", infos}}}};
}

}  // namespace cadence
