// cadence simulate: run a plan's enrolments day by day for one owner, or
// several sequences (a team, over several plans) at once.

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "emit/plan.hpp"
#include "sim/simulate.hpp"
#include "support/file_io.hpp"
#include "support/json_input.hpp"

namespace cadence::cli {
namespace {

class SimulateCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command =
        line.subcommand("simulate", "Simulate a plan's enrolments day by day for one owner (the reference runtime)");
    command.option("plans", plans_, "JSON plans from 'cadence build' (several: their sequences share one owner)")
        .required()
        .type_name("PLAN");
    auto& sim = options_;
    command.option("--sequence", sim.sequence, "Which sequence of the plan (default: the first)").type_name("NAME");
    command.flag("--worst-case", worst_case_,
                 "Nobody engages: every enrolment follows its silent path (the throttle-overrun lint's model)");
    command.option("--team", team_, "Every sequence of this team in the plans, sharing one owner's limits")
        .type_name("TEAM");
    command.option("--enroll", sim.enroll_per_day, "New enrolments per working day (default: the plan's, else 10)")
        .range(0.0, 1e6)
        .type_name("RATE");
    command.option("--days", sim.days, "Calendar days to simulate (default 60)")
        .range(1, kMaxSimulationDays)
        .type_name("N");
    command.option("--seed", sim.seed, "Random seed (same seed, same run)").type_name("N");
    auto chance = [&](const char* flag, double& value, const char* help) {
      command.option(flag, value, help).range(0.0, 1.0).type_name("P");
    };
    chance("--open", sim.open, "Chance an email is opened (default 0.35)");
    chance("--click", sim.click, "Chance an opened email is clicked (default 0.10)");
    chance("--reply", sim.reply, "Chance a touch gets a reply (default 0.03)");
    chance("--bounce", sim.bounce, "Chance an email bounces (default 0.02)");
    chance("--ooo", sim.out_of_office, "Chance of an out-of-office reply (default 0.03)");
    chance("--unsubscribe", sim.unsubscribe, "Chance of an opt-out per email (default 0.005)");
    chance("--accept", sim.accept, "Chance a LinkedIn connection is accepted (default 0.30)");
    command.option("--calls", calls_, "Call outcome mix, e.g. connected=0.1,voicemail=0.3,no_answer=0.6")
        .type_name("MIX");
    command
        .option("--email-ceiling", sim.email_ceiling,
                fmt::format("Emails per owner per day the platform sends at most, whatever the plan's limit "
                            "(default {})",
                            kDefaultEmailCeilingPerDay))
        .range(1.0, 1e9)
        .type_name("N");
    command.option("--format", format_, "text or json").one_of({"text", "json"}).type_name("FORMAT");
    command.option("--svg", svg_, "Also draw the daily email load against the limit").type_name("FILE");
    command.footer(
        "At most 3650 days and five million enrolments in all, records handed off between sequences\n"
        "included. Several plans (or --team) are simulated together, one owner's load, as the\n"
        "throttle-overrun lint adds up a team's; without --team or --sequence it takes the first\n"
        "sequence of one plan, every sequence of several. A plan named twice is read once.\n"
        "Exit status: 0, or 2 when a plan cannot be read or simulated.");
    return command;
  }

