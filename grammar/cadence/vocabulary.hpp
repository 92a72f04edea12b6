// The closed vocabularies of the language, each one enum with one table of
// names. The checker, the plan, completion, hover, the simulator and the
// grammar's messages take their words from here; tests hold the grammar's
// keyword rules and the editor grammars to the same lists.
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

/// What a branch condition reads.
enum class Signal : uint8_t { Opened, Clicked, Replied, Bounced, Accepted, MeetingBooked };
inline constexpr std::array<std::string_view, 6> kSignals{"opened",  "clicked",  "replied",
                                                          "bounced", "accepted", "meeting_booked"};

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

/// Step kinds as the plan names them.
inline constexpr std::array<std::string_view, 9> kStepKinds{"email", "sms",    "call",           "linkedin", "task",
                                                            "wait",  "branch", "outcome_branch", "exit"};

/// Keywords that start each kind of line.
inline constexpr std::array<std::string_view, 5> kItemKeywords{"import", "entity", "template", "segment", "sequence"};
inline constexpr std::array<std::string_view, 7> kSettings{"title", "target", "segment", "team",
                                                           "limit", "enroll", "calendar"};
inline constexpr std::array<std::string_view, 9> kFlowKeywords{"email", "sms",    "call", "linkedin", "task",
                                                               "wait",  "branch", "exit", "goto"};
inline constexpr std::array<std::string_view, 2> kTemplateProperties{"subject", "body"};
inline constexpr std::array<std::string_view, 2> kCalendars{"business", "all_days"};
inline constexpr std::array<std::string_view, 2> kLeaveActions{"pause", "exit"};
inline constexpr std::array<std::string_view, 2> kEmailModes{"auto", "manual"};

/// The name of an enumerator in its table.
template <typename Enum, std::size_t N>
constexpr std::string_view name_of(const std::array<std::string_view, N>& table, Enum value) {
  return table[static_cast<std::size_t>(value)];
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

}  // namespace cadence::vocabulary
