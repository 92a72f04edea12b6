#include "sema/suggest.hpp"

#include <algorithm>

namespace cadence {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (std::string_view candidate : candidates) {
    if (candidate == word) continue;
    // Cheap bound first: lengths that differ by more than allowed cannot match.
    const std::size_t gap = candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
    if (gap > allowed) continue;
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  if (best) return best;
  // A truncated name ("company" for "companyname") is a likely slip too.
  if (word.size() >= 4) {
    for (std::string_view candidate : candidates) {
      if (candidate.size() > word.size() && candidate.substr(0, word.size()) == word) return std::string(candidate);
    }
  }
  return best;
}

std::string list_names(const std::vector<std::string_view>& names, std::size_t limit) {
  std::string out;
  const std::size_t shown = std::min(names.size(), limit);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += (i + 1 == shown && shown == names.size()) ? " or " : ", ";
    out += "'" + std::string(names[i]) + "'";
  }
  if (shown < names.size()) out += ", ...";
  return out;
}

}  // namespace cadence
