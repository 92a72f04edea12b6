#include <catch2/catch.hpp>

#include "source/source.hpp"

using namespace cadence;

TEST_CASE("line table maps offsets to lines and columns", "[source]") {
  Source source("a.cadence", "ab\ncd\r\nef");
  REQUIRE(source.line_count() == 3);
  CHECK(source.line_text(1) == "cd");  // CR of CRLF is not part of the line
  CHECK(source.line_text(2) == "ef");
  CHECK(source.human_position(4).line == 2);
  CHECK(source.human_position(4).column == 2);
  CHECK(source.lsp_position(7) == LspPosition{2, 0});
  CHECK_FALSE(source.uses_crlf());  // judged by the first line end
  CHECK(Source("b.cadence", "a\r\nb\n").uses_crlf());
}

TEST_CASE("columns count code points for people and UTF-16 units for LSP", "[source]") {
  // "😀" is 4 bytes in UTF-8, 2 units in UTF-16, 1 code point; "é" is 2 bytes.
  Source source("a.cadence", "x \xF0\x9F\x98\x80\xC3\xA9 y");
  const uint32_t y = static_cast<uint32_t>(source.text().find('y'));
  CHECK(source.human_position(y).column == 6);
  CHECK(source.lsp_position(y, PositionEncoding::Utf16).character == 6);
  CHECK(source.lsp_position(y, PositionEncoding::Utf8).character == 9);
  CHECK(source.offset_of({0, 6}, PositionEncoding::Utf16) == y);
  CHECK(source.offset_of({0, 9}, PositionEncoding::Utf8) == y);
}

TEST_CASE("a byte order mark is dropped and remembered", "[source]") {
  Source source("a.cadence", "\xEF\xBB\xBFsequence");
  CHECK(source.had_bom());
  CHECK(source.text() == "sequence");
  CHECK(source.human_position(0).column == 1);
}

TEST_CASE("encoding problems are found with their offset", "[source]") {
  CHECK_FALSE(find_encoding_problem("plain \xC3\xA9 text").has_value());
  auto invalid = find_encoding_problem(std::string("ab\xFF", 3));
  REQUIRE(invalid);
  CHECK(invalid->offset == 2);
  CHECK(invalid->message.find("0xFF") != std::string::npos);
  auto nul = find_encoding_problem(std::string("a\0b", 3));
  REQUIRE(nul);
  CHECK(nul->offset == 1);
  CHECK(find_encoding_problem(std::string("\xE0\x80\x80", 3)).has_value());  // overlong
  CHECK(find_encoding_problem(std::string("\xED\xA0\x80", 3)).has_value());  // surrogate
  CHECK(find_encoding_problem(std::string("\xF0\x9F\x98", 3)).has_value());  // truncated
}

TEST_CASE("the encoding check tells where the first byte outside ASCII is", "[source]") {
  auto first = [](std::string_view text) {
    std::size_t at = 12345;
    REQUIRE_FALSE(find_encoding_problem(text, &at).has_value());
    return at;
  };
  CHECK(first("") == 0);
  CHECK(first("plain ascii text, longer than eight bytes") == 41);
  CHECK(first("\xC3\xA9 first") == 0);
  CHECK(first("plain \xC3\xA9 text") == 6);
  // Past the eight-byte fast path, and after a control character.
  CHECK(first("0123456789abcdef\t\xE2\x80\x8B") == 17);
}

TEST_CASE("word_has_byte finds a byte at each of the eight places, and only there", "[source]") {
  for (const uint8_t byte : {uint8_t{0}, uint8_t{'\\'}, uint8_t{'\r'}, uint8_t{0xFF}}) {
    uint64_t clean = 0;
    for (int k = 0; k < 8; ++k) clean |= uint64_t{static_cast<uint8_t>(byte + 1)} << (8 * k);
    CHECK_FALSE(word_has_byte(clean, byte));
    for (int k = 0; k < 8; ++k) {
      const uint64_t word = (clean & ~(uint64_t{0xFF} << (8 * k))) | (uint64_t{byte} << (8 * k));
      CHECK(word_has_byte(word, byte));
    }
  }
}
