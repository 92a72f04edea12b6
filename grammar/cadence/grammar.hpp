// The grammar of the .cadence language (v1) as PEGTL 3.2.7 rules.
//
// Conventions:
// - Every token is followed by `mark_end` (which tells the parse state where
//   the last token ended, so that node ranges exclude trailing blanks) and
//   then `seps` (whitespace and comments). Rules therefore start at a token.
// - A rule with `error_message` is a point where the parser can say what it
//   expected; `must<>` on it raises that message. `at_token = true` marks
//   messages about the token at the current position ("expected a step"),
//   the others are about what should have followed the previous token.
// - A rule with `node` records a node of that kind in the flat parse tree;
//   a rule with `nests` counts towards the nesting limit.
// - Lists recover from errors with `recover<Element, Skip>`: the error is
//   recorded in the parse state and parsing resumes after the skipped text,
//   so one file reports several syntax errors.
//
// The parser accepts a little more than is legal (settings after steps, any
// property twice, any duration) and leaves those rules to the checker, where
// they get better messages.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <utility>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include "cadence/lexical.hpp"
#include "cadence/node_kind.hpp"
#include "cadence/vocabulary.hpp"

namespace cadence::grammar {

using namespace tao::pegtl;  // NOLINT: the grammar reads as PEGTL

/// Thrown by the parser's control class when a rule with an error message
/// fails under must<>; caught by recover<>.
struct syntax_failure {
  const char* message;
  const char* at;
  bool at_token;
};

// ---------------------------------------------------------------------------
// Custom rules.

/// Records the end of the token just matched in the parse state.
struct mark_end {
  using rule_t = mark_end;
  using subs_t = type_list<>;

  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class, typename ParseInput,
            typename... States>
  static bool match(ParseInput& in, States&... states) {
    (states.note_token_end(in.current()), ...);
    return true;
  }
};

/// Matches Rule; when it fails with a syntax error, records the error, rewinds
/// to where Rule started and matches Skip instead.
///
/// With Layout (the elements of a braced list): when Rule fails at the start
/// of a line indented no deeper than the line of the block's '{', the
/// block's '}' is missing, not the element: nothing is recorded and the list
/// ends there (the block's soft_close reports the missing '}' once, after
/// the block's last token), so the enclosing block goes on from that line.
/// State provides closed_by_layout(at).
template <typename Rule, typename Skip, bool Layout = false>
struct recover {
  using rule_t = recover;
  using subs_t = type_list<Rule, Skip>;

  template <apply_mode A, rewind_mode M, template <typename...> class Action, template <typename...> class Control,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& state) {
    const auto start = in.iterator();
    const auto checkpoint = state.checkpoint();
    try {
      return Control<must<Rule>>::template match<A, rewind_mode::required, Action, Control>(in, state);
    } catch (const syntax_failure& failure) {
      state.restore(checkpoint);
      in.iterator() = start;
      if constexpr (Layout) {
        if (state.closed_by_layout(in.current())) return false;
      }
      state.record_error(failure);
      return Control<Skip>::template match<A, M, Action, Control>(in, state);
    }
  }
};

struct seps;

/// Matches the token Close; when it is missing, records Close's error message
/// and succeeds anyway, so that a missing '}' does not discard the whole block.
template <typename Close>
struct soft_close {
  using rule_t = soft_close;
  using subs_t = type_list<seq<Close, mark_end, seps>>;

  template <apply_mode A, rewind_mode M, template <typename...> class Action, template <typename...> class Control,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& state) {
    if (!Control<seq<Close, mark_end, seps>>::template match<A, M, Action, Control>(in, state)) {
      state.record_unclosed(syntax_failure{Close::error_message, in.current(), false});
    }
    state.close_brace();
    return true;
  }
};

/// Recovery inside a block: skips the rest of the statement's line (with any
/// braced block it opens) and the blanks after it.
struct skip_member {
  using rule_t = skip_member;
  using subs_t = type_list<>;

  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class, typename ParseInput,
            typename... States>
  static bool match(ParseInput& in, States&...) {
    const char* end = in.end();
    const char* p = in.current();
    if (p == end) return false;
    const char* next = skip_line_balanced(p, end);
    if (next == p) next = p + 1;  // a stray '}' at the very start
    in.bump(static_cast<std::size_t>(next - p));
    return true;
  }
};

/// Recovery between items: skips whole lines until one starts with an item
/// keyword, so that one broken item yields one error.
struct skip_item {
  using rule_t = skip_item;
  using subs_t = type_list<>;

  static bool starts_item(const char* p, const char* end) {
    for (const char* word : {"import", "entity", "extend", "template", "segment", "sequence"}) {
      const char* q = p;
      const char* w = word;
      while (*w != '\0' && q < end && *q == *w) {
        ++q;
        ++w;
      }
      if (*w == '\0' && (q == end || !is_identifier_char(*q))) return true;
    }
    return false;
  }

  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class, typename ParseInput,
            typename... States>
  static bool match(ParseInput& in, States&...) {
    const char* end = in.end();
    const char* begin = in.current();
    const char* p = begin;
    if (p == end) return false;
    while (p < end) {
      const char* next = skip_line_balanced(p, end);
      p = next == p ? p + 1 : next;
      while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
      if (p < end && starts_item(p, end)) break;
    }
    in.bump(static_cast<std::size_t>(p - begin));
    return true;
  }
};

// ---------------------------------------------------------------------------
// Blanks and comments.

/// Returns the end of the blanks and comments starting at `p`: spaces, tabs,
/// line ends, form feeds, `// ...` to the end of the line and `/* ... */`.
/// An unclosed `/*` is a syntax_failure at the `/*`.
inline const char* skip_blanks_and_comments(const char* p, const char* end) {
  static constexpr std::string_view close_comment = "*/";
  for (;;) {
    while (p < end && is_blank(*p)) ++p;
    if (end - p < 2 || p[0] != '/') return p;
    if (p[1] == '/') {
      const auto* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      p = newline != nullptr ? newline : end;
    } else if (p[1] == '*') {
      const std::string_view rest(p + 2, static_cast<std::size_t>(end - p - 2));
      const std::size_t close = rest.find(close_comment);
      if (close == std::string_view::npos) {
        throw syntax_failure{"unterminated block comment: this '/*' has no closing '*/'", p, true};
      }
      p = rest.data() + close + close_comment.size();
    } else {
      return p;
    }
  }
}

/// Blanks and comments between tokens, matched in one loop rather than a
/// PEGTL choice per character run (the rule runs after every token).
struct seps {
  using rule_t = seps;
  using subs_t = type_list<>;

  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class, typename ParseInput,
            typename... States>
  static bool match(ParseInput& in, States&... /*states*/) {
    const char* begin = in.current();
    in.bump(static_cast<std::size_t>(skip_blanks_and_comments(begin, in.end()) - begin));
    return true;
  }
};

