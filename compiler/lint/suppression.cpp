#include "lint/suppression.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "cadence/lexical.hpp"
#include "support/suggest.hpp"

namespace cadence {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

}  // namespace

bool may_have_suppressions(std::string_view text) {
  static constexpr std::string_view kMarker = "cadence-ignore";
  return memmem(text.data(), text.size(), kMarker.data(), kMarker.size()) != nullptr;
}

std::vector<Suppression> find_suppressions(const Source& source) {
  std::vector<Suppression> found;
  const std::string_view text = source.text();
  // Most files have no suppression at all: skip the comment scan for them.
  if (!may_have_suppressions(text)) return found;
  grammar::for_each_line_comment(text, [&](uint32_t offset, std::string_view comment) {
    std::string_view body = comment.substr(2);
    const std::size_t start = body.find_first_not_of(" \t");
    if (start == std::string_view::npos) return;
    body.remove_prefix(start);
    Suppression suppression;
    std::string_view list;
    if (body.starts_with("cadence-ignore-file:")) {
      suppression.whole_file = true;
      list = body.substr(20);
    } else if (body.starts_with("cadence-ignore:")) {
      list = body.substr(15);
    } else {
      return;
    }
    suppression.comment = {offset, offset + static_cast<uint32_t>(comment.size())};
    // Alone on its line: it covers the next line; after code: its own line.
    const uint32_t line = source.line_of(offset);
    const std::string_view before = text.substr(source.line_start(line), offset - source.line_start(line));
    const bool alone = std::all_of(before.begin(), before.end(), is_blank);
    suppression.line = alone ? line + 1 : line;
    // Names: comma separated; a name ends at a blank, so a trailing
    // explanation ("-- reason") is allowed after the list.
    const auto list_offset = static_cast<uint32_t>(list.data() - text.data());
    std::size_t i = 0;
    while (i < list.size()) {
      while (i < list.size() && (is_blank(list[i]) || list[i] == ',')) ++i;
      const std::size_t name_start = i;
      while (i < list.size() && !is_blank(list[i]) && list[i] != ',') ++i;
      if (i == name_start) break;
      const std::string_view name = list.substr(name_start, i - name_start);
      suppression.names.push_back(
          {std::string(name),
           {list_offset + static_cast<uint32_t>(name_start), list_offset + static_cast<uint32_t>(i)},
           false,
           find_diagnostic_kind(name)});
      std::size_t after = i;
      while (after < list.size() && is_blank(list[after])) ++after;
      if (after >= list.size() || list[after] != ',') break;
    }
    found.push_back(std::move(suppression));
  });
  return found;
}

void Suppressions::apply(std::vector<Diagnostic>& diagnostics) {
  if (list_.empty()) return;
  const Source& source = *source_;
  std::vector<Diagnostic> kept;
  kept.reserve(diagnostics.size());
  for (Diagnostic& diagnostic : diagnostics) {
    bool suppressed = false;
    // Diagnostics of an identical copy of the source (read again) count too.
    const bool here = diagnostic.location.source != nullptr && diagnostic.location.source->path() == source.path();
    if (here && diagnostic.info().is_lint()) {
      const uint32_t line = source.line_of(diagnostic.location.span.begin);
      for (Suppression& suppression : list_) {
        if (!suppression.whole_file && suppression.line != line) continue;
        for (auto& entry : suppression.names) {
          if (entry.kind == diagnostic.kind) {
            entry.used = true;
            suppressed = true;
          }
        }
      }
    }
    if (!suppressed) kept.push_back(std::move(diagnostic));
  }
  diagnostics = std::move(kept);
}

std::vector<Diagnostic> Suppressions::unused(const std::vector<DiagnosticKind>& disabled) const {
  std::vector<Diagnostic> found;
  const Source& source = *source_;
  std::vector<std::string_view> lint_names;
  for (const DiagnosticInfo& info : all_diagnostic_kinds()) {
    if (info.is_lint()) lint_names.push_back(info.name);
  }
  for (const Suppression& suppression : list_) {
    for (const auto& entry : suppression.names) {
      if (entry.used) continue;
      const auto& kind = entry.kind;
      if (kind && std::find(disabled.begin(), disabled.end(), *kind) != disabled.end()) continue;
      std::string message;
      if (!kind) {
        const auto suggestion = closest_name(entry.name, lint_names);
        message = fmt::format("'{}' is not a diagnostic name{}", entry.name,
                              suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string());
      } else if (!diagnostic_info(*kind).is_lint()) {
        message = fmt::format("'{}' is an error, and errors cannot be suppressed", entry.name);
      } else {
        message = fmt::format("this suppression of '{}' suppresses nothing{}", entry.name,
                              suppression.whole_file ? " in this file" : " on its line");
      }
      Diagnostic diagnostic =
          make_diagnostic(DiagnosticKind::UnusedSuppression, Location{&source, entry.span}, message);
      diagnostic.help = "remove it";
      if (suppression.names.size() == 1) {
        // Remove the whole comment (and the line, when the comment is alone on it).
        Span remove = suppression.comment;
        const uint32_t line = source.line_of(remove.begin);
        const uint32_t line_begin = source.line_start(line);
        const std::string_view before = source.text().substr(line_begin, remove.begin - line_begin);
        if (std::all_of(before.begin(), before.end(), is_blank)) {
          remove.begin = line_begin;
          if (remove.end < source.text().size()) ++remove.end;  // the line break
        } else {
          while (remove.begin > line_begin && is_blank(source.text()[remove.begin - 1])) --remove.begin;
        }
        diagnostic.fixes.push_back(Fix{"remove the suppression comment", {Edit{Location{&source, remove}, ""}}, true});
      }
      found.push_back(std::move(diagnostic));
    }
  }
  return found;
}

void apply_suppressions(const Source& source, std::vector<Diagnostic>& diagnostics,
                        const std::vector<DiagnosticKind>& disabled, bool report_unused) {
  Suppressions suppressions(source);
  suppressions.apply(diagnostics);
  if (!report_unused) return;
  for (Diagnostic& d : suppressions.unused(disabled)) diagnostics.push_back(std::move(d));
}

}  // namespace cadence
