// The checker: segment filters, their comparisons and values.
#include "sema/checker.hpp"

namespace cadence::checking {

void Checker::check_filter(const ast::Expr& expr, const ItemRef<ast::Entity>& entity, bool negated) {
  switch (expr.kind) {
    case ast::Expr::Kind::Or:
    case ast::Expr::Kind::And:
      for (const ast::Expr& operand : expr.operands) check_filter(operand, entity, negated);
      return;
    case ast::Expr::Kind::Not:
      for (const ast::Expr& operand : expr.operands) check_filter(operand, entity, !negated);
      return;
    case ast::Expr::Kind::Signal: return;
    default: break;
  }
  if (expr.links.size() > kMaxLinkEntities) {
    report(DiagnosticKind::TypeMismatch, expr.links[kMaxLinkEntities].span,
           fmt::format("a path of {} links; a Dataverse query joins at most {} related tables", expr.links.size(),
                       kMaxLinkEntities))
        .help = "filter on a closer record";
    return;
  }
  ResolvedFilterField resolved;
  ItemRef<ast::Entity> current = entity;
  std::string joined;
  for (const ast::Name& step : expr.links) {
    std::vector<std::string_view> names;
    const LinkRef link = find_link(current, step.text, &names);
    if (link.link == nullptr) {
      const bool is_field = static_cast<bool>(find_field(current, step.text));
      report_unknown("link", step, names, fmt::format(" from entity '{}'", current.item->name.text));
      if (is_field) {
        result_.diagnostics.back().help = fmt::format(
            "'{}' is a field, not a link; only links (declared with 'link') lead to related records", step.text);
      }
      return;
    }
    result_.references.push_back({Reference::Kind::Field, step.span, link.module, link.link->name.span});
    // The link's entity is named in the scope of the module declaring it
    // (this one, while it is being checked, or an import).
    const ItemRef<ast::Entity> target =
        link.module == &module_ ? scope_.find<ast::Entity>(link.link->entity.text)
                                : check_module(*link.module).scope.find<ast::Entity>(link.link->entity.text);
    if (!target) return;  // reported where the link is declared
    resolved.links.push_back({link.link, target});
    current = target;
    if (!joined.empty()) joined += '.';
    joined += step.text;
    segment_joins_.insert(joined);
  }
  const bool written_ne = expr.kind == ast::Expr::Kind::Compare && expr.op == ast::CompareOp::Ne;
  const bool effective = (negated != expr.negated) != written_ne;
  const bool owner_test = expr.kind == ast::Expr::Kind::Compare &&
                          (expr.op == ast::CompareOp::OwnerIs || expr.op == ast::CompareOp::OwnerIn);
  std::vector<std::string_view> names;
  const FieldRef field = find_field(current, expr.field.text, &names);
  if (!field && expr.field.text == "owner") {
    if (!owner_test) {
      report(DiagnosticKind::TypeMismatch, expr.op_span.size() > 0 ? expr.op_span : expr.field.span,
             "'owner' is the record's owner; test it with 'owner is current_user' or 'owner in my_teams'")
          .help = fmt::format("the owner groups are {}", list_names(table_view(vocabulary::kOwnerGroups)));
      return;
    }
    check_owner_test(expr, effective);
    result_.filter_fields.emplace(&expr, std::move(resolved));
    return;
  }
  if (!field) {
    std::vector<std::string_view> links;
    find_link(current, {}, &links);
    report_unknown("field", expr.field, names, fmt::format(" in entity '{}'", current.item->name.text));
    if (std::find(links.begin(), links.end(), expr.field.text) != links.end()) {
      result_.diagnostics.back().help = fmt::format(
          "'{}' is a link; name a field of the record it leads to, as in {}.name", expr.field.text, expr.field.text);
    }
    return;
  }
  result_.references.push_back({Reference::Kind::Field, expr.field.span, field.module, field.field->name.span});
  if (check_comparison(expr, *field.field, effective)) {
    resolved.field = field.field;
    result_.filter_fields.emplace(&expr, std::move(resolved));
  }
}

void Checker::report_not_negatable(const ast::Expr& expr, std::string_view fetch_operator, std::string_view instead) {
  Diagnostic& diagnostic =
      report(DiagnosticKind::TypeMismatch, expr.op_span.size() > 0 ? expr.op_span : expr.span,
             fmt::format("this test cannot be negated: FetchXML has no opposite of '{}'", fetch_operator));
  diagnostic.help = std::string(instead);
}

void Checker::check_owner_test(const ast::Expr& expr, bool negated) {
  if (expr.op == ast::CompareOp::OwnerIs) {
    if (expr.word != vocabulary::kCurrentUser) {
      report(DiagnosticKind::TypeMismatch, expr.op_span,
             fmt::format("'owner is' takes 'current_user', not '{}'", expr.word))
          .help = "write owner is current_user, or owner in my_teams for the user's teams";
    }
    return;
  }
  const auto group = vocabulary::owner_group(expr.word);
  if (!group) {
    const auto suggestion = closest_name(expr.word, table_view(vocabulary::kOwnerGroups));
    Diagnostic& diagnostic =
        report(DiagnosticKind::TypeMismatch, expr.op_span,
               fmt::format("'{}' is not an owner group{}", expr.word,
                           suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string()));
    diagnostic.help = fmt::format("the owner groups are {}", list_names(table_view(vocabulary::kOwnerGroups)));
    return;
  }
  if (negated) {
    report_not_negatable(expr, vocabulary::kOwnerGroupOperators[static_cast<std::size_t>(*group)],
                         "only 'owner is current_user' has an opposite ('owner is not current_user')");
  }
}

bool Checker::check_comparison(const ast::Expr& expr, const ast::Field& field, bool negated) {
  const Span where = expr.op_span.size() > 0 ? expr.op_span : expr.span;
  auto wrong_type = [&](std::string_view test, std::string_view needs) {
    report(DiagnosticKind::TypeMismatch, where,
           fmt::format("'{}' is {} field; {} applies to {} fields only", field.name.text,
                       article(std::string(field_type_name(field.type))), test, needs));
    return false;
  };
  if (expr.kind == ast::Expr::Kind::IsNull || expr.kind == ast::Expr::Kind::IsNotNull) return true;
  if (expr.kind == ast::Expr::Kind::In) {
    if (field.type == ast::FieldType::Date) {
      report(DiagnosticKind::TypeMismatch, where,
             fmt::format("'{}' is a date field, and 'in [...]' would match midnight only", field.name.text))
          .help = "compare days with == joined by 'or'";
      return false;
    }
    for (const ast::Value& value : expr.values) check_value(value, field);
    return true;
  }
  switch (expr.op) {
    case ast::CompareOp::Eq:
    case ast::CompareOp::Ne: break;
    case ast::CompareOp::Lt:
    case ast::CompareOp::Le:
    case ast::CompareOp::Gt:
    case ast::CompareOp::Ge:
      if (field.type != ast::FieldType::Number && field.type != ast::FieldType::Date) {
        report(DiagnosticKind::TypeMismatch, expr.op_span,
               fmt::format("'{}' is {} field; only number and date fields can be compared with <, <=, > or >=",
                           field.name.text, article(std::string(field_type_name(field.type)))));
        return false;
      }
      break;
    case ast::CompareOp::Contains:
    case ast::CompareOp::StartsWith:
    case ast::CompareOp::EndsWith:
      if (field.type != ast::FieldType::String) return wrong_type("text matching", "string");
      break;
    case ast::CompareOp::InLast:
    case ast::CompareOp::InNext:
    case ast::CompareOp::OlderThan: {
      if (field.type != ast::FieldType::Date) return wrong_type("a relative window", "date");
      if (expr.word == "this") {
        report(DiagnosticKind::TypeMismatch, where, "'this' takes week, month or year, not an amount").help =
            fmt::format("write 'in last {}{}' or 'in this week'", expr.amount, expr.unit);
        return false;
      }
      const auto unit = vocabulary::window_unit(expr.unit);
      const bool older = expr.op == ast::CompareOp::OlderThan;
      if (!unit || (*unit == vocabulary::WindowUnit::Minutes && !older)) {
        report(DiagnosticKind::TypeMismatch, where,
               fmt::format("'{}' is not a unit of {} window", expr.unit, older ? "an 'older than'" : "a relative"))
            .help = older ? "use min, h, d, w, months or years, as in older than 6 months"
                          : "use h, d, w, months or years, as in in last 30d (minutes only work with 'older than')";
        return false;
      }
      if (expr.amount < 1 || expr.amount > 100000) {
        report(DiagnosticKind::TypeMismatch, where,
               fmt::format("a window of {} {} selects nothing useful; use 1 to 100000", expr.amount, expr.unit));
        return false;
      }
      if (negated) {
        report_not_negatable(expr, window_operator(expr),
                             older ? "say the window instead, as in createdon in last 6 months"
                                   : "say the other side instead, as in createdon older than 30d");
        return false;
      }
      return true;
    }
    case ast::CompareOp::Period: {
      if (field.type != ast::FieldType::Date) return wrong_type(fmt::format("'{}'", expr.word), "date");
      if (!vocabulary::period(expr.word)) {
        report(DiagnosticKind::TypeMismatch, where, fmt::format("'{}' is not a day or period", expr.word)).help =
            "write is today, is yesterday, is tomorrow, or in this|last|next week|month|year";
        return false;
      }
      if (negated) {
        report_not_negatable(expr, vocabulary::period_operator(*vocabulary::period(expr.word)),
                             "compare with a window instead, as in createdon older than 7d");
        return false;
      }
      return true;
    }
    case ast::CompareOp::OwnerIs:
    case ast::CompareOp::OwnerIn:
      report(DiagnosticKind::TypeMismatch, where,
             fmt::format("only 'owner' can be tested with '{}'",
                         expr.op == ast::CompareOp::OwnerIs ? "is current_user" : fmt::format("in {}", expr.word)))
          .help = "write owner is current_user or owner in my_teams";
      return false;
  }
  const std::size_t before = result_.diagnostics.size();
  if (expr.op >= ast::CompareOp::Contains) {
    for (const ast::Value& value : expr.values) {
      if (value.kind != ast::Value::Kind::String) {
        report(DiagnosticKind::TypeMismatch, value.span,
               fmt::format("text matching needs a quoted string, not {}", value_kind_name(value.kind)));
      } else {
        check_value(value, field);
      }
    }
  } else {
    for (const ast::Value& value : expr.values) check_value(value, field);
  }
  return result_.diagnostics.size() == before;
}

std::string Checker::window_operator(const ast::Expr& expr) {
  return vocabulary::window_operator(expr.op == ast::CompareOp::InNext, expr.op == ast::CompareOp::OlderThan,
                                     vocabulary::window_unit(expr.unit).value_or(vocabulary::WindowUnit::Days));
}

void Checker::check_value(const ast::Value& value, const ast::Field& field) {
  auto mismatch = [&](std::string expected) {
    report(DiagnosticKind::TypeMismatch, value.span,
           fmt::format("'{}' is {} field, so it needs {}, not {}", field.name.text,
                       article(std::string(field_type_name(field.type))), expected, value_kind_name(value.kind)));
  };
  switch (field.type) {
    case ast::FieldType::String:
      if (value.kind != ast::Value::Kind::String) {
        mismatch("a quoted string");
      } else if (auto forbidden = xml_forbidden_character(value.text)) {
        // Segments compile to FetchXML, and XML 1.0 cannot carry this
        // character at all: the query would silently test another value.
        report(DiagnosticKind::TypeMismatch, value.span,
               fmt::format("the value holds {} U+{:04X}, which a FetchXML query cannot carry",
                           *forbidden < 0x20 ? "the control character" : "the character", *forbidden))
            .help = "remove it: Dataverse stores no such character in text fields";
      }
      break;
    case ast::FieldType::Number:
      if (value.kind != ast::Value::Kind::Number) mismatch("a number");
      break;
    case ast::FieldType::Bool:
      if (value.kind != ast::Value::Kind::Bool) mismatch("true or false");
      break;
    case ast::FieldType::Date:
      if (value.kind != ast::Value::Kind::String) {
        mismatch("a date as a quoted string, like \"2026-01-31\"");
      } else if (!is_iso_date(value.text)) {
        report(DiagnosticKind::TypeMismatch, value.span,
               fmt::format("'{}' is not a date; write dates as \"YYYY-MM-DD\"", value.text));
      }
      break;
    case ast::FieldType::Option: {
      std::vector<std::string_view> labels;
      for (const ast::OptionValue& option : field.options) {
        labels.push_back(option.label.text);
        if (value.kind == ast::Value::Kind::Label && option.label.text == value.text) return;
      }
      if (value.kind != ast::Value::Kind::Label) {
        mismatch(fmt::format("one of its option labels ({})", list_names(labels)));
        return;
      }
      const auto suggestion = closest_name(value.text, labels);
      Diagnostic& diagnostic =
          report(DiagnosticKind::TypeMismatch, value.span,
                 fmt::format("'{}' is not an option of '{}'{}", value.text, field.name.text,
                             suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string()));
      if (suggestion) {
        diagnostic.help = fmt::format("did you mean '{}'?", *suggestion);
        diagnostic.fixes.push_back(Fix{
            fmt::format("replace '{}' with '{}'", value.text, *suggestion), {Edit{at(value.span), *suggestion}}, true});
      } else {
        diagnostic.help = fmt::format("the options are {}", list_names(labels, 12));
      }
      break;
    }
  }
}

void Checker::check_segment(const ast::Segment& segment) {
  const ItemRef<ast::Entity> entity = resolve<ast::Entity>(segment.entity, "entity", Reference::Kind::Entity);
  if (!entity || !segment.filter) return;
  segment_joins_.clear();
  check_filter(*segment.filter, entity, false);
  if (segment_joins_.size() > kMaxLinkEntities) {
    report(DiagnosticKind::TypeMismatch, segment.name.span,
           fmt::format("segment '{}' reaches {} related tables; a Dataverse query joins at most {}", segment.name.text,
                       segment_joins_.size(), kMaxLinkEntities))
        .help = "split it into segments that each read fewer related records";
  }
}

}  // namespace cadence::checking
