// The closed vocabularies have one table each (cadence/vocabulary.hpp). Most
// of the grammar's word lists are the tables themselves; the rest of its
// keyword rules, and the VS Code grammar's words for highlighting, these
// tests hold to the tables, so that a word added in one place and forgotten
// in another fails here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cadence/grammar.hpp"
#include "cadence/vocabulary.hpp"
#include "emit/graph.hpp"
#include "emit/plan.hpp"
#include "emit/plan_read.hpp"
#include "sim/simulate.hpp"
#include "support.hpp"

namespace {
namespace g = cadence::grammar;
namespace v = cadence::vocabulary;
using Words = std::vector<std::string>;

// The words a keyword rule accepts, in the order the grammar lists them.
template <char... Cs>
void add_words(Words& out, const g::keyword<Cs...>* /*unused*/);
template <typename... Rules>
void add_words(Words& out, const tao::pegtl::sor<Rules...>* /*unused*/);
template <typename Keyword, typename... Rest>
void add_words(Words& out, const tao::pegtl::if_must<g::t<Keyword>, Rest...>* /*unused*/);
template <typename... Rules>
void add_words(Words& out, const g::keyword_sor<Rules...>* /*unused*/);

template <char... Cs>
void add_words(Words& out, const g::keyword<Cs...>* /*unused*/) {
  out.push_back(std::string{Cs...});
}
template <typename... Rules>
void add_words(Words& out, const tao::pegtl::sor<Rules...>* /*unused*/) {
  (add_words(out, static_cast<const Rules*>(nullptr)), ...);
}
template <typename Keyword, typename... Rest>
void add_words(Words& out, const tao::pegtl::if_must<g::t<Keyword>, Rest...>* /*unused*/) {
  add_words(out, static_cast<const Keyword*>(nullptr));
}
template <typename... Rules>
void add_words(Words& out, const g::keyword_sor<Rules...>* /*unused*/) {
  (out.push_back(std::string(g::keyword_sor<Rules...>::template word_of<Rules>)), ...);
}
template <typename... Rules>
Words words_of() {
  Words out;
  (add_words(out, static_cast<const Rules*>(nullptr)), ...);
  return out;
}

template <std::size_t N>
Words table(const std::array<std::string_view, N>& entries) {
  return {entries.begin(), entries.end()};
}
Words sorted(Words words) {
  std::sort(words.begin(), words.end());
  return words;
}
template <std::size_t N>
void require_mentions_all(std::string_view message, const std::array<std::string_view, N>& entries) {
  for (std::string_view word : entries) {
    INFO(message);
    CHECK(message.find(word) != std::string_view::npos);
  }
}

// Every word the VS Code grammar highlights: the alternatives of each
// \b(a|b|c)\b pattern.
std::set<std::string> highlighted_words() {
  std::ifstream in(CADENCE_SOURCE_DIR "/editors/vscode/syntaxes/cadence.tmLanguage.json");
  REQUIRE(in);
  const auto grammar = nlohmann::json::parse(in);
  std::set<std::string> words;
  const std::regex alternation(R"(\\b\(([a-z_|]+)\)\\b)");
  auto visit = [&](const nlohmann::json& node, auto& self) -> void {
    if (node.is_object()) {
      if (auto match = node.find("match"); match != node.end() && match->is_string()) {
        const std::string pattern = match->get<std::string>();
        for (std::sregex_iterator it(pattern.begin(), pattern.end(), alternation), end; it != end; ++it) {
          std::stringstream list((*it)[1].str());
          for (std::string word; std::getline(list, word, '|');) words.insert(word);
        }
      }
      for (const auto& [key, child] : node.items()) self(child, self);
    } else if (node.is_array()) {
      for (const auto& child : node) self(child, self);
    }
  };
  visit(grammar, visit);
  return words;
}
}  // namespace

