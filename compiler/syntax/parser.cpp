#include "syntax/parser.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "cadence/grammar.hpp"
#include "cadence/vocabulary.hpp"
#include "support/duration.hpp"
#include "support/escape.hpp"
#include "support/suggest.hpp"

namespace cadence {
namespace {

namespace pegtl = tao::pegtl;
using grammar::NodeKind;

/// Thrown when nesting passes kMaxNestingDepth or errors pass
/// kMaxSyntaxErrors; not caught by recover<>, so the parse stops.
struct parse_abort {
  const char* message;
  const char* at;
};

struct SyntaxError {
  uint32_t offset;
  std::string message;
  bool at_token;
  /// For a missing '}': where the '{' it would close is.
  std::optional<uint32_t> opened = std::nullopt;
};

/// Everything the grammar's custom rules and the control class share.
class ParseState {
 public:
  /// Reserves for the tree a file of `size` bytes usually makes (about one
  /// node per eight bytes), so that it is rarely copied while growing; up to
  /// a ceiling, so that a huge file does not claim its memory up front.
  ParseState(const char* base, std::size_t size) : base_(base) {
    nodes_.reserve(std::min<std::size_t>(size / 8 + 16, std::size_t{1} << 20));
    open_.reserve(256);
  }

  struct Checkpoint {
    std::size_t nodes;
    std::size_t open;
    std::size_t braces;
    uint32_t depth;
  };

  void note_token_end(const char* at) { last_token_end_ = offset(at); }
  [[nodiscard]] Checkpoint checkpoint() const { return {nodes_.size(), open_.size(), braces_.size(), depth_}; }
  void restore(const Checkpoint& checkpoint) {
    nodes_.resize(checkpoint.nodes);
    open_.resize(checkpoint.open);
    braces_.resize(checkpoint.braces);
    depth_ = checkpoint.depth;
  }

  /// The '{' of each block being parsed, innermost last.
  void open_brace(const char* at) { braces_.push_back(offset(at)); }
  void close_brace() {
    if (!braces_.empty()) braces_.pop_back();
  }
  /// Whether the token at `at` closes the innermost open block by layout:
  /// it starts a line after the block's '{' and is indented no deeper than
  /// the line that '{' is on.
  [[nodiscard]] bool closed_by_layout(const char* at) const {
    if (braces_.empty()) return false;
    const uint32_t here = offset(at);
    const uint32_t brace = braces_.back();
    if (here <= brace) return false;
    auto indentation = [&](uint32_t position, bool& first_on_line) {
      uint32_t line = position;
      while (line > 0 && base_[line - 1] != '\n') --line;
      uint32_t indent = line;
      while (indent < position && (base_[indent] == ' ' || base_[indent] == '\t')) ++indent;
      first_on_line = indent == position;
      return std::pair{line, indent - line};
    };
    bool first = false;
    bool ignored = false;
    const auto [line, column] = indentation(here, first);
    const auto [brace_line, brace_indent] = indentation(brace, ignored);
    return first && line > brace_line && column <= brace_indent;
  }

  /// A block that ends without its '}': the error points back at its '{'.
  void record_unclosed(const grammar::syntax_failure& failure) {
    const std::size_t before = errors_.size();
    record_error(failure);
    if (errors_.size() > before && !braces_.empty()) errors_.back().opened = braces_.back();
  }

  void record_error(const grammar::syntax_failure& failure) {
    const uint32_t at = offset(failure.at);
    // A missing '}' is often reported by several enclosing blocks at once:
    // keep the first report at a position.
    if (!errors_.empty() && errors_.back().offset == at) return;
    errors_.push_back({at, failure.message, failure.at_token});
    if (errors_.size() >= kMaxSyntaxErrors) throw parse_abort{nullptr, failure.at};
  }

  /// A node is placed when its rule starts (the tree is in preorder) and
  /// completed when the rule succeeds: its end and the size of its subtree
  /// are known only then.
  void open_node(NodeKind kind, const char* at) {
    open_.push_back(static_cast<uint32_t>(nodes_.size()));
    nodes_.push_back({kind, offset(at), 0, 0});
  }
  void close_node() {
    const uint32_t index = open_.back();
    open_.pop_back();
    SyntaxNode& node = nodes_[index];
    node.end = std::max(last_token_end_, node.begin);
    node.subtree_size = static_cast<uint32_t>(nodes_.size() - index);
  }
  void drop_node() {
    nodes_.resize(open_.back());
    open_.pop_back();
  }
  /// After a syntax error no rule caught: the nodes whose rules never ended
  /// are incomplete, and go (with what was parsed inside them).
  void drop_unfinished() {
    if (!open_.empty()) nodes_.resize(open_.front());
    open_.clear();
  }
  void enter_nesting(const char* at) {
    if (++depth_ > kMaxNestingDepth) throw parse_abort{"nesting is too deep", at};
  }
  void leave_nesting() { --depth_; }
  /// Called by leaf nodes, whose end is the current position.
  void note_leaf_end(const char* at) { last_token_end_ = offset(at); }

  [[nodiscard]] uint32_t offset(const char* at) const { return static_cast<uint32_t>(at - base_); }
  std::vector<SyntaxNode>& nodes() { return nodes_; }
  std::vector<SyntaxError>& errors() { return errors_; }

