#include "lsp/server.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "diag/explain.hpp"
#include "diag/render.hpp"
#include "lsp/transport.hpp"
#include "support/json_input.hpp"

namespace cadence::lsp {
namespace fs = std::filesystem;

Server::Server(const fs::path& stdlib, std::function<void(const Json&)> send)
    : send_(std::move(send)), workspace_(std::make_unique<Workspace>(files_, stdlib)) {}

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
    if (is_request)
      respond_error(id, kInvalidParams, error.message);
    else
      log(fmt::format("ignored '{}': {}", method, error.message));
  } catch (const Json::exception& error) {
    if (is_request)
      respond_error(id, kInvalidParams, error.what());
    else
      log(fmt::format("ignored '{}': {}", method, error.what()));
  } catch (const std::exception& error) {
    // Whatever else goes wrong answers this message only: the server lives on.
    if (is_request)
      respond_error(id, kInternalError, fmt::format("internal error: {}", error.what()));
    else
      log(fmt::format("ignored '{}': internal error: {}", method, error.what()));
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
    const Json* workspace_edit = nullptr;
    if (capabilities.contains("workspace") && capabilities["workspace"].is_object() &&
        capabilities["workspace"].contains("workspaceEdit") && capabilities["workspace"]["workspaceEdit"].is_object()) {
      workspace_edit = &capabilities["workspace"]["workspaceEdit"];
    }
    change_annotations_ = workspace_edit != nullptr && workspace_edit->value("documentChanges", false) == true &&
                          workspace_edit->contains("changeAnnotationSupport");
  }
  const Json legend = {{"tokenTypes",
                        {"keyword", "variable", "function", "type", "string", "number", "comment", "property",
                         "enumMember", "operator"}},
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
  // The rules across files read every file of a project: a change to one
  // re-checks the open files of its project (a team's load, duplicate names).
  const Project project = workspace_->project(normal_path(path));
  for (auto& [uri, document] : documents_) {
    const bool affected =
        document.path == path ||
        std::find(forgotten.begin(), forgotten.end(), normal_path(document.path)) != forgotten.end() ||
        (project.holds(normal_path(document.path)) && workspace_->project(normal_path(document.path)) == project);
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
  document.text.set_text(require_string(item, "text"));
  document.version = item.value("version", 0);
  // The new text is in place before the workspace forgets what it changes:
  // which handoffs it can answer differently depends on it.
  document.dirty = true;
  sync_overlay();
  mark_changed(*path);
}

uint32_t Server::source_offset(const Document& document, const Json& position) const {
  // Source drops a byte order mark; the document keeps it.
  const uint32_t offset = document.text.offset_of(require_position(position), encoding_);
  return document.text.starts_with_bom() ? offset - 3 : offset;
}

void Server::did_change(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  auto it = documents_.find(uri);
  if (it == documents_.end()) throw InvalidParams{fmt::format("'{}' is not open", uri)};
  Document& document = it->second;
  const Json& changes = require(params, "contentChanges");
  if (!changes.is_array()) throw InvalidParams{"'contentChanges' must be an array"};
  for (const Json& change : changes) {
    if (!change.is_object() || !change.contains("range")) {
      document.text.set_text(require_string(change, "text"));
      continue;
    }
    // Each edit costs its own size: the document is a gap buffer with an
    // incremental line table, and the text is copied out only to analyse it.
    const Json& range = change["range"];
    const uint32_t begin = document.text.offset_of(require_position(require(range, "start")), encoding_);
    const uint32_t end = document.text.offset_of(require_position(require(range, "end")), encoding_);
    document.text.replace(begin, std::max(begin, end), require_string(change, "text"));
  }
  const Json& item = params["textDocument"];
  if (item.contains("version") && item["version"].is_number_integer())
    document.version = item["version"].get<int64_t>();
  else
    ++document.version;
  document.dirty = true;
  sync_overlay();
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

void Server::sync_overlay() {
  for (auto& [uri, document] : documents_) {
    if (!document.dirty) continue;
    files_.set(document.path, document.text.text());
    document.dirty = false;
  }
}

void Server::analyse(Document& document) {
  sync_overlay();
  RunOptions options;
  options.keep_analysis = true;
  options.project = true;
  options.facts_cache = &facts_cache_;
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

Server::Document* Server::analysed_from(const Json& params) {
  return analysed(require_string(require(params, "textDocument"), "uri"));
}

std::vector<const CheckResult*> Server::open_checks() {
  std::vector<const CheckResult*> results;
  for (auto& [uri, document] : documents_) {
    const Document* open = analysed(uri);
    if (open != nullptr && open->checked() != nullptr) results.push_back(open->checked());
  }
  return results;
}

void Server::publish(const Document& document) {
  Json diagnostics = Json::array();
  const RunResult& result = *document.result;
  if (result.config_error) {
    diagnostics.push_back(
        {{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}},
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

// The loop -------------------------------------------------------------------------

std::optional<std::string> cancelled_request(const Json& message) {
  if (!message.is_object()) return std::nullopt;
  const auto method = message.find("method");
  if (method == message.end() || !method->is_string() || method->get_ref<const std::string&>() != "$/cancelRequest")
    return std::nullopt;
  const auto params = message.find("params");
  if (params == message.end() || !params->is_object()) return std::nullopt;
  const auto id = params->find("id");
  // Request ids are numbers or strings (JSON-RPC 2.0).
  if (id == params->end() || !(id->is_number_integer() || id->is_string())) return std::nullopt;
  return id->dump();
}

void handle_batch(Server& server, const std::vector<std::string>& bodies,
                  const std::function<void(const std::string&)>& write) {
  std::vector<Json> queue;
  queue.reserve(bodies.size());
  for (const std::string& body : bodies) {
    // Nesting is bounded before parsing: a message of 100,000 nested
    // arrays must not exhaust the stack when it is copied or printed.
    std::string error;
    auto message = parse_json_input(body, error);
    if (!message) {
      write(Json{
          {"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", kParseError}, {"message", "the message " + error}}}}
                .dump());
      continue;
    }
    queue.push_back(std::move(*message));
  }
  std::set<std::string> cancelled;
  for (const Json& message : queue) {
    if (auto id = cancelled_request(message)) cancelled.insert(std::move(*id));
  }
  for (const Json& message : queue) {
    // Only a well-formed request can be cancelled; anything else goes to
    // handle(), which answers what is malformed.
    if (!cancelled.empty() && message.is_object()) {
      const auto method = message.find("method");
      const auto id = message.find("id");
      if (method != message.end() && method->is_string() && id != message.end() && cancelled.contains(id->dump())) {
        server.cancel(message);
        continue;
      }
    }
    // Requests analyse what they need themselves; publishing waits for
    // the debounce, so typing does not re-publish on every keystroke.
    server.handle(message);
    if (server.exited()) break;
  }
}

int run_server(int in_fd, int out_fd, const fs::path& stdlib, int debounce_ms) {
  Server server(stdlib, [out_fd](const Json& message) {
    write_message(out_fd, message.dump(-1, ' ', false, Json::error_handler_t::replace));
  });
  Reader reader(in_fd);
  while (!server.exited()) {
    const Reader::Result read = reader.next(server.has_pending() ? debounce_ms : -1);
    if (read.status == Reader::Status::Timeout) {
      server.flush();
      continue;
    }
    if (read.status == Reader::Status::Closed) {
      if (!read.error.empty()) {
        write_message(out_fd, Json{{"jsonrpc", "2.0"},
                                   {"method", "window/logMessage"},
                                   {"params", {{"type", 1}, {"message", read.error}}}}
                                  .dump());
      }
      break;
    }
    if (read.status == Reader::Status::Invalid) {
      write_message(
          out_fd,
          Json{{"jsonrpc", "2.0"}, {"method", "window/logMessage"}, {"params", {{"type", 1}, {"message", read.error}}}}
              .dump());
      continue;
    }
    // Take every message already waiting, so that a cancellation can reach a
    // request queued before it.
    std::vector<std::string> bodies{read.body};
    while (reader.has_buffered_message()) {
      const Reader::Result more = reader.next(0);
      if (more.status == Reader::Status::Message)
        bodies.push_back(more.body);
      else
        break;
    }
    handle_batch(server, bodies, [out_fd](const std::string& body) { write_message(out_fd, body); });
  }
  return server.exited() ? server.exit_code() : 1;
}

}  // namespace cadence::lsp
