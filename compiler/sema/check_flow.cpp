// The checker: a sequence's settings and handlers, its flow graph, labels,
// gotos, flow checks, branch conditions and activities.
#include "sema/checker.hpp"

namespace cadence::checking {

void Checker::check_duration(const ast::Duration& duration, std::string_view what, bool business_calendar) {
  if (duration.span.size() == 0) return;
  const int64_t minutes = duration.minutes(business_calendar);
  if (minutes <= 0) {
    report(DiagnosticKind::WaitOutOfRange, duration.span,
           fmt::format("{} of {} is {}; it must be at least 1m", what,
                       source_.text().substr(duration.span.begin, duration.span.size()),
                       minutes == 0 ? "zero" : "negative"));
  } else if (minutes > kMaxWaitMinutes) {
    report(DiagnosticKind::WaitOutOfRange, duration.span,
           fmt::format("{} of {} is longer than 30 days", what,
                       source_.text().substr(duration.span.begin, duration.span.size())))
        .help = "split the sequence, or hand off to a later one with `exit then handoff SEQUENCE`";
  }
}

void Checker::check_sequence(const ast::Sequence& sequence) {
  SequenceIr ir;
  ir.sequence = &sequence;
  ir.module = &module_;
  check_settings(sequence, ir);
  check_handlers(sequence, ir);
  build_graph(sequence, ir);
  analyze(ir);
  check_flow(ir);
  result_.sequences.push_back(std::move(ir));
}

void Checker::check_settings(const ast::Sequence& sequence, SequenceIr& ir) {
  // The first of each setting (a limit per channel): a handful at most,
  // since the kinds and channels are closed lists.
  std::vector<const ast::Setting*> seen;
  seen.reserve(sequence.settings.size());
  auto same = [](const ast::Setting& a, const ast::Setting& b) {
    return a.kind == b.kind && (a.kind != ast::SettingKind::Limit || a.word.text == b.word.text);
  };
  bool has_target = false;
  for (const ast::Setting& setting : sequence.settings) {
    std::string key(setting_name(setting.kind));
    if (setting.kind == ast::SettingKind::Limit) key += " " + std::string(setting.word.text);
    auto first = std::find_if(seen.begin(), seen.end(), [&](const ast::Setting* s) { return same(*s, setting); });
    if (first != seen.end()) {
      report(DiagnosticKind::DuplicateSetting, setting.span,
             fmt::format("'{}' is set twice in sequence '{}'", key, sequence.name.text))
          .notes.push_back({"first set here", at((*first)->span)});
      continue;
    }
    seen.push_back(&setting);
    has_target = has_target || setting.kind == ast::SettingKind::Target;
    if (sequence.first_statement && setting.span.begin > sequence.first_statement->begin) {
      report(DiagnosticKind::Syntax, setting.span,
             fmt::format("setting '{}' comes after the first step; settings go before the flow", key))
          .notes.push_back({"the flow starts here", at(*sequence.first_statement)});
    }
    switch (setting.kind) {
      case ast::SettingKind::Title:
        ir.title = setting.text.value;
        no_merge_fields(setting.text, "a sequence title");
        break;
      case ast::SettingKind::Team:
        ir.team = setting.text.value;
        no_merge_fields(setting.text, "a team name");
        break;
      case ast::SettingKind::Target:
        ir.target = resolve<ast::Entity>(setting.ref, "entity", Reference::Kind::Entity);
        break;
      case ast::SettingKind::Segment:
        ir.segment = resolve<ast::Segment>(setting.ref, "segment", Reference::Kind::Segment);
        ir.segment_setting = &setting;
        break;
      case ast::SettingKind::Limit:
        ir.limits.push_back(&setting);
        if (setting.word.text == "email") ir.email_limit = setting.rate;
        check_rate(setting.rate, "limit");
        break;
      case ast::SettingKind::Enroll:
        ir.enroll = setting.rate;
        check_rate(setting.rate, "enrolment rate");
        break;
      case ast::SettingKind::Calendar: ir.business_calendar = setting.word.text == "business"; break;
    }
  }
  if (!has_target && !has_syntax_error_in(sequence.span)) {
    report(DiagnosticKind::Syntax, sequence.name.span,
           fmt::format("sequence '{}' has no target; add `target ENTITY` (for example `target lead`)",
                       sequence.name.text));
  }
  if (ir.target && ir.segment && ir.segment.item->entity.text != ir.target.item->name.text) {
    report(DiagnosticKind::TypeMismatch, ir.segment_setting->ref.span,
           fmt::format("segment '{}' selects {} records, but sequence '{}' targets {}", ir.segment.item->name.text,
                       ir.segment.item->entity.text, sequence.name.text, ir.target.item->name.text))
        .notes.push_back({"the segment is defined here", at(ir.segment.module, ir.segment.item->name.span)});
  }
}

void Checker::check_rate(const ast::Rate& rate, std::string_view what) {
  if (rate.span.size() > 0 && rate.count <= 0) {
    report(DiagnosticKind::TypeMismatch, rate.span, fmt::format("the {} must be at least 1", what));
  }
}

void Checker::check_exit(const ast::ExitSpec& exit) {
  if (exit.reason) no_merge_fields(*exit.reason, "an exit reason");
  if (exit.outcome == ast::OutcomeKind::Handoff) {
    if (exit.handoff.empty() || scope_.find<ast::Sequence>(exit.handoff.text)) {
      resolve<ast::Sequence>(exit.handoff, "sequence", Reference::Kind::Sequence);
    } else if (!resolve_in_project(exit.handoff)) {
      // Did you mean a sequence in scope, or one of another file of the project?
      std::vector<std::string> project;
      if (module_.workspace != nullptr) project = module_.workspace->project_sequence_names(module_.path);
      std::vector<std::string_view> candidates = names_of<ast::Sequence>();
      candidates.insert(candidates.end(), project.begin(), project.end());
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      report_unknown("sequence", exit.handoff, candidates);
    }
  }
}

void Checker::check_handlers(const ast::Sequence& sequence, SequenceIr& ir) {
  // The first handler of each event (a closed list of five).
  std::vector<const ast::Handler*> seen;
  seen.reserve(sequence.handlers.size());
  ir.handlers.reserve(sequence.handlers.size());
  for (const ast::Handler& handler : sequence.handlers) {
    ir.handlers.push_back(&handler);
    auto first = std::find_if(seen.begin(), seen.end(),
                              [&](const ast::Handler* h) { return h->event.text == handler.event.text; });
    if (first != seen.end()) {
      report(DiagnosticKind::DuplicateSetting, handler.span,
             fmt::format("event '{}' is handled twice in sequence '{}'", handler.event.text, sequence.name.text))
          .notes.push_back({"first handled here", at((*first)->span)});
    } else {
      seen.push_back(&handler);
    }
    if (handler.is_pause)
      check_duration(handler.pause, "a pause", ir.business_calendar);
    else
      check_exit(handler.exit);
  }
}

StepKind Checker::step_kind_of(ast::StmtKind kind) {
  return kind == ast::StmtKind::Goto ? StepKind::Exit : static_cast<StepKind>(kind);
}

std::size_t Checker::count_statements(const std::vector<ast::Stmt>& body) {
  std::size_t count = body.size();
  for (const ast::Stmt& stmt : body) {
    for (const ast::Arm& arm : stmt.arms) count += count_statements(arm.body);
  }
  return count;
}

void Checker::create_nodes(const std::vector<ast::Stmt>& body, GraphBuilder& builder, uint32_t block) {
  for (const ast::Stmt& stmt : body) {
    if (stmt.kind == ast::StmtKind::Goto) {
      builder.gotos.push_back(&stmt);
      continue;
    }
    builder.node_of[&stmt] = static_cast<uint32_t>(builder.ir.nodes.size());
    // Built in place (the reference is not used once arms add their steps).
    IrNode& node = builder.ir.nodes.emplace_back();
    node.kind = step_kind_of(stmt.kind);
    node.channel = vocabulary::channel_of(node.kind);
    node.stmt = &stmt;
    node.block = block;
    if (is_activity(node.kind) && !stmt.label.empty()) {
      node.id = std::string(stmt.label.text);
      builder.last_label = stmt.label.text;
    } else {
      // "<label before>.<kind><n>", n counting such steps after that label.
      const uint32_t count = ++builder.counters[{builder.last_label, node.kind}];
      std::string id;
      id.reserve(builder.last_label.size() + 16);
      id.append(builder.last_label).append(".").append(step_kind_name(node.kind));
      char digits[12];
      const auto written = std::to_chars(digits, digits + sizeof digits, count);
      id.append(digits, written.ptr);
      node.id = std::move(id);
    }
    // Steps after the branch are named after the label before it, not
    // after one inside an arm: editing an arm must not rename them.
    const std::string_view label_before_arms = builder.last_label;
    for (const ast::Arm& arm : stmt.arms) {
      create_nodes(arm.body, builder, ++builder.blocks);
      builder.last_label = label_before_arms;
    }
  }
}

uint32_t Checker::link(const std::vector<ast::Stmt>& body, uint32_t next, GraphBuilder& builder) {
  for (auto it = body.rbegin(); it != body.rend(); ++it) {
    const ast::Stmt& stmt = *it;
    if (stmt.kind == ast::StmtKind::Goto) {
      const auto target = builder.ir.find_label(stmt.target.text);
      if (target && builder.ir.nodes[*target].stmt->span.begin > stmt.span.begin) next = *target;
      continue;
    }
    const uint32_t index = *builder.node_of.find(&stmt);
    IrNode& node = builder.ir.nodes[index];
    const bool follows_goto = it != body.rbegin() && std::prev(it)->kind == ast::StmtKind::Goto;
    switch (stmt.kind) {
      case ast::StmtKind::Exit: break;
      case ast::StmtKind::Wait: {
        const int64_t minutes = std::max<int64_t>(0, stmt.duration.minutes(builder.ir.business_calendar));
        node.successors.push_back({next, "next", follows_goto, minutes, minutes});
        break;
      }
      case ast::StmtKind::Branch: {
        const int64_t within =
            stmt.has_within ? std::max<int64_t>(0, stmt.duration.minutes(builder.ir.business_calendar)) : 0;
        for (std::string_view arm : {std::string_view("yes"), std::string_view("no")}) {
          uint32_t target = next;
          for (const ast::Arm& written : stmt.arms) {
            if (written.name.text == arm) {
              target = link(written.body, next, builder);
              break;
            }
          }
          builder.ir.nodes[index].successors.push_back({target, arm, false, arm == "yes" ? 0 : within, within});
        }
        break;
      }
      case ast::StmtKind::OutcomeBranch: {
        bool has_else = false;
        FlatMap<std::string_view, bool> seen;
        seen.reserve(stmt.arms.size());
        for (const ast::Arm& written : stmt.arms) {
          if (!seen.try_emplace(written.name.text, true).second) continue;
          if (written.name.text == "else") has_else = true;
          const uint32_t target = link(written.body, next, builder);
          builder.ir.nodes[index].successors.push_back({target, written.name.text, false, 0, 0});
        }
        if (!has_else) builder.ir.nodes[index].successors.push_back({next, "else", false, 0, 0});
        break;
      }
      default: node.successors.push_back({next, "next", follows_goto, 0, 0}); break;
    }
    next = index;
  }
  return next;
}

void Checker::build_graph(const ast::Sequence& sequence, SequenceIr& ir) {
  GraphBuilder builder{ir, {}, {}, {}, "start"};
  const std::size_t statements = count_statements(sequence.body);
  ir.nodes.reserve(statements + 1);
  builder.node_of.reserve(statements);
  create_nodes(sequence.body, builder);
  check_labels(ir);
  // The implicit `exit "completed"`: "end", unless a step is labelled so.
  IrNode end;
  end.kind = StepKind::Exit;
  end.id =
      ir.labels.find("end") != nullptr ? fmt::format("end.exit{}", ++builder.counters[{"end", StepKind::Exit}]) : "end";
  const auto end_index = static_cast<uint32_t>(ir.nodes.size());
  ir.nodes.push_back(std::move(end));
  check_gotos(builder);
  ir.entry = link(sequence.body, end_index, builder);
  for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
    for (const Edge& edge : ir.nodes[i].successors) ir.nodes[edge.target].predecessors.push_back(i);
  }
}

