#include <catch2/catch.hpp>

#include <string>

#include "syntax/parser.hpp"

using namespace cadence;

namespace {

struct Parsed {
  std::unique_ptr<Source> source;
  ParseResult result;
  std::vector<Diagnostic> diagnostics;
};

Parsed parse_text(const std::string& text) {
  Parsed parsed;
  parsed.source = std::make_unique<Source>("t.cadence", text);
  DiagnosticCollector collector;
  parsed.result = parse(*parsed.source, collector);
  parsed.diagnostics = collector.take();
  return parsed;
}

}  // namespace

TEST_CASE("a full sequence parses into the AST", "[parser]") {
  auto parsed = parse_text(R"(
import "std/lead"
template intro for lead { subject "Hi {{lead.firstname | "there"}}" body "b" }
segment hot on lead { where leadqualitycode == hot and not (statecode in [qualified, disqualified]) }
sequence s {
  target lead
  limit email 200/day
  on out_of_office pause 14d
  email intro { template intro mode auto }
  wait 2d
  branch opened(intro) or replied within 3d {
    yes { call c { script "x" } }
    no { linkedin connect li { note "n" } }
  }
  branch outcome(c) { connected { exit "won" then create_opportunity } else { goto t1 } }
  task t1 { note "wrap up" }
}
)");
  REQUIRE(parsed.diagnostics.empty());
  const ast::File& file = parsed.result.file;
  REQUIRE(file.imports.size() == 1);
  CHECK(file.imports[0].path.value == "std/lead");
  REQUIRE(file.templates.size() == 1);
  REQUIRE(file.templates[0].subjects[0].merge_fields.size() == 1);
  CHECK(file.templates[0].subjects[0].merge_fields[0].fallback == "there");
  REQUIRE(file.segments[0].filter);
  CHECK(file.segments[0].filter->kind == ast::Expr::Kind::And);
  CHECK(file.segments[0].filter->operands[1].kind == ast::Expr::Kind::Not);
  CHECK(file.segments[0].filter->operands[1].operands[0].kind == ast::Expr::Kind::In);
  const ast::Sequence& sequence = file.sequences[0];
  CHECK(sequence.settings.size() == 2);
  CHECK(sequence.handlers.size() == 1);
  CHECK(sequence.handlers[0].pause.minutes(true) == 14 * 24 * 60);
  // A week is five working days under the business calendar, seven otherwise.
  ast::Duration week;
  week.amount = 2;
  week.unit = ast::DurationUnit::Weeks;
  CHECK(week.minutes(true) == 10 * 24 * 60);
  CHECK(week.minutes(false) == 14 * 24 * 60);
  REQUIRE(sequence.body.size() == 5);
  CHECK(sequence.body[2].kind == ast::StmtKind::Branch);
  CHECK(sequence.body[2].has_within);
  CHECK(sequence.body[2].condition->kind == ast::Expr::Kind::Or);
  CHECK(sequence.body[2].arms.size() == 2);
  CHECK(sequence.body[3].kind == ast::StmtKind::OutcomeBranch);
  CHECK(sequence.body[3].arms[0].body[0].exit.outcome == ast::OutcomeKind::CreateOpportunity);
}

TEST_CASE("node spans end at the last token, not at the blanks after it", "[parser]") {
  auto parsed = parse_text("sequence s {\n  wait 2d   // comment\n\n}\n");
  REQUIRE(parsed.diagnostics.empty());
  const ast::Stmt& wait = parsed.result.file.sequences[0].body[0];
  CHECK(parsed.source->text().substr(wait.span.begin, wait.span.size()) == "wait 2d");
}

