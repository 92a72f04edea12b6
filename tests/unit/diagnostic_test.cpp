#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "diag/diagnostic.hpp"
#include "diag/render.hpp"
#include "diag/sarif.hpp"
#include "support/json_writer.hpp"

using namespace cadence;

TEST_CASE("every diagnostic kind has a unique kebab-case name and code", "[diag]") {
  std::set<std::string> names, codes;
  for (const DiagnosticInfo& info : all_diagnostic_kinds()) {
    CHECK(names.insert(std::string(info.name)).second);
    CHECK(codes.insert(std::string(info.code)).second);
    for (char c : info.name) CHECK(((c >= 'a' && c <= 'z') || c == '-'));
    CHECK_FALSE(info.summary.empty());
    CHECK(find_diagnostic_kind(info.name) == info.kind);
    CHECK(find_diagnostic_kind(info.code) == info.kind);
  }
  CHECK_FALSE(find_diagnostic_kind("no-such-rule").has_value());
}

TEST_CASE("human rendering shows position, name, source line and carets", "[diag]") {
  Source source("f.cadence", "line one\n  wait 0d\n");
  Diagnostic diagnostic = make_diagnostic(DiagnosticKind::WaitOutOfRange, Location{&source, {16, 18}}, "too short");
  diagnostic.help = "make it longer";
  std::string out;
  render_human(out, diagnostic, HumanStyle{false});
  CHECK(out ==
        "f.cadence:2:8: error: too short [wait-out-of-range]\n"
        " 2 |   wait 0d\n"
        "   |        ^~\n"
        "  = help: make it longer\n");
}

TEST_CASE("LSP diagnostics use UTF-16 characters", "[diag]") {
  Source source("f.cadence", "\xF0\x9F\x98\x80 bad");
  const Diagnostic diagnostic = make_diagnostic(DiagnosticKind::Syntax, Location{&source, {5, 8}}, "m");
  const auto json = lsp_diagnostic(diagnostic, PositionEncoding::Utf16);
  CHECK(json["range"]["start"]["character"] == 3);
  CHECK(json["range"]["end"]["character"] == 6);
  CHECK(json["data"]["name"] == "syntax");
  CHECK(json["severity"] == 1);
}

namespace {

/// nlohmann::json's dump(2) of `json`, each line after the first indented
/// `depth` levels more: how the reports laid diagnostics out as documents.
std::string dumped_at(const nlohmann::ordered_json& json, std::size_t depth) {
  const std::string text = json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string out;
  for (const char c : text) {
    out += c;
    if (c == '\n') out.append(depth * 2, ' ');
  }
  return out;
}

}  // namespace

TEST_CASE("streamed JSON and SARIF entries are the documents' text, byte for byte", "[diag]") {
  // Control characters, quotes, a surrogate pair, bytes that are not UTF-8.
  const std::string odd = "a \"quoted\"\\ line\n\ttab \x01\x1f \xF0\x9F\x98\x80 \xC3\x28 \xE2\x82 end \xFF";
  Source source("dir/odd name%.cadence", "first line\n  \xF0\x9F\x98\x80 second " + odd + "\nthird\n");
  Source other("other.cadence", "x\ny\n");
  std::vector<Diagnostic> diagnostics;
  diagnostics.push_back(make_diagnostic(DiagnosticKind::Syntax, Location{&source, {2, 5}}, "plain"));
  Diagnostic rich = make_diagnostic(DiagnosticKind::MissingReplyExit, Location{&source, {13, 30}}, odd);
  rich.help = odd;
  rich.notes.push_back({odd, Location{&other, {2, 3}}});
  rich.notes.push_back({"a note without a place", std::nullopt});
  rich.notes.push_back({"second", Location{&source, {0, 0}}});
  rich.fixes.push_back({odd, {{Location{&source, {11, 12}}, odd}, {Location{&source, {0, 0}}, ""}}, true});
  rich.fixes.push_back({"nothing to do", {}, false});
  diagnostics.push_back(rich);
  diagnostics.push_back(make_diagnostic(DiagnosticKind::Syntax, Location{nullptr, {0, 0}}, "no source"));
  std::map<std::string, int> from_document;
  std::map<std::string, int> streamed;
  for (const Diagnostic& diagnostic : diagnostics) {
    for (const std::size_t depth : {std::size_t{0}, std::size_t{4}}) {
      std::string text;
      append_lsp_diagnostic(text, diagnostic, PositionEncoding::Utf16, depth);
      CHECK(text == dumped_at(lsp_diagnostic(diagnostic, PositionEncoding::Utf16), depth));
    }
    std::string text;
    append_sarif_result(text, diagnostic, streamed, 4);
    CHECK(text == dumped_at(sarif_result(diagnostic, from_document), 4));
  }
  CHECK(streamed == from_document);
}

TEST_CASE("JSON strings are escaped and repaired as nlohmann::json does", "[diag]") {
  // Random bytes weighted towards the ranges where UTF-8 goes wrong: lead
  // bytes, continuation bytes, the edges of the valid ranges, controls.
  const unsigned char pool[] = {0x00, 0x01, 0x1F, '"',  '\\', 'a',  0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0,
                                0xF1, 0xF3, 0xF4, 0xF5, 0xFF, '\n', '\t', '\b', '\f', '\r', ' ',  0x98};
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const auto size = static_cast<std::size_t>(next() % 9);
    for (std::size_t k = 0; k < size; ++k) text += static_cast<char>(pool[next() % sizeof pool]);
    std::string ours;
    append_json_string(ours, text);
    const std::string theirs =
        nlohmann::ordered_json(text).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    INFO("round " << round);
    REQUIRE(ours == theirs);
  }
}
