#include "sema/workspace.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace cadence {
namespace fs = std::filesystem;

namespace {

/// Deepest chain of imports followed (a → b → c ...).
constexpr std::size_t kMaxImportDepth = 64;

bool is_within(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

/// Where the running binary is, to find an installed stdlib next to it.
std::optional<fs::path> executable_dir() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return std::nullopt;
  return self.parent_path();
}

}  // namespace

fs::path normal_path(const fs::path& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  return (error ? path : absolute).lexically_normal();
}

FileSystem::ReadResult DiskFileSystem::read(const fs::path& path) {
  // Non-blocking, so that a pipe named as a source cannot hang the run
  // before it is recognised and refused.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return {std::nullopt, std::strerror(errno)};
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) return {std::nullopt, std::strerror(errno)};
  if (S_ISDIR(info.st_mode)) return {std::nullopt, "is a directory"};
  if (!S_ISREG(info.st_mode)) return {std::nullopt, "not a regular file (a pipe, device or socket)"};
  if (static_cast<std::size_t>(info.st_size) > kMaxSourceBytes) {
    return {std::nullopt, fmt::format("file is too large ({} bytes); the limit is {} bytes", info.st_size, kMaxSourceBytes)};
  }
  // Read in one go when the size is known; keep reading in case the file
  // grew (or reports no size, as /proc files do), up to the limit.
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t filled = 0;
  for (;;) {
    if (filled == bytes.size()) {
      if (bytes.size() > kMaxSourceBytes) break;
      bytes.resize(std::min<std::size_t>(std::max<std::size_t>(bytes.size() * 2, 65536), kMaxSourceBytes + 1));
    }
    const ssize_t n = ::read(fd, bytes.data() + filled, bytes.size() - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      return {std::nullopt, std::strerror(errno)};
    }
    if (n == 0) break;
    filled += static_cast<std::size_t>(n);
  }
  bytes.resize(filled);
  if (bytes.size() > kMaxSourceBytes) {
    return {std::nullopt, fmt::format("file is too large (over {} bytes)", kMaxSourceBytes)};
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

void OverlayFileSystem::erase(const fs::path& path) {
  std::lock_guard lock(mutex_);
  files_.erase(normal_path(path));
}

FileSystem::ReadResult OverlayFileSystem::read(const fs::path& path) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(normal_path(path)); it != files_.end()) return {it->second, {}};
  }
  if (fallback_ != nullptr) return fallback_->read(path);
  return {std::nullopt, "No such file or directory"};
}

bool OverlayFileSystem::is_file(const fs::path& path) {
  {
    std::lock_guard lock(mutex_);
    if (files_.contains(normal_path(path))) return true;
  }
  return fallback_ != nullptr && fallback_->is_file(path);
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

Workspace::Workspace(FileSystem& files, fs::path stdlib_dir) : files_(files), stdlib_dir_(normal_path(stdlib_dir)) {}

fs::path Workspace::owner_path() const { return normal_path(stdlib_dir_ / "std" / "owner.cadence"); }

std::shared_ptr<Module> Workspace::parsed(const fs::path& absolute, const std::string& display_path, bool is_stdlib) {
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
    module.is_stdlib = is_stdlib;
    FileSystem::ReadResult read = files_.read(absolute);
    if (!read.bytes) {
      module.unreadable = true;
      module.source = std::make_shared<const Source>(display_path, std::string());
      module.diagnostics.push_back(make_diagnostic(DiagnosticKind::ImportError, Location{},
                                                   fmt::format("cannot read '{}': {}", display_path, read.error)));
      module.error_count = 1;
      return;
    }
    module.source = std::make_shared<const Source>(display_path, std::move(*read.bytes));
    DiagnosticCollector collector;
    module.parsed = parse(*module.source, collector);
    module.diagnostics = collector.take();
    module.error_count = module.parsed.error_count;
  });
  return entry->module;
}

