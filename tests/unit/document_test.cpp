#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "lsp/document.hpp"
#include "source/source.hpp"

using namespace cadence;
using cadence::lsp::TextDocument;

TEST_CASE("incremental edits give the text and positions of the whole replacement", "[lsp][document]") {
  std::mt19937 random(3);
  const char alphabet[] = "ab\n\r\xC3\xA9\xF0\x9F\x98\x80 ";  // ASCII, CRLF pieces, 2- and 4-byte UTF-8
  auto piece = [&] {
    std::string text;
    const int length = static_cast<int>(random() % 9);
    for (int i = 0; i < length; ++i) text += alphabet[random() % (sizeof alphabet - 1)];
    return text;
  };
  std::string model = "start\nof the\r\ntext";
  TextDocument document(model);
  for (int round = 0; round < 4000; ++round) {
    const auto begin = static_cast<uint32_t>(random() % (model.size() + 1));
    const auto end = static_cast<uint32_t>(begin + random() % (model.size() - begin + 1));
    const std::string replacement = piece();
    model.replace(begin, end - begin, replacement);
    document.replace(begin, end, replacement);
    REQUIRE(document.size() == model.size());
    if (round % 97 == 0 || round > 3950) {
      REQUIRE(document.text() == model);
      const Source source("m", model);
      REQUIRE(document.line_count() == source.line_count());
      for (uint32_t line = 0; line < source.line_count(); ++line) {
        REQUIRE(document.line_start(line) == source.line_start(line));
        for (uint32_t character : {0u, 1u, 2u, 5u, 40u}) {
          for (PositionEncoding encoding : {PositionEncoding::Utf8, PositionEncoding::Utf16}) {
            REQUIRE(document.offset_of({line, character}, encoding) == source.offset_of({line, character}, encoding));
          }
        }
      }
    }
  }
}

TEST_CASE("typing into a large document moves only what is typed", "[lsp][document]") {
  std::string line = "  email step { template some_template }  // a line of a large sequence\n";
  std::string text;
  while (text.size() < 5'000'000) text += line;
  TextDocument document(text);
  // 3,000 one-character edits at one place: each costs the edit (and the
  // gap's move), not a copy of five megabytes; a copy per edit would take
  // seconds here, this takes milliseconds.
  const uint32_t at = document.line_start(40000) + 10;
  for (int i = 0; i < 3000; ++i) document.replace(at + static_cast<uint32_t>(i), at + static_cast<uint32_t>(i), "x");
  text.insert(at, std::string(3000, 'x'));
  CHECK(document.text() == text);
  CHECK(document.offset_of({40000, 12}, PositionEncoding::Utf16) == at + 2);
}
