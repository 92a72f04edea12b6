#include "import/builder.hpp"

#include <fmt/format.h>

#include "import/writer.hpp"

namespace cadence::importer {

SourceBuilder::SourceBuilder(std::string_view target, std::string_view title, const exporter::Variables& variables)
    : target_(target), title_(title), variables_(variables) {
  state_.target = target_;
}

void SourceBuilder::add(Fidelity fidelity, const std::string& file, std::string pointer, std::string message,
                        std::string help) {
  result_.findings.push_back({fidelity, file, std::move(pointer), std::move(message), std::move(help)});
}

std::string SourceBuilder::text(std::string_view text, const std::string& file, const std::string& pointer,
                                std::string_view indent, std::string_view closing_indent) {
  const MergeFields fields = merge_fields_from(text, variables_, kEntity);
  for (const std::string& variable : fields.unknown) {
    add(Fidelity::Approximated, file, pointer,
        fmt::format("the variable {} has no merge field in the language; it is written as text in brackets", variable),
        "replace it with a merge field, or write the text out");
  }
  return string_literal(fields.text, indent, closing_indent);
}

std::string SourceBuilder::template_name(const Place& place, const std::string& id, std::string_view name,
                                         std::string_view subject, std::string_view body_html) {
  // Each exported sequence creates its own copy of a template it shares.
  const std::string content = fmt::format("{}\n{}\n{}", name, subject, body_html);
  if (const auto it = template_by_content_.find(content); it != template_by_content_.end()) {
    add(Fidelity::Mapped, place.file, place.pointer,
        fmt::format("template {} -> template {} (the same name and content as template {})", id, it->second,
                    template_first_id_[it->second]));
    return it->second;
  }
  std::string source_name = unique_name(name, "template_" + id, template_names_);
  template_by_content_.emplace(content, source_name);
  template_first_id_.emplace(source_name, id);
  const PlainText body = text_from_html(body_html);
  if (!body.dropped.empty()) {
    std::string list;
    for (const std::string& element : body.dropped) list += (list.empty() ? "" : ", ") + ("<" + element + ">");
    add(Fidelity::Approximated, place.file, place.body,
        fmt::format("template {}: the body is read as text; the formatting of {} is not kept", source_name, list),
        fmt::format("a template's body is text in paragraphs; format it in {} if it must be", title_));
  }
  add(Fidelity::Mapped, place.file, place.pointer, fmt::format("template {} -> template {}", id, source_name));
  const std::string subject_literal = text(subject, place.file, place.subject);
  const std::string body_literal = text(body.text, place.file, place.body, "    ", "  ");
  template_texts_.push_back(fmt::format("// {} template {}.\ntemplate {} for {} {{\n  subject {}\n  body {}\n}}\n",
                                        title_, plain_text(id), source_name, kEntity, subject_literal, body_literal));
  return source_name;
}

std::string SourceBuilder::sequence_name(std::string_view wanted, std::string_view title, std::string_view id) {
  if (!wanted.empty()) {
    std::set<std::string> scratch;
    if (unique_name(wanted, "sequence", scratch) == wanted && !sequence_names_.contains(std::string(wanted))) {
      sequence_names_.emplace(wanted);
      return std::string(wanted);
    }
  }
  return unique_name(title, fmt::format("sequence_{}", id), sequence_names_);
}

void SourceBuilder::add_sequence(std::string text, const std::string& name,
                                 const std::map<std::string, deploy::Json>& records) {
  sequence_texts_.push_back(std::move(text));
  auto& into = state_.sequences[name];
  for (const auto& [request, id] : records) into[request].id = id;
}

Result SourceBuilder::finish() {
  if (result_.problems() > 0) return std::move(result_);
  std::string out = fmt::format("// Imported from {} by `cadence import --from {}`.\n\n", title_, target_);
  out += fmt::format("import \"std/{}\"\n", kEntity);
  for (const std::string& text : template_texts_) out += "\n" + text;
  for (const std::string& text : sequence_texts_) out += "\n" + text;
  result_.source = std::move(out);
  result_.sequences = sequence_texts_.size();
  result_.templates = template_texts_.size();
  result_.identities = deploy::state_json(state_);
  return std::move(result_);
}

const nlohmann::json* member(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string text_member(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = member(object, name);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

bool flag(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = member(object, name);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

std::optional<int64_t> integer(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = member(object, name);
  if (value == nullptr || !value->is_number_integer()) return std::nullopt;
  return value->get<int64_t>();
}

std::string plain_text(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      out += "{ ";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string comment_lines(std::string_view text) {
  std::string out;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out += fmt::format("// {}\n", plain_text(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> exported_linkedin_text(std::string_view text) {
  static constexpr std::string_view kPrefix = "LinkedIn ";
  if (!text.starts_with(kPrefix)) return std::nullopt;
  const std::size_t colon = text.find(": ");
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view action = text.substr(kPrefix.size(), colon - kPrefix.size());
  for (const std::string_view known : {"connect", "message", "inmail", "research", "introduction"}) {
    if (action == known) return std::make_pair(std::string(action), std::string(text.substr(colon + 2)));
  }
  return std::nullopt;
}

}  // namespace cadence::importer
