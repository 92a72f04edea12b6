// The Language Server Protocol's base protocol: messages framed by a
// Content-Length header, read from and written to file descriptors.
#pragma once

#include <optional>
#include <string>

namespace cadence::lsp {

/// Largest message body accepted; larger ones are skipped with an error.
inline constexpr std::size_t kMaxMessageBytes = 64u * 1024u * 1024u;
/// A length no client sends: the stream is broken, and the connection is
/// closed rather than waiting for a gigabyte.
inline constexpr std::size_t kAbsurdMessageBytes = 1024u * 1024u * 1024u;

/// Reads framed messages from a file descriptor. A malformed header (no
/// Content-Length, a value that is not a plain number, blanks around it
/// allowed) is skipped, and reading resynchronises on the next
/// `Content-Length:` line, so one bad frame loses at most that message.
class Reader {
 public:
  explicit Reader(int fd) : fd_(fd) {}

  enum class Status { Message, Timeout, Closed, Invalid };
  struct Result {
    Status status;
    std::string body;   // the message, for Status::Message
    std::string error;  // what was wrong, for Status::Invalid (and a Closed that the stream caused)
  };

  /// The next message; waits at most `timeout_ms` (negative: forever) for
  /// input to arrive when none is buffered.
  Result next(int timeout_ms);
  /// True when a complete message is already buffered.
  [[nodiscard]] bool has_buffered_message() const;

 private:
  /// What the buffer holds at its start.
  struct Frame {
    enum class Kind { NeedMore, Complete, Garbage, BadHeader, TooLarge, Absurd } kind = Kind::NeedMore;
    std::size_t skip = 0;    // Garbage, BadHeader: bytes to drop
    std::size_t body = 0;    // where the body starts
    std::size_t length = 0;  // the announced length
    std::string error;
  };
  [[nodiscard]] Frame locate() const;
  bool fill(int timeout_ms, bool& closed);
  int fd_;
  std::string buffer_;
  bool closed_ = false;
};

/// Writes one framed message (thread-safe).
void write_message(int fd, const std::string& body);

}  // namespace cadence::lsp
