// cadence fmt: the one canonical layout, printed, checked, shown as a diff or
// written back.

#include <fmt/format.h>

#include "cli/common.hpp"
#include "diag/render.hpp"
#include "driver/fix.hpp"
#include "fmt/format.hpp"
#include "support/file_io.hpp"

namespace cadence::cli {
namespace {
namespace fs = std::filesystem;

class FmtCommand final : public Subcommand {
 public:
  Command declare(CommandLine& line) override {
    Command command = line.subcommand("fmt", "Format .cadence files in the one canonical layout");
    command.option("files", files_, "Files or directories (searched for *.cadence)").required().type_name("PATH");
    command.flag("-w,--write", write_, "Rewrite the files in place (atomically)");
    command.flag("--check", check_, "List files that are not formatted; change nothing");
    command.flag("--diff", diff_, "Show the changes as a unified diff; change nothing");
    command.footer(
        "Only whitespace changes; comments stay; line ends (LF or CRLF) and a byte order mark are kept.\n"
        "Files with syntax errors are left alone.\n"
        "Exit status: 0, 1 when a file is not formatted (--check, --diff) or has syntax errors, 2 I/O failure.");
    return command;
  }

  int run(const GlobalOptions& global) override {
    const auto files = collect_files(files_);
    if (!files) return kExitFailure;
    Output& out = Output::stdout_stream();
    bool errors = false, unformatted = false, failed = false;
    DiskFileSystem disk;
    for (const fs::path& file : *files) {
      FileSystem::ReadResult read = disk.read(file);
      if (!read.bytes) {
        print_error(fmt::format("cannot read '{}': {}", file.string(), read.error));
        failed = true;
        continue;
      }
      const Source source(file.string(), std::move(*read.bytes));
      const FormatResult formatted = format_source(source);
      if (!formatted.errors.empty()) {
        std::string rendered;
        for (const Diagnostic& d : formatted.errors) render_human(rendered, d, HumanStyle{global.color_for(stderr)});
        std::fwrite(rendered.data(), 1, rendered.size(), stderr);
        print_error(fmt::format("'{}' has syntax errors; not formatted", file.string()));
        errors = true;
        continue;
      }
      const std::string original = original_file_bytes(source);
      const std::string text = formatted.file_bytes();
      const bool changed = text != original;
      if (check_) {
        if (changed) {
          out.write(fmt::format("{}: not formatted\n", file.string()));
          unformatted = true;
        }
      } else if (diff_) {
        if (changed) {
          unformatted = true;
          out.write(unified_diff(file.string(), original, text));
        }
      } else if (write_) {
        if (!changed) continue;
        if (auto failure = write_file_atomically(file, text)) {
          print_error(*failure);
          failed = true;
        }
      } else {
        out.write(text);
      }
    }
    const int status = failed ? kExitFailure : errors || unformatted ? kExitErrors : kExitOk;
    return out.finish(status);
  }

 private:
  std::vector<std::string> files_;
  bool write_ = false;
  bool check_ = false;
  bool diff_ = false;
};

}  // namespace

std::unique_ptr<Subcommand> make_fmt_command() { return std::make_unique<FmtCommand>(); }

}  // namespace cadence::cli