 private:
  const char* base_;
  std::vector<SyntaxNode> nodes_;
  /// The nodes whose rules have started and not yet ended, innermost last.
  std::vector<uint32_t> open_;
  std::vector<uint32_t> braces_;
  std::vector<SyntaxError> errors_;
  uint32_t last_token_end_ = 0;
  uint32_t depth_ = 0;
};

constexpr bool is_leaf_kind(NodeKind kind) {
  switch (kind) {
    case NodeKind::Name:
    case NodeKind::Word:
    case NodeKind::Integer:
    case NodeKind::Number:
    case NodeKind::Bool:
    case NodeKind::String:
    case NodeKind::MergeField:
    case NodeKind::FallbackString:
    case NodeKind::Duration:
    case NodeKind::Rate:
    case NodeKind::Percent:
    case NodeKind::Optional:
    case NodeKind::TypeName:
    case NodeKind::CompareOp:
    case NodeKind::TextOp:
    case NodeKind::TailNot:
    case NodeKind::Amount:
    case NodeKind::InGroup:
    case NodeKind::IsWord:
    case NodeKind::IsNull: return true;
    default: return false;
  }
}

template <typename Rule>
constexpr bool is_node = requires {
  Rule::node;
};
template <typename Rule>
constexpr bool is_nesting = requires {
  Rule::nests;
};
template <typename Rule>
constexpr bool has_message = requires {
  Rule::error_message;
};
template <typename Rule>
constexpr bool is_at_token = requires {
  Rule::at_token;
};

/// Builds the flat parse tree from the rules that declare a node kind, and
/// turns rule-local error messages into syntax_failure exceptions.
template <typename Rule>
struct control : pegtl::normal<Rule> {
  template <typename ParseInput>
  static void start(const ParseInput& in, ParseState& state) {
    if constexpr (is_nesting<Rule>) state.enter_nesting(in.current());
    if constexpr (is_node<Rule>) state.open_node(Rule::node, in.current());
  }
  template <typename ParseInput>
  static void success(const ParseInput& in, ParseState& state) {
    if constexpr (std::is_same_v<Rule, grammar::open_brace> || std::is_same_v<Rule, grammar::branch_open>) {
      state.open_brace(in.current() - 1);
    }
    if constexpr (std::is_same_v<Rule, grammar::option_close>) state.close_brace();
    if constexpr (is_nesting<Rule>) state.leave_nesting();
    if constexpr (is_node<Rule>) {
      // Leaf tokens end where the input is now; composite nodes end at the
      // last token they consumed (before the blanks that follow it).
      if constexpr (is_leaf_kind(Rule::node)) state.note_leaf_end(in.current());
      state.close_node();
    }
  }
  template <typename ParseInput>
  static void failure(const ParseInput& /*in*/, ParseState& state) {
    if constexpr (is_nesting<Rule>) state.leave_nesting();
    if constexpr (is_node<Rule>) state.drop_node();
  }
  template <typename ParseInput, typename... States>
  [[noreturn]] static void raise(const ParseInput& in, States&&... /*states*/) {
    if constexpr (has_message<Rule>) {
      throw grammar::syntax_failure{Rule::error_message, in.current(), is_at_token<Rule>};
    } else {
      throw grammar::syntax_failure{"unexpected text", in.current(), true};
    }
  }
};

// ---------------------------------------------------------------------------
// From the flat tree to the AST.

class AstBuilder {
 public:
  AstBuilder(const Source& source, const std::vector<SyntaxNode>& nodes, std::vector<SyntaxError>& errors)
      : text_(source.text()), nodes_(nodes), errors_(errors) {}

  ast::File build() {
    ast::File file;
    decoded_ = &file.decoded;
    // Top-level nodes follow each other as whole subtrees.
    for (uint32_t index = 0; index < nodes_.size(); index += nodes_[index].subtree_size) {
      switch (nodes_[index].kind) {
        case NodeKind::Import: file.imports.push_back(import(index)); break;
        case NodeKind::Entity: file.entities.push_back(entity(index)); break;
        case NodeKind::Extension: file.extensions.push_back(entity(index)); break;
        case NodeKind::Template: file.templates.push_back(template_item(index)); break;
        case NodeKind::Segment: file.segments.push_back(segment(index)); break;
        case NodeKind::Sequence: file.sequences.push_back(sequence(index)); break;
        default: break;
      }
    }
    return file;
  }

 private:
  std::string_view text_;
  const std::vector<SyntaxNode>& nodes_;
  std::vector<SyntaxError>& errors_;
  /// The file's decoded strings (File::decoded), while build() runs.
  std::deque<std::string>* decoded_ = nullptr;

  [[nodiscard]] const SyntaxNode& node(uint32_t index) const { return nodes_[index]; }
  [[nodiscard]] Span span(uint32_t index) const { return {nodes_[index].begin, nodes_[index].end}; }
  [[nodiscard]] std::string_view text(uint32_t index) const {
    return text_.substr(nodes_[index].begin, nodes_[index].end - nodes_[index].begin);
  }
  /// The keyword a node starts with.
  [[nodiscard]] std::string_view leading_word(uint32_t index) const {
    uint32_t end = nodes_[index].begin;
    while (end < nodes_[index].end && grammar::is_identifier_char(text_[end])) ++end;
    return text_.substr(nodes_[index].begin, end - nodes_[index].begin);
  }

  /// The children of a node, in source order: in the preorder tree the first
  /// child follows its parent, and each next child follows the subtree of
  /// the one before.
  class Children {
   public:
    class iterator {
     public:
      iterator(const SyntaxNode* nodes, uint32_t at) : nodes_(nodes), at_(at) {}
      uint32_t operator*() const { return at_; }
      iterator& operator++() {
        at_ += nodes_[at_].subtree_size;
        return *this;
      }
      bool operator!=(const iterator& other) const { return at_ != other.at_; }

     private:
      const SyntaxNode* nodes_;
      uint32_t at_;
    };
    Children(const SyntaxNode* nodes, uint32_t index)
        : nodes_(nodes), first_(index + 1), end_(index + nodes[index].subtree_size) {}
    [[nodiscard]] iterator begin() const { return {nodes_, first_}; }
    [[nodiscard]] iterator end() const { return {nodes_, end_}; }
    [[nodiscard]] bool empty() const { return first_ == end_; }
    [[nodiscard]] std::size_t size() const {
      std::size_t count = 0;
      for (auto it = begin(); it != end(); ++it) ++count;
      return count;
    }
    /// The i-th child; nodes have few children, so walking to it is cheap.
    uint32_t operator[](std::size_t i) const {
      auto it = begin();
      while (i-- > 0) ++it;
      return *it;
    }

   private:
    const SyntaxNode* nodes_;
    uint32_t first_;
    uint32_t end_;
  };

  [[nodiscard]] Children children(uint32_t index) const { return {nodes_.data(), index}; }

  void error(uint32_t offset, std::string message) { errors_.push_back({offset, std::move(message), true}); }

  ast::Name name(uint32_t index) const { return {text(index), span(index)}; }

  int64_t integer_text(std::string_view digits, uint32_t at) {
    int64_t value = 0;
    const auto [end, code] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (code != std::errc() || value > 1'000'000'000) {
      error(at, "number is too large");
      return 0;
    }
    (void)end;
    return value;
  }

