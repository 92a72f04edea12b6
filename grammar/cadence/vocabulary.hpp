// The closed vocabularies of the language, each one enum with one table of
// names. The checker, the plan, completion, hover, the simulator and the
// grammar take their words from here: the grammar's word lists are these
// tables (`one_of<Table>` in cadence/grammar.hpp), their error messages are
// built from them, and tests hold the rest of the grammar's keyword rules
// and the editor grammars to the same lists.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cadence::vocabulary {

/// What a handler reacts to: `on EVENT ...`.
enum class Event : uint8_t { Replied, Bounced, Unsubscribed, OutOfOffice, MeetingBooked };
inline constexpr std::array<std::string_view, 5> kEvents{"replied", "bounced", "unsubscribed", "out_of_office",
                                                         "meeting_booked"};

// Built from the rows of cadence/steps.def: an enum, its names and a column
// of each table, indexed by the enum.
// clang-format off
/// The channel a touch uses; waits, branches and exits have none.
enum class Channel : uint8_t {
#define CADENCE_CHANNEL(Id, name, touch) Id,
#include "cadence/steps.def"
};
inline constexpr std::array kChannels{
#define CADENCE_CHANNEL(Id, name, touch) std::string_view(name),
#include "cadence/steps.def"
};
inline constexpr std::array kChannelIsTouch{
#define CADENCE_CHANNEL(Id, name, touch) touch,
#include "cadence/steps.def"
};

/// How a step is written: `Texts`, a label and braces of text properties,
/// which the grammar builds from the table; `Own`, a rule of its own.
enum class StepSyntax : uint8_t { Texts, Own };

/// The kinds of step, as the plan names them.
enum class StepKind : uint8_t {
#define CADENCE_STEP(Id, name, channel, syntax, texts, required) Id,
#include "cadence/steps.def"
};
inline constexpr std::array kStepKinds{
#define CADENCE_STEP(Id, name, channel, syntax, texts, required) std::string_view(name),
#include "cadence/steps.def"
};
inline constexpr std::array kStepChannels{
#define CADENCE_STEP(Id, name, channel, syntax, texts, required) Channel::channel,
#include "cadence/steps.def"
};
inline constexpr std::array kStepSyntax{
#define CADENCE_STEP(Id, name, channel, syntax, texts, required) StepSyntax::syntax,
#include "cadence/steps.def"
};

/// What a text property holds: a text with merge fields, or the logical
/// name of a custom Dataverse table.
enum class TextValue : uint8_t {
#define CADENCE_TEXT_VALUE(Id) Id,
#include "cadence/steps.def"
};

/// The properties a step gives as one string (`note "..."`).
enum class StepText : uint8_t {
#define CADENCE_STEP_TEXT(Id, keyword, value, detail, missing, help) Id,
#include "cadence/steps.def"
};
/// A text property's row: its keyword (and plan member), what it holds,
/// what completion says of it, and the checker's words when a step lacks it.
struct StepTextRow {
  std::string_view keyword;
  TextValue value;
  std::string_view detail;
  std::string_view missing;
  std::string_view help;
};
inline constexpr std::array kStepTextRows{
#define CADENCE_STEP_TEXT(Id, keyword, value, detail, missing, help) \
  StepTextRow{keyword, TextValue::value, detail, missing, help},
#include "cadence/steps.def"
};
// clang-format on
/// The keywords of the text properties, in the table's order.
inline constexpr auto kStepTexts = [] {
  std::array<std::string_view, kStepTextRows.size()> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out.at(i) = kStepTextRows.at(i).keyword;
  return out;
}();

