// Helpers for the catalog tests: a scratch catalog directory of this test process's own.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace tinysim::testing {

// A catalog directory (chips/, boards/) under the temporary directory, removed at the end.
class ScratchCatalog {
 public:
  explicit ScratchCatalog(const std::string& tag) {
    dir_ = std::filesystem::temp_directory_path() /
           ("tinysim-catalog-test-" + std::to_string(getpid()) + "-" + tag);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "chips");
    std::filesystem::create_directories(dir_ / "boards");
  }
  ~ScratchCatalog() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path chip(const std::string& name, const std::string& text) const {
    return write(dir_ / "chips" / (name + ".toml"), text);
  }
  std::filesystem::path board(const std::string& name, const std::string& text) const {
    return write(dir_ / "boards" / (name + ".toml"), text);
  }

 private:
  static std::filesystem::path write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p) << text;
    return p;
  }
  std::filesystem::path dir_;
};

// A small valid chip: every required key, one wait-state table per voltage range.
inline const char* kTestChip = R"(
source = "test chip, every value from the test"
[chip]
part = "TEST1"
vendor = "Test"
family = "test"
[core]
kind = "cortex-m4"
fpu = "fpv4-sp"
nvic_priority_bits = 4
[clock]
max_mhz = 100
[supply]
vdd_min_v = 1.8
vdd_max_v = 3.6
[voltage_ranges.fast]
max_mhz = 100
[voltage_ranges.slow]
max_mhz = 40
[boot]
address = 0x08000000
[memory.flash]
kind = "flash"
base = 0x08000000
size = "256K"
[memory.sram]
kind = "sram"
base = 0x20000000
size = "64K"
[[flash.wait_states]]
range = "fast"
max_mhz = [25, 50, 75, 100]
[[flash.wait_states]]
range = "slow"
max_mhz = [20, 40]
)";

// A board on kTestChip at 80 MHz in range "fast".
inline const char* kTestBoard = R"(
source = "test board"
[board]
chip = "testchip"
description = "Test board"
[operating_point]
clock_mhz = 80
range = "fast"
vdd_v = 3.3
)";

}  // namespace tinysim::testing
