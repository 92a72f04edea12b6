// The one check of a plan read from JSON: every consumer (diff, simulate,
// export, the playground) reads only plans it accepts, so none of them
// meets a member of the wrong type, a name that is not an identifier, a
// number out of its range, a step that does not exist or a loop.
//
// It holds a plan to docs/plan-v1.schema.json (the same members, types,
// patterns, enumerations and ranges), and to what a schema cannot say: ids
// unique, references that resolve, successors later in the step list (so no
// loops), arms that fit their step. One pass over the document, linear in
// its size.

#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cadence/lexical.hpp"
#include "cadence/vocabulary.hpp"
#include "emit/plan.hpp"
#include "support/duration.hpp"
#include "support/escape.hpp"

namespace cadence {
namespace {

using Json = nlohmann::json;

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
class Object {
 public:
  Object(const Json& json, std::string where) : json_(json), where_(std::move(where)) {
    if (!json_.is_object()) fail(fmt::format("{} is not an object", where_));
  }

  [[nodiscard]] const std::string& where() const { return where_; }
  [[nodiscard]] const Json& json() const { return json_; }

  /// Every member is one of `keys` (the schema's additionalProperties: false).
  void only(std::initializer_list<std::string_view> keys) const {
    for (const auto& [key, value] : json_.items()) {
      bool known = false;
      for (const std::string_view k : keys) known = known || k == key;
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
    return value.get_ref<const std::string&>();
  }

  /// Text or null; nothing for null.
  [[nodiscard]] const std::string* optional_text(const char* key) const {
    const Json& value = get(key);
    if (value.is_null()) return nullptr;
    if (!value.is_string()) fail(fmt::format("{}: '{}' is neither text nor null", where_, key));
    return &value.get_ref<const std::string&>();
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
        (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))) {
      fail(fmt::format("{}: '{}' must be a whole number from {} to {}{}", where_, key, minimum, maximum, suffix));
    }
    const int64_t number = value.get<int64_t>();
    if (number < minimum || number > maximum) {
      fail(fmt::format("{}: '{}' is {}{}; it must be from {} to {}{}", where_, key, number, suffix, minimum, maximum,
                       suffix));
    }
    return number;
  }