/// A set of text properties, one bit each.
using TextSet = uint32_t;
constexpr TextSet text_bit(StepText text) { return TextSet{1} << static_cast<unsigned>(text); }
/// The set a column of the table lists ("activity note"). A word that names
/// no text property is not a constant expression, so the build stops there.
consteval TextSet text_set(std::string_view words) {
  TextSet set = 0;
  while (!words.empty()) {
    const std::size_t space = words.find(' ');
    const std::string_view word = words.substr(0, space);
    std::size_t i = 0;
    while (i < kStepTexts.size() && kStepTexts[i] != word) ++i;
    if (i == kStepTexts.size()) throw "cadence/steps.def: a step lists a text property the table does not define";
    set |= TextSet{1} << i;
    words = space == std::string_view::npos ? std::string_view() : words.substr(space + 1);
  }
  return set;
}
// clang-format off
inline constexpr std::array kStepTextSets{
#define CADENCE_STEP(Id, name, channel, syntax, texts, required) text_set(texts),
#include "cadence/steps.def"
};
inline constexpr std::array kStepRequiredTexts{
#define CADENCE_STEP(Id, name, channel, syntax, texts, required) text_set(required),
#include "cadence/steps.def"
};
// clang-format on
static_assert(
    [] {
      for (std::size_t i = 0; i < kStepTextSets.size(); ++i) {
        if ((kStepRequiredTexts[i] & ~kStepTextSets[i]) != 0) return false;
      }
      return true;
    }(),
    "cadence/steps.def: a step requires a text property it does not take");

/// How a kind of step is written.
constexpr StepSyntax syntax_of(StepKind kind) { return kStepSyntax[static_cast<std::size_t>(kind)]; }
/// The text properties a kind of step takes, and those it must give.
constexpr TextSet texts_of(StepKind kind) { return kStepTextSets[static_cast<std::size_t>(kind)]; }
constexpr TextSet required_texts_of(StepKind kind) { return kStepRequiredTexts[static_cast<std::size_t>(kind)]; }
constexpr bool in(TextSet set, StepText text) { return (set & text_bit(text)) != 0; }
/// The keyword of a text property, and what it holds.
constexpr std::string_view keyword_of(StepText text) { return kStepTexts[static_cast<std::size_t>(text)]; }
constexpr TextValue value_of(StepText text) { return kStepTextRows[static_cast<std::size_t>(text)].value; }

// clang-format off
/// What a branch condition reads.
enum class Signal : uint8_t {
#define CADENCE_SIGNAL(Id, name, channel) Id,
#include "cadence/steps.def"
};
inline constexpr std::array kSignals{
#define CADENCE_SIGNAL(Id, name, channel) std::string_view(name),
#include "cadence/steps.def"
};
inline constexpr std::array kSignalChannels{
#define CADENCE_SIGNAL(Id, name, channel) Channel::channel,
#include "cadence/steps.def"
};
// clang-format on

/// Whether the prospect receives a touch on the channel (a task is the
/// seller's own work).
constexpr bool is_touch(Channel channel) { return kChannelIsTouch[static_cast<std::size_t>(channel)]; }
/// The channel of a kind of step (None for waits, branches and exits).
constexpr Channel channel_of(StepKind kind) { return kStepChannels[static_cast<std::size_t>(kind)]; }
/// Whether a kind of step is a seller activity (a step with a channel).
constexpr bool is_activity(StepKind kind) { return channel_of(kind) != Channel::None; }
/// Whether a plan's step kind, by name, is a seller activity.
constexpr bool is_activity_name(std::string_view kind) {
  for (std::size_t i = 0; i < kStepKinds.size(); ++i) {
    if (kStepKinds[i] == kind) return is_activity(static_cast<StepKind>(i));
  }
  return false;
}
/// Whether a plan's channel, by name, is a touch the prospect receives.
constexpr bool is_touch_name(std::string_view channel) {
  for (std::size_t i = 0; i < kChannels.size(); ++i) {
    if (kChannels[i] == channel) return is_touch(static_cast<Channel>(i));
  }
  return false;
}
/// The channel a signal is raised on; None when any touch raises it (a
/// reply) or no touch does (a meeting booked).
constexpr Channel signal_channel(Signal signal) { return kSignalChannels[static_cast<std::size_t>(signal)]; }

/// The arms of a branch on signals.
inline constexpr std::array<std::string_view, 2> kSignalArms{"yes", "no"};

