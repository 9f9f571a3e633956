// Board: what the simulator needs to know about one development board or chip: its core, its
// clock, and its memory map (regions, aliases, boot address).
//
// Until the catalog (catalog/*.toml) exists, a small built-in list provides the boards; each
// number there cites the document it comes from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core.h"
#include "sim/status.h"

namespace tinysim::sim {

enum class RegionKind {
  kFlash,  // read-only and executable at run time; loaded from the ELF
  kSram,   // read-write and executable
  kTcm,    // tightly coupled RAM (zero wait state on silicon)
};

struct MemoryRegion {
  std::string name;
  uint32_t base = 0;
  uint32_t size_bytes = 0;
  RegionKind kind = RegionKind::kSram;
  // Non-empty: this region mirrors the start of the named region (e.g. STM32 flash at 0).
  std::string alias_of;

  uint64_t end() const { return uint64_t(base) + size_bytes; }
  bool contains(uint32_t address, uint32_t length = 1) const {
    return address >= base && uint64_t(address) + length <= end();
  }
};

struct Board {
  std::string name;         // catalog key, e.g. "nucleo-f411re"
  std::string description;  // e.g. "ST Nucleo-F411RE (STM32F411RE)"
  CoreConfig core;
  uint64_t clock_hz = 0;      // core clock the board runs at by default
  uint32_t boot_address = 0;  // where the core reads the initial SP and reset vector
  std::vector<MemoryRegion> memory;

  // Checks the description is usable: a clock, at least one flash and one SRAM region, sizes
  // non-zero, no overlaps, aliases naming an existing region. Errors name the board and key.
  Status validate() const;
  // The region containing [address, address + length), or nullptr.
  const MemoryRegion* region_at(uint32_t address, uint32_t length = 1) const;
  const MemoryRegion* region_named(const std::string& name) const;
  // Total SRAM (kSram + kTcm, aliases excluded) and flash bytes.
  uint64_t sram_bytes() const;
  uint64_t flash_bytes() const;
};

// The built-in boards, in a stable order.
const std::vector<Board>& builtin_boards();
// The board `name`, or kInvalidBoard listing the known names.
StatusOr<Board> find_board(const std::string& name);
// The board `tinysim run` uses when none is given.
const char* default_board_name();

}  // namespace tinysim::sim
