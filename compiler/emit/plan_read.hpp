// The plan as its readers see it: typed, and checked once.
//
// read_plan() is the one way into a plan read from JSON (a file, stdin, the
// playground) or built in memory: it holds the document to its format
// version (docs/plan-v1.schema.json: members, types, names that are
// identifiers, enumerations, ranges) and to what a schema cannot say (ids
// unique, references that resolve, successors after their step, arms that
// fit their step), and answers with the Plan below or the first problem.
// The simulator, the exporters and the deployer read these types, never the
// JSON. Member names are spelled once, in plan_members.def: the writer
// (plan.cpp), this reader and the diff name them through plan::key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cadence/vocabulary.hpp"

namespace cadence {

/// Version of the plan format; bumped on any incompatible change. The JSON
/// Schema for each version ships as docs/plan-v<N>.schema.json.
inline constexpr int kPlanFormatVersion = 1;
/// The plan document's "format" member: what marks a JSON file as a plan.
inline constexpr std::string_view kPlanFormat = "cadence-plan";

/// The largest number of minutes a plan holds anywhere (timing, delays, the
/// summary's figures and counts): 2^42, about 8 million years. No source
/// reaches it (see plan.hpp). Readers may multiply it by 60,000
/// (milliseconds) without overflow.
inline constexpr int64_t kMaxPlanMinutes = int64_t{1} << 42;
static_assert(kMaxPlanMinutes < INT64_MAX / 60'000);
/// The largest rate (`enroll`, `limit`) a plan holds: the largest number a
/// source may write.
inline constexpr int64_t kMaxPlanRate = 1'000'000'000;

namespace plan {

/// The plan's member names (plan_members.def): key::kContentHash is
/// "content_hash".
namespace key {
#define CADENCE_PLAN_MEMBER(Id, name) inline constexpr const char* k##Id = name;
#include "emit/plan_members.def"
}  // namespace key

/// Where a thing is written: the file relative to the project, 1-based.
struct Location {
  std::string file;
  int64_t line = 0;
  int64_t column = 0;
};

/// A merge field of a text, resolved to its table and column.
struct MergeField {
  /// As written: "{{lead.firstname|there}}".
  std::string text;
  std::string entity;
  std::string field;
  std::string table;
  std::string column;
  std::string type;
  bool nullable = false;
  std::optional<std::string> fallback;
};

/// A text of the plan (a subject, a body, a script, a note, an SMS).
struct Text {
  std::string text;
  std::vector<MergeField> merge_fields;
};

enum class Per : uint8_t { Day, Week };
[[nodiscard]] std::string_view per_name(Per per);

/// `enroll 40/day`, `limit call 20/week`.
struct Rate {
  int64_t count = 0;
  Per per = Per::Day;
};

/// The version of a sequence a hand-off was built against.
struct Pin {
  std::string id;
  std::string content_hash;
};

/// What an exit does to the record: vocabulary::kOutcomes' word in `kind`;
/// a hand-off names its sequence.
struct Outcome {
  std::string kind;
  std::string sequence;
  std::optional<Pin> pin;
  [[nodiscard]] bool handoff() const { return kind == "handoff"; }
};

/// A branch's condition: a signal (of a step, or since enrolment), or not,
/// all or any of its operands.
struct Condition {
  enum class Op : uint8_t { Signal, Not, All, Any };
  Op op = Op::Signal;
  vocabulary::Signal signal{};
  /// The step whose signal is read (its index in the sequence's steps);
  /// none: since enrolment.
  std::optional<uint32_t> step;
  std::vector<Condition> operands;
};

/// An arm out of a step.
struct Edge {
  /// "next", "yes", "no", a call outcome or "else".
  std::string arm;
  /// The successor's index in the sequence's steps (always after this one).
  uint32_t step = 0;
  int64_t min_delay_minutes = 0;
  int64_t max_delay_minutes = 0;
};

/// An A/B variant of an email step.
struct Variant {
  std::string name;
  int64_t percent = 0;
  std::string template_name;
};

struct Step {
  std::string id;
  vocabulary::StepKind kind{};
  vocabulary::Channel channel = vocabulary::Channel::None;
  /// email: "auto" or "manual"; its template, or its variants.
  std::string mode;
  std::optional<std::string> template_name;
  std::vector<Variant> variants;
  /// The text properties (cadence/steps.def) its kind takes: sms `text`;
  /// call `script`; linkedin, task and custom `note`; custom `activity`, the
  /// activity table (a name: a text without merge fields).
  std::optional<Text> text;
  std::optional<Text> script;
  std::optional<Text> note;
  std::optional<Text> activity;
  /// linkedin: the kind of touch (vocabulary::kLinkedinKinds).
  std::string action;
  /// wait: its minutes.
  int64_t minutes = 0;
  /// branch: its condition and window.
  std::optional<Condition> condition;
  std::optional<int64_t> within_minutes;
  /// outcome_branch: the index of the call it reads.
  uint32_t call = 0;
  /// exit: why, and what it does.
  std::string reason;
  std::optional<Outcome> outcome;
  int64_t earliest_minutes = 0;
  int64_t latest_minutes = 0;
  std::vector<Edge> next;
  /// None for the exit the compiler adds after the last step.
  std::optional<Location> location;

  [[nodiscard]] std::string_view kind_name() const { return vocabulary::kStepKinds[static_cast<std::size_t>(kind)]; }
  [[nodiscard]] std::string_view channel_name() const {
    return vocabulary::kChannels[static_cast<std::size_t>(channel)];
  }
  /// A touch or a task: a step someone does.
  [[nodiscard]] bool is_activity() const { return vocabulary::is_activity(kind); }
  /// The text a step carries (script, note or text), if any.
  [[nodiscard]] const Text* carried_text() const;
};

/// Where a step keeps each text property, in cadence/steps.def's order.
inline constexpr std::array kStepTextMembers{&Step::text, &Step::script, &Step::note, &Step::activity};
static_assert(kStepTextMembers.size() == vocabulary::kStepTexts.size(),
              "a text property of cadence/steps.def needs a member of plan::Step");

/// `on replied exit`, `on out_of_office pause 5d`.
struct Handler {
  std::string event;
  bool pause = false;
  /// pause: how long.
  int64_t minutes = 0;
  /// exit: why, and what it does.
  std::string reason;
  std::optional<Outcome> outcome;
};

struct Template {
  std::string name;
  std::string entity;
  Text subject;
  Text body;
  Location location;
};

struct Segment {
  std::string name;
  std::string entity;
  /// "pause" or "exit": what happens to a record that leaves the segment.
  std::string on_leave;
  std::string fetchxml;
};

/// The report queries of a sequence (FetchXML), for `cadence report`.
struct Reports {
  std::optional<std::string> attribution;
  std::string enrolled;
  std::string step_outcomes;
};

/// What the compiler worked out of the silent path (nobody engages).
struct Summary {
  std::vector<std::string> silent_path;
  std::vector<std::pair<std::string, int64_t>> silent_touches;
  int64_t silent_touch_count = 0;
  int64_t shortest_minutes = 0;
  int64_t longest_minutes = 0;
  int64_t worst_case_emails = 0;
};

struct Sequence {
  std::string name;
  std::string id;
  std::optional<std::string> title;
  std::string target;
  std::optional<std::string> team;
  bool business_calendar = true;
  std::optional<Rate> enroll;
  /// By channel, in the plan's order.
  std::vector<std::pair<std::string, Rate>> limits;
  std::optional<Segment> segment;
  Reports reports;
  std::vector<Handler> handlers;
  std::vector<Template> templates;
  /// The index of the first step.
  uint32_t entry = 0;
  std::vector<Step> steps;
  Summary summary;
  Location location;
  std::string content_hash;

  /// The handler of `event`, or null.
  [[nodiscard]] const Handler* handler(std::string_view event) const;
  /// The template of that name, or null.
  [[nodiscard]] const Template* find_template(std::string_view name) const;
  /// The step of that id, or null (a linear search).
  [[nodiscard]] const Step* step(std::string_view id) const;
  /// The sequence's name on a platform: its title, else its name.
  [[nodiscard]] const std::string& display_name() const { return title ? *title : name; }
};

struct Plan {
  std::string generator;
  std::string source;
  std::vector<Sequence> sequences;
};

/// A location as the plan writes it ({file, line, column}).
[[nodiscard]] nlohmann::ordered_json location_json(const Location& location);

}  // namespace plan

/// True when `document` is an object whose "format" is "cadence-plan",
/// whatever else it holds (a member of any type is read without throwing).
[[nodiscard]] bool is_plan_document(const nlohmann::json& document);
[[nodiscard]] bool is_plan_document(const nlohmann::ordered_json& document);

/// The plan `document` holds, or why it is not a plan of this format
/// version (`problem`). Linear in the plan's size.
[[nodiscard]] std::optional<plan::Plan> read_plan(const nlohmann::json& document, std::string& problem);
[[nodiscard]] std::optional<plan::Plan> read_plan(const nlohmann::ordered_json& document, std::string& problem);

/// Why `document` is not a plan of this format version, if so (read_plan's
/// problem).
[[nodiscard]] std::optional<std::string> plan_problem(const nlohmann::json& document);

}  // namespace cadence
