// Loading files and their imports: the set of parsed modules one run works on.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.hpp"
#include "source/source.hpp"
#include "support/paths.hpp"
#include "syntax/ast.hpp"
#include "syntax/parser.hpp"

namespace cadence {

struct CheckResult;

/// Where source text comes from. The command line reads the disk; the
/// language server serves open editor buffers first.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  /// The file's bytes, or an error message (e.g. "No such file or directory").
  struct ReadResult {
    std::optional<std::string> bytes;
    std::string error;
    /// The file does not exist (any more): a walk that listed it skips it.
    bool missing = false;
  };
  [[nodiscard]] virtual ReadResult read(const std::filesystem::path& path) = 0;
  [[nodiscard]] virtual bool is_file(const std::filesystem::path& path) = 0;
  /// The path with every symbolic link resolved (nothing if it does not
  /// exist): what decides whether a file lies inside the project.
  [[nodiscard]] virtual std::optional<std::filesystem::path> real_path(const std::filesystem::path& path) = 0;
  /// The deepest directory at or above `directory` (absolute and normal)
  /// that holds a regular file `name`: where a project's cadence.toml is.
  [[nodiscard]] virtual std::optional<std::filesystem::path> nearest_holding(const std::filesystem::path& directory,
                                                                             std::string_view name) = 0;
};

/// Reads the real disk. Only regular files are read (a pipe or device named
/// as a source is refused, never waited on), up to kMaxSourceBytes.
class DiskFileSystem final : public FileSystem {
 public:
  [[nodiscard]] ReadResult read(const std::filesystem::path& path) override;
  [[nodiscard]] bool is_file(const std::filesystem::path& path) override;
  [[nodiscard]] std::optional<std::filesystem::path> real_path(const std::filesystem::path& path) override;
  [[nodiscard]] std::optional<std::filesystem::path> nearest_holding(const std::filesystem::path& directory,
                                                                     std::string_view name) override;
};

/// Serves in-memory files first (editor buffers, test fixtures) and falls
/// back to another file system, if any, for the rest.
class OverlayFileSystem final : public FileSystem {
 public:
  explicit OverlayFileSystem(FileSystem* fallback = nullptr) : fallback_(fallback) {}
  /// Adds or replaces a file; `path` is made absolute and normal.
  void set(const std::filesystem::path& path, std::string contents);
  /// Makes `path` a symbolic link to `target` (relative to the link's
  /// directory unless absolute), as on disk: reads follow it, real_path
  /// resolves it. For tests and fuzzing of the containment rules.
  void link(const std::filesystem::path& path, const std::filesystem::path& target);
  void erase(const std::filesystem::path& path);
  [[nodiscard]] ReadResult read(const std::filesystem::path& path) override;
  [[nodiscard]] bool is_file(const std::filesystem::path& path) override;
  [[nodiscard]] std::optional<std::filesystem::path> real_path(const std::filesystem::path& path) override;
  /// The deeper of an in-memory file's directory and the fallback's answer
  /// (in-memory links are not followed for this).
  [[nodiscard]] std::optional<std::filesystem::path> nearest_holding(const std::filesystem::path& directory,
                                                                     std::string_view name) override;

 private:
  /// Where `path` leads through links (the lock is held).
  [[nodiscard]] std::filesystem::path follow(const std::filesystem::path& path) const;

  FileSystem* fallback_;
  std::mutex mutex_;
  std::map<std::filesystem::path, std::string> files_;
  std::map<std::filesystem::path, std::filesystem::path> links_;
};

/// Finds the stdlib: `explicit_dir` if given, else $CADENCE_STDLIB, else next
/// to the installed binary, else the source tree it was built from.
[[nodiscard]] std::filesystem::path find_stdlib(const std::optional<std::filesystem::path>& explicit_dir);

class Workspace;

/// One parsed file and its resolved imports.
struct Module {
  Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  /// Frees a chain of imports iteratively: a long chain must not recurse
  /// once per link.
  ~Module();

  /// The normalised absolute path, the module's identity.
  std::filesystem::path path;
  /// The workspace that loaded it, where a handoff to a sequence of another
  /// file of the project is looked up; valid while the workspace lives.
  Workspace* workspace = nullptr;
  std::shared_ptr<const Source> source;
  ParseResult parsed;
  /// Diagnostics found while reading and parsing, and import errors.
  std::vector<Diagnostic> diagnostics;
  bool is_stdlib = false;
  bool unreadable = false;
  /// Unreadable because the file does not exist (any more).
  bool missing = false;
  /// The modules named by each import, parallel to parsed.file.imports
  /// (null where the import failed). These edges never form a cycle.
  std::vector<const Module*> imports;
  /// Where each import leads (its normalised absolute path; empty when the
  /// import names no file), even when it failed: editors re-check a module
  /// when a file it imports appears or changes.
  std::vector<std::filesystem::path> import_paths;
  /// The stdlib's owner schema, always in scope for merge fields.
  const Module* owner_module = nullptr;
  /// Errors in this module's own parse or imports (set by Workspace).
  std::size_t error_count = 0;
  /// Keeps `imports` and `owner_module` alive while this module is.
  std::vector<std::shared_ptr<const Module>> dependencies;
  /// How many loaded modules import this one (set by Workspace).
  std::size_t importers = 0;
  /// Set under the workspace lock once imports are resolved; read without it.
  std::atomic<bool> resolved{false};
  /// Some thread has parsed this module's imports ahead of resolution.
  std::atomic<bool> prefetched{false};
  /// The result of checking this module, computed once however many
  /// modules import it (see check_module).
  mutable std::once_flag check_once;
  mutable std::atomic<bool> check_done{false};
  mutable std::shared_ptr<const CheckResult> check_result;
};

