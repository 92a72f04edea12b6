#include "support/file_io.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

namespace cadence {
namespace fs = std::filesystem;

namespace {

// Temporary files to remove when a signal ends the process. Signal handlers
// may only touch plain memory, so the paths live in fixed slots.
constexpr int kCleanupSlots = 16;
char cleanup_paths[kCleanupSlots][PATH_MAX];
std::atomic<bool> cleanup_used[kCleanupSlots];

extern "C" void remove_temporaries_and_reraise(int signal_number) {
  for (int i = 0; i < kCleanupSlots; ++i) {
    if (cleanup_used[i].load()) ::unlink(cleanup_paths[i]);
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

/// Installs the clean-up handler for each of the signals whose handler is
/// the default (checked at every open, so a handler set since counts).
void install_handlers() {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current {};
    if (::sigaction(signal_number, nullptr, &current) != 0) continue;
    // A signal the parent chose to ignore (nohup) stays ignored.
    if (current.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_reraise;
    sigemptyset(&action.sa_mask);
    ::sigaction(signal_number, &action, nullptr);
  }
}

int register_temporary(const std::string& path) {
  install_handlers();
  if (path.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kCleanupSlots; ++i) {
    if (cleanup_used[i].load()) continue;
    std::memcpy(cleanup_paths[i], path.c_str(), path.size() + 1);
    cleanup_used[i].store(true);
    return i;
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot >= 0) cleanup_used[slot].store(false);
}

std::string error_text() { return std::strerror(errno); }

/// Writes all of `bytes` to `fd`.
bool write_all(int fd, std::string_view bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
}

/// The descriptor a path such as /dev/stdout or /proc/self/fd/3 stands for.
std::optional<int> descriptor_alias(const fs::path& path) {
  const std::string text = path.lexically_normal().string();
  if (text == "/dev/stdout") return 1;
  if (text == "/dev/stderr") return 2;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (!text.starts_with(prefix)) continue;
    int fd = -1;
    const char* begin = text.data() + prefix.size();
    const char* end = text.data() + text.size();
    const auto [ptr, error] = std::from_chars(begin, end, fd);
    if (error == std::errc() && ptr == end && fd >= 0) return fd;
  }
  return std::nullopt;
}

/// Follows a chain of symbolic links from `path` to the path it finally
/// names (which need not exist).
std::optional<fs::path> follow_links(fs::path path, std::string& error) {
  for (int hops = 0; hops < 40; ++hops) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return path;
    std::error_code code;
    const fs::path target = fs::read_symlink(path, code);
    if (code) {
      error = fmt::format("cannot follow the link '{}': {}", path.string(), code.message());
      return std::nullopt;
    }
    path = target.is_absolute() ? target : (path.parent_path() / target);
    path = path.lexically_normal();
  }
  error = fmt::format("too many levels of symbolic links at '{}'", path.string());
  return std::nullopt;
}

mode_t current_umask() {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

/// Removes temporary files of ours for `target` that a killed process left
/// behind: same prefix, owned by us, made by a process that no longer runs.
void remove_stale_temporaries(const fs::path& directory, const std::string& prefix) {
  DIR* dir = ::opendir(directory.empty() ? "." : directory.c_str());
  if (dir == nullptr) return;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (!name.starts_with(prefix)) continue;
    int pid = 0;
    const char* begin = name.data() + prefix.size();
    const auto [ptr, error] = std::from_chars(begin, name.data() + name.size(), pid);
    if (error != std::errc() || ptr == begin || *ptr != '-' || pid <= 0) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // still running, or not ours to judge
    const fs::path stale = directory / std::string(name);
    struct stat info {};
    if (::lstat(stale.c_str(), &info) == 0 && S_ISREG(info.st_mode) && info.st_uid == ::geteuid()) {
      ::unlink(stale.c_str());
    }
  }
  ::closedir(dir);
}

}  // namespace

std::optional<FileIdentity> file_identity(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return FileIdentity{info.st_dev, info.st_ino};
}

std::string temporary_prefix(const fs::path& target) { return "." + target.filename().string() + ".cadence-tmp-"; }

struct OutputFile::State {
  enum class Mode { Replace, InPlace, Direct } mode = Mode::Replace;
  fs::path display;  // as the user named it
  fs::path target;   // the file finally written
  std::string temporary;
  int fd = -1;
  bool owns_fd = true;
  int cleanup_slot = -1;
  bool committed = false;
};

std::unique_ptr<OutputFile> OutputFile::open(const fs::path& path, const std::vector<fs::path>& inputs,
                                             std::string& error) {
  auto file = std::unique_ptr<OutputFile>(new OutputFile());
  file->state_ = std::make_unique<State>();
  State& state = *file->state_;
  state.display = path;
  const std::string shown = path.string();

  struct stat info {};
  const bool exists = ::stat(path.c_str(), &info) == 0;
  if (exists) {
    for (const fs::path& input : inputs) {
      const auto identity = file_identity(input);
      if (identity && *identity == FileIdentity{info.st_dev, info.st_ino} && !S_ISCHR(info.st_mode)) {
        error = fmt::format("'{}' is also an input of this command; write the output to another file", shown);
        return nullptr;
      }
    }
    if (S_ISDIR(info.st_mode)) {
      error = fmt::format("cannot write '{}': it is a directory", shown);
      return nullptr;
    }
  }
  if (auto alias = descriptor_alias(path)) {
    // Standard output and friends: the descriptor the process already has,
    // with its own position and append mode.
    state.mode = State::Mode::Direct;
    state.fd = *alias;
    state.owns_fd = false;
    if (::fcntl(state.fd, F_GETFD) < 0) {
      error = fmt::format("cannot write '{}': {}", shown, error_text());
      return nullptr;
    }
    return file;
  }
  if (exists && !S_ISREG(info.st_mode)) {
    // A device, pipe or socket: write to it; replacing it would destroy it.
    state.mode = State::Mode::Direct;
    state.fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (state.fd < 0) {
      error = fmt::format("cannot write '{}': {}", shown, error_text());
      return nullptr;
    }
    return file;
  }

  // A regular file, existing or new: find the file a link names.
  if (exists) {
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) == nullptr) {
      error = fmt::format("cannot resolve '{}': {}", shown, error_text());
      return nullptr;
    }
    state.target = resolved;
  } else {
    auto followed = follow_links(path, error);
    if (!followed) return nullptr;
    state.target = *followed;
  }
  const fs::path directory = state.target.has_parent_path() ? state.target.parent_path() : fs::path(".");
  const std::string prefix = temporary_prefix(state.target);
  remove_stale_temporaries(directory, prefix);
  state.temporary = (directory / fmt::format("{}{}-XXXXXX", prefix, ::getpid())).string();
  state.fd = ::mkostemp(state.temporary.data(), O_CLOEXEC);
  if (state.fd < 0) {
    error = fmt::format("cannot create a file in '{}': {}", directory.string(), error_text());
    return nullptr;
  }
  state.cleanup_slot = register_temporary(state.temporary);
  if (exists) {
    // Keep the permissions (set-ID bits dropped: a rewritten file must not
    // gain privileges) and the owner; where the owner cannot be kept, or
    // other hard links share the file, rewrite it in place.
    ::fchmod(state.fd, info.st_mode & 01777);
    if (info.st_nlink > 1) state.mode = State::Mode::InPlace;
    if ((info.st_uid != ::geteuid() || info.st_gid != ::getegid()) &&
        ::fchown(state.fd, info.st_uid, info.st_gid) != 0) {
      state.mode = State::Mode::InPlace;
    }
  } else {
    ::fchmod(state.fd, 0666 & ~current_umask());
  }
  return file;
}

