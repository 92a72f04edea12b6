#include "diag/report.hpp"

#include <fmt/format.h>

#include "diag/sarif.hpp"
#include "support/escape.hpp"
#include "support/json_writer.hpp"

namespace cadence {
namespace {

using Json = nlohmann::ordered_json;

/// `json` laid out as dump(2) does at `depth` levels in (its first line not
/// indented: the caller places it).
std::string dump_at(const Json& json, std::size_t depth) {
  const std::string text = json.dump(2, ' ', false, Json::error_handler_t::replace);
  const std::string pad(depth * 2, ' ');
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

/// Entries at `depth` inside a JSON array whose opening bracket is already
/// written: ",\n" between them, the closing bracket's line after them.
void append_array_items(std::string& out, const std::vector<RenderedEntry>& entries, std::size_t depth) {
  const std::string pad(depth * 2, ' ');
  for (std::size_t i = 0; i < entries.size(); ++i) {
    out += i == 0 ? "\n" : ",\n";
    out += pad;
    out += entries[i].text;
  }
}

RenderedEntry entry_of(const Diagnostic& diagnostic, std::string text) {
  return {diagnostic.location.span.begin, static_cast<uint16_t>(diagnostic.kind), diagnostic.severity, std::move(text)};
}

class HumanFormat final : public ReportFormat {
 public:
  explicit HumanFormat(const HumanStyle& style) : style_(style) {}
  std::string begin() override { return {}; }
  RenderedEntry entry(const Diagnostic& diagnostic, ReportFileState&) const override {
    std::string text;
    render_human(text, diagnostic, style_);
    return entry_of(diagnostic, std::move(text));
  }
  std::string file(std::string_view, const std::vector<RenderedEntry>& entries, bool) override {
    std::string out;
    for (const RenderedEntry& entry : entries) out += entry.text;
    return out;
  }
  std::string end(const ReportTotals& totals) override {
    auto plural = [](std::size_t n) { return n == 1 ? "" : "s"; };
    return fmt::format("{} file{} checked: {} error{}, {} warning{}, {} info{}\n", totals.files, plural(totals.files),
                       totals.errors, plural(totals.errors), totals.warnings, plural(totals.warnings), totals.infos,
                       plural(totals.infos));
  }

 private:
  HumanStyle style_;
};

/// The JSON document of LANGUAGE.md section 5:
///   {"version": 1, "files": [{"path", "diagnostics": [...]}], "summary": {...}}
class JsonFormat final : public ReportFormat {
 public:
  std::string begin() override { return "{\n  \"version\": 1,\n  \"files\": ["; }
  RenderedEntry entry(const Diagnostic& diagnostic, ReportFileState&) const override {
    std::string text;
    append_lsp_diagnostic(text, diagnostic, PositionEncoding::Utf16, 4);
    return entry_of(diagnostic, std::move(text));
  }
  std::string file(std::string_view path, const std::vector<RenderedEntry>& entries, bool first_file) override {
    any_file_ = true;
    std::string out = first_file ? "\n    {\n      \"path\": " : ",\n    {\n      \"path\": ";
    append_json_string(out, percent_encode_invalid_utf8(path));
    out += ",\n      \"diagnostics\": [";
    append_array_items(out, entries, 4);
    out += entries.empty() ? "]\n    }" : "\n      ]\n    }";
    return out;
  }
  std::string end(const ReportTotals& totals) override {
    const Json summary = {
        {"files", totals.files}, {"errors", totals.errors}, {"warnings", totals.warnings}, {"infos", totals.infos}};
    return std::string(any_file_ ? "\n  ]" : "]") + ",\n  \"summary\": " + dump_at(summary, 1) + "\n}\n";
  }

 private:
  bool any_file_ = false;
};

/// SARIF 2.1.0: the log around one run, whose results are every file's
/// diagnostics in order.
class SarifFormat final : public ReportFormat {
 public:
  std::string begin() override {
    // The log with a marker where the results go, cut in two there.
    static constexpr std::string_view kMarker = "cadence-results-go-here";
    const std::string skeleton =
        sarif_log_with(Json::array({std::string(kMarker)})).dump(2, ' ', false, Json::error_handler_t::replace);
    const std::size_t at = skeleton.find(kMarker);
    const std::size_t bracket = skeleton.rfind('[', at);
    head_ = skeleton.substr(0, bracket + 1);
    tail_ = skeleton.substr(skeleton.find('\n', at));
    return head_;
  }
  RenderedEntry entry(const Diagnostic& diagnostic, ReportFileState& state) const override {
    std::string text;
    append_sarif_result(text, diagnostic, state.occurrences, 4);
    return entry_of(diagnostic, std::move(text));
  }
  std::string file(std::string_view, const std::vector<RenderedEntry>& entries, bool) override {
    std::string out;
    const std::string pad(8, ' ');
    for (const RenderedEntry& entry : entries) {
      out += any_result_ ? ",\n" : "\n";
      out += pad;
      out += entry.text;
      any_result_ = true;
    }
    return out;
  }
  std::string end(const ReportTotals&) override {
    // The skeleton's tail starts at the line after the marker; an empty
    // results array closes on its own line only when it has items.
    std::string out;
    if (!any_result_) {
      out = "]";
      const std::size_t after_close = tail_.find(']');
      out += tail_.substr(after_close + 1);
    } else {
      out = tail_;
    }
    return out + "\n";
  }

 private:
  std::string head_;
  std::string tail_;
  bool any_result_ = false;
};

class GithubFormat final : public ReportFormat {
 public:
  std::string begin() override { return {}; }
  RenderedEntry entry(const Diagnostic& diagnostic, ReportFileState&) const override {
    return entry_of(diagnostic, github_annotation(diagnostic));
  }
  std::string file(std::string_view, const std::vector<RenderedEntry>& entries, bool) override {
    std::string out;
    for (const RenderedEntry& entry : entries) out += entry.text;
    return out;
  }
  std::string end(const ReportTotals&) override { return {}; }
};

}  // namespace

std::unique_ptr<ReportFormat> make_report_format(std::string_view name, const HumanStyle& style) {
  if (name == "json") return std::make_unique<JsonFormat>();
  if (name == "sarif") return std::make_unique<SarifFormat>();
  if (name == "github") return std::make_unique<GithubFormat>();
  return std::make_unique<HumanFormat>(style);
}

std::string render_report(ReportFormat& format, const std::vector<std::string>& paths,
                          const std::vector<std::vector<Diagnostic>>& diagnostics) {
  std::string out = format.begin();
  ReportTotals totals;
  totals.files = paths.size();
  for (std::size_t i = 0; i < paths.size(); ++i) {
    ReportFileState state;
    std::vector<RenderedEntry> entries;
    entries.reserve(diagnostics[i].size());
    for (const Diagnostic& diagnostic : diagnostics[i]) {
      entries.push_back(format.entry(diagnostic, state));
      totals.count(diagnostic.severity);
    }
    out += format.file(paths[i], entries, i == 0);
  }
  return out + format.end(totals);
}

}  // namespace cadence