/// Recovery inside a block skips the broken statement and the blanks after it.
struct skip_statement : seq<skip_member, seps> {};

/// A token: R, then its end is recorded, then blanks.
template <typename R>
struct t : seq<R, mark_end, seps> {};
/// A required token: R must match (raising R's message), then blanks.
template <typename R>
struct expect : seq<must<R>, mark_end, seps> {};

// ---------------------------------------------------------------------------
// Keyword matching.

/// A keyword: the word Cs, not followed by an identifier character (the same
/// language as PEGTL's ascii::keyword). The word is compared inline, in one
/// load and compare for words of up to eight letters, rather than through a
/// call to memcmp: keywords are matched at almost every token.
template <char... Cs>
struct keyword {
  using rule_t = keyword;
  using subs_t = type_list<>;
  static constexpr std::size_t size = sizeof...(Cs);
  static_assert(size > 0);

  /// The word's bytes as a little-endian integer (words of up to eight letters).
  static constexpr uint64_t packed = [] {
    uint64_t value = 0;
    int shift = 0;
    ((value |= uint64_t{static_cast<unsigned char>(Cs)} << shift, shift += 8), ...);
    return value;
  }();

  static bool equals(const char* p) {
    if constexpr (size <= 8 && std::endian::native == std::endian::little) {
      uint64_t word = 0;
      std::memcpy(&word, p, size);
      return word == packed;
    } else {
      std::size_t i = 0;
      return ((p[i++] == Cs) && ...);
    }
  }

  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class, typename ParseInput,
            typename... States>
  static bool match(ParseInput& in, States&... /*states*/) {
    const char* p = in.current();
    const auto left = static_cast<std::size_t>(in.end() - p);
    if (left < size || !equals(p)) return false;
    if (left > size && is_identifier_char(p[size])) return false;
    in.bump(size);
    return true;
  }
};

/// The rule for a keyword written as a string literal, as TAO_PEGTL_KEYWORD.
#define CADENCE_KEYWORD(x) TAO_PEGTL_INTERNAL_STRING(::cadence::grammar::keyword, x)

/// The keyword of word `Index` of a vocabulary table (cadence/vocabulary.hpp).
template <const auto& Table, std::size_t Index, typename Chars = std::make_index_sequence<Table[Index].size()>>
struct table_keyword;
template <const auto& Table, std::size_t Index, std::size_t... C>
struct table_keyword<Table, Index, std::index_sequence<C...>> : keyword<Table[Index][C]...>{};
/// Any word of a vocabulary table, in the table's order: the grammar's word
/// lists are the tables themselves.
template <const auto& Table, typename Indices = std::make_index_sequence<Table.size()>>
struct one_of;
template <const auto& Table, std::size_t... I>
struct one_of<Table, std::index_sequence<I...>> : sor<table_keyword<Table, I>...> {};

/// An error message built at compile time (a rule's error_message is a
/// constant C string), so that one that lists a table's words lists them all.
struct Message {
  std::array<char, 256> text{};
  std::size_t size = 0;

  constexpr Message& operator<<(std::string_view part) {
    for (char c : part) text.at(size++) = c;
    return *this;
  }
  /// "a, b or c"; "'a', 'b' or 'c'" when quoted.
  template <typename Words>
  constexpr Message& words(const Words& list, bool quoted, std::string_view last = " or ") {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) *this << (i + 1 == list.size() ? last : ", ");
      *this << (quoted ? "'" : "") << list[i] << (quoted ? "'" : "");
    }
    return *this;
  }
};
/// "BEFORE a, b or c AFTER" for a table's words.
template <const auto& Table>
constexpr Message words_message(std::string_view before, bool quoted, std::string_view after = "") {
  Message message;
  message << before;
  message.words(Table, quoted);
  message << after;
  return message;
}

// ---------------------------------------------------------------------------
// Keywords. Reserved words cannot be names (they would be ambiguous in
// conditions and filters); every other keyword is contextual.

struct kw_and : CADENCE_KEYWORD("and") {};
struct kw_or : CADENCE_KEYWORD("or") {};
struct kw_not : CADENCE_KEYWORD("not") {};
struct kw_in : CADENCE_KEYWORD("in") {};
struct kw_is : CADENCE_KEYWORD("is") {};
struct kw_null : CADENCE_KEYWORD("null") {};
struct kw_true : CADENCE_KEYWORD("true") {};
struct kw_false : CADENCE_KEYWORD("false") {};
/// The reserved words as a rule; is_reserved_word below must agree (a unit test holds them equal).
struct reserved : sor<kw_and, kw_or, kw_not, kw_in, kw_is, kw_null, kw_true, kw_false> {};

struct kw_import : CADENCE_KEYWORD("import") {};
struct kw_entity : CADENCE_KEYWORD("entity") {};
struct kw_template : CADENCE_KEYWORD("template") {};
struct kw_for : CADENCE_KEYWORD("for") {};
struct kw_segment : CADENCE_KEYWORD("segment") {};
struct kw_on : CADENCE_KEYWORD("on") {};
struct kw_where : CADENCE_KEYWORD("where") {};
struct kw_extend : CADENCE_KEYWORD("extend") {};
struct kw_link : CADENCE_KEYWORD("link") {};
struct kw_as : CADENCE_KEYWORD("as") {};
struct kw_by : CADENCE_KEYWORD("by") {};
struct kw_older : CADENCE_KEYWORD("older") {};
struct kw_than : CADENCE_KEYWORD("than") {};
struct kw_sequence : CADENCE_KEYWORD("sequence") {};
struct kw_option : CADENCE_KEYWORD("option") {};
struct kw_subject : CADENCE_KEYWORD("subject") {};
struct kw_body : CADENCE_KEYWORD("body") {};
struct kw_title : CADENCE_KEYWORD("title") {};
struct kw_target : CADENCE_KEYWORD("target") {};
struct kw_on_leave : CADENCE_KEYWORD("on_leave") {};
struct kw_team : CADENCE_KEYWORD("team") {};
struct kw_limit : CADENCE_KEYWORD("limit") {};
struct kw_enroll : CADENCE_KEYWORD("enroll") {};
struct kw_calendar : CADENCE_KEYWORD("calendar") {};
struct kw_exit : CADENCE_KEYWORD("exit") {};
struct kw_then : CADENCE_KEYWORD("then") {};
struct kw_handoff : CADENCE_KEYWORD("handoff") {};
struct kw_pause : CADENCE_KEYWORD("pause") {};
struct kw_mode : CADENCE_KEYWORD("mode") {};
struct kw_variant : CADENCE_KEYWORD("variant") {};
// The keyword of each kind of step and of each text property, from
// cadence/steps.def.
template <vocabulary::StepKind Kind>
struct kw_step;
template <vocabulary::StepText Text>
struct kw_step_text;
// clang-format off
#define CADENCE_STEP(Id, name, channel, syntax, texts, required) \
  template <> struct kw_step<vocabulary::StepKind::Id> : CADENCE_KEYWORD(name) {};
