#include "cpu_models/impl/instruction_count_model.h"

#include "cpu_models/impl/model_common.h"

namespace tinysim::cpu_models {

void InstructionCountModel::analyse_block(std::span<const Instruction> insns,
                                          BlockTiming& out) const {
  impl::fill_basic(insns, out);
  out.static_cycles = insns.size();
  for (size_t i = 0; i < insns.size(); ++i) out.prefix_cycles[i] = static_cast<uint32_t>(i);
}

const ExceptionTiming& InstructionCountModel::exception_timing() const {
  static constexpr ExceptionTiming kTiming = {
      .entry = 1, .entry_fp = 1, .exit = 1, .exit_fp = 1, .tail_chain = 1};
  return kTiming;
}

}  // namespace tinysim::cpu_models