void Checker::check_labels(SequenceIr& ir) {
  ir.labels.reserve(ir.nodes.size());
  for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
    const IrNode& node = ir.nodes[i];
    if (!is_activity(node.kind) || node.stmt == nullptr || node.stmt->label.empty()) continue;
    const auto [first, added] = ir.labels.try_emplace(node.stmt->label.text, i);
    if (added) continue;
    report(DiagnosticKind::DuplicateDefinition, node.stmt->label.span,
           fmt::format("step label '{}' is used twice in sequence '{}'; labels identify steps and must be unique",
                       node.stmt->label.text, ir.sequence->name.text))
        .notes.push_back({"first used here", at(ir.nodes[*first].stmt->label.span)});
  }
}

std::vector<std::string_view> Checker::labels_of(const SequenceIr& ir) const {
  std::vector<std::string_view> labels;
  for (const IrNode& node : ir.nodes) {
    if (is_activity(node.kind) && node.stmt != nullptr) labels.push_back(node.stmt->label.text);
  }
  return labels;
}

std::optional<uint32_t> Checker::resolve_step(const SequenceIr& ir, const ast::Name& name) {
  if (name.empty()) return std::nullopt;
  auto index = ir.find_label(name.text);
  if (!index) {
    report_unknown("step", name, labels_of(ir));
    return std::nullopt;
  }
  result_.references.push_back({Reference::Kind::Step, name.span, &module_, ir.nodes[*index].stmt->label.span});
  return index;
}