/// `module` and every module it depends on (imports, the owner schema),
/// each once, `module` first.
[[nodiscard]] std::vector<const Module*> module_closure(const Module& module);

/// Owns the modules of a run; each file is read and parsed once, however
/// many files import it. Thread-safe: files are read and parsed in parallel
/// outside any lock; only resolving imports (cheap, and where cycles are
/// found) takes the workspace's lock. Every answer is the same whatever the
/// order in which threads load files: display paths are fixed up front, and
/// an import cycle is reported on each import that is part of one.
class Workspace {
 public:
  Workspace(FileSystem& files, const std::filesystem::path& stdlib_dir);

  /// Records how the user named the files of a run (as given on the command
  /// line); messages show these names. Other files are shown relative to the
  /// current directory when below it and all named files were relative
  /// paths, else by their absolute path (stdlib files always so). Call before
  /// loading.
  void name_files(const std::vector<std::filesystem::path>& paths);

  /// Loads `path` and, transitively, its imports. Never null: an unreadable
  /// file (missing, not a regular file, a link out of its project) yields a
  /// module with `unreadable` set and an error diagnostic. The module stays
  /// in the workspace until invalidated or released; the pointer keeps it
  /// alive regardless.
  std::shared_ptr<const Module> load(const std::filesystem::path& path);

  /// Forgets a module so that the next load reads it again, with the modules
  /// that import it, and those of its project whose handoff look-ups it can
  /// answer differently now (they looked up a name it defines or defined,
  /// or failed a look-up while the project's names changed); for editors,
  /// which must have put the new text in place first. Returns the paths
  /// forgotten.
  std::vector<std::filesystem::path> invalidate(const std::filesystem::path& path);

  /// Drops the workspace's hold on a module that no loaded module imports, so
  /// that a run over many files keeps only the files in flight (and shared
  /// imports) in memory. A later load reads the file again. Modules without
  /// sequences (libraries of templates and schemas, which other files
  /// import) are kept, so that they are checked once per run.
  void release(const std::filesystem::path& path);

  /// The text of `path` without parsing it: the loaded module's if there is
  /// one, else read now (empty if it cannot be read any more).
  std::shared_ptr<const Source> read_source(const std::filesystem::path& path);
  /// The bytes of `path` as the workspace would load them (open buffers
  /// first), without keeping or parsing them; empty if it cannot be read.
  std::string read_bytes(const std::filesystem::path& path);
  /// Keeps bytes just read for a scan (read_bytes) for the parse of the
  /// same file that follows, so that a run reads each file once: up to
  /// kReadAheadBytes in all, beyond which the parse reads the file again.
  /// invalidate() drops a file's kept bytes; drop_read_ahead() drops what a
  /// run kept and did not parse.
  void keep_read_ahead(const std::filesystem::path& path, std::string bytes);
  void drop_read_ahead();
  static constexpr std::size_t kReadAheadBytes = std::size_t{4} << 20;

  /// The project of `file` (support/paths.hpp), found through this
  /// workspace's file system: its root bounds the file's imports.
  [[nodiscard]] Project project(const std::filesystem::path& file);
  [[nodiscard]] std::filesystem::path project_root(const std::filesystem::path& file) { return project(file).root; }

  [[nodiscard]] const std::filesystem::path& stdlib_dir() const { return stdlib_dir_; }

