// textDocument/completion, driven by context: what the line so far asks for
// (a merge field, a step a signal reads, a template, an entity...) or, failing
// that, which block the cursor is in (a sequence, a branch's arms, an
// activity's properties). Each context has one entry in a table that says
// what to offer; words come from the vocabulary tables. No regular
// expressions: the line is tokenized once, in time linear in its length.

#include <array>

#include <fmt/format.h>

#include "cadence/lexical.hpp"
#include "cadence/vocabulary.hpp"
#include "lsp/server.hpp"

namespace cadence::lsp {
namespace {

// LSP CompletionItemKind values.
constexpr int kKeywordItem = 14, kFieldItem = 5, kVariableItem = 6, kEnumItem = 20, kModuleItem = 9, kEventItem = 23,
              kFunctionItem = 3;

/// The tokens of the line before the cursor: identifiers, `{{`, and single
/// punctuation; the identifier being typed, if any, is left out.
struct LinePrefix {
  std::vector<std::string_view> tokens;

  explicit LinePrefix(std::string_view line) {
    for (std::size_t i = 0; i < line.size();) {
      const char c = line[i];
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
      } else if (grammar::is_identifier_char(c)) {
        std::size_t end = i;
        while (end < line.size() && grammar::is_identifier_char(line[end])) ++end;
        tokens.push_back(line.substr(i, end - i));
        i = end;
      } else if (c == '{' && i + 1 < line.size() && line[i + 1] == '{') {
        tokens.push_back(line.substr(i, 2));
        i += 2;
      } else {
        tokens.push_back(line.substr(i, 1));
        ++i;
      }
    }
    // The word being typed is not context.
    if (!line.empty() && grammar::is_identifier_char(line.back()) && !tokens.empty()) tokens.pop_back();
  }

  /// The token `back` places from the end ("" past the start).
  [[nodiscard]] std::string_view from_end(std::size_t back) const {
    return back < tokens.size() ? tokens[tokens.size() - 1 - back] : std::string_view();
  }
  [[nodiscard]] bool ends_with(std::initializer_list<std::string_view> words) const {
    if (words.size() > tokens.size()) return false;
    std::size_t k = tokens.size() - words.size();
    for (std::string_view word : words) {
      if (tokens[k++] != word) return false;
    }
    return true;
  }
  [[nodiscard]] bool is(std::initializer_list<std::string_view> words) const {
    return words.size() == tokens.size() && ends_with(words);
  }
};

/// The kind of block the cursor is in, found by one scan of the text before
/// it (strings and comments skipped).
enum class Block { TopLevel, Sequence, Arm, SignalArms, OutcomeArms, Template, Segment, Entity, Step };
/// A block, and for a step's braces its kind.
struct Open {
  Block block = Block::TopLevel;
  vocabulary::StepKind step{};
  bool operator==(Block other) const { return block == other; }
};

Open block_at(std::string_view text, uint32_t offset) {
  std::vector<Open> open;
  // The last word since the previous brace that decides what a '{' opens.
  std::string_view opener;
  bool outcome_branch = false;
  std::string_view previous_word;
  const char* begin = text.data();
  const char* end = begin + std::min<std::size_t>(offset, text.size());
  for (const char* p = begin; p < end;) {
    const char c = *p;
    if (grammar::is_identifier_char(c)) {
      const char* q = p;
      while (q < end && grammar::is_identifier_char(*q)) ++q;
      const std::string_view word(p, static_cast<std::size_t>(q - p));
      // Words that open a block: items, the activities (cadence/steps.def),
      // branches and their arms.
      static constexpr std::array<std::string_view, 10> kOpeners{"sequence", "template", "entity", "segment", "branch",
                                                                 "yes",      "no",       "else",   "where",   "option"};
      if (vocabulary::contains(kOpeners, word) || vocabulary::is_activity_name(word) ||
          vocabulary::contains(vocabulary::kCallOutcomes, word)) {
        opener = word;
        if (word == "branch") outcome_branch = false;
      }
      if (word == "outcome" && previous_word == "branch") outcome_branch = true;
      previous_word = word;
      p = q;
      continue;
    }
    if (c == '{') {
      Open block{Block::Arm};
      if (const auto step = vocabulary::find<vocabulary::StepKind>(vocabulary::kStepKinds, opener);
          step && vocabulary::is_activity(*step))
        block = {Block::Step, *step};
      else if (opener == "sequence")
        block = {Block::Sequence};
      else if (opener == "template")
        block = {Block::Template};
      else if (opener == "segment" && (open.empty() || open.back() == Block::TopLevel))
        block = {Block::Segment};
      else if (opener == "entity" || opener == "option")
        block = {Block::Entity};
      else if (opener == "branch")
        block = {outcome_branch ? Block::OutcomeArms : Block::SignalArms};
      open.push_back(block);
      opener = {};
    } else if (c == '}') {
      if (!open.empty()) open.pop_back();
      opener = {};
    }
    p = grammar::skip_lexeme(p, end);
  }
  return open.empty() ? Open{} : open.back();
}

}  // namespace

