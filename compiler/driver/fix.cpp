#include "driver/fix.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace cadence {

std::string apply_edits(const Source& source, std::vector<Edit> edits, std::size_t* applied) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.location.span.begin < b.location.span.begin; });
  const std::string_view text = source.text();
  std::string out;
  out.reserve(text.size() + 64);
  uint32_t at = 0;
  std::size_t count = 0;
  bool first = true;
  for (const Edit& edit : edits) {
    const Span span = edit.location.span;
    // Two insertions at one point are fine; anything else overlapping is not.
    if (!first && span.begin < at) continue;
    out.append(text.substr(at, span.begin - at));
    out += with_line_ends_of(source, edit.replacement);
    at = span.end;
    first = false;
    ++count;
  }
  out.append(text.substr(std::min<std::size_t>(at, text.size())));
  if (applied != nullptr) *applied = count;
  return out;
}

std::vector<Edit> safe_fix_edits(const Source& source, const std::vector<Diagnostic>& diagnostics, std::size_t* fixes) {
  std::vector<Edit> edits;
  std::size_t count = 0;
  for (const Diagnostic& diagnostic : diagnostics) {
    if (diagnostic.fixes.empty()) continue;
    const Fix& fix = diagnostic.fixes.front();
    if (!fix.safe) continue;
    const bool local = std::all_of(fix.edits.begin(), fix.edits.end(),
                                   [&](const Edit& edit) { return edit.location.source == &source; });
    if (!local) continue;
    edits.insert(edits.end(), fix.edits.begin(), fix.edits.end());
    ++count;
  }
  if (fixes != nullptr) *fixes = count;
  return edits;
}

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start + 1));
    start = end + 1;
  }
  return lines;
}

enum class Op { Keep, Remove, Add };

/// Beyond this many changed lines the diff is one replacement of the
/// differing middle (keeps memory bounded for wholesale rewrites).
constexpr int kMaxEditDistance = 4000;

/// Myers' O((N+M)D) shortest edit script over lines.
std::vector<std::pair<Op, std::string_view>> diff_lines(const std::vector<std::string_view>& a,
                                                        const std::vector<std::string_view>& b) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int max = n + m;
  // Step d reads diagonals -(d+1)..d+1 around `offset`: up to index 2 * max + 2.
  std::vector<int> v(2 * max + 3, 0);
  // trace[d] keeps the slice of v step d reads: diagonals -(d+1)..d+1.
  std::vector<std::vector<int>> trace;
  const int offset = max + 1;
  for (int d = 0; d <= max; ++d) {
    if (d > kMaxEditDistance) return {};
    trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
    for (int k = -d; k <= d; k += 2) {
      int x =
          (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        // Walk the trace back to recover the script.
        std::vector<std::pair<Op, std::string_view>> script;
        int cx = n, cy = m;
        for (int dd = d; dd > 0; --dd) {
          const std::vector<int>& slice = trace[dd];
          auto pv_at = [&](int diagonal) { return slice[diagonal + dd + 1]; };
          const int ck = cx - cy;
          const bool down = ck == -dd || (ck != dd && pv_at(ck - 1) < pv_at(ck + 1));
          const int pk = down ? ck + 1 : ck - 1;
          const int px = pv_at(pk);
          const int py = px - pk;
          // The diagonal run after the edit, then the edit itself.
          const int after_x = down ? px : px + 1;
          const int after_y = down ? py + 1 : py;
          while (cx > after_x && cy > after_y) {
            script.push_back({Op::Keep, a[--cx]});
            --cy;
          }
          if (down)
            script.push_back({Op::Add, b[--cy]});
          else
            script.push_back({Op::Remove, a[--cx]});
        }
        while (cx > 0 && cy > 0) {
          script.push_back({Op::Keep, a[--cx]});
          --cy;
        }
        std::reverse(script.begin(), script.end());
        return script;
      }
    }
  }
  return {};
}

}  // namespace

std::string unified_diff(std::string_view path, std::string_view before, std::string_view after) {
  if (before == after) return {};
  const auto a = split_lines(before), b = split_lines(after);
  auto script = diff_lines(a, b);
  if (script.empty()) {
    // Too different for an exact diff: keep the common ends, replace the rest.
    std::size_t prefix = 0, suffix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
      ++suffix;
    for (std::size_t i = 0; i < prefix; ++i) script.push_back({Op::Keep, a[i]});
    for (std::size_t i = prefix; i < a.size() - suffix; ++i) script.push_back({Op::Remove, a[i]});
    for (std::size_t i = prefix; i < b.size() - suffix; ++i) script.push_back({Op::Add, b[i]});
    for (std::size_t i = a.size() - suffix; i < a.size(); ++i) script.push_back({Op::Keep, a[i]});
  }
  constexpr std::size_t kContext = 3;
  std::string out = fmt::format("--- {}\n+++ {}\n", path, path);
  std::size_t i = 0;
  while (i < script.size()) {
    if (script[i].first == Op::Keep) {
      ++i;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext after the
    // last change that is at most 2*kContext unchanged lines away.
    std::size_t start = i >= kContext ? i - kContext : 0;
    while (start < i && script[start].first != Op::Keep) ++start;
    std::size_t end = i;
    std::size_t quiet = 0;
    for (std::size_t j = i; j < script.size(); ++j) {
      if (script[j].first == Op::Keep) {
        if (++quiet > 2 * kContext) break;
      } else {
        quiet = 0;
        end = j;
      }
    }
    const std::size_t stop = std::min(script.size(), end + 1 + kContext);
    // Line numbers of the hunk in both files.
    std::size_t old_line = 1, new_line = 1;
    for (std::size_t j = 0; j < start; ++j) {
      if (script[j].first != Op::Add) ++old_line;
      if (script[j].first != Op::Remove) ++new_line;
    }
    std::size_t old_count = 0, new_count = 0;
    std::string body;
    for (std::size_t j = start; j < stop; ++j) {
      const char mark = script[j].first == Op::Keep ? ' ' : script[j].first == Op::Remove ? '-' : '+';
      if (script[j].first != Op::Add) ++old_count;
      if (script[j].first != Op::Remove) ++new_count;
      body += mark;
      body += script[j].second;
      if (!script[j].second.ends_with('\n')) body += "\n\\ No newline at end of file\n";
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", old_count == 0 ? old_line - 1 : old_line, old_count,
                       new_count == 0 ? new_line - 1 : new_line, new_count);
    out += body;
    i = stop;
  }
  return out;
}

}  // namespace cadence
