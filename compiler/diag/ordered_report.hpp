// A report written while files are still being checked: each file's part in
// input order, as soon as it and every file before it are final.
#pragma once

#include <cstdio>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.hpp"
#include "diag/report.hpp"

namespace cadence {

/// One file's part of a report.
struct ReportPart {
  std::string path;
  /// False while rules across files may still add to it (file_added).
  bool final = true;
  /// Not read: `errors` say why, and the file has no part in the report.
  bool unreadable = false;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  /// Lines for standard error as they are (the diagnostics left out).
  std::vector<std::string> notes;
  /// Errors among the diagnostics left out, counted in the totals.
  std::size_t omitted_errors = 0;
  std::span<const Diagnostic> diagnostics;
};

/// Where the report goes: its text, and the messages beside it.
struct ReportSink {
  std::function<void(std::string_view)> write;
  std::function<void(std::string_view)> error;
  std::function<void(std::string_view)> warning;
  std::function<void(std::string_view)> note;
};

/// Writes each file's part in input order. A part that must wait behind a
/// file that is not final is spooled to a temporary file, so memory holds
/// the files in flight, not the report. Thread-safe.
class OrderedReport {
 public:
  OrderedReport(ReportFormat& format, ReportSink sink, std::size_t count)
      : format_(format), sink_(std::move(sink)), slots_(count) {}
  ~OrderedReport();
  OrderedReport(const OrderedReport&) = delete;
  OrderedReport& operator=(const OrderedReport&) = delete;

  /// From the worker that finished file `index`.
  void file_done(std::size_t index, const ReportPart& part);

  /// In input order, once every file is checked: what rules across files
  /// added to a file that was not final.
  void file_added(std::size_t index, std::span<const Diagnostic> added);

  /// Writes what is left and the end of the report; returns the totals.
  ReportTotals finish();

  [[nodiscard]] bool any_unreadable() const { return unreadable_; }

 private:
  struct Slot {
    enum class State { Pending, Ready, Spooled, Written } state = State::Pending;
    ReportPart part;  // its diagnostics are in `entries`, rendered
    std::vector<RenderedEntry> entries;
    ReportFileState format_state;
    long spool_at = 0;
    std::size_t spooled = 0;
  };

  void drain();
  void write_through(std::size_t end);
  void spool(std::size_t index);
  void load(Slot& slot);
  void begin();
  void write(std::size_t index);

  ReportFormat& format_;
  ReportSink sink_;
  std::mutex mutex_;
  std::vector<Slot> slots_;
  std::size_t next_ = 0;
  bool blocked_ = false;
  bool begun_ = false;
  bool unreadable_ = false;
  std::FILE* spool_ = nullptr;
  ReportTotals totals_;
};

}  // namespace cadence
