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
  /// Laid out as if nested `base_depth` levels deep in a larger document
  /// (its first line is not indented: the caller places it).
  JsonWriter(std::string& out, std::size_t base_depth) : out_(out), base_depth_(base_depth) {}

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
  std::size_t base_depth_ = 0;
};

/// The same calls as JsonWriter, building a document in memory instead:
/// code that describes a value once, as a template over the two, serves
/// both the protocol (which needs the document) and the reports (which
/// stream its text).
class JsonBuilder {
 public:
  void begin_object() { open(nlohmann::ordered_json::object()); }
  void end_object() { close(); }
  void begin_array() { open(nlohmann::ordered_json::array()); }
  void end_array() { close(); }
  void key(std::string_view name) { key_ = std::string(name); }
  void value(const nlohmann::ordered_json& json) { place(json); }
  void value(std::string_view text) { place(std::string(text)); }
  void value(const char* text) { place(std::string(text)); }
  void value(int64_t number) { place(number); }
  void value(bool flag) { place(flag); }
  template <typename T>
  void member(std::string_view name, const T& content) {
    key(name);
    value(content);
  }
  /// The document, once every object and array is closed.
  [[nodiscard]] nlohmann::ordered_json take() { return std::move(root_); }

 private:
  void open(nlohmann::ordered_json empty);
  void close() { stack_.pop_back(); }
  nlohmann::ordered_json& place(nlohmann::ordered_json json);

  nlohmann::ordered_json root_;
  std::vector<nlohmann::ordered_json*> stack_;
  std::string key_;
};

/// The document `describe(JsonBuilder&)` describes.
template <typename Describe>
[[nodiscard]] nlohmann::ordered_json build_json(Describe&& describe) {
  JsonBuilder builder;
  describe(builder);
  return builder.take();
}

/// `text` as a JSON string literal, escaped as nlohmann::json does, with
/// each maximal invalid UTF-8 subpart replaced by one U+FFFD (as its
/// `replace` error handler does).
void append_json_string(std::string& out, std::string_view text);

}  // namespace cadence
