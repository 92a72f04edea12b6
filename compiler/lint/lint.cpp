#include "lint/lint.hpp"

#include <map>

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "lint/rules.hpp"

namespace cadence {
namespace {

// The per-module rules, in table order: the Module rows of diagnostics.def.
constexpr LintRule kRules[] = {
#define CADENCE_DIAGNOSTIC(identifier, name, code, severity, summary)
#define CADENCE_LINT_RULE_Module(identifier, rule) LintRule{DiagnosticKind::identifier, rules::rule},
#define CADENCE_LINT_RULE_Run(identifier, rule)
#define CADENCE_LINT_RULE_Target(identifier, rule)
#define CADENCE_LINT(identifier, name, code, severity, summary, rule, scope) CADENCE_LINT_RULE_##scope(identifier, rule)
#include "diag/diagnostics.def"
#undef CADENCE_LINT
#undef CADENCE_LINT_RULE_Run
#undef CADENCE_LINT_RULE_Target
#undef CADENCE_LINT_RULE_Module
#undef CADENCE_DIAGNOSTIC
};

}  // namespace

std::span<const LintRule> lint_rules() { return kRules; }

void lint_module(const CheckResult& checked, const LintOptions& options, DiagnosticConsumer& out) {
  const LintContext context{checked, options, out};
  for (const LintRule& rule : kRules) rule.run(context);
}

RunFacts collect_run_facts(const CheckResult& checked, const LintOptions& options) {
  RunFacts facts;
  facts.source = checked.module->source;
  rules::collect_email_loads(checked, options, facts);
  rules::collect_definitions(checked, facts);
  for (const SequenceIr& ir : checked.sequences)
    facts.sequences.push_back({std::string(ir.sequence->name.text), ir.sequence->name.span});
  return facts;
}

bool RunFacts::open() const {
  if (!definitions.empty() || may_share_a_name) return true;
  return std::any_of(email_loads.begin(), email_loads.end(), [](const EmailLoad& load) { return !load.team.empty(); });
}

void lint_file_facts(const RunFacts& facts, DiagnosticConsumer& out) {
  const SourceOfFacts own = [](const RunFacts& of) { return of.source.get(); };
  rules::limit_above_ceiling(facts, own, out);
  rules::throttle_overrun({&facts}, own, out, rules::Teams::Solo);
}

namespace {

/// A sequence name defined in two files of a project: runtimes, reports and
/// hand-offs know a sequence by its name, so each definition the run reports
/// on is an error, with a note at the others.
void duplicate_sequences(const std::vector<const RunFacts*>& files, const SourceOfFacts& source_of,
                         DiagnosticConsumer& out) {
  struct Definition {
    const RunFacts* file;
    const RunFacts::SequenceName* sequence;
  };
  // Per project: the same name in two projects is two sequences.
  std::map<std::pair<std::string_view, std::string_view>, std::vector<Definition>> by_name;
  for (const RunFacts* facts : files) {
    for (const RunFacts::SequenceName& sequence : facts->sequences)
      by_name[{facts->project, sequence.name}].push_back({facts, &sequence});
  }
  for (const auto& [key, definitions] : by_name) {
    const std::string_view name = key.second;
    if (definitions.size() < 2) continue;
    for (const Definition& definition : definitions) {
      if (!definition.file->reported || !definition.file->may_share_a_name) continue;
      std::vector<Location> others;
      for (const Definition& other : definitions) {
        if (&other != &definition) others.push_back({source_of(*other.file), other.sequence->at});
      }
      out.consume(duplicate_sequence(name, Location{source_of(*definition.file), definition.sequence->at}, others));
    }
  }
}

}  // namespace

Diagnostic duplicate_sequence(std::string_view name, const Location& at, const std::vector<Location>& others) {
  Diagnostic diagnostic = make_diagnostic(
      DiagnosticKind::DuplicateDefinition, at,
      fmt::format("sequence '{}' is defined in {} files of the project; plans, reports and hand-offs know a "
                  "sequence by its name",
                  name, others.size() + 1));
  for (const Location& other : others)
    diagnostic.notes.push_back({fmt::format("'{}' is also defined here", name), other});
  diagnostic.help = "rename one of them, or delete the copy";
  return diagnostic;
}

std::vector<Diagnostic> duplicates_in_project(const Module& module) {
  std::vector<Diagnostic> found;
  if (module.workspace == nullptr) return found;
  for (const ast::Sequence& sequence : module.parsed.file.sequences) {
    std::vector<Location> others;
    for (const std::filesystem::path& path :
         module.workspace->files_mentioning_sequence(module.path, sequence.name.text)) {
      if (module.workspace->same_file(path, module.path)) continue;
      const std::shared_ptr<const Module> other = module.workspace->load(path);
      for (const ast::Sequence& candidate : other->parsed.file.sequences) {
        // The workspace keeps the module (and its text) while the diagnostic is shown.
        if (candidate.name.text == sequence.name.text) others.push_back({other->source.get(), candidate.name.span});
      }
    }
    if (!others.empty())
      found.push_back(duplicate_sequence(sequence.name.text, {module.source.get(), sequence.name.span}, others));
  }
  return found;
}

void lint_run(const std::vector<const RunFacts*>& files, DiagnosticConsumer& out, const SourceOfFacts& source_of) {
  const SourceOfFacts own = [](const RunFacts& facts) { return facts.source.get(); };
  rules::throttle_overrun(files, source_of ? source_of : own, out, rules::Teams::Shared);
  rules::unused_definition(files, source_of ? source_of : own, out);
  duplicate_sequences(files, source_of ? source_of : own, out);
}

Location node_location(const SequenceIr& ir, uint32_t node) {
  const ast::Stmt* stmt = ir.nodes[node].stmt;
  return {ir.module->source.get(), stmt != nullptr ? stmt->span : ir.sequence->name.span};
}

Location node_label_location(const SequenceIr& ir, uint32_t node) {
  const ast::Stmt* stmt = ir.nodes[node].stmt;
  if (stmt != nullptr && !stmt->label.empty()) return {ir.module->source.get(), stmt->label.span};
  return node_location(ir, node);
}

std::string describe_node(const SequenceIr& ir, uint32_t node) {
  const IrNode& n = ir.nodes[node];
  if (is_activity(n.kind) && n.stmt != nullptr) {
    if (n.kind == StepKind::Linkedin)
      return fmt::format("linkedin {} '{}'", n.stmt->linkedin_kind.text, n.stmt->label.text);
    return fmt::format("{} '{}'", step_kind_name(n.kind), n.stmt->label.text);
  }
  if (n.stmt == nullptr) return "the end of the sequence";
  const HumanPosition position = ir.module->source->human_position(n.stmt->span.begin);
  return fmt::format("the {} at line {}", n.kind == StepKind::OutcomeBranch ? "branch" : step_kind_name(n.kind),
                     position.line);
}

const ast::Handler* exit_handler(const SequenceIr& ir, std::string_view event) {
  for (const ast::Handler* handler : ir.handlers) {
    if (handler->event.text == event && !handler->is_pause) return handler;
  }
  return nullptr;
}

bool implies_signal(const ast::Expr& condition, std::string_view signal) {
  switch (condition.kind) {
    case ast::Expr::Kind::Signal: return condition.signal.text == signal;
    case ast::Expr::Kind::And:
      for (const ast::Expr& operand : condition.operands) {
        if (implies_signal(operand, signal)) return true;
      }
      return false;
    case ast::Expr::Kind::Or:
      for (const ast::Expr& operand : condition.operands) {
        if (!implies_signal(operand, signal)) return false;
      }
      return !condition.operands.empty();
    default: return false;
  }
}

bool implies_reply(const ast::Expr& condition) { return implies_signal(condition, "replied"); }

Fix insert_handler_fix(const SequenceIr& ir, std::string_view handler_text, bool safe) {
  const Source& source = *ir.module->source;
  const std::string_view text = source.text();
  uint32_t anchor = 0;
  for (const ast::Setting& setting : ir.sequence->settings) anchor = std::max(anchor, setting.span.end);
  for (const ast::Handler& handler : ir.sequence->handlers) anchor = std::max(anchor, handler.span.end);
  std::string indent = "  ";
  if (anchor == 0) {
    // No settings or handlers: right after the sequence's opening brace.
    anchor = ir.sequence->name.span.end;
    while (anchor < text.size() && text[anchor] != '{') ++anchor;
    if (anchor < text.size()) ++anchor;
  } else {
    const std::string_view line = source.line_text(source.line_of(anchor));
    indent = std::string(line.substr(0, line.find_first_not_of(" \t")));
  }
  return Fix{fmt::format("add `{}`", handler_text),
             {Edit{Location{&source, {anchor, anchor}}, fmt::format("\n{}{}", indent, handler_text)}},
             safe};
}

}  // namespace cadence
