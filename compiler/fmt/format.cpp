#include "fmt/format.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "cadence/lexical.hpp"
#include "cadence/node_kind.hpp"

namespace cadence {
namespace {

using grammar::NodeKind;

enum class TokenKind { Word, String, LineComment, BlockComment, Open, Close, Punct, Operator };

struct Token {
  TokenKind kind;
  uint32_t begin, end;
  /// Line breaks in the source between the previous token and this one.
  int newlines_before = 0;
  bool space_before = false;
};

bool is_word_char(char c) { return grammar::is_identifier_char(c) || c == '/' || c == '%' || c == '.'; }

/// Tokens of the text. String literals come whole from the parse tree
/// (`strings` maps each one's start to its end), since a merge field's
/// fallback puts quotes inside a string that no simple scanner can pair.
std::vector<Token> lex(std::string_view text, const std::map<uint32_t, uint32_t>& strings) {
  std::vector<Token> tokens;
  int newlines = 0;
  bool space = false;
  const char* base = text.data();
  const char* end = base + text.size();
  for (const char* p = base; p < end;) {
    const char c = *p;
    if (c == '\n') {
      ++newlines;
      space = true;
      ++p;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      ++p;
      continue;
    }
    Token token{TokenKind::Punct, static_cast<uint32_t>(p - base), 0, newlines, space};
    if (auto string = strings.find(token.begin); string != strings.end()) {
      token.kind = TokenKind::String;
      p = base + string->second;
    } else if (c == '"') {
      token.kind = TokenKind::String;
      p = grammar::skip_lexeme(p, end);
    } else if (c == '/' && p + 1 < end && p[1] == '/') {
      token.kind = TokenKind::LineComment;
      while (p < end && *p != '\n') ++p;
      while (p > base + token.begin && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\r')) --p;  // trailing blanks
      const char* stop = p;
      while (p < end && *p != '\n') ++p;
      token.end = static_cast<uint32_t>(stop - base);
      tokens.push_back(token);
      newlines = 0;
      space = false;
      continue;
    } else if (c == '/' && p + 1 < end && p[1] == '*') {
      token.kind = TokenKind::BlockComment;
      p = grammar::skip_lexeme(p, end);
    } else if (is_word_char(c) || (c == '-' && p + 1 < end && std::isdigit(static_cast<unsigned char>(p[1])))) {
      token.kind = TokenKind::Word;
      ++p;
      while (p < end && is_word_char(*p)) ++p;
    } else if (c == '{' || c == '(' || c == '[') {
      token.kind = TokenKind::Open;
      ++p;
    } else if (c == '}' || c == ')' || c == ']') {
      token.kind = TokenKind::Close;
      ++p;
    } else if ((c == '=' || c == '!' || c == '<' || c == '>') && p + 1 < end && p[1] == '=') {
      token.kind = TokenKind::Operator;
      p += 2;
    } else if (c == '=' || c == '<' || c == '>') {
      token.kind = TokenKind::Operator;
      ++p;
    } else {
      token.kind = TokenKind::Punct;  // , : ? | and anything else
      ++p;
    }
    token.end = static_cast<uint32_t>(p - base);
    tokens.push_back(token);
    newlines = 0;
    space = false;
  }
  return tokens;
}

/// Offsets where an item, setting, handler, statement or arm starts (hard:
/// always on a line of its own, and its block is laid out on several lines),
/// or a property or field (soft: on its own line only when its block is).
struct Starts {
  std::set<uint32_t> hard;
  std::set<uint32_t> soft;
};

Starts line_starts(const ParseResult& parsed, std::string_view text) {
  Starts result;
  std::set<uint32_t>& starts = result.hard;
  for (const SyntaxNode& node : parsed.nodes) {
    switch (node.kind) {
      case NodeKind::Field:
      case NodeKind::Link:
      case NodeKind::Subject:
      case NodeKind::Body:
      case NodeKind::EmailTemplate:
      case NodeKind::EmailMode:
      case NodeKind::Variant:
      case NodeKind::StepText: result.soft.insert(node.begin); break;
      case NodeKind::Import:
      case NodeKind::Entity:
      case NodeKind::Extension:
      case NodeKind::Template:
      case NodeKind::Segment:
      case NodeKind::Sequence:
      case NodeKind::SettingTitle:
      case NodeKind::SettingTarget:
      case NodeKind::SettingSegment:
      case NodeKind::SettingTeam:
      case NodeKind::SettingLimit:
      case NodeKind::SettingEnroll:
      case NodeKind::SettingCalendar:
      case NodeKind::Handler:
      case NodeKind::Arm: starts.insert(node.begin); break;
      case NodeKind::SignalBranch:
      case NodeKind::OutcomeBranch: {
        // The node starts after the `branch` keyword.
        uint32_t back = node.begin;
        while (back > 0 &&
               (text[back - 1] == ' ' || text[back - 1] == '\t' || text[back - 1] == '\n' || text[back - 1] == '\r'))
          --back;
        if (back >= 6 && text.substr(back - 6, 6) == "branch") starts.insert(back - 6);
        break;
      }
      default:
        // An exit is a statement, unless it is a handler's action (those
        // starts are taken out below).
        if (grammar::is_statement(node.kind)) starts.insert(node.begin);
        break;
    }
  }
  // Handler actions (`on replied exit`) are not line starts.
  for (const SyntaxNode& node : parsed.nodes) {
    if (node.kind != NodeKind::Handler) continue;
    for (auto it = starts.upper_bound(node.begin); it != starts.end() && *it < node.end;) it = starts.erase(it);
  }
  return result;
}

}  // namespace

FormatResult format_source(const Source& source) {
  FormatResult result;
  DiagnosticCollector collector;
  const ParseResult parsed = parse(source, collector);
  if (parsed.error_count > 0) {
    result.errors = collector.take();
    return result;
  }
  const std::string_view text = source.text();
  std::map<uint32_t, uint32_t> strings;
  for (const SyntaxNode& node : parsed.nodes) {
    if (node.kind == NodeKind::String) strings.emplace(node.begin, node.end);
  }
  const std::vector<Token> tokens = lex(text, strings);
  const Starts all_starts = line_starts(parsed, text);
  const std::set<uint32_t>& starts = all_starts.hard;

  // For each brace, whether its block is laid out on several lines: when a
  // hard start or a line comment lies inside it, or the author broke the
  // line right after the '{'.
  std::vector<int> partner(tokens.size(), -1);
  std::vector<bool> multiline(tokens.size(), false);
  {
    std::vector<int> stack;
    for (int i = 0; i < static_cast<int>(tokens.size()); ++i) {
      const Token& token = tokens[i];
      if (token.kind == TokenKind::Open) stack.push_back(i);
      if (token.kind == TokenKind::Close && !stack.empty()) {
        partner[stack.back()] = i;
        partner[i] = stack.back();
        stack.pop_back();
      }
    }
    for (int i = 0; i < static_cast<int>(tokens.size()); ++i) {
      if (tokens[i].kind != TokenKind::Open || text[tokens[i].begin] != '{' || partner[i] < 0) continue;
      bool multi = i + 1 < partner[i] && tokens[i + 1].newlines_before > 0;
      for (int j = i + 1; j < partner[i] && !multi; ++j) {
        multi = starts.contains(tokens[j].begin) || tokens[j].kind == TokenKind::LineComment;
      }
      multiline[i] = multiline[partner[i]] = multi;
    }
  }

  std::string& out = result.text;
  out.reserve(text.size() + text.size() / 8);
  int depth = 0;
  bool at_line_start = true;
  std::vector<int> blocks;  // open '{' tokens around the current one
  auto newline = [&](int blank_lines) {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (!out.empty()) out += '\n';
    for (int k = 0; k < blank_lines; ++k) out += '\n';
    at_line_start = true;
  };
  auto indent = [&] {
    if (at_line_start) {
      out.append(static_cast<std::size_t>(std::max(depth, 0)) * 2, ' ');
      at_line_start = false;
      return true;
    }
    return false;
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    const std::string_view lexeme = text.substr(token.begin, token.end - token.begin);
    const Token* previous = i > 0 ? &tokens[i - 1] : nullptr;
    const char prev_char = previous != nullptr ? text[previous->begin] : '\0';
    const bool closes_block = token.kind == TokenKind::Close && lexeme == "}";
    const bool block_multi = closes_block && multiline[i];
    // Where does this token go: a new line, or on the current one?
    bool break_before = false;
    int blank = 0;
    if (previous != nullptr) {
      if (previous->kind == TokenKind::LineComment) break_before = true;
      if (starts.contains(token.begin) && !(prev_char == '{' && !multiline[i - 1])) break_before = true;
      if (all_starts.soft.contains(token.begin) && !blocks.empty() && multiline[blocks.back()]) break_before = true;
      if (block_multi) break_before = true;
      if (previous->kind == TokenKind::Open && prev_char == '{' && multiline[i - 1]) break_before = true;
      // Comments alone on their line stay alone; trailing ones stay trailing.
      if ((token.kind == TokenKind::LineComment || token.kind == TokenKind::BlockComment) &&
          token.newlines_before > 0) {
        break_before = true;
      }
      // A line break the author put after a comma or before and/or stays.
      if (token.newlines_before > 0 && (prev_char == ',' || lexeme == "and" || lexeme == "or")) break_before = true;
      if (break_before && token.newlines_before > 1 && !closes_block && !(prev_char == '{')) blank = 1;
    }
    if (closes_block && block_multi) --depth;
    if (closes_block && !blocks.empty()) blocks.pop_back();
    if (break_before) {
      newline(blank);
      // Continuation lines (after a comma, before and/or) sit one level in.
      // (A list broken inside a block laid out on lines already has its
      // own level.)
      const bool in_multiline_block = !blocks.empty() && multiline[blocks.back()];
      const bool continuation = !starts.contains(token.begin) && !all_starts.soft.contains(token.begin) &&
                                token.kind != TokenKind::LineComment && token.kind != TokenKind::BlockComment &&
                                !closes_block &&
                                ((prev_char == ',' && !in_multiline_block) || lexeme == "and" || lexeme == "or");
      if (continuation) ++depth;
      indent();
      if (continuation) --depth;
    } else if (previous != nullptr) {
      // Spacing on one line.
      bool space = true;
      if (prev_char == '(' || prev_char == '[') space = false;
      if (token.kind == TokenKind::Close && lexeme != "}") space = false;
      if (lexeme == "," || lexeme == ":" || lexeme == "?") space = false;
      if (lexeme == "(" && previous->kind == TokenKind::Word && !token.space_before) space = false;
      if (space) out += ' ';
    } else {
      indent();
    }
    // Strings and block comments may span lines: their line ends become LF
    // like every other; CRLF is put back at the end.
    if (lexeme.find('\r') != std::string_view::npos)
      out += without_carriage_returns(lexeme);
    else
      out.append(lexeme);
    if (token.kind == TokenKind::Open && lexeme == "{") {
      blocks.push_back(static_cast<int>(i));
      if (multiline[i]) ++depth;
    }
  }
  newline(0);
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (out == "\n") out.clear();
  out = with_line_ends_of(source, out);
  result.bom = source.had_bom();
  return result;
}

std::string FormatResult::file_bytes() const { return (bom ? std::string("\xEF\xBB\xBF") : std::string()) + text; }

std::string original_file_bytes(const Source& source) {
  return (source.had_bom() ? std::string("\xEF\xBB\xBF") : std::string()) + std::string(source.text());
}

}  // namespace cadence
