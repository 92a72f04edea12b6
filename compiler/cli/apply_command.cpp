// cadence apply / cadence plan: make a platform match the sources, updating
// the records an earlier apply (or an import) recorded in a state file, and
// creating only what is new.

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "cli/http.hpp"
#include "deploy/deploy.hpp"
#include "deploy/dynamics.hpp"
#include "driver/plan_diff.hpp"
#include "export/target.hpp"
#include "support/escape.hpp"
#include "support/file_io.hpp"
#include "support/json_input.hpp"

namespace cadence::cli {
namespace {

using deploy::Action;
using deploy::ActionKind;

/// Attempts of one request answered 429 or 5xx, and the longest wait for a
/// Retry-After.
constexpr int kMaxAttempts = 5;
constexpr int kMaxRetryAfterSeconds = 120;
constexpr int kDefaultRetryAfterSeconds = 5;

std::string token_variable(std::string_view target) {
  std::string name = "CADENCE_";
  for (const char c : target) name += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return name + "_TOKEN";
}

/// The reason an error answer gives, if any: the detail or title of a
/// JSON:API answer's first error (Outreach), its "error" or "message"
/// (Salesloft, HubSpot), or the message of its "error" object (Dataverse).
std::string answer_error(const std::string& body) {
  std::string ignored;
  const std::optional<nlohmann::json> json = parse_json_input(body, ignored);
  if (!json || !json->is_object()) return {};
  const auto text = [](const nlohmann::json& object, std::initializer_list<const char*> keys) -> std::string {
    for (const char* key : keys) {
      if (object.contains(key) && object[key].is_string()) return object[key].get<std::string>();
    }
    return {};
  };
  if (json->contains("errors") && (*json)["errors"].is_array() && !(*json)["errors"].empty() &&
      (*json)["errors"][0].is_object()) {
    return text((*json)["errors"][0], {"detail", "title"});
  }
  if (json->contains("error") && (*json)["error"].is_object()) return text((*json)["error"], {"message", "code"});
  return text(*json, {"error", "message"});
}

class ApplyCommand final : public Subcommand {
 public:
  explicit ApplyCommand(bool dry_run_only) : plan_only_(dry_run_only) {}

  Command declare(CommandLine& line) override {
    Command command =
        plan_only_ ? line.subcommand("plan", "Show what `cadence apply` would create, update or leave on a platform")
                   : line.subcommand("apply", "Make a platform's sequences match the sources, updating what exists");
    command.option("paths", paths_, "The .cadence files or directories to deploy").required().type_name("PATH...");
    command.option("--target", target_, "The platform")
        .required()
        .one_of(deploy::platform_targets())
        .type_name("TARGET");
    command
        .option("--state", state_path_,
                "The state file: the platform's ids of what was applied (written after every request; "
                "`cadence import --ids` writes one)")
        .required()
        .type_name("FILE");
    command
        .option("--connect", connect_path_,
                "Dynamics 365: a CSV of records to connect to the sequences (header `sequence,entity,id`)")
        .type_name("FILE");
    command
        .option("--build-sheets", sheets_dir_,
                "Dynamics 365: where each sequence's build sheet is written (apply: by default next to the state "
                "file; plan: only when given)")
        .type_name("DIR");
    if (!plan_only_) {
      command
          .option("--base-url", base_url_,
                  "The API's root URL (https, or http to this machine only); for Dynamics 365 the organisation's, "
                  "https://ORG.crm.dynamics.com")
          .type_name("URL");
      command.flag("--dry-run", dry_run_, "Print the plan and send nothing");
      command.option("--timeout", timeout_seconds_, "Seconds before one request is given up")
          .range(1, 600)
          .type_name("S");
    }
    command.footer(
        "Each request `cadence export` writes becomes a create (no record yet), an update in place of the\n"
        "record the state names (its content changed), or nothing (unchanged). Outreach's API cannot\n"
        "delete a step or switch a sequence on: a removed step is refused with the reason, and a new\n"
        "sequence must be enabled in Outreach. Salesloft's API cannot change a cadence once imported: a\n"
        "changed sequence is refused with the reason. HubSpot updates a template in place and replaces a\n"
        "sequence whole (its edits reach new enrolments only). Dynamics 365's sequence body is not\n"
        "published: each sequence is built by hand from the build sheet Cadence writes and found by its\n"
        "name; its segment (inactive until you activate it) and the records of --connect are deployed.\n"
        "The token comes from CADENCE_<TARGET>_TOKEN (OUTREACH, SALESLOFT, HUBSPOT, DYNAMICS) and is\n"
        "never printed or written. Answers 429 are retried after Retry-After, 5xx with a growing pause,\n"
        "within the platform's published rate limit.\n"
        "The state is written atomically after every request, so a run stopped half way is resumed by\n"
        "the next without duplicates. See docs/deploy.md.\n"
        "Exit status: 0 applied (or planned), 1 errors in the sources, a change the platform cannot make\n"
        "or a request it refused, 2 usage or I/O failure.");
    return command;
  }

