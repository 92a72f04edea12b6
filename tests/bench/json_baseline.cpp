// The throughput benchmark's baseline: how long nlohmann_json takes to read
// and parse a set of JSON files (the plans `cadence build` emits for the
// corpus), on one thread, the same way `cadence check` reads its sources.
//
// Usage: json_baseline [--repeat N] FILE...
// Prints the bytes parsed and the best wall-clock time of N runs.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

bool read_whole(const char* path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 5;
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "-h" || arg == "--help") {
      std::puts(
          "Usage: json_baseline [--repeat N] FILE...\n"
          "Reads and parses each file with nlohmann_json on one thread; prints the best of N runs.");
      return 0;
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fputs("json_baseline: no files given (try --help)\n", stderr);
    return 2;
  }
  double best = 1e300;
  std::size_t bytes = 0;
  std::size_t values = 0;
  for (int run = 0; run < repeat; ++run) {
    auto start = std::chrono::steady_clock::now();
    bytes = 0;
    values = 0;
    std::string text;
    for (const char* path : files) {
      if (!read_whole(path, text)) {
        std::fprintf(stderr, "json_baseline: cannot read %s\n", path);
        return 2;
      }
      bytes += text.size();
      auto document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (document.is_discarded()) {
        std::fprintf(stderr, "json_baseline: %s is not valid JSON\n", path);
        return 1;
      }
      values += document.size();
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds < best) best = seconds;
  }
  std::printf("json_baseline: %zu files, %zu bytes, best of %d: %.4f s (%.1f MB/s)\n", files.size(), bytes, repeat,
              best, static_cast<double>(bytes) / best / 1e6);
  return values == 0 ? 1 : 0;
}
