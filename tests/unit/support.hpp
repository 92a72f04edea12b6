// Helpers for unit tests: check in-memory sources against the real stdlib.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sema/check.hpp"
#include "sema/workspace.hpp"

namespace cadence::test {

/// A workspace with in-memory files on top of the disk (for the stdlib).
struct Program {
  DiskFileSystem disk;
  OverlayFileSystem files{&disk};
  std::unique_ptr<Workspace> workspace = std::make_unique<Workspace>(files, CADENCE_STDLIB_BUILD_DIR);

  /// Adds `text` as /virtual/NAME and checks it.
  CheckResult check_text(const std::string& text, const std::string& name = "main.cadence");
};

/// The names of the diagnostics, in order of position.
std::vector<std::string> names_of(const CheckResult& result);

/// Only `target lead` and the stdlib import around a flow body.
std::string sequence_with(const std::string& body, const std::string& extra_settings = "");

}  // namespace cadence::test
