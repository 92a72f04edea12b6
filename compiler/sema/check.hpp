// check(): resolve names, build the IR of each sequence, run the analyses and
// report every error of the language.
#pragma once

#include <map>
#include <string_view>
#include <vector>

#include "diag/diagnostic.hpp"
#include "sema/ir.hpp"
#include "sema/workspace.hpp"

namespace cadence {

/// A use of a name and the definition it resolved to (for editors:
/// go-to-definition, references, rename).
struct Reference {
  enum class Kind { Entity, Template, Segment, Sequence, Step, Field } kind = Kind::Entity;
  Span use;
  const Module* definition_module = nullptr;
  Span definition;
};

/// The items visible in a module: its own and those of its direct imports
/// (and the stdlib's `owner` entity, always in scope).
struct Scope {
  std::map<std::string_view, ItemRef<ast::Entity>> entities;
  std::map<std::string_view, ItemRef<ast::Template>> templates;
  std::map<std::string_view, ItemRef<ast::Segment>> segments;
  std::map<std::string_view, ItemRef<ast::Sequence>> sequences;
};

/// A `{{entity.field}}` occurrence in one of the module's strings, and what
/// it resolved to: the one place merge fields are looked up (the plan,
/// merge-field-no-fallback and hover read it).
struct ResolvedMergeField {
  const ast::MergeField* field = nullptr;
  /// The entity the field's entity name resolved to (null when unknown).
  ItemRef<ast::Entity> entity;
  /// The field's declaration in that entity (null when unknown).
  const ast::Field* definition = nullptr;
};

/// A name the module defines, for editors (symbols, go-to-definition from a
/// definition) and for unused-definition.
struct Declaration {
  Reference::Kind kind = Reference::Kind::Entity;
  /// The name as written.
  const ast::Name* name = nullptr;
  /// The whole item (or step, or field).
  Span span;
  /// Steps: the sequence they belong to; fields: their entity.
  std::string_view container;
  /// Steps: what kind; templates and segments: their entity; entities: "entity".
  std::string detail;
};

struct CheckResult {
  const Module* module = nullptr;
  /// Everything found in the module: read, parse and import problems, then
  /// the checker's, unsorted.
  std::vector<Diagnostic> diagnostics;
  std::vector<SequenceIr> sequences;
  std::vector<Reference> references;
  /// Every merge field of the module's strings, in source order.
  std::vector<ResolvedMergeField> merge_fields;
  /// Every name the module defines, in source order.
  std::vector<Declaration> declarations;
  Scope scope;

  /// The resolution of a merge field written in this module, if any.
  [[nodiscard]] const ResolvedMergeField* merge_field(const ast::MergeField& field) const;
  /// The merge field under `offset`, if any.
  [[nodiscard]] const ResolvedMergeField* merge_field_at(uint32_t offset) const;
  std::size_t error_count = 0;
  /// Diagnostics left out for kMaxDiagnosticsPerFile, and how many of them
  /// were errors (counted in error_count too).
  std::size_t omitted = 0;
  std::size_t omitted_errors = 0;
};

/// Checks one module. Imported modules are checked for errors too (they are
/// reported against the import), but their own diagnostics are not included.
[[nodiscard]] CheckResult check(const Module& module);

/// The check of `module`, computed once per module (thread-safe) and kept
/// with it: every importer shares it.
[[nodiscard]] const CheckResult& check_module(const Module& module);

/// Maximum length of a wait, `within` or pause.
inline constexpr int64_t kMaxWaitMinutes = 30 * 24 * 60;

}  // namespace cadence
