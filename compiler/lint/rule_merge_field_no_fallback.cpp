// merge-field-no-fallback: a merge field of a field that may be empty, with
// no fallback (or a blank one), renders as nothing: the "Hi ," email.

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {
namespace {

/// The fields of a segment's own entity that its filter requires to be
/// filled: `FIELD is not null` among the conditions joined by `and` at its
/// top level.
void required_fields(const ast::Expr& expr, std::vector<std::string_view>& out) {
  if (expr.kind == ast::Expr::Kind::And) {
    for (const ast::Expr& operand : expr.operands) required_fields(operand, out);
  } else if (expr.kind == ast::Expr::Kind::IsNotNull && expr.links.empty()) {
    out.push_back(expr.field.text);
  }
}

/// What sends each piece of the module's text: for the text of a template,
/// the module's sequences whose email steps name it; for a step's own text,
/// its sequence. Items are in source order, as merge fields are, so one
/// walk pairs each merge field with its item.
class Senders {
 public:
  explicit Senders(const CheckResult& checked) {
    const ast::File& file = checked.module->parsed.file;
    std::unordered_map<std::string_view, std::size_t> templates;
    for (const ast::Template& item : file.templates) {
      templates.emplace(item.name.text, items_.size());
      items_.push_back({item.span, {}});
    }
    for (const SequenceIr& ir : checked.sequences) {
      items_.push_back({ir.sequence->span, {&ir}});
      for (const IrNode& node : ir.nodes) {
        if (node.kind != StepKind::Email || node.stmt == nullptr) continue;
        for (const ast::Property& property : node.stmt->properties) {
          if (property.kind != ast::PropertyKind::Template && property.kind != ast::PropertyKind::Variant) continue;
          auto it = templates.find(property.ref.text);
          if (it == templates.end()) continue;
          std::vector<const SequenceIr*>& senders = items_[it->second].senders;
          if (senders.empty() || senders.back() != &ir) senders.push_back(&ir);
        }
      }
    }
    std::sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) { return a.span.begin < b.span.begin; });
  }

  /// Whether every sequence that sends the text at `field` enrols only
  /// records whose segment requires the field (at least one sequence).
  bool field_required(const ResolvedMergeField& resolved) {
    const uint32_t at = resolved.field->span.begin;
    while (next_ < items_.size() && items_[next_].span.end <= at) ++next_;
    if (next_ == items_.size() || items_[next_].span.begin > at) return false;
    const std::vector<const SequenceIr*>& senders = items_[next_].senders;
    if (senders.empty()) return false;
    for (const SequenceIr* ir : senders) {
      if (ir->target.item != resolved.entity.item || !ir->segment || !ir->segment.item->filter) return false;
      std::vector<std::string_view> required;
      required_fields(*ir->segment.item->filter, required);
      if (std::find(required.begin(), required.end(), resolved.field->field.text) == required.end()) return false;
    }
    return true;
  }

 private:
  struct Item {
    Span span;
    std::vector<const SequenceIr*> senders;
  };
  std::vector<Item> items_;
  std::size_t next_ = 0;
};

}  // namespace

void merge_field_no_fallback(const LintContext& context) {
  // Merge fields were resolved once, by the checker.
  const Source* source = context.checked.module->source.get();
  const std::string& fallback_less = context.options.targets_without_fallbacks;
  Senders senders(context.checked);
  for (const ResolvedMergeField& resolved : context.checked.merge_fields) {
    const ast::MergeField& field = *resolved.field;
    if (resolved.definition == nullptr || !resolved.definition->nullable) continue;
    // A fallback of only blanks is no fallback: the text still reads "Hi ,".
    const bool blank = field.fallback && field.fallback->find_first_not_of(" \t\r\n") == std::string::npos;
    if (field.fallback && !blank) continue;
    // A segment that requires the field leaves it never empty.
    if (senders.field_required(resolved)) continue;
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
    if (fallback_less.empty()) {
      diagnostic.help = fmt::format(
          "{} a fallback that reads well in the sentence: {{{{{}.{} | \"...\"}}}}, or "
          "require the field in the segment of the sequences that send it "
          "(`where {} is not null`)",
          blank ? "write" : "add", field.entity.text, field.field.text, field.field.text);
    } else {
      // A fallback would be dropped by the target (target-approximated):
      // the one fix that it runs is to enrol only records that have it.
      diagnostic.help = fmt::format(
          "{} drops merge-field fallbacks: require the field in the segment of the sequences that send this text "
          "(`where {} is not null`){}",
          fallback_less, field.field.text, blank ? ", and remove the blank fallback" : "");
    }
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
    "Add a fallback: `{{lead.firstname | \"there\"}}`, or enrol only records that have the field: a segment "
    "with `where firstname is not null` (joined by `and` at the top of its filter) for every sequence that "
    "sends the text. With an export target that drops fallbacks (every one Cadence exports to), the segment "
    "is the fix that the platform runs.",
    Preamble::Lead};

}  // namespace cadence::rules
