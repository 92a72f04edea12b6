// The checker of one module, internal to compiler/sema: a class whose
// methods live in four files by concern, so that each stays readable:
//   check.cpp           the run, the scope, names and their resolution
//   check_items.cpp     entities, their extensions, templates, merge fields
//   check_segments.cpp  segment filters, comparisons and values
//   check_flow.cpp      a sequence: settings, handlers, the flow graph, labels,
//                       gotos, flow checks, conditions and activities
// Everything else includes sema/check.hpp, never this header.
#pragma once

#include "sema/check.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "cadence/vocabulary.hpp"
#include "sema/analysis.hpp"
#include "support/civil_date.hpp"
#include "support/escape.hpp"
#include "support/flat_map.hpp"
#include "support/suggest.hpp"

namespace cadence::checking {

inline bool is_iso_date(std::string_view text) { return parse_iso_date(text).has_value(); }

inline std::string_view field_type_name(ast::FieldType type) {
  switch (type) {
    case ast::FieldType::String: return "string";
    case ast::FieldType::Number: return "number";
    case ast::FieldType::Bool: return "bool";
    case ast::FieldType::Date: return "date";
    case ast::FieldType::Option: return "option";
  }
  return "string";
}

inline std::string_view value_kind_name(ast::Value::Kind kind) {
  switch (kind) {
    case ast::Value::Kind::String: return "a string";
    case ast::Value::Kind::Number: return "a number";
    case ast::Value::Kind::Bool: return "a bool";
    case ast::Value::Kind::Label: return "an option label";
  }
  return "a value";
}

inline std::string_view setting_name(ast::SettingKind kind) {
  switch (kind) {
    case ast::SettingKind::Title: return "title";
    case ast::SettingKind::Target: return "target";
    case ast::SettingKind::Segment: return "segment";
    case ast::SettingKind::Team: return "team";
    case ast::SettingKind::Limit: return "limit";
    case ast::SettingKind::Enroll: return "enroll";
    case ast::SettingKind::Calendar: return "calendar";
  }
  return "setting";
}

inline std::string_view property_name(ast::PropertyKind kind) {
  switch (kind) {
    case ast::PropertyKind::Template: return "template";
    case ast::PropertyKind::Mode: return "mode";
    case ast::PropertyKind::Variant: return "variant";
    default: break;
  }
  if (const auto text = ast::step_text(kind)) return vocabulary::keyword_of(*text);
  return "property";
}

class Checker {
 public:
  explicit Checker(const Module& module) : module_(module), source_(*module.source), file_(module.parsed.file) {
    result_.module = &module;
    result_.diagnostics = module.diagnostics;
  }

  CheckResult run();

 private:
  Diagnostic overflow_;
  const Module& module_;
  const Source& source_;
  const ast::File& file_;
  CheckResult result_;
  Scope scope_;
  std::map<const void*, std::vector<std::string_view>> names_;
  /// The paths of links the segment being checked walks: one link-entity each.
  std::set<std::string> segment_joins_;
  /// Dataverse runs a FetchXML query with at most 15 link-entity elements.
  static constexpr std::size_t kMaxLinkEntities = 15;

  Location at(Span span) const { return {&source_, span}; }

  /// The declaration index: every item, field and step label, in source order.
  void declare_names();

  /// True when a syntax error lies inside `span`: the parser skipped part of
  /// the item, so "missing" properties may well be there, just broken.
  bool has_syntax_error_in(Span span) const;
  static Location at(const Module* module, Span span) { return {module ? module->source.get() : nullptr, span}; }

  Diagnostic& report(DiagnosticKind kind, Span span, std::string message);

  /// The names visible for a kind of item, listed once per check (the scope
  /// is complete before any name is resolved), for suggestions.
  template <typename Item>
  const std::vector<std::string_view>& names_of() {
    auto [it, inserted] = names_.try_emplace(&scope_.own.of<Item>());
    if (inserted) {
      for (const auto& [name, item] : scope_.all<Item>()) it->second.push_back(name);
    }
    return it->second;
  }

  /// unknown-name with a "did you mean" and a replacement fix.
  void report_unknown(std::string_view what, const ast::Name& name, const std::vector<std::string_view>& candidates,
                      std::string_view context = {});