#include "cadence/steps.def"
#define CADENCE_STEP_TEXT(Id, keyword, value, detail, missing, help) \
  template <> struct kw_step_text<vocabulary::StepText::Id> : CADENCE_KEYWORD(keyword) {};
#include "cadence/steps.def"
// clang-format on
struct kw_wait : CADENCE_KEYWORD("wait") {};
struct kw_goto : CADENCE_KEYWORD("goto") {};
struct kw_branch : CADENCE_KEYWORD("branch") {};
struct kw_within : CADENCE_KEYWORD("within") {};
struct kw_outcome : CADENCE_KEYWORD("outcome") {};

// ---------------------------------------------------------------------------
// Choosing among keyword-led rules.

template <char... Cs>
inline constexpr char keyword_chars[] = {Cs...};
template <char... Cs>
constexpr std::string_view keyword_text(const keyword<Cs...>* /*unused*/) {
  return {keyword_chars<Cs...>, sizeof...(Cs)};
}
/// The keyword a rule of the form if_must<t<Keyword>, ...> starts with.
template <typename Keyword, typename... Rest>
Keyword leading_keyword(const if_must<t<Keyword>, Rest...>* /*unused*/);

/// sor<Rules...> for rules that each start with their own keyword token
/// (if_must<t<kw>, ...>): reads the word at the input once and tries only the
/// rule it names. Same language as sor, without starting (and opening a
/// parse-tree node for) every alternative in turn. Candidates are told apart
/// by length first, then by the keyword's inline comparison.
template <typename... Rules>
struct keyword_sor {
  using rule_t = keyword_sor;
  using subs_t = type_list<Rules...>;

  template <typename Rule>
  using keyword_of = decltype(leading_keyword(static_cast<const Rule*>(nullptr)));
  template <typename Rule>
  static constexpr std::string_view word_of = keyword_text(static_cast<const keyword_of<Rule>*>(nullptr));

  template <apply_mode A, rewind_mode M, template <typename...> class Action, template <typename...> class Control,
            typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&... states) {
    const char* begin = in.current();
    const char* p = begin;
    while (p != in.end() && is_identifier_char(*p)) ++p;
    const auto length = static_cast<std::size_t>(p - begin);
    bool matched = false;
    (void)((length == keyword_of<Rules>::size && keyword_of<Rules>::equals(begin) &&
            (matched = Control<Rules>::template match<A, M, Action, Control>(in, states...), true)) ||
           ...);
    return matched;
  }
};

// ---------------------------------------------------------------------------
// Literals.

/// An identifier that is not a reserved word (the same language as
/// seq<not_at<reserved>, identifier>, reading the word once).
struct name {
  using rule_t = name;
  using subs_t = type_list<>;
  static constexpr NodeKind node = NodeKind::Name;

  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class, typename ParseInput,
            typename... States>
  static bool match(ParseInput& in, States&... /*states*/) {
    const char* begin = in.current();
    const char* end = in.end();
    if (begin == end || !(is_identifier_char(*begin) && (*begin < '0' || *begin > '9'))) return false;
    const char* p = begin + 1;
    while (p != end && is_identifier_char(*p)) ++p;
    const auto size = static_cast<std::size_t>(p - begin);
    if (is_reserved_word(std::string_view(begin, size))) return false;
    in.bump(size);
    return true;
  }
};
struct integer : plus<digit> {
  static constexpr NodeKind node = NodeKind::Integer;
};
struct number_literal : seq<opt<one<'-'>>, plus<digit>, opt<one<'.'>, plus<digit>>, not_at<identifier_other>> {
  static constexpr NodeKind node = NodeKind::Number;
};
struct bool_literal : sor<kw_true, kw_false> {
  static constexpr NodeKind node = NodeKind::Bool;
};

/// A duration's unit: a letter right after the number (30m, 4h, 2d, 1w) or,
/// as segment windows spell them, a word after it (30 minutes, 4 hours,
/// 2 days, 1 week; singular, plural, `min`).
struct duration_unit
    : sor<CADENCE_KEYWORD("minutes"), CADENCE_KEYWORD("minute"), CADENCE_KEYWORD("min"), CADENCE_KEYWORD("hours"),
          CADENCE_KEYWORD("hour"), CADENCE_KEYWORD("days"), CADENCE_KEYWORD("day"), CADENCE_KEYWORD("weeks"),
          CADENCE_KEYWORD("week"), seq<one<'m', 'h', 'd', 'w'>, not_at<identifier_other>>> {
  static constexpr const char* error_message = "expected a duration unit: m, h, d or w (as in 30m, 4h, 2d, 1w)";
};
struct duration : seq<opt<one<'-'>>, plus<digit>, star<one<' ', '\t'>>, must<duration_unit>> {
  static constexpr NodeKind node = NodeKind::Duration;
  static constexpr const char* error_message = "expected a duration such as 2d, 4h, 30m or 1w";
};
struct rate_unit : sor<CADENCE_KEYWORD("day"), CADENCE_KEYWORD("week")> {
  static constexpr const char* error_message = "expected 'day' or 'week' after '/' (as in 200/day)";
};
struct rate : seq<plus<digit>, one<'/'>, must<rate_unit>> {
  static constexpr NodeKind node = NodeKind::Rate;
  static constexpr const char* error_message = "expected a rate such as 200/day or 1000/week";
};
struct percent : seq<plus<digit>, one<'%'>> {
  static constexpr NodeKind node = NodeKind::Percent;
  static constexpr const char* error_message = "expected a share such as 50%";
};

// Strings. Escapes: \" \\ \n \t \u{...}. Merge fields {{entity.field}} or
// {{entity.field | "fallback"}} may appear in any string; the checker decides
// where they are expanded.
struct escape_code : sor<one<'"', '\\', 'n', 't'>, seq<one<'u'>, one<'{'>, rep_min_max<1, 6, xdigit>, one<'}'>>> {
  static constexpr const char* error_message = "invalid escape: expected \\\", \\\\, \\n, \\t or \\u{hex}";
};
struct escape : if_must<one<'\\'>, escape_code> {};

