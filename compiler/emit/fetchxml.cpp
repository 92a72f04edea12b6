#include "emit/fetchxml.hpp"

#include <fmt/format.h>

namespace cadence {
namespace {

class FetchXmlWriter {
 public:
  explicit FetchXmlWriter(const ast::Entity& entity) : entity_(entity) {}

  std::string write(const ast::Segment& segment) {
    out_ = fmt::format("<fetch>\n  <entity name=\"{}\">\n", xml_escape(entity_.name.text));
    if (segment.filter) {
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
  std::string out_;

  void indent(int depth) { out_.append(static_cast<std::size_t>(depth) * 2, ' '); }

  const ast::Field* field(std::string_view name) const {
    for (const ast::Field& candidate : entity_.fields) {
      if (candidate.name.text == name) return &candidate;
    }
    return nullptr;
  }

  std::string value_text(const ast::Value& value, const ast::Field* field) const {
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

  static std::string_view operator_name(ast::CompareOp op, bool negated) {
    switch (op) {
      case ast::CompareOp::Eq: return negated ? "ne" : "eq";
      case ast::CompareOp::Ne: return negated ? "eq" : "ne";
      case ast::CompareOp::Lt: return negated ? "ge" : "lt";
      case ast::CompareOp::Le: return negated ? "gt" : "le";
      case ast::CompareOp::Gt: return negated ? "le" : "gt";
      case ast::CompareOp::Ge: return negated ? "lt" : "ge";
    }
    return "eq";
  }

  void expression(const ast::Expr& expr, bool negated, int depth) {
    const std::string attribute = xml_escape(expr.field.text);
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
      case ast::Expr::Kind::Compare: {
        indent(depth);
        const std::string value =
            expr.values.empty() ? std::string() : value_text(expr.values[0], field(expr.field.text));
        out_ += fmt::format("<condition attribute=\"{}\" operator=\"{}\" value=\"{}\" />\n", attribute,
                            operator_name(expr.op, negated), xml_escape(value));
        return;
      }
      case ast::Expr::Kind::In: {
        indent(depth);
        out_ += fmt::format("<condition attribute=\"{}\" operator=\"{}\">\n", attribute, negated ? "not-in" : "in");
        for (const ast::Value& value : expr.values) {
          indent(depth + 1);
          out_ += fmt::format("<value>{}</value>\n", xml_escape(value_text(value, field(expr.field.text))));
        }
        indent(depth);
        out_ += "</condition>\n";
        return;
      }
      case ast::Expr::Kind::IsNull:
      case ast::Expr::Kind::IsNotNull: {
        const bool is_null = (expr.kind == ast::Expr::Kind::IsNull) != negated;
        indent(depth);
        out_ +=
            fmt::format("<condition attribute=\"{}\" operator=\"{}\" />\n", attribute, is_null ? "null" : "not-null");
        return;
      }
      case ast::Expr::Kind::Signal: return;
    }
  }
};

}  // namespace

std::string segment_fetchxml(const ast::Segment& segment, const ast::Entity& entity) {
  return FetchXmlWriter(entity).write(segment);
}

}  // namespace cadence
