// Go to definition, find references and rename: every place that names what
// is under the cursor, across the open documents.

#include <algorithm>

#include <fmt/format.h>

#include "cadence/grammar.hpp"
#include "diag/render.hpp"
#include "lsp/cursor.hpp"
#include "lsp/server.hpp"

namespace cadence::lsp {
namespace {

/// Every place that names the same definition as `target`, in the given
/// analyses (the definition first).
std::vector<std::pair<const Module*, Span>> occurrences(const std::vector<const CheckResult*>& results,
                                                        const CursorTarget& target) {
  std::vector<std::pair<const Module*, Span>> found{{target.module, target.definition}};
  for (const CheckResult* checked : results) {
    for (const Reference& reference : checked->references) {
      if (reference.definition_module == target.module && reference.definition.begin == target.definition.begin) {
        const std::pair<const Module*, Span> use{checked->module, reference.use};
        if (std::find(found.begin(), found.end(), use) == found.end()) found.push_back(use);
      }
    }
  }
  return found;
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
  for (const auto& [module, span] : occurrences(open_checks(), target)) {
    const std::string uri = file_uri(module->path.string());
    if (!changes.contains(uri)) changes[uri] = Json::array();
    Json edit = {{"range", range_of(Location{module->source.get(), span})}, {"newText", new_name}};
    if (strands && change_annotations_) edit["annotationId"] = kAnnotation;
    changes[uri].push_back(std::move(edit));
  }
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

}  // namespace cadence::lsp
