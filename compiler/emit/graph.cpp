#include "emit/graph.hpp"

#include <fmt/format.h>

#include "support/duration.hpp"
#include "support/escape.hpp"

#include "sema/analysis.hpp"

namespace cadence {
namespace {

/// A duration as written (`10d` stays `10d` even where it is also `2w`).
std::string written(const ast::Duration& duration) {
  return fmt::format("{}{}", duration.amount, static_cast<char>(duration.unit));
}

std::string condition_text(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::Expr::Kind::Signal:
      return expr.step.empty() ? std::string(expr.signal.text)
                               : fmt::format("{}({})", expr.signal.text, expr.step.text);
    case ast::Expr::Kind::Not:
      return "not " + (expr.operands.empty() ? std::string() : condition_text(expr.operands[0]));
    default: {
      std::string out;
      for (std::size_t i = 0; i < expr.operands.size(); ++i) {
        if (i > 0) out += expr.kind == ast::Expr::Kind::And ? " and " : " or ";
        const bool group =
            expr.operands[i].kind == ast::Expr::Kind::And || expr.operands[i].kind == ast::Expr::Kind::Or;
        out += group ? "(" + condition_text(expr.operands[i]) + ")" : condition_text(expr.operands[i]);
      }
      return out;
    }
  }
}

std::string outcome_text(const ast::ExitSpec& exit) {
  switch (exit.outcome) {
    case ast::OutcomeKind::CreateOpportunity: return "create opportunity";
    case ast::OutcomeKind::Qualify: return "qualify";
    case ast::OutcomeKind::Disqualify: return "disqualify";
    case ast::OutcomeKind::Handoff: return fmt::format("hand off to {}", exit.handoff.text);
    case ast::OutcomeKind::None: break;
  }
  return {};
}

/// The drawn graph: waits are not nodes but labels on the edges through
/// them; a start node stands for enrolment.
struct Drawn {
  struct Node {
    std::string id;
    std::string label;
    Channel channel = Channel::None;
    StepKind kind = StepKind::Exit;
  };
  struct Arrow {
    std::string from, to, label;
  };
  std::vector<Node> nodes;
  std::vector<Arrow> arrows;
  std::vector<std::string> handlers;
};

std::string node_label(const SequenceIr& ir, const IrNode& node) {
  const ast::Stmt* stmt = node.stmt;
  if (stmt == nullptr) return "exit: completed";
  switch (node.kind) {
    case StepKind::Email: {
      std::string templates;
      for (const ast::Property& property : stmt->properties) {
        if (property.kind == ast::PropertyKind::Template || property.kind == ast::PropertyKind::Variant) {
          if (!templates.empty()) templates += " / ";
          templates += property.kind == ast::PropertyKind::Variant
                           ? fmt::format("{} {}%", property.ref.text, property.percent)
                           : std::string(property.ref.text);
        }
      }
      return fmt::format("email {}\n{}", stmt->label.text, templates);
    }
    case StepKind::Linkedin: return fmt::format("linkedin {}\n{}", stmt->linkedin_kind.text, stmt->label.text);
    case StepKind::Branch:
      return stmt->condition ? condition_text(*stmt->condition) +
                                   (stmt->has_within ? fmt::format("\nwithin {}", written(stmt->duration)) : "")
                             : "branch";
    case StepKind::OutcomeBranch: return fmt::format("outcome of {}", stmt->target.text);
    case StepKind::Exit: {
      std::string text = fmt::format("exit: {}", stmt->exit.reason ? stmt->exit.reason->value : "completed");
      const std::string outcome = outcome_text(stmt->exit);
      if (!outcome.empty()) text += "\n" + outcome;
      return text;
    }
    case StepKind::Wait: return "wait";
    default: break;
  }
  // A step of text properties (cadence/steps.def): its kind and label, then
  // the names it gives (a custom activity's table); its texts are too long.
  std::string text = fmt::format("{} {}", step_kind_name(node.kind), stmt->label.text);
  for (const ast::Property& property : stmt->properties) {
    const auto kind = ast::step_text(property.kind);
    if (kind && vocabulary::value_of(*kind) != vocabulary::TextValue::Merge) {
      text += '\n';
      text += property.text.value;
    }
  }
  (void)ir;
  return text;
}

/// `number` tells sequences apart: node ids are s<sequence>_<step index>,
/// safe in both DOT and Mermaid and never colliding with labels.
Drawn draw(const SequenceIr& ir, std::size_t number) {
  Drawn drawn;
  const std::string prefix = fmt::format("s{}_", number);
  auto id_of = [&](uint32_t index) { return prefix + std::to_string(index); };
  // Follow waits: the first non-wait node and the total wait on the way,
  // as written when it is one wait.
  auto through_waits = [&](uint32_t index, std::string& label) {
    int64_t waited = 0;
    int waits = 0;
    while (ir.nodes[index].kind == StepKind::Wait && !ir.nodes[index].successors.empty()) {
      waited += ir.nodes[index].successors.front().min_delay;
      label = ir.nodes[index].stmt != nullptr ? written(ir.nodes[index].stmt->duration) : "";
      ++waits;
      index = ir.nodes[index].successors.front().target;
    }
    if (waits != 1 || label.empty()) label = waited > 0 ? duration_text(waited, ir.business_calendar) : "";
    return index;
  };
  drawn.nodes.push_back({prefix + "start", "enrolment", Channel::None, StepKind::Wait});
  std::string waited;
  const uint32_t first = through_waits(ir.entry, waited);
  drawn.arrows.push_back({prefix + "start", id_of(first), waited.empty() ? "" : "wait " + waited});
  for (uint32_t i = 0; i < ir.nodes.size(); ++i) {
    const IrNode& node = ir.nodes[i];
    if (!ir.reachable[i] || node.kind == StepKind::Wait) continue;
    drawn.nodes.push_back({id_of(i), node_label(ir, node), node.channel, node.kind});
    for (const Edge& edge : node.successors) {
      std::string wait;
      const uint32_t target = through_waits(edge.target, wait);
      std::string label;
      if (edge.arm != "next") label = std::string(edge.arm);
      if (node.kind == StepKind::Branch && edge.arm == "no" && edge.min_delay > 0) {
        label += fmt::format(" (after {})", duration_text(edge.min_delay, ir.business_calendar));
      }
      if (!wait.empty()) label += std::string(label.empty() ? "" : ", ") + "wait " + wait;
      if (edge.via_goto) label += label.empty() ? "goto" : ", goto";
      drawn.arrows.push_back({id_of(i), id_of(target), label});
    }
  }
  for (const ast::Handler* handler : ir.handlers) {
    drawn.handlers.push_back(
        handler->is_pause
            ? fmt::format("on {}: pause {}", handler->event.text, written(handler->pause))
            : fmt::format("on {}: exit{}{}", handler->event.text,
                          handler->exit.reason ? fmt::format(" \"{}\"", handler->exit.reason->value) : std::string(),
                          handler->exit.outcome == ast::OutcomeKind::None ? std::string()
                                                                          : ", " + outcome_text(handler->exit)));
  }
  return drawn;
}

/// Applies `escape_line` to each line of a label (user text made visible
/// first: control characters would make Graphviz write invalid SVG) and
/// joins the lines with `line_break`.
template <typename EscapeLine>
std::string escape_label(std::string_view text, std::string_view line_break, EscapeLine escape_line) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t newline = text.find('\n', start);
    const std::string line =
        visible(text.substr(start, newline == std::string_view::npos ? text.size() - start : newline - start));
    escape_line(line, out);
    if (newline == std::string_view::npos) break;
    out += line_break;
    start = newline + 1;
  }
  return out;
}

