#include "memory_models/wait_states.h"

#include <cstdio>

namespace tinysim::memory_models {

std::optional<uint32_t> required_wait_states(const WaitStateRange& range, uint64_t flash_clock_hz) {
  for (size_t n = 0; n < range.max_clock_hz.size(); ++n) {
    if (flash_clock_hz <= range.max_clock_hz[n]) return static_cast<uint32_t>(n);
  }
  return std::nullopt;
}

const WaitStateRange* find_wait_state_range(const FlashConfig& flash, std::string_view name) {
  if (flash.wait_states.empty()) return nullptr;
  if (name.empty()) return &flash.wait_states.front();
  for (const WaitStateRange& r : flash.wait_states) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

namespace {
std::string mhz(uint64_t hz) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g MHz", static_cast<double>(hz) / 1e6);
  return buf;
}
}  // namespace

std::string WaitStateCheck::message() const {
  if (ok) return {};
  std::string m = "flash clock " + mhz(flash_clock_hz) + " with " + std::to_string(configured) +
                  " wait state" + (configured == 1 ? "" : "s") + ": ";
  if (above_table) {
    m += "above the wait-state table (\"" + range + "\"); silicon cannot run this fast";
  } else {
    m += "the wait-state table (\"" + range + "\") requires " + std::to_string(*required) +
         "; silicon would read wrong data from flash";
  }
  return m;
}

}  // namespace tinysim::memory_models