struct merge_blanks : star<one<' ', '\t'>> {};
struct merge_path_dot : one<'.'> {
  static constexpr const char* error_message = "expected '.' and a field name, as in {{lead.firstname}}";
};
struct merge_entity : name {
  static constexpr const char* error_message = "expected a merge field such as {{lead.firstname}}";
};
struct merge_field_name : name {
  static constexpr const char* error_message = "expected a field name after '.'";
};
struct fallback_close : one<'"'> {
  static constexpr const char* error_message = "unterminated fallback string: expected '\"'";
};
struct fallback_string : if_must<one<'"'>, star<sor<escape, not_one<'"', '\n', '\\'>>>, fallback_close> {
  static constexpr NodeKind node = NodeKind::FallbackString;
};
struct fallback_expected : fallback_string {
  static constexpr const char* error_message =
      "expected a quoted fallback after '|', as in {{lead.firstname | \"there\"}}";
};
struct merge_fallback : if_must<one<'|'>, merge_blanks, fallback_expected> {};
struct merge_close : string<'}', '}'> {
  static constexpr const char* error_message = "expected '}}' to close the merge field";
};
struct merge_field : if_must<two<'{'>, merge_blanks, merge_entity, merge_path_dot, merge_field_name, merge_blanks,
                             opt<merge_fallback, merge_blanks>, merge_close> {
  static constexpr NodeKind node = NodeKind::MergeField;
};

struct string_close : one<'"'> {
  static constexpr const char* error_message = "unterminated string: expected '\"' before the end of the line";
};
/// Runs of plain characters are taken whole; only a '\\' or '{' stops a run to
/// try an escape or a merge field.
/// One or more characters other than Stops, scanned with a table lookup per
/// byte (the same language as plus<not_one<Stops...>> on bytes).
template <char... Stops>
struct run_until {
  using rule_t = run_until;
  using subs_t = type_list<>;
  static constexpr std::array<bool, 256> kStop = [] {
    std::array<bool, 256> table{};
    for (const char c : {Stops...}) table[static_cast<unsigned char>(c)] = true;
    return table;
  }();

  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class, typename ParseInput,
            typename... States>
  static bool match(ParseInput& in, States&... /*states*/) {
    const char* begin = in.current();
    const char* end = in.end();
    const char* p = begin;
    while (p != end && !kStop[static_cast<unsigned char>(*p)]) ++p;
    if (p == begin) return false;
    in.bump(static_cast<std::size_t>(p - begin));
    return true;
  }
};

struct short_string_run : run_until<'"', '\n', '\\', '{'> {};
struct short_string
    : if_must<one<'"'>, star<sor<short_string_run, escape, merge_field, not_one<'"', '\n', '\\'>>>, string_close> {};
struct long_string_close : string<'"', '"', '"'> {
  static constexpr const char* error_message = "unterminated multi-line string: expected '\"\"\"'";
};
struct long_string_run : run_until<'"', '\\', '{'> {};
struct long_string
    : if_must<string<'"', '"', '"'>,
              star<sor<long_string_run, seq<not_at<string<'"', '"', '"'>>, sor<escape, merge_field, not_one<'\\'>>>>>,
              long_string_close> {};
struct string_literal : sor<long_string, short_string> {
  static constexpr NodeKind node = NodeKind::String;
  static constexpr const char* error_message = "expected a quoted string";
};

// Brackets with their messages.
struct open_brace : one<'{'> {
  static constexpr const char* error_message = "expected '{'";
};
struct close_paren : one<')'> {
  static constexpr const char* error_message = "expected ')'";
};
struct open_paren : one<'('> {
  static constexpr const char* error_message = "expected '('";
};

/// A list of Element inside braces, each recovered on error, ended by '}'
/// (or, when Stop matches, by a missing '}' that Close reports).
template <typename Element, typename Stop = failure>
struct braced_list : star<not_at<one<'}'>>, not_at<eof>, not_at<Stop>, recover<Element, skip_statement, true>> {};

struct item_keyword : sor<kw_sequence, kw_template, kw_entity, kw_extend, kw_import> {};

// ---------------------------------------------------------------------------
// import "std/lead"

struct import_path : string_literal {
  static constexpr const char* error_message = "expected a quoted path after 'import', as in import \"std/lead\"";
};
struct import_item : if_must<t<kw_import>, expect<import_path>> {
  static constexpr NodeKind node = NodeKind::Import;
};

// ---------------------------------------------------------------------------
// entity partner_lead { field: TYPE [?] ... }

struct entity_ref : name {
  static constexpr const char* error_message = "expected an entity name such as lead or contact";
};

struct entity_name : name {
  static constexpr const char* error_message = "expected the entity's name after 'entity'";
};
struct type_name
    : sor<CADENCE_KEYWORD("string"), CADENCE_KEYWORD("number"), CADENCE_KEYWORD("bool"), CADENCE_KEYWORD("date")> {
  static constexpr NodeKind node = NodeKind::TypeName;
};
struct option_label : name {
  static constexpr const char* error_message = "expected an option label, as in hot = 1";
};
struct option_equals : one<'='> {
  static constexpr const char* error_message = "expected '=' and the option's number after the label";
};
struct option_number : integer {
  static constexpr const char* error_message = "expected the option's number";
};
struct option_value : seq<expect<option_label>, expect<option_equals>, expect<option_number>> {
  static constexpr NodeKind node = NodeKind::OptionValue;
};
struct option_close : one<'}'> {
  static constexpr const char* error_message = "expected ',' or '}' in the option list";
};
struct option_type : if_must<t<kw_option>, expect<open_brace>, option_value,
                             star<if_must<t<one<','>>, sor<at<one<'}'>>, option_value>>>, expect<option_close>> {
  static constexpr NodeKind node = NodeKind::OptionType;
};
struct field_type : sor<t<type_name>, option_type> {
  static constexpr const char* error_message = "expected a field type: string, number, bool, date or option { ... }";
};
struct field_colon : one<':'> {
  static constexpr const char* error_message = "expected ':' and a type after the field name";
};
struct field_optional : one<'?'> {
  static constexpr NodeKind node = NodeKind::Optional;
};
struct column_name : name {
  static constexpr const char* error_message = "expected the Dataverse column name after 'as'";
};
struct table_name : name {
  static constexpr const char* error_message = "expected the Dataverse table name after 'as'";
};
struct field_decl : seq<t<name>, expect<field_colon>, must<field_type>, opt<t<field_optional>>,
                        opt<if_must<t<kw_as>, expect<column_name>>>> {
  static constexpr NodeKind node = NodeKind::Field;
  static constexpr const char* error_message = "expected a field (name: type) or '}'";
  static constexpr bool at_token = true;
};
struct link_colon : one<':'> {
  static constexpr const char* error_message =
      "expected ':' and the linked entity, as in link account: account by parentaccountid";
};
struct link_by : kw_by {
  static constexpr const char* error_message = "expected 'by' and the lookup column, as in by parentaccountid";
};
struct link_column : name {
  static constexpr const char* error_message = "expected the lookup column that holds the link";
};
/// link account: account by parentaccountid -- a many-to-one relationship
/// through a lookup column of this entity.
struct link_decl : seq<t<kw_link>, t<name>, at<one<':'>>, expect<link_colon>, expect<entity_ref>, expect<link_by>,
                       expect<link_column>> {
  static constexpr NodeKind node = NodeKind::Link;
};
struct entity_member : sor<link_decl, field_decl> {
  static constexpr const char* error_message = "expected a field (name: type), a link or '}'";
  static constexpr bool at_token = true;
};
struct entity_close : one<'}'> {
  static constexpr const char* error_message = "expected '}' to close the entity";
};
struct entity_item : if_must<t<kw_entity>, expect<entity_name>, opt<if_must<t<kw_as>, expect<table_name>>>,
                             expect<open_brace>, braced_list<entity_member>, soft_close<entity_close>> {
  static constexpr NodeKind node = NodeKind::Entity;
};
struct extend_entity : kw_entity {
  static constexpr const char* error_message = "expected 'entity' after 'extend', as in extend entity lead { ... }";
};
struct extend_item : if_must<t<kw_extend>, expect<extend_entity>, expect<entity_ref>, expect<open_brace>,
                             braced_list<entity_member>, soft_close<entity_close>> {
  static constexpr NodeKind node = NodeKind::Extension;
};

