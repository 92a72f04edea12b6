// The one reader of plans: it checks a JSON document and, as it goes, fills
// the typed plan (plan_read.hpp) that every consumer (diff, simulate,
// export, deploy, report, the playground) reads. None of them meets a
// member of the wrong type, a name that is not an identifier, a number out
// of its range, a step that does not exist or a loop.
//
// It holds a plan to docs/plan-v1.schema.json (the same members, types,
// patterns, enumerations and ranges), and to what a schema cannot say: ids
// unique, references that resolve, successors later in the step list (so no
// loops), arms that fit their step. One pass over the document, linear in
// its size.

#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cadence/lexical.hpp"
#include "cadence/vocabulary.hpp"
#include "emit/plan_read.hpp"
#include "support/duration.hpp"
#include "support/escape.hpp"

namespace cadence {
namespace {

namespace key = plan::key;

/// A problem found; thrown to stop at the first one.
struct Problem {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw Problem{std::move(message)}; }

/// Text of the plan quoted in a message: escaped, and cut when long.
std::string quote(std::string_view text) {
  constexpr std::size_t kShown = 60;
  if (text.size() <= kShown) return "'" + visible(text) + "'";
  std::size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + visible(text.substr(0, cut)) + "...'";
}

bool is_identifier(std::string_view text) {
  if (text.empty() || (text.front() >= '0' && text.front() <= '9')) return false;
  for (const char c : text) {
    if (!grammar::is_identifier_char(c)) return false;
  }
  return true;
}

/// `label` or `label.kindN` (`intro.wait1`, `start.branch2`).
bool is_step_id(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return is_identifier(text);
  if (!is_identifier(text.substr(0, dot))) return false;
  const std::string_view suffix = text.substr(dot + 1);
  std::size_t letters = 0;
  while (letters < suffix.size() && ((suffix[letters] >= 'a' && suffix[letters] <= 'z') || suffix[letters] == '_'))
    ++letters;
  if (letters == 0 || letters == suffix.size()) return false;
  for (std::size_t i = letters; i < suffix.size(); ++i) {
    if (suffix[i] < '0' || suffix[i] > '9') return false;
  }
  return true;
}

bool is_content_hash(std::string_view text) {
  if (text.size() != 7 + 64 || !text.starts_with("sha256:")) return false;
  for (const char c : text.substr(7)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

/// "a" or "an" before a step kind.
std::string_view article(std::string_view word) {
  return !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos ? "an" : "a";
}

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& table, std::string_view word) {
  return vocabulary::contains(table, word);
}

/// Reads one object of the plan, naming it in messages ("sequence 'x'").
template <typename Json>
class Object {
 public:
  Object(const Json& json, std::string where) : json_(json), where_(std::move(where)) {
    if (!json_.is_object()) fail(fmt::format("{} is not an object", where_));
  }

  [[nodiscard]] const std::string& where() const { return where_; }
  [[nodiscard]] const Json& json() const { return json_; }

  /// Every member is one of `keys` (the schema's additionalProperties: false).
  void only(std::initializer_list<std::string_view> keys) const { only(std::span(keys.begin(), keys.size()), {}); }
  /// Every member is one of `keys`, `more` or the text properties `texts`
  /// (cadence/steps.def).
  void only(std::span<const std::string_view> keys, std::initializer_list<std::string_view> more,
            vocabulary::TextSet texts = 0) const {
    for (const auto& [key, value] : json_.items()) {
      bool known = false;
      for (const std::string_view k : keys) known = known || k == key;
      for (const std::string_view k : more) known = known || k == key;
      for (std::size_t i = 0; i < vocabulary::kStepTexts.size(); ++i) {
        known =
            known || (vocabulary::in(texts, static_cast<vocabulary::StepText>(i)) && vocabulary::kStepTexts[i] == key);
      }
      if (!known)
        fail(fmt::format("{} has a member {} that plans of version {} do not have", where_, quote(key),
                         kPlanFormatVersion));
    }
  }

  [[nodiscard]] const Json* find(const char* key) const {
    const auto it = json_.find(key);
    return it == json_.end() ? nullptr : &*it;
  }

  [[nodiscard]] const Json& get(const char* key) const {
    const Json* value = find(key);
    if (value == nullptr) fail(fmt::format("{} has no '{}'", where_, key));
    return *value;
  }

  [[nodiscard]] const std::string& text(const char* key) const {
    const Json& value = get(key);
    if (!value.is_string()) fail(fmt::format("{}: '{}' is not text", where_, key));
    return value.template get_ref<const std::string&>();
  }

  /// Text or null; nothing for null.
  [[nodiscard]] const std::string* optional_text(const char* key) const {
    const Json& value = get(key);
    if (value.is_null()) return nullptr;
    if (!value.is_string()) fail(fmt::format("{}: '{}' is neither text nor null", where_, key));
    return &value.template get_ref<const std::string&>();
  }

  [[nodiscard]] const std::string& identifier(const char* key) const {
    const std::string& value = text(key);
    if (!is_identifier(value))
      fail(fmt::format("{}: '{}' is {}, which is not a name (letters, digits and _)", where_, key, quote(value)));
    return value;
  }

  [[nodiscard]] const std::string* optional_identifier(const char* key) const {
    const Json& value = get(key);
    if (value.is_null()) return nullptr;
    return &identifier(key);
  }

  template <std::size_t N>
  [[nodiscard]] const std::string& word(const char* key, const std::array<std::string_view, N>& table) const {
    const std::string& value = text(key);
    if (!one_of(table, value))
      fail(fmt::format("{}: '{}' is {}; it must be {}", where_, key, quote(value), vocabulary::prose_list(table)));
    return value;
  }

  [[nodiscard]] int64_t integer(const char* key, int64_t minimum, int64_t maximum, std::string_view unit = "") const {
    const Json& value = get(key);
    const std::string suffix = unit.empty() ? std::string() : " " + std::string(unit);
    if (!value.is_number_integer() ||
        (value.is_number_unsigned() && value.template get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))) {
      fail(fmt::format("{}: '{}' must be a whole number from {} to {}{}", where_, key, minimum, maximum, suffix));
    }
    const int64_t number = value.template get<int64_t>();
    if (number < minimum || number > maximum) {
      fail(fmt::format("{}: '{}' is {}{}; it must be from {} to {}{}", where_, key, number, suffix, minimum, maximum,
                       suffix));
    }
    return number;
  }

  [[nodiscard]] bool boolean(const char* key) const {
    const Json& value = get(key);
    if (!value.is_boolean()) fail(fmt::format("{}: '{}' must be true or false", where_, key));
    return value.template get<bool>();
  }

  [[nodiscard]] const Json& array(const char* key) const {
    const Json& value = get(key);
    if (!value.is_array()) fail(fmt::format("{}: '{}' is not an array", where_, key));
    return value;
  }

 private:
  const Json& json_;
  std::string where_;
};

constexpr std::array<std::string_view, 2> kRatePeriods{"day", "week"};
constexpr std::array<std::string_view, 3> kOutcomeKinds{"create_opportunity", "qualify", "disqualify"};
constexpr std::array<std::string_view, 2> kHandlerActions{"exit", "pause"};

template <typename Json>
class PlanReader {
  using Object = cadence::Object<Json>;

