// textDocument/hover: what a name, merge field or suppressed diagnostic is.

#include <fmt/format.h>

#include "cadence/vocabulary.hpp"
#include "lint/lint.hpp"
#include "lsp/cursor.hpp"
#include "lsp/server.hpp"
#include "support/duration.hpp"

namespace cadence::lsp {
namespace {

/// A time after enrolment: `0` at enrolment itself.
std::string after_enrolment(int64_t minutes) { return minutes == 0 ? std::string("0") : duration_text(minutes); }

std::string_view type_name(ast::FieldType type) { return vocabulary::kFieldTypes[static_cast<std::size_t>(type)]; }

/// The hover text of a step: when it is due and where it is reached from.
std::string step_text(const SequenceIr& ir, uint32_t i) {
  const IrNode& node = ir.nodes[i];
  std::string text = fmt::format("**{}** `{}` in sequence `{}`", step_kind_name(node.kind), node.stmt->label.text,
                                 ir.sequence->name.text);
  if (!ir.reachable[i]) {
    text += "\n\nNever runs: nothing leads to it.";
  } else {
    const Timing& timing = ir.timing[i];
    const std::string when =
        timing.latest == 0 ? std::string("at enrolment")
        : timing.earliest == timing.latest
            ? fmt::format("{} after enrolment", after_enrolment(timing.earliest))
            : fmt::format("{} to {} after enrolment", after_enrolment(timing.earliest), after_enrolment(timing.latest));
    text += fmt::format("\n\nDue {}{}.", when, ir.business_calendar && timing.latest > 0 ? " (business days)" : "");
    std::vector<std::string> from;
    for (uint32_t p : node.predecessors) {
      if (!ir.reachable[p]) continue;
      std::string arm;
      for (const Edge& edge : ir.nodes[p].successors) {
        if (edge.target == i && edge.arm != "next") arm = fmt::format(" ({} arm)", edge.arm);
      }
      from.push_back(fmt::format("{}{}", describe_node(ir, p), arm));
    }
    if (!from.empty()) {
      text += "\n\nReached from: ";
      for (std::size_t k = 0; k < from.size(); ++k) text += (k > 0 ? ", " : "") + from[k];
    } else {
      text += "\n\nThe first step.";
    }
  }
  if (node.email_template != nullptr && !node.email_template->subjects.empty()) {
    text += fmt::format("\n\nTemplate `{}`: \"{}\"", node.email_template->name.text,
                        node.email_template->subjects.front().value);
  }
  return text;
}

}  // namespace

Json Server::hover(const Json& params) {
  Document* document = analysed_from(params);
  const FileReport* report = document == nullptr ? nullptr : document->report();
  if (report == nullptr || report->module == nullptr) return nullptr;
  const Source& source = *report->module->source;
  const CursorTarget target = target_at(*report, source_offset(*document, require(params, "position")));
  auto answer = [&](std::string markdown, Span span) {
    return Json{{"contents", {{"kind", "markdown"}, {"value", std::move(markdown)}}},
                {"range", range_of(Location{&source, span})}};
  };
  switch (target.kind) {
    case CursorTarget::Kind::Nothing: return nullptr;
    case CursorTarget::Kind::SuppressionName: {
      const auto kind = find_diagnostic_kind(target.suppression);
      if (!kind) return answer(fmt::format("`{}` is not a diagnostic name", target.suppression), target.at);
      const DiagnosticInfo& info = diagnostic_info(*kind);
      return answer(fmt::format("**{}** ({}, {})\n\n{}", info.name, info.code, severity_name(info.default_severity),
                                info.summary),
                    target.at);
    }
    case CursorTarget::Kind::MergeField:
    case CursorTarget::Kind::Name: break;
  }
  if (const ResolvedMergeField* resolved = target.merge_field; resolved != nullptr && resolved->definition != nullptr) {
    const ast::MergeField& field = *resolved->field;
    return answer(
        fmt::format("`{}.{}`: {}{}{}", field.entity.text, field.field.text, type_name(resolved->definition->type),
                    resolved->definition->nullable ? " (may be empty)" : " (never empty)",
                    field.fallback ? fmt::format("; fallback \"{}\"", *field.fallback) : std::string()),
        field.span);
  }
  if (target.kind != CursorTarget::Kind::Name || target.module == nullptr) return nullptr;
  const CheckResult& checked = *report->checked;
  const std::string_view name = target.module->source->text().substr(target.definition.begin, target.definition.size());
  switch (target.reference) {
    case Reference::Kind::Step:
      for (const SequenceIr& ir : checked.sequences) {
        for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
          const IrNode& node = ir.nodes[i];
          if (node.stmt != nullptr && node.stmt->label.span.begin == target.definition.begin) {
            return answer(step_text(ir, i), target.at);
          }
        }
      }
      return nullptr;
    case Reference::Kind::Template: {
      const auto found = checked.scope.find<ast::Template>(name);
      if (!found) return nullptr;
      const ast::Template& item = *found.item;
      return answer(fmt::format("**template** `{}` for `{}`\n\nSubject: \"{}\"", item.name.text, item.entity.text,
                                item.subjects.empty() ? std::string() : item.subjects.front().value),
                    target.at);
    }
    case Reference::Kind::Field: {
      // The field's (or link's) declaration, in an entity or extension of
      // the module that defines it.
      const ast::File& file = target.module->parsed.file;
      for (const auto* items : {&file.entities, &file.extensions}) {
        for (const ast::Entity& entity : *items) {
          for (const ast::Field& field : entity.fields) {
            if (field.name.span.begin != target.definition.begin) continue;
            return answer(
                fmt::format("**field** `{}.{}`: {}{}{}", entity.name.text, name, type_name(field.type),
                            field.nullable ? " (may be empty)" : "",
                            field.column.empty() ? std::string() : fmt::format(", column `{}`", field.column.text)),
                target.at);
          }
          for (const ast::Link& link : entity.links) {
            if (link.name.span.begin != target.definition.begin) continue;
            return answer(fmt::format("**link** `{}.{}` to `{}`, by the lookup column `{}`", entity.name.text, name,
                                      link.entity.text, link.column.text),
                          target.at);
          }
        }
      }
      return nullptr;
    }
    default: {
      static constexpr const char* kWords[] = {"entity", "template", "segment", "sequence", "step", "field"};
      return answer(fmt::format("**{}** `{}` ({})", kWords[static_cast<int>(target.reference)], name,
                                target.module->source->path()),
                    target.at);
    }
  }
}

}  // namespace cadence::lsp
