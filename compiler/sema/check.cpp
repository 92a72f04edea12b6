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

namespace cadence {
namespace {

bool is_iso_date(std::string_view text) { return parse_iso_date(text).has_value(); }

std::string_view field_type_name(ast::FieldType type) {
  switch (type) {
    case ast::FieldType::String: return "string";
    case ast::FieldType::Number: return "number";
    case ast::FieldType::Bool: return "bool";
    case ast::FieldType::Date: return "date";
    case ast::FieldType::Option: return "option";
  }
  return "string";
}

std::string_view value_kind_name(ast::Value::Kind kind) {
  switch (kind) {
    case ast::Value::Kind::String: return "a string";
    case ast::Value::Kind::Number: return "a number";
    case ast::Value::Kind::Bool: return "a bool";
    case ast::Value::Kind::Label: return "an option label";
  }
  return "a value";
}

std::string_view setting_name(ast::SettingKind kind) {
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

std::string_view property_name(ast::PropertyKind kind) {
  switch (kind) {
    case ast::PropertyKind::Template: return "template";
    case ast::PropertyKind::Mode: return "mode";
    case ast::PropertyKind::Variant: return "variant";
    case ast::PropertyKind::Text: return "text";
    case ast::PropertyKind::Script: return "script";
    case ast::PropertyKind::Note: return "note";
  }
  return "property";
}

class Checker {
 public:
  explicit Checker(const Module& module) : module_(module), source_(*module.source), file_(module.parsed.file) {
    result_.module = &module;
    result_.diagnostics = module.diagnostics;
  }

  CheckResult run() {
    if (!module_.unreadable) {
      check_imported_modules();
      build_scope();
      for (const ast::Entity& entity : file_.entities) check_entity(entity);
      for (const ast::Entity& extension : file_.extensions) check_extension(extension);
      for (const ast::Template& item : file_.templates) check_template(item);
      for (const ast::Segment& segment : file_.segments) check_segment(segment);
      for (const ast::Sequence& sequence : file_.sequences) check_sequence(sequence);
      drop_findings_in_unread_code();
    }
    result_.error_count =
        static_cast<std::size_t>(std::count_if(result_.diagnostics.begin(), result_.diagnostics.end(),
                                               [](const Diagnostic& d) { return d.severity == Severity::Error; })) +
        result_.omitted_errors;
    result_.scope = std::move(scope_);
    declare_names();
    // Strings are checked item by item; readers look merge fields up by position.
    auto by_position = [](const ResolvedMergeField& a, const ResolvedMergeField& b) {
      return a.field->span.begin < b.field->span.begin;
    };
    if (!std::is_sorted(result_.merge_fields.begin(), result_.merge_fields.end(), by_position)) {
      std::sort(result_.merge_fields.begin(), result_.merge_fields.end(), by_position);
    }
    return std::move(result_);
  }

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
  void declare_names() {
    auto add = [&](Reference::Kind kind, const ast::Name& name, Span span, std::string_view container,
                   std::string_view detail) {
      if (!name.empty()) result_.declarations.push_back({kind, &name, span, container, detail});
    };
    for (const auto& item : file_.entities) {
      add(Reference::Kind::Entity, item.name, item.span, {}, "entity");
      for (const auto& field : item.fields) {
        add(Reference::Kind::Field, field.name, field.name.span, item.name.text,
            vocabulary::kFieldTypes[static_cast<std::size_t>(field.type)]);
      }
    }
    for (const auto& item : file_.extensions) {
      for (const auto& field : item.fields) {
        add(Reference::Kind::Field, field.name, field.name.span, item.name.text,
            vocabulary::kFieldTypes[static_cast<std::size_t>(field.type)]);
      }
    }
    for (const auto& item : file_.templates) add(Reference::Kind::Template, item.name, item.span, {}, item.entity.text);
    for (const auto& item : file_.segments) add(Reference::Kind::Segment, item.name, item.span, {}, item.entity.text);
    // Each sequence, then its steps (nodes are made in source order).
    auto ir = result_.sequences.begin();
    for (const auto& item : file_.sequences) {
      add(Reference::Kind::Sequence, item.name, item.span, {}, "sequence");
      for (; ir != result_.sequences.end() && ir->sequence == &item; ++ir) {
        for (const IrNode& node : ir->nodes) {
          if (node.stmt == nullptr || !is_activity(node.kind)) continue;
          add(Reference::Kind::Step, node.stmt->label, node.stmt->span, item.name.text, step_kind_name(node.kind));
        }
      }
    }
    // Files usually define items before the sequences that use them, so the
    // list is mostly in order already: sort only when it is not.
    auto by_position = [](const Declaration& a, const Declaration& b) { return a.span.begin < b.span.begin; };
    if (!std::is_sorted(result_.declarations.begin(), result_.declarations.end(), by_position)) {
      std::sort(result_.declarations.begin(), result_.declarations.end(), by_position);
    }
  }

  /// True when a syntax error lies inside `span`: the parser skipped part of
  /// the item, so "missing" properties may well be there, just broken.
  bool has_syntax_error_in(Span span) const {
    for (const Diagnostic& d : module_.diagnostics) {
      if (d.kind == DiagnosticKind::Syntax && d.location.span.begin >= span.begin &&
          d.location.span.begin <= span.end) {
        return true;
      }
    }
    return false;
  }
  static Location at(const Module* module, Span span) { return {module ? module->source.get() : nullptr, span}; }

  Diagnostic& report(DiagnosticKind kind, Span span, std::string message) {
    if (result_.diagnostics.size() >= kMaxDiagnosticsPerFile) {
      // Over the limit: counted, and filled in a scratch diagnostic nobody sees.
      ++result_.omitted;
      if (diagnostic_info(kind).default_severity == Severity::Error) ++result_.omitted_errors;
      overflow_ = make_diagnostic(kind, at(span), std::string());
      return overflow_;
    }
    result_.diagnostics.push_back(make_diagnostic(kind, at(span), std::move(message)));
    return result_.diagnostics.back();
  }

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
                      std::string_view context = {}) {
    // Past the cap the diagnostic is only counted: no suggestion to look for.
    const bool kept = result_.diagnostics.size() < kMaxDiagnosticsPerFile;
    const auto suggestion = kept ? closest_name(name.text, candidates) : std::nullopt;
    std::string message = fmt::format("unknown {} '{}'{}", what, name.text, context);
    if (suggestion) message += fmt::format("; did you mean '{}'?", *suggestion);
    Diagnostic& diagnostic = report(DiagnosticKind::UnknownName, name.span, std::move(message));
    if (suggestion) {
      diagnostic.help = fmt::format("did you mean '{}'?", *suggestion);
      diagnostic.fixes.push_back(
          Fix{fmt::format("replace '{}' with '{}'", name.text, *suggestion), {Edit{at(name.span), *suggestion}}, true});
    } else if (!candidates.empty()) {
      diagnostic.help = fmt::format(
          "known {}: {}", what == "entity" ? std::string("entities") : std::string(what) + "s", list_names(candidates));
    }
  }

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
  bool resolve_in_project(const ast::Name& name) {
    if (module_.workspace == nullptr) return false;
    result_.looked_in_project = true;
    result_.project_lookups.emplace_back(name.text);
    for (const std::filesystem::path& path : module_.workspace->files_mentioning_sequence(module_.path, name.text)) {
      if (module_.workspace->same_file(path, module_.path)) continue;
      const std::shared_ptr<const Module> other = module_.workspace->load_handoff_target(module_.path, path);
      if (other->unreadable) continue;
      for (const ast::Sequence& sequence : other->parsed.file.sequences) {
        if (sequence.name.text != name.text) continue;
        result_.references.push_back({Reference::Kind::Sequence, name.span, other.get(), sequence.name.span});
        return true;
      }
    }
    result_.project_lookup_failed = true;
    return false;
  }

  // Imports and scope --------------------------------------------------------

  void check_imported_modules() {
    for (std::size_t i = 0; i < module_.imports.size(); ++i) {
      const Module* imported = module_.imports[i];
      if (imported == nullptr || imported->error_count > 0) continue;  // already reported
      const CheckResult& inner = check_module(*imported);
      if (inner.error_count == 0) continue;
      Diagnostic& diagnostic = report(DiagnosticKind::ImportError, file_.imports[i].path.span,
                                      fmt::format("'{}' has {} error{}", file_.imports[i].path.value, inner.error_count,
                                                  inner.error_count == 1 ? "" : "s"));
      for (const Diagnostic& d : inner.diagnostics) {
        if (d.severity == Severity::Error) {
          diagnostic.notes.push_back({"the first problem there: " + d.message, d.location});
          break;
        }
      }
    }
  }

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

  void build_scope() {
    declare_own(file_.entities, "entity");
    declare_own(file_.templates, "template");
    declare_own(file_.segments, "segment");
    declare_own(file_.sequences, "sequence");
    for (const ast::Entity& extension : file_.extensions) {
      if (!extension.name.empty())
        scope_.own.extensions.emplace(extension.name.text, ItemRef<ast::Entity>{&extension, &module_});
    }
    for (std::size_t i = 0; i < module_.imports.size(); ++i) {
      const Module* imported = module_.imports[i];
      if (imported == nullptr) continue;
      const ItemTable& table = check_module(*imported).scope.own;
      if (std::find(scope_.imported.begin(), scope_.imported.end(), &table) != scope_.imported.end()) {
        continue;  // the same module imported twice
      }
      const Span span = file_.imports[i].span;
      report_redefinitions<ast::Entity>(table, span, "entity");
      report_redefinitions<ast::Template>(table, span, "template");
      report_redefinitions<ast::Segment>(table, span, "segment");
      report_redefinitions<ast::Sequence>(table, span, "sequence");
      scope_.imported.push_back(&table);
    }
    if (module_.owner_module != nullptr && !module_.owner_module->unreadable) {
      const ItemTable& owner = check_module(*module_.owner_module).scope.own;
      for (const auto& [name, entity] : owner.entities) {
        auto mine = scope_.own.entities.find(name);
        if (mine == scope_.own.entities.end()) continue;
        Diagnostic& diagnostic = report(DiagnosticKind::DuplicateDefinition, mine->second.item->name.span,
                                        fmt::format("entity '{}' is defined by the stdlib and always in scope", name));
        diagnostic.help = "choose another name";
      }
      scope_.owner = &owner;
    }
  }

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

  void check_entity(const ast::Entity& entity) {
    const std::size_t fields = entity.fields.size();
    report_duplicates("field or link", fields + entity.links.size(), [&](std::size_t i) {
      return i < fields ? entity.fields[i].name : entity.links[i - fields].name;
    });
    for (const ast::Link& link : entity.links) resolve<ast::Entity>(link.entity, "entity", Reference::Kind::Entity);
    for (const ast::Field& field : entity.fields) {
      if (field.type != ast::FieldType::Option) continue;
      report_duplicates("option label", field.options.size(), [&](std::size_t i) { return field.options[i].label; });
      std::map<int64_t, const ast::OptionValue*> numbers;
      for (const ast::OptionValue& option : field.options) {
        auto [it, inserted] = numbers.emplace(option.value, &option);
        if (inserted) continue;
        Diagnostic& diagnostic = report(DiagnosticKind::DuplicateDefinition, option.value_span,
                                        fmt::format("option value {} is used by both '{}' and '{}'", option.value,
                                                    it->second->label.text, option.label.text));
        diagnostic.notes.push_back({"first used here", at(it->second->value_span)});
      }
    }
  }

  /// `extend entity NAME { ... }`: the entity must be in scope, and what the
  /// extension adds must not be there already (in the entity or in another
  /// visible extension of it).
  void check_extension(const ast::Entity& extension) {
    check_entity(extension);
    const ItemRef<ast::Entity> base = resolve<ast::Entity>(extension.name, "entity", Reference::Kind::Entity);
    if (!base) return;
    auto report_again = [&](const ast::Name& name, const Module* module, Span first) {
      Diagnostic& diagnostic =
          report(DiagnosticKind::DuplicateDefinition, name.span,
                 fmt::format("entity '{}' already has a field or link '{}'", extension.name.text, name.text));
      diagnostic.notes.push_back({fmt::format("'{}' is first defined here", name.text), at(module, first)});
      diagnostic.help = "choose another name: an extension adds fields, it cannot change one";
    };
    // Each name is looked up once in the entity's index of members: one
    // pass over the extensions, however many blocks they come in.
    ExtensionIndex& index = extension_index(base);
    auto check_name = [&](const ast::Name& name) {
      if (name.empty()) return;
      for (const Members* members : {&index.base, &index.own, &index.imported}) {
        if (const auto it = members->find(name.text); it != members->end()) {
          return report_again(name, it->second.module, it->second.span);
        }
      }
    };
    for (const ast::Field& field : extension.fields) check_name(field.name);
    for (const ast::Link& link : extension.links) check_name(link.name);
    // Then this block's names count for the blocks after it.
    for (const ast::Field& field : extension.fields)
      index.own.try_emplace(field.name.text, MemberAt{&module_, field.name.span});
    for (const ast::Link& link : extension.links)
      index.own.try_emplace(link.name.text, MemberAt{&module_, link.name.span});
  }

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

  ExtensionIndex& extension_index(const ItemRef<ast::Entity>& base) {
    const auto [it, fresh] = extension_indexes_.try_emplace(base.item);
    ExtensionIndex& index = it->second;
    if (!fresh) return index;
    for (const ast::Field& field : base.item->fields)
      index.base.try_emplace(field.name.text, MemberAt{base.module, field.name.span});
    for (const ast::Link& link : base.item->links)
      index.base.try_emplace(link.name.text, MemberAt{base.module, link.name.span});
    scope_.for_each_extension(base.item->name.text, [&](const ItemRef<ast::Entity>& other) {
      if (other.module == &module_) return;  // this file's: added as they are checked
      for (const ast::Field& field : other.item->fields)
        index.imported.try_emplace(field.name.text, MemberAt{other.module, field.name.span});
      for (const ast::Link& link : other.item->links)
        index.imported.try_emplace(link.name.text, MemberAt{other.module, link.name.span});
    });
    return index;
  }

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
  const MemberIndex& member_index(const ItemRef<ast::Entity>& entity) const {
    const auto found = member_indexes_.try_emplace(entity.item);
    MemberIndex& index = found.first->second;
    if (found.second) {
      scope_.for_each_part(entity, [&](const ItemRef<ast::Entity>& part) {
        for (const ast::Field& field : part.item->fields) {
          index.fields.try_emplace(field.name.text, &field, part.module);
          index.field_names.push_back(field.name.text);
        }
        for (const ast::Link& link : part.item->links) {
          index.links.try_emplace(link.name.text, &link, part.module);
          index.link_names.push_back(link.name.text);
        }
      });
    }
    return index;
  }

  FieldRef find_field(const ItemRef<ast::Entity>& entity, std::string_view name,
                      std::vector<std::string_view>* names = nullptr) const {
    const auto [field, module] = find_member<ast::Field>(entity, name, names);
    return {field, module};
  }

  struct LinkRef {
    const ast::Link* link = nullptr;
    const Module* module = nullptr;
  };
  LinkRef find_link(const ItemRef<ast::Entity>& entity, std::string_view name,
                    std::vector<std::string_view>* names = nullptr) const {
    const auto [link, module] = find_member<ast::Link>(entity, name, names);
    return {link, module};
  }

  // Merge fields -------------------------------------------------------------

  /// Checks the merge fields of `text` against `entity` (may be null when the
  /// context has none) and the owner.
  void check_merge_fields(const ast::StringLiteral& text, ItemRef<ast::Entity> entity, std::string_view context) {
    for (const ast::MergeField& field : text.merge_fields) {
      result_.merge_fields.push_back({&field, {}, nullptr});
      if (context.empty() == false && !entity) {
        report(DiagnosticKind::UnknownMergeField, field.span,
               fmt::format("merge fields are not expanded in {}", context));
        continue;
      }
      ItemRef<ast::Entity> resolved;
      if (entity && field.entity.text == entity.item->name.text) {
        resolved = entity;
      } else if (field.entity.text == "owner") {
        resolved = scope_.find<ast::Entity>("owner");
      }
      if (!resolved) {
        std::vector<std::string_view> allowed{"owner"};
        if (entity) allowed.insert(allowed.begin(), entity.item->name.text);
        const auto suggestion = closest_name(field.entity.text, allowed);
        Diagnostic& diagnostic =
            report(DiagnosticKind::UnknownMergeField, field.entity.span,
                   fmt::format("merge field '{{{{{}.{}}}}}' names '{}', but only {} can be used here{}",
                               field.entity.text, field.field.text, field.entity.text, list_names(allowed),
                               suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string()));
        if (suggestion) {
          diagnostic.help = fmt::format("did you mean '{}'?", *suggestion);
          diagnostic.fixes.push_back(Fix{fmt::format("replace '{}' with '{}'", field.entity.text, *suggestion),
                                         {Edit{at(field.entity.span), *suggestion}},
                                         true});
        }
        continue;
      }
      std::vector<std::string_view> names;
      const FieldRef found = find_field(resolved, field.field.text, &names);
      result_.merge_fields.back().entity = resolved;
      if (found) {
        result_.merge_fields.back().definition = found.field;
        result_.references.push_back({Reference::Kind::Field, field.field.span, found.module, found.field->name.span});
        continue;
      }
      const auto suggestion = closest_name(field.field.text, names);
      Diagnostic& diagnostic =
          report(DiagnosticKind::UnknownMergeField, field.field.span,
                 fmt::format("'{}' has no field '{}'{}", resolved.item->name.text, field.field.text,
                             suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string()));
      if (suggestion) {
        diagnostic.help = fmt::format("did you mean '{}'?", *suggestion);
        diagnostic.fixes.push_back(Fix{fmt::format("replace '{}' with '{}'", field.field.text, *suggestion),
                                       {Edit{at(field.field.span), *suggestion}},
                                       true});
      }
    }
  }

  void no_merge_fields(const ast::StringLiteral& text, std::string_view context) {
    check_merge_fields(text, {}, context);
  }

  // Templates ----------------------------------------------------------------

  void check_template(const ast::Template& item) {
    const ItemRef<ast::Entity> entity = resolve<ast::Entity>(item.entity, "entity", Reference::Kind::Entity);
    auto check_part = [&](const std::vector<ast::StringLiteral>& parts, const std::vector<Span>& spans,
                          std::string_view what) {
      if (parts.empty() && !has_syntax_error_in(item.span)) {
        report(DiagnosticKind::Syntax, item.name.span, fmt::format("template '{}' has no {}", item.name.text, what))
            .help = fmt::format("add `{} \"...\"` inside the braces", what);
      }
      for (std::size_t i = 1; i < spans.size(); ++i) {
        report(DiagnosticKind::DuplicateSetting, spans[i],
               fmt::format("template '{}' gives its {} twice", item.name.text, what))
            .notes.push_back({"first given here", at(spans[0])});
      }
      if (!entity && !item.entity.empty()) return;
      for (const auto& part : parts) check_merge_fields(part, entity, {});
    };
    check_part(item.subjects, item.subject_spans, "subject");
    check_part(item.bodies, item.body_spans, "body");
  }

  // Segments -----------------------------------------------------------------

  /// Checks a filter; `negated` is whether an odd number of `not`s (or
  /// `!=`s) apply, which some tests cannot take in FetchXML.
  void check_filter(const ast::Expr& expr, const ItemRef<ast::Entity>& entity, bool negated) {
    switch (expr.kind) {
      case ast::Expr::Kind::Or:
      case ast::Expr::Kind::And:
        for (const ast::Expr& operand : expr.operands) check_filter(operand, entity, negated);
        return;
      case ast::Expr::Kind::Not:
        for (const ast::Expr& operand : expr.operands) check_filter(operand, entity, !negated);
        return;
      case ast::Expr::Kind::Signal: return;
      default: break;
    }
    if (expr.links.size() > kMaxLinkEntities) {
      report(DiagnosticKind::TypeMismatch, expr.links[kMaxLinkEntities].span,
             fmt::format("a path of {} links; a Dataverse query joins at most {} related tables", expr.links.size(),
                         kMaxLinkEntities))
          .help = "filter on a closer record";
      return;
    }
    ResolvedFilterField resolved;
    ItemRef<ast::Entity> current = entity;
    std::string joined;
    for (const ast::Name& step : expr.links) {
      std::vector<std::string_view> names;
      const LinkRef link = find_link(current, step.text, &names);
      if (link.link == nullptr) {
        const bool is_field = static_cast<bool>(find_field(current, step.text));
        report_unknown("link", step, names, fmt::format(" from entity '{}'", current.item->name.text));
        if (is_field) {
          result_.diagnostics.back().help = fmt::format(
              "'{}' is a field, not a link; only links (declared with 'link') lead to related records", step.text);
        }
        return;
      }
      result_.references.push_back({Reference::Kind::Field, step.span, link.module, link.link->name.span});
      // The link's entity is named in the scope of the module declaring it
      // (this one, while it is being checked, or an import).
      const ItemRef<ast::Entity> target =
          link.module == &module_ ? scope_.find<ast::Entity>(link.link->entity.text)
                                  : check_module(*link.module).scope.find<ast::Entity>(link.link->entity.text);
      if (!target) return;  // reported where the link is declared
      resolved.links.push_back({link.link, target});
      current = target;
      if (!joined.empty()) joined += '.';
      joined += step.text;
      segment_joins_.insert(joined);
    }
    const bool written_ne = expr.kind == ast::Expr::Kind::Compare && expr.op == ast::CompareOp::Ne;
    const bool effective = (negated != expr.negated) != written_ne;
    const bool owner_test = expr.kind == ast::Expr::Kind::Compare &&
                            (expr.op == ast::CompareOp::OwnerIs || expr.op == ast::CompareOp::OwnerIn);
    std::vector<std::string_view> names;
    const FieldRef field = find_field(current, expr.field.text, &names);
    if (!field && expr.field.text == "owner") {
      if (!owner_test) {
        report(DiagnosticKind::TypeMismatch, expr.op_span.size() > 0 ? expr.op_span : expr.field.span,
               "'owner' is the record's owner; test it with 'owner is current_user' or 'owner in my_teams'")
            .help = fmt::format("the owner groups are {}", list_names(table_view(vocabulary::kOwnerGroups)));
        return;
      }
      check_owner_test(expr, effective);
      result_.filter_fields.emplace(&expr, std::move(resolved));
      return;
    }
    if (!field) {
      std::vector<std::string_view> links;
      find_link(current, {}, &links);
      report_unknown("field", expr.field, names, fmt::format(" in entity '{}'", current.item->name.text));
      if (std::find(links.begin(), links.end(), expr.field.text) != links.end()) {
        result_.diagnostics.back().help = fmt::format(
            "'{}' is a link; name a field of the record it leads to, as in {}.name", expr.field.text, expr.field.text);
      }
      return;
    }
    result_.references.push_back({Reference::Kind::Field, expr.field.span, field.module, field.field->name.span});
    if (check_comparison(expr, *field.field, effective)) {
      resolved.field = field.field;
      result_.filter_fields.emplace(&expr, std::move(resolved));
    }
  }

  template <std::size_t N>
  static std::vector<std::string_view> table_view(const std::array<std::string_view, N>& table) {
    return {table.begin(), table.end()};
  }

  /// `not` over a test FetchXML has no opposite for.
  void report_not_negatable(const ast::Expr& expr, std::string_view fetch_operator, std::string_view instead) {
    Diagnostic& diagnostic =
        report(DiagnosticKind::TypeMismatch, expr.op_span.size() > 0 ? expr.op_span : expr.span,
               fmt::format("this test cannot be negated: FetchXML has no opposite of '{}'", fetch_operator));
    diagnostic.help = std::string(instead);
  }

  void check_owner_test(const ast::Expr& expr, bool negated) {
    if (expr.op == ast::CompareOp::OwnerIs) {
      if (expr.word != vocabulary::kCurrentUser) {
        report(DiagnosticKind::TypeMismatch, expr.op_span,
               fmt::format("'owner is' takes 'current_user', not '{}'", expr.word))
            .help = "write owner is current_user, or owner in my_teams for the user's teams";
      }
      return;
    }
    const auto group = vocabulary::owner_group(expr.word);
    if (!group) {
      const auto suggestion = closest_name(expr.word, table_view(vocabulary::kOwnerGroups));
      Diagnostic& diagnostic =
          report(DiagnosticKind::TypeMismatch, expr.op_span,
                 fmt::format("'{}' is not an owner group{}", expr.word,
                             suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string()));
      diagnostic.help = fmt::format("the owner groups are {}", list_names(table_view(vocabulary::kOwnerGroups)));
      return;
    }
    if (negated) {
      report_not_negatable(expr, vocabulary::kOwnerGroupOperators[static_cast<std::size_t>(*group)],
                           "only 'owner is current_user' has an opposite ('owner is not current_user')");
    }
  }

  /// The test fits the field; false when it was reported.
  bool check_comparison(const ast::Expr& expr, const ast::Field& field, bool negated) {
    const Span where = expr.op_span.size() > 0 ? expr.op_span : expr.span;
    auto wrong_type = [&](std::string_view test, std::string_view needs) {
      report(DiagnosticKind::TypeMismatch, where,
             fmt::format("'{}' is {} field; {} applies to {} fields only", field.name.text,
                         article(std::string(field_type_name(field.type))), test, needs));
      return false;
    };
    if (expr.kind == ast::Expr::Kind::IsNull || expr.kind == ast::Expr::Kind::IsNotNull) return true;
    if (expr.kind == ast::Expr::Kind::In) {
      if (field.type == ast::FieldType::Date) {
        report(DiagnosticKind::TypeMismatch, where,
               fmt::format("'{}' is a date field, and 'in [...]' would match midnight only", field.name.text))
            .help = "compare days with == joined by 'or'";
        return false;
      }
      for (const ast::Value& value : expr.values) check_value(value, field);
      return true;
    }
    switch (expr.op) {
      case ast::CompareOp::Eq:
      case ast::CompareOp::Ne: break;
      case ast::CompareOp::Lt:
      case ast::CompareOp::Le:
      case ast::CompareOp::Gt:
      case ast::CompareOp::Ge:
        if (field.type != ast::FieldType::Number && field.type != ast::FieldType::Date) {
          report(DiagnosticKind::TypeMismatch, expr.op_span,
                 fmt::format("'{}' is {} field; only number and date fields can be compared with <, <=, > or >=",
                             field.name.text, article(std::string(field_type_name(field.type)))));
          return false;
        }
        break;
      case ast::CompareOp::Contains:
      case ast::CompareOp::StartsWith:
      case ast::CompareOp::EndsWith:
        if (field.type != ast::FieldType::String) return wrong_type("text matching", "string");
        break;
      case ast::CompareOp::InLast:
      case ast::CompareOp::InNext:
      case ast::CompareOp::OlderThan: {
        if (field.type != ast::FieldType::Date) return wrong_type("a relative window", "date");
        if (expr.word == "this") {
          report(DiagnosticKind::TypeMismatch, where, "'this' takes week, month or year, not an amount").help =
              fmt::format("write 'in last {}{}' or 'in this week'", expr.amount, expr.unit);
          return false;
        }
        const auto unit = vocabulary::window_unit(expr.unit);
        const bool older = expr.op == ast::CompareOp::OlderThan;
        if (!unit || (*unit == vocabulary::WindowUnit::Minutes && !older)) {
          report(DiagnosticKind::TypeMismatch, where,
                 fmt::format("'{}' is not a unit of {} window", expr.unit, older ? "an 'older than'" : "a relative"))
              .help = older ? "use min, h, d, w, months or years, as in older than 6 months"
                            : "use h, d, w, months or years, as in in last 30d (minutes only work with 'older than')";
          return false;
        }
        if (expr.amount < 1 || expr.amount > 100000) {
          report(DiagnosticKind::TypeMismatch, where,
                 fmt::format("a window of {} {} selects nothing useful; use 1 to 100000", expr.amount, expr.unit));
          return false;
        }
        if (negated) {
          report_not_negatable(expr, window_operator(expr),
                               older ? "say the window instead, as in createdon in last 6 months"
                                     : "say the other side instead, as in createdon older than 30d");
          return false;
        }
        return true;
      }
      case ast::CompareOp::Period: {
        if (field.type != ast::FieldType::Date) return wrong_type(fmt::format("'{}'", expr.word), "date");
        if (!vocabulary::period(expr.word)) {
          report(DiagnosticKind::TypeMismatch, where, fmt::format("'{}' is not a day or period", expr.word)).help =
              "write is today, is yesterday, is tomorrow, or in this|last|next week|month|year";
          return false;
        }
        if (negated) {
          report_not_negatable(expr, vocabulary::period_operator(*vocabulary::period(expr.word)),
                               "compare with a window instead, as in createdon older than 7d");
          return false;
        }
        return true;
      }
      case ast::CompareOp::OwnerIs:
      case ast::CompareOp::OwnerIn:
        report(DiagnosticKind::TypeMismatch, where,
               fmt::format("only 'owner' can be tested with '{}'",
                           expr.op == ast::CompareOp::OwnerIs ? "is current_user" : fmt::format("in {}", expr.word)))
            .help = "write owner is current_user or owner in my_teams";
        return false;
    }
    const std::size_t before = result_.diagnostics.size();
    if (expr.op >= ast::CompareOp::Contains) {
      for (const ast::Value& value : expr.values) {
        if (value.kind != ast::Value::Kind::String) {
          report(DiagnosticKind::TypeMismatch, value.span,
                 fmt::format("text matching needs a quoted string, not {}", value_kind_name(value.kind)));
        } else {
          check_value(value, field);
        }
      }
    } else {
      for (const ast::Value& value : expr.values) check_value(value, field);
    }
    return result_.diagnostics.size() == before;
  }

  static std::string window_operator(const ast::Expr& expr) {
    return vocabulary::window_operator(expr.op == ast::CompareOp::InNext, expr.op == ast::CompareOp::OlderThan,
                                       vocabulary::window_unit(expr.unit).value_or(vocabulary::WindowUnit::Days));
  }

  void check_value(const ast::Value& value, const ast::Field& field) {
    auto mismatch = [&](std::string expected) {
      report(DiagnosticKind::TypeMismatch, value.span,
             fmt::format("'{}' is {} field, so it needs {}, not {}", field.name.text,
                         article(std::string(field_type_name(field.type))), expected, value_kind_name(value.kind)));
    };
    switch (field.type) {
      case ast::FieldType::String:
        if (value.kind != ast::Value::Kind::String) {
          mismatch("a quoted string");
        } else if (auto forbidden = xml_forbidden_character(value.text)) {
          // Segments compile to FetchXML, and XML 1.0 cannot carry this
          // character at all: the query would silently test another value.
          report(DiagnosticKind::TypeMismatch, value.span,
                 fmt::format("the value holds {} U+{:04X}, which a FetchXML query cannot carry",
                             *forbidden < 0x20 ? "the control character" : "the character", *forbidden))
              .help = "remove it: Dataverse stores no such character in text fields";
        }
        break;
      case ast::FieldType::Number:
        if (value.kind != ast::Value::Kind::Number) mismatch("a number");
        break;
      case ast::FieldType::Bool:
        if (value.kind != ast::Value::Kind::Bool) mismatch("true or false");
        break;
      case ast::FieldType::Date:
        if (value.kind != ast::Value::Kind::String) {
          mismatch("a date as a quoted string, like \"2026-01-31\"");
        } else if (!is_iso_date(value.text)) {
          report(DiagnosticKind::TypeMismatch, value.span,
                 fmt::format("'{}' is not a date; write dates as \"YYYY-MM-DD\"", value.text));
        }
        break;
      case ast::FieldType::Option: {
        std::vector<std::string_view> labels;
        for (const ast::OptionValue& option : field.options) {
          labels.push_back(option.label.text);
          if (value.kind == ast::Value::Kind::Label && option.label.text == value.text) return;
        }
        if (value.kind != ast::Value::Kind::Label) {
          mismatch(fmt::format("one of its option labels ({})", list_names(labels)));
          return;
        }
        const auto suggestion = closest_name(value.text, labels);
        Diagnostic& diagnostic =
            report(DiagnosticKind::TypeMismatch, value.span,
                   fmt::format("'{}' is not an option of '{}'{}", value.text, field.name.text,
                               suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string()));
        if (suggestion) {
          diagnostic.help = fmt::format("did you mean '{}'?", *suggestion);
          diagnostic.fixes.push_back(Fix{fmt::format("replace '{}' with '{}'", value.text, *suggestion),
                                         {Edit{at(value.span), *suggestion}},
                                         true});
        } else {
          diagnostic.help = fmt::format("the options are {}", list_names(labels, 12));
        }
        break;
      }
    }
  }

  void check_segment(const ast::Segment& segment) {
    const ItemRef<ast::Entity> entity = resolve<ast::Entity>(segment.entity, "entity", Reference::Kind::Entity);
    if (!entity || !segment.filter) return;
    segment_joins_.clear();
    check_filter(*segment.filter, entity, false);
    if (segment_joins_.size() > kMaxLinkEntities) {
      report(DiagnosticKind::TypeMismatch, segment.name.span,
             fmt::format("segment '{}' reaches {} related tables; a Dataverse query joins at most {}",
                         segment.name.text, segment_joins_.size(), kMaxLinkEntities))
          .help = "split it into segments that each read fewer related records";
    }
  }

  // Sequences ----------------------------------------------------------------

  void check_duration(const ast::Duration& duration, std::string_view what, bool business_calendar) {
    if (duration.span.size() == 0) return;
    const int64_t minutes = duration.minutes(business_calendar);
    if (minutes <= 0) {
      report(DiagnosticKind::WaitOutOfRange, duration.span,
             fmt::format("{} of {} is {}; it must be at least 1m", what,
                         source_.text().substr(duration.span.begin, duration.span.size()),
                         minutes == 0 ? "zero" : "negative"));
    } else if (minutes > kMaxWaitMinutes) {
      report(DiagnosticKind::WaitOutOfRange, duration.span,
             fmt::format("{} of {} is longer than 30 days", what,
                         source_.text().substr(duration.span.begin, duration.span.size())))
          .help = "split the sequence, or hand off to a later one with `exit then handoff SEQUENCE`";
    }
  }

  void check_sequence(const ast::Sequence& sequence) {
    SequenceIr ir;
    ir.sequence = &sequence;
    ir.module = &module_;
    check_settings(sequence, ir);
    check_handlers(sequence, ir);
    build_graph(sequence, ir);
    analyze(ir);
    check_flow(ir);
    result_.sequences.push_back(std::move(ir));
  }

  void check_settings(const ast::Sequence& sequence, SequenceIr& ir) {
    // The first of each setting (a limit per channel): a handful at most,
    // since the kinds and channels are closed lists.
    std::vector<const ast::Setting*> seen;
    seen.reserve(sequence.settings.size());
    auto same = [](const ast::Setting& a, const ast::Setting& b) {
      return a.kind == b.kind && (a.kind != ast::SettingKind::Limit || a.word.text == b.word.text);
    };
    bool has_target = false;
    for (const ast::Setting& setting : sequence.settings) {
      std::string key(setting_name(setting.kind));
      if (setting.kind == ast::SettingKind::Limit) key += " " + std::string(setting.word.text);
      auto first = std::find_if(seen.begin(), seen.end(), [&](const ast::Setting* s) { return same(*s, setting); });
      if (first != seen.end()) {
        report(DiagnosticKind::DuplicateSetting, setting.span,
               fmt::format("'{}' is set twice in sequence '{}'", key, sequence.name.text))
            .notes.push_back({"first set here", at((*first)->span)});
        continue;
      }
      seen.push_back(&setting);
      has_target = has_target || setting.kind == ast::SettingKind::Target;
      if (sequence.first_statement && setting.span.begin > sequence.first_statement->begin) {
        report(DiagnosticKind::Syntax, setting.span,
               fmt::format("setting '{}' comes after the first step; settings go before the flow", key))
            .notes.push_back({"the flow starts here", at(*sequence.first_statement)});
      }
      switch (setting.kind) {
        case ast::SettingKind::Title:
          ir.title = setting.text.value;
          no_merge_fields(setting.text, "a sequence title");
          break;
        case ast::SettingKind::Team:
          ir.team = setting.text.value;
          no_merge_fields(setting.text, "a team name");
          break;
        case ast::SettingKind::Target:
          ir.target = resolve<ast::Entity>(setting.ref, "entity", Reference::Kind::Entity);
          break;
        case ast::SettingKind::Segment:
          ir.segment = resolve<ast::Segment>(setting.ref, "segment", Reference::Kind::Segment);
          ir.segment_setting = &setting;
          break;
        case ast::SettingKind::Limit:
          ir.limits.push_back(&setting);
          if (setting.word.text == "email") ir.email_limit = setting.rate;
          check_rate(setting.rate, "limit");
          break;
        case ast::SettingKind::Enroll:
          ir.enroll = setting.rate;
          check_rate(setting.rate, "enrolment rate");
          break;
        case ast::SettingKind::Calendar: ir.business_calendar = setting.word.text == "business"; break;
      }
    }
    if (!has_target && !has_syntax_error_in(sequence.span)) {
      report(DiagnosticKind::Syntax, sequence.name.span,
             fmt::format("sequence '{}' has no target; add `target ENTITY` (for example `target lead`)",
                         sequence.name.text));
    }
    if (ir.target && ir.segment && ir.segment.item->entity.text != ir.target.item->name.text) {
      report(DiagnosticKind::TypeMismatch, ir.segment_setting->ref.span,
             fmt::format("segment '{}' selects {} records, but sequence '{}' targets {}", ir.segment.item->name.text,
                         ir.segment.item->entity.text, sequence.name.text, ir.target.item->name.text))
          .notes.push_back({"the segment is defined here", at(ir.segment.module, ir.segment.item->name.span)});
    }
  }

  void check_rate(const ast::Rate& rate, std::string_view what) {
    if (rate.span.size() > 0 && rate.count <= 0) {
      report(DiagnosticKind::TypeMismatch, rate.span, fmt::format("the {} must be at least 1", what));
    }
  }

  void check_exit(const ast::ExitSpec& exit) {
    if (exit.reason) no_merge_fields(*exit.reason, "an exit reason");
    if (exit.outcome == ast::OutcomeKind::Handoff) {
      if (exit.handoff.empty() || scope_.find<ast::Sequence>(exit.handoff.text)) {
        resolve<ast::Sequence>(exit.handoff, "sequence", Reference::Kind::Sequence);
      } else if (!resolve_in_project(exit.handoff)) {
        // Did you mean a sequence in scope, or one of another file of the project?
        std::vector<std::string> project;
        if (module_.workspace != nullptr) project = module_.workspace->project_sequence_names(module_.path);
        std::vector<std::string_view> candidates = names_of<ast::Sequence>();
        candidates.insert(candidates.end(), project.begin(), project.end());
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        report_unknown("sequence", exit.handoff, candidates);
      }
    }
  }

  void check_handlers(const ast::Sequence& sequence, SequenceIr& ir) {
    // The first handler of each event (a closed list of five).
    std::vector<const ast::Handler*> seen;
    seen.reserve(sequence.handlers.size());
    ir.handlers.reserve(sequence.handlers.size());
    for (const ast::Handler& handler : sequence.handlers) {
      ir.handlers.push_back(&handler);
      auto first = std::find_if(seen.begin(), seen.end(),
                                [&](const ast::Handler* h) { return h->event.text == handler.event.text; });
      if (first != seen.end()) {
        report(DiagnosticKind::DuplicateSetting, handler.span,
               fmt::format("event '{}' is handled twice in sequence '{}'", handler.event.text, sequence.name.text))
            .notes.push_back({"first handled here", at((*first)->span)});
      } else {
        seen.push_back(&handler);
      }
      if (handler.is_pause)
        check_duration(handler.pause, "a pause", ir.business_calendar);
      else
        check_exit(handler.exit);
    }
  }

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
  static StepKind step_kind_of(ast::StmtKind kind) {
    return kind == ast::StmtKind::Goto ? StepKind::Exit : static_cast<StepKind>(kind);
  }

  /// The steps of a statement list, arms included.
  static std::size_t count_statements(const std::vector<ast::Stmt>& body) {
    std::size_t count = body.size();
    for (const ast::Stmt& stmt : body) {
      for (const ast::Arm& arm : stmt.arms) count += count_statements(arm.body);
    }
    return count;
  }

  /// Pass 1: one node per step, in source order.
  void create_nodes(const std::vector<ast::Stmt>& body, GraphBuilder& builder, uint32_t block = 0) {
    for (const ast::Stmt& stmt : body) {
      if (stmt.kind == ast::StmtKind::Goto) {
        builder.gotos.push_back(&stmt);
        continue;
      }
      builder.node_of[&stmt] = static_cast<uint32_t>(builder.ir.nodes.size());
      // Built in place (the reference is not used once arms add their steps).
      IrNode& node = builder.ir.nodes.emplace_back();
      node.kind = step_kind_of(stmt.kind);
      node.channel = vocabulary::channel_of(node.kind);
      node.stmt = &stmt;
      node.block = block;
      if (is_activity(node.kind) && !stmt.label.empty()) {
        node.id = std::string(stmt.label.text);
        builder.last_label = stmt.label.text;
      } else {
        // "<label before>.<kind><n>", n counting such steps after that label.
        const uint32_t count = ++builder.counters[{builder.last_label, node.kind}];
        std::string id;
        id.reserve(builder.last_label.size() + 16);
        id.append(builder.last_label).append(".").append(step_kind_name(node.kind));
        char digits[12];
        const auto written = std::to_chars(digits, digits + sizeof digits, count);
        id.append(digits, written.ptr);
        node.id = std::move(id);
      }
      // Steps after the branch are named after the label before it, not
      // after one inside an arm: editing an arm must not rename them.
      const std::string_view label_before_arms = builder.last_label;
      for (const ast::Arm& arm : stmt.arms) {
        create_nodes(arm.body, builder, ++builder.blocks);
        builder.last_label = label_before_arms;
      }
    }
  }

  /// Pass 2: edges. Returns the node a block starts with; `next` is where the
  /// flow continues after the block.
  uint32_t link(const std::vector<ast::Stmt>& body, uint32_t next, GraphBuilder& builder) {
    for (auto it = body.rbegin(); it != body.rend(); ++it) {
      const ast::Stmt& stmt = *it;
      if (stmt.kind == ast::StmtKind::Goto) {
        const auto target = builder.ir.find_label(stmt.target.text);
        if (target && builder.ir.nodes[*target].stmt->span.begin > stmt.span.begin) next = *target;
        continue;
      }
      const uint32_t index = *builder.node_of.find(&stmt);
      IrNode& node = builder.ir.nodes[index];
      const bool follows_goto = it != body.rbegin() && std::prev(it)->kind == ast::StmtKind::Goto;
      switch (stmt.kind) {
        case ast::StmtKind::Exit: break;
        case ast::StmtKind::Wait: {
          const int64_t minutes = std::max<int64_t>(0, stmt.duration.minutes(builder.ir.business_calendar));
          node.successors.push_back({next, "next", follows_goto, minutes, minutes});
          break;
        }
        case ast::StmtKind::Branch: {
          const int64_t within =
              stmt.has_within ? std::max<int64_t>(0, stmt.duration.minutes(builder.ir.business_calendar)) : 0;
          for (std::string_view arm : {std::string_view("yes"), std::string_view("no")}) {
            uint32_t target = next;
            for (const ast::Arm& written : stmt.arms) {
              if (written.name.text == arm) {
                target = link(written.body, next, builder);
                break;
              }
            }
            builder.ir.nodes[index].successors.push_back({target, arm, false, arm == "yes" ? 0 : within, within});
          }
          break;
        }
        case ast::StmtKind::OutcomeBranch: {
          bool has_else = false;
          FlatMap<std::string_view, bool> seen;
          seen.reserve(stmt.arms.size());
          for (const ast::Arm& written : stmt.arms) {
            if (!seen.try_emplace(written.name.text, true).second) continue;
            if (written.name.text == "else") has_else = true;
            const uint32_t target = link(written.body, next, builder);
            builder.ir.nodes[index].successors.push_back({target, written.name.text, false, 0, 0});
          }
          if (!has_else) builder.ir.nodes[index].successors.push_back({next, "else", false, 0, 0});
          break;
        }
        default: node.successors.push_back({next, "next", follows_goto, 0, 0}); break;
      }
      next = index;
    }
    return next;
  }

  void build_graph(const ast::Sequence& sequence, SequenceIr& ir) {
    GraphBuilder builder{ir, {}, {}, {}, "start"};
    const std::size_t statements = count_statements(sequence.body);
    ir.nodes.reserve(statements + 1);
    builder.node_of.reserve(statements);
    create_nodes(sequence.body, builder);
    check_labels(ir);
    // The implicit `exit "completed"`: "end", unless a step is labelled so.
    IrNode end;
    end.kind = StepKind::Exit;
    end.id = ir.labels.find("end") != nullptr ? fmt::format("end.exit{}", ++builder.counters[{"end", StepKind::Exit}])
                                              : "end";
    const auto end_index = static_cast<uint32_t>(ir.nodes.size());
    ir.nodes.push_back(std::move(end));
    check_gotos(builder);
    ir.entry = link(sequence.body, end_index, builder);
    for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
      for (const Edge& edge : ir.nodes[i].successors) ir.nodes[edge.target].predecessors.push_back(i);
    }
  }

