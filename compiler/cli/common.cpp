#include "cli/common.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "diag/render.hpp"
#include "emit/plan.hpp"
#include "lint/lint.hpp"
#include "support/escape.hpp"
#include "support/file_io.hpp"
#include "support/json_input.hpp"
#include "support/paths.hpp"

namespace cadence::cli {
namespace fs = std::filesystem;

fs::path GlobalOptions::stdlib_dir() const {
  return find_stdlib(stdlib ? std::optional<fs::path>(*stdlib) : std::nullopt);
}

bool GlobalOptions::color_for(FILE* stream) const {
  if (color == "always") return true;
  if (color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return ::isatty(::fileno(stream)) != 0;
}

void print_error(std::string_view message) { std::fprintf(stderr, "cadence: error: %s\n", visible(message).c_str()); }

void print_warning(std::string_view message) {
  std::fprintf(stderr, "cadence: warning: %s\n", visible(message).c_str());
}

Output& Output::stdout_stream() {
  static Output output(stdout);
  return output;
}

void Output::write(std::string_view bytes) {
  if (error_ != 0 || bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), stream_) != bytes.size()) error_ = errno != 0 ? errno : EIO;
}

int Output::finish(int status) {
  if (error_ == 0 && std::fflush(stream_) != 0) error_ = errno != 0 ? errno : EIO;
  if (error_ == 0 && std::ferror(stream_)) error_ = EIO;
  if (error_ == 0) return status;
  print_error(fmt::format("cannot write to standard output: {}", std::strerror(error_)));
  return kExitFailure;
}

std::optional<std::vector<fs::path>> collect_files(const std::vector<std::string>& paths, std::vector<bool>* walked) {
  std::vector<fs::path> files;
  std::set<fs::path> named;
  bool ok = true;
  for (const std::string& path : paths) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      print_error(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
      ok = false;
      continue;
    }
    if (!S_ISDIR(info.st_mode)) {
      if (!S_ISREG(info.st_mode)) {
        print_error(fmt::format("cannot read '{}': not a regular file", path));
        ok = false;
        continue;
      }
      files.emplace_back(path);
      named.insert(path);
      continue;
    }
    SourceListing listing = list_sources(path);
    for (const SourceListing::Skipped& skipped : listing.skipped) {
      print_warning(fmt::format("skipped '{}': {}", skipped.path.string(), skipped.why));
    }
    if (listing.error) {
      print_error(fmt::format("cannot read directory '{}': {}", path, *listing.error));
      ok = false;
      continue;
    }
    std::vector<fs::path>& found = listing.files;
    if (found.empty()) {
      print_error(fmt::format("no .cadence files in '{}'", path));
      ok = false;
    }
    files.insert(files.end(), found.begin(), found.end());
  }
  if (!ok) return std::nullopt;
  // The same file named twice, or by two names (a link, a hard link), is
  // checked once, under the first of its names in order.
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  std::set<FileIdentity> seen;
  std::erase_if(files, [&](const fs::path& file) {
    const std::optional<FileIdentity> identity = file_identity(file);
    return identity && !seen.insert(*identity).second;
  });
  if (walked != nullptr) {
    walked->clear();
    for (const fs::path& file : files) walked->push_back(!named.contains(file));
  }
  return files;
}

CheckedFile check_for_output(const GlobalOptions& global, const std::string& file, std::string_view producing,
                             Names names) {
  static DiskFileSystem disk;
  CheckedFile checked;
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) {
    print_error(fmt::format("cannot read '{}': {}", file, std::strerror(errno)));
    checked.status = kExitFailure;
    return checked;
  }
  if (S_ISDIR(info.st_mode)) {
    print_error(fmt::format("'{}' is a directory; give one .cadence file", file));
    checked.status = kExitFailure;
    return checked;
  }
  checked.workspace = std::make_unique<Workspace>(disk, global.stdlib_dir());
  checked.workspace->name_files({file});
  checked.module = checked.workspace->load(file);
  const Module& module = *checked.module;
  if (module.unreadable) {
    for (const Diagnostic& d : module.diagnostics) print_error(d.message);
    checked.status = kExitFailure;
    return checked;
  }
  const CheckResult& result = check_module(module);
  for (const Module* each : module_closure(module)) checked.inputs.push_back(each->path);
  std::vector<Diagnostic> diagnostics = result.diagnostics;
  std::size_t errors = result.error_count;
  // Runtimes, reports and hand-offs know a sequence by its name: a name
  // another file of the project defines too is an error here as in `check`.
  if (errors == 0 && names == Names::Unique) {
    for (Diagnostic& d : duplicates_in_project(module)) diagnostics.push_back(std::move(d));
    errors = diagnostics.size() - result.diagnostics.size();
  }
  sort_diagnostics(diagnostics);
  std::string rendered;
  const HumanStyle style{global.color_for(stderr)};
  for (const Diagnostic& d : diagnostics) render_human(rendered, d, style);
  std::fwrite(rendered.data(), 1, rendered.size(), stderr);
  if (errors > 0) {
    print_error(fmt::format("{} error{} in '{}'; no {} written", errors, plural(errors), file, producing));
    checked.status = kExitErrors;
    return checked;
  }
  checked.result = &result;
  return checked;
}