void Checker::check_gotos(GraphBuilder& builder) {
  for (const ast::Stmt* stmt : builder.gotos) {
    const auto target = resolve_step(builder.ir, stmt->target);
    if (!target) continue;
    const IrNode& node = builder.ir.nodes[*target];
    if (node.stmt->span.begin < stmt->span.begin) {
      report(DiagnosticKind::BackwardGoto, stmt->target.span,
             fmt::format("'goto {}' jumps back to an earlier step; sequences never loop", stmt->target.text))
          .notes.push_back({fmt::format("'{}' is defined here", stmt->target.text), at(node.stmt->label.span)});
    }
  }
}

void Checker::check_flow(SequenceIr& ir) {
  for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
    IrNode& node = ir.nodes[i];
    if (node.stmt == nullptr) continue;
    const ast::Stmt& stmt = *node.stmt;
    if (vocabulary::is_activity(node.kind)) {
      check_activity(ir, node);
      continue;
    }
    switch (stmt.kind) {
      case ast::StmtKind::Wait: check_duration(stmt.duration, "a wait", ir.business_calendar); break;
      case ast::StmtKind::Branch:
        if (stmt.has_within) check_duration(stmt.duration, "'within'", ir.business_calendar);
        check_arms(stmt);
        if (stmt.condition) check_condition(ir, i, *stmt.condition);
        break;
      case ast::StmtKind::OutcomeBranch: {
        check_arms(stmt);
        const auto call = resolve_step(ir, stmt.target);
        if (!call) break;
        node.signal_steps.push_back(*call);
        const IrNode& named = ir.nodes[*call];
        if (named.kind != StepKind::Call) {
          report(DiagnosticKind::SignalKindMismatch, stmt.target.span,
                 fmt::format("'outcome' needs a call step, but '{}' is {} step", stmt.target.text,
                             article(step_kind_name(named.kind))))
              .notes.push_back({fmt::format("'{}' is defined here", stmt.target.text), at(named.stmt->label.span)});
        } else {
          check_dominates(ir, *call, i, stmt.target, "outcome");
        }
        break;
      }
      case ast::StmtKind::Exit: check_exit(stmt.exit); break;
      default: break;
    }
  }
  // trailing-wait: a reachable wait after which the body ends. A wait
  // before an explicit `exit` is fine: it gives the prospect time to reply
  // before the enrolment ends, and the exit is a step a runtime runs.
  for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
    const IrNode& node = ir.nodes[i];
    if (node.kind != StepKind::Wait || !ir.reachable[i]) continue;
    const IrNode& next = ir.nodes[node.successors.front().target];
    if (next.kind != StepKind::Exit || next.stmt != nullptr) continue;
    Diagnostic& diagnostic = report(DiagnosticKind::TrailingWait, node.stmt->span,
                                    "the flow can end on this wait: nothing follows it before the sequence ends");
    diagnostic.help = "remove the wait, add the step it is waiting for, or end with an explicit `exit \"...\"`";
  }
}

