// merge-field-no-fallback: a merge field of a field that may be empty, with
// no fallback (or a blank one), renders as nothing: the "Hi ," email.

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void merge_field_no_fallback(const LintContext& context) {
  // Merge fields were resolved once, by the checker.
  const Source* source = context.checked.module->source.get();
  for (const ResolvedMergeField& resolved : context.checked.merge_fields) {
    const ast::MergeField& field = *resolved.field;
    if (resolved.definition == nullptr || !resolved.definition->nullable) continue;
    // A fallback of only blanks is no fallback: the text still reads "Hi ,".
    const bool blank = field.fallback && field.fallback->find_first_not_of(" \t\r\n") == std::string::npos;
    if (field.fallback && !blank) continue;
    Diagnostic diagnostic = make_diagnostic(
        DiagnosticKind::MergeFieldNoFallback, Location{source, field.span},
        blank ? fmt::format("'{}.{}' may be empty, and this merge field's fallback is blank: the text would read "
                            "as if the word were missing",
                            field.entity.text, field.field.text)
              : fmt::format("'{}.{}' may be empty, and this merge field has no fallback: the text would read as if "
                            "the word were missing",
                            field.entity.text, field.field.text));
    diagnostic.notes.push_back({fmt::format("'{}' is declared as possibly empty here", resolved.definition->name.text),
                                Location{resolved.entity.module->source.get(), resolved.definition->name.span}});
    diagnostic.help = fmt::format("{} a fallback that reads well in the sentence: {{{{{}.{} | \"...\"}}}}",
                                  blank ? "write" : "add", field.entity.text, field.field.text);
    context.out.consume(std::move(diagnostic));
  }
}

// The explanation `cadence explain merge-field-no-fallback` prints and docs/rules/merge-field-no-fallback.md shows.
const Explanation merge_field_no_fallback_explanation = Explanation{
    "A merge field of a field that may be empty (marked `?` in its entity) has no fallback, or a "
    "fallback of only blanks (`{{lead.firstname | \"\"}}`).",
    "When the field is empty the text reads \"Hi ,\": the tell-tale of a mass email.",
    R"cadence(template intro for lead {
  subject "Hi {{lead.firstname}}"   // firstname may be empty
  body "..."
}

sequence s {
  target lead
  email intro { template intro }
})cadence",
    "Add a fallback: `{{lead.firstname | \"there\"}}`.", Preamble::Lead};

}  // namespace cadence::rules
