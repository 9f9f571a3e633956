// Paths of the firmware built by the normal build, for the tests.
#pragma once

#include <stdexcept>
#include <string>

namespace tinysim::testing {

// <build>/firmware/<name>-<variant>.elf
inline std::string firmware(const std::string& name, const std::string& variant) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name + "-" + variant + ".elf";
}

}  // namespace tinysim::testing

#include "sim/board.h"

namespace tinysim::testing {

// `name` at an operating point whose flash needs no wait states (16 MHz is below every
// catalog board's zero-wait-state limit), for tests of the core timing models alone.
inline sim::Board zero_wait_state_board(const std::string& name) {
  sim::Board board = sim::find_board(name).value();
  if (board.clock_hz > 16'000'000) {
    const Status s = board.select_operating_point(16'000'000, "");
    if (!s.is_ok()) throw std::runtime_error(s.message());
  }
  return board;
}

}  // namespace tinysim::testing
