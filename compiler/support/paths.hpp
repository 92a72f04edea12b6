// Paths made absolute without asking the system each time: the process's
// working directory is read once (cadence never changes it).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
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
/// Compares the text once: no component is taken apart.
[[nodiscard]] bool is_within(const std::filesystem::path& path, const std::filesystem::path& root);

/// The deepest directory at or above `directory` (absolute and normal;
/// lexically, as named) that holds a regular file `name` (a link to one
/// counts). One pass down the path from the root, each directory opened
/// relative to the one above it: linear in the path's depth, whatever it
/// is, and no path longer than one component is handed to the system.
[[nodiscard]] std::optional<std::filesystem::path> nearest_directory_holding(const std::filesystem::path& directory,
                                                                             std::string_view name);

/// The project a file belongs to, the one notion every command, rule and the
/// language server share: the deepest directory above the file holding a
/// cadence.toml (and every .cadence file below it), else the file's own
/// folder (and the .cadence files directly in it). Imports stay inside it;
/// hand-off targets, sequence names and teams' loads are looked up in it;
/// plans, exports and reports name files relative to it.
struct Project {
  std::filesystem::path root;  // absolute and normal
  bool configured = false;     // root holds the cadence.toml that makes it

  /// The project of a file in `directory`, given the directory of the
  /// nearest cadence.toml at or above it, if any (both absolute, normal).
  [[nodiscard]] static Project at(const std::filesystem::path& directory,
                                  const std::optional<std::filesystem::path>& config_directory);
  /// Whether `file` (absolute and normal) is one of its sources' places.
  [[nodiscard]] bool holds(const std::filesystem::path& file) const;
  /// As `cadence check` names it: relative to the working directory when
  /// below it, and what made it.
  [[nodiscard]] std::string describe() const;
  [[nodiscard]] bool operator==(const Project& other) const {
    return root == other.root && configured == other.configured;
  }
};

/// The project of `file`, from the disk.
[[nodiscard]] Project project_of(const std::filesystem::path& file);

/// `file` as the artefacts (plans, exports, reports) name it: relative to
/// `base`, `../` included when it lies outside, as a generic string. So an
/// artefact is the same bytes in every checkout of a project, wherever it
/// was made from.
[[nodiscard]] std::string relative_name(const std::filesystem::path& file, const std::filesystem::path& base);

/// The path with every symbolic link resolved, from the system's own
/// record of the file opened (linear in the path's depth), or nothing when
/// it does not exist.
[[nodiscard]] std::optional<std::filesystem::path> resolved_path(const std::filesystem::path& path);

/// The .cadence files below a directory, as `cadence check DIR` and the rules
/// across a project see them: sorted, hidden files and directories skipped, symbolic
/// links followed only when they stay inside the directory, and each file
/// once, however many names it has (links, hard links: the name that is not
/// a link, else the first in order, is kept). The walk opens each directory
/// relative to its parent, so its cost is linear in the tree, however deep.
struct SourceListing {
  std::vector<std::filesystem::path> files;
  /// Entries left out, and why: a link leading out of the directory, a
  /// folder that vanished or cannot be read while the walk went on.
  struct Skipped {
    std::filesystem::path path;
    std::string why;
  };
  std::vector<Skipped> skipped;
  /// Why the directory itself could not be read, if so.
  std::optional<std::string> error;
};
enum class ListDepth { Tree, Folder };
[[nodiscard]] SourceListing list_sources(const std::filesystem::path& directory, ListDepth depth = ListDepth::Tree);

/// The .cadence files of a project: the tree below its cadence.toml, or
/// the files of its folder.
[[nodiscard]] SourceListing project_sources(const Project& project);

}  // namespace cadence
