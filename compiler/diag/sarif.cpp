#include "diag/sarif.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "diag/explain.hpp"
#include "diag/render.hpp"
#include "support/escape.hpp"
#include "support/json_writer.hpp"
#include "support/paths.hpp"

namespace cadence {
namespace {

std::string_view sarif_level(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    default: return "note";
  }
}

std::string artifact_path(const Source* source) {
  if (source == nullptr) return "";
  // A URI reference: any byte outside the unreserved set is percent-encoded
  // (which also carries file names that are not UTF-8).
  if (auto relative = relative_to_current(source->path())) return uri_encode_path(*relative);
  return file_uri(source->path());  // outside the checkout: an absolute file:// URI
}

/// The path GitHub annotations name: relative to the checkout when below it.
std::string github_path(const Source* source) {
  if (auto relative = relative_to_current(source->path())) return *relative;
  return absolute_normal(source->path()).generic_string();
}

/// FNV-1a, 64 bits: a stable hash for fingerprints.
uint64_t fnv1a(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

}  // namespace

namespace {

/// artifact_path of the file a run of diagnostics is in, computed once for
/// the run (per thread: workers render their files side by side).
const std::string& cached_artifact_path(const Source* source) {
  thread_local std::string path_in;
  thread_local std::string uri;
  thread_local bool valid = false;
  if (!valid || source->path() != path_in) {
    path_in = source->path();
    uri = artifact_path(source);
    valid = true;
  }
  return uri;
}

/// One result, described once for both sinks (JsonWriter streams the
/// report's text, JsonBuilder makes a document).
template <typename Sink>
void write_sarif_result(Sink& out, const Diagnostic& diagnostic, std::map<std::string, int>& occurrences) {
  const Source* source = diagnostic.location.source;
  auto message = [&](std::string_view text) {
    out.key("message");
    out.begin_object();
    out.member("text", text);
    out.end_object();
  };
  out.begin_object();
  out.member("ruleId", diagnostic.info().code);
  out.member("ruleIndex", static_cast<int64_t>(diagnostic.kind));
  out.member("level", sarif_level(diagnostic.severity));
  message(diagnostic.message);
  if (source == nullptr) {
    out.end_object();
    return;
  }
  const HumanPosition start = source->human_position(diagnostic.location.span.begin);
  HumanPosition end = source->human_position(std::max(diagnostic.location.span.end, diagnostic.location.span.begin));
  if (end.line == start.line && end.column <= start.column) end.column = start.column + 1;
  const std::string& path = cached_artifact_path(source);
  auto physical_location = [&](std::string_view uri, const HumanPosition& from, const HumanPosition* to) {
    out.key("physicalLocation");
    out.begin_object();
    out.key("artifactLocation");
    out.begin_object();
    out.member("uri", uri);
    out.end_object();
    out.key("region");
    out.begin_object();
    out.member("startLine", static_cast<int64_t>(from.line));
    out.member("startColumn", static_cast<int64_t>(from.column));
    if (to != nullptr) {
      out.member("endLine", static_cast<int64_t>(to->line));
      out.member("endColumn", static_cast<int64_t>(to->column));
    }
    out.end_object();
    out.end_object();
  };
  out.key("locations");
  out.begin_array();
  out.begin_object();
  physical_location(path, start, &end);
  out.end_object();
  out.end_array();
  // Stable across unrelated edits: the rule, the file and the trimmed text of
  // the line, numbered when the same triple occurs again in the file.
  std::string_view line = source->line_text(start.line - 1);
  const auto first = line.find_first_not_of(" \t");
  line = first == std::string_view::npos ? std::string_view() : line.substr(first);
  const std::string key = fmt::format("{}\n{}\n{}", diagnostic.info().name, path, line);
  const int occurrence = ++occurrences[key];
  out.key("partialFingerprints");
  out.begin_object();
  out.member("primaryLocationLineHash", std::string_view(fmt::format("{:016x}:{}", fnv1a(key), occurrence)));
  out.end_object();
  const auto related = [](const Note& note) { return note.location && note.location->source != nullptr; };
  if (std::any_of(diagnostic.notes.begin(), diagnostic.notes.end(), related)) {
    out.key("relatedLocations");
    out.begin_array();
    int64_t id = 0;
    for (const Note& note : diagnostic.notes) {
      if (!related(note)) continue;
      const HumanPosition at = note.location->source->human_position(note.location->span.begin);
      out.begin_object();
      out.member("id", ++id);
      physical_location(artifact_path(note.location->source), at, nullptr);
      message(note.message);
      out.end_object();
    }
    out.end_array();
  }
  out.end_object();
}

}  // namespace

nlohmann::ordered_json sarif_result(const Diagnostic& diagnostic, std::map<std::string, int>& occurrences) {
  return build_json([&](JsonBuilder& out) { write_sarif_result(out, diagnostic, occurrences); });
}

void append_sarif_result(std::string& out, const Diagnostic& diagnostic, std::map<std::string, int>& occurrences,
                         std::size_t depth) {
  JsonWriter writer(out, depth);
  write_sarif_result(writer, diagnostic, occurrences);
}

nlohmann::ordered_json sarif_log_with(nlohmann::ordered_json results) {
  using Json = nlohmann::ordered_json;
  Json rules = Json::array();
  for (const DiagnosticInfo& info : all_diagnostic_kinds()) {
    const Explanation& text = explanation(info.kind);
    // SARIF wants `id` stable and opaque (the code) and `name` readable.
    std::string readable;
    bool upper = true;
    for (const char c : info.name) {
      if (c == '-') {
        upper = true;
        continue;
      }
      readable += upper ? static_cast<char>(c - 'a' + 'A') : c;
      upper = false;
    }
    rules.push_back(
        {{"id", info.code},
         {"name", readable},
         {"shortDescription", {{"text", info.summary}}},
         {"fullDescription", {{"text", fmt::format("{} {}", text.what, text.why)}}},
         {"help", {{"text", rule_text(info.kind)}, {"markdown", rule_markdown(info.kind)}}},
         {"helpUri", rule_help_uri(info.kind)},
         {"defaultConfiguration", {{"level", sarif_level(info.default_severity)}}},
         {"properties", {{"cadence-name", info.name}, {"tags", Json::array({info.is_lint() ? "lint" : "error"})}}}});
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", Json::array({{{"tool",
                                  {{"driver",
                                    {{"name", "cadence"},
                                     {"informationUri", docs_uri("diagnostics.md")},
                                     {"semanticVersion", CADENCE_VERSION},
                                     {"version", CADENCE_VERSION},
                                     {"rules", rules}}}}},
                                 {"columnKind", "unicodeCodePoints"},
                                 {"results", std::move(results)}}})}};
}

