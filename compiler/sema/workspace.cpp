#include "sema/workspace.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "cadence/lexical.hpp"
#include "sema/check.hpp"
#include "support/paths.hpp"
#include "support/suggest.hpp"

namespace cadence {
namespace fs = std::filesystem;

namespace {

/// Where the running binary is, to find an installed stdlib next to it.
std::optional<fs::path> executable_dir() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return std::nullopt;
  return self.parent_path();
}

}  // namespace

fs::path normal_path(const fs::path& path) { return absolute_normal(path); }

FileSystem::ReadResult DiskFileSystem::read(const fs::path& path) {
  // Non-blocking, so that a pipe named as a source cannot hang the run
  // before it is recognised and refused.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return {std::nullopt, std::strerror(errno), errno == ENOENT};
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) return {std::nullopt, std::strerror(errno)};
  if (S_ISDIR(info.st_mode)) return {std::nullopt, "is a directory"};
  if (!S_ISREG(info.st_mode)) return {std::nullopt, "not a regular file (a pipe, device or socket)"};
  if (static_cast<std::size_t>(info.st_size) > kMaxSourceBytes) {
    return {std::nullopt,
            fmt::format("file is too large ({} bytes); the limit is {} bytes", info.st_size, kMaxSourceBytes)};
  }
  // Read in one go when the size is known; keep reading in case the file
  // grew (or reports no size, as /proc files do), up to the limit.
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t filled = 0;
  auto read_some = [&](char* into, std::size_t size) -> ssize_t {
    for (;;) {
      const ssize_t n = ::read(fd, into, size);
      if (n >= 0 || errno != EINTR) return n;
    }
  };
  while (filled < bytes.size()) {
    const ssize_t n = read_some(bytes.data() + filled, bytes.size() - filled);
    if (n < 0) return {std::nullopt, std::strerror(errno)};
    if (n == 0) break;
    filled += static_cast<std::size_t>(n);
  }
  bytes.resize(filled);
  char chunk[65536];
  for (;;) {
    const ssize_t n = read_some(chunk, sizeof chunk);
    if (n < 0) return {std::nullopt, std::strerror(errno)};
    if (n == 0) break;
    bytes.append(chunk, static_cast<std::size_t>(n));
    if (bytes.size() > kMaxSourceBytes) {
      return {std::nullopt, fmt::format("file is too large (over {} bytes)", kMaxSourceBytes)};
    }
  }
  return {std::move(bytes), {}};
}

bool DiskFileSystem::is_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

void OverlayFileSystem::set(const fs::path& path, std::string contents) {
  std::lock_guard lock(mutex_);
  files_[normal_path(path)] = std::move(contents);
}

void OverlayFileSystem::link(const fs::path& path, const fs::path& target) {
  std::lock_guard lock(mutex_);
  const fs::path absolute = normal_path(path);
  links_[absolute] = (target.is_absolute() ? target : absolute.parent_path() / target).lexically_normal();
}

void OverlayFileSystem::erase(const fs::path& path) {
  std::lock_guard lock(mutex_);
  files_.erase(normal_path(path));
  links_.erase(normal_path(path));
}

fs::path OverlayFileSystem::follow(const fs::path& path) const {
  fs::path current = normal_path(path);
  for (int hops = 0; hops < 40; ++hops) {
    auto it = links_.find(current);
    if (it == links_.end()) break;
    current = it->second;
  }
  return current;
}

FileSystem::ReadResult OverlayFileSystem::read(const fs::path& path) {
  fs::path target;
  {
    std::lock_guard lock(mutex_);
    target = follow(path);
    if (auto it = files_.find(target); it != files_.end()) return {it->second, {}};
  }
  if (fallback_ != nullptr) return fallback_->read(target);
  return {std::nullopt, "No such file or directory", true};
}

std::optional<fs::path> DiskFileSystem::real_path(const fs::path& path) { return resolved_path(path); }

std::optional<fs::path> DiskFileSystem::nearest_holding(const fs::path& directory, std::string_view name) {
  return nearest_directory_holding(directory, name);
}

