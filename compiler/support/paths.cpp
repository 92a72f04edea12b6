#include "support/paths.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

#include <fmt/format.h>

namespace cadence {
namespace fs = std::filesystem;

const fs::path& current_directory() {
  static const fs::path directory = [] {
    std::error_code error;
    fs::path path = fs::current_path(error);
    return error ? fs::path("/") : path.lexically_normal();
  }();
  return directory;
}

fs::path absolute_normal(const fs::path& path) {
  return (path.is_absolute() ? path : current_directory() / path).lexically_normal();
}

std::optional<std::string> relative_to_current(const fs::path& path) {
  const fs::path relative = absolute_normal(path).lexically_relative(current_directory());
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative.generic_string();
}

bool is_within(const fs::path& path, const fs::path& root) {
  const std::string_view text = path.native();
  std::string_view prefix = root.native();
  while (prefix.size() > 1 && prefix.back() == '/') prefix.remove_suffix(1);
  if (prefix.empty() || prefix == "/") return true;
  return text.starts_with(prefix) && (text.size() == prefix.size() || text[prefix.size()] == '/');
}

namespace {

#ifdef O_PATH
constexpr int kWalkFlags = O_PATH | O_DIRECTORY | O_CLOEXEC;
#else
constexpr int kWalkFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
#endif

/// A descriptor, closed when it goes.
class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  ~Descriptor() { reset(); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  Descriptor(Descriptor&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Descriptor& operator=(Descriptor&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.fd_;
      other.fd_ = -1;
    }
    return *this;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

/// The path the system records for an open descriptor (Linux's
/// /proc/self/fd), if it can say.
std::optional<fs::path> path_of_descriptor(int fd) {
  char buffer[PATH_MAX + 1];
  const std::string link = "/proc/self/fd/" + std::to_string(fd);
  const ssize_t n = ::readlink(link.c_str(), buffer, PATH_MAX);
  if (n <= 0 || n >= PATH_MAX || buffer[0] != '/') return std::nullopt;
  std::string_view text(buffer, static_cast<std::size_t>(n));
  if (text.ends_with(" (deleted)")) return std::nullopt;
  return fs::path(std::string(text));
}

}  // namespace

Project Project::at(const fs::path& directory, const std::optional<fs::path>& config_directory) {
  if (config_directory) return Project{*config_directory, true};
  return Project{directory, false};
}

bool Project::holds(const fs::path& file) const {
  return configured ? is_within(file, root) : file.parent_path() == root;
}

std::string Project::describe() const {
  const std::optional<std::string> relative = relative_to_current(root);
  std::string shown =
      relative ? (relative->empty() || *relative == "." ? std::string(".") : *relative) : root.generic_string();
  return configured ? shown + " (its cadence.toml)" : shown + " (no cadence.toml: the files of this folder)";
}

Project project_of(const fs::path& file) {
  const fs::path directory = absolute_normal(file).parent_path();
  return Project::at(directory, nearest_directory_holding(directory, "cadence.toml"));
}

SourceListing project_sources(const Project& project) {
  return list_sources(project.root, project.configured ? ListDepth::Tree : ListDepth::Folder);
}

std::string relative_name(const fs::path& file, const fs::path& base) {
  const fs::path relative = absolute_normal(file).lexically_relative(absolute_normal(base));
  return relative.empty() ? file.generic_string() : relative.generic_string();
}

std::optional<fs::path> nearest_directory_holding(const fs::path& directory, std::string_view name) {
  const std::string& text = directory.native();
  if (text.empty() || text.front() != '/') return std::nullopt;
  const std::string file(name);
  auto holds = [&](int fd) {
    struct stat info {};
    return ::fstatat(fd, file.c_str(), &info, 0) == 0 && S_ISREG(info.st_mode);
  };
  Descriptor current(::open("/", kWalkFlags));
  if (!current.valid()) return std::nullopt;
  std::optional<std::size_t> found;  // the length of the deepest prefix holding it
  if (holds(current.get())) found = 1;
  std::size_t at = 1;
  while (at < text.size()) {
    std::size_t end = text.find('/', at);
    if (end == std::string::npos) end = text.size();
    if (end > at) {
      const std::string component = text.substr(at, end - at);
      // Links are followed, as the system resolves the whole path.
      Descriptor child(::openat(current.get(), component.c_str(), kWalkFlags));
      if (!child.valid()) break;  // nothing deeper exists
      current = std::move(child);
      if (holds(current.get())) found = end;
    }
    at = end + 1;
  }
  if (!found) return std::nullopt;
  return fs::path(text.substr(0, *found));
}

std::optional<fs::path> resolved_path(const fs::path& path) {
#ifdef O_PATH
  {
    const Descriptor fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
    if (!fd.valid()) {
      if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP || errno == ENAMETOOLONG) return std::nullopt;
    } else if (auto found = path_of_descriptor(fd.get())) {
      return found;
    }
  }
#endif
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) return std::nullopt;
  return fs::path(resolved);
}

SourceListing list_sources(const fs::path& directory, ListDepth depth) {
  SourceListing listing;
  // Shown as given, made lexically normal; the walk appends names to it.
  std::string shown = directory.lexically_normal().string();
  while (shown.size() > 1 && shown.back() == '/') shown.pop_back();
  if (shown.empty()) shown = ".";
  Descriptor root(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) {
    listing.error = std::strerror(errno);
    return listing;
  }
  const std::optional<fs::path> real_root = path_of_descriptor(root.get());
  auto root_real = real_root ? *real_root : resolved_path(directory).value_or(absolute_normal(directory));

  struct Entry {
    std::string name;
    unsigned char type;
  };
  struct Frame {
    Descriptor fd;
    std::size_t path_length;  // of `path` while in this folder
    std::vector<Entry> entries;
    std::size_t next = 0;
  };
  struct Found {
    fs::path path;
    dev_t device;
    ino_t inode;
    bool link;
  };
  std::vector<Found> found;
  // "." itself is left out of the names, as lexically_normal() would.
  std::string path = shown == "." ? std::string() : shown;
  std::vector<Frame> stack;

  // Reads a folder's entries whole, so that its stream is closed before the
  // walk goes deeper: only the descriptor stays open.
  auto read_entries = [&](int fd, std::vector<Entry>& entries) -> bool {
    const int copy = ::openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (copy < 0) return false;
    DIR* dir = ::fdopendir(copy);
    if (dir == nullptr) {
      ::close(copy);
      return false;
    }
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
      const std::string_view name = entry->d_name;
      if (name == "." || name == "..") continue;
      entries.push_back({std::string(name), entry->d_type});
    }
    const bool ok = errno == 0;
    ::closedir(dir);
    return ok;
  };
  auto skip = [&](const std::string& at, std::string why) {
    listing.skipped.push_back({fs::path(at), std::move(why)});
  };