TEST_CASE("the grammar's keyword rules accept exactly the vocabulary's words", "[vocabulary]") {
  CHECK(words_of<g::event_name>() == table(v::kEvents));
  CHECK(sorted(words_of<g::signal_with_step, g::signal_replied, g::signal_meeting>()) == sorted(table(v::kSignals)));
  CHECK(words_of<g::yes_no>() == table(v::kSignalArms));
  Words outcomes = table(v::kCallOutcomes);
  outcomes.emplace_back(v::kElseArm);
  CHECK(words_of<g::call_outcome>() == outcomes);
  CHECK(words_of<g::linkedin_kind>() == table(v::kLinkedinKinds));
  CHECK(words_of<g::outcome_word, g::kw_handoff>() == table(v::kOutcomes));
  CHECK(words_of<g::type_name, g::kw_option>() == table(v::kFieldTypes));
  CHECK(words_of<g::channel>() == table(v::kLimitChannels));
  CHECK(words_of<g::calendar_value>() == table(v::kCalendars));
  CHECK(words_of<g::on_leave_value>() == table(v::kLeaveActions));
  CHECK(words_of<g::mode_value>() == table(v::kEmailModes));
  CHECK(words_of<g::item>() == table(v::kItemKeywords));
  CHECK(words_of<g::text_op>() == table(v::kTextTests));
  CHECK(words_of<g::statement>() == table(v::kFlowKeywords));
  // A sequence holds settings, handlers (`on`) and statements.
  Words settings = words_of<g::sequence_member>();
  settings.erase(
      std::remove_if(settings.begin(), settings.end(),
                     [](const std::string& word) { return word == "on" || v::contains(v::kFlowKeywords, word); }),
      settings.end());
  CHECK(settings == table(v::kSettings));
}

TEST_CASE("the grammar's messages list every word the rule accepts", "[vocabulary]") {
  require_mentions_all(g::event_name::error_message, v::kEvents);
  require_mentions_all(g::condition_unary::error_message, v::kSignals);
  require_mentions_all(g::outcome_arm::error_message, v::kCallOutcomes);
  require_mentions_all(g::channel::error_message, v::kLimitChannels);
  require_mentions_all(g::calendar_value::error_message, v::kCalendars);
  require_mentions_all(g::on_leave_value::error_message, v::kLeaveActions);
  require_mentions_all(g::item::error_message, v::kItemKeywords);
  require_mentions_all(g::statement::error_message, v::kFlowKeywords);
}

TEST_CASE("the editor grammar highlights every word of the language", "[vocabulary]") {
  const std::set<std::string> highlighted = highlighted_words();
  auto require_all = [&](const auto& entries) {
    for (std::string_view word : entries) {
      INFO("not highlighted by the VS Code grammar: " << word);
      CHECK(highlighted.count(std::string(word)) == 1);
    }
  };
  require_all(v::kEvents);
  require_all(v::kSignals);
  require_all(v::kSignalArms);
  require_all(v::kCallOutcomes);
  require_all(std::array{v::kElseArm});
  require_all(v::kLinkedinKinds);
  require_all(v::kOutcomes);
  require_all(v::kFieldTypes);
  require_all(v::kLimitChannels);
  require_all(v::kItemKeywords);
  require_all(v::kTextTests);
  require_all(v::kOwnerGroups);
  require_all(std::array{v::kCurrentUser});
  require_all(v::kSettings);
  require_all(v::kFlowKeywords);
  require_all(v::kTemplateProperties);
  require_all(v::kStepTexts);
  require_all(v::kCalendars);
  require_all(v::kLeaveActions);
  require_all(v::kEmailModes);
}

TEST_CASE("the simulator's call mix covers the call outcomes and nothing else", "[vocabulary]") {
  const auto mix = cadence::default_call_mix();
  Words names;
  double total = 0;
  for (const auto& [name, share] : mix) {
    names.push_back(name);
    total += share;
  }
  CHECK(names == sorted(table(v::kCallOutcomes)));
  CHECK(total == Approx(1.0));
  std::string error;
  CHECK_FALSE(cadence::parse_call_mix("voicemial=1", error).has_value());
  CHECK(error.find("voicemail") != std::string::npos);
}