  // Strings ------------------------------------------------------------------

  /// The end of the run of bytes from `at` (before `stop`) that decode to
  /// themselves: up to the first backslash or CR. Reads eight bytes at a
  /// time, since most strings are long runs of plain text.
  [[nodiscard]] uint32_t plain_run_end(uint32_t at, uint32_t stop) const {
    while (stop - at >= 8) {
      uint64_t word = 0;
      std::memcpy(&word, text_.data() + at, sizeof word);
      if (word_has_byte(word, '\\') || word_has_byte(word, '\r')) break;
      at += 8;
    }
    while (at < stop && text_[at] != '\\' && text_[at] != '\r') ++at;
    return at;
  }

  /// Appends the decoded text of raw source bytes [begin, end), copying merge
  /// fields verbatim.
  void decode(uint32_t begin, uint32_t end, const std::vector<ast::MergeField>& fields, std::size_t& next_field,
              std::string& out) {
    uint32_t i = begin;
    while (i < end) {
      while (next_field < fields.size() && fields[next_field].span.end <= i) ++next_field;
      if (next_field < fields.size() && fields[next_field].span.begin == i) {
        const uint32_t field_end = fields[next_field].span.end;
        out.append(text_.substr(i, field_end - i));
        i = field_end;
        continue;
      }
      // Copy the run of plain characters up to the next escape, CR or merge field whole.
      uint32_t stop = next_field < fields.size() ? std::min(end, fields[next_field].span.begin) : end;
      const uint32_t run = plain_run_end(i, stop);
      if (run > i) {
        out.append(text_.data() + i, run - i);
        i = run;
        continue;
      }
      const char c = text_[i];
      if (c == '\r' && i + 1 < end && text_[i + 1] == '\n') {
        ++i;
        continue;
      }
      if (c != '\\' || i + 1 >= end) {
        out += c;
        ++i;
        continue;
      }
      const char code = text_[i + 1];
      switch (code) {
        case 'n':
          out += '\n';
          i += 2;
          break;
        case 't':
          out += '\t';
          i += 2;
          break;
        case '"':
          out += '"';
          i += 2;
          break;
        case '\\':
          out += '\\';
          i += 2;
          break;
        case 'u': {
          const auto close = text_.find('}', i);
          const std::string_view hex = text_.substr(i + 3, close - (i + 3));
          uint32_t code_point = 0;
          std::from_chars(hex.data(), hex.data() + hex.size(), code_point, 16);
          if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point == 0) {
            error(i, fmt::format("\\u{{{}}} is not a valid Unicode scalar value", hex));
          } else {
            append_utf8(out, code_point);
          }
          i = static_cast<uint32_t>(close) + 1;
          break;
        }
        default:
          out += c;
          ++i;
          break;
      }
    }
  }

  /// Keeps a decoded string value with the file; returns its view.
  std::string_view keep(std::string value) {
    if (value.empty()) return {};
    return decoded_->emplace_back(std::move(value));
  }

  ast::StringLiteral string_literal(uint32_t index) {
    ast::StringLiteral literal;
    literal.span = span(index);
    for (uint32_t child : children(index)) {
      if (node(child).kind != NodeKind::MergeField) continue;
      ast::MergeField field;
      field.span = span(child);
      const auto parts = children(child);
      if (parts.size() >= 2) {
        field.entity = name(parts[0]);
        field.field = name(parts[1]);
      }
      if (parts.size() >= 3) {
        const Span fallback = span(parts[2]);
        std::string value;
        std::size_t none = 0;
        decode(fallback.begin + 1, fallback.end - 1, {}, none, value);
        field.fallback = std::move(value);
      }
      literal.merge_fields.push_back(std::move(field));
    }
    const std::string_view raw = text(index);
    std::size_t next_field = 0;
    if (raw.size() >= 6 && raw[0] == '"' && raw[1] == '"' && raw[2] == '"') {
      literal.multiline = true;
      dedent(literal.span.begin + 3, literal.span.end - 3, literal, next_field);
    } else if (raw.size() >= 2) {
      const std::string_view inner = raw.substr(1, raw.size() - 2);
      if (plain_run_end(literal.span.begin + 1, literal.span.end - 1) == literal.span.end - 1) {
        literal.value = inner;  // no escape and no CR: the value is the text as written
      } else {
        std::string value;
        value.reserve(inner.size());  // decoding never lengthens the text
        decode(literal.span.begin + 1, literal.span.end - 1, literal.merge_fields, next_field, value);
        literal.value = keep(std::move(value));
      }
    }
    return literal;
  }

  /// Multi-line strings: a line break right after the opening quotes and
  /// blanks before the closing quotes on their own line are dropped, and the
  /// indentation common to all non-blank lines is removed.
  void dedent(uint32_t begin, uint32_t end, ast::StringLiteral& literal, std::size_t& next_field) {
    struct Line {
      uint32_t begin, end;
    };
    std::vector<Line> lines;
    uint32_t line_begin = begin;
    for (uint32_t i = begin; i < end; ++i) {
      if (text_[i] == '\n') {
        // A CRLF file's lines end the same as an LF file's: the string's
        // value must not depend on how the file was checked out.
        lines.push_back({line_begin, i > line_begin && text_[i - 1] == '\r' ? i - 1 : i});
        line_begin = i + 1;
      }
    }
    lines.push_back({line_begin, end});
    auto is_blank = [&](const Line& line) {
      for (uint32_t i = line.begin; i < line.end; ++i) {
        if (text_[i] != ' ' && text_[i] != '\t' && text_[i] != '\r') return false;
      }
      return true;
    };
    std::size_t first = 0, last = lines.size();
    if (lines.size() > 1 && is_blank(lines.front())) first = 1;
    if (last - first > 1 && is_blank(lines.back())) --last;
    uint32_t common = std::numeric_limits<uint32_t>::max();
    for (std::size_t k = first; k < last; ++k) {
      if (is_blank(lines[k])) continue;
      uint32_t indent = 0;
      while (lines[k].begin + indent < lines[k].end &&
             (text_[lines[k].begin + indent] == ' ' || text_[lines[k].begin + indent] == '\t')) {
        ++indent;
      }
      common = std::min(common, indent);
    }
    if (common == std::numeric_limits<uint32_t>::max()) common = 0;
    std::string value;
    value.reserve(end - begin);
    for (std::size_t k = first; k < last; ++k) {
      if (k > first) value += '\n';
      if (is_blank(lines[k])) continue;
      decode(lines[k].begin + common, lines[k].end, literal.merge_fields, next_field, value);
    }
    literal.value = keep(std::move(value));
  }

