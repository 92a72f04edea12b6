// Applying fix-its to files, and showing them as a unified diff.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.hpp"

namespace cadence {

/// The text after applying `edits` (all into `source`). Edits that overlap
/// an earlier one are skipped; `applied` counts the rest.
[[nodiscard]] std::string apply_edits(const Source& source, std::vector<Edit> edits, std::size_t* applied = nullptr);

/// The safe fixes of `diagnostics` whose edits all fall into `source`.
[[nodiscard]] std::vector<Edit> safe_fix_edits(const Source& source, const std::vector<Diagnostic>& diagnostics,
                                               std::size_t* fixes = nullptr);

/// A unified diff (3 lines of context) from `before` to `after`, or "" when
/// they are equal.
[[nodiscard]] std::string unified_diff(std::string_view path, std::string_view before, std::string_view after);

}  // namespace cadence