TEST_CASE("the plan's schema and the language reference name the table's kinds, channels and signals", "[vocabulary]") {
  std::ifstream in(CADENCE_SOURCE_DIR "/docs/plan-v1.schema.json");
  REQUIRE(in);
  const auto schema = nlohmann::json::parse(in);
  const auto& step = schema["definitions"]["step"]["properties"];
  const auto strings = [](const nlohmann::json& list) {
    Words out;
    for (const auto& word : list) out.push_back(word.get<std::string>());
    return out;
  };
  // In table order: the plan writes these names, and readers check them.
  CHECK(strings(step["kind"]["enum"]) == table(v::kStepKinds));
  Words channels;
  for (std::size_t i = 0; i < v::kChannels.size(); ++i) {
    if (static_cast<v::Channel>(i) != v::Channel::None) channels.emplace_back(v::kChannels[i]);
  }
  CHECK(strings(step["channel"]["enum"]) == channels);
  CHECK(strings(schema["definitions"]["condition"]["oneOf"][0]["properties"]["signal"]["enum"]) == table(v::kSignals));
  // A channel is an activity's own, and a signal is raised on a channel a
  // step can have.
  for (std::size_t i = 0; i < v::kStepKinds.size(); ++i) {
    const auto kind = static_cast<v::StepKind>(i);
    CHECK(v::is_activity(kind) == (v::channel_of(kind) != v::Channel::None));
  }
  CHECK_FALSE(v::is_touch(v::Channel::Task));
  CHECK(v::signal_channel(v::Signal::Opened) == v::Channel::Email);
  CHECK(v::signal_channel(v::Signal::Accepted) == v::Channel::Linkedin);

  std::ifstream language_in(CADENCE_SOURCE_DIR "/docs/language.md");
  REQUIRE(language_in);
  const std::string language((std::istreambuf_iterator<char>(language_in)), std::istreambuf_iterator<char>());
  for (std::size_t i = 0; i < v::kStepKinds.size(); ++i) {
    const auto kind = static_cast<v::StepKind>(i);
    if (kind == v::StepKind::OutcomeBranch) continue;  // written `branch outcome(C)`
    INFO(v::kStepKinds[i]);
    CHECK(language.find(fmt::format("`{}", v::kStepKinds[i])) != std::string::npos);
  }
  for (const std::string_view signal : v::kSignals) {
    INFO(signal);
    CHECK(language.find(signal) != std::string::npos);
  }
}

namespace {

/// Every member name the schema declares, at any depth.
void schema_members(const nlohmann::json& node, std::set<std::string>& out) {
  if (node.is_object()) {
    if (const auto properties = node.find("properties"); properties != node.end() && properties->is_object()) {
      for (const auto& [name, value] : properties->items()) out.insert(name);
    }
    for (const auto& [key, value] : node.items()) schema_members(value, out);
  } else if (node.is_array()) {
    for (const auto& value : node) schema_members(value, out);
  }
}

}  // namespace

TEST_CASE("the plan's member table (plan_members.def) names exactly the schema's members", "[vocabulary]") {
  std::ifstream in(CADENCE_SOURCE_DIR "/docs/plan-v1.schema.json");
  REQUIRE(in);
  std::set<std::string> schema;
  schema_members(nlohmann::json::parse(in), schema);
  std::set<std::string> table;
#define CADENCE_PLAN_MEMBER(Id, name) CHECK(table.insert(name).second);
#include "emit/plan_members.def"
  // and the steps' text properties (cadence/steps.def), which the table
  // leaves to the step table, but for "text", the words of every text.
  for (const std::string_view text : v::kStepTexts) table.emplace(text);
  CHECK(table == schema);
  CHECK(std::string_view(cadence::plan::key::kContentHash) == "content_hash");
}