// ---------------------------------------------------------------------------
// template intro_a for lead { subject "..." body """...""" }

struct template_name : name {
  static constexpr const char* error_message = "expected the template's name after 'template'";
};
struct template_for : kw_for {
  static constexpr const char* error_message = "expected 'for' and an entity, as in template intro for lead";
};
struct template_subject : if_must<t<kw_subject>, expect<string_literal>> {
  static constexpr NodeKind node = NodeKind::Subject;
};
struct template_body : if_must<t<kw_body>, expect<string_literal>> {
  static constexpr NodeKind node = NodeKind::Body;
};
struct template_member : sor<template_subject, template_body> {
  static constexpr const char* error_message = "expected 'subject', 'body' or '}'";
  static constexpr bool at_token = true;
};
struct template_close : one<'}'> {
  static constexpr const char* error_message = "expected '}' to close the template";
};
struct template_item : if_must<t<kw_template>, expect<template_name>, expect<template_for>, expect<entity_ref>,
                               expect<open_brace>, braced_list<template_member>, soft_close<template_close>> {
  static constexpr NodeKind node = NodeKind::Template;
};

// ---------------------------------------------------------------------------
// segment hot on lead { where FILTER }

struct filter_or;
struct segment_name : name {
  static constexpr const char* error_message = "expected the segment's name after 'segment'";
};
struct segment_on : kw_on {
  static constexpr const char* error_message = "expected 'on' and an entity, as in segment hot on lead";
};
struct segment_where : kw_where {
  static constexpr const char* error_message = "expected 'where' and a condition";
};
struct compare_op : sor<string<'=', '='>, string<'!', '='>, string<'<', '='>, string<'>', '='>, one<'<'>, one<'>'>> {
  static constexpr NodeKind node = NodeKind::CompareOp;
};
struct filter_value : sor<string_literal, number_literal, bool_literal, name> {
  static constexpr const char* error_message = "expected a value: a string, a number, true, false or an option label";
};
struct value_list_close : one<']'> {
  static constexpr const char* error_message = "expected ',' or ']' in the value list";
};
struct in_list : if_must<t<one<'['>>, opt<expect<filter_value>, star<t<one<','>>, expect<filter_value>>>,
                         expect<value_list_close>> {
  static constexpr NodeKind node = NodeKind::InList;
};
struct null_keyword : kw_null {
  static constexpr NodeKind node = NodeKind::IsNull;
};
/// `not` inside a comparison: `x not in [...]`, `x not contains "..."`, `x is not null`.
struct tail_not : kw_not {
  static constexpr NodeKind node = NodeKind::TailNot;
};
struct is_word : name {
  static constexpr NodeKind node = NodeKind::IsWord;
};
struct is_operand : sor<null_keyword, is_word> {
  static constexpr const char* error_message =
      "expected 'null', 'today', 'yesterday', 'tomorrow' or 'current_user' after 'is'";
};
struct is_tail : if_must<t<kw_is>, opt<t<tail_not>>, expect<is_operand>> {};
struct text_op : one_of<vocabulary::kTextTests> {
  static constexpr NodeKind node = NodeKind::TextOp;
};
struct text_tail : seq<t<text_op>, expect<filter_value>> {};
/// An amount of time in a relative window: 30d, 6 months, 12h. The unit is
/// checked later, where a wrong one can be explained.
struct window_amount : seq<plus<digit>, star<one<' ', '\t'>>, identifier> {
  static constexpr NodeKind node = NodeKind::Amount;
  static constexpr const char* error_message = "expected an amount of time, as in 30d, 12 weeks or 6 months";
};
struct window_direction : sor<CADENCE_KEYWORD("last"), CADENCE_KEYWORD("next"), CADENCE_KEYWORD("this")> {
  static constexpr NodeKind node = NodeKind::Word;
};
struct window_period : sor<CADENCE_KEYWORD("week"), CADENCE_KEYWORD("month"), CADENCE_KEYWORD("year")> {
  static constexpr NodeKind node = NodeKind::Word;
};
struct window_extent : sor<t<window_period>, t<window_amount>> {
  static constexpr const char* error_message = "expected week, month, year or an amount such as 30d";
};
struct in_window : seq<t<window_direction>, must<window_extent>> {
  static constexpr NodeKind node = NodeKind::Window;
};
struct in_group : name {
  static constexpr NodeKind node = NodeKind::InGroup;
};
struct in_operand : sor<in_list, in_window, t<in_group>> {
  static constexpr const char* error_message =
      "expected a list [...], a window (last 30d, next 7d, this week) or an owner group (my_teams) after 'in'";
};
struct in_tail : if_must<t<kw_in>, must<in_operand>> {};
struct older_than : kw_than {
  static constexpr const char* error_message = "expected 'than' and an amount, as in older than 6 months";
};
struct older_tail : if_must<t<kw_older>, expect<older_than>, must<t<window_amount>>> {
  static constexpr NodeKind node = NodeKind::OlderThan;
};
struct negated_tail : if_must<t<tail_not>, must<sor<in_tail, text_tail>>> {
  static constexpr const char* error_message = "expected 'in', 'contains', 'starts_with' or 'ends_with' after 'not'";
};
struct comparison_tail
    : sor<seq<t<compare_op>, expect<filter_value>>, in_tail, text_tail, older_tail, is_tail, negated_tail> {
  static constexpr const char* error_message =
      "expected a comparison: == != < <= > >=, 'in', 'contains', 'starts_with', 'ends_with', 'older than' or 'is'";
};
struct field_path_name : name {
  static constexpr const char* error_message = "expected a field name after '.'";
};
struct comparison : seq<t<name>, star<t<one<'.'>>, expect<field_path_name>>, must<comparison_tail>> {
  static constexpr NodeKind node = NodeKind::Comparison;
};
struct filter_unary;
struct filter_group : if_must<t<one<'('>>, filter_or, expect<close_paren>> {
  static constexpr bool nests = true;
};
struct filter_not : if_must<t<kw_not>, filter_unary> {
  static constexpr NodeKind node = NodeKind::FilterNot;
  static constexpr bool nests = true;
};
struct filter_unary : sor<filter_not, filter_group, comparison> {
  static constexpr const char* error_message = "expected a condition such as leadqualitycode == hot";
};
struct filter_and : seq<must<filter_unary>, star<if_must<t<kw_and>, filter_unary>>> {
  static constexpr NodeKind node = NodeKind::FilterAnd;
};
struct filter_or : seq<filter_and, star<if_must<t<kw_or>, filter_and>>> {
  static constexpr NodeKind node = NodeKind::FilterOr;
};
struct segment_close : one<'}'> {
  static constexpr const char* error_message = "expected 'and', 'or' or '}' to close the segment";
};
struct segment_item : if_must<t<kw_segment>, expect<segment_name>, expect<segment_on>, expect<entity_ref>,
                              expect<open_brace>, expect<segment_where>, filter_or, soft_close<segment_close>> {
  static constexpr NodeKind node = NodeKind::Segment;
};

