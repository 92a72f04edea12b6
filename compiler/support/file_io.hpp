// File output that never loses data: a file is replaced whole or not at all,
// the file a symbolic link names is the one rewritten, devices and pipes are
// written to directly, and no command writes over a file it reads.
#pragma once

#include <sys/types.h>

#include <compare>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cadence {

/// What makes two paths the same file.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
  friend bool operator<(const FileIdentity& a, const FileIdentity& b) {
    return a.device != b.device ? a.device < b.device : a.inode < b.inode;
  }
};

/// The identity of the file `path` names (following symbolic links), if it exists.
[[nodiscard]] std::optional<FileIdentity> file_identity(const std::filesystem::path& path);

/// An output file being written. Regular files are written to a temporary
/// file next to the real target (symbolic links followed) and renamed over it
/// on commit(), keeping the owner and the permission bits (without set-user-
/// and set-group-ID). A file with several hard links, or whose owner cannot
/// be kept, is rewritten in place instead, after the new contents are safe
/// in the temporary file. Devices, pipes and sockets (/dev/null, /dev/stdout)
/// are written directly. Destroying an uncommitted file removes the temporary
/// file; so does SIGINT, SIGTERM or SIGHUP while it is open.
class OutputFile {
 public:
  /// Opens `path` for writing. Fails with a message when `path` is a
  /// directory, cannot be created, or is one of `inputs` (the files the
  /// command reads).
  [[nodiscard]] static std::unique_ptr<OutputFile> open(const std::filesystem::path& path,
                                                        const std::vector<std::filesystem::path>& inputs,
                                                        std::string& error);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /// Appends bytes; returns an error message on failure.
  [[nodiscard]] std::optional<std::string> write(std::string_view bytes);
  /// Makes the new contents visible; returns an error message on failure
  /// (the old file is then left as it was).
  [[nodiscard]] std::optional<std::string> commit();

 private:
  OutputFile() = default;
  struct State;
  std::unique_ptr<State> state_;
};

/// Writes `contents` to `path` through OutputFile. Returns an error message
/// on failure (and leaves `path` as it was).
[[nodiscard]] std::optional<std::string> write_file_atomically(const std::filesystem::path& path,
                                                               std::string_view contents,
                                                               const std::vector<std::filesystem::path>& inputs = {});

/// The prefix of the temporary files OutputFile creates for `target`
/// (".NAME.cadence-tmp-"), for tests and clean-up.
[[nodiscard]] std::string temporary_prefix(const std::filesystem::path& target);

}  // namespace cadence
