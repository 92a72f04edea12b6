// Paths made absolute without asking the system each time: the process's
// working directory is read once (cadence never changes it).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace cadence {

/// The working directory when first asked.
[[nodiscard]] const std::filesystem::path& current_directory();

/// `path` made absolute against current_directory() and lexically normal.
[[nodiscard]] std::filesystem::path absolute_normal(const std::filesystem::path& path);

/// `path` relative to the working directory when it lies below it (as a
/// generic string), else nothing.
[[nodiscard]] std::optional<std::string> relative_to_current(const std::filesystem::path& path);

}  // namespace cadence
