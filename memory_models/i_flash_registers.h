// FlashRegisters: the flash-interface registers a family's firmware writes to set wait states,
// prefetch and caches (STM32 FLASH_ACR; on STM32U5/L5 also ICACHE_CR). Like silicon, the
// firmware's own configuration wins: the machine routes MMIO reads and writes inside windows()
// here, and the memory system retimes the flash from settings().
//
// One table-driven implementation (impl/stm32_flash_registers.cpp) with a row per family giving
// the address, bit fields and reset value from the reference manual. Only the registers that
// change timing are modelled; the rest of the flash peripheral stays unmodelled (the machine's
// usual path).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "memory_models/config.h"

namespace tinysim::memory_models {

// An address range the machine routes to a register model.
struct RegisterWindow {
  uint32_t base = 0;
  uint32_t size_bytes = 0;
  std::string name;  // e.g. "FLASH_ACR"
};

// What a register write asked for besides new settings.
struct RegisterWriteEffect {
  bool settings_changed = false;
  bool invalidate_icache = false;  // ICRST, ARTRST, ICACHE_CR.CACHEINV
  bool invalidate_dcache = false;  // DCRST
};

class FlashRegisters {
 public:
  virtual ~FlashRegisters() = default;

  // Family name, e.g. "stm32f4".
  virtual std::string_view family() const = 0;
  // The modelled registers (absolute addresses), usually just FLASH_ACR.
  virtual std::span<const RegisterWindow> windows() const = 0;

  // REQUIRES: [address, address + size) inside one window; size 1, 2 or 4 (byte lanes merge:
  // the STM32 HAL writes FLASH_ACR's LATENCY byte alone).
  virtual uint32_t read(uint32_t address, uint32_t size) const = 0;
  virtual RegisterWriteEffect write(uint32_t address, uint32_t size, uint32_t value) = 0;

  // The settings the registers hold now.
  virtual FlashSettings settings() const = 0;
  // Stores `settings` in the registers as start-up code would have written them.
  virtual void load(const FlashSettings& settings) = 0;
  // The documented reset values.
  virtual void reset() = 0;
};

// Creates the model of `family` ("stm32f0", "stm32f1", "stm32f4", "stm32f7", "stm32g0",
// "stm32l0", "stm32l4", "stm32l5", "stm32u5", "stm32h7"); `base` 0 means the family's default
// FLASH_ACR address. nullptr for an unknown family.
std::unique_ptr<FlashRegisters> make_flash_registers(std::string_view family, uint32_t base = 0);

// Families make_flash_registers accepts.
std::vector<std::string> flash_register_families();

}  // namespace tinysim::memory_models
