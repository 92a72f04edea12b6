#include "support/paths.hpp"

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

}  // namespace cadence
