// libFuzzer target: the language server. The input is a byte stream of
// LSP traffic; it goes through the real transport (framing, headers) and
// every message reaches the server, after an initialize and an open
// document so that requests have something to work on.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "lsp/server.hpp"
#include "lsp/transport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cadence::lsp;
  const int fd = ::memfd_create("lsp-input", 0);
  if (fd < 0) return 0;
  if (size > 0 && ::write(fd, data, size) != static_cast<ssize_t>(size)) {
    ::close(fd);
    return 0;
  }
  ::lseek(fd, 0, SEEK_SET);
  std::size_t sent = 0;
  Server server(CADENCE_STDLIB_BUILD_DIR, [&sent](const Json& message) { sent += message.dump().size(); });
  server.handle(Json::parse(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}})"));
  server.handle(Json::parse(
      R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///fuzz/a.cadence","languageId":"cadence","version":1,"text":"import \"std/lead\"\ntemplate t for lead { subject \"Hi {{lead.firstname}}\" body \"b\" }\nsequence s {\n  target lead\n  email e { template t }\n  wait 1d\n  branch opened(e) { yes { call c { script \"x\" } } }\n}\n"}}})"));
  Reader reader(fd);
  for (int messages = 0; messages < 64 && !server.exited(); ++messages) {
    const Reader::Result read = reader.next(0);
    if (read.status == Reader::Status::Closed || read.status == Reader::Status::Timeout) break;
    if (read.status != Reader::Status::Message) continue;
    const Json message = Json::parse(read.body, nullptr, false);
    if (message.is_discarded()) continue;
    server.handle(message);
  }
  server.flush();
  ::close(fd);
  return 0;
}
