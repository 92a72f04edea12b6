// "Did you mean" suggestions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cadence {

/// Optimal string alignment distance (edits, with adjacent transpositions).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// The same distance when it is at most `limit`, else limit + 1; stops as
/// soon as the limit cannot be met.
[[nodiscard]] std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t limit);

/// Candidates of a plausible length compared per suggestion: with tens of
/// thousands of names, a suggestion looks at the first ones only.
inline constexpr std::size_t kMaxSuggestionComparisons = 1024;

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo: at most one edit for short words, a third of the length for longer
/// ones; failing that, a candidate the word is the start of ("company" for
/// "companyname"), or the one candidate that has the word as a part between
/// underscores ("durable_manufacturing" for "manufacturing"). Ties go to the
/// first candidate, so results are stable.
/// Costs at most kMaxSuggestionComparisons bounded comparisons.
[[nodiscard]] std::optional<std::string> closest_name(std::string_view word,
                                                      const std::vector<std::string_view>& candidates);

/// "a", "a or b", "a, b or c" (at most `limit` names, then "...").
[[nodiscard]] std::string list_names(const std::vector<std::string_view>& names, std::size_t limit = 6);

}  // namespace cadence
