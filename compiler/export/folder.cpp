#include "export/folder.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "export/common.hpp"
#include "support/escape.hpp"
#include "support/file_io.hpp"
#include "support/json_input.hpp"
#include "support/sha256.hpp"

namespace cadence::exporter {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxFolderName = 128;
constexpr std::size_t kMaxIdInFileName = 100;
constexpr std::size_t kMaxManifestBytes = 64u * 1024u * 1024u;
constexpr const char* kManifest = "manifest.json";
constexpr std::string_view kTemporaryMark = ".cadence-tmp-";

std::string error_text(int code = errno) { return std::strerror(code); }

/// A file descriptor, closed when it goes.
class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(Descriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Descriptor& operator=(Descriptor&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

/// Holds SIGINT, SIGTERM and SIGHUP while it lives: the folders are written
/// or undone whole, and a signal that came meanwhile is delivered after.
class SignalsHeld {
 public:
  SignalsHeld() {
    sigset_t set;
    sigemptyset(&set);
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, signal_number);
    ::pthread_sigmask(SIG_BLOCK, &set, &previous_);
  }
  ~SignalsHeld() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t previous_;
};

/// Opens the folder `name` inside `parent`, never through a link.
Descriptor open_folder(int parent, const std::string& name) {
  return Descriptor(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

/// The names in a folder (without . and ..); false when it cannot be read.
bool list_folder(int folder, std::vector<std::string>& names) {
  const int copy = ::dup(folder);
  if (copy < 0) return false;
  DIR* dir = ::fdopendir(copy);
  if (dir == nullptr) {
    ::close(copy);
    return false;
  }
  ::rewinddir(dir);
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  const bool ok = errno == 0;
  ::closedir(dir);
  return ok;
}

bool is_regular_file_at(int folder, const std::string& name) {
  struct stat info {};
  return ::fstatat(folder, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(info.st_mode);
}

/// Writes a new file `name` in `folder` (which must not have it), all of it.
std::optional<std::string> write_new_file(int folder, const std::string& name, std::string_view bytes) {
  Descriptor file(::openat(folder, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
  if (!file.valid()) return error_text();
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(file.get(), bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return error_text();
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(file.get()) != 0) return error_text();
  return std::nullopt;
}

/// rename(2) that fails with EEXIST rather than replace `to`; where the
/// file system cannot promise that, a check just before.
int rename_no_replace(int from_folder, const std::string& from, int to_folder, const std::string& to) {
#ifdef RENAME_NOREPLACE
  if (::renameat2(from_folder, from.c_str(), to_folder, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
#endif
  struct stat info {};
  if (::fstatat(to_folder, to.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) {
    errno = EEXIST;
    return -1;
  }
  return ::renameat(from_folder, from.c_str(), to_folder, to.c_str());
}

/// A fresh hidden folder beside `folder` in `parent`: ".FOLDER.cadence-tmp-PID-XXXXXX".
std::optional<std::string> make_temporary_folder(int parent, const std::string& folder, std::string& error) {
  static std::mt19937_64 random{std::random_device{}()};
  static constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = fmt::format(".{}{}{}-", folder, kTemporaryMark, ::getpid());
    for (int i = 0; i < 6; ++i) name += kLetters[random() % kLetters.size()];
    if (::mkdirat(parent, name.c_str(), 0777) == 0) return name;
    if (errno != EEXIST) {
      error = error_text();
      return std::nullopt;
    }
  }
  error = "no free temporary name";
  return std::nullopt;
}

/// The files a manifest lists (its body files), if `bytes` is a manifest
/// cadence export wrote; `name` receives the sequence it is for.
std::optional<std::set<std::string>> manifest_files(const std::string& bytes, std::string& name) {
  std::string error;
  const auto manifest = parse_json_input(bytes, error);
  if (!manifest || !manifest->is_object()) return {};
  if (const auto format = manifest->find("format"); format == manifest->end() || *format != "cadence-export-manifest")
    return {};
  const auto sequence = manifest->find("name");
  const auto requests = manifest->find("requests");
  if (sequence == manifest->end() || !sequence->is_string() || requests == manifest->end() || !requests->is_array())
    return {};
  name = sequence->get<std::string>();
  std::set<std::string> files;
  for (const auto& request : *requests) {
    const auto file = request.is_object() ? request.find("body_file") : request.end();
    if (!request.is_object() || file == request.end() || !file->is_string()) return {};
    const std::string& text = file->get_ref<const std::string&>();
    if (!is_body_file_name(text)) return {};
    files.insert(text);
  }
  return files;
}

/// Reads `folder`'s manifest.json: nothing when there is none; an error
/// when it is a link or not one of ours.
struct ManifestRead {
  bool present = false;
  std::string sequence;
  std::set<std::string> files;
  std::optional<std::string> problem;
};

ManifestRead read_manifest(int folder, const std::string& shown) {
  ManifestRead read;
  Descriptor file(::openat(folder, kManifest, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (!file.valid()) {
    if (errno == ENOENT) return read;
    read.problem = errno == ELOOP ? fmt::format(
                                        "'{}' is a symbolic link; cadence export follows no link inside "
                                        "its output folder",
                                        shown)
                                  : fmt::format("cannot read '{}': {}", shown, error_text());
    return read;
  }
  read.present = true;
  struct stat info {};
  if (::fstat(file.get(), &info) != 0 || !S_ISREG(info.st_mode) ||
      static_cast<std::size_t>(info.st_size) > kMaxManifestBytes) {
    read.problem = fmt::format("'{}' is not a manifest cadence export wrote; move it away and export again", shown);
    return read;
  }
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(file.get(), bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);
  auto files = manifest_files(bytes, read.sequence);
  if (!files) {
    read.problem = fmt::format("'{}' is not a manifest cadence export wrote; move it away and export again", shown);
    return read;
  }
  read.files = std::move(*files);
  return read;
}

/// One sequence's folder, built beside the old one and then swapped in.
struct Folder {
  std::string name;                  // below DIR
  std::string temporary;             // the new contents, until swapped in
  bool replaces = false;             // an old folder is there
  std::vector<std::string> ours;     // entries of the old folder the previous export wrote
  std::vector<std::string> others;   // every other entry of the old folder: kept
  std::vector<std::string> written;  // files of the new folder
};

class FolderWriter {
 public:
  FolderWriter(const fs::path& directory, const std::vector<fs::path>& inputs, std::vector<std::string>& notes)
      : directory_(directory), inputs_(inputs), notes_(notes) {}

  ~FolderWriter() {
    // Whatever was not swapped in goes.
    for (const Folder& folder : folders_) {
      if (!folder.temporary.empty()) remove_ours(folder.temporary, folder.written, false);
    }
  }
  FolderWriter(const FolderWriter&) = delete;
  FolderWriter& operator=(const FolderWriter&) = delete;

  std::optional<std::string> write(const Json& document) {
    std::error_code code;
    fs::create_directories(directory_, code);
    // The directory itself is the user's to name: a link to it is followed.
    parent_ = Descriptor(::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!parent_.valid()) return fmt::format("cannot open the folder '{}': {}", directory_.string(), error_text());
    remove_stale_temporaries();
    for (const Json& sequence : document.at("sequences")) {
      if (auto failure = prepare(document, sequence)) return failure;
    }
    for (Folder& folder : folders_) {
      if (auto failure = swap_in(folder)) return failure;
    }
    ::fsync(parent_.get());
    return std::nullopt;
  }

 private:
  [[nodiscard]] std::string shown(std::string_view a, std::string_view b = {}) const {
    fs::path path = directory_ / std::string(a);
    if (!b.empty()) path /= std::string(b);
    return path.string();
  }

  /// Builds the sequence's new folder in a temporary one, after checking
  /// that the old folder can be replaced without losing anything.
  std::optional<std::string> prepare(const Json& document, const Json& sequence) {
    Folder folder;
    const std::string sequence_name = sequence.at("name").get<std::string>();
    folder.name = sequence_folder_name(sequence_name);
    const Json manifest = folder_manifest(document, sequence);
    std::set<std::string> new_names{kManifest};
    for (const Json& request : manifest.at("requests")) new_names.insert(request.at("body_file").get<std::string>());

    struct stat info {};
    if (::fstatat(parent_.get(), folder.name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) {
      if (S_ISLNK(info.st_mode)) {
        return fmt::format(
            "'{}' is a symbolic link; cadence export follows no link inside its output folder: remove "
            "it, or export to another folder",
            shown(folder.name));
      }
      if (!S_ISDIR(info.st_mode)) return fmt::format("'{}' exists and is not a folder", shown(folder.name));
      folder.replaces = true;
      const Descriptor old = open_folder(parent_.get(), folder.name);
      if (!old.valid()) return fmt::format("cannot open '{}': {}", shown(folder.name), error_text());
      const ManifestRead previous = read_manifest(old.get(), shown(folder.name, kManifest));
      if (previous.problem) return previous.problem;
      if (previous.present && previous.sequence != sequence_name) {
        return fmt::format(
            "'{}' holds the export of sequence '{}', not '{}'; names that differ only in case share a folder on file "
            "systems that ignore case: rename one of the sequences, or export to another folder",
            shown(folder.name), visible(previous.sequence), sequence_name);
      }
      std::vector<std::string> entries;
      if (!list_folder(old.get(), entries))
        return fmt::format("cannot read '{}': {}", shown(folder.name), error_text());
      for (std::string& entry : entries) {
        const bool listed = entry == kManifest ? previous.present : previous.files.contains(entry);
        if (listed && is_regular_file_at(old.get(), entry)) {
          if (const auto identity = file_identity_at(old.get(), entry); identity && is_input(*identity)) {
            return fmt::format("'{}' is also an input of this command; export to another folder",
                               shown(folder.name, entry));
          }
          folder.ours.push_back(std::move(entry));
        } else {
          if (new_names.contains(entry)) {
            return fmt::format(
                "'{}' is not a file of the previous export (no manifest lists it), and this export "
                "writes a file of that name: move it away, or export to another folder",
                shown(folder.name, entry));
          }
          folder.others.push_back(std::move(entry));
        }
      }
    } else if (errno != ENOENT) {
      return fmt::format("cannot use '{}': {}", shown(folder.name), error_text());
    }

    std::string error;
    auto temporary = make_temporary_folder(parent_.get(), folder.name, error);
    if (!temporary) return fmt::format("cannot create a folder in '{}': {}", directory_.string(), error);
    folder.temporary = std::move(*temporary);
    folders_.push_back(folder);
    Folder& kept = folders_.back();
    const Descriptor fresh = open_folder(parent_.get(), kept.temporary);
    if (!fresh.valid()) return fmt::format("cannot open '{}': {}", shown(kept.temporary), error_text());
    // The manifest first: a folder left by a killed process lists what it holds.
    if (auto failure = write_new_file(fresh.get(), kManifest, manifest.dump(2) + "\n")) {
      return fmt::format("cannot write '{}': {}", shown(folder.name, kManifest), *failure);
    }
    kept.written.emplace_back(kManifest);
    const Json& requests = sequence.at("requests");
    const Json& listed = manifest.at("requests");
    for (std::size_t i = 0; i < requests.size(); ++i) {
      const std::string file = listed[i].at("body_file").get<std::string>();
      if (auto failure = write_new_file(fresh.get(), file, requests[i].at("body").dump(2) + "\n")) {
        return fmt::format("cannot write '{}': {}", shown(folder.name, file), *failure);
      }
      kept.written.push_back(file);
    }
    if (::fsync(fresh.get()) != 0) return fmt::format("cannot write '{}': {}", shown(folder.name), error_text());
    return std::nullopt;
  }

  /// Puts the new folder in place in one rename; then moves the user's
  /// entries of the old folder into it and removes the rest of the old one.
  std::optional<std::string> swap_in(Folder& folder) {
    const int parent = parent_.get();
    if (!folder.replaces) {
      if (rename_no_replace(parent, folder.temporary, parent, folder.name) != 0) {
        return fmt::format("cannot create '{}': {}", shown(folder.name), error_text());
      }
      folder.temporary.clear();
      return std::nullopt;
    }
    std::string old_place = folder.temporary;
    bool swapped = false;
#ifdef RENAME_EXCHANGE
    swapped = ::renameat2(parent, folder.temporary.c_str(), parent, folder.name.c_str(), RENAME_EXCHANGE) == 0;
    if (!swapped && errno != EINVAL && errno != ENOSYS) {
      return fmt::format("cannot replace '{}': {}", shown(folder.name), error_text());
    }
#endif
    if (!swapped) {
      // No atomic exchange on this file system: the old folder steps aside,
      // then the new one takes its name.
      std::string error;
      auto aside = make_temporary_folder(parent, folder.name, error);
      if (!aside || ::unlinkat(parent, aside->c_str(), AT_REMOVEDIR) != 0 ||
          ::renameat(parent, folder.name.c_str(), parent, aside->c_str()) != 0) {
        return fmt::format("cannot replace '{}': {}", shown(folder.name), aside ? error_text() : error);
      }
      if (::renameat(parent, folder.temporary.c_str(), parent, folder.name.c_str()) != 0) {
        const std::string reason = error_text();
        ::renameat(parent, aside->c_str(), parent, folder.name.c_str());
        return fmt::format("cannot replace '{}': {}", shown(folder.name), reason);
      }
      old_place = *aside;
    }
    folder.temporary.clear();  // the new folder is in place
    const Descriptor old = open_folder(parent, old_place);
    const Descriptor now = open_folder(parent, folder.name);
    std::size_t stranded = 0;
    for (const std::string& entry : folder.others) {
      if (!old.valid() || !now.valid() || rename_no_replace(old.get(), entry, now.get(), entry) != 0) ++stranded;
    }
    // The previous export's files go; the folder goes with them unless
    // something of the user's could not be moved, which it then keeps.
    remove_ours(old_place, folder.ours, stranded == 0);
    if (stranded > 0) {
      notes_.push_back(fmt::format(
          "kept '{}': {} of your file{} in '{}' could not be moved into the new export; "
          "move {} back by hand",
          shown(old_place), stranded, stranded == 1 ? "" : "s", shown(folder.name), stranded == 1 ? "it" : "them"));
    }
    return std::nullopt;
  }

  /// Removes the regular files `files` from the folder `name` in DIR, then
  /// the folder if that empties it.
  void remove_ours(const std::string& name, const std::vector<std::string>& files, bool tell) {
    const Descriptor folder = open_folder(parent_.get(), name);
    if (!folder.valid()) return;
    for (const std::string& file : files) {
      if (is_regular_file_at(folder.get(), file)) ::unlinkat(folder.get(), file.c_str(), 0);
    }
    if (::unlinkat(parent_.get(), name.c_str(), AT_REMOVEDIR) != 0 && tell) {
      notes_.push_back(fmt::format("kept '{}': it holds entries the previous export did not write", shown(name)));
    }
  }

  /// Folders of exports that were killed (SIGKILL, a power cut) are removed
  /// when they hold only what their manifest lists; else they are kept and
  /// named, since what else they hold is the user's.
  void remove_stale_temporaries() {
    std::vector<std::string> entries;
    if (!list_folder(parent_.get(), entries)) return;
    for (const std::string& entry : entries) {
      const std::size_t mark = entry.rfind(kTemporaryMark);
      if (!entry.starts_with('.') || mark == std::string::npos) continue;
      const char* begin = entry.data() + mark + kTemporaryMark.size();
      const char* end = entry.data() + entry.size();
      int pid = 0;
      const auto [ptr, code] = std::from_chars(begin, end, pid);
      if (code != std::errc() || ptr == end || *ptr != '-' || pid <= 0) continue;
      if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // running, or not ours to judge
      const Descriptor folder = open_folder(parent_.get(), entry);
      if (!folder.valid()) continue;
      const ManifestRead manifest = read_manifest(folder.get(), shown(entry, kManifest));
      std::vector<std::string> files(manifest.files.begin(), manifest.files.end());
      if (manifest.present && !manifest.problem) files.emplace_back(kManifest);
      for (const std::string& file : files) {
        if (is_regular_file_at(folder.get(), file)) ::unlinkat(folder.get(), file.c_str(), 0);
      }
      if (::unlinkat(parent_.get(), entry.c_str(), AT_REMOVEDIR) != 0) {
        notes_.push_back(
            fmt::format("'{}' is left from an interrupted export and holds files it did not write; look "
                        "through it, then remove it",
                        shown(entry)));
      }
    }
  }

  static std::optional<FileIdentity> file_identity_at(int folder, const std::string& name) {
    struct stat info {};
    if (::fstatat(folder, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) return std::nullopt;
    return FileIdentity{info.st_dev, info.st_ino};
  }

  [[nodiscard]] bool is_input(const FileIdentity& identity) const {
    for (const fs::path& input : inputs_) {
      if (file_identity(input) == identity) return true;
    }
    return false;
  }

  fs::path directory_;
  const std::vector<fs::path>& inputs_;
  std::vector<std::string>& notes_;
  Descriptor parent_;
  std::vector<Folder> folders_;
};

}  // namespace

std::string sequence_folder_name(std::string_view sequence) { return short_name(sequence, kMaxFolderName); }

std::string body_file_name(std::size_t order, std::size_t count, std::string_view id) {
  std::string part(id);
  for (char& c : part) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!plain) c = '-';
  }
  // A long id keeps a hash of itself, so that two long ids stay two.
  if (part.size() > kMaxIdInFileName)
    part = fmt::format("{}-{}", part.substr(0, kMaxIdInFileName - 9), sha256_hex(id).substr(0, 8));
  const int width = std::max<int>(2, static_cast<int>(std::to_string(count).size()));
  return fmt::format("{:0{}}-{}.json", order, width, part);
}

bool is_body_file_name(std::string_view name) {
  if (!name.ends_with(".json")) return false;
  name.remove_suffix(5);
  std::size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') ++digits;
  if (digits == 0 || digits + 1 >= name.size() || name[digits] != '-') return false;
  for (const char c : name.substr(digits + 1)) {
    const bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!plain) return false;
  }
  return true;
}

Json folder_manifest(const Json& document, const Json& sequence) {
  Json manifest{{"format", "cadence-export-manifest"}, {"version", kExportFormatVersion}};
  for (const char* key : {"target", "api", "generator", "source"}) manifest[key] = document.at(key);
  manifest["name"] = sequence.at("name");
  manifest["content_hash"] = sequence.at("content_hash");
  Json requests = Json::array();
  const Json& list = sequence.at("requests");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& request = list[i];
    requests.push_back({{"order", i + 1},
                        {"id", request.at("id")},
                        {"method", request.at("method")},
                        {"path", request.at("path")},
                        {"body_file", body_file_name(i + 1, list.size(), request.at("id").get<std::string>())},
                        {"references", request.at("references")}});
  }
  manifest["requests"] = std::move(requests);
  manifest["fidelity"] = sequence.at("fidelity");
  return manifest;
}

std::optional<std::string> write_export_folders(const fs::path& directory, const Json& document,
                                                const std::vector<fs::path>& inputs, std::vector<std::string>& notes) {
  const SignalsHeld held;
  FolderWriter writer(directory, inputs, notes);
  return writer.write(document);
}

}  // namespace cadence::exporter