  int run(const GlobalOptions& global) override {
    if (connect_path_ && target_ != "dynamics") {
      print_error("--connect goes with --target dynamics");
      return kExitFailure;
    }
    if (sheets_dir_ && target_ != "dynamics") {
      print_error("--build-sheets goes with --target dynamics");
      return kExitFailure;
    }
    const exporter::Target* target = exporter::find_target(target_);
    std::unique_ptr<exporter::Target> dynamics;
    std::vector<deploy::Connection> connections;
    if (target_ == "dynamics") {
      std::optional<std::vector<deploy::Connection>> read = read_connections_file();
      if (!read) return kExitFailure;
      connections = *read;
      dynamics = std::make_unique<deploy::DynamicsTarget>(std::move(*read));
      target = dynamics.get();
    }
    std::vector<exporter::SequenceExport> sequences;
    if (const int status = export_sources(global, *target, sequences); status != kExitOk) return status;
    // A record listed for a sequence the sources do not have would be
    // silently left out: a misspelt name must not go unnoticed.
    for (const deploy::Connection& connection : connections) {
      if (std::any_of(sequences.begin(), sequences.end(),
                      [&](const exporter::SequenceExport& sequence) { return sequence.name == connection.sequence; })) {
        continue;
      }
      print_error(fmt::format("{}: line {}: no sequence '{}' in the sources given", *connect_path_, connection.line,
                              visible(connection.sequence)));
      return kExitErrors;
    }
    std::optional<deploy::State> state = read_state_file();
    if (!state) return kExitFailure;
    state_ = &*state;
    std::string problem;
    const std::optional<deploy::Plan> plan = deploy::plan_deployment(*target, sequences, *state, problem);
    if (!plan) {
      print_error(problem);
      return kExitErrors;
    }
    Output& out = Output::stdout_stream();
    if (target_ == "dynamics" && !write_build_sheets()) return kExitFailure;
    out.write(plan_text(*target, *plan));
    const std::size_t impossible = plan->count(ActionKind::Impossible);
    if (impossible > 0) {
      print_error(
          fmt::format("{} change{} {} cannot make; nothing sent", impossible, plural(impossible), target->title()));
      return out.finish(kExitErrors);
    }
    if (plan_only_ || dry_run_) return out.finish(kExitOk);
    // Records the state held without a hash, which the platform cannot
    // update: their content is recorded now (the plan said so).
    bool adopted = false;
    for (const Action& action : plan->actions) {
      if (!action.adopt) continue;
      state->sequences[action.sequence][action.request].hash = action.hash;
      adopted = true;
    }
    if (!plan->sends()) {
      // Nothing to send: what the platform runs is what the sources say.
      if (!remember_plans(*state, adopted)) return kExitFailure;
      return out.finish(kExitOk);
    }
    if (const int status = out.finish(kExitOk); status != kExitOk) return status;
    return send(*target, *plan, *state);
  }