std::optional<fs::path> OverlayFileSystem::real_path(const fs::path& path) {
  fs::path target;
  {
    std::lock_guard lock(mutex_);
    target = follow(path);
    if (files_.contains(target)) return target;
  }
  if (fallback_ != nullptr) return fallback_->real_path(target);
  return std::nullopt;
}

std::optional<fs::path> OverlayFileSystem::nearest_holding(const fs::path& directory, std::string_view name) {
  std::optional<fs::path> found = fallback_ != nullptr ? fallback_->nearest_holding(directory, name) : std::nullopt;
  std::lock_guard lock(mutex_);
  for (const auto& [path, contents] : files_) {
    if (path.filename() != name) continue;
    fs::path holder = path.parent_path();
    if (!is_within(directory, holder)) continue;
    if (!found || holder.native().size() > found->native().size()) found = std::move(holder);
  }
  return found;
}

bool OverlayFileSystem::is_file(const fs::path& path) {
  fs::path target;
  {
    std::lock_guard lock(mutex_);
    target = follow(path);
    if (files_.contains(target)) return true;
  }
  return fallback_ != nullptr && fallback_->is_file(target);
}

fs::path find_stdlib(const std::optional<fs::path>& explicit_dir) {
  if (explicit_dir) return normal_path(*explicit_dir);
  if (const char* env = std::getenv("CADENCE_STDLIB"); env != nullptr && *env != '\0') return normal_path(env);
  std::error_code error;
  if (auto dir = executable_dir()) {
    const fs::path installed = *dir / ".." / CADENCE_STDLIB_INSTALL_SUBDIR;
    if (fs::is_directory(installed / "std", error)) return normal_path(installed);
  }
  return normal_path(CADENCE_STDLIB_BUILD_DIR);
}

std::vector<const Module*> module_closure(const Module& module) {
  std::vector<const Module*> found{&module};
  for (std::size_t i = 0; i < found.size(); ++i) {
    for (const auto& dependency : found[i]->dependencies) {
      if (std::find(found.begin(), found.end(), dependency.get()) == found.end()) found.push_back(dependency.get());
    }
  }
  return found;
}

Module::~Module() {
  // Modules a dropped module was the last to hold are freed by the outermost
  // destructor on this thread, one after another.
  thread_local std::vector<std::shared_ptr<const Module>>* pending = nullptr;
  if (pending != nullptr) {
    for (auto& dependency : dependencies) pending->push_back(std::move(dependency));
    return;
  }
  std::vector<std::shared_ptr<const Module>> list = std::move(dependencies);
  pending = &list;
  while (!list.empty()) {
    std::shared_ptr<const Module> last = std::move(list.back());
    list.pop_back();
    last.reset();
  }
  pending = nullptr;
}

Workspace::Workspace(FileSystem& files, const fs::path& stdlib_dir)
    : files_(files),
      stdlib_dir_(normal_path(stdlib_dir)),
      owner_path_(normal_path(stdlib_dir_ / "std" / "owner.cadence")),
      current_dir_(current_directory()) {}

const std::vector<std::string>& Workspace::stdlib_modules() {
  std::call_once(stdlib_modules_once_, [this] {
    std::error_code error;
    for (fs::directory_iterator it(stdlib_dir_ / "std", error), end; !error && it != end; it.increment(error)) {
      const fs::path& path = it->path();
      if (path.extension() == ".cadence") stdlib_modules_.push_back("std/" + path.stem().string());
    }
    std::sort(stdlib_modules_.begin(), stdlib_modules_.end());
  });
  return stdlib_modules_;
}

void Workspace::name_files(const std::vector<fs::path>& paths) {
  std::lock_guard lock(map_mutex_);
  for (const fs::path& path : paths) {
    names_.emplace(normal_path(path), path.lexically_normal().string());
    if (path.is_relative())
      relative_names_ = true;
    else
      absolute_names_ = true;
  }
}

