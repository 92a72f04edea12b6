#include "support/escape.hpp"

#include <fmt/format.h>

namespace cadence {

bool is_invisible_format_character(uint32_t c) {
  return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x061C ||
         c == 0xFEFF;
}

bool is_noncharacter(uint32_t c) { return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE; }

bool is_hidden_code_point(uint32_t c) {
  if (c == '\t') return false;
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
         is_invisible_format_character(c) || is_noncharacter(c);
}

unsigned invalid_utf8_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  // The bytes a lead byte still needs, and the range its first one must be
  // in (narrower than 80..BF where overlong forms, surrogates or code points
  // past U+10FFFF would start).
  unsigned need = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  }
  unsigned length = 1;
  while (length <= need && i + length < text.size()) {
    const auto next = static_cast<unsigned char>(text[i + length]);
    if (next < low || next > high) break;
    low = 0x80;
    high = 0xBF;
    ++length;
  }
  return length;
}

void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

unsigned decode_utf8(std::string_view text, std::size_t i, uint32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  unsigned length = 0;
  uint32_t value = 0;
  uint32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (unsigned k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  code_point = value;
  return length;
}

VisibleGlyph visible_glyph(std::string_view text, std::size_t i) {
  uint32_t code_point = 0;
  const unsigned length = decode_utf8(text, i, code_point);
  if (length == 0) return {1, 6};  // \x{ff}
  if (!is_hidden_code_point(code_point)) return {length, 1};
  return {length, static_cast<unsigned>(fmt::formatted_size("\\u{{{:x}}}", code_point))};
}

void append_visible_glyph(std::string& out, std::string_view text, std::size_t i, const VisibleGlyph& glyph) {
  uint32_t code_point = 0;
  const unsigned length = decode_utf8(text, i, code_point);
  if (length == 0) {
    out += fmt::format("\\x{{{:02x}}}", static_cast<unsigned char>(text[i]));
  } else if (is_hidden_code_point(code_point)) {
    out += fmt::format("\\u{{{:x}}}", code_point);
  } else {
    out.append(text.substr(i, glyph.bytes));
  }
}

std::string visible(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    // Printable ASCII, the common case, goes through in runs.
    std::size_t run = i;
    while (run < text.size() && static_cast<unsigned char>(text[run]) >= 0x20 &&
           static_cast<unsigned char>(text[run]) < 0x7F) {
      ++run;
    }
    if (run > i) {
      out.append(text.substr(i, run - i));
      i = run;
      continue;
    }
    const VisibleGlyph glyph = visible_glyph(text, i);
    append_visible_glyph(out, text, i, glyph);
    i += glyph.bytes;
  }
  return out;
}

namespace {

/// True for the code points XML 1.0's Char production admits.
bool is_xml_char(uint32_t c) {
  return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      // A character XML cannot carry (U+FFFE, U+FFFF) or bytes that are not
      // UTF-8 become U+FFFD: the document must stay well-formed.
      uint32_t code_point = 0;
      const unsigned length = decode_utf8(text, i, code_point);
      if (length == 0 || !is_xml_char(code_point)) {
        out += "\xEF\xBF\xBD";
        i += length == 0 ? invalid_utf8_length(text, i) : length;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c == '\t' || c == '\n' || c == '\r') {
          out += fmt::format("&#{};", static_cast<int>(c));
        } else if (static_cast<unsigned char>(c) < 0x20) {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::optional<uint32_t> xml_forbidden_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    uint32_t code_point = static_cast<unsigned char>(text[i]);
    unsigned length = 1;
    if (code_point >= 0x80) {
      length = decode_utf8(text, i, code_point);
      if (length == 0) return 0xFFFD;  // not UTF-8: not text at all
    }
    if (!is_xml_char(code_point)) return code_point;
    i += length;
  }
  return std::nullopt;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    uint32_t code_point = 0;
    const unsigned length = decode_utf8(text, i, code_point);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::size_t character_count(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    uint32_t code_point = 0;
    const unsigned length = static_cast<unsigned char>(text[i]) < 0x80 ? 1 : decode_utf8(text, i, code_point);
    i += length == 0 ? 1 : length;
  }
  return count;
}

std::string_view character_prefix(std::string_view text, std::size_t limit) {
  std::size_t i = 0;
  for (std::size_t count = 0; i < text.size() && count < limit; ++count) {
    uint32_t code_point = 0;
    const unsigned length = static_cast<unsigned char>(text[i]) < 0x80 ? 1 : decode_utf8(text, i, code_point);
    i += length == 0 ? 1 : length;
  }
  return text.substr(0, i);
}

std::string percent_encode_invalid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    uint32_t code_point = 0;
    const unsigned length = decode_utf8(text, i, code_point);
    if (length == 0) {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(text[i]));
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace cadence
