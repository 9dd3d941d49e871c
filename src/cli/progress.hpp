// SPDX-License-Identifier: MIT
// Internal to the cli layer: the progress line of long work (docs/cli.md, "Progress").
//
// One line on stderr, redrawn in place with a carriage return at most ten times a second,
// fitted to the terminal's width and erased when the work ends (also when it ends with an
// error: the destructor erases it while the exception unwinds, before the error is printed).
// It appears only once the work has run a second, and only when stderr is a terminal
// (`--progress auto`, the default); `--progress always` draws it into whatever stderr is,
// `--progress never` and `-q` never. Nothing of it ever goes to stdout. The clock is read
// here, in the cli layer; the domain never sees it.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace spdlog::sinks {
class sink;
}  // namespace spdlog::sinks

namespace casewatch::cli {

class Context;

// What the line counts: things ("12,345 rows") or bytes ("3.4 MiB").
enum class ProgressUnit { items, bytes };

// What the line shows at one moment: the pure part, tested on its own.
struct ProgressState {
  std::string_view label;  // what the work is: "Importing", "Fetching statuses"
  std::string_view unit;   // what is counted, for items: "rows", "cases"
  ProgressUnit kind = ProgressUnit::items;
  std::size_t done = 0;
  std::optional<std::size_t> total;  // known: a bar, a percentage and the time left
  // The rate: (done - base) / seconds, the things done in the last `seconds` (from the
  // first step of the work on: the time before it, opening a file or a transaction, is no
  // measure of the rate).
  double seconds = 0;
  std::size_t base = 0;
};

// "12,345".
std::string progress_count(std::size_t n);
// "512 B", "3.4 KiB", "12.0 MiB", "1.25 GiB".
std::string progress_bytes(std::size_t n);
// "7 s", "2 min 05 s", "1 h 03 min" (rounded up to the second).
std::string progress_time(double seconds);

// The line, at most `width` display columns (the terminal's width less one, so it never
// wraps), without a line break:
//   Importing  [#########-----------]  45,000/100,000 cases  45%  9,000/s  7 s left
//   Exporting  12,345 cases  4,115/s
// A narrow terminal loses the bar first (20 cells), then the rate, the percentage and the
// time left; the label is cut last, with "…".
std::string progress_line(const ProgressState& state, std::size_t width);

// The progress of one piece of work: made before the work's loop, ticked in it, finished
// (or destroyed) before the command prints its result. Cheap when not shown: a tick is an
// addition and a comparison.
class Progress {
 public:
  Progress(const Context& ctx, std::string label, std::string unit,
           std::optional<std::size_t> total = std::nullopt,
           ProgressUnit kind = ProgressUnit::items);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `n` more done.
  void tick(std::size_t n = 1) { set(m_done + n); }
  // `done` done in all.
  void set(std::size_t done) {
    m_done = done;
    if (m_shown) {
      draw();
    }
  }
  void set_total(std::optional<std::size_t> total) { m_total = total; }
  // The line may be drawn (the mode and stderr allow it, not finished): a total that costs
  // something to know is worth working out.
  [[nodiscard]] bool shown() const { return m_shown; }
  // The next step of the same work, on the same line (reading a file, then writing its
  // rows): counted from 0, its rate from now; the line still appears a second after the
  // work began.
  void phase(std::string label, std::string unit, std::optional<std::size_t> total,
             ProgressUnit kind = ProgressUnit::items);
  // Erases the line, for good: the work is over (the result is printed next).
  void finish();

 private:
  void draw();
  void erase();

  std::string m_label;
  std::string m_unit;
  ProgressUnit m_kind;
  std::size_t m_done = 0;
  std::optional<std::size_t> m_total;
  bool m_shown = false;  // may draw (the mode and stderr allow it, not finished)
  // The rate's start: the first step of the phase, and the count then.
  std::optional<std::chrono::steady_clock::time_point> m_rate_start;
  std::size_t m_rate_base = 0;
  std::chrono::steady_clock::time_point m_next_draw;
  std::size_t m_drawn = 0;  // columns of the line on the screen; 0: none
  Progress* m_outer = nullptr;

  friend void erase_progress_line();
};

// Erases the line on the screen, if any, so that what is written to stderr next (a
// warning, a hook's output) starts at the left margin; the next tick draws it again.
void erase_progress_line();

// The sink of the log on stderr ("casewatch: warning: ..."): erases the progress line
// before each message, so a warning never lands in the middle of it.
std::shared_ptr<spdlog::sinks::sink> progress_aware_stderr_sink();

}  // namespace casewatch::cli
