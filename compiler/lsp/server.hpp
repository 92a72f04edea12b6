// `cadence lsp`: a Language Server Protocol 3.17 server over the library.
//
// The Server class is split by feature, as clangd is: server.cpp holds the
// lifecycle, text sync, analysis and publishing; hover.cpp, navigation.cpp
// (definition, references, rename), completion.cpp, actions.cpp (code actions
// and formatting) and symbols.cpp (document symbols and semantic tokens) each
// answer their requests from the analysis; cursor.cpp finds what is under the
// cursor for all of them.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "driver/run.hpp"
#include "lsp/document.hpp"
#include "lsp/protocol.hpp"
#include "sema/workspace.hpp"

namespace cadence::lsp {

/// The protocol logic, independent of transport: messages in, messages out
/// (through `send`). Diagnostics are published by flush(), which the main
/// loop calls once edits have settled (the debounce).
class Server {
 public:
  Server(const std::filesystem::path& stdlib, std::function<void(const Json&)> send);
  ~Server();

  /// Handles one request or notification.
  void handle(const Json& message);
  /// Answers a request with RequestCancelled instead of handling it.
  void cancel(const Json& request);
  /// Re-checks the documents changed since the last flush (and the open
  /// documents importing them) and publishes their diagnostics.
  void flush();
  [[nodiscard]] bool has_pending() const { return !pending_.empty(); }
  [[nodiscard]] bool exited() const { return exited_; }
  /// 0 when `exit` came after `shutdown`, else 1.
  [[nodiscard]] int exit_code() const { return shutdown_ ? 0 : 1; }

 private:
  struct Document {
    std::string uri;
    std::filesystem::path path;
    /// The editor's text, edited in place.
    TextDocument text;
    int64_t version = 0;
    /// Edited since its text was last given to the workspace.
    bool dirty = false;
    /// The latest analysis (null until the document is checked).
    std::unique_ptr<RunResult> result;

    /// The analysis of this file, if it was checked.
    [[nodiscard]] const FileReport* report() const {
      return result == nullptr || result->files.empty() ? nullptr : &result->files.front();
    }
    [[nodiscard]] const CheckResult* checked() const {
      const FileReport* file = report();
      return file == nullptr ? nullptr : file->checked.get();
    }
  };

  void respond(const Json& id, Json result);
  void respond_error(const Json& id, int code, const std::string& message);
  void notify(const std::string& method, Json params);
  void log(const std::string& message);

  Json initialize(const Json& params);
  void did_open(const Json& params);
  void did_change(const Json& params);
  void did_close(const Json& params);
  void did_save(const Json& params);
  void did_change_watched_files(const Json& params);

  // Features, one file each.
  Json hover(const Json& params);
  Json definition(const Json& params);
  Json references(const Json& params);
  Json prepare_rename(const Json& params);
  Json rename(const Json& params);
  Json completion(const Json& params);
  Json document_symbol(const Json& params);
  Json code_action(const Json& params);
  Json semantic_tokens(const Json& params);
  Json formatting(const Json& params);

  /// The document at `uri`, analysed and up to date (null if not open).
  Document* analysed(const std::string& uri);
  /// The document a request's `textDocument` names, analysed.
  Document* analysed_from(const Json& params);
  /// Every open document's check, analysed (for references and rename).
  std::vector<const CheckResult*> open_checks();
  /// Refuses (InvalidParams) a rename whose new name is already in use
  /// where the renamed name lives: the renamed texts would have a
  /// duplicate-definition error the current ones do not.
  void refuse_collision(const std::vector<std::pair<const Module*, Span>>& places, const std::string& new_name);
  void mark_changed(const std::filesystem::path& path);
  /// Gives the workspace the text of every document edited since.
  void sync_overlay();
  void analyse(Document& document);
  void publish(const Document& document);
  [[nodiscard]] Json range_of(const Location& location) const;
  /// The offset into the analysed source (which has no byte order mark) of
  /// a request's `position`.
  [[nodiscard]] uint32_t source_offset(const Document& document, const Json& position) const;

  std::function<void(const Json&)> send_;
  DiskFileSystem disk_;
  OverlayFileSystem files_{&disk_};
  std::unique_ptr<Workspace> workspace_;
  /// The facts of the project's other files, kept between checks.
  FactsCache facts_cache_;
  std::map<std::string, Document> documents_;  // by URI
  /// The client confirms annotated edits (workspaceEdit.changeAnnotationSupport
  /// with documentChanges): a rename that strands live enrolments asks first.
  bool change_annotations_ = false;
  std::set<std::string> pending_;  // URIs to re-check and publish
  PositionEncoding encoding_ = PositionEncoding::Utf16;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exited_ = false;
};

/// Handles the message bodies read together from the transport: each is
/// parsed (a ParseError response when it is not JSON), requests cancelled by
/// a `$/cancelRequest` of the same batch are answered RequestCancelled, and
/// the rest reach `server` in order. `write` sends a body that did not come
/// from the server (a ParseError). Never throws for anything a client sends.
void handle_batch(Server& server, const std::vector<std::string>& bodies,
                  const std::function<void(const std::string&)>& write);

/// The id a `$/cancelRequest` notification cancels, as its JSON text; nothing
/// for any other message, or one whose params are malformed.
[[nodiscard]] std::optional<std::string> cancelled_request(const Json& message);

/// Runs the server on file descriptors until `exit` or end of input.
/// Returns the process exit code.
int run_server(int in_fd, int out_fd, const std::filesystem::path& stdlib, int debounce_ms);

}  // namespace cadence::lsp