OutputFile::~OutputFile() {
  if (state_ == nullptr) return;
  if (state_->fd >= 0 && state_->owns_fd) ::close(state_->fd);
  if (!state_->temporary.empty() && !state_->committed) ::unlink(state_->temporary.c_str());
  unregister_temporary(state_->cleanup_slot);
}

std::optional<std::string> OutputFile::write(std::string_view bytes) {
  State& state = *state_;
  if (state.fd < 0) return fmt::format("cannot write '{}': already closed", state.display.string());
  if (!write_all(state.fd, bytes)) return fmt::format("cannot write '{}': {}", state.display.string(), error_text());
  return std::nullopt;
}

std::optional<std::string> OutputFile::commit() {
  State& state = *state_;
  const std::string shown = state.display.string();
  if (state.mode == State::Mode::Direct) {
    const int fd = state.fd;
    state.fd = -1;
    state.committed = true;
    if (!state.owns_fd) return std::nullopt;
    if (::close(fd) != 0) return fmt::format("cannot write '{}': {}", shown, error_text());
    return std::nullopt;
  }
  if (::fsync(state.fd) != 0) return fmt::format("cannot write '{}': {}", shown, error_text());
  const int fd = state.fd;
  state.fd = -1;
  if (::close(fd) != 0) return fmt::format("cannot write '{}': {}", shown, error_text());
  if (state.mode == State::Mode::Replace) {
    if (::rename(state.temporary.c_str(), state.target.c_str()) != 0) {
      return fmt::format("cannot replace '{}': {}", shown, error_text());
    }
    state.committed = true;
    return std::nullopt;
  }
  // In place: the new contents are safe in the temporary file; copy them
  // over the target, then drop the copy.
  const int source = ::open(state.temporary.c_str(), O_RDONLY | O_CLOEXEC);
  if (source < 0) return fmt::format("cannot read back '{}': {}", state.temporary, error_text());
  const int target = ::open(state.target.c_str(), O_WRONLY | O_CLOEXEC);
  struct stat info {};
  if (target >= 0 && ::fstat(target, &info) == 0 && (info.st_mode & (S_ISUID | S_ISGID)) != 0) {
    ::fchmod(target, info.st_mode & 01777);  // a rewritten file must not keep privileges
  }
  if (target < 0) {
    const std::string reason = error_text();
    ::close(source);
    return fmt::format("cannot write '{}': {}", shown, reason);
  }
  bool ok = true;
  off_t size = 0;
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(source, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = n == 0;
      break;
    }
    if (!write_all(target, std::string_view(chunk, static_cast<std::size_t>(n)))) {
      ok = false;
      break;
    }
    size += n;
  }
  ok = ok && ::ftruncate(target, size) == 0 && ::fsync(target) == 0;
  const std::string reason = ok ? std::string() : error_text();
  ::close(source);
  ::close(target);
  if (!ok) {
    state.committed = true;  // keep the temporary file: it holds the only complete copy
    return fmt::format("cannot rewrite '{}' in place: {}; the new contents are in '{}'", shown, reason,
                       state.temporary);
  }
  ::unlink(state.temporary.c_str());
  state.committed = true;
  return std::nullopt;
}

std::optional<std::string> write_file_atomically(const fs::path& path, std::string_view contents,
                                                 const std::vector<fs::path>& inputs) {
  std::string error;
  auto file = OutputFile::open(path, inputs, error);
  if (file == nullptr) return error;
  if (auto failure = file->write(contents)) return failure;
  return file->commit();
}

}  // namespace cadence
