// Nvic: the exception model's bookkeeping (which exceptions are enabled, pending, active, and at
// which priority), and the choice of which pending exception the core takes next.
//
// Exception numbers follow the ARMv7-M ARM (B1.5.2): 1 Reset, 2 NMI, 3 HardFault,
// 4 MemManage, 5 BusFault, 6 UsageFault, 11 SVCall, 12 DebugMonitor, 14 PendSV, 15 SysTick,
// 16 + n external interrupt n. Priorities are 8-bit with the low (8 - priority_bits) bits
// reading as zero, as silicon implements them; lower values are more urgent.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <vector>

namespace tinysim::sim {

class Nvic {
 public:
  static constexpr int kNumExceptions = 16 + 240;
  static constexpr int kNmi = 2, kHardFault = 3, kMemManage = 4, kBusFault = 5, kUsageFault = 6,
                       kSvcall = 11, kPendSv = 14, kSysTick = 15;
  // Priority of thread mode with nothing active (one below every configurable priority).
  static constexpr int kThreadPriority = 256;

  // `priority_bits`: implemented priority bits (2 on ARMv6-M, typically 3 or 4 on ARMv7-M).
  explicit Nvic(int priority_bits);

  void set_pending(int exception, bool pending);
  bool is_pending(int exception) const { return pending_[exception]; }
  bool any_pending() const { return pending_.any(); }
  void set_enabled(int exception, bool enabled);  // external interrupts only (ISER/ICER)
  bool is_enabled(int exception) const;
  bool is_active(int exception) const { return active_[exception]; }

  // Configurable priorities (exceptions 4..255); fixed ones (-3, -2, -1) cannot be set.
  void set_priority(int exception, uint8_t priority);
  uint8_t stored_priority(int exception) const { return priority_[exception]; }
  // Effective priority: -3 Reset, -2 NMI, -1 HardFault, else the stored byte.
  int priority(int exception) const;

  // Execution priority from the active exceptions and the masks (B1.5.4).
  int execution_priority(bool primask, uint8_t basepri, bool faultmask) const;

  // The pending, enabled exception that preempts execution at `execution_priority`, if any:
  // the highest priority, then the lowest number.
  std::optional<int> exception_to_take(int execution_priority) const;

  void activate(int exception);    // on entry: pending -> active
  void deactivate(int exception);  // on return
  // Number of active exceptions (nesting depth).
  int active_count() const { return static_cast<int>(active_.count()); }
  // Highest-priority pending exception number (ICSR.VECTPENDING), 0 if none.
  int highest_pending() const;

 private:
  int priority_bits_;
  std::bitset<kNumExceptions> pending_, active_, enabled_;
  std::vector<uint8_t> priority_;
};

}  // namespace tinysim::sim
