// Go to definition, find references and rename: every place that names what
// is under the cursor, across the open documents.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "cadence/lexical.hpp"
#include "diag/render.hpp"
#include "driver/fix.hpp"
#include "lsp/cursor.hpp"
#include "lsp/server.hpp"

namespace cadence::lsp {
namespace {

namespace fs = std::filesystem;

/// Every place that names the same definition as `target`, in the given
/// analyses (the definition first).
std::vector<std::pair<const Module*, Span>> occurrences(const std::vector<const CheckResult*>& results,
                                                        const CursorTarget& target) {
  std::vector<std::pair<const Module*, Span>> found{{target.module, target.definition}};
  for (const CheckResult* checked : results) {
    for (const Reference& reference : checked->references) {
      // A module whose text is unchanged may have been loaded again since
      // the reference was resolved (an import of it changed): same path,
      // same place.
      const bool same_module = reference.definition_module == target.module ||
                               (reference.definition_module != nullptr && target.module != nullptr &&
                                reference.definition_module->path == target.module->path);
      if (same_module && reference.definition.begin == target.definition.begin) {
        const std::pair<const Module*, Span> use{checked->module, reference.use};
        if (std::find(found.begin(), found.end(), use) == found.end()) found.push_back(use);
      }
    }
  }
  return found;
}

/// The first duplicate-definition error in `paths` (absolute) as `files`
/// has them, beyond the first `known` of them; and how many there are.
std::pair<std::size_t, std::optional<std::string>> duplicates_in(FileSystem& files, const fs::path& stdlib,
                                                                 const std::vector<fs::path>& paths,
                                                                 std::size_t known) {
  Workspace workspace(files, stdlib);
  RunOptions options;
  options.jobs = 1;
  const RunResult run = run_checks(workspace, paths, options);
  std::size_t count = 0;
  std::optional<std::string> first;
  for (const FileReport& report : run.files) {
    for (const Diagnostic& diagnostic : report.diagnostics) {
      if (diagnostic.kind != DiagnosticKind::DuplicateDefinition) continue;
      if (++count > known && !first) first = diagnostic.message;
    }
  }
  return {count, first};
}

}  // namespace

Json Server::definition(const Json& params) {
  Document* document = analysed_from(params);
  const FileReport* report = document == nullptr ? nullptr : document->report();
  if (report == nullptr) return nullptr;
  const CursorTarget target = target_at(*report, source_offset(*document, require(params, "position")));
  if (target.kind != CursorTarget::Kind::Name || target.module == nullptr) return nullptr;
  return {{"uri", file_uri(target.module->path.string())},
          {"range", range_of(Location{target.module->source.get(), target.definition})}};
}

Json Server::references(const Json& params) {
  Document* document = analysed_from(params);
  const FileReport* report = document == nullptr ? nullptr : document->report();
  if (report == nullptr) return nullptr;
  const CursorTarget target = target_at(*report, source_offset(*document, require(params, "position")));
  if (target.kind != CursorTarget::Kind::Name || target.module == nullptr) return Json::array();
  const bool include_declaration = params.contains("context") && params["context"].is_object()
                                       ? params["context"].value("includeDeclaration", true)
                                       : true;
  Json locations = Json::array();
  bool first = true;
  for (const auto& [module, span] : occurrences(open_checks(), target)) {
    if (first && !include_declaration) {
      first = false;
      continue;
    }
    first = false;
    locations.push_back(
        {{"uri", file_uri(module->path.string())}, {"range", range_of(Location{module->source.get(), span})}});
  }
  return locations;
}

Json Server::prepare_rename(const Json& params) {
  Document* document = analysed_from(params);
  const FileReport* report = document == nullptr ? nullptr : document->report();
  if (report == nullptr) return nullptr;
  const CursorTarget target = target_at(*report, source_offset(*document, require(params, "position")));
  if (target.kind != CursorTarget::Kind::Name || target.module == nullptr || target.module->is_stdlib) return nullptr;
  const Source& source = *report->module->source;
  return {{"range", range_of(Location{&source, target.at})},
          {"placeholder", std::string(source.text().substr(target.at.begin, target.at.size()))}};
}

Json Server::rename(const Json& params) {
  const std::string new_name = require_string(params, "newName");
  if (!is_identifier(new_name) || grammar::is_reserved_word(new_name)) {
    throw InvalidParams{
        fmt::format("'{}' is not a valid name", new_name.size() > 80 ? new_name.substr(0, 80) + "..." : new_name)};
  }
  Document* document = analysed_from(params);
  const FileReport* report = document == nullptr ? nullptr : document->report();
  if (report == nullptr) return nullptr;
  const CursorTarget target = target_at(*report, source_offset(*document, require(params, "position")));
  if (target.kind != CursorTarget::Kind::Name || target.module == nullptr) return nullptr;
  if (target.module->is_stdlib) throw InvalidParams{"stdlib names cannot be renamed"};
  // A step's label is its id in the plan, and a sequence's name is its id:
  // running enrolments find their place by them (as `cadence diff` says).
  const bool strands = target.reference == Reference::Kind::Step || target.reference == Reference::Kind::Sequence;
  static constexpr const char* kAnnotation = "cadence.strands-enrolments";
  Json changes = Json::object();
  const std::vector<std::pair<const Module*, Span>> places = occurrences(open_checks(), target);
  for (const auto& [module, span] : places) {
    const std::string uri = file_uri(module->path.string());
    if (!changes.contains(uri)) changes[uri] = Json::array();
    Json edit = {{"range", range_of(Location{module->source.get(), span})}, {"newText", new_name}};
    if (strands && change_annotations_) edit["annotationId"] = kAnnotation;
    changes[uri].push_back(std::move(edit));
  }
  refuse_collision(places, new_name);
  if (!strands) return {{"changes", changes}};
  const std::string what = target.reference == Reference::Kind::Step ? "step" : "sequence";
  const std::string warning = fmt::format(
      "Renaming a {} changes its id in the plan: records enrolled in the deployed version that wait at it are "
      "stranded (cadence diff reports it as breaking).",
      what);
  if (!change_annotations_) {
    notify("window/showMessage", {{"type", 2}, {"message", warning}});
    return {{"changes", changes}};
  }
  Json document_changes = Json::array();
  for (auto& [uri, edits] : changes.items()) {
    auto open = documents_.find(uri);
    document_changes.push_back(
        {{"textDocument", {{"uri", uri}, {"version", open != documents_.end() ? Json(open->second.version) : Json()}}},
         {"edits", std::move(edits)}});
  }
  return {{"documentChanges", std::move(document_changes)},
          {"changeAnnotations",
           {{kAnnotation,
             {{"label", fmt::format("Rename a {} of a live sequence", what)},
              {"needsConfirmation", true},
              {"description", warning}}}}}};
}

void Server::refuse_collision(const std::vector<std::pair<const Module*, Span>>& places, const std::string& new_name) {
  // The texts as the rename leaves them, checked beside the texts as they
  // are: a name already in use (another step's label, another template)
  // shows as a duplicate-definition the rename would add.
  std::map<const Module*, std::vector<Edit>> edits;
  for (const auto& [module, span] : places) edits[module].push_back({Location{module->source.get(), span}, new_name});
  OverlayFileSystem renamed(&files_);
  std::vector<fs::path> paths;
  for (auto& [module, list] : edits) {
    paths.push_back(module->path);
    const std::string text = apply_edits(*module->source, std::move(list));
    renamed.set(module->path, (module->source->had_bom() ? std::string("\xEF\xBB\xBF") : std::string()) + text);
  }
  const fs::path& stdlib = workspace_->stdlib_dir();
  const std::size_t before = duplicates_in(files_, stdlib, paths, SIZE_MAX).first;
  if (const auto added = duplicates_in(renamed, stdlib, paths, before).second) {
    throw InvalidParams{fmt::format("cannot rename to '{}': {}", new_name, *added)};
  }
}

}  // namespace cadence::lsp