void Workspace::parse_imports_ahead(const std::shared_ptr<Module>& root) {
  // Breadth first, as deep as resolution will follow; resolution repeats the
  // checks and reports what is wrong, so failures are simply skipped here.
  std::vector<const Module*> level{root.get()};
  std::vector<fs::path> seen{root->path};
  parsed(owner_path(), (stdlib_dir_ / "std" / "owner.cadence").string(), true);
  for (std::size_t depth = 0; depth < kMaxImportDepth && !level.empty(); ++depth) {
    std::vector<const Module*> next;
    for (const Module* module : level) {
      if (module->unreadable) continue;
      for (const ast::Import& import : module->parsed.file.imports) {
        ImportTarget target = import_target(*module, import);
        if (!target.error.empty() || target.target == module->path) continue;
        if (std::find(seen.begin(), seen.end(), target.target) != seen.end()) continue;
        seen.push_back(target.target);
        if (!files_.is_file(target.target)) continue;
        next.push_back(parsed(target.target, target.display.string(), target.is_stdlib).get());
      }
    }
    level = std::move(next);
  }
}

std::shared_ptr<const Module> Workspace::load(const fs::path& path) {
  const fs::path absolute = normal_path(path);
  const std::string display = path.lexically_normal().string();
  parse_imports_ahead(parsed(absolute, display, false));
  std::lock_guard lock(resolve_mutex_);
  std::vector<const Module*> stack;
  // The entry resolved now (had the file been invalidated since it was parsed
  // ahead, resolution parsed it again).
  return resolve_locked(absolute, display, false, stack);
}

std::vector<fs::path> Workspace::invalidate(const fs::path& path) {
  std::lock_guard resolving(resolve_mutex_);
  std::lock_guard lock(map_mutex_);
  std::vector<fs::path> forgotten;
  std::vector<fs::path> pending{normal_path(path)};
  while (!pending.empty()) {
    const fs::path current = pending.back();
    pending.pop_back();
    auto it = modules_.find(current);
    if (it == modules_.end()) continue;
    const Module* gone = it->second->module.get();
    for (auto& [other_path, other] : modules_) {
      const auto& imports = other->module->imports;
      if (std::find(imports.begin(), imports.end(), gone) != imports.end()) pending.push_back(other_path);
    }
    forgotten.push_back(current);
    modules_.erase(it);
  }
  return forgotten;
}

void Workspace::release(const fs::path& path) {
  std::lock_guard resolving(resolve_mutex_);
  std::lock_guard lock(map_mutex_);
  auto it = modules_.find(normal_path(path));
  if (it == modules_.end() || it->second->module->importers > 0 || !it->second->module->resolved) return;
  // Its own imports lose an importer; they stay, being shared.
  for (const Module* imported : it->second->module->imports) {
    if (imported != nullptr) --const_cast<Module*>(imported)->importers;
  }
  modules_.erase(it);
}

std::shared_ptr<const Source> Workspace::read_source(const fs::path& path) {
  const fs::path absolute = normal_path(path);
  {
    std::lock_guard resolving(resolve_mutex_);
    std::lock_guard lock(map_mutex_);
    auto it = modules_.find(absolute);
    if (it != modules_.end() && it->second->module->resolved) return it->second->module->source;
  }
  FileSystem::ReadResult read = files_.read(absolute);
  return std::make_shared<const Source>(path.lexically_normal().string(), read.bytes ? std::move(*read.bytes) : std::string());
}

fs::path Workspace::project_root(const fs::path& file) {
  for (fs::path dir = file.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (files_.is_file(dir / "cadence.toml")) return dir;
    if (dir == dir.root_path()) break;
  }
  return file.parent_path();
}

std::shared_ptr<Module> Workspace::resolve_locked(const fs::path& absolute, const std::string& display_path,
                                                  bool is_stdlib, std::vector<const Module*>& stack) {
  std::shared_ptr<Module> owned = parsed(absolute, display_path, is_stdlib);
  Module& module = *owned;
  if (module.resolved || module.resolving) return owned;
  if (module.unreadable) {
    module.resolved = true;
    return owned;
  }
  module.resolving = true;
  if (!is_stdlib || absolute != owner_path()) {
    std::vector<const Module*> owner_stack;
    std::shared_ptr<Module> owner =
        resolve_locked(owner_path(), (stdlib_dir_ / "std" / "owner.cadence").string(), true, owner_stack);
    module.owner_module = owner.get();
    module.dependencies.push_back(std::move(owner));
  }
  stack.push_back(&module);
  resolve_imports(module, stack);
  stack.pop_back();
  module.resolving = false;
  module.resolved = true;
  return owned;
}

