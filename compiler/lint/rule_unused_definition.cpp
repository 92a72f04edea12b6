// unused-definition: a template, segment or entity nothing uses is dead
// weight, or a sign that a step uses the wrong one. Uses in any file checked
// in the same run count, and files without sequences (shared libraries of
// templates) are not reported, since others import them.

#include <algorithm>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence::rules {

void collect_definitions(const CheckResult& checked, RunFacts& facts) {
  facts.module_path = checked.module->path.string();
  std::vector<const Module*> modules;
  for (const Reference& reference : checked.references) {
    if (reference.definition_module == nullptr) continue;
    auto it = std::find(modules.begin(), modules.end(), reference.definition_module);
    if (it == modules.end()) it = modules.insert(modules.end(), reference.definition_module);
    facts.uses.emplace_back(static_cast<uint32_t>(it - modules.begin()), reference.definition.begin);
  }
  for (const Module* module : modules) facts.used_modules.push_back(module->path.string());
  std::sort(facts.uses.begin(), facts.uses.end());
  facts.uses.erase(std::unique(facts.uses.begin(), facts.uses.end()), facts.uses.end());
  facts.uses.shrink_to_fit();
  const ast::File& file = checked.module->parsed.file;
  if (file.sequences.empty()) return;
  // A definition this file uses is used; only the others are left for the
  // files of the run to decide.
  const auto own = std::find(modules.begin(), modules.end(), checked.module);
  const auto own_index = static_cast<uint32_t>(own - modules.begin());
  auto add = [&](std::string_view what, const ast::Name& name) {
    if (name.empty()) return;
    if (own != modules.end() && std::binary_search(facts.uses.begin(), facts.uses.end(),
                                                   std::pair<uint32_t, uint32_t>{own_index, name.span.begin})) {
      return;
    }
    facts.definitions.push_back({what, std::string(name.text), name.span});
  };
  for (const ast::Entity& entity : file.entities) add("entity", entity.name);
  for (const ast::Template& item : file.templates) add("template", item.name);
  for (const ast::Segment& segment : file.segments) add("segment", segment.name);
}

void unused_definition(const std::vector<const RunFacts*>& files, const SourceOfFacts& source_of,
                       DiagnosticConsumer& out) {
  // Module paths are long and share their directories: each is numbered once,
  // and a use is the pair (module number, offset) packed in one integer.
  std::unordered_map<std::string_view, uint32_t> number_of;
  auto number = [&](std::string_view path) {
    return number_of.try_emplace(path, static_cast<uint32_t>(number_of.size())).first->second;
  };
  auto key = [](uint32_t module, uint32_t offset) { return uint64_t{module} << 32 | offset; };
  std::vector<uint64_t> used;
  std::vector<uint32_t> numbers;
  for (const RunFacts* facts : files) {
    numbers.clear();
    for (const std::string& path : facts->used_modules) numbers.push_back(number(path));
    for (const auto& [module, offset] : facts->uses) used.push_back(key(numbers[module], offset));
  }
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  for (const RunFacts* facts : files) {
    if (facts->definitions.empty()) continue;
    const uint32_t own = number(facts->module_path);
    for (const RunFacts::Definition& definition : facts->definitions) {
      if (std::binary_search(used.begin(), used.end(), key(own, definition.at.begin))) continue;
      Diagnostic diagnostic =
          make_diagnostic(DiagnosticKind::UnusedDefinition, Location{source_of(*facts), definition.at},
                          fmt::format("{} '{}' is never used", definition.what, definition.name));
      diagnostic.help = "remove it, or use it from a sequence";
      out.consume(std::move(diagnostic));
    }
  }
}

// The explanation `cadence explain unused-definition` prints and docs/rules/unused-definition.md shows.
const Explanation unused_definition_explanation = Explanation{
    "A template, segment or entity that no sequence, template or segment uses, in any file checked in the same "
    "run. Files that define no sequence (shared libraries) are not reported.",
    "Dead definitions confuse reviewers, and an unused template often means a step uses the wrong one.",
    R"cadence(import "std/lead"
template t for lead { subject "Hi {{lead.firstname | "there"}}" body "..." }
template old_intro for lead { subject "Hello" body "..." }

sequence s {
  target lead
  email intro { template t }
})cadence",
    "Remove it, or use it."};

}  // namespace cadence::rules
