#include "sim/scs.h"

#include <fmt/format.h>

namespace tinysim::sim {
namespace {

// Offsets from 0xE0000000.
constexpr uint32_t kItmPortsEnd = 0x0080, kItmTer = 0x0E00, kItmTpr = 0x0E40, kItmTcr = 0x0E80,
                   kItmLar = 0x0FB0;
constexpr uint32_t kDwtCtrl = 0x1000, kDwtCyccnt = 0x1004, kDwtLar = 0x1FB0;
constexpr uint32_t kIctr = 0xE004, kSystCsr = 0xE010, kSystRvr = 0xE014, kSystCvr = 0xE018,
                   kSystCalib = 0xE01C;
constexpr uint32_t kIser = 0xE100, kIcer = 0xE180, kIspr = 0xE200, kIcpr = 0xE280, kIabr = 0xE300,
                   kIpr = 0xE400, kIprEnd = 0xE4F0;
constexpr uint32_t kCcsidr = 0xED80, kCsselr = 0xED84;
constexpr uint32_t kCpuid = 0xED00, kIcsr = 0xED04, kVtor = 0xED08, kAircr = 0xED0C, kScr = 0xED10,
                   kCcr = 0xED14, kShpr1 = 0xED18, kShcsr = 0xED24, kCfsr = 0xED28, kHfsr = 0xED2C,
                   kMmfar = 0xED34, kBfar = 0xED38, kCpacr = 0xED88, kDhcsr = 0xEDF0,
                   kDemcr = 0xEDFC, kStir = 0xEF00, kFpccr = 0xEF34, kFpcar = 0xEF38,
                   kFpdscr = 0xEF3C;

constexpr uint32_t kCsrEnable = 1u << 0, kCsrTickint = 1u << 1, kCsrClksource = 1u << 2,
                   kCsrCountflag = 1u << 16;
constexpr uint32_t kDemcrTrcena = 1u << 24;

// Registers that exist on silicon but whose behaviour does not matter to a simulation: MPU,
// ID registers, cache identification and maintenance (Cortex-M7), debug registers. They read
// as zero and ignore writes without a warning.
bool is_known_unmodelled(uint32_t off) {
  return (off >= 0xED40 && off < 0xED80) ||  // feature ID, CLIDR, CTR
         (off >= 0xED8C && off < 0xEDF0) ||  // MPU (ED90..EDB8), reserved
         (off >= 0xEDF4 && off < 0xEDFC) ||  // DCRSR, DCRDR
         (off >= 0xEF50 && off < 0xEF80) ||  // cache and branch predictor maintenance (M7)
         off == 0xED30 || off == 0xED3C ||   // DFSR, AFSR
         off == 0xE008 ||                    // ACTLR
         (off >= 0xEFD0 && off < 0xF000) ||  // SCS identification
         (off >= 0x1008 && off < 0x1020) ||  // DWT profiling counters, PCSR
         off == kItmLar || off == kDwtLar || off == 0x0FB4 || off == 0x1FB4;
}

uint32_t cpuid_for(CoreKind kind) {
  // CPUID reset values from each core's TRM (e.g. DDI0439D 4.3.1 for r0p1 M4).
  switch (kind) {
    case CoreKind::kCortexM0:
      return 0x410CC200;
    case CoreKind::kCortexM0Plus:
      return 0x410CC601;
    case CoreKind::kCortexM3:
      return 0x412FC231;
    case CoreKind::kCortexM4:
      return 0x410FC241;
    case CoreKind::kCortexM7:
      return 0x411FC272;
    case CoreKind::kCortexM33:
      return 0x410FD213;
  }
  return 0;
}

}  // namespace

SystemControlSpace::SystemControlSpace(const CoreConfig& core, uint32_t boot_vtor,
                                       uint32_t systick_external_divider, ScsHost& host,
                                       memory_models::MemorySystem* memory)
    : core_(core),
      host_(host),
      memory_(memory),
      nvic_(is_armv6m(core.kind) ? 2 : 4),
      systick_external_divider_(systick_external_divider ? systick_external_divider : 1),
      vtor_(boot_vtor),
      // CCR reset: ARMv6-M reads STKALIGN and UNALIGN_TRP as one (DDI0419E B3.2.8); ARMv7-M
      // r2+ and ARMv8-M reset STKALIGN to one (DDI0403E B3.2.8).
      ccr_(is_armv6m(core.kind) ? 0x208u : 0x200u) {
  if (memory_) ccr_ |= memory_->ccr_cache_bits();  // M7 caches as the start-up code left them
}

uint32_t SystemControlSpace::read(uint32_t offset, unsigned size_bytes) {
  const uint32_t word = read_word(offset & ~3u, host_.now_cycles());
  const unsigned shift = (offset & 3u) * 8;
  if (size_bytes >= 4) return word;
  return (word >> shift) & ((1u << (size_bytes * 8)) - 1);
}

void SystemControlSpace::write(uint32_t offset, unsigned size_bytes, uint32_t value) {
  const unsigned shift = (offset & 3u) * 8;
  const uint32_t byte_mask =
      size_bytes >= 4 ? 0xFFFFFFFFu : ((1u << (size_bytes * 8)) - 1) << shift;
  const uint64_t now = host_.now_cycles();
  if (offset < kItmPortsEnd) {  // stimulus ports take the written size as is
    host_.itm_write(offset / 4, value, size_bytes, now);
    return;
  }
  write_word(offset & ~3u, (value << shift) & byte_mask, byte_mask, now);
}

void SystemControlSpace::warn_once(uint32_t offset, const char* what) {
  if (warned_.insert(offset).second) {
    host_.warn(fmt::format("{} 0x{:08x}: not modelled, reads as zero and ignores writes", what,
                           kBase + offset));
  }
}

uint32_t SystemControlSpace::cyccnt(uint64_t now) const {
  const bool counting = (dwt_ctrl_ & 1u) && (demcr_ & kDemcrTrcena);
  return counting ? cyccnt_base_ + static_cast<uint32_t>(now - cyccnt_since_) : cyccnt_base_;
}

uint32_t SystemControlSpace::systick_divider() const {
  return (systick_csr_ & kCsrClksource) ? 1u : systick_external_divider_;
}

uint32_t SystemControlSpace::systick_current(uint64_t now) const {
  if (!(systick_csr_ & kCsrEnable)) return systick_cvr_;
  const uint64_t ticks = (now - systick_since_) / systick_divider();
  if (ticks < systick_cvr_) return systick_cvr_ - static_cast<uint32_t>(ticks);
  if (systick_rvr_ == 0) return 0;
  // After reaching zero the counter reloads RVR on the next tick: period RVR + 1.
  const uint64_t period = uint64_t(systick_rvr_) + 1;
  const uint64_t t = ticks - systick_cvr_;
  return static_cast<uint32_t>((period - t % period) % period);
}

void SystemControlSpace::systick_reschedule(uint64_t now, uint32_t current) {
  systick_cvr_ = current;
  systick_since_ = now;
  if (!(systick_csr_ & kCsrEnable)) {
    systick_next_event_ = UINT64_MAX;
    return;
  }
  // Zero is reached after `current` ticks, or (from zero) after a reload and RVR more.
  uint64_t ticks;
  if (current > 0) {
    ticks = current;
  } else if (systick_rvr_ > 0) {
    ticks = uint64_t(systick_rvr_) + 1;
  } else {
    systick_next_event_ = UINT64_MAX;
    return;
  }
  systick_next_event_ = now + ticks * systick_divider();
}

void SystemControlSpace::advance_systick(uint64_t now) {
  if (now < systick_next_event_) return;
  systick_csr_ |= kCsrCountflag;
  if (systick_csr_ & kCsrTickint) nvic_.set_pending(Nvic::kSysTick, true);
  if (systick_rvr_ == 0) {
    systick_next_event_ = UINT64_MAX;
    return;
  }
  const uint64_t period_cycles = (uint64_t(systick_rvr_) + 1) * systick_divider();
  const uint64_t missed = (now - systick_next_event_) / period_cycles;
  systick_next_event_ += (missed + 1) * period_cycles;
}

void SystemControlSpace::record_fault(uint32_t cfsr_bits, uint32_t hfsr_bits,
                                      std::optional<uint32_t> address) {
  cfsr_ |= cfsr_bits;
  hfsr_ |= hfsr_bits;
  if (address) {
    if (cfsr_bits & 0xFF) {  // MemManage: MMARVALID
      mmfar_ = *address;
      cfsr_ |= 1u << 7;
    } else if (cfsr_bits & 0xFF00) {  // BusFault: BFARVALID
      bfar_ = *address;
      cfsr_ |= 1u << 15;
    }
  }
}

uint32_t SystemControlSpace::read_word(uint32_t off, uint64_t now) {
  if (off < kItmPortsEnd) return 1;  // FIFO ready
  if (off >= kIser && off < kIser + 0x40) {
    uint32_t v = 0;
    for (int b = 0; b < 32; ++b)
      v |= uint32_t(nvic_.is_enabled(16 + int(off - kIser) * 8 + b)) << b;
    return v;
  }
  if (off >= kIcer && off < kIcer + 0x40) return read_word(off - kIcer + kIser, now);
  if (off >= kIspr && off < kIspr + 0x40) {
    uint32_t v = 0;
    for (int b = 0; b < 32; ++b)
      v |= uint32_t(nvic_.is_pending(16 + int(off - kIspr) * 8 + b)) << b;
    return v;
  }
  if (off >= kIcpr && off < kIcpr + 0x40) return read_word(off - kIcpr + kIspr, now);
  if (off >= kIabr && off < kIabr + 0x40) {
    uint32_t v = 0;
    for (int b = 0; b < 32; ++b) v |= uint32_t(nvic_.is_active(16 + int(off - kIabr) * 8 + b)) << b;
    return v;
  }
  if ((off >= kIpr && off < kIprEnd) || (off >= kShpr1 && off < kShpr1 + 12)) {
    const int first = off >= kIpr ? 16 + int(off - kIpr) : 4 + int(off - kShpr1);
    uint32_t v = 0;
    for (int b = 0; b < 4; ++b) v |= uint32_t(nvic_.stored_priority(first + b)) << (8 * b);
    return v;
  }
  switch (off) {
    case kItmTer:
      return itm_ter_;
    case kItmTpr:
      return itm_tpr_;
    case kItmTcr:
      return itm_tcr_;
    case kDwtCtrl:
      // NUMCOMP = 4 on ARMv7-M; ARMv6-M has no cycle counter (NOCYCCNT, DDI0419E C1.8.2).
      return is_armv6m(core_.kind) ? (2u << 28) | (1u << 25) | dwt_ctrl_ : (4u << 28) | dwt_ctrl_;
    case kDwtCyccnt:
      if (is_armv6m(core_.kind)) {
        warn_once(off, "DWT.CYCCNT (ARMv6-M has no cycle counter; use SysTick)");
        return 0;
      }
      return cyccnt(now);
    case kIctr:
      return 7;  // 256 interrupt lines
    case kSystCsr: {
      advance_systick(now);
      const uint32_t v = systick_csr_;
      systick_csr_ &= ~kCsrCountflag;  // COUNTFLAG clears on read
      return v;
    }
    case kSystRvr:
      return systick_rvr_;
    case kSystCvr:
      return systick_current(now);
    case kSystCalib:
      return 0xC0000000;  // NOREF, SKEW: no calibration value
    case kCpuid:
      return cpuid_for(core_.kind);
    case kIcsr: {
      const uint32_t pending = static_cast<uint32_t>(nvic_.highest_pending());
      uint32_t v = (host_.current_exception() & 0x1FF) | (pending & 0x1FF) << 12;
      if (nvic_.any_pending()) v |= 1u << 22;
      if (nvic_.is_pending(Nvic::kSysTick)) v |= 1u << 26;
      if (nvic_.is_pending(Nvic::kPendSv)) v |= 1u << 28;
      if (nvic_.is_pending(Nvic::kNmi)) v |= 1u << 31;
      return v;
    }
    case kVtor:
      return vtor_;
    case kAircr:
      return 0xFA050000u | (aircr_prigroup_ << 8);
    case kScr:
      return scr_;
    case kCcr:
      return ccr_;
    case kShcsr:
      return shcsr_;
    case kCfsr:
      return cfsr_;
    case kHfsr:
      return hfsr_;
    case kMmfar:
      return mmfar_;
    case kBfar:
      return bfar_;
    case kCpacr:
      return core_.fpu == FpuKind::kNone ? 0 : cpacr_;
    case kDhcsr:
      return 1;  // C_DEBUGEN: a debugger (tinysim) is attached, semihosting works
    case kDemcr:
      return demcr_;
    case kFpccr:
      return fpccr_;
    case kFpcar:
      return fpcar_;
    case kFpdscr:
      return fpdscr_;
    default:
      break;
  }
  if (!is_known_unmodelled(off)) warn_once(off, "core peripheral register");
  return 0;
}

void SystemControlSpace::write_word(uint32_t off, uint32_t value, uint32_t mask, uint64_t now) {
  if (memory_ && memory_models::MemorySystem::is_cache_maintenance(kBase + off)) {
    memory_->cache_maintenance(kBase + off, value);
    return;
  }
  auto merge = [&](uint32_t old) { return (old & ~mask) | (value & mask); };
  if (off >= kIser && off < kIser + 0x40) {
    for (int b = 0; b < 32; ++b) {
      if (value & (1u << b)) nvic_.set_enabled(16 + int(off - kIser) * 8 + b, true);
    }
    host_.exceptions_changed();
    return;
  }
  if (off >= kIcer && off < kIcer + 0x40) {
    for (int b = 0; b < 32; ++b) {
      if (value & (1u << b)) nvic_.set_enabled(16 + int(off - kIcer) * 8 + b, false);
    }
    return;
  }
  if (off >= kIspr && off < kIspr + 0x40) {
    for (int b = 0; b < 32; ++b) {
      if (value & (1u << b)) nvic_.set_pending(16 + int(off - kIspr) * 8 + b, true);
    }
    host_.exceptions_changed();
    return;
  }
  if (off >= kIcpr && off < kIcpr + 0x40) {
    for (int b = 0; b < 32; ++b) {
      if (value & (1u << b)) nvic_.set_pending(16 + int(off - kIcpr) * 8 + b, false);
    }
    return;
  }
  if ((off >= kIpr && off < kIprEnd) || (off >= kShpr1 && off < kShpr1 + 12)) {
    const int first = off >= kIpr ? 16 + int(off - kIpr) : 4 + int(off - kShpr1);
    for (int b = 0; b < 4; ++b) {
      if (mask & (0xFFu << (8 * b))) nvic_.set_priority(first + b, uint8_t(value >> (8 * b)));
    }
    host_.exceptions_changed();
    return;
  }
  switch (off) {
    case kItmTer:
      itm_ter_ = merge(itm_ter_);
      return;
    case kItmTpr:
      itm_tpr_ = merge(itm_tpr_);
      return;
    case kItmTcr:
      itm_tcr_ = merge(itm_tcr_);
      return;
    case kDwtCtrl:
    case kDemcr: {
      const uint32_t current = cyccnt(now);
      if (off == kDwtCtrl) {
        dwt_ctrl_ = merge(dwt_ctrl_) & 0x0FFFFFFFu;
      } else {
        demcr_ = merge(demcr_);
      }
      cyccnt_base_ = current;
      cyccnt_since_ = now;
      return;
    }
    case kDwtCyccnt:
      cyccnt_base_ = merge(cyccnt(now));
      cyccnt_since_ = now;
      return;
    case kSystCsr: {
      const uint32_t current = systick_current(now);
      advance_systick(now);
      systick_csr_ = (systick_csr_ & kCsrCountflag) | (merge(systick_csr_) & 0x7u);
      systick_reschedule(now, current);
      host_.exceptions_changed();
      return;
    }
    case kSystRvr: {
      const uint32_t current = systick_current(now);
      systick_rvr_ = merge(systick_rvr_) & 0x00FFFFFFu;
      systick_reschedule(now, current);
      host_.exceptions_changed();
      return;
    }
    case kSystCvr:  // any write clears the counter and COUNTFLAG
      systick_csr_ &= ~kCsrCountflag;
      systick_reschedule(now, 0);
      host_.exceptions_changed();
      return;
    case kIcsr:
      if (value & (1u << 31)) nvic_.set_pending(Nvic::kNmi, true);
      if (value & (1u << 28)) nvic_.set_pending(Nvic::kPendSv, true);
      if (value & (1u << 27)) nvic_.set_pending(Nvic::kPendSv, false);
      if (value & (1u << 26)) nvic_.set_pending(Nvic::kSysTick, true);
      if (value & (1u << 25)) nvic_.set_pending(Nvic::kSysTick, false);
      host_.exceptions_changed();
      return;
    case kVtor:
      vtor_ = merge(vtor_) & ~0x7Fu;
      return;
    case kAircr:
      if ((value >> 16) != 0x05FA) return;  // writes without VECTKEY are ignored
      aircr_prigroup_ = (value >> 8) & 7u;
      if (value & ((1u << 2) | (1u << 0))) host_.reset_requested();  // SYSRESETREQ, VECTRESET
      return;
    case kScr:
      scr_ = merge(scr_) & 0x16u;
      return;
    case kCcr:
      if (!is_armv6m(core_.kind)) ccr_ = merge(ccr_) | 0x200u;  // ARMv6-M CCR is read-only
      if (memory_) memory_->write_ccr(ccr_);  // IC/DC enable the Cortex-M7 L1 caches
      return;
    case kCsselr:
      csselr_ = merge(csselr_) & 0xFu;
      return;
    case kShcsr:
      shcsr_ = merge(shcsr_);
      return;
    case kCfsr:
      cfsr_ &= ~(value & mask);
      return;  // write one to clear
    case kHfsr:
      hfsr_ &= ~(value & mask);
      return;
    case kMmfar:
      mmfar_ = merge(mmfar_);
      return;
    case kBfar:
      bfar_ = merge(bfar_);
      return;
    case kCpacr:
      cpacr_ = merge(cpacr_);
      return;
    case kStir:
      nvic_.set_pending(16 + int(value & 0x1FF), true);
      host_.exceptions_changed();
      return;
    case kFpccr:
      fpccr_ = merge(fpccr_);
      return;
    case kFpcar:
      fpcar_ = merge(fpcar_);
      return;
    case kFpdscr:
      fpdscr_ = merge(fpdscr_);
      return;
    default:
      break;
  }
  if (!is_known_unmodelled(off)) warn_once(off, "core peripheral register");
}

}  // namespace tinysim::sim
