// The abstract syntax tree of one .cadence file: plain data with byte spans
// into the Source it came from. Names are views into the source text, so an
// Ast must not outlive its Source.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cadence/vocabulary.hpp"
#include "source/source.hpp"

namespace cadence::ast {

struct Name {
  std::string_view text;
  Span span;
  [[nodiscard]] bool empty() const { return text.empty(); }
};

/// {{entity.field}} or {{entity.field | "fallback"}} inside a string.
struct MergeField {
  Span span;
  Name entity;
  Name field;
  std::optional<std::string> fallback;
};

/// A string literal, decoded (escapes resolved; multi-line strings dedented).
/// Merge fields stay in `value` as written and are listed in `merge_fields`.
/// `value` is a view: into the source when a one-line literal holds no
/// backslash and no carriage return (its value is then the text between the
/// quotes), else into the decoded strings the file keeps (File::decoded);
/// multi-line literals are always decoded, since they are dedented.
struct StringLiteral {
  Span span;
  std::string_view value;
  std::vector<MergeField> merge_fields;
  bool multiline = false;
};

enum class DurationUnit : char { Minutes = 'm', Hours = 'h', Days = 'd', Weeks = 'w' };

struct Duration {
  Span span;
  int64_t amount = 0;  // negative when written with '-'
  DurationUnit unit = DurationUnit::Days;
  /// The duration in minutes of the sequence's calendar, where a day is
  /// 1440 minutes and a week is 5 days under `calendar business` (time runs
  /// on working days only), 7 under `calendar all_days`.
  [[nodiscard]] int64_t minutes(bool business_calendar) const;
};

enum class Per { Day, Week };

struct Rate {
  Span span;
  int64_t count = 0;
  Per per = Per::Day;
};

// ---------------------------------------------------------------------------
// Items

struct Import {
  Span span;
  StringLiteral path;
};

enum class FieldType { String, Number, Bool, Date, Option };

struct OptionValue {
  Name label;
  int64_t value = 0;
  Span value_span;
};

struct Field {
  Span span;
  Name name;
  FieldType type = FieldType::String;
  Span type_span;
  std::vector<OptionValue> options;
  bool nullable = false;
  /// `as COLUMN`: the Dataverse column, when its name differs from the field's.
  Name column;
  [[nodiscard]] std::string_view column_name() const { return column.empty() ? name.text : column.text; }
};

/// `link account: account by parentaccountid`: a many-to-one relationship
/// from this entity to `entity`, held in this entity's lookup column.
struct Link {
  Span span;
  Name name;
  Name entity;
  Name column;
};

/// An entity, or (in File::extensions) the fields and links an
/// `extend entity NAME { ... }` adds to one defined elsewhere.
struct Entity {
  Span span;
  Name name;
  std::vector<Field> fields;
  std::vector<Link> links;
  /// `entity owner as systemuser`: the Dataverse table, when its name differs.
  Name table;
  [[nodiscard]] std::string_view table_name() const { return table.empty() ? name.text : table.text; }
};

struct Template {
  Span span;
  Name name;
  Name entity;
  std::vector<StringLiteral> subjects;  // more than one is an error the checker reports
  std::vector<StringLiteral> bodies;
  std::vector<Span> subject_spans;  // the whole `subject "..."` property
  std::vector<Span> body_spans;
};

/// What a comparison in a filter tests. Eq..Ge are written as operators;
/// the others as words: `contains`, `starts_with`, `ends_with`, `in last N`,
/// `in next N`, `older than N`, `in this|last|next week|month|year`,
/// `is today|yesterday|tomorrow`, `owner is current_user`, `owner in GROUP`.
enum class CompareOp {
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Contains,
  StartsWith,
  EndsWith,
  InLast,
  InNext,
  OlderThan,
  Period,
  OwnerIs,
  OwnerIn
};

/// A literal in a segment filter.
struct Value {
  enum class Kind { String, Number, Bool, Label } kind = Kind::String;
  Span span;
  std::string text;  // decoded string, number as written, or the label
  bool boolean = false;
};

/// A node of a segment filter or a branch condition.
struct Expr {
  enum class Kind { Or, And, Not, Compare, In, IsNull, IsNotNull, Signal } kind = Kind::Or;
  Span span;
  std::vector<Expr> operands;  // Or, And, Not
  // Compare, In, IsNull, IsNotNull
  /// The links walked before the field: `account.industrycode` has links
  /// {account} and field industrycode.
  std::vector<Name> links;
  Name field;
  CompareOp op = CompareOp::Eq;
  /// Written with `not` after the field: `x not in [...]`, `x not contains "a"`,
  /// `owner is not current_user`.
  bool negated = false;
  Span op_span;
  std::vector<Value> values;
  /// InLast, InNext, OlderThan: the amount and its unit as written (30, "d").
  int64_t amount = 0;
  std::string unit;
  /// Period: today, yesterday, tomorrow, this_week, last_month...; OwnerIs,
  /// OwnerIn: current_user or the group.
  std::string word;
  // Signal
  Name signal;  // opened, clicked, replied, bounced, accepted, meeting_booked
  Name step;    // empty when the signal takes no step
};

struct Segment {
  Span span;
  Name name;
  Name entity;
  std::optional<Expr> filter;
};

// ---------------------------------------------------------------------------
// Sequences

enum class SettingKind { Title, Target, Segment, Team, Limit, Enroll, Calendar };

struct Setting {
  SettingKind kind = SettingKind::Title;
  Span span;
  StringLiteral text;  // Title, Team
  Name ref;            // Target (entity), Segment (segment)
  Name word;           // Segment: on_leave value; Limit: channel; Calendar: value
  Rate rate;           // Limit, Enroll
};

enum class OutcomeKind { None, CreateOpportunity, Qualify, Disqualify, Handoff };

struct ExitSpec {
  Span span;
  std::optional<StringLiteral> reason;
  OutcomeKind outcome = OutcomeKind::None;
  Span outcome_span;
  Name handoff;  // the sequence for OutcomeKind::Handoff
};

struct Handler {
  Span span;
  Name event;  // replied, bounced, unsubscribed, out_of_office, meeting_booked
  bool is_pause = false;
  ExitSpec exit;
  Duration pause;
};

/// The kinds of step (cadence/steps.def, in its order), then `goto`, a
/// statement that is not a step.
enum class StmtKind {
#define CADENCE_STEP(Id, name, channel, syntax, texts, required) Id,
#include "cadence/steps.def"
  Goto
};

/// An email's properties, then the text properties (cadence/steps.def, in
/// its order).
enum class PropertyKind {
  Template,
  Mode,
  Variant,
#define CADENCE_STEP_TEXT(Id, keyword, value, detail, missing, help) Id,
#include "cadence/steps.def"
};
inline constexpr int kFirstTextProperty = static_cast<int>(PropertyKind::Variant) + 1;
constexpr PropertyKind property_kind(vocabulary::StepText text) {
  return static_cast<PropertyKind>(kFirstTextProperty + static_cast<int>(text));
}
/// The text property a property is, if it is one.
constexpr std::optional<vocabulary::StepText> step_text(PropertyKind kind) {
  if (static_cast<int>(kind) < kFirstTextProperty) return std::nullopt;
  return static_cast<vocabulary::StepText>(static_cast<int>(kind) - kFirstTextProperty);
}

/// One property inside an activity's braces.
struct Property {
  PropertyKind kind = PropertyKind::Template;
  Span span;
  Name ref;             // Template: the template; Variant: the template
  Name word;            // Mode: auto/manual; Variant: the variant's name
  int64_t percent = 0;  // Variant
  Span percent_span;
  StringLiteral text;  // Text, Script, Note
};

struct Stmt;

struct Arm {
  Span span;
  Name name;  // yes, no, or a call outcome / else
  Span body_span;
  std::vector<Stmt> body;
};

struct Stmt {
  StmtKind kind = StmtKind::Exit;
  Span span;
  Span keyword_span;
  // Activities
  Name label;
  Name linkedin_kind;  // connect, message, inmail, research, introduction
  std::vector<Property> properties;
  // Wait; Branch's `within` (amount 0 and empty span when absent)
  Duration duration;
  bool has_within = false;
  // Branch. Held apart: most statements have no condition, and an inline
  // expression would more than double the size of every statement.
  std::unique_ptr<Expr> condition;
  // OutcomeBranch: the call step; Goto: the target
  Name target;
  std::vector<Arm> arms;
  // Exit
  ExitSpec exit;
};

struct Sequence {
  Span span;
  Name name;
  std::vector<Setting> settings;
  std::vector<Handler> handlers;
  std::vector<Stmt> body;
  /// Span of the first flow statement (settings must come before it).
  std::optional<Span> first_statement;
};

/// One parsed file.
struct File {
  File() = default;
  File(File&&) = default;
  File& operator=(File&&) = default;
  // Not copyable: the copy's string values would still view this file's
  // decoded strings.
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File() = default;

  /// The values of string literals that differ from their source text, at
  /// stable addresses (a deque never moves its elements) for their views.
  std::deque<std::string> decoded;
  std::vector<Import> imports;
  std::vector<Entity> entities;
  std::vector<Entity> extensions;
  std::vector<Template> templates;
  std::vector<Segment> segments;
  std::vector<Sequence> sequences;
};

}  // namespace cadence::ast
