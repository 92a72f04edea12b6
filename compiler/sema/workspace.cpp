#include "sema/workspace.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

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
  std::error_code error;
  if (fs::is_directory(path, error)) return {std::nullopt, "is a directory"};
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return {std::nullopt, std::strerror(errno)};
  const auto size = fs::file_size(path, error);
  if (!error && size > kMaxSourceBytes) {
    return {std::nullopt, fmt::format("file is too large ({} bytes); the limit is {} bytes", size, kMaxSourceBytes)};
  }
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  if (stream.bad()) return {std::nullopt, std::strerror(errno)};
  return {buffer.str(), {}};
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

Workspace::Workspace(FileSystem& files, fs::path stdlib_dir) : files_(files), stdlib_dir_(normal_path(stdlib_dir)) {}

const Module& Workspace::load(const fs::path& path) {
  std::lock_guard lock(mutex_);
  std::vector<const Module*> stack;
  return load_locked(normal_path(path), path.lexically_normal().string(), false, stack);
}

std::vector<fs::path> Workspace::invalidate(const fs::path& path) {
  std::lock_guard lock(mutex_);
  std::vector<fs::path> forgotten;
  std::vector<fs::path> pending{normal_path(path)};
  while (!pending.empty()) {
    const fs::path current = pending.back();
    pending.pop_back();
    auto it = modules_.find(current);
    if (it == modules_.end()) continue;
    const Module* gone = it->second.get();
    for (auto& [other_path, other] : modules_) {
      if (std::find(other->imports.begin(), other->imports.end(), gone) != other->imports.end()) {
        pending.push_back(other_path);
      }
    }
    forgotten.push_back(current);
    modules_.erase(it);
  }
  return forgotten;
}

fs::path Workspace::project_root(const fs::path& file) {
  for (fs::path dir = file.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (files_.is_file(dir / "cadence.toml")) return dir;
    if (dir == dir.root_path()) break;
  }
  return file.parent_path();
}

Module& Workspace::load_locked(const fs::path& absolute, const std::string& display_path, bool is_stdlib,
                               std::vector<const Module*>& stack) {
  if (auto it = modules_.find(absolute); it != modules_.end()) return *it->second;
  auto owned = std::make_unique<Module>();
  Module& module = *owned;
  modules_.emplace(absolute, std::move(owned));
  module.path = absolute;
  module.is_stdlib = is_stdlib;
  FileSystem::ReadResult read = files_.read(absolute);
  if (!read.bytes) {
    module.unreadable = true;
    module.source = std::make_unique<Source>(display_path, std::string());
    module.diagnostics.push_back(make_diagnostic(DiagnosticKind::ImportError, Location{},
                                                 fmt::format("cannot read '{}': {}", display_path, read.error)));
    module.error_count = 1;
    return module;
  }
  module.source = std::make_unique<Source>(display_path, std::move(*read.bytes));
  DiagnosticCollector collector;
  module.parsed = parse(*module.source, collector);
  module.diagnostics = collector.take();
  module.error_count = module.parsed.error_count;
  if (!is_stdlib || absolute != normal_path(stdlib_dir_ / "std" / "owner.cadence")) {
    std::vector<const Module*> owner_stack;
    module.owner_module = &load_locked(normal_path(stdlib_dir_ / "std" / "owner.cadence"),
                                       (stdlib_dir_ / "std" / "owner.cadence").string(), true, owner_stack);
  }
  stack.push_back(&module);
  resolve_imports(module, stack);
  stack.pop_back();
  return module;
}

void Workspace::resolve_imports(Module& module, std::vector<const Module*>& stack) {
  const Source& source = *module.source;
  const fs::path root = module.is_stdlib ? stdlib_dir_ : project_root(module.path);
  const fs::path display_dir = fs::path(source.path()).parent_path();
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
    if (text.empty()) {
      fail("import path is empty");
      continue;
    }
    fs::path target;
    fs::path display;
    bool target_is_stdlib = false;
    if (text.rfind("std/", 0) == 0) {
      std::string relative = text;
      if (!relative.ends_with(".cadence")) relative += ".cadence";
      target = normal_path(stdlib_dir_ / relative);
      display = stdlib_dir_ / relative;
      target_is_stdlib = true;
      if (!is_within(target, normal_path(stdlib_dir_ / "std"))) {
        fail(fmt::format("import '{}' leaves the stdlib", text));
        continue;
      }
    } else {
      if (fs::path(text).is_absolute()) {
        fail(fmt::format("import '{}' is an absolute path; import files relative to this one, as in \"./common.cadence\"",
                         text));
        continue;
      }
      if (module.is_stdlib) {
        target = normal_path(module.path.parent_path() / text);
        display = target;
        target_is_stdlib = true;
      } else {
        target = normal_path(module.path.parent_path() / text);
        display = (display_dir / text).lexically_normal();
      }
      if (!is_within(target, root)) {
        fail(fmt::format("import '{}' leaves the project root '{}'", text, root.string()),
             Note{"the project root is the directory holding cadence.toml, else the importing file's directory",
                  std::nullopt});
        continue;
      }
    }
    if (target == module.path) {
      fail(fmt::format("'{}' imports itself", source.path()));
      continue;
    }
    if (auto on_stack = std::find_if(stack.begin(), stack.end(), [&](const Module* m) { return m->path == target; });
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
    if (!target_is_stdlib && !files_.is_file(target)) {
      fail(fmt::format("cannot find '{}' (looked for {})", text, display.string()));
      continue;
    }
    if (target_is_stdlib && !files_.is_file(target)) {
      fail(fmt::format("'{}' is not in the stdlib at '{}'", text, stdlib_dir_.string()));
      continue;
    }
    const Module& imported = load_locked(target, display.string(), target_is_stdlib, stack);
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