 public:
  plan::Plan plan(const Json& json) {
    const Object plan(json, "the plan");
    plan.only({key::kFormat, key::kVersion, key::kGenerator, key::kSource, key::kSequences});
    plan::Plan result;
    result.generator = plan.text(key::kGenerator);
    if (!result.generator.starts_with("cadence "))
      fail(fmt::format("its generator {} is not cadence", quote(result.generator)));
    result.source = plan.text(key::kSource);
    if (result.source.empty()) fail("its 'source' is empty");
    std::set<std::string> names;
    // Sequence names become folder names (cadence export -o DIR/): two
    // that differ only in case would share a folder on macOS and Windows.
    std::unordered_map<std::string, std::string> folded;
    const Json& sequences = plan.array(key::kSequences);
    result.sequences.reserve(sequences.size());
    for (const Json& each : sequences) {
      const Object probe(each, "a sequence of the plan");
      const std::string& name = probe.identifier(key::kName);
      if (!names.insert(name).second) fail(fmt::format("two sequences are named '{}'", name));
      const auto [it, fresh] = folded.emplace(lower(name), name);
      if (!fresh) {
        fail(
            fmt::format("sequences '{}' and '{}' differ only in case; their exports would share a folder on "
                        "file systems that ignore case",
                        it->second, name));
      }
      result.sequences.push_back(sequence(Object(each, fmt::format("sequence '{}'", name))));
      result.sequences.back().name = name;
    }
    return result;
  }

