// What is under the cursor: the one lookup every position-based request
// (hover, definition, references, rename, completion) starts from.
#pragma once

#include <optional>
#include <string>

#include "driver/run.hpp"
#include "lint/suppression.hpp"
#include "sema/check.hpp"

namespace cadence::lsp {

struct CursorTarget {
  enum class Kind { Nothing, Name, MergeField, SuppressionName };
  Kind kind = Kind::Nothing;
  /// The text under the cursor, in the checked module's source.
  Span at;
  /// Name: what it names and where that is defined.
  Reference::Kind reference = Reference::Kind::Entity;
  const Module* module = nullptr;
  Span definition;
  /// MergeField: the field and its resolution.
  const ResolvedMergeField* merge_field = nullptr;
  /// SuppressionName: the name written in a suppression comment.
  std::string suppression;
};

/// What is at `offset` in the file `report` checked: a suppression's
/// diagnostic name, a merge field, a use of a name (its reference) or a
/// definition (its declaration).
[[nodiscard]] CursorTarget target_at(const FileReport& report, uint32_t offset);

}  // namespace cadence::lsp
