// Reading JSON that comes from outside (plans, LSP messages) without letting
// its shape exhaust the stack: nesting is bounded before parsing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace cadence {

/// Deepest nesting of arrays and objects accepted in JSON input. Plans nest
/// conditions as deep as the source's parentheses allow; 512 leaves room for
/// any real plan and message while keeping recursion in the JSON library
/// (copies, dumps, comparisons) far from the stack's end.
inline constexpr std::size_t kMaxJsonDepth = 512;

/// The deepest nesting of `[` and `{` in `text` outside strings (a linear
/// scan that stops counting once past `limit`).
[[nodiscard]] std::size_t json_nesting_depth(std::string_view text, std::size_t limit = kMaxJsonDepth + 1);

/// Parses `text` as JSON. On failure returns nothing and sets `error` to a
/// predicate for the caller's subject: "is not valid JSON (at byte 7)" or
/// "nests arrays and objects more than 512 deep".
[[nodiscard]] std::optional<nlohmann::json> parse_json_input(std::string_view text, std::string& error,
                                                             std::size_t max_depth = kMaxJsonDepth);

}  // namespace cadence