 private:
  static std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  }

  static std::optional<std::string> optional_string(const std::string* text) {
    return text != nullptr ? std::optional<std::string>(*text) : std::nullopt;
  }

  plan::Sequence sequence(const Object& sequence) {
    sequence.only({key::kName, key::kId, key::kTitle, key::kTarget, key::kTeam, key::kCalendar, key::kEnroll,
                   key::kLimits, key::kSegment, key::kReports, key::kHandlers, key::kTemplates, key::kEntry,
                   key::kSteps, key::kSummary, key::kLocation, key::kContentHash});
    plan::Sequence result;
    result.id = sequence.identifier(key::kId);
    result.title = optional_string(sequence.optional_text(key::kTitle));
    result.target = sequence.identifier(key::kTarget);
    result.team = optional_string(sequence.optional_text(key::kTeam));
    result.business_calendar = sequence.word(key::kCalendar, vocabulary::kCalendars) == "business";
    if (const Json& enroll = sequence.get(key::kEnroll); !enroll.is_null())
      result.enroll = rate(Object(enroll, sequence.where() + ", 'enroll'"));
    const Object limits(sequence.get(key::kLimits), sequence.where() + ", 'limits'");
    for (const auto& [channel, value] : limits.json().items()) {
      if (!one_of(vocabulary::kLimitChannels, channel))
        fail(fmt::format("{} has a limit for {}, which is not {}", sequence.where(), quote(channel),
                         vocabulary::prose_list(vocabulary::kLimitChannels)));
      result.limits.emplace_back(channel, rate(Object(value, fmt::format("{}, limit {}", sequence.where(), channel))));
    }
    if (const Json& segment = sequence.get(key::kSegment); !segment.is_null()) {
      const Object object(segment, sequence.where() + ", segment");
      object.only({key::kName, key::kEntity, key::kOnLeave, key::kFetchxml});
      plan::Segment& out = result.segment.emplace();
      out.name = object.identifier(key::kName);
      out.entity = object.identifier(key::kEntity);
      out.on_leave = object.word(key::kOnLeave, vocabulary::kLeaveActions);
      out.fetchxml = object.text(key::kFetchxml);
      if (!out.fetchxml.starts_with("<fetch>")) fail(object.where() + ": 'fetchxml' is not a <fetch>");
    }
    const Object reports(sequence.get(key::kReports), sequence.where() + ", 'reports'");
    reports.only({key::kAttribution, key::kEnrolled, key::kStepOutcomes});
    for (const char* query_member : {key::kAttribution, key::kEnrolled, key::kStepOutcomes}) {
      const std::string* query = reports.optional_text(query_member);
      const bool attribution = query_member == std::string_view(key::kAttribution);
      if (query == nullptr && !attribution) fail(fmt::format("{}: '{}' is null", reports.where(), query_member));
      // Attribution lists each opportunity once (a distinct query); plans
      // written before summed them (an aggregate one): both are read.
      if (query != nullptr && !query->starts_with("<fetch aggregate=\"true\">") &&
          !(attribution && query->starts_with("<fetch distinct=\"true\">")))
        fail(fmt::format("{}: '{}' is not {} <fetch>", reports.where(), query_member,
                         attribution ? "a distinct or aggregate" : "an aggregate"));
      if (attribution) {
        result.reports.attribution = optional_string(query);
      } else {
        (query_member == std::string_view(key::kEnrolled) ? result.reports.enrolled : result.reports.step_outcomes) =
            *query;
      }
    }
    std::set<std::string> events;
    for (const Json& each : sequence.array(key::kHandlers)) {
      const Object handler(each, sequence.where() + ", a handler");
      plan::Handler& out = result.handlers.emplace_back();
      out.event = handler.word(key::kEvent, vocabulary::kEvents);
      if (!events.insert(out.event).second)
        fail(fmt::format("{} has two handlers for {}", sequence.where(), out.event));
      const Object named(each, fmt::format("{}, handler '{}'", sequence.where(), out.event));
      if (named.word(key::kAction, kHandlerActions) == "exit") {
        named.only({key::kEvent, key::kAction, key::kReason, key::kOutcome});
        out.reason = named.text(key::kReason);
        out.outcome = outcome(named);
      } else {
        named.only({key::kEvent, key::kAction, key::kMinutes});
        out.pause = true;
        out.minutes = named.integer(key::kMinutes, 1, kMaxWaitMinutes, "minutes");
      }
    }
    templates_.clear();
    for (const Json& each : sequence.array(key::kTemplates)) {
      const Object item(each, sequence.where() + ", a template");
      const std::string& name = item.identifier(key::kName);
      const Object named(each, fmt::format("{}, template '{}'", sequence.where(), name));
      named.only({key::kName, key::kEntity, key::kSubject, key::kBody, key::kLocation});
      plan::Template& out = result.templates.emplace_back();
      out.name = name;
      out.entity = named.identifier(key::kEntity);
      out.subject = text(Object(named.get(key::kSubject), named.where() + ", subject"));
      out.body = text(Object(named.get(key::kBody), named.where() + ", body"));
      out.location = *location(named, false);
      if (!templates_.insert(name).second) fail(fmt::format("{} has two templates named '{}'", sequence.where(), name));
    }
    steps(sequence, result);
    result.summary = summary(sequence);
    result.location = *location(sequence, false);
    result.content_hash = sequence.text(key::kContentHash);
    if (!is_content_hash(result.content_hash))
      fail(fmt::format("{}: 'content_hash' is not \"sha256:\" and 64 hex digits", sequence.where()));
    return result;
  }

