// Machine formats for CI: SARIF 2.1.0 (GitHub code scanning) and GitHub
// Actions workflow-command annotations.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "diag/diagnostic.hpp"

namespace cadence {

/// A SARIF 2.1.0 log with one run: every diagnostic kind as a rule (short
/// and full descriptions, help, helpUri, default level) and one result per
/// diagnostic with a region and partial fingerprints. Paths are made relative
/// to the current directory when they lie below it.
[[nodiscard]] nlohmann::ordered_json sarif_log(const std::vector<Diagnostic>& diagnostics);

/// The log around `results` (an array): the tool, its rules, the run.
[[nodiscard]] nlohmann::ordered_json sarif_log_with(nlohmann::ordered_json results);

/// One result. `occurrences` numbers repeated fingerprints within a file:
/// pass the same map for the diagnostics of one file, in order.
[[nodiscard]] nlohmann::ordered_json sarif_result(const Diagnostic& diagnostic,
                                                  std::map<std::string, int>& occurrences);
/// The same result as JSON text, laid out as nlohmann::json's dump(2) lays
/// it out `depth` levels deep in a document; appended to `out`.
void append_sarif_result(std::string& out, const Diagnostic& diagnostic, std::map<std::string, int>& occurrences,
                         std::size_t depth);

/// One `::error file=...,line=...::message` line per diagnostic.
[[nodiscard]] std::string github_annotations(const std::vector<Diagnostic>& diagnostics);
[[nodiscard]] std::string github_annotation(const Diagnostic& diagnostic);

}  // namespace cadence
