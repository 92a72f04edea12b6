#include "import/writer.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "cadence/lexical.hpp"
#include "support/duration.hpp"
#include "support/escape.hpp"

namespace cadence::importer {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Whether a `"""` block gives back `text` exactly: several lines, none with
/// a character the block would change (CR, other controls, blanks at the
/// end, a line of blanks only), no `"""` inside, and one line without
/// leading blanks, so that removing the common indentation removes only ours.
bool block_carries(std::string_view text) {
  if (text.find('\n') == std::string_view::npos || text.find("\"\"\"") != std::string_view::npos) return false;
  if (text.ends_with('"')) return false;
  bool flush_left = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    if (!line.empty()) {
      if (line.back() == ' ' || line.back() == '\t') return false;
      if (line.front() != ' ' && line.front() != '\t') flush_left = true;
    }
    for (const char c : line) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return false;
    }
    start = end + 1;
  }
  return flush_left;
}

void append_escaped(std::string& out, std::string_view text, bool quotes) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0') continue;  // no string of the language holds NUL
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += quotes ? "\\t" : "\t";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{{{:X}}}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string string_literal(std::string_view text, std::string_view indent, std::string_view closing_indent) {
  std::string out;
  if (block_carries(text)) {
    out += "\"\"\"\n";
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string_view line = text.substr(start, end - start);
      if (!line.empty()) {
        out += indent;
        append_escaped(out, line, false);
      }
      out += '\n';
      start = end + 1;
    }
    out += closing_indent;
    out += "\"\"\"";
    return out;
  }
  out += '"';
  append_escaped(out, text, true);
  out += '"';
  return out;
}

