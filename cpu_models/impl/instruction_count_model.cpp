#include "cpu_models/impl/instruction_count_model.h"

namespace tinysim::cpu_models {

void InstructionCountModel::analyse_block(std::span<const Instruction> insns,
                                          BlockTiming& out) const {
  out.instruction_count = static_cast<uint32_t>(insns.size());
  out.static_cycles = insns.size();
  out.taken_extra_cycles = 0;
  out.prefix_cycles.resize(insns.size());
  for (size_t i = 0; i < insns.size(); ++i) out.prefix_cycles[i] = static_cast<uint32_t>(i);
}

}  // namespace tinysim::cpu_models
