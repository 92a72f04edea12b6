// parse(): source text to AST, reporting syntax errors to a consumer.
#pragma once

#include <cstdint>
#include <vector>

#include "cadence/node_kind.hpp"
#include "diag/diagnostic.hpp"
#include "source/source.hpp"
#include "syntax/ast.hpp"

namespace cadence {

/// Deepest nesting of blocks, parentheses and `not` the parser accepts. Deeper
/// input is refused with one clear error instead of exhausting the stack.
inline constexpr uint32_t kMaxNestingDepth = 64;
/// Syntax errors reported per file before the parser gives up on it.
inline constexpr uint32_t kMaxSyntaxErrors = 100;

/// One node of the flat parse tree, stored in preorder: a node's children
/// are the `subtree_size - 1` nodes after it, as consecutive subtrees.
struct SyntaxNode {
  grammar::NodeKind kind;
  uint32_t begin;
  uint32_t end;
  uint32_t subtree_size;
};

struct ParseResult {
  ast::File file;
  /// The flat parse tree the AST was built from (tools such as the formatter
  /// and the language server use it for token-level work).
  std::vector<SyntaxNode> nodes;
  uint32_t error_count = 0;
  /// Offset of the first byte outside ASCII (the size of the text if none):
  /// passes that look only for such characters start there.
  uint32_t first_non_ascii = 0;
};

/// Parses one source. Syntax errors go to `diagnostics` (kind `syntax`); the
/// AST holds everything that could be parsed around them.
[[nodiscard]] ParseResult parse(const Source& source, DiagnosticConsumer& diagnostics);

}  // namespace cadence
