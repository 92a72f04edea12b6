// Loading files and their imports: the set of parsed modules one run works on.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.hpp"
#include "source/source.hpp"
#include "syntax/ast.hpp"
#include "syntax/parser.hpp"

namespace cadence {

/// Where source text comes from. The command line reads the disk; the
/// language server serves open editor buffers first.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  /// The file's bytes, or an error message (e.g. "No such file or directory").
  struct ReadResult {
    std::optional<std::string> bytes;
    std::string error;
  };
  [[nodiscard]] virtual ReadResult read(const std::filesystem::path& path) = 0;
  [[nodiscard]] virtual bool is_file(const std::filesystem::path& path) = 0;
};

/// Reads the real disk.
class DiskFileSystem final : public FileSystem {
 public:
  [[nodiscard]] ReadResult read(const std::filesystem::path& path) override;
  [[nodiscard]] bool is_file(const std::filesystem::path& path) override;
};

/// Serves in-memory files first (editor buffers, test fixtures) and falls
/// back to another file system, if any, for the rest.
class OverlayFileSystem final : public FileSystem {
 public:
  explicit OverlayFileSystem(FileSystem* fallback = nullptr) : fallback_(fallback) {}
  /// Adds or replaces a file; `path` is made absolute and normal.
  void set(const std::filesystem::path& path, std::string contents);
  void erase(const std::filesystem::path& path);
  [[nodiscard]] ReadResult read(const std::filesystem::path& path) override;
  [[nodiscard]] bool is_file(const std::filesystem::path& path) override;

 private:
  FileSystem* fallback_;
  std::mutex mutex_;
  std::map<std::filesystem::path, std::string> files_;
};

/// Finds the stdlib: `explicit_dir` if given, else $CADENCE_STDLIB, else next
/// to the installed binary, else the source tree it was built from.
[[nodiscard]] std::filesystem::path find_stdlib(const std::optional<std::filesystem::path>& explicit_dir);

/// One parsed file and its resolved imports.
struct Module {
  /// The normalised absolute path, the module's identity.
  std::filesystem::path path;
  std::unique_ptr<Source> source;
  ParseResult parsed;
  /// Diagnostics found while reading and parsing, and import errors.
  std::vector<Diagnostic> diagnostics;
  bool is_stdlib = false;
  bool unreadable = false;
  /// The modules named by each import, parallel to parsed.file.imports
  /// (null where the import failed).
  std::vector<const Module*> imports;
  /// The stdlib's owner schema, always in scope for merge fields.
  const Module* owner_module = nullptr;
  /// Errors in this module's own parse or imports (set by Workspace).
  std::size_t error_count = 0;
};

/// Owns every module of a run; each file is read and parsed once, however
/// many files import it. Thread-safe.
class Workspace {
 public:
  Workspace(FileSystem& files, std::filesystem::path stdlib_dir);

  /// Loads `path` (as the user named it) and, transitively, its imports.
  /// Never null: an unreadable file yields a module with `unreadable` set and
  /// an error diagnostic.
  const Module& load(const std::filesystem::path& path);

  /// Forgets a module (and the modules that import it) so the next load
  /// reads it again; for editors. Returns the paths forgotten.
  std::vector<std::filesystem::path> invalidate(const std::filesystem::path& path);

  [[nodiscard]] const std::filesystem::path& stdlib_dir() const { return stdlib_dir_; }

 private:
  Module& load_locked(const std::filesystem::path& absolute, const std::string& display_path, bool is_stdlib,
                      std::vector<const Module*>& stack);
  void resolve_imports(Module& module, std::vector<const Module*>& stack);
  [[nodiscard]] std::filesystem::path project_root(const std::filesystem::path& file);

  FileSystem& files_;
  std::filesystem::path stdlib_dir_;
  std::recursive_mutex mutex_;
  std::map<std::filesystem::path, std::unique_ptr<Module>> modules_;
};

/// Lexically normal absolute form of a path.
[[nodiscard]] std::filesystem::path normal_path(const std::filesystem::path& path);

}  // namespace cadence
