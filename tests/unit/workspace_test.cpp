// The workspace's read-ahead: bytes a run's scan read are what the parse of
// the same file uses, once, within a budget; an edit drops them.
#include <string>

#include <catch2/catch.hpp>

#include "sema/workspace.hpp"

using namespace cadence;

namespace {

const std::filesystem::path kFile = "/project/a.cadence";

std::string text_of(Workspace& workspace) {
  std::shared_ptr<const Module> module = workspace.load(kFile);
  std::string text(module->source->text());
  module.reset();
  (void)workspace.invalidate(kFile);
  return text;
}

}  // namespace

TEST_CASE("the parse takes the bytes a scan kept instead of reading the file again", "[workspace]") {
  OverlayFileSystem files;
  files.set(kFile, "// on disk\n");
  Workspace workspace(files, CADENCE_STDLIB_BUILD_DIR);
  // The bytes kept stand for the file: the parse reads nothing more.
  workspace.keep_read_ahead(kFile, "// kept\n");
  CHECK(text_of(workspace) == "// kept\n");
  // Taken once: the next load reads the file.
  CHECK(text_of(workspace) == "// on disk\n");
}

TEST_CASE("an edit or the end of a run drops the bytes kept", "[workspace]") {
  OverlayFileSystem files;
  files.set(kFile, "// on disk\n");
  Workspace workspace(files, CADENCE_STDLIB_BUILD_DIR);
  workspace.keep_read_ahead(kFile, "// kept\n");
  (void)workspace.invalidate(kFile);
  CHECK(text_of(workspace) == "// on disk\n");
  workspace.keep_read_ahead(kFile, "// kept\n");
  workspace.drop_read_ahead();
  CHECK(text_of(workspace) == "// on disk\n");
}

TEST_CASE("read-ahead keeps no more than its budget", "[workspace]") {
  OverlayFileSystem files;
  files.set(kFile, "// on disk\n");
  Workspace workspace(files, CADENCE_STDLIB_BUILD_DIR);
  workspace.keep_read_ahead(kFile, std::string(Workspace::kReadAheadBytes + 1, ' '));
  CHECK(text_of(workspace) == "// on disk\n");
  // Nor keeps an empty text (what read_bytes gives for a file it cannot read).
  workspace.keep_read_ahead(kFile, std::string());
  CHECK(text_of(workspace) == "// on disk\n");
}
