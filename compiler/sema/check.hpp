// check(): resolve names, build the IR of each sequence, run the analyses and
// report every error of the language.
#pragma once

#include <map>
#include <string_view>
#include <type_traits>
#include <vector>

#include "diag/diagnostic.hpp"
#include "sema/ir.hpp"
#include "sema/workspace.hpp"
#include "support/duration.hpp"

namespace cadence {

/// A use of a name and the definition it resolved to (for editors:
/// go-to-definition, references, rename).
struct Reference {
  enum class Kind { Entity, Template, Segment, Sequence, Step, Field } kind = Kind::Entity;
  Span use;
  const Module* definition_module = nullptr;
  Span definition;
};

/// The items one module defines, by name (the first definition of each).
struct ItemTable {
  template <typename Item>
  using Map = std::map<std::string_view, ItemRef<Item>>;
  Map<ast::Entity> entities;
  Map<ast::Template> templates;
  Map<ast::Segment> segments;
  Map<ast::Sequence> sequences;
  /// `extend entity NAME { ... }` items, by the name of the entity they extend.
  std::multimap<std::string_view, ItemRef<ast::Entity>> extensions;

  template <typename Item>
  [[nodiscard]] const Map<Item>& of() const {
    if constexpr (std::is_same_v<Item, ast::Entity>)
      return entities;
    else if constexpr (std::is_same_v<Item, ast::Template>)
      return templates;
    else if constexpr (std::is_same_v<Item, ast::Segment>)
      return segments;
    else
      return sequences;
  }
  template <typename Item>
  [[nodiscard]] Map<Item>& of() {
    return const_cast<Map<Item>&>(static_cast<const ItemTable*>(this)->of<Item>());
  }
};

/// The items visible in a module: its own, those of its direct imports (each
/// import's own table, shared with every other importer rather than copied),
/// and the stdlib's `owner` entity, always in scope. A name resolves to its
/// first definition in that order.
struct Scope {
  ItemTable own;
  std::vector<const ItemTable*> imported;
  const ItemTable* owner = nullptr;

  template <typename Item>
  [[nodiscard]] ItemRef<Item> find(std::string_view name) const {
    if (auto it = own.of<Item>().find(name); it != own.of<Item>().end()) return it->second;
    for (const ItemTable* table : imported) {
      if (auto it = table->of<Item>().find(name); it != table->of<Item>().end()) return it->second;
    }
    if (owner != nullptr) {
      if (auto it = owner->of<Item>().find(name); it != owner->of<Item>().end()) return it->second;
    }
    return {};
  }
  /// Every visible item of a kind, by name (the first definition of each).
  template <typename Item>
  [[nodiscard]] std::map<std::string_view, ItemRef<Item>> all() const {
    std::map<std::string_view, ItemRef<Item>> out = own.of<Item>();
    for (const ItemTable* table : imported) out.insert(table->of<Item>().begin(), table->of<Item>().end());
    if (owner != nullptr) out.insert(owner->of<Item>().begin(), owner->of<Item>().end());
    return out;
  }
  /// Calls `visit` with each extension of entity `name` visible here: the
  /// module's own, then its imports'.
  template <typename Visit>
  void for_each_extension(std::string_view name, Visit&& visit) const {
    auto add = [&](const ItemTable& table) {
      const auto [first, last] = table.extensions.equal_range(name);
      for (auto it = first; it != last; ++it) visit(it->second);
    };
    add(own);
    for (const ItemTable* table : imported) add(*table);
  }
  /// Calls `visit` with `entity`, then with each extension of it visible
  /// here: every part that declares its fields and links.
  template <typename Visit>
  void for_each_part(const ItemRef<ast::Entity>& entity, Visit&& visit) const {
    visit(entity);
    for_each_extension(entity.item->name.text, visit);
  }
  /// The extensions of entity `name` visible here, in for_each_extension's order.
  [[nodiscard]] std::vector<ItemRef<ast::Entity>> extensions_of(std::string_view name) const {
    std::vector<ItemRef<ast::Entity>> out;
    for_each_extension(name, [&](const ItemRef<ast::Entity>& part) { out.push_back(part); });
    return out;
  }
  /// `entity` and its extensions, in for_each_part's order.
  [[nodiscard]] std::vector<ItemRef<ast::Entity>> with_extensions(const ItemRef<ast::Entity>& entity) const {
    std::vector<ItemRef<ast::Entity>> out;
    for_each_part(entity, [&](const ItemRef<ast::Entity>& part) { out.push_back(part); });
    return out;
  }
};

/// A field of an entity, from the entity itself or from an extension of it.
struct FieldRef {
  const ast::Field* field = nullptr;
  const Module* module = nullptr;
  explicit operator bool() const { return field != nullptr; }
};

/// A comparison of a segment filter and what its path resolved to: the
/// links walked from the segment's entity (each with the entity it reaches)
/// and the field at the end. The FetchXML writer reads it.
struct ResolvedFilterField {
  struct Step {
    const ast::Link* link = nullptr;
    ItemRef<ast::Entity> entity;
  };
  std::vector<Step> links;
  /// Null when the comparison tests the record's owner.
  const ast::Field* field = nullptr;
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
  std::string_view detail;
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
  /// Every comparison of the module's segments that resolved.
  std::map<const ast::Expr*, ResolvedFilterField> filter_fields;
  Scope scope;

  /// The resolution of a merge field written in this module, if any.
  [[nodiscard]] const ResolvedMergeField* merge_field(const ast::MergeField& field) const;
  /// The merge field under `offset`, if any.
  [[nodiscard]] const ResolvedMergeField* merge_field_at(uint32_t offset) const;
  /// Whether a handoff was looked up among the other files of the project
  /// (editors re-check such a module when a file of its project changes).
  /// The modules found stay in the workspace that loaded them, which the
  /// references into them rely on; they are not owned here, since two
  /// sequences may hand off to each other.
  bool looked_in_project = false;
  /// The sequence names looked up among the project's files, and whether
  /// one of them was found nowhere: an editor re-checks this module only
  /// when a changed file defines (or defined) one of these names, or, after
  /// a failed look-up, when the project's names change (did-you-mean).
  std::vector<std::string> project_lookups;
  bool project_lookup_failed = false;
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

}  // namespace cadence
