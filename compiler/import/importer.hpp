// Importers: what a platform's read API returns about its sequences, turned
// into .cadence source that `cadence check` accepts, with one finding for
// every construct read (mapped, approximated or dropped, at its place in
// the input as a JSON Pointer) and the platform's ids of what was read, so
// that a later deployment updates those records rather than creating new ones.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "export/target.hpp"

namespace cadence::importer {

using exporter::Fidelity;

/// One file the platform's API returned, parsed.
struct Input {
  std::string path;
  nlohmann::json document;
};

/// What became of one construct of the input.
struct Finding {
  Fidelity fidelity = Fidelity::Mapped;
  /// Where it was read: a file and a JSON Pointer into it.
  std::string file;
  std::string pointer;
  std::string message;
  /// What the user can do about it (approximations, drops, problems).
  std::string help;
};

struct Result {
  /// The .cadence source; empty when nothing could be imported.
  std::string source;
  std::vector<Finding> findings;
  /// The platform's ids of what was read, as a state file of `cadence
  /// apply` (deploy/deploy.hpp) without hashes: by sequence name, by the id of
  /// the request `cadence export` writes for each record ("sequence",
  /// "sequenceStep/email_1", "template/intro").
  nlohmann::ordered_json identities;
  std::size_t sequences = 0;
  std::size_t templates = 0;
  /// Problems that kept the input from being imported (Unsupported findings).
  [[nodiscard]] std::size_t problems() const;
};

/// Outreach's JSON:API documents: sequences with their sequenceSteps, the
/// steps' sequenceTemplates and the templates, in `data` and `included`, in
/// one document or spread over several.
[[nodiscard]] Result import_outreach(const std::vector<Input>& inputs);

/// Salesloft's cadence export (data.cadence_content: settings, sharing
/// settings and step groups), with the cadence's own read for its id.
[[nodiscard]] Result import_salesloft(const std::vector<Input>& inputs);

/// HubSpot's sequence reads (PublicSequenceResponseV2, alone or in a create
/// answer's `sequence`) and the email templates they name (PublicTemplate,
/// alone or in a list read's `results`).
[[nodiscard]] Result import_hubspot(const std::vector<Input>& inputs);

/// The importer of `platform` (one of source_names()).
[[nodiscard]] Result import_from(std::string_view platform, const std::vector<Input>& inputs);

/// The platforms `cadence import --from` reads.
[[nodiscard]] const std::vector<std::string>& source_names();

}  // namespace cadence::importer