namespace {
/// The errors of a check, as "name: message".
Words errors_of(const cadence::CheckResult& result) {
  Words out;
  for (const cadence::Diagnostic& d : result.diagnostics) {
    if (d.severity == cadence::Severity::Error) out.push_back(fmt::format("{}: {}", d.info().name, d.message));
  }
  return out;
}
/// `keyword "value"` for each text property of `set`: a text with a merge
/// field, or a custom table's name.
std::string texts_source(v::TextSet set) {
  std::string out;
  for (std::size_t i = 0; i < v::kStepTexts.size(); ++i) {
    const auto text = static_cast<v::StepText>(i);
    if (!v::in(set, text)) continue;
    out += fmt::format("{} \"{}\" ", v::kStepTexts[i],
                       v::value_of(text) == v::TextValue::Merge ? "Hi {{lead.firstname}}" : "new_sitevisit");
  }
  return out;
}
}  // namespace

// A kind of step written with text properties alone is one row of
// cadence/steps.def: the grammar, the checker, the plan's writer and reader
// and the graph build it from the row. This walks every such row, so a row
// added to the table is tried end to end here without a test of its own.
TEST_CASE("every kind of step the table writes with text properties works from its row alone", "[vocabulary]") {
  using namespace cadence;
  std::size_t tried = 0;
  for (std::size_t k = 0; k < v::kStepKinds.size(); ++k) {
    const auto kind = static_cast<v::StepKind>(k);
    if (v::syntax_of(kind) != v::StepSyntax::Texts) continue;
    ++tried;
    const std::string name(v::kStepKinds[k]);
    INFO(name);
    const v::TextSet texts = v::texts_of(kind);
    CHECK(texts != 0);
    test::Program program;
    const CheckResult checked =
        program.check_text(test::sequence_with(fmt::format("  {} first {{ {}}}\n", name, texts_source(texts))));
    CHECK(errors_of(checked).empty());

    // Planned, and read back: every property in its member.
    std::string problem;
    const std::optional<plan::Plan> plan = read_plan(build_plan(checked), problem);
    INFO(problem);
    REQUIRE(plan);
    const plan::Step& step = plan->sequences.at(0).steps.at(0);
    CHECK(step.kind == kind);
    CHECK(step.channel == v::channel_of(kind));
    for (std::size_t i = 0; i < v::kStepTexts.size(); ++i) {
      const auto text = static_cast<v::StepText>(i);
      const std::optional<plan::Text>& member = step.*plan::kStepTextMembers[i];
      CHECK(member.has_value() == v::in(texts, text));
      if (member && v::value_of(text) == v::TextValue::Merge) CHECK(member->merge_fields.size() == 1);
    }
    CHECK(graph_dot(checked).find(fmt::format("{} first", name)) != std::string::npos);

    // Each required property left out: the table's words for it.
    for (std::size_t i = 0; i < v::kStepTexts.size(); ++i) {
      const auto text = static_cast<v::StepText>(i);
      if (!v::in(v::required_texts_of(kind), text)) continue;
      test::Program without;
      const Words errors = errors_of(without.check_text(
          test::sequence_with(fmt::format("  {} first {{ {}}}\n", name, texts_source(texts & ~v::text_bit(text))))));
      REQUIRE(errors.size() == 1);
      CHECK(errors[0] == fmt::format("syntax: {} step 'first' {}", name, v::kStepTextRows[i].missing));
    }

    // A property the kind does not take: the grammar lists those it does.
    test::Program wrong;
    const Words errors =
        errors_of(wrong.check_text(test::sequence_with(fmt::format("  {} first {{ nonsense \"x\" }}\n", name))));
    REQUIRE_FALSE(errors.empty());
    for (std::size_t i = 0; i < v::kStepTexts.size(); ++i) {
      if (v::in(texts, static_cast<v::StepText>(i)))
        CHECK(errors[0].find(fmt::format("'{}'", v::kStepTexts[i])) != std::string::npos);
    }
  }
  CHECK(tried >= 4);  // sms, call, task, custom
}
