#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "support/file_io.hpp"

namespace fs = std::filesystem;
using namespace cadence;

namespace {

/// A folder of its own for one test, removed when the test ends.
struct ScratchDirectory {
  fs::path path;
  explicit ScratchDirectory(const std::string& name)
      : path(fs::temp_directory_path() / ("cadence-file-io-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
};

std::size_t temporaries_in(const fs::path& dir) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().find(".cadence-tmp-") != std::string::npos) ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("a signal during a write removes the temporary file", "[file_io]") {
  const ScratchDirectory scratch("signal");
  const fs::path& dir = scratch.path;
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::signal(SIGTERM, SIG_DFL);  // the test framework's own handler would otherwise stay
    std::string error;
    auto file = OutputFile::open(dir / "out.json", {}, error);
    if (file == nullptr || file->write(std::string(1 << 20, 'x'))) ::_exit(3);
    ::raise(SIGTERM);
    ::_exit(4);  // not reached: SIGTERM ends the process
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
  CHECK(temporaries_in(dir) == 0);
  CHECK_FALSE(fs::exists(dir / "out.json"));
}

TEST_CASE("an output that is not committed leaves the old file as it was", "[file_io]") {
  const ScratchDirectory scratch("abandon");
  const fs::path& dir = scratch.path;
  std::ofstream(dir / "out.json") << "old";
  {
    std::string error;
    auto file = OutputFile::open(dir / "out.json", {}, error);
    REQUIRE(file != nullptr);
    REQUIRE_FALSE(file->write("new"));
  }
  std::ifstream in(dir / "out.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "old");
  CHECK(temporaries_in(dir) == 0);
}

TEST_CASE("an output that is an input is refused before anything is written", "[file_io]") {
  const ScratchDirectory scratch("input");
  const fs::path& dir = scratch.path;
  std::ofstream(dir / "seq.cadence") << "source";
  fs::create_symlink("seq.cadence", dir / "alias");
  std::string error;
  CHECK(OutputFile::open(dir / "alias", {dir / "seq.cadence"}, error) == nullptr);
  CHECK(error.find("is also an input") != std::string::npos);
  CHECK(temporaries_in(dir) == 0);
}
