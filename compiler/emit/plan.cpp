#include "emit/plan.hpp"

#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "emit/fetchxml.hpp"
#include "emit/reports.hpp"
#include "sema/analysis.hpp"
#include "support/escape.hpp"
#include "support/json_writer.hpp"
#include "support/paths.hpp"
#include "support/sha256.hpp"

namespace cadence {
namespace {

namespace key = plan::key;

using Json = nlohmann::ordered_json;

Json rate_json(const std::optional<ast::Rate>& rate) {
  if (!rate) return nullptr;
  return Json{{key::kCount, rate->count}, {key::kPer, rate->per == ast::Per::Day ? "day" : "week"}};
}

Json outcome_json(const ast::ExitSpec& exit) {
  switch (exit.outcome) {
    case ast::OutcomeKind::None: return nullptr;
    case ast::OutcomeKind::CreateOpportunity: return Json{{key::kKind, "create_opportunity"}};
    case ast::OutcomeKind::Qualify: return Json{{key::kKind, "qualify"}};
    case ast::OutcomeKind::Disqualify: return Json{{key::kKind, "disqualify"}};
    case ast::OutcomeKind::Handoff: return Json{{key::kKind, "handoff"}, {key::kSequence, exit.handoff.text}};
  }
  return nullptr;
}

Json condition_json(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::Expr::Kind::Signal: {
      Json signal{{key::kSignal, expr.signal.text}};
      signal[key::kStep] = expr.step.empty() ? Json(nullptr) : Json(expr.step.text);
      return signal;
    }
    case ast::Expr::Kind::Not: return Json{{key::kNot, condition_json(expr.operands.at(0))}};
    default: {
      Json operands = Json::array();
      for (const ast::Expr& operand : expr.operands) operands.push_back(condition_json(operand));
      return Json{{expr.kind == ast::Expr::Kind::And ? key::kAll : key::kAny, operands}};
    }
  }
}

/// `value` without its `location` members, at any depth: where a thing is
/// written is not part of what it is.
/// Members a content hash leaves out: where things are written, and the
/// pins of handoff targets (another sequence's version is not part of this
/// one's content, and leaving it out keeps hashes free of cycles).
/// Left out of the content hash: where the text sits, a hand-off's pin, and
/// the report queries (derived from the id and the target, which are hashed;
/// a better query in a later release must not make every deployed sequence
/// look changed).
bool unhashed(std::string_view name) { return name == key::kLocation || name == key::kPin || name == key::kReports; }

Json without_locations(const Json& value) {
  if (value.is_object()) {
    Json result = Json::object();
    for (const auto& [key, member] : value.items()) {
      if (!unhashed(key)) result[key] = without_locations(member);
    }
    return result;
  }
  if (value.is_array()) {
    Json result = Json::array();
    for (const Json& element : value) result.push_back(without_locations(element));
    return result;
  }
  return value;
}

std::string compact(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

/// A sequence's content hash: SHA-256 of the sequence object as compact JSON,
/// without `location`, `pin` and `reports` members (at any depth) and
/// without the hash itself.
/// Fed member by member, and the steps one by one, so that a streamed plan
/// hashes the same bytes as a whole one.
class ContentHash {
 public:
  ContentHash() { sha_.update("{"); }
  void member(std::string_view key, const Json& value) {
    if (unhashed(key)) return;
    begin_member(key);
    sha_.update(compact(without_locations(value)));
  }
  void begin_array(std::string_view key) {
    begin_member(key);
    sha_.update("[");
    first_element_ = true;
  }
  void element(const Json& value) {
    if (!first_element_) sha_.update(",");
    first_element_ = false;
    sha_.update(compact(without_locations(value)));
  }
  void end_array() { sha_.update("]"); }
  std::string finish() {
    sha_.update("}");
    return "sha256:" + sha_.hex_digest();
  }

 private:
  void begin_member(std::string_view key) {
    if (!first_member_) sha_.update(",");
    first_member_ = false;
    sha_.update(compact(Json(key)));
    sha_.update(":");
  }
  Sha256 sha_;
  bool first_member_ = true;
  bool first_element_ = true;
};

class PlanBuilder {
 public:
  /// `pins`: whether handoff outcomes carry their target's id and content
  /// hash (not when the builder only computes a hash).
  explicit PlanBuilder(const CheckResult& checked, bool pins = true) : checked_(checked), pins_(pins) {
    for (const Reference& reference : checked.references) {
      if (reference.kind == Reference::Kind::Sequence) sequence_references_.emplace(reference.use.begin, &reference);
    }
  }

  /// The plan's top-level members before `sequences`.
  Json head() const {
    Json plan;
    plan[key::kFormat] = kPlanFormat;
    plan[key::kVersion] = kPlanFormatVersion;
    plan[key::kGenerator] = std::string("cadence ") + CADENCE_VERSION;
    plan[key::kSource] = file_name(checked_.module);
    return plan;
  }

  /// A sequence's members before `steps`, the steps in order, and the
  /// members after them.
  [[nodiscard]] std::vector<uint32_t> step_order(const SequenceIr& ir) const {
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
      if (ir.reachable[i]) order.push_back(i);
    }
    return order;
  }

 private:
  const CheckResult& checked_;
  bool pins_;
  /// The project folder of the file built: every path the plan names is
  /// relative to it, so that the plan does not depend on the checkout.
  std::filesystem::path base_ = project_of(checked_.module->source->path()).root;
  mutable std::unordered_map<const Module*, std::string> file_names_;

  const std::string& file_name(const Module* module) const {
    auto [it, inserted] = file_names_.try_emplace(module);
    if (inserted) it->second = percent_encode_invalid_utf8(relative_name(module->source->path(), base_));
    return it->second;
  }

  Json location_json(const Module* module, Span span) const {
    if (module == nullptr || module->source == nullptr) return nullptr;
    const HumanPosition position = module->source->human_position(span.begin);
    return Json{{key::kFile, file_name(module)}, {key::kLine, position.line}, {key::kColumn, position.column}};
  }
  /// The checker's resolution of each sequence name, by where it is used.
  std::map<uint32_t, const Reference*> sequence_references_;
  /// Per module handed off to: its sequences by where their names are, a
  /// builder for their hashes (without pins), and the pins computed.
  struct PinsOf {
    std::unordered_map<uint32_t, const SequenceIr*> by_definition;
    std::unique_ptr<PlanBuilder> builder;
    std::unordered_map<uint32_t, std::pair<std::string, std::string>> pins;
  };
  mutable std::unordered_map<const CheckResult*, PinsOf> pins_known_;

 public:
  /// The check of the module a piece of text was written in (templates and
  /// segments may come from imports): the one place its names resolved.
  const CheckResult& check_of(const Module* module) const {
    return module == checked_.module ? checked_ : check_module(*module);
  }

  /// A string with the merge fields it holds; `module` is the file the
  /// string was written in (templates may come from imports).
  Json text_json(const ast::StringLiteral& text, const Module* module) const {
    Json fields = Json::array();
    const CheckResult& written_in = check_of(module);
    for (const ast::MergeField& field : text.merge_fields) {
      const ResolvedMergeField* resolved = written_in.merge_field(field);
      const ast::Field* definition = resolved != nullptr ? resolved->definition : nullptr;
      static constexpr const char* kTypes[] = {"string", "number", "bool", "date", "option"};
      Json entry{{key::kText, std::string(module->source->text().substr(field.span.begin, field.span.size()))},
                 {key::kEntity, field.entity.text},
                 {key::kField, field.field.text},
                 {key::kTable,
                  resolved != nullptr && resolved->entity ? Json(resolved->entity.item->table_name()) : Json(nullptr)},
                 {key::kColumn, definition != nullptr ? Json(definition->column_name()) : Json(nullptr)},
                 {key::kType, definition != nullptr ? Json(kTypes[static_cast<int>(definition->type)]) : Json(nullptr)},
                 {key::kNullable, definition != nullptr && definition->nullable},
                 {key::kFallback, field.fallback ? Json(*field.fallback) : Json(nullptr)}};
      fields.push_back(std::move(entry));
    }
    return Json{{key::kText, text.value}, {key::kMergeFields, std::move(fields)}};
  }

  /// An exit's outcome; a handoff pins the version of its target: the
  /// target's id and content hash (null when the target's file has errors).
  Json outcome(const ast::ExitSpec& exit) const {
    Json result = outcome_json(exit);
    if (!pins_ || exit.outcome != ast::OutcomeKind::Handoff) return result;
    result[key::kPin] = nullptr;
    auto found = sequence_references_.find(exit.handoff.span.begin);
    if (found == sequence_references_.end()) return result;
    const Reference& reference = *found->second;
    const CheckResult& target = check_of(reference.definition_module);
    if (target.error_count > 0) return result;
    if (const auto pin = pin_of(target, reference.definition.begin)) {
      result[key::kPin] = {{key::kId, pin->first}, {key::kContentHash, pin->second}};
    }
    return result;
  }

  /// The id and content hash of the sequence of `target` defined at
  /// `definition`: computed once per target sequence, however many
  /// sequences hand off to it (a chain of N hand-offs costs N hashes).
  [[nodiscard]] const std::pair<std::string, std::string>* pin_of(const CheckResult& target,
                                                                  uint32_t definition) const {
    auto& known = pins_known_[&target];
    if (known.by_definition.empty()) {
      for (const SequenceIr& ir : target.sequences) known.by_definition.emplace(ir.sequence->name.span.begin, &ir);
    }
    if (const auto it = known.pins.find(definition); it != known.pins.end()) return &it->second;
    const auto ir = known.by_definition.find(definition);
    if (ir == known.by_definition.end()) return nullptr;
    if (known.builder == nullptr) known.builder = std::make_unique<PlanBuilder>(target, false);
    return &known.pins
                .emplace(definition, std::make_pair(std::string(ir->second->sequence->name.text),
                                                    known.builder->content_hash(*ir->second)))
                .first->second;
  }

  /// The sequence as the plan has it, but for its content hash.
  Json sequence_json(const SequenceIr& ir) const {
    Json sequence = sequence_head(ir);
    Json steps = Json::array();
    for (const uint32_t i : step_order(ir)) steps.push_back(step_json(ir, i));
    sequence[key::kSteps] = std::move(steps);
    const Json tail = sequence_tail(ir);
    for (const auto& [key, value] : tail.items()) sequence[key] = value;
    return sequence;
  }

  [[nodiscard]] std::string content_hash(const SequenceIr& ir) const {
    const Json sequence = sequence_json(ir);
    ContentHash hash;
    for (const auto& [key, value] : sequence.items()) hash.member(key, value);
    return hash.finish();
  }

  Json template_json(const ast::Template& item, const Module* module) const {
    Json result{{key::kName, item.name.text}, {key::kEntity, item.entity.text}};
    result[key::kSubject] = item.subjects.empty() ? Json(nullptr) : text_json(item.subjects.front(), module);
    result[key::kBody] = item.bodies.empty() ? Json(nullptr) : text_json(item.bodies.front(), module);
    result[key::kLocation] = location_json(module, item.name.span);
    return result;
  }

  Json handler_json(const ast::Handler& handler, bool business_calendar) const {
    Json result{{key::kEvent, handler.event.text}};
    if (handler.is_pause) {
      result[key::kAction] = "pause";
      result[key::kMinutes] = handler.pause.minutes(business_calendar);
    } else {
      result[key::kAction] = "exit";
      result[key::kReason] = handler.exit.reason ? handler.exit.reason->value : std::string(handler.event.text);
      result[key::kOutcome] = outcome(handler.exit);
    }
    return result;
  }

  Json step_json(const SequenceIr& ir, uint32_t index) const {
    const IrNode& node = ir.nodes[index];
    Json step{{key::kId, node.id}, {key::kKind, step_kind_name(node.kind)}};
    if (node.channel != Channel::None) step[key::kChannel] = channel_name(node.channel);
    const ast::Stmt* stmt = node.stmt;
    if (stmt != nullptr) {
      for (const ast::Property& property : stmt->properties) {
        switch (property.kind) {
          case ast::PropertyKind::Template: step[key::kTemplate] = property.ref.text; break;
          default: break;
        }
        // A text property is the plan member of its name (cadence/steps.def):
        // a text with its merge fields, or a table's name as written.
        if (const auto text = ast::step_text(property.kind)) {
          const std::string member(vocabulary::keyword_of(*text));
          step[member] = vocabulary::value_of(*text) == vocabulary::TextValue::Merge
                             ? text_json(property.text, ir.module)
                             : Json(std::string(property.text.value));
        }
      }
      if (node.kind == StepKind::Email) {
        std::string mode = "manual";
        Json variants = Json::array();
        for (const ast::Property& property : stmt->properties) {
          if (property.kind == ast::PropertyKind::Mode) mode = property.word.text;
          if (property.kind == ast::PropertyKind::Variant) {
            variants.push_back({{key::kName, property.word.text},
                                {key::kPercent, property.percent},
                                {key::kTemplate, property.ref.text}});
          }
        }
        step[key::kMode] = mode;
        if (!variants.empty()) {
          step[key::kTemplate] = nullptr;
          step[key::kVariants] = variants;
        }
      }
      if (node.kind == StepKind::Linkedin) step[key::kAction] = stmt->linkedin_kind.text;
      if (node.kind == StepKind::Wait) step[key::kMinutes] = stmt->duration.minutes(ir.business_calendar);
      if (node.kind == StepKind::Branch) {
        step[key::kCondition] = stmt->condition ? condition_json(*stmt->condition) : Json(nullptr);
        step[key::kWithinMinutes] =
            stmt->has_within ? Json(stmt->duration.minutes(ir.business_calendar)) : Json(nullptr);
      }
      if (node.kind == StepKind::OutcomeBranch) step[key::kCall] = stmt->target.text;
      if (node.kind == StepKind::Exit) {
        step[key::kReason] = stmt->exit.reason ? stmt->exit.reason->value : std::string("completed");
        step[key::kOutcome] = outcome(stmt->exit);
      }
    } else {
      step[key::kReason] = "completed";
      step[key::kOutcome] = nullptr;
    }
    step[key::kTiming] = {{key::kEarliestMinutes, ir.timing[index].earliest},
                          {key::kLatestMinutes, ir.timing[index].latest}};
    Json next = Json::array();
    for (const Edge& edge : node.successors) {
      next.push_back({{key::kArm, edge.arm},
                      {key::kStep, ir.nodes[edge.target].id},
                      {key::kMinDelayMinutes, edge.min_delay},
                      {key::kMaxDelayMinutes, edge.max_delay}});
    }
    step[key::kNext] = std::move(next);
    step[key::kLocation] = stmt != nullptr ? location_json(ir.module, stmt->span) : Json(nullptr);
    return step;
  }

  Json sequence_head(const SequenceIr& ir) const {
    const ast::Sequence& sequence = *ir.sequence;
    Json result;
    result[key::kName] = sequence.name.text;
    // The sequence's identity across versions: its name, unique in a project.
    result[key::kId] = sequence.name.text;
    result[key::kTitle] = ir.title.empty() ? Json(nullptr) : Json(ir.title);
    result[key::kTarget] = ir.target ? Json(ir.target.item->name.text) : Json(nullptr);
    result[key::kTeam] = ir.team.empty() ? Json(nullptr) : Json(ir.team);
    result[key::kCalendar] = ir.business_calendar ? "business" : "all_days";
    result[key::kEnroll] = rate_json(ir.enroll);
    Json limits = Json::object();
    for (const ast::Setting* limit : ir.limits) limits[std::string(limit->word.text)] = rate_json(limit->rate);
    result[key::kLimits] = std::move(limits);
    if (ir.segment && ir.target) {
      const ast::Segment& segment = *ir.segment.item;
      const ItemRef<ast::Entity> entity = check_of(ir.segment.module).scope.find<ast::Entity>(segment.entity.text);
      result[key::kSegment] = {
          {key::kName, segment.name.text},
          {key::kEntity, segment.entity.text},
          {key::kOnLeave, ir.segment_setting->word.empty() ? "pause" : std::string(ir.segment_setting->word.text)},
          {key::kFetchxml,
           entity ? segment_fetchxml(segment, *entity.item, check_of(ir.segment.module)) : std::string()}};
    } else {
      result[key::kSegment] = nullptr;
    }
    if (ir.target) {
      result[key::kReports] = reports_json(sequence.name.text, ir.target.item->table_name());
    } else {
      result[key::kReports] = nullptr;
    }
    Json handlers = Json::array();
    for (const ast::Handler* handler : ir.handlers) handlers.push_back(handler_json(*handler, ir.business_calendar));
    result[key::kHandlers] = std::move(handlers);

    // Templates used by reachable email steps, in order of first use.
    Json templates = Json::array();
    std::map<std::string_view, bool> emitted;
    const std::vector<uint32_t> order = step_order(ir);
    for (uint32_t i : order) {
      const IrNode& node = ir.nodes[i];
      if (node.kind != StepKind::Email || node.stmt == nullptr) continue;
      for (const ast::Property& property : node.stmt->properties) {
        if (property.kind != ast::PropertyKind::Template && property.kind != ast::PropertyKind::Variant) continue;
        if (emitted[property.ref.text]) continue;
        emitted[property.ref.text] = true;
        if (const auto found = checked_.scope.find<ast::Template>(property.ref.text)) {
          templates.push_back(template_json(*found.item, found.module));
        }
      }
    }
    result[key::kTemplates] = std::move(templates);
    result[key::kEntry] = ir.nodes.empty() ? Json(nullptr) : Json(ir.nodes[ir.entry].id);
    return result;
  }

  Json sequence_tail(const SequenceIr& ir) const {
    const ast::Sequence& sequence = *ir.sequence;
    Json result;
    const SequenceSummary summary = summarize(ir);
    Json silent_path = Json::array();
    for (uint32_t node : ir.silent_path) silent_path.push_back(ir.nodes[node].id);
    Json touches = Json::object();
    for (Channel channel : {Channel::Email, Channel::Sms, Channel::Call, Channel::Linkedin, Channel::Task}) {
      touches[std::string(channel_name(channel))] = summary.silent_touches[static_cast<std::size_t>(channel)];
    }
    result[key::kSummary] = {
        {key::kSilentPath, std::move(silent_path)},           {key::kSilentTouches, std::move(touches)},
        {key::kSilentTouchCount, summary.silent_touch_count}, {key::kShortestMinutes, summary.shortest_minutes},
        {key::kLongestMinutes, summary.longest_minutes},      {key::kWorstCaseEmails, summary.worst_case_emails}};
    result[key::kLocation] = location_json(ir.module, sequence.name.span);
    return result;
  }
};

}  // namespace