  [[nodiscard]] bool boolean(const char* key) const {
    const Json& value = get(key);
    if (!value.is_boolean()) fail(fmt::format("{}: '{}' must be true or false", where_, key));
    return value.get<bool>();
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

class PlanChecker {
 public:
  void plan(const Json& json) {
    const Object plan(json, "the plan");
    plan.only({"format", "version", "generator", "source", "sequences"});
    const std::string& generator = plan.text("generator");
    if (!generator.starts_with("cadence ")) fail(fmt::format("its generator {} is not cadence", quote(generator)));
    if (plan.text("source").empty()) fail("its 'source' is empty");
    std::set<std::string> names;
    // Sequence names become folder names (cadence export -o DIR/): two
    // that differ only in case would share a folder on macOS and Windows.
    std::unordered_map<std::string, std::string> folded;
    for (const Json& each : plan.array("sequences")) {
      const Object probe(each, "a sequence of the plan");
      const std::string& name = probe.identifier("name");
      if (!names.insert(name).second) fail(fmt::format("two sequences are named '{}'", name));
      const auto [it, fresh] = folded.emplace(lower(name), name);
      if (!fresh) {
        fail(
            fmt::format("sequences '{}' and '{}' differ only in case; their exports would share a folder on "
                        "file systems that ignore case",
                        it->second, name));
      }
      sequence(Object(each, fmt::format("sequence '{}'", name)));
    }
  }

 private:
  static std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  }

  void sequence(const Object& sequence) {
    sequence.only({"name", "id", "title", "target", "team", "calendar", "enroll", "limits", "segment", "reports",
                   "handlers", "templates", "entry", "steps", "summary", "location", "content_hash"});
    (void)sequence.identifier("id");
    (void)sequence.optional_text("title");
    (void)sequence.identifier("target");
    (void)sequence.optional_text("team");
    (void)sequence.word("calendar", vocabulary::kCalendars);
    if (const Json& enroll = sequence.get("enroll"); !enroll.is_null())
      rate(Object(enroll, sequence.where() + ", 'enroll'"));
    const Object limits(sequence.get("limits"), sequence.where() + ", 'limits'");
    for (const auto& [channel, value] : limits.json().items()) {
      if (!one_of(vocabulary::kLimitChannels, channel))
        fail(fmt::format("{} has a limit for {}, which is not {}", sequence.where(), quote(channel),
                         vocabulary::prose_list(vocabulary::kLimitChannels)));
      rate(Object(value, fmt::format("{}, limit {}", sequence.where(), channel)));
    }
    if (const Json& segment = sequence.get("segment"); !segment.is_null()) {
      const Object object(segment, sequence.where() + ", segment");
      object.only({"name", "entity", "on_leave", "fetchxml"});
      (void)object.identifier("name");
      (void)object.identifier("entity");
      (void)object.word("on_leave", vocabulary::kLeaveActions);
      if (!object.text("fetchxml").starts_with("<fetch>")) fail(object.where() + ": 'fetchxml' is not a <fetch>");
    }
    const Object reports(sequence.get("reports"), sequence.where() + ", 'reports'");
    reports.only({"attribution", "enrolled", "step_outcomes"});
    for (const char* key : {"attribution", "enrolled", "step_outcomes"}) {
      const std::string* query = reports.optional_text(key);
      if (query == nullptr && key != std::string_view("attribution"))
        fail(fmt::format("{}: '{}' is null", reports.where(), key));
      // Attribution lists each opportunity once (a distinct query); plans
      // written before summed them (an aggregate one): both are read.
      const bool attribution = key == std::string_view("attribution");
      if (query != nullptr && !query->starts_with("<fetch aggregate=\"true\">") &&
          !(attribution && query->starts_with("<fetch distinct=\"true\">")))
        fail(fmt::format("{}: '{}' is not {} <fetch>", reports.where(), key,
                         attribution ? "a distinct or aggregate" : "an aggregate"));
    }
    std::set<std::string> events;
    for (const Json& each : sequence.array("handlers")) {
      const Object handler(each, sequence.where() + ", a handler");
      const std::string& event = handler.word("event", vocabulary::kEvents);
      if (!events.insert(event).second) fail(fmt::format("{} has two handlers for {}", sequence.where(), event));
      const Object named(each, fmt::format("{}, handler '{}'", sequence.where(), event));
      if (named.word("action", kHandlerActions) == "exit") {
        named.only({"event", "action", "reason", "outcome"});
        (void)named.text("reason");
        outcome(named);
      } else {
        named.only({"event", "action", "minutes"});
        (void)named.integer("minutes", 1, kMaxWaitMinutes, "minutes");
      }
    }
    templates_.clear();
    for (const Json& each : sequence.array("templates")) {
      const Object item(each, sequence.where() + ", a template");
      const std::string& name = item.identifier("name");
      const Object named(each, fmt::format("{}, template '{}'", sequence.where(), name));
      named.only({"name", "entity", "subject", "body", "location"});
      (void)named.identifier("entity");
      text(Object(named.get("subject"), named.where() + ", subject"));
      text(Object(named.get("body"), named.where() + ", body"));
      location(named, false);
      if (!templates_.insert(name).second) fail(fmt::format("{} has two templates named '{}'", sequence.where(), name));
    }
    steps(sequence);
    summary(sequence);
    location(sequence, false);
    if (!is_content_hash(sequence.text("content_hash")))
      fail(fmt::format("{}: 'content_hash' is not \"sha256:\" and 64 hex digits", sequence.where()));
  }

  static void rate(const Object& rate) {
    rate.only({"count", "per"});
    (void)rate.integer("count", 1, kMaxPlanRate);
    (void)rate.word("per", kRatePeriods);
  }

  static void location(const Object& owner, bool nullable) {
    const Json& value = owner.get("location");
    if (nullable && value.is_null()) return;
    const Object at(value, owner.where() + ", 'location'");
    at.only({"file", "line", "column"});
    (void)at.text("file");
    (void)at.integer("line", 1, UINT32_MAX);
    (void)at.integer("column", 1, UINT32_MAX);
  }

  /// {text, merge_fields}.
  static void text(const Object& text) {
    text.only({"text", "merge_fields"});
    (void)text.text("text");
    for (const Json& each : text.array("merge_fields")) {
      const Object field(each, text.where() + ", a merge field");
      field.only({"text", "entity", "field", "table", "column", "type", "nullable", "fallback"});
      const std::string& written = field.text("text");
      if (!written.starts_with("{{") || !written.ends_with("}}") || written.size() < 4)
        fail(fmt::format("{}: 'text' is {}, not a {{{{merge field}}}}", field.where(), quote(written)));
      for (const char* key : {"entity", "field", "table", "column"}) (void)field.identifier(key);
      (void)field.word("type", vocabulary::kFieldTypes);
      (void)field.boolean("nullable");
      (void)field.optional_text("fallback");
    }
  }

  void outcome(const Object& owner) {
    const Json& value = owner.get("outcome");
    if (value.is_null()) return;
    const Object outcome(value, owner.where() + ", 'outcome'");
    const std::string& kind = outcome.text("kind");
    if (kind == "handoff") {
      outcome.only({"kind", "sequence", "pin"});
      (void)outcome.identifier("sequence");
      if (const Json& pin = outcome.get("pin"); !pin.is_null()) {
        const Object object(pin, outcome.where() + ", 'pin'");
        object.only({"id", "content_hash"});
        (void)object.identifier("id");
        if (!is_content_hash(object.text("content_hash")))
          fail(fmt::format("{}: 'content_hash' is not \"sha256:\" and 64 hex digits", object.where()));
      }
      return;
    }
    outcome.only({"kind"});
    if (!one_of(kOutcomeKinds, kind))
      fail(fmt::format("{}: 'kind' is {}; it must be {} or handoff", outcome.where(), quote(kind),
                       vocabulary::prose_list(kOutcomeKinds, ", ")));
  }

  /// A step as the rest of the check needs it.
  struct StepInfo {
    std::size_t index = 0;
    std::string_view kind;
  };

  void steps(const Object& sequence) {
    const Json& list = sequence.array("steps");
    if (list.empty()) fail(fmt::format("{} has no steps", sequence.where()));
    // First the ids, so that successors and conditions can be checked
    // against steps later in the list.
    std::unordered_map<std::string_view, StepInfo> ids;
    ids.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Object unnamed(list[i], fmt::format("{}, step {}", sequence.where(), i + 1));
      const std::string& id = unnamed.text("id");
      if (!is_step_id(id)) fail(fmt::format("{}: 'id' is {}, which is not a step id", unnamed.where(), quote(id)));
      const Object step(list[i], fmt::format("{}, step '{}'", sequence.where(), id));
      const std::string& kind = step.word("kind", vocabulary::kStepKinds);
      if (!ids.emplace(id, StepInfo{i, kind}).second)
        fail(fmt::format("two steps of {} have the id '{}'", sequence.where(), id));
    }
    const std::string& entry = sequence.text("entry");
    const auto first = ids.find(entry);
    if (first == ids.end()) fail(fmt::format("{} has no entry step ('entry' is {})", sequence.where(), quote(entry)));
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Object step(list[i],
                        fmt::format("{}, step '{}'", sequence.where(), list[i]["id"].get_ref<const std::string&>()));
      this->step(step, i, ids);
    }
  }

