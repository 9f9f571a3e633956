// ExecutionObserver: what a running Machine tells an observer (the profiler) about execution.
//
// on_block() is called once per executed block, on the simulator's hot path: implementations
// do O(1) work there (accumulate into the current context) and must not throw or allocate in
// the steady state. The other events are rare. All calls happen on the simulation thread,
// in execution order, with cycle stamps from the same clock as DWT.CYCCNT.
#pragma once

#include <cstdint>
#include <span>

#include "cpu_models/instruction.h"
#include "power_models/event_counts.h"

namespace tinysim::sim {

struct RetiredBlock {
  uint32_t start_address = 0;
  uint32_t end_address = 0;   // address after the last instruction
  uint32_t next_address = 0;  // where execution continued
  uint32_t instructions = 0;  // instructions of the block that executed
  uint64_t start_cycle = 0;   // core cycle the block started at
  uint64_t cycles = 0;        // cycles it took (including operand-dependent extra cycles)
  // The block's decoded instructions (valid during the call only): the last one tells whether
  // the block ended in a call (BL, BLX), a return (BX LR, POP {..PC}, LDR PC) or a branch.
  std::span<const cpu_models::Instruction> insns;
  // The executed instructions by energy class and the block's fetch source (the energy model's
  // per-block counts; valid during the call only; never null from the Machine).
  const power_models::BlockEnergyCounts* energy = nullptr;
};

class ExecutionObserver {
 public:
  virtual ~ExecutionObserver() = default;
  virtual void on_block(const RetiredBlock& block) = 0;
  // A write to ITM stimulus port `port` > 0 (port 0 is the console): operator markers.
  virtual void on_itm_write(uint32_t port, uint32_t value, uint64_t cycle) = 0;
  // Exception `exception` taken at `cycle`; the interrupted code resumes at `return_address`.
  virtual void on_exception_entry(int exception, uint32_t return_address, uint64_t cycle) = 0;
  // Return from exception `exception` to `resume_address` at `cycle`.
  virtual void on_exception_return(int exception, uint32_t resume_address, uint64_t cycle) = 0;
};

}  // namespace tinysim::sim
