// What the three missing-handler rules share: find sequences without a
// handler for an event and offer to insert one.

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void report_missing_handler(const LintContext& context, DiagnosticKind kind, std::string_view event, bool needs_pause,
                            std::string_view handler_text, std::string_view consequence, bool safe_fix) {
  for (const SequenceIr& ir : context.checked.sequences) {
    bool handled = false;
    for (const ast::Handler* handler : ir.handlers) {
      if (handler->event.text == event && handler->is_pause == needs_pause) handled = true;
    }
    if (handled) continue;
    Diagnostic diagnostic =
        make_diagnostic(kind, Location{ir.module->source.get(), ir.sequence->name.span},
                        fmt::format("sequence '{}' has no `on {} {}` handler: {}", ir.sequence->name.text, event,
                                    needs_pause ? "pause" : "exit", consequence));
    diagnostic.help = fmt::format("add `{}`", handler_text);
    diagnostic.fixes.push_back(insert_handler_fix(ir, handler_text, safe_fix));
    context.out.consume(std::move(diagnostic));
  }
}

}  // namespace cadence::rules
