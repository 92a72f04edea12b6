// libFuzzer target: the language server as `cadence lsp` runs it. The input
// is a byte stream of LSP traffic after an initialize and an open document
// (so that requests have something to work on); it goes through run_server
// itself: the transport's framing, the batch's parsing and cancellation
// pre-scan, every handler, the debounced publishing. Whatever the bytes, the
// server must neither crash nor stop for any reason but `exit` or the end of
// its input.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "lsp/server.hpp"

namespace {

std::string frame(std::string_view body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const int sink = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  static const std::string preamble =
      frame(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}})") +
      frame(
          R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///fuzz/a.cadence","languageId":"cadence","version":1,"text":"import \"std/lead\"\ntemplate t for lead { subject \"Hi {{lead.firstname}}\" body \"b\" }\nsequence s {\n  target lead\n  email e { template t }\n  wait 1d\n  branch opened(e) { yes { call c { script \"x\" } } }\n}\n"}}})");
  const int fd = ::memfd_create("lsp-input", 0);
  if (fd < 0 || sink < 0) return 0;
  bool written = ::write(fd, preamble.data(), preamble.size()) == static_cast<ssize_t>(preamble.size());
  if (size > 0) written = written && ::write(fd, data, size) == static_cast<ssize_t>(size);
  if (!written) {
    ::close(fd);
    return 0;
  }
  ::lseek(fd, 0, SEEK_SET);
  // The end of input ends the loop; an `exit` in the bytes ends it sooner.
  (void)cadence::lsp::run_server(fd, sink, CADENCE_STDLIB_BUILD_DIR, 0);
  ::close(fd);
  return 0;
}