  void check_labels(SequenceIr& ir) {
    ir.labels.reserve(ir.nodes.size());
    for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
      const IrNode& node = ir.nodes[i];
      if (!is_activity(node.kind) || node.stmt == nullptr || node.stmt->label.empty()) continue;
      const auto [first, added] = ir.labels.try_emplace(node.stmt->label.text, i);
      if (added) continue;
      report(DiagnosticKind::DuplicateDefinition, node.stmt->label.span,
             fmt::format("step label '{}' is used twice in sequence '{}'; labels identify steps and must be unique",
                         node.stmt->label.text, ir.sequence->name.text))
          .notes.push_back({"first used here", at(ir.nodes[*first].stmt->label.span)});
    }
  }

  std::vector<std::string_view> labels_of(const SequenceIr& ir) const {
    std::vector<std::string_view> labels;
    for (const IrNode& node : ir.nodes) {
      if (is_activity(node.kind) && node.stmt != nullptr) labels.push_back(node.stmt->label.text);
    }
    return labels;
  }

  /// Resolves a step reference; reports unknown-name when missing.
  std::optional<uint32_t> resolve_step(const SequenceIr& ir, const ast::Name& name) {
    if (name.empty()) return std::nullopt;
    auto index = ir.find_label(name.text);
    if (!index) {
      report_unknown("step", name, labels_of(ir));
      return std::nullopt;
    }
    result_.references.push_back({Reference::Kind::Step, name.span, &module_, ir.nodes[*index].stmt->label.span});
    return index;
  }

