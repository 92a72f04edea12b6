#include "emit/fetchxml.hpp"

#include <map>
#include <vector>

#include <fmt/format.h>

#include "cadence/vocabulary.hpp"
#include "support/civil_date.hpp"

namespace cadence {
namespace {

/// One condition as FetchXML spells it.
struct Condition {
  std::string op;
  std::optional<std::string> value;  // the value attribute
  std::vector<std::string> values;   // <value> elements (in, not-in)
};

/// A link-entity of the query: one per distinct path of links.
struct JoinNode {
  const ast::Link* link = nullptr;
  std::string entity;
  std::string alias;
  std::map<std::string, JoinNode> children;  // by link name
};

class FetchXmlWriter {
 public:
  FetchXmlWriter(const ast::Entity& entity, const CheckResult& checked) : entity_(entity), checked_(checked) {}

  std::string write(const ast::Segment& segment) {
    out_ = fmt::format("<fetch>\n  <entity name=\"{}\">\n", xml_escape(entity_.table_name()));
    if (segment.filter) {
      collect_joins(*segment.filter);
      for (const auto& [name, join] : joins_.children) link_entity(join, 2);
      const ast::Expr& root = *segment.filter;
      const bool is_group =
          root.kind == ast::Expr::Kind::And || root.kind == ast::Expr::Kind::Or ||
          (root.kind == ast::Expr::Kind::Not && !root.operands.empty() &&
           (root.operands[0].kind == ast::Expr::Kind::And || root.operands[0].kind == ast::Expr::Kind::Or));
      if (is_group) {
        expression(root, false, 2);
      } else {
        out_ += "    <filter type=\"and\">\n";
        expression(root, false, 3);
        out_ += "    </filter>\n";
      }
    }
    out_ += "  </entity>\n</fetch>\n";
    return std::move(out_);
  }

 private:
  const ast::Entity& entity_;
  const CheckResult& checked_;
  std::string out_;
  JoinNode joins_;
  std::map<std::string, int> aliases_used_;
  std::map<const ast::Expr*, const JoinNode*> join_of_;

  void indent(int depth) { out_.append(static_cast<std::size_t>(depth) * 2, ' '); }

  const ResolvedFilterField* resolved(const ast::Expr& expr) const {
    auto it = checked_.filter_fields.find(&expr);
    return it == checked_.filter_fields.end() ? nullptr : &it->second;
  }

  /// Every path of links the filter walks, once, each with its own alias.
  void collect_joins(const ast::Expr& expr) {
    for (const ast::Expr& operand : expr.operands) collect_joins(operand);
    const ResolvedFilterField* field = resolved(expr);
    if (field == nullptr || field->links.empty()) return;
    JoinNode* node = &joins_;
    std::string path;
    for (const ResolvedFilterField::Step& step : field->links) {
      if (!path.empty()) path += '_';
      path += step.link->name.text;
      auto [it, inserted] = node->children.try_emplace(std::string(step.link->name.text));
      if (inserted) {
        it->second.link = step.link;
        it->second.entity = std::string(step.entity.item->table_name());
        const int uses = aliases_used_[path]++;
        it->second.alias = uses == 0 ? path : fmt::format("{}_{}", path, uses + 1);
      }
      node = &it->second;
    }
    join_of_[&expr] = node;
  }

  void link_entity(const JoinNode& join, int depth) {
    indent(depth);
    out_ += fmt::format(R"(<link-entity name="{}" from="{}id" to="{}" link-type="outer" alias="{}")",
                        xml_escape(join.entity), xml_escape(join.entity), xml_escape(join.link->column.text),
                        xml_escape(join.alias));
    if (join.children.empty()) {
      out_ += " />\n";
      return;
    }
    out_ += ">\n";
    for (const auto& [name, child] : join.children) link_entity(child, depth + 1);
    indent(depth);
    out_ += "</link-entity>\n";
  }

