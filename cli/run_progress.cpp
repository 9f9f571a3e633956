#include "cli/run_progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "profiler/report_format.h"

namespace tinysim::cli {
namespace {

// Lock-free, so setting it from the signal handler is safe.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_interrupt(int) {
  if (g_interrupted.load()) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
  g_interrupted.store(true);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_interrupted.store(false);
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &previous_, nullptr);
}

const std::atomic<bool>* InterruptGuard::flag() const {
  return &g_interrupted;
}

bool InterruptGuard::interrupted() const {
  return g_interrupted.load();
}

ProgressLine::ProgressLine(std::mutex& stderr_lock)
    : lock_(stderr_lock),
      tty_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

ProgressLine::~ProgressLine() {
  clear();
}

void ProgressLine::show(const std::string& text) {
  if (!tty_ || std::chrono::steady_clock::now() - start_ < std::chrono::milliseconds(500)) return;
  std::lock_guard lock(lock_);
  std::fprintf(stderr, "\r\033[K%s", text.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::clear_locked() {
  if (shown_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    shown_ = false;
  }
}

void ProgressLine::clear() {
  std::lock_guard lock(lock_);
  clear_locked();
}

std::string describe_progress(const profiler::SessionProgress& p) {
  std::string ops = fmt::format("{} operators done", p.operators_done);
  if (p.operator_count) {
    ops = fmt::format("operators {} of {} done", p.operators_done, p.operator_count);
    if (!p.current_operator.empty()) ops += " (" + p.current_operator + ")";
  }
  return fmt::format("{} cycles ({:.3f} ms simulated), {}",
                     profiler::detail::with_commas(int64_t(p.cycles)), p.simulated_ms, ops);
}

}  // namespace tinysim::cli