nlohmann::ordered_json sarif_log(const std::vector<Diagnostic>& diagnostics) {
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  std::map<std::string, int> occurrences;
  for (const Diagnostic& diagnostic : diagnostics) results.push_back(sarif_result(diagnostic, occurrences));
  return sarif_log_with(std::move(results));
}

std::string github_annotation(const Diagnostic& diagnostic) {
  // Workflow commands: data escapes %, CR and LF; properties also : and ,.
  // Control characters are shown, never passed: a line feed in a message
  // must not start a workflow command of its own.
  auto escape_data = [](std::string_view raw) {
    const std::string text = visible(raw);
    std::string out;
    for (const char c : text) {
      if (c == '%')
        out += "%25";
      else if (c == '\r')
        out += "%0D";
      else if (c == '\n')
        out += "%0A";
      else
        out += c;
    }
    return out;
  };
  auto escape_property = [&escape_data](std::string_view text) {
    std::string out;
    for (const char c : escape_data(text)) {
      if (c == ':')
        out += "%3A";
      else if (c == ',')
        out += "%2C";
      else
        out += c;
    }
    return out;
  };
  const std::string_view command = diagnostic.severity == Severity::Error     ? "error"
                                   : diagnostic.severity == Severity::Warning ? "warning"
                                                                              : "notice";
  const Source* source = diagnostic.location.source;
  if (source == nullptr) {
    return fmt::format("::{} title={}::{}\n", command, escape_property(diagnostic.info().name),
                       escape_data(diagnostic.message));
  }
  const HumanPosition start = source->human_position(diagnostic.location.span.begin);
  const HumanPosition end = source->human_position(diagnostic.location.span.end);
  return fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n", command,
                     escape_property(github_path(source)), start.line, start.column, end.line, end.column,
                     escape_property(fmt::format("{} ({})", diagnostic.info().name, diagnostic.info().code)),
                     escape_data(diagnostic.message));
}

std::string github_annotations(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& diagnostic : diagnostics) out += github_annotation(diagnostic);
  return out;
}

}  // namespace cadence