  static plan::Rate rate(const Object& rate) {
    rate.only({key::kCount, key::kPer});
    plan::Rate result;
    result.count = rate.integer(key::kCount, 1, kMaxPlanRate);
    result.per = rate.word(key::kPer, kRatePeriods) == "week" ? plan::Per::Week : plan::Per::Day;
    return result;
  }

  static std::optional<plan::Location> location(const Object& owner, bool nullable) {
    const Json& value = owner.get(key::kLocation);
    if (nullable && value.is_null()) return std::nullopt;
    const Object at(value, owner.where() + ", 'location'");
    at.only({key::kFile, key::kLine, key::kColumn});
    plan::Location result;
    result.file = at.text(key::kFile);
    result.line = at.integer(key::kLine, 1, UINT32_MAX);
    result.column = at.integer(key::kColumn, 1, UINT32_MAX);
    return result;
  }

  /// {text, merge_fields}.
  static plan::Text text(const Object& text) {
    text.only({key::kText, key::kMergeFields});
    plan::Text result;
    result.text = text.text(key::kText);
    for (const Json& each : text.array(key::kMergeFields)) {
      const Object field(each, text.where() + ", a merge field");
      field.only({key::kText, key::kEntity, key::kField, key::kTable, key::kColumn, key::kType, key::kNullable,
                  key::kFallback});
      plan::MergeField& out = result.merge_fields.emplace_back();
      out.text = field.text(key::kText);
      if (!out.text.starts_with("{{") || !out.text.ends_with("}}") || out.text.size() < 4)
        fail(fmt::format("{}: 'text' is {}, not a {{{{merge field}}}}", field.where(), quote(out.text)));
      out.entity = field.identifier(key::kEntity);
      out.field = field.identifier(key::kField);
      out.table = field.identifier(key::kTable);
      out.column = field.identifier(key::kColumn);
      out.type = field.word(key::kType, vocabulary::kFieldTypes);
      out.nullable = field.boolean(key::kNullable);
      out.fallback = optional_string(field.optional_text(key::kFallback));
    }
    return result;
  }

  /// The text properties of a step (cadence/steps.def): those its kind
  /// requires, and those it gives of the others it takes.
  static void step_texts(const Object& step, plan::Step& out) {
    for (std::size_t i = 0; i < vocabulary::kStepTexts.size(); ++i) {
      const auto property = static_cast<vocabulary::StepText>(i);
      if (!vocabulary::in(vocabulary::texts_of(out.kind), property)) continue;
      const char* key = vocabulary::kStepTexts[i].data();
      if (!vocabulary::in(vocabulary::required_texts_of(out.kind), property) && step.find(key) == nullptr) continue;
      std::optional<plan::Text>& member = out.*plan::kStepTextMembers[i];
      switch (vocabulary::value_of(property)) {
        case vocabulary::TextValue::Merge:
          member = text(Object(step.get(key), fmt::format("{}, '{}'", step.where(), key)));
          break;
        case vocabulary::TextValue::CustomTable: member = plan::Text{step.identifier(key), {}}; break;
      }
    }
  }