 private:
  int export_sources(const GlobalOptions& global, const exporter::Target& target,
                     std::vector<exporter::SequenceExport>& sequences) {
    const std::optional<std::vector<std::filesystem::path>> files = collect_files(paths_);
    if (!files) return kExitFailure;
    int status = kExitOk;
    for (const std::filesystem::path& file : *files) {
      const std::optional<LoadedPlan> plan = load_plan(global, file.string(), "applied", "requests");
      if (!plan) {
        status = std::max(status, kExitErrors);
        continue;
      }
      const exporter::Json& documents = plan->json.at("sequences");
      for (std::size_t i = 0; i < plan->plan.sequences.size(); ++i) {
        const cadence::plan::Sequence& sequence = plan->plan.sequences[i];
        exporter::SequenceExport exported = target.export_sequence(sequence);
        if (const std::size_t unsupported = exported.count(exporter::Fidelity::Unsupported);
            unsupported > 0 && exporter::find_target(target.name()) == nullptr) {
          // A target of apply alone: `cadence check --target` does not know it.
          for (const exporter::Finding& finding : exported.findings) {
            if (finding.fidelity != exporter::Fidelity::Unsupported) continue;
            print_error(fmt::format("'{}': sequence '{}': {}{}", file.string(), exported.name, finding.message,
                                    finding.help.empty() ? "" : fmt::format(" ({})", finding.help)));
          }
          status = std::max(status, kExitErrors);
          continue;
        } else if (unsupported > 0) {
          print_error(
              fmt::format("'{}': sequence '{}' has {} construct{} {} cannot express; `cadence check --target "
                          "{} {}` shows them",
                          file.string(), exported.name, unsupported, plural(unsupported), target.title(), target.name(),
                          file.string()));
          status = std::max(status, kExitErrors);
          continue;
        }
        // The sequence's plan alone, as the state keeps it once applied.
        exporter::Json alone = plan->json;
        alone["sequences"] = exporter::Json::array({documents[i]});
        plans_[exported.name] = std::move(alone);
        sequences_.insert_or_assign(exported.name, sequence);
        sequences.push_back(std::move(exported));
      }
    }
    return status;
  }

  std::optional<std::vector<deploy::Connection>> read_connections_file() {
    if (!connect_path_) return std::vector<deploy::Connection>{};
    DiskFileSystem disk;
    FileSystem::ReadResult read = disk.read(*connect_path_);
    if (!read.bytes) {
      print_error(fmt::format("cannot read the connections file '{}': {}", *connect_path_, read.error));
      return std::nullopt;
    }
    std::string problem;
    std::optional<std::vector<deploy::Connection>> connections = deploy::read_connections(*read.bytes, problem);
    if (!connections) print_error(fmt::format("{}: {}", *connect_path_, problem));
    return connections;
  }

  /// Writes each sequence's build sheet (Dynamics 365): by `apply`, next to
  /// the state file unless --build-sheets names a folder; by `plan`, only
  /// into the folder --build-sheets names.
  bool write_build_sheets() {
    if (plan_only_ && !sheets_dir_) return true;
    const std::filesystem::path folder =
        sheets_dir_ ? std::filesystem::path(*sheets_dir_) : std::filesystem::path(state_path_).parent_path();
    std::error_code error;
    if (!folder.empty()) std::filesystem::create_directories(folder, error);
    for (const auto& [name, sequence] : sequences_) {
      const std::filesystem::path path = folder / (name + ".build-sheet.md");
      const std::string sheet = deploy::build_sheet(sequence);
      if (const std::optional<std::string> failed = write_file_atomically(path.string(), sheet)) {
        print_error(fmt::format("cannot write the build sheet '{}': {}", path.string(), *failed));
        return false;
      }
      sheets_[name] = path.string();
      Output::stdout_stream().write(fmt::format("build sheet of {}: {}\n", name, path.string()));
    }
    return true;
  }

  std::optional<deploy::State> read_state_file() {
    DiskFileSystem disk;
    if (!std::filesystem::exists(state_path_)) return deploy::State{target_, {}, {}};
    FileSystem::ReadResult read = disk.read(state_path_);
    if (!read.bytes) {
      print_error(fmt::format("cannot read the state file '{}': {}", state_path_, read.error));
      return std::nullopt;
    }
    std::string problem;
    const std::optional<nlohmann::json> json = parse_json_input(*read.bytes, problem);
    std::optional<deploy::State> state;
    if (json) state = deploy::read_state(deploy::Json(*json), problem);
    if (!state) {
      print_error(fmt::format("the state file '{}' cannot be used: {}", state_path_, visible(problem)));
      return std::nullopt;
    }
    if (state->target.empty()) state->target = target_;
    return state;
  }

  /// What the sources change for prospects enrolled in a sequence since it
  /// was last applied, as `cadence diff` says it; empty when nothing was.
  std::string enrolment_changes(const std::string& name) const {
    const auto applied = state_->applied_plans.find(name);
    const auto current = plans_.find(name);
    if (applied == state_->applied_plans.end() || current == plans_.end()) return {};
    const std::vector<PlanChange> changes =
        diff_plans(nlohmann::json(applied->second), nlohmann::json(current->second));
    if (changes.empty()) return {};
    std::string out = "    for prospects already enrolled, since the last apply (as `cadence diff` says):\n";
    for (const PlanChange& change : changes) {
      out += fmt::format("      {} {}\n", change_label(change), visible(change.message));
    }
    return out;
  }

