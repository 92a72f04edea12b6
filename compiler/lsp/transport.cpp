#include "lsp/transport.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <mutex>

#include <fmt/format.h>

namespace cadence::lsp {
namespace {

std::mutex write_mutex;

constexpr std::string_view kLengthHeader = "content-length";
/// A header block longer than this is not a header.
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

/// The first "Content-Length" (any case) at or after `from`.
std::size_t find_length_header(const std::string& buffer, std::size_t from) {
  for (std::size_t i = from; i + kLengthHeader.size() <= buffer.size(); ++i) {
    if (lower(buffer[i]) != 'c') continue;
    bool match = true;
    for (std::size_t k = 1; k < kLengthHeader.size() && match; ++k) match = lower(buffer[i + k]) == kLengthHeader[k];
    if (match) return i;
  }
  return std::string::npos;
}

/// Where the header block starting at `from` ends ("\r\n\r\n", or "\n\n"
/// from sloppy clients), and the separator's length.
std::size_t header_end(const std::string& buffer, std::size_t from, std::size_t& separator) {
  const auto crlf = buffer.find("\r\n\r\n", from);
  const auto lf = buffer.find("\n\n", from);
  if (crlf != std::string::npos && (lf == std::string::npos || crlf <= lf)) {
    separator = 4;
    return crlf;
  }
  separator = 2;
  return lf;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// True when `text` holds only blank space and header lines ("Name: value").
bool looks_like_headers(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
    if (!line.empty()) {
      const auto colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) return false;
      for (std::size_t i = 0; i < colon; ++i) {
        if (!std::isalnum(static_cast<unsigned char>(line[i])) && line[i] != '-') return false;
      }
    }
    start = end + 1;
  }
  return true;
}

}  // namespace

Reader::Frame Reader::locate() const {
  Frame frame;
  const std::size_t start = find_length_header(buffer_, 0);
  if (start == std::string::npos) {
    std::size_t separator = 0;
    const std::size_t end = header_end(buffer_, 0, separator);
    if (end != std::string::npos && looks_like_headers(std::string_view(buffer_).substr(0, end))) {
      frame.kind = Frame::Kind::BadHeader;
      frame.skip = end + separator;
      frame.error = "a message header without a valid Content-Length was skipped";
      return frame;
    }
    if (buffer_.size() > kMaxHeaderBytes) {
      // No header at all: keep only a tail that may be the start of one.
      frame.kind = Frame::Kind::Garbage;
      frame.skip = buffer_.size() - kLengthHeader.size();
      frame.error = "input without message headers was skipped";
    }
    return frame;
  }
  if (start > 0) {
    // A complete header block before it has no Content-Length of its own.
    std::size_t separator = 0;
    const std::size_t end = header_end(buffer_, 0, separator);
    if (end != std::string::npos && end < start && looks_like_headers(std::string_view(buffer_).substr(0, end))) {
      frame.kind = Frame::Kind::BadHeader;
      frame.skip = end + separator;
      frame.error = "a message header without a valid Content-Length was skipped";
      return frame;
    }
  }
  if (start > 0 && !looks_like_headers(std::string_view(buffer_).substr(0, start))) {
    frame.kind = Frame::Kind::Garbage;
    frame.skip = start;
    frame.error = fmt::format("{} bytes that are not a message were skipped", start);
    return frame;
  }
  std::size_t separator = 0;
  const std::size_t end = header_end(buffer_, start, separator);
  if (end == std::string::npos) {
    if (buffer_.size() - start > kMaxHeaderBytes) {
      frame.kind = Frame::Kind::Garbage;
      frame.skip = start + kLengthHeader.size();
      frame.error = "a message header without an end was skipped";
    }
    return frame;
  }
  // The value: digits, with blanks around them allowed; nothing else.
  std::size_t value = start + kLengthHeader.size();
  while (value < end && (buffer_[value] == ' ' || buffer_[value] == '\t')) ++value;
  bool valid = value < end && buffer_[value] == ':';
  ++value;
  while (valid && value < end && (buffer_[value] == ' ' || buffer_[value] == '\t')) ++value;
  std::size_t digits_end = value;
  while (valid && digits_end < end && buffer_[digits_end] >= '0' && buffer_[digits_end] <= '9') ++digits_end;
  std::size_t rest = digits_end;
  while (rest < end && (buffer_[rest] == ' ' || buffer_[rest] == '\t' || buffer_[rest] == '\r')) ++rest;
  // Other headers may follow on their own lines.
  valid = valid && digits_end > value && (rest == end || buffer_[rest] == '\n') && digits_end - value <= 18;
  if (!valid) {
    frame.kind = Frame::Kind::BadHeader;
    frame.skip = end + separator;
    frame.error = "a message header without a valid Content-Length was skipped";
    return frame;
  }
  std::size_t length = 0;
  std::from_chars(buffer_.data() + value, buffer_.data() + digits_end, length);
  frame.body = end + separator;
  frame.length = length;
  if (length > kAbsurdMessageBytes) {
    frame.kind = Frame::Kind::Absurd;
    frame.error = fmt::format("a message announced {} bytes; the connection is closed", length);
  } else if (length > kMaxMessageBytes) {
    frame.kind = Frame::Kind::TooLarge;
    frame.error = fmt::format("a message of {} bytes was skipped; the limit is {} bytes", length, kMaxMessageBytes);
  } else if (buffer_.size() - frame.body >= length) {
    frame.kind = Frame::Kind::Complete;
  }
  return frame;
}

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

bool Reader::has_buffered_message() const { return locate().kind == Frame::Kind::Complete; }

Reader::Result Reader::next(int timeout_ms) {
  for (;;) {
    const Frame frame = locate();
    switch (frame.kind) {
      case Frame::Kind::Complete: {
        std::string body = buffer_.substr(frame.body, frame.length);
        buffer_.erase(0, frame.body + frame.length);
        return {Status::Message, std::move(body), {}};
      }
      case Frame::Kind::Garbage:
      case Frame::Kind::BadHeader: buffer_.erase(0, frame.skip); return {Status::Invalid, {}, frame.error};
      case Frame::Kind::Absurd:
        buffer_.clear();
        closed_ = true;
        return {Status::Closed, {}, frame.error};
      case Frame::Kind::TooLarge: {
        // Skip the body as it arrives, without keeping it.
        std::size_t remaining = frame.length;
        buffer_.erase(0, frame.body);
        while (remaining > 0) {
          const std::size_t drop = std::min(remaining, buffer_.size());
          buffer_.erase(0, drop);
          remaining -= drop;
          if (remaining == 0) break;
          bool closed = false;
          fill(-1, closed);
          if (closed) {
            closed_ = true;
            return {Status::Closed, {}, {}};
          }
        }
        return {Status::Invalid, {}, frame.error};
      }
      case Frame::Kind::NeedMore: break;
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
