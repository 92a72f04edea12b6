#include "lsp/cursor.hpp"

#include "lsp/protocol.hpp"

namespace cadence::lsp {

CursorTarget target_at(const FileReport& report, uint32_t offset) {
  CursorTarget target;
  if (report.module == nullptr || report.module->unreadable) return target;
  const Module& module = *report.module;
  for (const Suppression& suppression : find_suppressions(*module.source)) {
    for (const auto& entry : suppression.names) {
      if (!touches(entry.span, offset)) continue;
      target.kind = CursorTarget::Kind::SuppressionName;
      target.at = entry.span;
      target.suppression = entry.name;
      return target;
    }
  }
  const CheckResult* checked = report.checked.get();
  if (checked == nullptr) return target;
  // A field name inside a merge field is a reference too; the whole merge
  // field answers hover, its field part navigation.
  for (const Reference& reference : checked->references) {
    if (!touches(reference.use, offset)) continue;
    target.kind = CursorTarget::Kind::Name;
    target.at = reference.use;
    target.reference = reference.kind;
    target.module = reference.definition_module;
    target.definition = reference.definition;
    target.merge_field = checked->merge_field_at(offset);
    return target;
  }
  if (const ResolvedMergeField* field = checked->merge_field_at(offset)) {
    target.kind = CursorTarget::Kind::MergeField;
    target.at = field->field->span;
    target.merge_field = field;
    return target;
  }
  for (const Declaration& declaration : checked->declarations) {
    if (declaration.span.begin > offset) break;  // in source order
    if (!touches(declaration.name->span, offset)) continue;
    target.kind = CursorTarget::Kind::Name;
    target.at = declaration.name->span;
    target.reference = declaration.kind;
    target.module = &module;
    target.definition = declaration.name->span;
    return target;
  }
  return target;
}

}  // namespace cadence::lsp