  // Literals -----------------------------------------------------------------

  ast::Duration duration(uint32_t index) {
    ast::Duration result;
    result.span = span(index);
    std::string_view raw = text(index);
    const bool negative = !raw.empty() && raw.front() == '-';
    if (negative) raw.remove_prefix(1);
    if (raw.empty()) return result;
    // The digits, then blanks and the unit: a letter or a word (whose first
    // letter is the unit's, minutes included).
    std::size_t digits = 0;
    while (digits < raw.size() && raw[digits] >= '0' && raw[digits] <= '9') ++digits;
    std::string_view unit = raw.substr(digits);
    while (!unit.empty() && (unit.front() == ' ' || unit.front() == '\t')) unit.remove_prefix(1);
    if (unit.empty()) return result;
    result.unit = static_cast<ast::DurationUnit>(unit.front());
    result.amount = integer_text(raw.substr(0, digits), result.span.begin);
    if (negative) result.amount = -result.amount;
    return result;
  }

  ast::Rate rate(uint32_t index) {
    ast::Rate result;
    result.span = span(index);
    const std::string_view raw = text(index);
    const auto slash = raw.find('/');
    result.count = integer_text(raw.substr(0, slash), result.span.begin);
    result.per = raw.substr(slash + 1) == "week" ? ast::Per::Week : ast::Per::Day;
    return result;
  }

  // Items --------------------------------------------------------------------

  ast::Import import(uint32_t index) {
    ast::Import result;
    result.span = span(index);
    for (uint32_t child : children(index)) {
      if (node(child).kind == NodeKind::String) result.path = string_literal(child);
    }
    return result;
  }

  ast::Entity entity(uint32_t index) {
    ast::Entity result;
    result.span = span(index);
    for (uint32_t child : children(index)) {
      if (node(child).kind == NodeKind::Name) (result.name.empty() ? result.name : result.table) = name(child);
      if (node(child).kind == NodeKind::Field) result.fields.push_back(field(child));
      if (node(child).kind == NodeKind::Link) result.links.push_back(link(child));
    }
    return result;
  }

  ast::Link link(uint32_t index) {
    ast::Link result;
    result.span = span(index);
    int names = 0;
    for (uint32_t child : children(index)) {
      if (node(child).kind != NodeKind::Name) continue;
      switch (names++) {
        case 0: result.name = name(child); break;
        case 1: result.entity = name(child); break;
        default: result.column = name(child); break;
      }
    }
    return result;
  }

  /// `30d`, `6 months`: the amount and the unit as written.
  void amount(uint32_t index, ast::Expr& out) {
    const std::string_view raw = text(index);
    std::size_t digits = 0;
    while (digits < raw.size() && raw[digits] >= '0' && raw[digits] <= '9') ++digits;
    out.amount = integer_text(raw.substr(0, digits), node(index).begin);
    std::size_t unit = digits;
    while (unit < raw.size() && (raw[unit] == ' ' || raw[unit] == '\t')) ++unit;
    out.unit = std::string(raw.substr(unit));
  }

  ast::Field field(uint32_t index) {
    ast::Field result;
    result.span = span(index);
    for (uint32_t child : children(index)) {
      switch (node(child).kind) {
        case NodeKind::Name: (result.name.empty() ? result.name : result.column) = name(child); break;
        case NodeKind::TypeName: {
          const std::string_view type = text(child);
          result.type = type == "string"   ? ast::FieldType::String
                        : type == "number" ? ast::FieldType::Number
                        : type == "bool"   ? ast::FieldType::Bool
                                           : ast::FieldType::Date;
          result.type_span = span(child);
          break;
        }
        case NodeKind::OptionType:
          result.type = ast::FieldType::Option;
          result.type_span = span(child);
          for (uint32_t value : children(child)) {
            const auto parts = children(value);
            if (parts.size() != 2) continue;
            result.options.push_back(
                {name(parts[0]), integer_text(text(parts[1]), node(parts[1]).begin), span(parts[1])});
          }
          break;
        case NodeKind::Optional: result.nullable = true; break;
        default: break;
      }
    }
    return result;
  }

  ast::Template template_item(uint32_t index) {
    ast::Template result;
    result.span = span(index);
    int names = 0;
    for (uint32_t child : children(index)) {
      switch (node(child).kind) {
        case NodeKind::Name: (names++ == 0 ? result.name : result.entity) = name(child); break;
        case NodeKind::Subject:
        case NodeKind::Body: {
          const auto parts = children(child);
          if (parts.empty()) break;
          const bool subject = node(child).kind == NodeKind::Subject;
          (subject ? result.subjects : result.bodies).push_back(string_literal(parts[0]));
          (subject ? result.subject_spans : result.body_spans).push_back(span(child));
          break;
        }
        default: break;
      }
    }
    return result;
  }

  ast::Segment segment(uint32_t index) {
    ast::Segment result;
    result.span = span(index);
    int names = 0;
    for (uint32_t child : children(index)) {
      const NodeKind kind = node(child).kind;
      if (kind == NodeKind::Name) (names++ == 0 ? result.name : result.entity) = name(child);
      if (kind == NodeKind::FilterOr) result.filter = expression(child);
    }
    return result;
  }

  ast::Value value(uint32_t index) {
    ast::Value result;
    result.span = span(index);
    switch (node(index).kind) {
      case NodeKind::String:
        result.kind = ast::Value::Kind::String;
        result.text = string_literal(index).value;
        break;
      case NodeKind::Number:
        result.kind = ast::Value::Kind::Number;
        result.text = std::string(text(index));
        break;
      case NodeKind::Bool:
        result.kind = ast::Value::Kind::Bool;
        result.boolean = text(index) == "true";
        result.text = std::string(text(index));
        break;
      default:
        result.kind = ast::Value::Kind::Label;
        result.text = std::string(text(index));
        break;
    }
    return result;
  }

