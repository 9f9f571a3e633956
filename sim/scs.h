// SystemControlSpace: the memory-mapped core peripherals Unicorn lacks, in the Private
// Peripheral Bus region 0xE0000000-0xE00FFFFF: ITM stimulus ports, DWT (CTRL, CYCCNT),
// SysTick, NVIC, SCB (CPUID, ICSR, VTOR, AIRCR, SCR, CCR, SHPR, SHCSR, fault status, CPACR),
// CoreDebug DEMCR and the FPU's FPCCR. Register addresses and reset values: ARMv7-M ARM
// (DDI0403E) B3.2, B3.3, B3.4, C1.6; ARMv6-M ARM (DDI0419E) B3.
//
// Time comes from the host (the machine): CYCCNT and SysTick count modelled core cycles.
// Registers tinysim does not model read as zero and ignore writes; the first access to each
// such address is reported once through ScsHost::warn.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "memory_models/memory_system.h"
#include "sim/core.h"
#include "sim/nvic.h"

namespace tinysim::sim {

// What the SCS needs from the machine. Called from Unicorn MMIO callbacks: implementations
// must not throw.
class ScsHost {
 public:
  virtual ~ScsHost() = default;
  // Core cycles executed so far, as precise as the machine can tell mid-block. Called exactly
  // once per memory-mapped access (the machine counts accesses to tell which instruction of a
  // block made it).
  virtual uint64_t now_cycles() = 0;
  // A write to ITM stimulus port `port` of `size_bytes` bytes at core cycle `cycles`.
  virtual void itm_write(uint32_t port, uint32_t value, unsigned size_bytes, uint64_t cycles) = 0;
  // AIRCR.SYSRESETREQ was written with the right key.
  virtual void reset_requested() = 0;
  // Something that can change which exception is taken next (pending, enable, priority,
  // SysTick configuration): the machine re-evaluates before the next block.
  virtual void exceptions_changed() = 0;
  virtual void warn(const std::string& message) = 0;
  // The exception number the core is handling (IPSR), 0 in thread mode.
  virtual uint32_t current_exception() = 0;
};

class SystemControlSpace {
 public:
  static constexpr uint32_t kBase = 0xE0000000;
  static constexpr uint32_t kSize = 0x00100000;

  // `systick_external_divider`: core cycles per SysTick tick when CSR.CLKSOURCE = 0 (the
  // implementation-defined reference clock; STM32: HCLK/8, RM0383 6.2).
  // `memory` (may be null) receives what silicon routes to the caches: SCB->CCR writes (M7
  // IC/DC enables), cache maintenance operations, CCSIDR reads; it must outlive this object.
  SystemControlSpace(const CoreConfig& core, uint32_t boot_vtor, uint32_t systick_external_divider,
                     ScsHost& host, memory_models::MemorySystem* memory = nullptr);

  // MMIO accessors, `offset` from kBase.
  uint32_t read(uint32_t offset, unsigned size_bytes);
  void write(uint32_t offset, unsigned size_bytes, uint32_t value);

  Nvic& nvic() { return nvic_; }
  uint32_t vtor() const { return vtor_; }
  uint32_t ccr() const { return ccr_; }
  bool div0_trap() const { return ccr_ & (1u << 4); }
  bool unaligned_trap() const { return ccr_ & (1u << 3); }
  bool sleep_on_exit() const { return scr_ & (1u << 1); }
  // FPCCR.LSPEN: lazy FP context stacking (on at reset).
  bool lazy_fp_stacking() const { return fpccr_ & (1u << 30); }

  // Cycle at which SysTick next reaches zero, or UINT64_MAX when it is stopped.
  uint64_t next_systick_event() const { return systick_next_event_; }
  // Applies SysTick wraps up to `now`: sets COUNTFLAG, pends SysTick if TICKINT.
  void advance_systick(uint64_t now);

  // Records a fault in the fault status registers (CFSR bits, MMFAR/BFAR when `address`).
  void record_fault(uint32_t cfsr_bits, uint32_t hfsr_bits, std::optional<uint32_t> address);
  uint32_t cfsr() const { return cfsr_; }
  uint32_t hfsr() const { return hfsr_; }

 private:
  uint32_t read_word(uint32_t offset, uint64_t now);
  void write_word(uint32_t offset, uint32_t value, uint32_t byte_mask, uint64_t now);
  void warn_once(uint32_t offset, const char* what);
  uint32_t systick_current(uint64_t now) const;
  void systick_reschedule(uint64_t now, uint32_t current);
  uint32_t cyccnt(uint64_t now) const;
  uint32_t systick_divider() const;

  CoreConfig core_;
  ScsHost& host_;
  memory_models::MemorySystem* memory_;
  uint32_t csselr_ = 0;  // cache size selection (M7): 1 = instruction cache
  Nvic nvic_;
  std::set<uint32_t> warned_;

  // ITM
  uint32_t itm_ter_ = 0xFFFFFFFF;  // all ports enabled: tinysim acts as the attached debugger
  uint32_t itm_tcr_ = 1;           // ITMENA
  uint32_t itm_tpr_ = 0;
  // DWT and CoreDebug
  uint32_t dwt_ctrl_ = 0;
  uint32_t cyccnt_base_ = 0;  // CYCCNT value at cyccnt_since_
  uint64_t cyccnt_since_ = 0;
  uint32_t demcr_ = 0;
  // SysTick
  uint32_t systick_csr_ = 0;
  uint32_t systick_rvr_ = 0;
  uint32_t systick_cvr_ = 0;  // value at systick_since_ while running
  uint64_t systick_since_ = 0;
  uint64_t systick_next_event_ = UINT64_MAX;
  uint32_t systick_external_divider_;
  // SCB
  uint32_t vtor_;
  uint32_t aircr_prigroup_ = 0;
  uint32_t scr_ = 0;
  uint32_t ccr_;
  uint32_t shcsr_ = 0;
  uint32_t cfsr_ = 0, hfsr_ = 0, mmfar_ = 0, bfar_ = 0;
  uint32_t cpacr_ = 0;
  uint32_t fpccr_ = 0xC0000000;  // ASPEN | LSPEN at reset (DDI0403E B3.2.22)
  uint32_t fpcar_ = 0, fpdscr_ = 0;
};

}  // namespace tinysim::sim