  /// The files of the project of `file` (project_sources) whose text has
  /// `sequence NAME`, `file` included: a scan that parses nothing (words in
  /// comments count too), made once per project and kept until invalidate().
  [[nodiscard]] std::vector<std::filesystem::path> files_mentioning_sequence(const std::filesystem::path& file,
                                                                             std::string_view name);
  /// Loads a file whose sequence a handoff of `looker` names, and keeps it
  /// for as long as the looker's module lives in the workspace (however the
  /// run releases files, and after the target itself is invalidated): the
  /// looker's references into it must stay valid. It is kept here rather
  /// than by the looker's module, since two sequences may hand off to each
  /// other.
  std::shared_ptr<const Module> load_handoff_target(const std::filesystem::path& looker,
                                                    const std::filesystem::path& path);
  /// Whether two absolute paths name one file (a link, or the same path):
  /// a file reached under two names is one file.
  [[nodiscard]] bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);
  /// Every name that scan finds in the project of `file` (for did-you-mean).
  [[nodiscard]] std::vector<std::string> project_sequence_names(const std::filesystem::path& file);

 private:
  struct Entry {
    std::once_flag parse_once;
    std::shared_ptr<Module> module = std::make_shared<Module>();
  };
  /// Where an import leads, or why it cannot be followed.
  struct ImportTarget {
    std::filesystem::path target;
    bool is_stdlib = false;
    std::string error;
    std::optional<Note> note;
  };

  /// The module at `absolute`, read and parsed (once, by whichever thread
  /// asks first; others wait for that parse only). Imports are not resolved.
  std::shared_ptr<Module> parsed(const std::filesystem::path& absolute, bool is_stdlib);
  /// Parses, in this thread and without the lock, every module `root`
  /// imports directly or indirectly, so that resolving finds them ready.
  void parse_imports_ahead(const std::shared_ptr<Module>& root);
  [[nodiscard]] ImportTarget import_target(const Module& module, const ast::Import& import);
  /// The stdlib's owner module, whose fields every merge may read.
  [[nodiscard]] const std::filesystem::path& owner_path() const { return owner_path_; }
  /// The real path of a file (cached for the run).
  [[nodiscard]] std::optional<std::filesystem::path> real_path(const std::filesystem::path& absolute);
  /// Whether an import's target is a regular file, asked of the file system
  /// once per path until invalidate() (every importer of the stdlib asks).
  [[nodiscard]] bool is_import_file(const std::filesystem::path& absolute);
  /// Why `absolute` may not be read (a link that leads out of `root`), if so.
  [[nodiscard]] std::optional<std::string> escapes(const std::filesystem::path& absolute,
                                                   const std::filesystem::path& root);
  /// Resolves the imports of `root` and of every unresolved module it
  /// reaches, under the lock, without recursion.
  void resolve(const std::shared_ptr<Module>& root);
  [[nodiscard]] std::string display_path(const std::filesystem::path& absolute, bool is_stdlib) const;

  FileSystem& files_;
  std::filesystem::path stdlib_dir_;
  std::filesystem::path owner_path_;
  /// "std/NAME" for each module of the stdlib, for did-you-mean on imports.
  [[nodiscard]] const std::vector<std::string>& stdlib_modules();
  std::once_flag stdlib_modules_once_;
  std::vector<std::string> stdlib_modules_;
  std::filesystem::path current_dir_;
  std::map<std::filesystem::path, std::string> names_;
  bool relative_names_ = false;
  bool absolute_names_ = false;
  /// Guards `modules_` (briefly).
  std::mutex map_mutex_;
  /// Serialises import resolution.
  std::mutex resolve_mutex_;
  std::map<std::filesystem::path, std::shared_ptr<Entry>> modules_;
  /// keep_read_ahead's bytes by absolute path, and their total (map_mutex_).
  std::map<std::filesystem::path, std::string> read_ahead_;
  std::size_t read_ahead_bytes_ = 0;
  /// The kept bytes of `absolute`, handed over (and forgotten), if any.
  std::optional<std::string> take_read_ahead(const std::filesystem::path& absolute);
  /// The same with map_mutex_ held.
  std::optional<std::string> forget_read_ahead(const std::filesystem::path& absolute);
  /// Project roots by directory, and the real paths of roots (links
  /// resolved), found once per run.
  std::mutex root_mutex_;
  std::map<std::filesystem::path, Project> roots_;
  std::map<std::filesystem::path, std::filesystem::path> real_roots_;
  std::map<std::filesystem::path, std::optional<std::filesystem::path>> real_paths_;
  std::map<std::filesystem::path, bool> import_files_;
  /// files_mentioning_sequence's scans, by project root.
  using SequenceIndex = std::map<std::string, std::vector<std::filesystem::path>, std::less<>>;
  std::mutex project_mutex_;
  /// The handoff targets each module loaded (load_handoff_target), by the
  /// looker's path.
  std::map<std::filesystem::path, std::vector<std::shared_ptr<const Module>>> handoff_targets_;
  /// The sequence names `absolute` defined when it was last loaded or
  /// scanned; the lock of the maps is held.
  [[nodiscard]] std::set<std::string, std::less<>> sequence_names_defined(const std::filesystem::path& absolute);
  struct ProjectIndex {
    Project project;
    std::shared_ptr<const SequenceIndex> index;
  };
  std::map<std::filesystem::path, ProjectIndex> project_sequences_;
  [[nodiscard]] std::shared_ptr<const SequenceIndex> project_sequences(const std::filesystem::path& file);
  /// Brings the scans that cover `absolute` up to date with its text (an
  /// edit rescans one file, not the project); the lock is held.
  void rescan_sequences(const std::filesystem::path& absolute);
  /// Files changed since the scans were made, rescanned at the next lookup
  /// (by then an editor's buffer is in place).
  std::set<std::filesystem::path> stale_sequence_files_;
};

/// Lexically normal absolute form of a path.
[[nodiscard]] std::filesystem::path normal_path(const std::filesystem::path& path);

}  // namespace cadence
