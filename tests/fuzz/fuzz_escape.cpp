// libFuzzer target: user text in every XML the tools write, parsed back by
// real parsers. The input is up to four pieces of text (separated by 0x1E)
// placed in a sequence's title, team, template, segment values, exit
// reason, script and note. When the file checks clean, each output that is
// XML must parse with libxml2: the segment's FetchXML and the three report
// queries, the simulator's SVG chart, Outreach's HTML bodies (as XHTML), and
// the flow graph drawn by Graphviz itself (its DOT read by cgraph, laid out
// and rendered to SVG, as `cadence graph | dot -Tsvg` and the playground's
// Flow pane do).
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <libxml/parser.h>

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "driver/run.hpp"
#include "emit/graph.hpp"
#include "emit/plan.hpp"
#include "export/target.hpp"
#include "sim/simulate.hpp"

namespace {

void quiet(void*, const char*, ...) {}

/// Whether `text` is a well-formed XML document.
bool well_formed(std::string_view text) {
  xmlDocPtr document = xmlReadMemory(text.data(), static_cast<int>(text.size()), "fuzz.xml", "UTF-8",
                                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (document == nullptr) return false;
  xmlFreeDoc(document);
  return true;
}

void require_xml(std::string_view text) {
  if (!well_formed(text)) __builtin_trap();
}

/// A piece of input as the inside of a string literal: quotes and line
/// breaks escaped, backslash escapes (\u{...}) left to the fuzzer.
std::string literal(std::string_view piece) {
  std::string out;
  for (const char c : piece) {
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == '\\') out += '\\';
  return out;
}

/// The SVG Graphviz draws from `dot`, or nothing when cgraph cannot read it.
std::optional<std::string> render_svg(const std::string& dot) {
  static GVC_t* context = gvContext();
  Agraph_t* graph = agmemread(dot.c_str());
  if (graph == nullptr) return std::nullopt;
  std::optional<std::string> svg;
  if (gvLayout(context, graph, "dot") == 0) {
    char* data = nullptr;
    unsigned int length = 0;
    if (gvRenderData(context, graph, "svg", &data, &length) == 0 && data != nullptr) svg.emplace(data, length);
    gvFreeRenderData(data);
    gvFreeLayout(context, graph);
  }
  agclose(graph);
  return svg;
}

}  // namespace

/// Points Graphviz at a plugin folder with its core (SVG) and dot layout
/// only: without the pango plugin, text is measured by Graphviz's own
/// tables instead of fontconfig, which would cost a second per layout.
void graphviz_without_fonts() {
  const std::filesystem::path system = CADENCE_GRAPHVIZ_PLUGINS;
  std::ifstream config(system / "config6a");
  if (!config) return;
  // Beside the executable: every run writes the same configuration, and
  // nothing is left behind in the system's temporary folder.
  std::error_code error;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return;
  const std::filesystem::path folder = executable.parent_path() / "graphviz-without-fonts";
  std::filesystem::create_directories(folder);
  std::ofstream kept(folder / "config6a");
  std::string line;
  int depth = 0;
  bool keep = false;
  while (std::getline(config, line)) {
    if (depth == 0 && line.starts_with("libgvplugin_")) {
      const std::string library = line.substr(0, line.find(' '));
      keep = library.starts_with("libgvplugin_core.") || library.starts_with("libgvplugin_dot_layout.");
      if (keep) {
        std::error_code ignored;
        std::filesystem::create_symlink(system / library, folder / library, ignored);
      }
    }
    for (const char c : line) depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    if (keep) kept << line << '\n';
  }
  ::setenv("GVBINDIR", folder.c_str(), 1);
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  graphviz_without_fonts();
  xmlInitParser();
  xmlSetGenericErrorFunc(nullptr, quiet);
  agseterr(AGMAX);  // Graphviz keeps its messages to itself
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cadence;
  if (size > 4096) return 0;
  std::vector<std::string> pieces;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (pieces.size() < 3) {
    const std::size_t cut = rest.find('\x1e');
    if (cut == std::string_view::npos) break;
    pieces.push_back(literal(rest.substr(0, cut)));
    rest.remove_prefix(cut + 1);
  }
  pieces.push_back(literal(rest));
  while (pieces.size() < 4) pieces.push_back("x");
  const std::string text =
      "import \"std/lead\"\n"
      "template t for lead {\n  subject \"" +
      pieces[0] + "\"\n  body \"" + pieces[1] +
      "\"\n}\n"
      "segment seg on lead {\n  where companyname == \"" +
      pieces[2] + "\" or lastname contains \"" + pieces[3] +
      "\"\n}\n"
      "sequence s {\n  title \"" +
      pieces[0] + "\"\n  team \"" + pieces[1] + "\"\n  target lead\n  segment seg\n  on replied exit \"" + pieces[2] +
      "\"\n  on bounced exit\n  on unsubscribed exit\n  email e { template t }\n  wait 1d\n"
      "  call c { script \"" +
      pieces[3] + "\" }\n  wait 1d\n  task k { note \"" + pieces[2] + "\" }\n}\n";

  static DiskFileSystem disk;
  OverlayFileSystem files(&disk);
  files.set("/fuzz/escape.cadence", text);
  Workspace workspace(files, CADENCE_STDLIB_BUILD_DIR);
  RunOptions options;
  options.jobs = 1;
  options.keep_analysis = true;
  const RunResult run = run_checks(workspace, {"/fuzz/escape.cadence"}, options);
  const FileReport& report = run.files.front();
  if (report.checked == nullptr || report.checked->error_count != 0) return 0;

  const nlohmann::ordered_json plan = build_plan(*report.checked);
  for (const auto& sequence : plan["sequences"]) {
    if (sequence["segment"].is_object()) require_xml(sequence["segment"]["fetchxml"].get<std::string>());
    for (const auto& [name, query] : sequence["reports"].items()) {
      if (query.is_string()) require_xml(query.get<std::string>());
    }
  }
  if (const auto svg = render_svg(graph_dot(*report.checked))) {
    require_xml(*svg);
  } else {
    __builtin_trap();  // the DOT we write must be DOT
  }
  SimulationOptions simulation;
  simulation.days = 3;
  std::string problem;
  const std::optional<cadence::plan::Plan> typed = read_plan(plan, problem);
  if (!typed) __builtin_trap();  // a plan we build is a plan we read
  require_xml(simulation_svg(simulate(*typed, simulation)));
  const exporter::Target& outreach = *exporter::find_target("outreach");
  const exporter::SequenceExport exported = outreach.export_sequence(typed->sequences.at(0));
  for (const exporter::Request& request : exported.requests) {
    const auto& attributes = request.body["data"]["attributes"];
    if (!attributes.contains("bodyHtml")) continue;
    // Paragraphs and <br>: as XHTML (<br/>), the body must parse, so the
    // user's text added no markup.
    std::string html = attributes["bodyHtml"].get<std::string>();
    for (std::size_t at = 0; (at = html.find("<br>", at)) != std::string::npos; at += 5) html.replace(at, 4, "<br/>");
    require_xml("<div>" + html + "</div>");
  }
  return 0;
}
