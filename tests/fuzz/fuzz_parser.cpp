// libFuzzer target: any bytes through the parser (encoding check, grammar,
// recovery, AST building).
#include <cstdint>
#include <string>

#include "syntax/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cadence::Source source("fuzz.cadence", std::string(reinterpret_cast<const char*>(data), size));
  cadence::DiagnosticCollector diagnostics;
  (void)cadence::parse(source, diagnostics);
  return 0;
}
