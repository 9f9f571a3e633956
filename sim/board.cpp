#include "sim/board.h"

#include <fmt/format.h>

#include <algorithm>

namespace tinysim::sim {

Status Board::validate() const {
  auto bad = [&](const std::string& key, const std::string& what) {
    return Status{StatusCode::kInvalidBoard, fmt::format("board '{}': {}: {}", name, key, what)};
  };
  if (name.empty()) return bad("name", "missing");
  if (clock_hz == 0) return bad("clock_hz", "missing or zero");
  bool has_flash = false, has_sram = false;
  for (size_t i = 0; i < memory.size(); ++i) {
    const MemoryRegion& r = memory[i];
    const std::string key = fmt::format("memory.{}", r.name.empty() ? std::to_string(i) : r.name);
    if (r.name.empty()) return bad(key, "region without a name");
    if (r.size_bytes == 0) return bad(key + ".size", "zero");
    if (r.end() > 0x100000000ull) return bad(key, "extends beyond the 32-bit address space");
    if (!r.alias_of.empty()) {
      const MemoryRegion* target = region_named(r.alias_of);
      if (!target || !target->alias_of.empty()) {
        return bad(key + ".alias_of",
                   fmt::format("'{}' is not a region of this board", r.alias_of));
      }
      if (r.size_bytes > target->size_bytes) return bad(key + ".size", "larger than its target");
    } else {
      has_flash |= r.kind == RegionKind::kFlash;
      has_sram |= r.kind != RegionKind::kFlash;
    }
    for (size_t j = 0; j < i; ++j) {
      const MemoryRegion& o = memory[j];
      if (r.base < o.end() && o.base < r.end()) {
        return bad(key, fmt::format("overlaps region '{}' (0x{:08x}..0x{:08x})", o.name, o.base,
                                    o.end() - 1));
      }
    }
  }
  if (!has_flash) return bad("memory", "no flash region");
  if (!has_sram) return bad("memory", "no SRAM region");
  if (!region_at(boot_address, 8)) {
    return bad("boot_address", fmt::format("0x{:08x} is not in any memory region", boot_address));
  }
  return Status::ok();
}

const MemoryRegion* Board::region_at(uint32_t address, uint32_t length) const {
  for (const MemoryRegion& r : memory) {
    if (r.contains(address, length)) return &r;
  }
  return nullptr;
}

const MemoryRegion* Board::region_named(const std::string& region_name) const {
  for (const MemoryRegion& r : memory) {
    if (r.name == region_name) return &r;
  }
  return nullptr;
}

uint64_t Board::sram_bytes() const {
  uint64_t total = 0;
  for (const MemoryRegion& r : memory) {
    if (r.alias_of.empty() && r.kind != RegionKind::kFlash) total += r.size_bytes;
  }
  return total;
}

uint64_t Board::flash_bytes() const {
  uint64_t total = 0;
  for (const MemoryRegion& r : memory) {
    if (r.alias_of.empty() && r.kind == RegionKind::kFlash) total += r.size_bytes;
  }
  return total;
}

namespace {

constexpr uint32_t KiB = 1024;

// STM32 parts boot from main flash through its alias at 0 (BOOT0 low): RM0383 2.4, RM0360 2.5.
Board stm32(std::string name, std::string description, CoreConfig core, uint64_t clock_hz,
            uint32_t flash_bytes, uint32_t sram_bytes) {
  return Board{std::move(name),
               std::move(description),
               core,
               clock_hz,
               0x00000000,
               {{"flash", 0x08000000, flash_bytes, RegionKind::kFlash, ""},
                {"flash-boot-alias", 0x00000000, flash_bytes, RegionKind::kFlash, "flash"},
                {"sram", 0x20000000, sram_bytes, RegionKind::kSram, ""}}};
}

std::vector<Board> make_builtin_boards() {
  std::vector<Board> boards;
  // Memory sizes and maximum clocks: ../shared/reference/boards.md rows marked [V]
  // (modm-devices and ST CMSIS headers). Temporary until catalog/ replaces this list.
  boards.push_back(stm32("nucleo-f030r8", "ST Nucleo-F030R8 (STM32F030R8)",
                         {CoreKind::kCortexM0, FpuKind::kNone, false}, 48'000'000, 64 * KiB,
                         8 * KiB));
  boards.push_back(stm32("nucleo-g071rb", "ST Nucleo-G071RB (STM32G071RB)",
                         {CoreKind::kCortexM0Plus, FpuKind::kNone, false}, 64'000'000, 128 * KiB,
                         36 * KiB));
  boards.push_back(stm32("bluepill-f103c8", "Blue Pill (STM32F103C8)",
                         {CoreKind::kCortexM3, FpuKind::kNone, false}, 72'000'000, 64 * KiB,
                         20 * KiB));
  boards.push_back(stm32("nucleo-f411re", "ST Nucleo-F411RE (STM32F411RE)",
                         {CoreKind::kCortexM4, FpuKind::kFpv4Sp, true}, 100'000'000, 512 * KiB,
                         128 * KiB));
  // nRF52840: flash at 0, RAM at 0x20000000 (nRF52840 Product Specification 4.2, memory map).
  boards.push_back(Board{"nrf52840-dk",
                         "Nordic nRF52840 DK (nRF52840)",
                         {CoreKind::kCortexM4, FpuKind::kFpv4Sp, true},
                         64'000'000,
                         0x00000000,
                         {{"flash", 0x00000000, 1024 * KiB, RegionKind::kFlash, ""},
                          {"sram", 0x20000000, 256 * KiB, RegionKind::kSram, ""}}});
  // STM32F746: ITCM RAM at 0, flash on ITCM at 0x00200000 (the default boot address,
  // BOOT_ADD0 = 0x0080) and on AXIM at 0x08000000; DTCM + SRAM1 + SRAM2 contiguous from
  // 0x20000000 (RM0385 2.2, 2.4).
  boards.push_back(Board{"stm32f746g-disco",
                         "ST 32F746G-DISCOVERY (STM32F746NG)",
                         {CoreKind::kCortexM7, FpuKind::kFpv5Sp, true},
                         216'000'000,
                         0x00200000,
                         {{"itcm", 0x00000000, 16 * KiB, RegionKind::kTcm, ""},
                          {"flash-itcm", 0x00200000, 1024 * KiB, RegionKind::kFlash, "flash"},
                          {"flash", 0x08000000, 1024 * KiB, RegionKind::kFlash, ""},
                          {"dtcm", 0x20000000, 64 * KiB, RegionKind::kTcm, ""},
                          {"sram1", 0x20010000, 240 * KiB, RegionKind::kSram, ""},
                          {"sram2", 0x2004C000, 16 * KiB, RegionKind::kSram, ""}}});
  // nRF5340 application core: 1 MB flash at 0, 512 KB RAM at 0x20000000 (boards.md [R]).
  boards.push_back(Board{"nrf5340-dk",
                         "Nordic nRF5340 DK, application core (nRF5340)",
                         {CoreKind::kCortexM33, FpuKind::kFpv5Sp, true},
                         128'000'000,
                         0x00000000,
                         {{"flash", 0x00000000, 1024 * KiB, RegionKind::kFlash, ""},
                          {"sram", 0x20000000, 512 * KiB, RegionKind::kSram, ""}}});
  return boards;
}

}  // namespace

const std::vector<Board>& builtin_boards() {
  static const std::vector<Board> boards = make_builtin_boards();
  return boards;
}

StatusOr<Board> find_board(const std::string& name) {
  for (const Board& b : builtin_boards()) {
    if (b.name == name) return b;
  }
  std::string known;
  for (const Board& b : builtin_boards()) known += (known.empty() ? "" : ", ") + b.name;
  return Status{StatusCode::kInvalidBoard,
                fmt::format("unknown board '{}' (known boards: {})", name, known)};
}

const char* default_board_name() {
  return "nrf52840-dk";
}

}  // namespace tinysim::sim
