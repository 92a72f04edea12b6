// merge-field-no-fallback: a merge field of a field that may be empty, with
// no fallback, renders as nothing: the "Hi ," email.

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {
namespace {

void check_text(const LintContext& context, const ast::StringLiteral& text) {
  const Source* source = context.checked.module->source.get();
  for (const ast::MergeField& field : text.merge_fields) {
    if (field.fallback) continue;
    auto entity = context.checked.scope.entities.find(field.entity.text);
    if (entity == context.checked.scope.entities.end()) continue;
    for (const ast::Field& candidate : entity->second.item->fields) {
      if (candidate.name.text != field.field.text || !candidate.nullable) continue;
      Diagnostic diagnostic = make_diagnostic(
          DiagnosticKind::MergeFieldNoFallback, Location{source, field.span},
          fmt::format("'{}.{}' may be empty, and this merge field has no fallback: the text would read as if "
                      "the word were missing",
                      field.entity.text, field.field.text));
      diagnostic.notes.push_back({fmt::format("'{}' is declared as possibly empty here", candidate.name.text),
                                  Location{entity->second.module->source.get(), candidate.name.span}});
      diagnostic.help = fmt::format("add a fallback: {{{{{}.{} | \"...\"}}}}", field.entity.text, field.field.text);
      context.out.consume(std::move(diagnostic));
    }
  }
}

}  // namespace

void merge_field_no_fallback(const LintContext& context) {
  const ast::File& file = context.checked.module->parsed.file;
  for (const ast::Template& item : file.templates) {
    for (const auto& subject : item.subjects) check_text(context, subject);
    for (const auto& body : item.bodies) check_text(context, body);
  }
  for (const SequenceIr& ir : context.checked.sequences) {
    for (const IrNode& node : ir.nodes) {
      if (node.stmt == nullptr) continue;
      for (const ast::Property& property : node.stmt->properties) check_text(context, property.text);
    }
  }
}

}  // namespace cadence::rules
