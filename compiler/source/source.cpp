#include "source/source.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <cstring>

namespace cadence {
namespace {

std::atomic<uint64_t> next_source_id{1};

}  // namespace

Source::Source(std::string path, std::string bytes)
    : path_(std::move(path)), text_(std::move(bytes)), id_(next_source_id.fetch_add(1, std::memory_order_relaxed)) {
  if (text_.size() >= 3 && static_cast<unsigned char>(text_[0]) == 0xEF &&
      static_cast<unsigned char>(text_[1]) == 0xBB && static_cast<unsigned char>(text_[2]) == 0xBF) {
    text_.erase(0, 3);
    had_bom_ = true;
  }
}

const std::vector<uint32_t>& Source::line_starts() const {
  std::call_once(lines_once_, [this] {
    line_starts_.push_back(0);
    const char* data = text_.data();
    const char* end = data + std::min(text_.size(), kMaxSourceBytes);
    for (const char* p = data; p < end;) {
      const void* newline = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (newline == nullptr) break;
      p = static_cast<const char*>(newline) + 1;
      line_starts_.push_back(static_cast<uint32_t>(p - data));
    }
  });
  return line_starts_;
}

bool Source::uses_crlf() const {
  const auto newline = text_.find('\n');
  return newline != std::string::npos && newline > 0 && text_[newline - 1] == '\r';
}

std::string with_line_ends_of(const Source& source, std::string_view text) {
  if (!source.uses_crlf()) return std::string(text);
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

std::string without_carriage_returns(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

uint32_t Source::line_of(uint32_t offset) const {
  const std::vector<uint32_t>& starts = line_starts();
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  return static_cast<uint32_t>(it - starts.begin()) - 1;
}

std::string_view Source::line_text(uint32_t line) const {
  const std::vector<uint32_t>& starts = line_starts();
  if (line >= starts.size()) return {};
  const uint32_t begin = starts[line];
  uint32_t end = line + 1 < starts.size() ? starts[line + 1] - 1 : static_cast<uint32_t>(text_.size());
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

uint32_t count_code_units(std::string_view text, PositionEncoding encoding) {
  if (encoding == PositionEncoding::Utf8) return static_cast<uint32_t>(text.size());
  uint32_t units = 0;
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size;) {
    // Eight ASCII bytes at a time: eight units.
    while (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & 0x8080808080808080ULL) != 0) break;
      units += 8;
      i += 8;
    }
    if (i >= size) break;
    const unsigned length = utf8_sequence_length(static_cast<unsigned char>(text[i]));
    units += (encoding == PositionEncoding::Utf16 && length == 4) ? 2 : 1;
    i += length;
  }
  return units;
}

namespace {

/// The last position computed on this thread. Diagnostics are rendered in
/// order of position, so the next one usually lies further along the same
/// line: counting from here keeps many diagnostics on one long line linear.
struct PositionCache {
  uint64_t source_id = 0;
  PositionEncoding encoding = PositionEncoding::Utf8;
  uint32_t line = 0;
  uint32_t offset = 0;
  uint32_t units = 0;
};
thread_local PositionCache last_position;

}  // namespace

uint32_t Source::units_before(uint32_t line, uint32_t offset, PositionEncoding encoding) const {
  PositionCache& cache = last_position;
  uint32_t from = line_starts()[line];
  uint32_t units = 0;
  if (cache.source_id == id_ && cache.encoding == encoding && cache.line == line && cache.offset <= offset) {
    from = cache.offset;
    units = cache.units;
  }
  units += count_code_units(std::string_view(text_).substr(from, offset - from), encoding);
  cache = {id_, encoding, line, offset, units};
  return units;
}

HumanPosition Source::human_position(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  const uint32_t line = line_of(offset);
  return {line + 1, units_before(line, offset, PositionEncoding::Utf32) + 1};
}

LspPosition Source::lsp_position(uint32_t offset, PositionEncoding encoding) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  const uint32_t line = line_of(offset);
  return {line, units_before(line, offset, encoding)};
}

uint32_t Source::offset_of(LspPosition position, PositionEncoding encoding) const {
  if (position.line >= line_starts().size()) return static_cast<uint32_t>(text_.size());
  const std::string_view line = line_text(position.line);
  uint32_t units = 0;
  std::size_t i = 0;
  while (i < line.size() && units < position.character) {
    const unsigned length = utf8_sequence_length(static_cast<unsigned char>(line[i]));
    units += encoding == PositionEncoding::Utf8 ? length : (encoding == PositionEncoding::Utf16 && length == 4) ? 2 : 1;
    i += length;
  }
  return line_starts()[position.line] + static_cast<uint32_t>(std::min(i, line.size()));
}

std::optional<EncodingProblem> find_encoding_problem(std::string_view text, std::size_t* first_non_ascii) {
  if (text.size() > kMaxSourceBytes) {
    return EncodingProblem{
        0, fmt::format("file is too large ({} bytes); the limit is {} bytes", text.size(), kMaxSourceBytes)};
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t first_high = size;
  std::size_t i = 0;
  while (i < size) {
    // Fast path: eight bytes at a time while they are all ASCII and none is NUL.
    while (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, bytes + i, sizeof word);
      if (word_has_byte(word, 0) || (word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= size) break;
    const unsigned char lead = bytes[i];
    if (lead >= 0x20 || lead == '\n' || lead == '\t' || lead == '\r') {
      if (lead < 0x80) {
        ++i;
        continue;
      }
    } else if (lead == 0) {
      return EncodingProblem{static_cast<uint32_t>(i), "NUL byte in source; is this a binary file?"};
    } else {
      // Other ASCII control characters are valid UTF-8; the grammar reports them.
      ++i;
      continue;
    }
    first_high = std::min(first_high, i);
    unsigned length = 0;
    uint32_t code_point = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return EncodingProblem{static_cast<uint32_t>(i),
                             fmt::format("invalid UTF-8 byte 0x{:02X}; .cadence files must be UTF-8", lead)};
    }
    if (i + length > size) {
      return EncodingProblem{static_cast<uint32_t>(i), "truncated UTF-8 sequence at the end of the file"};
    }
    for (unsigned k = 1; k < length; ++k) {
      const unsigned char next = bytes[i + k];
      if ((next & 0xC0) != 0x80) {
        return EncodingProblem{
            static_cast<uint32_t>(i),
            fmt::format("invalid UTF-8 sequence starting with byte 0x{:02X}; .cadence files must be UTF-8", lead)};
      }
      code_point = (code_point << 6) | (next & 0x3F);
    }
    const bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF) {
      return EncodingProblem{
          static_cast<uint32_t>(i),
          fmt::format("invalid UTF-8 sequence starting with byte 0x{:02X}; .cadence files must be UTF-8", lead)};
    }
    i += length;
  }
  if (first_non_ascii != nullptr) *first_non_ascii = first_high;
  return std::nullopt;
}

}  // namespace cadence