  static std::optional<plan::Outcome> outcome(const Object& owner) {
    const Json& value = owner.get(key::kOutcome);
    if (value.is_null()) return std::nullopt;
    const Object outcome(value, owner.where() + ", 'outcome'");
    plan::Outcome result;
    result.kind = outcome.text(key::kKind);
    if (result.kind == "handoff") {
      outcome.only({key::kKind, key::kSequence, key::kPin});
      result.sequence = outcome.identifier(key::kSequence);
      if (const Json& pin = outcome.get(key::kPin); !pin.is_null()) {
        const Object object(pin, outcome.where() + ", 'pin'");
        object.only({key::kId, key::kContentHash});
        plan::Pin& out = result.pin.emplace();
        out.id = object.identifier(key::kId);
        out.content_hash = object.text(key::kContentHash);
        if (!is_content_hash(out.content_hash))
          fail(fmt::format("{}: 'content_hash' is not \"sha256:\" and 64 hex digits", object.where()));
      }
      return result;
    }
    outcome.only({key::kKind});
    if (!one_of(kOutcomeKinds, result.kind))
      fail(fmt::format("{}: 'kind' is {}; it must be {} or handoff", outcome.where(), quote(result.kind),
                       vocabulary::prose_list(kOutcomeKinds, ", ")));
    return result;
  }

  using Ids = std::unordered_map<std::string_view, uint32_t>;

  void steps(const Object& sequence, plan::Sequence& result) {
    const Json& list = sequence.array(key::kSteps);
    if (list.empty()) fail(fmt::format("{} has no steps", sequence.where()));
    // First the ids and kinds, so that successors and conditions can be
    // checked against steps later in the list.
    Ids ids;
    ids.reserve(list.size());
    result.steps.resize(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Object unnamed(list[i], fmt::format("{}, step {}", sequence.where(), i + 1));
      const std::string& id = unnamed.text(key::kId);
      if (!is_step_id(id)) fail(fmt::format("{}: 'id' is {}, which is not a step id", unnamed.where(), quote(id)));
      const Object step(list[i], fmt::format("{}, step '{}'", sequence.where(), id));
      result.steps[i].id = id;
      result.steps[i].kind = *vocabulary::find<vocabulary::StepKind>(vocabulary::kStepKinds,
                                                                     step.word(key::kKind, vocabulary::kStepKinds));
      if (!ids.emplace(id, static_cast<uint32_t>(i)).second)
        fail(fmt::format("two steps of {} have the id '{}'", sequence.where(), id));
    }
    const std::string& entry = sequence.text(key::kEntry);
    const auto first = ids.find(entry);
    if (first == ids.end()) fail(fmt::format("{} has no entry step ('entry' is {})", sequence.where(), quote(entry)));
    result.entry = first->second;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Object step(list[i], fmt::format("{}, step '{}'", sequence.where(), result.steps[i].id));
      this->step(step, i, ids, result.steps);
    }
  }