  static std::string value_text(const ast::Value& value, const ast::Field* field) {
    switch (value.kind) {
      case ast::Value::Kind::Bool: return value.boolean ? "1" : "0";
      case ast::Value::Kind::Label:
        if (field != nullptr) {
          for (const ast::OptionValue& option : field->options) {
            if (option.label.text == value.text) return std::to_string(option.value);
          }
        }
        return value.text;
      default: return value.text;
    }
  }

  static std::string shifted_day(const std::string& date, int64_t days) {
    const auto day = parse_iso_date(date);
    return day ? format_iso_date(*day + days) : date;
  }

  /// What the comparison selects, as conditions joined by `or` (one, except
  /// a negated day: the days before it or after it).
  static std::vector<Condition> conditions(const ast::Expr& expr, const ast::Field* field, bool negated) {
    const std::string first = expr.values.empty() ? std::string() : value_text(expr.values[0], field);
    if (expr.kind == ast::Expr::Kind::In) {
      Condition in{negated ? "not-in" : "in", std::nullopt, {}};
      for (const ast::Value& value : expr.values) in.values.push_back(value_text(value, field));
      return {in};
    }
    const bool date = field != nullptr && field->type == ast::FieldType::Date;
    auto single = [](std::string op, std::string value) {
      return std::vector<Condition>{Condition{std::move(op), std::move(value), {}}};
    };
    switch (expr.op) {
      case ast::CompareOp::Eq:
      case ast::CompareOp::Ne:
        // `!=` is `not ==`: the caller folds it into `negated`.
        if (date) {
          if (!negated) return single("on", first);
          return {Condition{"on-or-before", shifted_day(first, -1), {}},
                  Condition{"on-or-after", shifted_day(first, 1), {}}};
        }
        return single(negated ? "ne" : "eq", first);
      // Dates compare by day: before the day is on or before the day before.
      case ast::CompareOp::Lt:
        if (date) return negated ? single("on-or-after", first) : single("on-or-before", shifted_day(first, -1));
        return single(negated ? "ge" : "lt", first);
      case ast::CompareOp::Le:
        if (date) return negated ? single("on-or-after", shifted_day(first, 1)) : single("on-or-before", first);
        return single(negated ? "gt" : "le", first);
      case ast::CompareOp::Gt:
        if (date) return negated ? single("on-or-before", first) : single("on-or-after", shifted_day(first, 1));
        return single(negated ? "le" : "gt", first);
      case ast::CompareOp::Ge:
        if (date) return negated ? single("on-or-before", shifted_day(first, -1)) : single("on-or-after", first);
        return single(negated ? "lt" : "ge", first);
      case ast::CompareOp::Contains:
      case ast::CompareOp::StartsWith:
      case ast::CompareOp::EndsWith: {
        const std::string text = expr.values.empty() ? std::string() : expr.values[0].text;
        const bool leading = expr.op != ast::CompareOp::StartsWith;
        const bool trailing = expr.op != ast::CompareOp::EndsWith;
        return single(negated ? "not-like" : "like",
                      fmt::format("{}{}{}", leading ? "%" : "", like_literal(text), trailing ? "%" : ""));
      }
      case ast::CompareOp::InLast:
      case ast::CompareOp::InNext:
      case ast::CompareOp::OlderThan:
        // The checker refuses a negated window: FetchXML has no opposite.
        return single(
            vocabulary::window_operator(expr.op == ast::CompareOp::InNext, expr.op == ast::CompareOp::OlderThan,
                                        vocabulary::window_unit(expr.unit).value_or(vocabulary::WindowUnit::Days)),
            std::to_string(expr.amount));
      case ast::CompareOp::Period: {
        const auto period = vocabulary::period(expr.word);
        return {Condition{
            std::string(vocabulary::period_operator(period.value_or(vocabulary::Period::Today))), std::nullopt, {}}};
      }
      case ast::CompareOp::OwnerIs: return {Condition{negated ? "ne-userid" : "eq-userid", std::nullopt, {}}};
      case ast::CompareOp::OwnerIn: {
        const auto group = vocabulary::owner_group(expr.word).value_or(vocabulary::OwnerGroup::MyTeams);
        return {Condition{
            std::string(vocabulary::kOwnerGroupOperators[static_cast<std::size_t>(group)]), std::nullopt, {}}};
      }
    }
    return {};
  }

