// The kinds of node the parser records. Grammar rules that produce a node
// declare `static constexpr NodeKind node = NodeKind::...;`.
#pragma once

#include <cstdint>

namespace cadence::grammar {

enum class NodeKind : uint8_t {
  // Leaves
  Name,  // an identifier in a name or reference position
  Word,  // a keyword used as a value (a channel, an event, an arm...)
  Integer,
  Number,
  Bool,
  String,      // children: MergeField*
  MergeField,  // children: Name (entity), Name (field), FallbackString?
  FallbackString,
  Duration,
  Rate,
  Percent,
  Optional,  // the '?' after a field type
  TypeName,
  // Items
  Import,       // String
  Entity,       // Name Field*
  Field,        // Name (TypeName | OptionType) Optional?
  Link,         // Name Name(entity) Name(lookup column)
  Extension,    // Name(entity) (Field | Link)*
  OptionType,   // OptionValue*
  OptionValue,  // Name Integer
  Template,     // Name Name(entity) (Subject | Body)*
  Subject,      // String
  Body,         // String
  Segment,      // Name Name(entity) filter
  FilterOr,     // filter filter+   (single operands are not wrapped)
  FilterAnd,
  FilterNot,   // filter
  Comparison,  // Name+ (path) TailNot? (CompareOp value | TextOp value | InList | Window | InGroup |
               //         OlderThan | IsNull | IsWord)
  CompareOp,
  TextOp,
  TailNot,
  InList,     // value*
  Window,     // Word(last|next|this) (Amount | Word(week|month|year))
  Amount,     // 30d, 6 months
  InGroup,    // an owner group: my_teams, ...
  OlderThan,  // Amount
  IsNull,
  IsWord,    // today, yesterday, tomorrow, current_user
  Sequence,  // Name member*
  // Settings and handlers
  SettingTitle,     // String
  SettingTarget,    // Name
  SettingSegment,   // Name Word(on_leave)?
  SettingTeam,      // String
  SettingLimit,     // Word(channel) Rate
  SettingEnroll,    // Rate
  SettingCalendar,  // Word
  Handler,          // Word(event) (Exit | Pause)
  Exit,             // String? (Word | Handoff)?
  Handoff,          // Name
  Pause,            // Duration
  // Flow
  Email,          // Name (EmailTemplate | EmailMode | Variant)*
  EmailTemplate,  // Name
  EmailMode,      // Word
  Variant,        // Name Percent Name
  Linkedin,       // Word(kind) Name StepText*
  TextStep,       // Name StepText*: a step of cadence/steps.def's Texts syntax; its keyword names its kind
  StepText,       // String: a text property; its keyword names it
  Wait,           // Duration
  Goto,           // Name
  SignalBranch,   // condition Within? Arm*
  Within,         // Duration
  OutcomeBranch,  // Name(call) Arm*
  Arm,            // Word Block
  Block,          // statement*
  CondOr,
  CondAnd,
  CondNot,
  Signal,  // Word Name?
};

/// The nodes of flow statements: what a sequence's body and a block hold
/// besides settings and handlers.
constexpr bool is_statement(NodeKind kind) {
  switch (kind) {
    case NodeKind::Email:
    case NodeKind::Linkedin:
    case NodeKind::TextStep:
    case NodeKind::Wait:
    case NodeKind::Goto:
    case NodeKind::Exit:
    case NodeKind::SignalBranch:
    case NodeKind::OutcomeBranch: return true;
    default: return false;
  }
}

}  // namespace cadence::grammar
