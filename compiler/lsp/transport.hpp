// The Language Server Protocol's base protocol: messages framed by a
// Content-Length header, read from and written to file descriptors.
#pragma once

#include <optional>
#include <string>

namespace cadence::lsp {

/// Largest message body accepted; larger ones are skipped with an error.
inline constexpr std::size_t kMaxMessageBytes = 64u * 1024u * 1024u;

/// Reads framed messages from a file descriptor. Malformed headers are
/// skipped, never fatal.
class Reader {
 public:
  explicit Reader(int fd) : fd_(fd) {}

  enum class Status { Message, Timeout, Closed, Invalid };
  struct Result {
    Status status;
    std::string body;   // the message, for Status::Message
    std::string error;  // what was wrong, for Status::Invalid
  };

  /// The next message; waits at most `timeout_ms` (negative: forever) for
  /// input to arrive when none is buffered.
  Result next(int timeout_ms);
  /// True when a complete message is already buffered.
  [[nodiscard]] bool has_buffered_message() const;

 private:
  bool fill(int timeout_ms, bool& closed);
  int fd_;
  std::string buffer_;
  bool closed_ = false;
};

/// Writes one framed message (thread-safe).
void write_message(int fd, const std::string& body);

}  // namespace cadence::lsp