  void step(const Object& step, std::size_t index, const Ids& ids, std::vector<plan::Step>& steps) {
    plan::Step& out = steps[index];
    const std::string_view kind = out.kind_name();
    const Object timing(step.get(key::kTiming), step.where() + ", 'timing'");
    timing.only({key::kEarliestMinutes, key::kLatestMinutes});
    out.earliest_minutes = timing.integer(key::kEarliestMinutes, 0, kMaxPlanMinutes, "minutes");
    out.latest_minutes = timing.integer(key::kLatestMinutes, 0, kMaxPlanMinutes, "minutes");
    if (out.earliest_minutes > out.latest_minutes)
      fail(fmt::format("{}: it is due at the earliest after its latest time", step.where()));
    out.location = location(step, true);

    // The members of each kind (the schema's if/then), and its arms.
    std::vector<std::string_view> arms;
    std::size_t min_edges = 1, max_edges = 1;
    if (out.is_activity()) {
      // The channel of each kind of step is the table's (cadence/steps.def).
      out.channel = vocabulary::channel_of(out.kind);
      const std::string_view channel = out.channel_name();
      if (step.text(key::kChannel) != channel)
        fail(fmt::format("{}: 'channel' is {}; the channel of {} {} step is {}", step.where(),
                         quote(step.text(key::kChannel)), article(kind), kind, channel));
      arms = {"next"};
      min_edges = 0;  // the last step of a hand-written plan may have none
    }
    // Every step's members, then each kind's own (the schema's if/then).
    static constexpr std::array<std::string_view, 6> kActivityMembers{key::kId,     key::kKind, key::kChannel,
                                                                      key::kTiming, key::kNext, key::kLocation};
    static constexpr std::array<std::string_view, 5> kStepMembers{key::kId, key::kKind, key::kTiming, key::kNext,
                                                                  key::kLocation};
    const std::span<const std::string_view> common = out.is_activity()
                                                         ? std::span<const std::string_view>(kActivityMembers)
                                                         : std::span<const std::string_view>(kStepMembers);
    using vocabulary::StepKind;
    switch (out.kind) {
      case StepKind::Email: {
        step.only(common, {key::kMode, key::kTemplate, key::kVariants});
        out.mode = step.word(key::kMode, vocabulary::kEmailModes);
        out.template_name = optional_string(step.optional_identifier(key::kTemplate));
        if (out.template_name) template_used(step, *out.template_name);
        if (const Json* variants = step.find(key::kVariants)) {
          if (!variants->is_array() || variants->size() < 2)
            fail(fmt::format("{}: 'variants' must list two or more variants", step.where()));
          int64_t total = 0;
          for (const Json& each : *variants) {
            const Object variant(each, step.where() + ", a variant");
            variant.only({key::kName, key::kPercent, key::kTemplate});
            plan::Variant& v = out.variants.emplace_back();
            v.name = variant.identifier(key::kName);
            v.percent = variant.integer(key::kPercent, 10, 90, "percent");
            total += v.percent;
            v.template_name = variant.identifier(key::kTemplate);
            template_used(variant, v.template_name);
          }
          if (total != 100) fail(fmt::format("{}: the variants' shares add up to {}%, not 100%", step.where(), total));
        } else if (!out.template_name) {
          fail(fmt::format("{} has neither a template nor variants", step.where()));
        }
        break;
      }
      case StepKind::Linkedin:
        step.only(common, {key::kAction}, vocabulary::texts_of(out.kind));
        out.action = step.word(key::kAction, vocabulary::kLinkedinKinds);
        step_texts(step, out);
        break;
      case StepKind::Wait:
        step.only(common, {key::kMinutes});
        out.minutes = step.integer(key::kMinutes, 1, kMaxWaitMinutes, "minutes");
        arms = {"next"};
        break;
      case StepKind::Branch:
        step.only(common, {key::kCondition, key::kWithinMinutes});
        out.condition = condition(Object(step.get(key::kCondition), step.where() + ", 'condition'"), ids, 0);
        if (!step.get(key::kWithinMinutes).is_null())
          out.within_minutes = step.integer(key::kWithinMinutes, 1, kMaxWaitMinutes, "minutes");
        arms = {"yes", "no"};
        min_edges = max_edges = 2;
        break;
      case StepKind::OutcomeBranch: {
        step.only(common, {key::kCall});
        const std::string& call = step.identifier(key::kCall);
        const auto it = ids.find(call);
        if (it == ids.end() || steps[it->second].kind != StepKind::Call || it->second >= index)
          fail(fmt::format("{}: 'call' names no call step before it", step.where()));
        out.call = it->second;
        arms.assign(vocabulary::kCallOutcomes.begin(), vocabulary::kCallOutcomes.end());
        arms.push_back(vocabulary::kElseArm);
        max_edges = arms.size();
        break;
      }
      case StepKind::Exit:
        step.only(common, {key::kReason, key::kOutcome});
        out.reason = step.text(key::kReason);
        out.outcome = outcome(step);
        min_edges = max_edges = 0;
        break;
      default:
        // A step of text properties alone (cadence/steps.def's Texts syntax).
        step.only(common, {}, vocabulary::texts_of(out.kind));
        step_texts(step, out);
        break;
    }

    const Json& next = step.array(key::kNext);
    if (next.size() < min_edges || next.size() > max_edges) {
      fail(fmt::format(
          "{} has {} successor{}; {} {} step has {}", step.where(), next.size(), next.size() == 1 ? "" : "s",
          article(kind), kind,
          min_edges == max_edges ? std::to_string(min_edges) : fmt::format("{} to {}", min_edges, max_edges)));
    }
    std::set<std::string_view> seen;
    for (const Json& each : next) {
      const Object edge(each, step.where() + ", 'next'");
      edge.only({key::kArm, key::kStep, key::kMinDelayMinutes, key::kMaxDelayMinutes});
      plan::Edge& e = out.next.emplace_back();
      e.arm = edge.text(key::kArm);
      if (std::find(arms.begin(), arms.end(), e.arm) == arms.end())
        fail(fmt::format("{}: {} is not an arm of a {} step", edge.where(), quote(e.arm), kind));
      if (!seen.insert(edge.text(key::kArm)).second)
        fail(fmt::format("{}: the arm {} is there twice", edge.where(), e.arm));
      const std::string& target = edge.text(key::kStep);
      const auto it = ids.find(target);
      if (it == ids.end()) fail(fmt::format("{} leads to {}, which is not a step", step.where(), quote(target)));
      // Successors come later: plans never loop.
      if (it->second <= index)
        fail(fmt::format("{} leads back to '{}'; plans list every successor after its step and never loop",
                         step.where(), target));
      e.step = it->second;
      // An edge's delay is a wait's, or a branch's window: 30 days at most.
      e.min_delay_minutes = edge.integer(key::kMinDelayMinutes, 0, kMaxWaitMinutes, "minutes");
      e.max_delay_minutes = edge.integer(key::kMaxDelayMinutes, 0, kMaxWaitMinutes, "minutes");
      if (e.min_delay_minutes > e.max_delay_minutes)
        fail(fmt::format("{}: 'min_delay_minutes' is above 'max_delay_minutes'", edge.where()));
    }
    if (out.kind == StepKind::Branch && seen.size() == 2 && (!seen.contains("yes") || !seen.contains("no")))
      fail(fmt::format("{} must have a yes and a no arm", step.where()));
    if (out.kind == StepKind::OutcomeBranch && !seen.contains(vocabulary::kElseArm))
      fail(fmt::format("{} has no else arm", step.where()));
  }

