#include "support/json_writer.hpp"

#include <utility>

#include <fmt/format.h>

#include "support/escape.hpp"

namespace cadence {

namespace {

constexpr std::size_t kIndent = 2;

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\') {
      // A run of plain ASCII at once.
      std::size_t run = i + 1;
      while (run < text.size()) {
        const auto next = static_cast<unsigned char>(text[run]);
        if (next < 0x20 || next >= 0x80 || next == '"' || next == '\\') break;
        ++run;
      }
      out.append(text.substr(i, run - i));
      i = run;
      continue;
    }
    switch (byte) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\b':
        out += "\\b";
        ++i;
        continue;
      case '\f':
        out += "\\f";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      default: break;
    }
    if (byte < 0x20) {
      out += fmt::format("\\u{:04x}", byte);
      ++i;
      continue;
    }
    uint32_t code_point = 0;
    const unsigned length = decode_utf8(text, i, code_point);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      i += invalid_utf8_length(text, i);
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  out += '"';
}

void JsonWriter::newline_indent(std::size_t depth) {
  out_ += '\n';
  out_.append((base_depth_ + depth) * kIndent, ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (open_.empty()) return;
  Level& level = open_.back();
  if (!level.empty) out_ += ',';
  level.empty = false;
  newline_indent(open_.size());
}

void JsonWriter::key(std::string_view name) {
  Level& level = open_.back();
  if (!level.empty) out_ += ',';
  level.empty = false;
  newline_indent(open_.size());
  append_json_string(out_, name);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  open_.push_back({true});
}

void JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  open_.push_back({false});
}

void JsonWriter::end_object() {
  const bool empty = open_.back().empty;
  open_.pop_back();
  if (!empty) newline_indent(open_.size());
  out_ += '}';
}

void JsonWriter::end_array() {
  const bool empty = open_.back().empty;
  open_.pop_back();
  if (!empty) newline_indent(open_.size());
  out_ += ']';
}

void JsonWriter::value(std::string_view text) {
  before_value();
  append_json_string(out_, text);
}

void JsonWriter::value(int64_t number) {
  before_value();
  out_ += fmt::format("{}", number);
}

void JsonWriter::value(bool flag) {
  before_value();
  out_ += flag ? "true" : "false";
}

void JsonWriter::value(const nlohmann::ordered_json& json) {
  before_value();
  const std::string text =
      json.dump(static_cast<int>(kIndent), ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  // The subtree was laid out at depth 0: shift its lines to this depth.
  const std::string pad((base_depth_ + open_.size()) * kIndent, ' ');
  if (pad.empty() || text.find('\n') == std::string::npos) {
    out_ += text;
    return;
  }
  for (const char c : text) {
    out_ += c;
    if (c == '\n') out_ += pad;
  }
}

nlohmann::ordered_json& JsonBuilder::place(nlohmann::ordered_json json) {
  if (stack_.empty()) {
    root_ = std::move(json);
    return root_;
  }
  nlohmann::ordered_json& parent = *stack_.back();
  if (parent.is_object()) return parent[std::exchange(key_, std::string())] = std::move(json);
  parent.push_back(std::move(json));
  return parent.back();
}

void JsonBuilder::open(nlohmann::ordered_json empty) { stack_.push_back(&place(std::move(empty))); }

}  // namespace cadence