/// How a call went: the arms of `branch outcome(C)`, besides `else`.
enum class CallOutcome : uint8_t { Connected, Voicemail, NoAnswer, Busy, WrongNumber, NotInterested, CallbackLater };
inline constexpr std::array<std::string_view, 7> kCallOutcomes{
    "connected", "voicemail", "no_answer", "busy", "wrong_number", "not_interested", "callback_later"};
/// The arm an outcome branch takes for outcomes it does not list.
inline constexpr std::string_view kElseArm = "else";
/// How a call goes when nobody engages (the silent path, the worst case).
inline constexpr std::string_view kSilentCallOutcome = kCallOutcomes[2];

/// `linkedin KIND label { ... }`.
enum class LinkedinKind : uint8_t { Connect, Message, Inmail, Research, Introduction };
inline constexpr std::array<std::string_view, 5> kLinkedinKinds{"connect", "message", "inmail", "research",
                                                                "introduction"};

/// What an exit does besides ending the enrolment: `exit ... then OUTCOME`.
enum class Outcome : uint8_t { CreateOpportunity, Qualify, Disqualify, Handoff };
inline constexpr std::array<std::string_view, 4> kOutcomes{"create_opportunity", "qualify", "disqualify", "handoff"};

/// Field types of an entity.
inline constexpr std::array<std::string_view, 5> kFieldTypes{"string", "number", "bool", "date", "option"};

/// Channels a `limit` throttles.
inline constexpr std::array<std::string_view, 4> kLimitChannels{"email", "sms", "call", "linkedin"};

/// Keywords that start each kind of line.
inline constexpr std::array<std::string_view, 6> kItemKeywords{"import",   "entity",  "extend",
                                                               "template", "segment", "sequence"};
inline constexpr std::array<std::string_view, 7> kSettings{"title", "target", "segment", "team",
                                                           "limit", "enroll", "calendar"};
/// The statements of a flow: the activities (cadence/steps.def, in its
/// order), then the statements that are not activities.
inline constexpr std::array<std::string_view, 4> kControlKeywords{"wait", "branch", "exit", "goto"};
inline constexpr std::size_t kActivityKinds = [] {
  std::size_t count = 0;
  for (std::size_t i = 0; i < kStepKinds.size(); ++i) count += is_activity(static_cast<StepKind>(i)) ? 1 : 0;
  return count;
}();
/// The kinds of activity, in the table's order.
inline constexpr std::array<StepKind, kActivityKinds> kActivities = [] {
  std::array<StepKind, kActivityKinds> kinds{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < kStepKinds.size(); ++i) {
    if (is_activity(static_cast<StepKind>(i))) kinds.at(n++) = static_cast<StepKind>(i);
  }
  return kinds;
}();
inline constexpr std::array<std::string_view, kActivityKinds + kControlKeywords.size()> kFlowKeywords = [] {
  std::array<std::string_view, kActivityKinds + kControlKeywords.size()> words{};
  std::size_t n = 0;
  for (StepKind kind : kActivities) words.at(n++) = kStepKinds[static_cast<std::size_t>(kind)];
  for (std::string_view word : kControlKeywords) words.at(n++) = word;
  return words;
}();
inline constexpr std::array<std::string_view, 2> kTemplateProperties{"subject", "body"};
inline constexpr std::array<std::string_view, 2> kCalendars{"business", "all_days"};
inline constexpr std::array<std::string_view, 2> kLeaveActions{"pause", "exit"};
inline constexpr std::array<std::string_view, 2> kEmailModes{"auto", "manual"};

/// The name of an enumerator in its table.
template <typename Enum, std::size_t N>
constexpr std::string_view name_of(const std::array<std::string_view, N>& table, Enum value) {
  return table[static_cast<std::size_t>(value)];
}

/// Segment filters: what `is` and `in` accept besides null and lists.
/// Text matching: `companyname contains "acme"`.
inline constexpr std::array<std::string_view, 3> kTextTests{"contains", "starts_with", "ends_with"};
/// `owner is current_user`.
inline constexpr std::string_view kCurrentUser = "current_user";
/// `owner in GROUP`, and the FetchXML operator each compiles to.
enum class OwnerGroup : uint8_t { MyTeams, MeOrMyTeams, MyHierarchy, MyHierarchyAndTeams };
inline constexpr std::array<std::string_view, 4> kOwnerGroups{"my_teams", "me_or_my_teams", "my_hierarchy",
                                                              "my_hierarchy_and_teams"};