  /// The operator's span runs from a leading `not` to the end of what it tests.
  static void extend_op_span(ast::Expr& expr, Span part) {
    if (expr.negated && expr.op_span.end != expr.op_span.begin) {
      expr.op_span.end = part.end;
    } else {
      expr.op_span = part;
    }
  }

  /// Filters and conditions share one expression shape. Or/And nodes with a
  /// single operand are the parser's way of saying "no operator here" and
  /// are unwrapped.
  ast::Expr expression(uint32_t index) {
    const NodeKind kind = node(index).kind;
    const auto parts = children(index);
    if ((kind == NodeKind::FilterOr || kind == NodeKind::FilterAnd || kind == NodeKind::CondOr ||
         kind == NodeKind::CondAnd) &&
        parts.size() == 1) {
      return expression(parts[0]);
    }
    ast::Expr result;
    result.span = span(index);
    switch (kind) {
      case NodeKind::FilterOr:
      case NodeKind::CondOr: result.kind = ast::Expr::Kind::Or; break;
      case NodeKind::FilterAnd:
      case NodeKind::CondAnd: result.kind = ast::Expr::Kind::And; break;
      case NodeKind::FilterNot:
      case NodeKind::CondNot: result.kind = ast::Expr::Kind::Not; break;
      case NodeKind::Signal:
        result.kind = ast::Expr::Kind::Signal;
        if (!parts.empty()) result.signal = name(parts[0]);
        if (parts.size() > 1) result.step = name(parts[1]);
        return result;
      case NodeKind::Comparison: {
        result.kind = ast::Expr::Kind::Compare;
        bool in_path = true;
        for (const uint32_t part : parts) {
          const NodeKind part_kind = node(part).kind;
          if (part_kind == NodeKind::Name && in_path) {
            if (!result.field.empty()) result.links.push_back(result.field);
            result.field = name(part);
            continue;
          }
          in_path = false;
          switch (part_kind) {
            case NodeKind::CompareOp: {
              const std::string_view op = text(part);
              result.op = op == "=="   ? ast::CompareOp::Eq
                          : op == "!=" ? ast::CompareOp::Ne
                          : op == "<"  ? ast::CompareOp::Lt
                          : op == "<=" ? ast::CompareOp::Le
                          : op == ">"  ? ast::CompareOp::Gt
                                       : ast::CompareOp::Ge;
              result.op_span = span(part);
              break;
            }
            case NodeKind::TextOp: {
              const std::string_view op = text(part);
              result.op = op == "contains"      ? ast::CompareOp::Contains
                          : op == "starts_with" ? ast::CompareOp::StartsWith
                                                : ast::CompareOp::EndsWith;
              result.op_span = span(part);
              break;
            }
            case NodeKind::TailNot:
              result.negated = true;
              result.op_span = span(part);
              break;
            case NodeKind::InList:
              result.kind = ast::Expr::Kind::In;
              extend_op_span(result, span(part));
              for (uint32_t item : children(part)) result.values.push_back(value(item));
              break;
            case NodeKind::Window: {
              extend_op_span(result, span(part));
              const auto window = children(part);
              const std::string_view direction = window.empty() ? std::string_view() : text(window[0]);
              if (window.size() > 1 && node(window[1]).kind == NodeKind::Amount) {
                result.op = direction == "next" ? ast::CompareOp::InNext : ast::CompareOp::InLast;
                amount(window[1], result);
                if (direction == "this") result.word = "this";  // `in this 30d`: the checker explains
              } else {
                result.op = ast::CompareOp::Period;
                result.word = fmt::format("{}_{}", direction, window.size() > 1 ? text(window[1]) : "");
              }
              break;
            }
            case NodeKind::InGroup:
              result.op = ast::CompareOp::OwnerIn;
              result.word = std::string(text(part));
              extend_op_span(result, span(part));
              break;
            case NodeKind::OlderThan:
              result.op = ast::CompareOp::OlderThan;
              extend_op_span(result, span(part));
              for (uint32_t child : children(part)) {
                if (node(child).kind == NodeKind::Amount) amount(child, result);
              }
              break;
            case NodeKind::IsNull:
              result.kind = result.negated ? ast::Expr::Kind::IsNotNull : ast::Expr::Kind::IsNull;
              result.negated = false;
              extend_op_span(result, span(part));
              break;
            case NodeKind::IsWord: {
              const std::string_view word = text(part);
              result.op = word == "current_user" ? ast::CompareOp::OwnerIs : ast::CompareOp::Period;
              result.word = std::string(word);
              extend_op_span(result, span(part));
              break;
            }
            default: result.values.push_back(value(part)); break;
          }
        }
        return result;
      }
      default: return result;
    }
    for (uint32_t part : parts) result.operands.push_back(expression(part));
    return result;
  }

  // Sequences ----------------------------------------------------------------

  ast::ExitSpec exit_spec(uint32_t index) {
    ast::ExitSpec result;
    result.span = span(index);
    for (uint32_t child : children(index)) {
      switch (node(child).kind) {
        case NodeKind::String: result.reason = string_literal(child); break;
        case NodeKind::Word: {
          const std::string_view word = text(child);
          result.outcome = word == "create_opportunity" ? ast::OutcomeKind::CreateOpportunity
                           : word == "qualify"          ? ast::OutcomeKind::Qualify
                                                        : ast::OutcomeKind::Disqualify;
          result.outcome_span = span(child);
          break;
        }
        case NodeKind::Handoff: {
          result.outcome = ast::OutcomeKind::Handoff;
          result.outcome_span = span(child);
          const auto parts = children(child);
          if (!parts.empty()) result.handoff = name(parts[0]);
          break;
        }
        default: break;
      }
    }
    return result;
  }

