// Ctrl-C and progress for the commands that run simulations (profile, compare, fit, gate).
//
// InterruptGuard turns the first Ctrl-C into a cancellation flag the profiler sessions watch
// (profiler/session.h): runs stop at their next block and keep partial results; a second Ctrl-C
// kills the process as usual. ProgressLine shows one status line on stderr, only when stderr is
// a terminal and only once the command has run for half a second; everything else written to
// stderr while it is shown goes through the same lock and clears it first.
#pragma once

#include <atomic>
#include <chrono>
#include <csignal>
#include <mutex>
#include <string>

#include "profiler/session.h"

namespace tinysim::cli {

class InterruptGuard {
 public:
  InterruptGuard();   // installs the SIGINT handler and clears the flag
  ~InterruptGuard();  // restores the previous handler
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Set by the first Ctrl-C; pass to profiler::run_session / compare_boards.
  const std::atomic<bool>* flag() const;
  bool interrupted() const;

 private:
  struct sigaction previous_ {};
};

class ProgressLine {
 public:
  explicit ProgressLine(std::mutex& stderr_lock);
  ~ProgressLine();  // clears the line

  // Replaces the line with `text` (thread-safe; ignored when stderr is not a terminal or before
  // the first half second).
  void show(const std::string& text);
  // Clears the line. REQUIRES: the caller holds the stderr lock.
  void clear_locked();
  // Clears the line, taking the lock.
  void clear();

 private:
  std::mutex& lock_;
  bool tty_ = false;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

// "1,234,567 cycles (19.290 ms simulated), operators 3 of 14 done (conv_2d_4)".
std::string describe_progress(const profiler::SessionProgress& progress);

}  // namespace tinysim::cli
