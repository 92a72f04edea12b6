// cadence diff: compare two versions of a file (sources or plans) as live
// enrolments see them.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "driver/plan_diff.hpp"
#include "emit/plan.hpp"
#include "support/escape.hpp"
#include "support/json_input.hpp"

namespace cadence::cli {
namespace {

class DiffCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command =
        line.subcommand("diff", "Compare two versions of a file (sources or plans) as live enrolments see them");
    command.option("old", old_file_, "The version running now (.cadence or plan .json)").required().type_name("OLD");
    command.option("new", new_file_, "The version to deploy (.cadence or plan .json)").required().type_name("NEW");
    command.option("--format", format_, "human or json").one_of({"human", "json"}).type_name("FORMAT");
    command.footer(
        "Breaking: a sequence or step removed or renamed (enrolments there are stranded), a step's kind or the\n"
        "target changed, an exit handler removed, the audience (segment) changed. Risky: more email per day,\n"
        "manual to automatic sending, changed handlers and outcomes. Content: copy, scripts, notes, titles.\n"
        "Every other difference is a change. Exit status: 0 no breaking change, 1 breaking, 2 I/O failure\n"
        "or a side with errors.");
    return command;
  }

  int run(const GlobalOptions& global) override {
    const auto before = load_plan(global, old_file_, "compared", "comparison", nullptr, Names::Versions);
    if (!before) return kExitFailure;
    const auto after = load_plan(global, new_file_, "compared", "comparison", nullptr, Names::Versions);
    if (!after) return kExitFailure;
    const std::vector<PlanChange> changes = diff_plans(nlohmann::json(before->json), nlohmann::json(after->json));
    std::size_t breaking = 0;
    for (const PlanChange& change : changes) breaking += change.breaking ? 1 : 0;
    Output& out = Output::stdout_stream();
    if (format_ == "json") {
      nlohmann::ordered_json document = {
          {"version", 1}, {"breaking", breaking}, {"changes", nlohmann::ordered_json::array()}};
      for (const PlanChange& change : changes) {
        document["changes"].push_back(
            {{"sequence", change.sequence},
             {"step", change.step.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(change.step)},
             {"kind", change.kind},
             {"breaking", change.breaking},
             {"category", change.category},
             {"message", change.message}});
      }
      out.write(document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
    } else {
      std::size_t risky = 0;
      for (const PlanChange& change : changes) {
        risky += change.category == "risky" ? 1 : 0;
        out.write(fmt::format("{} {}: {}\n", change_label(change), visible(change.sequence), visible(change.message)));
      }
      out.write(
          fmt::format("{} change{}, {} breaking, {} risky\n", changes.size(), plural(changes.size()), breaking, risky));
    }
    return out.finish(breaking > 0 ? kExitErrors : kExitOk);
  }

 private:
  std::string old_file_;
  std::string new_file_;
  std::string format_ = "human";
};

}  // namespace

std::unique_ptr<Subcommand> make_diff_command() { return std::make_unique<DiffCommand>(); }

}  // namespace cadence::cli
