// `cadence export -o DIR/`: the export document as one folder per sequence,
// each request body in a file of its own beside manifest.json.
//
// The folders are written all or nothing: each is built complete in a fresh
// hidden folder beside it, then swapped into place in one rename. Only the
// files the previous export's manifest lists are removed; every other entry
// of the folder (a user's notes, a report) is kept. Nothing inside DIR is
// followed: a symbolic link where a folder or file goes is an error, never a
// way out of DIR.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "export/target.hpp"

namespace cadence::exporter {

/// The folder of a sequence below DIR: its name (an identifier), cut with a
/// hash past 128 characters so that every file name stays within the 255
/// bytes file systems allow.
[[nodiscard]] std::string sequence_folder_name(std::string_view sequence);

/// The file of the request `id`, number `order` of `count`: "04-sequence.json",
/// "05-sequenceStep-welcome.json" (characters other than letters, digits and
/// _ become -; a long id is cut and keeps a hash).
[[nodiscard]] std::string body_file_name(std::size_t order, std::size_t count, std::string_view id);

/// True for the names body_file_name gives: digits, '-', letters, digits, _
/// and -, ".json". A manifest listing anything else is not trusted.
[[nodiscard]] bool is_body_file_name(std::string_view name);

/// The manifest of one sequence's folder: its entry of `document` with each
/// body replaced by its file name.
[[nodiscard]] Json folder_manifest(const Json& document, const Json& sequence);

/// Writes `document` (export_document's) below `directory`, which is
/// created when missing. `inputs` are never removed. Returns what went wrong
/// (nothing below `directory` changed then, but for folders already swapped
/// in when a later swap fails); `notes` receives what the user should know
/// although the export succeeded (a folder of an interrupted export kept).
/// SIGINT, SIGTERM and SIGHUP wait until the folders are written or undone.
[[nodiscard]] std::optional<std::string> write_export_folders(const std::filesystem::path& directory,
                                                              const Json& document,
                                                              const std::vector<std::filesystem::path>& inputs,
                                                              std::vector<std::string>& notes);

}  // namespace cadence::exporter
