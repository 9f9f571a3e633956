// Cortex-M33 timing tables and scheduler. Sources:
//   [jnk0le]  jnk0le/random, "pipeline cycle test", doc/cortex_m33.md (RP2350, M33 r1p0)
//   [m4]      no M33 measurement: the Cortex-M4 figure (DDI0439D Table 3-1 / Table 7-1)
//   [est]     this model's estimate where neither gives a number
#include "cpu_models/impl/cortex_m33.h"

#include <algorithm>
#include <climits>

namespace tinysim::cpu_models::impl {
namespace {

// Issue cycles per class (the cycles before the next instruction can issue). Branch rows are
// the not-taken / fall-through part; the taken costs are the constants below.
// clang-format off
constexpr TimingRow kIssueRows[] = {
    // class                        cycles  source
    {InsnClass::kAlu,                1, "[jnk0le] 1 (2 for a flag-setting shifted-constant op2)"},
    {InsnClass::kAluBitfield,        1, "[jnk0le] bfi single stage; extend/rev 1 [m4]"},
    {InsnClass::kAluWritesPc,        2, "[est] as a taken branch"},
    {InsnClass::kMul,                1, "[jnk0le] 1 (MULS.N 2)"},
    {InsnClass::kMulAcc,             1, "[jnk0le] MAC issue 1, result latency 2"},
    {InsnClass::kLongMul,            1, "[m4] UMULL/SMULL 1"},
    {InsnClass::kLongMulAcc,         1, "[m4] UMLAL/SMLAL 1"},
    {InsnClass::kDsp,                1, "[m4] DSP 1"},
    {InsnClass::kDiv,                2, "[m4] SDIV/UDIV 2-12 (probe adds 0-10)"},
    {InsnClass::kLoad,               1, "[jnk0le] load issues in 1, load-to-use 2"},
    {InsnClass::kLoadLiteral,        1, "[jnk0le] as a load"},
    {InsnClass::kLoadPc,             4, "[est] load 1 + load-to-use 1 + taken branch 2"},
    {InsnClass::kStore,              1, "[jnk0le] 1"},
    {InsnClass::kLoadDouble,         2, "[jnk0le] load/store double 2"},
    {InsnClass::kStoreDouble,        2, "[jnk0le] load/store double 2"},
    {InsnClass::kLoadMultiple,       0, "[jnk0le] LDM of N registers: N"},
    {InsnClass::kLoadMultiplePc,     2, "[jnk0le] N, + [est] taken branch 2"},
    {InsnClass::kStoreMultiple,      0, "[jnk0le] STM of N registers: N"},
    {InsnClass::kBranch,             2, "[jnk0le] taken branch 2 (1 after a 16-bit non-flag-setting op)"},
    {InsnClass::kBranchCond,         1, "[jnk0le] not taken: 0 paired after a 16-bit op, else 1"},
    {InsnClass::kBranchLink,         2, "[est] as a taken 32-bit branch"},
    {InsnClass::kBranchExchange, 2,
     "[jnk0le] taken branch 2 (1 after a 16-bit non-flag-setting op)"},
    {InsnClass::kTableBranch,        4, "[est] load 2 + taken branch 2"},
    {InsnClass::kIt,                 1, "[jnk0le] 0: pairs with the preceding instruction"},
    {InsnClass::kSysRegRead,         1, "[m4] MRS 1"},
    {InsnClass::kSysRegWrite,        2, "[m4] MSR 2"},
    {InsnClass::kCps,                2, "[m4] CPS 2"},
    {InsnClass::kBarrier,            1, "[m4] 1+B"},
    {InsnClass::kHint,               1, "[jnk0le] NOP 1, 0 when paired after a 16-bit op"},
    {InsnClass::kSleep,              1, "[m4] WFI/WFE 1+W"},
    {InsnClass::kSvc,                0, "the exception entry counts"},
    {InsnClass::kBkpt,               1, "1 nominal"},
    {InsnClass::kFpAlu,              1, "[m4] Table 7-1: 1"},
    {InsnClass::kFpMac,              1, "[jnk0le] VFMA/VMLA issue in 1 cycle"},
    {InsnClass::kFpDivSqrt,          1, "[m4] issues, FP unit busy 14 (Table 7-1)"},
    {InsnClass::kFpMove,             1, "[m4] Table 7-1: 1"},
    {InsnClass::kFpMoveCore,         2, "[m4] Table 7-1: 2"},
    {InsnClass::kFpLoad,             1, "[jnk0le] as an integer load (.64: 2)"},
    {InsnClass::kFpStore,            1, "[jnk0le] as an integer store (.64: 2)"},
    {InsnClass::kFpLoadMultiple,     0, "[jnk0le] as LDM: N words"},
    {InsnClass::kFpStoreMultiple,    0, "[jnk0le] as STM: N words"},
    {InsnClass::kUndefined,          1, "1 nominal"},
};
// clang-format on

// Result latency per class for an ordinary consumer (cycles from issue; 1 = next cycle).
// clang-format off
constexpr TimingRow kLatencyRows[] = {
    {InsnClass::kAlu,                1, "[jnk0le] 1 (shifted operand2: 2)"},
    {InsnClass::kAluBitfield,        1, "[jnk0le] bfi 1; xta 2 (not separated) [est]"},
    {InsnClass::kAluWritesPc,        1, "-"},
    {InsnClass::kMul,                2, "[jnk0le] multiplies: 2"},
    {InsnClass::kMulAcc,             2, "[jnk0le] MACs: 2 (accumulator chains at 1)"},
    {InsnClass::kLongMul,            2, "[jnk0le] MACs: 2"},
    {InsnClass::kLongMulAcc,         2, "[jnk0le] MACs: 2"},
    {InsnClass::kDsp,                1, "[est]"},
    {InsnClass::kDiv,                2, "[est] result at the end"},
    {InsnClass::kLoad,               2, "[jnk0le] load-to-use 2"},
    {InsnClass::kLoadLiteral,        2, "[jnk0le] load-to-use 2"},
    {InsnClass::kLoadPc,             1, "-"},
    {InsnClass::kStore,              1, "-"},
    {InsnClass::kLoadDouble,         2, "[jnk0le] load-to-use 2 after the last word"},
    {InsnClass::kStoreDouble,        1, "-"},
    {InsnClass::kLoadMultiple,       2, "[jnk0le] load-to-use 2 after the last word"},
    {InsnClass::kLoadMultiplePc,     1, "-"},
    {InsnClass::kStoreMultiple,      1, "-"},
    {InsnClass::kBranch,             1, "-"},
    {InsnClass::kBranchCond,         1, "-"},
    {InsnClass::kBranchLink,         1, "-"},
    {InsnClass::kBranchExchange,     1, "-"},
    {InsnClass::kTableBranch,        1, "-"},
    {InsnClass::kIt,                 1, "-"},
    {InsnClass::kSysRegRead,         1, "[m4]"},
    {InsnClass::kSysRegWrite,        1, "-"},
    {InsnClass::kCps,                1, "-"},
    {InsnClass::kBarrier,            1, "-"},
    {InsnClass::kHint,               1, "-"},
    {InsnClass::kSleep,              1, "-"},
    {InsnClass::kSvc,                1, "-"},
    {InsnClass::kBkpt,               1, "-"},
    {InsnClass::kFpAlu,              2, "[m4] 1 + the result-use cycle"},
    {InsnClass::kFpMac,              3, "[jnk0le] VFMA/VMLA result latency 3 (accumulator too)"},
    {InsnClass::kFpDivSqrt,         15, "[m4] 14 + the result-use cycle"},
    {InsnClass::kFpMove,             1, "[m4]"},
    {InsnClass::kFpMoveCore,         2, "[m4]"},
    {InsnClass::kFpLoad,             2, "[jnk0le] as an integer load"},
    {InsnClass::kFpStore,            1, "-"},
    {InsnClass::kFpLoadMultiple,     2, "[jnk0le] as LDM: load-to-use 2 after the last word"},
    {InsnClass::kFpStoreMultiple,    1, "-"},
    {InsnClass::kUndefined,          1, "-"},
};
// clang-format on

constexpr uint32_t kTakenBranch = 2;      // [jnk0le] taken branch 2 cycles
constexpr uint32_t kTakenBranchFast = 1;  // [jnk0le] after a 16-bit non-flag-setting op
constexpr int32_t kFpMacBlock = 3;        // [jnk0le] no FP instruction in the 2 cycles after
constexpr uint32_t kFpDivBusy = 14;       // [m4] Table 7-1 VDIV/VSQRT 14

const ClassTable& issue_table() {
  static const ClassTable table("cortex-m33 issue", kIssueRows);
  return table;
}
const ClassTable& latency_table() {
  static const ClassTable table("cortex-m33 latency", kLatencyRows);
  return table;
}

enum Consumer : int { kNormal, kAcc, kStoreData, kConsumerKinds };

bool is_branch_class(InsnClass c) {
  return c == InsnClass::kBranch || c == InsnClass::kBranchCond || c == InsnClass::kBranchLink ||
         c == InsnClass::kBranchExchange;
}

// [jnk0le] limited dual issue: only two 16-bit instructions pair, and only a NOP or a branch as
// the younger; IT pairs with any preceding instruction.
bool pairs_with_previous(const Instruction* prev, const Instruction& insn) {
  if (prev == nullptr) return false;
  if (insn.cls == InsnClass::kIt) return true;
  if (insn.size_bytes != 2 || prev->size_bytes != 2) return false;
  if (insn.cls == InsnClass::kHint) return !writes_pc(*prev) && !is_fp(prev->cls);
  return false;
}

}  // namespace

const ExceptionTiming& CortexM33Model::exception_timing() const {
  static constexpr ExceptionTiming kTiming = {
      .entry = 12,      // Arm: Cortex-M33 interrupt latency 12 cycles [U]
      .entry_fp = 29,   // [est] as the M4
      .exit = 10,       // [est] as the M4
      .exit_fp = 27,    // [est] as the M4
      .tail_chain = 6,  // [est] as the M3/M4
  };
  return kTiming;
}

void CortexM33Model::analyse_block(std::span<const Instruction> insns, BlockTiming& out) const {
  fill_basic(insns, out);
  const ClassTable& issue_cycles = issue_table();
  const ClassTable& latency = latency_table();
  std::array<ReadyTimes, kConsumerKinds> ready{};
  HazardRecorder hazards;
  int32_t t = 0;           // first cycle the next instruction may issue
  int32_t prev_issue = 0;  // issue cycle of the previous instruction
  for (size_t i = 0; i < insns.size(); ++i) {
    const Instruction& insn = insns[i];
    const Instruction* prev = i > 0 ? &insns[i - 1] : nullptr;
    const InsnClass cls = insn.cls;
    const bool last = i + 1 == insns.size();

    // Operands by consumer stage; branches do not wait for their flags.
    RegMask reads = is_branch_class(cls) ? 0 : insn.regs_read & ~kPc;
    std::array<RegMask, kConsumerKinds> m{};
    m[kAcc] = reads & insn.regs_accumulate;
    m[kStoreData] = reads & insn.regs_store_data & ~m[kAcc];
    m[kNormal] = reads & ~(m[kAcc] | m[kStoreData]);
    if (is_fp(cls)) m[kNormal] |= kFpUnitBusy;
    int32_t earliest = INT32_MIN;
    for (int k = 0; k < kConsumerKinds; ++k) {
      if (m[k] != 0) earliest = std::max(earliest, latest_ready(ready[k], m[k]));
    }

    // Issue cycles (not-taken part for branches). `pairable`: costs nothing when it can issue
    // in the same cycle as the previous instruction (dual issue), else 1.
    uint32_t cost = issue_cycles[cls];
    uint32_t taken_cost = 0;
    bool pairable = false;
    const bool narrow = insn.size_bytes == 2;
    const bool prev_narrow = prev != nullptr && prev->size_bytes == 2;
    const bool prev_quiet = prev_narrow && (prev->regs_written & kFlags) == 0;
    switch (cls) {
      case InsnClass::kAlu:
        // [jnk0le] flag-setting operand2-shifted-constant ops take 2 cycles.
        if (insn.shifted_operand && insn.regs_shifted == 0 && insn.sets_flags) cost = 2;
        break;
      case InsnClass::kMul:
        if (narrow && insn.sets_flags) cost = 2;  // [jnk0le] MULS.N takes 2
        break;
      case InsnClass::kLoadMultiple:
      case InsnClass::kLoadMultiplePc:
      case InsnClass::kStoreMultiple:
        cost += insn.reg_count;
        break;
      case InsnClass::kFpLoadMultiple:
      case InsnClass::kFpStoreMultiple:
        cost += insn.reg_count * (insn.double_precision ? 2u : 1u);
        break;
      case InsnClass::kFpLoad:
      case InsnClass::kFpStore:
        if (insn.double_precision) cost += 1;
        break;
      case InsnClass::kBranchCond:
        // [jnk0le] a not-taken 16-bit branch dual issues after a 16-bit instruction (even a
        // flag-setting one); taken: 2, or 1 after a 16-bit instruction that sets no flags.
        pairable = narrow && prev_narrow;
        taken_cost = (narrow && prev_quiet) ? kTakenBranchFast : kTakenBranch;
        break;
      case InsnClass::kBranch:
      case InsnClass::kBranchExchange:
        taken_cost = (narrow && prev_quiet) ? kTakenBranchFast : kTakenBranch;
        if (insn.conditional) {
          cost = 1;
          pairable = narrow && prev_narrow;
        } else {
          cost = taken_cost;
        }
        break;
      case InsnClass::kIt:
      case InsnClass::kHint:
        pairable = pairs_with_previous(prev, insn);
        break;
      default:
        break;
    }
    if (insn.conditional && writes_pc(insn) && !is_branch_class(cls)) {
      // IT-conditional POP {PC}, LDR PC, MOV PC: not taken costs the load part only.
      taken_cost = cost;
      cost = cls == InsnClass::kLoadMultiplePc ? insn.reg_count : 1;
    } else if (insn.conditional && cls == InsnClass::kBranchLink) {
      taken_cost = cost;
      cost = 1;
    }

    // Operand-dependent divide (no M33 figure: the M3/M4 range and model).
    if (cls == InsnClass::kDiv && insn.value_reg_a != kNoReg && insn.value_reg_b != kNoReg) {
      OperandProbe probe;
      probe.address = insn.address;
      probe.index = static_cast<uint16_t>(i);
      probe.reg_a = insn.value_reg_a;
      probe.reg_b = insn.value_reg_b;
      probe.kind = OperandCost::kDivide;
      probe.is_signed = insn.signed_operands;
      probe.assumed_cycles = static_cast<uint8_t>(cost);
      out.operand_probes.push_back(probe);
    }

    int32_t issue;
    if (pairable && earliest <= prev_issue) {
      issue = prev_issue;
      cost = 0;
    } else {
      issue = std::max(t, earliest);
    }
    out.prefix_cycles[i] = static_cast<uint32_t>(issue);
    hazards.record_reads(m[kNormal] | m[kAcc] | m[kStoreData], static_cast<uint32_t>(issue));
    t = std::max(t, issue + static_cast<int32_t>(cost));
    prev_issue = issue;

    if (last && taken_cost > cost && insn.conditional) out.taken_extra_cycles = taken_cost - cost;

    // Results.
    RegMask written = insn.regs_written & ~kPc;
    int32_t lat = latency[cls];
    if (cls == InsnClass::kAlu && insn.shifted_operand) lat = 2;  // [jnk0le] operand2 shifted: 2
    const int32_t done = issue + static_cast<int32_t>(std::max<uint32_t>(cost, 1));
    int32_t normal_ready = issue + lat;
    if (is_load(cls)) normal_ready = done + lat - 1;  // load-to-use counts from the last word
    if (insn.writeback && insn.address_base_reg != kNoReg) {
      const RegMask base = core_reg(insn.address_base_reg);
      for (auto& r : ready) set_ready(r, written & base, issue + 1);
      written &= ~base;
    }
    const bool fp_result = is_fp(cls);
    set_ready(ready[kNormal], written, normal_ready);
    // [jnk0le] accumulators chain one cycle earlier (not FP: same latency for every operand).
    set_ready(ready[kAcc], written,
              fp_result ? normal_ready : std::max(issue + 1, normal_ready - 1));
    // [jnk0le] load-to-store 1; results reach the store data port one cycle after issue.
    set_ready(ready[kStoreData], written, fp_result ? normal_ready : std::min(normal_ready, done));
    if (cls == InsnClass::kFpMac) set_ready(ready[kNormal], kFpUnitBusy, issue + kFpMacBlock);
    if (cls == InsnClass::kFpDivSqrt) {
      set_ready(ready[kNormal], kFpUnitBusy, issue + static_cast<int32_t>(kFpDivBusy));
    }
  }
  out.static_cycles = static_cast<uint64_t>(t);
  hazards.finish(ready[kNormal], static_cast<uint32_t>(t), out.pipeline);
}

uint64_t CortexM33Model::retire_block(const BlockTiming& block, uint32_t next_address) {
  uint64_t cycles = block.static_cycles;
  uint64_t exit_extra = 0;
  if (next_address != block.end_address) {
    cycles += block.taken_extra_cycles;
    exit_extra = block.taken_extra_cycles;
  }
  cycles += static_cast<uint64_t>(CortexM33Model::entry_cycles(block));
  hazards_.advance(block.pipeline, cycles, exit_extra);
  return cycles;
}

}  // namespace tinysim::cpu_models::impl