  void step(const Object& step, std::size_t index, const std::unordered_map<std::string_view, StepInfo>& ids) {
    const std::string& kind = step.text("kind");
    const Object timing(step.get("timing"), step.where() + ", 'timing'");
    timing.only({"earliest_minutes", "latest_minutes"});
    const int64_t earliest = timing.integer("earliest_minutes", 0, kMaxPlanMinutes, "minutes");
    const int64_t latest = timing.integer("latest_minutes", 0, kMaxPlanMinutes, "minutes");
    if (earliest > latest) fail(fmt::format("{}: it is due at the earliest after its latest time", step.where()));
    location(step, true);

    // The members of each kind (the schema's if/then), and its arms.
    std::vector<std::string_view> arms;
    std::size_t min_edges = 1, max_edges = 1;
    if (vocabulary::is_activity_name(kind)) {
      // The channel of each kind of step is the table's (cadence/steps.def).
      const std::string_view channel = vocabulary::kChannels[static_cast<std::size_t>(
          vocabulary::channel_of(*vocabulary::find<vocabulary::StepKind>(vocabulary::kStepKinds, kind)))];
      if (step.text("channel") != channel)
        fail(fmt::format("{}: 'channel' is {}; the channel of {} {} step is {}", step.where(),
                         quote(step.text("channel")), article(kind), kind, channel));
      arms = {"next"};
      min_edges = 0;  // the last step of a hand-written plan may have none
    }
    if (kind == "email") {
      step.only({"id", "kind", "channel", "mode", "template", "variants", "timing", "next", "location"});
      (void)step.word("mode", vocabulary::kEmailModes);
      const std::string* single = step.optional_identifier("template");
      if (single != nullptr) template_used(step, *single);
      if (const Json* variants = step.find("variants")) {
        if (!variants->is_array() || variants->size() < 2)
          fail(fmt::format("{}: 'variants' must list two or more variants", step.where()));
        int64_t total = 0;
        for (const Json& each : *variants) {
          const Object variant(each, step.where() + ", a variant");
          variant.only({"name", "percent", "template"});
          (void)variant.identifier("name");
          total += variant.integer("percent", 10, 90, "percent");
          template_used(variant, variant.identifier("template"));
        }
        if (total != 100) fail(fmt::format("{}: the variants' shares add up to {}%, not 100%", step.where(), total));
      } else if (single == nullptr) {
        fail(fmt::format("{} has neither a template nor variants", step.where()));
      }
    } else if (kind == "sms") {
      step.only({"id", "kind", "channel", "text", "timing", "next", "location"});
      text(Object(step.get("text"), step.where() + ", 'text'"));
    } else if (kind == "call") {
      step.only({"id", "kind", "channel", "script", "timing", "next", "location"});
      if (step.find("script") != nullptr) text(Object(step.get("script"), step.where() + ", 'script'"));
    } else if (kind == "linkedin") {
      step.only({"id", "kind", "channel", "action", "note", "timing", "next", "location"});
      (void)step.word("action", vocabulary::kLinkedinKinds);
      if (step.find("note") != nullptr) text(Object(step.get("note"), step.where() + ", 'note'"));
    } else if (kind == "task") {
      step.only({"id", "kind", "channel", "note", "timing", "next", "location"});
      if (step.find("note") != nullptr) text(Object(step.get("note"), step.where() + ", 'note'"));
    } else if (kind == "custom") {
      step.only({"id", "kind", "channel", "activity", "note", "timing", "next", "location"});
      (void)step.identifier("activity");
      if (step.find("note") != nullptr) text(Object(step.get("note"), step.where() + ", 'note'"));
    } else if (kind == "wait") {
      step.only({"id", "kind", "minutes", "timing", "next", "location"});
      (void)step.integer("minutes", 1, kMaxWaitMinutes, "minutes");
      arms = {"next"};
    } else if (kind == "branch") {
      step.only({"id", "kind", "condition", "within_minutes", "timing", "next", "location"});
      condition(Object(step.get("condition"), step.where() + ", 'condition'"), ids, 0);
      if (!step.get("within_minutes").is_null()) (void)step.integer("within_minutes", 1, kMaxWaitMinutes, "minutes");
      arms = {"yes", "no"};
      min_edges = max_edges = 2;
    } else if (kind == "outcome_branch") {
      step.only({"id", "kind", "call", "timing", "next", "location"});
      const std::string& call = step.identifier("call");
      const auto it = ids.find(call);
      if (it == ids.end() || it->second.kind != "call" || it->second.index >= index)
        fail(fmt::format("{}: 'call' names no call step before it", step.where()));
      arms.assign(vocabulary::kCallOutcomes.begin(), vocabulary::kCallOutcomes.end());
      arms.push_back(vocabulary::kElseArm);
      max_edges = arms.size();
    } else if (kind == "exit") {
      step.only({"id", "kind", "reason", "outcome", "timing", "next", "location"});
      (void)step.text("reason");
      outcome(step);
      min_edges = max_edges = 0;
    }

    const Json& next = step.array("next");
    if (next.size() < min_edges || next.size() > max_edges) {
      fail(fmt::format(
          "{} has {} successor{}; {} {} step has {}", step.where(), next.size(), next.size() == 1 ? "" : "s",
          article(kind), kind,
          min_edges == max_edges ? std::to_string(min_edges) : fmt::format("{} to {}", min_edges, max_edges)));
    }
    std::set<std::string_view> seen;
    for (const Json& each : next) {
      const Object edge(each, step.where() + ", 'next'");
      edge.only({"arm", "step", "min_delay_minutes", "max_delay_minutes"});
      const std::string& arm = edge.text("arm");
      if (std::find(arms.begin(), arms.end(), arm) == arms.end())
        fail(fmt::format("{}: {} is not an arm of a {} step", edge.where(), quote(arm), kind));
      if (!seen.insert(arm).second) fail(fmt::format("{}: the arm {} is there twice", edge.where(), arm));
      const std::string& target = edge.text("step");
      const auto it = ids.find(target);
      if (it == ids.end()) fail(fmt::format("{} leads to {}, which is not a step", step.where(), quote(target)));
      // Successors come later: plans never loop.
      if (it->second.index <= index)
        fail(fmt::format("{} leads back to '{}'; plans list every successor after its step and never loop",
                         step.where(), target));
      // An edge's delay is a wait's, or a branch's window: 30 days at most.
      const int64_t low = edge.integer("min_delay_minutes", 0, kMaxWaitMinutes, "minutes");
      const int64_t high = edge.integer("max_delay_minutes", 0, kMaxWaitMinutes, "minutes");
      if (low > high) fail(fmt::format("{}: 'min_delay_minutes' is above 'max_delay_minutes'", edge.where()));
    }
    if (kind == "branch" && seen.size() == 2 && (!seen.contains("yes") || !seen.contains("no")))
      fail(fmt::format("{} must have a yes and a no arm", step.where()));
    if (kind == "outcome_branch" && !seen.contains(vocabulary::kElseArm))
      fail(fmt::format("{} has no else arm", step.where()));
  }

