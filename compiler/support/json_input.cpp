#include "support/json_input.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cadence {

std::size_t json_nesting_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest >= limit) return deepest;
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return deepest;
}

std::optional<nlohmann::json> parse_json_input(std::string_view text, std::string& error, std::size_t max_depth) {
  if (json_nesting_depth(text, max_depth + 1) > max_depth) {
    error = fmt::format("nests arrays and objects more than {} deep", max_depth);
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& failure) {
    error = fmt::format("is not valid JSON (at byte {})", failure.byte);
    return std::nullopt;
  } catch (const nlohmann::json::out_of_range&) {
    // A number too large for a double, such as 9e7978178.
    error = "is not valid JSON (a number is out of range)";
    return std::nullopt;
  }
}

}  // namespace cadence
