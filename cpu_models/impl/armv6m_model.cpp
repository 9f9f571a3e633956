#include "cpu_models/impl/armv6m_model.h"

namespace tinysim::cpu_models::impl {

Armv6mModel::Armv6mModel(const Armv6mTiming& timing, Multiplier multiplier)
    : name_(timing.name),
      table_(timing.table),
      branch_cond_taken_(timing.branch_cond_taken),
      exceptions_(timing.exceptions) {
  if (multiplier == Multiplier::kSmall) {
    table_.set(InsnClass::kMul, kSmallMultiplierCycles,
               "Table 3-1 MULS: 32 with the small (iterative) multiplier");
  }
}

void Armv6mModel::analyse_block(std::span<const Instruction> insns, BlockTiming& out) const {
  fill_basic(insns, out);
  uint32_t cycle = 0;
  for (size_t i = 0; i < insns.size(); ++i) {
    const Instruction& insn = insns[i];
    out.prefix_cycles[i] = cycle;
    uint32_t cost = table_[insn.cls];
    switch (insn.cls) {
      case InsnClass::kLoadMultiple:
      case InsnClass::kLoadMultiplePc:
      case InsnClass::kStoreMultiple:
        cost += insn.reg_count;  // 1+N, 4+N / 3+N (N counts PC)
        break;
      default:
        break;
    }
    cycle += cost;
  }
  out.static_cycles = cycle;
  const Instruction& last = insns.back();
  if (last.cls == InsnClass::kBranchCond) {
    out.taken_extra_cycles = branch_cond_taken_ - table_[InsnClass::kBranchCond];
  }
}

}  // namespace tinysim::cpu_models::impl
