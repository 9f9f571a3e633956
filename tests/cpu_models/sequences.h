// Test support: the instruction sequences of timing_sequences.S (assembled at build time into
// a flat binary), and a small driver that runs a sequence through a core model block by block,
// the way sim::Machine does.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu_models/core_model.h"
#include "cpu_models/instruction.h"
#include "sim/decoder.h"

namespace tinysim::testing {

// Address the sequences are placed at (8-byte aligned, as in the assembly file).
inline constexpr uint32_t kSequenceBase = 0x08000000;
// Where indirect branches (BX LR, POP {PC}, LDR PC, TBB) of a sequence go: outside it.
inline constexpr uint32_t kOutside = 0x20000000;

struct Sequence {
  std::string name;
  uint32_t address = 0;
  std::vector<uint8_t> bytes;
};

// The sequence called `name`; aborts the test program when it does not exist (a typo in a table).
const Sequence& sequence(std::string_view name);

// All instructions of the sequence, decoded.
std::vector<cpu_models::Instruction> decode_sequence(const Sequence& seq);

// A Decoder shared by the tests.
sim::Decoder& shared_decoder();

// Runs `seq` on `model`: blocks end after each PC-writing instruction (as Unicorn's do); direct
// branches whose target lies inside the sequence are followed; a conditional branch is taken
// the first `taken` times it is reached and falls through afterwards; the run ends when
// execution leaves the sequence. Returns the cycles retire_block() reported.
uint64_t run_sequence(cpu_models::CoreModel& model, const Sequence& seq, int taken = 0);

// Steady-state cycles per iteration of a loop sequence (whose last instruction branches back):
// (cycles with 12 iterations - cycles with 2) / 10, each on a fresh model state. Sets
// `exact` to false when the difference is not a multiple of 10.
uint64_t cycles_per_iteration(cpu_models::CoreModel& model, const Sequence& seq, bool* exact);

}  // namespace tinysim::testing
