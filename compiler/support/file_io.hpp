// File output that never leaves a half-written file behind.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cadence {

/// Writes `contents` to a temporary file next to `path` and renames it over
/// `path`, so readers see the old file or the new one, never a mix. Returns
/// an error message on failure (and leaves `path` untouched).
[[nodiscard]] std::optional<std::string> write_file_atomically(const std::filesystem::path& path,
                                                               std::string_view contents);

}  // namespace cadence
