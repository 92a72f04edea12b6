#include "diag/ordered_report.hpp"

#include <algorithm>
#include <cstdint>

namespace cadence {

OrderedReport::~OrderedReport() {
  if (spool_ != nullptr) std::fclose(spool_);
}

void OrderedReport::file_done(std::size_t index, const ReportPart& part) {
  Slot slot;
  slot.part = part;
  slot.part.diagnostics = {};
  if (!part.unreadable) {
    slot.entries.reserve(part.diagnostics.size());
    for (const Diagnostic& d : part.diagnostics) slot.entries.push_back(format_.entry(d, slot.format_state));
  }
  std::lock_guard lock(mutex_);
  slot.state = Slot::State::Ready;
  slots_[index] = std::move(slot);
  if (blocked_) spool(index);
  drain();
}

void OrderedReport::file_added(std::size_t index, std::span<const Diagnostic> added) {
  std::lock_guard lock(mutex_);
  write_through(index);
  Slot& slot = slots_[index];
  load(slot);
  const std::size_t own = slot.entries.size();
  for (const Diagnostic& d : added) slot.entries.push_back(format_.entry(d, slot.format_state));
  // Both runs are sorted; merge them (own first on a tie).
  std::inplace_merge(slot.entries.begin(), slot.entries.begin() + static_cast<std::ptrdiff_t>(own), slot.entries.end());
  slot.part.final = true;
  write(index);
  next_ = index + 1;
}

ReportTotals OrderedReport::finish() {
  std::lock_guard lock(mutex_);
  begin();
  write_through(slots_.size());
  totals_.files = slots_.size();
  return totals_;
}

/// Writes the final files in order, up to the first that is not ready or
/// not final.
void OrderedReport::drain() {
  while (next_ < slots_.size()) {
    Slot& slot = slots_[next_];
    if (slot.state == Slot::State::Pending) return;
    if (!slot.part.final) {
      if (!blocked_) {
        // From here on everything waits for the end: spool what is ready.
        blocked_ = true;
        for (std::size_t i = next_; i < slots_.size(); ++i) {
          if (slots_[i].state == Slot::State::Ready) spool(i);
        }
      }
      return;
    }
    write(next_++);
  }
}

/// Writes every file before `end` that is not written yet (all final).
void OrderedReport::write_through(std::size_t end) {
  for (; next_ < end; ++next_) {
    if (slots_[next_].state != Slot::State::Written) write(next_);
  }
}

void OrderedReport::spool(std::size_t index) {
  Slot& slot = slots_[index];
  if (slot.state != Slot::State::Ready || slot.entries.empty()) return;
  if (spool_ == nullptr) spool_ = std::tmpfile();
  if (spool_ == nullptr) return;  // no temporary file: keep it in memory
  std::fseek(spool_, 0, SEEK_END);
  slot.spool_at = std::ftell(spool_);
  for (const RenderedEntry& entry : slot.entries) {
    const auto length = static_cast<uint32_t>(entry.text.size());
    const auto severity = static_cast<uint8_t>(entry.severity);
    std::fwrite(&entry.offset, sizeof entry.offset, 1, spool_);
    std::fwrite(&entry.kind, sizeof entry.kind, 1, spool_);
    std::fwrite(&severity, sizeof severity, 1, spool_);
    std::fwrite(&length, sizeof length, 1, spool_);
    std::fwrite(entry.text.data(), 1, length, spool_);
  }
  slot.spooled = slot.entries.size();
  std::vector<RenderedEntry>().swap(slot.entries);
  slot.state = Slot::State::Spooled;
}

void OrderedReport::load(Slot& slot) {
  if (slot.state != Slot::State::Spooled) return;
  std::fseek(spool_, slot.spool_at, SEEK_SET);
  slot.entries.resize(slot.spooled);
  for (RenderedEntry& entry : slot.entries) {
    uint8_t severity = 1;
    uint32_t length = 0;
    bool ok = std::fread(&entry.offset, sizeof entry.offset, 1, spool_) == 1 &&
              std::fread(&entry.kind, sizeof entry.kind, 1, spool_) == 1 &&
              std::fread(&severity, sizeof severity, 1, spool_) == 1 &&
              std::fread(&length, sizeof length, 1, spool_) == 1;
    entry.severity = static_cast<Severity>(severity);
    entry.text.resize(ok ? length : 0);
    if (ok && length > 0) ok = std::fread(entry.text.data(), 1, length, spool_) == length;
    if (!ok) entry.text = "(the report's temporary file could not be read back)\n";
  }
  slot.state = Slot::State::Ready;
}

/// The start of the report, before the first file (a broken configuration
/// stops the run before any file, and nothing is written then).
void OrderedReport::begin() {
  if (begun_) return;
  begun_ = true;
  sink_.write(format_.begin());
}

void OrderedReport::write(std::size_t index) {
  begin();
  Slot& slot = slots_[index];
  load(slot);
  const ReportPart& part = slot.part;
  for (const std::string& error : part.errors) sink_.error(error);
  for (const std::string& warning : part.warnings) sink_.warning(warning);
  for (const std::string& note : part.notes) sink_.note(note);
  if (part.unreadable) unreadable_ = true;
  totals_.errors += part.omitted_errors;
  for (const RenderedEntry& entry : slot.entries) totals_.count(entry.severity);
  sink_.write(format_.file(part.path, slot.entries, index == 0));
  Slot written;
  written.state = Slot::State::Written;
  slot = std::move(written);
}

}  // namespace cadence