// ---------------------------------------------------------------------------
// Sequence settings and handlers.

struct setting_title : if_must<t<kw_title>, expect<string_literal>> {
  static constexpr NodeKind node = NodeKind::SettingTitle;
};
struct setting_target : if_must<t<kw_target>, expect<entity_ref>> {
  static constexpr NodeKind node = NodeKind::SettingTarget;
};
struct segment_ref : name {
  static constexpr const char* error_message = "expected a segment name after 'segment'";
};
inline constexpr Message kLeaveMessage =
    words_message<vocabulary::kLeaveActions>("expected ", true, " after 'on_leave'");
struct on_leave_value : one_of<vocabulary::kLeaveActions> {
  static constexpr NodeKind node = NodeKind::Word;
  static constexpr const char* error_message = kLeaveMessage.text.data();
};
struct setting_segment
    : if_must<t<kw_segment>, expect<segment_ref>, opt<if_must<t<kw_on_leave>, expect<on_leave_value>>>> {
  static constexpr NodeKind node = NodeKind::SettingSegment;
};
struct setting_team : if_must<t<kw_team>, expect<string_literal>> {
  static constexpr NodeKind node = NodeKind::SettingTeam;
};
inline constexpr Message kChannelMessage = words_message<vocabulary::kLimitChannels>("expected a channel: ", false);
struct channel : one_of<vocabulary::kLimitChannels> {
  static constexpr NodeKind node = NodeKind::Word;
  static constexpr const char* error_message = kChannelMessage.text.data();
};
struct setting_limit : if_must<t<kw_limit>, expect<channel>, expect<rate>> {
  static constexpr NodeKind node = NodeKind::SettingLimit;
};
struct setting_enroll : if_must<t<kw_enroll>, expect<rate>> {
  static constexpr NodeKind node = NodeKind::SettingEnroll;
};
inline constexpr Message kCalendarMessage =
    words_message<vocabulary::kCalendars>("expected ", true, " after 'calendar'");
struct calendar_value : one_of<vocabulary::kCalendars> {
  static constexpr NodeKind node = NodeKind::Word;
  static constexpr const char* error_message = kCalendarMessage.text.data();
};
struct setting_calendar : if_must<t<kw_calendar>, expect<calendar_value>> {
  static constexpr NodeKind node = NodeKind::SettingCalendar;
};

inline constexpr Message kEventMessage = words_message<vocabulary::kEvents>("expected an event: ", false);
struct event_name : one_of<vocabulary::kEvents> {
  static constexpr NodeKind node = NodeKind::Word;
  static constexpr const char* error_message = kEventMessage.text.data();
};
struct sequence_ref : name {
  static constexpr const char* error_message = "expected a sequence name after 'handoff'";
};
struct outcome_word
    : sor<CADENCE_KEYWORD("create_opportunity"), CADENCE_KEYWORD("qualify"), CADENCE_KEYWORD("disqualify")> {
  static constexpr NodeKind node = NodeKind::Word;
};
struct outcome_handoff : if_must<t<kw_handoff>, expect<sequence_ref>> {
  static constexpr NodeKind node = NodeKind::Handoff;
};
struct exit_outcome : sor<t<outcome_word>, outcome_handoff> {
  static constexpr const char* error_message =
      "expected an outcome after 'then': create_opportunity, qualify, disqualify or handoff SEQUENCE";
};
struct exit_action : if_must<t<kw_exit>, opt<t<string_literal>>, opt<if_must<t<kw_then>, must<exit_outcome>>>> {
  static constexpr NodeKind node = NodeKind::Exit;
};
struct pause_action : if_must<t<kw_pause>, expect<duration>> {
  static constexpr NodeKind node = NodeKind::Pause;
};
struct handler_action : sor<exit_action, pause_action> {
  static constexpr const char* error_message = "expected 'exit' or 'pause' after the event";
};
struct handler : if_must<t<kw_on>, expect<event_name>, must<handler_action>> {
  static constexpr NodeKind node = NodeKind::Handler;
};

// ---------------------------------------------------------------------------
// Flow statements.