void Checker::drop_findings_in_unread_code() {
  std::vector<uint32_t> broken;
  for (const Diagnostic& d : module_.diagnostics) {
    if (d.kind == DiagnosticKind::Syntax && d.location.source == &source_) broken.push_back(d.location.span.begin);
  }
  if (broken.empty()) return;
  std::sort(broken.begin(), broken.end());
  std::vector<Span> unread;
  auto consider = [&](const Span& span) {
    // Inside the item, or right after it (a missing '}' is reported past its last token).
    const auto it = std::lower_bound(broken.begin(), broken.end(), span.begin);
    if (it != broken.end() && *it <= span.end) unread.push_back(span);
  };
  for (const ast::Template& item : file_.templates) consider(item.span);
  for (const ast::Segment& item : file_.segments) consider(item.span);
  for (const ast::Sequence& item : file_.sequences) consider(item.span);
  if (unread.empty()) return;
  std::erase_if(result_.diagnostics, [&](const Diagnostic& d) {
    if (d.kind == DiagnosticKind::Syntax || d.location.source != &source_) return false;
    return std::any_of(unread.begin(), unread.end(), [&](const Span& span) {
      return d.location.span.begin >= span.begin && d.location.span.begin < span.end;
    });
  });
}

std::string Checker::article(std::string_view word) {
  const bool vowel = !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
  return fmt::format("{} {}", vowel ? "an" : "a", word);
}

