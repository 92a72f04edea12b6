// Ranking sequences from the Dynamics 365 Web API's answers to the report
// queries (emit/reports.hpp): won amount per enrolled record, with pipeline
// created beside it, the bottom third marked for retirement.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cadence {

struct RankedVersion {
  std::string version;
  int64_t enrolled = 0;
  int64_t won_count = 0;
  double won_amount = 0;
  int64_t pipeline_count = 0;
  double pipeline_amount = 0;
};

struct RankedSequence {
  std::string name;
  /// Summed over its versions.
  RankedVersion total;
  std::vector<RankedVersion> versions;
  /// Won amount per enrolled record; nothing when nothing was enrolled.
  std::optional<double> won_per_record;
  int rank = 0;  // 1 = best; 0 when unranked (nothing enrolled)
  bool bottom_third = false;
};

struct Ranking {
  std::vector<RankedSequence> sequences;  // ranked ones first, best first
  /// Rows read, by kind ("opportunities", "enrolled", "step_outcomes").
  std::map<std::string, int64_t> rows;
};

/// Adds one Web API answer (`{"value": [rows]}`) to the tallies; a problem
/// (no `value` array, a row of no report query, a member of the wrong type)
/// is returned as a sentence, with the row's index.
class RankingBuilder {
 public:
  [[nodiscard]] std::optional<std::string> add(const nlohmann::json& answer);
  [[nodiscard]] Ranking finish() const;

 private:
  struct Tally {
    int64_t enrolled = 0;
    std::map<std::string, std::pair<bool, double>> won;  // opportunity -> (won, actual value)
    std::map<std::string, double> pipeline;              // opportunity -> estimated value
  };
  std::map<std::pair<std::string, std::string>, Tally> tallies_;  // (sequence, version)
  std::map<std::string, int64_t> rows_;
};

[[nodiscard]] std::string ranking_text(const Ranking& ranking);
[[nodiscard]] nlohmann::ordered_json ranking_json(const Ranking& ranking);
/// A horizontal bar chart of won amount per enrolled record.
[[nodiscard]] std::string ranking_svg(const Ranking& ranking);

}  // namespace cadence