  void check_gotos(GraphBuilder& builder) {
    for (const ast::Stmt* stmt : builder.gotos) {
      const auto target = resolve_step(builder.ir, stmt->target);
      if (!target) continue;
      const IrNode& node = builder.ir.nodes[*target];
      if (node.stmt->span.begin < stmt->span.begin) {
        report(DiagnosticKind::BackwardGoto, stmt->target.span,
               fmt::format("'goto {}' jumps back to an earlier step; sequences never loop", stmt->target.text))
            .notes.push_back({fmt::format("'{}' is defined here", stmt->target.text), at(node.stmt->label.span)});
      }
    }
  }

  // Flow checks --------------------------------------------------------------

  void check_flow(SequenceIr& ir) {
    for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
      IrNode& node = ir.nodes[i];
      if (node.stmt == nullptr) continue;
      const ast::Stmt& stmt = *node.stmt;
      switch (stmt.kind) {
        case ast::StmtKind::Email:
        case ast::StmtKind::Sms:
        case ast::StmtKind::Call:
        case ast::StmtKind::Linkedin:
        case ast::StmtKind::Task: check_activity(ir, node); break;
        case ast::StmtKind::Wait: check_duration(stmt.duration, "a wait", ir.business_calendar); break;
        case ast::StmtKind::Branch:
          if (stmt.has_within) check_duration(stmt.duration, "'within'", ir.business_calendar);
          check_arms(stmt);
          if (stmt.condition) check_condition(ir, i, *stmt.condition);
          break;
        case ast::StmtKind::OutcomeBranch: {
          check_arms(stmt);
          const auto call = resolve_step(ir, stmt.target);
          if (!call) break;
          node.signal_steps.push_back(*call);
          const IrNode& named = ir.nodes[*call];
          if (named.kind != StepKind::Call) {
            report(DiagnosticKind::SignalKindMismatch, stmt.target.span,
                   fmt::format("'outcome' needs a call step, but '{}' is {} step", stmt.target.text,
                               article(step_kind_name(named.kind))))
                .notes.push_back({fmt::format("'{}' is defined here", stmt.target.text), at(named.stmt->label.span)});
          } else {
            check_dominates(ir, *call, i, stmt.target, "outcome");
          }
          break;
        }
        case ast::StmtKind::Exit: check_exit(stmt.exit); break;
        default: break;
      }
    }
    // trailing-wait: a reachable wait after which the body ends. A wait
    // before an explicit `exit` is fine: it gives the prospect time to reply
    // before the enrolment ends, and the exit is a step a runtime runs.
    for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
      const IrNode& node = ir.nodes[i];
      if (node.kind != StepKind::Wait || !ir.reachable[i]) continue;
      const IrNode& next = ir.nodes[node.successors.front().target];
      if (next.kind != StepKind::Exit || next.stmt != nullptr) continue;
      Diagnostic& diagnostic = report(DiagnosticKind::TrailingWait, node.stmt->span,
                                      "the flow can end on this wait: nothing follows it before the sequence ends");
      diagnostic.help = "remove the wait, add the step it is waiting for, or end with an explicit `exit \"...\"`";
    }
  }

  /// An item the parser could not read whole (a syntax error inside it, so
  /// some of its code was skipped) gets no finding of the checks: a wait
  /// before a skipped branch is not a trailing wait, nor is a step a skipped
  /// statement names unknown. Its syntax errors stand for it.
  void drop_findings_in_unread_code() {
    std::vector<uint32_t> broken;
    for (const Diagnostic& d : module_.diagnostics) {
      if (d.kind == DiagnosticKind::Syntax && d.location.source == &source_) broken.push_back(d.location.span.begin);
    }
    if (broken.empty()) return;
    std::sort(broken.begin(), broken.end());
    std::vector<Span> unread;
    auto consider = [&](const Span& span) {
      // Inside the item, or right after it (a missing '}' is reported past its last token).
      const auto it = std::lower_bound(broken.begin(), broken.end(), span.begin);
      if (it != broken.end() && *it <= span.end) unread.push_back(span);
    };
    for (const ast::Template& item : file_.templates) consider(item.span);
    for (const ast::Segment& item : file_.segments) consider(item.span);
    for (const ast::Sequence& item : file_.sequences) consider(item.span);
    if (unread.empty()) return;
    std::erase_if(result_.diagnostics, [&](const Diagnostic& d) {
      if (d.kind == DiagnosticKind::Syntax || d.location.source != &source_) return false;
      return std::any_of(unread.begin(), unread.end(), [&](const Span& span) {
        return d.location.span.begin >= span.begin && d.location.span.begin < span.end;
      });
    });
  }

  static std::string article(std::string_view word) {
    const bool vowel = !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
    return fmt::format("{} {}", vowel ? "an" : "a", word);
  }

  /// Two arms of one name in a branch (the grammar allows only the arm
  /// words of the branch's kind).
  void check_arms(const ast::Stmt& stmt) {
    FlatMap<std::string_view, const ast::Arm*> seen;
    seen.reserve(stmt.arms.size());
    for (const ast::Arm& arm : stmt.arms) {
      const auto [first, added] = seen.try_emplace(arm.name.text, &arm);
      if (added) continue;
      report(DiagnosticKind::DuplicateDefinition, arm.name.span,
             fmt::format("arm '{}' appears twice in this branch", arm.name.text))
          .notes.push_back({"first here", at((*first)->name.span)});
    }
  }

  void check_dominates(SequenceIr& ir, uint32_t step, uint32_t branch, const ast::Name& name, std::string_view signal) {
    if (!ir.reachable[branch]) return;
    if (ir.reachable[step] && ir.dominates(step, branch)) return;
    Diagnostic& diagnostic =
        report(DiagnosticKind::SignalNotDominating, name.span,
               fmt::format("'{}({})' reads a step that is not run on every path to this branch", signal, name.text));
    diagnostic.notes.push_back(
        {fmt::format("'{}' is defined here{}", name.text,
                     ir.nodes[step].stmt->span.begin > ir.nodes[branch].stmt->span.begin ? ", after the branch" : ""),
         at(ir.nodes[step].stmt->label.span)});
    diagnostic.help = "branch on a step that every record passes, or move the branch into the arm that runs it";
  }

  void check_condition(SequenceIr& ir, uint32_t branch, const ast::Expr& expr) {
    if (expr.kind != ast::Expr::Kind::Signal) {
      for (const ast::Expr& operand : expr.operands) check_condition(ir, branch, operand);
      return;
    }
    if (expr.step.empty()) return;  // replied, meeting_booked
    const auto step = resolve_step(ir, expr.step);
    if (!step) return;
    ir.nodes[branch].signal_steps.push_back(*step);
    const IrNode& named = ir.nodes[*step];
    const bool is_accepted = expr.signal.text == "accepted";
    const bool fits = is_accepted ? (named.kind == StepKind::Linkedin && named.stmt->linkedin_kind.text == "connect")
                                  : named.kind == StepKind::Email;
    if (!fits) {
      const std::string actual = named.kind == StepKind::Linkedin
                                     ? fmt::format("a linkedin {} step", named.stmt->linkedin_kind.text)
                                     : article(std::string(step_kind_name(named.kind))) + " step";
      report(DiagnosticKind::SignalKindMismatch, expr.step.span,
             fmt::format("'{}' needs {}, but '{}' is {}", expr.signal.text,
                         is_accepted ? "a linkedin connect step" : "an email step", expr.step.text, actual))
          .notes.push_back({fmt::format("'{}' is defined here", expr.step.text), at(named.stmt->label.span)});
      return;
    }
    check_dominates(ir, *step, branch, expr.step, expr.signal.text);
  }

  /// The first property of each kind an activity gives.
  using PropertySeen = std::array<const ast::Property*, static_cast<std::size_t>(ast::PropertyKind::Note) + 1>;

  void check_activity(SequenceIr& ir, IrNode& node) {
    const ast::Stmt& stmt = *node.stmt;
    PropertySeen seen{};
    std::vector<const ast::Property*> variants;
    for (const ast::Property& property : stmt.properties) {
      if (property.kind == ast::PropertyKind::Variant) {
        variants.push_back(&property);
        continue;
      }
      const ast::Property*& first = seen[static_cast<std::size_t>(property.kind)];
      if (first != nullptr) {
        report(DiagnosticKind::DuplicateSetting, property.span,
               fmt::format("step '{}' gives '{}' twice", stmt.label.text, property_name(property.kind)))
            .notes.push_back({"first given here", at(first->span)});
      } else {
        first = &property;
      }
      if (property.kind == ast::PropertyKind::Text || property.kind == ast::PropertyKind::Script ||
          property.kind == ast::PropertyKind::Note) {
        check_merge_fields(property.text, ir.target, {});
      }
    }
    switch (stmt.kind) {
      case ast::StmtKind::Email: check_email(ir, node, seen, variants); break;
      case ast::StmtKind::Sms:
        if (seen[static_cast<std::size_t>(ast::PropertyKind::Text)] == nullptr && !has_syntax_error_in(stmt.span)) {
          report(DiagnosticKind::Syntax, stmt.label.span, fmt::format("sms step '{}' has no text", stmt.label.text))
              .help = "add `text \"...\"` inside the braces";
        }
        break;
      default: break;
    }
  }

  void check_template_use(SequenceIr& ir, IrNode& node, const ast::Name& name) {
    const auto item = resolve<ast::Template>(name, "template", Reference::Kind::Template);
    if (!item) return;
    if (node.email_template == nullptr) node.email_template = item.item;
    if (ir.target && item.item->entity.text != ir.target.item->name.text) {
      report(DiagnosticKind::TypeMismatch, name.span,
             fmt::format("template '{}' is written for {} records, but sequence '{}' targets {}", name.text,
                         item.item->entity.text, ir.sequence->name.text, ir.target.item->name.text))
          .notes.push_back({"the template is defined here", at(item.module, item.item->name.span)});
    }
  }

  void check_email(SequenceIr& ir, IrNode& node, const PropertySeen& seen,
                   const std::vector<const ast::Property*>& variants) {
    const ast::Stmt& stmt = *node.stmt;
    const ast::Property* single = seen[static_cast<std::size_t>(ast::PropertyKind::Template)];
    if (single == nullptr && variants.empty()) {
      if (has_syntax_error_in(stmt.span)) return;
      report(DiagnosticKind::Syntax, stmt.label.span, fmt::format("email step '{}' has no template", stmt.label.text))
          .help = "add `template NAME`, or A/B variants: `variant a 50% template T1  variant b 50% template T2`";
      return;
    }
    if (single != nullptr && !variants.empty()) {
      report(DiagnosticKind::Syntax, variants.front()->span,
             fmt::format("email step '{}' has both a template and variants; use one or the other", stmt.label.text))
          .notes.push_back({"the template", at(single->span)});
    }
    if (single != nullptr) check_template_use(ir, node, single->ref);
    if (variants.empty()) return;
    report_duplicates("variant", variants.size(), [&](std::size_t i) { return variants[i]->word; });
    int64_t total = 0;
    for (const ast::Property* variant : variants) {
      total += variant->percent;
      check_template_use(ir, node, variant->ref);
      if (variant->percent < 10 || variant->percent > 90) {
        report(DiagnosticKind::VariantSplit, variant->percent_span,
               fmt::format("variant '{}' gets {}% of sends; each variant needs between 10% and 90%", variant->word.text,
                           variant->percent));
      }
    }
    if (total != 100) {
      Diagnostic& diagnostic =
          report(DiagnosticKind::VariantSplit, stmt.label.span,
                 fmt::format("the variants of '{}' add up to {}%, not 100%", stmt.label.text, total));
      for (const ast::Property* variant : variants) {
        diagnostic.notes.push_back(
            {fmt::format("variant '{}': {}%", variant->word.text, variant->percent), at(variant->percent_span)});
      }
    }
  }
};

}  // namespace