  void condition(const std::string& prefix, const Condition& condition, int depth) {
    indent(depth);
    if (condition.values.empty()) {
      out_ += fmt::format("<condition {}operator=\"{}\"", prefix, condition.op);
      if (condition.value) out_ += fmt::format(" value=\"{}\"", xml_escape(*condition.value));
      out_ += " />\n";
      return;
    }
    out_ += fmt::format("<condition {}operator=\"{}\">\n", prefix, condition.op);
    for (const std::string& value : condition.values) {
      indent(depth + 1);
      out_ += fmt::format("<value>{}</value>\n", xml_escape(value));
    }
    indent(depth);
    out_ += "</condition>\n";
  }

  void expression(const ast::Expr& expr, bool negated, int depth) {
    switch (expr.kind) {
      case ast::Expr::Kind::And:
      case ast::Expr::Kind::Or: {
        const bool is_and = (expr.kind == ast::Expr::Kind::And) != negated;
        indent(depth);
        out_ += fmt::format("<filter type=\"{}\">\n", is_and ? "and" : "or");
        for (const ast::Expr& operand : expr.operands) expression(operand, negated, depth + 1);
        indent(depth);
        out_ += "</filter>\n";
        return;
      }
      case ast::Expr::Kind::Not:
        if (!expr.operands.empty()) expression(expr.operands[0], !negated, depth);
        return;
      case ast::Expr::Kind::Signal: return;
      default: break;
    }
    const ResolvedFilterField* field = resolved(expr);
    const bool owner = field != nullptr && field->field == nullptr;
    std::string prefix;
    if (auto join = join_of_.find(&expr); join != join_of_.end()) {
      prefix = fmt::format("entityname=\"{}\" ", xml_escape(join->second->alias));
    }
    prefix +=
        fmt::format("attribute=\"{}\" ",
                    owner ? "ownerid" : xml_escape(field != nullptr ? field->field->column_name() : expr.field.text));
    if (expr.kind == ast::Expr::Kind::IsNull || expr.kind == ast::Expr::Kind::IsNotNull) {
      const bool is_null = (expr.kind == ast::Expr::Kind::IsNull) != negated;
      condition(prefix, Condition{is_null ? "null" : "not-null", std::nullopt, {}}, depth);
      return;
    }
    const bool written_ne = expr.kind == ast::Expr::Kind::Compare && expr.op == ast::CompareOp::Ne;
    const bool effective = (negated != expr.negated) != written_ne;
    const std::vector<Condition> selected = conditions(expr, field != nullptr ? field->field : nullptr, effective);
    // A negated test selects the empty values too; Dataverse's negative
    // operators do not, so say it.
    const bool may_be_empty = field != nullptr && !owner && (field->field->nullable || !field->links.empty());
    const bool or_null = effective && may_be_empty;
    if (selected.size() == 1 && !or_null) {
      condition(prefix, selected[0], depth);
      return;
    }
    indent(depth);
    out_ += "<filter type=\"or\">\n";
    for (const Condition& one : selected) condition(prefix, one, depth + 1);
    if (or_null) condition(prefix, Condition{"null", std::nullopt, {}}, depth + 1);
    indent(depth);
    out_ += "</filter>\n";
  }
};

}  // namespace

std::string like_literal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '[') {
      out += '[';
      out += c;
      out += ']';
    } else {
      out += c;
    }
  }
  return out;
}

std::string segment_fetchxml(const ast::Segment& segment, const ast::Entity& entity, const CheckResult& checked) {
  return FetchXmlWriter(entity, checked).write(segment);
}

}  // namespace cadence
