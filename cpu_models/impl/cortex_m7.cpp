// Cortex-M7 timing tables and scheduler. Sources (see cortex_m7.h):
//   [jnk0le]  jnk0le/random, "pipeline cycle test", doc/cortex_m7.md (STM32H743 rev Y)
//   [quin]    quinapalus.com/cm7cycles.html (STM32H730, caches on)
//   [llvm]    llvm-project, llvm/lib/Target/ARM/ARMScheduleM7.td (Arm's scheduling model)
//   [est]     this model's estimate where none of the above gives a number
#include "cpu_models/impl/cortex_m7.h"

#include <algorithm>
#include <array>
#include <bit>
#include <climits>

namespace tinysim::cpu_models::impl {
namespace {

// Issue-pairing kinds.
enum class Pair : uint8_t {
  kAluSimple,   // ADD/SUB/MOV, no shift
  kAlu,         // other ALU, operand2 a plain register or simple constant
  kAluShifted,  // operand2 an inline-shifted register or a rotated constant
  kBitDsp,      // bitfield/extend/REV/CLZ and DSP (non-multiply)
  kMac,         // multiplies and multiply-accumulates
  kLoad,        // LDR*, VLDR.32
  kStore,       // STR*, VSTR.32
  kBranch,      // B, B<cc>, BL, BX, CBZ, MOV PC
  kNop,         // NOP, IT
  kFpArith,     // VADD/VMUL/VCVT/VCMP... (single or double)
  kFpMac,       // VMLA/VFMA family
  kFpDiv,       // VDIV/VSQRT
  kFpMove,      // VMOV (one register), VMRS/VMSR
  kSingle,      // issues alone (LDM/STM, LDRD/STRD, TBB, divide, system, 2-register VMOV...)
};

// Consumer stages: when a source operand is needed, relative to a late-ALU operand.
enum Consumer : int { kNormal, kEarly, kMulOp, kAcc, kStoreData, kConsumerKinds };

// Result latency: cycles from the producer's issue to the first cycle a consumer of each kind
// can issue. Columns: normal (late ALU / FP operand), early (AGU, inline shift, early-ALU
// bitfield ops), multiplier operand, accumulator, store data.
using Latency = std::array<uint8_t, kConsumerKinds>;

enum Producer : int {
  kProdAluSimple,
  kProdAluLate,
  kProdBitDsp,
  kProdLoadWord,
  kProdLoadNarrow,
  kProdMac,
  kProdFpArith,
  kProdFpFma,
  kProdFpMla,
  kProdFpLoad,
  kProdFpFromCore,
  kProdFpToCore,
  kProdSysRead,
  kProdOccupancy,  // result at the end of a multi-cycle instruction (LDM, divides)
  kProducerKinds,
};

struct LatencyRow {
  Producer producer;
  Latency latency;
  const char* source;
};

// clang-format off
constexpr LatencyRow kLatencyRows[] = {
  //  producer          norm early mul acc store  source
  {kProdAluSimple,    {1,   1,    1,  0,  0}, "[jnk0le] add/sub/mov: early ALU, forwarded to the late ALU in 0 cycles or the early ALU next cycle; accumulate from the same cycle; stores any result in the same cycle"},
  {kProdAluLate,      {1,   2,    1,  0,  0}, "[jnk0le] other ALU results come from the late ALU: an early-ALU/AGU consumer waits a cycle more"},
  {kProdBitDsp,       {1,   2,    1,  0,  0}, "[jnk0le] bitfield/DSP result cannot be used as index or address in the next cycle"},
  {kProdLoadWord,     {1,   2,    2,  1,  0}, "[jnk0le] word load: late ALU next cycle; not early ALU, not multiplier operands next cycle; reference: word load feeds the late ALU next cycle"},
  {kProdLoadNarrow,   {2,   3,    2,  1,  0}, "[jnk0le] byte/half load: late ALU in the second cycle, early ALU in the third; accumulate next cycle"},
  {kProdMac,          {2,   3,    2,  1,  1}, "[jnk0le] multiplies: 1 extra cycle of result latency; accumulator chains every cycle; reference: MUL/MAC result latency +1"},
  {kProdFpArith,      {3,   3,    3,  3,  1}, "[jnk0le] vadd.f/vmul.f: 3 as operand or accumulator, 1 as vstr data; reference: VADD/VMUL 3"},
  {kProdFpFma,        {5,   5,    5,  3,  3}, "[jnk0le] vfma.f: 3 as accumulator, 5 as multiplicand, 3 as vstr data; reference: VFMA 3/5"},
  {kProdFpMla,        {6,   6,    6,  3,  4}, "[jnk0le] vmla.f: 3 as accumulator, 6 as multiplicand, 4 as vstr data; reference: VMLA 3/6"},
  {kProdFpLoad,       {1,   1,    1,  3,  1}, "[jnk0le] vldr.f: 1 cycle, 3 into a vfma accumulator; reference: VLDR 1 (3 into a VFMA accumulator)"},
  {kProdFpFromCore,   {3,   3,    3,  3,  3}, "[jnk0le] vmov s,r / vmov s,s / vmov s,#imm: 3 cycles of result latency"},
  {kProdFpToCore,     {1,   2,    1,  0,  0}, "[jnk0le] vmov r,s: 1 cycle into the late ALU, 0 to a MAC accumulator"},
  {kProdSysRead,      {3,   3,    3,  3,  3}, "[llvm] M7NonGeneralPurpose (MRS): latency 3"},
  {kProdOccupancy,    {0,   0,    0,  0,  0}, "result when the multi-cycle instruction completes (occupancy added)"},
};
// clang-format on

constexpr std::array<Latency, kProducerKinds> make_latency_table() {
  std::array<Latency, kProducerKinds> table{};
  for (const LatencyRow& row : kLatencyRows) table[row.producer] = row.latency;
  return table;
}
constexpr std::array<Latency, kProducerKinds> kLatency = make_latency_table();

// Issue occupancy (cycles before the next issue group can start) of the multi-cycle classes.
constexpr uint32_t kDivideCycles =
    7;  // [llvm] WriteDIV: latency 7, single issue (no silicon figure)
constexpr uint32_t kTableBranchCycles = 2;  // [llvm] M7TableLoad: "takes two cycles to issue"
constexpr uint32_t kBarrierCycles = 3;  // [llvm] M7NonGeneralPurpose latency 3, single issue [est]
constexpr uint32_t kFpDivCycles = 16;   // [jnk0le] vdiv.f 16, locks the pipeline
constexpr uint32_t kFpSqrtCycles = 14;  // [jnk0le] vsqrt.f 14
constexpr uint32_t kFpDivDoubleCycles = 30;   // [jnk0le] vdiv.d 30
constexpr uint32_t kFpMacDoubleCycles = 7;    // [jnk0le] vfma.d 7 first / 6 chained
constexpr uint32_t kFpArithDoubleCycles = 1;  // [jnk0le] vadd.d 1 (vmul.d 5: not separated) [est]
constexpr int32_t kAfterMacBlock = 4;         // [jnk0le] after a MAC, vadd.f/vldm/vstm/vldr.d/
                                              // vstr.d/vmov #imm cannot execute for 3 cycles
constexpr uint8_t kMispredictPenalty = 8;     // [jnk0le] reference: mispredict 8 cycles
constexpr uint8_t kMispredictEarlyFlags =
    6;  // [jnk0le] 6 when the flags were set >= 3 cycles before
constexpr int32_t kEarlyFlagsDistance = 3;

struct Op {
  Pair pair;
  Producer producer;
  uint32_t occupancy;
};

Op classify(const Instruction& insn) {
  const bool dp = insn.double_precision;
  switch (insn.cls) {
    case InsnClass::kAlu:
      if (insn.shifted_operand) return {Pair::kAluShifted, kProdAluLate, 1};
      if (insn.simple_alu) return {Pair::kAluSimple, kProdAluSimple, 1};
      return {Pair::kAlu, kProdAluLate, 1};
    case InsnClass::kAluBitfield:
    case InsnClass::kDsp:
      return {Pair::kBitDsp, kProdBitDsp, 1};
    case InsnClass::kAluWritesPc:
      return {Pair::kBranch, kProdAluSimple, 1};
    case InsnClass::kMul:
    case InsnClass::kMulAcc:
    case InsnClass::kLongMul:
    case InsnClass::kLongMulAcc:
      return {Pair::kMac, kProdMac, 1};
    case InsnClass::kDiv:
      return {Pair::kSingle, kProdOccupancy, kDivideCycles};
    case InsnClass::kLoad:
    case InsnClass::kLoadLiteral:
      return {Pair::kLoad, insn.access_bytes >= 4 ? kProdLoadWord : kProdLoadNarrow, 1};
    case InsnClass::kLoadPc:
      return {Pair::kSingle, kProdLoadWord, 1};
    case InsnClass::kStore:
      return {Pair::kStore, kProdAluSimple, 1};
    case InsnClass::kLoadDouble:  // [jnk0le] load/store pair: no dual issue, ceil(2/2) cycles
      return {Pair::kSingle, kProdLoadWord, 1};
    case InsnClass::kStoreDouble:
      return {Pair::kSingle, kProdAluSimple, 1};
    case InsnClass::kLoadMultiple:  // [jnk0le] ceil(regnum/2) cycles, no dual issue
    case InsnClass::kLoadMultiplePc:
    case InsnClass::kStoreMultiple:
      return {Pair::kSingle, kProdOccupancy, half_up(insn.reg_count)};
    case InsnClass::kBranch:
    case InsnClass::kBranchCond:
    case InsnClass::kBranchLink:
    case InsnClass::kBranchExchange:
      return {Pair::kBranch, kProdAluSimple, 1};
    case InsnClass::kTableBranch:
      return {Pair::kSingle, kProdAluSimple, kTableBranchCycles};
    case InsnClass::kIt:    // [jnk0le] "it behaves similar to a predicted not-taken branch"
    case InsnClass::kHint:  // [jnk0le] no nop elimination, but nops do not stall
      return {Pair::kNop, kProdAluSimple, 1};
    case InsnClass::kSysRegRead:
      return {Pair::kSingle, kProdSysRead, 1};
    case InsnClass::kSysRegWrite:
    case InsnClass::kCps:
    case InsnClass::kSleep:
    case InsnClass::kBkpt:
    case InsnClass::kUndefined:
      return {Pair::kSingle, kProdAluSimple, 1};  // [llvm] non-general-purpose: single issue
    case InsnClass::kBarrier:
      return {Pair::kSingle, kProdAluSimple, kBarrierCycles};
    case InsnClass::kSvc:
      return {Pair::kSingle, kProdAluSimple, 0};  // the exception entry counts
    case InsnClass::kFpAlu:
      return {Pair::kFpArith, kProdFpArith, dp ? kFpArithDoubleCycles : 1};
    case InsnClass::kFpMac:
      return {Pair::kFpMac, insn.fused ? kProdFpFma : kProdFpMla, dp ? kFpMacDoubleCycles : 1};
    case InsnClass::kFpDivSqrt:
      return {Pair::kFpDiv, kProdOccupancy,
              dp ? kFpDivDoubleCycles : (insn.square_root ? kFpSqrtCycles : kFpDivCycles)};
    case InsnClass::kFpMove:
      return {Pair::kFpMove,
              (insn.regs_written & (kCoreRegs | kFlags)) ? kProdFpToCore : kProdFpFromCore, 1};
    case InsnClass::kFpMoveCore: {
      // [jnk0le] moving two registers (FP <-> integer) cannot be dual issued with anything.
      const bool two = std::popcount((insn.regs_read | insn.regs_written) & kCoreRegs) >= 2;
      const Producer p = (insn.regs_written & kCoreRegs) ? kProdFpToCore : kProdFpFromCore;
      return {two ? Pair::kSingle : Pair::kFpMove, p, 1};
    }
    case InsnClass::kFpLoad:  // [jnk0le] vldr.f dual issues; vldr.d does not
      return {dp ? Pair::kSingle : Pair::kLoad, kProdFpLoad, 1};
    case InsnClass::kFpStore:
      return {dp ? Pair::kSingle : Pair::kStore, kProdAluSimple, 1};
    case InsnClass::kFpLoadMultiple:  // [jnk0le] vldm behaves as ldm
    case InsnClass::kFpStoreMultiple:
      return {Pair::kSingle, kProdOccupancy, half_up(insn.reg_count * (dp ? 2u : 1u))};
  }
  return {Pair::kSingle, kProdAluSimple, 1};
}

bool is_fp_arith_pair(Pair p) {
  return p == Pair::kFpArith || p == Pair::kFpMac || p == Pair::kFpDiv;
}

bool is_fp_data_move(InsnClass c) {
  return c == InsnClass::kFpLoad || c == InsnClass::kFpStore || c == InsnClass::kFpMove ||
         c == InsnClass::kFpMoveCore;
}

// [jnk0le] two loads pair when they hit different DTCM/D-cache banks (even and odd words).
// Statically: the same base register, immediate offsets, and word indexes of different parity.
bool different_banks(const Instruction& a, const Instruction& b) {
  if (a.address_base_reg == kNoReg || a.address_base_reg != b.address_base_reg) return false;
  if (a.address_base_reg == 15) return false;
  if (a.address_index_reg != kNoReg || b.address_index_reg != kNoReg) return false;
  if (a.writeback || b.writeback) return false;
  return (((a.mem_offset >> 2) ^ (b.mem_offset >> 2)) & 1) != 0;
}

// Dual-issue rules, older (first slot) then younger ([jnk0le] unless noted).
bool can_pair(const Instruction& older, Pair po, const Instruction& younger, Pair py) {
  if (po == Pair::kSingle || py == Pair::kSingle) return false;
  if (py == Pair::kBitDsp) return false;  // bitfield/DSP must be the older op
  if (po == Pair::kBitDsp && py == Pair::kAluShifted) return false;
  if (po == Pair::kAluShifted && py == Pair::kAluShifted) return false;  // operand2 matrix
  if (po == Pair::kMac && (py == Pair::kMac || py == Pair::kStore)) return false;
  if (po == Pair::kStore && (py == Pair::kMac || py == Pair::kStore)) return false;
  if (po == Pair::kLoad && py == Pair::kLoad) return different_banks(older, younger);
  if (is_fp_arith_pair(po) && is_fp_arith_pair(py)) return false;  // no FP+FP arithmetic
  if (po == Pair::kFpMac && is_fp_data_move(younger.cls)) return false;
  if (py == Pair::kFpMac && is_fp_data_move(older.cls)) return false;
  if (po == Pair::kFpDiv && is_fp(younger.cls)) return false;  // pairs with an integer op only
  return true;
}

// Which of the instruction's reads each consumer stage needs.
std::array<RegMask, kConsumerKinds> consumer_reads(const Instruction& insn) {
  std::array<RegMask, kConsumerKinds> m{};
  RegMask reads = insn.regs_read;
  switch (insn.cls) {
    case InsnClass::kBranch:
    case InsnClass::kBranchCond:
    case InsnClass::kBranchLink:
    case InsnClass::kBranchExchange:
    case InsnClass::kAluWritesPc:
      reads = 0;  // predicted: the branch does not wait for its flags or target register
      break;
    default:
      break;
  }
  reads &= ~kPc;
  m[kEarly] = reads & (insn.regs_address | insn.regs_shifted);
  m[kAcc] = reads & insn.regs_accumulate & ~m[kEarly];
  m[kStoreData] = reads & insn.regs_store_data & ~m[kEarly] & ~m[kAcc];
  RegMask rest = reads & ~(m[kEarly] | m[kAcc] | m[kStoreData]);
  if (is_multiply(insn.cls)) {
    m[kMulOp] = rest;
  } else if (insn.cls == InsnClass::kAluBitfield) {
    m[kEarly] |= rest;  // [jnk0le] sbfx/ubfx/rbit/rev/bfi/pkh/xta consume in the early ALU
  } else {
    m[kNormal] = rest;
  }
  // [jnk0le] after a MAC, vadd.f, vldm, vstm, vldr.d, vstr.d and vmov #imm wait 3 cycles.
  const bool blocked_after_mac =
      insn.cls == InsnClass::kFpAlu || insn.cls == InsnClass::kFpLoadMultiple ||
      insn.cls == InsnClass::kFpStoreMultiple ||
      ((insn.cls == InsnClass::kFpLoad || insn.cls == InsnClass::kFpStore) &&
       insn.double_precision) ||
      (insn.cls == InsnClass::kFpMove && (insn.regs_read & (kCoreRegs | kFpRegs | kFpFlags)) == 0);
  if (blocked_after_mac) m[kNormal] |= kFpAfterMac;
  if (is_fp(insn.cls)) m[kNormal] |= kFpUnitBusy;
  return m;
}

}  // namespace

CortexM7Model::CortexM7Model(const CoreModelOptions& options) {
  uint32_t entries = std::bit_ceil(std::max<uint32_t>(options.m7_btac_entries, 1));
  btac_.assign(entries, BtacEntry{});
  btac_mask_ = entries - 1;
}

const ExceptionTiming& CortexM7Model::exception_timing() const {
  static constexpr ExceptionTiming kTiming = {
      .entry = 12,      // Arm: Cortex-M7 interrupt latency 12 cycles [U]
      .entry_fp = 29,   // [est] as the M4 (no published M7 figure)
      .exit = 10,       // [est] as the M4
      .exit_fp = 27,    // [est] as the M4
      .tail_chain = 6,  // [est] as the M3/M4
  };
  return kTiming;
}

void CortexM7Model::analyse_block(std::span<const Instruction> insns, BlockTiming& out) const {
  fill_basic(insns, out);
  std::array<ReadyTimes, kConsumerKinds> ready{};
  HazardRecorder hazards;
  int32_t group_cycle = 0;
  bool group_open = false;
  const Instruction* older = nullptr;
  Pair older_pair = Pair::kSingle;
  int32_t next_free = 0;
  int32_t last_flags_write = INT32_MIN;
  std::array<int32_t, 16> last_core_write;
  last_core_write.fill(INT32_MIN);
  int32_t branch_issue = 0;

  for (size_t i = 0; i < insns.size(); ++i) {
    const Instruction& insn = insns[i];
    const Op op = classify(insn);
    const std::array<RegMask, kConsumerKinds> reads = consumer_reads(insn);
    int32_t earliest = INT32_MIN;
    RegMask all_reads = 0;
    for (int k = 0; k < kConsumerKinds; ++k) {
      if (reads[k] == 0) continue;
      earliest = std::max(earliest, latest_ready(ready[k], reads[k]));
      all_reads |= reads[k];
    }

    int32_t issue;
    if (group_open && can_pair(*older, older_pair, insn, op.pair) && earliest <= group_cycle) {
      issue = group_cycle;
      group_open = false;
      next_free = std::max<int32_t>(next_free, issue + static_cast<int32_t>(op.occupancy));
    } else {
      issue = std::max(next_free, earliest);
      group_cycle = issue;
      group_open = op.pair != Pair::kSingle;
      older = &insn;
      older_pair = op.pair;
      next_free = issue + static_cast<int32_t>(op.occupancy);
    }
    out.prefix_cycles[i] = static_cast<uint32_t>(issue);
    hazards.record_reads(all_reads, static_cast<uint32_t>(issue));
    if (insn.cls == InsnClass::kBranchCond || writes_pc(insn)) branch_issue = issue;

    // Results.
    RegMask written = insn.regs_written & ~kPc;
    if (insn.writeback && insn.address_base_reg != kNoReg) {
      const RegMask base = core_reg(insn.address_base_reg);
      for (int k = 0; k < kConsumerKinds; ++k) {
        set_ready(ready[k], written & base, issue + kLatency[kProdAluSimple][k]);
      }
      written &= ~base;
    }
    for (int k = 0; k < kConsumerKinds; ++k) {
      int32_t latency = kLatency[op.producer][k];
      if (op.producer == kProdOccupancy) latency = static_cast<int32_t>(op.occupancy);
      // [jnk0le] the last vldm registers: up to 3 cycles as a vfma accumulator.
      if (insn.cls == InsnClass::kFpLoadMultiple && k == kAcc) latency += 2;
      set_ready(ready[k], written, issue + latency);
    }
    if (insn.cls == InsnClass::kFpMac) {
      set_ready(ready[kNormal], kFpAfterMac, issue + kAfterMacBlock);
    }
    if (insn.cls == InsnClass::kFpDivSqrt) {
      // [jnk0le] vdiv/vsqrt lock the FP pipeline for their whole duration.
      set_ready(ready[kNormal], kFpUnitBusy, issue + static_cast<int32_t>(op.occupancy));
    }
    if (insn.regs_written & kFlags) last_flags_write = issue;
    for (RegMask w = insn.regs_written & kCoreRegs; w != 0; w &= w - 1) {
      last_core_write[std::countr_zero(w)] = issue;
    }
  }

  out.static_cycles = static_cast<uint64_t>(next_free);
  out.taken_extra_cycles = 0;  // taken or not is decided by the predictor (retire_block)
  PipelineSummary& s = out.pipeline;
  s.exit_open_slot = group_open;
  const Op first = classify(insns.front());
  s.entry_can_pair = first.pair != Pair::kSingle && first.pair != Pair::kBitDsp;

  // Mispredict penalty of the final branch: 6 when its condition was ready 3 or more cycles
  // before it issued (flag forwarding), 8 otherwise and for indirect branches.
  const Instruction& last = insns.back();
  s.mispredict_penalty = kMispredictPenalty;
  if (s.exit == BlockExit::kDirectConditional) {
    int32_t setter = last_flags_write;
    if (last.cls == InsnClass::kBranchCond && (last.regs_read & kFlags) == 0) {
      // CBZ/CBNZ: the register it tests.
      const RegMask r = last.regs_read & kCoreRegs;
      setter = r != 0 ? last_core_write[std::countr_zero(r)] : INT32_MIN;
    }
    // Writes by the branch itself (BL writes LR) do not count.
    if (setter == INT32_MIN || branch_issue - setter >= kEarlyFlagsDistance) {
      s.mispredict_penalty = kMispredictEarlyFlags;
    }
  }
  hazards.finish(ready[kNormal], static_cast<uint32_t>(next_free), s);
}

bool CortexM7Model::predict_and_update(const PipelineSummary& block, bool taken,
                                       uint32_t next_address) {
  BtacEntry& e = btac_[(block.branch_address >> 1) & btac_mask_];
  const bool hit = e.valid && e.branch == block.branch_address;
  bool correct;
  switch (block.exit) {
    case BlockExit::kDirectConditional: {
      const bool predicted_taken = hit && e.counter >= 2;
      correct = predicted_taken == taken;
      if (taken) {
        if (hit) {
          e.counter = static_cast<uint8_t>(std::min(3, e.counter + 1));
        } else {
          e = {block.branch_address, next_address, 2, true};
        }
      } else if (hit && e.counter > 0) {
        --e.counter;
      }
      break;
    }
    case BlockExit::kDirect:
      correct = hit;
      if (!hit) e = {block.branch_address, next_address, 3, true};
      break;
    case BlockExit::kIndirect:
    default:
      correct = hit && e.target == next_address;
      e = {block.branch_address, next_address, 3, true};
      break;
  }
  return correct;
}

int64_t CortexM7Model::entry_cycles(const BlockTiming& block) const {
  const PipelineSummary& s = block.pipeline;
  const uint32_t stall = hazards_.entry_stall(s);
  // The previous block's branch left its younger slot free: our first instruction takes it.
  if (open_slot_ && s.entry_can_pair && stall == 0 && block.static_cycles > 0) return -1;
  return stall;
}

uint64_t CortexM7Model::retire_block(const BlockTiming& block, uint32_t next_address) {
  const PipelineSummary& s = block.pipeline;
  uint64_t cycles = static_cast<uint64_t>(static_cast<int64_t>(block.static_cycles) +
                                          CortexM7Model::entry_cycles(block));
  uint64_t exit_extra = 0;
  bool correct = true;
  if (s.exit != BlockExit::kFallThrough) {
    ++branches_;
    correct = predict_and_update(s, next_address != block.end_address, next_address);
  }
  if (correct) {
    open_slot_ = s.exit_open_slot;
  } else {
    ++mispredictions_;
    cycles += s.mispredict_penalty;
    exit_extra = s.mispredict_penalty;
    open_slot_ = false;
  }
  hazards_.advance(s, cycles, exit_extra);
  return cycles;
}

void CortexM7Model::flush_pipeline() {
  hazards_.clear();
  open_slot_ = false;
}

void CortexM7Model::reset() {
  flush_pipeline();
  std::fill(btac_.begin(), btac_.end(), BtacEntry{});
  branches_ = 0;
  mispredictions_ = 0;
}

}  // namespace tinysim::cpu_models::impl
