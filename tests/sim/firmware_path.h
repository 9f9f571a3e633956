// Paths of the firmware built by the normal build, for the tests.
#pragma once

#include <string>

namespace tinysim::testing {

// <build>/firmware/<name>-<variant>.elf
inline std::string firmware(const std::string& name, const std::string& variant) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name + "-" + variant + ".elf";
}

}  // namespace tinysim::testing
