// SPDX-License-Identifier: MIT
#include "progress.hpp"

#include <fmt/format.h>
#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/base_sink.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "casewatch/cli/context.hpp"
#include "casewatch/cli/output.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch::cli {
namespace {

using Clock = std::chrono::steady_clock;

// The line appears once the work has run this long (docs/cli.md, "Progress").
constexpr std::chrono::milliseconds k_delay{1000};
// At most ten drawings a second.
constexpr std::chrono::milliseconds k_redraw{100};
// The bar's width in cells: one width, so that it does not move as the rate and the time
// left come and go; left out when it does not fit.
constexpr std::size_t k_bar_cells = 20;
// The rate and the time left need this much of the work behind them to mean anything.
constexpr double k_rate_after_seconds = 0.2;

// The progress drawn now (the innermost, when one piece of work runs inside another).
Progress* g_active = nullptr;

// The delay before the line appears. CASEWATCH_PROGRESS_DELAY_MS, for tests only (not
// documented for users): a whole number of milliseconds, so that a test's small piece of
// work is drawn without waiting a second; anything else is the default.
std::chrono::milliseconds delay() {
  const char* v = std::getenv("CASEWATCH_PROGRESS_DELAY_MS");
  if (v == nullptr || *v == '\0') {
    return k_delay;
  }
  char* end = nullptr;
  long ms = std::strtol(v, &end, 10);
  if (*end != '\0' || ms < 0) {
    return k_delay;
  }
  return std::chrono::milliseconds(ms);
}

// The width of the terminal stderr is, else that of text (COLUMNS, stdout's terminal, 80).
std::size_t stderr_columns() {
  struct winsize ws {};
  if (::isatty(STDERR_FILENO) != 0 && ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 &&
      ws.ws_col > 0) {
    return ws.ws_col;
  }
  return text_width();
}

// Writes all of `s` to stderr, as far as it goes: a progress line that cannot be written
// is no error of the command.
void put(std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(STDERR_FILENO, s.data(), s.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string join(const std::vector<std::string>& fields) {
  std::string out;
  for (const std::string& f : fields) {
    if (f.empty()) {
      continue;
    }
    if (!out.empty()) {
      out += "  ";
    }
    out += f;
  }
  return out;
}

class ProgressAwareSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    erase_progress_line();
    std::fwrite(formatted.data(), 1, formatted.size(), stderr);
    std::fflush(stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

}  // namespace

std::string progress_count(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

std::string progress_bytes(std::size_t n) {
  constexpr double k_kib = 1024.0;
  auto x = static_cast<double>(n);
  if (n < 1024) {
    return fmt::format("{} B", n);
  }
  if (x < k_kib * k_kib) {
    return fmt::format("{:.1f} KiB", x / k_kib);
  }
  if (x < k_kib * k_kib * k_kib) {
    return fmt::format("{:.1f} MiB", x / (k_kib * k_kib));
  }
  return fmt::format("{:.2f} GiB", x / (k_kib * k_kib * k_kib));
}

std::string progress_time(double seconds) {
  auto s = static_cast<long long>(std::ceil(std::max(0.0, seconds)));
  if (s < 60) {
    return fmt::format("{} s", s);
  }
  if (s < 3600) {
    return fmt::format("{} min {:02} s", s / 60, s % 60);
  }
  return fmt::format("{} h {:02} min", s / 3600, (s % 3600) / 60);
}

std::string progress_line(const ProgressState& state, std::size_t width) {
  const bool bytes = state.kind == ProgressUnit::bytes;
  // The total, never less than what is done; 0: none known.
  const std::size_t total = state.total ? std::max(*state.total, state.done) : 0;
  auto amount = [&](std::size_t n) { return bytes ? progress_bytes(n) : progress_count(n); };
  std::string count = amount(state.done);
  if (state.total) {
    count += "/" + amount(total);
  }
  if (!bytes && !state.unit.empty()) {
    count += " " + std::string(state.unit);
  }
  std::string percent;
  if (total > 0) {
    percent = fmt::format("{}%", state.done * 100 / total);
  }
  std::string rate;
  std::string left;
  if (state.seconds >= k_rate_after_seconds && state.done > state.base) {
    double per_second = static_cast<double>(state.done - state.base) / state.seconds;
    if (bytes) {
      rate = progress_bytes(static_cast<std::size_t>(per_second)) + "/s";
    } else if (per_second < 10) {
      rate = fmt::format("{:.1f}/s", per_second);
    } else {
      rate = progress_count(static_cast<std::size_t>(std::lround(per_second))) + "/s";
    }
    if (state.done < total) {
      left = progress_time(static_cast<double>(total - state.done) / per_second) + " left";
    }
  }
  std::string label = text::printable(std::string(state.label));
  auto fits = [&](const std::string& line) { return text::display_width(line) <= width; };

  // With the bar, when there is room for it.
  if (total > 0) {
    std::string rest = join({count, percent, rate, left});
    std::size_t used = text::display_width(label) + 2 + 2 + 2 + text::display_width(rest);
    if (used + k_bar_cells <= width) {
      std::size_t cells = k_bar_cells;
      std::size_t filled =
          static_cast<std::size_t>(static_cast<double>(cells) * static_cast<double>(state.done) /
                                   static_cast<double>(total));
      std::string bar = "[" + std::string(filled, '#') + std::string(cells - filled, '-') + "]";
      return join({label, bar, rest});
    }
  }
  // Without it, losing the rate, then the percentage, then the time left.
  for (std::string* drop : {static_cast<std::string*>(nullptr), &rate, &percent, &left}) {
    if (drop != nullptr) {
      drop->clear();
    }
    std::string line = join({label, count, percent, rate, left});
    if (fits(line)) {
      return line;
    }
  }
  // The label cut to what the count leaves, else the line cut.
  std::size_t count_width = text::display_width(count);
  if (count_width + 3 <= width) {
    return join({text::fit_width(label, width - count_width - 2), count});
  }
  return text::fit_width(join({label, count}), width);
}

Progress::Progress(const Context& ctx, std::string label, std::string unit,
                   std::optional<std::size_t> total, ProgressUnit kind)
    : m_label(std::move(label)), m_unit(std::move(unit)), m_kind(kind), m_total(total) {
  ProgressMode mode = ctx.progress();
  m_shown = mode == ProgressMode::always ||
            (mode == ProgressMode::automatic && ::isatty(STDERR_FILENO) != 0);
  if (m_shown) {
    m_next_draw = Clock::now() + delay();
    m_outer = g_active;
    g_active = this;
  }
}

void Progress::phase(std::string label, std::string unit, std::optional<std::size_t> total,
                     ProgressUnit kind) {
  m_label = std::move(label);
  m_unit = std::move(unit);
  m_total = total;
  m_kind = kind;
  m_done = 0;
  m_rate_start.reset();
}

Progress::~Progress() {
  finish();
}

void Progress::finish() {
  if (!m_shown) {
    return;
  }
  erase();
  m_shown = false;
  if (g_active == this) {
    g_active = m_outer;
  }
}

void Progress::draw() {
  auto now = Clock::now();
  if (!m_rate_start && m_done > 0) {
    m_rate_start = now;
    m_rate_base = m_done;
  }
  if (now < m_next_draw) {
    return;
  }
  m_next_draw = now + k_redraw;
  if (m_outer != nullptr) {
    m_outer->erase();  // one line at a time: the inner work's
  }
  std::size_t columns = stderr_columns();
  double seconds = m_rate_start ? std::chrono::duration<double>(now - *m_rate_start).count() : 0;
  ProgressState state{m_label, m_unit, m_kind, m_done, m_total, seconds, m_rate_base};
  // One column less than the width: a line as wide as the terminal would wrap on some.
  std::string line = progress_line(state, columns > 1 ? columns - 1 : 1);
  std::size_t drawn = text::display_width(line);
  std::string out = "\r" + line;
  if (drawn < m_drawn) {
    out += std::string(m_drawn - drawn, ' ');  // what the longer line left
  }
  put(out);
  m_drawn = drawn;
}

void Progress::erase() {
  if (m_drawn == 0) {
    return;
  }
  put("\r" + std::string(m_drawn, ' ') + "\r");
  m_drawn = 0;
}

void erase_progress_line() {
  for (Progress* p = g_active; p != nullptr; p = p->m_outer) {
    p->erase();
  }
}

std::shared_ptr<spdlog::sinks::sink> progress_aware_stderr_sink() {
  return std::make_shared<ProgressAwareSink>();
}

}  // namespace casewatch::cli