  template <typename Item>
  ItemRef<Item> resolve(const ast::Name& name, std::string_view what, Reference::Kind kind) {
    if (name.empty()) return {};
    const ItemRef<Item> found = scope_.find<Item>(name.text);
    if (!found) {
      report_unknown(what, name, names_of<Item>());
      return {};
    }
    result_.references.push_back({kind, name.span, found.module, found.item->name.span});
    return found;
  }

  /// A handoff to a sequence that no import brings into scope resolves to
  /// the first other file of the project that defines it.
  bool resolve_in_project(const ast::Name& name);

  // Imports and scope --------------------------------------------------------

  void check_imported_modules();

  /// The module's own items; a name defined twice is reported.
  template <typename Item>
  void declare_own(const std::vector<Item>& items, std::string_view what) {
    auto& table = scope_.own.of<Item>();
    for (const Item& item : items) {
      if (item.name.empty()) continue;
      auto [it, inserted] = table.emplace(item.name.text, ItemRef<Item>{&item, &module_});
      if (inserted) continue;
      Diagnostic& diagnostic = report(DiagnosticKind::DuplicateDefinition, item.name.span,
                                      fmt::format("{} '{}' is defined more than once", what, item.name.text));
      diagnostic.notes.push_back(
          {fmt::format("'{}' is first defined here", item.name.text), at(it->second.item->name.span)});
    }
  }

  /// Names an import defines again: already defined by this module or an
  /// earlier import. Only the smaller table of each pair is walked, so a
  /// large shared library costs its importers nothing per item.
  template <typename Item>
  void report_redefinitions(const ItemTable& table, Span import_span, std::string_view what) {
    const auto& incoming = table.of<Item>();
    std::vector<ItemRef<Item>> again;
    auto probe = [&](const ItemTable::Map<Item>& earlier) {
      const bool walk_incoming = incoming.size() <= earlier.size();
      const auto& walked = walk_incoming ? incoming : earlier;
      const auto& probed = walk_incoming ? earlier : incoming;
      for (const auto& [name, item] : walked) {
        auto other = probed.find(name);
        if (other == probed.end()) continue;
        const ItemRef<Item> mine = walk_incoming ? item : other->second;
        if (std::none_of(again.begin(), again.end(),
                         [&](const ItemRef<Item>& seen) { return seen.item == mine.item; })) {
          again.push_back(mine);
        }
      }
    };
    probe(scope_.own.of<Item>());
    for (const ItemTable* earlier : scope_.imported) probe(earlier->of<Item>());
    std::sort(again.begin(), again.end(), [](const ItemRef<Item>& a, const ItemRef<Item>& b) {
      return a.item->name.span.begin < b.item->name.span.begin;
    });
    for (const ItemRef<Item>& item : again) {
      const ItemRef<Item> first = scope_.find<Item>(item.item->name.text);
      if (first.item == item.item) continue;
      Diagnostic& diagnostic = report(DiagnosticKind::DuplicateDefinition, import_span,
                                      fmt::format("this import defines {} '{}' again", what, item.item->name.text));
      diagnostic.notes.push_back(
          {fmt::format("'{}' is first defined here", item.item->name.text), at(first.module, first.item->name.span)});
      diagnostic.notes.push_back({"and again here", at(item.module, item.item->name.span)});
    }
  }

  void build_scope();

  // Entities -----------------------------------------------------------------

  template <typename Getter>
  void report_duplicates(std::string_view what, std::size_t count, Getter name_of) {
    std::map<std::string_view, Span> seen;
    for (std::size_t i = 0; i < count; ++i) {
      const ast::Name name = name_of(i);
      if (name.empty()) continue;
      auto [it, inserted] = seen.emplace(name.text, name.span);
      if (inserted) continue;
      Diagnostic& diagnostic = report(DiagnosticKind::DuplicateDefinition, name.span,
                                      fmt::format("{} '{}' is defined more than once", what, name.text));
      diagnostic.notes.push_back({fmt::format("'{}' is first defined here", name.text), at(it->second)});
    }
  }

  void check_entity(const ast::Entity& entity);