std::optional<LoadedPlan> load_plan(const GlobalOptions& global, const std::string& file, std::string_view purpose,
                                    std::string_view producing, std::vector<fs::path>* inputs, Names names) {
  DiskFileSystem disk;
  FileSystem::ReadResult read = disk.read(file);
  if (!read.bytes) {
    print_error(fmt::format("cannot read '{}': {}", file, read.error));
    return std::nullopt;
  }
  const std::string& text = *read.bytes;
  const auto first = text.find_first_not_of(" \t\r\n");
  std::optional<LoadedPlan> loaded;
  if (first != std::string::npos && text[first] == '{') {
    std::string error;
    const auto plan = parse_json_input(text, error);
    if (!plan || !is_plan_document(*plan)) {
      print_error(fmt::format("'{}' is neither a .cadence file nor a Cadence plan{}", file,
                              error.empty() ? std::string() : fmt::format(" (it {})", error)));
      return std::nullopt;
    }
    // Read again keeping the members' order, so that what is derived from
    // the plan (an export's locations) is written as from the source.
    loaded.emplace(LoadedPlan{nlohmann::ordered_json::parse(text), {}});
    if (inputs != nullptr) inputs->emplace_back(file);
  } else {
    CheckedFile checked = check_for_output(global, file, producing, names);
    if (checked.result == nullptr) return std::nullopt;
    if (inputs != nullptr) inputs->insert(inputs->end(), checked.inputs.begin(), checked.inputs.end());
    loaded.emplace(LoadedPlan{build_plan(*checked.result), {}});
  }
  std::string problem;
  std::optional<plan::Plan> typed = read_plan(loaded->json, problem);
  if (!typed) {
    print_error(fmt::format("'{}' cannot be {}: {}", file, purpose, problem));
    return std::nullopt;
  }
  loaded->plan = std::move(*typed);
  return loaded;
}

int read_json_files(const std::vector<std::string>& files, std::string_view purpose, std::vector<fs::path>& inputs,
                    const std::function<std::optional<std::string>(const nlohmann::json&, const std::string&)>& take) {
  DiskFileSystem disk;
  for (const std::string& file : files) {
    FileSystem::ReadResult read = disk.read(file);
    if (!read.bytes) {
      print_error(fmt::format("cannot read '{}': {}", file, read.error));
      return kExitFailure;
    }
    inputs.emplace_back(file);
    std::string error;
    const std::optional<nlohmann::json> json = parse_json_input(*read.bytes, error);
    if (!json) {
      print_error(fmt::format("'{}' {}", file, error));
      return kExitErrors;
    }
    if (const std::optional<std::string> problem = take(*json, file)) {
      print_error(fmt::format("'{}' cannot be {}: {}", file, purpose, visible(*problem)));
      return kExitErrors;
    }
  }
  return kExitOk;
}

std::unique_ptr<Destination> Destination::open(const std::optional<std::string>& output,
                                               const std::vector<fs::path>& inputs) {
  auto destination = std::unique_ptr<Destination>(new Destination());
  if (!output || *output == "-") return destination;
  std::string error;
  destination->file_ = OutputFile::open(*output, inputs, error);
  if (destination->file_ == nullptr) {
    print_error(error);
    return nullptr;
  }
  return destination;
}

Destination::~Destination() = default;

void Destination::write(std::string_view bytes) {
  if (file_ == nullptr) {
    Output::stdout_stream().write(bytes);
  } else if (!error_) {
    error_ = file_->write(bytes);
  }
}

int Destination::finish(int status) {
  if (file_ == nullptr) return Output::stdout_stream().finish(status);
  if (!error_) error_ = file_->commit();
  if (!error_) return status;
  print_error(*error_);
  return kExitFailure;
}

int write_output(const std::optional<std::string>& output, std::string_view text, const std::vector<fs::path>& inputs) {
  auto destination = Destination::open(output, inputs);
  if (destination == nullptr) return kExitFailure;
  destination->write(text);
  return destination->finish(kExitOk);
}

}  // namespace cadence::cli
