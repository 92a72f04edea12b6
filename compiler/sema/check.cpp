#include "sema/check.hpp"

#include "sema/checker.hpp"

namespace cadence::checking {

CheckResult Checker::run() {
  if (!module_.unreadable) {
    check_imported_modules();
    build_scope();
    for (const ast::Entity& entity : file_.entities) check_entity(entity);
    for (const ast::Entity& extension : file_.extensions) check_extension(extension);
    for (const ast::Template& item : file_.templates) check_template(item);
    for (const ast::Segment& segment : file_.segments) check_segment(segment);
    for (const ast::Sequence& sequence : file_.sequences) check_sequence(sequence);
    drop_findings_in_unread_code();
  }
  result_.error_count =
      static_cast<std::size_t>(std::count_if(result_.diagnostics.begin(), result_.diagnostics.end(),
                                             [](const Diagnostic& d) { return d.severity == Severity::Error; })) +
      result_.omitted_errors;
  result_.scope = std::move(scope_);
  declare_names();
  // Strings are checked item by item; readers look merge fields up by position.
  auto by_position = [](const ResolvedMergeField& a, const ResolvedMergeField& b) {
    return a.field->span.begin < b.field->span.begin;
  };
  if (!std::is_sorted(result_.merge_fields.begin(), result_.merge_fields.end(), by_position)) {
    std::sort(result_.merge_fields.begin(), result_.merge_fields.end(), by_position);
  }
  return std::move(result_);
}

void Checker::declare_names() {
  auto add = [&](Reference::Kind kind, const ast::Name& name, Span span, std::string_view container,
                 std::string_view detail) {
    if (!name.empty()) result_.declarations.push_back({kind, &name, span, container, detail});
  };
  for (const auto& item : file_.entities) {
    add(Reference::Kind::Entity, item.name, item.span, {}, "entity");
    for (const auto& field : item.fields) {
      add(Reference::Kind::Field, field.name, field.name.span, item.name.text,
          vocabulary::kFieldTypes[static_cast<std::size_t>(field.type)]);
    }
  }
  for (const auto& item : file_.extensions) {
    for (const auto& field : item.fields) {
      add(Reference::Kind::Field, field.name, field.name.span, item.name.text,
          vocabulary::kFieldTypes[static_cast<std::size_t>(field.type)]);
    }
  }
  for (const auto& item : file_.templates) add(Reference::Kind::Template, item.name, item.span, {}, item.entity.text);
  for (const auto& item : file_.segments) add(Reference::Kind::Segment, item.name, item.span, {}, item.entity.text);
  // Each sequence, then its steps (nodes are made in source order).
  auto ir = result_.sequences.begin();
  for (const auto& item : file_.sequences) {
    add(Reference::Kind::Sequence, item.name, item.span, {}, "sequence");
    for (; ir != result_.sequences.end() && ir->sequence == &item; ++ir) {
      for (const IrNode& node : ir->nodes) {
        if (node.stmt == nullptr || !is_activity(node.kind)) continue;
        add(Reference::Kind::Step, node.stmt->label, node.stmt->span, item.name.text, step_kind_name(node.kind));
      }
    }
  }
  // Files usually define items before the sequences that use them, so the
  // list is mostly in order already: sort only when it is not.
  auto by_position = [](const Declaration& a, const Declaration& b) { return a.span.begin < b.span.begin; };
  if (!std::is_sorted(result_.declarations.begin(), result_.declarations.end(), by_position)) {
    std::sort(result_.declarations.begin(), result_.declarations.end(), by_position);
  }
}

bool Checker::has_syntax_error_in(Span span) const {
  for (const Diagnostic& d : module_.diagnostics) {
    if (d.kind == DiagnosticKind::Syntax && d.location.span.begin >= span.begin && d.location.span.begin <= span.end) {
      return true;
    }
  }
  return false;
}

Diagnostic& Checker::report(DiagnosticKind kind, Span span, std::string message) {
  if (result_.diagnostics.size() >= kMaxDiagnosticsPerFile) {
    // Over the limit: counted, and filled in a scratch diagnostic nobody sees.
    ++result_.omitted;
    if (diagnostic_info(kind).default_severity == Severity::Error) ++result_.omitted_errors;
    overflow_ = make_diagnostic(kind, at(span), std::string());
    return overflow_;
  }
  result_.diagnostics.push_back(make_diagnostic(kind, at(span), std::move(message)));
  return result_.diagnostics.back();
}

void Checker::report_unknown(std::string_view what, const ast::Name& name,
                             const std::vector<std::string_view>& candidates, std::string_view context) {
  // Past the cap the diagnostic is only counted: no suggestion to look for.
  const bool kept = result_.diagnostics.size() < kMaxDiagnosticsPerFile;
  const auto suggestion = kept ? closest_name(name.text, candidates) : std::nullopt;
  std::string message = fmt::format("unknown {} '{}'{}", what, name.text, context);
  if (suggestion) message += fmt::format("; did you mean '{}'?", *suggestion);
  Diagnostic& diagnostic = report(DiagnosticKind::UnknownName, name.span, std::move(message));
  if (suggestion) {
    diagnostic.help = fmt::format("did you mean '{}'?", *suggestion);
    diagnostic.fixes.push_back(
        Fix{fmt::format("replace '{}' with '{}'", name.text, *suggestion), {Edit{at(name.span), *suggestion}}, true});
  } else if (!candidates.empty()) {
    diagnostic.help = fmt::format("known {}: {}", what == "entity" ? std::string("entities") : std::string(what) + "s",
                                  list_names(candidates));
  }
}

bool Checker::resolve_in_project(const ast::Name& name) {
  if (module_.workspace == nullptr) return false;
  result_.looked_in_project = true;
  result_.project_lookups.emplace_back(name.text);
  for (const std::filesystem::path& path : module_.workspace->files_mentioning_sequence(module_.path, name.text)) {
    if (module_.workspace->same_file(path, module_.path)) continue;
    const std::shared_ptr<const Module> other = module_.workspace->load_handoff_target(module_.path, path);
    if (other->unreadable) continue;
    for (const ast::Sequence& sequence : other->parsed.file.sequences) {
      if (sequence.name.text != name.text) continue;
      result_.references.push_back({Reference::Kind::Sequence, name.span, other.get(), sequence.name.span});
      return true;
    }
  }
  result_.project_lookup_failed = true;
  return false;
}

void Checker::check_imported_modules() {
  for (std::size_t i = 0; i < module_.imports.size(); ++i) {
    const Module* imported = module_.imports[i];
    if (imported == nullptr || imported->error_count > 0) continue;  // already reported
    const CheckResult& inner = check_module(*imported);
    if (inner.error_count == 0) continue;
    Diagnostic& diagnostic = report(DiagnosticKind::ImportError, file_.imports[i].path.span,
                                    fmt::format("'{}' has {} error{}", file_.imports[i].path.value, inner.error_count,
                                                inner.error_count == 1 ? "" : "s"));
    for (const Diagnostic& d : inner.diagnostics) {
      if (d.severity == Severity::Error) {
        diagnostic.notes.push_back({"the first problem there: " + d.message, d.location});
        break;
      }
    }
  }
}

void Checker::build_scope() {
  declare_own(file_.entities, "entity");
  declare_own(file_.templates, "template");
  declare_own(file_.segments, "segment");
  declare_own(file_.sequences, "sequence");
  for (const ast::Entity& extension : file_.extensions) {
    if (!extension.name.empty())
      scope_.own.extensions.emplace(extension.name.text, ItemRef<ast::Entity>{&extension, &module_});
  }
  for (std::size_t i = 0; i < module_.imports.size(); ++i) {
    const Module* imported = module_.imports[i];
    if (imported == nullptr) continue;
    const ItemTable& table = check_module(*imported).scope.own;
    if (std::find(scope_.imported.begin(), scope_.imported.end(), &table) != scope_.imported.end()) {
      continue;  // the same module imported twice
    }
    const Span span = file_.imports[i].span;
    report_redefinitions<ast::Entity>(table, span, "entity");
    report_redefinitions<ast::Template>(table, span, "template");
    report_redefinitions<ast::Segment>(table, span, "segment");
    report_redefinitions<ast::Sequence>(table, span, "sequence");
    scope_.imported.push_back(&table);
  }
  if (module_.owner_module != nullptr && !module_.owner_module->unreadable) {
    const ItemTable& owner = check_module(*module_.owner_module).scope.own;
    for (const auto& [name, entity] : owner.entities) {
      auto mine = scope_.own.entities.find(name);
      if (mine == scope_.own.entities.end()) continue;
      Diagnostic& diagnostic = report(DiagnosticKind::DuplicateDefinition, mine->second.item->name.span,
                                      fmt::format("entity '{}' is defined by the stdlib and always in scope", name));
      diagnostic.help = "choose another name";
    }
    scope_.owner = &owner;
  }
}

}  // namespace cadence::checking