struct statement;
struct step_label : name {
  static constexpr const char* error_message = "expected the step's label";
};
struct template_ref : name {
  static constexpr const char* error_message = "expected a template name after 'template'";
};
struct email_template : if_must<t<kw_template>, expect<template_ref>> {
  static constexpr NodeKind node = NodeKind::EmailTemplate;
};
inline constexpr Message kModeMessage = words_message<vocabulary::kEmailModes>("expected ", true, " after 'mode'");
struct mode_value : one_of<vocabulary::kEmailModes> {
  static constexpr NodeKind node = NodeKind::Word;
  static constexpr const char* error_message = kModeMessage.text.data();
};
struct email_mode : if_must<t<kw_mode>, expect<mode_value>> {
  static constexpr NodeKind node = NodeKind::EmailMode;
};
struct variant_name : name {
  static constexpr const char* error_message = "expected the variant's name after 'variant'";
};
struct variant_template : kw_template {
  static constexpr const char* error_message = "expected 'template' and a template name after the share";
};
struct variant
    : if_must<t<kw_variant>, expect<variant_name>, expect<percent>, expect<variant_template>, expect<template_ref>> {
  static constexpr NodeKind node = NodeKind::Variant;
};
struct step_close : one<'}'> {
  static constexpr const char* error_message = "expected '}' to close the step";
};
struct email_property : sor<email_template, email_mode, variant> {
  static constexpr const char* error_message = "expected 'template', 'mode', 'variant' or '}'";
  static constexpr bool at_token = true;
};
struct email_step : if_must<t<kw_step<vocabulary::StepKind::Email>>, expect<step_label>, expect<open_brace>,
                            braced_list<email_property>, soft_close<step_close>> {
  static constexpr NodeKind node = NodeKind::Email;
};

// The steps written `KIND LABEL { TEXT "..." ... }` (cadence/steps.def's
// Texts syntax), and the text properties of every step, from the table.

/// "expected 'activity', 'note' or '}'": what a step's braces take.
constexpr Message texts_message(vocabulary::TextSet set) {
  std::array<std::string_view, vocabulary::kStepTexts.size() + 1> words{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < vocabulary::kStepTexts.size(); ++i) {
    if ((set & (vocabulary::TextSet{1} << i)) != 0) words.at(n++) = vocabulary::kStepTexts.at(i);
  }
  words.at(n++) = "}";
  Message message;
  message << "expected ";
  message.words(std::span(words.data(), n), true);
  return message;
}
template <vocabulary::TextSet Set>
inline constexpr Message kTextsMessage = texts_message(Set);

/// The indices of a set's members, in the table's order.
template <vocabulary::TextSet Set>
inline constexpr auto kTextIndices = [] {
  std::array<vocabulary::StepText, std::popcount(Set)> out{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < vocabulary::kStepTexts.size(); ++i) {
    if ((Set & (vocabulary::TextSet{1} << i)) != 0) out.at(n++) = static_cast<vocabulary::StepText>(i);
  }
  return out;
}();

template <vocabulary::StepText Text>
struct step_text : if_must<t<kw_step_text<Text>>, expect<string_literal>> {
  static constexpr NodeKind node = NodeKind::StepText;
};
template <vocabulary::TextSet Set, typename Indices = std::make_index_sequence<std::popcount(Set)>>
struct step_texts;
template <vocabulary::TextSet Set, std::size_t... I>
struct step_texts<Set, std::index_sequence<I...>> : sor<step_text<kTextIndices<Set>[I]>...> {
  static constexpr const char* error_message = kTextsMessage<Set>.text.data();
  static constexpr bool at_token = true;
};
/// The braces of a kind of step that takes text properties.
template <vocabulary::StepKind Kind>
using step_texts_of = step_texts<vocabulary::texts_of(Kind)>;

template <vocabulary::StepKind Kind>
struct text_step : if_must<t<kw_step<Kind>>, expect<step_label>, expect<open_brace>, braced_list<step_texts_of<Kind>>,
                           soft_close<step_close>> {
  static_assert(vocabulary::syntax_of(Kind) == vocabulary::StepSyntax::Texts,
                "a step of syntax Own needs a step_rule specialisation naming its rule");
  static constexpr NodeKind node = NodeKind::TextStep;
};

inline constexpr Message kLinkedinMessage =
    words_message<vocabulary::kLinkedinKinds>("expected a LinkedIn action: ", false);
struct linkedin_kind : one_of<vocabulary::kLinkedinKinds> {
  static constexpr NodeKind node = NodeKind::Word;
  static constexpr const char* error_message = kLinkedinMessage.text.data();
};
struct linkedin_step
    : if_must<t<kw_step<vocabulary::StepKind::Linkedin>>, expect<linkedin_kind>, expect<step_label>, expect<open_brace>,
              braced_list<step_texts_of<vocabulary::StepKind::Linkedin>>, soft_close<step_close>> {
  static constexpr NodeKind node = NodeKind::Linkedin;
};

/// The rule of each kind of activity: the table's for Texts, its own for Own.
template <vocabulary::StepKind Kind>
struct step_rule {
  using type = text_step<Kind>;
};
template <>
struct step_rule<vocabulary::StepKind::Email> {
  using type = email_step;
};
template <>
struct step_rule<vocabulary::StepKind::Linkedin> {
  using type = linkedin_step;
};

struct wait_statement : if_must<t<kw_wait>, expect<duration>> {
  static constexpr NodeKind node = NodeKind::Wait;
};
struct goto_target : name {
  static constexpr const char* error_message = "expected a step label after 'goto'";
};
struct goto_statement : if_must<t<kw_goto>, expect<goto_target>> {
  static constexpr NodeKind node = NodeKind::Goto;
};

// Blocks nest: arms hold statements, which may be branches again.
struct block_close : one<'}'> {
  static constexpr const char* error_message = "expected '}' to close the block";
};
struct block : seq<expect<open_brace>, braced_list<statement, item_keyword>, soft_close<block_close>> {
  static constexpr NodeKind node = NodeKind::Block;
  static constexpr bool nests = true;
};