Json Server::completion(const Json& params) {
  const std::string uri = require_string(require(params, "textDocument"), "uri");
  Document* document = analysed(uri);
  if (document == nullptr) return Json::array();
  const uint32_t offset = source_offset(*document, require(params, "position"));
  const std::string text = document->text.text();
  const std::string_view source_text = std::string_view(text).substr(document->text.starts_with_bom() ? 3 : 0);
  const std::size_t line_begin = offset == 0 ? 0 : source_text.rfind('\n', offset - 1);
  const std::size_t prefix_begin = line_begin == std::string_view::npos || offset == 0 ? 0 : line_begin + 1;
  const LinePrefix line(source_text.substr(prefix_begin, offset - prefix_begin));

  Json items = Json::array();
  auto add = [&](std::string_view label, int kind, const std::string& detail = {}) {
    Json item{{"label", std::string(label)}, {"kind", kind}};
    if (!detail.empty()) item["detail"] = detail;
    items.push_back(std::move(item));
  };
  auto add_all = [&](const auto& table, int kind, std::string_view detail = {}) {
    for (std::string_view word : table) add(word, kind, std::string(detail));
  };
  // The analysis of the last good state: completion works on half-typed code.
  const CheckResult* checked = document->checked();
  auto add_steps = [&](auto wanted) {
    if (checked == nullptr) return;
    for (const SequenceIr& ir : checked->sequences) {
      if (offset < ir.sequence->span.begin || offset > ir.sequence->span.end) continue;
      for (const IrNode& node : ir.nodes) {
        if (node.stmt != nullptr && is_activity(node.kind) && wanted(node)) {
          add(node.stmt->label.text, kVariableItem, std::string(step_kind_name(node.kind)));
        }
      }
    }
  };

  // Contexts the line decides, in order.
  const std::string_view signal = line.from_end(line.from_end(0) == "(" ? 1 : 0);
  if (line.from_end(0) == "." && line.from_end(2) == "{{" && is_identifier(line.from_end(1))) {
    if (checked != nullptr) {
      if (const auto entity = checked->scope.find<ast::Entity>(line.from_end(1))) {
        for (const ItemRef<ast::Entity>& part : checked->scope.with_extensions(entity)) {
          for (const ast::Field& field : part.item->fields) {
            add(field.name.text, kFieldItem, field.nullable ? "may be empty: add a fallback" : "never empty");
          }
        }
      }
    }
    return items;
  }
  if (line.from_end(0) == "{{") {
    if (checked != nullptr) {
      for (const auto& [name, entity] : checked->scope.all<ast::Entity>()) add(name, kModuleItem, "entity");
    }
    return items;
  }
  if (signal == "opened" || signal == "clicked" || signal == "bounced" ||
      (signal == "replied" && line.from_end(0) == "(")) {
    add_steps([](const IrNode& node) { return node.kind == StepKind::Email; });
    return items;
  }
  if (signal == "accepted") {
    add_steps([](const IrNode& node) {
      return node.kind == StepKind::Linkedin && node.stmt->linkedin_kind.text == "connect";
    });
    return items;
  }
  if (signal == "outcome") {
    add_steps([](const IrNode& node) { return node.kind == StepKind::Call; });
    return items;
  }
  if (line.from_end(0) == "goto") {
    // Forward only: a goto never loops.
    add_steps([&](const IrNode& node) { return node.stmt->span.begin > offset; });
    return items;
  }
  if (line.from_end(0) == "template" && checked != nullptr) {
    for (const auto& [name, item] : checked->scope.all<ast::Template>()) {
      add(name, kFunctionItem, fmt::format("template for {}", item.item->entity.text));
    }
    return items;
  }
  if (line.from_end(0) == "target" || line.from_end(0) == "for" ||
      (line.tokens.size() == 3 && line.tokens[0] == "segment" && line.tokens[2] == "on")) {
    if (checked != nullptr) {
      for (const auto& [name, entity] : checked->scope.all<ast::Entity>()) add(name, kModuleItem, "entity");
    }
    return items;
  }
  if (line.is({"segment"}) && checked != nullptr) {
    for (const auto& [name, segment] : checked->scope.all<ast::Segment>()) {
      add(name, kVariableItem, fmt::format("segment on {}", segment.item->entity.text));
    }
    return items;
  }
  if (line.from_end(0) == "handoff" && checked != nullptr) {
    for (const auto& [name, sequence] : checked->scope.all<ast::Sequence>()) add(name, kModuleItem, "sequence");
    return items;
  }
  if (line.is({"on"})) {
    add_all(vocabulary::kEvents, kEventItem);
    return items;
  }
  if (line.from_end(0) == "branch") {
    for (std::string_view word : vocabulary::kSignals) {
      const bool takes_step = word != "meeting_booked";
      add(takes_step && word != "replied" ? fmt::format("{}(", word) : std::string(word), kFunctionItem, "signal");
    }
    add("not", kKeywordItem);
    add("outcome(", kFunctionItem, "call outcome");
    return items;
  }
  if (line.from_end(0) == "then") {
    add_all(vocabulary::kOutcomes, kEnumItem);
    return items;
  }
  if (line.from_end(0) == "calendar") {
    add_all(vocabulary::kCalendars, kEnumItem);
    return items;
  }
  if (line.from_end(0) == "limit") {
    add_all(vocabulary::kLimitChannels, kEnumItem, "channel");
    return items;
  }
  if (line.from_end(0) == "linkedin") {
    add_all(vocabulary::kLinkedinKinds, kEnumItem);
    return items;
  }
  if (line.from_end(0) == "mode") {
    add_all(vocabulary::kEmailModes, kEnumItem);
    return items;
  }
  if (line.from_end(0) == ":" || line.from_end(0) == "?") {
    add_all(vocabulary::kFieldTypes, kKeywordItem, "field type");
    return items;
  }

  const Open block = block_at(source_text, offset);
  // In a segment's filter, where a field goes: the fields and links of the
  // segment's entity, or of the record the links typed so far lead to.
  if (block == Block::Segment && checked != nullptr && source_text.rfind("where", offset) != std::string_view::npos &&
      source_text.rfind("where", offset) > source_text.rfind("segment", offset)) {
    const std::string_view last = line.from_end(0);
    const bool after_dot = last == ".";
    if (after_dot || last == "where" || last == "and" || last == "or" || last == "not" || last == "(") {
      // The segment's entity: `segment NAME on ENTITY`.
      std::string_view head = source_text.substr(source_text.rfind("segment", offset));
      const std::string head_words = std::string(head.substr(0, std::min(head.find('{'), head.size()))) + " ";
      const LinePrefix words(head_words);
      ItemRef<ast::Entity> entity;
      if (words.tokens.size() >= 4 && words.tokens[2] == "on")
        entity = checked->scope.find<ast::Entity>(words.tokens[3]);
      // Walk the links before the cursor: `contact.account.`
      std::vector<std::string_view> path;
      for (std::size_t back = 1;
           after_dot && !line.from_end(back).empty() && grammar::is_identifier_char(line.from_end(back)[0]);
           back += 2) {
        path.insert(path.begin(), line.from_end(back));
        if (line.from_end(back + 1) != ".") break;
      }
      for (std::string_view step : path) {
        if (!entity) break;
        ItemRef<ast::Entity> next;
        for (const ItemRef<ast::Entity>& part : checked->scope.with_extensions(entity)) {
          for (const ast::Link& link : part.item->links) {
            if (link.name.text == step) next = check_module(*part.module).scope.find<ast::Entity>(link.entity.text);
          }
        }
        entity = next;
      }
      if (entity) {
        for (const ItemRef<ast::Entity>& part : checked->scope.with_extensions(entity)) {
          for (const ast::Field& field : part.item->fields) {
            add(field.name.text, kFieldItem,
                std::string(vocabulary::kFieldTypes[static_cast<std::size_t>(field.type)]));
          }
          for (const ast::Link& link : part.item->links) {
            add(link.name.text, kModuleItem, fmt::format("link to {}", link.entity.text));
          }
        }
        if (!after_dot) add("owner", kVariableItem, "the record's owner");
        return items;
      }
    }
  }

  // Otherwise: the words that can start a line in this block.
  switch (block.block) {
    case Block::TopLevel: add_all(vocabulary::kItemKeywords, kKeywordItem); break;
    case Block::Sequence:
      add_all(vocabulary::kFlowKeywords, kKeywordItem);
      add_all(vocabulary::kSettings, kKeywordItem, "setting");
      add("on", kKeywordItem, "handler");
      break;
    case Block::Arm: add_all(vocabulary::kFlowKeywords, kKeywordItem); break;
    case Block::SignalArms: add_all(vocabulary::kSignalArms, kKeywordItem, "branch arm"); break;
    case Block::OutcomeArms:
      add_all(vocabulary::kCallOutcomes, kKeywordItem, "call outcome");
      add(vocabulary::kElseArm, kKeywordItem, "any other outcome");
      break;
    case Block::Template: add_all(vocabulary::kTemplateProperties, kKeywordItem); break;
    case Block::Segment: add("where", kKeywordItem); break;
    case Block::Entity: break;
    case Block::Step:
      if (block.step == vocabulary::StepKind::Email) {
        for (std::string_view word : {"template", "mode", "variant"}) add(word, kKeywordItem);
      }
      // The text properties the kind takes (cadence/steps.def), those it
      // requires first.
      for (const vocabulary::TextSet wanted :
           {vocabulary::required_texts_of(block.step),
            vocabulary::texts_of(block.step) & ~vocabulary::required_texts_of(block.step)}) {
        for (std::size_t i = 0; i < vocabulary::kStepTexts.size(); ++i) {
          const auto text = static_cast<vocabulary::StepText>(i);
          if (!vocabulary::in(wanted, text)) continue;
          add(vocabulary::kStepTexts[i], kKeywordItem, std::string(vocabulary::kStepTextRows[i].detail));
        }
      }
      break;
  }
  return items;
}

}  // namespace cadence::lsp