CheckResult check(const Module& module) { return Checker(module).run(); }

const ResolvedMergeField* CheckResult::merge_field(const ast::MergeField& field) const {
  auto it = std::lower_bound(merge_fields.begin(), merge_fields.end(), field.span.begin,
                             [](const ResolvedMergeField& each, uint32_t at) { return each.field->span.begin < at; });
  return it != merge_fields.end() && it->field == &field ? &*it : nullptr;
}

const ResolvedMergeField* CheckResult::merge_field_at(uint32_t offset) const {
  auto it = std::upper_bound(merge_fields.begin(), merge_fields.end(), offset,
                             [](uint32_t at, const ResolvedMergeField& each) { return at < each.field->span.begin; });
  if (it == merge_fields.begin()) return nullptr;
  --it;
  return offset <= it->field->span.end ? &*it : nullptr;
}

namespace {

void check_once(const Module& module) {
  std::call_once(module.check_once, [&] {
    module.check_result = std::make_shared<const CheckResult>(check(module));
    module.check_done.store(true, std::memory_order_release);
  });
}

}  // namespace

const CheckResult& check_module(const Module& module) {
  if (!module.check_done.load(std::memory_order_acquire)) {
    // Imports first, deepest first, without recursion: checking a module
    // then finds every import's result ready, however long the chain.
    std::vector<const Module*> order;
    std::vector<std::pair<const Module*, std::size_t>> stack{{&module, 0}};
    std::set<const Module*> seen{&module};
    while (!stack.empty()) {
      auto& [current, next] = stack.back();
      if (next < current->imports.size()) {
        const Module* imported = current->imports[next++];
        if (imported != nullptr && !imported->check_done.load(std::memory_order_acquire) &&
            seen.insert(imported).second) {
          stack.emplace_back(imported, 0);
        }
        continue;
      }
      order.push_back(current);
      stack.pop_back();
    }
    for (const Module* each : order) check_once(*each);
  }
  check_once(module);
  return *module.check_result;
}

}  // namespace cadence
