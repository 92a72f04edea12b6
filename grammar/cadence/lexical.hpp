// The lexical layer of the .cadence language: character classes, and the
// scanners that skip strings and comments or find words without parsing.
// Tools that only need these (the formatter, the language server, the
// project's sequence scan) include this header rather than the PEGTL
// grammar, which costs every file that includes it seconds to compile.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace cadence::grammar {

// ---------------------------------------------------------------------------
// Lexical helpers shared by the grammar's rules, its recovery scanners and the tools.

/// Character classes of the lexer, one table lookup per byte.
enum CharClass : uint8_t { kIdentifierChar = 1, kBlankChar = 2 };
inline constexpr std::array<uint8_t, 256> kCharClasses = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
      table[static_cast<std::size_t>(c)] = kIdentifierChar;
    }
  }
  for (const char c : {' ', '\t', '\r', '\n', '\f', '\v'}) table[static_cast<unsigned char>(c)] = kBlankChar;
  return table;
}();

inline bool is_identifier_char(char c) { return kCharClasses[static_cast<unsigned char>(c)] == kIdentifierChar; }
inline bool is_blank(char c) { return kCharClasses[static_cast<unsigned char>(c)] == kBlankChar; }

/// Skips a string, comment or single character at `p` and returns the next
/// position. Used by the recovery scanners so that braces inside strings and
/// comments do not count.
inline const char* skip_lexeme(const char* p, const char* end) {
  if (*p == '"') {
    if (end - p >= 3 && p[1] == '"' && p[2] == '"') {
      for (p += 3; p < end; ++p) {
        if (*p == '\\' && p + 1 < end) {
          ++p;
          continue;
        }
        if (end - p >= 3 && p[0] == '"' && p[1] == '"' && p[2] == '"') return p + 3;
      }
      return end;
    }
    for (++p; p < end && *p != '\n'; ++p) {
      if (*p == '\\' && p + 1 < end && p[1] != '\n') {
        ++p;
        continue;
      }
      if (*p == '"') return p + 1;
    }
    return p;
  }
  if (*p == '/' && p + 1 < end && p[1] == '/') {
    while (p < end && *p != '\n') ++p;
    return p;
  }
  if (*p == '/' && p + 1 < end && p[1] == '*') {
    for (p += 2; p + 1 < end; ++p) {
      if (p[0] == '*' && p[1] == '/') return p + 2;
    }
    return end;
  }
  return p + 1;
}

/// Calls `visit(offset, comment)` for every `//` comment of `text` (strings
/// and block comments are skipped, so a `//` inside them is not one); the
/// comment view runs from the slashes to the end of its line.
template <typename Visit>
void for_each_line_comment(std::string_view text, Visit&& visit) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  for (const char* p = begin; p < end;) {
    if (!(*p == '/' && p + 1 < end && p[1] == '/')) {
      p = skip_lexeme(p, end);
      continue;
    }
    const char* stop = p;
    while (stop < end && *stop != '\n') ++stop;
    visit(static_cast<uint32_t>(p - begin), std::string_view(p, static_cast<std::size_t>(stop - p)));
    p = stop;
  }
}

/// Skips the rest of the line at `p`; a '{' on it extends the skip to its
/// matching '}' (and then to the end of that line). Stops before a '}' that
/// closes an enclosing block. Iterative, so hostile nesting cannot overflow
/// the stack. Always advances unless at `end` or at such a '}'.
inline const char* skip_line_balanced(const char* p, const char* end) {
  std::size_t depth = 0;
  while (p < end) {
    const char c = *p;
    if (c == '\n' && depth == 0) return p + 1;
    if (c == '{') ++depth;
    if (c == '}') {
      if (depth == 0) return p;
      --depth;
    }
    const char* next = skip_lexeme(p, end);
    // An unterminated string swallowed the rest of its line, and with it any
    // '}' the author wrote there: the broken statement ends with the line.
    if (c == '"' && next < end && *next == '\n' && next[-1] != '"') return next + 1;
    p = next;
  }
  return p;
}

/// Calls visit(word) for each identifier that follows the word `sequence`
/// and blanks anywhere in `text`, comments and strings included: a quick
/// superset of the sequences a file defines, found without parsing.
template <typename Visit>
void for_each_word_after_sequence(std::string_view text, Visit&& visit) {
  static constexpr std::string_view keyword = "sequence";
  // The rare 'q' is looked for with memchr, and the word checked around it:
  // a search that stops at every 's' costs several times more.
  constexpr std::size_t q_at = 2;
  auto find = [&](std::size_t from) -> std::size_t {
    for (std::size_t q = from + q_at; q < text.size();) {
      const void* hit = std::memchr(text.data() + q, 'q', text.size() - q);
      if (hit == nullptr) break;
      q = static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
      if (text.substr(q - q_at, keyword.size()) == keyword) return q - q_at;
      ++q;
    }
    return std::string_view::npos;
  };
  for (std::size_t at = find(0); at != std::string_view::npos; at = find(at + 1)) {
    if (at > 0 && is_identifier_char(text[at - 1])) continue;
    std::size_t p = at + keyword.size();
    const std::size_t blanks = p;
    while (p < text.size() && is_blank(text[p])) ++p;
    if (p == blanks) continue;
    const std::size_t word = p;
    while (p < text.size() && is_identifier_char(text[p])) ++p;
    if (p > word) visit(text.substr(word, p - word));
  }
}

/// The words that cannot name anything. The grammar's `reserved` rule
/// accepts the same words (a unit test holds them equal).
inline constexpr std::array<std::string_view, 8> kReservedWords{"and", "or",   "not",  "in",
                                                                "is",  "null", "true", "false"};

/// The parser asks at every identifier: by length first, then a few bytes.
inline bool is_reserved_word(std::string_view word) {
  switch (word.size()) {
    case 2: return word == "or" || word == "in" || word == "is";
    case 3: return word == "and" || word == "not";
    case 4: return word == "null" || word == "true";
    case 5: return word == "false";
    default: return false;
  }
}

}  // namespace cadence::grammar
