#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "diag/diagnostic.hpp"
#include "diag/render.hpp"

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
