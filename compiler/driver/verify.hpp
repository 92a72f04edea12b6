// `cadence check --verify`: compares a file's diagnostics with expectations
// written in its comments, in the manner of clang's -verify:
//
//   email a { template t }   // expected-warning {{no wait in between}}
//   // expected-error@+1 {{unknown step 'intr'}}
//   branch opened(intr) { yes { exit } }
//
// `expected-SEVERITY[@[+-]N] {{text}}`: a diagnostic of that severity (error,
// warning, info) on this line (or N lines below/above) whose message contains
// text. `expected-no-diagnostics` asserts there are none.
#pragma once

#include <string>
#include <vector>

#include "diag/diagnostic.hpp"

namespace cadence {

struct VerifyResult {
  bool ok = true;
  /// One line per problem: unexpected diagnostics and unmet expectations.
  std::vector<std::string> problems;
  std::size_t expectations = 0;
};

[[nodiscard]] VerifyResult verify_diagnostics(const Source& source, const std::vector<Diagnostic>& diagnostics);

}  // namespace cadence