  std::string plan_text(const exporter::Target& target, const deploy::Plan& plan) const {
    std::string out = fmt::format("{} on {} (state: {}):\n", plan_only_ || dry_run_ ? "plan" : "applying",
                                  target.title(), state_path_);
    std::string sequence;
    for (const Action& action : plan.actions) {
      if (action.sequence != sequence) {
        sequence = action.sequence;
        out += fmt::format("  sequence {}\n", sequence);
        out += enrolment_changes(sequence);
      }
      std::string what = action.method.empty() ? action.path : fmt::format("{} {}", action.method, action.path);
      out += fmt::format("    {:<11} {:<40} {}\n", deploy::action_name(action.kind), action.request, what);
      if (!action.note.empty()) out += fmt::format("    {:<11} {}\n", "", visible(action.note));
    }
    for (const std::string& step : plan.afterwards) out += fmt::format("  then, by hand: {}\n", step);
    const std::size_t finds = plan.count(ActionKind::Find);
    out +=
        fmt::format("{}{} to create, {} to update, {} unchanged, {} to delete, {} left alone, {} impossible\n",
                    finds > 0 ? fmt::format("{} to find, ", finds) : std::string(), plan.count(ActionKind::Create),
                    plan.count(ActionKind::Update), plan.count(ActionKind::Unchanged), plan.count(ActionKind::Delete),
                    plan.count(ActionKind::LeftAlone), plan.count(ActionKind::Impossible));
    return out;
  }

  /// Records the sequences' plans as applied, once everything was sent.
  bool remember_plans(deploy::State& state, bool changed = false) {
    for (const auto& [name, plan] : plans_) {
      auto& applied = state.applied_plans[name];
      changed = changed || applied != plan;
      applied = plan;
    }
    return !changed || save(state);
  }

  bool save(const deploy::State& state) {
    const std::optional<std::string> error =
        write_file_atomically(state_path_, deploy::state_json(state).dump(2) + "\n");
    if (error) print_error(fmt::format("cannot write the state file '{}': {}", state_path_, *error));
    return !error;
  }

  /// Sends one request, retrying 429 after Retry-After and 5xx after a
  /// growing pause; keeps within the platform's published rate limit.
  HttpResponse send_with_retries(HttpClient& client, const deploy::Platform& platform, const std::string& method,
                                 const std::string& path, const std::string& body, bool creates) {
    HttpResponse response;
    for (int attempt = 1;; ++attempt) {
      pace(platform);
      response = client.send(method, path, body, platform.media_type, platform.headers);
      const bool throttled = response.status == 429;
      // A create whose answer was lost may have been carried out: it is
      // not sent again (the state marks it pending).
      const bool failed = response.status >= 500 || (response.status == 0 && (!creates || response.unsent));
      if ((!throttled && !failed) || attempt == kMaxAttempts) return response;
      int wait_ms = 500 << (attempt - 1);
      if (throttled) {
        const auto after = response.headers.find("retry-after");
        // Seconds; an HTTP date (or anything else) waits a few seconds.
        int seconds = 1;
        if (after != response.headers.end()) {
          const std::string& text = after->second;
          const bool digits = !text.empty() && text.size() <= 6 &&
                              std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
          seconds = digits ? std::stoi(text) : kDefaultRetryAfterSeconds;
        }
        wait_ms = 1000 * std::clamp(seconds, 0, kMaxRetryAfterSeconds);
      }
      std::fputs(fmt::format("  {} {}: {}; trying again in {:.1f} s\n", method, path,
                             response.status == 0 ? response.error : fmt::format("answered {}", response.status),
                             wait_ms / 1000.0)
                     .c_str(),
                 stdout);
      std::fflush(stdout);
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    }
  }

  /// Waits, when needed, to stay within the platform's published rate limit.
  void pace(const deploy::Platform& platform) {
    using Clock = std::chrono::steady_clock;
    const std::chrono::seconds window(platform.window_seconds);
    const Clock::time_point now = Clock::now();
    while (!sent_.empty() && now - sent_.front() > window) sent_.erase(sent_.begin());
    if (sent_.size() >= platform.requests_per_window) {
      std::this_thread::sleep_until(sent_.front() + window);
      sent_.erase(sent_.begin());
    }
    sent_.push_back(Clock::now());
  }