void Checker::check_arms(const ast::Stmt& stmt) {
  FlatMap<std::string_view, const ast::Arm*> seen;
  seen.reserve(stmt.arms.size());
  for (const ast::Arm& arm : stmt.arms) {
    const auto [first, added] = seen.try_emplace(arm.name.text, &arm);
    if (added) continue;
    report(DiagnosticKind::DuplicateDefinition, arm.name.span,
           fmt::format("arm '{}' appears twice in this branch", arm.name.text))
        .notes.push_back({"first here", at((*first)->name.span)});
  }
}

void Checker::check_dominates(SequenceIr& ir, uint32_t step, uint32_t branch, const ast::Name& name,
                              std::string_view signal) {
  if (!ir.reachable[branch]) return;
  if (ir.reachable[step] && ir.dominates(step, branch)) return;
  Diagnostic& diagnostic =
      report(DiagnosticKind::SignalNotDominating, name.span,
             fmt::format("'{}({})' reads a step that is not run on every path to this branch", signal, name.text));
  diagnostic.notes.push_back(
      {fmt::format("'{}' is defined here{}", name.text,
                   ir.nodes[step].stmt->span.begin > ir.nodes[branch].stmt->span.begin ? ", after the branch" : ""),
       at(ir.nodes[step].stmt->label.span)});
  diagnostic.help = "branch on a step that every record passes, or move the branch into the arm that runs it";
}

void Checker::check_condition(SequenceIr& ir, uint32_t branch, const ast::Expr& expr) {
  if (expr.kind != ast::Expr::Kind::Signal) {
    for (const ast::Expr& operand : expr.operands) check_condition(ir, branch, operand);
    return;
  }
  if (expr.step.empty()) return;  // replied, meeting_booked
  const auto step = resolve_step(ir, expr.step);
  if (!step) return;
  ir.nodes[branch].signal_steps.push_back(*step);
  const IrNode& named = ir.nodes[*step];
  const bool is_accepted = expr.signal.text == "accepted";
  const bool fits = is_accepted ? (named.kind == StepKind::Linkedin && named.stmt->linkedin_kind.text == "connect")
                                : named.kind == StepKind::Email;
  if (!fits) {
    const std::string actual = named.kind == StepKind::Linkedin
                                   ? fmt::format("a linkedin {} step", named.stmt->linkedin_kind.text)
                                   : article(std::string(step_kind_name(named.kind))) + " step";
    report(DiagnosticKind::SignalKindMismatch, expr.step.span,
           fmt::format("'{}' needs {}, but '{}' is {}", expr.signal.text,
                       is_accepted ? "a linkedin connect step" : "an email step", expr.step.text, actual))
        .notes.push_back({fmt::format("'{}' is defined here", expr.step.text), at(named.stmt->label.span)});
    return;
  }
  check_dominates(ir, *step, branch, expr.step, expr.signal.text);
}

void Checker::check_activity(SequenceIr& ir, IrNode& node) {
  const ast::Stmt& stmt = *node.stmt;
  PropertySeen seen{};
  std::vector<const ast::Property*> variants;
  for (const ast::Property& property : stmt.properties) {
    if (property.kind == ast::PropertyKind::Variant) {
      variants.push_back(&property);
      continue;
    }
    const ast::Property*& first = seen[static_cast<std::size_t>(property.kind)];
    if (first != nullptr) {
      report(DiagnosticKind::DuplicateSetting, property.span,
             fmt::format("step '{}' gives '{}' twice", stmt.label.text, property_name(property.kind)))
          .notes.push_back({"first given here", at(first->span)});
    } else {
      first = &property;
    }
    if (const auto text = ast::step_text(property.kind);
        text && vocabulary::value_of(*text) == vocabulary::TextValue::Merge) {
      check_merge_fields(property.text, ir.target, {});
    }
  }
  if (stmt.kind == ast::StmtKind::Email) check_email(ir, node, seen, variants);
  check_texts(stmt, seen);
}

