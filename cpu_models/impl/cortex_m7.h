// CortexM7Model: the Cortex-M7 timing model (6-stage, in-order, dual issue, branch prediction).
//
// Arm publishes no cycle table for the M7; every number here comes from silicon measurements:
// jnk0le/random "pipeline cycle test" doc/cortex_m7.md (STM32H743 rev Y, DWT.CYCCNT) and
// quinapalus.com "cm7cycles" (STM32H730, caches on), as summarised in
// ../shared/reference/cortex-m-timing.md; where both are silent, LLVM's ARMScheduleM7.td (Arm's
// own scheduling model) is the source. See cortex_m7.cpp for the tables.
//
// Per block the model runs a two-slot in-order scheduler: an instruction issues in the younger
// slot of the current cycle when the pairing rules allow it and its operands are ready then,
// otherwise it starts the next cycle. Result latencies depend on the producer (ALU, load, MAC,
// FP...) and on the consumer's stage (late ALU, early ALU/AGU, multiplier, accumulator, store
// data). Branches are predicted per execution (retire_block): a correctly predicted branch costs
// its issue slot and leaves its younger slot to the next block's first instruction; a
// mispredicted one costs 8 cycles more (6 when the flags were set 3 or more cycles before).
#pragma once

#include <string_view>
#include <vector>

#include "cpu_models/core_model.h"
#include "cpu_models/impl/model_common.h"

namespace tinysim::cpu_models::impl {

class CortexM7Model final : public CoreModel {
 public:
  explicit CortexM7Model(const CoreModelOptions& options);

  std::string_view name() const override { return "cortex-m7"; }
  void analyse_block(std::span<const Instruction> insns, BlockTiming& out) const override;
  uint64_t retire_block(const BlockTiming& block, uint32_t next_address) override;
  int64_t entry_cycles(const BlockTiming& block) const override;
  const ExceptionTiming& exception_timing() const override;
  void flush_pipeline() override;
  void reset() override;

  // Branch-predictor statistics since reset(): executed branches and mispredictions.
  uint64_t branches() const { return branches_; }
  uint64_t mispredictions() const { return mispredictions_; }

 private:
  struct BtacEntry {
    uint32_t branch = 0;  // address of the branch (tag)
    uint32_t target = 0;
    uint8_t counter = 0;  // 2-bit saturating: >= 2 predicts taken
    bool valid = false;
  };
  // Predicts the branch ending `block`, learns the outcome; returns true when predicted right.
  bool predict_and_update(const PipelineSummary& block, bool taken, uint32_t next_address);

  std::vector<BtacEntry> btac_;
  uint32_t btac_mask_;
  CrossBlockState hazards_;
  bool open_slot_ = false;
  uint64_t branches_ = 0;
  uint64_t mispredictions_ = 0;
};

}  // namespace tinysim::cpu_models::impl