  ast::Sequence sequence(uint32_t index) {
    ast::Sequence result;
    result.span = span(index);
    const auto members = children(index);
    {
      // Room for the flow statements only: a statement is large, and most of
      // a sequence's members may be settings and handlers.
      std::size_t statements = 0;
      for (uint32_t child : members) {
        statements += grammar::is_statement(node(child).kind) ? 1 : 0;
      }
      result.body.reserve(statements);
    }
    for (uint32_t child : members) {
      const NodeKind kind = node(child).kind;
      const auto parts = children(child);
      auto setting = [&](ast::SettingKind setting_kind) {
        ast::Setting s;
        s.kind = setting_kind;
        s.span = span(child);
        for (uint32_t part : parts) {
          switch (node(part).kind) {
            case NodeKind::String: s.text = string_literal(part); break;
            case NodeKind::Name: s.ref = name(part); break;
            case NodeKind::Word: s.word = name(part); break;
            case NodeKind::Rate: s.rate = rate(part); break;
            default: break;
          }
        }
        result.settings.push_back(std::move(s));
      };
      switch (kind) {
        case NodeKind::Name: result.name = name(child); break;
        case NodeKind::SettingTitle: setting(ast::SettingKind::Title); break;
        case NodeKind::SettingTarget: setting(ast::SettingKind::Target); break;
        case NodeKind::SettingSegment: setting(ast::SettingKind::Segment); break;
        case NodeKind::SettingTeam: setting(ast::SettingKind::Team); break;
        case NodeKind::SettingLimit: setting(ast::SettingKind::Limit); break;
        case NodeKind::SettingEnroll: setting(ast::SettingKind::Enroll); break;
        case NodeKind::SettingCalendar: setting(ast::SettingKind::Calendar); break;
        case NodeKind::Handler: {
          ast::Handler handler;
          handler.span = span(child);
          for (uint32_t part : parts) {
            if (node(part).kind == NodeKind::Word) handler.event = name(part);
            if (node(part).kind == NodeKind::Exit) handler.exit = exit_spec(part);
            if (node(part).kind == NodeKind::Pause) {
              handler.is_pause = true;
              const auto pause_parts = children(part);
              if (!pause_parts.empty()) handler.pause = duration(pause_parts[0]);
            }
          }
          result.handlers.push_back(std::move(handler));
          break;
        }
        default:
          flow_statement(child, result.body);
          if (!result.first_statement && !result.body.empty()) result.first_statement = result.body.front().span;
          break;
      }
    }
    return result;
  }

  /// Appends the statement node `index` holds to `body`, built in place (a
  /// statement is large; moving it is not free).
  void flow_statement(uint32_t index, std::vector<ast::Stmt>& body) {
    if (!grammar::is_statement(node(index).kind)) return;
    ast::Stmt& stmt = body.emplace_back();
    stmt.span = span(index);
    const auto parts = children(index);
    auto activity = [&](ast::StmtKind kind) {
      stmt.kind = kind;
      for (uint32_t part : parts) {
        const NodeKind part_kind = node(part).kind;
        if (part_kind == NodeKind::Name)
          stmt.label = name(part);
        else if (part_kind == NodeKind::Word)
          stmt.linkedin_kind = name(part);
        else
          stmt.properties.push_back(property(part));
      }
    };
    if (node(index).kind == NodeKind::SignalBranch || node(index).kind == NodeKind::OutcomeBranch) {
      std::size_t arms = 0;
      for (uint32_t part : parts) arms += node(part).kind == NodeKind::Arm ? 1 : 0;
      stmt.arms.reserve(arms);
    }
    switch (node(index).kind) {
      case NodeKind::Email: activity(ast::StmtKind::Email); break;
      case NodeKind::Linkedin: activity(ast::StmtKind::Linkedin); break;
      case NodeKind::TextStep:
        // The rule matched the keyword of one kind (cadence/steps.def).
        activity(static_cast<ast::StmtKind>(
            *vocabulary::find<vocabulary::StepKind>(vocabulary::kStepKinds, leading_word(index))));
        break;
      case NodeKind::Wait:
        stmt.kind = ast::StmtKind::Wait;
        if (!parts.empty()) stmt.duration = duration(parts[0]);
        break;
      case NodeKind::Goto:
        stmt.kind = ast::StmtKind::Goto;
        if (!parts.empty()) stmt.target = name(parts[0]);
        break;
      case NodeKind::Exit:
        stmt.kind = ast::StmtKind::Exit;
        stmt.exit = exit_spec(index);
        break;
      case NodeKind::SignalBranch:
        stmt.kind = ast::StmtKind::Branch;
        for (uint32_t part : parts) {
          switch (node(part).kind) {
            case NodeKind::CondOr: stmt.condition = std::make_unique<ast::Expr>(expression(part)); break;
            case NodeKind::Within: {
              const auto within_parts = children(part);
              if (!within_parts.empty()) stmt.duration = duration(within_parts[0]);
              stmt.has_within = true;
              break;
            }
            case NodeKind::Arm: stmt.arms.push_back(arm(part)); break;
            default: break;
          }
        }
        break;
      case NodeKind::OutcomeBranch:
        stmt.kind = ast::StmtKind::OutcomeBranch;
        for (uint32_t part : parts) {
          if (node(part).kind == NodeKind::Name) stmt.target = name(part);
          if (node(part).kind == NodeKind::Arm) stmt.arms.push_back(arm(part));
        }
        break;
      default: break;
    }
    if (stmt.kind == ast::StmtKind::Branch || stmt.kind == ast::StmtKind::OutcomeBranch) {
      // The branch node starts after its keyword: take the keyword in.
      uint32_t back = stmt.span.begin;
      while (back > 0 && (text_[back - 1] == ' ' || text_[back - 1] == '\t' || text_[back - 1] == '\n' ||
                          text_[back - 1] == '\r')) {
        --back;
      }
      if (back >= 6 && text_.substr(back - 6, 6) == "branch") stmt.span.begin = back - 6;
    }
    stmt.keyword_span = {stmt.span.begin, stmt.span.begin};
    while (stmt.keyword_span.end < stmt.span.end && grammar::is_identifier_char(text_[stmt.keyword_span.end])) {
      ++stmt.keyword_span.end;
    }
  }