  int run(const GlobalOptions&) override {
    if (calls_) {
      std::string error;
      auto mix = parse_call_mix(*calls_, error);
      if (!mix) {
        print_error(error);
        return kExitFailure;
      }
      options_.call_outcomes = std::move(*mix);
    }
    // The sequences to run: the first of a single plan unless told which;
    // every one of several plans, or those of --team.
    std::vector<plan::Plan> plans;
    plans.reserve(plans_.size());
    std::vector<const plan::Sequence*> sequences;
    // One file named twice (or by two names: a link) is one plan; a sequence
    // in two plans would be simulated twice, doubling its load.
    std::vector<std::string> paths;
    std::vector<FileIdentity> identities;
    for (const std::string& path : plans_) {
      if (const auto identity = file_identity(path)) {
        if (std::find(identities.begin(), identities.end(), *identity) != identities.end()) continue;
        identities.push_back(*identity);
      }
      paths.push_back(path);
    }
    std::map<std::string, std::string> plan_of;
    for (const std::string& path : paths) {
      auto plan = load(path);
      if (!plan) return kExitFailure;
      plans.push_back(std::move(*plan));
      try {
        const bool one = paths.size() == 1 && !team_ && !options_.sequence;
        for (const plan::Sequence* sequence : plan_sequences(plans.back(), options_)) {
          if (team_ && sequence->team != *team_) continue;
          const std::string& name = sequence->name;
          if (const auto [it, fresh] = plan_of.emplace(name, path); !fresh) {
            print_error(fmt::format("sequence '{}' is in both '{}' and '{}'; simulate each sequence once", name,
                                    it->second, path));
            return kExitFailure;
          }
          sequences.push_back(sequence);
          if (one) break;
        }
      } catch (const std::exception& failure) {
        print_error(fmt::format("cannot simulate '{}': {}", path, failure.what()));
        return kExitFailure;
      }
    }
    if (sequences.empty()) {
      print_error(team_ ? fmt::format("no sequence of team '{}' in the plans", *team_)
                        : std::string("no sequence to simulate in the plans"));
      return kExitFailure;
    }
    SimulationResult result;
    try {
      if (worst_case_) {
        const std::vector<SequenceLoad> loads = worst_case_loads(sequences, options_);
        result = simulate_worst_case(std::span<const SequenceLoad>(loads), options_.days);
      } else {
        result = simulate_sequences(sequences, options_);
      }
    } catch (const std::exception& failure) {
      print_error(fmt::format("cannot simulate {}: {}",
                              paths.size() == 1 ? fmt::format("'{}'", paths.front()) : std::string("the plans"),
                              failure.what()));
      return kExitFailure;
    }
    if (svg_) {
      if (auto failure = write_file_atomically(*svg_, simulation_svg(result), {plans_.begin(), plans_.end()})) {
        print_error(*failure);
        return kExitFailure;
      }
    }
    Output& out = Output::stdout_stream();
    out.write(format_ == "json"
                  ? simulation_json(result).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n"
                  : simulation_table(result));
    return out.finish(kExitOk);
  }

 private:
  /// The plan read from `path`, or nothing after saying why.
  static std::optional<plan::Plan> load(const std::string& path) {
    DiskFileSystem disk;
    FileSystem::ReadResult read = disk.read(path);
    if (!read.bytes) {
      print_error(fmt::format("cannot read '{}': {}", path, read.error));
      return std::nullopt;
    }
    std::string error;
    auto plan = parse_json_input(*read.bytes, error);
    if (!plan || !is_plan_document(*plan)) {
      // Say why a JSON document failed; a source file needs no detail.
      const auto first = read.bytes->find_first_not_of(" \t\r\n");
      if (first == std::string::npos || (*read.bytes)[first] != '{') error.clear();
      print_error(fmt::format("'{}' is not a Cadence plan{}; simulate reads plans: run 'cadence build {}' first", path,
                              error.empty() ? std::string() : fmt::format(" (it {})", error), path));
      return std::nullopt;
    }
    std::string problem;
    auto typed = read_plan(*plan, problem);
    if (!typed) print_error(fmt::format("cannot simulate '{}': {}", path, problem));
    return typed;
  }

  std::vector<std::string> plans_;
  bool worst_case_ = false;
  std::optional<std::string> team_;
  std::optional<std::string> calls_;
  std::string format_ = "text";
  std::optional<std::string> svg_;
  SimulationOptions options_;
};

}  // namespace

std::unique_ptr<Subcommand> make_simulate_command() { return std::make_unique<SimulateCommand>(); }

}  // namespace cadence::cli
