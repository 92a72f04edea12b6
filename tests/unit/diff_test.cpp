// unified_diff: whatever two texts, the diff applied with patch(1) turns the
// first into the second (the property `fmt --diff` and `check --diff` rely on).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "driver/fix.hpp"

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

/// `before` patched with unified_diff(before, after), as patch(1) does it.
std::string patched(const fs::path& dir, const std::string& before, const std::string& after) {
  const fs::path file = dir / "file.cadence";
  const fs::path diff = dir / "change.diff";
  write_file(file, before);
  write_file(diff, cadence::unified_diff("file.cadence", before, after));
  const std::string command = "patch --quiet --force --no-backup-if-mismatch -r - '" + file.string() + "' < '" +
                              diff.string() + "' > /dev/null 2>&1";
  if (std::system(command.c_str()) != 0) return "<patch failed>";
  return read_file(file);
}

/// A text of `lines` lines drawn from a small alphabet, so that random texts
/// share lines; with or without a final newline, trailing blanks, CR.
std::string random_text(std::mt19937& random, int lines) {
  static const char* const kLines[] = {"a", "b", "c", "  wait 2d", "}", "", "email e { template t }", "b  ", "a\r"};
  std::string text;
  for (int i = 0; i < lines; ++i) {
    text += kLines[random() % (sizeof kLines / sizeof *kLines)];
    text += '\n';
  }
  if (!text.empty() && random() % 3 == 0) text.pop_back();
  return text;
}

}  // namespace

TEST_CASE("a unified diff applied with patch gives the new text", "[diff]") {
  if (std::system("command -v patch > /dev/null 2>&1") != 0) {
    WARN("patch(1) is not installed; skipped");
    return;
  }
  const fs::path dir = fs::temp_directory_path() / ("cadence-diff-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  SECTION("every line changes") {
    // The cases that read past the edit trace: a one-line file without a
    // final newline, and a file whose every line loses its trailing blanks.
    CHECK(patched(dir, "sequence s {}", "sequence s {}\n") == "sequence s {}\n");
    CHECK(patched(dir, "a  \nb  \nc  \n", "a\nb\nc\n") == "a\nb\nc\n");
    CHECK(patched(dir, "x", "y") == "y");
    CHECK(patched(dir, "", "new\n") == "new\n");
    CHECK(patched(dir, "old\n", "") == "");
  }
  SECTION("random pairs of texts") {
    std::mt19937 random(20261205);
    for (int round = 0; round < 150; ++round) {
      const std::string before = random_text(random, static_cast<int>(random() % 12));
      const std::string after = random_text(random, static_cast<int>(random() % 12));
      INFO("before: " << before << "\nafter: " << after);
      CHECK(patched(dir, before, after) == after);
    }
  }
  SECTION("texts too different for an exact diff") {
    std::string before, after;
    for (int i = 0; i < 4500; ++i) {
      before += "old " + std::to_string(i) + "\n";
      after += "new " + std::to_string(i) + "\n";
    }
    before = "same start\n" + before + "same end";
    after = "same start\n" + after + "same end\n";
    CHECK(patched(dir, before, after) == after);
  }
  fs::remove_all(dir);
}