  stack.push_back({std::move(root), path.size(), {}, 0});
  if (!read_entries(stack.back().fd.get(), stack.back().entries)) {
    listing.error = std::strerror(errno);
    return listing;
  }
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.next == frame.entries.size()) {
      stack.pop_back();
      continue;
    }
    const Entry entry = frame.entries[frame.next++];
    path.resize(frame.path_length);
    if (!path.empty() && path.back() != '/') path += '/';
    path += entry.name;
    // Hidden files are skipped like hidden folders (editors' lock and backup
    // files, tools' scratch copies): a file named on the command line is read.
    const bool source_name = entry.name.ends_with(".cadence") && !entry.name.starts_with('.');
    unsigned char type = entry.type;
    if ((type == DT_REG || type == DT_LNK) && !source_name) continue;
    if (!frame.fd.valid()) {
      const std::string above = path.substr(0, frame.path_length);
      frame.fd.reset(::open(above.empty() ? "." : above.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    }
    const int parent = frame.fd.get();
    struct stat info {};
    if (type == DT_UNKNOWN || type == DT_REG || type == DT_LNK) {
      if (::fstatat(parent, entry.name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) skip(path, std::strerror(errno));
        continue;  // gone since the folder was read: nothing to check
      }
      type = S_ISDIR(info.st_mode)   ? DT_DIR
             : S_ISLNK(info.st_mode) ? DT_LNK
             : S_ISREG(info.st_mode) ? DT_REG
                                     : DT_UNKNOWN;
    }
    if (type == DT_DIR) {
      if (entry.name.starts_with('.') || depth == ListDepth::Folder) continue;  // hidden, or not asked for
      Descriptor child(::openat(parent, entry.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!child.valid() && (errno == EMFILE || errno == ENFILE)) {
        // Too deep for one descriptor per level: the folders above let go
        // of theirs, and open them again by name when they need them.
        for (std::size_t i = 0; i + 1 < stack.size(); ++i) stack[i].fd.reset();
        child.reset(::openat(parent, entry.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      }
      if (!child.valid()) {
        skip(path, errno == ENOENT ? std::string("it vanished while the folder was read") : std::strerror(errno));
        continue;
      }
      Frame next{std::move(child), path.size(), {}, 0};
      if (!read_entries(next.fd.get(), next.entries)) {
        skip(path, std::strerror(errno));
        continue;
      }
      stack.push_back(std::move(next));
      continue;
    }
    if (!source_name) continue;
    if (type == DT_LNK) {
      // A link may point anywhere (a committed `leak.cadence -> /proc/self/environ`):
      // follow only links that stay inside the directory being searched.
#ifdef O_PATH
      const Descriptor target(::openat(parent, entry.name.c_str(), O_PATH | O_CLOEXEC));
      std::optional<fs::path> real = target.valid() ? path_of_descriptor(target.get()) : std::nullopt;
#else
      std::optional<fs::path> real = resolved_path(path);
#endif
      if (!real || !is_within(*real, root_real)) {
        skip(path, fmt::format("a symbolic link that leads out of '{}'", shown));
        continue;
      }
      struct stat target_info {};
      if (::stat(real->c_str(), &target_info) != 0 || !S_ISREG(target_info.st_mode)) continue;
      found.push_back({path, target_info.st_dev, target_info.st_ino, true});
      continue;
    }
    if (type == DT_REG) found.push_back({path, info.st_dev, info.st_ino, false});
  }

  // One file is one file: of several names, the one that is not a link,
  // else the first in order (paths compare by component).
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.path < b.path; });
  std::vector<const Found*> order;
  order.reserve(found.size());
  for (const Found& each : found) order.push_back(&each);
  std::stable_sort(order.begin(), order.end(), [](const Found* a, const Found* b) { return !a->link && b->link; });
  std::set<std::pair<dev_t, ino_t>> seen;
  std::vector<bool> kept(found.size(), false);
  for (const Found* each : order) {
    if (seen.emplace(each->device, each->inode).second) kept[static_cast<std::size_t>(each - found.data())] = true;
  }
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (kept[i]) listing.files.emplace_back(std::move(found[i].path));
  }
  return listing;
}

}  // namespace cadence