std::string dot_escape(std::string_view text) {
  return escape_label(text, "\\n", [](const std::string& line, std::string& out) {
    for (const char c : line) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
  });
}

struct Style {
  const char* shape;
  const char* fill;
};

Style style_of(const Drawn::Node& node) {
  switch (node.channel) {
    case Channel::Email: return {"box", "#cfe2ff"};
    case Channel::Sms: return {"box", "#fff3cd"};
    case Channel::Call: return {"ellipse", "#d1e7dd"};
    case Channel::Linkedin: return {"box", "#b6d4fe"};
    case Channel::Task: return {"note", "#e9ecef"};
    case Channel::None: break;
  }
  switch (node.kind) {
    case StepKind::Branch:
    case StepKind::OutcomeBranch: return {"diamond", "#ffffff"};
    case StepKind::Exit: return {"doubleoctagon", "#f8d7da"};
    default: return {"circle", "#ffffff"};
  }
}

std::string mermaid_escape(std::string_view text) {
  return escape_label(text, "<br/>", [](const std::string& line, std::string& out) {
    for (const char c : line) {
      if (c == '"')
        out += "#quot;";
      else if (c == '<')
        out += "#lt;";
      else if (c == '>')
        out += "#gt;";
      else if (c == '#')
        out += "#35;";
      else
        out += c;
    }
  });
}

}  // namespace