  ast::Property property(uint32_t index) {
    ast::Property result;
    result.span = span(index);
    const auto parts = children(index);
    switch (node(index).kind) {
      case NodeKind::EmailTemplate:
        result.kind = ast::PropertyKind::Template;
        if (!parts.empty()) result.ref = name(parts[0]);
        break;
      case NodeKind::EmailMode:
        result.kind = ast::PropertyKind::Mode;
        if (!parts.empty()) result.word = name(parts[0]);
        break;
      case NodeKind::Variant:
        result.kind = ast::PropertyKind::Variant;
        if (parts.size() == 3) {
          result.word = name(parts[0]);
          const std::string_view share = text(parts[1]);
          result.percent = integer_text(share.substr(0, share.size() - 1), node(parts[1]).begin);
          result.percent_span = span(parts[1]);
          result.ref = name(parts[2]);
        }
        break;
      case NodeKind::StepText:
        // The rule matched the keyword of one text property (cadence/steps.def).
        result.kind =
            ast::property_kind(*vocabulary::find<vocabulary::StepText>(vocabulary::kStepTexts, leading_word(index)));
        if (!parts.empty()) result.text = string_literal(parts[0]);
        break;
      default: break;
    }
    return result;
  }

  ast::Arm arm(uint32_t index) {
    ast::Arm result;
    result.span = span(index);
    for (uint32_t part : children(index)) {
      if (node(part).kind == NodeKind::Word) result.name = name(part);
      if (node(part).kind == NodeKind::Block) {
        result.body_span = span(part);
        const auto statements = children(part);
        result.body.reserve(statements.size());
        for (uint32_t statement : statements) flow_statement(statement, result.body);
      }
    }
    return result;
  }
};

/// Where to report an error: at the offending token, or (for "expected X
/// after Y") right after the previous token when the next one is on a later
/// line, where the reader's eye is.
uint32_t error_offset(std::string_view text, uint32_t offset, bool at_token) {
  if (at_token) return offset;
  uint32_t back = offset;
  bool crossed_newline = false;
  while (back > 0) {
    const char c = text[back - 1];
    if (c == '\n')
      crossed_newline = true;
    else if (c != ' ' && c != '\t' && c != '\r')
      break;
    --back;
  }
  return crossed_newline || offset >= text.size() ? back : offset;
}

/// The extent of the token at `offset`, for underlining.
uint32_t token_end(std::string_view text, uint32_t offset) {
  if (offset >= text.size() || text[offset] == '\n' || text[offset] == '\r') return offset;
  uint32_t end = offset;
  if (grammar::is_identifier_char(text[offset])) {
    while (end < text.size() && grammar::is_identifier_char(text[end])) ++end;
    return end;
  }
  return offset + utf8_sequence_length(static_cast<unsigned char>(text[offset]));
}

}  // namespace

int64_t ast::Duration::minutes(bool business_calendar) const {
  switch (unit) {
    case DurationUnit::Minutes: return amount;
    case DurationUnit::Hours: return amount * kMinutesPerHour;
    case DurationUnit::Days: return amount * kMinutesPerDay;
    case DurationUnit::Weeks: return amount * minutes_per_week(business_calendar);
  }
  return amount;
}

