// CoreModel: turns the executed instruction stream into cycles for one Cortex-M core.
//
// One implementation per core lives in impl/, selected by name (make_core_model). The
// simulator calls it per translated block and per executed block, never per instruction:
//  1. analyse_block() once, when a block is first translated: precompute its static cost.
//  2. retire_block() for every execution, when the next block's address is known; the model
//     adds the dynamic parts (branch taken or not, cross-block pipeline effects).
// Memory wait states are not decided here: the memory system adds them.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu_models/instruction.h"

namespace tinysim::cpu_models {

// What the model precomputes for one block. Opaque to the simulator except for the fields
// it reads on its hot path.
struct BlockTiming {
  uint32_t start_address = 0;
  uint32_t end_address = 0;       // address after the last instruction (fall-through target)
  uint32_t instruction_count = 0;
  uint64_t static_cycles = 0;     // cycles when the block falls through to end_address
  uint64_t taken_extra_cycles = 0;  // added when execution continues anywhere else
  // Cycles before each instruction starts, relative to the block start (for mid-block reads
  // of DWT.CYCCNT). prefix_cycles[i] is the cost of instructions [0, i).
  std::vector<uint32_t> prefix_cycles;
};

class CoreModel {
 public:
  virtual ~CoreModel() = default;

  // The model's name, e.g. "cortex-m4".
  virtual std::string_view name() const = 0;

  // Precomputes the static timing of one block. REQUIRES: insns is non-empty, in program
  // order, contiguous.
  virtual void analyse_block(std::span<const Instruction> insns, BlockTiming& out) const = 0;

  // Cycles of one execution of `block`, which was followed by the block at `next_address`.
  virtual uint64_t retire_block(const BlockTiming& block, uint32_t next_address) = 0;
};

// Creates the model for `core` ("cortex-m0", "cortex-m4", ...). Returns nullptr for an
// unknown name.
std::unique_ptr<CoreModel> make_core_model(std::string_view core);

// Names make_core_model accepts.
std::vector<std::string> core_model_names();

}  // namespace tinysim::cpu_models
