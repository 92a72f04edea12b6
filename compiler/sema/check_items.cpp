// The checker: entities, their extensions, templates and merge fields.
#include "sema/checker.hpp"

namespace cadence::checking {

void Checker::check_entity(const ast::Entity& entity) {
  const std::size_t fields = entity.fields.size();
  report_duplicates("field or link", fields + entity.links.size(),
                    [&](std::size_t i) { return i < fields ? entity.fields[i].name : entity.links[i - fields].name; });
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

void Checker::check_extension(const ast::Entity& extension) {
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

Checker::ExtensionIndex& Checker::extension_index(const ItemRef<ast::Entity>& base) {
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

const Checker::MemberIndex& Checker::member_index(const ItemRef<ast::Entity>& entity) const {
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

FieldRef Checker::find_field(const ItemRef<ast::Entity>& entity, std::string_view name,
                             std::vector<std::string_view>* names) const {
  const auto [field, module] = find_member<ast::Field>(entity, name, names);
  return {field, module};
}

Checker::LinkRef Checker::find_link(const ItemRef<ast::Entity>& entity, std::string_view name,
                                    std::vector<std::string_view>* names) const {
  const auto [link, module] = find_member<ast::Link>(entity, name, names);
  return {link, module};
}

void Checker::check_merge_fields(const ast::StringLiteral& text, ItemRef<ast::Entity> entity,
                                 std::string_view context) {
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

void Checker::no_merge_fields(const ast::StringLiteral& text, std::string_view context) {
  check_merge_fields(text, {}, context);
}

void Checker::check_template(const ast::Template& item) {
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

}  // namespace cadence::checking
