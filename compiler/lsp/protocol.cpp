#include "lsp/protocol.hpp"

#include <fmt/format.h>

#include "cadence/lexical.hpp"

namespace cadence::lsp {
namespace fs = std::filesystem;

namespace {

int from_hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const Json& require(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) throw InvalidParams{fmt::format("missing '{}'", key)};
  return object.at(key);
}

std::string require_string(const Json& object, const char* key) {
  const Json& value = require(object, key);
  if (!value.is_string()) throw InvalidParams{fmt::format("'{}' must be a string", key)};
  return value.get<std::string>();
}

LspPosition require_position(const Json& position) {
  auto number = [&](const char* key) {
    const Json& value = require(position, key);
    if (!value.is_number_unsigned() || value.get<uint64_t>() > UINT32_MAX) {
      throw InvalidParams{fmt::format("'{}' must be a non-negative integer", key)};
    }
    return value.get<uint32_t>();
  };
  return {number("line"), number("character")};
}

std::optional<fs::path> uri_to_path(const std::string& uri) {
  if (!uri.starts_with("file://")) return std::nullopt;
  std::string path;
  for (std::size_t i = 7; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && from_hex(uri[i + 1]) >= 0 && from_hex(uri[i + 2]) >= 0) {
      path += static_cast<char>(from_hex(uri[i + 1]) * 16 + from_hex(uri[i + 2]));
      i += 2;
    } else {
      path += uri[i];
    }
  }
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) return std::nullopt;
  return fs::path(path).lexically_normal();
}

bool is_identifier(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return false;
  for (const char c : text) {
    if (!grammar::is_identifier_char(c)) return false;
  }
  return true;
}

}  // namespace cadence::lsp
