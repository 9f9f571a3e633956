// Flash wait states from the reference manuals' tables: how many a clock needs, and whether the
// firmware configured enough (the machine turns a shortfall into a warning: on silicon the
// flash would return wrong data; the model keeps the faster, configured value).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "memory_models/config.h"

namespace tinysim::memory_models {

// Fewest wait states with which `flash_clock_hz` is within `range` (the smallest n with
// flash_clock_hz <= max_clock_hz[n]); nullopt when the clock is above the whole table.
std::optional<uint32_t> required_wait_states(const WaitStateRange& range, uint64_t flash_clock_hz);

// The row named `name` (empty: the first row); nullptr when there is no such row or no table.
const WaitStateRange* find_wait_state_range(const FlashConfig& flash, std::string_view name);

struct WaitStateCheck {
  bool ok = true;                    // configured >= required (always true without a table)
  uint32_t configured = 0;           // FLASH_ACR.LATENCY (or the fixed setting)
  std::optional<uint32_t> required;  // nullopt: clock above the table (or no table)
  uint64_t clock_hz = 0;             // core clock
  uint64_t flash_clock_hz = 0;       // clock indexing the table (core clock / clock_divider)
  std::string range;                 // the table row used
  bool above_table = false;          // the clock exceeds every row entry

  // "flash runs at 100 MHz with 1 wait state; RM table row \"2.7-3.6V\" needs 3" (empty if ok).
  std::string message() const;
};

}  // namespace tinysim::memory_models
