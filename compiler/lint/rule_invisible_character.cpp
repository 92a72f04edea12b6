// invisible-character: bidirectional controls and zero-width characters make
// text show other than it is (Trojan Source). Reviewers read the file as
// their screen draws it; the compiler, the mail client and the CRM read the
// bytes. Written as a \u{...} escape the character is visible in review, so
// only the characters themselves are reported; the fix in a string is that
// escape.

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "cadence/lexical.hpp"
#include "cadence/node_kind.hpp"
#include "lint/rules.hpp"
#include "support/escape.hpp"

namespace cadence::rules {
namespace {

std::string_view character_name(uint32_t c) {
  switch (c) {
    case 0x061C: return "ARABIC LETTER MARK";
    case 0x200B: return "ZERO WIDTH SPACE";
    case 0x200C: return "ZERO WIDTH NON-JOINER";
    case 0x200D: return "ZERO WIDTH JOINER";
    case 0x200E: return "LEFT-TO-RIGHT MARK";
    case 0x200F: return "RIGHT-TO-LEFT MARK";
    case 0x202A: return "LEFT-TO-RIGHT EMBEDDING";
    case 0x202B: return "RIGHT-TO-LEFT EMBEDDING";
    case 0x202C: return "POP DIRECTIONAL FORMATTING";
    case 0x202D: return "LEFT-TO-RIGHT OVERRIDE";
    case 0x202E: return "RIGHT-TO-LEFT OVERRIDE";
    case 0x2066: return "LEFT-TO-RIGHT ISOLATE";
    case 0x2067: return "RIGHT-TO-LEFT ISOLATE";
    case 0x2068: return "FIRST STRONG ISOLATE";
    case 0x2069: return "POP DIRECTIONAL ISOLATE";
    case 0xFEFF: return "ZERO WIDTH NO-BREAK SPACE (byte order mark)";
    default: return "an invisible character";
  }
}

}  // namespace

void invisible_character(const LintContext& context) {
  const Module& module = *context.checked.module;
  const Source& source = *module.source;
  const std::string_view text = source.text();
  // String literals, to tell a character in a string (where an escape keeps
  // its meaning) from one elsewhere (where removing it is the fix); gathered
  // only once something is found, since nearly every file is clean.
  std::vector<Span> strings;
  bool strings_gathered = false;
  auto in_string = [&](uint32_t offset) {
    if (!strings_gathered) {
      for (const SyntaxNode& node : module.parsed.nodes) {
        if (node.kind == grammar::NodeKind::String) strings.push_back({node.begin, node.end});
      }
      std::sort(strings.begin(), strings.end(), [](Span a, Span b) { return a.begin < b.begin; });
      strings_gathered = true;
    }
    auto it =
        std::upper_bound(strings.begin(), strings.end(), offset, [](uint32_t at, Span s) { return at < s.begin; });
    return it != strings.begin() && offset < std::prev(it)->end;
  };
  auto report = [&](Span span, uint32_t code_point) {
    Diagnostic diagnostic =
        make_diagnostic(DiagnosticKind::InvisibleCharacter, Location{&source, span},
                        fmt::format("an invisible U+{:04X} {}: it hides or reorders what this text shows", code_point,
                                    character_name(code_point)));
    if (in_string(span.begin)) {
      diagnostic.help = fmt::format("write it as the visible escape \\u{{{:x}}}, or remove it", code_point);
      diagnostic.fixes.push_back(Fix{fmt::format("write it as \\u{{{:x}}}", code_point),
                                     {Edit{Location{&source, span}, fmt::format("\\u{{{:x}}}", code_point)}},
                                     true});
    } else {
      diagnostic.help = "remove it";
      diagnostic.fixes.push_back(Fix{"remove the character", {Edit{Location{&source, span}, ""}}, true});
    }
    context.out.consume(std::move(diagnostic));
  };
  // Every character reported is outside ASCII: the scan starts at the first
  // such byte the parser saw (nothing to do in an ASCII file), and passes
  // over ASCII text eight bytes at a time.
  for (std::size_t i = std::min<std::size_t>(module.parsed.first_non_ascii, text.size()); i < text.size();) {
    if (i + sizeof(uint64_t) <= text.size()) {
      uint64_t word = 0;
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += sizeof word;
        continue;
      }
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    uint32_t code_point = 0;
    const unsigned length = decode_utf8(text, i, code_point);
    if (length == 0) {
      ++i;
      continue;
    }
    if (is_invisible_format_character(code_point)) {
      report({static_cast<uint32_t>(i), static_cast<uint32_t>(i + length)}, code_point);
    }
    i += length;
  }
}

// The explanation `cadence explain invisible-character` prints and docs/rules/invisible-character.md shows.
const Explanation invisible_character_explanation = Explanation{
    "A bidirectional embedding, override or isolate (U+202A..U+202E, U+2066..U+2069), a zero-width character "
    "(U+200B..U+200F) or a byte order mark inside the file, written as the character itself (a `\\u{...}` "
    "escape is visible in review and not reported).",
    "These characters reorder or hide text on screen (the \"Trojan Source\" attack): a reviewer reads one thing "
    "and the compiler, the prospect's mail client or the CRM sees another. In an email they garble the text and "
    "trip spam filters.",
    "import \"std/lead\"\n"
    "\n"
    "sequence s {\n"
    "  target lead\n"
    "  // a right-to-left override hides in the reason:\n"
    "  exit \"done \u202eti\"\n"
    "}",
    "Remove the character; if it is really wanted in a string, write it as the visible escape `\\u{...}` (the "
    "quick fix does either)."};

}  // namespace cadence::rules