namespace {

/// Letters and digits of `text`, lower case, other runs as one `_`.
std::string slug(std::string_view text) {
  std::string name;
  for (const char c : text) {
    if (is_letter(c) || is_digit(c)) {
      name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

}  // namespace

std::string unique_name(std::string_view wanted, std::string_view fallback, std::set<std::string>& taken) {
  std::string name = slug(wanted);
  std::string usable_fallback = slug(fallback);
  if (usable_fallback.empty()) {
    usable_fallback = "n";
  } else if (is_digit(usable_fallback.front())) {
    usable_fallback = "n_" + usable_fallback;
  }
  if (name.empty()) {
    name = usable_fallback;
  } else if (is_digit(name.front())) {
    name = fmt::format("{}_{}", usable_fallback, name);
  }
  if (grammar::is_reserved_word(name)) name += '_';
  std::string candidate = name;
  for (int n = 2; taken.contains(candidate); ++n) candidate = fmt::format("{}_{}", name, n);
  taken.insert(candidate);
  return candidate;
}

std::vector<std::string> duration_literals(int64_t minutes) {
  std::vector<std::string> parts;
  while (minutes > 0) {
    const int64_t part = std::min(minutes, kMaxWaitMinutes);
    minutes -= part;
    if (part % kMinutesPerDay == 0) {
      parts.push_back(fmt::format("{}d", part / kMinutesPerDay));
    } else if (part % kMinutesPerHour == 0) {
      parts.push_back(fmt::format("{}h", part / kMinutesPerHour));
    } else {
      parts.push_back(fmt::format("{}m", part));
    }
  }
  return parts;
}

MergeFields merge_fields_from(std::string_view text, const exporter::Variables& variables, std::string_view entity) {
  // Every variable, longest first, so that "{{first_name}} {{last_name}}"
  // reads as one full name rather than two fields.
  std::vector<std::pair<std::string_view, std::string>> table;
  for (const auto& [field, variable] : variables.record)
    table.emplace_back(variable, fmt::format("{{{{{}.{}}}}}", entity, field));
  for (const auto& [field, variable] : variables.owner)
    table.emplace_back(variable, fmt::format("{{{{owner.{}}}}}", field));
  std::stable_sort(table.begin(), table.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  MergeFields result;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find("{{", i);
    if (open == std::string_view::npos) break;
    result.text.append(text, i, open - i);
    const auto known = std::find_if(table.begin(), table.end(),
                                    [&](const auto& entry) { return text.substr(open).starts_with(entry.first); });
    if (known != table.end()) {
      result.text += known->second;
      i = open + known->first.size();
      continue;
    }
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos || text.find("{{", open + 2) < close) {
      result.text += "{ {";  // braces that open no merge field
      i = open + 2;
      continue;
    }
    std::string_view inner = text.substr(open + 2, close - open - 2);
    while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
    while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
    result.unknown.insert(std::string(text.substr(open, close + 2 - open)));
    result.text += fmt::format("[{}]", inner);
    i = close + 2;
  }
  result.text.append(text.substr(std::min(i, text.size())));
  return result;
}

namespace {

/// The character a reference (`&amp;`, `&#39;`, `&#x2019;`) at `html[i]`
/// stands for, and its length; nothing when `&` starts no known reference.
std::optional<std::pair<std::string, std::size_t>> character_reference(std::string_view html, std::size_t i) {
  const std::size_t semicolon = html.find(';', i);
  if (semicolon == std::string_view::npos || semicolon - i > 10) return std::nullopt;
  const std::string_view name = html.substr(i + 1, semicolon - i - 1);
  static const std::pair<std::string_view, std::string_view> kNamed[] = {
      {"amp", "&"},        {"lt", "<"},         {"gt", ">"},         {"quot", "\""},       {"apos", "'"},
      {"nbsp", " "},       {"ndash", "\u2013"}, {"mdash", "\u2014"}, {"hellip", "\u2026"}, {"lsquo", "\u2018"},
      {"rsquo", "\u2019"}, {"ldquo", "\u201c"}, {"rdquo", "\u201d"}, {"copy", "\u00a9"},   {"euro", "\u20ac"}};
  for (const auto& [entity, text] : kNamed) {
    if (name == entity) return std::make_pair(std::string(text), semicolon - i + 1);
  }
  if (name.size() < 2 || name[0] != '#') return std::nullopt;
  uint32_t code = 0;
  const bool hex = name[1] == 'x' || name[1] == 'X';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 6) return std::nullopt;
  for (const char c : digits) {
    uint32_t value = 0;
    if (is_digit(c)) {
      value = static_cast<uint32_t>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      value = static_cast<uint32_t>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      value = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    code = code * (hex ? 16 : 10) + value;
  }
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return std::nullopt;
  std::string out;
  append_utf8(out, code);
  return std::make_pair(std::move(out), semicolon - i + 1);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

/// The value of attribute `name` in the tag text `tag` (`a href="..."`).
std::string attribute(std::string_view tag, std::string_view name) {
  const std::string low = lower(tag);
  std::size_t at = low.find(fmt::format("{}=", name));
  if (at == std::string::npos) return {};
  at += name.size() + 1;
  if (at >= tag.size()) return {};
  const char quote = tag[at];
  if (quote == '"' || quote == '\'') {
    const std::size_t end = tag.find(quote, at + 1);
    return std::string(tag.substr(at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1));
  }
  const std::size_t end = tag.find_first_of(" \t\n>", at);
  return std::string(tag.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
}

}  // namespace

PlainText text_from_html(std::string_view html) {
  PlainText result;
  // Lines read so far; the last is the one being read. A paragraph (<p>)
  // ends with a blank line, a block (<div>, as editors write each line) with
  // a line break, and <br> breaks the line even when it is empty.
  std::vector<std::string> lines(1);
  auto end_line = [&] { lines.emplace_back(); };
  auto end_block = [&] {
    if (!lines.back().empty()) end_line();
  };
  auto end_paragraph = [&] {
    end_block();
    if (lines.size() >= 2 && !lines[lines.size() - 2].empty()) end_line();
  };
  std::string link;  // the address of the link being read
  std::size_t link_start = 0;
  for (std::size_t i = 0; i < html.size();) {
    const char c = html[i];
    if (html.substr(i).starts_with("<!--")) {
      const std::size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      result.dropped.insert("comment");
      continue;
    }
    if (c == '<') {
      const std::size_t close = html.find('>', i);
      if (close == std::string_view::npos) {  // not a tag: text
        lines.back() += c;
        ++i;
        continue;
      }
      std::string_view tag = html.substr(i + 1, close - i - 1);
      i = close + 1;
      const bool closing = !tag.empty() && tag.front() == '/';
      if (closing) tag.remove_prefix(1);
      std::size_t name_end = 0;
      while (name_end < tag.size() && (is_letter(tag[name_end]) || is_digit(tag[name_end]))) ++name_end;
      const std::string name = lower(tag.substr(0, name_end));
      if (name == "p") {
        end_paragraph();
      } else if (name == "div") {
        end_block();
      } else if (name == "br") {
        end_line();
      } else if (name == "ul" || name == "ol") {
        // A list is lines of its own, each item "- ITEM"; its layout is
        // reported as formatting not kept.
        end_block();
        result.dropped.insert(name);
      } else if (name == "li") {
        end_block();
        if (!closing) lines.back() += "- ";
        result.dropped.insert(name);
      } else if (name == "a") {
        if (!closing) {
          link = attribute(tag, "href");
          link_start = lines.back().size();
        } else if (!link.empty()) {
          const std::string_view shown =
              std::string_view(lines.back()).substr(std::min(link_start, lines.back().size()));
          if (shown != link) lines.back() += fmt::format(" ({})", link);
          link.clear();
        }
      } else if (!name.empty()) {
        result.dropped.insert(name);
      }
      continue;
    }
    if (c == '&') {
      if (const auto reference = character_reference(html, i)) {
        lines.back() += reference->first;
        i += reference->second;
        continue;
      }
    }
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      // HTML reads any run of white space as one space.
      if (!lines.back().empty() && lines.back().back() != ' ') lines.back() += ' ';
      ++i;
      continue;
    }
    lines.back() += c;
    ++i;
  }
  // Blanks at the ends of lines go, and blank lines come one at a time,
  // never first or last.
  for (std::string& line : lines) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.empty()) {
      if (!result.text.empty() && !result.text.ends_with("\n\n")) result.text += '\n';
      continue;
    }
    result.text += line;
    result.text += '\n';
  }
  while (result.text.ends_with('\n')) result.text.pop_back();
  return result;
}

}  // namespace cadence::importer
