// Escaping user text for the places it is shown: terminals and CI logs,
// where control and bidirectional-override characters must not act.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cadence {

/// True for code points that change how text displays without showing
/// themselves: C0 and C1 controls (but tab), DEL, bidirectional embeddings,
/// overrides and isolates, zero-width characters, line and paragraph
/// separators, a byte order mark inside text, and noncharacters (U+FDD0..
/// U+FDEF, U+FFFE, U+FFFF and their kin in every plane), which XML and many
/// renderers cannot carry.
[[nodiscard]] bool is_hidden_code_point(uint32_t code_point);

/// True for the bidirectional and zero-width code points a reader cannot see
/// (the "Trojan Source" characters): U+200B..U+200F, U+202A..U+202E,
/// U+2066..U+2069, U+061C, U+FEFF.
[[nodiscard]] bool is_invisible_format_character(uint32_t code_point);

/// Decodes one UTF-8 sequence at `text[i]`; returns its length in bytes, or 0
/// when the bytes there are not valid UTF-8.
[[nodiscard]] unsigned decode_utf8(std::string_view text, std::size_t i, uint32_t& code_point);
/// Appends the UTF-8 encoding of `code_point` (at most U+10FFFF).
void append_utf8(std::string& out, uint32_t code_point);

/// Where decode_utf8 fails at `i`: how many bytes one U+FFFD replaces, the
/// "maximal subpart" (the lead byte and the continuation bytes that could
/// still have completed it; at least 1), as nlohmann::json's `replace` and
/// browsers count them.
[[nodiscard]] unsigned invalid_utf8_length(std::string_view text, std::size_t i);

/// `text` with every hidden code point written as `\u{1b}` and every byte
/// that is not valid UTF-8 as `\x{ff}`, so that what reaches a terminal or a
/// CI log is exactly what was in the file. Tab stays a tab.
[[nodiscard]] std::string visible(std::string_view text);

/// The width `visible` gives the code point or invalid byte at `text[i]`
/// (in columns, one per code point shown), and its length in bytes.
struct VisibleGlyph {
  unsigned bytes = 1;
  unsigned columns = 1;
};
[[nodiscard]] VisibleGlyph visible_glyph(std::string_view text, std::size_t i);

/// Appends the visible form of the glyph at `text[i]` (see visible_glyph).
void append_visible_glyph(std::string& out, std::string_view text, std::size_t i, const VisibleGlyph& glyph);

/// `text` as valid UTF-8: each byte that is not part of a valid sequence
/// becomes "%XX" (paths keep their information and stay printable in JSON).
[[nodiscard]] std::string percent_encode_invalid_utf8(std::string_view text);

/// Escapes text for an XML attribute or element: & < > " ' and tab, line
/// feed and carriage return as references, so a user value can never close
/// an attribute and add markup of its own. Characters XML 1.0 cannot carry
/// at all (C0 controls, U+FFFE, U+FFFF) and bytes that are not UTF-8 become
/// U+FFFD; callers that must not lose them check first
/// (xml_forbidden_character).
[[nodiscard]] std::string xml_escape(std::string_view text);

/// The first character of `text` that XML 1.0 cannot carry (a C0 control
/// other than tab, line feed and carriage return, U+FFFE or U+FFFF; U+FFFD
/// for bytes that are not UTF-8), if any.
[[nodiscard]] std::optional<uint32_t> xml_forbidden_character(std::string_view text);

/// True when `text` is valid UTF-8.
[[nodiscard]] bool is_valid_utf8(std::string_view text);

/// The number of characters (code points) of UTF-8 text, as limits such as
/// JSON Schema's maxLength count them. A byte that is not valid UTF-8 counts
/// as one.
[[nodiscard]] std::size_t character_count(std::string_view text);

/// The longest prefix of `text` with at most `limit` characters: never one
/// character cut in two.
[[nodiscard]] std::string_view character_prefix(std::string_view text, std::size_t limit);

}  // namespace cadence
