#include "support/suggest.hpp"

#include <algorithm>

namespace cadence {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  return bounded_edit_distance(a, b, std::max(a.size(), b.size()));
}

std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t n = a.size(), m = b.size();
  const std::size_t gap = n > m ? n - m : m - n;
  if (gap > limit) return limit + 1;
  // Three rows; on the stack for names of ordinary length.
  constexpr std::size_t kStackColumns = 64;
  std::size_t stack_rows[3][kStackColumns + 1];
  std::vector<std::size_t> heap_rows;
  std::size_t *before = stack_rows[0], *previous = stack_rows[1], *current = stack_rows[2];
  if (m > kStackColumns) {
    heap_rows.resize(3 * (m + 1));
    before = heap_rows.data();
    previous = before + (m + 1);
    current = previous + (m + 1);
  }
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    std::size_t row_best = current[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
      row_best = std::min(row_best, current[j]);
    }
    // A row's smallest value grows by at most one per row, and no later cell
    // is smaller than the smallest of the two rows above it (a transposition
    // reaches back two): once a row's best is past limit + 1, nothing can
    // come back within the limit.
    if (row_best > limit + 1) return limit + 1;
    std::size_t* recycled = before;
    before = previous;
    previous = current;
    current = recycled;
  }
  return std::min(previous[m], limit + 1);
}

std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  std::size_t compared = 0;
  for (std::string_view candidate : candidates) {
    if (candidate == word) continue;
    // Cheap bound first: lengths that differ by more than allowed cannot match.
    const std::size_t gap =
        candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
    if (gap > allowed) continue;
    // A bounded amount of work per suggestion, however many names there are.
    if (++compared > kMaxSuggestionComparisons) break;
    const std::size_t distance = bounded_edit_distance(word, candidate, best_distance - 1);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
      if (distance == 1) break;  // nothing closer than one edit remains to be found
    }
  }
  if (best) return best;
  // A truncated name ("company" for "companyname") is a likely slip too.
  if (word.size() >= 4) {
    for (std::string_view candidate : candidates) {
      if (candidate.size() > word.size() && candidate.substr(0, word.size()) == word) return std::string(candidate);
    }
    // So is a word of a longer name, when only one name has it
    // ("manufacturing" for the stock label's durable_manufacturing).
    std::optional<std::string_view> holder;
    std::size_t scanned = 0;
    for (std::string_view candidate : candidates) {
      if (++scanned > kMaxSuggestionComparisons) break;
      for (std::size_t at = candidate.find(word); at != std::string_view::npos; at = candidate.find(word, at + 1)) {
        const std::size_t end = at + word.size();
        if ((at == 0 || candidate[at - 1] == '_') && (end == candidate.size() || candidate[end] == '_')) {
          if (holder && *holder != candidate) return best;  // ambiguous: suggest nothing
          holder = candidate;
          break;
        }
      }
    }
    if (holder) return std::string(*holder);
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
