#include "lsp/document.hpp"

#include <algorithm>
#include <cstring>

namespace cadence::lsp {
namespace {

constexpr std::size_t kMinimumGap = 4096;

}  // namespace

void TextDocument::set_text(std::string_view text) {
  buffer_.assign(text);
  gap_begin_ = buffer_.size();
  buffer_.resize(buffer_.size() + kMinimumGap);
  gap_end_ = buffer_.size();
  starts_.assign(1, 0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(static_cast<uint32_t>(i + 1));
  }
  split_ = static_cast<uint32_t>(starts_.size());
}

uint32_t TextDocument::line_start(uint32_t line) const {
  return line < split_ ? starts_[line] : size() - starts_[line];
}

void TextDocument::move_line_split(uint32_t line) const {
  line = std::min<uint32_t>(line, static_cast<uint32_t>(starts_.size()));
  const uint32_t total = size();
  while (split_ < line) {
    starts_[split_] = total - starts_[split_];
    ++split_;
  }
  while (split_ > line) {
    --split_;
    starts_[split_] = total - starts_[split_];
  }
}

uint32_t TextDocument::line_of(uint32_t offset) const {
  // The first line whose start is past `offset`, less one.
  uint32_t low = 0, high = static_cast<uint32_t>(starts_.size());
  while (low < high) {
    const uint32_t middle = low + (high - low) / 2;
    if (line_start(middle) <= offset)
      low = middle + 1;
    else
      high = middle;
  }
  return low == 0 ? 0 : low - 1;
}

void TextDocument::move_gap(uint32_t offset) {
  if (offset < gap_begin_) {
    const std::size_t count = gap_begin_ - offset;
    std::memmove(buffer_.data() + gap_end_ - count, buffer_.data() + offset, count);
    gap_begin_ -= count;
    gap_end_ -= count;
  } else if (offset > gap_begin_) {
    const std::size_t count = offset - gap_begin_;
    std::memmove(buffer_.data() + gap_begin_, buffer_.data() + gap_end_, count);
    gap_begin_ += count;
    gap_end_ += count;
  }
}

void TextDocument::reserve_gap(std::size_t needed) {
  if (gap_size() >= needed) return;
  const std::size_t grow = needed - gap_size() + std::max(kMinimumGap, buffer_.size() / 8);
  const std::size_t after = buffer_.size() - gap_end_;
  buffer_.resize(buffer_.size() + grow);
  std::memmove(buffer_.data() + buffer_.size() - after, buffer_.data() + gap_end_, after);
  gap_end_ += grow;
}

void TextDocument::replace(uint32_t begin, uint32_t end, std::string_view replacement) {
  const uint32_t total = size();
  begin = std::min(begin, total);
  end = std::clamp(end, begin, total);
  // Lines up to the one holding `begin` keep their offsets; the starts of
  // later lines are kept from the end, which the edit does not move.
  const uint32_t line = line_of(begin);
  move_line_split(line + 1);
  auto removed_end = starts_.begin() + (line + 1);
  while (removed_end != starts_.end() && total - *removed_end <= end) ++removed_end;
  starts_.erase(starts_.begin() + (line + 1), removed_end);
  const uint32_t new_total = total - (end - begin) + static_cast<uint32_t>(replacement.size());
  std::vector<uint32_t> added;
  for (std::size_t i = 0; i < replacement.size(); ++i) {
    if (replacement[i] == '\n') added.push_back(new_total - (begin + static_cast<uint32_t>(i) + 1));
  }
  starts_.insert(starts_.begin() + (line + 1), added.begin(), added.end());

  move_gap(begin);
  gap_end_ += end - begin;
  reserve_gap(replacement.size());
  std::memcpy(buffer_.data() + gap_begin_, replacement.data(), replacement.size());
  gap_begin_ += replacement.size();
}

bool TextDocument::starts_with_bom() const {
  return size() >= 3 && static_cast<unsigned char>(at(0)) == 0xEF && static_cast<unsigned char>(at(1)) == 0xBB &&
         static_cast<unsigned char>(at(2)) == 0xBF;
}

uint32_t TextDocument::offset_of(LspPosition position, PositionEncoding encoding) const {
  if (position.line >= line_count()) return size();
  uint32_t i = line_start(position.line);
  if (position.line == 0 && starts_with_bom()) i += 3;
  uint32_t line_end = position.line + 1 < line_count() ? line_start(position.line + 1) - 1 : size();
  if (line_end > i && at(line_end - 1) == '\r') --line_end;
  uint32_t units = 0;
  while (i < line_end && units < position.character) {
    const unsigned length = utf8_sequence_length(static_cast<unsigned char>(at(i)));
    units += encoding == PositionEncoding::Utf8 ? length : (encoding == PositionEncoding::Utf16 && length == 4) ? 2 : 1;
    i += length;
  }
  return std::min(i, line_end);
}

std::string TextDocument::text() const {
  std::string out;
  out.reserve(size());
  out.append(buffer_.data(), gap_begin_);
  out.append(buffer_.data() + gap_end_, buffer_.size() - gap_end_);
  return out;
}

}  // namespace cadence::lsp
