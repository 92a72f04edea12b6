#include "lsp/server.hpp"

#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "cadence/grammar.hpp"
#include "diag/explain.hpp"
#include "diag/render.hpp"
#include "fmt/format.hpp"
#include "lint/lint.hpp"
#include "lint/suppression.hpp"
#include "lsp/transport.hpp"
#include "sema/analysis.hpp"

namespace cadence::lsp {
namespace fs = std::filesystem;

namespace {

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kServerNotInitialized = -32002;
constexpr int kRequestCancelled = -32800;

/// Thrown by handlers for a malformed request.
struct InvalidParams {
  std::string message;
};

const Json& require(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) throw InvalidParams{fmt::format("missing '{}'", key)};
  return object.at(key);
}

std::string require_string(const Json& object, const char* key) {
  const Json& value = require(object, key);
  if (!value.is_string()) throw InvalidParams{fmt::format("'{}' must be a string", key)};
  return value.get<std::string>();
}

int from_hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool contains(Span span, uint32_t offset) { return offset >= span.begin && offset <= span.end; }

std::string_view symbol_kind_word(StepKind kind) { return step_kind_name(kind); }

std::string duration_text(int64_t minutes) {
  if (minutes == 0) return "0";
  if (minutes % (24 * 60) == 0) return fmt::format("{}d", minutes / (24 * 60));
  if (minutes % 60 == 0) return fmt::format("{}h", minutes / 60);
  return fmt::format("{}m", minutes);
}

// Semantic token types, in legend order.
enum TokenType { kKeyword, kVariable, kFunction, kType, kString, kNumber, kComment, kProperty, kEnumMember, kOperator };

}  // namespace

std::optional<fs::path> uri_to_path(const std::string& uri) {
  if (!uri.starts_with("file://")) return std::nullopt;
  std::string path;
  for (std::size_t i = 7; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && from_hex(uri[i + 1]) >= 0 && from_hex(uri[i + 2]) >= 0) {
      path += static_cast<char>(from_hex(uri[i + 1]) * 16 + from_hex(uri[i + 2]));
      i += 2;
    } else {
      path += uri[i];
    }
  }
  if (path.empty() || path[0] != '/') return std::nullopt;  // file://host/... is not ours
  return fs::path(path).lexically_normal();
}

Server::Server(fs::path stdlib, std::function<void(const Json&)> send)
    : send_(std::move(send)), workspace_(std::make_unique<Workspace>(files_, std::move(stdlib))) {}

Server::~Server() = default;

// Messages ---------------------------------------------------------------------

