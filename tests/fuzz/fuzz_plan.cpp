// libFuzzer target: any bytes as a JSON plan, through everything that reads
// plans: the bounded JSON reader, the simulator (its validation, calendar
// and every output), the plan diff (against itself: no changes), and every
// export target (as `cadence export` runs them: on plans plan_problem
// accepts, a member of the wrong type refused with a message).
#include <cstdint>
#include <string>
#include <string_view>

#include "driver/plan_diff.hpp"
#include "emit/plan.hpp"
#include "export/target.hpp"
#include "sim/simulate.hpp"
#include "support/json_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cadence;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto plan = parse_json_input(text, error);
  if (!plan || !plan->is_object()) return 0;
  // Same plan, same answer: a well-formed plan compared with itself has no
  // changes.
  if (!plan_problem(*plan) && !diff_plans(*plan, *plan).empty()) __builtin_trap();
  if (!plan_problem(*plan)) {
    const nlohmann::ordered_json ordered(*plan);
    for (const exporter::Target* target : exporter::all_targets()) {
      try {
        std::vector<exporter::SequenceExport> sequences;
        for (const auto& sequence : ordered.at("sequences")) sequences.push_back(target->export_sequence(sequence));
        (void)exporter::export_document(*target, ordered, sequences).dump(2);
        (void)exporter::fidelity_text(*target, "plan", sequences);
      } catch (const nlohmann::json::exception&) {
        // Refused with a message, as the command does.
      }
    }
  }
  SimulationOptions options;
  options.days = 21;
  options.seed = size;
  if (plan->contains("sequences") && (*plan)["sequences"].is_array() && !(*plan)["sequences"].empty()) {
    // Keep runs short: the plan's own rate, capped.
    options.enroll_per_day = 25;
  }
  try {
    const SimulationResult result = simulate(*plan, options);
    (void)simulation_table(result);
    (void)simulation_json(result).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    (void)simulation_svg(result);
    if (result.days.size() != static_cast<std::size_t>(options.days)) __builtin_trap();
  } catch (const std::runtime_error&) {
    // Refused with a message: fine.
  }
  return 0;
}