void Checker::check_texts(const ast::Stmt& stmt, const PropertySeen& seen) {
  using vocabulary::StepText;
  const auto kind = static_cast<vocabulary::StepKind>(stmt.kind);
  for (std::size_t i = 0; i < vocabulary::kStepTexts.size(); ++i) {
    const auto text = static_cast<StepText>(i);
    const ast::Property* property = seen[static_cast<std::size_t>(ast::property_kind(text))];
    if (property == nullptr) {
      if (vocabulary::in(vocabulary::required_texts_of(kind), text) && !has_syntax_error_in(stmt.span)) {
        report(DiagnosticKind::Syntax, stmt.label.span,
               fmt::format("{} step '{}' {}", vocabulary::kStepKinds[static_cast<std::size_t>(kind)], stmt.label.text,
                           vocabulary::kStepTextRows[i].missing))
            .help = std::string(vocabulary::kStepTextRows[i].help);
      }
      continue;
    }
    switch (vocabulary::value_of(text)) {
      case vocabulary::TextValue::Merge: break;
      case vocabulary::TextValue::CustomTable: {
        // A table's logical name: lower-case letters, digits and `_`,
        // starting with a letter; a custom table's has its publisher's
        // prefix (`new_`).
        const std::string_view name = property->text.value;
        const bool letters = !name.empty() && name.size() <= kMaxTableName && name.front() >= 'a' &&
                             name.front() <= 'z' && std::all_of(name.begin(), name.end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                             });
        if (!letters || name.find('_') == std::string::npos) {
          report(DiagnosticKind::TypeMismatch, property->text.span,
                 fmt::format("'{}' is not the logical name of a custom activity table", visible(name)))
              .help = "write the table's logical name: lower-case, with its publisher's prefix, such as new_sitevisit";
        }
        break;
      }
    }
  }
}

void Checker::check_template_use(SequenceIr& ir, IrNode& node, const ast::Name& name) {
  const auto item = resolve<ast::Template>(name, "template", Reference::Kind::Template);
  if (!item) return;
  if (node.email_template == nullptr) node.email_template = item.item;
  if (ir.target && item.item->entity.text != ir.target.item->name.text) {
    report(DiagnosticKind::TypeMismatch, name.span,
           fmt::format("template '{}' is written for {} records, but sequence '{}' targets {}", name.text,
                       item.item->entity.text, ir.sequence->name.text, ir.target.item->name.text))
        .notes.push_back({"the template is defined here", at(item.module, item.item->name.span)});
  }
}

void Checker::check_email(SequenceIr& ir, IrNode& node, const PropertySeen& seen,
                          const std::vector<const ast::Property*>& variants) {
  const ast::Stmt& stmt = *node.stmt;
  const ast::Property* single = seen[static_cast<std::size_t>(ast::PropertyKind::Template)];
  if (single == nullptr && variants.empty()) {
    if (has_syntax_error_in(stmt.span)) return;
    report(DiagnosticKind::Syntax, stmt.label.span, fmt::format("email step '{}' has no template", stmt.label.text))
        .help = "add `template NAME`, or A/B variants: `variant a 50% template T1  variant b 50% template T2`";
    return;
  }
  if (single != nullptr && !variants.empty()) {
    report(DiagnosticKind::Syntax, variants.front()->span,
           fmt::format("email step '{}' has both a template and variants; use one or the other", stmt.label.text))
        .notes.push_back({"the template", at(single->span)});
  }
  if (single != nullptr) check_template_use(ir, node, single->ref);
  if (variants.empty()) return;
  report_duplicates("variant", variants.size(), [&](std::size_t i) { return variants[i]->word; });
  int64_t total = 0;
  for (const ast::Property* variant : variants) {
    total += variant->percent;
    check_template_use(ir, node, variant->ref);
    if (variant->percent < 10 || variant->percent > 90) {
      report(DiagnosticKind::VariantSplit, variant->percent_span,
             fmt::format("variant '{}' gets {}% of sends; each variant needs between 10% and 90%", variant->word.text,
                         variant->percent));
    }
  }
  if (total != 100) {
    Diagnostic& diagnostic =
        report(DiagnosticKind::VariantSplit, stmt.label.span,
               fmt::format("the variants of '{}' add up to {}%, not 100%", stmt.label.text, total));
    for (const ast::Property* variant : variants) {
      diagnostic.notes.push_back(
          {fmt::format("variant '{}': {}%", variant->word.text, variant->percent), at(variant->percent_span)});
    }
  }
}

}  // namespace cadence::checking
