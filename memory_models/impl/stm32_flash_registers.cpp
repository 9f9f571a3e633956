// STM32 flash access control registers (FLASH_ACR, and ICACHE_CR on STM32U5/L5), one table row
// per family. Bit positions from the reference manuals' register descriptions (they agree with
// ST's CMSIS device headers, FLASH_ACR_*_Pos); reset values from the same sections, checked
// against ST's SVD files.
#include <span>
#include <string>
#include <vector>

#include "memory_models/i_flash_registers.h"

namespace tinysim::memory_models {
namespace {

constexpr int8_t kNone = -1;

struct Family {
  const char* name;
  uint32_t acr_address;     // default FLASH_ACR address
  uint32_t acr_reset;       // FLASH_ACR reset value
  uint32_t latency_mask;    // LATENCY field, at bit 0
  uint32_t writable;        // bits software can change (others keep their reset value)
  int8_t prefetch_bit;      // PRFTEN / PRFTBE
  int8_t prefetch_status;   // read-only mirror of the prefetch enable (F0/F1 PRFTBS)
  int8_t icache_bit;        // ICEN / ARTEN
  int8_t dcache_bit;        // DCEN
  int8_t icache_reset_bit;  // ICRST / ARTRST
  int8_t dcache_reset_bit;  // DCRST
  uint32_t icache_cr;       // ICACHE_CR address (U5/L5), 0: none
  const char* source;
};

// clang-format off
constexpr Family kFamilies[] = {
    // STM32F0: RM0091 3.5.1 FLASH_ACR @0x40022000, reset 0x0000 0030: LATENCY[2:0],
    // PRFTBE bit 4, PRFTBS bit 5 (read-only status).
    {"stm32f0", 0x40022000, 0x00000030, 0x7, 0x00000017, 4, 5, kNone, kNone, kNone, kNone, 0,
     "RM0091 3.5.1"},
    // STM32F1: RM0008 3.3.3 / PM0075 3.1 FLASH_ACR @0x40022000, reset 0x0000 0030: LATENCY[2:0],
    // HLFCYA bit 3, PRFTBE bit 4, PRFTBS bit 5 (read-only).
    {"stm32f1", 0x40022000, 0x00000030, 0x7, 0x0000001F, 4, 5, kNone, kNone, kNone, kNone, 0,
     "RM0008 3.3.3, PM0075 3.1"},
    // STM32F2/F4: RM0090 3.9.1 / RM0383 3.8.1 FLASH_ACR @0x40023C00, reset 0: LATENCY[3:0],
    // PRFTEN 8, ICEN 9, DCEN 10, ICRST 11, DCRST 12.
    {"stm32f4", 0x40023C00, 0x00000000, 0xF, 0x00001F0F, 8, kNone, 9, 10, 11, 12, 0,
     "RM0090 3.9.1, RM0383 3.8.1"},
    // STM32F7: RM0385 3.7.1 FLASH_ACR @0x40023C00, reset 0: LATENCY[3:0], PRFTEN 8, ARTEN 9,
    // ARTRST 11.
    {"stm32f7", 0x40023C00, 0x00000000, 0xF, 0x00000B0F, 8, kNone, 9, kNone, 11, kNone, 0,
     "RM0385 3.7.1"},
    // STM32G0: RM0444 3.7.1 FLASH_ACR @0x40022000, reset 0x0004 0600: LATENCY[2:0], PRFTEN 8,
    // ICEN 9, ICRST 11, EMPTY 16, DBG_SWEN 18.
    {"stm32g0", 0x40022000, 0x00040600, 0x7, 0x00050B07, 8, kNone, 9, kNone, 11, kNone, 0,
     "RM0444 3.7.1"},
    // STM32L0: RM0367 3.7.1 FLASH_ACR @0x40022000, reset 0: LATENCY bit 0, PRFTEN 1, SLEEP_PD 3,
    // RUN_PD 4, DISAB_BUF 5, PRE_READ 6.
    {"stm32l0", 0x40022000, 0x00000000, 0x1, 0x0000007B, 1, kNone, kNone, kNone, kNone, kNone, 0,
     "RM0367 3.7.1"},
    // STM32L4/L4+: RM0351 3.7.1 / RM0432 3.7.1 FLASH_ACR @0x40022000, reset 0x0000 0600 (I- and
    // D-cache on): LATENCY[3:0] (L4: [2:0]), PRFTEN 8, ICEN 9, DCEN 10, ICRST 11, DCRST 12,
    // RUN_PD 13, SLEEP_PD 14.
    {"stm32l4", 0x40022000, 0x00000600, 0xF, 0x00007F0F, 8, kNone, 9, 10, 11, 12, 0,
     "RM0351 3.7.1, RM0432 3.7.1"},
    // STM32L5: RM0438 FLASH_ACR @0x40022000, reset 0: LATENCY[3:0], RUN_PD 13, SLEEP_PD 14,
    // LVEN 15; the instruction cache is the ICACHE peripheral, ICACHE_CR @0x40030400 (RM0438
    // ICACHE_CR: EN bit 0, CACHEINV bit 1, WAYSEL bit 2, reset 0x0000 0004).
    {"stm32l5", 0x40022000, 0x00000000, 0xF, 0x0000E00F, kNone, kNone, kNone, kNone, kNone, kNone,
     0x40030400, "RM0438 FLASH_ACR, ICACHE_CR"},
    // STM32U5: RM0456 FLASH_ACR @0x40022000, reset 0: LATENCY[3:0], PRFTEN 8, LPM 11,
    // PDREQ1 12, PDREQ2 13, SLEEP_PD 14; ICACHE_CR @0x40030400 as on the L5 (RM0456 ICACHE).
    {"stm32u5", 0x40022000, 0x00000000, 0xF, 0x0000790F, 8, kNone, kNone, kNone, kNone, kNone,
     0x40030400, "RM0456 FLASH_ACR, ICACHE_CR"},
    // STM32H7: RM0433 4.9.1 FLASH_ACR @0x52002000, reset 0x0000 0037 (7 wait states,
    // WRHIGHFREQ 3): LATENCY[3:0], WRHIGHFREQ[5:4]; no prefetch or cache bits (the Cortex-M7 L1
    // caches do that job).
    {"stm32h7", 0x52002000, 0x00000037, 0xF, 0x0000003F, kNone, kNone, kNone, kNone, kNone, kNone,
     0, "RM0433 4.9.1"},
};
// clang-format on

constexpr uint32_t kIcacheEn = 1u << 0;        // ICACHE_CR.EN
constexpr uint32_t kIcacheInv = 1u << 1;       // ICACHE_CR.CACHEINV (self-clearing)
constexpr uint32_t kIcacheReset = 0x00000004;  // ICACHE_CR reset: WAYSEL = 1 (2-way)

bool bit(uint32_t v, int8_t b) {
  return b >= 0 && ((v >> b) & 1u);
}
void set_bit(uint32_t& v, int8_t b, bool on) {
  if (b < 0) return;
  v = on ? (v | (1u << b)) : (v & ~(1u << b));
}

uint32_t lane_mask(uint32_t size) {
  return size >= 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1);
}

class Stm32FlashRegisters final : public FlashRegisters {
 public:
  Stm32FlashRegisters(const Family& family, uint32_t base) : f_(family) {
    acr_address_ = base ? base : family.acr_address;
    windows_.push_back({acr_address_, 4, "FLASH_ACR"});
    if (family.icache_cr) windows_.push_back({family.icache_cr, 4, "ICACHE_CR"});
    reset();
  }

