// An open editor buffer that takes incremental edits in time proportional to
// the edit, not to the document: the text lives in a gap buffer and the line
// table keeps the starts of lines after the edit point as distances from the
// end, so typing in a 5 MB file moves no more than it types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "source/source.hpp"

namespace cadence::lsp {

class TextDocument {
 public:
  TextDocument() { set_text({}); }
  explicit TextDocument(std::string_view text) { set_text(text); }

  /// Replaces the whole text.
  void set_text(std::string_view text);
  /// Replaces the bytes [begin, end) with `replacement` (offsets clamped).
  void replace(uint32_t begin, uint32_t end, std::string_view replacement);

  [[nodiscard]] uint32_t size() const { return static_cast<uint32_t>(buffer_.size() - gap_size()); }
  [[nodiscard]] uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }
  /// Byte offset where the 0-based `line` starts.
  [[nodiscard]] uint32_t line_start(uint32_t line) const;
  /// The byte at `offset` (which must be below size()).
  [[nodiscard]] char at(uint32_t offset) const {
    return offset < gap_begin_ ? buffer_[offset] : buffer_[offset + gap_size()];
  }
  /// The byte offset of an LSP position: the line's start plus `character`
  /// code units of `encoding` (clamped to the line's end; past the last line
  /// is the end of the text). A byte order mark at the start is skipped, as
  /// Source drops it.
  [[nodiscard]] uint32_t offset_of(LspPosition position, PositionEncoding encoding) const;
  /// The whole text.
  [[nodiscard]] std::string text() const;
  [[nodiscard]] bool starts_with_bom() const;

 private:
  [[nodiscard]] std::size_t gap_size() const { return gap_end_ - gap_begin_; }
  void move_gap(uint32_t offset);
  void reserve_gap(std::size_t needed);
  /// Makes the lines before `line` absolute and the rest end-relative.
  void move_line_split(uint32_t line) const;
  /// The 0-based line holding `offset`.
  [[nodiscard]] uint32_t line_of(uint32_t offset) const;

  std::string buffer_;
  std::size_t gap_begin_ = 0;
  std::size_t gap_end_ = 0;
  /// Line starts: entries below `split_` are offsets from the start, the
  /// others distances from the end of the text.
  mutable std::vector<uint32_t> starts_;
  mutable uint32_t split_ = 0;
};

}  // namespace cadence::lsp