  int send(const exporter::Target& target, const deploy::Plan& plan, deploy::State& state) {
    const char* token = std::getenv(token_variable(target.name()).c_str());
    if (token == nullptr || *token == '\0') {
      print_error(fmt::format("{} is not set: the token for {}'s API comes from it", token_variable(target.name()),
                              target.title()));
      return kExitFailure;
    }
    const deploy::Platform& platform = *deploy::find_platform(target.name());
    if (!base_url_ && platform.base_url.empty()) {
      print_error(fmt::format(
          "--base-url is needed for {}: the organisation's URL, such as https://ORG.crm.dynamics.com", target.title()));
      return kExitFailure;
    }
    const std::string base = base_url_.value_or(std::string(platform.base_url));
    if (!safe_base_url(base)) {
      print_error(
          fmt::format("--base-url '{}' must be https (or http to this machine): the token must not cross a "
                      "network in clear",
                      visible(base)));
      return kExitFailure;
    }
    if (const std::optional<std::string> why = HttpClient::unavailable()) {
      print_error(fmt::format("no request was sent: {}", *why));
      return kExitFailure;
    }
    HttpClient client(base, token, std::chrono::seconds(timeout_seconds_));
    std::size_t done = 0;
    for (const Action& action : plan.actions) {
      if (action.kind == ActionKind::Find) {
        if (!find(client, platform, action, state)) return kExitErrors;
        ++done;
        continue;
      }
      if (action.kind != ActionKind::Create && action.kind != ActionKind::Update && action.kind != ActionKind::Delete) {
        continue;
      }
      auto& records = state.sequences[action.sequence];
      std::string body;
      if (action.kind != ActionKind::Delete) {
        std::string missing;
        const std::optional<deploy::Json> resolved = deploy::resolved_body(action, records, missing);
        if (!resolved) {
          print_error(fmt::format("{} needs the id of {}, which was not created", action.request, missing));
          return kExitErrors;
        }
        body = resolved->dump();
      }
      const bool creates = action.kind == ActionKind::Create;
      if (creates) {
        // Recorded before sending: if no answer comes, the next run knows
        // the record may exist.
        records[action.request] = deploy::Record{nullptr, "", true};
        if (!save(state)) return kExitFailure;
      }
      const HttpResponse response = send_with_retries(client, platform, action.method, action.path, body, creates);
      if (response.status < 200 || response.status >= 300) {
        // Refused, or never sent: nothing was created.
        if (creates && (response.status != 0 || response.unsent)) records.erase(action.request);
        const std::string reason = answer_error(response.body);
        print_error(fmt::format("{} {} ({}): {}{}", action.method, action.path, action.request,
                                response.status == 0 ? response.error : fmt::format("answered {}", response.status),
                                reason.empty() ? "" : ": " + visible(reason)));
        if (!save(state)) return kExitFailure;
        print_error(fmt::format("{} of {} requests sent; the state file records them, and the next run resumes", done,
                                plan.count(ActionKind::Create) + plan.count(ActionKind::Update) +
                                    plan.count(ActionKind::Delete) + plan.count(ActionKind::Find)));
        return kExitErrors;
      }
      std::string shown;
      if (action.kind == ActionKind::Delete) {
        records.erase(action.request);
        shown = "deleted";
      } else {
        deploy::Json id = creates ? action.assigned_id : records[action.request].id;
        if (creates && id.is_null()) {
          std::string ignored;
          const std::optional<nlohmann::json> answer = parse_json_input(response.body, ignored);
          const std::string& pointer = action.created_id;
          if (answer && answer->contains(nlohmann::json::json_pointer(pointer))) {
            id = deploy::Json((*answer)[nlohmann::json::json_pointer(pointer)]);
          }
          if (!deploy::usable_id(id)) {
            print_error(fmt::format("POST {} ({}): the answer has no id at {}; the record may exist", action.path,
                                    action.request, pointer));
            save(state);
            return kExitErrors;
          }
        }
        records[action.request] = deploy::Record{id, action.hash, false};
        shown = creates ? fmt::format("created (id {})", id.dump()) : "updated";
      }
      if (!save(state)) return kExitFailure;
      ++done;
      Output::stdout_stream().write(fmt::format("  {} {} {}\n", shown, action.sequence, action.request));
    }
    if (!remember_plans(state)) return kExitFailure;
    Output& out = Output::stdout_stream();
    out.write(fmt::format("applied: {} request{} sent; state written to {}\n", done, plural(done), state_path_));
    for (const std::string& step : plan.afterwards) out.write(fmt::format("then, by hand: {}\n", step));
    return out.finish(kExitOk);
  }