std::string Workspace::display_path(const fs::path& absolute, bool is_stdlib) const {
  if (auto it = names_.find(absolute); it != names_.end()) return it->second;
  // Files the user did not name follow the user's style: relative to the
  // current directory when the named files were relative paths.
  if (!is_stdlib && relative_names_ && !absolute_names_ && is_within(absolute, current_dir_)) {
    const fs::path relative = absolute.lexically_relative(current_dir_);
    if (!relative.empty()) return relative.string();
  }
  return absolute.string();
}

std::optional<fs::path> Workspace::real_path(const fs::path& absolute) {
  {
    std::lock_guard lock(root_mutex_);
    if (auto it = real_paths_.find(absolute); it != real_paths_.end()) return it->second;
  }
  std::optional<fs::path> real = files_.real_path(absolute);
  std::lock_guard lock(root_mutex_);
  real_paths_.emplace(absolute, real);
  return real;
}

bool Workspace::is_import_file(const fs::path& absolute) {
  {
    std::lock_guard lock(root_mutex_);
    if (auto it = import_files_.find(absolute); it != import_files_.end()) return it->second;
  }
  const bool is_file = files_.is_file(absolute);
  std::lock_guard lock(root_mutex_);
  import_files_.emplace(absolute, is_file);
  return is_file;
}

std::optional<std::string> Workspace::escapes(const fs::path& absolute, const fs::path& root) {
  const auto real = real_path(absolute);
  if (!real) return std::nullopt;  // missing: reading it says so
  fs::path real_root;
  {
    std::lock_guard lock(root_mutex_);
    auto it = real_roots_.find(root);
    if (it == real_roots_.end()) it = real_roots_.emplace(root, files_.real_path(root).value_or(root)).first;
    real_root = it->second;
  }
  if (is_within(*real, real_root)) return std::nullopt;
  return fmt::format("it is a symbolic link to '{}', outside {} '{}'; files outside are not read", real->string(),
                     absolute.string().starts_with(stdlib_dir_.string()) ? "the stdlib" : "the project", root.string());
}

std::shared_ptr<Module> Workspace::parsed(const fs::path& absolute, bool is_stdlib) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(map_mutex_);
    auto& slot = modules_[absolute];
    if (slot == nullptr) slot = std::make_shared<Entry>();
    entry = slot;
  }
  std::call_once(entry->parse_once, [&] {
    Module& module = *entry->module;
    module.path = absolute;
    module.workspace = this;
    module.is_stdlib = is_stdlib;
    const std::string display = display_path(absolute, is_stdlib);
    auto unreadable = [&](std::string why) {
      module.unreadable = true;
      module.source = std::make_shared<const Source>(display, std::string());
      module.diagnostics.push_back(
          make_diagnostic(DiagnosticKind::ImportError, Location{}, fmt::format("cannot read '{}': {}", display, why)));
      module.error_count = 1;
    };
    // A file whose links lead out of its project (or the stdlib) is never
    // read: a committed `leak.cadence -> /proc/self/environ` must not reach
    // the output.
    if (auto why = escapes(absolute, is_stdlib ? stdlib_dir_ : project_root(absolute))) return unreadable(*why);
    std::optional<std::string> ahead = take_read_ahead(absolute);
    FileSystem::ReadResult read = ahead ? FileSystem::ReadResult{std::move(ahead), {}} : files_.read(absolute);
    if (!read.bytes) {
      module.missing = read.missing;
      return unreadable(read.error);
    }
    module.source = std::make_shared<const Source>(display, std::move(*read.bytes));
    DiagnosticCollector collector;
    module.parsed = parse(*module.source, collector);
    module.diagnostics = collector.take();
    module.error_count = module.parsed.error_count;
  });
  return entry->module;
}

void Workspace::parse_imports_ahead(const std::shared_ptr<Module>& root) {
  // Breadth first over what is reachable and not yet walked by any thread;
  // resolution repeats the checks and reports what is wrong, so failures are
  // simply skipped here. The modules are held, not pointed at: another
  // thread may release them from the workspace meanwhile.
  std::vector<std::shared_ptr<Module>> level{root};
  (void)parsed(owner_path(), true);
  while (!level.empty()) {
    std::vector<std::shared_ptr<Module>> next;
    for (const auto& module : level) {
      if (module->unreadable || module->resolved || module->prefetched.exchange(true)) continue;
      for (const ast::Import& import : module->parsed.file.imports) {
        ImportTarget target = import_target(*module, import);
        if (!target.error.empty() || target.target == module->path || !is_import_file(target.target)) continue;
        next.push_back(parsed(target.target, target.is_stdlib));
      }
    }
    level = std::move(next);
  }
}