Workspace::ImportTarget Workspace::import_target(const Module& module, const ast::Import& import) {
  ImportTarget result;
  const std::string& text = import.path.value;
  if (text.empty()) {
    result.error = "import path is empty";
    return result;
  }
  if (text.rfind("std/", 0) == 0) {
    std::string relative = text;
    if (!relative.ends_with(".cadence")) relative += ".cadence";
    result.target = normal_path(stdlib_dir_ / relative);
    result.display = stdlib_dir_ / relative;
    result.is_stdlib = true;
    if (!is_within(result.target, normal_path(stdlib_dir_ / "std"))) {
      result.error = fmt::format("import '{}' leaves the stdlib", text);
    }
    return result;
  }
  if (fs::path(text).is_absolute()) {
    result.error = fmt::format(
        "import '{}' is an absolute path; import files relative to this one, as in \"./common.cadence\"", text);
    return result;
  }
  result.target = normal_path(module.path.parent_path() / text);
  if (module.is_stdlib) {
    result.display = result.target;
    result.is_stdlib = true;
  } else {
    result.display = (fs::path(module.source->path()).parent_path() / text).lexically_normal();
  }
  const fs::path root = module.is_stdlib ? stdlib_dir_ : project_root(module.path);
  if (!is_within(result.target, root)) {
    result.error = fmt::format("import '{}' leaves the project root '{}'", text, root.string());
    result.note = Note{"the project root is the directory holding cadence.toml, else the importing file's directory",
                       std::nullopt};
  }
  return result;
}

void Workspace::resolve_imports(Module& module, std::vector<const Module*>& stack) {
  const Source& source = *module.source;
  for (const ast::Import& import : module.parsed.file.imports) {
    module.imports.push_back(nullptr);
    const std::string& text = import.path.value;
    const Location at{&source, import.path.span};
    auto fail = [&](std::string message, std::optional<Note> note = std::nullopt) {
      Diagnostic diagnostic = make_diagnostic(DiagnosticKind::ImportError, at, std::move(message));
      if (note) diagnostic.notes.push_back(std::move(*note));
      module.diagnostics.push_back(std::move(diagnostic));
      ++module.error_count;
    };
    ImportTarget target = import_target(module, import);
    if (!target.error.empty()) {
      fail(std::move(target.error), std::move(target.note));
      continue;
    }
    if (target.target == module.path) {
      fail(fmt::format("'{}' imports itself", source.path()));
      continue;
    }
    if (auto on_stack = std::find_if(stack.begin(), stack.end(), [&](const Module* m) { return m->path == target.target; });
        on_stack != stack.end()) {
      std::string chain;
      for (auto it = on_stack; it != stack.end(); ++it) chain += (*it)->source->path() + " -> ";
      chain += (*on_stack)->source->path();
      fail(fmt::format("import cycle: {}", chain));
      continue;
    }
    if (stack.size() >= kMaxImportDepth) {
      fail(fmt::format("imports are nested more than {} files deep", kMaxImportDepth));
      continue;
    }
    if (!files_.is_file(target.target)) {
      fail(target.is_stdlib ? fmt::format("'{}' is not in the stdlib at '{}'", text, stdlib_dir_.string())
                            : fmt::format("cannot find '{}' (looked for {})", text, target.display.string()));
      continue;
    }
    std::shared_ptr<Module> owned = resolve_locked(target.target, target.display.string(), target.is_stdlib, stack);
    Module& imported = *owned;
    module.dependencies.push_back(std::move(owned));
    ++imported.importers;
    module.imports.back() = &imported;
    if (imported.unreadable) {
      fail(fmt::format("cannot read '{}': {}", text, imported.diagnostics.empty() ? "" : imported.diagnostics[0].message));
      module.imports.back() = nullptr;
    } else if (imported.error_count > 0) {
      std::optional<Note> first;
      for (const Diagnostic& d : imported.diagnostics) {
        if (d.severity == Severity::Error && d.location.source != nullptr) {
          first = Note{"the first problem there: " + d.message, d.location};
          break;
        }
      }
      fail(fmt::format("'{}' has {} error{}", text, imported.error_count, imported.error_count == 1 ? "" : "s"), first);
    }
  }
}

}  // namespace cadence