std::string graph_dot(const CheckResult& checked) {
  std::string out =
      "digraph cadence {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=11, style=filled];\n"
      "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (std::size_t number = 0; number < checked.sequences.size(); ++number) {
    const SequenceIr& ir = checked.sequences[number];
    const Drawn drawn = draw(ir, number);
    const std::string name(ir.sequence->name.text);
    out += fmt::format("  subgraph cluster_{} {{\n    label=\"sequence {}{}\";\n    style=rounded;\n", name, name,
                       ir.title.empty() ? std::string() : ": " + dot_escape(ir.title));
    for (const Drawn::Node& node : drawn.nodes) {
      const Style style = style_of(node);
      out += fmt::format("    \"{}\" [label=\"{}\", shape={}, fillcolor=\"{}\"];\n", node.id, dot_escape(node.label),
                         style.shape, style.fill);
    }
    for (const Drawn::Arrow& arrow : drawn.arrows) {
      out += fmt::format("    \"{}\" -> \"{}\"{};\n", arrow.from, arrow.to,
                         arrow.label.empty() ? std::string() : fmt::format(" [label=\"{}\"]", dot_escape(arrow.label)));
    }
    if (!drawn.handlers.empty()) {
      std::string text = "at any time";
      for (const std::string& handler : drawn.handlers) text += "\n" + handler;
      out += fmt::format("    \"s{}_handlers\" [label=\"{}\", shape=note, fillcolor=\"#fff8e1\"];\n", number,
                         dot_escape(text));
      out += fmt::format("    \"s{}_handlers\" -> \"s{}_start\" [style=invis];\n", number, number);
    }
    out += "  }\n";
  }
  out += "}\n";
  return out;
}

std::string graph_mermaid(const CheckResult& checked) {
  std::string out = "flowchart TD\n";
  out +=
      "  classDef email fill:#cfe2ff,stroke:#084298\n  classDef sms fill:#fff3cd,stroke:#997404\n"
      "  classDef call fill:#d1e7dd,stroke:#0f5132\n  classDef linkedin fill:#b6d4fe,stroke:#0a58ca\n"
      "  classDef task fill:#e9ecef,stroke:#495057\n  classDef exit fill:#f8d7da,stroke:#842029\n"
      "  classDef handlers fill:#fff8e1,stroke:#997404\n";
  for (std::size_t number = 0; number < checked.sequences.size(); ++number) {
    const SequenceIr& ir = checked.sequences[number];
    const Drawn drawn = draw(ir, number);
    const std::string name(ir.sequence->name.text);
    out += fmt::format("  subgraph s{}[\"sequence {}\"]\n", number, mermaid_escape(name));
    for (const Drawn::Node& node : drawn.nodes) {
      const std::string label = mermaid_escape(node.label);
      std::string shape;
      switch (node.kind) {
        case StepKind::Branch:
        case StepKind::OutcomeBranch: shape = fmt::format("{{\"{}\"}}", label); break;
        case StepKind::Exit: shape = fmt::format("([\"{}\"])", label); break;
        case StepKind::Wait: shape = fmt::format("((\"{}\"))", label); break;
        case StepKind::Call: shape = fmt::format("(\"{}\")", label); break;
        default: shape = fmt::format("[\"{}\"]", label); break;
      }
      out += fmt::format("    {}{}\n", node.id, shape);
      if (node.channel != Channel::None) out += fmt::format("    class {} {}\n", node.id, channel_name(node.channel));
      if (node.kind == StepKind::Exit) out += fmt::format("    class {} exit\n", node.id);
    }
    for (const Drawn::Arrow& arrow : drawn.arrows) {
      out += arrow.label.empty()
                 ? fmt::format("    {} --> {}\n", arrow.from, arrow.to)
                 : fmt::format("    {} -->|\"{}\"| {}\n", arrow.from, mermaid_escape(arrow.label), arrow.to);
    }
    if (!drawn.handlers.empty()) {
      std::string text = "at any time";
      for (const std::string& handler : drawn.handlers) text += "\n" + handler;
      out += fmt::format("    s{}_handlers[\"{}\"]\n    class s{}_handlers handlers\n", number, mermaid_escape(text),
                         number);
    }
    out += "  end\n";
  }
  return out;
}

}  // namespace cadence