// Conditions: signals combined with and, or, not and parentheses.
struct signal_step : name {
  static constexpr const char* error_message = "expected a step label inside the parentheses";
};
struct signal_argument : if_must<t<one<'('>>, expect<signal_step>, expect<close_paren>> {};
struct signal_argument_required : signal_argument {
  static constexpr const char* error_message = "expected '(' and a step label, as in opened(intro)";
};
struct signal_with_step : sor<CADENCE_KEYWORD("opened"), CADENCE_KEYWORD("clicked"), CADENCE_KEYWORD("bounced"),
                              CADENCE_KEYWORD("accepted")> {
  static constexpr NodeKind node = NodeKind::Word;
};
struct signal_replied : CADENCE_KEYWORD("replied") {
  static constexpr NodeKind node = NodeKind::Word;
};
struct signal_meeting : CADENCE_KEYWORD("meeting_booked") {
  static constexpr NodeKind node = NodeKind::Word;
};
struct signal : sor<seq<t<signal_with_step>, must<signal_argument_required>>,
                    seq<t<signal_replied>, opt<signal_argument>>, t<signal_meeting>> {
  static constexpr NodeKind node = NodeKind::Signal;
};
struct condition_or;
struct condition_unary;
struct condition_group : if_must<t<one<'('>>, condition_or, expect<close_paren>> {
  static constexpr bool nests = true;
};
struct condition_not : if_must<t<kw_not>, condition_unary> {
  static constexpr NodeKind node = NodeKind::CondNot;
  static constexpr bool nests = true;
};
struct condition_unary : sor<condition_not, condition_group, signal> {
  static constexpr const char* error_message =
      "expected a signal: opened(E), clicked(E), replied, replied(E), bounced(E), accepted(L) or meeting_booked";
};
struct condition_and : seq<must<condition_unary>, star<if_must<t<kw_and>, condition_unary>>> {
  static constexpr NodeKind node = NodeKind::CondAnd;
};
struct condition_or : seq<condition_and, star<if_must<t<kw_or>, condition_and>>> {
  static constexpr NodeKind node = NodeKind::CondOr;
};
struct within : if_must<t<kw_within>, expect<duration>> {
  static constexpr NodeKind node = NodeKind::Within;
};
struct yes_no : one_of<vocabulary::kSignalArms> {
  static constexpr NodeKind node = NodeKind::Word;
};
struct signal_arm : seq<t<yes_no>, must<block>> {
  static constexpr NodeKind node = NodeKind::Arm;
  static constexpr const char* error_message = "expected 'yes', 'no' or '}'";
  static constexpr bool at_token = true;
};
struct branch_close : one<'}'> {
  static constexpr const char* error_message = "expected '}' to close the branch";
};
struct branch_open : one<'{'> {
  static constexpr const char* error_message = "expected 'and', 'or', 'within' or '{' after the condition";
};
struct signal_branch
    : seq<condition_or, opt<within>, expect<branch_open>, braced_list<signal_arm>, soft_close<branch_close>> {
  static constexpr NodeKind node = NodeKind::SignalBranch;
};
struct call_outcome : sor<one_of<vocabulary::kCallOutcomes>, CADENCE_KEYWORD("else")> {
  static constexpr NodeKind node = NodeKind::Word;
};
struct outcome_arm : seq<t<call_outcome>, must<block>> {
  static constexpr NodeKind node = NodeKind::Arm;
  static constexpr const char* error_message =
      "expected a call outcome (connected, voicemail, no_answer, busy, wrong_number, not_interested, "
      "callback_later, else) or '}'";
  static constexpr bool at_token = true;
};
struct call_ref : name {
  static constexpr const char* error_message = "expected a call step label";
};
struct outcome_branch : if_must<t<kw_outcome>, expect<open_paren>, expect<call_ref>, expect<close_paren>,
                                expect<open_brace>, braced_list<outcome_arm>, soft_close<branch_close>> {
  static constexpr NodeKind node = NodeKind::OutcomeBranch;
};
struct branch_body : sor<outcome_branch, signal_branch> {
  static constexpr const char* error_message = "expected a condition such as opened(intro), or outcome(CALL)";
};
struct branch_statement : if_must<t<kw_branch>, branch_body> {};

template <typename Indices = std::make_index_sequence<vocabulary::kActivityKinds>>
struct activities;
template <std::size_t... I>
struct activities<std::index_sequence<I...>> {
  /// keyword_sor of every activity's rule, then `Rest`.
  template <typename... Rest>
  using before = keyword_sor<typename step_rule<vocabulary::kActivities[I]>::type..., Rest...>;
};

/// "expected a step (email, sms, ...), 'wait', 'branch', 'exit', 'goto' or '}'".
inline constexpr Message kStatementMessage = [] {
  std::array<std::string_view, vocabulary::kControlKeywords.size() + 1> others{};
  std::size_t n = 0;
  for (std::string_view word : vocabulary::kControlKeywords) others.at(n++) = word;
  others.at(n++) = "}";
  Message message;
  message << "expected a step (";
  message.words(std::span(vocabulary::kFlowKeywords.data(), vocabulary::kActivityKinds), false, ", ");
  message << "), ";
  message.words(others, true);
  return message;
}();

struct statement : activities<>::before<wait_statement, branch_statement, exit_action, goto_statement> {
  static constexpr const char* error_message = kStatementMessage.text.data();
  static constexpr bool at_token = true;
};

// ---------------------------------------------------------------------------
// sequence NAME { settings, handlers, statements }

struct sequence_name : name {
  static constexpr const char* error_message = "expected the sequence's name after 'sequence'";
};
struct sequence_member : sor<keyword_sor<setting_title, setting_target, setting_segment, setting_team, setting_limit,
                                         setting_enroll, setting_calendar, handler>,
                             statement> {
  static constexpr const char* error_message = "expected a setting, a handler ('on EVENT ...'), a step or '}'";
  static constexpr bool at_token = true;
};
struct sequence_close : one<'}'> {
  static constexpr const char* error_message = "expected '}' to close the sequence";
};
struct sequence_item : if_must<t<kw_sequence>, expect<sequence_name>, expect<open_brace>,
                               braced_list<sequence_member, item_keyword>, soft_close<sequence_close>> {
  static constexpr NodeKind node = NodeKind::Sequence;
};

// ---------------------------------------------------------------------------
// A file.

struct item : sor<import_item, entity_item, extend_item, template_item, segment_item, sequence_item> {
  static constexpr const char* error_message =
      "expected 'import', 'entity', 'extend', 'template', 'segment' or 'sequence'";
  static constexpr bool at_token = true;
};
struct file : seq<seps, star<not_at<eof>, recover<item, skip_item>>, eof> {};

}  // namespace cadence::grammar

// Analysis support for the custom rules, so that analyze<file>() can check
// the grammar for rules that loop without consuming input.
namespace tao::pegtl {

template <typename Name>
struct analyze_traits<Name, cadence::grammar::mark_end> : analyze_opt_traits<> {};
template <typename Name, typename... Rules>
struct analyze_traits<Name, cadence::grammar::keyword_sor<Rules...>> : analyze_sor_traits<Rules...> {};
template <typename Name, typename Rule, typename Skip, bool Layout>
struct analyze_traits<Name, cadence::grammar::recover<Rule, Skip, Layout>> : analyze_sor_traits<Rule, Skip> {};
template <typename Name, typename Close>
struct analyze_traits<Name, cadence::grammar::soft_close<Close>>
    : analyze_opt_traits<seq<Close, cadence::grammar::mark_end, cadence::grammar::seps>> {};
template <typename Name>
struct analyze_traits<Name, cadence::grammar::skip_member> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, cadence::grammar::skip_item> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, cadence::grammar::seps> : analyze_opt_traits<> {};
template <typename Name, char... Stops>
struct analyze_traits<Name, cadence::grammar::run_until<Stops...>> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, cadence::grammar::name> : analyze_any_traits<> {};
template <typename Name, char... Cs>
struct analyze_traits<Name, cadence::grammar::keyword<Cs...>> : analyze_any_traits<> {};

}  // namespace tao::pegtl