void Server::respond(const Json& id, Json result) {
  send_(Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void Server::respond_error(const Json& id, int code, const std::string& message) {
  send_(Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void Server::notify(const std::string& method, Json params) {
  send_(Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
}

void Server::log(const std::string& message) { notify("window/logMessage", {{"type", 3}, {"message", message}}); }

void Server::cancel(const Json& request) {
  respond_error(request.at("id"), kRequestCancelled, "cancelled by the client");
}

void Server::handle(const Json& message) {
  if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
    if (message.is_object() && message.contains("id") && !message.contains("method")) return;  // a response to us
    respond_error(message.is_object() && message.contains("id") ? message["id"] : Json(nullptr), kInvalidRequest,
                  "not a JSON-RPC request or notification");
    return;
  }
  const std::string method = message["method"];
  const bool is_request = message.contains("id");
  const Json id = is_request ? message["id"] : Json(nullptr);
  const Json params = message.contains("params") ? message["params"] : Json::object();

  if (method == "exit") {
    exited_ = true;
    return;
  }
  if (!initialized_ && method != "initialize") {
    if (is_request) respond_error(id, kServerNotInitialized, "the server has not been initialized");
    return;
  }
  if (shutdown_ && is_request) {
    respond_error(id, kInvalidRequest, "the server is shutting down");
    return;
  }
  try {
    if (method == "initialize") return respond(id, initialize(params));
    if (method == "initialized") return;
    if (method == "shutdown") {
      shutdown_ = true;
      return respond(id, nullptr);
    }
    if (method == "textDocument/didOpen") return did_open(params);
    if (method == "textDocument/didChange") return did_change(params);
    if (method == "textDocument/didClose") return did_close(params);
    if (method == "textDocument/didSave") return did_save(params);
    if (method == "workspace/didChangeWatchedFiles") return did_change_watched_files(params);
    if (method == "$/cancelRequest" || method == "$/setTrace" || method == "workspace/didChangeConfiguration") return;
    if (method == "textDocument/hover") return respond(id, hover(params));
    if (method == "textDocument/definition") return respond(id, definition(params));
    if (method == "textDocument/references") return respond(id, references(params));
    if (method == "textDocument/prepareRename") return respond(id, prepare_rename(params));
    if (method == "textDocument/rename") return respond(id, rename(params));
    if (method == "textDocument/completion") return respond(id, completion(params));
    if (method == "textDocument/documentSymbol") return respond(id, document_symbol(params));
    if (method == "textDocument/codeAction") return respond(id, code_action(params));
    if (method == "textDocument/semanticTokens/full") return respond(id, semantic_tokens(params));
    if (method == "textDocument/formatting") return respond(id, formatting(params));
    if (is_request) respond_error(id, kMethodNotFound, fmt::format("method '{}' is not supported", method));
  } catch (const InvalidParams& error) {
    if (is_request) respond_error(id, kInvalidParams, error.message);
    else log(fmt::format("ignored '{}': {}", method, error.message));
  } catch (const Json::exception& error) {
    if (is_request) respond_error(id, kInvalidParams, error.what());
    else log(fmt::format("ignored '{}': {}", method, error.what()));
  }
}

Json Server::initialize(const Json& params) {
  initialized_ = true;
  encoding_ = PositionEncoding::Utf16;
  if (params.is_object() && params.contains("capabilities")) {
    const Json& capabilities = params["capabilities"];
    if (capabilities.contains("general") && capabilities["general"].contains("positionEncodings") &&
        capabilities["general"]["positionEncodings"].is_array()) {
      for (const Json& offered : capabilities["general"]["positionEncodings"]) {
        if (offered == "utf-8") encoding_ = PositionEncoding::Utf8;
      }
    }
  }
  const Json legend = {{"tokenTypes", {"keyword", "variable", "function", "type", "string", "number", "comment",
                                       "property", "enumMember", "operator"}},
                       {"tokenModifiers", Json::array()}};
  return {{"capabilities",
           {{"positionEncoding", encoding_ == PositionEncoding::Utf8 ? "utf-8" : "utf-16"},
            {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
            {"hoverProvider", true},
            {"definitionProvider", true},
            {"referencesProvider", true},
            {"renameProvider", {{"prepareProvider", true}}},
            {"completionProvider", {{"triggerCharacters", {"{", ".", "(", " "}}}},
            {"documentSymbolProvider", true},
            {"documentFormattingProvider", true},
            {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
            {"semanticTokensProvider", {{"legend", legend}, {"full", true}}}}},
          {"serverInfo", {{"name", "cadence"}, {"version", CADENCE_VERSION}}}};
}

// Text sync ----------------------------------------------------------------------

void Server::mark_changed(const fs::path& path) {
  const std::vector<fs::path> forgotten = workspace_->invalidate(path);
  for (auto& [uri, document] : documents_) {
    const bool affected = document.path == path ||
                          std::find(forgotten.begin(), forgotten.end(), normal_path(document.path)) != forgotten.end();
    if (!affected) continue;
    document.result.reset();  // its modules are gone
    pending_.insert(uri);
  }
}

void Server::did_open(const Json& params) {
  const Json& item = require(params, "textDocument");
  const std::string uri = require_string(item, "uri");
  const auto path = uri_to_path(uri);
  if (!path) throw InvalidParams{fmt::format("'{}' is not a file URI", uri)};
  Document& document = documents_[uri];
  document.uri = uri;
  document.path = *path;
  document.text = require_string(item, "text");
  document.version = item.value("version", 0);
  files_.set(*path, document.text);
  mark_changed(*path);
}

uint32_t Server::offset_of(const Document& document, const Json& position) const {
  // An offset into the analysed source, which (like every Source) has no BOM.
  const Source source(document.path.string(), document.text);
  const uint32_t line = require(position, "line").get<uint32_t>();
  const uint32_t character = require(position, "character").get<uint32_t>();
  return source.offset_of({line, character}, encoding_);
}

void Server::did_change(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  auto it = documents_.find(uri);
  if (it == documents_.end()) throw InvalidParams{fmt::format("'{}' is not open", uri)};
  Document& document = it->second;
  for (const Json& change : require(params, "contentChanges")) {
    if (!change.contains("range")) {
      document.text = require_string(change, "text");
      continue;
    }
    const Json& range = change["range"];
    // The buffer keeps a BOM the source drops: edits skip over it.
    const uint32_t bom = document.text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    const uint32_t begin = std::min<uint32_t>(offset_of(document, require(range, "start")) + bom,
                                              static_cast<uint32_t>(document.text.size()));
    const uint32_t end = std::clamp<uint32_t>(offset_of(document, require(range, "end")) + bom, begin,
                                              static_cast<uint32_t>(document.text.size()));
    document.text.replace(begin, end - begin, require_string(change, "text"));
  }
  document.version = params["textDocument"].value("version", document.version + 1);
  files_.set(document.path, document.text);
  mark_changed(document.path);
}

void Server::did_close(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  auto it = documents_.find(uri);
  if (it == documents_.end()) return;
  const fs::path path = it->second.path;
  documents_.erase(it);
  pending_.erase(uri);
  files_.erase(path);  // the file on disk counts again
  mark_changed(path);
  notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", Json::array()}});
}

void Server::did_save(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  if (auto it = documents_.find(uri); it != documents_.end()) {
    it->second.result.reset();  // cadence.toml may have changed meanwhile
    pending_.insert(uri);
  }
}

void Server::did_change_watched_files(const Json& params) {
  // A changed cadence.toml or imported file on disk: re-check everything open.
  for (const Json& change : require(params, "changes")) {
    const auto path = uri_to_path(change.value("uri", ""));
    if (path) mark_changed(*path);
  }
  for (auto& [uri, document] : documents_) {
    document.result.reset();  // cadence.toml is read again by the next check
    pending_.insert(uri);
  }
}

// Analysis -----------------------------------------------------------------------

void Server::analyse(Document& document) {
  RunOptions options;
  options.keep_analysis = true;
  options.jobs = 1;
  document.result = std::make_unique<RunResult>(run_checks(*workspace_, {document.path}, options));
}

Server::Document* Server::analysed(const std::string& uri) {
  auto it = documents_.find(uri);
  if (it == documents_.end()) return nullptr;
  Document& document = it->second;
  if (document.result == nullptr) analyse(document);
  return &document;
}

void Server::publish(const Document& document) {
  Json diagnostics = Json::array();
  const RunResult& result = *document.result;
  if (result.config_error) {
    diagnostics.push_back({{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}},
                           {"severity", 1},
                           {"source", "cadence"},
                           {"message", "configuration error: " + *result.config_error}});
  } else if (!result.files.empty()) {
    const FileReport& report = result.files.front();
    for (const Diagnostic& diagnostic : report.diagnostics) {
      if (diagnostic.location.source != report.module->source.get()) continue;
      Json entry = lsp_diagnostic(diagnostic, encoding_);
      entry["codeDescription"] = {{"href", rule_help_uri(diagnostic.kind)}};
      diagnostics.push_back(std::move(entry));
    }
  }
  notify("textDocument/publishDiagnostics",
         {{"uri", document.uri}, {"version", document.version}, {"diagnostics", std::move(diagnostics)}});
}

void Server::flush() {
  const std::set<std::string> pending = std::move(pending_);
  pending_.clear();
  for (const std::string& uri : pending) {
    Document* document = analysed(uri);
    if (document != nullptr) publish(*document);
  }
}

Json Server::range_of(const Location& location) const { return lsp_range(location, encoding_); }

// Navigation ---------------------------------------------------------------------

namespace {

/// What the cursor is on: a use of a name or a definition, with the place
/// the name is defined.
struct Target {
  Span at;                     // the name under the cursor
  const Module* module = nullptr;  // where it is defined
  Span definition;
  Reference::Kind kind = Reference::Kind::Entity;
};

std::optional<Target> target_at(const CheckResult& checked, uint32_t offset) {
  for (const Reference& reference : checked.references) {
    if (contains(reference.use, offset)) {
      return Target{reference.use, reference.definition_module, reference.definition, reference.kind};
    }
  }
  const ast::File& file = checked.module->parsed.file;
  auto definition = [&](const ast::Name& name, Reference::Kind kind) -> std::optional<Target> {
    if (!name.empty() && contains(name.span, offset)) return Target{name.span, checked.module, name.span, kind};
    return std::nullopt;
  };
  for (const auto& item : file.entities) {
    if (auto t = definition(item.name, Reference::Kind::Entity)) return t;
    for (const auto& field : item.fields) {
      if (auto t = definition(field.name, Reference::Kind::Field)) return t;
    }
  }
  for (const auto& item : file.templates) {
    if (auto t = definition(item.name, Reference::Kind::Template)) return t;
  }
  for (const auto& item : file.segments) {
    if (auto t = definition(item.name, Reference::Kind::Segment)) return t;
  }
  for (const auto& item : file.sequences) {
    if (auto t = definition(item.name, Reference::Kind::Sequence)) return t;
  }
  for (const SequenceIr& ir : checked.sequences) {
    for (const IrNode& node : ir.nodes) {
      if (node.stmt != nullptr && is_activity(node.kind)) {
        if (auto t = definition(node.stmt->label, Reference::Kind::Step)) return t;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Json Server::definition(const Json& params) {
  Document* document = analysed(require_string(require(params, "textDocument"), "uri"));
  if (document == nullptr || document->result->files.empty() || !document->result->files[0].checked) return nullptr;
  const CheckResult& checked = *document->result->files[0].checked;
  const auto target = target_at(checked, offset_of(*document, require(params, "position")));
  if (!target || target->module == nullptr) return nullptr;
  return {{"uri", file_uri(target->module->path.string())},
          {"range", range_of(Location{target->module->source.get(), target->definition})}};
}

namespace {

/// Every place that names the same definition as `target`, in the open
/// documents' analyses (the definition first).
std::vector<std::pair<const Module*, Span>> occurrences(const std::vector<const CheckResult*>& results,
                                                        const Target& target) {
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

Json Server::references(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  Document* document = analysed(uri);
  if (document == nullptr || document->result->files.empty() || !document->result->files[0].checked) return nullptr;
  const CheckResult& checked = *document->result->files[0].checked;
  const auto target = target_at(checked, offset_of(*document, require(params, "position")));
  if (!target || target->module == nullptr) return Json::array();
  std::vector<const CheckResult*> results;
  for (auto& [other_uri, other] : documents_) {
    Document* open = analysed(other_uri);
    if (open != nullptr && !open->result->files.empty() && open->result->files[0].checked) {
      results.push_back(open->result->files[0].checked.get());
    }
  }
  const bool include_declaration =
      params.contains("context") && params["context"].value("includeDeclaration", true);
  Json locations = Json::array();
  bool first = true;
  for (const auto& [module, span] : occurrences(results, *target)) {
    if (first && !include_declaration) {
      first = false;
      continue;
    }
    first = false;
    locations.push_back({{"uri", file_uri(module->path.string())}, {"range", range_of(Location{module->source.get(), span})}});
  }
  return locations;
}

Json Server::prepare_rename(const Json& params) {
  Document* document = analysed(require_string(require(params, "textDocument"), "uri"));
  if (document == nullptr || document->result->files.empty() || !document->result->files[0].checked) return nullptr;
  const CheckResult& checked = *document->result->files[0].checked;
  const auto target = target_at(checked, offset_of(*document, require(params, "position")));
  if (!target || target->module == nullptr || target->module->is_stdlib) return nullptr;
  const Source& source = *checked.module->source;
  return {{"range", range_of(Location{&source, target->at})},
          {"placeholder", std::string(source.text().substr(target->at.begin, target->at.size()))}};
}

Json Server::rename(const Json& params) {
  const std::string new_name = require_string(params, "newName");
  static const std::regex identifier("[A-Za-z_][A-Za-z0-9_]*");
  static const std::set<std::string> reserved{"and", "or", "not", "in", "is", "null", "true", "false"};
  if (!std::regex_match(new_name, identifier) || reserved.contains(new_name)) {
    throw InvalidParams{fmt::format("'{}' is not a valid name", new_name)};
  }
  Document* document = analysed(require_string(require(params, "textDocument"), "uri"));
  if (document == nullptr || document->result->files.empty() || !document->result->files[0].checked) return nullptr;
  const CheckResult& checked = *document->result->files[0].checked;
  const auto target = target_at(checked, offset_of(*document, require(params, "position")));
  if (!target || target->module == nullptr) return nullptr;
  if (target->module->is_stdlib) throw InvalidParams{"stdlib names cannot be renamed"};
  std::vector<const CheckResult*> results;
  for (auto& [other_uri, other] : documents_) {
    Document* open = analysed(other_uri);
    if (open != nullptr && !open->result->files.empty() && open->result->files[0].checked) {
      results.push_back(open->result->files[0].checked.get());
    }
  }
  Json changes = Json::object();
  for (const auto& [module, span] : occurrences(results, *target)) {
    const std::string uri = file_uri(module->path.string());
    if (!changes.contains(uri)) changes[uri] = Json::array();
    changes[uri].push_back({{"range", range_of(Location{module->source.get(), span})}, {"newText", new_name}});
  }
  return {{"changes", changes}};
}

// Hover --------------------------------------------------------------------------

Json Server::hover(const Json& params) {
  Document* document = analysed(require_string(require(params, "textDocument"), "uri"));
  if (document == nullptr || document->result->files.empty()) return nullptr;
  const FileReport& report = document->result->files[0];
  const uint32_t offset = offset_of(*document, require(params, "position"));
  const Source& source = *report.module->source;
  auto answer = [&](std::string markdown, Span span) {
    return Json{{"contents", {{"kind", "markdown"}, {"value", std::move(markdown)}}},
                {"range", range_of(Location{&source, span})}};
  };
  // A diagnostic name in a suppression comment: its summary.
  for (const Suppression& suppression : find_suppressions(source)) {
    for (const auto& entry : suppression.names) {
      if (!contains(entry.span, offset)) continue;
      const auto kind = find_diagnostic_kind(entry.name);
      if (!kind) return answer(fmt::format("`{}` is not a diagnostic name", entry.name), entry.span);
      const DiagnosticInfo& info = diagnostic_info(*kind);
      return answer(fmt::format("**{}** ({}, {})\n\n{}", info.name, info.code, severity_name(info.default_severity),
                                info.summary),
                    entry.span);
    }
  }
  if (!report.checked) return nullptr;
  const CheckResult& checked = *report.checked;
  // A merge field: its type.
  auto merge_field_hover = [&](const ast::StringLiteral& text) -> std::optional<Json> {
    for (const ast::MergeField& field : text.merge_fields) {
      if (!contains(field.span, offset)) continue;
      auto entity = checked.scope.entities.find(field.entity.text);
      if (entity == checked.scope.entities.end()) return std::nullopt;
      for (const ast::Field& candidate : entity->second.item->fields) {
        if (candidate.name.text != field.field.text) continue;
        static constexpr const char* kTypes[] = {"string", "number", "bool", "date", "option"};
        return answer(fmt::format("`{}.{}`: {}{}{}", field.entity.text, field.field.text,
                                  kTypes[static_cast<int>(candidate.type)],
                                  candidate.nullable ? " (may be empty)" : " (never empty)",
                                  field.fallback ? fmt::format("; fallback \"{}\"", *field.fallback) : std::string()),
                      field.span);
      }
    }
    return std::nullopt;
  };
  for (const ast::Template& item : checked.module->parsed.file.templates) {
    for (const auto& text : item.subjects) {
      if (auto found = merge_field_hover(text)) return *found;
    }
    for (const auto& text : item.bodies) {
      if (auto found = merge_field_hover(text)) return *found;
    }
  }
  for (const SequenceIr& ir : checked.sequences) {
    for (const IrNode& node : ir.nodes) {
      if (node.stmt == nullptr) continue;
      for (const ast::Property& property : node.stmt->properties) {
        if (auto found = merge_field_hover(property.text)) return *found;
      }
    }
  }
  const auto target = target_at(checked, offset);
  if (!target || target->module == nullptr) return nullptr;
  switch (target->kind) {
    case Reference::Kind::Step: {
      for (const SequenceIr& ir : checked.sequences) {
        for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
          const IrNode& node = ir.nodes[i];
          if (node.stmt == nullptr || node.stmt->label.span.begin != target->definition.begin) continue;
          std::string text = fmt::format("**{}** `{}` in sequence `{}`", symbol_kind_word(node.kind),
                                         node.stmt->label.text, ir.sequence->name.text);
          if (!ir.reachable[i]) {
            text += "\n\nNever runs: nothing leads to it.";
          } else {
            const Timing& timing = ir.timing[i];
            const std::string when =
                timing.latest == 0 ? std::string("at enrolment")
                : timing.earliest == timing.latest
                    ? fmt::format("{} after enrolment", duration_text(timing.earliest))
                    : fmt::format("{} to {} after enrolment", duration_text(timing.earliest), duration_text(timing.latest));
            text += fmt::format("\n\nDue {}{}.", when, ir.business_calendar && timing.latest > 0 ? " (business days)" : "");
            std::vector<std::string> from;
            for (uint32_t p : node.predecessors) {
              if (!ir.reachable[p]) continue;
              std::string arm;
              for (const Edge& edge : ir.nodes[p].successors) {
                if (edge.target == i && edge.arm != "next") arm = fmt::format(" ({} arm)", edge.arm);
              }
              from.push_back(fmt::format("{}{}", describe_node(ir, p), arm));
            }
            if (!from.empty()) {
              text += "\n\nReached from: ";
              for (std::size_t k = 0; k < from.size(); ++k) text += (k > 0 ? ", " : "") + from[k];
            } else {
              text += "\n\nThe first step.";
            }
          }
          if (node.email_template != nullptr && !node.email_template->subjects.empty()) {
            text += fmt::format("\n\nTemplate `{}`: \"{}\"", node.email_template->name.text,
                                node.email_template->subjects.front().value);
          }
          return answer(text, target->at);
        }
      }
      return nullptr;
    }
    case Reference::Kind::Template: {
      auto it = checked.scope.templates.find(std::string_view(
          target->module->source->text().substr(target->definition.begin, target->definition.size())));
      if (it == checked.scope.templates.end()) return nullptr;
      const ast::Template& item = *it->second.item;
      return answer(fmt::format("**template** `{}` for `{}`\n\nSubject: \"{}\"", item.name.text, item.entity.text,
                                item.subjects.empty() ? std::string() : item.subjects.front().value),
                    target->at);
    }
    case Reference::Kind::Field: {
      const std::string_view name = target->module->source->text().substr(target->definition.begin, target->definition.size());
      for (const auto& [entity_name, entity] : checked.scope.entities) {
        if (entity.module != target->module) continue;
        for (const ast::Field& field : entity.item->fields) {
          if (field.name.span.begin != target->definition.begin) continue;
          static constexpr const char* kTypes[] = {"string", "number", "bool", "date", "option"};
          return answer(fmt::format("**field** `{}.{}`: {}{}", entity_name, name, kTypes[static_cast<int>(field.type)],
                                    field.nullable ? " (may be empty)" : ""),
                        target->at);
        }
      }
      return nullptr;
    }
    default: {
      static constexpr const char* kWords[] = {"entity", "template", "segment", "sequence", "step", "field"};
      const std::string_view name = target->module->source->text().substr(target->definition.begin, target->definition.size());
      return answer(fmt::format("**{}** `{}` ({})", kWords[static_cast<int>(target->kind)], name,
                                target->module->source->path()),
                    target->at);
    }
  }
}

// Completion ---------------------------------------------------------------------

Json Server::completion(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  auto it = documents_.find(uri);
  if (it == documents_.end()) return Json::array();
  Document& document = it->second;
  const uint32_t offset = offset_of(document, require(params, "position"));
  const std::string_view text = document.text;
  const auto line_begin = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::string_view prefix =
      text.substr(line_begin == std::string_view::npos ? 0 : line_begin + 1,
                  offset - (line_begin == std::string_view::npos ? 0 : line_begin + 1));
  Json items = Json::array();
  auto add = [&](std::string_view label, int kind, std::string detail = {}) {
    Json item{{"label", std::string(label)}, {"kind", kind}};
    if (!detail.empty()) item["detail"] = detail;
    items.push_back(std::move(item));
  };
  // Analysis of the last good state (completion must work on half-typed code).
  Document* analysed_document = analysed(uri);
  const CheckResult* checked = analysed_document != nullptr && !analysed_document->result->files.empty()
                                   ? analysed_document->result->files[0].checked.get()
                                   : nullptr;
  constexpr int kKeyword = 14, kField = 5, kVariable = 6, kEnum = 20, kModule = 9, kEvent = 23, kFunction = 3;
  static const std::regex merge_entity_dot(R"(\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\.[A-Za-z0-9_]*$)");
  static const std::regex merge_open(R"(\{\{\s*[A-Za-z0-9_]*$)");
  static const std::regex wants_step(R"((goto|opened|clicked|replied|bounced|accepted|outcome)\s*\(?\s*[A-Za-z0-9_]*$)");
  static const std::regex wants_template(R"(\btemplate\s+[A-Za-z0-9_]*$)");
  static const std::regex wants_segment(R"(^\s*segment\s+[A-Za-z0-9_]*$)");
  static const std::regex wants_entity(R"((\btarget|\bfor|^\s*segment\s+\w+\s+on)\s+[A-Za-z0-9_]*$)");
  static const std::regex wants_sequence(R"(\bhandoff\s+[A-Za-z0-9_]*$)");
  static const std::regex wants_event(R"(^\s*on\s+[A-Za-z_]*$)");
  static const std::regex wants_signal(R"(\bbranch\s+[A-Za-z_]*$)");
  static const std::regex wants_outcome(R"(\bthen\s+[A-Za-z_]*$)");
  std::smatch match;
  const std::string line(prefix);
  if (std::regex_search(line, match, merge_entity_dot)) {
    if (checked != nullptr) {
      auto entity = checked->scope.entities.find(std::string_view(match[1].str()));
      if (entity != checked->scope.entities.end()) {
        for (const ast::Field& field : entity->second.item->fields) {
          add(field.name.text, kField, field.nullable ? "may be empty: add a fallback" : "never empty");
        }
      }
    }
    return items;
  }
  if (std::regex_search(line, merge_open)) {
    if (checked != nullptr) {
      for (const auto& [name, entity] : checked->scope.entities) add(name, kModule, "entity");
    }
    return items;
  }
  if (std::regex_search(line, wants_step)) {
    if (checked != nullptr) {
      for (const SequenceIr& ir : checked->sequences) {
        if (!contains(ir.sequence->span, offset)) continue;
        for (const IrNode& node : ir.nodes) {
          if (node.stmt != nullptr && is_activity(node.kind)) {
            add(node.stmt->label.text, kVariable, std::string(step_kind_name(node.kind)));
          }
        }
      }
    }
    return items;
  }
  if (std::regex_search(line, wants_template) && checked != nullptr) {
    for (const auto& [name, item] : checked->scope.templates) add(name, kFunction, fmt::format("template for {}", item.item->entity.text));
    return items;
  }
  if (std::regex_search(line, wants_entity) && checked != nullptr) {
    for (const auto& [name, entity] : checked->scope.entities) add(name, kModule, "entity");
    return items;
  }
  if (std::regex_search(line, wants_segment) && checked != nullptr) {
    for (const auto& [name, segment] : checked->scope.segments) add(name, kVariable, fmt::format("segment on {}", segment.item->entity.text));
    return items;
  }
  if (std::regex_search(line, wants_sequence) && checked != nullptr) {
    for (const auto& [name, sequence] : checked->scope.sequences) add(name, kModule, "sequence");
    return items;
  }
  if (std::regex_search(line, wants_event)) {
    for (const char* event : {"replied", "bounced", "unsubscribed", "out_of_office", "meeting_booked"}) add(event, kEvent);
    return items;
  }
  if (std::regex_search(line, wants_signal)) {
    for (const char* signal : {"opened(", "clicked(", "replied", "bounced(", "accepted(", "meeting_booked", "not", "outcome("}) {
      add(signal, kFunction, "signal");
    }
    return items;
  }
  if (std::regex_search(line, wants_outcome)) {
    for (const char* outcome : {"create_opportunity", "qualify", "disqualify", "handoff"}) add(outcome, kEnum);
    return items;
  }
  // Keywords by context: how deep are we, and in what?
  int depth = 0;
  bool in_sequence = false;
  for (uint32_t i = 0; i < offset && i < text.size();) {
    const char c = text[i];
    if (c == '{') ++depth;
    if (c == '}') depth = std::max(0, depth - 1);
    if (depth == 0 && text.substr(i).starts_with("sequence")) in_sequence = true;
    if (depth == 0 && (text.substr(i).starts_with("template") || text.substr(i).starts_with("entity") ||
                       text.substr(i).starts_with("segment"))) {
      in_sequence = false;
    }
    const char* next = grammar::skip_lexeme(text.data() + i, text.data() + text.size());
    i = static_cast<uint32_t>(next - text.data());
  }
  if (depth == 0) {
    for (const char* keyword : {"import", "entity", "template", "segment", "sequence"}) add(keyword, kKeyword);
  } else if (in_sequence) {
    for (const char* keyword : {"email", "sms", "call", "linkedin", "task", "wait", "branch", "exit", "goto"}) add(keyword, kKeyword);
    if (depth == 1) {
      for (const char* keyword : {"title", "target", "segment", "team", "limit", "enroll", "calendar", "on"}) add(keyword, kKeyword);
    }
    for (const char* keyword : {"yes", "no", "connected", "voicemail", "no_answer", "busy", "wrong_number",
                                "not_interested", "callback_later", "else"}) {
      add(keyword, kKeyword, "branch arm");
    }
  } else {
    for (const char* keyword : {"subject", "body", "where"}) add(keyword, kKeyword);
  }
  return items;
}

// Symbols, actions, tokens --------------------------------------------------------

Json Server::document_symbol(const Json& params) {
  Document* document = analysed(require_string(require(params, "textDocument"), "uri"));
  if (document == nullptr || document->result->files.empty() || document->result->files[0].module == nullptr) {
    return Json::array();
  }
  const Module& module = *document->result->files[0].module;
  const Source& source = *module.source;
  auto symbol = [&](std::string_view name, int kind, Span range, Span selection, std::string detail) {
    return Json{{"name", std::string(name)}, {"kind", kind}, {"detail", detail},
                {"range", range_of(Location{&source, range})}, {"selectionRange", range_of(Location{&source, selection})},
                {"children", Json::array()}};
  };
  constexpr int kStruct = 23, kFunction = 12, kClass = 5, kEvent = 24, kVariable = 13;
  Json symbols = Json::array();
  const ast::File& file = module.parsed.file;
  for (const auto& item : file.entities) symbols.push_back(symbol(item.name.text, kStruct, item.span, item.name.span, "entity"));
  for (const auto& item : file.templates) {
    symbols.push_back(symbol(item.name.text, kFunction, item.span, item.name.span, fmt::format("template for {}", item.entity.text)));
  }
  for (const auto& item : file.segments) {
    symbols.push_back(symbol(item.name.text, kVariable, item.span, item.name.span, fmt::format("segment on {}", item.entity.text)));
  }
  // Steps, walked through the AST so that nesting shows as in the source.
  std::function<void(const std::vector<ast::Stmt>&, Json&)> add_steps = [&](const std::vector<ast::Stmt>& body, Json& out) {
    for (const ast::Stmt& stmt : body) {
      if (!stmt.label.empty()) {
        static constexpr const char* kKinds[] = {"email", "sms", "call", "linkedin", "task"};
        out.push_back(symbol(stmt.label.text, kEvent, stmt.span, stmt.label.span, kKinds[static_cast<int>(stmt.kind)]));
      }
      for (const ast::Arm& arm : stmt.arms) add_steps(arm.body, out);
    }
  };
  for (const auto& item : file.sequences) {
    Json entry = symbol(item.name.text, kClass, item.span, item.name.span, "sequence");
    add_steps(item.body, entry["children"]);
    symbols.push_back(std::move(entry));
  }
  return symbols;
}

Json Server::code_action(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  Document* document = analysed(uri);
  if (document == nullptr || document->result->files.empty() || document->result->files[0].unreadable) return Json::array();
  const FileReport& report = document->result->files[0];
  const Source& source = *report.module->source;
  const Json& range = require(params, "range");
  const uint32_t begin = offset_of(*document, require(range, "start"));
  const uint32_t end = offset_of(*document, require(range, "end"));
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
        edits[edit_uri].push_back({{"range", range_of(edit.location)}, {"newText", edit.replacement}});
      }
      actions.push_back({{"title", fix.title}, {"kind", "quickfix"}, {"diagnostics", Json::array({lsp})},
                         {"isPreferred", fix.safe}, {"edit", {{"changes", edits}}}});
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
                             {"edit", {{"changes", {{uri, Json::array({{{"range", range_of(Location{&source, {last.end, last.end}})},
                                                                        {"newText", fmt::format(", {}", diagnostic.info().name)}}})}}}}}});
          break;
        }
      }
      if (!insertion.empty()) {
        actions.push_back({{"title", fmt::format("Suppress {} on this line", diagnostic.info().name)},
                           {"kind", "quickfix"},
                           {"diagnostics", Json::array({lsp})},
                           {"edit", {{"changes", {{uri, Json::array({{{"range", range_of(Location{&source, {line_end, line_end}})},
                                                                      {"newText", insertion}}})}}}}}});
      }
    }
  }
  return actions;
}

Json Server::semantic_tokens(const Json& params) {
  Document* document = analysed(require_string(require(params, "textDocument"), "uri"));
  if (document == nullptr || document->result->files.empty() || document->result->files[0].unreadable) {
    return {{"data", Json::array()}};
  }
  const Module& module = *document->result->files[0].module;
  const Source& source = *module.source;
  const std::string_view text = source.text();
  // Classify parse-tree leaves; other identifiers are keywords.
  std::map<uint32_t, std::pair<uint32_t, int>> classified;  // begin -> (end, type)
  for (const SyntaxNode& node : module.parsed.nodes) {
    int type = -1;
    switch (node.kind) {
      case grammar::NodeKind::Name: type = kVariable; break;
      case grammar::NodeKind::Word: type = kEnumMember; break;
      case grammar::NodeKind::TypeName: type = kType; break;
      case grammar::NodeKind::Duration:
      case grammar::NodeKind::Rate:
      case grammar::NodeKind::Percent:
      case grammar::NodeKind::Integer:
      case grammar::NodeKind::Number: type = kNumber; break;
      case grammar::NodeKind::MergeField: type = kProperty; break;
      case grammar::NodeKind::CompareOp: type = kOperator; break;
      default: break;
    }
    if (type >= 0 && !classified.contains(node.begin)) classified[node.begin] = {node.end, type};
  }
  struct Token {
    uint32_t begin, end;
    int type;
  };
  std::vector<Token> tokens;
  const char* base = text.data();
  const char* end = base + text.size();
  for (const char* p = base; p < end;) {
    const auto at = static_cast<uint32_t>(p - base);
    if (*p == '"' || (*p == '/' && p + 1 < end && (p[1] == '/' || p[1] == '*'))) {
      const char* next = grammar::skip_lexeme(p, end);
      const int type = *p == '"' ? kString : kComment;
      // Strings hold merge fields: emit the pieces around them.
      uint32_t cursor = at;
      const auto stop = static_cast<uint32_t>(next - base);
      if (type == kString) {
        for (auto it = classified.lower_bound(at); it != classified.end() && it->first < stop; ++it) {
          if (it->second.second != kProperty) continue;
          if (it->first > cursor) tokens.push_back({cursor, it->first, kString});
          tokens.push_back({it->first, it->second.first, kProperty});
          cursor = it->second.first;
        }
      }
      if (stop > cursor) tokens.push_back({cursor, stop, type});
      p = next;
      continue;
    }
    if (grammar::is_identifier_char(*p) || *p == '-' || *p == '=' || *p == '!' || *p == '<' || *p == '>') {
      if (auto it = classified.find(at); it != classified.end()) {
        tokens.push_back({at, it->second.first, it->second.second});
        p = base + std::max<uint32_t>(it->second.first, at + 1);
        continue;
      }
      if (grammar::is_identifier_char(*p) && !(*p >= '0' && *p <= '9')) {
        const char* q = p;
        while (q < end && grammar::is_identifier_char(*q)) ++q;
        tokens.push_back({at, static_cast<uint32_t>(q - base), kKeyword});
        p = q;
        continue;
      }
    }
    ++p;
  }
  // Encode: relative positions, one token per line piece.
  Json data = Json::array();
  uint32_t previous_line = 0, previous_start = 0;
  for (const Token& token : tokens) {
    uint32_t piece_begin = token.begin;
    while (piece_begin < token.end) {
      const uint32_t line = source.line_of(piece_begin);
      const std::string_view line_text = source.line_text(line);
      const uint32_t line_end = source.line_start(line) + static_cast<uint32_t>(line_text.size());
      const uint32_t piece_end = std::min(token.end, line_end);
      if (piece_end > piece_begin) {
        const LspPosition start = source.lsp_position(piece_begin, encoding_);
        const uint32_t length = count_code_units(text.substr(piece_begin, piece_end - piece_begin), encoding_);
        const uint32_t delta_line = start.line - previous_line;
        const uint32_t delta_start = delta_line == 0 ? start.character - previous_start : start.character;
        data.insert(data.end(), {delta_line, delta_start, length, token.type, 0});
        previous_line = start.line;
        previous_start = start.character;
      }
      if (line + 1 >= source.line_count()) break;
      piece_begin = source.line_start(line + 1);
    }
  }
  return {{"data", data}};
}

Json Server::formatting(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  auto it = documents_.find(uri);
  if (it == documents_.end()) return nullptr;
  const Document& document = it->second;
  const Source source(document.path.string(), document.text);
  const FormatResult formatted = format_source(source);
  if (!formatted.errors.empty()) return nullptr;  // the diagnostics already say why
  if (formatted.text == source.text()) return Json::array();
  // One edit replacing the whole text (after a BOM, which stays).
  const LspPosition end = source.lsp_position(static_cast<uint32_t>(source.text().size()), encoding_);
  return Json::array({{{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", end.line}, {"character", end.character}}}}},
                       {"newText", formatted.text}}});
}

// The loop -------------------------------------------------------------------------

int run_server(int in_fd, int out_fd, const fs::path& stdlib, int debounce_ms) {
  Server server(stdlib, [out_fd](const Json& message) {
    write_message(out_fd, message.dump(-1, ' ', false, Json::error_handler_t::replace));
  });
  Reader reader(in_fd);
  std::vector<Json> queue;
  while (!server.exited()) {
    const Reader::Result read = reader.next(server.has_pending() ? debounce_ms : -1);
    if (read.status == Reader::Status::Timeout) {
      server.flush();
      continue;
    }
    if (read.status == Reader::Status::Closed) break;
    if (read.status == Reader::Status::Invalid) {
      write_message(out_fd, Json{{"jsonrpc", "2.0"},
                                 {"method", "window/logMessage"},
                                 {"params", {{"type", 1}, {"message", read.error}}}}
                                .dump());
      continue;
    }
    // Take every message already waiting, so that a cancellation can reach a
    // request queued before it.
    queue.clear();
    std::vector<std::string> bodies{read.body};
    while (reader.has_buffered_message()) {
      const Reader::Result more = reader.next(0);
      if (more.status == Reader::Status::Message) bodies.push_back(more.body);
      else break;
    }
    for (const std::string& body : bodies) {
      Json message = Json::parse(body, nullptr, false);
      if (message.is_discarded()) {
        write_message(out_fd, Json{{"jsonrpc", "2.0"},
                                   {"id", nullptr},
                                   {"error", {{"code", kParseError}, {"message", "the message is not valid JSON"}}}}
                                  .dump());
        continue;
      }
      queue.push_back(std::move(message));
    }
    std::set<std::string> cancelled;
    for (const Json& message : queue) {
      if (message.is_object() && message.value("method", "") == "$/cancelRequest" && message.contains("params") &&
          message["params"].contains("id")) {
        cancelled.insert(message["params"]["id"].dump());
      }
    }
    for (const Json& message : queue) {
      const bool is_request = message.is_object() && message.contains("id") && message.contains("method");
      if (is_request && cancelled.contains(message["id"].dump())) {
        server.cancel(message);
        continue;
      }
      // Requests analyse what they need themselves; publishing waits for
      // the debounce, so typing does not re-publish on every keystroke.
      server.handle(message);
      if (server.exited()) break;
    }
  }
  return server.exited() ? server.exit_code() : 1;
}

}  // namespace cadence::lsp