  /// Sends a find (a GET) and records the one record it answers; says what
  /// to do when there is none, or more than one.
  bool find(HttpClient& client, const deploy::Platform& platform, const Action& action, deploy::State& state) {
    const HttpResponse response = send_with_retries(client, platform, "GET", action.path, {}, false);
    if (response.status < 200 || response.status >= 300) {
      const std::string reason = answer_error(response.body);
      print_error(fmt::format("GET {} ({}): {}{}", action.path, action.request,
                              response.status == 0 ? response.error : fmt::format("answered {}", response.status),
                              reason.empty() ? "" : ": " + visible(reason)));
      return false;
    }
    std::string ignored;
    const std::optional<nlohmann::json> answer = parse_json_input(response.body, ignored);
    const nlohmann::json* found =
        answer && answer->is_object() && answer->contains("value") && (*answer)["value"].is_array()
            ? &(*answer)["value"]
            : nullptr;
    if (found == nullptr) {
      print_error(
          fmt::format("GET {} ({}): the answer has no list of records (\"value\")", action.path, action.request));
      return false;
    }
    const auto sheet = sheets_.find(action.sequence);
    const std::string sheet_text =
        sheet == sheets_.end() ? std::string("`cadence apply` writes it") : "written to " + sheet->second;
    if (found->empty()) {
      print_error(fmt::format(
          "{} has no active sequence named '{}': build it in the sequence designer from its build sheet ({}), "
          "activate it, and run apply again",
          platform.target == "dynamics" ? "Dynamics 365" : platform.target, action.sequence, sheet_text));
      return false;
    }
    std::vector<std::string> ids;
    for (const nlohmann::json& record : *found) {
      const nlohmann::json id =
          record.is_object() ? record.value("msdyn_sequenceid", nlohmann::json()) : nlohmann::json();
      ids.push_back(id.is_string() ? visible(id.get<std::string>()) : std::string("?"));
    }
    if (found->size() > 1) {
      print_error(fmt::format(
          "{} active sequences are named '{}' (ids {}): write the id of the one to deploy to in the state file, "
          "as sequences.{}.records.sequence.id, and run apply again",
          found->size(), action.sequence, fmt::join(ids, ", "), action.sequence));
      return false;
    }
    const nlohmann::json::json_pointer pointer(action.created_id);
    const deploy::Json id(answer->contains(pointer) ? answer->at(pointer) : nlohmann::json());
    if (!deploy::usable_id(id)) {
      print_error(fmt::format("GET {} ({}): the record found has no usable id at {}", action.path, action.request,
                              action.created_id));
      return false;
    }
    state.sequences[action.sequence][action.request] = deploy::Record{id, action.hash, false};
    if (!save(state)) return false;
    Output::stdout_stream().write(fmt::format("  found (id {}) {} {}\n", id.dump(), action.sequence, action.request));
    return true;
  }

  bool plan_only_;
  std::vector<std::string> paths_;
  std::string target_;
  std::string state_path_;
  std::optional<std::string> base_url_;
  std::optional<std::string> connect_path_;
  std::optional<std::string> sheets_dir_;
  /// The build sheet written for each sequence.
  std::map<std::string, std::string> sheets_;
  bool dry_run_ = false;
  int timeout_seconds_ = 30;
  std::vector<std::chrono::steady_clock::time_point> sent_;
  std::map<std::string, exporter::Json> plans_;
  /// The same sequences as read, for their build sheets.
  std::map<std::string, plan::Sequence> sequences_;
  const deploy::State* state_ = nullptr;
};

}  // namespace

std::unique_ptr<Subcommand> make_apply_command() { return std::make_unique<ApplyCommand>(false); }
std::unique_ptr<Subcommand> make_plan_command() { return std::make_unique<ApplyCommand>(true); }

}  // namespace cadence::cli