  void template_used(const Object& owner, const std::string& name) const {
    if (!templates_.contains(name))
      fail(fmt::format("{} uses template '{}', which is not among the sequence's templates", owner.where(), name));
  }

  plan::Condition condition(const Object& condition, const Ids& ids, std::size_t depth) {
    // Nesting is bounded by the JSON reader; say so plainly all the same.
    if (depth > 256) fail(condition.where() + " nests too deeply");
    plan::Condition result;
    if (const Json* inner = condition.find(key::kNot)) {
      condition.only({key::kNot});
      result.op = plan::Condition::Op::Not;
      result.operands.push_back(this->condition(Object(*inner, condition.where()), ids, depth + 1));
      return result;
    }
    for (const char* group : {key::kAll, key::kAny}) {
      if (const Json* list = condition.find(group)) {
        condition.only({group});
        if (!list->is_array() || list->size() < 2)
          fail(fmt::format("{}: '{}' must list two or more conditions", condition.where(), group));
        result.op = group == std::string_view(key::kAll) ? plan::Condition::Op::All : plan::Condition::Op::Any;
        for (const Json& each : *list)
          result.operands.push_back(this->condition(Object(each, condition.where()), ids, depth + 1));
        return result;
      }
    }
    condition.only({key::kSignal, key::kStep});
    result.signal =
        *vocabulary::find<vocabulary::Signal>(vocabulary::kSignals, condition.word(key::kSignal, vocabulary::kSignals));
    const Json& step = condition.get(key::kStep);
    if (step.is_null()) return result;
    const std::string& id = condition.text(key::kStep);
    const auto it = ids.find(id);
    if (it == ids.end()) fail(fmt::format("{} reads {}, which is not a step", condition.where(), quote(id)));
    result.step = it->second;
    return result;
  }

