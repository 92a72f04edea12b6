// Lints: the rules that protect a sequence's prospects and its sending
// domain. Each rule is one file in compiler/lint/ with one function; the
// registry in lint.cpp lists them. Rules read the checked IR and report
// through a consumer; configuration and suppressions are applied afterwards.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "diag/diagnostic.hpp"
#include "sema/analysis.hpp"
#include "sema/check.hpp"
#include "sim/load.hpp"

namespace cadence {

/// Rule options (cadence.toml [lint.RULE] tables).
struct LintOptions {
  /// touch-count: the silent path should have between these many touches.
  uint32_t touch_count_min = 6;
  uint32_t touch_count_max = 10;
  /// no-engagement-branch: this many emails on the silent path with no
  /// engagement check between them that changes what comes next.
  uint32_t no_engagement_emails = 3;
  /// throttle-overrun: what the platform sends per owner per day at most; a
  /// `limit email` above it does not raise it.
  int64_t email_ceiling_per_day = kDefaultEmailCeilingPerDay;
  /// Where that ceiling comes from when an export target sets it ("Outreach's
  /// 5,000 emails a week per mailbox"); empty for `email-ceiling`.
  std::string ceiling_origin;
  /// throttle-overrun: the per-owner daily email limit when a sequence sets none.
  int64_t default_email_limit_per_day = kDefaultEmailLimitPerDay;
  /// The configured export targets that cannot run a construct a lint would
  /// ask for, as a sentence names them ("Outreach"); empty when every target
  /// can (or none is configured). No lint asks for what one of them cannot
  /// run (docs/diagnostics.md, "Lints and export targets").
  std::string targets_without_branches;
  std::string targets_without_fallbacks;
  std::string targets_without_ooo_pause;

  bool operator==(const LintOptions&) const = default;
};

/// What a rule sees: one checked module (the file being linted) and the rest
/// of the run (for rules that look across files).
struct LintContext {
  const CheckResult& checked;
  const LintOptions& options;
  DiagnosticConsumer& out;
};

/// A rule over one module.
struct LintRule {
  DiagnosticKind kind;
  void (*run)(const LintContext& context);
};

/// Every per-module rule, in table order.
[[nodiscard]] std::span<const LintRule> lint_rules();

/// Runs every per-module rule on `checked` (which should have no errors).
void lint_module(const CheckResult& checked, const LintOptions& options, DiagnosticConsumer& out);

/// What the rules across files need from one clean module, taken while the
/// module is loaded, so that a run over many files can release each module
/// (and even its text) once it is checked. Positions are spans in `source`.
struct RunFacts {
  /// The module's text; a run may drop it and supply it again on demand.
  std::shared_ptr<const Source> source;

  /// throttle-overrun: one entry per sequence with an expected volume.
  struct EmailLoad {
    /// The team; for a sequence without one, a key unique to the sequence.
    std::string team_key;
    std::string team;
    std::string sequence;
    double enroll_per_day = 0;
    /// Emails on the silent path (nobody engages), and expected under the
    /// default engagement rates.
    uint32_t silent_emails = 0;
    double expected_emails = 0;
    /// The sequence the silent path's exit hands off to, if any, and the
    /// chance of a handoff to each sequence under the default rates.
    std::string handoff;
    std::map<std::string, double> expected_handoffs;
    /// The sequence's part in the shared load model: its silent path and
    /// its limits (email capped at the ceiling).
    SequenceLoad load;
    /// The sequence's own `limit email` per day, if it sets one.
    std::optional<double> own_limit;
    double default_limit = 0;
    /// The platform's ceiling, which a higher own limit does not lift.
    double ceiling = 0;
    Span enroll;
    Span name;
  };
  std::vector<EmailLoad> email_loads;
  /// throttle-overrun: `limit email` settings above the platform's ceiling.
  struct LimitOverCeiling {
    std::string sequence;
    double limit = 0;
    double ceiling = 0;
    /// LintOptions::ceiling_origin.
    std::string origin;
    Span at;
  };
  std::vector<LimitOverCeiling> limits_over_ceiling;