  /// `extend entity NAME { ... }`: the entity must be in scope, and what the
  /// extension adds must not be there already (in the entity or in another
  /// visible extension of it).
  void check_extension(const ast::Entity& extension);

  /// Where a member (field or link) of an entity is first defined.
  struct MemberAt {
    const Module* module;
    Span span;
  };
  using Members = std::unordered_map<std::string_view, MemberAt>;
  /// The members an entity has before an extension of this file adds more:
  /// its own, those of this file's earlier extensions, those of extensions
  /// in imports (looked up in that order, as a reader would).
  struct ExtensionIndex {
    Members base;
    Members own;
    Members imported;
  };
  std::unordered_map<const ast::Entity*, ExtensionIndex> extension_indexes_;

  ExtensionIndex& extension_index(const ItemRef<ast::Entity>& base);

  /// A member (field or link) named `name` of `entity` or of an extension
  /// of it visible here, and the module declaring it; when there is none,
  /// `names` (if given) collects members' names for suggestions (as many as
  /// a suggestion compares). Each entity's members are indexed once, so a
  /// lookup costs the same however many fields and extensions it has.
  template <typename Member>
  std::pair<const Member*, const Module*> find_member(const ItemRef<ast::Entity>& entity, std::string_view name,
                                                      std::vector<std::string_view>* names) const {
    const MemberIndex& index = member_index(entity);
    const auto& table = [&]() -> const auto& {
      if constexpr (std::is_same_v<Member, ast::Field>) {
        return index.fields;
      } else {
        return index.links;
      }
    }
    ();
    if (const auto it = table.find(name); it != table.end()) return it->second;
    if (names != nullptr) {
      const auto& in_order = std::is_same_v<Member, ast::Field> ? index.field_names : index.link_names;
      const std::size_t room =
          kMaxSuggestionComparisons > names->size() ? kMaxSuggestionComparisons - names->size() : 0;
      names->insert(names->end(), in_order.begin(), in_order.begin() + std::min(room, in_order.size()));
    }
    return {nullptr, nullptr};
  }

  struct MemberIndex {
    std::unordered_map<std::string_view, std::pair<const ast::Field*, const Module*>> fields;
    std::unordered_map<std::string_view, std::pair<const ast::Link*, const Module*>> links;
    /// Every member's name in declaration order (duplicates included), for suggestions.
    std::vector<std::string_view> field_names;
    std::vector<std::string_view> link_names;
  };
  mutable std::unordered_map<const ast::Entity*, MemberIndex> member_indexes_;

  /// The members of `entity` and its visible extensions; the first part
  /// that names a member defines it.
  const MemberIndex& member_index(const ItemRef<ast::Entity>& entity) const;

  FieldRef find_field(const ItemRef<ast::Entity>& entity, std::string_view name,
                      std::vector<std::string_view>* names = nullptr) const;

  struct LinkRef {
    const ast::Link* link = nullptr;
    const Module* module = nullptr;
  };
  LinkRef find_link(const ItemRef<ast::Entity>& entity, std::string_view name,
                    std::vector<std::string_view>* names = nullptr) const;

  // Merge fields -------------------------------------------------------------

  /// Checks the merge fields of `text` against `entity` (may be null when the
  /// context has none) and the owner.
  void check_merge_fields(const ast::StringLiteral& text, ItemRef<ast::Entity> entity, std::string_view context);

  void no_merge_fields(const ast::StringLiteral& text, std::string_view context);

  // Templates ----------------------------------------------------------------

  void check_template(const ast::Template& item);

  // Segments -----------------------------------------------------------------

  /// Checks a filter; `negated` is whether an odd number of `not`s (or
  /// `!=`s) apply, which some tests cannot take in FetchXML.
  void check_filter(const ast::Expr& expr, const ItemRef<ast::Entity>& entity, bool negated);

  template <std::size_t N>
  static std::vector<std::string_view> table_view(const std::array<std::string_view, N>& table) {
    return {table.begin(), table.end()};
  }

  /// `not` over a test FetchXML has no opposite for.
  void report_not_negatable(const ast::Expr& expr, std::string_view fetch_operator, std::string_view instead);

  void check_owner_test(const ast::Expr& expr, bool negated);

