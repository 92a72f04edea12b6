// What every importer does the same way: findings at a file and a JSON
// Pointer, texts of the platform with its variables turned into merge
// fields, templates written once by name and content, sequence names that
// are usable and unique, and the assembly of the source and the state file.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/deploy.hpp"
#include "export/common.hpp"
#include "import/importer.hpp"

namespace cadence::importer {

/// The entity imported sequences enrol: the platforms' prospects are people
/// not yet customers, and std/lead has a field for every platform variable.
inline constexpr std::string_view kEntity = "lead";

class SourceBuilder {
 public:
  SourceBuilder(std::string_view target, std::string_view title, const exporter::Variables& variables);

  void add(Fidelity fidelity, const std::string& file, std::string pointer, std::string message, std::string help = {});

  /// A text of the platform as a string literal, its variables as merge
  /// fields; a variable without one is reported at `file`#`pointer`.
  [[nodiscard]] std::string text(std::string_view text, const std::string& file, const std::string& pointer,
                                 std::string_view indent = "", std::string_view closing_indent = "");

  /// Where a template was read: the file, the template's pointer, and the
  /// pointers of its subject and body (for what their texts lose).
  struct Place {
    const std::string& file;
    std::string pointer;
    std::string subject;
    std::string body;
  };
  /// The source name of a template (`id` is the platform's, for comments),
  /// writing it the first time; a template of the same name and content is
  /// written once.
  [[nodiscard]] std::string template_name(const Place& place, const std::string& id, std::string_view name,
                                          std::string_view subject, std::string_view body_html);

  /// A sequence name: `wanted` when it is a usable name not yet taken, else
  /// one made from `title`, else "sequence_<id>".
  [[nodiscard]] std::string sequence_name(std::string_view wanted, std::string_view title, std::string_view id);

  /// Adds a sequence's text and the platform's ids of its records, by request.
  void add_sequence(std::string text, const std::string& name, const std::map<std::string, deploy::Json>& records);

  /// The result: the source when no problem was found, the findings and
  /// the state file of the ids.
  [[nodiscard]] Result finish();

  [[nodiscard]] std::size_t problems() const { return result_.problems(); }

 private:
  std::string target_;
  std::string title_;
  const exporter::Variables& variables_;
  Result result_;
  deploy::State state_;
  std::set<std::string> sequence_names_;
  std::set<std::string> template_names_;
  std::map<std::string, std::string> template_by_content_;
  std::map<std::string, std::string> template_first_id_;
  std::vector<std::string> template_texts_;
  std::vector<std::string> sequence_texts_;
};

/// Members of a platform's answer, which may be missing, null or of another
/// type than documented: the member (null when missing or null), its text
/// ("" unless a string), whether it is `true`, and its integer.
[[nodiscard]] const nlohmann::json* member(const nlohmann::json& object, std::string_view name);
[[nodiscard]] std::string text_member(const nlohmann::json& object, std::string_view name);
[[nodiscard]] bool flag(const nlohmann::json& object, std::string_view name);
[[nodiscard]] std::optional<int64_t> integer(const nlohmann::json& object, std::string_view name);

/// Text that must hold no merge field and no control character (a title, a
/// comment): braces kept apart, controls as spaces.
[[nodiscard]] std::string plain_text(std::string_view text);

/// `text` as `//` comment lines.
[[nodiscard]] std::string comment_lines(std::string_view text);

/// "LinkedIn connect: NOTE", the text `cadence export` writes for a LinkedIn
/// step on a platform that has none: the action and the note.
[[nodiscard]] std::optional<std::pair<std::string, std::string>> exported_linkedin_text(std::string_view text);

}  // namespace cadence::importer