std::shared_ptr<const Module> Workspace::load(const fs::path& path) {
  const fs::path absolute = normal_path(path);
  std::shared_ptr<Module> module = parsed(absolute, false);
  parse_imports_ahead(module);
  std::lock_guard lock(resolve_mutex_);
  // Had the file been released or invalidated since it was parsed ahead, the
  // entry now in the workspace is the one to resolve.
  module = parsed(absolute, false);
  std::shared_ptr<Module> owner = parsed(owner_path(), true);
  resolve(owner);
  resolve(module);
  return module;
}

std::vector<fs::path> Workspace::invalidate(const fs::path& path) {
  std::lock_guard resolving(resolve_mutex_);
  std::lock_guard lock(map_mutex_);
  const fs::path edited = normal_path(path);
  {
    // A cadence.toml may have come or gone: find project roots again.
    std::lock_guard roots(root_mutex_);
    roots_.clear();
    real_roots_.clear();
    real_paths_.clear();
    import_files_.clear();
  }
  // The names the edited file defined and defines now decide which handoff
  // look-ups of other modules it can answer differently.
  const std::set<std::string, std::less<>> before = sequence_names_defined(edited);
  std::set<std::string, std::less<>> after;
  if (edited.extension() == ".cadence") {
    grammar::for_each_word_after_sequence(read_bytes(edited), [&](std::string_view word) { after.emplace(word); });
  }
  const bool moves_projects = edited.filename() == "cadence.toml";
  std::optional<fs::path> edited_root;
  const auto answers_differently = [&](const fs::path& looker, const CheckResult& checked) {
    if (moves_projects) return true;
    const bool names_changed = before != after;
    const bool touched = std::any_of(
        checked.project_lookups.begin(), checked.project_lookups.end(),
        [&](const std::string& name) { return before.find(name) != before.end() || after.find(name) != after.end(); });
    if (!touched && !(checked.project_lookup_failed && names_changed)) return false;
    if (!edited_root) edited_root = project_root(edited);
    return project_root(looker) == *edited_root;
  };
  {
    // Only scans made so far can go stale; each file is noted once, however
    // many edits it takes before the next lookup.
    std::lock_guard projects(project_mutex_);
    if (!project_sequences_.empty()) stale_sequence_files_.insert(edited);
  }
  (void)forget_read_ahead(edited);
  std::vector<fs::path> forgotten;
  std::vector<fs::path> pending{edited};
  while (!pending.empty()) {
    const fs::path current = pending.back();
    pending.pop_back();
    if (std::find(forgotten.begin(), forgotten.end(), current) != forgotten.end()) continue;
    forgotten.push_back(current);
    for (auto& [other_path, other] : modules_) {
      const auto& targets = other->module->import_paths;
      if (std::find(targets.begin(), targets.end(), current) != targets.end()) pending.push_back(other_path);
      // A module that looked for a handoff target among the project's files
      // is checked again only when the edited file can change the answer.
      // Its references into targets that are forgotten for other reasons (an
      // import of theirs changed, not their text) stay valid: the targets it
      // loaded are kept for it (load_handoff_target).
      const Module& module = *other->module;
      if (current == edited && module.check_done && module.check_result != nullptr &&
          module.check_result->looked_in_project && answers_differently(other_path, *module.check_result)) {
        pending.push_back(other_path);
      }
    }
    modules_.erase(current);
  }
  {
    std::lock_guard projects(project_mutex_);
    for (const fs::path& gone : forgotten) handoff_targets_.erase(gone);
  }
  return forgotten;
}