namespace cadence {

CheckResult check(const Module& module) { return checking::Checker(module).run(); }

const ResolvedMergeField* CheckResult::merge_field(const ast::MergeField& field) const {
  auto it = std::lower_bound(merge_fields.begin(), merge_fields.end(), field.span.begin,
                             [](const ResolvedMergeField& each, uint32_t at) { return each.field->span.begin < at; });
  return it != merge_fields.end() && it->field == &field ? &*it : nullptr;
}

const ResolvedMergeField* CheckResult::merge_field_at(uint32_t offset) const {
  auto it = std::upper_bound(merge_fields.begin(), merge_fields.end(), offset,
                             [](uint32_t at, const ResolvedMergeField& each) { return at < each.field->span.begin; });
  if (it == merge_fields.begin()) return nullptr;
  --it;
  return offset <= it->field->span.end ? &*it : nullptr;
}

namespace {

void check_once(const Module& module) {
  std::call_once(module.check_once, [&] {
    module.check_result = std::make_shared<const CheckResult>(check(module));
    module.check_done.store(true, std::memory_order_release);
  });
}

}  // namespace

const CheckResult& check_module(const Module& module) {
  if (!module.check_done.load(std::memory_order_acquire)) {
    // Imports first, deepest first, without recursion: checking a module
    // then finds every import's result ready, however long the chain.
    std::vector<const Module*> order;
    std::vector<std::pair<const Module*, std::size_t>> stack{{&module, 0}};
    std::set<const Module*> seen{&module};
    while (!stack.empty()) {
      auto& [current, next] = stack.back();
      if (next < current->imports.size()) {
        const Module* imported = current->imports[next++];
        if (imported != nullptr && !imported->check_done.load(std::memory_order_acquire) &&
            seen.insert(imported).second) {
          stack.emplace_back(imported, 0);
        }
        continue;
      }
      order.push_back(current);
      stack.pop_back();
    }
    for (const Module* each : order) check_once(*each);
  }
  check_once(module);
  return *module.check_result;
}

}  // namespace cadence