  void template_used(const Object& owner, const std::string& name) const {
    if (!templates_.contains(name))
      fail(fmt::format("{} uses template '{}', which is not among the sequence's templates", owner.where(), name));
  }

  void condition(const Object& condition, const std::unordered_map<std::string_view, StepInfo>& ids,
                 std::size_t depth) {
    // Nesting is bounded by the JSON reader; say so plainly all the same.
    if (depth > 256) fail(condition.where() + " nests too deeply");
    if (const Json* inner = condition.find("not")) {
      condition.only({"not"});
      this->condition(Object(*inner, condition.where()), ids, depth + 1);
      return;
    }
    for (const char* key : {"all", "any"}) {
      if (const Json* list = condition.find(key)) {
        condition.only({key});
        if (!list->is_array() || list->size() < 2)
          fail(fmt::format("{}: '{}' must list two or more conditions", condition.where(), key));
        for (const Json& each : *list) this->condition(Object(each, condition.where()), ids, depth + 1);
        return;
      }
    }
    condition.only({"signal", "step"});
    (void)condition.word("signal", vocabulary::kSignals);
    const Json& step = condition.get("step");
    if (step.is_null()) return;
    const std::string& id = condition.text("step");
    if (!ids.contains(id)) fail(fmt::format("{} reads {}, which is not a step", condition.where(), quote(id)));
  }

