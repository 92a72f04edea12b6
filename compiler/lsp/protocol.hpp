// JSON-RPC and LSP plumbing shared by the server's features: error codes,
// reading parameters, URIs and positions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "source/source.hpp"

namespace cadence::lsp {

using Json = nlohmann::json;

// JSON-RPC and LSP error codes.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerNotInitialized = -32002;
inline constexpr int kRequestCancelled = -32800;

/// Thrown by handlers for a malformed request; answered with kInvalidParams.
struct InvalidParams {
  std::string message;
};

/// `object[key]`, or InvalidParams.
const Json& require(const Json& object, const char* key);
/// `object[key]` as a string, or InvalidParams.
std::string require_string(const Json& object, const char* key);
/// An LSP Position object, or InvalidParams (negative or non-integer values).
LspPosition require_position(const Json& position);

/// Conversions between file paths and file:// URIs.
[[nodiscard]] std::optional<std::filesystem::path> uri_to_path(const std::string& uri);

/// True when `text` is an identifier of the language ([A-Za-z_][A-Za-z0-9_]*).
[[nodiscard]] bool is_identifier(std::string_view text);

/// True when `offset` lies in `span` or at its end (a cursor after a name is on it).
[[nodiscard]] inline bool touches(Span span, uint32_t offset) { return offset >= span.begin && offset <= span.end; }

}  // namespace cadence::lsp
