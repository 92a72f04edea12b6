// Writing large JSON documents piece by piece: the structure is written as
// it goes and each piece (a diagnostic, a step) is a small value serialised
// and dropped, so no document is ever held whole in memory. The text is
// byte-identical to nlohmann::json's dump(2) of the same document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace cadence {

class JsonWriter {
 public:
  /// Appends to `out`; the caller moves `out` to its destination whenever it
  /// likes (between calls), which is what makes the output stream.
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  /// The key of the next member of the current object.
  void key(std::string_view name);
  /// A whole value: a string, number, bool, null or a small subtree.
  void value(const nlohmann::ordered_json& json);
  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(int64_t number);
  void value(bool flag);
  /// `key` then `value`.
  template <typename T>
  void member(std::string_view name, const T& content) {
    key(name);
    value(content);
  }
  /// Depth of open objects and arrays.
  [[nodiscard]] std::size_t depth() const { return open_.size(); }

 private:
  void before_value();
  void newline_indent(std::size_t depth);

  std::string& out_;
  struct Level {
    bool is_object;
    bool empty = true;
  };
  std::vector<Level> open_;
  bool after_key_ = false;
};

/// `text` as a JSON string literal, escaped as nlohmann::json does, with each
/// byte that is not valid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace cadence
