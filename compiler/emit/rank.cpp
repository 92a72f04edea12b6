#include "emit/rank.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/escape.hpp"

namespace cadence {
namespace {

using nlohmann::json;

/// A row's members by their alias: the Web API names an aliased column of a
/// linked table by its alias, some tools by "link.alias"; annotations
/// ("...@OData.Community.Display.V1.FormattedValue") are left out.
std::map<std::string, const json*> columns_of(const json& row) {
  std::map<std::string, const json*> columns;
  for (const auto& [key, value] : row.items()) {
    if (key.find('@') != std::string::npos) continue;
    const std::size_t dot = key.rfind('.');
    columns[dot == std::string::npos ? key : key.substr(dot + 1)] = &value;
  }
  return columns;
}

/// A column as text (names, ids, versions may come as strings or numbers).
std::optional<std::string> text_of(const json* value) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number_integer()) return std::to_string(value->get<int64_t>());
  if (value->is_number()) return fmt::format("{}", value->get<double>());
  return std::nullopt;
}

std::optional<double> number_of(const json* value) {
  if (value == nullptr || value->is_null()) return 0.0;
  if (value->is_number()) return value->get<double>();
  if (value->is_string()) {
    try {
      std::size_t used = 0;
      const double parsed = std::stod(value->get<std::string>(), &used);
      if (used == value->get<std::string>().size() && std::isfinite(parsed)) return parsed;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

std::string money(double amount) {
  // Whole units with thousands separators; amounts are currency.
  const auto whole = static_cast<long long>(std::llround(amount));
  const std::string digits = std::to_string(whole < 0 ? -whole : whole);
  std::string out = whole < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::optional<std::string> RankingBuilder::add(const json& answer) {
  if (!answer.is_object() || !answer.contains("value") || !answer["value"].is_array()) {
    return "it is not a Web API answer: no \"value\" array of rows";
  }
  const json& rows = answer["value"];
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json& row = rows[i];
    if (!row.is_object()) return fmt::format("row {} is not an object", i);
    const auto columns = columns_of(row);
    auto column = [&](const char* name) -> const json* {
      auto it = columns.find(name);
      return it == columns.end() ? nullptr : it->second;
    };
    const std::optional<std::string> sequence = text_of(column("sequence_name"));
    const std::optional<std::string> version = text_of(column("sequence_version"));
    auto problem = [&](std::string_view what) { return fmt::format("row {}: {}", i, what); };
    if (column("opportunity") != nullptr) {
      const std::optional<std::string> opportunity = text_of(column("opportunity"));
      const std::optional<double> state = number_of(column("state"));
      const std::optional<double> actual = number_of(column("actual_value"));
      const std::optional<double> estimated = number_of(column("estimated_value"));
      if (!sequence || !version || !opportunity)
        return problem("it lacks sequence_name, sequence_version or opportunity");
      if (!state || !actual || !estimated) return problem("state, actual_value or estimated_value is not a number");
      Tally& tally = tallies_[{*sequence, *version}];
      // Once per opportunity, sequence and version, however many rows.
      tally.won[*opportunity] = {*state == 1, *actual};
      tally.pipeline[*opportunity] = *estimated;
      ++rows_["opportunities"];
    } else if (column("records") != nullptr) {
      const std::optional<double> records = number_of(column("records"));
      if (!sequence || !version) return problem("it lacks sequence_name or sequence_version");
      if (!records || *records < 0) return problem("records is not a count");
      tallies_[{*sequence, *version}].enrolled += static_cast<int64_t>(*records);
      ++rows_["enrolled"];
    } else if (column("step") != nullptr && column("outcome") != nullptr) {
      ++rows_["step_outcomes"];
    } else {
      return problem(
          "it has none of the columns of Cadence's report queries (opportunity, records, or step and outcome)");
    }
  }
  return std::nullopt;
}

Ranking RankingBuilder::finish() const {
  Ranking ranking;
  ranking.rows = rows_;
  std::map<std::string, RankedSequence> by_name;
  for (const auto& [key, tally] : tallies_) {
    RankedVersion version;
    version.version = key.second;
    version.enrolled = tally.enrolled;
    for (const auto& [id, won] : tally.won) {
      if (!won.first) continue;
      ++version.won_count;
      version.won_amount += won.second;
    }
    for (const auto& [id, estimated] : tally.pipeline) {
      ++version.pipeline_count;
      version.pipeline_amount += estimated;
    }
    RankedSequence& sequence = by_name[key.first];
    sequence.name = key.first;
    sequence.total.enrolled += version.enrolled;
    sequence.total.won_count += version.won_count;
    sequence.total.won_amount += version.won_amount;
    sequence.total.pipeline_count += version.pipeline_count;
    sequence.total.pipeline_amount += version.pipeline_amount;
    sequence.versions.push_back(std::move(version));
  }
  for (auto& [name, sequence] : by_name) {
    if (sequence.total.enrolled > 0) {
      sequence.won_per_record = sequence.total.won_amount / static_cast<double>(sequence.total.enrolled);
    }
    ranking.sequences.push_back(std::move(sequence));
  }
  std::stable_sort(ranking.sequences.begin(), ranking.sequences.end(),
                   [](const RankedSequence& a, const RankedSequence& b) {
                     if (a.won_per_record.has_value() != b.won_per_record.has_value())
                       return a.won_per_record.has_value();
                     return a.won_per_record.value_or(0) > b.won_per_record.value_or(0);
                   });
  const auto ranked =
      static_cast<std::size_t>(std::count_if(ranking.sequences.begin(), ranking.sequences.end(),
                                             [](const RankedSequence& s) { return s.won_per_record.has_value(); }));
  for (std::size_t i = 0; i < ranked; ++i) {
    ranking.sequences[i].rank = static_cast<int>(i + 1);
    ranking.sequences[i].bottom_third = i >= ranked - ranked / 3;
  }
  return ranking;
}

std::string ranking_text(const Ranking& ranking) {
  std::size_t width = 8;
  for (const RankedSequence& s : ranking.sequences) width = std::max(width, visible(s.name).size());
  std::string out = fmt::format("{:>4}  {:<{}}  {:>8}  {:>9}  {:>14}  {:>12}  {:>9}  {:>14}\n", "rank", "sequence",
                                width, "enrolled", "won", "won amount", "per record", "pipeline", "pipeline amt");
  for (const RankedSequence& s : ranking.sequences) {
    out += fmt::format("{:>4}  {:<{}}  {:>8}  {:>9}  {:>14}  {:>12}  {:>9}  {:>14}{}\n",
                       s.rank == 0 ? std::string("-") : std::to_string(s.rank), visible(s.name), width,
                       s.total.enrolled, s.total.won_count, money(s.total.won_amount),
                       s.won_per_record ? fmt::format("{:.2f}", *s.won_per_record) : std::string("-"),
                       s.total.pipeline_count, money(s.total.pipeline_amount),
                       s.bottom_third                 ? "  bottom third: retire or rework"
                       : s.won_per_record.has_value() ? ""
                                                      : "  nothing enrolled");
  }
  std::size_t ranked = 0, bottom = 0;
  for (const RankedSequence& s : ranking.sequences) {
    ranked += s.rank > 0;
    bottom += s.bottom_third;
  }
  out += fmt::format(
      "{} sequence{} ranked by won amount per enrolled record; {} in the bottom third. Won: opportunities won "
      "(actual value), each once per sequence version; pipeline: every opportunity created on or after the "
      "enrolment (estimated value).\n",
      ranked, ranked == 1 ? "" : "s", bottom);
  return out;
}

nlohmann::ordered_json ranking_json(const Ranking& ranking) {
  using Json = nlohmann::ordered_json;
  auto version_json = [](const RankedVersion& v) {
    return Json{{"enrolled", v.enrolled},
                {"won_count", v.won_count},
                {"won_amount", v.won_amount},
                {"pipeline_count", v.pipeline_count},
                {"pipeline_amount", v.pipeline_amount}};
  };
  Json sequences = Json::array();
  for (const RankedSequence& s : ranking.sequences) {
    Json item{{"name", s.name}, {"rank", s.rank == 0 ? Json(nullptr) : Json(s.rank)}};
    item.update(version_json(s.total));
    item["won_per_record"] = s.won_per_record ? Json(*s.won_per_record) : Json(nullptr);
    item["bottom_third"] = s.bottom_third;
    Json versions = Json::array();
    for (const RankedVersion& v : s.versions) {
      Json entry{{"version", v.version}};
      entry.update(version_json(v));
      versions.push_back(std::move(entry));
    }
    item["versions"] = std::move(versions);
    sequences.push_back(std::move(item));
  }
  Json rows = Json::object();
  for (const auto& [kind, count] : ranking.rows) rows[kind] = count;
  return Json{{"format", "cadence-ranking"}, {"version", 1}, {"rows", rows}, {"sequences", std::move(sequences)}};
}

std::string ranking_svg(const Ranking& ranking) {
  constexpr int kLabel = 260, kBar = 420, kRow = 28, kTop = 40;
  double best = 0;
  for (const RankedSequence& s : ranking.sequences) best = std::max(best, s.won_per_record.value_or(0));
  const int height = kTop + static_cast<int>(ranking.sequences.size()) * kRow + 30;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" "
      "font-size=\"13\">\n"
      "  <title>Won amount per enrolled record, by sequence</title>\n"
      "  <text x=\"10\" y=\"22\" font-size=\"15\">Won amount per enrolled record (bottom third in red)</text>\n",
      kLabel + kBar + 120, height);
  int y = kTop;
  for (const RankedSequence& s : ranking.sequences) {
    const double value = s.won_per_record.value_or(0);
    const int width = best > 0 ? static_cast<int>(std::lround(value / best * kBar)) : 0;
    out += fmt::format("  <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", kLabel - 8, y + 17,
                       xml_escape(s.name));
    out +=
        fmt::format("  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" fill=\"{}\"><title>{}: {}</title></rect>\n",
                    kLabel, y + 3, width, s.bottom_third ? "#c0392b" : "#2e86c1", xml_escape(s.name),
                    s.won_per_record ? fmt::format("{:.2f}", value) : std::string("nothing enrolled"));
    out += fmt::format("  <text x=\"{}\" y=\"{}\">{}</text>\n", kLabel + width + 6, y + 17,
                       s.won_per_record ? fmt::format("{:.2f}", value) : std::string("-"));
    y += kRow;
  }
  out += "</svg>\n";
  return out;
}

}  // namespace cadence
