#include "cpu_models/impl/model_common.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace tinysim::cpu_models::impl {

bool is_load(InsnClass c) {
  switch (c) {
    case InsnClass::kLoad:
    case InsnClass::kLoadLiteral:
    case InsnClass::kLoadPc:
    case InsnClass::kLoadDouble:
    case InsnClass::kLoadMultiple:
    case InsnClass::kLoadMultiplePc:
    case InsnClass::kTableBranch:
    case InsnClass::kFpLoad:
    case InsnClass::kFpLoadMultiple:
      return true;
    default:
      return false;
  }
}

bool is_store(InsnClass c) {
  switch (c) {
    case InsnClass::kStore:
    case InsnClass::kStoreDouble:
    case InsnClass::kStoreMultiple:
    case InsnClass::kFpStore:
    case InsnClass::kFpStoreMultiple:
      return true;
    default:
      return false;
  }
}

bool is_data_processing(InsnClass c) {
  switch (c) {
    case InsnClass::kAlu:
    case InsnClass::kAluBitfield:
    case InsnClass::kMul:
    case InsnClass::kMulAcc:
    case InsnClass::kLongMul:
    case InsnClass::kLongMulAcc:
    case InsnClass::kDsp:
    case InsnClass::kDiv:
      return true;
    default:
      return false;
  }
}

bool is_fp(InsnClass c) {
  switch (c) {
    case InsnClass::kFpAlu:
    case InsnClass::kFpMac:
    case InsnClass::kFpDivSqrt:
    case InsnClass::kFpMove:
    case InsnClass::kFpMoveCore:
    case InsnClass::kFpLoad:
    case InsnClass::kFpStore:
    case InsnClass::kFpLoadMultiple:
    case InsnClass::kFpStoreMultiple:
      return true;
    default:
      return false;
  }
}

BlockExit classify_exit(const Instruction& last) {
  if (!writes_pc(last)) return BlockExit::kFallThrough;
  switch (last.cls) {
    case InsnClass::kBranchCond:
      return BlockExit::kDirectConditional;
    case InsnClass::kBranch:
    case InsnClass::kBranchLink:
      return last.conditional ? BlockExit::kDirectConditional : BlockExit::kDirect;
    default:
      return BlockExit::kIndirect;
  }
}

ClassTable::ClassTable(const char* table_name, std::span<const TimingRow> rows) {
  std::array<bool, kInsnClassCount> seen{};
  for (const TimingRow& row : rows) {
    auto i = static_cast<size_t>(row.cls);
    if (seen[i]) {
      std::fprintf(stderr, "tinysim: timing table %s: two rows for class %s\n", table_name,
                   insn_class_name(row.cls));
      std::abort();
    }
    seen[i] = true;
    cycles_[i] = row.cycles;
    sources_[i] = row.source;
  }
  for (int i = 0; i < kInsnClassCount; ++i) {
    if (!seen[i]) {
      std::fprintf(stderr, "tinysim: timing table %s: no row for class %s\n", table_name,
                   insn_class_name(static_cast<InsnClass>(i)));
      std::abort();
    }
  }
}

int32_t latest_ready(const ReadyTimes& ready, RegMask regs) {
  int32_t latest = INT32_MIN;
  while (regs != 0) {
    int r = __builtin_ctzll(regs);
    regs &= regs - 1;
    latest = std::max(latest, ready[r]);
  }
  return latest;
}

void set_ready(ReadyTimes& ready, RegMask regs, int32_t cycle) {
  while (regs != 0) {
    int r = __builtin_ctzll(regs);
    regs &= regs - 1;
    ready[r] = std::max(ready[r], cycle);
  }
}

