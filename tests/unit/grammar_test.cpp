#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include <tao/pegtl/contrib/analyze.hpp>

#include "cadence/grammar.hpp"

TEST_CASE("the grammar has no rule that can loop without consuming input", "[grammar]") {
  REQUIRE(tao::pegtl::analyze<cadence::grammar::file>(1) == 0);
}

namespace {
bool matches_reserved_rule(std::string_view word) {
  using namespace tao::pegtl;
  memory_input input(word.data(), word.size(), "word");
  return parse<seq<cadence::grammar::reserved, eof>>(input);
}
}  // namespace

TEST_CASE("is_reserved_word agrees with the reserved-word rule", "[grammar]") {
  for (std::string_view word : {"and", "or",    "not",   "in", "is", "null", "true", "false", "an",    "andy",    "orr",
                                "nul", "truer", "False", "IN", "i",  "",     "inn",  "not_",  "email", "sequence"}) {
    INFO(word);
    CHECK(cadence::grammar::is_reserved_word(word) == matches_reserved_rule(word));
  }
}

namespace {
/// Whether Rule matches at the start of `text`, and how much it consumed.
template <typename Rule>
std::pair<bool, std::size_t> match_prefix(std::string_view text) {
  using namespace tao::pegtl;
  memory_input input(text.data(), text.size(), "text");
  const bool matched = parse<Rule>(input);
  return {matched, static_cast<std::size_t>(input.current() - text.data())};
}

/// The inputs that tell a keyword matcher's edge cases apart: the word, the
/// word followed by what ends it or continues it, every proper prefix, and
/// the word with each letter changed.
template <typename Ours, typename Theirs>
void check_same_keyword(std::string_view word) {
  std::vector<std::string> inputs{std::string(word),
                                  std::string(word) + " x",
                                  std::string(word) + "_",
                                  std::string(word) + "1",
                                  std::string(word) + "{",
                                  std::string(word) + "\n",
                                  ""};
  for (std::size_t n = 0; n < word.size(); ++n) inputs.emplace_back(word.substr(0, n));
  for (std::size_t i = 0; i < word.size(); ++i) {
    std::string changed(word);
    changed[i] = changed[i] == 'z' ? 'y' : 'z';
    inputs.push_back(changed);
    inputs.push_back(changed + " ");
  }
  for (const std::string& input : inputs) {
    INFO(word << " on '" << input << "'");
    CHECK(match_prefix<Ours>(input) == match_prefix<Theirs>(input));
  }
}
}  // namespace

TEST_CASE("the grammar's keyword rule accepts what PEGTL's ascii::keyword accepts", "[grammar]") {
  namespace g = cadence::grammar;
  namespace a = tao::pegtl::ascii;
  check_same_keyword<g::keyword<'o', 'r'>, a::keyword<'o', 'r'>>("or");
  check_same_keyword<g::keyword<'e', 'm', 'a', 'i', 'l'>, a::keyword<'e', 'm', 'a', 'i', 'l'>>("email");
  check_same_keyword<g::keyword<'s', 'e', 'q', 'u', 'e', 'n', 'c', 'e'>,
                     a::keyword<'s', 'e', 'q', 'u', 'e', 'n', 'c', 'e'>>("sequence");
  check_same_keyword<g::keyword<'u', 'n', 's', 'u', 'b', 's', 'c', 'r', 'i', 'b', 'e', 'd'>,
                     a::keyword<'u', 'n', 's', 'u', 'b', 's', 'c', 'r', 'i', 'b', 'e', 'd'>>("unsubscribed");
}

TEST_CASE("blanks and comments are skipped in one pass; an unclosed block comment is reported at its start",
          "[grammar]") {
  using cadence::grammar::skip_blanks_and_comments;
  const std::string_view text = " \t\r\n// line\n/* block\n */ next";
  CHECK(std::string_view(skip_blanks_and_comments(text.data(), text.data() + text.size())) == "next");
  const std::string_view slash = "  / 2";
  CHECK(std::string_view(skip_blanks_and_comments(slash.data(), slash.data() + slash.size())) == "/ 2");
  const std::string_view open = "  /* no end *";
  try {
    skip_blanks_and_comments(open.data(), open.data() + open.size());
    FAIL("no exception");
  } catch (const cadence::grammar::syntax_failure& failure) {
    CHECK(failure.at == open.data() + 2);
  }
}

TEST_CASE("the quick scan finds every word after `sequence`, comments included", "[grammar]") {
  const std::string_view text =
      "sequence a {}\n// this sequence\tbravo\nsequence\n  c_3 {} subsequence d sequence{ sequences e \"sequence f\"";
  std::vector<std::string> found;
  cadence::grammar::for_each_word_after_sequence(text, [&](std::string_view word) { found.emplace_back(word); });
  CHECK(found == std::vector<std::string>{"a", "bravo", "c_3", "f"});
  // Short texts, a 'q' at the very start or end, and the keyword last.
  for (const std::string_view edge : {"", "q", "qq sequence", "se", "sequ", "sequence", "x sequence ", "sequence z"}) {
    found.clear();
    cadence::grammar::for_each_word_after_sequence(edge, [&](std::string_view word) { found.emplace_back(word); });
    CHECK(found == (edge == "sequence z" ? std::vector<std::string>{"z"} : std::vector<std::string>{}));
  }
}
