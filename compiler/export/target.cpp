#include "export/target.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "export/targets.hpp"
#include "support/escape.hpp"

namespace cadence::exporter {

std::string_view fidelity_name(Fidelity fidelity) {
  switch (fidelity) {
    case Fidelity::Mapped: return "mapped";
    case Fidelity::Approximated: return "approximated";
    case Fidelity::Dropped: return "dropped";
    case Fidelity::Unsupported: return "unsupported";
  }
  return "mapped";
}

bool SequenceExport::exportable() const { return count(Fidelity::Unsupported) == 0; }

std::size_t SequenceExport::count(Fidelity fidelity) const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.fidelity == fidelity; }));
}

std::span<const Target* const> all_targets() {
  static const std::array<const Target*, 3> kTargets{&hubspot_target(), &outreach_target(), &salesloft_target()};
  return kTargets;
}

const Target* find_target(std::string_view name) {
  for (const Target* target : all_targets()) {
    if (target->name() == name) return target;
  }
  return nullptr;
}

std::vector<std::string> target_name_list() {
  std::vector<std::string> names;
  for (const Target* target : all_targets()) names.emplace_back(target->name());
  return names;
}

std::string target_names() {
  std::string names;
  for (const std::string& name : target_name_list()) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

Json fidelity_json(const SequenceExport& sequence) {
  Json result = Json::object();
  for (const Fidelity fidelity : {Fidelity::Mapped, Fidelity::Approximated, Fidelity::Dropped, Fidelity::Unsupported}) {
    Json entries = Json::array();
    for (const Finding& finding : sequence.findings) {
      if (finding.fidelity != fidelity) continue;
      Json entry{{"subject", finding.subject}, {"message", finding.message}};
      if (!finding.help.empty()) entry["help"] = finding.help;
      if (fidelity == Fidelity::Approximated || fidelity == Fidelity::Dropped) entry["warning"] = finding.warn;
      entry["location"] = finding.location;
      entries.push_back(std::move(entry));
    }
    result[std::string(fidelity_name(fidelity))] = std::move(entries);
  }
  return result;
}

Json export_document(const Target& target, const plan::Plan& plan, const std::vector<SequenceExport>& sequences) {
  Json document;
  document["format"] = "cadence-export";
  document["version"] = kExportFormatVersion;
  document["target"] = target.name();
  document["api"] = target.api();
  document["generator"] = plan.generator;
  document["source"] = plan.source;
  Json list = Json::array();
  const std::vector<plan::Sequence>& plan_sequences = plan.sequences;
  for (std::size_t i = 0; i < sequences.size() && i < plan_sequences.size(); ++i) {
    const SequenceExport& sequence = sequences[i];
    Json requests = Json::array();
    for (const Request& request : sequence.requests) {
      Json references = Json::array();
      for (const Reference& reference : request.references) {
        references.push_back({{"pointer", reference.pointer},
                              {"request", reference.request},
                              {"response_pointer", reference.response_pointer}});
      }
      requests.push_back({{"id", request.id},
                          {"method", request.method},
                          {"path", request.path},
                          {"body", request.body},
                          {"references", std::move(references)}});
    }
    list.push_back({{"name", sequence.name},
                    {"content_hash", plan_sequences[i].content_hash},
                    {"requests", std::move(requests)},
                    {"fidelity", fidelity_json(sequence)}});
  }
  document["sequences"] = std::move(list);
  return document;
}

std::string fidelity_text(const Target& target, const std::string& source,
                          const std::vector<SequenceExport>& sequences) {
  // Titles, teams, reasons and file names are the user's text: shown as
  // escapes, they cannot act on a terminal or start a CI log command.
  std::string out;
  for (const SequenceExport& sequence : sequences) {
    std::string line = fmt::format("{}: sequence '{}' for {}: {} mapped, {} approximated, {} dropped", source,
                                   sequence.name, target.title(), sequence.count(Fidelity::Mapped),
                                   sequence.count(Fidelity::Approximated), sequence.count(Fidelity::Dropped));
    const std::size_t unsupported = sequence.count(Fidelity::Unsupported);
    if (unsupported > 0) line += fmt::format(", {} not expressible (not exported)", unsupported);
    out += visible(line);
    out += '\n';
    for (const Fidelity fidelity :
         {Fidelity::Unsupported, Fidelity::Dropped, Fidelity::Approximated, Fidelity::Mapped}) {
      for (const Finding& finding : sequence.findings) {
        if (finding.fidelity != fidelity) continue;
        out += visible(fmt::format("  {:<13} {}: {}", fidelity_name(fidelity), finding.subject, finding.message));
        out += '\n';
      }
    }
  }
  return out;
}

std::optional<TargetCeiling> targets_ceiling(std::span<const std::string> names) {
  std::optional<TargetCeiling> ceiling;
  for (const std::string& name : names) {
    const Target* target = find_target(name);
    if (target == nullptr) continue;
    const std::optional<int64_t> cap = target->emails_per_day();
    if (cap && (!ceiling || *cap < ceiling->emails_per_day)) ceiling = TargetCeiling{*cap, target};
  }
  return ceiling;
}

std::string targets_without(std::span<const std::string> names, bool Reach::*construct) {
  std::vector<std::string_view> titles;
  for (const std::string& name : names) {
    const Target* target = find_target(name);
    if (target == nullptr || target->reach().*construct) continue;
    if (std::find(titles.begin(), titles.end(), target->title()) == titles.end()) titles.push_back(target->title());
  }
  std::string text;
  for (std::size_t i = 0; i < titles.size(); ++i) {
    if (i > 0) text += i + 1 == titles.size() ? " and " : ", ";
    text += titles[i];
  }
  return text;
}

}  // namespace cadence::exporter