namespace {

/// Every keyword of the language, sorted.
const std::vector<std::string_view>& all_keywords() {
  namespace v = vocabulary;
  static const std::vector<std::string_view> keywords = [] {
    std::vector<std::string_view> all;
    auto add = [&](const auto& table) {
      for (std::string_view entry : table) all.push_back(entry);
    };
    add(v::kItemKeywords);
    add(v::kSettings);
    add(v::kFlowKeywords);
    add(v::kTemplateProperties);
    add(v::kEvents);
    add(v::kSignals);
    add(v::kCallOutcomes);
    add(v::kLinkedinKinds);
    add(v::kOutcomes);
    add(v::kFieldTypes);
    add(v::kCalendars);
    add(v::kLeaveActions);
    add(v::kEmailModes);
    for (std::string_view extra : {"on", "within", "then", "where", "for", "mode", "variant", "text", "script", "note",
                                   "subject", "body", "on_leave", "yes", "no", "else"}) {
      all.push_back(extra);
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
  }();
  return keywords;
}

/// The keywords a syntax error's message names as expected there (whole
/// words), in the order of all_keywords().
std::vector<std::string_view> keywords_named(std::string_view message) {
  const std::vector<std::string_view>& keywords = all_keywords();
  std::vector<std::string_view> named;
  std::size_t start = 0;
  while (start < message.size()) {
    while (start < message.size() && !grammar::is_identifier_char(message[start])) ++start;
    std::size_t end = start;
    while (end < message.size() && grammar::is_identifier_char(message[end])) ++end;
    const std::string_view candidate = message.substr(start, end - start);
    if (std::binary_search(keywords.begin(), keywords.end(), candidate)) named.push_back(candidate);
    start = end;
  }
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  return named;
}

/// The keyword a misspelt word at a syntax error most likely meant: first
/// among the words the message names, then among every keyword.
std::optional<std::string> keyword_meant(std::string_view word, std::string_view message) {
  const std::vector<std::string_view>& keywords = all_keywords();
  if (word.empty() || std::binary_search(keywords.begin(), keywords.end(), word)) return std::nullopt;
  if (auto close = closest_name(word, keywords_named(message))) return close;
  return closest_name(word, keywords);
}

/// Whether `meant` is the one keyword within the fewest edits of `word` among
/// those a typo could have meant (the words the message expects when it is
/// one of them, else every keyword): then --fix may apply it.
bool unambiguous_keyword(std::string_view word, std::string_view meant, std::string_view message) {
  const std::size_t distance = edit_distance(word, meant);
  if (distance > std::max<std::size_t>(1, word.size() / 3)) return false;  // a truncation or a part: a guess
  const std::vector<std::string_view> named = keywords_named(message);
  const bool expected = std::binary_search(named.begin(), named.end(), meant);
  for (std::string_view candidate : expected ? named : all_keywords()) {
    if (candidate != meant && edit_distance(word, candidate) <= distance) return false;
  }
  return true;
}

/// What a malformed duration most likely meant: a unit in capitals (2D), or
/// a fraction (1.5d) that a smaller unit writes whole (36h). `at` is where
/// the unit was expected.
struct DurationMeant {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string replacement;
  std::string help;
};
std::optional<DurationMeant> duration_meant(std::string_view text, uint32_t at) {
  uint32_t begin = at;
  while (begin > 0 && text[begin - 1] >= '0' && text[begin - 1] <= '9') --begin;
  if (begin == at) return std::nullopt;
  const std::string_view whole = text.substr(begin, at - begin);
  uint32_t p = at;
  std::string_view fraction;
  if (p < text.size() && text[p] == '.') {
    uint32_t q = p + 1;
    while (q < text.size() && text[q] >= '0' && text[q] <= '9') ++q;
    fraction = text.substr(p + 1, q - p - 1);
    if (fraction.empty()) return std::nullopt;
    p = q;
  }
  uint32_t unit_end = p;
  while (unit_end < text.size() && grammar::is_identifier_char(text[unit_end])) ++unit_end;
  std::string unit(text.substr(p, unit_end - p));
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::optional<vocabulary::WindowUnit> known =
      unit == "m" ? std::optional(vocabulary::WindowUnit::Minutes) : vocabulary::window_unit(unit);
  if (!known || *known == vocabulary::WindowUnit::Months || *known == vocabulary::WindowUnit::Years)
    return std::nullopt;
  static constexpr std::array<char, 4> kLetters{'m', 'h', 'd', 'w'};
  const auto index = static_cast<std::size_t>(*known);
  DurationMeant meant{begin, unit_end, {}, {}};
  if (fraction.empty()) {
    meant.replacement = fmt::format("{}{}", whole, kLetters[index]);
    meant.help = fmt::format("did you mean '{}'? units are written in lower case: m, h, d or w", meant.replacement);
    return meant;
  }
  // A fraction: exact in the next smaller unit (days in hours, hours in minutes)?
  if ((index == 1 || index == 2) && whole.size() <= 9 && fraction.size() <= 6) {
    const int per = index == 2 ? 24 : 60;
    uint64_t numerator = 0;
    uint64_t denominator = 1;
    for (char c : whole) numerator = numerator * 10 + static_cast<uint64_t>(c - '0');
    for (char c : fraction) {
      numerator = numerator * 10 + static_cast<uint64_t>(c - '0');
      denominator *= 10;
    }
    if ((numerator * per) % denominator == 0) {
      meant.replacement = fmt::format("{}{}", numerator * per / denominator, kLetters[index - 1]);
      meant.help = fmt::format("durations are whole numbers: did you mean '{}'?", meant.replacement);
      return meant;
    }
  }
  meant.help = "durations are whole numbers: write this one in a smaller unit (m, h or d)";
  return meant;
}

}  // namespace

ParseResult parse(const Source& source, DiagnosticConsumer& diagnostics) {
  ParseResult result;
  const std::string_view text = source.text();
  auto report = [&](uint32_t offset, const std::string& message, bool at_token,
                    std::optional<uint32_t> opened = std::nullopt) {
    const uint32_t at = error_offset(text, offset, at_token);
    const uint32_t end = at == offset ? token_end(text, at) : at;
    Diagnostic diagnostic = make_diagnostic(DiagnosticKind::Syntax, Location{&source, {at, end}}, message);
    // A word where a keyword was expected: most often a typo of one.
    const std::string_view word = text.substr(at, end - at);
    if (message == grammar::duration_unit::error_message) {
      if (auto meant = duration_meant(text, offset)) {
        diagnostic.help = meant->help;
        if (!meant->replacement.empty()) {
          const std::string_view written = text.substr(meant->begin, meant->end - meant->begin);
          diagnostic.fixes.push_back(Fix{fmt::format("change '{}' to '{}'", written, meant->replacement),
                                         {Edit{Location{&source, {meant->begin, meant->end}}, meant->replacement}},
                                         true});
        }
      }
    } else if ((at_token || at == offset) && !word.empty() &&
               std::all_of(word.begin(), word.end(), grammar::is_identifier_char)) {
      if (auto meant = keyword_meant(word, message)) {
        diagnostic.help = fmt::format("did you mean '{}'?", *meant);
        diagnostic.fixes.push_back(Fix{fmt::format("change '{}' to '{}'", word, *meant),
                                       {Edit{Location{&source, {at, end}}, *meant}},
                                       unambiguous_keyword(word, *meant, message)});
      }
    }
    if (opened) {
      const HumanPosition position = source.human_position(*opened);
      diagnostic.notes.push_back({"the '{' it would close, opened here", Location{&source, {*opened, *opened + 1}}});
      diagnostic.help = fmt::format(
          "add the missing '}}': the block opened at line {}, column {} is not closed "
          "before this point",
          position.line, position.column);
    }
    diagnostics.consume(std::move(diagnostic));
    ++result.error_count;
  };

  std::size_t first_non_ascii = 0;
  if (auto problem = find_encoding_problem(text, &first_non_ascii)) {
    report(problem->offset, problem->message, true);
    return result;
  }
  result.first_non_ascii = static_cast<uint32_t>(first_non_ascii);

  ParseState state(text.data(), text.size());
  pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf> input(text.data(), text.size(), source.path());
  std::optional<std::pair<uint32_t, std::string>> abort;
  try {
    pegtl::parse<grammar::file, pegtl::nothing, control>(input, state);
  } catch (const grammar::syntax_failure& failure) {
    state.errors().push_back({state.offset(failure.at), failure.message, failure.at_token});
    state.drop_unfinished();
  } catch (const parse_abort& stop) {
    if (stop.message != nullptr) {
      abort = {state.offset(stop.at),
               fmt::format("{}: more than {} levels of blocks, parentheses or 'not'", stop.message, kMaxNestingDepth)};
    } else {
      abort = {state.offset(stop.at), fmt::format("too many syntax errors; stopped after {}", kMaxSyntaxErrors)};
    }
  }
  if (abort) {
    // The tree is incomplete in unknown ways: report and build nothing.
    for (const SyntaxError& error : state.errors()) report(error.offset, error.message, error.at_token, error.opened);
    report(abort->first, abort->second, true);
    return result;
  }
  result.nodes = std::move(state.nodes());
  std::vector<SyntaxError> build_errors;
  result.file = AstBuilder(source, result.nodes, build_errors).build();
  for (const SyntaxError& error : state.errors()) report(error.offset, error.message, error.at_token, error.opened);
  for (const SyntaxError& error : build_errors) report(error.offset, error.message, error.at_token);
  if (result.nodes.empty() && result.error_count == 0) {
    // Most likely the wrong file, or one truncated to nothing.
    report(static_cast<uint32_t>(text.size()),
           fmt::format("{}; {}", text.empty() ? "the file is empty" : "the file holds no items",
                       grammar::item::error_message),
           true);
  }
  return result;
}

}  // namespace cadence