  /// unused-definition: definitions of a file with sequences that the file
  /// itself does not use (only another file can), and every use of a
  /// definition (in any module) by this file.
  struct Definition {
    std::string_view what;
    std::string name;
    Span at;
  };
  std::string module_path;
  std::vector<Definition> definitions;
  /// The modules this file uses definitions of, and each distinct use as
  /// (index into used_modules, offset of the definition's name).
  std::vector<std::string> used_modules;
  std::vector<std::pair<uint32_t, uint32_t>> uses;

  /// duplicate-definition across files: the sequences this file defines.
  struct SequenceName {
    std::string name;
    Span at;
  };
  std::vector<SequenceName> sequences;
  /// A quick scan of the run found a name this file may share with another
  /// file, so the run's rule on sequence names may report on it.
  bool may_share_a_name = false;

  /// The root of the project the file belongs to (support/paths.hpp's
  /// Project): teams and sequence names are per project.
  std::string project;

  /// False for a file checked only as context (another file of the project
  /// of the files asked for): rules across files count its facts but never
  /// report on it.
  bool reported = true;

  /// True when rules across files may still report on this file: it has
  /// sequences of a team, definitions only other files could use, or may
  /// share a sequence name with another file.
  [[nodiscard]] bool open() const;
};

/// Collects `checked`'s facts for the rules across files.
[[nodiscard]] RunFacts collect_run_facts(const CheckResult& checked, const LintOptions& options);

/// The text a file's facts point into (called only for files with findings).
using SourceOfFacts = std::function<const Source*(const RunFacts&)>;

/// The part of the rules across files that one file decides alone:
/// throttle-overrun for its sequences without a team.
void lint_file_facts(const RunFacts& facts, DiagnosticConsumer& out);

/// Rules that look at every file of a run at once: throttle-overrun (sums
/// the email load of sequences sharing a team), unused-definition (an item
/// another file uses is used) and duplicate-definition of a sequence name in
/// two files of a project. Only files that are open() can get a
/// finding. Without `source_of`, each file's `source` is used.
void lint_run(const std::vector<const RunFacts*>& files, DiagnosticConsumer& out, const SourceOfFacts& source_of = {});

/// duplicate-definition of a sequence name that `others` define too (other
/// files of the project): the run's rule and `cadence build` say it alike.
[[nodiscard]] Diagnostic duplicate_sequence(std::string_view name, const Location& at,
                                            const std::vector<Location>& others);

/// The sequences of `module` that another file of its project defines too,
/// found through the workspace's scan of the project (for one file built
/// alone; a run over files uses its own facts).
[[nodiscard]] std::vector<Diagnostic> duplicates_in_project(const Module& module);

// Helpers shared by the rules -------------------------------------------------

/// The location of a node's statement (the sequence name for the implicit end).
[[nodiscard]] Location node_location(const SequenceIr& ir, uint32_t node);
/// The location of a node's label when it has one, else its statement.
[[nodiscard]] Location node_label_location(const SequenceIr& ir, uint32_t node);
/// How people name a node in messages: "email 'intro'", "the wait at line 12".
[[nodiscard]] std::string describe_node(const SequenceIr& ir, uint32_t node);

/// The handler for `event`, if the sequence has one with an exit action.
[[nodiscard]] const ast::Handler* exit_handler(const SequenceIr& ir, std::string_view event);

/// True when `condition` holding implies the prospect replied (a `replied`
/// signal, possibly and-ed with others).
/// True when `condition` holding means `signal` fired (a signal, an `and`
/// with it, or an `or` of such).
[[nodiscard]] bool implies_signal(const ast::Expr& condition, std::string_view signal);
[[nodiscard]] bool implies_reply(const ast::Expr& condition);

/// The edit that inserts a handler line into the sequence, after the last
/// setting or handler (or after the opening brace).
[[nodiscard]] Fix insert_handler_fix(const SequenceIr& ir, std::string_view handler_text, bool safe);

}  // namespace cadence