inline constexpr std::array<std::string_view, 4> kOwnerGroupOperators{
    "eq-userteams", "eq-useroruserteams", "eq-useroruserhierarchy", "eq-useroruserhierarchyandteams"};
/// Days and calendar periods: `is today`, `in this week`, `in last month`...
enum class Period : uint8_t {
  Today,
  Yesterday,
  Tomorrow,
  ThisWeek,
  ThisMonth,
  ThisYear,
  LastWeek,
  LastMonth,
  LastYear,
  NextWeek,
  NextMonth,
  NextYear
};
inline constexpr std::array<std::string_view, 12> kPeriods{"today",      "yesterday", "tomorrow",   "this_week",
                                                           "this_month", "this_year", "last_week",  "last_month",
                                                           "last_year",  "next_week", "next_month", "next_year"};
inline constexpr std::array<std::string_view, 12> kPeriodOperators{
    "today",     "yesterday",  "tomorrow",  "this-week", "this-month", "this-year",
    "last-week", "last-month", "last-year", "next-week", "next-month", "next-year"};
/// Units of `in last N`, `in next N` and `older than N` (minutes: `older than` only).
enum class WindowUnit : uint8_t { Minutes, Hours, Days, Weeks, Months, Years };
/// As FetchXML spells them in last-x-days, olderthan-x-months...
inline constexpr std::array<std::string_view, 6> kWindowUnitNames{"minutes", "hours",  "days",
                                                                  "weeks",   "months", "years"};

/// The unit a written unit means: d, day, days; h, hour, hours; w, week,
/// weeks; month, months; y, year, years; min, minute, minutes. A bare `m`
/// is refused: minutes or months?
inline std::optional<WindowUnit> window_unit(std::string_view word) {
  if (word == "min" || word == "minute" || word == "minutes") return WindowUnit::Minutes;
  if (word == "h" || word == "hour" || word == "hours") return WindowUnit::Hours;
  if (word == "d" || word == "day" || word == "days") return WindowUnit::Days;
  if (word == "w" || word == "week" || word == "weeks") return WindowUnit::Weeks;
  if (word == "month" || word == "months") return WindowUnit::Months;
  if (word == "y" || word == "year" || word == "years") return WindowUnit::Years;
  return std::nullopt;
}

/// The enumerator a word names in `table`, if any.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> find(const std::array<std::string_view, N>& table, std::string_view word) {
  for (std::size_t i = 0; i < N; ++i) {
    if (table[i] == word) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

/// True when `word` is in `table`.
template <std::size_t N>
constexpr bool contains(const std::array<std::string_view, N>& table, std::string_view word) {
  for (std::string_view entry : table) {
    if (entry == word) return true;
  }
  return false;
}

/// "a, b or c": the table as prose, for messages.
template <std::size_t N>
std::string prose_list(const std::array<std::string_view, N>& table, std::string_view last_joint = " or ") {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) out += i + 1 == N ? std::string(last_joint) : std::string(", ");
    out += table[i];
  }
  return out;
}

/// The FetchXML operator of a relative window: last-x-days, next-x-weeks,
/// olderthan-x-months...
inline std::string window_operator(bool next, bool older, WindowUnit unit) {
  return std::string(older  ? "olderthan-x-"
                     : next ? "next-x-"
                            : "last-x-") +
         std::string(kWindowUnitNames[static_cast<std::size_t>(unit)]);
}

inline std::optional<OwnerGroup> owner_group(std::string_view word) { return find<OwnerGroup>(kOwnerGroups, word); }
inline std::optional<Period> period(std::string_view word) { return find<Period>(kPeriods, word); }
inline std::string_view period_operator(Period period) { return kPeriodOperators[static_cast<std::size_t>(period)]; }

}  // namespace cadence::vocabulary
