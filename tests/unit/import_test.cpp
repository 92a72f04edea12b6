#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "export/common.hpp"
#include "export/targets.hpp"
#include "import/importer.hpp"
#include "import/writer.hpp"
#include "syntax/parser.hpp"

using namespace cadence;

namespace {

/// The value the parser reads from `literal` as a template's body.
std::string parsed_value(const std::string& literal) {
  Source source("t.cadence", "template t for lead {\n  subject \"s\"\n  body " + literal + "\n}\n");
  DiagnosticCollector collector;
  ParseResult result = parse(source, collector);
  REQUIRE(collector.take().empty());
  REQUIRE(result.file.templates.size() == 1);
  return std::string(result.file.templates[0].bodies[0].value);
}

}  // namespace

TEST_CASE("string literals read back as the text they were written from", "[import]") {
  for (const std::string text : {"plain", "two\nlines", "Hi,\n\nparagraphs\nand lines", "  indented\nfirst",
                                 "quote \" and \\ backslash\nnext", "ends with a quote\n\"", "triple \"\"\" inside\nx",
                                 "tab\there\nx", "trailing blank \nx", "\nstarts with a line break", "ends with one\n",
                                 "control \x01 byte", "line\r\nwith CR", "  \nblank-only line\n  "}) {
    INFO(text);
    CHECK(parsed_value(importer::string_literal(text, "    ", "  ")) == text);
  }
  // Multi-line text that a block carries is written as one, indented.
  CHECK(importer::string_literal("a\n\nb", "    ", "  ") == "\"\"\"\n    a\n\n    b\n  \"\"\"");
  CHECK(importer::string_literal("one line") == "\"one line\"");
  CHECK(parsed_value(importer::string_literal(std::string("nul\0byte", 8))) == "nulbyte");
}

TEST_CASE("names are usable, unique and not reserved", "[import]") {
  std::set<std::string> taken;
  CHECK(importer::unique_name("Q1 Outbound – Finance", "sequence", taken) == "q1_outbound_finance");
  CHECK(importer::unique_name("Q1 Outbound - Finance!", "sequence", taken) == "q1_outbound_finance_2");
  CHECK(importer::unique_name("2024 plan", "template", taken) == "template_2024_plan");
  CHECK(importer::unique_name("", "template_7", taken) == "template_7");
  CHECK(importer::unique_name("and", "x", taken) == "and_");
  CHECK(importer::unique_name("", "sequence_?", taken) == "sequence");
  CHECK(importer::unique_name("", "", taken) == "n");
}

TEST_CASE("durations are whole units of at most 30 days each", "[import]") {
  CHECK(importer::duration_literals(0).empty());
  CHECK(importer::duration_literals(1440) == std::vector<std::string>{"1d"});
  CHECK(importer::duration_literals(1500) == std::vector<std::string>{"25h"});
  CHECK(importer::duration_literals(1441) == std::vector<std::string>{"1441m"});
  CHECK(importer::duration_literals(35 * 1440) == std::vector<std::string>{"30d", "5d"});
}

TEST_CASE("Outreach's variables read back as merge fields", "[import]") {
  const exporter::Variables& variables = exporter::outreach_variables();
  const importer::MergeFields fields = importer::merge_fields_from(
      "Hi {{first_name}} at {{account.name}}, {{custom1}} {{sender.first_name}} {{sender.last_name}} {{ {{email}} {{ "
      "open",
      variables, "lead");
  CHECK(fields.text ==
        "Hi {{lead.firstname}} at {{lead.companyname}}, [custom1] {{owner.fullname}} { { {{lead.emailaddress1}} { { "
        "open");
  CHECK(fields.unknown == std::set<std::string>{"{{custom1}}"});
}

TEST_CASE("email HTML reads as paragraphs and lines of text", "[import]") {
  // What `cadence export` writes reads back exactly.
  CHECK(importer::text_from_html("<p>Hi,</p><p>a<br>b &amp; c</p><p>bye</p>").text == "Hi,\n\na\nb & c\n\nbye");
  // Editors write a line per <div> and a blank line as <div><br></div>.
  const importer::PlainText divs =
      importer::text_from_html("<div>Hi,</div><div><br></div><div>one</div><div>two</div>");
  CHECK(divs.text == "Hi,\n\none\ntwo");
  CHECK(divs.dropped.empty());
  const importer::PlainText rich = importer::text_from_html(
      "<p>The <b>worst</b>   day, see <a href=\"https://x.test/a\">this</a> or <a "
      "href='https://x.test/b'>https://x.test/b</a>"
      "&#39;&#x2019;&nbsp;<!-- a > b --></p>");
  CHECK(rich.text == "The worst day, see this (https://x.test/a) or https://x.test/b'\xE2\x80\x99");
  CHECK(rich.dropped == std::set<std::string>{"b", "comment"});
  CHECK(importer::text_from_html("a < b and &unknown; &#0;").text == "a < b and &unknown; &#0;");
}

TEST_CASE("lists and named characters of email HTML read as text", "[import]") {
  const importer::PlainText list =
      importer::text_from_html("<p>Agenda:</p><ul><li>one</li><li> two </li></ul><p>see you &ndash; A&hellip;</p>");
  CHECK(list.text == "Agenda:\n\n- one\n- two\n\nsee you \xE2\x80\x93 A\xE2\x80\xA6");
  CHECK(list.dropped == std::set<std::string>{"li", "ul"});
}

TEST_CASE("a HubSpot read imports whatever the spacing of its variables and the type of its ids", "[import]") {
  // Templates name variables with or without spaces inside the braces; ids
  // are strings, or numbers in older versions; the create answer wraps the
  // sequence in `sequence`; members of the wrong type are read as missing.
  const nlohmann::json sequence = nlohmann::json::parse(R"({"sequence": {
    "id": 77, "name": "Trial", "dependencies": "none", "settings": {"eligibleFollowUpDays": 3},
    "steps": [
      {"stepOrder": 1, "actionType": "TASK", "delayMillis": 90061000,
       "taskPattern": {"taskType": "CALL", "taskPriority": "NONE", "subject": "Call: first call",
                       "notes": "Ask {{contact.firstname}} about {{ contact.company }}"}},
      {"stepOrder": 0, "actionType": "EMAIL", "delayMillis": "soon", "emailPattern": {"templateId": 9}},
      {"stepOrder": 2, "actionType": "TASK", "delayMillis": 0, "taskPattern": {"taskType": ["CALL"]}}
    ]}})");
  const nlohmann::json templates = nlohmann::json::parse(
      R"({"results": [{"id": "9", "name": "hello", "subject": "Hi {{contact.firstname}}", "body": "<p>x</p>"}, 4]})");
  const importer::Result result = importer::import_from("hubspot", {{"seq.json", sequence}, {"t.json", templates}});
  REQUIRE(result.problems() == 0);
  INFO(result.source);
  CHECK(result.source.find("subject \"Hi {{lead.firstname}}\"") != std::string::npos);
  CHECK(result.source.find("email email_1 { template hello mode auto }\n  wait 1501m\n"
                           "  call first_call { script \"Ask {{lead.firstname}} about {{lead.companyname}}\" }") !=
        std::string::npos);
  CHECK(result.source.find("task task_3 { note \"a task without a type\" }") != std::string::npos);
  CHECK(result.source.find("calendar business") != std::string::npos);
  CHECK(result.identities["sequences"]["trial"]["records"]["sequence"]["id"] == "77");
}
