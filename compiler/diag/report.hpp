// The output formats of `cadence check`, rendered a file at a time so that a
// report streams: the worker that checked a file renders its diagnostics, and
// the pieces are written in input order. No format builds the whole document
// in memory; the text is the same as a whole-document rendering would give.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.hpp"
#include "diag/render.hpp"

namespace cadence {

/// One diagnostic rendered, with its place in its file's order (position,
/// then kind, as sort_diagnostics orders them) and its severity.
struct RenderedEntry {
  uint32_t offset = 0;
  uint16_t kind = 0;
  Severity severity = Severity::Error;
  std::string text;

  friend bool operator<(const RenderedEntry& a, const RenderedEntry& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.kind < b.kind;
  }
};

/// What a format remembers about one file while its entries are rendered
/// (SARIF numbers repeated fingerprints).
struct ReportFileState {
  std::map<std::string, int> occurrences;
};

/// Totals for the end of a report.
struct ReportTotals {
  std::size_t files = 0;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t infos = 0;

  void count(Severity severity) {
    if (severity == Severity::Error)
      ++errors;
    else if (severity == Severity::Warning)
      ++warnings;
    else
      ++infos;
  }
};

class ReportFormat {
 public:
  virtual ~ReportFormat() = default;
  /// Text before the first file.
  [[nodiscard]] virtual std::string begin() = 0;
  /// One diagnostic of a file, rendered (called in the file's order).
  [[nodiscard]] virtual RenderedEntry entry(const Diagnostic& diagnostic, ReportFileState& state) const = 0;
  /// A file's text from its entries (in order). `first_file` is true for the
  /// first file written.
  [[nodiscard]] virtual std::string file(std::string_view path, const std::vector<RenderedEntry>& entries,
                                         bool first_file) = 0;
  /// Text after the last file.
  [[nodiscard]] virtual std::string end(const ReportTotals& totals) = 0;
};

/// The format named `name`: "human", "json", "sarif" or "github".
[[nodiscard]] std::unique_ptr<ReportFormat> make_report_format(std::string_view name, const HumanStyle& style);

/// The whole report of files and their diagnostics in one string, through
/// the same format (for callers that have everything at hand).
[[nodiscard]] std::string render_report(ReportFormat& format, const std::vector<std::string>& paths,
                                        const std::vector<std::vector<Diagnostic>>& diagnostics);

}  // namespace cadence