std::set<std::string, std::less<>> Workspace::sequence_names_defined(const fs::path& absolute) {
  std::set<std::string, std::less<>> names;
  if (auto it = modules_.find(absolute); it != modules_.end()) {
    for (const ast::Sequence& sequence : it->second->module->parsed.file.sequences) names.emplace(sequence.name.text);
  }
  std::lock_guard projects(project_mutex_);
  for (const auto& [root, scan] : project_sequences_) {
    for (const auto& [name, files] : *scan.index) {
      if (std::find(files.begin(), files.end(), absolute) != files.end()) names.insert(name);
    }
  }
  return names;
}

void Workspace::release(const fs::path& path) {
  std::lock_guard resolving(resolve_mutex_);
  std::lock_guard lock(map_mutex_);
  auto it = modules_.find(normal_path(path));
  if (it == modules_.end()) return;
  const Module& module = *it->second->module;
  if (module.importers > 0 || !module.resolved) return;
  if (!module.unreadable && module.parsed.file.sequences.empty()) return;  // a library: others will import it
  // Its own imports lose an importer; they stay, being shared.
  for (const Module* imported : module.imports) {
    if (imported != nullptr) --const_cast<Module*>(imported)->importers;
  }
  modules_.erase(it);
}

std::shared_ptr<const Workspace::SequenceIndex> Workspace::project_sequences(const fs::path& file) {
  const Project of = project(normal_path(file));
  std::shared_ptr<const SequenceIndex> index;
  {
    std::lock_guard lock(project_mutex_);
    for (const fs::path& stale : stale_sequence_files_) rescan_sequences(stale);
    stale_sequence_files_.clear();
    if (auto it = project_sequences_.find(of.root); it != project_sequences_.end()) index = it->second.index;
  }
  if (index == nullptr) {
    auto scanned = std::make_shared<SequenceIndex>();
    for (const fs::path& each : project_sources(of).files) {
      const fs::path absolute = normal_path(each);
      const std::string text = read_bytes(absolute);
      grammar::for_each_word_after_sequence(text, [&](std::string_view word) {
        std::vector<fs::path>& files = (*scanned)[std::string(word)];
        if (files.empty() || files.back() != absolute) files.push_back(absolute);
      });
    }
    std::lock_guard lock(project_mutex_);
    index = project_sequences_.try_emplace(of.root, ProjectIndex{of, std::move(scanned)}).first->second.index;
  }
  return index;
}

void Workspace::rescan_sequences(const fs::path& absolute) {
  // Another cadence.toml moves the bounds of projects: scan them again.
  if (absolute.filename() == "cadence.toml") {
    project_sequences_.clear();
    return;
  }
  for (auto& [root, scan] : project_sequences_) {
    if (!scan.project.holds(absolute)) continue;
    auto updated = std::make_shared<SequenceIndex>();
    for (const auto& [name, files] : *scan.index) {
      std::vector<fs::path> kept;
      for (const fs::path& file : files) {
        if (file != absolute) kept.push_back(file);
      }
      if (!kept.empty()) updated->emplace(name, std::move(kept));
    }
    if (absolute.extension() == ".cadence") {
      const std::string text = read_bytes(absolute);
      grammar::for_each_word_after_sequence(text, [&](std::string_view word) {
        std::vector<fs::path>& files = (*updated)[std::string(word)];
        if (std::find(files.begin(), files.end(), absolute) == files.end()) files.push_back(absolute);
      });
    }
    scan.index = std::move(updated);
  }
}

std::shared_ptr<const Module> Workspace::load_handoff_target(const fs::path& looker, const fs::path& path) {
  std::shared_ptr<const Module> module = load(path);
  std::lock_guard lock(project_mutex_);
  handoff_targets_[normal_path(looker)].push_back(module);
  return module;
}

bool Workspace::same_file(const fs::path& a, const fs::path& b) {
  if (a == b) return true;
  const std::optional<fs::path> real = real_path(a);
  return real && real == real_path(b);
}

std::vector<std::string> Workspace::project_sequence_names(const fs::path& file) {
  std::vector<std::string> names;
  for (const auto& [name, files] : *project_sequences(file)) names.push_back(name);
  return names;
}

std::vector<fs::path> Workspace::files_mentioning_sequence(const fs::path& file, std::string_view name) {
  const std::shared_ptr<const SequenceIndex> index = project_sequences(file);
  auto it = index->find(name);
  return it == index->end() ? std::vector<fs::path>() : it->second;
}

