// Paths made absolute without asking the system each time: the process's
// working directory is read once (cadence never changes it).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cadence {

/// The working directory when first asked.
[[nodiscard]] const std::filesystem::path& current_directory();

/// `path` made absolute against current_directory() and lexically normal.
[[nodiscard]] std::filesystem::path absolute_normal(const std::filesystem::path& path);

/// `path` relative to the working directory when it lies below it (as a
/// generic string), else nothing.
[[nodiscard]] std::optional<std::string> relative_to_current(const std::filesystem::path& path);

/// Whether `path` is `root` or lies below it (both absolute and normal).
[[nodiscard]] bool is_within(const std::filesystem::path& path, const std::filesystem::path& root);

/// The .cadence files below a directory, as `cadence check DIR` and the rules
/// across a project see them: sorted, hidden directories skipped, and
/// symbolic links followed only when they stay inside the directory.
struct SourceListing {
  std::vector<std::filesystem::path> files;
  /// Links that lead out of the directory, left out.
  std::vector<std::filesystem::path> skipped_links;
  /// Why the directory could not be read, if so.
  std::optional<std::string> error;
};
[[nodiscard]] SourceListing list_sources(const std::filesystem::path& directory);

}  // namespace cadence
