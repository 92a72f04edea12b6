// Sequences as pictures: Graphviz DOT and Mermaid flowcharts. Activities are
// shaped and coloured by channel, waits label the arrows through them, branch
// arms are labelled, exits show their reason and outcome, and the handlers
// that apply at any time stand beside the flow.
#pragma once

#include <string>

#include "sema/check.hpp"

namespace cadence {

/// One `digraph` with a cluster per sequence of the module.
[[nodiscard]] std::string graph_dot(const CheckResult& checked);
/// One `flowchart TD` with a subgraph per sequence (renders on GitHub).
[[nodiscard]] std::string graph_mermaid(const CheckResult& checked);

}  // namespace cadence
