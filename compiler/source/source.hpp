// Source files as byte buffers, and the conversions from byte offsets to the
// positions people and editors use.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cadence {

/// A half-open byte range [begin, end) into one Source's text.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;

  [[nodiscard]] uint32_t size() const { return end - begin; }
  friend bool operator==(const Span&, const Span&) = default;
};

/// A 1-based line and a 1-based column counted in Unicode code points; what
/// the human renderer prints.
struct HumanPosition {
  uint32_t line = 1;
  uint32_t column = 1;
};

/// A 0-based line and a 0-based character counted in the code units of the
/// negotiated encoding (UTF-16 by default), as the Language Server Protocol
/// wants.
struct LspPosition {
  uint32_t line = 0;
  uint32_t character = 0;
  friend bool operator==(const LspPosition&, const LspPosition&) = default;
};

enum class PositionEncoding { Utf8, Utf16, Utf32 };

/// Largest source file accepted, in bytes. Offsets are 32-bit; the limit keeps
/// every offset and every derived length far from overflow.
inline constexpr std::size_t kMaxSourceBytes = 256u * 1024u * 1024u;

/// One source file: its path as the user named it, its text (without a UTF-8
/// byte order mark) and a table of line starts. Immutable once built.
class Source {
 public:
  /// Builds a source from raw file bytes. A leading BOM is dropped and
  /// remembered, so that rewriting tools can put it back.
  Source(std::string path, std::string bytes);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string_view text() const { return text_; }
  [[nodiscard]] bool had_bom() const { return had_bom_; }
  [[nodiscard]] bool uses_crlf() const;

  /// Number of lines (a file with no newline has one line).
  [[nodiscard]] uint32_t line_count() const { return static_cast<uint32_t>(line_starts().size()); }
  /// 0-based line holding the byte at `offset` (offsets past the end map to the last line).
  [[nodiscard]] uint32_t line_of(uint32_t offset) const;
  /// Byte offset where the 0-based `line` starts.
  [[nodiscard]] uint32_t line_start(uint32_t line) const { return line_starts().at(line); }
  /// The text of the 0-based `line` without its line end (LF or CRLF).
  [[nodiscard]] std::string_view line_text(uint32_t line) const;

  [[nodiscard]] HumanPosition human_position(uint32_t offset) const;
  [[nodiscard]] LspPosition lsp_position(uint32_t offset, PositionEncoding encoding = PositionEncoding::Utf16) const;
  /// The byte offset of an LSP position (clamped to the line's end), the
  /// inverse of lsp_position.
  [[nodiscard]] uint32_t offset_of(LspPosition position, PositionEncoding encoding = PositionEncoding::Utf16) const;

 private:
  /// Code units from the start of `line` to `offset` (on that line).
  [[nodiscard]] uint32_t units_before(uint32_t line, uint32_t offset, PositionEncoding encoding) const;
  /// The offset where each line starts, found on first use: a file with
  /// nothing to report never needs them.
  [[nodiscard]] const std::vector<uint32_t>& line_starts() const;

  std::string path_;
  std::string text_;
  /// Unique per Source ever made (a cache key that no later Source reuses).
  uint64_t id_ = 0;
  bool had_bom_ = false;
  mutable std::once_flag lines_once_;
  mutable std::vector<uint32_t> line_starts_;
};

/// `text` with every line feed written as the source writes its line ends:
/// CRLF when the source uses CRLF (a fix or a formatted line must not mix LF
/// lines into a CRLF file), unchanged otherwise.
[[nodiscard]] std::string with_line_ends_of(const Source& source, std::string_view text);

/// `text` with every CRLF made LF.
[[nodiscard]] std::string without_carriage_returns(std::string_view text);

/// The first problem that makes `text` unacceptable as source: invalid UTF-8,
/// a NUL byte, or a size over kMaxSourceBytes.
struct EncodingProblem {
  uint32_t offset = 0;
  std::string message;
};
/// When `first_non_ascii` is given and no problem is found, it is set to the
/// offset of the first byte outside ASCII (the size of `text` if none), so
/// that later passes looking only for non-ASCII characters can start there.
[[nodiscard]] std::optional<EncodingProblem> find_encoding_problem(std::string_view text,
                                                                   std::size_t* first_non_ascii = nullptr);

/// Number of code units `text` (valid UTF-8) takes in `encoding`.
[[nodiscard]] uint32_t count_code_units(std::string_view text, PositionEncoding encoding);

/// Length in bytes of the UTF-8 sequence starting with `lead` (1 for
/// continuation or invalid bytes, so scanning always advances).
[[nodiscard]] inline unsigned utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

/// Whether any of the eight bytes of `word` equals `byte` (the classic
/// zero-byte test on `word` with `byte` cleared): lets a scan skip text
/// eight bytes at a time.
[[nodiscard]] constexpr bool word_has_byte(uint64_t word, uint8_t byte) {
  constexpr uint64_t kLow = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t x = word ^ (kLow * byte);
  return ((x - kLow) & ~x & kHigh) != 0;
}

}  // namespace cadence
