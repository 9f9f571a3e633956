#include "cpu_models/impl/armv7m_model.h"

#include <algorithm>

namespace tinysim::cpu_models::impl {
namespace {

// Pipeline refill P (Arm 100165 and DDI0439D, Table 3-1 note: "P is 1 to 3 depending on the
// alignment and width of the target instruction, and whether the processor manages to speculate
// the address early"; section 3.3.2: LDR PC "three cycles for the pipeline reload").
constexpr uint32_t kRefillSpeculated = 1;  // B, B<cc>, BL, CBZ, BX/BLX Rm, MOV PC
constexpr uint32_t kRefillLoaded = 3;      // LDR PC, POP/LDM {..., PC}, TBB/TBH
constexpr uint32_t kRefillMax = 3;

}  // namespace

Armv7mModel::Armv7mModel(const Armv7mTiming& timing) : timing_(timing) {}

uint32_t Armv7mModel::refill(const Instruction& branch) const {
  switch (branch.cls) {
    case InsnClass::kLoadPc:
    case InsnClass::kLoadMultiplePc:
    case InsnClass::kTableBranch:
      return kRefillLoaded;
    default:
      return kRefillSpeculated;
  }
}

void Armv7mModel::analyse_block(std::span<const Instruction> insns, BlockTiming& out) const {
  fill_basic(insns, out);
  const ClassTable& table = timing_.table;
  const bool m4 = timing_.m4_load_store_rules;
  ReadyTimes ready{};  // FP results (and the FP unit), cycles from the block start
  HazardRecorder hazards;
  uint32_t t = 0;
  for (size_t i = 0; i < insns.size(); ++i) {
    const Instruction& insn = insns[i];
    const Instruction* prev = i > 0 ? &insns[i - 1] : nullptr;
    const Instruction* next = i + 1 < insns.size() ? &insns[i + 1] : nullptr;
    const InsnClass cls = insn.cls;
    out.prefix_cycles[i] = t;

    // Stalls before the instruction can start.
    uint32_t stall = 0;
    if (timing_.fpu) {
      RegMask fp_reads = insn.regs_read & (kFpRegs | kFpFlags);
      if (is_fp(cls)) fp_reads |= kFpUnitBusy;
      hazards.record_reads(fp_reads, t);
      int32_t r = latest_ready(ready, fp_reads);
      if (r > static_cast<int32_t>(t)) stall = static_cast<uint32_t>(r) - t;
    }
    // "Any load or store that generates an address dependent on the result of a preceding data
    // processing operation stalls the pipeline for an additional cycle" (TRM 3.3.2).
    if (prev != nullptr && is_memory(cls) && is_data_processing(prev->cls) &&
        (insn.regs_address & prev->regs_written & kCoreRegs) != 0) {
      stall = std::max<uint32_t>(stall, 1);
    }

    const bool after_load = prev != nullptr && is_single_load(prev->cls);
    const bool address_free = prev == nullptr || (insn.regs_address & prev->regs_written) == 0;
    uint32_t cost = table[cls];
    switch (cls) {
      case InsnClass::kLoad:
      case InsnClass::kLoadLiteral:
        // LDR after LDR: "one cycle is removed from the cost of the next instruction" (TRM
        // 3.3.2). M3: only the first load of a chain may be pre/post-indexed (jnk0le m3m4).
        if (after_load && address_free && (m4 || !insn.writeback)) cost = 1;
        break;
      case InsnClass::kStore: {
        if (after_load && address_free && (m4 || !insn.writeback)) {
          cost = 1;  // STR pipelined after LDR (TRM 3.3.2: LDR;STR "three cycles total")
        } else if (insn.address_index_reg != kNoReg) {
          cost = 2;  // register offset: nothing pipelines (TRM 3.3.2, jnk0le: 2 cycles)
        } else if (!m4 && insn.writeback && after_load) {
          cost = 2;  // M3 pre/post-indexed store after a load (jnk0le m3m4)
        } else {
          cost = 1;  // STR Rx,[Ry,#imm] "is always one cycle" (TRM 3.3.2)
        }
        // jnk0le m3m4: "stores cannot be pipelined with following load instructions (adds an
        // extra cycle to store)", nor with a following LDM; and pre/post-indexed stores on the
        // same base cannot chain back to back.
        if (cost == 1 && next != nullptr &&
            (is_load(next->cls) ||
             (next->cls == InsnClass::kStore && insn.writeback && next->writeback &&
              next->address_base_reg == insn.address_base_reg))) {
          cost = 2;
        }
        break;
      }
      case InsnClass::kLoadMultiple:
      case InsnClass::kLoadMultiplePc:
      case InsnClass::kStoreMultiple:
        cost += insn.reg_count;  // 1+N (P added below for PC)
        break;
      case InsnClass::kIt:
        // "IT instructions can be folded onto a preceding 16-bit Thumb instruction" (Table 3-1).
        cost = (prev != nullptr && prev->size_bytes == 2) ? 0 : 1;
        break;
      case InsnClass::kBarrier:
        // 1+B: B (barrier wait) taken as 0, plus 1 when a store's data phase is still pending.
        if (prev != nullptr && is_store(prev->cls)) cost += 1;
        break;
      case InsnClass::kFpLoad:
      case InsnClass::kFpStore:
        if (insn.double_precision) cost += 1;  // Table 7-1: VLDR/VSTR .64 3 (.32 2)
        break;
      case InsnClass::kFpLoadMultiple:
      case InsnClass::kFpStoreMultiple:
        // Table 7-1: 1+N for single, 1+2N for double registers.
        cost += insn.reg_count * (insn.double_precision ? 2u : 1u);
        break;
      case InsnClass::kFpDivSqrt:
        if (timing_.fpu) cost = 1;  // issues; the FP unit stays busy (below)
        break;
      default:
        break;
    }

    // Operand-dependent costs: the table holds the minimum; the probe adds the rest.
    const bool probe_div = cls == InsnClass::kDiv;
    const bool probe_mul = timing_.long_multiply_early_termination &&
                           (cls == InsnClass::kLongMul || cls == InsnClass::kLongMulAcc);
    if ((probe_div || probe_mul) && insn.value_reg_a != kNoReg && insn.value_reg_b != kNoReg) {
      OperandProbe probe;
      probe.address = insn.address;
      probe.index = static_cast<uint16_t>(i);
      probe.reg_a = insn.value_reg_a;
      probe.reg_b = insn.value_reg_b;
      probe.kind = probe_div                    ? OperandCost::kDivide
                   : cls == InsnClass::kLongMul ? OperandCost::kLongMultiply
                                                : OperandCost::kLongMultiplyAcc;
      probe.is_signed = insn.signed_operands;
      probe.assumed_cycles = static_cast<uint8_t>(cost);
      out.operand_probes.push_back(probe);
    }

    const uint32_t issue = t + stall;
    t = issue + cost;

    if (timing_.fpu && is_fp_arith(cls)) {
      const RegMask results = insn.regs_written & (kFpRegs | kFpFlags);
      if (cls == InsnClass::kFpDivSqrt) {
        // Table 7-1: VDIV/VSQRT 14; "integer instructions after VDIV/VSQRT complete out of
        // order" (reference file, DDI0439D 7.2): the FP unit is busy, the result comes at the end.
        const int32_t done = static_cast<int32_t>(issue + timing_.fp_div_sqrt_cycles);
        set_ready(ready, kFpUnitBusy, done);
        set_ready(ready, results, done + 1);
      } else {
        // "+1 cycle when the next instruction consumes an FP arithmetic/conversion result".
        set_ready(ready, results, static_cast<int32_t>(t) + 1);
      }
    }
  }

  const Instruction& last = insns.back();
  if (writes_pc(last)) {
    const uint32_t p = refill(last);
    out.pipeline.refill = static_cast<uint8_t>(p);
    if (last.conditional) {
      out.taken_extra_cycles = p;
    } else {
      t += p;
    }
  }
  out.static_cycles = t;
  hazards.finish(ready, t, out.pipeline);
}

int64_t Armv7mModel::entry_cycles(const BlockTiming& block) const {
  int64_t cycles = hazards_.entry_stall(block.pipeline);
  if (entered_by_branch_ && block.pipeline.entry_unaligned_wide && last_refill_ < kRefillMax) {
    cycles += 1;  // P grows by one for a 32-bit target on a halfword boundary
  }
  return cycles;
}

uint64_t Armv7mModel::retire_block(const BlockTiming& block, uint32_t next_address) {
  uint64_t cycles = block.static_cycles + static_cast<uint64_t>(Armv7mModel::entry_cycles(block));
  uint64_t exit_extra = 0;
  const bool left = next_address != block.end_address;
  if (left) {
    cycles += block.taken_extra_cycles;
    exit_extra = block.taken_extra_cycles;
  }
  hazards_.advance(block.pipeline, cycles, exit_extra);
  entered_by_branch_ = left && block.pipeline.exit != BlockExit::kFallThrough;
  last_refill_ = block.pipeline.refill;
  return cycles;
}

void Armv7mModel::flush_pipeline() {
  hazards_.clear();
  entered_by_branch_ = false;
  last_refill_ = 0;
}

}  // namespace tinysim::cpu_models::impl
