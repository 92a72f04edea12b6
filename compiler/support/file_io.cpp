#include "support/file_io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace cadence {

std::optional<std::string> write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string temporary = (directory / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) return fmt::format("cannot create a file in '{}': {}", directory.string(), std::strerror(errno));
  auto fail = [&](const char* what) {
    const std::string message = fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(errno));
    ::close(fd);
    ::unlink(temporary.c_str());
    return message;
  };
  // Keep the permissions of the file being replaced; new files get 0644.
  struct stat existing {};
  const mode_t mode = ::stat(path.c_str(), &existing) == 0 ? (existing.st_mode & 07777) : 0644;
  if (::fchmod(fd, mode) != 0) return fail("set permissions for");
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("flush");
  if (::close(fd) != 0) {
    ::unlink(temporary.c_str());
    return fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string message = fmt::format("cannot replace '{}': {}", path.string(), std::strerror(errno));
    ::unlink(temporary.c_str());
    return message;
  }
  return std::nullopt;
}

}  // namespace cadence