  /// The test fits the field; false when it was reported.
  bool check_comparison(const ast::Expr& expr, const ast::Field& field, bool negated);

  static std::string window_operator(const ast::Expr& expr);

  void check_value(const ast::Value& value, const ast::Field& field);

  void check_segment(const ast::Segment& segment);

  // Sequences ----------------------------------------------------------------

  void check_duration(const ast::Duration& duration, std::string_view what, bool business_calendar);

  void check_sequence(const ast::Sequence& sequence);

  void check_settings(const ast::Sequence& sequence, SequenceIr& ir);

  void check_rate(const ast::Rate& rate, std::string_view what);

  void check_exit(const ast::ExitSpec& exit);

  void check_handlers(const ast::Sequence& sequence, SequenceIr& ir);

  // The graph ----------------------------------------------------------------

  struct GraphBuilder {
    SequenceIr& ir;
    std::vector<const ast::Stmt*> gotos;
    FlatMap<const ast::Stmt*, uint32_t> node_of;
    /// Steps without a label counted per label before them and kind: the
    /// `n` of "<label>.<kind><n>".
    struct CounterKey {
      std::string_view label;
      StepKind kind;
      bool operator==(const CounterKey&) const = default;
    };
    struct CounterHash {
      std::size_t operator()(const CounterKey& key) const {
        return ShortStringHash()(key.label) * 31 + static_cast<std::size_t>(key.kind);
      }
    };
    FlatMap<CounterKey, uint32_t, CounterHash> counters;
    std::string_view last_label = "start";
    uint32_t blocks = 0;
  };

  /// A statement's kind of step: the same row of cadence/steps.def (a goto
  /// is no step; it is never asked).
  static StepKind step_kind_of(ast::StmtKind kind);

  /// The steps of a statement list, arms included.
  static std::size_t count_statements(const std::vector<ast::Stmt>& body);

  /// Pass 1: one node per step, in source order.
  void create_nodes(const std::vector<ast::Stmt>& body, GraphBuilder& builder, uint32_t block = 0);

  /// Pass 2: edges. Returns the node a block starts with; `next` is where the
  /// flow continues after the block.
  uint32_t link(const std::vector<ast::Stmt>& body, uint32_t next, GraphBuilder& builder);

  void build_graph(const ast::Sequence& sequence, SequenceIr& ir);

  void check_labels(SequenceIr& ir);

  std::vector<std::string_view> labels_of(const SequenceIr& ir) const;

  /// Resolves a step reference; reports unknown-name when missing.
  std::optional<uint32_t> resolve_step(const SequenceIr& ir, const ast::Name& name);

  void check_gotos(GraphBuilder& builder);

  // Flow checks --------------------------------------------------------------

  void check_flow(SequenceIr& ir);

  /// An item the parser could not read whole (a syntax error inside it, so
  /// some of its code was skipped) gets no finding of the checks: a wait
  /// before a skipped branch is not a trailing wait, nor is a step a skipped
  /// statement names unknown. Its syntax errors stand for it.
  void drop_findings_in_unread_code();

  static std::string article(std::string_view word);

  /// Two arms of one name in a branch (the grammar allows only the arm
  /// words of the branch's kind).
  void check_arms(const ast::Stmt& stmt);

  void check_dominates(SequenceIr& ir, uint32_t step, uint32_t branch, const ast::Name& name, std::string_view signal);

  void check_condition(SequenceIr& ir, uint32_t branch, const ast::Expr& expr);

  /// The first property of each kind an activity gives.
  using PropertySeen = std::array<const ast::Property*, ast::kFirstTextProperty + vocabulary::kStepTexts.size()>;

  void check_activity(SequenceIr& ir, IrNode& node);

  /// The logical name of a table in Dataverse is at most this long.
  static constexpr std::size_t kMaxTableName = 64;
  /// The text properties a step gives: those its kind requires
  /// (cadence/steps.def), and each one's value.
  void check_texts(const ast::Stmt& stmt, const PropertySeen& seen);

  void check_template_use(SequenceIr& ir, IrNode& node, const ast::Name& name);

  void check_email(SequenceIr& ir, IrNode& node, const PropertySeen& seen,
                   const std::vector<const ast::Property*>& variants);
};

}  // namespace cadence::checking
