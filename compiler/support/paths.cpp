#include "support/paths.hpp"

#include <algorithm>

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
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

SourceListing list_sources(const fs::path& directory) {
  SourceListing listing;
  std::error_code error;
  const fs::path root = fs::canonical(directory, error);
  fs::recursive_directory_iterator it(directory, fs::directory_options::skip_permission_denied, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const fs::path& entry = it->path();
    std::error_code entry_error;
    if (it->is_directory(entry_error) && entry.filename().string().starts_with(".")) {
      it.disable_recursion_pending();
      continue;
    }
    if (entry.extension() != ".cadence") continue;
    if (it->is_symlink(entry_error)) {
      // A link may point anywhere (a committed `leak.cadence -> /proc/self/environ`):
      // follow only links that stay inside the directory being searched.
      const fs::path target = fs::canonical(entry, entry_error);
      if (entry_error || !is_within(target, root)) {
        listing.skipped_links.push_back(entry.lexically_normal());
        continue;
      }
    }
    if (it->is_regular_file(entry_error)) listing.files.push_back(entry.lexically_normal());
  }
  if (error) listing.error = error.message();
  std::sort(listing.files.begin(), listing.files.end());
  return listing;
}

}  // namespace cadence
