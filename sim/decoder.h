// Decoder: Thumb (M-profile) machine code -> cpu_models::Instruction records, with Capstone.
//
// The simulator decodes each translated block once, when Unicorn first translates it, and hands
// the records to the core model (CoreModel::analyse_block). The decoder classifies every
// instruction into a timing class (cpu_models::InsnClass) and extracts what the timing rules
// need: registers read and written and in which role (address, shifted operand, accumulator,
// store data), the memory access shape, direct branch targets, register-list lengths, IT-block
// conditionality and FP precision. Bytes Capstone cannot decode become kUndefined records.
//
// One Capstone handle (ARM, Thumb + M-class, detail on) per Decoder, created by create() and
// reused for every block; the decode loop reuses one cs_insn (cs_disasm_iter), so the only
// allocations are the output vector's. Not thread-safe: use one Decoder per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "cpu_models/instruction.h"
#include "sim/status.h"

namespace tinysim::sim {

class Decoder {
 public:
  // Opens the Capstone handle. Fails (kInternal) only when Capstone itself cannot be opened.
  static StatusOr<Decoder> create();

  Decoder(Decoder&& other) noexcept;
  Decoder& operator=(Decoder&& other) noexcept;
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  ~Decoder();

  // Decodes the Thumb code in `bytes`, the first byte at `address`, into `out` (cleared first):
  // one record per instruction, in order, until the bytes end (a trailing odd byte, or the first
  // half of a 32-bit instruction, is ignored) or `max_instructions` records are made.
  // Undecodable encodings become InsnClass::kUndefined records (4 bytes when the first halfword
  // announces a 32-bit encoding, else 2) and decoding continues after them.
  // `it_remaining`: how many of the first instructions are still inside an IT block that began
  // before `address` (0 to 3; the CPU's ITSTATE), so they are marked conditional.
  void decode(std::span<const uint8_t> bytes, uint32_t address,
              std::vector<cpu_models::Instruction>& out,
              size_t max_instructions = std::numeric_limits<size_t>::max(),
              unsigned it_remaining = 0);

  // "ldr r0, [r1, #4]" for the instruction at the start of `bytes` (tests, traces, messages);
  // "<undefined>" when it does not decode.
  std::string disassemble_one(std::span<const uint8_t> bytes, uint32_t address);

 private:
  Decoder() = default;

  size_t handle_ = 0;     // csh
  void* insn_ = nullptr;  // cs_insn*, reused by every decode
};

}  // namespace tinysim::sim
