#include "lsp/transport.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <mutex>

#include <fmt/format.h>

namespace cadence::lsp {
namespace {

std::mutex write_mutex;

/// Where the header block ends ("\r\n\r\n", or "\n\n" from sloppy clients).
std::size_t header_end(const std::string& buffer, std::size_t& separator) {
  const auto crlf = buffer.find("\r\n\r\n");
  const auto lf = buffer.find("\n\n");
  if (crlf != std::string::npos && (lf == std::string::npos || crlf <= lf)) {
    separator = 4;
    return crlf;
  }
  separator = 2;
  return lf;
}

}  // namespace

bool Reader::fill(int timeout_ms, bool& closed) {
  pollfd descriptor{fd_, POLLIN, 0};
  const int ready = ::poll(&descriptor, 1, timeout_ms);
  if (ready == 0) return false;
  if (ready < 0) {
    if (errno == EINTR) return false;
    closed = true;
    return false;
  }
  char chunk[65536];
  const ssize_t n = ::read(fd_, chunk, sizeof chunk);
  if (n <= 0) {
    if (n < 0 && errno == EINTR) return false;
    closed = true;
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

bool Reader::has_buffered_message() const {
  std::size_t separator = 0;
  const auto end = header_end(buffer_, separator);
  if (end == std::string::npos) return false;
  const auto at = buffer_.find("Content-Length:");
  if (at == std::string::npos || at > end) return true;  // invalid: reported by next()
  std::size_t length = 0;
  std::size_t digits = at + 15;
  while (digits < end && buffer_[digits] == ' ') ++digits;
  std::from_chars(buffer_.data() + digits, buffer_.data() + end, length);
  return buffer_.size() >= end + separator + length;
}

Reader::Result Reader::next(int timeout_ms) {
  for (;;) {
    std::size_t separator = 0;
    const auto end = header_end(buffer_, separator);
    if (end != std::string::npos) {
      const std::string headers = buffer_.substr(0, end);
      // Find Content-Length among the headers, case-insensitively.
      std::optional<std::size_t> length;
      std::size_t line_start = 0;
      bool bad_length = false;
      while (line_start <= headers.size()) {
        auto line_end = headers.find('\n', line_start);
        if (line_end == std::string::npos) line_end = headers.size();
        std::string line = headers.substr(line_start, line_end - line_start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
          std::string name = line.substr(0, colon);
          for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (name == "content-length") {
            std::size_t value = 0;
            std::size_t digits = colon + 1;
            while (digits < line.size() && line[digits] == ' ') ++digits;
            const auto [ptr, error] = std::from_chars(line.data() + digits, line.data() + line.size(), value);
            if (error != std::errc() || ptr != line.data() + line.size()) bad_length = true;
            else length = value;
          }
        }
        line_start = line_end + 1;
      }
      if (!length || bad_length) {
        buffer_.erase(0, end + separator);
        return {Status::Invalid, {}, "a message header without a valid Content-Length was skipped"};
      }
      if (*length > kMaxMessageBytes) {
        // Skip the body as it arrives, without keeping it.
        std::size_t remaining = *length;
        buffer_.erase(0, end + separator);
        while (remaining > 0) {
          const std::size_t drop = std::min(remaining, buffer_.size());
          buffer_.erase(0, drop);
          remaining -= drop;
          if (remaining == 0) break;
          bool closed = false;
          fill(-1, closed);
          if (closed) return {Status::Closed, {}, {}};
        }
        return {Status::Invalid, {}, fmt::format("a message of {} bytes was skipped; the limit is {} bytes", *length,
                                                 kMaxMessageBytes)};
      }
      if (buffer_.size() >= end + separator + *length) {
        std::string body = buffer_.substr(end + separator, *length);
        buffer_.erase(0, end + separator + *length);
        return {Status::Message, std::move(body), {}};
      }
    } else if (buffer_.size() > 64 * 1024) {
      // Garbage without any header end: drop it rather than grow forever.
      buffer_.clear();
      return {Status::Invalid, {}, "input without message headers was skipped"};
    }
    if (closed_) return {Status::Closed, {}, {}};
    bool closed = false;
    if (!fill(timeout_ms, closed)) {
      if (closed) {
        closed_ = true;
        continue;  // parse what is left, then report Closed
      }
      return {Status::Timeout, {}, {}};
    }
  }
}

void write_message(int fd, const std::string& body) {
  const std::string message = fmt::format("Content-Length: {}\r\n\r\n{}", body.size(), body);
  std::lock_guard lock(write_mutex);
  std::size_t written = 0;
  while (written < message.size()) {
    const ssize_t n = ::write(fd, message.data() + written, message.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // the client is gone; the read side will see it too
    }
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace cadence::lsp