  static void summary(const Object& sequence) {
    const Object summary(sequence.get("summary"), sequence.where() + ", 'summary'");
    summary.only({"silent_path", "silent_touches", "silent_touch_count", "shortest_minutes", "longest_minutes",
                  "worst_case_emails"});
    for (const Json& id : summary.array("silent_path")) {
      if (!id.is_string() || !is_step_id(id.get_ref<const std::string&>()))
        fail(summary.where() + ": 'silent_path' lists something that is not a step id");
    }
    const Object touches(summary.get("silent_touches"), summary.where() + ", 'silent_touches'");
    for (const auto& [channel, count] : touches.json().items()) {
      const auto known = vocabulary::find<vocabulary::Channel>(vocabulary::kChannels, channel);
      if (!known || *known == vocabulary::Channel::None)
        fail(fmt::format("{}: {} is not a channel", touches.where(), quote(channel)));
      (void)touches.integer(channel.c_str(), 0, kMaxPlanMinutes);
    }
    (void)summary.integer("silent_touch_count", 0, kMaxPlanMinutes);
    const int64_t shortest = summary.integer("shortest_minutes", 0, kMaxPlanMinutes, "minutes");
    const int64_t longest = summary.integer("longest_minutes", 0, kMaxPlanMinutes, "minutes");
    if (shortest > longest) fail(summary.where() + ": 'shortest_minutes' is above 'longest_minutes'");
    (void)summary.integer("worst_case_emails", 0, kMaxPlanMinutes);
  }

  std::unordered_set<std::string> templates_;
};

}  // namespace

bool is_plan_document(const nlohmann::json& document) {
  if (!document.is_object()) return false;
  const auto format = document.find("format");
  return format != document.end() && format->is_string() && format->get_ref<const std::string&>() == kPlanFormat;
}

std::optional<std::string> plan_problem(const nlohmann::json& plan) {
  // The format and version first: a plan of another version is told so,
  // not given a list of members it lacks.
  if (!is_plan_document(plan)) return "it is not a Cadence plan";
  const auto version = plan.find("version");
  if (version == plan.end() || !version->is_number_integer() || *version != kPlanFormatVersion) {
    return fmt::format("it is a plan of format version {}; this cadence reads version {}",
                       version == plan.end() ? "none" : visible(version->dump()), kPlanFormatVersion);
  }
  try {
    PlanChecker().plan(plan);
  } catch (const Problem& problem) {
    return problem.message;
  }
  return std::nullopt;
}

}  // namespace cadence