  static plan::Summary summary(const Object& sequence) {
    const Object summary(sequence.get(key::kSummary), sequence.where() + ", 'summary'");
    summary.only({key::kSilentPath, key::kSilentTouches, key::kSilentTouchCount, key::kShortestMinutes,
                  key::kLongestMinutes, key::kWorstCaseEmails});
    plan::Summary result;
    for (const Json& id : summary.array(key::kSilentPath)) {
      if (!id.is_string() || !is_step_id(id.template get_ref<const std::string&>()))
        fail(summary.where() + ": 'silent_path' lists something that is not a step id");
      result.silent_path.push_back(id.template get<std::string>());
    }
    const Object touches(summary.get(key::kSilentTouches), summary.where() + ", 'silent_touches'");
    for (const auto& [channel, count] : touches.json().items()) {
      const auto known = vocabulary::find<vocabulary::Channel>(vocabulary::kChannels, channel);
      if (!known || *known == vocabulary::Channel::None)
        fail(fmt::format("{}: {} is not a channel", touches.where(), quote(channel)));
      result.silent_touches.emplace_back(channel, touches.integer(channel.c_str(), 0, kMaxPlanMinutes));
    }
    result.silent_touch_count = summary.integer(key::kSilentTouchCount, 0, kMaxPlanMinutes);
    result.shortest_minutes = summary.integer(key::kShortestMinutes, 0, kMaxPlanMinutes, "minutes");
    result.longest_minutes = summary.integer(key::kLongestMinutes, 0, kMaxPlanMinutes, "minutes");
    if (result.shortest_minutes > result.longest_minutes)
      fail(summary.where() + ": 'shortest_minutes' is above 'longest_minutes'");
    result.worst_case_emails = summary.integer(key::kWorstCaseEmails, 0, kMaxPlanMinutes);
    return result;
  }

  std::unordered_set<std::string> templates_;
};

template <typename Json>
bool is_plan(const Json& document) {
  if (!document.is_object()) return false;
  const auto format = document.find(key::kFormat);
  return format != document.end() && format->is_string() &&
         format->template get_ref<const std::string&>() == kPlanFormat;
}

template <typename Json>
std::optional<plan::Plan> read(const Json& document, std::string& problem) {
  // The format and version first: a plan of another version is told so,
  // not given a list of members it lacks.
  if (!is_plan(document)) {
    problem = "it is not a Cadence plan";
    return std::nullopt;
  }
  const auto version = document.find(key::kVersion);
  if (version == document.end() || !version->is_number_integer() || *version != kPlanFormatVersion) {
    problem = fmt::format("it is a plan of format version {}; this cadence reads version {}",
                          version == document.end() ? "none" : visible(version->dump()), kPlanFormatVersion);
    return std::nullopt;
  }
  try {
    return PlanReader<Json>().plan(document);
  } catch (const Problem& found) {
    problem = found.message;
  }
  return std::nullopt;
}

}  // namespace

namespace plan {

std::string_view per_name(Per per) { return kRatePeriods[static_cast<std::size_t>(per)]; }

const Text* Step::carried_text() const {
  for (std::size_t i = 0; i < kStepTextMembers.size(); ++i) {
    const std::optional<Text>& member = this->*kStepTextMembers[i];
    if (member && vocabulary::value_of(static_cast<vocabulary::StepText>(i)) == vocabulary::TextValue::Merge)
      return &*member;
  }
  return nullptr;
}

const Handler* Sequence::handler(std::string_view event) const {
  for (const Handler& each : handlers) {
    if (each.event == event) return &each;
  }
  return nullptr;
}

const Template* Sequence::find_template(std::string_view name) const {
  for (const Template& each : templates) {
    if (each.name == name) return &each;
  }
  return nullptr;
}

const Step* Sequence::step(std::string_view id) const {
  for (const Step& each : steps) {
    if (each.id == id) return &each;
  }
  return nullptr;
}

nlohmann::ordered_json location_json(const Location& location) {
  return nlohmann::ordered_json{
      {key::kFile, location.file}, {key::kLine, location.line}, {key::kColumn, location.column}};
}

}  // namespace plan

bool is_plan_document(const nlohmann::json& document) { return is_plan(document); }
bool is_plan_document(const nlohmann::ordered_json& document) { return is_plan(document); }

std::optional<plan::Plan> read_plan(const nlohmann::json& document, std::string& problem) {
  // One instantiation of the reader, over the type plans are built and
  // exported in; a document of the other type (sorted members) is copied
  // into it, which keeps its order, and so the reader's messages.
  return read(nlohmann::ordered_json(document), problem);
}
std::optional<plan::Plan> read_plan(const nlohmann::ordered_json& document, std::string& problem) {
  return read(document, problem);
}

std::optional<std::string> plan_problem(const nlohmann::json& document) {
  std::string problem;
  if (read_plan(document, problem)) return std::nullopt;
  return problem;
}

}  // namespace cadence