void add_reg_cycle(std::array<RegCycle, kHazardSlots>& slots, RegMask regs, uint32_t cycle,
                   bool later_is_conservative) {
  if (regs == 0) return;
  auto c = static_cast<uint8_t>(std::min<uint32_t>(cycle, 255));
  int free_slot = -1;
  for (int i = 0; i < kHazardSlots; ++i) {
    if (slots[i].regs == 0) {
      if (free_slot < 0) free_slot = i;
    } else if (slots[i].cycle == c) {
      slots[i].regs |= regs;
      return;
    }
  }
  if (free_slot >= 0) {
    slots[free_slot] = {regs, c};
    return;
  }
  // Full: fold into the slot whose cycle is the nearest on the conservative side, or move the
  // most extreme slot to `c`.
  int best = -1;
  for (int i = 0; i < kHazardSlots; ++i) {
    bool on_side = later_is_conservative ? slots[i].cycle >= c : slots[i].cycle <= c;
    if (!on_side) continue;
    if (best < 0 || (later_is_conservative ? slots[i].cycle < slots[best].cycle
                                           : slots[i].cycle > slots[best].cycle)) {
      best = i;
    }
  }
  if (best < 0) {
    best = 0;
    for (int i = 1; i < kHazardSlots; ++i) {
      if (later_is_conservative ? slots[i].cycle > slots[best].cycle
                                : slots[i].cycle < slots[best].cycle) {
        best = i;
      }
    }
    slots[best].cycle = c;
  }
  slots[best].regs |= regs;
}

void HazardRecorder::record_reads(RegMask regs, uint32_t cycle) {
  if (regs == 0 || cycle > 64) return;  // later reads cannot meet a pending result
  add_reg_cycle(reads_, regs, cycle, /*later_is_conservative=*/false);
  any_ |= regs;
}

void HazardRecorder::finish(const ReadyTimes& ready, uint32_t end_cycle,
                            PipelineSummary& out) const {
  out.entry_reads = reads_;
  out.entry_reads_any = any_;
  out.exit_pending = {};
  out.exit_pending_any = 0;
  for (int r = 0; r < kRegSlots; ++r) {
    int32_t remaining = ready[r] - static_cast<int32_t>(end_cycle);
    if (remaining <= 0) continue;
    RegMask bit = RegMask{1} << r;
    add_reg_cycle(out.exit_pending, bit, static_cast<uint32_t>(remaining),
                  /*later_is_conservative=*/true);
    out.exit_pending_any |= bit;
  }
}

uint32_t CrossBlockState::entry_stall_slow(const PipelineSummary& next) const {
  uint32_t stall = 0;
  for (const RegCycle& p : pending_) {
    if (p.regs == 0) continue;
    for (const RegCycle& r : next.entry_reads) {
      if ((p.regs & r.regs) != 0 && p.cycle > r.cycle) {
        stall = std::max<uint32_t>(stall, p.cycle - r.cycle);
      }
    }
  }
  return stall;
}

void CrossBlockState::advance_slow(const PipelineSummary& block, uint64_t block_cycles,
                                   uint64_t exit_extra) {
  std::array<RegCycle, kHazardSlots> next{};
  RegMask any = 0;
  for (const RegCycle& p : pending_) {
    if (p.regs != 0 && p.cycle > block_cycles) {
      add_reg_cycle(next, p.regs, static_cast<uint32_t>(p.cycle - block_cycles), true);
      any |= p.regs;
    }
  }
  for (const RegCycle& p : block.exit_pending) {
    if (p.regs != 0 && p.cycle > exit_extra) {
      add_reg_cycle(next, p.regs, static_cast<uint32_t>(p.cycle - exit_extra), true);
      any |= p.regs;
    }
  }
  pending_ = next;
  any_ = any;
}

void fill_basic(std::span<const Instruction> insns, BlockTiming& out) {
  out.start_address = insns.front().address;
  out.end_address = insns.back().address + insns.back().size_bytes;
  out.instruction_count = static_cast<uint32_t>(insns.size());
  out.prefix_cycles.assign(insns.size(), 0);
  out.operand_probes.clear();
  out.static_cycles = 0;
  out.taken_extra_cycles = 0;
  out.pipeline = PipelineSummary{};
  out.pipeline.exit = classify_exit(insns.back());
  out.pipeline.branch_address = insns.back().address;
  const Instruction& first = insns.front();
  out.pipeline.entry_unaligned_wide = first.size_bytes == 4 && (first.address & 3u) == 2;
}

}  // namespace tinysim::cpu_models::impl