std::string Workspace::read_bytes(const fs::path& path) {
  const fs::path absolute = normal_path(path);
  if (escapes(absolute, project_root(absolute))) return {};
  FileSystem::ReadResult read = files_.read(absolute);
  return read.bytes ? std::move(*read.bytes) : std::string();
}

void Workspace::keep_read_ahead(const fs::path& path, std::string bytes) {
  if (bytes.empty()) return;
  const fs::path absolute = normal_path(path);
  std::lock_guard lock(map_mutex_);
  if (read_ahead_bytes_ + bytes.size() > kReadAheadBytes) return;
  auto [it, added] = read_ahead_.try_emplace(absolute);
  if (!added) read_ahead_bytes_ -= it->second.size();
  read_ahead_bytes_ += bytes.size();
  it->second = std::move(bytes);
}

std::optional<std::string> Workspace::take_read_ahead(const fs::path& absolute) {
  std::lock_guard lock(map_mutex_);
  return forget_read_ahead(absolute);
}

std::optional<std::string> Workspace::forget_read_ahead(const fs::path& absolute) {
  auto it = read_ahead_.find(absolute);
  if (it == read_ahead_.end()) return std::nullopt;
  std::string bytes = std::move(it->second);
  read_ahead_bytes_ -= bytes.size();
  read_ahead_.erase(it);
  return bytes;
}

void Workspace::drop_read_ahead() {
  std::lock_guard lock(map_mutex_);
  read_ahead_.clear();
  read_ahead_bytes_ = 0;
}

std::shared_ptr<const Source> Workspace::read_source(const fs::path& path) {
  const fs::path absolute = normal_path(path);
  {
    std::lock_guard resolving(resolve_mutex_);
    std::lock_guard lock(map_mutex_);
    auto it = modules_.find(absolute);
    if (it != modules_.end() && it->second->module->resolved) return it->second->module->source;
  }
  std::string bytes;
  if (!escapes(absolute, project_root(absolute))) {
    FileSystem::ReadResult read = files_.read(absolute);
    if (read.bytes) bytes = std::move(*read.bytes);
  }
  std::lock_guard lock(map_mutex_);
  return std::make_shared<const Source>(display_path(absolute, false), std::move(bytes));
}

Project Workspace::project(const fs::path& file) {
  const fs::path directory = file.parent_path();
  {
    std::lock_guard lock(root_mutex_);
    if (auto it = roots_.find(directory); it != roots_.end()) return it->second;
  }
  Project found = Project::at(directory, files_.nearest_holding(directory, "cadence.toml"));
  std::lock_guard lock(root_mutex_);
  roots_.emplace(directory, found);
  return found;
}

Workspace::ImportTarget Workspace::import_target(const Module& module, const ast::Import& import) {
  ImportTarget result;
  const std::string_view text = import.path.value;
  if (text.empty()) {
    result.error = "import path is empty";
    return result;
  }
  if (text.find('\0') != std::string::npos) {
    result.error = "an import path cannot hold a NUL character";
    return result;
  }
  if (text.rfind("std/", 0) == 0) {
    std::string relative(text);
    if (!relative.ends_with(".cadence")) relative += ".cadence";
    result.target = normal_path(stdlib_dir_ / relative);
    result.is_stdlib = true;
    if (!is_within(result.target, normal_path(stdlib_dir_ / "std"))) {
      result.error = fmt::format("import '{}' leaves the stdlib", text);
    } else if (auto why = escapes(result.target, stdlib_dir_)) {
      result.error = fmt::format("import '{}' leaves the stdlib: {}", text, *why);
    }
    return result;
  }
  if (fs::path(text).is_absolute()) {
    result.error = fmt::format(
        "import '{}' is an absolute path; import files relative to this one, as in \"./common.cadence\"", text);
    return result;
  }
  result.target = normal_path(module.path.parent_path() / text);
  result.is_stdlib = module.is_stdlib;
  const fs::path root = module.is_stdlib ? stdlib_dir_ : project_root(module.path);
  auto leaves = [&](std::string detail) {
    result.error = fmt::format("import '{}' leaves the project root '{}'{}", text, root.string(), detail);
    result.note = Note{"the project root is the directory holding cadence.toml, else the importing file's directory",
                       std::nullopt};
  };
  if (!is_within(result.target, root)) {
    leaves("");
  } else if (auto why = escapes(result.target, root)) {
    leaves(": " + *why);
  }
  return result;
}

