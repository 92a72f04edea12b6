// unused-definition: a template, segment or entity nothing uses is dead
// weight, or a sign that a step uses the wrong one. Uses in any file checked
// in the same run count, and files without sequences (shared libraries of
// templates) are not reported, since others import them.

#include <set>
#include <utility>

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void unused_definition(const std::vector<const CheckResult*>& modules, DiagnosticConsumer& out) {
  std::set<std::pair<const Module*, uint32_t>> used;
  for (const CheckResult* checked : modules) {
    for (const Reference& reference : checked->references) {
      used.insert({reference.definition_module, reference.definition.begin});
    }
  }
  for (const CheckResult* checked : modules) {
    const ast::File& file = checked->module->parsed.file;
    if (file.sequences.empty()) continue;
    const Source* source = checked->module->source.get();
    auto report = [&](std::string_view what, const ast::Name& name) {
      if (name.empty() || used.contains({checked->module, name.span.begin})) return;
      Diagnostic diagnostic = make_diagnostic(DiagnosticKind::UnusedDefinition, Location{source, name.span},
                                              fmt::format("{} '{}' is never used", what, name.text));
      diagnostic.help = fmt::format("remove it, or use it from a sequence");
      out.consume(std::move(diagnostic));
    };
    for (const ast::Entity& entity : file.entities) report("entity", entity.name);
    for (const ast::Template& item : file.templates) report("template", item.name);
    for (const ast::Segment& segment : file.segments) report("segment", segment.name);
  }
}

}  // namespace cadence::rules
