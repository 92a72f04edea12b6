// Document symbols (the outline) and semantic tokens (highlighting).

#include <fmt/format.h>

#include "cadence/lexical.hpp"
#include "cadence/node_kind.hpp"
#include "cadence/vocabulary.hpp"
#include "lsp/server.hpp"

namespace cadence::lsp {
namespace {

// Semantic token types, in legend order.
enum TokenType { kKeyword, kVariable, kFunction, kType, kString, kNumber, kComment, kProperty, kEnumMember, kOperator };

}  // namespace

Json Server::document_symbol(const Json& params) {
  Document* document = analysed_from(params);
  const FileReport* report = document == nullptr ? nullptr : document->report();
  if (report == nullptr || report->module == nullptr) return Json::array();
  const Module& module = *report->module;
  const Source& source = *module.source;
  auto symbol = [&](std::string_view name, int kind, Span range, Span selection, std::string detail) {
    return Json{{"name", std::string(name)},
                {"kind", kind},
                {"detail", detail},
                {"range", range_of(Location{&source, range})},
                {"selectionRange", range_of(Location{&source, selection})},
                {"children", Json::array()}};
  };
  constexpr int kStruct = 23, kFunction = 12, kClass = 5, kEvent = 24, kVariable = 13;
  Json symbols = Json::array();
  const ast::File& file = module.parsed.file;
  for (const auto& item : file.entities)
    symbols.push_back(symbol(item.name.text, kStruct, item.span, item.name.span, "entity"));
  for (const auto& item : file.templates) {
    symbols.push_back(
        symbol(item.name.text, kFunction, item.span, item.name.span, fmt::format("template for {}", item.entity.text)));
  }
  for (const auto& item : file.segments) {
    symbols.push_back(
        symbol(item.name.text, kVariable, item.span, item.name.span, fmt::format("segment on {}", item.entity.text)));
  }
  // Steps, walked through the AST so that nesting shows as in the source.
  std::function<void(const std::vector<ast::Stmt>&, Json&)> add_steps = [&](const std::vector<ast::Stmt>& body,
                                                                            Json& out) {
    for (const ast::Stmt& stmt : body) {
      if (!stmt.label.empty() && stmt.kind != ast::StmtKind::Goto) {
        // Statement kinds are the rows of cadence/steps.def.
        out.push_back(symbol(stmt.label.text, kEvent, stmt.span, stmt.label.span,
                             std::string(vocabulary::kStepKinds[static_cast<std::size_t>(stmt.kind)])));
      }
      for (const ast::Arm& arm : stmt.arms) add_steps(arm.body, out);
    }
  };
  for (const auto& item : file.sequences) {
    Json entry = symbol(item.name.text, kClass, item.span, item.name.span, "sequence");
    add_steps(item.body, entry["children"]);
    symbols.push_back(std::move(entry));
  }
  return symbols;
}

Json Server::semantic_tokens(const Json& params) {
  Document* document = analysed_from(params);
  const FileReport* report = document == nullptr ? nullptr : document->report();
  if (report == nullptr || report->unreadable || report->module == nullptr) return {{"data", Json::array()}};
  const Module& module = *report->module;
  const Source& source = *module.source;
  const std::string_view text = source.text();
  // Classify parse-tree leaves; other identifiers are keywords.
  std::map<uint32_t, std::pair<uint32_t, int>> classified;  // begin -> (end, type)
  for (const SyntaxNode& node : module.parsed.nodes) {
    int type = -1;
    switch (node.kind) {
      case grammar::NodeKind::Name: type = kVariable; break;
      case grammar::NodeKind::Word: type = kEnumMember; break;
      case grammar::NodeKind::TypeName: type = kType; break;
      case grammar::NodeKind::Duration:
      case grammar::NodeKind::Rate:
      case grammar::NodeKind::Percent:
      case grammar::NodeKind::Integer:
      case grammar::NodeKind::Number: type = kNumber; break;
      case grammar::NodeKind::MergeField: type = kProperty; break;
      case grammar::NodeKind::CompareOp: type = kOperator; break;
      default: break;
    }
    // The tree is in preorder: of the nodes starting at one place, the
    // innermost comes last and wins.
    if (type >= 0) classified[node.begin] = {node.end, type};
  }
  struct Token {
    uint32_t begin, end;
    int type;
  };
  std::vector<Token> tokens;
  const char* base = text.data();
  const char* end = base + text.size();
  for (const char* p = base; p < end;) {
    const auto at = static_cast<uint32_t>(p - base);
    if (*p == '"' || (*p == '/' && p + 1 < end && (p[1] == '/' || p[1] == '*'))) {
      const char* next = grammar::skip_lexeme(p, end);
      const int type = *p == '"' ? kString : kComment;
      // Strings hold merge fields: emit the pieces around them.
      uint32_t cursor = at;
      const auto stop = static_cast<uint32_t>(next - base);
      if (type == kString) {
        for (auto it = classified.lower_bound(at); it != classified.end() && it->first < stop; ++it) {
          if (it->second.second != kProperty) continue;
          if (it->first > cursor) tokens.push_back({cursor, it->first, kString});
          tokens.push_back({it->first, it->second.first, kProperty});
          cursor = it->second.first;
        }
      }
      if (stop > cursor) tokens.push_back({cursor, stop, type});
      p = next;
      continue;
    }
    if (grammar::is_identifier_char(*p) || *p == '-' || *p == '=' || *p == '!' || *p == '<' || *p == '>') {
      if (auto it = classified.find(at); it != classified.end()) {
        tokens.push_back({at, it->second.first, it->second.second});
        p = base + std::max<uint32_t>(it->second.first, at + 1);
        continue;
      }
      if (grammar::is_identifier_char(*p) && !(*p >= '0' && *p <= '9')) {
        const char* q = p;
        while (q < end && grammar::is_identifier_char(*q)) ++q;
        tokens.push_back({at, static_cast<uint32_t>(q - base), kKeyword});
        p = q;
        continue;
      }
    }
    ++p;
  }
  // Encode: relative positions, one token per line piece.
  Json data = Json::array();
  uint32_t previous_line = 0, previous_start = 0;
  for (const Token& token : tokens) {
    uint32_t piece_begin = token.begin;
    while (piece_begin < token.end) {
      const uint32_t line = source.line_of(piece_begin);
      const std::string_view line_text = source.line_text(line);
      const uint32_t line_end = source.line_start(line) + static_cast<uint32_t>(line_text.size());
      const uint32_t piece_end = std::min(token.end, line_end);
      if (piece_end > piece_begin) {
        const LspPosition start = source.lsp_position(piece_begin, encoding_);
        const uint32_t length = count_code_units(text.substr(piece_begin, piece_end - piece_begin), encoding_);
        const uint32_t delta_line = start.line - previous_line;
        const uint32_t delta_start = delta_line == 0 ? start.character - previous_start : start.character;
        data.insert(data.end(), {delta_line, delta_start, length, token.type, 0});
        previous_line = start.line;
        previous_start = start.character;
      }
      if (line + 1 >= source.line_count()) break;
      piece_begin = source.line_start(line + 1);
    }
  }
  return {{"data", data}};
}

}  // namespace cadence::lsp