void Workspace::resolve(const std::shared_ptr<Module>& root) {
  // Tarjan's strongly connected components over the unresolved modules
  // reachable from `root`, iteratively. A component is finished only after
  // every component it reaches, so each module's imports are resolved (and
  // their error counts known) when the module itself is. An import inside a
  // component is part of a cycle, whichever module was loaded first.
  struct Node {
    std::shared_ptr<Module> module;
    std::vector<ImportTarget> targets;  // parallel to the module's imports
    std::vector<int> edges;             // import index -> node index, or -1
    uint32_t index = 0, low = 0;
    bool on_stack = false;
  };
  std::vector<Node> nodes;
  std::map<const Module*, int> node_of;
  auto visit = [&](const std::shared_ptr<Module>& module) -> int {
    auto [it, inserted] = node_of.emplace(module.get(), static_cast<int>(nodes.size()));
    if (!inserted) return it->second;
    Node node;
    node.module = module;
    if (!module->unreadable) {
      for (const ast::Import& import : module->parsed.file.imports)
        node.targets.push_back(import_target(*module, import));
    }
    nodes.push_back(std::move(node));
    return it->second;
  };
  if (root->resolved) return;
  visit(root);
  std::vector<int> stack;                                 // Tarjan's stack
  std::vector<std::pair<int, std::size_t>> work{{0, 0}};  // (node, next import to follow)
  uint32_t counter = 0;
  nodes[0].index = nodes[0].low = counter++;
  nodes[0].on_stack = true;
  stack.push_back(0);
  while (!work.empty()) {
    auto& [current, next_import] = work.back();
    Node* node = &nodes[static_cast<std::size_t>(current)];
    if (next_import < node->targets.size()) {
      const std::size_t i = next_import++;
      node->edges.resize(node->targets.size(), -1);
      const ImportTarget& target = node->targets[i];
      if (!target.error.empty() || !is_import_file(target.target)) continue;
      std::shared_ptr<Module> imported = parsed(target.target, target.is_stdlib);
      if (imported->resolved) continue;  // finished earlier: a plain edge
      const bool fresh = !node_of.contains(imported.get());
      const int other = visit(imported);
      node = &nodes[static_cast<std::size_t>(current)];  // visit() may have moved the nodes
      node->edges[i] = other;
      if (fresh) {
        Node& child = nodes[static_cast<std::size_t>(other)];
        child.index = child.low = counter++;
        child.on_stack = true;
        stack.push_back(other);
        work.emplace_back(other, 0);
      } else if (nodes[static_cast<std::size_t>(other)].on_stack) {
        node->low = std::min(node->low, nodes[static_cast<std::size_t>(other)].index);
      }
      continue;
    }
    node->edges.resize(node->targets.size(), -1);
    const int finished = current;
    work.pop_back();
    Node& done = nodes[static_cast<std::size_t>(finished)];
    if (!work.empty()) {
      Node& parent = nodes[static_cast<std::size_t>(work.back().first)];
      parent.low = std::min(parent.low, done.low);
    }
    if (done.low != done.index) continue;
    // `finished` roots a component: pop it, then resolve its modules.
    std::vector<int> component;
    for (;;) {
      const int member = stack.back();
      stack.pop_back();
      nodes[static_cast<std::size_t>(member)].on_stack = false;
      component.push_back(member);
      if (member == finished) break;
    }
    auto in_component = [&](int n) { return std::find(component.begin(), component.end(), n) != component.end(); };
    for (const int member : component) {
      Node& each = nodes[static_cast<std::size_t>(member)];
      Module& module = *each.module;
      const Source& source = *module.source;
      if (!module.is_stdlib || module.path != owner_path()) {
        std::shared_ptr<Module> owner = parsed(owner_path(), true);
        if (owner.get() != &module) {
          module.owner_module = owner.get();
          module.dependencies.push_back(std::move(owner));
        }
      }
      for (std::size_t i = 0; i < each.targets.size(); ++i) {
        const ast::Import& import = module.parsed.file.imports[i];
        ImportTarget& target = each.targets[i];
        module.imports.push_back(nullptr);
        module.import_paths.push_back(target.target);
        auto fail = [&](std::string message, std::optional<Note> note = std::nullopt) {
          Diagnostic diagnostic =
              make_diagnostic(DiagnosticKind::ImportError, Location{&source, import.path.span}, std::move(message));
          if (note) diagnostic.notes.push_back(std::move(*note));
          module.diagnostics.push_back(std::move(diagnostic));
          ++module.error_count;
        };
        const std::string_view text = import.path.value;
        if (!target.error.empty()) {
          fail(std::move(target.error), std::move(target.note));
          continue;
        }
        if (target.target == module.path) {
          fail(fmt::format("'{}' imports itself", source.path()));
          continue;
        }
        if (each.edges[i] >= 0 && in_component(each.edges[i])) {
          // The cycle through this import: follow imports inside the
          // component from the imported module back to this one.
          std::vector<int> path;
          std::map<int, int> parent{{each.edges[i], -1}};
          std::vector<int> queue{each.edges[i]};
          for (std::size_t q = 0; q < queue.size() && !parent.contains(member); ++q) {
            for (const int edge : nodes[static_cast<std::size_t>(queue[q])].edges) {
              if (edge < 0 || !in_component(edge) || parent.contains(edge)) continue;
              parent[edge] = queue[q];
              queue.push_back(edge);
            }
          }
          for (int at = member; at != -1; at = parent.count(at) ? parent[at] : -1) path.push_back(at);
          std::reverse(path.begin(), path.end());
          std::string chain = source.path();
          for (const int step : path) chain += " -> " + nodes[static_cast<std::size_t>(step)].module->source->path();
          fail(fmt::format("import cycle: {}", chain));
          continue;
        }
        if (!is_import_file(target.target)) {
          if (!target.is_stdlib) {
            fail(fmt::format("cannot find '{}' (looked for {})", text, display_path(target.target, false)));
            continue;
          }
          fail(fmt::format("'{}' is not in the stdlib at '{}'", text, stdlib_dir_.string()));
          Diagnostic& diagnostic = module.diagnostics.back();
          const std::vector<std::string>& modules = stdlib_modules();
          const std::vector<std::string_view> names(modules.begin(), modules.end());
          if (auto close = closest_name(text, names)) {
            diagnostic.help = fmt::format("did you mean \"{}\"?", *close);
            diagnostic.fixes.push_back(Fix{fmt::format("import \"{}\"", *close),
                                           {Edit{Location{&source, import.path.span}, fmt::format("\"{}\"", *close)}},
                                           true});
          } else if (!names.empty()) {
            diagnostic.help = fmt::format("the stdlib has {}", list_names(names));
          }
          continue;
        }
        std::shared_ptr<Module> owned = parsed(target.target, target.is_stdlib);
        Module& imported = *owned;
        module.dependencies.push_back(owned);
        ++imported.importers;
        if (imported.unreadable) {
          fail(fmt::format("cannot read '{}': {}", text,
                           imported.diagnostics.empty() ? "" : imported.diagnostics[0].message));
          continue;
        }
        module.imports.back() = &imported;
        if (imported.error_count > 0) {
          std::optional<Note> first;
          for (const Diagnostic& d : imported.diagnostics) {
            if (d.severity == Severity::Error && d.location.source != nullptr) {
              first = Note{"the first problem there: " + d.message, d.location};
              break;
            }
          }
          fail(fmt::format("'{}' has {} error{}", text, imported.error_count, imported.error_count == 1 ? "" : "s"),
               first);
        }
      }
    }
    for (const int member : component) nodes[static_cast<std::size_t>(member)].module->resolved = true;
  }
}

}  // namespace cadence
