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

using Json = nlohmann::ordered_json;

Json rate_json(const std::optional<ast::Rate>& rate) {
  if (!rate) return nullptr;
  return Json{{"count", rate->count}, {"per", rate->per == ast::Per::Day ? "day" : "week"}};
}

Json outcome_json(const ast::ExitSpec& exit) {
  switch (exit.outcome) {
    case ast::OutcomeKind::None: return nullptr;
    case ast::OutcomeKind::CreateOpportunity: return Json{{"kind", "create_opportunity"}};
    case ast::OutcomeKind::Qualify: return Json{{"kind", "qualify"}};
    case ast::OutcomeKind::Disqualify: return Json{{"kind", "disqualify"}};
    case ast::OutcomeKind::Handoff: return Json{{"kind", "handoff"}, {"sequence", exit.handoff.text}};
  }
  return nullptr;
}

Json condition_json(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::Expr::Kind::Signal: {
      Json signal{{"signal", expr.signal.text}};
      signal["step"] = expr.step.empty() ? Json(nullptr) : Json(expr.step.text);
      return signal;
    }
    case ast::Expr::Kind::Not: return Json{{"not", condition_json(expr.operands.at(0))}};
    default: {
      Json operands = Json::array();
      for (const ast::Expr& operand : expr.operands) operands.push_back(condition_json(operand));
      return Json{{expr.kind == ast::Expr::Kind::And ? "all" : "any", operands}};
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
bool unhashed(std::string_view key) { return key == "location" || key == "pin" || key == "reports"; }

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
    plan["format"] = kPlanFormat;
    plan["version"] = kPlanFormatVersion;
    plan["generator"] = std::string("cadence ") + CADENCE_VERSION;
    plan["source"] = file_name(checked_.module);
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
    return Json{{"file", file_name(module)}, {"line", position.line}, {"column", position.column}};
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
      Json entry{{"text", std::string(module->source->text().substr(field.span.begin, field.span.size()))},
                 {"entity", field.entity.text},
                 {"field", field.field.text},
                 {"table",
                  resolved != nullptr && resolved->entity ? Json(resolved->entity.item->table_name()) : Json(nullptr)},
                 {"column", definition != nullptr ? Json(definition->column_name()) : Json(nullptr)},
                 {"type", definition != nullptr ? Json(kTypes[static_cast<int>(definition->type)]) : Json(nullptr)},
                 {"nullable", definition != nullptr && definition->nullable},
                 {"fallback", field.fallback ? Json(*field.fallback) : Json(nullptr)}};
      fields.push_back(std::move(entry));
    }
    return Json{{"text", text.value}, {"merge_fields", std::move(fields)}};
  }

  /// An exit's outcome; a handoff pins the version of its target: the
  /// target's id and content hash (null when the target's file has errors).
  Json outcome(const ast::ExitSpec& exit) const {
    Json result = outcome_json(exit);
    if (!pins_ || exit.outcome != ast::OutcomeKind::Handoff) return result;
    result["pin"] = nullptr;
    auto found = sequence_references_.find(exit.handoff.span.begin);
    if (found == sequence_references_.end()) return result;
    const Reference& reference = *found->second;
    const CheckResult& target = check_of(reference.definition_module);
    if (target.error_count > 0) return result;
    if (const auto pin = pin_of(target, reference.definition.begin)) {
      result["pin"] = {{"id", pin->first}, {"content_hash", pin->second}};
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
    sequence["steps"] = std::move(steps);
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
    Json result{{"name", item.name.text}, {"entity", item.entity.text}};
    result["subject"] = item.subjects.empty() ? Json(nullptr) : text_json(item.subjects.front(), module);
    result["body"] = item.bodies.empty() ? Json(nullptr) : text_json(item.bodies.front(), module);
    result["location"] = location_json(module, item.name.span);
    return result;
  }

  Json handler_json(const ast::Handler& handler, bool business_calendar) const {
    Json result{{"event", handler.event.text}};
    if (handler.is_pause) {
      result["action"] = "pause";
      result["minutes"] = handler.pause.minutes(business_calendar);
    } else {
      result["action"] = "exit";
      result["reason"] = handler.exit.reason ? handler.exit.reason->value : std::string(handler.event.text);
      result["outcome"] = outcome(handler.exit);
    }
    return result;
  }

  Json step_json(const SequenceIr& ir, uint32_t index) const {
    const IrNode& node = ir.nodes[index];
    Json step{{"id", node.id}, {"kind", step_kind_name(node.kind)}};
    if (node.channel != Channel::None) step["channel"] = channel_name(node.channel);
    const ast::Stmt* stmt = node.stmt;
    if (stmt != nullptr) {
      for (const ast::Property& property : stmt->properties) {
        switch (property.kind) {
          case ast::PropertyKind::Template: step["template"] = property.ref.text; break;
          case ast::PropertyKind::Text: step["text"] = text_json(property.text, ir.module); break;
          case ast::PropertyKind::Script: step["script"] = text_json(property.text, ir.module); break;
          case ast::PropertyKind::Note: step["note"] = text_json(property.text, ir.module); break;
          case ast::PropertyKind::Activity: step["activity"] = std::string(property.text.value); break;
          default: break;
        }
      }
      if (node.kind == StepKind::Email) {
        std::string mode = "manual";
        Json variants = Json::array();
        for (const ast::Property& property : stmt->properties) {
          if (property.kind == ast::PropertyKind::Mode) mode = property.word.text;
          if (property.kind == ast::PropertyKind::Variant) {
            variants.push_back(
                {{"name", property.word.text}, {"percent", property.percent}, {"template", property.ref.text}});
          }
        }
        step["mode"] = mode;
        if (!variants.empty()) {
          step["template"] = nullptr;
          step["variants"] = variants;
        }
      }
      if (node.kind == StepKind::Linkedin) step["action"] = stmt->linkedin_kind.text;
      if (node.kind == StepKind::Wait) step["minutes"] = stmt->duration.minutes(ir.business_calendar);
      if (node.kind == StepKind::Branch) {
        step["condition"] = stmt->condition ? condition_json(*stmt->condition) : Json(nullptr);
        step["within_minutes"] = stmt->has_within ? Json(stmt->duration.minutes(ir.business_calendar)) : Json(nullptr);
      }
      if (node.kind == StepKind::OutcomeBranch) step["call"] = stmt->target.text;
      if (node.kind == StepKind::Exit) {
        step["reason"] = stmt->exit.reason ? stmt->exit.reason->value : std::string("completed");
        step["outcome"] = outcome(stmt->exit);
      }
    } else {
      step["reason"] = "completed";
      step["outcome"] = nullptr;
    }
    step["timing"] = {{"earliest_minutes", ir.timing[index].earliest}, {"latest_minutes", ir.timing[index].latest}};
    Json next = Json::array();
    for (const Edge& edge : node.successors) {
      next.push_back({{"arm", edge.arm},
                      {"step", ir.nodes[edge.target].id},
                      {"min_delay_minutes", edge.min_delay},
                      {"max_delay_minutes", edge.max_delay}});
    }
    step["next"] = std::move(next);
    step["location"] = stmt != nullptr ? location_json(ir.module, stmt->span) : Json(nullptr);
    return step;
  }

  Json sequence_head(const SequenceIr& ir) const {
    const ast::Sequence& sequence = *ir.sequence;
    Json result;
    result["name"] = sequence.name.text;
    // The sequence's identity across versions: its name, unique in a project.
    result["id"] = sequence.name.text;
    result["title"] = ir.title.empty() ? Json(nullptr) : Json(ir.title);
    result["target"] = ir.target ? Json(ir.target.item->name.text) : Json(nullptr);
    result["team"] = ir.team.empty() ? Json(nullptr) : Json(ir.team);
    result["calendar"] = ir.business_calendar ? "business" : "all_days";
    result["enroll"] = rate_json(ir.enroll);
    Json limits = Json::object();
    for (const ast::Setting* limit : ir.limits) limits[std::string(limit->word.text)] = rate_json(limit->rate);
    result["limits"] = std::move(limits);
    if (ir.segment && ir.target) {
      const ast::Segment& segment = *ir.segment.item;
      const ItemRef<ast::Entity> entity = check_of(ir.segment.module).scope.find<ast::Entity>(segment.entity.text);
      result["segment"] = {
          {"name", segment.name.text},
          {"entity", segment.entity.text},
          {"on_leave", ir.segment_setting->word.empty() ? "pause" : std::string(ir.segment_setting->word.text)},
          {"fetchxml", entity ? segment_fetchxml(segment, *entity.item, check_of(ir.segment.module)) : std::string()}};
    } else {
      result["segment"] = nullptr;
    }
    if (ir.target) {
      result["reports"] = reports_json(sequence.name.text, ir.target.item->table_name());
    } else {
      result["reports"] = nullptr;
    }
    Json handlers = Json::array();
    for (const ast::Handler* handler : ir.handlers) handlers.push_back(handler_json(*handler, ir.business_calendar));
    result["handlers"] = std::move(handlers);

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
    result["templates"] = std::move(templates);
    result["entry"] = ir.nodes.empty() ? Json(nullptr) : Json(ir.nodes[ir.entry].id);
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
    result["summary"] = {{"silent_path", std::move(silent_path)},
                         {"silent_touches", std::move(touches)},
                         {"silent_touch_count", summary.silent_touch_count},
                         {"shortest_minutes", summary.shortest_minutes},
                         {"longest_minutes", summary.longest_minutes},
                         {"worst_case_emails", summary.worst_case_emails}};
    result["location"] = location_json(ir.module, sequence.name.span);
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
    sequence["content_hash"] = hash.finish();
    sequences.push_back(std::move(sequence));
  }
  plan["sequences"] = std::move(sequences);
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
  writer.key("sequences");
  writer.begin_array();
  for (const SequenceIr& ir : checked.sequences) {
    writer.begin_object();
    ContentHash hash;
    const Json sequence_head = builder.sequence_head(ir);
    for (const auto& [key, value] : sequence_head.items()) {
      writer.member(key, value);
      hash.member(key, value);
    }
    writer.key("steps");
    writer.begin_array();
    hash.begin_array("steps");
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
    writer.member("content_hash", Json(hash.finish()));
    writer.end_object();
  }
  writer.end_array();
  writer.end_object();
  out += '\n';
  flush();
}

}  // namespace cadence
