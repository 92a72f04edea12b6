// What the export targets share: reading a plan sequence as the straight
// line of touches the platforms run, findings with plan locations, and
// merge fields rendered in a platform's variable syntax.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "emit/plan_read.hpp"
#include "export/target.hpp"
#include "support/duration.hpp"

namespace cadence::exporter {

/// Collects the findings of one sequence, each located at its step (or at
/// the sequence).
class Findings {
 public:
  explicit Findings(const plan::Sequence& sequence);
  void add(Fidelity fidelity, std::string subject, std::string message, std::string help = {}, bool warn = true);
  /// A finding about a step of the plan, at the step's location.
  void at_step(const plan::Step& step, Fidelity fidelity, std::string message, std::string help = {}, bool warn = true);
  [[nodiscard]] bool unsupported() const { return unsupported_; }
  [[nodiscard]] std::vector<Finding> take() { return std::move(findings_); }

 private:
  const plan::Sequence& sequence_;
  std::map<std::string_view, const plan::Step*, std::less<>> steps_;
  std::vector<Finding> findings_;
  bool unsupported_ = false;
};

/// A touch of a straight-line flow and when it is due.
struct Touch {
  const plan::Step* step = nullptr;
  /// Minutes from enrolment (the plan's earliest timing).
  int64_t offset_minutes = 0;
  /// Minutes since the previous touch (or enrolment, for the first).
  int64_t delay_minutes = 0;
};

/// A sequence the platforms can run: one line of touches to an exit.
struct Flow {
  std::vector<Touch> touches;
  /// The exit the line ends at (null when the plan has none).
  const plan::Step* exit = nullptr;
  /// Minutes between the last touch and the exit (a wait before it).
  int64_t trailing_minutes = 0;
};

/// Reads `sequence` as a straight line. Branches and SMS steps cannot be
/// exported to any target (`why_no_branches` and `sms_types` say why for
/// this one: "its step types are ..."): each, wherever it is, is reported
/// Unsupported, and no flow is returned for a sequence with branches. Exit
/// outcomes (`then ...`) are reported dropped; a wait before the exit is
/// left to the caller.
[[nodiscard]] std::optional<Flow> read_flow(const plan::Sequence& sequence, std::string_view target_title,
                                            std::string_view why_no_branches, std::string_view sms_types,
                                            Findings& findings);

/// How a platform writes merge fields: its variables for fields of the
/// enrolled record and of its owner (the sender), by the field's name.
struct Variables {
  std::map<std::string_view, std::string_view> record;
  std::map<std::string_view, std::string_view> owner;

  /// The variable for a field, if the platform has one.
  [[nodiscard]] std::optional<std::string> of(bool of_owner, std::string_view field) const;
};

/// Whether the platforms know the step by its kind (email, sms, call,
/// linkedin, task: the kinds named like their channel), or only by its
/// channel: a kind of seller activity they have no step type for becomes
/// its channel's step, approximated (approximate_as_task).
[[nodiscard]] bool native_kind(const plan::Step& step);

/// A kind of seller activity the platform has no step type for, as the
/// platform's task, reported approximated at the step. A custom activity
/// (Dynamics 365's custom activity tables) gets a note saying which
/// activity to record. `as` is what the target made of it ("task step 3").
/// Returns the note.
std::string approximate_as_task(const plan::Step& step, std::string note, std::string_view target_title,
                                std::string_view as, Findings& findings);

/// A text of the plan ({text, merge_fields}) in a platform's syntax.
struct Rendered {
  std::string text;
  /// Merge fields the platform has no variable for ("{{lead.industrycode}}").
  std::set<std::string> unknown;
  /// Fallbacks the platform's variables do not carry ("there").
  std::set<std::string> fallbacks;
  /// Template code in the user's own text ("{% if", "{#"): the platforms'
  /// template engines (Liquid, HubL) would run it, not show it.
  std::set<std::string> template_code;
};
/// As plain text; with `html`, escaped and laid out in paragraphs (a blank
/// line) and lines (<br>), the way email bodies are sent.
[[nodiscard]] Rendered render_text(const plan::Text& text, const Variables& variables, bool html);

/// Reports a wait between the last touch and the exit, which a platform
/// whose sequences finish with their last step drops (`finishes` says so:
/// "an Outreach sequence").
void report_trailing_wait(const Flow& flow, std::string_view finishes, Findings& findings);

/// Reports what rendering lost: unknown fields make the step Unsupported,
/// lost fallbacks an approximation. `what` names the text ("template
/// 'connect_intro'", "the call script").
void report_rendering(const plan::Step& step, const Rendered& rendered, std::string_view what,
                      std::string_view target_title, Findings& findings);

/// The templates an email step sends: its template, or its variants'
/// (name, percent) in order.
struct Variant {
  std::string name;
  std::string template_name;
  int64_t percent = 100;
};
[[nodiscard]] std::vector<Variant> email_variants(const plan::Step& step);

/// The templates of a plan sequence, by name.
class Templates {
 public:
  explicit Templates(const plan::Sequence& sequence);
  /// The template of that name, or null.
  [[nodiscard]] const plan::Template* find(std::string_view name) const;

 private:
  std::map<std::string_view, const plan::Template*, std::less<>> by_name_;
};

/// A template of the plan in a platform's syntax: its subject as text, its
/// body as HTML.
struct RenderedTemplate {
  std::string subject;
  std::string body;
};
[[nodiscard]] RenderedTemplate render_template(const Templates& templates, std::string_view name,
                                               const Variables& variables);

/// Reports what rendering each template of `variants` loses, at the first
/// email step that sends it (`reported` keeps the templates already seen).
void report_templates(const Templates& templates, const plan::Step& step, const std::vector<Variant>& variants,
                      const Variables& variables, std::string_view target_title, std::set<std::string>& reported,
                      Findings& findings);

/// For a sequence with branches, which is not exported: reports what
/// rendering its texts in the platform's variables loses, on every step
/// (templates, scripts, notes), so that one check lists every problem.
void report_all_texts(const plan::Sequence& sequence, const Templates& templates, const Variables& variables,
                      std::string_view target_title, Findings& findings);

/// A name (ASCII, from the plan) within `limit` characters: as it is when it
/// fits, else cut and ended by "~" and eight hex digits of its SHA-256, so
/// that two long names never become one.
[[nodiscard]] std::string short_name(std::string_view name, std::size_t limit);

/// A rate of the plan ({count, per}) as a whole number a day (a weekly
/// rate divided by 7, rounded up), and whether that is exact.
struct DailyRate {
  int64_t per_day = 0;
  bool exact = true;
};
[[nodiscard]] DailyRate daily_rate(const plan::Rate& rate);

/// Findings every target shares about the sequence's head: the segment,
/// per-channel limits and a handler's outcome are not carried to any of
/// them. Also the title (mapped to the name) and the team.
/// `carries` says whether the target carries a handler of that event at all
/// (the outcome of one it drops whole is not reported again).
void report_head(const plan::Sequence& sequence, std::string_view target_title,
                 const std::function<bool(std::string_view event)>& carries, Findings& findings);

}  // namespace cadence::exporter
