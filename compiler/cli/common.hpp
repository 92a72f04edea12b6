// What the subcommands of `cadence` share: exit codes, global options, error
// messages, the search for input files, and checked output.
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/options.hpp"
#include "emit/plan_read.hpp"
#include "sema/check.hpp"
#include "sema/workspace.hpp"
#include "support/file_io.hpp"

namespace cadence::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitErrors = 1;
inline constexpr int kExitFailure = 2;

struct GlobalOptions {
  std::optional<std::string> stdlib;
  std::string color = "auto";

  [[nodiscard]] std::filesystem::path stdlib_dir() const;
  /// Whether human output to `stream` is coloured.
  [[nodiscard]] bool color_for(FILE* stream) const;
};

/// One subcommand: its options, and what it does with them.
class Subcommand {
 public:
  virtual ~Subcommand() = default;
  /// Declares the subcommand and its options.
  virtual Command declare(CommandLine& line) = 0;
  /// Runs it; returns the exit status.
  virtual int run(const GlobalOptions& global) = 0;
};

std::unique_ptr<Subcommand> make_check_command();
std::unique_ptr<Subcommand> make_build_command();
std::unique_ptr<Subcommand> make_report_command();
std::unique_ptr<Subcommand> make_schema_command();
std::unique_ptr<Subcommand> make_export_command();
std::unique_ptr<Subcommand> make_graph_command();
std::unique_ptr<Subcommand> make_diff_command();
std::unique_ptr<Subcommand> make_simulate_command();
std::unique_ptr<Subcommand> make_fmt_command();
std::unique_ptr<Subcommand> make_rules_command();
std::unique_ptr<Subcommand> make_explain_command();
std::unique_ptr<Subcommand> make_lsp_command();
std::unique_ptr<Subcommand> make_import_command();
std::unique_ptr<Subcommand> make_apply_command();
std::unique_ptr<Subcommand> make_plan_command();

/// "cadence: error: MESSAGE" on standard error (control characters shown visibly).
void print_error(std::string_view message);
/// "cadence: warning: MESSAGE" on standard error (control characters shown visibly).
void print_warning(std::string_view message);

/// Standard output with every write checked: a full disk or a closed file is
/// an error with exit status 2, never a silently short report.
class Output {
 public:
  static Output& stdout_stream();
  void write(std::string_view bytes);
  /// Flushes. Returns `status`, or kExitFailure (after a message) when any
  /// write failed.
  [[nodiscard]] int finish(int status);

 private:
  explicit Output(FILE* stream) : stream_(stream) {}
  FILE* stream_;
  int error_ = 0;
};

/// The command line's paths as files: files as given, directories searched
/// recursively for *.cadence (hidden directories skipped, symbolic links
/// that lead out of the directory not followed), sorted, each once. Prints
/// the problems and returns nothing when a path cannot be used.
/// Entries a walk cannot read (a folder that vanished while it was read, as
/// build tools cause) are skipped with a warning, and the walk goes on.
/// `walked`, when given, receives for each file whether a walk found it (a
/// file a walk found may vanish before it is read: that is skipped too).
[[nodiscard]] std::optional<std::vector<std::filesystem::path>> collect_files(const std::vector<std::string>& paths,
                                                                              std::vector<bool>* walked = nullptr);

/// A command that turns one checked file into output (build, graph, export,
/// report, diff): the file's diagnostics go to stderr; nothing is produced
/// when it has errors, a sequence name another file of its project defines
/// too included (as `check` reports it), unless `Names::Versions`: the sides
/// of a diff are versions of one sequence, and may sit side by side.
struct CheckedFile {
  std::unique_ptr<Workspace> workspace;
  std::shared_ptr<const Module> module;
  const CheckResult* result = nullptr;
  int status = kExitOk;  // kExitErrors or kExitFailure when result is null
  /// Every file the check read (the file and its imports).
  std::vector<std::filesystem::path> inputs;
};
enum class Names { Unique, Versions };
[[nodiscard]] CheckedFile check_for_output(const GlobalOptions& global, const std::string& file,
                                           std::string_view producing, Names names = Names::Unique);

/// A plan as a command reads it: the document (members in their order) and
/// what read_plan() made of it.
struct LoadedPlan {
  nlohmann::ordered_json json;
  plan::Plan plan;
};

/// A plan given on the command line: a JSON plan file as is (refused,
/// with the reason, when read_plan finds a problem), or a .cadence file
/// compiled to its plan (its diagnostics on stderr; nothing when it has
/// errors). `purpose` ends the message "'F' cannot be PURPOSE: ...", and
/// `producing` "no PRODUCING written". `inputs` receives the files read.
[[nodiscard]] std::optional<LoadedPlan> load_plan(const GlobalOptions& global, const std::string& file,
                                                  std::string_view purpose, std::string_view producing,
                                                  std::vector<std::filesystem::path>* inputs = nullptr,
                                                  Names names = Names::Unique);

/// Where a command's output goes: standard output (no `-o`, or "-"), or a
/// file through OutputFile, written as it is produced.
class Destination {
 public:
  /// Opens `output`, never one of `inputs`; prints the problem and returns
  /// null when it cannot be opened.
  [[nodiscard]] static std::unique_ptr<Destination> open(const std::optional<std::string>& output,
                                                         const std::vector<std::filesystem::path>& inputs);
  ~Destination();
  void write(std::string_view bytes);
  /// Completes the output (a file is committed). Returns `status`, or
  /// kExitFailure after a message when anything failed.
  [[nodiscard]] int finish(int status);

 private:
  Destination() = default;
  std::unique_ptr<OutputFile> file_;
  std::optional<std::string> error_;
};

/// Reads each file as JSON and hands it to `take`, which returns a problem
/// (a sentence) or nothing; prints what failed ("'F' cannot be PURPOSE:
/// ..."). Returns kExitOk, kExitErrors (not JSON, or a problem) or
/// kExitFailure (unreadable). `inputs` receives the files read.
[[nodiscard]] int read_json_files(
    const std::vector<std::string>& files, std::string_view purpose, std::vector<std::filesystem::path>& inputs,
    const std::function<std::optional<std::string>(const nlohmann::json&, const std::string&)>& take);

/// Writes `text` to a Destination. Returns the exit status.
[[nodiscard]] int write_output(const std::optional<std::string>& output, std::string_view text,
                               const std::vector<std::filesystem::path>& inputs);

/// "s" unless `count` is 1.
[[nodiscard]] inline const char* plural(std::size_t count) { return count == 1 ? "" : "s"; }

}  // namespace cadence::cli