  std::string_view family() const override { return f_.name; }
  std::span<const RegisterWindow> windows() const override { return windows_; }

  uint32_t read(uint32_t address, uint32_t size) const override {
    const uint32_t shift = 8 * (address & 3);
    return (reg(address) >> shift) & lane_mask(size);
  }

  RegisterWriteEffect write(uint32_t address, uint32_t size, uint32_t value) override {
    RegisterWriteEffect effect;
    const FlashSettings before = settings();
    const uint32_t shift = 8 * (address & 3);
    const uint32_t mask = lane_mask(size) << shift;
    if (f_.icache_cr && (address & ~3u) == f_.icache_cr) {
      uint32_t v = (icache_cr_ & ~mask) | ((value << shift) & mask);
      if (v & kIcacheInv) effect.invalidate_icache = true;  // completes at once
      icache_cr_ = v & ~kIcacheInv;
    } else {
      const uint32_t merged = (acr_ & ~mask) | ((value << shift) & mask);
      acr_ = (merged & f_.writable) | (acr_ & ~f_.writable);
      if (f_.prefetch_status >= 0) set_bit(acr_, f_.prefetch_status, bit(acr_, f_.prefetch_bit));
      // ICRST/DCRST act when written 1 while the cache is disabled (RM0090 3.9.1).
      if (bit(acr_, f_.icache_reset_bit) && !bit(acr_, f_.icache_bit)) {
        effect.invalidate_icache = true;
      }
      if (bit(acr_, f_.dcache_reset_bit) && !bit(acr_, f_.dcache_bit)) {
        effect.invalidate_dcache = true;
      }
    }
    const FlashSettings after = settings();
    effect.settings_changed = after.wait_states != before.wait_states ||
                              after.prefetch != before.prefetch || after.icache != before.icache ||
                              after.dcache != before.dcache;
    return effect;
  }

  FlashSettings settings() const override {
    FlashSettings s;
    s.wait_states = acr_ & f_.latency_mask;
    s.prefetch = bit(acr_, f_.prefetch_bit);
    s.icache = f_.icache_cr ? (icache_cr_ & kIcacheEn) != 0 : bit(acr_, f_.icache_bit);
    s.dcache = bit(acr_, f_.dcache_bit);
    return s;
  }

  void load(const FlashSettings& s) override {
    acr_ = (acr_ & ~f_.latency_mask) | (s.wait_states & f_.latency_mask);
    set_bit(acr_, f_.prefetch_bit, s.prefetch);
    set_bit(acr_, f_.prefetch_status, s.prefetch);
    set_bit(acr_, f_.icache_bit, s.icache);
    set_bit(acr_, f_.dcache_bit, s.dcache);
    if (f_.icache_cr) icache_cr_ = s.icache ? (icache_cr_ | kIcacheEn) : (icache_cr_ & ~kIcacheEn);
  }

  void reset() override {
    acr_ = f_.acr_reset;
    icache_cr_ = kIcacheReset;
  }

 private:
  uint32_t reg(uint32_t address) const {
    if (f_.icache_cr && (address & ~3u) == f_.icache_cr) return icache_cr_;
    return acr_;
  }

  const Family& f_;
  uint32_t acr_address_ = 0;
  std::vector<RegisterWindow> windows_;
  uint32_t acr_ = 0;
  uint32_t icache_cr_ = kIcacheReset;
};

}  // namespace

std::unique_ptr<FlashRegisters> make_flash_registers(std::string_view family, uint32_t base) {
  for (const Family& f : kFamilies) {
    if (family == f.name) return std::make_unique<Stm32FlashRegisters>(f, base);
  }
  return nullptr;
}

std::vector<std::string> flash_register_families() {
  std::vector<std::string> names;
  for (const Family& f : kFamilies) names.emplace_back(f.name);
  return names;
}

}  // namespace tinysim::memory_models