nlohmann::ordered_json build_plan(const CheckResult& checked) {
  const PlanBuilder builder(checked);
  Json plan = builder.head();
  Json sequences = Json::array();
  for (const SequenceIr& ir : checked.sequences) {
    Json sequence = builder.sequence_json(ir);
    ContentHash hash;
    for (const auto& [key, value] : sequence.items()) hash.member(key, value);
    sequence[key::kContentHash] = hash.finish();
    sequences.push_back(std::move(sequence));
  }
  plan[key::kSequences] = std::move(sequences);
  return plan;
}

std::string plan_text(const nlohmann::ordered_json& plan) {
  return plan.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

void write_plan(const CheckResult& checked, std::string& out, const std::function<void()>& flush) {
  const PlanBuilder builder(checked);
  JsonWriter writer(out);
  writer.begin_object();
  const Json head = builder.head();
  for (const auto& [key, value] : head.items()) writer.member(key, value);
  writer.key(key::kSequences);
  writer.begin_array();
  for (const SequenceIr& ir : checked.sequences) {
    writer.begin_object();
    ContentHash hash;
    const Json sequence_head = builder.sequence_head(ir);
    for (const auto& [key, value] : sequence_head.items()) {
      writer.member(key, value);
      hash.member(key, value);
    }
    writer.key(key::kSteps);
    writer.begin_array();
    hash.begin_array(key::kSteps);
    for (const uint32_t i : builder.step_order(ir)) {
      const Json step = builder.step_json(ir, i);
      writer.value(step);
      hash.element(step);
      flush();
    }
    writer.end_array();
    hash.end_array();
    const Json sequence_tail = builder.sequence_tail(ir);
    for (const auto& [key, value] : sequence_tail.items()) {
      writer.member(key, value);
      hash.member(key, value);
    }
    writer.member(key::kContentHash, Json(hash.finish()));
    writer.end_object();
  }
  writer.end_array();
  writer.end_object();
  out += '\n';
  flush();
}

}  // namespace cadence
