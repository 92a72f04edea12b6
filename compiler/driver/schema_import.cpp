#include "driver/schema_import.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cadence {
namespace {

using nlohmann::json;

std::string text_member(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The label in the user's language, else the first localized one.
std::string label_of(const json& option) {
  const auto label = option.find("Label");
  if (label == option.end() || !label->is_object()) return {};
  if (const auto user = label->find("UserLocalizedLabel"); user != label->end() && user->is_object()) {
    return text_member(*user, "Label");
  }
  if (const auto all = label->find("LocalizedLabels"); all != label->end() && all->is_array() && !all->empty()) {
    return text_member(all->front(), "Label");
  }
  return {};
}

/// The entity a metadata answer is about, from its @odata.context
/// ("...$metadata#EntityDefinitions('lead')/Attributes/...").
std::optional<std::string> context_entity(const json& answer) {
  static const std::regex pattern(R"(EntityDefinitions\((?:LogicalName=)?'([A-Za-z0-9_]+)'\))");
  std::smatch match;
  const std::string context = text_member(answer, "@odata.context");
  if (std::regex_search(context, match, pattern)) return match[1].str();
  return std::nullopt;
}

const std::set<std::string_view>& reserved_words() {
  static const std::set<std::string_view> kWords{"and", "or", "not", "in", "is", "null", "true", "false"};
  return kWords;
}

std::string cadence_type(const std::string& attribute_type) {
  if (attribute_type == "String" || attribute_type == "Memo") return "string";
  if (attribute_type == "Integer" || attribute_type == "BigInt" || attribute_type == "Decimal" ||
      attribute_type == "Double" || attribute_type == "Money")
    return "number";
  if (attribute_type == "DateTime") return "date";
  if (attribute_type == "Boolean") return "bool";
  if (attribute_type == "Picklist" || attribute_type == "State" || attribute_type == "Status") return "option";
  if (attribute_type == "Lookup" || attribute_type == "Customer" || attribute_type == "Owner") return "link";
  return {};
}

}  // namespace

std::string option_name_from_label(std::string_view label) {
  std::string name;
  bool gap = false;
  for (const char c : label) {
    if (c == '\'') continue;
    if (c == '&') {  // "Research & Development" reads research_and_development
      if (!name.empty()) name += "_and";
      gap = true;
      continue;
    }
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      gap = true;
      continue;
    }
    if (gap && !name.empty()) name += '_';
    gap = false;
    name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return name;
}

SchemaImport::Table& SchemaImport::table(const std::string& name) {
  auto it = std::find_if(tables_.begin(), tables_.end(), [&](const Table& t) { return t.name == name; });
  if (it != tables_.end()) return *it;
  tables_.push_back({name, {}});
  return tables_.back();
}

std::optional<std::string> SchemaImport::add(const json& answer, const std::string& file) {
  if (!answer.is_object()) return "it is not a Web API answer (an object)";
  auto column_of = [](Table& into, const std::string& name) -> Column& {
    auto it = std::find_if(into.columns.begin(), into.columns.end(), [&](const Column& c) { return c.name == name; });
    if (it != into.columns.end()) return *it;
    into.columns.push_back({name, {}, false, {}, {}, false});
    return into.columns.back();
  };
  auto read_options = [&](Column& column, const json& attribute) {
    for (const char* key : {"OptionSet", "GlobalOptionSet"}) {
      const auto set = attribute.find(key);
      if (set == attribute.end() || !set->is_object()) continue;
      const auto options = set->find("Options");
      if (options == set->end() || !options->is_array()) continue;
      column.options.clear();
      for (const json& option : *options) {
        const auto value = option.find("Value");
        if (value == option.end() || !value->is_number_integer()) continue;
        column.options.emplace_back(value->get<int64_t>(), label_of(option));
      }
      column.has_options = true;
      return;
    }
  };
  // An entity definition with its attributes.
  if (answer.contains("LogicalName") && answer.contains("Attributes")) {
    const std::string name = text_member(answer, "LogicalName");
    if (name.empty() || !answer["Attributes"].is_array()) return "its LogicalName or Attributes is not usable";
    Table& into = table(name);
    for (const json& attribute : answer["Attributes"]) {
      if (!attribute.is_object()) continue;
      const std::string logical = text_member(attribute, "LogicalName");
      if (logical.empty()) continue;
      // Shadow columns (a lookup's name, a money's base) belong to another.
      if (attribute.contains("AttributeOf") && attribute["AttributeOf"].is_string()) continue;
      if (attribute.value("IsValidForRead", true) == false) continue;
      Column& column = column_of(into, logical);
      column.type = text_member(attribute, "AttributeType");
      if (const auto level = attribute.find("RequiredLevel"); level != attribute.end() && level->is_object()) {
        const std::string value = text_member(*level, "Value");
        column.required = value == "SystemRequired" || value == "ApplicationRequired";
      }
      if (const auto targets = attribute.find("Targets"); targets != attribute.end() && targets->is_array()) {
        for (const json& target : *targets) {
          if (target.is_string()) column.targets.push_back(target.get<std::string>());
        }
      }
      read_options(column, attribute);
    }
    return std::nullopt;
  }
  // The choice columns of one entity, with their option sets.
  if (answer.contains("value") && answer["value"].is_array()) {
    const std::optional<std::string> entity = context_entity(answer);
    if (!entity) {
      return "its @odata.context names no EntityDefinitions('TABLE'): save the answer whole, with its context";
    }
    Table& into = table(*entity);
    for (const json& attribute : answer["value"]) {
      if (!attribute.is_object()) continue;
      const std::string logical = text_member(attribute, "LogicalName");
      if (logical.empty()) continue;
      Column& column = column_of(into, logical);
      read_options(column, attribute);
      if (const auto targets = attribute.find("Targets"); targets != attribute.end() && targets->is_array()) {
        column.targets.clear();
        for (const json& target : *targets) {
          if (target.is_string()) column.targets.push_back(target.get<std::string>());
        }
      }
    }
    return std::nullopt;
  }
  (void)file;
  return "it is neither an entity definition (LogicalName and Attributes) nor a list of choice columns (value)";
}

std::string SchemaImport::write(std::vector<std::string>& notes) const {
  std::set<std::string> tables;
  for (const Table& t : tables_) tables.insert(t.name);
  std::vector<const Table*> sorted;
  sorted.reserve(tables_.size());
  for (const Table& t : tables_) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(), [](const Table* a, const Table* b) { return a->name < b->name; });
  std::string out =
      "// Written by `cadence schema import` from the Dataverse Web API's metadata answers. Import this\n"
      "// file instead of the stdlib's modules for these tables: its declarations replace them, with this\n"
      "// tenant's columns and choice values. Option names come from the labels (docs/language.md).\n";
  for (const Table* t : sorted) {
    std::vector<const Column*> columns;
    columns.reserve(t->columns.size());
    for (const Column& c : t->columns) columns.push_back(&c);
    std::sort(columns.begin(), columns.end(), [](const Column* a, const Column* b) { return a->name < b->name; });
    out += fmt::format("\nentity {} {{\n", t->name);
    // A link is named after the table it reaches, as the stdlib's are
    // (`account.industrycode`), unless two columns reach the same table.
    std::map<std::string, int> reaching;
    for (const Column* c : columns) {
      if (cadence_type(c->type) == "link" && c->targets.size() == 1) ++reaching[c->targets.front()];
    }
    std::string links;
    for (const Column* c : columns) {
      const std::string type = cadence_type(c->type);
      if (type.empty()) {
        if (!c->type.empty() && c->type != "Uniqueidentifier" && c->type != "Virtual" && c->type != "EntityName")
          notes.push_back(
              fmt::format("{}.{}: a column of type {} has no Cadence type; left out", t->name, c->name, c->type));
        continue;
      }
      if (type == "link") {
        if (c->targets.size() != 1 || !tables.contains(c->targets.front())) continue;
        std::string link = c->targets.front();
        if (reaching[link] > 1) {
          link = c->name;
          if (link.size() > 2 && link.ends_with("id")) link.resize(link.size() - 2);
        }
        links += fmt::format("  link {}: {} by {}\n", link, c->targets.front(), c->name);
        continue;
      }
      if (type == "option") {
        if (!c->has_options || c->options.empty()) {
          notes.push_back(
              fmt::format("{}.{}: no option set in the answers (add the {}AttributeMetadata answer); left "
                          "out",
                          t->name, c->name, c->type == "Picklist" ? "Picklist" : c->type));
          continue;
        }
        std::vector<std::string> items;
        std::set<std::string> used;
        for (const auto& [value, label] : c->options) {
          std::string name = option_name_from_label(label);
          if (name.empty()) name = fmt::format("value_{}", value < 0 ? -value : value);
          if (name.front() >= '0' && name.front() <= '9') name.insert(0, "v_");
          if (reserved_words().contains(name)) name += "_";
          if (!used.insert(name).second) {
            name = fmt::format("{}_{}", name, value < 0 ? -value : value);
            used.insert(name);
            notes.push_back(fmt::format("{}.{}: two labels give '{}'; value {} is named {}", t->name, c->name,
                                        option_name_from_label(label), value, name));
          }
          items.push_back(fmt::format("{} = {}", name, value));
        }
        std::string line = fmt::format("  {}: option {{ {} }}", c->name, fmt::join(items, ", "));
        if (line.size() <= 100) {
          out += line + "\n";
        } else {
          out += fmt::format("  {}: option {{\n", c->name);
          std::string row = "   ";
          for (std::size_t i = 0; i < items.size(); ++i) {
            const std::string piece = " " + items[i] + (i + 1 < items.size() ? "," : "");
            if (row.size() + piece.size() > 100) {
              out += row + "\n";
              row = "   ";
            }
            row += piece;
          }
          out += row + "\n  }\n";
        }
        continue;
      }
      // Booleans always hold a value; other columns may be empty unless required.
      out += fmt::format("  {}: {}{}\n", c->name, type, c->required || type == "bool" ? "" : "?");
    }
    if (!links.empty()) out += "\n" + links;
    out += "}\n";
  }
  return out;
}

}  // namespace cadence
