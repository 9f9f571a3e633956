#include "power_models/event_counts.h"

namespace tinysim::power_models {

const char* fetch_source_name(FetchSource source) {
  switch (source) {
    case FetchSource::kFlash:
      return "flash";
    case FetchSource::kSram:
      return "sram";
    case FetchSource::kTcm:
      return "tcm";
    case FetchSource::kXip:
      return "xip";
  }
  return "?";
}

const char* energy_class_name(EnergyClass cls) {
  switch (cls) {
    case EnergyClass::kAlu:
      return "alu";
    case EnergyClass::kMulMacSimd:
      return "mul-mac-simd";
    case EnergyClass::kLoadStore:
      return "load-store";
    case EnergyClass::kBranch:
      return "branch";
    case EnergyClass::kFpu:
      return "fpu";
    case EnergyClass::kOther:
      return "other";
  }
  return "?";
}

EnergyClass energy_class_of(cpu_models::InsnClass cls) {
  using cpu_models::InsnClass;
  switch (cls) {
    case InsnClass::kAlu:
    case InsnClass::kAluBitfield:
    case InsnClass::kAluWritesPc:
    case InsnClass::kIt:
      return EnergyClass::kAlu;
    case InsnClass::kMul:
    case InsnClass::kMulAcc:
    case InsnClass::kLongMul:
    case InsnClass::kLongMulAcc:
    case InsnClass::kDsp:
    case InsnClass::kDiv:
      return EnergyClass::kMulMacSimd;
    case InsnClass::kLoad:
    case InsnClass::kLoadLiteral:
    case InsnClass::kLoadPc:
    case InsnClass::kStore:
    case InsnClass::kLoadDouble:
    case InsnClass::kStoreDouble:
    case InsnClass::kLoadMultiple:
    case InsnClass::kLoadMultiplePc:
    case InsnClass::kStoreMultiple:
    case InsnClass::kFpLoad:
    case InsnClass::kFpStore:
    case InsnClass::kFpLoadMultiple:
    case InsnClass::kFpStoreMultiple:
      return EnergyClass::kLoadStore;
    case InsnClass::kBranch:
    case InsnClass::kBranchCond:
    case InsnClass::kBranchLink:
    case InsnClass::kBranchExchange:
    case InsnClass::kTableBranch:
      return EnergyClass::kBranch;
    case InsnClass::kFpAlu:
    case InsnClass::kFpMac:
    case InsnClass::kFpDivSqrt:
    case InsnClass::kFpMove:
    case InsnClass::kFpMoveCore:
      return EnergyClass::kFpu;
    case InsnClass::kSysRegRead:
    case InsnClass::kSysRegWrite:
    case InsnClass::kCps:
    case InsnClass::kBarrier:
    case InsnClass::kHint:
    case InsnClass::kSleep:
    case InsnClass::kSvc:
    case InsnClass::kBkpt:
    case InsnClass::kUndefined:
      return EnergyClass::kOther;
  }
  return EnergyClass::kOther;
}

uint64_t EventCounts::active_cycles() const {
  uint64_t sum = 0;
  for (uint64_t c : cycles_by_source) sum += c;
  return sum;
}

uint64_t EventCounts::instructions() const {
  uint64_t sum = 0;
  for (uint64_t n : instructions_by_class) sum += n;
  return sum;
}

EventCounts& EventCounts::operator+=(const EventCounts& o) {
  for (int i = 0; i < kFetchSourceCount; ++i) cycles_by_source[i] += o.cycles_by_source[i];
  for (int i = 0; i < kEnergyClassCount; ++i)
    instructions_by_class[i] += o.instructions_by_class[i];
  flash_line_reads += o.flash_line_reads;
  cache_hits += o.cache_hits;
  cache_misses += o.cache_misses;
  stall_cycles += o.stall_cycles;
  sleep_cycles += o.sleep_cycles;
  return *this;
}

EventCounts& EventCounts::operator-=(const EventCounts& o) {
  for (int i = 0; i < kFetchSourceCount; ++i) cycles_by_source[i] -= o.cycles_by_source[i];
  for (int i = 0; i < kEnergyClassCount; ++i)
    instructions_by_class[i] -= o.instructions_by_class[i];
  flash_line_reads -= o.flash_line_reads;
  cache_hits -= o.cache_hits;
  cache_misses -= o.cache_misses;
  stall_cycles -= o.stall_cycles;
  sleep_cycles -= o.sleep_cycles;
  return *this;
}

}  // namespace tinysim::power_models