TEST_CASE("strings decode escapes and dedent multi-line text", "[parser]") {
  auto parsed = parse_text(
      "template t for lead {\n  subject \"a\\tb \\\"q\\\" \\u{1F600}\"\n  body \"\"\"\n    Hi {{lead.firstname}},\n\n  "
      "    indented\n    bye\n  \"\"\"\n}\n");
  REQUIRE(parsed.diagnostics.empty());
  const ast::Template& item = parsed.result.file.templates[0];
  CHECK(item.subjects[0].value == "a\tb \"q\" \xF0\x9F\x98\x80");
  CHECK(item.bodies[0].value == "Hi {{lead.firstname}},\n\n  indented\nbye");
  REQUIRE(item.bodies[0].merge_fields.size() == 1);
  CHECK(item.bodies[0].merge_fields[0].field.text == "firstname");
}

TEST_CASE("an escape decodes wherever it falls in a long run of plain text", "[parser]") {
  // Plain text is scanned several bytes at a time: put the escape, and a CR
  // of a CRLF line end, at every offset around and across those blocks.
  for (std::size_t at = 0; at <= 24; ++at) {
    const std::string before(at, 'a');
    const std::string after(24 - at, 'b');
    auto parsed = parse_text("template t for lead {\n  subject \"" + before + "\\n" + after +
                             "\"\n  body \"\"\"\r\n    " + before + "\r\n    " + after + "\r\n  \"\"\"\n}\n");
    REQUIRE(parsed.diagnostics.empty());
    const ast::Template& item = parsed.result.file.templates[0];
    CHECK(item.subjects[0].value == before + "\n" + after);
    CHECK(item.bodies[0].value == before + "\n" + after);
  }
}

TEST_CASE("several syntax errors are reported, each with its expectation", "[parser]") {
  auto parsed = parse_text(
      "sequence s {\n"
      "  email intro { template }\n"
      "  wait 2x\n"
      "  bogus here\n"
      "  wait 1d\n"
      "}\n"
      "templte t\n"
      "sequence ok { wait 1d }\n");
  REQUIRE(parsed.diagnostics.size() == 4);
  CHECK(parsed.diagnostics[0].message == "expected a template name after 'template'");
  CHECK(parsed.diagnostics[1].message == "expected a duration unit: m, h, d or w (as in 30m, 4h, 2d, 1w)");
  CHECK(parsed.diagnostics[2].message == "expected a setting, a handler ('on EVENT ...'), a step or '}'");
  CHECK(parsed.diagnostics[3].message == "expected 'import', 'entity', 'extend', 'template', 'segment' or 'sequence'");
  // Recovery keeps what parsed: both sequences, the email (its broken
  // property was skipped) and the good wait.
  REQUIRE(parsed.result.file.sequences.size() == 2);
  CHECK(parsed.result.file.sequences[0].body.size() == 2);
}

TEST_CASE("a missing closing brace is reported where the block should end", "[parser]") {
  auto parsed = parse_text("sequence a {\n  wait 1d\n\nsequence b { wait 1d }\n");
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].message == "expected '}' to close the sequence");
  CHECK(parsed.source->human_position(parsed.diagnostics[0].location.span.begin).line == 2);
  CHECK(parsed.result.file.sequences.size() == 2);
}

TEST_CASE("nesting deeper than the limit is one clear error, not a crash", "[parser]") {
  std::string text = "sequence s {\n";
  for (int i = 0; i < 5000; ++i) text += "branch replied { yes {\n";
  auto parsed = parse_text(text);
  REQUIRE_FALSE(parsed.diagnostics.empty());
  CHECK(parsed.diagnostics.back().message.find("nesting is too deep") == 0);
}

TEST_CASE("syntax errors stop at the limit", "[parser]") {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "sequence s { ??? }\n";
  auto parsed = parse_text(text);
  CHECK(parsed.diagnostics.size() == kMaxSyntaxErrors + 1);
  CHECK(parsed.diagnostics.back().message.find("too many syntax errors") == 0);
}

TEST_CASE("invalid UTF-8 is one error at the bad byte", "[parser]") {
  auto parsed = parse_text(std::string("sequence s {\n  \xC3\x28\n}\n"));
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].location.span.begin == 15);
}
